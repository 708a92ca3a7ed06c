#!/usr/bin/env bash
# System test: the intake benchmark's harness (bench/intake/run.sh) end to end, one second per
# level — the residents prepared, the daemon, 1, 8 and 32 clients filing 資格取得届 and what
# the script reports. Not a measurement: every 届出 must be acknowledged without an error and
# find its resident in the 誤入力チェック, so the figures are of real registrations.
# usage: test_bench_intake.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

"$here/../../bench/intake/run.sh" 1 --build "$(dirname "$bin")" >"$dir/out" 2>"$dir/err"
[ $? -eq 0 ] && ok || bad "run.sh failed: $(tail -5 "$dir/err")"
has "$dir/out" "^disk fsync rate (4 KiB write + fsync, one thread): [0-9]*/s" "the fsync baseline"
for c in 1 8 32; do
    # clients acked/s x_fsync p50 p99 errors
    read -r _ rate _ _ _ errors <<<"$(awk -v c=$c '$1 == c' "$dir/out")"
    [ "${rate:-0}" -gt 0 ] && ok || bad "$c clients: no 届出 acknowledged"
    [ "${errors:-x}" = 0 ] && ok || bad "$c clients: $errors errors"
done
has "$dir/out" "^誤入力チェック verdicts: match [0-9]*$" "every 届出 found its resident"
finish
