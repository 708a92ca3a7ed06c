#!/usr/bin/env bash
# `make run`: seeds a demo database (once: var/shikaku.db, tokens saved in var/demo-tokens.txt,
# mode 0600), then runs the daemon in the foreground (Ctrl-C drains and stops it).
# LISTEN overrides the address (default 127.0.0.1:8080).
# usage: run.sh SHIKAKU_BINARY DB_PATH
set -euo pipefail
bin=$1
db=$2
listen=${LISTEN:-127.0.0.1:8080}
tokens=$(dirname "$db")/demo-tokens.txt
mkdir -p "$(dirname "$db")"
if [ ! -e "$db" ]; then
  umask 077
  "$bin" demo --db "$db" --persons "${PERSONS:-200}" > "$tokens"
  head -1 "$tokens"
else
  echo "using existing database $db (key file $db.key)"
fi
"$bin" version
tok() { awk -v r="$1" '$1 == r { print $3 }' "$tokens" 2>/dev/null || true; }
scope() { awk -v r="$1" '$1 == r { print $2 }' "$tokens" 2>/dev/null || true; }
EMP=$(tok employer); INS=$(tok insurer); INSNO=$(scope insurer); PERSON=$(scope person)
cat <<MSG

Starting shikaku on http://$listen (tokens: $tokens). Try, from another terminal:

  curl -s http://$listen/healthz
  curl -s http://$listen/metrics | grep shikaku_notifications

  # an employer files a 資格取得届 (registered at once; the answer has 記号・番号・枝番). Its
  # My Number is not in the demo's resident register ($db.jlis.csv): the 誤入力チェック
  # stops its display (display_stopped) and gives the insurer a work item
  curl -s http://$listen/v1/notifications -H 'Authorization: Bearer $EMP' \\
    -H 'Idempotency-Key: hire-0001' -H 'Content-Type: application/json' \\
    -d '{"kind":"acquisition","name":"新井　一郎","kana":"アライ イチロウ","birthdate":"1998-07-07",
         "sex":"1","address":"東京都千代田区千代田1-1","postcode":"100-0001",
         "acquired_on":"$(date +%F)","mynumber":"123456789018","certificate":"true"}'

  # the insurer lists its members valid today, and looks at one person
  curl -s 'http://$listen/v1/insurers/$INSNO/members?limit=5' -H 'Authorization: Bearer $INS'
  curl -s http://$listen/v1/persons/$PERSON -H 'Authorization: Bearer $INS'

  # the insurer's identity work items (誤入力チェック mismatches, J-LIS retrievals to review)
  curl -s 'http://$listen/v1/work-items?state=open' -H 'Authorization: Bearer $INS'

The API is described in docs/api/openapi.yaml. Ctrl-C drains requests in flight and stops.

MSG
exec "$bin" serve --db "$db" --listen "$listen"
