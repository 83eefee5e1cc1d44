# test/bench/setup.sh: the setup the by-hand benchmarks share (restore_bench.sh,
# reuse_bench.sh, copies_bench.sh).  Source it after setting top, SCALE and
# RUNS.  It builds and installs seedkit and starts a throwaway cluster (or,
# with SEEDKIT_BENCH_PGHOST set, uses that running cluster: PGPORT etc. from
# the environment), defines q, median, best and empty_copy (an empty copy of
# the bookstore schema "shop"), and builds the bookstore at scale SCALE with
# the extension created and no stored snapshot.  SK_TMP is a scratch
# directory the server may write.
. "$top/test/lib/cluster.sh"

if [ -n "${SEEDKIT_BENCH_PGHOST:-}" ]; then
	export PGHOST=$SEEDKIT_BENCH_PGHOST
	SK_TMP=$(mktemp -d /tmp/seedkit-bench.XXXXXX)
	trap 'rm -rf "$SK_TMP"' EXIT
else
	sk_install_deps
	sk_build_install "$top"
	sk_cluster_start
fi
chmod 777 "$SK_TMP"
export PGDATABASE=${PGDATABASE:-postgres}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { sort -n | head -1; }

ddl=$SK_TMP/ddl.sql
sed -n '/^CREATE TABLE/,/^INSERT/p' "$top/test/lib/bookstore.sql" | grep -v '^INSERT' > "$ddl"
empty_copy() {
	{ echo "DROP SCHEMA IF EXISTS shop CASCADE; CREATE SCHEMA shop; SET search_path = shop;"; cat "$ddl"; } | q 2>/dev/null
}

sk_log "bookstore scale $SCALE"
q -c "DROP EXTENSION IF EXISTS seedkit CASCADE" -c "DROP SCHEMA IF EXISTS shop, shop_src CASCADE" 2>/dev/null
q -v scale="$SCALE" -f "$top/test/lib/bookstore.sql" >/dev/null 2>&1
q -c "CREATE EXTENSION seedkit"
q -c "DELETE FROM seedkit.snapshots"
