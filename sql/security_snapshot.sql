-- security_snapshot: seedkit_snapshot runs with the caller's privileges and
-- row-level security; stored snapshots are visible to their owner only.
-- Three roles: an owner, a reader limited by RLS, a role with no rights.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE seedkit_test_owner;
CREATE ROLE seedkit_test_reader;
CREATE ROLE seedkit_test_nobody;
CREATE SCHEMA sec AUTHORIZATION seedkit_test_owner;
GRANT USAGE ON SCHEMA sec TO seedkit_test_reader, seedkit_test_nobody;
SET ROLE seedkit_test_owner;
CREATE TABLE sec.authors (
	author_id	serial PRIMARY KEY,
	name		text NOT NULL,
	hidden		boolean NOT NULL DEFAULT false
);
CREATE TABLE sec.books (
	book_id		serial PRIMARY KEY,
	title		text NOT NULL,
	author_id	int NOT NULL REFERENCES sec.authors
);
CREATE TABLE sec.reviews (
	review_id	serial PRIMARY KEY,
	book_id		int NOT NULL REFERENCES sec.books,
	body		text NOT NULL,
	hidden		boolean NOT NULL DEFAULT false
);
-- a child table the reader may not read at all
CREATE TABLE sec.royalties (
	book_id		int PRIMARY KEY REFERENCES sec.books,
	amount		numeric NOT NULL
);
INSERT INTO sec.authors (name, hidden) VALUES ('Ann', false), ('Bob', true), ('Cid', false);
INSERT INTO sec.books (title, author_id) VALUES ('A1', 1), ('B1', 2), ('C1', 3), ('A2', 1);
INSERT INTO sec.reviews (book_id, body, hidden) VALUES
	(1, 'good', false), (1, 'secret review', true), (3, 'fine', false), (4, 'meh', false);
INSERT INTO sec.royalties VALUES (1, 10.5), (2, 99);
ALTER TABLE sec.authors ENABLE ROW LEVEL SECURITY;
ALTER TABLE sec.reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY reader_authors ON sec.authors TO seedkit_test_reader USING (NOT hidden);
CREATE POLICY reader_reviews ON sec.reviews TO seedkit_test_reader USING (NOT hidden);
GRANT SELECT ON sec.authors, sec.books, sec.reviews TO seedkit_test_reader;

-- the owner sees everything (owners bypass their own policies)
SELECT json_array_length(seedkit_snapshot('sec.books', filter => 'book_id = 1', name => 'sec')->'tables') AS tables;
SELECT t->>'table' AS table_name, json_array_length(t->'rows') AS rows
  FROM json_array_elements(seedkit_snapshot('sec.books', name => 'sec')->'tables') t ORDER BY 1;

-- the reader: royalties is in the closure and not readable
SET ROLE seedkit_test_reader;
SELECT seedkit_snapshot('sec.books', filter => 'book_id = 1', name => 'sec');
SELECT seedkit_plan('sec.books', filter => 'book_id = 1');
-- leaving it out works; the policy hides the secret review
SELECT t->>'table' AS table_name, json_array_length(t->'rows') AS rows
  FROM json_array_elements(seedkit_snapshot('sec.books', filter => 'book_id = 1', name => 'sec',
							  exclude => '{sec.royalties}')->'tables') t ORDER BY 1;
SELECT strpos(seedkit_snapshot('sec.books', filter => 'book_id = 1', name => 'sec',
							   exclude => '{sec.royalties}')::text, 'secret review') AS secret_review_at;
-- a book whose author the policy hides: an error naming the constraint, never a dangling reference
SELECT seedkit_snapshot('sec.books', filter => 'book_id = 2', name => 'sec', exclude => '{sec.royalties}');
-- the filter runs with the reader's rights too
SELECT seedkit_snapshot('sec.books', filter => 'book_id IN (SELECT book_id FROM sec.royalties)',
						name => 'sec', exclude => '{sec.royalties}');

-- the role with no rights
SET ROLE seedkit_test_nobody;
SELECT seedkit_snapshot('sec.books');
SELECT seedkit_snapshot('sec.reviews', children => false);
SELECT seedkit_plan('sec.books');
SELECT seedkit_plan_graph('sec.books');
RESET ROLE;

-- stored snapshots: the owner's and the reader's, each under "sec"
SELECT owner, name, root FROM seedkit.snapshots WHERE name = 'sec' ORDER BY owner;
SET ROLE seedkit_test_owner;
SELECT owner, name FROM seedkit.snapshots ORDER BY owner::text, name;
SET ROLE seedkit_test_reader;
SELECT owner, name FROM seedkit.snapshots ORDER BY owner::text, name;
SET ROLE seedkit_test_nobody;
SELECT count(*) AS visible FROM seedkit.snapshots;
-- nor can it change or remove another's
UPDATE seedkit.snapshots SET document = '{}' WHERE owner = 'seedkit_test_owner'::regrole;
DELETE FROM seedkit.snapshots WHERE owner = 'seedkit_test_owner'::regrole;
-- nor plant a document another role would restore as its own
INSERT INTO seedkit.snapshots (name, owner, root, row_counts, document)
	VALUES ('planted', 'seedkit_test_owner', 'sec.books', '{}', '{}');
-- its own rows it may keep, but not give away
INSERT INTO seedkit.snapshots (name, root, row_counts, document)
	VALUES ('mine', 'sec.books', '{}', '{}');
UPDATE seedkit.snapshots SET owner = 'seedkit_test_owner'::regrole WHERE name = 'mine';
SELECT owner, name FROM seedkit.snapshots ORDER BY owner::text, name;
RESET ROLE;
SELECT owner, name FROM seedkit.snapshots WHERE owner::text LIKE 'seedkit\_test\_%' ORDER BY owner::text, name;
-- the owner's document is unchanged
SELECT json_array_length(document->'tables') AS tables FROM seedkit.snapshots
 WHERE owner = 'seedkit_test_owner'::regrole AND name = 'sec';

-- every seedkit function is SECURITY INVOKER and pins its search_path itself
SELECT p.proname, p.prosecdef, p.proconfig
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'seedkit') AND p.prosecdef
 ORDER BY 1;

RESET ROLE;
DELETE FROM seedkit.snapshots WHERE owner::text LIKE 'seedkit\_test\_%';
DROP SCHEMA sec CASCADE;
DROP ROLE seedkit_test_owner, seedkit_test_reader, seedkit_test_nobody;
