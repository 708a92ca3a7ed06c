#!/usr/bin/env bash
# Fault test: the database becomes read-only while the daemon runs (issue 19 B.6). As root
# (where chmod stops nothing) the folder is bind-mounted read-only over itself, or, where that is
# not allowed, its files are made immutable (chattr +i); otherwise the files lose their write
# permission (chmod). The daemon — which could still write through the descriptors it opened —
# refuses each 届出 with 503 db_read_only and answers look-ups and /healthz; /readyz says
# db_read_only. Made writable again, it writes again: the 届出 goes through, /readyz is ready,
# and every look-up answered meanwhile is in the log. Read-only once more, SIGTERM ends within
# 10 s with exit 8 naming the look-ups it could not record; the chains then verify intact.
# usage: test_fault_read_only.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults.sh"

mkdir -p "$dir/ro"
db=$dir/ro/f.db
fault_setup "$db"
mode="" files=()
lock() { # make the database read-only, the way this environment allows
    case $mode in
    bind) mount --bind "$dir/ro" "$dir/ro" && mount -o remount,bind,ro "$dir/ro" ;;
    chattr) chattr +i "${files[@]}" ;;
    chmod) chmod a-w "${files[@]}" ;;
    esac
}
unlock() {
    case $mode in
    bind) umount -l "$dir/ro" ;;
    chattr) chattr -i "${files[@]}" 2>/dev/null || true ;;
    chmod) chmod u+w "${files[@]}" 2>/dev/null || true ;;
    esac
}
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    case $mode in
    bind) mountpoint -q "$dir/ro" && umount -l "$dir/ro" ;;
    chattr) chattr -i "${files[@]}" 2>/dev/null ;;
    chmod) chmod u+w "${files[@]}" 2>/dev/null ;;
    esac
}
trap cleanup EXIT
pid=""
start main "$db" || exit 1
want "look-up before" 200 "$(lookup)"
want "届出 before" 201 "$(file_one)"
sleep 0.5
for f in "$db" "$db-wal" "$db.lookups" "$db.lookups-wal"; do [ -e "$f" ] && files+=("$f"); done
if [ -n "${SK_TEST_RO_MODE-}" ]; then # bind, chattr or chmod: to try one by hand
    mode=$SK_TEST_RO_MODE
    lock
elif [ "$(id -u)" = 0 ]; then
    mode=bind
    if ! lock 2>/dev/null; then
        mountpoint -q "$dir/ro" && umount -l "$dir/ro"
        mode=chattr
        lock 2>/dev/null || { mode=""; echo "skipped: as root, neither a read-only bind mount nor chattr +i is possible here"; exit 77; }
    fi
else
    mode=chmod
    lock
fi
echo "read-only by: $mode"

want "healthz" 200 "$(healthy)"
for i in 1 2 3; do want "look-up $i, read-only" 200 "$(lookup)" "$dir/look" '"validity"'; done
refused "a 届出, read-only" "$(file_one)" file db_read_only
refused "readyz, read-only" "$(ready)" ready db_read_only
sleep 0.5

unlock
want "a 届出, writable again" 201 "$(file_one)"
until_ready 15 && ok || { bad "not ready within 15 s of being writable again"; cat "$dir/ready"; }
n=$("$bin" audit list --db "$db" --lookups --action eligibility.lookup --count)
want "look-ups recorded once writable" 4 "$n"

lock
want "look-up, read-only again" 200 "$(lookup)"
want "look-up, read-only again" 200 "$(lookup)"
stop_within
want "exit status after lost rows" 8 "$stop_rc"
has "$dir/main.err" "^shikaku serve: 2 look-up(s) were answered but" "the lost rows are counted"
quiet_log "$dir/main.err"
unlock
mode=""
"$bin" audit verify --db "$db" >"$dir/av" && ok || bad "audit verify after the fault: $(cat "$dir/av")"
has "$dir/av" "^look-up log chain intact: 4 rows" "the look-up log's rows"
finish
