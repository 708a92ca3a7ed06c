#!/usr/bin/env bash
# Fault test: the database's folder is removed while the daemon runs (issue 19 B.6). The daemon
# keeps answering look-ups from the files it has open and /healthz; a 届出 is refused with 503
# db_missing (never written into files no longer the database's); /readyz says db_missing;
# SIGTERM ends within 10 s with exit 8, naming the look-ups answered whose rows were lost, and
# the log stays small (before the fix, the writer looped on stop writing ~4 MB/s).
# usage: test_fault_db_removed.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults.sh"

mkdir -p "$dir/D"
db=$dir/D/f.db
fault_setup "$db"
start main "$db" || exit 1
want "look-up before" 200 "$(lookup)"
want "届出 before" 201 "$(file_one)"
want "ready before" 200 "$(ready)"

rm -rf "$dir/D"
want "healthz" 200 "$(healthy)"
for i in 1 2 3 4 5; do want "look-up $i without the folder" 200 "$(lookup)" "$dir/look" '"validity"'; done
refused "a 届出 without the folder" "$(file_one)" file db_missing
refused "readyz without the folder" "$(ready)" ready db_missing
sleep 0.5 # the writer has tried (and failed) meanwhile
stop_within
want "exit status after lost rows" 8 "$stop_rc"
[ "$stop_s" -le "$STOP_MAX" ] && ok || bad "stopping took $stop_s s"
n=$(sed -n 's/^shikaku serve: \([0-9]*\) look-up(s) were answered but their audit rows could not be written.*/\1/p' "$dir/main.err")
[ -n "$n" ] && [ "$n" -ge 5 ] && ok || bad "the rows not written are not named ($n)"
has "$dir/main.err" "lookup audit: .* answered but not recorded.*db_missing" "the log names the cause"
quiet_log "$dir/main.err"
finish
