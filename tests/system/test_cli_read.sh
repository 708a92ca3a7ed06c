#!/usr/bin/env bash
# System test: the read commands — `shikaku audit list`, `notification list`, `member list`,
# `person list` — on demo data: their header and columns, filters and pages, counts that agree
# with the API and with `audit verify`, no My Number in any output, reads while the daemon
# answers, and bad arguments refused with the option named. Also keeps the driver-neutral
# system tests driver-neutral: none of tests/system/*.sh may open a database file itself.
# usage: test_cli_read.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

db=$dir/r.db
demo_data "$db" 30
OP=$(tok operator)
check() { # check NAME EXPECTED_EXIT COMMAND...: runs it, output in $dir/out and $dir/err
    local name=$1 want=$2
    shift 2
    "$@" >"$dir/out" 2>"$dir/err"
    local got=$?
    [ "$got" -eq "$want" ] && ok || { bad "$name: exit $got, want $want"; sed 's/^/  /' "$dir/err"; }
}
rows() { tail -n +2 "$1" | wc -l; } # rows FILE: lines after the header
fields() { awk -F'\t' -v n="$2" 'NF != n { bad = 1 } END { exit bad }' "$1"; } # every line has n

# --- member list: card keys of the qualifications in force, never a My Number
check "member list" 0 "$bin" member list --db "$db"
cp "$dir/out" "$dir/members"
head -1 "$dir/members" | grep -qx $'insurer\tsymbol\tnumber\tbranch\tbirthdate\tperson\trelationship\tacquired_on\tlost_on\tregistered\tdisplay_stopped' &&
    ok || bad "member list header: $(head -1 "$dir/members")"
fields "$dir/members" 11 && ok || bad "member list: a line without 11 fields"
[ "$(rows "$dir/members")" -gt 20 ] && ok || bad "member list: $(rows "$dir/members") rows"
[ "$("$bin" member list --db "$db" --count)" = "$(rows "$dir/members")" ] && ok || bad "member --count"
awk -F'\t' 'NR > 1 && !($5 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ &&
    $6 ~ /^[0-9a-f]+$/ && length($6) == 32 &&
    ($7 == "insured" || $7 == "dependent") && ($10 == "yes" || $10 == "no")) { bad = 1 }
    END { exit bad }' "$dir/members" && ok || bad "member list: a malformed row"
grep -q $'^131011\t-\t' "$dir/members" && ok || bad "member list: no 記号 is written '-'"
reg=$("$bin" member list --db "$db" --registered --count)
[ "$reg" = "$(awk -F'\t' 'NR > 1 && $10 == "yes"' "$dir/members" | wc -l)" ] && ok ||
    bad "member list --registered: $reg"
# one insurer's, on a day: the same members as GET /v1/insurers/{n}/members answers
"$bin" member list --db "$db" --insurer 01130012 --on 2026-04-01 >"$dir/m1"
awk -F'\t' 'NR > 1 && $1 != "01130012" { bad = 1 } END { exit bad }' "$dir/m1" && ok ||
    bad "member list --insurer: another insurer's row"
# (no look-up log before the daemon's first start: an empty one, and the read does not make it)
check "no look-up log yet" 0 "$bin" audit list --db "$db" --lookups --count
[ "$(cat "$dir/out")" = 0 ] && [ ! -e "$db.lookups" ] && ok ||
    bad "look-up log before any look-up: $(cat "$dir/out"), file $(ls "$db.lookups" 2>&1)"
start main "$db" || exit 1
url=http://127.0.0.1:$port
curl -s -H "Authorization: Bearer $OP" \
    "$url/v1/insurers/01130012/members?as_of=2026-04-01&limit=1000" >"$dir/m1.json"
api=$(/usr/bin/python3 -c '
import json, sys
for m in json.load(open(sys.argv[1]))["members"]:
    q = m["qualification"]
    print("\t".join([q["number"], q["branch"], m["birthdate"], m["id"]]))' "$dir/m1.json" | sort)
[ -n "$api" ] && [ "$api" = "$(awk -F'\t' 'NR > 1 { print $3 "\t" $4 "\t" $5 "\t" $6 }' "$dir/m1" | sort)" ] &&
    ok || bad "member list and the API disagree"
check "member list before every acquisition" 0 "$bin" member list --db "$db" --on 1900-01-01 --count
[ "$(cat "$dir/out")" = 0 ] && ok || bad "members in 1900: $(cat "$dir/out")"

# --- notification list: every 届出 with its idempotency key; filters; pages
printf 'kind,name,kana,birthdate,sex,address,acquired_on,idempotency_key\n%s\n' \
    'acquisition,"読取　太郎","ヨミトリ タロウ",1990-01-01,1,"東京都港区1-1",2026-04-01,"read 1\x"' \
    >"$dir/one.csv"
"$bin" import notifications --db "$db" --employer 1 "$dir/one.csv" >"$dir/imp.out" && ok ||
    bad "import: $(cat "$dir/imp.out")"
nid=$(sed -n 's/^row 2: filed notification=\([0-9]*\) .*/\1/p' "$dir/imp.out")
check "notification list" 0 "$bin" notification list --db "$db"
cp "$dir/out" "$dir/notifs"
head -1 "$dir/notifs" | grep -qx $'id\tkind\tstate\tinsurer\temployer\tsubmitter\tfiled_at\tidempotency_key' &&
    ok || bad "notification list header: $(head -1 "$dir/notifs")"
fields "$dir/notifs" 8 && ok || bad "notification list: a line without 8 fields"
seeded=$(sed -n 's/.* \([0-9]*\) 届出 .*/\1/p' "$dir/demo.txt")
[ "$(rows "$dir/notifs")" = $((seeded + 1)) ] && ok ||
    bad "notification list: $(rows "$dir/notifs") rows, the demo filed $seeded and the import 1"
# the key's backslash is escaped (a tab, escaped too, can no longer be in a key: an
# idempotency key is printable ASCII since issue 19), so the line keeps its 8 fields
grep -q "^$nid"$'\tacquisition\tpending_my_number\t01130012\t1\temployer:1\t[0-9T:.-]*Z\t''read 1\\\\x$' \
    "$dir/notifs" && ok || bad "the imported 届出's line: $(grep "^$nid"$'\t' "$dir/notifs")"
"$bin" notification list --db "$db" --state pending_my_number >"$dir/pending"
[ "$(rows "$dir/pending")" -ge 1 ] && awk -F'\t' 'NR > 1 && $3 != "pending_my_number" { bad = 1 }
    END { exit bad }' "$dir/pending" && ok || bad "notification list --state"
[ "$("$bin" notification list --db "$db" --insurer 131011 --count)" = \
    "$(awk -F'\t' 'NR > 1 && $4 == "131011"' "$dir/notifs" | wc -l)" ] && ok || bad "--insurer"
"$bin" notification list --db "$db" --limit 5 >"$dir/p1"
after=$(tail -1 "$dir/p1" | cut -f1)
"$bin" notification list --db "$db" --after "$after" --limit 5 >"$dir/p2"
[ "$( (tail -n +2 "$dir/p1"; tail -n +2 "$dir/p2") | cut -f1)" = "$(sed -n 2,11p "$dir/notifs" | cut -f1)" ] &&
    ok || bad "two pages of 5 are not the first 10 届出"

# --- person list: by exact name; whether a My Number is on file, never the number
check "person list" 0 "$bin" person list --db "$db" --name '読取　太郎'
[ "$(cat "$dir/out")" = "$(printf 'person\tname\tkana\tbirthdate\tsex\thas_mynumber\n%s\t読取　太郎\tヨミトリ タロウ\t1990-01-01\t1\tno' \
    "$(sed -n 's/.* person=\([0-9a-f]*\) .*/\1/p' "$dir/imp.out")")" ] && ok ||
    bad "person list: $(cat "$dir/out")"
first=$(awk -F'\t' 'NR == 2 { print $6 }' "$dir/members")
curl -s -H "Authorization: Bearer $OP" "$url/v1/persons/$first" >"$dir/p.json"
name=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["name"])' "$dir/p.json")
"$bin" person list --db "$db" --name "$name" >"$dir/pl"
grep -q "^$first"$'\t'"$name"$'\t.*\tyes$' "$dir/pl" && ok || bad "person list of a member: $(cat "$dir/pl")"
[ "$("$bin" person list --db "$db" --name '読取' --count)" = 0 ] && ok || bad "a part of a name matched"

# --- audit list: the registry's chain; the look-up log's (none yet, then one row)
check "audit list" 0 "$bin" audit list --db "$db"
cp "$dir/out" "$dir/audit"
head -1 "$dir/audit" | grep -qx $'id\tat\tactor\taction\tobject\tdetail' && ok ||
    bad "audit list header: $(head -1 "$dir/audit")"
fields "$dir/audit" 6 && ok || bad "audit list: a line without 6 fields"
"$bin" audit verify --db "$db" >"$dir/av"
grep -q "^audit chain intact: $(rows "$dir/audit") rows" "$dir/av" && ok ||
    bad "audit list $(rows "$dir/audit") rows, verify: $(cat "$dir/av")"
[ "$("$bin" audit list --db "$db" --action insurer.add --count)" = 6 ] && ok ||
    bad "the demo's six insurer.add rows"
[ "$("$bin" audit list --db "$db" --limit 2 --after 3 | tail -n +2 | cut -f1 | tr '\n' ' ')" = "4 5 " ] &&
    ok || bad "audit list --after 3 --limit 2"
IFS='|' read -r ins num br birth <<<"$(member_key "$db")"
curl -s -o /dev/null -H "Authorization: Bearer $(tok institution)" -H 'Content-Type: application/json' \
    -d "{\"insurer_number\":\"$ins\",\"number\":\"$num\",\"branch\":\"$br\",\"birthdate\":\"${birth:0:4}-${birth:4:2}-${birth:6:2}\"}" \
    "$url/v1/eligibility"
for _ in $(seq 1 40); do # written within the flush interval (audit.flush_ms), while serving
    [ "$("$bin" audit list --db "$db" --lookups --count)" = 1 ] && break
    sleep 0.05
done
"$bin" audit list --db "$db" --lookups >"$dir/lk"
awk -F'\t' 'NR == 2 && $4 == "eligibility.lookup" && $6 ~ /result=1/ { found = 1 } END { exit !found }' \
    "$dir/lk" && ok || bad "the look-up's row: $(cat "$dir/lk")"
kill -TERM "$pid"
wait "$pid"

# nothing printed above holds a My Number (12 digits standing alone; a person id is 32 hex
# digits and may hold a run of 12 decimal ones)
cat "$dir"/members "$dir"/notifs "$dir"/audit "$dir"/lk "$dir"/pl |
    grep -Eq '(^|[^0-9a-f])[0-9]{12}([^0-9a-f]|$)' &&
    bad "a 12-digit number in a listing" || ok

# --- bad arguments: the option named, exit 2 (usage) or 1 with the code (a bad 保険者番号)
check "audit without a subcommand" 2 "$bin" audit
has "$dir/err" "expected 'verify' or 'list'" "audit: the subcommands named"
check "audit list --limit 0" 2 "$bin" audit list --db "$db" --limit 0
has "$dir/err" "--limit is a whole number of at least 1, not '0'" "--limit named"
check "audit list --after x" 2 "$bin" audit list --db "$db" --after x
has "$dir/err" "--after is a whole number" "--after named"
check "audit list --lookup-log missing" 3 "$bin" audit list --db "$db" --lookup-log "$dir/none"
has "$dir/err" "error io lookup_log" "a missing look-up log named"
check "notification list --state bogus" 2 "$bin" notification list --db "$db" --state bogus
has "$dir/err" "--state is received, pending_my_number, registered, withdrawn or invalid, not 'bogus'" \
    "--state named"
check "notification list --insurer bad check digit" 1 "$bin" notification list --db "$db" --insurer 01130013
has "$dir/err" "error insurer_number_check_digit insurer" "a bad 保険者番号 named"
check "member list --insurer unregistered" 1 "$bin" member list --db "$db" --insurer 01130020
has "$dir/err" "error not_found insurer: no insurer 01130020 is registered" "an unknown insurer named"
check "member list --on 2026-02-30" 2 "$bin" member list --db "$db" --on 2026-02-30
has "$dir/err" "--on is a date YYYY-MM-DD, not '2026-02-30'" "--on named"
check "member list --bogus" 2 "$bin" member list --db "$db" --bogus
has "$dir/err" "unexpected argument '--bogus'" "an unknown flag named"
check "member list --registered takes no value" 2 "$bin" member list --db "$db" --registered yes
check "person list without --name" 2 "$bin" person list --db "$db"
has "$dir/err" "--name NAME is required" "--name required"
check "notification without list" 2 "$bin" notification show --db "$db"
check "member list without --db" 2 "$bin" member list
has "$dir/err" "--db PATH is required" "--db required"
check "help lists the read commands" 0 "$bin" --help
for c in notification member person; do has "$dir/out" "^  $c " "help: $c"; done
check "member list --help" 0 "$bin" member list --help
has "$dir/out" "Never a My Number" "member list --help text"

# --- the driver-neutral system tests read through shikaku, never the database file
here=$(dirname "$0")
grep -l 'sqlite[3]' "$here"/*.sh >"$dir/users" && bad "the SQLite shell in driver-neutral tests: $(cat "$dir/users")" || ok
finish
