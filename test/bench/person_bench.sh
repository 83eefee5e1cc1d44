#!/usr/bin/env bash
# test/bench/person_bench.sh: a coherent person per row (issue 13, item 2)
# against the same columns flagged independently, and both against a plain
# UPDATE with md5 (PostgreSQL's floor) on the same rows in the same run.
#
# ROWS rows (default 1000000) with first_name, last_name, email, phone and
# city; in place, seedkit_anonymise with the five columns flagged alone, then
# flagged as one person ('{"person": "customer"}').  Target: the person run
# at most 1.2x the independent one.  Uses the running cluster of
# PGHOST/PGPORT (or starts a throwaway one).  RUNS (default 3): the best run
# of each side counts.
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
db=seedkit_person_bench
work=$(mktemp -d /tmp/seedkit-person-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || exit 1
q() { psql -X -q -At -d $db -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION seedkit" || exit 1

time_ms() {
	q -c "SET seedkit.seed = 'bench'" -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
}

# cpu_ticks SQL: the CPU time (user + system, clock ticks) the backend spent
# on SQL, read from /proc: steadier than wall time on a loaded machine
cpu_ticks() {
	q <<SQL
SET seedkit.seed = 'bench';
SELECT pg_backend_pid() AS pid \gset
\setenv SK_BPID :pid
\! awk '{print \$14 + \$15}' /proc/\$SK_BPID/stat > $work/ticks
$1;
\! echo \$(( \$(awk '{print \$14 + \$15}' /proc/\$SK_BPID/stat) - \$(cat $work/ticks) ))
SQL
}

make_table() {
	q <<SQL
DROP TABLE IF EXISTS $1;
CREATE TABLE $1 (
	id bigint PRIMARY KEY,
	first_name text NOT NULL,
	last_name text NOT NULL,
	email text NOT NULL,
	phone text,
	city text
);
INSERT INTO $1
SELECT g, 'First' || g, 'Last' || (g % 50000), 'user' || g || '@corp.example',
	   '+1 555 ' || lpad((g % 10000000)::text, 7, '0'), 'City' || (g % 500)
FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE $1;
CHECKPOINT;
SQL
}

# flag TABLE OPTIONS: the five columns with OPTIONS
flag() {
	q <<SQL
SELECT seedkit_flag('$1', c, s, '$2') FROM (VALUES ('first_name', 'first_name'),
	('last_name', 'last_name'), ('email', 'email'), ('phone', 'phone'), ('city', 'city')) v(c, s);
SQL
}

best() { sort -n | head -n 1; }
m=() i=() p=() ci=() cp=()
for r in $(seq 1 "$RUNS"); do
	make_table t_md5
	m+=("$(time_ms "UPDATE t_md5 SET first_name = md5(first_name), last_name = md5(last_name), email = md5(email), phone = md5(phone), city = md5(city)")")
	make_table t_alone
	flag t_alone '{}' >/dev/null
	i+=("$(time_ms "SELECT * FROM seedkit_anonymise('{t_alone}')")")
	make_table t_person
	flag t_person '{"person": "customer"}' >/dev/null
	p+=("$(time_ms "SELECT * FROM seedkit_anonymise('{t_person}')")")
	# the same again, timed by the backend's CPU time
	make_table t_alone
	flag t_alone '{}' >/dev/null
	ci+=("$(cpu_ticks "SELECT count(*) FROM seedkit_anonymise('{t_alone}')" | tail -n 1)")
	make_table t_person
	flag t_person '{"person": "customer"}' >/dev/null
	cp+=("$(cpu_ticks "SELECT count(*) FROM seedkit_anonymise('{t_person}')" | tail -n 1)")
done
bm=$(printf '%s\n' "${m[@]}" | best)
bi=$(printf '%s\n' "${i[@]}" | best)
bp=$(printf '%s\n' "${p[@]}" | best)
echo "rows $ROWS: md5 UPDATE runs ${m[*]} ms; flagged alone ${i[*]} ms; one person ${p[*]} ms"
echo "best: md5 UPDATE $bm ms, alone $bi ms ($(echo "scale=3; $bi / $bm" | bc)x md5), person $bp ms ($(echo "scale=3; $bp / $bm" | bc)x md5)"
echo "person / alone: $(echo "scale=3; $bp / $bi" | bc) (target <= 1.2)"
bci=$(printf '%s\n' "${ci[@]}" | best)
bcp=$(printf '%s\n' "${cp[@]}" | best)
echo "backend CPU ticks: alone ${ci[*]}, person ${cp[*]}; best person / alone: $(echo "scale=3; $bcp / $bci" | bc)"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
