# faults.sh — sourced by the fault tests (test_fault_*.sh) after lib.sh: a demo database, the
# requests each test makes of the real daemon (a look-up, a 届出, /readyz), and a stop that
# must end within a bounded time. Each test breaks one thing under a running daemon and
# expects: /healthz and look-ups answered, writes refused with 503 and the cause's code (never
# 500), /readyz 503 naming the cause, and SIGTERM ending within STOP_MAX seconds — exit 8 when
# answered look-ups could not be recorded, else 0 (docs/errors.md "Storage faults").
STOP_MAX=10
# a stop gives up on failing rows after 2 s (audit.stop_timeout_ms), rows wait at most 200 ms
export SHIKAKU_AUDIT_STOP_TIMEOUT_MS=2000 SHIKAKU_AUDIT_FLUSH_MS=200
today=$(TZ=Asia/Tokyo date +%Y-%m-%d)

# fault_setup DB: the demo's registry (10 persons) in DB; sets INST, EMP, OP and the look-up Q
fault_setup() {
    demo_data "$1" 10
    INST=$(tok institution) EMP=$(tok employer) OP=$(tok operator)
    local ins num br birth
    IFS='|' read -r ins num br birth <<<"$(member_key "$1")"
    Q="{\"insurer_number\":\"$ins\",\"number\":\"$num\",\"branch\":\"$br\","
    Q="$Q\"birthdate\":\"${birth:0:4}-${birth:4:2}-${birth:6:2}\"}"
}
# req NAME TOKEN METHOD PATH [BODY]: the status; the body in $dir/NAME
req() {
    local name=$1 token=$2 method=$3 path=$4 body=${5-}
    local args=(-s -o "$dir/$name" -w '%{http_code}' --max-time 5 -X "$method")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    curl "${args[@]}" "http://127.0.0.1:$port$path"
}
lookup() { req look "$INST" POST /v1/eligibility "$Q"; }
n_files=0
file_one() { # a 資格取得届 without My Number: a write that needs nothing but the database
    n_files=$((n_files + 1))
    req file "$EMP" POST /v1/notifications "{\"kind\":\"acquisition\",\"name\":\"障害　試験\",\"kana\":\"ショウガイ シケン\",\"birthdate\":\"1990-04-01\",\"sex\":\"1\",\"address\":\"東京都千代田区1-$n_files\",\"acquired_on\":\"$today\"}"
}
ready() { req ready "" GET /readyz; }
healthy() { req health "" GET /healthz; }
# want WHAT WANT GOT [FILE PATTERN]: GOT is WANT (and FILE has PATTERN)
want() {
    [ "$3" = "$2" ] && ok || { bad "$1: $3, want $2"; [ -n "${4-}" ] && sed 's/^/  /' "$4"; }
    [ -z "${4-}" ] || has "$4" "$5" "$1"
}
# refused WHAT CODE NAME: the request NAME got 503 with error code CODE (not a 500)
refused() { want "$1" 503 "$2" "$dir/$3" "\"code\":\"$4\""; }
# until_ready SECONDS: /readyz answers 200 within SECONDS
until_ready() {
    for _ in $(seq 1 $(($1 * 10))); do
        [ "$(ready)" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
# stop_within: SIGTERM; sets stop_rc and stop_s (seconds it took); a daemon still running after
# STOP_MAX seconds fails the test and is killed
stop_within() {
    local t0 t1
    t0=$(date +%s%N)
    kill -TERM "$pid"
    for _ in $(seq 1 $((STOP_MAX * 20))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        bad "SIGTERM did not stop the daemon within $STOP_MAX s"
        kill -9 "$pid"
    fi
    wait "$pid"
    stop_rc=$?
    t1=$(date +%s%N)
    stop_s=$(((t1 - t0) / 1000000000))
    pid=""
}
# quiet_log FILE: the daemon did not flood its log (a failing writer logs once per 10 s)
quiet_log() {
    local n
    n=$(grep -c 'lookup audit:' "$1")
    [ "$(stat -c %s "$1")" -lt 200000 ] && [ "$n" -lt 20 ] && ok ||
        bad "the log grew to $(stat -c %s "$1") bytes, $n look-up audit lines"
}
