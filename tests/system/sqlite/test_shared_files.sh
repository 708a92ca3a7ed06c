#!/usr/bin/env bash
# System test of the SQLite driver (tests/system/sqlite/: it opens the database files with
# sqlite3, which only SQLite has): other processes on a running daemon's files. Operators open
# the registry and the look-up log with sqlite3 and run `shikaku audit verify` while the daemon
# answers; each such process must find the WAL-index marked in use. A daemon that had released
# SQLite's lock on a -shm file (a descriptor of its own on it, closed) died of SIGBUS here, five
# runs in five, after 3 to 53 such opens under look-ups: the other process truncated the file and
# rebuilt it under the daemon's look-up log writer. The deterministic check is
# test_the_wal_index_stays_locked (tests/unit/store); this one shows the consequence through the
# real processes.
# usage: test_shared_files.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "skipped: the SQLite shell (sqlite3) is not installed"; exit 77; }

db=$dir/s.db
demo_data "$db" 10
INST=$(tok institution) INSTNO=$(scope institution)
start main "$db" || exit 1
url=http://127.0.0.1:$port
today=$(TZ=Asia/Tokyo date +%Y%m%d)
row=$(member_key "$db")
IFS='|' read -r ins num br birth <<<"$row"
{
    printf '<XmlMsg><MessageHeader><QualificationConfirmationDate>%s' "$today"
    printf '</QualificationConfirmationDate><MedicalInstitutionCode>%s' "$INSTNO"
    printf '</MedicalInstitutionCode></MessageHeader><MessageBody><QualificationConfirmSearchInfo>'
    printf '<InsurerNumber>%s</InsurerNumber><InsuredIdentificationNumber>%s' "$ins" "$num"
    printf '</InsuredIdentificationNumber><InsuredBranchNumber>%s</InsuredBranchNumber>' "$br"
    printf '<Birthdate>%s</Birthdate></QualificationConfirmSearchInfo></MessageBody></XmlMsg>' \
        "$birth"
} >"$dir/req.xml"

# look-ups on two keep-alive connections, 100 at a time, until told to stop (at most 60 s)
urls=()
for _ in $(seq 1 100); do urls+=(-o /dev/null "$url/oqs/v1/xml"); done
load() {
    local end=$((SECONDS + 60))
    while [ ! -e "$dir/stop" ] && [ $SECONDS -lt $end ]; do
        curl -s -w '%{http_code}\n' -H "Authorization: Bearer $INST" \
            --data-binary @"$dir/req.xml" "${urls[@]}"
    done >>"$dir/codes.$1"
}
load 1 &
l1=$!
load 2 &
l2=$!

# meanwhile, 150 rounds of other processes opening both files (and the chains checked, live)
opened=0
for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sqlite3 "$db" "select count(*) from persons" >/dev/null &&
        sqlite3 "$db.lookups" "select count(*) from audit" >/dev/null && opened=$((opened + 1))
    if [ $((i % 50)) -eq 0 ]; then
        "$bin" audit verify --db "$db" >"$dir/av.$i" 2>&1 && ok || bad "audit verify while serving"
    fi
done
touch "$dir/stop"
wait "$l1" "$l2"
kill -0 "$pid" 2>/dev/null && ok || bad "the daemon died while other processes opened its files"
[ "$opened" = 150 ] && ok || bad "other processes opened the files $opened times, want 150"
answered=$(cat "$dir"/codes.* | grep -c '^200$')
others=$(cat "$dir"/codes.* | grep -vc '^200$')
[ "$answered" -ge 100 ] && [ "$others" = 0 ] && ok ||
    bad "look-ups while files were opened: $answered answered, $others not"

# every answered look-up is in the look-up log's chain, which is intact
kill -TERM "$pid"
wait "$pid" && ok || bad "the daemon's exit status on SIGTERM"
n=$("$bin" audit list --db "$db" --lookups --action eligibility.lookup --count)
[ "$n" = "$answered" ] && ok || bad "look-up log rows $n, answered $answered"
"$bin" audit verify --db "$db" >"$dir/av.out" && ok || bad "audit chain not intact"
has "$dir/av.out" "^look-up log chain intact: $answered rows" "the look-up log's chain"
finish
