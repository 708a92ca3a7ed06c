# lib.sh — shared by the system tests: arguments, scratch directory, pass/fail counting.
# Each test script is called as: test_X.sh SHIKAKU_BINARY SCRATCH_DIR
bin=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# has FILE PATTERN WHAT: FILE contains PATTERN (grep), else a failure naming WHAT
has() { grep -q -- "$2" "$1" && ok || { bad "$3: '$2' not in $1"; sed 's/^/  /' "$1" | head -20; }; }
# the daemons' (and the bridge's) stderr files: on a failure, finish prints their ends, so that
# a daemon that died (a sanitizer's report, an assertion) shows why in the CI's output
logs=()
# finish: the closing line ctest and the CI read, and the exit status
finish() {
    local f
    if [ "$fail" -ne 0 ]; then
        for f in "${logs[@]}"; do
            [ -s "$f" ] || continue
            echo "--- the last lines of $f"
            tail -n 60 "$f"
        done
    fi
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
# start NAME DB [serve args…]: starts a daemon on a free loopback port; sets $pid and $port
start() {
    local name=$1 db=$2
    shift 2
    logs+=("$dir/$name.err")
    "$bin" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$dir/$name.out" 2>"$dir/$name.err" &
    pid=$!
    if wait_listening "$dir/$name.out" "$pid"; then
        port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$dir/$name.out")
        return 0
    fi
    echo "daemon $name did not start:"
    cat "$dir/$name.err"
    return 1
}
# wait_listening OUT PID: true once the daemon PID has written its "listening on" line to OUT
# (within 5 s), false when it has exited or the time is up
wait_listening() {
    for _ in $(seq 1 100); do
        grep -q '^listening on ' "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
# demo_data DB PERSONS: the demo's registry in DB; its principals, one line per role ("role
# scope token"), in $dir/demo.txt, read by tok ROLE and scope ROLE
demo_data() { "$bin" demo --db "$1" --persons "$2" >"$dir/demo.txt" || { echo "demo failed"; exit 1; }; }
tok() { awk -v r="$1" '$1 == r { print $3 }' "$dir/demo.txt"; }
scope() { awk -v r="$1" '$1 == r { print $2 }' "$dir/demo.txt"; }
# member_key DB: "保険者番号|番号|枝番|YYYYMMDD" of the first registered qualification in force
# today (insurers by number, then qualifications by id), without a 記号 and not under 閲覧停止 (in
# the demo data, a look-up of it today answers 有効) — read with `shikaku member list`, not from
# the database file, so that it works on any store driver
member_key() {
    "$bin" member list --db "$1" --registered | awk -F'\t' '
        NR > 1 && !found && $2 == "-" && $11 == "no" {
            gsub("-", "", $5); print $1 "|" $3 "|" $4 "|" $5; found = 1 }'
}
