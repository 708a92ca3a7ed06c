#!/usr/bin/env bash
# System test: audit.durable_answers (issue 19 B.8). Under a stream of look-ups from four
# clients the daemon is killed with SIGKILL; every look-up a client got an answer (200) for is
# in the look-up log afterwards — each asked with a date of its own, so that each answer is
# matched to its row (on=YYYYMMDD). Without the mode, answers are sent before their rows are
# durable and a crash may lose the last flush interval's (docs/design/verify.md).
# usage: test_durable_answers.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults.sh"

db=$dir/d.db
fault_setup "$db"
# a long flush interval: without the mode, a crash would lose up to a second of rows
printf 'audit.durable_answers = true\naudit.flush_ms = 1000\n' >"$dir/d.conf"
start main "$db" --config "$dir/d.conf" || exit 1
url=http://127.0.0.1:$port
want "a first look-up" 200 "$(lookup)"

# client C asks with the dates C*3000 … C*3000+2999 days ago, one by one, and notes each date
# answered; it ends when the daemon is gone
client() {
    local c=$1 d code
    : >"$dir/answered.$c"
    seq $((c * 3000)) $((c * 3000 + 2999)) | sed 's/$/ days ago/' | TZ=Asia/Tokyo date -f - +%F |
        while read -r d; do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $INST" \
                -H 'Content-Type: application/json' -d "${Q%\}},\"confirmation_date\":\"$d\"}" \
                "$url/v1/eligibility")
            case $code in
            200) echo "${d//-/}" >>"$dir/answered.$c" ;;
            000) break ;; # the daemon is gone
            esac
        done
}
loaders=""
for c in 1 2 3 4; do
    client "$c" &
    loaders="$loaders $!"
done
sleep 2
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=""
# shellcheck disable=SC2086
wait $loaders
sort -u "$dir"/answered.? >"$dir/answered"
n=$(wc -l <"$dir/answered")
[ "$n" -gt 40 ] && ok || bad "only $n look-ups answered before the kill"
"$bin" audit list --db "$db" --lookups --action eligibility.lookup |
    sed -n 's/.* on=\([0-9]\{8\}\) .*/\1/p' | sort -u >"$dir/logged"
missing=$(comm -23 "$dir/answered" "$dir/logged" | wc -l)
[ "$missing" = 0 ] && ok || bad "$missing of $n answered look-ups are not in the log"
echo "durable answers: $n answered before kill -9, $missing missing from the log"
"$bin" audit verify --db "$db" >"$dir/av" && ok || bad "audit verify after the kill: $(cat "$dir/av")"
finish
