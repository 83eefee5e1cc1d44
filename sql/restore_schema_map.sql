-- restore_schema_map: restore a document into schemas of other names with
-- the same structure (parallel test workers, staging copies).  Every table of
-- a mapped schema goes into the same-named table of the target schema, and
-- references follow.
\set SHOW_CONTEXT never
CREATE SCHEMA sm;
CREATE TABLE sm.author (author_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE sm.book (book_id serial PRIMARY KEY, author_id int NOT NULL REFERENCES sm.author,
	title text NOT NULL);
CREATE SCHEMA smref;
CREATE TABLE smref.genre (code text PRIMARY KEY, label text);
ALTER TABLE sm.book ADD COLUMN genre text REFERENCES smref.genre;
INSERT INTO smref.genre VALUES ('sf', 'Science fiction'), ('cr', 'Crime');
INSERT INTO sm.author (name) VALUES ('Le Guin'), ('Christie');
INSERT INTO sm.book (author_id, title, genre) VALUES (1, 'The Dispossessed', 'sf'), (2, 'Poirot', 'cr'), (1, 'Lathe', 'sf');
CREATE TABLE sm_docs (doc json);
INSERT INTO sm_docs SELECT seedkit_snapshot('sm.book');
SELECT table_name, refs FROM doc_tables((SELECT doc FROM sm_docs)) ORDER BY n;

-- two workers' schemas with the same structure (the reference schema shared;
-- the second has a column more, with a default, and no foreign key on genre)
CREATE SCHEMA sm_w1;
CREATE SCHEMA sm_w2;
CREATE TABLE sm_w1.author (author_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE sm_w1.book (book_id serial PRIMARY KEY, author_id int NOT NULL REFERENCES sm_w1.author,
	title text NOT NULL, genre text REFERENCES smref.genre);
CREATE TABLE sm_w2.author (author_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE sm_w2.book (book_id serial PRIMARY KEY, author_id int NOT NULL REFERENCES sm_w2.author,
	title text NOT NULL, genre text, extra text DEFAULT 'w2');
-- the shared genres are there already: reused on their natural key
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w1"}', reuse => '"natural"');
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w2"}', reuse => '"natural"');
SELECT b.book_id, a.name, b.title, b.genre FROM sm_w1.book b JOIN sm_w1.author a USING (author_id) ORDER BY b.book_id;
SELECT b.book_id, a.name, b.title, b.genre, b.extra FROM sm_w2.book b JOIN sm_w2.author a USING (author_id) ORDER BY b.book_id;
-- the source schema is untouched
SELECT count(*) FROM sm.book;
-- again into a worker: the authors are reused, the books get fresh keys from
-- the worker's own sequence, which is moved on after
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w2"}',
	reuse => '{"sm.author": ["name"], "smref.genre": ["code"]}');
SELECT b.book_id, a.author_id, a.name, b.title FROM sm_w2.book b JOIN sm_w2.author a USING (author_id) ORDER BY b.book_id;
INSERT INTO sm_w2.book (author_id, title) VALUES (1, 'new') RETURNING book_id;
SELECT count(*) AS genres FROM smref.genre;
-- overrides and reuse may name tables by the document's names or the target's
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w2"}',
	overrides => '{"sm.book": {"title": "same"}}', reuse => '{"sm_w2.author": ["name"], "smref.genre": ["code"]}');
SELECT title, count(*) FROM sm_w2.book GROUP BY title ORDER BY title;
-- the name form
SELECT seedkit_load(jsonb_set((SELECT doc FROM sm_docs)::jsonb, '{name}', '"smdoc"')::json);
SELECT * FROM seedkit_restore('smdoc', schema_map => '{"sm": "sm_w1", "smref": "smref"}',
	reuse => '{"sm.author": ["name"], "smref.genre": ["code"]}');
SELECT count(*) AS w1_books FROM sm_w1.book;

-- Errors; each leaves the database as it was.
SELECT count(*) AS w2_books FROM sm_w2.book;
-- a target schema that does not exist
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_nosuch"}');
-- a target schema without the table
CREATE SCHEMA sm_w3;
CREATE TABLE sm_w3.author (author_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w3"}');
-- a target table without a column of the document
CREATE TABLE sm_w3.book (book_id serial PRIMARY KEY, author_id int NOT NULL REFERENCES sm_w3.author);
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": "sm_w3"}');
SELECT count(*) AS w3_authors FROM sm_w3.author;
-- a source schema the document does not have
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"shop": "sm_w2"}');
-- malformed maps
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '["sm_w2"]');
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '"sm_w2"');
SELECT * FROM seedkit_restore((SELECT doc FROM sm_docs), schema_map => '{"sm": 2}');
SELECT count(*) AS w2_books FROM sm_w2.book;
