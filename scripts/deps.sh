#!/usr/bin/env bash
# Installs the Debian 12 packages shikaku needs to build, run and test.
# Called by `make run` and `make test`; does nothing when everything is present.
set -euo pipefail

# One line per package, with the reason it is here (see docs/dependencies.md).
PKGS=(
  build-essential   # gcc, make
  cmake             # build system
  pkg-config        # finds the libraries below
  libsqlite3-dev    # embedded store (src/store/sqlite)
  libssl-dev        # AES-256-GCM, HMAC-SHA-256, random bytes (My Number at rest)
  libutf8proc-dev   # Unicode NFKC for identity matching (src/core/normalize)
  libmicrohttpd-dev # HTTP server of `shikaku serve` (src/http)
  libjansson-dev    # JSON bodies of the API (src/http)
  libxml2-dev       # OQS XML messages (src/oqs/xml.c)
  libcurl4-openssl-dev # HTTP client of `shikaku bridge` (src/bridge)
  curl              # system tests talk HTTP to the real daemon
  libcmocka-dev     # unit tests
  sqlite3           # the SQLite shell, for the SQLite driver's own system tests (tests/system/sqlite)
  python3-yaml      # the OpenAPI check reads docs/api/openapi.yaml
  python3-jsonschema # the OpenAPI check validates real responses (tests/system/openapi_check.py)
  clang-format      # style check in `make test`
)

# `deps.sh fuzz` (make fuzz) also needs clang and its libFuzzer runtime
if [ "${1:-}" = fuzz ]; then
  PKGS+=(clang libclang-rt-14-dev)
fi
# `deps.sh test` (make test) and `deps.sh bench`: the eligibility benchmark's load generator
# and its nginx baseline — the suite runs the benchmarks' harnesses (tests/system/test_bench*.sh);
# `make run` does not need them
if [ "${1:-}" = test ] || [ "${1:-}" = bench ]; then
  PKGS+=(wrk nginx-light)
fi
# `deps.sh bench` (make bench-eligibility): callgrind for bench/eligibility/instr.sh
if [ "${1:-}" = bench ]; then
  PKGS+=(valgrind)
fi

names=()
for line in "${PKGS[@]}"; do names+=("${line%% *}"); done

missing=()
for p in "${names[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "deps: missing packages (${missing[*]}) and not root; install them and retry" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# nginx is wanted as a program the benchmark starts on loopback, not as this machine's web
# server: its package must not start (policy-rc.d, for the install only) or enable its service
new_nginx=""
policy=""
case " ${missing[*]} " in *" nginx-light "*)
  new_nginx=1
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
  fi ;;
esac
rc=0
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
[ -n "$policy" ] && $SUDO rm -f "$policy"
if [ -n "$new_nginx" ] && [ "$rc" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now --quiet nginx 2>/dev/null || true
fi
[ "$rc" -eq 0 ] || { echo "deps: apt-get failed ($rc)" >&2; exit "$rc"; }
echo "deps: done" >&2
