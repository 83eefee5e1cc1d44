#!/usr/bin/env bash
# test/bench/subset_bench.sh: how fast seedkit_subset is (issue 15).
#
# 1. Bookstore at SCALE (default 100): a subset with two roots (5% of the
#    customers, 5% of the books, both sampled) and two whole tables
#    (authors, price_offers), against the row_to_json floor of bench.py on
#    the same rows (COPY (SELECT row_to_json(t) ...) TO files, the rows
#    chosen by their keys).  Target: at most 1.3x.
# 2. Bookstore at WSCALE (default 10): the whole-database document
#    ("roots": "all") taken to a file and restored into an empty clone,
#    against pg_dump --data-only of the schema and psql into another empty
#    clone.  Target: at most 1.2x.  The clones' contents are compared.
# Times are the server's (psql \timing) for (1), wall clock for (2);
# median and best of RUNS (default 3).
#
# Environment: SEEDKIT_DESTDIR / SEEDKIT_NO_APT as for test/run-tests;
# SCALE, WSCALE, RUNS.  With SEEDKIT_BENCH_PGHOST set, uses that running
# cluster (PGPORT etc. from the environment) instead of starting one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${SCALE:-100}
WSCALE=${WSCALE:-10}
RUNS=${RUNS:-3}
. "$top/test/lib/cluster.sh"

if [ -n "${SEEDKIT_BENCH_PGHOST:-}" ]; then
	export PGHOST=$SEEDKIT_BENCH_PGHOST
	SK_TMP=$(mktemp -d /tmp/seedkit-bench.XXXXXX)
	chmod 777 "$SK_TMP"
	SK_BINDIR=${SK_BINDIR:-$(sk_pg_bindir)}
else
	sk_install_deps
	sk_build_install "$top"
	sk_cluster_start
	chmod 777 "$SK_TMP"
fi
export PGDATABASE=${PGDATABASE:-postgres}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# server-side duration of every statement of a script, summed, in ms
timed() { psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' "$@" | awk '/^Time: /{s += $2} END {printf "%.1f\n", s}'; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { sort -n | head -1; }
report() {	# name, seedkit times, floor times, target
	local s_med f_med s_best f_best
	s_med=$(printf '%s\n' $2 | median); f_med=$(printf '%s\n' $3 | median)
	s_best=$(printf '%s\n' $2 | best); f_best=$(printf '%s\n' $3 | best)
	echo "  seedkit: median $s_med ms, best $s_best ms  ($2)"
	echo "  floor:   median $f_med ms, best $f_best ms  ($3)"
	awk -v s="$s_med" -v f="$f_med" -v sb="$s_best" -v fb="$f_best" -v t="$4" -v n="$1" \
		'BEGIN {printf "  %s ratio: median %.2f, best %.2f (target <= %s)\n", n, s / f, sb / fb, t}'
}

# ---------------------------------------------------------------------------
# 1. a 5% subset with two roots and two whole tables
sk_log "bookstore scale $SCALE"
q -c "DROP EXTENSION IF EXISTS seedkit CASCADE" -c "DROP SCHEMA IF EXISTS shop, bench CASCADE" 2>/dev/null
q -v scale="$SCALE" -f "$top/test/lib/bookstore.sql" >/dev/null 2>&1
q -c "CREATE EXTENSION seedkit" -c "CREATE SCHEMA bench" -c "ANALYZE"
q -c "DELETE FROM seedkit.snapshots"
spec='{"roots": [{"table": "shop.customers", "sample": 5}, {"table": "shop.books", "sample": 5}],
       "whole": ["shop.authors", "shop.price_offers"]}'
subset_sql="SELECT octet_length(seedkit_subset('$spec', 'bench', max_rows => 1000000000000)::text);"

# the rows' original keys (untimed; also the warm-up), one key table each
q -c "SELECT seedkit_subset('$spec', 'bench_keys', max_rows => 1000000000000, reset_keys => false) IS NOT NULL" >/dev/null
psql -X -At -v ON_ERROR_STOP=1 >"$SK_TMP/keys.sql" <<'SQL'
SELECT format('CREATE TABLE bench.k%s AS SELECT %s FROM seedkit.snapshots s, '
			  'json_array_elements(s.document->''tables''->%s->''rows'') r WHERE s.name = ''bench_keys''; '
			  'ANALYZE bench.k%s;',
			  e.n, (SELECT string_agg(format('(r->>%s)::%s AS %I', c.i - 1, e.t->'types'->>(c.i - 1)::int, k.k), ', ')
					  FROM json_array_elements_text(e.t->'key') k(k)
					  JOIN json_array_elements_text(e.t->'columns') WITH ORDINALITY c(c, i) ON c.c = k.k),
			  e.n - 1, e.n)
  FROM seedkit.snapshots s, json_array_elements(s.document->'tables') WITH ORDINALITY e(t, n)
 WHERE s.name = 'bench_keys' ORDER BY e.n;
SQL
q -f "$SK_TMP/keys.sql" >/dev/null
psql -X -At -v ON_ERROR_STOP=1 -v dir="$SK_TMP" >"$SK_TMP/floor.sql" <<'SQL'
SELECT format('COPY (SELECT row_to_json(t) FROM %s t WHERE (%s) IN (SELECT %s FROM bench.k%s)) TO %L;',
			  e.t->>'table',
			  (SELECT string_agg('t.' || quote_ident(k), ', ') FROM json_array_elements_text(e.t->'key') k),
			  (SELECT string_agg(quote_ident(k), ', ') FROM json_array_elements_text(e.t->'key') k),
			  e.n, :'dir' || '/floor_' || e.n || '.json')
  FROM seedkit.snapshots s, json_array_elements(s.document->'tables') WITH ORDINALITY e(t, n)
 WHERE s.name = 'bench_keys' ORDER BY e.n;
SQL
rows=$(psql -X -At -c "SELECT sum(value::bigint) || ' rows over ' || count(*) || ' tables' FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'bench_keys'")
sk_log "subset: $rows"
timed -f "$SK_TMP/floor.sql" >/dev/null
sk_ms=""
fl_ms=""
for i in $(seq 1 "$RUNS"); do
	q -c "CHECKPOINT"
	sk_ms="$sk_ms $(timed -c "$subset_sql")"
	fl_ms="$fl_ms $(timed -f "$SK_TMP/floor.sql")"
done
docsize=$(psql -X -At -c "SELECT octet_length(document::text) FROM seedkit.snapshots WHERE name = 'bench'")
echo "subset of bookstore scale $SCALE, two roots (5% sampled) and two whole tables: $rows, $docsize bytes, $RUNS runs"
report "subset/row_to_json" "$sk_ms" "$fl_ms" 1.3

# ---------------------------------------------------------------------------
# 2. the whole-database document's round trip
sk_log "bookstore scale $WSCALE: whole-database round trip"
q -c "DELETE FROM seedkit.snapshots" -c "DROP SCHEMA IF EXISTS shop, bench CASCADE" >/dev/null 2>&1
q -v scale="$WSCALE" -f "$top/test/lib/bookstore.sql" >/dev/null 2>&1
ddl=$SK_TMP/ddl.sql
sed -n '/^CREATE TABLE/,/^INSERT/p' "$top/test/lib/bookstore.sql" | grep -v '^INSERT' > "$ddl"
empty_clone() {	# database
	psql -X -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
	{ echo "CREATE EXTENSION seedkit; CREATE SCHEMA shop; SET search_path = shop;"; cat "$ddl"; } |
		psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null 2>&1
}
whole="SELECT seedkit_subset('{\"roots\": \"all\", \"schemas\": [\"shop\"]}', 'whole', anonymise => false, max_rows => 1000000000000)"
sk_ms=""
fl_ms=""
for i in $(seq 1 "$RUNS"); do
	empty_clone sk_clone
	t0=$(now_ms)
	psql -X -At -v ON_ERROR_STOP=1 -c "$whole" > "$SK_TMP/whole.json" 2>/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d sk_clone -c "SELECT count(*) FROM seedkit_restore_file('$SK_TMP/whole.json')" >/dev/null
	t1=$(now_ms)
	sk_ms="$sk_ms $((t1 - t0))"
	empty_clone dump_clone
	t0=$(now_ms)
	"$SK_BINDIR/pg_dump" --data-only --schema=shop -f "$SK_TMP/dump.sql" "$PGDATABASE"
	psql -X -q -v ON_ERROR_STOP=1 -d dump_clone -f "$SK_TMP/dump.sql" >/dev/null
	t1=$(now_ms)
	fl_ms="$fl_ms $((t1 - t0))"
done
# the clones hold the same rows (keys are drawn afresh in key order: the same values here)
same=yes
for t in $(psql -X -At -c "SELECT relname FROM pg_class WHERE relnamespace = 'shop'::regnamespace AND relkind = 'r' ORDER BY 1"); do
	a=$(psql -X -At -d sk_clone -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM shop.$t t")
	b=$(psql -X -At -d dump_clone -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM shop.$t t")
	[ "$a" = "$b" ] || { same=no; echo "  table shop.$t differs between the clones"; }
done
wrows=$(psql -X -At -c "SELECT sum(value::bigint) FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'whole'")
echo "whole-database round trip of bookstore scale $WSCALE ($wrows rows), document to a file and restore into an empty clone, $RUNS runs"
report "round trip/pg_dump+psql" "$sk_ms" "$fl_ms" 1.2
echo "  clones identical: $same"

q -c "DELETE FROM seedkit.snapshots" -c "DROP SCHEMA IF EXISTS shop, bench CASCADE" >/dev/null 2>&1
psql -X -q -c "DROP DATABASE IF EXISTS sk_clone" -c "DROP DATABASE IF EXISTS dump_clone" >/dev/null 2>&1
[ -n "${SEEDKIT_BENCH_PGHOST:-}" ] && rm -rf "$SK_TMP"
exit 0
