#!/usr/bin/env bash
# Fault test: the disk that holds the database fills up while the daemon runs (issue 19 B.6).
# The database lives on a small file system of its own: a tmpfs (as root), else a loop-mounted
# ext4 image; without root neither can be mounted, and the test is skipped (exit 77). A filler
# file takes all but ~0.5 MiB: the daemon refuses each 届出 with 503 disk_full (below 1 MiB free
# it does not start a write), answers look-ups and /healthz, and /readyz says disk_full. With the
# filler gone it writes again, /readyz is ready and the look-ups answered meanwhile are in the
# log. Full once more, SIGTERM ends within 10 s with exit 8 naming the look-ups not recorded.
# usage: test_fault_disk_full.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: mounting a small file system needs root"; exit 77; }
mnt=$dir/small
mkdir -p "$mnt"
pid=""
mounted=""
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$mounted" ] && umount -l "$mnt"
    rm -f "$dir/small.img"
}
trap cleanup EXIT
if mount -t tmpfs -o size=16m,mode=0700 tmpfs "$mnt" 2>/dev/null; then
    mounted=tmpfs
elif truncate -s 16M "$dir/small.img" && mkfs.ext4 -q -F "$dir/small.img" 2>/dev/null &&
    mount -o loop "$dir/small.img" "$mnt" 2>/dev/null; then
    mounted=loop
else
    echo "skipped: neither a tmpfs nor a loop file system can be mounted here"
    exit 77
fi
echo "file system: $mounted"
db=$mnt/f.db
fault_setup "$db"
start main "$db" || exit 1
want "look-up before" 200 "$(lookup)"
want "届出 before" 201 "$(file_one)"
sleep 0.5

fill() { # all but about half a MiB of the file system
    local avail
    avail=$(df --output=avail -B1 "$mnt" | tail -1)
    fallocate -l $((avail - 512 * 1024)) "$mnt/filler" 2>/dev/null ||
        dd if=/dev/zero of="$mnt/filler" bs=64k count=$(((avail - 512 * 1024) / 65536)) 2>/dev/null
}
fill
want "healthz" 200 "$(healthy)"
for i in 1 2 3; do want "look-up $i, disk full" 200 "$(lookup)" "$dir/look" '"validity"'; done
refused "a 届出, disk full" "$(file_one)" file disk_full
refused "readyz, disk full" "$(ready)" ready disk_full
sleep 0.5

rm -f "$mnt/filler"
want "a 届出, space again" 201 "$(file_one)"
until_ready 15 && ok || { bad "not ready within 15 s of space again"; cat "$dir/ready"; }
n=$("$bin" audit list --db "$db" --lookups --action eligibility.lookup --count)
want "look-ups recorded once there is space" 4 "$n"

fill
want "look-up, full again" 200 "$(lookup)"
stop_within
want "exit status after a lost row" 8 "$stop_rc"
has "$dir/main.err" "^shikaku serve: 1 look-up(s) were answered but" "the lost row is counted"
has "$dir/main.err" "not recorded.*disk_full" "the log names the cause"
quiet_log "$dir/main.err"
rm -f "$mnt/filler"
"$bin" audit verify --db "$db" >"$dir/av" && ok || bad "audit verify after the fault: $(cat "$dir/av")"
finish
