#!/usr/bin/env bash
# `make run`: creates the database (once) and shows what this build of shikaku provides.
# usage: run.sh SHIKAKU_BINARY DB_PATH
set -euo pipefail
bin=$1
db=$2
mkdir -p "$(dirname "$db")"
if [ ! -e "$db" ]; then
  "$bin" init --db "$db"
else
  echo "using existing database $db (key file $db.key)"
fi
"$bin" version
cat <<MSG

shikaku is initialised at $db.
This build has the foundation: the domain rules (src/core), the encrypted SQLite store
(src/store) and the CLI. Try:

  $bin --help
  $bin init --help

The daemon (shikaku serve) with demo data arrives with the registry work; see README.md.
MSG
