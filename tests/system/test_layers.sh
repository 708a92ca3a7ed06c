#!/usr/bin/env bash
# System test: scripts/check-layers.sh — the real src/ keeps its layers (docs/design/layers.md),
# and the check catches what is planted in a copy: an upward include, one between services, a
# folder of src/ unknown to the rules; a missing directory is a usage error.
# usage: test_layers.sh SHIKAKU_BINARY SCRATCH_DIR (the binary is not used)
# (set -u only, as in every system test: a failed check is counted and the others still run)
# shellcheck disable=SC2015 # `… && ok || bad …` as in lib.sh: ok never fails
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../../scripts/check-layers.sh
src=$here/../../src

run() { # run NAME EXPECTED_EXIT [SRC_DIR…]: the check, its output in $dir/out and $dir/err
    local name=$1 want=$2
    shift 2
    bash "$check" "$@" >"$dir/out" 2>"$dir/err"
    local got=$?
    [ "$got" -eq "$want" ] && ok || {
        bad "$name: exit $got, want $want"
        sed 's/^/  out: /' "$dir/out"
        sed 's/^/  err: /' "$dir/err"
    }
}
fresh() { rm -rf "$dir/src" && cp -r "$src" "$dir/src"; } # a fresh copy of src/ in $dir/src

# the real tree, by default and by name
run "the real src/" 0
run "the real src/, named" 0 "$src"
has "$dir/out" "src: [0-9]* files, [0-9]* includes, no violation$" "the clean tree's summary"
fresh
run "an unchanged copy" 0 "$dir/src"

# an upward include: core including http
sed -i '1i #include "http/http.h"' "$dir/src/core/date.c"
run "core includes http" 1 "$dir/src"
has "$dir/out" "^$dir/src/core/date.c:1: core includes http/http.h (upward: core may include util)$" \
    "the upward include is named with its file, line and layers"
[ "$(wc -l <"$dir/out")" -eq 1 ] && ok || bad "one violation, one line: $(cat "$dir/out")"

# between services: registry including verify (higher), checks and documents (same rank)
fresh
sed -i '1i #include "verify/verify.h"' "$dir/src/registry/registry.c"
run "registry includes verify" 1 "$dir/src"
has "$dir/out" "registry/registry.c:1: registry includes verify/verify.h (upward" "registry → verify"
fresh
mkdir -p "$dir/src/checks" "$dir/src/documents"
printf '#include "util/err.h"\n' >"$dir/src/documents/documents.h"
printf '#include "identity/identity.h"\n' >"$dir/src/checks/checks.h"
run "checks and documents, once they appear" 0 "$dir/src"
printf '#include "checks/checks.h"\n#include "documents/documents.h"\n' >"$dir/src/checks/checks.c"
run "checks includes documents" 1 "$dir/src"
has "$dir/out" "checks/checks.c:2: checks includes documents/documents.h (same rank" \
    "checks → documents"

# the bridge reaches the store; http reaches the bridge; a service reaches demo
fresh
printf '#include "store/store.h"\n' >>"$dir/src/bridge/client.c"
printf '#include "bridge/bridge.h"\n' >>"$dir/src/http/metrics.c"
mkdir -p "$dir/src/demo"
printf '#include "verify/verify.h"\n' >"$dir/src/demo/demo.h"
printf '#include "demo/demo.h"\n' >>"$dir/src/verify/verify.c"
run "bridge → store, http → bridge, verify → demo" 1 "$dir/src"
has "$dir/out" "bridge/client.c:[0-9]*: bridge includes store/store.h (not allowed" "bridge → store"
has "$dir/out" "http/metrics.c:[0-9]*: http includes bridge/bridge.h (not allowed" "http → bridge"
has "$dir/out" "verify/verify.c:[0-9]*: verify includes demo/demo.h (upward" "verify → demo"
! grep -q "src/demo/" "$dir/out" && ok || bad "demo including verify is allowed"

# a folder unknown to the rules, and an include of one
fresh
mkdir -p "$dir/src/foo"
printf 'int foo_x;\n' >"$dir/src/foo/x.c"
run "an unknown folder" 1 "$dir/src"
has "$dir/out" "^$dir/src/foo/: unknown layer 'foo'" "the unknown folder is named"
rm -r "$dir/src/foo"
sed -i '1i #include "foo/foo.h"' "$dir/src/cli/main.c"
run "an include of an unknown folder" 1 "$dir/src"
has "$dir/out" "cli/main.c:1: cli includes foo/foo.h, of unknown layer 'foo'" "the unknown target"

# usage errors
run "a missing directory" 2 "$dir/nonexistent"
has "$dir/err" "nonexistent: not a directory" "the missing directory is named"
run "two directories" 2 "$src" "$src"
has "$dir/err" "^usage: " "the usage is printed"

finish
