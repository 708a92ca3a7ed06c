#!/usr/bin/env bash
# `make run`: seeds a demo database (once: var/shikaku.db, tokens saved in var/demo-tokens.txt,
# mode 0600), then runs the daemon in the foreground (Ctrl-C drains and stops it).
# LISTEN overrides the address (default 127.0.0.1:8080).
# usage: run.sh SHIKAKU_BINARY DB_PATH
set -euo pipefail
bin=$1
db=$2
listen=${LISTEN:-127.0.0.1:8080}
tokens=$(dirname "$db")/demo-tokens.txt
mkdir -p "$(dirname "$db")"
if [ ! -e "$db" ]; then
  umask 077
  "$bin" demo --db "$db" --persons "${PERSONS:-200}" > "$tokens"
  head -1 "$tokens"
else
  echo "using existing database $db (key file $db.key)"
fi
"$bin" version
tok() { awk -v r="$1" '$1 == r { print $3 }' "$tokens" 2>/dev/null || true; }
scope() { awk -v r="$1" '$1 == r { print $2 }' "$tokens" 2>/dev/null || true; }
EMP=$(tok employer); INS=$(tok insurer); INSNO=$(scope insurer); PERSON=$(scope person)
INST=$(tok institution); INSTNO=$(scope institution)
# the demo's member a clinic finds 有効 today: "lookup INSURER SYMBOL NUMBER BRANCH BIRTHDATE"
read -r _ L_INS L_SYM L_NUM L_BR L_BIRTH < <(awk '$1 == "lookup"' "$tokens" 2>/dev/null) || true
# a resident of the demo's register no insurer has yet: "hire<TAB>MYNUMBER<TAB>NAME<TAB>…"
IFS=$'\t' read -r _ H_MN H_NAME H_KANA H_BIRTH H_SEX H_ADDR < <(awk -F'\t' '$1 == "hire"' "$tokens" 2>/dev/null) || true
TODAY=$(TZ=Asia/Tokyo date +%F) # the server counts days in JST
lookups() {
  [ -n "${L_INS:-}" ] || return 0
  local today sym_json="" sym_webapi="" sym_xml="" clinic xml
  today=$(TZ=Asia/Tokyo date +%Y%m%d)
  clinic=$(dirname "$db")/clinic
  if [ "$L_SYM" != - ]; then
    sym_json="\"symbol\":\"$L_SYM\","
    sym_webapi="\"InsuredCardSymbol\":\"$L_SYM\","
    sym_xml="<InsuredCardSymbol>$L_SYM</InsuredCardSymbol>"
  fi
  # one OQS XML request: posted directly, and as the folder bridge's request file
  xml="<XmlMsg><MessageHeader><QualificationConfirmationDate>$today</QualificationConfirmationDate>"
  xml+="<MedicalInstitutionCode>$INSTNO</MedicalInstitutionCode></MessageHeader><MessageBody>"
  xml+="<QualificationConfirmSearchInfo><InsurerNumber>$L_INS</InsurerNumber>$sym_xml"
  xml+="<InsuredIdentificationNumber>$L_NUM</InsuredIdentificationNumber>"
  xml+="<InsuredBranchNumber>$L_BR</InsuredBranchNumber><Birthdate>${L_BIRTH//-/}</Birthdate>"
  xml+="</QualificationConfirmSearchInfo></MessageBody></XmlMsg>"
  cat <<LOOKUPS


  # a medical institution asks whether a patient is insured today (docs/oqs.md), in the plain
  # JSON form, the OQS Web-API (an idToken first) and the OQS XML request file
  curl -s http://$listen/v1/eligibility -H 'Authorization: Bearer $INST' \\
    -H 'Content-Type: application/json' -d '{"insurer_number":"$L_INS",$sym_json"number":"$L_NUM",
    "branch":"$L_BR","birthdate":"$L_BIRTH","limit_consent":true}'
  IDT=\$(curl -s http://$listen/oqs-api-pro/MSA12020/ILI12020SV01/auth \\
    -d '{"loginId":"$INSTNO","password":"$INST"}' | sed -n 's/.*"idToken":"\([^"]*\)".*/\1/p')
  curl -s http://$listen/oqs-api-pro/MSA01030/ILI01030SV01/search -H "Authorization: \$IDT" \\
    -d '{"XmlMsg":{"MessageHeader":{"QualificationConfirmationDate":"$today","MedicalInstitutionCode":"$INSTNO"},
    "MessageBody":{"QualificationConfirmSearchInfo":{"InsurerNumber":"$L_INS",$sym_webapi
    "InsuredIdentificationNumber":"$L_NUM","InsuredBranchNumber":"$L_BR","Birthdate":"${L_BIRTH//-/}"}}}}'
  curl -s http://$listen/oqs/v1/xml -H 'Authorization: Bearer $INST' --data-binary '$xml'

  # the clinic-side folder exchange (docs/oqs.md "Folder bridge"): the receipt computer writes
  # request files into req/, the bridge answers each into res/ (--once: what is there, then exit)
  mkdir -p $clinic/req && (umask 077 && echo '$INST' >$clinic.token)
  echo '$xml' >$clinic/req/OQSsiquc01req_demo1.xml
  $bin bridge --dir $clinic --server http://$listen --token-file $clinic.token --once
  cat $clinic/res/OQSsiquc01res_demo1.xml
LOOKUPS
}
cat <<MSG

Starting shikaku on http://$listen (tokens: $tokens). Try, from another terminal:

  curl -s http://$listen/healthz
  curl -s http://$listen/metrics | grep shikaku_notifications

  # an employer files a 資格取得届 for a resident of the demo's register ($db.jlis.csv):
  # registered at once (the answer has 記号・番号・枝番 and check=match: the 誤入力チェック
  # found the 5情報 as J-LIS has them), visible to clinics from today
  curl -s http://$listen/v1/notifications -H 'Authorization: Bearer $EMP' \\
    -H 'Idempotency-Key: hire-0001' -H 'Content-Type: application/json' \\
    -d '{"kind":"acquisition","name":"${H_NAME:-新井　一郎}","kana":"${H_KANA:-アライ イチロウ}",
         "birthdate":"${H_BIRTH:-1998-07-07}","sex":"${H_SEX:-1}","address":"${H_ADDR:-東京都千代田区千代田1-1}",
         "postcode":"100-0001","acquired_on":"$TODAY","mynumber":"${H_MN:-123456789018}","certificate":"true"}'

  # the insurer lists its members valid today, and looks at one person
  curl -s 'http://$listen/v1/insurers/$INSNO/members?limit=5' -H 'Authorization: Bearer $INS'
  curl -s http://$listen/v1/persons/$PERSON -H 'Authorization: Bearer $INS'

  # the insurer's identity work items (誤入力チェック mismatches, J-LIS retrievals to review),
  # and how one is cleared: after checking with the employer that the data are right
  curl -s 'http://$listen/v1/work-items?state=open&kind=check_mismatch' -H 'Authorization: Bearer $INS'
  curl -s http://$listen/v1/work-items/ITEM_ID:resolve -H 'Authorization: Bearer $INS' \\
    -H 'Content-Type: application/json' \\
    -d '{"resolution":"no_suspicion","reason":"表記ゆれ: 本人に確認済み","documents_verified":true}'
  #   (or from the shell: $bin work list --db $db --as insurer:$INSNO)$(lookups)

The API is described in docs/api/openapi.yaml. Ctrl-C drains requests in flight and stops.

MSG
exec "$bin" serve --db "$db" --listen "$listen"
