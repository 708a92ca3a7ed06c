#!/usr/bin/env bash
# Fault test: J-LIS (the resident register) goes missing (issue 19 B.6).
# 1. The register's file is removed while the daemon runs: the register loaded stays in use (a
#    届出 with a My Number is still checked against it), /readyz says jlis_file, a reload is
#    refused with 503 jlis_unavailable and keeps it; the file back, a reload reads it.
# 2. J-LIS unavailable from the start (identity.jlis_file names a file not there yet): the
#    daemon starts anyway and answers look-ups; /readyz says jlis_unavailable; a 届出 with a
#    My Number is accepted and its check waits (閲覧停止 until J-LIS answers: W11.4), a reload
#    is refused with 503 jlis_unavailable; once the file appears the scheduler reads it and
#    /readyz is ready. Each time SIGTERM ends within 10 s with exit 0 (nothing was lost).
# usage: test_fault_jlis.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults.sh"

db=$dir/j.db
fault_setup "$db"
register=$db.jlis.csv
printf '400000000017,検査　一郎,ケンサ イチロウ,1980-05-05,1,東京都千代田区千代田1-1,,\n' >>"$register"
printf '400000000025,検査　二郎,ケンサ ジロウ,1981-06-06,1,東京都千代田区千代田1-2,,\n' >>"$register"
cp "$register" "$dir/register.keep"
file_with() { # file_with MYNUMBER NAME KANA BIRTHDATE ADDRESS: a 資格取得届 that is checked
    req file "$EMP" POST /v1/notifications "{\"kind\":\"acquisition\",\"name\":\"$2\",\"kana\":\"$3\",\"birthdate\":\"$4\",\"sex\":\"1\",\"address\":\"$5\",\"acquired_on\":\"$today\",\"mynumber\":\"$1\"}"
}

# --- 1. the file removed under a running daemon
start main "$db" || exit 1
want "ready before" 200 "$(ready)"
rm -f "$register"
want "healthz" 200 "$(healthy)"
want "look-up, register gone" 200 "$(lookup)" "$dir/look" '"validity"'
refused "readyz, register gone" "$(ready)" ready jlis_file
has "$dir/ready" '"field":"jlis"' "readyz names J-LIS"
want "a 届出 checked against the register loaded" 201 \
    "$(file_with 400000000017 '検査　一郎' 'ケンサ イチロウ' 1980-05-05 '東京都千代田区千代田1-1')" \
    "$dir/file" '"display_stopped":false'
refused "reload, register gone" "$(req reload "$OP" POST /v1/jlis:reload)" reload jlis_unavailable
has "$dir/reload" "stays in use" "the reload says the register stays"
cp "$dir/register.keep" "$register"
want "reload, register back" 200 "$(req reload "$OP" POST /v1/jlis:reload)"
want "ready again" 200 "$(ready)"
stop_within
want "exit status" 0 "$stop_rc"

# --- 2. J-LIS unavailable from the start
rm -f "$register"
printf 'identity.jlis_file = %s\nidentity.tick_ms = 300\n' "$register" >"$dir/j.conf"
start later "$db" --config "$dir/j.conf" || exit 1
has "$dir/later.err" "J-LIS is unavailable" "the start says J-LIS is unavailable"
refused "readyz, J-LIS unavailable" "$(ready)" ready jlis_unavailable
want "look-up, J-LIS unavailable" 200 "$(lookup)" "$dir/look" '"validity"'
want "a 届出 whose check waits for J-LIS" 201 \
    "$(file_with 400000000025 '検査　二郎' 'ケンサ ジロウ' 1981-06-06 '東京都千代田区千代田1-2')" \
    "$dir/file" '"display_stopped":true'
refused "reload, J-LIS unavailable" "$(req reload "$OP" POST /v1/jlis:reload)" reload jlis_unavailable
cp "$dir/register.keep" "$register"
until_ready 10 && ok || { bad "not ready within 10 s of the register appearing"; cat "$dir/ready"; }
has "$dir/later.err" "J-LIS is available" "the scheduler read the register"
stop_within
want "exit status" 0 "$stop_rc"
[ "$stop_s" -le "$STOP_MAX" ] && ok || bad "stopping took $stop_s s"
finish
