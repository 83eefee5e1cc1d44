-- progress: seedkit.progress reports each table as a NOTICE (elapsed time in the detail)
CREATE SCHEMA progress_t;
CREATE TABLE progress_t.parent (id serial PRIMARY KEY, name text);
CREATE TABLE progress_t.child (id serial PRIMARY KEY, parent_id int REFERENCES progress_t.parent);
INSERT INTO progress_t.parent (name) SELECT 'p' || g FROM generate_series(1, 3) g;
INSERT INTO progress_t.child (parent_id) SELECT 1 + g % 3 FROM generate_series(1, 7) g;
SET seedkit.progress = on;
\set VERBOSITY terse
SELECT length(seedkit_snapshot('progress_t.parent')::text) > 0 AS taken;
\set VERBOSITY default
RESET seedkit.progress;
SHOW seedkit.progress;
-- off by default: no NOTICE
SELECT length(seedkit_snapshot('progress_t.parent')::text) > 0 AS taken;
-- the setting is checked
SET seedkit.progress = 'sometimes';
-- the seedkit prefix is reserved
SET seedkit.no_such_setting = 1;
DROP SCHEMA progress_t CASCADE;
