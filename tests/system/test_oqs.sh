#!/usr/bin/env bash
# System test: the OQS forms through the real daemon, and the clinic-side folder bridge
# against it — Shift_JIS in and out, answers written whole, refusals as .err, a server that is
# down (the request waits and is answered when it is back), stop and restart without loss or a
# second answer.
# usage: test_oqs.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

db=$dir/q.db
demo_data "$db" 30
INST=$(tok institution) INSTNO=$(scope institution)
umask 077
echo "$INST" >"$dir/token"
start main "$db" || exit 1
url=http://127.0.0.1:$port
today=$(TZ=Asia/Tokyo date +%Y%m%d)
# a registered member: 国保 千代田区, first of the demo
row=$(member_key "$db")
IFS='|' read -r ins num br birth <<<"$row"
request() { # request ENCODING FILE-ID
    printf '<?xml version="1.0" encoding="%s"?>\n<XmlMsg><MessageHeader>' "$1"
    printf '<QualificationConfirmationDate>%s</QualificationConfirmationDate>' "$today"
    printf '<MedicalInstitutionCode>%s</MedicalInstitutionCode>' "$INSTNO"
    printf '<ArbitraryFileIdentifier>%s</ArbitraryFileIdentifier></MessageHeader>' "$2"
    printf '<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber>' "$ins"
    printf '<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>' "$num"
    printf '<InsuredBranchNumber>%s</InsuredBranchNumber><Birthdate>%s</Birthdate>' "$br" "$birth"
    printf '</QualificationConfirmSearchInfo></MessageBody></XmlMsg>\n'
}

# --- direct POST in Shift_JIS: the answer is Shift_JIS with CharacterCodeIdentifier 1
request Shift_JIS direct | iconv -f UTF-8 -t CP932 >"$dir/sj.xml"
code=$(curl -s -o "$dir/sj.res" -w '%{http_code} %{content_type}' -H "Authorization: Bearer $INST" \
    --data-binary @"$dir/sj.xml" "$url/oqs/v1/xml")
[ "$code" = "200 application/xml; charset=Shift_JIS" ] && ok || bad "Shift_JIS POST: $code"
iconv -f CP932 -t UTF-8 "$dir/sj.res" >"$dir/sj.utf8" && ok || bad "answer is not Shift_JIS"
has "$dir/sj.utf8" 'encoding="Shift_JIS"' "declaration"
has "$dir/sj.utf8" '<CharacterCodeIdentifier>1</CharacterCodeIdentifier>' "CharacterCodeIdentifier"
has "$dir/sj.utf8" '<QualificationValidity>1</QualificationValidity>' "validity"
/usr/bin/python3 -c '
import re, sys
k = re.search(r"<NameKana>(.*)</NameKana>", open(sys.argv[1], encoding="utf-8").read()).group(1)
sys.exit(0 if k and all("\uff61" <= c <= "\uff9f" or c == " " for c in k) else 1)' "$dir/sj.utf8" &&
    ok || bad "NameKana is not half-width katakana"
grep -Eq '(^|[^0-9])[0-9]{12}([^0-9]|$)' "$dir/sj.utf8" && bad "a 12-digit number in an answer" || ok

# the look-up is in the look-up log's chain while the daemon runs (written within a second
# when the machine is not saturated; polled up to 5 s, since ctest runs tests side by side);
# the registry's file gets no look-up rows (its readers keep their caches)
lookups() { "$bin" audit list --db "$db" --lookups --action eligibility.lookup "$@"; }
for _ in $(seq 1 100); do
    n=$(lookups --count)
    [ "$n" = 1 ] && break
    sleep 0.05
done
[ "$n" = 1 ] && ok || bad "look-up audit rows after 5 s: $n, want 1"
n=$("$bin" audit list --db "$db" --action eligibility.lookup --count)
[ "$n" = 0 ] && ok || bad "look-up rows in the registry's audit table: $n"
[ "$(stat -c %a "$db.lookups")" = 600 ] && ok || bad "look-up log mode $(stat -c %a "$db.lookups")"
has_row=$(lookups | awk -F'\t' 'NR > 1 { print $6 }')
case "$has_row" in *"result=1 persons="*) ok ;; *) bad "audit row: $has_row" ;; esac
# and the writer's figures are on /metrics: one row durable, none waiting, a lag under a second
curl -s "$url/metrics" >"$dir/metrics"
has "$dir/metrics" '^shikaku_lookup_audit_rows_written_total 1$' "metrics: look-up rows written"
has "$dir/metrics" '^shikaku_lookup_audit_rows_queued 0$' "metrics: look-up rows queued"
has "$dir/metrics" '^shikaku_lookup_audit_write_failures_total 0$' "metrics: look-up write failures"
lag=$(awk '$1 == "shikaku_lookup_audit_lag_seconds_max" { print $2 }' "$dir/metrics")
awk -v l="${lag:-x}" 'BEGIN { exit !(l ~ /^[0-9.]+$/ && l < 1) }' && ok ||
    bad "metrics: look-up log lag '$lag', want within the flush interval"

# --- a refused token: SKF009 with the readable header echoed and the refusal in the body
request UTF-8 denied >"$dir/denied.xml"
code=$(curl -s -o "$dir/denied.res" -w '%{http_code}' -H "Authorization: Bearer nope" \
    --data-binary @"$dir/denied.xml" "$url/oqs/v1/xml")
[ "$code" = 401 ] && ok || bad "refused token: HTTP $code"
has "$dir/denied.res" '<ErrorCode>SKF009</ErrorCode>' "SKF009 ErrorCode"
has "$dir/denied.res" "<QualificationConfirmationDate>$today</QualificationConfirmationDate>" \
    "SKF009 echoes the date"
has "$dir/denied.res" "<MedicalInstitutionCode>$INSTNO</MedicalInstitutionCode>" \
    "SKF009 echoes the institution"
has "$dir/denied.res" '<ProcessingResultStatus>2</ProcessingResultStatus>' "SKF009 body status"
has "$dir/denied.res" '<ProcessingResultCode>SKF009</ProcessingResultCode>' "SKF009 body code"

# --- the bridge, watching
f=$dir/folder
mkdir -p "$f/req"
logs+=("$dir/bridge.err")
bridge_start() {
    "$bin" bridge --dir "$f" --server "$url" --token-file "$dir/token" >"$dir/bridge.out" \
        2>>"$dir/bridge.err" &
    bpid=$!
    for _ in $(seq 1 100); do grep -q '^bridge serving' "$dir/bridge.out" && return 0; sleep 0.05; done
    bad "bridge did not start: $(cat "$dir/bridge.err")"
    return 1
}
wait_for() { # wait_for FILE: up to 15 s
    for _ in $(seq 1 300); do [ -e "$1" ] && return 0; sleep 0.05; done
    return 1
}
bridge_start || { finish; exit 1; }
request UTF-8 b1 >"$f/.tmp1" && mv "$f/.tmp1" "$f/req/OQSsiquc01req_b1.xml"   # moved in
request Shift_JIS b2 | iconv -f UTF-8 -t CP932 >"$f/req/OQSsiquc01req_b2.xml"  # written in place
printf '<XmlMsg><Mess' >"$f/req/OQSsiquc01req_b3.xml"
wait_for "$f/res/OQSsiquc01res_b1.xml" && ok || bad "no answer for b1"
wait_for "$f/res/OQSsiquc01res_b2.xml" && ok || bad "no answer for b2"
wait_for "$f/res/OQSsiquc01req_b3.err" && ok || bad "no .err for b3"
has "$f/res/OQSsiquc01res_b1.xml" '<ArbitraryFileIdentifier>b1</ArbitraryFileIdentifier>' "echo b1"
iconv -f CP932 -t UTF-8 "$f/res/OQSsiquc01res_b2.xml" >"$dir/b2.utf8"
has "$dir/b2.utf8" '<CharacterCodeIdentifier>1</CharacterCodeIdentifier>' "b2 in Shift_JIS"
has "$f/res/OQSsiquc01req_b3.err" '<ErrorCode>SKF001</ErrorCode>' "b3 .err"
sleep 0.2
[ -z "$(ls "$f/req")" ] && ok || bad "requests left in req/: $(ls "$f/req")"
[ -z "$(ls -A "$f/res" | grep '\.tmp$')" ] && ok || bad "temporary files left in res/"
before=$(stat -c '%i %Y' "$f/res/OQSsiquc01res_b1.xml")

# --- bulk 一括照会 through the bridge: phase 1 answers a reception number, phase 2 the units
{
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg><MessageHeader>'
    printf '<QualificationConfirmationDate>%s</QualificationConfirmationDate>' "$today"
    printf '<MedicalInstitutionCode>%s</MedicalInstitutionCode></MessageHeader><MessageBody>' "$INSTNO"
    for k in 1 2; do
        printf '<QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber>' "$ins"
        printf '<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>' "$num"
        printf '<Birthdate>%s</Birthdate><ArbitraryIdentifier>k%s</ArbitraryIdentifier>' "$birth" "$k"
        printf '</QualificationConfirmSearchInfo>'
    done
    printf '</MessageBody></XmlMsg>\n'
} >"$f/sent_m1.xml"
cp "$f/sent_m1.xml" "$f/req/.OQSmuquc01req_m1.xml.tmp"
mv "$f/req/.OQSmuquc01req_m1.xml.tmp" "$f/req/OQSmuquc01req_m1.xml"
wait_for "$f/res/OQSmuquc01res_m1.xml" && ok || bad "no bulk phase-1 answer"
rno=$(sed -n 's|.*<ReceptionNumber>\([0-9]*\)</ReceptionNumber>.*|\1|p' "$f/res/OQSmuquc01res_m1.xml")
[ ${#rno} -eq 16 ] && ok || bad "no reception number: $(cat "$f/res/OQSmuquc01res_m1.xml")"
# the bridge's resend after a crash between send and write: the same file, the same key,
# the same reception number (not a second stored request); another request under the key: SKF011
key=bridge-$( (printf 'OQSmuquc01req_m1.xml\0'; cat "$f/sent_m1.xml") | sha256sum | cut -c1-64)
curl -s -H "Authorization: Bearer $INST" -H "Idempotency-Key: $key" --data-binary @"$f/sent_m1.xml" \
    "$url/oqs/v1/xml?message=OQSmuquc01" >"$f/resend.xml"
has "$f/resend.xml" "<ReceptionNumber>$rno</ReceptionNumber>" "a resent bulk file gets its first reception number"
sed 's|k1<|k9<|' "$f/sent_m1.xml" >"$f/other_m1.xml"
curl -s -H "Authorization: Bearer $INST" -H "Idempotency-Key: $key" --data-binary @"$f/other_m1.xml" \
    "$url/oqs/v1/xml?message=OQSmuquc01" >"$f/conflict.xml"
has "$f/conflict.xml" "<ErrorCode>SKF011</ErrorCode>" "a key reused for another request is refused"
seg=""
for t in 1 2 3 4 5 6 7 8 9 10; do
    printf '<XmlMsg><MessageHeader><MedicalInstitutionCode>%s</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>%s</ReceptionNumber></MessageBody></XmlMsg>' \
        "$INSTNO" "$rno" >"$f/req/OQSmuquc02req_m$t.xml"
    wait_for "$f/res/OQSmuquc02res_m$t.xml" || break
    seg=$(sed -n 's|.*<SegmentOfResult>\(.\)</SegmentOfResult>.*|\1|p' "$f/res/OQSmuquc02res_m$t.xml")
    [ "$seg" = 1 ] && break
    sleep 0.3
done
[ "$seg" = 1 ] && ok || bad "bulk phase 2 never finished (SegmentOfResult $seg)"
has "$f/res/OQSmuquc02res_m$t.xml" '<NumberOfNormalProcessing>2</NumberOfNormalProcessing>' "bulk counts"
[ "$(grep -c '<BulkConfirmUnit>' "$f/res/OQSmuquc02res_m$t.xml")" = 2 ] && ok || bad "bulk units"

# --- 照会番号 through the bridge; it then comes back in this clinic's answers
printf '<XmlMsg><MessageHeader><MedicalInstitutionCode>%s</MedicalInstitutionCode></MessageHeader><MessageBody><ReferenceNumberRegistrationInfo><ReferenceNumber>KARTE-77</ReferenceNumber><InsurerNumber>%s</InsurerNumber><InsuredIdentificationNumber>%s</InsuredIdentificationNumber><InsuredBranchNumber>%s</InsuredBranchNumber></ReferenceNumberRegistrationInfo></MessageBody></XmlMsg>' \
    "$INSTNO" "$ins" "$num" "$br" >"$f/req/OQSsiimm01req_r1.xml"
wait_for "$f/res/OQSsiimm01res_r1.xml" && ok || bad "no 照会番号 answer"
has "$f/res/OQSsiimm01res_r1.xml" '<ProcessingResultStatus>1</ProcessingResultStatus>' "照会番号 registered"
request UTF-8 r2 >"$f/req/OQSsiquc01req_r2.xml"
wait_for "$f/res/OQSsiquc01res_r2.xml" && ok || bad "no answer for r2"
has "$f/res/OQSsiquc01res_r2.xml" '<ReferenceNumber>KARTE-77</ReferenceNumber>' "照会番号 in the answer"

# --- the server goes away: the request waits, and is answered once it is back
kill -TERM "$pid"; wait "$pid" 2>/dev/null
request UTF-8 b4 >"$f/req/OQSsiquc01req_b4.xml"
sleep 1.5
[ -e "$f/req/OQSsiquc01req_b4.xml" ] && [ ! -e "$f/res/OQSsiquc01res_b4.xml" ] && ok ||
    bad "a request was dropped while the server was down"
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$dir/main2.out" 2>"$dir/main2.err" &
pid=$!
wait_for "$f/res/OQSsiquc01res_b4.xml" && ok || bad "b4 not answered after the server came back"
has "$f/res/OQSsiquc01res_b4.xml" '<QualificationValidity>1</QualificationValidity>' "b4 validity"

# --- stop and restart: nothing lost, nothing answered twice
kill -TERM "$bpid"; wait "$bpid"; rc=$?
[ "$rc" -eq 0 ] && ok || bad "bridge exit $rc on SIGTERM"
request UTF-8 b5 >"$f/req/OQSsiquc01req_b5.xml"               # arrives while stopped
request UTF-8 b1 >"$f/req/OQSsiquc01req_b1.xml"               # as if the removal was lost
sleep 2.1                                                     # older than the settle time
bridge_start || { finish; exit 1; }
wait_for "$f/res/OQSsiquc01res_b5.xml" && ok || bad "b5 (written while stopped) not answered"
for _ in $(seq 1 100); do [ -e "$f/req/OQSsiquc01req_b1.xml" ] || break; sleep 0.05; done
[ ! -e "$f/req/OQSsiquc01req_b1.xml" ] && ok || bad "an answered request was not cleared"
[ "$(stat -c '%i %Y' "$f/res/OQSsiquc01res_b1.xml")" = "$before" ] && ok ||
    bad "a delivered answer was rewritten"
# a second bridge on the same folder is refused
"$bin" bridge --dir "$f" --server "$url" --token-file "$dir/token" --once >/dev/null 2>"$dir/b2.err"
[ $? -ne 0 ] && grep -q bridge_locked "$dir/b2.err" && ok || bad "second bridge not refused"
kill -TERM "$bpid"; wait "$bpid"
# a token file others may read is refused
chmod 644 "$dir/token"
"$bin" bridge --dir "$f" --server "$url" --token-file "$dir/token" --once >/dev/null 2>"$dir/b3.err"
[ $? -eq 3 ] && grep -q token_file "$dir/b3.err" && ok || bad "readable token file accepted"
kill -TERM "$pid"; wait "$pid" 2>/dev/null

# --- every answered look-up was recorded (direct, b1, b2, b4, b5, r2, two bulk blocks; b3 was
# not a look-up)
n=$(lookups --count)
[ "$n" = 8 ] && ok || bad "look-up audit rows: $n, want 8"
"$bin" audit verify --db "$db" >"$dir/av.out" && ok || bad "audit chain not intact"
has "$dir/av.out" "^audit chain intact" "audit verify: the registry's chain"
has "$dir/av.out" "^look-up log chain intact: 8 rows" "audit verify: the look-up log's chain"
# a look-up log given by hand is read (rows tampered with in the file are named: the SQLite
# driver's own test, tests/system/sqlite/test_audit_tamper.sh)
"$bin" audit verify --db "$db" --lookup-log "$db.lookups" >"$dir/av3.out" && ok ||
    bad "audit verify with --lookup-log"
has "$dir/av3.out" "^look-up log chain intact: 8 rows" "a look-up log given by hand is read"
"$bin" audit verify --db "$db" --lookup-log "$dir/none" >/dev/null 2>"$dir/av4.err"
[ $? -ne 0 ] && grep -q lookup_log "$dir/av4.err" && ok || bad "a missing look-up log accepted"
# a look-up log is not a registry (even with a key file beside it)
cp "$db.key" "$db.lookups.key"
"$bin" audit verify --db "$db.lookups" >/dev/null 2>"$dir/av5.err"
[ $? -ne 0 ] && grep -q 'look-up log' "$dir/av5.err" && ok || bad "a look-up log opened as a registry"
finish
