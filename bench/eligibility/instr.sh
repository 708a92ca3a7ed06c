#!/usr/bin/env bash
# bench/eligibility/instr.sh — instructions per request of one daemon binary, counted by
# callgrind: a figure that hardly moves with this machine's noise (runs agree within about 2 %,
# where req/s move by ±15 %; the keys come in a fixed order), for comparing two builds on small
# changes.
#   usage: bench/eligibility/instr.sh --db GENERATED_DB BIN [--form v1|webapi|xml] [--seconds S]
# GENERATED_DB is a database written by bench_eligibility_gen (keys in GENERATED_DB.keys); a
# fresh copy is served. The daemon runs under valgrind with counting off; 3 s of wrk -t1 -c4
# warm it up, then counting is on for S s (default 8) of the same load; the total is divided by
# the requests wrk completed. Counts all threads (the look-up log writer too) and user space
# only: the kernel's share and cache misses are not in it, and memset by `rep stosb` counts
# one instruction per byte — read it beside ab.sh, not instead of it. Loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
db="" form=v1 secs=8 bin=""
usage() { echo "usage: $0 --db DB BIN [--form v1|webapi|xml] [--seconds S]"; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    --db) db=$2; shift 2 ;;
    --form) form=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    -*) usage ;;
    *) bin=$1; shift ;;
    esac
done
[ -n "$db" ] && [ -f "$db" ] && [ -f "$db.keys" ] && [ -n "$bin" ] || usage
case $form in v1 | webapi | xml) ;; *) usage ;; esac
for t in wrk valgrind callgrind_control callgrind_annotate; do
    command -v $t >/dev/null || { echo "needs $t: scripts/deps.sh bench"; exit 2; }
done
work=$(mktemp -d)
vpid=""
cleanup() {
    set +e # a daemon that exits non-zero makes wait fail; the folder must still go
    [ -n "$vpid" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
institution_copy "$bin" "$db" "$work/run.db" instr
SHIKAKU_LOG_LEVEL=warn valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$work/callgrind.%p" "$bin" serve --db "$work/run.db" \
    --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
vpid=$!
wait_port "$work/out" "$work/err" 60 # valgrind starts slowly
url=http://127.0.0.1:$port auth=$token
[ "$form" = webapi ] && auth=$(idtoken "$url" "$inst" "$token")
load() {
    wrk -t1 -c4 -d"$1" -s "$here/request.lua" "$url" -- "$db.keys" "$form" "$auth" "$inst" \
        "$today" "$2"
}
load 3s 1 >/dev/null
callgrind_control -i on "$vpid" >/dev/null 2>&1
n=$(load "${secs}s" 2 | awk '/requests in/ { print $1 }')
sleep 1.5 # the look-up log writer's last batch
callgrind_control -d "$vpid" >/dev/null 2>&1
callgrind_control -i off "$vpid" >/dev/null 2>&1 # not the shutdown
kill "$vpid"
wait "$vpid" 2>/dev/null || true
vpid=""
# the explicit dump (".1"); the one at exit, after counting went off, is not a count
total=$(callgrind_annotate "$work"/callgrind.*.1 2>/dev/null |
    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
[ "${n:-0}" -gt 0 ] && [ -n "$total" ] || { echo "no requests completed or no count"; exit 1; }
echo "$form: $n requests, $((total / n)) instructions per request ($bin)"
