#!/usr/bin/env bash
# test/bench/restore_bench.sh: how fast seedkit_restore is, against COPY FROM.
#
# 1. Bookstore at scale 100 (100,000 books); a snapshot of 10% of the books
#    (book_id <= 10000) with everything they pull in.
# 2. Restore it into an empty copy of the schema, then COPY FROM the same
#    rows (files written from the restored tables) into another empty copy
#    with the same constraints and indexes; both in one transaction each,
#    timed by the server (psql \timing).  Best and median of RUNS each.
# 3. Peak private memory (RssAnon) of the backend during a restore, against
#    the document's size.
# 4. seedkit_restore() (the per-test reset) of a stored fixture of about
#    1,000 rows over 8 tables: median of 50 calls; and, for scale, the same
#    rows put back by TRUNCATE ... RESTART IDENTITY + COPY FROM files.
#
# Environment: SEEDKIT_DESTDIR / SEEDKIT_NO_APT as for test/run-tests;
# SCALE (default 100), RUNS (default 5).  With SEEDKIT_BENCH_PGHOST set, uses
# that running cluster (PGPORT etc. from the environment) instead of
# starting one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${SCALE:-100}
RUNS=${RUNS:-5}
. "$top/test/bench/setup.sh"
# server-side duration of every statement of a script, summed, in ms
timed() { psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' "$@" | awk '/^Time: /{s += $2} END {printf "%.1f\n", s}'; }

q -c "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= $SCALE * 100', name => 'bench') IS NOT NULL" >/dev/null
q -c "ALTER SCHEMA shop RENAME TO shop_src"
tables=$(psql -X -At -c "SELECT t->>'table' FROM seedkit.snapshots, json_array_elements(document->'tables') t WHERE name = 'bench'")
docsize=$(psql -X -At -c "SELECT octet_length(document::text) FROM seedkit.snapshots WHERE name = 'bench'")
rows=$(psql -X -At -c "SELECT sum(value::bigint) FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'bench'")
sk_log "document: $rows rows, $docsize bytes"

# the COPY files: the rows as restored (so both sides write the same rows)
empty_copy
q -c "SELECT count(*) FROM seedkit_restore('bench')" >/dev/null
for t in $tables; do
	q -c "COPY $t TO '$SK_TMP/${t}.copy'"
done
copy_script=$SK_TMP/copy.sql
{ echo "BEGIN;"; for t in $tables; do echo "COPY $t FROM '$SK_TMP/${t}.copy';"; done; echo "COMMIT;"; } > "$copy_script"

restore_ms=()
copy_ms=()
for i in $(seq 1 "$RUNS"); do
	empty_copy
	restore_ms+=("$(timed -c "SELECT count(*) FROM seedkit_restore('bench')")")
	empty_copy
	copy_ms+=("$(timed -f "$copy_script")")
done
r_med=$(printf '%s\n' "${restore_ms[@]}" | median)
c_med=$(printf '%s\n' "${copy_ms[@]}" | median)
r_best=$(printf '%s\n' "${restore_ms[@]}" | best)
c_best=$(printf '%s\n' "${copy_ms[@]}" | best)
echo "restore of $rows rows ($docsize bytes of document), $RUNS runs"
echo "  seedkit_restore: median $r_med ms, best $r_best ms  (${restore_ms[*]})"
echo "  COPY FROM files: median $c_med ms, best $c_best ms  (${copy_ms[*]})"
awk -v r="$r_med" -v c="$c_med" -v rb="$r_best" -v cb="$c_best" \
	'BEGIN {printf "  ratio restore/COPY: median %.2f, best %.2f\n", r / c, rb / cb}'

# peak private memory of the backend during one restore
empty_copy
memlog=$SK_TMP/mem.log
PGAPPNAME=seedkit_bench_mem psql -X -At -v ON_ERROR_STOP=1 >"$SK_TMP/mem.out" <<SQL &
SELECT pg_sleep(0.5);
SELECT count(*) FROM seedkit_restore('bench');
SELECT pg_sleep(0.3);
SQL
psqlpid=$!
bpid=""
while [ -z "$bpid" ]; do
	bpid=$(psql -X -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'seedkit_bench_mem'")
done
: > "$memlog"
while kill -0 "$psqlpid" 2>/dev/null; do
	awk '/^RssAnon/ {print $2}' "/proc/$bpid/status" >> "$memlog" 2>/dev/null || true
	sleep 0.005
done
base_kb=$(head -1 "$memlog")
peak_kb=$(sort -n "$memlog" | tail -1)
awk -v b="$base_kb" -v p="$peak_kb" -v d="$docsize" \
	'BEGIN {printf "peak backend private memory during restore: +%.1f MB over %.1f MB before (document %.1f MB): %.2fx the document\n", (p - b) / 1024, b / 1024, d / 1048576, (p - b) * 1024 / d}'

# the per-test reset of a ~1,000-row fixture over 8 tables
q -c "DELETE FROM seedkit.snapshots"
q -c "DROP SCHEMA shop CASCADE" -c "ALTER SCHEMA shop_src RENAME TO shop"
q -c "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= $SCALE * 60 / 100', name => 'fixture') IS NOT NULL" >/dev/null
frows=$(psql -X -At -c "SELECT sum(value::bigint) || ' rows over ' || count(*) || ' tables' FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'fixture'")
q -c "ALTER SCHEMA shop RENAME TO shop_src"
empty_copy
q -c "SELECT count(*) FROM seedkit_restore()" >/dev/null
# the same rows put back by hand: TRUNCATE ... RESTART IDENTITY, COPY FROM files;
# both interleaved in one session (as a test harness would keep one)
for t in $tables; do q -c "COPY $t TO '$SK_TMP/${t}.fix'"; done
fix_script=$SK_TMP/fixture.sql
: > "$fix_script"
for i in $(seq 1 50); do
	echo '\echo R' >> "$fix_script"
	echo "SELECT count(*) FROM seedkit_restore();" >> "$fix_script"
	echo '\echo H' >> "$fix_script"
	{ echo "BEGIN;"; echo "TRUNCATE $(echo $tables | tr ' ' ',') RESTART IDENTITY;";
	  for t in $tables; do echo "COPY $t FROM '$SK_TMP/${t}.fix';"; done; echo "COMMIT;"; } >> "$fix_script"
done
echo '\echo E' >> "$fix_script"
psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' -f "$fix_script" | awk -v out="$SK_TMP/fix" '
	/^[RHE]$/ { if (m == "H") print h > (out ".hand"); m = $1; h = 0; next }
	/^Time: / { if (m == "R") print $2 > (out ".restore"); else h += $2 }'
per_call=$(median < "$SK_TMP/fix.restore")
hand_total=$(median < "$SK_TMP/fix.hand")
echo "seedkit_restore() of the stored fixture ($frows): median $per_call ms per call (50 calls)"
echo "  for scale, interleaved: TRUNCATE ... RESTART IDENTITY + COPY FROM files of the same rows: median $hand_total ms per round"

q -c "DELETE FROM seedkit.snapshots" -c "DROP SCHEMA IF EXISTS shop, shop_src CASCADE" >/dev/null 2>&1
exit 0
