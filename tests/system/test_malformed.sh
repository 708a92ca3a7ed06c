#!/usr/bin/env bash
# System test: the malformed-input suite (issue 19 B) — every case of tests/data/malformed/
# cases.tsv is sent to one daemon as raw bytes and must get its documented refusal (status,
# code, field; or libmicrohttpd's own HTML page, or a closed connection, where docs/errors.md
# says so) and write nothing: the audit rows are counted through `shikaku` after every case
# that could write (every write is audited in its transaction), and at the end the 届出, the
# persons the cases name and the look-up log.
# usage: test_malformed.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
cases=$here/../data/malformed/cases.tsv

db=$dir/m.db
demo_data "$db" 30
EMP=$(tok employer) INS=$(tok insurer) OP=$(tok operator) INST=$(tok institution)
PER=$(tok person) INSNO=$(scope insurer) PERSON=$(scope person)
# another employer of the same insurer, and another insurer, for the scope cases
EMP2=$("$bin" user add --db "$db" --role employer --scope 2 | tail -1)
INS2=$("$bin" user add --db "$db" --role insurer --scope 06130017 | tail -1)
# a short header deadline, so that the slow-head cases take about a second
SHIKAKU_HTTP_HEADER_TIMEOUT_S=1 start main "$db" || exit 1
url=http://127.0.0.1:$port

# what the cases refer to: a registered 届出 of employer 1 and its person, a pending one
post() {
    curl -s --max-time 10 -X POST "$url/v1/notifications" -H "Authorization: Bearer $EMP" \
        -H 'Content-Type: application/json' --data-binary "$1"
}
post '{"kind":"acquisition","name":"下地　一郎","kana":"シタジ イチロウ","birthdate":"1980-05-05","sex":"1","address":"東京都港区1-1","acquired_on":"2026-04-01","mynumber":"400000000017"}' >"$dir/n1.json"
N1=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/n1.json")
TARO=$(sed -n 's/.*"person":"\([0-9a-f]*\)".*/\1/p' "$dir/n1.json")
post '{"kind":"acquisition","name":"下地　二郎","kana":"シタジ ジロウ","birthdate":"1981-06-06","sex":"1","address":"東京都港区1-1","acquired_on":"2026-04-01"}' >"$dir/np.json"
NP=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/np.json")
grep -q '"state":"pending_my_number"' "$dir/np.json" && [ -n "$N1" ] && [ -n "$TARO" ] && ok ||
    bad "setup: $(cat "$dir/n1.json" "$dir/np.json")"
WI=$(curl -s "$url/v1/work-items?state=open" -H "Authorization: Bearer $INS" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["work_items"][0]["id"])')
[ -n "$WI" ] && ok || bad "setup: no open work item of the insurer"
/usr/bin/python3 -c 'import json, sys; print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:])))' \
    "EMP=$EMP" "EMP2=$EMP2" "INS=$INS" "INS2=$INS2" "OP=$OP" "INST=$INST" "PER=$PER" \
    "INSNO=$INSNO" "PERSON=$PERSON" "TARO=$TARO" "N1=$N1" "NP=$NP" "WI=$WI" >"$dir/vars.json"

lookups() { "$bin" audit list --db "$db" --lookups --count; }
before_lookups=$(lookups)
/usr/bin/python3 "$here/malformed.py" "$cases" "$port" "$dir/vars.json" "$bin" "$db" \
    >"$dir/run.txt" 2>&1 && ok || bad "malformed requests: $(grep -c '^FAIL' "$dir/run.txt") wrong"
grep '^FAIL' "$dir/run.txt" | head -40
tail -1 "$dir/run.txt"
total=$(sed -n 's/^\([0-9]*\) malformed requests.*/\1/p' "$dir/run.txt")
[ "${total:-0}" -ge 200 ] && ok || bad "the suite has ${total:-0} cases, fewer than 200"

# nothing behind the answers: no person of the cases' names, no look-up logged (the writer
# flushes within audit.flush_ms), and the daemon still answers
for name in 不正　太郎 不正　花子; do
    [ "$("$bin" person list --db "$db" --name "$name" --count)" = 0 ] && ok ||
        bad "a person $name was stored"
done
sleep 0.3
[ "$(lookups)" = "$before_lookups" ] && ok || bad "look-ups were logged: $before_lookups -> $(lookups)"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] && ok || bad "the daemon died"
kill -TERM "$pid" && wait "$pid" && ok || bad "the daemon did not stop cleanly"
finish
