#!/usr/bin/env bash
# test/bench/reuse_bench.sh: what reuse and merge cost, against a plain
# append restore of the same document.
#
# Bookstore at scale SCALE (default 20); a snapshot of 10% of the books with
# everything they pull in, once with reset keys (for reuse) and once with
# reset_keys => false (for merge).  Each run starts from an empty copy of the
# schema:
#   append  the reset-keys document appended into the empty copy
#   reuse   the same, with half of the document's authors already there
#           (other ids), reuse => {"shop.authors": ["email"]}
#   append0 the reset_keys => false document appended into the empty copy
#   merge   the same document in mode 'merge', half of the authors there
# Server-side time of the restore statement only, the four interleaved run
# by run; best and median of RUNS (default 5); the ratios use the medians.
#
# Environment: SEEDKIT_DESTDIR / SEEDKIT_NO_APT as for test/run-tests; with
# SEEDKIT_BENCH_PGHOST set, uses that running cluster.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${SCALE:-20}
RUNS=${RUNS:-5}
. "$top/test/bench/setup.sh"
# server-side duration of the last statement, in ms
timed() { psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' "$@" | awk '/^Time: /{s = $2} END {printf "%.1f\n", s}'; }

q -c "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= $SCALE * 100', name => 'bench') IS NOT NULL" >/dev/null
q -c "SELECT seedkit_snapshot('shop.books', filter => 'book_id <= $SCALE * 100', name => 'bench0', reset_keys => false) IS NOT NULL" >/dev/null
q -c "ALTER SCHEMA shop RENAME TO shop_src"
rows=$(psql -X -At -c "SELECT sum(value::bigint) FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'bench'")
authors=$(psql -X -At -c "SELECT value FROM seedkit.snapshots, jsonb_each_text(row_counts) WHERE name = 'bench' AND key = 'shop.authors'")
sk_log "document: $rows rows, $authors authors"

# half of the document's authors, by email, under ids of their own
half_authors="INSERT INTO shop.authors (author_id, name, email)
	SELECT 1000000 + (a->>0)::bigint, a->>1, a->>2
	  FROM seedkit.snapshots s, json_array_elements(s.document->'tables') t, json_array_elements(t->'rows') a
	 WHERE s.name = 'bench' AND t->>'table' = 'shop.authors' AND (a->>0)::bigint % 2 = 0"
# the same half with the document's own keys (merge matches on the key)
half_authors0="INSERT INTO shop.authors (author_id, name, email)
	SELECT (a->>0)::bigint, 'old ' || (a->>1), a->>2
	  FROM seedkit.snapshots s, json_array_elements(s.document->'tables') t, json_array_elements(t->'rows') a
	 WHERE s.name = 'bench0' AND t->>'table' = 'shop.authors' AND (a->>0)::bigint % 2 = 0"
cols=$(psql -X -At -c "SELECT t->'columns' FROM seedkit.snapshots s, json_array_elements(s.document->'tables') t WHERE s.name = 'bench' AND t->>'table' = 'shop.authors'")
sk_log "authors columns: $cols"

# one statement timed on a fresh empty copy, after setup
once() {
	empty_copy
	[ -n "$1" ] && q -c "$1"
	timed -c "SET client_min_messages = warning" -c "$2"
}
# the four interleaved, so a change of load on the machine hits all alike
append= reuse= append0= merge=
for i in $(seq "$RUNS"); do
	append+="$(once "" "SELECT count(*) FROM seedkit_restore('bench')")"$'\n'
	reuse+="$(once "$half_authors" "SELECT count(*) FROM seedkit_restore('bench', reuse => '{\"shop.authors\": [\"email\"]}')")"$'\n'
	append0+="$(once "" "SELECT count(*) FROM seedkit_restore('bench0')")"$'\n'
	merge+="$(once "$half_authors0" "SELECT count(*) FROM seedkit_restore('bench0', 'merge')")"$'\n'
done
append=${append%$'\n'}; reuse=${reuse%$'\n'}; append0=${append0%$'\n'}; merge=${merge%$'\n'}
ma=$(echo "$append" | median); mr=$(echo "$reuse" | median)
m0=$(echo "$append0" | median); mm=$(echo "$merge" | median)
printf 'append  best %8.1f ms  median %8.1f ms\n' "$(echo "$append" | best)" "$ma"
printf 'reuse   best %8.1f ms  median %8.1f ms  ratio %.2fx\n' "$(echo "$reuse" | best)" "$mr" "$(echo "$mr $ma" | awk '{print $1 / $2}')"
printf 'append0 best %8.1f ms  median %8.1f ms\n' "$(echo "$append0" | best)" "$m0"
printf 'merge   best %8.1f ms  median %8.1f ms  ratio %.2fx\n' "$(echo "$merge" | best)" "$mm" "$(echo "$mm $m0" | awk '{print $1 / $2}')"
