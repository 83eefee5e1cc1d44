#!/usr/bin/env bash
# test/bench/copies_bench.sh: what copies => N costs, against COPY FROM of
# the same rows.
#
# Bookstore at scale SCALE (default 100); a fixture of the books with
# book_id <= SCALE * 60 / 100 and everything they pull in (about 1,000 rows
# over the 8 tables at scale 100), with authors.email and customers.email
# flagged (strategy email: their fakes differ per copy, and stay unique).
#   copies  seedkit_restore(<fixture>, copies => COPIES) into an empty copy
#           of the schema (default 1,000 copies: about 1,000,000 rows)
#   COPY    COPY FROM files of the same rows (written from the restored
#           tables) into another empty copy with the same constraints and
#           indexes, parents first, one transaction
# Server-side time, the two interleaved run by run; best and median of RUNS
# (default 3).  Then the peak private memory of the backend (RssAnon) during
# a restore of COPIES / 10 copies and of COPIES copies: streaming the copies
# keeps it independent of N.
#
# Environment: SEEDKIT_DESTDIR / SEEDKIT_NO_APT as for test/run-tests;
# SCALE, COPIES, RUNS; with SEEDKIT_BENCH_PGHOST set, uses that running
# cluster.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${SCALE:-100}
COPIES=${COPIES:-1000}
RUNS=${RUNS:-3}
. "$top/test/bench/setup.sh"
# server-side duration of every statement of a script, summed, in ms
timed() { psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' "$@" | awk '/^Time: /{s += $2} END {printf "%.1f\n", s}'; }

q -c "SELECT seedkit_flag('shop.authors', 'email', 'email')" -c "SELECT seedkit_flag('shop.customers', 'email', 'email')" >/dev/null
q -c "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= $SCALE * 60 / 100', name => 'fixture') IS NOT NULL" >/dev/null
q -c "ALTER SCHEMA shop RENAME TO shop_src"
tables=$(psql -X -At -c "SELECT t->>'table' FROM seedkit.snapshots, json_array_elements(document->'tables') t WHERE name = 'fixture'")
frows=$(psql -X -At -c "SELECT sum(value::bigint) FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'fixture'")
sk_log "fixture: $frows rows; $COPIES copies"

# flags follow their table: flag the restore's target the same way
restore_sql="SELECT count(*) FROM seedkit_restore('fixture', copies => $COPIES)"
flag_sql="SELECT seedkit_flag('shop.authors', 'email', 'email'), seedkit_flag('shop.customers', 'email', 'email')"
empty_copy
q -c "$flag_sql" >/dev/null
q -c "$restore_sql" >/dev/null
rows=$(psql -X -At -c "SELECT $(for t in $tables; do printf '(SELECT count(*) FROM %s) + ' "$t"; done) 0")
for t in $tables; do
	q -c "COPY $t TO '$SK_TMP/${t}.copy'"
done
copy_script=$SK_TMP/copy.sql
{ echo "BEGIN;"; for t in $tables; do echo "COPY $t FROM '$SK_TMP/${t}.copy';"; done; echo "COMMIT;"; } > "$copy_script"

restore_ms=()
copy_ms=()
for i in $(seq 1 "$RUNS"); do
	empty_copy
	q -c "$flag_sql" >/dev/null
	restore_ms+=("$(timed -c "$restore_sql")")
	empty_copy
	copy_ms+=("$(timed -f "$copy_script")")
done
r_med=$(printf '%s\n' "${restore_ms[@]}" | median)
c_med=$(printf '%s\n' "${copy_ms[@]}" | median)
r_best=$(printf '%s\n' "${restore_ms[@]}" | best)
c_best=$(printf '%s\n' "${copy_ms[@]}" | best)
echo "$COPIES copies of a $frows-row fixture: $rows rows, $RUNS runs"
echo "  seedkit_restore(copies => $COPIES): median $r_med ms, best $r_best ms  (${restore_ms[*]})"
echo "  COPY FROM files:                   median $c_med ms, best $c_best ms  (${copy_ms[*]})"
awk -v r="$r_med" -v c="$c_med" -v rb="$r_best" -v cb="$c_best" \
	'BEGIN {printf "  ratio copies/COPY: median %.2f, best %.2f\n", r / c, rb / cb}'

# peak private memory of the backend during a restore of n copies
peak() {
	local n=$1 memlog=$SK_TMP/mem.log psqlpid bpid=""
	empty_copy
	q -c "$flag_sql" >/dev/null
	PGAPPNAME=seedkit_bench_mem psql -X -At -v ON_ERROR_STOP=1 >/dev/null <<SQL &
SELECT pg_sleep(0.5);
SELECT count(*) FROM seedkit_restore('fixture', copies => $n);
SELECT pg_sleep(0.3);
SQL
	psqlpid=$!
	while [ -z "$bpid" ]; do
		bpid=$(psql -X -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'seedkit_bench_mem'")
	done
	: > "$memlog"
	while kill -0 "$psqlpid" 2>/dev/null; do
		awk '/^RssAnon/ {print $2}' "/proc/$bpid/status" >> "$memlog" 2>/dev/null || true
		sleep 0.01
	done
	awk -v b="$(head -1 "$memlog")" -v p="$(sort -n "$memlog" | tail -1)" 'BEGIN {printf "%.1f", (p - b) / 1024}'
}
small=$((COPIES / 10 > 0 ? COPIES / 10 : 1))
echo "peak backend private memory over its start: $(peak "$small") MB for $small copies, $(peak "$COPIES") MB for $COPIES copies"

q -c "DELETE FROM seedkit.snapshots" -c "DROP SCHEMA IF EXISTS shop, shop_src CASCADE" >/dev/null 2>&1
exit 0
