#!/usr/bin/env bash
# System test: the /v1 API as documented — real responses of the daemon (successes and
# errors of every operation) are checked against docs/api/openapi.yaml by openapi_check.py.
# usage: test_openapi.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
spec=$here/../../docs/api/openapi.yaml

db=$dir/o.db
demo_data "$db" 30
EMP=$(tok employer) INS=$(tok insurer) OP=$(tok operator) INST=$(tok institution)
INSNO=$(scope insurer)
INS2=$("$bin" user add --db "$db" --role insurer --scope 06130017 | tail -1)
start main "$db" || exit 1
url=http://127.0.0.1:$port
mkdir -p "$dir/ex"
n=0
cap() { # cap METHOD PATH [curl args…]: one exchange into ex/N.meta + ex/N.body
    local m=$1 p=$2
    shift 2
    n=$((n + 1))
    local out
    out=$(curl -s -X "$m" -o "$dir/ex/$n.body" -w '%{http_code} %{content_type}' --max-time 10 \
        "$url$p" "$@")
    echo "$m $p $out" >"$dir/ex/$n.meta"
}
J='Content-Type: application/json'
taro='"name":"仕様　太郎","kana":"シヨウ タロウ","birthdate":"1990-04-01","sex":"1","address":"東京都","acquired_on":"2026-04-01"'
cap GET /healthz
cap GET /readyz
cap GET /metrics
cap GET /v1/whoami -H "Authorization: Bearer $EMP"
cap GET /v1/whoami
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -H 'Idempotency-Key: o1' \
    -d "{\"kind\":\"acquisition\",$taro,\"mynumber\":\"400000000017\",\"certificate\":true}"
id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/ex/$n.body")
per=$(sed -n 's/.*"person":"\([0-9a-f]*\)".*/\1/p' "$dir/ex/$n.body")
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -H 'Idempotency-Key: o1' \
    -d "{\"kind\":\"acquisition\",$taro,\"mynumber\":\"400000000017\",\"certificate\":true}"
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" \
    -d "{\"kind\":\"dependent_add\",\"insured\":\"$per\",\"name\":\"仕様　花子\",\"kana\":\"シヨウ ハナコ\",\"birthdate\":\"2001-01-01\",\"sex\":\"2\",\"address\":\"東京都\",\"acquired_on\":\"2026-04-01\"}"
dep=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/ex/$n.body")
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -d '{"kind":'
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -d '{"kind":"hire"}'
cap POST /v1/notifications -H "Authorization: Bearer $INST" -H "$J" -d '{"kind":"loss"}'
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" \
    -d "{\"kind\":\"acquisition\",$taro,\"mynumber\":\"400000000017\"}"
cap POST /v1/notifications -H "$J" -d '{}'
cap POST /v1/notifications:batch -H "Authorization: Bearer $EMP" -H "$J" \
    -d "{\"notifications\":[{\"kind\":\"acquisition\",$taro,\"idempotency_key\":\"ob\"},{\"kind\":\"loss\"}]}"
cap POST /v1/notifications:batch -H "Authorization: Bearer $EMP" -H "$J" -d '{"x":1}'
cap GET "/v1/notifications/$id" -H "Authorization: Bearer $EMP"
cap GET "/v1/notifications/$id" -H "Authorization: Bearer $INST"
cap GET /v1/notifications/999999 -H "Authorization: Bearer $OP"
cap GET /v1/notifications/abc -H "Authorization: Bearer $OP"
has "$dir/ex/$n.body" '"code":"query","field":"id"' "a malformed id is a query error"
cap GET "/v1/notifications/$id" -H "Authorization: Bearer $INS2" # another insurer: 404
cap POST /v1/notifications:batch -H "Authorization: Bearer $INST" -H "$J" -d '[{"kind":"loss"}]'
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -d '{"kind":"acquisition","name":true}'
has "$dir/ex/$n.body" '"code":"field_type","field":"name"' "a boolean name is a field_type"
cap POST /v1/notifications -H "Authorization: Bearer $EMP" -H "$J" -H $'Idempotency-Key: a\tb' -d '{}'
has "$dir/ex/$n.body" '"code":"header","field":"Idempotency-Key"' "a TAB in a header is refused"
cap POST "/v1/notifications/$dep:reject" -H "Authorization: Bearer $INS" -H "$J" \
    -d '{"reason":"続柄の確認書類がありません"}'
cap POST "/v1/notifications/$dep:reject" -H "Authorization: Bearer $INS" -H "$J" -d '{"reason":1}'
cap POST "/v1/notifications/$dep:withdraw" -H "Authorization: Bearer $EMP"
cap POST "/v1/notifications/$id:withdraw" -H "Authorization: Bearer $INS"
cap GET "/v1/persons/$per" -H "Authorization: Bearer $INS"
cap GET "/v1/persons/$per" -H "Authorization: Bearer $INST"
cap GET /v1/persons/0123456789abcdef0123456789abcdef -H "Authorization: Bearer $OP"
cap GET /v1/persons/abc -H "Authorization: Bearer $OP"
cap POST "/v1/notifications/$dep:withdraw" -H "Authorization: Bearer $OP"
cap POST /v1/notifications/abc:withdraw -H "Authorization: Bearer $EMP"
cap POST /v1/notifications/999999:reject -H "Authorization: Bearer $INS" -H "$J" -d '{"reason":"x"}'
cap GET "/v1/insurers/$INSNO/notifications?limit=3" -H "Authorization: Bearer $INS"
has "$dir/ex/$n.body" '"notifications":\[{"id":' "the insurer's 届出 are listed"
cap GET "/v1/insurers/$INSNO/notifications?state=invalid" -H "Authorization: Bearer $INS"
has "$dir/ex/$n.body" '"state":"invalid"' "the rejected 届出 is listed by its state"
cap GET "/v1/insurers/$INSNO/notifications?state=lost" -H "Authorization: Bearer $INS"
has "$dir/ex/$n.body" '"code":"query","field":"state"' "an unknown state is a query error"
cap GET "/v1/insurers/$INSNO/notifications" -H "Authorization: Bearer $EMP"
cap GET "/v1/insurers/06130017/notifications" -H "Authorization: Bearer $INS"
cap GET "/v1/insurers/$INSNO/members?as_of=2026-04-01&limit=5" -H "Authorization: Bearer $INS"
cap GET "/v1/insurers/$INSNO/members?as_of=2026-04-99" -H "Authorization: Bearer $INS"
cap GET "/v1/insurers/06130017/members" -H "Authorization: Bearer $INS"
cap GET "/v1/insurers/06130017/members" -H "Authorization: Bearer $OP"
# eligibility: the first member of the page above, asked by an institution
members_body=$dir/ex/$((n - 3)).body
elig=$(/usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["members"][0]
q = m["qualification"]
print(json.dumps({"insurer_number": q["insurer"], "symbol": q["symbol"] or None,
                  "number": q["number"], "branch": q["branch"] or None,
                  "birthdate": m["birthdate"], "limit_consent": True}))' "$members_body")
cap POST /v1/eligibility -H "Authorization: Bearer $INST" -H "$J" -d "$elig"
grep -q '"code":"1"' "$dir/ex/$n.body" && ok || bad "eligibility of a member is not valid: $(cat "$dir/ex/$n.body")"
# the same question with escapes (read by jansson, not the one-pass fast path) gets the same
# answer; what the fast path declines is refused exactly as before
escaped=$(/usr/bin/python3 -c '
import json, sys
q = json.loads(sys.argv[1])
print(json.dumps(q, ensure_ascii=True).replace(q["number"], "".join("\\u%04x" % ord(c) for c in q["number"]), 1))' "$elig")
curl -s -H "Authorization: Bearer $INST" -H "$J" "$url/v1/eligibility" -d "$elig" >"$dir/fast.json"
curl -s -H "Authorization: Bearer $INST" -H "$J" "$url/v1/eligibility" -d "$escaped" >"$dir/slow.json"
case "$escaped" in *'\u'*) ok ;; *) bad "no escape in $escaped" ;; esac
cmp -s "$dir/fast.json" "$dir/slow.json" && ok || bad "escaped and plain questions answered differently"
for body in '{"insurer_number":"01130012","insurer_number":"01130012","number":"1","birthdate":"1990-04-01"}|bad_json' \
    '{"insurer_number":"01130012","number":"1","birthdate":"1990-04-01","limit_consent":"true"}|field_type' \
    '{"insurer_number":"01130012","number":1,"birthdate":"1990-04-01"}|field_type' \
    '{"insurer_number":"01130012","number":"1","birthdate":"1990-04-01","extra":null}|unknown_field' \
    '{"insurer_number":"01130012","number":"1","birthdate":"1990-04-01"} x|bad_json'; do
    code=$(curl -s -H "Authorization: Bearer $INST" -H "$J" "$url/v1/eligibility" -d "${body%|*}" |
        sed -n 's/.*"code":"\([a-z_]*\)".*/\1/p')
    [ "$code" = "${body##*|}" ] && ok || bad "body ${body%|*}: code $code, want ${body##*|}"
done
cap POST /v1/eligibility -H "Authorization: Bearer $INST" -H "$J" \
    -d '{"insurer_number":"01130012","number":"999999","birthdate":"1990-04-01"}'
cap POST /v1/eligibility -H "Authorization: Bearer $INST" -H "$J" -d '{"insurer_number":'
cap POST /v1/eligibility -H "Authorization: Bearer $INST" -H "$J" \
    -d '{"insurer_number":"01130013","number":"1","birthdate":"1990-04-01"}'
cap POST /v1/eligibility -H "Authorization: Bearer $INS" -H "$J" -d "$elig"
cap POST /v1/eligibility -H "$J" -d "$elig"
# 特定疾病療養受療証 on one of the insurer's registered members
# (記号, 番号, 枝番 and birth date of the first registered member in force today that is not
# the one the eligibility questions ask about: this one's display is stopped below)
"$bin" member list --db "$db" --insurer "$INSNO" --registered >"$dir/members.tsv"
asked=$(/usr/bin/python3 -c '
import json, sys
q = json.loads(sys.argv[1])
print("\t".join([q["symbol"] or "-", q["number"], q["branch"] or "-"]))' "$elig")
IFS=$'\t' read -r _ dsym dnum dbr dbirth _ < <(awk -F'\t' -v asked="$asked" '
    NR > 1 && $2 "\t" $3 "\t" $4 != asked { print; exit }' "$dir/members.tsv")
[ "$dsym" = - ] && dsym=
[ -n "$dnum" ] && ok || bad "no registered member besides the one asked about"
dc="\"number\":\"$dnum\",\"branch\":\"$dbr\",\"symbol\":$([ -n "$dsym" ] && echo "\"$dsym\"" || echo null)"
cap POST "/v1/insurers/$INSNO/disease-certificates" -H "Authorization: Bearer $INS" -H "$J" \
    -d "{$dc,\"category\":\"2\",\"certificate_date\":\"2026-04-01\",\"valid_from\":\"2026-04-01\",\"self_pay\":10000}"
grep -q '"category":"2"' "$dir/ex/$n.body" && ok || bad "certificate not recorded: $(cat "$dir/ex/$n.body")"
cap POST "/v1/insurers/$INSNO/disease-certificates" -H "Authorization: Bearer $INS" -H "$J" \
    -d "{$dc,\"category\":\"2\",\"certificate_date\":\"2026-04-01\",\"valid_from\":\"2026-04-01\",\"self_pay\":20000}"
cap POST "/v1/insurers/$INSNO/disease-certificates" -H "Authorization: Bearer $INS" -H "$J" \
    -d '{"number":"NOSUCH","branch":"00","category":"1","certificate_date":"2026-04-01","valid_from":"2026-04-01","self_pay":10000}'
cap POST "/v1/insurers/$INSNO/disease-certificates" -H "Authorization: Bearer $EMP" -H "$J" -d "{$dc}"
cap POST "/v1/insurers/$INSNO/disease-certificates" -H "Authorization: Bearer $INS" -H "$J" -d '{"self_pay":"x"}'
has "$dir/ex/$n.body" '"field":"self_pay"' "the member at fault is named"
# identity: the demo's 誤入力チェック left work items (traps in the resident register)
cap GET "/v1/work-items?state=open&kind=check_mismatch" -H "Authorization: Bearer $INS"
list_body=$dir/ex/$n.body
wi=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["work_items"][0]["id"])' "$dir/ex/$n.body")
cap GET "/v1/work-items?state=maybe" -H "Authorization: Bearer $INS"
cap GET /v1/work-items -H "Authorization: Bearer $INST"
cap GET /v1/work-items
cap GET "/v1/work-items/$wi" -H "Authorization: Bearer $INS"
cap GET "/v1/work-items/$wi" -H "Authorization: Bearer $EMP"
cap GET "/v1/work-items/$wi"
cap GET /v1/work-items/abc -H "Authorization: Bearer $INS"
cap POST /v1/work-items/abc:resolve -H "Authorization: Bearer $INS" -H "$J" -d '{"resolution":"x"}'
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $INS" -H "$J" -d '{"resolution":"no_suspicion"}'
has "$dir/ex/$n.body" '"field":"reason"' "a resolution without a reason is refused"
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $INS" -H "$J" -d '{"resolution":1}'
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $OP" -H "$J" -d '{"resolution":"no_suspicion","reason":"x"}'
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $EMP" -H "$J" -d '{"resolution":"no_suspicion","reason":"x"}'
cap POST "/v1/work-items/$wi:resolve" -H "$J" -d '{"resolution":"no_suspicion","reason":"x"}'
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $INS" -H "$J" \
    -d '{"resolution":"no_suspicion","reason":"転居の届出を確認、住基の更新待ち","documents_verified":true}'
has "$dir/ex/$n.body" '"state":"resolved"' "the item is resolved"
cap POST "/v1/work-items/$wi:resolve" -H "Authorization: Bearer $INS" -H "$J" \
    -d '{"resolution":"no_suspicion","reason":"again","documents_verified":true}'
# the bulk 理由付き疑いなし: the other open items at once (and the one just resolved, refused)
open_ids=$(/usr/bin/python3 -c 'import json,sys; print(",".join(str(w["id"]) for w in json.load(open(sys.argv[1]))["work_items"]))' "$list_body")
cap POST /v1/work-items:resolve -H "Authorization: Bearer $INS" -H "$J" \
    -d "{\"ids\":[$open_ids],\"resolution\":\"no_suspicion\",\"reason\":\"一括: 表記ゆれ確認済み\",\"documents_verified\":true}"
has "$dir/ex/$n.body" '"refused":1' "the resolved item is refused, the others resolved"
cap POST /v1/work-items:resolve -H "Authorization: Bearer $INS" -H "$J" -d '{"ids":"1"}'
cap POST /v1/work-items:resolve -H "Authorization: Bearer $INS" -H "$J" -d '{"ids":[],"resolution":"x"}'
cap POST /v1/work-items:resolve -H "$J" -d '{"ids":[1],"resolution":"x"}'
# a report that someone else's data was shown, on the member used above
rep="\"insurer_number\":\"$INSNO\",$dc"
cap POST /v1/reports -H "Authorization: Bearer $INST" -H "$J" -d "{$rep,\"text\":\"別人の氏名が表示された\"}"
rid=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/ex/$n.body")
cap POST /v1/reports -H "Authorization: Bearer $INST" -H "$J" -d "{$rep}"
cap POST /v1/reports -H "Authorization: Bearer $INST" -H "$J" -d '{"text":1}'
cap POST /v1/reports -H "Authorization: Bearer $EMP" -H "$J" -d "{$rep,\"text\":\"x\"}"
cap POST /v1/reports -H "$J" -d "{$rep,\"text\":\"x\"}"
cap POST /v1/reports -H "Authorization: Bearer $INST" -H "$J" \
    -d "{\"insurer_number\":\"$INSNO\",\"number\":\"NOSUCH\",\"text\":\"x\"}"
# a family: a 記号・番号 that several registered persons share
fam=$(awk -F'\t' 'NR > 1 && !seen[$2 "\t" $3 "\t" $6]++ && ++persons[$2 "\t" $3] == 2 && !found {
    print $2 "\t" $3; found = 1 }' "$dir/members.tsv")
IFS=$'\t' read -r fsym fnum <<<"$fam"
[ "$fsym" = - ] && fsym=
[ -n "$fnum" ] && ok || bad "no family among the insurer's members"
cap POST /v1/reports -H "Authorization: Bearer $INST" -H "$J" \
    -d "{\"insurer_number\":\"$INSNO\",\"symbol\":$([ -n "$fsym" ] && echo "\"$fsym\"" || echo null),\"number\":\"$fnum\",\"text\":\"x\"}"
has "$dir/ex/$n.body" '"code":"key_ambiguous"' "a family key without 枝番 is ambiguous"
cap POST "/v1/work-items/$rid:resolve" -H "Authorization: Bearer $OP" -H "$J" -d '{"resolution":"stop","reason":"疑い高"}'
cap POST /v1/eligibility -H "Authorization: Bearer $INST" -H "$J" \
    -d "{\"insurer_number\":\"$INSNO\",$dc,\"birthdate\":\"$dbirth\"}"
has "$dir/ex/$n.body" '"status":"display_stopped"' "a stopped record is not shown"
# the resident register: reload, a bad file refused (the old one stays), restored
cap POST /v1/jlis:reload -H "Authorization: Bearer $OP"
has "$dir/ex/$n.body" '"residents":' "reloaded"
cp "$db.jlis.csv" "$dir/jlis.good"
printf 'mynumber,name,kana,birthdate,sex,address\n123,x,ｱ,2000-01-01,1,x\n' >"$db.jlis.csv"
cap POST /v1/jlis:reload -H "Authorization: Bearer $OP"
has "$dir/ex/$n.body" '"code":"jlis_file"' "a bad register is refused"
cp "$dir/jlis.good" "$db.jlis.csv"
cap POST /v1/jlis:reload -H "Authorization: Bearer $INS"
cap POST /v1/jlis:reload
# the OQS forms of the same look-up (answers in detail: tests/system/test_oqs.sh)
INSTNO=$(scope institution)
oqs_json=$(/usr/bin/python3 -c '
import json, sys
e = json.loads(sys.argv[1])
s = {"InsurerNumber": e["insurer_number"], "InsuredIdentificationNumber": e["number"],
     "Birthdate": e["birthdate"].replace("-", ""), "LimitApplicationCertificateRelatedConsFlg": "1"}
if e["symbol"]: s["InsuredCardSymbol"] = e["symbol"]
if e["branch"]: s["InsuredBranchNumber"] = e["branch"]
print(json.dumps({"XmlMsg": {"MessageHeader": {"MedicalInstitutionCode": sys.argv[2],
      "QualificationConfirmationDate": sys.argv[3]}, "MessageBody": {"QualificationConfirmSearchInfo": s}}}))
' "$elig" "$INSTNO" "$(TZ=Asia/Tokyo date +%Y%m%d)")
oqs_xml=$(/usr/bin/python3 -c '
import json, sys
def x(name, v): return "<%s>%s</%s>" % (name, "".join(x(k, w) for k, w in v.items()) if isinstance(v, dict) else v, name)
print("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + x("XmlMsg", json.loads(sys.argv[1])["XmlMsg"]))' "$oqs_json")
X='Content-Type: application/xml'
cap POST /oqs/v1/xml -H "Authorization: Bearer $INST" -H "$X" --data-binary "$oqs_xml"
grep -q '<QualificationValidity>1</QualificationValidity>' "$dir/ex/$n.body" && ok ||
    bad "OQS XML answer is not valid: $(cat "$dir/ex/$n.body")"
cap POST /oqs/v1/xml -H "Authorization: Bearer $INST" -H "$X" --data-binary '<XmlMsg><Mess'
cap POST /oqs/v1/xml -H "$X" --data-binary "$oqs_xml"
cap POST /oqs/v1/xml -H "Authorization: Bearer $INST" -H "$X" \
    --data-binary "${oqs_xml//$INSTNO/1331234565}"
cap POST '/oqs/v1/xml?message=OQSmutic01' -H "Authorization: Bearer $INST" -H "$X" \
    --data-binary "$oqs_xml"
AUTH=/oqs-api-pro/MSA12020/ILI12020SV01/auth SEARCH=/oqs-api-pro/MSA01030/ILI01030SV01/search
cap POST $AUTH -H "$J" -d "{\"loginId\":\"$INSTNO\",\"password\":\"$INST\"}"
idt=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["idToken"])' "$dir/ex/$n.body")
cap POST $AUTH -H "$J" -d "{\"loginId\":\"$INSTNO\",\"password\":\"$EMP\"}"
cap POST $AUTH -H "$J" -d '{"user":"x"}'
cap POST $SEARCH -H "Authorization: $idt" -H "$J" -d "$oqs_json"
grep -q '"QualificationValidity":"1"' "$dir/ex/$n.body" && ok ||
    bad "Web-API answer is not valid: $(cat "$dir/ex/$n.body")"
cap POST $SEARCH -H "Authorization: $idt" -H "$J" -d '{"XmlMsg":'
cap POST $SEARCH -H "Authorization: Bearer $INST" -H "$J" -d "$oqs_json"
cap POST $SEARCH -H "Authorization: $idt" -H "$J" -d "${oqs_json//$INSTNO/1331234565}"
/usr/bin/python3 "$here/openapi_check.py" "$spec" "$dir/ex" >"$dir/check.out" 2>&1 && ok ||
    bad "responses do not match the spec"
cat "$dir/check.out"
kill -TERM "$pid" 2>/dev/null
finish
