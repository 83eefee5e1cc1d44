-- snapshot_keys: composite foreign keys, foreign keys to a unique key that
-- is not the primary key, several foreign keys between the same two
-- tables, natural keys of fixed-length types, and tables without a primary
-- key (rows identified physically: each written once, in text order).
CREATE SCHEMA snap_keys;
SET search_path = snap_keys, public;
-- composite primary key referenced by a composite foreign key
CREATE TABLE warehouses (country char(2), wh_no int, name text NOT NULL, PRIMARY KEY (country, wh_no));
CREATE TABLE bins (
  bin_id int PRIMARY KEY,
  country char(2) NOT NULL,
  wh_no int NOT NULL,
  label text,
  FOREIGN KEY (country, wh_no) REFERENCES warehouses
);
-- a composite foreign key whose columns are in another order than the
-- referenced key's, with a nullable column (MATCH SIMPLE: no reference)
CREATE TABLE transfers (
  transfer_id int PRIMARY KEY,
  to_wh int,
  to_country char(2),
  FOREIGN KEY (to_wh, to_country) REFERENCES warehouses (wh_no, country)
);
INSERT INTO warehouses VALUES ('DE', 1, 'Berlin'), ('DE', 2, 'Hamburg'), ('FR', 1, 'Paris'), ('FR', 2, 'Lyon');
INSERT INTO bins VALUES (1, 'DE', 1, 'b1'), (2, 'FR', 1, 'b2'), (3, 'DE', 2, 'b3');
INSERT INTO transfers VALUES (1, 1, 'FR'), (2, 2, NULL), (3, 2, 'FR');
-- a unique key that is not the primary key: the document's key is the
-- primary key, the reference names the unique columns
CREATE TABLE users (user_id int PRIMARY KEY, email text NOT NULL UNIQUE, login text UNIQUE);
CREATE TABLE sessions (session_id int PRIMARY KEY, email text REFERENCES users (email), login text REFERENCES users (login));
INSERT INTO users VALUES (1, 'a@example.org', 'ann'), (2, 'b@example.org', 'bob'), (3, 'c@example.org', NULL);
INSERT INTO sessions VALUES (1, 'b@example.org', NULL), (2, NULL, 'ann'), (3, 'c@example.org', 'bob');
-- without a primary key, the first NOT NULL unique key is the key
CREATE TABLE codes (code text NOT NULL, alt int UNIQUE, z_code text NOT NULL UNIQUE, a_code text NOT NULL UNIQUE);
INSERT INTO codes VALUES ('one', 1, 'z1', 'a1'), ('two', NULL, 'z2', 'a2');
-- two foreign keys between the same two tables
CREATE TABLE teams (team_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE matches (
  match_id int PRIMARY KEY,
  home_id int NOT NULL REFERENCES teams,
  away_id int NOT NULL REFERENCES teams,
  score text
);
INSERT INTO teams VALUES (1, 'Ants'), (2, 'Bees'), (3, 'Cats'), (4, 'Dogs');
-- match 4 references team 1 through both keys: taken once
INSERT INTO matches VALUES (1, 1, 2, '1:0'), (2, 3, 1, '2:2'), (3, 3, 4, '0:1'), (4, 1, 1, 'practice');
-- a table without any key: duplicate rows stay two rows, each written once
-- although reached through two foreign keys; its json column has no
-- equality operator, so rows cannot be told apart by their values
CREATE TABLE match_log (match_id int REFERENCES matches, team_id int REFERENCES teams, note text, extra json);
INSERT INTO match_log VALUES (1, 1, 'goal', '{"min": 3}'), (1, 1, 'goal', '{"min": 3}'), (1, 2, NULL, NULL),
  (2, 1, 'card', '[]'), (3, 4, 'goal', '{}'), (1, 1, 'Goal', '{"min": 90}');
-- text keys are ordered bytewise, whatever the column's collation
CREATE TABLE words (w text COLLATE "und-x-icu" PRIMARY KEY, n int);
INSERT INTO words VALUES ('b', 1), ('B', 2), ('a', 3), ('ä', 4), ('Z', 5), ('a b', 6), ('ab', 7);

-- composite keys
SELECT * FROM doc_tables(seedkit_snapshot('bins', filter => 'bin_id = 2'));
SELECT * FROM doc_rows(seedkit_snapshot('bins', filter => 'bin_id IN (2, 3)'));
SELECT * FROM doc_rows(seedkit_snapshot('transfers'));
-- children through a composite key: the bins and transfers of Paris only
SELECT * FROM doc_rows(seedkit_snapshot('warehouses', filter => 'country = ''FR'' AND wh_no = 1'));
-- unique keys that are not the primary key
SELECT * FROM doc_tables(seedkit_snapshot('sessions'));
SELECT * FROM doc_rows(seedkit_snapshot('sessions', filter => 'session_id = 1'));
SELECT * FROM doc_rows(seedkit_snapshot('users', filter => 'login = ''bob'''));
-- the key of a table without a primary key
SELECT * FROM doc_tables(seedkit_snapshot('codes'));
-- two foreign keys to the same table: both followed, each team once
SELECT * FROM doc_tables(seedkit_snapshot('matches', filter => 'match_id = 2'));
SELECT * FROM doc_rows(seedkit_snapshot('matches', filter => 'match_id = 2', exclude => '{match_log}'));
SELECT * FROM doc_rows(seedkit_snapshot('teams', filter => 'team_id = 1', exclude => '{match_log}'));
-- rows of a table without a key: deduplicated (the rows of match 1 with
-- team 1 are reached through both keys), in a stable order
SELECT * FROM doc_tables(seedkit_snapshot('teams', filter => 'team_id = 1'));
SELECT * FROM doc_rows(seedkit_snapshot('teams', filter => 'team_id = 1'));
SELECT * FROM doc_rows(seedkit_snapshot('match_log'));
SELECT * FROM doc_rows(seedkit_snapshot('words'));
SELECT array_agg(w ORDER BY w) AS icu_order FROM words;
-- dropped columns are not written; keys and foreign keys after them still
-- find their columns
CREATE TABLE shelves (junk int, code text NOT NULL, junk2 int, shelf_id serial PRIMARY KEY, name text);
CREATE TABLE books_on (x int, book_no int PRIMARY KEY, shelf_id int REFERENCES shelves);
INSERT INTO shelves (code, shelf_id, name) VALUES ('A', 10, 'ten'), ('B', 30, 'thirty');
INSERT INTO books_on VALUES (0, 1, 10), (0, 3, 30);
ALTER TABLE shelves DROP COLUMN junk;
ALTER TABLE shelves DROP COLUMN junk2;
ALTER TABLE books_on DROP COLUMN x;
ALTER TABLE shelves ADD COLUMN extra int DEFAULT 5;
SELECT * FROM doc_tables(seedkit_snapshot('books_on'));
SELECT * FROM doc_rows(seedkit_snapshot('books_on'));
-- a table without columns
CREATE TABLE nothing ();
INSERT INTO nothing DEFAULT VALUES;
INSERT INTO nothing DEFAULT VALUES;
SELECT t->'columns' AS columns, t->'key' AS key, (t->'rows')::jsonb AS rows
  FROM json_array_elements(seedkit_snapshot('nothing')->'tables') t;
-- the order does not depend on the physical order
CREATE TEMP TABLE before_doc AS SELECT seedkit_snapshot('match_log')::text AS d;
UPDATE match_log SET note = note;
VACUUM FULL match_log;
SELECT seedkit_snapshot('match_log')::text = d AS same FROM before_doc;

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_keys.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_keys CASCADE;
