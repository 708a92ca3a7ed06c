#!/usr/bin/env bash
# `make run`: creates the database (once), then runs the daemon in the foreground (Ctrl-C stops
# it gracefully). LISTEN overrides the address (default 127.0.0.1:8080).
# usage: run.sh SHIKAKU_BINARY DB_PATH
set -euo pipefail
bin=$1
db=$2
listen=${LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
if [ ! -e "$db" ]; then
  "$bin" init --db "$db"
else
  echo "using existing database $db (key file $db.key)"
fi
"$bin" version
cat <<MSG

Starting shikaku on http://$listen — try, from another terminal:

  curl -s http://$listen/healthz
  curl -s http://$listen/readyz
  curl -s http://$listen/metrics

Ctrl-C drains requests in flight and stops. (The /v1 API and demo data come with the
registry work, issue #3.)

MSG
exec "$bin" serve --db "$db" --listen "$listen"
