-- restore_overrides: tweak a fixture at restore time, for every row or by row key
CREATE SCHEMA ov;
CREATE TABLE ov.books (book_id serial PRIMARY KEY, title text NOT NULL, price numeric(9,2), meta json,
	tags text[], note text DEFAULT 'default note');
CREATE TABLE ov.book_tags (book_id int REFERENCES ov.books, tag text, weight int, PRIMARY KEY (book_id, tag));
CREATE TABLE ov.docs (doc json);
INSERT INTO ov.docs VALUES ($doc${"format": "seedkit/1", "name": "ov", "root": {"table": "ov.books", "filter": null}, "tables": [
 {"table": "ov.books", "columns": ["book_id", "title", "price", "meta", "tags"], "types": ["integer", "text", "numeric(9,2)", "json", "text[]"],
  "key": ["book_id"], "reset": ["book_id"], "references": [],
  "rows": [[1, "One", "1.00", {"a": 1}, "{x}"], [2, "Two", "2.00", null, "{}"], [3, "Three", "3.00", [3], null]]},
 {"table": "ov.book_tags", "columns": ["book_id", "tag", "weight"], "types": ["integer", "text", "integer"],
  "key": ["book_id", "tag"], "reset": [],
  "references": [{"constraint": "book_tags_book_id_fkey", "columns": ["book_id"], "table": "ov.books", "key": ["book_id"], "after": false}],
  "rows": [[1, "a", 1], [1, "b", 2], [3, "a", 3]]}]}$doc$);
CREATE VIEW ov.v AS SELECT b.book_id, b.title, b.price, b.meta::text, b.tags, b.note, t.tag, t.weight
	FROM ov.books b LEFT JOIN ov.book_tags t USING (book_id);

-- every row of a table
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), 'replace',
	overrides => '{"ov.books": {"title": "Domain-Driven Design", "price": 9.5}}');
SELECT * FROM ov.v ORDER BY book_id, tag;
-- one row, by its key: the ordinal of a reset key, the values joined by commas for a composite key
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), 'replace',
	overrides => '{"ov.books": {"2": {"title": "Second", "price": null}},
				   "ov.book_tags": {"1,b": {"weight": 20}, "3,a": {"tag": "z"}}}');
SELECT * FROM ov.v ORDER BY book_id, tag;
-- both at once; a json column set on every row (an object value naming a column is its value);
-- a column the document lacks, on every row; tables named any way that resolves to them
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), 'replace',
	overrides => '{"\"ov\".\"books\"": {"meta": {"k": [1, 2]}, "note": "overridden", "3": {"tags": "{p,q}"}}}');
SELECT * FROM ov.v ORDER BY book_id, tag;
-- append: keys are fresh, the override still names rows by their ordinal in the document
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs),
	overrides => '{"ov.books": {"1": {"title": "First again"}}}');
SELECT book_id, title FROM ov.books ORDER BY book_id;

-- errors: nothing is written
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.nope": {"title": "x"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"pg_class": {"title": "x"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"titel": "x"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"9": {"title": "x"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"1": {"titel": "x"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"1": {"note": "x"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"book_id": 5}}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": "title"}');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '[1]');
SELECT * FROM seedkit_restore((SELECT doc FROM ov.docs), overrides => '{"ov.books": {"price": "cheap"}}');
SELECT count(*) AS books FROM ov.books;
