#!/usr/bin/env bash
# bench/soak — memory and the look-up log over time under a mixed load (issue 19 B11): a demo
# registry of PERSONS persons, wrk look-ups (OQS /v1 form, 8 connections, random members) and
# one client filing 資格取得届 (bench_intake), for MINUTES; the daemon's RSS (VmRSS) and the
# look-up log's size are sampled every 10 s. Verdict: RSS growth after warm-up (the median of
# the last fifth of the samples against the median of the second fifth) under 5 %.
# usage: bench/soak/run.sh [MINUTES (default 30)] [--persons N (default 2000)] [--build DIR]
#   (make bench-soak). Loopback only; bounded by MINUTES; the daemon is stopped on exit.
# Prints one line per sample (elapsed s, RSS MiB, anon MiB, look-up log MiB, look-ups, 届出) and
# the verdict; keeps the samples in build/bench-soak.csv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
minutes=30 persons=2000 build=$root/build/normal
while [ $# -gt 0 ]; do
    case $1 in
    --persons) persons=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *[!0-9]* | '') echo "usage: $0 [MINUTES] [--persons N] [--build DIR]"; exit 2 ;;
    *) minutes=$1; shift ;;
    esac
done
bin=$build/shikaku
load=$build/bench_intake
[ -x "$bin" ] && [ -x "$load" ] || { echo "build first: make build"; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk: scripts/deps.sh bench"; exit 2; }
. "$root/bench/eligibility/lib.sh"
work=$(mktemp -d "$root/build/bench-soak.XXXXXX")
pid="" wpid="" ipid=""
cleanup() {
    set +e
    for p in $wpid $ipid; do kill "$p" 2>/dev/null; done
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
secs=$((minutes * 60))
"$bin" demo --db "$work/s.db" --persons "$persons" >"$work/demo.txt"
emp=$(awk '$1 == "employer" { print $3 }' "$work/demo.txt")
inst=$(awk '$1 == "institution" { print $2 }' "$work/demo.txt")
itok=$(awk '$1 == "institution" { print $3 }' "$work/demo.txt")
today=$(TZ=Asia/Tokyo date +%Y%m%d)
# the members a clinic can look up today: insurer, symbol, number, branch, birth date
"$bin" member list --db "$work/s.db" --registered |
    awk -F'\t' 'NR > 1 && $4 != "-" { s = $2 == "-" ? "" : $2; print $1 "\t" s "\t" $3 "\t" $4 "\t" $5 }' >"$work/keys"
[ -s "$work/keys" ] || { echo "no members to look up"; exit 1; }
# bench_intake runs at most 120 s: one run per 120 s segment, each with its own serials, whose
# persons are in the resident register, so that their 誤入力チェック matches
segs=$(((secs + 119) / 120))
for i in $(seq 0 $((segs - 1))); do
    "$load" --register "$work/s.db.jlis.csv" $((1 + i * 1000000000)) 1 $((400 * 120 + 1000))
done
serve "$bin" "$work/s.db" "$work/serve.out" "$work/serve.err"
url=http://127.0.0.1:$port
wrk -t2 -c8 -d"${secs}s" -s "$root/bench/eligibility/request.lua" "$url" -- "$work/keys" v1 "$itok" \
    "$inst" "$today" >"$work/wrk.out" 2>&1 &
wpid=$!
(
    left=$secs
    for i in $(seq 0 $((segs - 1))); do
        s=$((left < 120 ? left : 120))
        "$load" "$port" "$emp" "$s" 1 $((1 + i * 1000000000))
        left=$((left - s))
    done
) >"$work/intake.out" 2>&1 &
ipid=$!
out=$root/build/bench-soak.csv
echo "elapsed_s,rss_mib,anon_mib,lookup_log_mib,lookups,notifications" >"$out"
echo "bench/soak: $minutes min, $persons persons, $(wc -l <"$work/keys") members to look up; samples in $out"
printf '%9s %9s %9s %12s\n' elapsed_s rss_mib anon_mib log_mib
start=$(date +%s)
while :; do
    sleep 10
    now=$(($(date +%s) - start))
    [ -r /proc/$pid/status ] || { echo "the daemon died"; cat "$work/serve.err" | tail -20; exit 1; }
    rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
    anon=$(awk '/^RssAnon:/ { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
    logm=$(du -sm "$work/s.db.lookups"* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    echo "$now,$rss,$anon,$logm,," >>"$out"
    printf '%9s %9s %9s %12s\n' "$now" "$rss" "$anon" "$logm"
    [ "$now" -ge "$secs" ] && break
done
wait "$wpid" 2>/dev/null || true
wait "$ipid" 2>/dev/null || true
wpid="" ipid=""
reqs=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.out")
filed=$(sed -n 's/.*acked=\([0-9]*\).*/\1/p' "$work/intake.out" | awk '{ s += $1 } END { if (NR) print s }')
lookups=$("$bin" audit list --db "$work/s.db" --lookups --count 2>/dev/null || echo "?")
logbytes=$(du -sb "$work/s.db.lookups"* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
echo "look-ups answered: ${reqs:-?} (refused, e.g. 503 while the look-up log's queue was full: ${non2xx:-0}); in the look-up log: $lookups; 届出 filed: ${filed:-?}"
[ -n "$filed" ] || { echo "bench_intake:"; cat "$work/intake.out"; }
[ "$lookups" != "?" ] && [ "$lookups" -gt 0 ] &&
    echo "look-up log: $logbytes bytes, $(awk -v b="$logbytes" -v n="$lookups" 'BEGIN { printf "%.0f", b / n }') bytes per look-up ($(awk -v b="$logbytes" -v n="$lookups" 'BEGIN { printf "%.0f", b / n * 1e6 / 1048576 }') MiB per million)"
awk -F, 'NR > 1 { r[++n] = $3 } END {
    if (n < 10) { print "too few samples for a verdict"; exit 0 }
    a = int(n / 5); b = int(2 * n / 5); c = int(4 * n / 5)
    m1 = med(r, a + 1, b); m2 = med(r, c + 1, n)
    g = (m2 - m1) / m1 * 100
    printf "anonymous memory after warm-up: %.1f MiB → %.1f MiB (%+.1f %%); goal < 5 %%: %s\n", m1, m2, g, g < 5 ? "met" : "NOT met"
}
function med(x, lo, hi,   k, i, j, t, y) {
    k = 0; for (i = lo; i <= hi; i++) y[++k] = x[i]
    for (i = 2; i <= k; i++) { t = y[i]; for (j = i - 1; j > 0 && y[j] > t; j--) y[j + 1] = y[j]; y[j + 1] = t }
    return k % 2 ? y[(k + 1) / 2] : (y[k / 2] + y[k / 2 + 1]) / 2
}' "$out"
