-- snapshot_errors: max_rows and every argument error.  A failed snapshot
-- stores nothing and leaves no key tables behind.
CREATE SCHEMA snap_errors;
SET search_path = snap_errors, public;
CREATE TABLE authors (author_id int PRIMARY KEY, name text);
CREATE TABLE books (book_id int PRIMARY KEY, author_id int REFERENCES authors, title text);
CREATE TABLE reviews (review_id int PRIMARY KEY, book_id int REFERENCES books, stars int);
CREATE VIEW book_view AS SELECT * FROM books;
CREATE SEQUENCE seq;
INSERT INTO authors SELECT g, 'a' || g FROM generate_series(1, 3) g;
INSERT INTO books SELECT g, 1 + g % 3, 'b' || g FROM generate_series(1, 10) g;
INSERT INTO reviews SELECT g, 1 + g % 10, g % 5 FROM generate_series(1, 30) g;

-- max_rows: the closure of books 1..10 is 10 + 30 + 3 = 43 rows
SELECT json_array_length(seedkit_snapshot('books', max_rows => 43)->'tables') AS tables;
-- one less: an error with the counts per table reached so far and a hint
SELECT seedkit_snapshot('books', max_rows => 42);
-- the root rows alone are over the limit
SELECT seedkit_snapshot('books', max_rows => 5);
SELECT seedkit_snapshot('books', max_rows => 0);
-- narrowed, the same limit is enough
SELECT json_array_length(seedkit_snapshot('books', max_rows => 5, filter => 'book_id = 1', children => false)->'tables') AS tables;
-- max_rows => 0 with nothing to take
SELECT json_array_length(seedkit_snapshot('books', max_rows => 0, filter => 'false')->'tables') AS tables;
-- NULL means the default
SELECT json_array_length(seedkit_snapshot('books', max_rows => NULL)->'tables') AS tables;

-- NULL arguments mean their defaults
SELECT seedkit_snapshot('books', filter => NULL, name => NULL, children => NULL, exclude => NULL,
                        max_rows => NULL, reset_keys => NULL)::text
     = seedkit_snapshot('books')::text AS same;
-- the snapshot sees the changes of its own transaction
BEGIN;
INSERT INTO authors VALUES (4, 'new');
UPDATE books SET author_id = 4 WHERE book_id = 1;
SELECT * FROM doc_rows(seedkit_snapshot('books', filter => 'book_id = 1', children => false));
ROLLBACK;
-- argument errors
SELECT seedkit_snapshot(NULL);
SELECT seedkit_snapshot('books', max_rows => -1);
SELECT seedkit_snapshot('books', exclude => '{books}');
SELECT seedkit_snapshot('books', exclude => '{reviews, snap_errors.books}');
SELECT seedkit_snapshot('books', name => '');
SELECT seedkit_snapshot('no_such_table');
SELECT seedkit_snapshot('books', exclude => '{no_such_table}');
SELECT seedkit_snapshot(0);
SELECT seedkit_snapshot('book_view');
SELECT seedkit_snapshot('seq');
-- a filter that does not parse, names a missing column, is not boolean,
-- is empty, or is several statements
SELECT seedkit_snapshot('books', filter => 'book_id = ');
SELECT seedkit_snapshot('books', filter => 'no_such_column = 1');
SELECT seedkit_snapshot('books', filter => 'book_id');
SELECT seedkit_snapshot('books', filter => '');
SELECT seedkit_snapshot('books', filter => 'true); DELETE FROM snap_errors.reviews; SELECT (true');
SELECT seedkit_snapshot('books', filter => 'true) UNION ALL SELECT 1, true, 0 FROM (SELECT 1');
-- nothing was deleted
SELECT count(*) FROM reviews;
-- a filter may end in a comment, and is evaluated with the caller's rights
SELECT json_array_length(seedkit_snapshot('books', filter => 'book_id = 1 -- the first')->'tables'->1->'rows') AS rows;
-- an error while evaluating the filter is the caller's error
\set VERBOSITY terse
SELECT seedkit_snapshot('books', filter => 'book_id / 0 = 1');
\set VERBOSITY default

-- a foreign key value referencing nothing (the key was not enforced) is
-- refused, not written as a dangling reference or a shifted ordinal
CREATE TABLE parents (parent_id serial PRIMARY KEY, name text);
CREATE TABLE kids (kid_id int PRIMARY KEY, parent_id int REFERENCES parents);
INSERT INTO parents VALUES (10, 'ten'), (30, 'thirty');
SET session_replication_role = replica;
INSERT INTO kids VALUES (1, 10), (2, 20), (3, 30);
RESET session_replication_role;
SELECT seedkit_snapshot('kids');
SELECT seedkit_snapshot('kids', reset_keys => false);
SELECT * FROM doc_rows(seedkit_snapshot('kids', filter => 'kid_id <> 2'));
-- a read-only transaction (or a standby server) cannot take a snapshot
BEGIN READ ONLY;
SELECT seedkit_snapshot('authors');
ROLLBACK;
-- the failures stored nothing (the last good one is there), and no key
-- tables are left
SELECT name, row_counts FROM seedkit.snapshots WHERE root LIKE 'snap_errors.%' ORDER BY name;
SELECT count(*) AS temp_tables FROM pg_class WHERE relname LIKE 'seedkit\_%' AND relpersistence = 't';
-- several snapshots in one transaction, one of them failing in a subtransaction
BEGIN;
SELECT json_array_length(seedkit_snapshot('authors')->'tables') AS tables;
SAVEPOINT s;
SELECT seedkit_snapshot('authors', max_rows => 1);
ROLLBACK TO SAVEPOINT s;
SELECT json_array_length(seedkit_snapshot('authors', filter => 'author_id = 1')->'tables') AS tables;
SELECT count(*) AS temp_tables FROM pg_class WHERE relname LIKE 'seedkit\_%' AND relpersistence = 't';
COMMIT;

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_errors.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_errors CASCADE;
