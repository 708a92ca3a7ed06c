# lib.sh — what run.sh and ab.sh share: starting the daemon on a free loopback port and the
# Web-API login. Sourced; needs curl.

# serve BIN DB OUT ERR: starts `BIN serve` at warn level (no per-request log, as nginx runs
# without an access log) on 127.0.0.1:0; sets pid and port, or prints ERR and exits 1.
serve() {
    SHIKAKU_LOG_LEVEL=warn "$1" serve --db "$2" --listen 127.0.0.1:0 >"$3" 2>"$4" &
    pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$3")
        [ -n "$port" ] && return 0
        sleep 0.05
    done
    cat "$4"
    exit 1
}

# idtoken URL INSTITUTION API_TOKEN: the Web-API idToken (ILI12020SV01/auth).
idtoken() {
    curl -s -d "{\"loginId\":\"$2\",\"password\":\"$3\"}" "$1/oqs-api-pro/MSA12020/ILI12020SV01/auth" |
        sed -n 's/.*"idToken":"\([^"]*\)".*/\1/p'
}
