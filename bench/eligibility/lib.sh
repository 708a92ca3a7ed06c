# lib.sh — what run.sh and ab.sh share: starting the daemon on a free loopback port and the
# Web-API login. Sourced; needs curl.

# serve BIN DB OUT ERR: starts `BIN serve` at warn level (no per-request log, as nginx runs
# without an access log) on 127.0.0.1:0; sets pid and port, or prints ERR and exits 1.
serve() {
    SHIKAKU_LOG_LEVEL=warn "$1" serve --db "$2" --listen 127.0.0.1:0 >"$3" 2>"$4" &
    pid=$!
    wait_port "$3" "$4" 10
}

# wait_port OUT ERR SECONDS: sets port from the daemon's "listening on" line in OUT, or prints
# ERR and exits 1 after SECONDS.
wait_port() {
    port=""
    for _ in $(seq 1 $(($3 * 20))); do
        port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$1")
        [ -n "$port" ] && return 0
        sleep 0.05
    done
    cat "$2"
    exit 1
}

# institution_copy BIN DB DEST LABEL: copies a generated DB (and its key) to DEST and registers
# the benchmark's institution there; sets inst, today and token (its API token).
institution_copy() {
    inst=0110113719
    today=$(TZ=Asia/Tokyo date +%Y%m%d)
    cp "$2" "$3"
    cp "$2.key" "$3.key"
    token=$("$1" user add --db "$3" --role institution --scope "$inst" --label "$4" | tail -1)
}

# idtoken URL INSTITUTION API_TOKEN: the Web-API idToken (ILI12020SV01/auth).
idtoken() {
    curl -s -d "{\"loginId\":\"$2\",\"password\":\"$3\"}" "$1/oqs-api-pro/MSA12020/ILI12020SV01/auth" |
        sed -n 's/.*"idToken":"\([^"]*\)".*/\1/p'
}
