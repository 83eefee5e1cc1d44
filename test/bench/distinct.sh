#!/usr/bin/env bash
# test/bench/distinct.sh: how distinct the fakes of distinct originals are
# (issue 13: at least 99.9% for full_name, email and username, 100% on a
# UNIQUE column).
#
# For each locale and strategy, seedkit_fake over ROWS distinct originals
# (a non-unique column), then seedkit_anonymise of a UNIQUE column of ROWS
# rows (the collision pass).  Prints "% distinct" per line.
# Uses the running cluster of PGHOST/PGPORT (or starts a throwaway one).
# Options: ROWS (default 1000000), LOCALES (default the five of 0.1.0),
# STRATEGIES (default full_name email username).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${ROWS:-1000000}
LOCALES=${LOCALES:-en_US de_DE fr_FR es_ES ja_JP}
STRATEGIES=${STRATEGIES:-full_name email username}
if [ -z "${PGPORT:-}" ]; then
	. "$top/test/lib/cluster.sh"
	sk_install_deps || exit 1
	sk_build_install "$top" || exit 1
	sk_cluster_start || exit 1
fi
db=seedkit_distinct
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || exit 1
q() { psql -X -q -At -d $db -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION seedkit" || exit 1

echo "rows: $ROWS distinct originals"
for loc in $LOCALES; do
	for s in $STRATEGIES; do
		q -c "SET seedkit.seed = 'bench'" -c "
			SELECT format('%-6s %-10s not unique: %s%% distinct (%s of %s)', '$loc', '$s',
						  round(100.0 * count(DISTINCT f) / $ROWS, 3), count(DISTINCT f), $ROWS)
			FROM (SELECT seedkit_fake('$s', 'original ' || g, '{\"locale\": \"$loc\"}') AS f
				  FROM generate_series(1, $ROWS) g) AS t" || exit 1
		q <<SQL || exit 1
SET seedkit.seed = 'bench';
SET client_min_messages = warning;
DROP TABLE IF EXISTS uniq;
CREATE TABLE uniq (id int PRIMARY KEY, v text UNIQUE);
INSERT INTO uniq SELECT g, 'original ' || g FROM generate_series(1, $ROWS) g;
SELECT seedkit_flag('uniq', 'v', '$s', '{"locale": "$loc"}');
SELECT count(*) FROM seedkit_anonymise('{uniq}');
SELECT format('%-6s %-10s UNIQUE:     %s%% distinct', '$loc', '$s',
			  round(100.0 * count(DISTINCT v) / $ROWS, 3)) FROM uniq;
SELECT seedkit_unflag('uniq', 'v');
DROP TABLE uniq;
SQL
	done
done | grep -v '^$\|^[0-9]*$'
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
