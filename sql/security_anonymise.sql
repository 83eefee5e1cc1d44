-- security_anonymise: flagging and in-place anonymisation need ownership of
-- the table; the database secret is readable only by its owner and
-- superusers; a snapshot may skip anonymisation only for the table's owner.
-- (Under a hostile search_path: security_search_path_anonymise.)
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE seedkit_test_owner;
CREATE ROLE seedkit_test_reader;
CREATE ROLE seedkit_test_nobody;
CREATE SCHEMA an AUTHORIZATION seedkit_test_owner;
GRANT USAGE ON SCHEMA an TO seedkit_test_reader, seedkit_test_nobody;
SET ROLE seedkit_test_owner;
CREATE TABLE an.people (id int PRIMARY KEY, first_name text, email text UNIQUE);
INSERT INTO an.people VALUES (1, 'Alice', 'alice@example.org'), (2, 'Bob', 'bob@example.org');
GRANT SELECT, UPDATE ON an.people TO seedkit_test_reader;

-- only the owner flags
SET ROLE seedkit_test_reader;
SELECT seedkit_flag('an.people', 'first_name', 'first_name');
SET ROLE seedkit_test_nobody;
SELECT seedkit_flag('an.people', 'email', 'email');
SET ROLE seedkit_test_owner;
SELECT seedkit_flag('an.people', 'first_name', 'first_name');
SELECT seedkit_flag('an.people', 'email', 'email');
SELECT "table", "column", strategy FROM seedkit.flags WHERE "table" = 'an.people'::regclass ORDER BY 2;
-- nor unflags, nor edits the flag table behind the functions' back
SET ROLE seedkit_test_reader;
SELECT seedkit_unflag('an.people', 'email');
DELETE FROM seedkit.flag WHERE tbl = 'an.people'::regclass;
UPDATE seedkit.flag SET strategy = 'value' WHERE tbl = 'an.people'::regclass;
SET ROLE seedkit_test_owner;
SELECT count(*) AS flags_left FROM seedkit.flags WHERE "table" = 'an.people'::regclass;

-- the secret: no one but its owner and superusers reads it
SET ROLE seedkit_test_nobody;
SELECT count(*) FROM seedkit.secret;
SET seedkit.seed = '';
SELECT seedkit_fake('first_name', 'Alice'::text);
-- a seed of one's own works for anyone
SET seedkit.seed = 'security test';
SELECT seedkit_fake('first_name', 'Alice'::text) <> 'Alice' AS faked;
RESET seedkit.seed;

-- in place: UPDATE is not enough, the owner may
SET seedkit.seed = 'security test';
SET ROLE seedkit_test_reader;
SELECT * FROM seedkit_anonymise('{an.people}');
SELECT count(*) AS original_rows FROM an.people WHERE first_name IN ('Alice', 'Bob');
-- a snapshot skips anonymisation only for the owner
SELECT seedkit_snapshot('an.people', name => 'an', anonymise => false);
SELECT strpos(seedkit_snapshot('an.people', name => 'an')::text, 'Alice') AS alice_in_document;
SET ROLE seedkit_test_owner;
SET client_min_messages = warning;
SELECT strpos(seedkit_snapshot('an.people', name => 'an', anonymise => false)::text, 'Alice') > 0 AS alice_in_owner_document;
-- the owner may: in place, each value becomes its keyed fake
CREATE TABLE an.expected AS
SELECT id, seedkit_fake('first_name', first_name) AS first_name, seedkit_fake('email', email) AS email FROM an.people;
SELECT table_name, columns, rows FROM seedkit_anonymise('{an.people}');
SELECT (SELECT count(*) FROM an.people p JOIN an.expected e USING (id)
		 WHERE p.first_name = e.first_name AND p.email = e.email) AS in_place_as_expected,
	   (SELECT count(*) FROM an.people WHERE first_name IN ('Alice', 'Bob')
		   OR email IN ('alice@example.org', 'bob@example.org')) AS originals_left;

RESET ROLE;
RESET seedkit.seed;
DELETE FROM seedkit.snapshots WHERE name = 'an';
SELECT seedkit_unflag('an.people', 'first_name'), seedkit_unflag('an.people', 'email');
DROP SCHEMA an CASCADE;
DROP ROLE seedkit_test_owner, seedkit_test_reader, seedkit_test_nobody;
