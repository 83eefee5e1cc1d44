-- issue 13, section 6: no original value stays in the planner's statistics
-- after seedkit_anonymise (expression indexes, partitioned and inheritance
-- parents, extended statistics), nor in those of a parent another role owns
CREATE SCHEMA anon_stats;
SET search_path = anon_stats, public;
SET seedkit.seed = 'regress-stats';

-- a view of every statistics value that looks like an original
CREATE FUNCTION anon_stats.leaks() RETURNS TABLE(rel text, attnum int2, inh boolean)
LANGUAGE sql AS $$
	SELECT DISTINCT s.starelid::regclass::text, s.staattnum, s.stainherit
	FROM pg_statistic s,
		 LATERAL (SELECT unnest(s.stavalues1::text::text[]) UNION ALL
				  SELECT unnest(s.stavalues2::text::text[]) UNION ALL
				  SELECT unnest(s.stavalues3::text::text[])) AS v(val)
	WHERE v.val LIKE '%secret%'
	ORDER BY 1, 2, 3
$$;
CREATE FUNCTION anon_stats.ext_leaks() RETURNS TABLE(stat name, inh boolean)
LANGUAGE sql AS $$
	SELECT s.stxname, d.stxdinherit
	FROM pg_statistic_ext_data d JOIN pg_statistic_ext s ON s.oid = d.stxoid
	WHERE s.stxnamespace = 'anon_stats'::regnamespace
	  AND (d.stxdmcv::text LIKE '%secret%' OR d.stxdexpr::text LIKE '%secret%'
		   OR EXISTS (SELECT FROM pg_mcv_list_items(d.stxdmcv) i
					  WHERE i.values::text LIKE '%secret%'))
	ORDER BY 1, 2
$$;

-- a plain table with an expression index and extended statistics
CREATE TABLE people (id int PRIMARY KEY, email text, city text);
CREATE INDEX people_lower ON people (lower(email));
CREATE INDEX people_id_plus ON people ((id + 1));
CREATE STATISTICS people_mcv (mcv) ON email, city FROM people;
CREATE STATISTICS people_expr ON lower(email) FROM people;
INSERT INTO people SELECT g, 'secret' || (g % 5) || '@corp.com', 'town' || (g % 3) FROM generate_series(1, 300) g;

-- a partitioned table
CREATE TABLE orders (id int, email text) PARTITION BY RANGE (id);
CREATE TABLE orders_1 PARTITION OF orders FOR VALUES FROM (0) TO (200);
CREATE TABLE orders_2 PARTITION OF orders FOR VALUES FROM (200) TO (1000);
CREATE STATISTICS orders_mcv (mcv) ON id, email FROM orders;
INSERT INTO orders SELECT g, 'secret' || (g % 4) || '@corp.com' FROM generate_series(1, 400) g;

-- inheritance: the child is flagged, the parent is not
CREATE TABLE contacts (id int, email text);
CREATE TABLE contacts_child (note text) INHERITS (contacts);
INSERT INTO contacts_child SELECT g, 'secret' || (g % 6) || '@corp.com', 'n' FROM generate_series(1, 300) g;
ANALYZE people, orders, orders_1, orders_2, contacts, contacts_child;

SELECT * FROM anon_stats.leaks();
SELECT * FROM anon_stats.ext_leaks();

SELECT seedkit_flag('people', 'email', 'email');
SELECT seedkit_flag('orders', 'email', 'email');
SELECT seedkit_flag('contacts_child', 'email', 'email');
SELECT table_name, columns, rows FROM seedkit_anonymise('{people, orders, contacts_child}') ORDER BY 1::text;

-- nothing left; the index on id + 1 and the statistics of city keep theirs
SELECT * FROM anon_stats.leaks();
SELECT * FROM anon_stats.ext_leaks();
SELECT count(*) > 0 AS id_index_stats_kept FROM pg_statistic WHERE starelid = 'people_id_plus'::regclass;
SELECT count(*) > 0 AS city_stats_kept FROM pg_stats WHERE schemaname = 'anon_stats' AND tablename = 'people' AND attname = 'city';
-- ANALYZE computes them again, from the fakes
ANALYZE people, orders, contacts;
SELECT count(*) > 0 AS expression_stats_again FROM pg_statistic WHERE starelid = 'people_lower'::regclass;
SELECT * FROM anon_stats.leaks();

-- with triggers => true too
TRUNCATE people;
INSERT INTO people SELECT g, 'secret' || (g % 5) || '@corp.com', 'town' FROM generate_series(1, 300) g;
ANALYZE people;
SELECT count(*) AS leaks_before FROM anon_stats.leaks();
SELECT table_name, rows FROM seedkit_anonymise('{people}', triggers => true);
SELECT * FROM anon_stats.leaks();

-- a parent another role owns keeps its statistics, with a WARNING
CREATE ROLE regress_anon_stats_owner;
CREATE ROLE regress_anon_stats_user;
GRANT USAGE, CREATE ON SCHEMA anon_stats TO regress_anon_stats_user;
GRANT USAGE ON SCHEMA seedkit TO regress_anon_stats_user;
SET ROLE regress_anon_stats_user;
CREATE TABLE base (id int, email text);
CREATE TABLE base_child () INHERITS (base);
RESET ROLE;
ALTER TABLE base OWNER TO regress_anon_stats_owner;
INSERT INTO base_child SELECT g, 'secret' || (g % 3) || '@corp.com' FROM generate_series(1, 100) g;
ANALYZE base, base_child;
SET ROLE regress_anon_stats_user;
SELECT seedkit_flag('base_child', 'email', 'email');
SELECT table_name, rows FROM seedkit_anonymise('{base_child}');
RESET ROLE;
SELECT * FROM anon_stats.leaks();

DROP SCHEMA anon_stats CASCADE;
REVOKE USAGE ON SCHEMA seedkit FROM regress_anon_stats_user;
DROP ROLE regress_anon_stats_user;
DROP ROLE regress_anon_stats_owner;
