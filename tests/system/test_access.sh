#!/usr/bin/env bash
# System test: principals end to end — `shikaku insurer/employer/user add`, then Bearer
# authentication against the real daemon (/v1/whoami).
# usage: test_access.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
db=$dir/a.db
"$bin" init --db "$db" >/dev/null || { echo "init failed"; exit 1; }

run() { # run EXPECTED_EXIT COMMAND...: output in $dir/out, $dir/err
    local want=$1
    shift
    "$@" >"$dir/out" 2>"$dir/err"
    local got=$?
    [ "$got" = "$want" ] && ok || { bad "exit $got, want $want: $*"; cat "$dir/err"; }
}

run 0 "$bin" insurer add --db "$db" --number 01130012 --name "全国健康保険協会東京支部"
has "$dir/out" "全国健康保険協会" "insurer kind from 法別番号"
run 4 "$bin" insurer add --db "$db" --number 01130012 --name again
has "$dir/err" "error duplicate" "duplicate insurer named"
run 1 "$bin" insurer add --db "$db" --number 12130019 --name "生活保護"
has "$dir/err" "error insurer_number_houbetsu number" "公費 number refused"
run 2 "$bin" insurer add --db "$db" --name x
run 2 "$bin" insurer list --db "$db"

run 0 "$bin" employer add --db "$db" --insurer 01130012 --name "株式会社シカク" --office-code ｱｲｳ
emp=$(tail -n 1 "$dir/out")
[ "$emp" = 1 ] && ok || bad "employer id '$emp'"
run 1 "$bin" employer add --db "$db" --insurer 33120015 --name "no such insurer"
has "$dir/err" "error not_found insurer" "unknown insurer named"

run 0 "$bin" user add --db "$db" --role employer --scope "$emp" --label 人事部
emp_token=$(tail -n 1 "$dir/out")
case $emp_token in skt_????????????????????????????????????????????????????????????????) ok ;;
*) bad "token format '$emp_token'" ;; esac
run 0 "$bin" user add --db "$db" --role operator
op_token=$(tail -n 1 "$dir/out")
[ "$op_token" != "$emp_token" ] && ok || bad "tokens repeat"
run 1 "$bin" user add --db "$db" --role employer --scope 42
has "$dir/err" "error scope scope" "unknown employer scope named"
run 1 "$bin" user add --db "$db" --role root
has "$dir/err" "error role role" "unknown role named"
run 2 "$bin" user add --db "$db"
# the token is not in the database, only its hash
if grep -a -q "${emp_token#skt_}" "$db" "$db-wal" 2>/dev/null; then bad "token stored in plain"; else ok; fi

start serve "$db" || exit 1
url=http://127.0.0.1:$port
c() { curl -s -o "$dir/body" -D "$dir/head" -w '%{http_code}' --max-time 10 "$@"; }

[ "$(c "$url/v1/whoami")" = 401 ] && ok || bad "no token: not 401"
has "$dir/head" 'WWW-Authenticate: Bearer' "401 challenge"
has "$dir/body" '"code":"unauthenticated"' "401 code"
[ "$(c -H "Authorization: Bearer skt_nothing" "$url/v1/whoami")" = 401 ] && ok || bad "bad token"
[ "$(c -H "Authorization: Basic $emp_token" "$url/v1/whoami")" = 401 ] && ok || bad "wrong scheme"
[ "$(c -H "Authorization: Bearer $emp_token" "$url/v1/whoami")" = 200 ] && ok || bad "whoami"
has "$dir/body" '"role":"employer"' "whoami role"
has "$dir/body" '"scope":"1"' "whoami scope"
has "$dir/body" '"label":"人事部"' "whoami label"
[ "$(c -H "Authorization: Bearer $op_token" "$url/v1/whoami")" = 200 ] && ok || bad "operator"
has "$dir/body" '"role":"operator"' "operator role"
if grep -q "$emp_token" "$dir/serve.err"; then bad "token in the log"; else ok; fi

kill -TERM "$pid"
wait "$pid" && ok || bad "serve exit"
finish
