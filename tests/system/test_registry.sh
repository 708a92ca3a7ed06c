#!/usr/bin/env bash
# System test: 届出 through the real daemon — every kind, bad inputs (4xx, nothing written),
# retries with Idempotency-Key, 401 vs 403, reads, batch, CSV import, the demo, and a crash
# test: kill -9 during a stream of acknowledged 届出, restart, every acknowledged one is there.
# usage: test_registry.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

db=$dir/r.db
demo_data "$db" 60
has "$dir/demo.txt" '^seeded .*6 insurers, 5 employers' "demo summary"
EMP=$(tok employer) INS=$(tok insurer) OP=$(tok operator) INST=$(tok institution)
PER=$(tok person) INSNO=$(scope insurer) PERSON=$(scope person)
[ "${#EMP}" = 68 ] && [ "${#INST}" = 68 ] && ok || bad "demo prints a token per role"
"$bin" demo --db "$db" >"$dir/demo2.txt" 2>&1
[ $? = 4 ] && ok || bad "a second demo on the same database is refused with exit 4"
# a second employer (another 事業所 of the same insurer) for the scope checks
EMP2=$("$bin" user add --db "$db" --role employer --scope 2 | tail -1)

start main "$db" || exit 1
url=http://127.0.0.1:$port
c() { curl -s -o "$dir/body" -D "$dir/head" -w '%{http_code}' --max-time 10 "$@"; }
post() { # post TOKEN JSON [extra curl args]
    local t=$1 j=$2
    shift 2
    c -X POST "$url/v1/notifications" -H "Authorization: Bearer $t" \
        -H 'Content-Type: application/json' --data-binary "$j" "$@"
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$dir/body" | head -1; }
taro='"name":"試験　太郎","kana":"シケン タロウ","birthdate":"1990-04-01","sex":"1","address":"東京都千代田区1-1","postcode":"100-0001"'

# --- 401 vs 403 ---
[ "$(c -X POST "$url/v1/notifications" -d '{}')" = 401 ] && ok || bad "no token is 401"
has "$dir/head" 'WWW-Authenticate: Bearer' "401 challenge"
[ "$(post skt_0000 '{}')" = 401 ] && ok || bad "unknown token is 401"
[ "$(post "$INST" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\"}")" = 403 ] &&
    ok || bad "an institution may not file"
[ "$(post "$PER" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\"}")" = 403 ] &&
    ok || bad "a person may not file"

# --- 資格取得届 (with My Number: registered at once) and its retry ---
st=$(post "$EMP" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"mynumber\":\"4000 0000 0017\",\"certificate\":true}" -H 'Idempotency-Key: sys-1')
[ "$st" = 201 ] && ok || bad "acquisition got $st"
has "$dir/body" '"state":"registered"' "acquisition registered"
has "$dir/body" '"branch":"00"' "本人 枝番 00"
has "$dir/body" '"symbol":"5101"' "記号 from the employer's office code"
grep -q '400000000017' "$dir/body" && bad "My Number echoed in the answer" || ok
N1=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/body")
TARO=$(field person)
NUM=$(field number)
st=$(post "$EMP" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"mynumber\":\"4000 0000 0017\",\"certificate\":true}" -H 'Idempotency-Key: sys-1')
[ "$st" = 200 ] && ok || bad "retry got $st"
has "$dir/body" "^{\"id\":$N1," "retry returns the first 届出"
has "$dir/body" "\"number\":\"$NUM\"" "retry returns the same 番号"
[ "$(post "$EMP" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-02\"}" -H 'Idempotency-Key: sys-1')" = 409 ] &&
    ok || bad "reused key with another 届出"
has "$dir/body" '"code":"idempotency_conflict"' "idempotency_conflict"

# --- 被扶養者届: add (pending without a number), then the number arrives ---
hana='"name":"試験　花子","kana":"シケン ハナコ","birthdate":"1992-05-05","sex":"2","address":"東京都千代田区1-1"'
[ "$(post "$EMP" "{\"kind\":\"dependent_add\",\"insured\":\"$TARO\",$hana,\"acquired_on\":\"2026-04-01\"}")" = 201 ] &&
    ok || bad "dependent_add"
has "$dir/body" '"state":"pending_my_number"' "dependent pending"
has "$dir/body" '"branch":"01"' "dependent 枝番 01"
N2=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/body")
HANA=$(field person)
[ "$(post "$EMP" "{\"kind\":\"mynumber_register\",\"person\":\"$HANA\",\"mynumber\":\"100000000013\"}")" = 201 ] &&
    ok || bad "mynumber_register"
[ "$(c "$url/v1/notifications/$N2" -H "Authorization: Bearer $EMP")" = 200 ] && ok || bad "get 届出"
has "$dir/body" '"state":"registered"' "pending 届出 registered by the number"

# --- changes, loss with the dependent, 75+ dependent, overlap ---
[ "$(post "$EMP" "{\"kind\":\"address_change\",\"person\":\"$TARO\",\"address\":\"東京都港区1-1\",\"postcode\":\"1050001\"}")" = 201 ] &&
    ok || bad "address_change"
[ "$(post "$EMP" "{\"kind\":\"name_change\",\"person\":\"$TARO\",\"name\":\"試験　太朗\"}")" = 201 ] &&
    ok || bad "name_change"
[ "$(post "$EMP" "{\"kind\":\"mynumber_change\",\"person\":\"$TARO\",\"mynumber\":\"300000000012\"}")" = 201 ] &&
    ok || bad "mynumber_change"
[ "$(post "$EMP" "{\"kind\":\"dependent_add\",\"insured\":\"$TARO\",\"name\":\"祖父\",\"kana\":\"ソフ\",\"birthdate\":\"1940-01-01\",\"sex\":\"1\",\"address\":\"x\",\"acquired_on\":\"2026-04-01\"}")" = 422 ] &&
    ok || bad "75+ dependent"
has "$dir/body" '"code":"dependent_age"' "dependent_age"
[ "$(post "$EMP" "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-05-01\",\"mynumber\":\"300000000012\"}")" = 409 ] &&
    ok || bad "overlap"
has "$dir/body" '"code":"overlap"' "overlap code"
[ "$(post "$EMP" "{\"kind\":\"loss\",\"person\":\"$TARO\",\"reason\":\"retirement\",\"event_date\":\"2026-03-01\"}")" = 422 ] &&
    ok || bad "loss before acquisition"
has "$dir/body" '"code":"date_order"' "date_order"
[ "$(post "$EMP" "{\"kind\":\"loss\",\"person\":\"$TARO\",\"reason\":\"retirement\",\"event_date\":\"2026-09-30\"}")" = 201 ] &&
    ok || bad "loss"
has "$dir/body" '"lost_on":"2026-10-01"' "loss the day after leaving"
[ "$(c "$url/v1/persons/$HANA" -H "Authorization: Bearer $INS")" = 200 ] && ok || bad "person get"
has "$dir/body" '"lost_on":"2026-10-01"' "the dependent lost with the insured"
has "$dir/body" "\"insured\":\"$TARO\"" "dependent's insured person"

# --- bad input: 4xx with code and field, nothing written ---
before=$("$bin" notification list --db "$db" --count)
chk() { # chk STATUS CODE FIELD JSON
    local st
    st=$(post "$EMP" "$4")
    [ "$st" = "$1" ] && grep -q "\"code\":\"$2\",\"field\":\"$3\"" "$dir/body" && ok ||
        { bad "bad input $2/$3: got $st $(cat "$dir/body")"; }
}
chk 400 bad_json "" '{"kind":'
chk 400 bad_json "" '[1,2]'
chk 422 unknown_kind kind '{"kind":"hire"}'
chk 400 unknown_field salary "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"salary\":\"1\"}"
chk 400 field_type sex '{"kind":"acquisition","sex":1}'
chk 422 required acquired_on "{\"kind\":\"acquisition\",$taro}"
chk 422 mynumber_check_digit mynumber "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"mynumber\":\"123456789012\"}"
chk 422 insurer_number_check_digit insurer "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"insurer\":\"01130013\"}"
chk 403 forbidden insurer "{\"kind\":\"acquisition\",$taro,\"acquired_on\":\"2026-04-01\",\"insurer\":\"06130017\"}"
chk 422 date_invalid birthdate '{"kind":"acquisition","name":"x","kana":"エ","birthdate":"1990-02-30","sex":"1","address":"x","acquired_on":"2026-04-01"}'
chk 422 no_insured insured "{\"kind\":\"dependent_add\",\"insured\":\"0123456789abcdef0123456789abcdef\",$hana,\"acquired_on\":\"2026-04-01\"}"
chk 422 unknown_person person '{"kind":"address_change","person":"0123456789abcdef0123456789abcdef","address":"x"}'
chk 422 loss_reason reason "{\"kind\":\"loss\",\"person\":\"$TARO\",\"reason\":\"fired\",\"event_date\":\"2026-09-30\"}"
chk 409 already_lost person "{\"kind\":\"loss\",\"person\":\"$TARO\",\"reason\":\"retirement\",\"event_date\":\"2026-09-30\"}"
after=$("$bin" notification list --db "$db" --count)
[ "$before" = "$after" ] && ok || bad "bad input wrote $((after - before)) 届出"

# --- scope: another employer and another insurer see nothing of it ---
# (another filer's record is answered as a missing one: 404, no oracle — issue 19 B.5)
[ "$(c "$url/v1/notifications/$N1" -H "Authorization: Bearer $EMP2")" = 404 ] && ok || bad "other employer's 届出"
[ "$(c "$url/v1/notifications/$N1" -H "Authorization: Bearer $INS")" = 200 ] && ok || bad "insurer sees its 届出"
[ "$(c "$url/v1/notifications/$N1" -H "Authorization: Bearer $OP")" = 200 ] && ok || bad "operator sees 届出"
[ "$(c "$url/v1/notifications/999999" -H "Authorization: Bearer $OP")" = 404 ] && ok || bad "unknown 届出 404"
[ "$(post "$EMP2" "{\"kind\":\"address_change\",\"person\":\"$TARO\",\"address\":\"x\"}")" = 422 ] &&
    ok || bad "other employer cannot change our person"
[ "$(c "$url/v1/persons/$TARO" -H "Authorization: Bearer $EMP2")" = 404 ] && ok || bad "other employer person"
[ "$(c "$url/v1/persons/$PERSON" -H "Authorization: Bearer $PER")" = 200 ] && ok || bad "person sees self"
[ "$(c "$url/v1/persons/$TARO" -H "Authorization: Bearer $PER")" = 404 ] && ok || bad "person sees others"
[ "$(c "$url/v1/insurers/$INSNO/members?as_of=2026-04-01&limit=3" -H "Authorization: Bearer $INS")" = 200 ] &&
    ok || bad "members"
has "$dir/body" '"next_after":[0-9]' "members page continues"
[ "$(c "$url/v1/insurers/06130017/members" -H "Authorization: Bearer $INS")" = 403 ] && ok || bad "foreign members"
[ "$(c "$url/v1/insurers/$INSNO/members?as_of=2026-13-01" -H "Authorization: Bearer $INS")" = 400 ] &&
    ok || bad "bad as_of"

# --- withdraw and reject ---
post "$EMP" "{\"kind\":\"acquisition\",\"name\":\"取下\",\"kana\":\"トリサゲ\",\"birthdate\":\"1999-01-01\",\"sex\":\"2\",\"address\":\"x\",\"acquired_on\":\"2026-04-01\"}" >/dev/null
NW=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$dir/body")
[ "$(c -X POST "$url/v1/notifications/$NW:withdraw" -H "Authorization: Bearer $EMP2")" = 404 ] && ok || bad "withdraw by another"
[ "$(c -X POST "$url/v1/notifications/$NW:withdraw" -H "Authorization: Bearer $EMP")" = 200 ] && ok || bad "withdraw"
has "$dir/body" '"state":"withdrawn"' "withdrawn"
[ "$(c -X POST "$url/v1/notifications/$N1:withdraw" -H "Authorization: Bearer $EMP")" = 409 ] && ok || bad "withdraw registered"

# --- batch: valid items proceed, invalid ones are reported by index and field ---
st=$(c -X POST "$url/v1/notifications:batch" -H "Authorization: Bearer $EMP" --data-binary \
    "[{\"kind\":\"acquisition\",\"name\":\"一括　一\",\"kana\":\"イッカツ\",\"birthdate\":\"1991-01-01\",\"sex\":\"1\",\"address\":\"x\",\"acquired_on\":\"2026-04-01\",\"idempotency_key\":\"b-1\"},
      {\"kind\":\"acquisition\",\"name\":\"一括　二\"},
      7]")
[ "$st" = 200 ] && ok || bad "batch status $st"
has "$dir/body" '"accepted":1,"rejected":2' "batch counts"
has "$dir/body" '"index":1,"status":422,"error":{"code":"required"' "batch item error"
has "$dir/body" '"index":2,"status":400' "batch non-object item"

# --- CSV import (UTF-8 and Shift_JIS), rows reported by row and field; a re-import replays ---
printf 'kind,name,kana,birthdate,sex,address,acquired_on,idempotency_key\n%s\n%s\n%s\n' \
    'acquisition,"髙橋　一郎","タカハシ イチロウ",1990-01-01,1,"東京都港区1-1, 2F",2026-04-01,csv-1' \
    'acquisition,誤り,ｶﾅ,1990-02-30,1,x,2026-04-01,csv-2' \
    'acquisition,"齋藤　""二郎""",サイトウ,1985-03-03,1,x,2026-04-01,csv-3' >"$dir/u.csv"
"$bin" import notifications --db "$db" --employer 1 "$dir/u.csv" >"$dir/imp.out"
[ $? = 1 ] && ok || bad "import with a bad row exits 1"
has "$dir/imp.out" '^row 2: filed notification=[0-9]* state=pending_my_number' "csv row 2 filed"
has "$dir/imp.out" '^row 3: error date_invalid birthdate' "csv row 3 reported by row and field"
has "$dir/imp.out" '^row 4: filed' "csv row 4 filed after a bad row"
has "$dir/imp.out" '2 rows filed, 1 rejected (UTF-8)' "csv summary"
iconv -f UTF-8 -t CP932 "$dir/u.csv" >"$dir/s.csv"
"$bin" import notifications --db "$db" --employer 1 "$dir/s.csv" >"$dir/imp2.out"
has "$dir/imp2.out" '^row 2: replayed' "Shift_JIS re-import replays the first result"
has "$dir/imp2.out" '(Shift_JIS)' "Shift_JIS detected"
[ "$("$bin" person list --db "$db" --name '齋藤　"二郎"' --count)" = 1 ] && ok ||
    bad "quoted CSV name stored once"
printf 'kind,name\nacquisition,"open\n' >"$dir/broken.csv"
"$bin" import notifications --db "$db" --employer 1 "$dir/broken.csv" >"$dir/imp3.out"
has "$dir/imp3.out" 'error csv line 2' "broken CSV names the line"

# --- metrics count 届出 by state ---
c "$url/metrics" >/dev/null
has "$dir/body" 'shikaku_notifications{state="registered"}' "metrics by state"
has "$dir/body" 'shikaku_http_requests_total{route="notification_post",code="4xx"}' "route metrics"

# --- crash: kill -9 while 届出 stream in from 4 clients at once (so batches group and one
# batch's sync overlaps the next one's work); every acknowledged one survives ---
stream() { # stream NAME: files 届出 until the daemon dies, logging each acknowledged key
    for i in $(seq 1 400); do
        st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST "$url/v1/notifications" \
            -H "Authorization: Bearer $EMP" -H "Idempotency-Key: crash-$tag$1-$i" --data-binary \
            "{\"kind\":\"acquisition\",\"name\":\"障害　$1$i\",\"kana\":\"ショウガイ\",\"birthdate\":\"1990-01-01\",\"sex\":\"1\",\"address\":\"x\",\"acquired_on\":\"2026-04-01\"}")
        [ "$st" = 201 ] && echo "crash-$tag$1-$i" >>"$dir/acked.$1"
        [ "$st" = 000 ] && break
    done
}
run_streams() { # run_streams SIGNAL: 4 streams, then SIGNAL to the daemon after 1 s
    loaders=""
    for s in a b c d; do
        : >"$dir/acked.$s"
        stream "$s" &
        loaders="$loaders $!"
    done
    sleep 1
    kill "-$1" "$pid"
    wait "$pid" 2>/dev/null
    stop_rc=$?
    # shellcheck disable=SC2086
    wait $loaders
    cat "$dir"/acked.? >"$dir/acked"
    n_acked=$(wc -l <"$dir/acked")
    "$bin" notification list --db "$db" | awk -F'\t' 'NR > 1 && $8 ~ /^crash-/ { print $8 }' |
        sort >"$dir/stored"
    missing=$(sort "$dir/acked" | comm -23 - "$dir/stored" | wc -l)
}
tag=k run_streams KILL
[ "$n_acked" -gt 10 ] && ok || bad "only $n_acked 届出 acknowledged before the kill"
[ "$missing" = 0 ] && ok || bad "$missing of $n_acked acknowledged 届出 lost in the crash"
echo "crash test: $n_acked acknowledged before kill -9, $missing lost"
start again "$db" || exit 1
url=http://127.0.0.1:$port
[ "$(c "$url/readyz")" = 200 ] && ok || bad "restarted daemon ready"
# SIGTERM while writes are in flight: those accepted are answered and durable, exit 0
tag=t run_streams TERM
[ "$stop_rc" = 0 ] && ok || bad "exit $stop_rc on SIGTERM during writes"
[ "$n_acked" -gt 10 ] && ok || bad "only $n_acked 届出 acknowledged before SIGTERM"
[ "$missing" = 0 ] && ok || bad "$missing of $n_acked acknowledged 届出 missing after SIGTERM"

finish
