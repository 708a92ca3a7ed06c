#!/usr/bin/env bash
# bench/intake — acknowledged 資格取得届 per second at 1, 8 and 32 concurrent clients against
# the real daemon (loopback, a fresh database in a temporary directory on the same disk as the
# build), printed beside the disk's fsync rate measured in the same run. Each 届出 carries a
# valid My Number, so each one is registered (numbered, audited) and durable before its 201.
# usage: bench/intake/run.sh [SECONDS_PER_LEVEL (default 5)] [--build DIR (default build/normal)]
#                                                                 (make bench-intake)
# Bounded: 3 levels × SECONDS, loopback only; the daemon is stopped on exit.
# The persons filed are written into the demo's resident register first, so each 届出's
# 個人番号誤入力チェック finds its resident (一致), as in production; the verdicts are counted at
# the end (any not_found means a level filed more than was prepared: raise PER_CLIENT).
# BENCH_NO_JLIS=1 runs without a resident register (no 誤入力チェック): the check's cost is the
# difference between the two, measured back to back.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=5 build=$root/build/normal
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    *[!0-9]* | '') echo "usage: $0 [SECONDS_PER_LEVEL] [--build DIR]"; exit 2 ;;
    *) secs=$1; shift ;;
    esac
done
bin=$build/shikaku
load=$build/bench_intake
[ -x "$bin" ] && [ -x "$load" ] || { echo "build first: make build"; exit 2; }
work=$(mktemp -d "$root/build/bench-intake.XXXXXX")
pid=""
cleanup() { # set +e: a daemon that exits non-zero makes wait fail; the folder must still go
    set +e
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" demo --db "$work/b.db" --persons 50 >"$work/demo.txt"
token=$(awk '$1 == "employer" { print $3 }' "$work/demo.txt")
base=1
for c in 1 8 32; do # serial bases as in the loop below
    per=$((9000 * secs / c + 1000))
    "$load" --register "$work/b.db.jlis.csv" "$base" "$c" "$per"
    base=$((base + 1000000000))
done
[ "${BENCH_NO_JLIS:-0}" = 1 ] && rm -f "$work/b.db.jlis.csv"
"$bin" serve --db "$work/b.db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/serve.out")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { cat "$work/serve.err"; exit 1; }
echo "bench/intake: $(nproc) cores, $secs s per level, database in $work"
fs=$("$load" --fsync "$work" 2 | sed 's/fsync_rate=\([0-9]*\).*/\1/')
echo "disk fsync rate (4 KiB write + fsync, one thread): $fs/s"
printf '%-8s %10s %12s %9s %9s %7s\n' clients 'acked/s' 'x fsync rate' p50_ms p99_ms errors
base=1
for c in 1 8 32; do
    line=$("$load" "$port" "$token" "$secs" "$c" "$base")
    base=$((base + 1000000000))
    rate=$(sed 's/.*rate=\([0-9]*\).*/\1/' <<<"$line")
    p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<<"$line")
    p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")
    err=$(sed 's/.*errors=\([0-9]*\).*/\1/' <<<"$line")
    printf '%-8s %10s %12s %9s %9s %7s\n' "$c" "$rate" "$(awk -v r="$rate" -v f="$fs" 'BEGIN { printf "%.2f", r / f }')" "$p50" "$p99" "$err"
done
echo "誤入力チェック verdicts: $(sqlite3 "$work/b.db" "select group_concat(verdict || ' ' || n, ', ') from (select verdict, count(*) n from identity_status where trigger = 'acquisition' group by verdict)" 2>/dev/null || echo '?')"
echo "goal: >= 5000 acknowledged/s at 32 clients (issue #3)"
