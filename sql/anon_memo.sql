-- seedkit_anonymise of a unique column: the rewrite takes back the fakes its
-- collision pass made (src/anon/memo.c), up to maintenance_work_mem, and
-- makes the others again; either way the fakes are the same
CREATE SCHEMA anon_memo;
SET search_path = anon_memo, public;
SET seedkit.seed = 'regress-seed-1';

CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, login varchar UNIQUE, note text);
INSERT INTO u SELECT g, CASE WHEN g % 97 <> 0 THEN 'user' || g || '@corp.example' END,
	'login' || g, 'x'
FROM generate_series(1, 30000) g;
-- a hole and dead row versions: the table's rows are not its tids one for one
DELETE FROM u WHERE id % 1000 = 7;
UPDATE u SET note = 'y' WHERE id % 500 = 3;
-- the same originals without unique indexes: no collision pass, no memo
CREATE TABLE n AS SELECT * FROM u;
CREATE TABLE originals AS SELECT * FROM u;
SELECT seedkit_flag(t, c, s)
FROM (VALUES ('u', 'email', 'email'), ('u', 'login', 'username'),
			 ('n', 'email', 'email'), ('n', 'login', 'username')) v(t, c, s);

-- a budget smaller than the pass needs: the rows after it are made again
SET maintenance_work_mem = '1MB';
SELECT table_name, columns, rows FROM seedkit_anonymise('{u,n}') ORDER BY table_name::text;
RESET maintenance_work_mem;

-- the plain copies share the unique columns' rounds: every fake is the same
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE u.email IS DISTINCT FROM n.email OR u.login IS DISTINCT FROM n.login) AS different,
	   count(u.email) AS emails,
	   count(DISTINCT u.email) AS distinct_emails,
	   count(DISTINCT u.login) AS distinct_logins,
	   count(*) FILTER (WHERE u.email = o.email OR u.login = o.login) AS originals_left
FROM u JOIN n USING (id) JOIN originals o USING (id);

-- and with the whole pass kept: the same fakes again
CREATE TABLE u2 (LIKE originals INCLUDING ALL);
ALTER TABLE u2 ADD UNIQUE (email), ADD UNIQUE (login);
INSERT INTO u2 SELECT * FROM originals;
SELECT seedkit_flag('u2', 'email', 'email');
SELECT seedkit_flag('u2', 'login', 'username');
SELECT table_name, columns, rows FROM seedkit_anonymise('{u2}');
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE u.email IS DISTINCT FROM u2.email OR u.login IS DISTINCT FROM u2.login) AS different
FROM u JOIN u2 USING (id);

DROP SCHEMA anon_memo CASCADE;
