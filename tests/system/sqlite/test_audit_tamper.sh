#!/usr/bin/env bash
# System test of the SQLite driver (tests/system/sqlite/: it alters rows in the database files
# with sqlite3, as someone with access to the files could): `shikaku audit verify` names the
# first row of either chain — the look-up log's, the registry's audit table — that was altered
# behind the store's back, and exits 1. The driver-neutral half (chains intact after real
# look-ups, a look-up log named by hand) is tests/system/test_oqs.sh.
# usage: test_audit_tamper.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "skipped: the SQLite shell (sqlite3) is not installed"; exit 77; }

db=$dir/t.db
demo_data "$db" 10
INST=$(tok institution)
start main "$db" || exit 1
url=http://127.0.0.1:$port
IFS='|' read -r ins num br birth <<<"$(member_key "$db")"
q="{\"insurer_number\":\"$ins\",\"number\":\"$num\",\"branch\":\"$br\","
q="$q\"birthdate\":\"${birth:0:4}-${birth:4:2}-${birth:6:2}\"}"
for i in 1 2 3 4; do
    code=$(curl -s -o "$dir/elig.$i" -w '%{http_code}' -H "Authorization: Bearer $INST" \
        -H 'Content-Type: application/json' -d "$q" "$url/v1/eligibility")
    [ "$code" = 200 ] && ok || bad "look-up $i: $code $(cat "$dir/elig.$i")"
done
kill -TERM "$pid"
wait "$pid" && ok || bad "the daemon's exit status on SIGTERM"

# four look-ups, each a row of the look-up log, and both chains intact
lookups() { "$bin" audit list --db "$db" --lookups --action eligibility.lookup "$@"; }
n=$(lookups --count)
[ "$n" = 4 ] && ok || bad "look-up log rows: $n, want 4"
"$bin" audit verify --db "$db" >"$dir/av.out" && ok || bad "audit chains not intact"
has "$dir/av.out" "^audit chain intact" "the registry's chain"
has "$dir/av.out" "^look-up log chain intact: 4 rows" "the look-up log's chain"

# the third look-up's row says another result: the look-up log's chain breaks there
victim=$(lookups | awk -F'\t' 'NR == 4 { print $1 }')
sqlite3 "$db.lookups" "update audit set detail = replace(detail, 'result=1', 'result=4') where id = $victim"
lookups | awk -F'\t' -v v="$victim" '$1 == v { print $6 }' | grep -q 'result=4' && ok ||
    bad "audit list does not show the row as stored"
"$bin" audit verify --db "$db" >"$dir/av2.out"
[ $? -eq 1 ] && ok || bad "a tampered audit row passed"
has "$dir/av2.out" "look-up log chain BROKEN at row $victim " "the first broken row is named"

# a registry row tampered with is named too (the look-up log given by hand)
sqlite3 "$db" "update audit set actor = 'someone' where id = 2"
"$bin" audit verify --db "$db" --lookup-log "$db.lookups" >"$dir/av3.out"
[ $? -eq 1 ] && ok || bad "a tampered registry audit row passed"
has "$dir/av3.out" "^audit chain BROKEN at row 2 " "the registry's broken row is named"
finish
