#!/usr/bin/env bash
# test/bench/anon_bench.sh: seedkit_anonymise and seedkit_fake against md5.
#
# 1. In place: 1,000,000 customers-like rows, 5 flagged columns (first_name,
#    last_name, email, phone as partial, birth date as date_shift), against a
#    plain UPDATE ... md5(...) of the same columns of an identical table.
# 2. seedkit_fake(strategy, g::text) against md5(g::text) over
#    generate_series(1, 1000000), for each word-list strategy
#    (FAKE_STRATEGIES).  Distinctness: test/bench/distinct.sh.
# Uses the running cluster of PGHOST/PGPORT (or starts a throwaway one) and
# prints the ratios.  Options: ROWS (default 1000000), RUNS (default 3, the
# best run of each side counts).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
if [ -z "${PGPORT:-}" ]; then
	. "$top/test/lib/cluster.sh"
	sk_install_deps || exit 1
	sk_build_install "$top" || exit 1
	sk_cluster_start || exit 1
fi
db=seedkit_bench
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || exit 1
q() { psql -X -q -At -d $db -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION seedkit" || exit 1

# time_ms SQL: run SQL (after setup) and print its duration in ms
time_ms() {
	q -c "SET seedkit.seed = 'bench'" -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
}

make_table() {
	q <<SQL
DROP TABLE IF EXISTS $1;
CREATE TABLE $1 (
	id bigint PRIMARY KEY,
	first_name text NOT NULL,
	last_name text NOT NULL,
	email text NOT NULL $2,
	phone text,
	birth_date date,
	city text,
	created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO $1 (id, first_name, last_name, email, phone, birth_date, city)
SELECT g, 'First' || g, 'Last' || (g % 50000), 'user' || g || '@example.com',
	   '+1 555 ' || lpad((g % 10000000)::text, 7, '0'), date '1950-01-01' + (g % 20000),
	   'City' || (g % 500)
FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE $1;
CHECKPOINT;
SQL
}

best() { sort -n | head -n 1; }

run_inplace() {
	local uniq=$1 label=$2 a=() m=()
	for r in $(seq 1 "$RUNS"); do
		make_table cust_md5 "$uniq"
		m+=("$(time_ms "UPDATE cust_md5 SET first_name = md5(first_name), last_name = md5(last_name), email = md5(email), phone = md5(phone), birth_date = birth_date + 1")")
		make_table cust_anon "$uniq"
		q <<'SQL'
SELECT seedkit_flag('cust_anon', 'first_name', 'first_name');
SELECT seedkit_flag('cust_anon', 'last_name', 'last_name');
SELECT seedkit_flag('cust_anon', 'email', 'email');
SELECT seedkit_flag('cust_anon', 'phone', 'partial', '{"first": 3, "last": 2}');
SELECT seedkit_flag('cust_anon', 'birth_date', 'date_shift', '{"days": 180}');
SQL
		a+=("$(time_ms "SELECT * FROM seedkit_anonymise('{cust_anon}')")")
	done
	local bm ba
	bm=$(printf '%s\n' "${m[@]}" | best)
	ba=$(printf '%s\n' "${a[@]}" | best)
	echo "in place ($label): md5 UPDATE runs ${m[*]} ms, seedkit_anonymise runs ${a[*]} ms"
	echo "in place ($label): best md5 UPDATE $bm ms, best seedkit_anonymise $ba ms, ratio $(echo "scale=3; $ba / $bm" | bc)"
}

run_inplace "" "email not unique"
run_inplace "UNIQUE" "email UNIQUE"

# seedkit_fake per word-list strategy against md5 (issue 13: each <= 1.5x)
for s in ${FAKE_STRATEGIES:-full_name first_name last_name email username phone postcode street_address city company}; do
	f=() m=()
	for r in $(seq 1 "$RUNS"); do
		m+=("$(time_ms "SELECT count(md5(g::text)) FROM generate_series(1, $ROWS) g")")
		f+=("$(time_ms "SELECT count(seedkit_fake('$s', g::text)) FROM generate_series(1, $ROWS) g")")
	done
	bm=$(printf '%s\n' "${m[@]}" | best)
	bf=$(printf '%s\n' "${f[@]}" | best)
	echo "fake $s: md5 runs ${m[*]} ms, seedkit_fake runs ${f[*]} ms"
	echo "fake $s: best md5 $bm ms, best seedkit_fake('$s') $bf ms, ratio $(echo "scale=3; $bf / $bm" | bc)"
done

# distinctness (full names, emails, usernames, unique or not): test/bench/distinct.sh
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
