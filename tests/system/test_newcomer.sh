#!/usr/bin/env bash
# System test: what a newcomer meets first outside `make run` (issue 19 B9) — the CSV import
# runs the 誤入力チェック as the API does and tells a re-import's replayed rows apart; a
# missing database is named as such (not as its key file); `work list` with nothing to show
# says so on stderr and keeps stdout empty; a port in use is named as such.
# usage: test_newcomer.sh SHIKAKU_BINARY SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
db=$dir/n.db
"$bin" demo --db "$db" --persons 20 >"$dir/demo.out" 2>&1 || { bad "demo"; finish; exit; }
IFS=$'\t' read -r _ mn name kana birth sex addr < <(awk -F'\t' '$1 == "hire"' "$dir/demo.out")
[ ${#mn} = 12 ] && ok || bad "no hire line in the demo's output"
emp=$("$bin" employer add --db "$db" --insurer 01130012 --name 株式会社新人 | tail -1)

# the import checks every registered person against the resident register (DB.jlis.csv)
{
    echo "idempotency_key,kind,name,kana,birthdate,sex,address,acquired_on,mynumber"
    echo "n1,acquisition,$name,$kana,$birth,$sex,$addr,2026-12-01,$mn"
    echo "n2,acquisition,架空　太郎,カクウ タロウ,1990-01-01,1,東京都,2026-12-01,123456789018"
} >"$dir/hire.csv"
"$bin" import notifications --db "$db" --employer "$emp" "$dir/hire.csv" >"$dir/imp1.out" 2>&1
has "$dir/imp1.out" '^2 rows filed, 0 rejected (UTF-8)$' "the first import"
"$bin" audit list --db "$db" --action notification.file >"$dir/audit.txt"
grep -q "cli:import.*check=match" "$dir/audit.txt" && ok || bad "the resident's row was not checked (match)"
grep -q "cli:import.*check=not_found" "$dir/audit.txt" && ok || bad "the unknown number was not checked (not_found)"
# again: both rows answered as before, and the summary says so
"$bin" import notifications --db "$db" --employer "$emp" "$dir/hire.csv" >"$dir/imp2.out" 2>&1
has "$dir/imp2.out" '^0 rows filed, 2 already filed, 0 rejected (UTF-8)$' "the re-import's summary"
[ "$(grep -c '^row [0-9]*: replayed' "$dir/imp2.out")" = 2 ] && ok || bad "replayed rows: $(cat "$dir/imp2.out")"
# without a register the import says that the check is off
mv "$db.jlis.csv" "$dir/away.csv"
echo "idempotency_key,kind,name,kana,birthdate,sex,address,acquired_on" >"$dir/one.csv"
echo "n3,acquisition,無番　号,ムバン ゴウ,1991-02-02,2,東京都,2026-12-01" >>"$dir/one.csv"
"$bin" import notifications --db "$db" --employer "$emp" "$dir/one.csv" >"$dir/imp3.out" 2>"$dir/imp3.err"
has "$dir/imp3.err" "no resident register" "the warning without a register"
mv "$dir/away.csv" "$db.jlis.csv"

# a database that does not exist is named, with the way to create one
"$bin" serve --db "$dir/none/x.db" --listen 127.0.0.1:0 >"$dir/none.out" 2>&1
rc=$?
[ "$rc" = 3 ] && ok || bad "serve on a missing database: exit $rc"
has "$dir/none.out" "no_database db: no database at $dir/none/x.db" "the missing database's error"
grep -q key_file "$dir/none.out" && bad "the key file is blamed: $(cat "$dir/none.out")" || ok

# work list with nothing to show: empty stdout, a line on stderr
"$bin" work list --db "$db" --as "insurer:01130012" --kind report_stop >"$dir/wl.out" 2>"$dir/wl.err"
[ ! -s "$dir/wl.out" ] && ok || bad "work list printed: $(cat "$dir/wl.out")"
has "$dir/wl.err" "no work items for insurer:01130012" "the empty listing's line"

# a port in use is named with the reason (libmicrohttpd's own line said "port 0")
start first "$db"
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$dir/second.out" 2>&1
has "$dir/second.out" "cannot listen on 127.0.0.1:$port: Address already in use" "the port in use"
grep -q "port 0" "$dir/second.out" && bad "port 0: $(cat "$dir/second.out")" || ok
kill -TERM "$pid"
wait "$pid" 2>/dev/null
finish
