-- lines: seedkit_snapshot_lines streams the same document, one line per row
CREATE SCHEMA lines_t;
CREATE TABLE lines_t.a (id serial PRIMARY KEY, note text);
CREATE TABLE lines_t.b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES lines_t.a, j json);
INSERT INTO lines_t.a (note) VALUES ('one'), (E'two\nlines'), (NULL);
INSERT INTO lines_t.b (a_id, j) VALUES (1, '{"x": 1}'), (2, E'{"y":\n 2}'), (2, NULL);
SELECT line FROM seedkit_snapshot_lines('lines_t.a') WITH ORDINALITY AS s(line, n) ORDER BY n;
-- joined with newlines the lines are the document seedkit_snapshot returns
SELECT (SELECT string_agg(line, E'\n' ORDER BY n)
          FROM seedkit_snapshot_lines('lines_t.a', name => 'x') WITH ORDINALITY AS s(line, n))
     = seedkit_snapshot('lines_t.a', name => 'x')::text AS same;
-- the streamed form is not stored
SELECT count(*) FROM seedkit.snapshots WHERE name = 'a';
DROP SCHEMA lines_t CASCADE;
