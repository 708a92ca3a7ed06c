#!/usr/bin/env bash
# System test: `shikaku serve` — the real daemon on a free loopback port with a temporary
# database: operational endpoints, error bodies, limits, and a graceful drain on SIGTERM.
# usage: test_serve.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"

"$bin" init --db "$dir/a.db" >/dev/null || { echo "init failed"; exit 1; }
printf 'http.max_body = 4096\nhttp.drain_ms = 20000\n' >"$dir/serve.conf"

start main "$dir/a.db" --config "$dir/serve.conf" || exit 1
url=http://127.0.0.1:$port
c() { curl -s -o "$dir/body" -D "$dir/head" -w '%{http_code}' --max-time 10 "$@"; }

[ "$(c "$url/healthz")" = 200 ] && ok || bad "healthz status"
has "$dir/body" '"status":"ok"' "healthz body"
has "$dir/head" 'X-Request-Id: [0-9a-f]*-[0-9]' "request id header"
has "$dir/head" 'Content-Type: application/json' "json content type"
[ "$(c "$url/readyz")" = 200 ] && ok || bad "readyz status"
has "$dir/body" '"status":"ready"' "readyz body"
[ "$(c -I "$url/healthz")" = 200 ] && ok || bad "HEAD healthz"

[ "$(c "$url/v0/nothing")" = 404 ] && ok || bad "404 status"
has "$dir/body" '"code":"not_found"' "404 code"
has "$dir/body" '"field":"path"' "404 field"
[ "$(c -X DELETE "$url/metrics")" = 405 ] && ok || bad "405 status"
has "$dir/head" 'Allow: GET' "405 Allow"
has "$dir/body" '"code":"method_not_allowed"' "405 code"

# limits: body over http.max_body, headers over http.max_header
head -c 5000 /dev/zero | tr '\0' 'x' >"$dir/big"
[ "$(c -X POST --data-binary @"$dir/big" "$url/healthz")" = 413 ] && ok || bad "413 status"
has "$dir/body" '"code":"too_long"' "413 code"
long=$(head -c 40000 /dev/zero | tr '\0' 'a')
st=$(c -H "X-Long: $long" "$url/healthz")
[ "$st" = 431 ] || [ "$st" = 413 ] && ok || bad "oversized header got $st"
[ "$(c "$url/healthz")" = 200 ] && ok || bad "daemon still answers after the limits"

[ "$(c "$url/metrics")" = 200 ] && ok || bad "metrics status"
has "$dir/head" 'Content-Type: text/plain; version=0.0.4' "metrics content type"
has "$dir/body" 'shikaku_http_requests_total{route="healthz",code="2xx"}' "request counter"
has "$dir/body" 'shikaku_http_requests_total{route="other",code="4xx"}' "4xx counter"
has "$dir/body" 'shikaku_http_request_duration_seconds_bucket{route="healthz",le="+Inf"}' \
    "latency histogram"
has "$dir/body" '# TYPE shikaku_notifications gauge' "notification gauge"
has "$dir/body" 'shikaku_http_requests_in_flight' "in-flight gauge"

# graceful drain: a slow upload is in flight when SIGTERM arrives; it must be answered,
# new connections must be refused meanwhile, and the daemon must then exit 0
head -c 3000 /dev/zero | tr '\0' 'y' >"$dir/slow"
curl -s -o "$dir/slow.body" -w '%{http_code}' --max-time 30 --limit-rate 1000 \
    -X POST --data-binary @"$dir/slow" "$url/healthz" >"$dir/slow.code" &
cpid=$!
sleep 1
kill -TERM "$pid"
sleep 0.3
if curl -s --max-time 2 "$url/healthz" >/dev/null 2>&1; then bad "accepted a new connection while draining"; else ok; fi
kill -0 "$pid" 2>/dev/null && ok || bad "exited before the request in flight finished"
wait "$cpid"
[ "$(cat "$dir/slow.code")" = 405 ] && ok || bad "request in flight got '$(cat "$dir/slow.code")'"
wait "$pid"
rc=$?
[ "$rc" = 0 ] && ok || bad "serve exit $rc after SIGTERM"
has "$dir/main.err" 'draining 1 request(s) in flight' "drain logged"
has "$dir/main.err" 'stopped' "stop logged"

# errors at start-up
"$bin" serve --listen 127.0.0.1:0 >/dev/null 2>"$dir/e1"
[ $? = 2 ] && ok || bad "serve without --db is a usage error"
"$bin" serve --db "$dir/a.db" --listen nonsense >/dev/null 2>"$dir/e2"
[ $? = 3 ] && ok || bad "bad --listen exit"
has "$dir/e2" 'error config_value listen' "bad --listen named"
start second "$dir/a.db" --config "$dir/serve.conf" || exit 1
"$bin" serve --db "$dir/a.db" --listen "127.0.0.1:$port" >/dev/null 2>"$dir/e3"
[ $? = 3 ] && ok || bad "port in use exit"
has "$dir/e3" 'error io listen' "port in use named"
kill -TERM "$pid"
wait "$pid"
chmod 644 "$dir/a.db.key"
"$bin" serve --db "$dir/a.db" --listen 127.0.0.1:0 >/dev/null 2>"$dir/e4"
[ $? = 3 ] && ok || bad "unsafe key file exit"
has "$dir/e4" 'error key_file' "unsafe key file named"

finish
