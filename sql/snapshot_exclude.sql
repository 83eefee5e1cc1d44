-- snapshot_exclude: tables never entered.  Through a nullable foreign key
-- the value is written as null and the reference is not listed; through a
-- NOT NULL one it is an error naming the constraint.
CREATE SCHEMA snap_exclude;
SET search_path = snap_exclude, public;
CREATE TABLE publishers (publisher_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE editors (editor_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
  book_id int PRIMARY KEY,
  title text NOT NULL,
  publisher_id int REFERENCES publishers,
  editor_id int NOT NULL REFERENCES editors
);
CREATE TABLE reviews (review_id int PRIMARY KEY, book_id int NOT NULL REFERENCES books, stars int);
CREATE TABLE notes (note_id int PRIMARY KEY, review_id int NOT NULL REFERENCES reviews, body text);
INSERT INTO publishers VALUES (1, 'P1'), (2, 'P2');
INSERT INTO editors VALUES (1, 'E1');
INSERT INTO books VALUES (10, 'B10', 1, 1), (11, 'B11', NULL, 1), (12, 'B12', 2, 1);
INSERT INTO reviews VALUES (100, 10, 5), (101, 11, 4);
INSERT INTO notes VALUES (1000, 100, 'n');

-- without exclude
SELECT * FROM doc_tables(seedkit_snapshot('books', reset_keys => false));
-- a nullable foreign key to an excluded table: the column is null, the
-- reference is gone, the table is not in the document
SELECT * FROM doc_tables(seedkit_snapshot('books', exclude => '{publishers}', reset_keys => false));
SELECT * FROM doc_rows(seedkit_snapshot('books', exclude => '{publishers}', reset_keys => false));
-- excluding a child table leaves it and its own children out
SELECT * FROM doc_rows(seedkit_snapshot('books', exclude => '{reviews}', reset_keys => false));
-- several tables, schema-qualified or not
SELECT * FROM doc_tables(seedkit_snapshot('books', exclude => ARRAY['snap_exclude.notes', 'publishers']::regclass[]));
-- a NOT NULL foreign key to an excluded table is an error naming the constraint
SELECT seedkit_snapshot('books', exclude => '{editors}');
SELECT seedkit_snapshot('notes', exclude => '{books}');
-- ... unless no row reaches it
SELECT * FROM doc_rows(seedkit_snapshot('books', filter => 'false', exclude => '{editors}'));
-- excluding a table the closure never reaches changes nothing
SELECT seedkit_snapshot('reviews', children => false, exclude => '{notes}')::text
     = seedkit_snapshot('reviews', children => false)::text AS same;
-- excluding a table the closure does reach changes the document
SELECT seedkit_snapshot('reviews', exclude => '{notes}')::text
     = seedkit_snapshot('reviews')::text AS same;
-- a null element
SELECT seedkit_snapshot('books', exclude => ARRAY[NULL]::regclass[]);

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_exclude.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_exclude CASCADE;
