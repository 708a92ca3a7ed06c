#!/usr/bin/env bash
# System test: identity through the real daemon and CLI — the demo's resident register and its
# traps, the 誤入力チェック of a 届出 filed over HTTP (閲覧停止 seen by an institution, lifted by
# the insurer's 理由付き疑いなし), SIGHUP reload of the register, a report stopped by the operator,
# `shikaku work` and `shikaku identity`, and a daemon that refuses a bad register at start.
# usage: test_identity.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

db=$dir/i.db
demo_data "$db" 60
has "$dir/demo.txt" "resident register .*jlis.csv" "demo writes the register"
has "$dir/demo.txt" "mismatch (high risk)" "demo runs the 誤入力チェック"
[ "$(stat -c %a "$db.jlis.csv")" = 600 ] && ok || bad "register file is not 0600"
EMP=$(tok employer) INS=$(tok insurer) OP=$(tok operator) INST=$(tok institution)
INSNO=$(awk '$1 == "insurer" { print $2 }' "$dir/demo.txt")
J='Content-Type: application/json'

# the register must never show up in a log or an answer: take its numbers
cut -d, -f1 "$db.jlis.csv" | grep -E '^[0-9]{12}$' >"$dir/numbers"

start main "$db" || exit 1
url=http://127.0.0.1:$port
has "$dir/main.err" "誤入力チェック on" "the daemon loads the demo register"

# 1. a 届出 whose 5情報 differ from J-LIS in the birth date: registered, not shown
printf '400000000017,検査　一郎,ケンサ イチロウ,1980-05-05,1,東京都千代田区千代田1-1,,\n' >>"$db.jlis.csv"
kill -HUP "$pid"
for _ in $(seq 1 50); do grep -q "reloaded" "$dir/main.err" && break; sleep 0.1; done
has "$dir/main.err" "resident register reloaded" "SIGHUP reloads the register"
curl -s -H "Authorization: Bearer $EMP" -H "$J" "$url/v1/notifications" -d \
    '{"kind":"acquisition","name":"検査　一郎","kana":"ケンサ イチロウ","birthdate":"1980-05-06","sex":"1","address":"東京都千代田区千代田1-1","acquired_on":"2026-04-01","mynumber":"400000000017"}' \
    >"$dir/filed.json"
has "$dir/filed.json" '"state":"registered"' "the 届出 is registered"
has "$dir/filed.json" '"display_stopped":true' "a 生年月日 mismatch stops display at once"
IFS=$'\t' read -r sym num br <<<"$(/usr/bin/python3 -c '
import json, sys
q = json.load(open(sys.argv[1]))["qualification"]
print("\t".join([q["symbol"] or "", q["number"], q["branch"]]))' "$dir/filed.json")"
ask() {
    curl -s -H "Authorization: Bearer $INST" -H "$J" "$url/v1/eligibility" -d \
        "{\"insurer_number\":\"$INSNO\",\"symbol\":$([ -n "$sym" ] && echo "\"$sym\"" || echo null),\"number\":\"$num\",\"branch\":\"$br\",\"birthdate\":\"1980-05-06\"}"
}
ask >"$dir/elig1.json"
has "$dir/elig1.json" '"status":"display_stopped"' "the institution is not shown the record"
curl -s -H "Authorization: Bearer $INS" "$url/v1/work-items?state=open&kind=check_mismatch" >"$dir/items.json"
wi=$(/usr/bin/python3 -c '
import json, sys
for w in json.load(open(sys.argv[1]))["work_items"]:
    if w["detail"].get("differ") == "birthdate" and w["detail"].get("trigger") == "acquisition":
        print(w["id"]); break' "$dir/items.json")
[ -n "$wi" ] && ok || bad "no check_mismatch item for the birth-date mismatch: $(cat "$dir/items.json")"
curl -s -H "Authorization: Bearer $INS" -H "$J" "$url/v1/work-items/$wi:resolve" \
    -d '{"resolution":"no_suspicion","reason":"住民票で確認"}' >"$dir/r1.json"
has "$dir/r1.json" '"code":"documents_required"' "high risk needs documents"
curl -s -H "Authorization: Bearer $INS" -H "$J" "$url/v1/work-items/$wi:resolve" \
    -d '{"resolution":"no_suspicion","reason":"住民票の写しで確認、住基側の誤り","documents_verified":true}' >"$dir/r2.json"
has "$dir/r2.json" '"state":"resolved"' "cleared with a reason"
ask >"$dir/elig2.json"
has "$dir/elig2.json" '"code":"1"' "shown again after 理由付き疑いなし"

# 2. a report: the operator stops display at once, the insurer corrects
curl -s -H "Authorization: Bearer $INST" -H "$J" "$url/v1/reports" -d \
    "{\"insurer_number\":\"$INSNO\",\"symbol\":$([ -n "$sym" ] && echo "\"$sym\"" || echo null),\"number\":\"$num\",\"branch\":\"$br\",\"text\":\"別人の情報が表示された\"}" >"$dir/rep.json"
rid=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/rep.json")
[ -n "$rid" ] && ok || bad "report not accepted: $(cat "$dir/rep.json")"
curl -s -H "Authorization: Bearer $OP" -H "$J" "$url/v1/work-items/$rid:resolve" \
    -d '{"resolution":"stop","reason":"疑い高"}' >/dev/null
ask >"$dir/elig3.json"
has "$dir/elig3.json" '"status":"display_stopped"' "stopped on the operator's word"
"$bin" work list --db "$db" --as "insurer:$INSNO" --kind report_stop --state open >"$dir/cli.txt" 2>&1
has "$dir/cli.txt" "report_stop" "the CLI lists the insurer's report_stop"
rs=$(awk -F'\t' 'NR == 1 { print $1 }' "$dir/cli.txt")
"$bin" work resolve "$rs" --db "$db" --as operator --resolution corrected --reason x >"$dir/cli2.txt" 2>&1
[ $? -ne 0 ] && ok || bad "the operator resolved the insurer's item"
"$bin" work resolve "$rs" --db "$db" --as "insurer:$INSNO" --resolution corrected \
    --reason "記号番号の紐付けを訂正" >"$dir/cli3.txt" 2>&1 && ok || bad "CLI resolve failed: $(cat "$dir/cli3.txt")"
ask >"$dir/elig4.json"
has "$dir/elig4.json" '"code":"1"' "shown again after the correction"

# the bulk 理由付き疑いなし from the CLI: every open check_mismatch of the insurer at once
ids=$("$bin" work list --db "$db" --as "insurer:$INSNO" --kind check_mismatch --state open | cut -f1 | paste -sd,)
[ -n "$ids" ] && ok || bad "the demo left no open check_mismatch for the insurer"
"$bin" work resolve "$ids" --db "$db" --as "insurer:$INSNO" --resolution no_suspicion \
    --reason "一括確認: 表記ゆれ・転居の届出あり" --documents-verified yes >"$dir/cli4.txt" 2>&1 &&
    ok || bad "bulk resolve failed: $(cat "$dir/cli4.txt")"
[ -z "$("$bin" work list --db "$db" --as "insurer:$INSNO" --kind check_mismatch --state open)" ] &&
    ok || bad "open items left after the bulk resolve"

# 3. nothing of the register's numbers leaks into answers or logs
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
leak=$(cat "$dir"/*.json "$dir/main.err" "$dir/main.out" "$dir"/cli*.txt | grep -c -F -f "$dir/numbers")
[ "$leak" -eq 0 ] && ok || bad "$leak line(s) carry a resident's My Number"

# 4. the CLI re-check and register check; a bad register refuses to start
"$bin" identity check-all --db "$db" >"$dir/all.txt" 2>&1 && ok || bad "check-all failed"
has "$dir/all.txt" "checked [0-9]* persons" "check-all counts"
"$bin" identity jlis-check "$db.jlis.csv" >"$dir/jc.txt" 2>&1 && ok || bad "jlis-check failed"
printf 'mynumber,name\n' >"$dir/bad.csv"
"$bin" identity jlis-check "$dir/bad.csv" >"$dir/jc2.txt" 2>&1
[ $? -eq 3 ] && ok || bad "a bad register is not exit 3"
has "$dir/jc2.txt" "jlis_file" "the error names its code"
printf 'identity.jlis_file = %s\n' "$dir/bad.csv" >"$dir/bad.conf"
"$bin" serve --db "$db" --listen 127.0.0.1:0 --config "$dir/bad.conf" >"$dir/bad.out" 2>"$dir/bad.err"
[ $? -eq 3 ] && ok || bad "the daemon started with a bad register"
has "$dir/bad.err" "lacks column" "the daemon names the bad register"
finish
