#!/usr/bin/env bash
# bench/eligibility/ab.sh — A/B of two daemon binaries on the same data, alternating, so that a
# change can be told from this machine's noise (two runs of one build differ by ±15 %).
#   usage: bench/eligibility/ab.sh --db GENERATED_DB BIN_A BIN_B [--form v1|webapi|xml]
#          [--rounds N (default 3)] [--seconds S (default 5)]
# GENERATED_DB is a database written by bench_eligibility_gen (its keys in GENERATED_DB.keys);
# it is left as it is: each run serves a fresh copy, so neither side inherits the other's
# look-up log or WAL. Per run: start, 2 s of warm-up, S s of wrk -t2 -c32 with random keys,
# then req/s, p99 and the daemon's CPU time per request (/proc/PID/stat). Loopback only; the
# daemons are stopped on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
db="" form=v1 rounds=3 secs=5 bins=()
while [ $# -gt 0 ]; do
    case $1 in
    --db) db=$2; shift 2 ;;
    --form) form=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    -*) echo "usage: $0 --db DB BIN_A BIN_B [--form F] [--rounds N] [--seconds S]"; exit 2 ;;
    *) bins+=("$1"); shift ;;
    esac
done
[ -n "$db" ] && [ -f "$db" ] && [ -f "$db.keys" ] && [ ${#bins[@]} -eq 2 ] ||
    { echo "usage: $0 --db DB BIN_A BIN_B [--form v1|webapi|xml] [--rounds N] [--seconds S]"; exit 2; }
case $form in v1 | webapi | xml) ;; *) echo "form: v1, webapi or xml"; exit 2 ;; esac
command -v wrk >/dev/null || { echo "needs wrk: scripts/deps.sh bench"; exit 2; }
work=$(mktemp -d)
pid=""
cleanup() {
    set +e # a daemon that exits non-zero makes wait fail; the folder must still go
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
institution_copy "${bins[0]}" "$db" "$work/seed.db" ab

run() { # BIN → "req/s p99 cpu_us_per_request"
    rm -f "$work"/run.db*
    cp "$work/seed.db" "$work/run.db"
    cp "$work/seed.db.key" "$work/run.db.key"
    serve "$1" "$work/run.db" "$work/out" "$work/err"
    local url=http://127.0.0.1:$port auth=$token
    [ "$form" = webapi ] && auth=$(idtoken "$url" "$inst" "$token")
    cat "$work/run.db" >/dev/null
    wrk -t2 -c32 -d2s -s "$here/request.lua" "$url" -- "$db.keys" "$form" "$auth" "$inst" "$today" >/dev/null
    local c0 c1 out
    c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    out=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$here/request.lua" "$url" -- "$db.keys" "$form" \
        "$auth" "$inst" "$today")
    c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    awk -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 } /Requests\/sec/ { r = $2 } /^ +99%/ { p = $2 }
        /Non-2xx/ { bad = $5 }
        END { printf "%9.0f req/s  p99 %-9s  %6.1f us CPU per request%s\n", r, p,
              ticks * 1e6 / hz / n, bad ? "  NON-2xx " bad : "" }' <<<"$out"
}
echo "ab: $form, $rounds rounds of $secs s, A=${bins[0]} B=${bins[1]}"
for _ in $(seq 1 "$rounds"); do
    echo "A $(run "${bins[0]}")"
    echo "B $(run "${bins[1]}")"
done
