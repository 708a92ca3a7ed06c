#!/usr/bin/env bash
# System test: `make run`'s script (scripts/run.sh) as a newcomer meets it — it seeds the demo,
# starts the daemon and prints commands to paste; the commands it prints for a medical
# institution answer 有効 in all three forms and through the folder bridge, and no answer
# carries a 12-digit number.
# usage: test_run.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

# a free loopback port for LISTEN (run.sh serves where it is told)
listen=127.0.0.1:$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
logs+=("$dir/run.err")
LISTEN=$listen PERSONS=30 "$here/../../scripts/run.sh" "$bin" "$dir/var/shikaku.db" >"$dir/run.out" 2>"$dir/run.err" &
pid=$!
wait_listening "$dir/run.out" "$pid"
has "$dir/run.out" "^listening on http://$listen\$" "the daemon of make run"
[ "$(stat -c %a "$dir/var/demo-tokens.txt")" = 600 ] && ok || bad "demo-tokens.txt is not mode 0600"

# the employer's 資格取得届 it prints: registered, and its person passes the 誤入力チェック
# (a resident of the demo's register), so display is not stopped
sed -n '/an employer files a 資格取得届/,/^$/p' "$dir/run.out" >"$dir/hire.sh"
bash "$dir/hire.sh" >"$dir/hire.out" 2>&1 && ok || bad "the 届出 command failed: $(cat "$dir/hire.out")"
has "$dir/hire.out" '"state":"registered"' "the printed 届出 is registered"
grep -q '"display_stopped":false' "$dir/hire.out" && ok || bad "the printed 届出's person is 閲覧停止: $(cat "$dir/hire.out")"
# the insurer's reads it prints: its members, a person that is its member, its work items
sed -n '/the insurer lists its members/,/^$/p' "$dir/run.out" >"$dir/insurer.sh"
bash "$dir/insurer.sh" >"$dir/insurer.out" 2>&1 && ok || bad "the insurer's commands failed"
grep -q '"forbidden"\|"not_found"' "$dir/insurer.out" && bad "an insurer's printed read is refused: $(cat "$dir/insurer.out")" || ok
sed -n '/identity work items/,/^  #   (or/p' "$dir/run.out" | grep '^  curl' | head -1 >"$dir/items.sh"
bash "$dir/items.sh" >"$dir/items.out" 2>&1
has "$dir/items.out" '"work_items":\[' "the printed work-item listing answers"

# the institution's commands: from the comment that introduces them to the next blank line
sed -n '/a medical institution asks/,/^$/p' "$dir/run.out" >"$dir/lookups.sh"
[ "$(grep -c '^  curl ' "$dir/lookups.sh")" = 3 ] && ok || bad "three look-up commands, got: $(cat "$dir/lookups.sh")"
bash "$dir/lookups.sh" >"$dir/answers" 2>"$dir/lookups.err" && ok || bad "the look-up commands failed: $(cat "$dir/lookups.err")"
has "$dir/answers" '"validity":{"code":"1","label":"有効"}' "/v1/eligibility answers 有効"
has "$dir/answers" '"QualificationValidity":"1"' "the Web-API search answers 有効"
has "$dir/answers" '<QualificationValidity>1</QualificationValidity>' "the XML file answers 有効"
grep -Eq '(^|[^0-9])[0-9]{12}([^0-9]|$)' "$dir/answers" && bad "a 12-digit number in an answer" || ok

# the folder exchange it prints: a request file written, the bridge run once, its answer shown
sed -n '/the clinic-side folder exchange/,/^$/p' "$dir/run.out" >"$dir/bridge.sh"
grep -q -- '--once' "$dir/bridge.sh" && ok || bad "no bridge command: $(cat "$dir/bridge.sh")"
bash "$dir/bridge.sh" >"$dir/bridge.out" 2>"$dir/bridge.err" && ok ||
    bad "the bridge commands failed: $(cat "$dir/bridge.err")"
has "$dir/bridge.out" '<QualificationValidity>1</QualificationValidity>' "the bridge's answer is 有効"
[ ! -e "$dir/var/clinic/req/OQSsiquc01req_demo1.xml" ] && ok || bad "the request is still in req/"
[ "$(stat -c %a "$dir/var/clinic.token")" = 600 ] && ok || bad "clinic.token is not mode 0600"

kill -TERM "$pid"
wait "$pid" 2>/dev/null
finish
