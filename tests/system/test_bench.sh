#!/usr/bin/env bash
# System test: the eligibility benchmark's harness (bench/eligibility/run.sh) end to end on a
# small generated registry, one second per form — the generator, the daemon, the look-ups in
# the three forms, the nginx baseline and what the script reports. Not a measurement: it
# checks that every look-up the benchmark sends is answered 2xx on both sides, so the figures
# the script prints are of real answers.
# usage: test_bench.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
for t in wrk nginx; do
    command -v $t >/dev/null || PATH=$PATH:/usr/sbin
    command -v $t >/dev/null || { bad "$t is not installed (scripts/deps.sh installs it)"; finish; exit; }
done

"$here/../../bench/eligibility/run.sh" --build "$(dirname "$bin")" --persons 3000 \
    --db "$dir/e.db" --seconds 1 >"$dir/out" 2>"$dir/err"
[ $? -eq 0 ] && ok || bad "run.sh failed: $(tail -5 "$dir/err")"
has "$dir/out" "3000 persons, 32 connections, 1 s per run" "the header"
for form in v1 webapi xml; do
    # form req/s p50 p99 <=5ms% non2xx | nginx/s p50 p99 | ratio goal (size N B)
    line=$(awk -v f=$form '$1 == f' "$dir/out")
    read -r _ r _ _ inside bad_ _ nr _ _ _ ratio _ <<<"$line"
    [ "${r:-0}" -gt 0 ] && [ "${nr:-0}" -gt 0 ] && ok || bad "$form: no rate on one side: $line"
    [ "$bad_" = 0 ] && ok || bad "$form: $bad_ answers were not 2xx: $line"
    awk -v v="$inside" 'BEGIN { exit !(v >= 0 && v <= 100) }' && ok || bad "$form: <=5ms% '$inside'"
    awk -v v="$ratio" -v a="$r" -v b="$nr" 'BEGIN { exit !(v > 0 && (v - a / b) ^ 2 < 0.0001) }' &&
        ok || bad "$form: ratio '$ratio' is not $r / $nr"
done
has "$dir/out" "^daemon peak RSS: [0-9]* MiB" "peak RSS"
has "$dir/out" "0 failed batches" "the look-up log's batches"
n=$(sed -n 's/^look-ups audited: \([0-9]*\) .*/\1/p' "$dir/out")
[ "${n:-0}" -gt 0 ] && ok || bad "no look-up audited: $(grep audited "$dir/out")"
ls "$dir"/e.db.part.* >/dev/null 2>&1 && bad "a generation part was left behind" || ok
finish
