#!/usr/bin/env bash
# System test of the SQLite driver (it removes rows with sqlite3, as someone with access to the
# files could): `shikaku audit verify` finds what a hash chain alone cannot — rows removed at
# the end of a chain, a look-up log removed (with or without its anchor), an anchor edited —
# each with its own outcome and exit code (docs/cli.md); an intact database verifies, exit 0.
# usage: test_audit_truncation.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "skipped: the SQLite shell (sqlite3) is not installed"; exit 77; }

db=$dir/t.db
demo_data "$db" 10
INST=$(tok institution)
start main "$db" || exit 1
IFS='|' read -r ins num br birth <<<"$(member_key "$db")"
q="{\"insurer_number\":\"$ins\",\"number\":\"$num\",\"branch\":\"$br\","
q="$q\"birthdate\":\"${birth:0:4}-${birth:4:2}-${birth:6:2}\"}"
for i in 1 2 3 4 5; do
    curl -s -o /dev/null -H "Authorization: Bearer $INST" -H 'Content-Type: application/json' \
        -d "$q" "http://127.0.0.1:$port/v1/eligibility"
done
kill -TERM "$pid"
wait "$pid" && ok || bad "the daemon's exit status on SIGTERM"

# verify CASE WANT_EXIT PATTERN: `audit verify` on a copy of the database as CASE left it
verify() {
    "$bin" audit verify --db "$dir/$1/t.db" >"$dir/$1.out" 2>"$dir/$1.err"
    local rc=$?
    [ "$rc" = "$2" ] && ok || { bad "$1: exit $rc, want $2"; cat "$dir/$1.out" "$dir/$1.err"; }
    has "$dir/$1.out" "$3" "$1"
}
copy() { rm -rf "${dir:?}/$1" && mkdir "$dir/$1" && cp "$db" "$db".* "$dir/$1/"; }

copy intact
verify intact 0 "^look-up log chain intact: 5 rows (anchored at row 5)"
has "$dir/intact.out" "^audit chain intact: [0-9]* rows (anchored at row [0-9]*)" "the registry's chain"
"$bin" audit list --db "$db" --action lookup_log.checkpoint >"$dir/cp"
has "$dir/cp" "lookup_log.checkpoint.*rows=5 last_id=5 hash=" "the registry recorded the log's head"

# the last row of the registry's chain removed
copy reg_last
last=$(sqlite3 "$dir/reg_last/t.db" "select max(id) from audit")
sqlite3 "$dir/reg_last/t.db" "delete from audit where id = $last"
verify reg_last 5 "^audit chain TRUNCATED: rows missing after id $((last - 1)): its anchor names $last rows"

# the last two rows of the look-up log removed
copy log_last
sqlite3 "$dir/log_last/t.db.lookups" "delete from audit where id >= 4"
verify log_last 5 "^look-up log chain TRUNCATED: rows missing after id 3: its anchor names 5 rows"

# every row of the look-up log removed (the file left empty)
copy log_empty
sqlite3 "$dir/log_empty/t.db.lookups" "delete from audit"
verify log_empty 5 "^look-up log chain TRUNCATED: rows missing after id 0"

# the look-up log's file removed: its anchor names its rows
copy log_gone
rm -f "$dir/log_gone/t.db.lookups" "$dir/log_gone/t.db.lookups-wal" "$dir/log_gone/t.db.lookups-shm"
verify log_gone 6 "^look-up log MISSING: .* its anchor names 5 rows up to id 5"

# the file and its anchor removed: the registry's chain recorded its head
copy log_and_anchor_gone
rm -f "$dir/log_and_anchor_gone/t.db.lookups"*
verify log_and_anchor_gone 6 "^look-up log MISSING: .* the registry recorded it at 5 rows up to id 5"

# the file and its anchor removed, and the daemon started again: a new log from row 1, its
# head recorded in turn — but the registry's furthest record of the log is not in it
copy log_restarted
rm -f "$dir/log_restarted/t.db.lookups"*
start again "$dir/log_restarted/t.db" || exit 1
for i in 1 2; do
    curl -s -o /dev/null -H "Authorization: Bearer $INST" -H 'Content-Type: application/json' \
        -d "$q" "http://127.0.0.1:$port/v1/eligibility"
done
kill -TERM "$pid"
wait "$pid" && ok || bad "the second daemon's exit status on SIGTERM"
verify log_restarted 5 "^look-up log chain TRUNCATED: rows missing after id 2: the registry's checkpoint of it names 5 rows"

# the registry's anchor edited (the last id set back by one, the MAC left as it was)
copy anchor_edited
sed -i 's/last_id=\([0-9]*\)\([0-9]\) /last_id=\1X /' "$dir/anchor_edited/t.db.anchor"
verify anchor_edited 7 "^audit chain ANCHOR FORGED .*does not verify"

# the look-up log's anchor with its MAC recomputed under another key (a forger without the key
# file): does not verify either
copy anchor_other_key
"$bin" init --db "$dir/other.db" >/dev/null
cp "$dir/other.db.anchor" "$dir/anchor_other_key/t.db.anchor"
verify anchor_other_key 7 "^audit chain ANCHOR FORGED"

# the registry's anchor removed: a chain with rows and no anchor
copy anchor_gone
rm -f "$dir/anchor_gone/t.db.anchor"
verify anchor_gone 7 "^audit chain ANCHOR MISSING"
finish
