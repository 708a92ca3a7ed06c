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
  libxml2-dev       # OQS XML messages (src/verify/oqs_xml.c)
  libcurl4-openssl-dev # HTTP client of `shikaku bridge` (src/bridge)
  curl              # system tests talk HTTP to the real daemon
  libcmocka-dev     # unit tests
  sqlite3           # CLI used by the store tamper tests and the registry system test
  python3-yaml      # the OpenAPI check reads docs/api/openapi.yaml
  python3-jsonschema # the OpenAPI check validates real responses (tests/system/openapi_check.py)
  clang-format      # style check in `make test`
  wrk               # load generator of bench/eligibility (its harness is a system test)
  nginx-light       # the static baseline bench/eligibility measures against
)

# `deps.sh fuzz` (make fuzz) also needs clang and its libFuzzer runtime
if [ "${1:-}" = fuzz ]; then
  PKGS+=(clang libclang-rt-14-dev)
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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
