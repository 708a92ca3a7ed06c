#!/usr/bin/env bash
# System test: the real `shikaku` binary — help, version, init, exit codes, file modes.
# usage: test_cli.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

check() { # check NAME EXPECTED_EXIT COMMAND...
    local name=$1 want=$2
    shift 2
    "$@" >"$dir/out" 2>"$dir/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $got, want $want"
        sed 's/^/  out: /' "$dir/out"
        sed 's/^/  err: /' "$dir/err"
    fi
}
expect() { has "$2" "$3" "$1"; } # expect NAME FILE PATTERN

check "no args is a usage error" 2 "$bin"
expect "usage lists init" "$dir/err" "init"
check "--help" 0 "$bin" --help
expect "help lists commands" "$dir/out" "version"
expect "help documents exit codes" "$dir/out" "exit codes"
check "help init" 0 "$bin" help init
expect "init help" "$dir/out" "--db PATH"
check "init --help" 0 "$bin" init --help
expect "init --help text" "$dir/out" "0600"
check "unknown command" 2 "$bin" frobnicate
expect "unknown named" "$dir/err" "unknown command 'frobnicate'"
check "version" 0 "$bin" version
expect "version text" "$dir/out" "^shikaku [0-9]*\.[0-9]*\.[0-9]* (schema [0-9]*"

check "init without --db" 2 "$bin" init
expect "init names the flag" "$dir/err" "--db PATH is required"
check "init bad flag" 2 "$bin" init --db "$dir/a.db" --bogus
[ ! -e "$dir/a.db" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL bad flag created a file"; }

check "init" 0 "$bin" init --db "$dir/a.db"
expect "init reports" "$dir/out" "created $dir/a.db"
mode=$(stat -c %a "$dir/a.db.key")
[ "$mode" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL key mode $mode"; }
mode=$(stat -c %a "$dir/a.db")
[ "$mode" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL db mode $mode"; }
keysum=$(sha256sum "$dir/a.db.key")

check "init twice refuses" 4 "$bin" init --db "$dir/a.db"
expect "refusal names the code" "$dir/err" "error file_exists"
[ "$keysum" = "$(sha256sum "$dir/a.db.key")" ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL key file changed"; }

check "key file in a missing directory" 3 "$bin" init --db "$dir/b.db" --key-file "$dir/keys/b.key"
expect "key file error named" "$dir/err" "error io"
[ ! -e "$dir/b.db" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL db left without key"; }
mkdir -p "$dir/keys"
check "init with separate key file" 0 "$bin" init --db "$dir/b.db" --key-file "$dir/keys/b.key"
[ -f "$dir/keys/b.key" ] && [ ! -e "$dir/b.db.key" ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --key-file not honoured"; }
check "init in a missing directory" 3 "$bin" init --db "$dir/nope/c.db"
expect "io error named" "$dir/err" "error io"
[ ! -e "$dir/nope" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL left files"; }

finish
