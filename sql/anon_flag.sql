-- seedkit_flag / seedkit_unflag / seedkit.flags
CREATE SCHEMA anon_flag;
SET search_path = anon_flag, public;
SET seedkit.seed = 'regress-seed-1';
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, email varchar(40), born date,
					 salary numeric(8, 2), note text);

SELECT seedkit_flag('people', 'name', 'full_name');
SELECT seedkit_flag('people', 'email', 'email', '{"locale": "fr_FR", "domain": "example.org"}');
SELECT seedkit_flag('people', 'born', 'date_shift', '{"days": 90}');
SELECT seedkit_flag('people', 'salary', 'number_noise');
SELECT seedkit_flag('people', 'note', 'null');
SELECT "table", "column", strategy, options FROM seedkit.flags WHERE "table" = 'people'::regclass ORDER BY 2;

-- flagging again replaces the flag; the locale recorded is the setting's
SET seedkit.locale = 'es_ES';
SELECT seedkit_flag('people', 'name', 'first_name');
RESET seedkit.locale;
SELECT "column", strategy, options FROM seedkit.flags WHERE "table" = 'people'::regclass AND "column" = 'name';

-- a renamed column keeps its flag, a dropped one loses it
ALTER TABLE people RENAME COLUMN email TO mail;
ALTER TABLE people DROP COLUMN note;
SELECT "column", strategy FROM seedkit.flags WHERE "table" = 'people'::regclass ORDER BY 1;
ALTER TABLE people ADD COLUMN note text;
SELECT "column", strategy FROM seedkit.flags WHERE "table" = 'people'::regclass ORDER BY 1;
-- the dropped column's flag is removed at once (event trigger)
SELECT count(*) AS stored_rows FROM seedkit.flag WHERE tbl = 'people'::regclass;
-- the stored name follows a rename (it finds the column in a restored copy)
SELECT attname FROM seedkit.flag WHERE tbl = 'people'::regclass ORDER BY attnum;
SELECT seedkit_unflag('people', 'salary');
SELECT count(*) AS stored_rows FROM seedkit.flag WHERE tbl = 'people'::regclass;
SELECT seedkit_unflag('people', 'salary');

-- a renamed table keeps its flags; a dropped table's flags disappear from the view
ALTER TABLE people RENAME TO persons;
SELECT "table", "column" FROM seedkit.flags WHERE "table" = 'persons'::regclass ORDER BY 2;
CREATE TABLE scratch (v text);
SELECT seedkit_flag('scratch', 'v', 'hash');
SELECT count(*) AS stored_before_drop FROM seedkit.flag;
DROP TABLE scratch;
SELECT count(*) AS stored_after_drop FROM seedkit.flag;

-- errors at flag time
SELECT seedkit_flag('persons', 'name', 'nonsense');
SELECT seedkit_flag('persons', 'name', 'email', '{"domian": "x.org"}');
SELECT seedkit_flag('persons', 'born', 'email');
SELECT seedkit_flag('persons', 'salary', 'date_shift');
SELECT seedkit_flag('persons', 'name', 'null');
SELECT seedkit_flag('persons', 'name', 'value', '{"value": null}');
SELECT seedkit_flag('persons', 'nope', 'hash');
SELECT seedkit_flag('persons', 'ctid', 'hash');
SELECT seedkit_flag('persons', 'name', 'full_name', '{"locale": "xx_XX"}');
SELECT seedkit_flag('persons', 'born', 'date_shift', '{"days": "many"}');
ALTER TABLE persons ADD COLUMN shout text GENERATED ALWAYS AS (upper(name)) STORED;
SELECT seedkit_flag('persons', 'shout', 'full_name');
CREATE VIEW persons_v AS SELECT * FROM persons;
SELECT seedkit_flag('persons_v', 'name', 'full_name');
SELECT seedkit_unflag('persons', 'nope');

-- only the table's owner may flag or unflag
CREATE ROLE regress_seedkit_other;
GRANT USAGE ON SCHEMA anon_flag TO regress_seedkit_other;
GRANT SELECT, UPDATE ON persons TO regress_seedkit_other;
SET ROLE regress_seedkit_other;
SELECT seedkit_flag('persons', 'name', 'full_name');
SELECT seedkit_unflag('persons', 'born');
-- the flags are readable by everyone, but not writable directly
SELECT count(*) > 0 AS can_read FROM seedkit.flags WHERE "table" = 'persons'::regclass;
DELETE FROM seedkit.flag WHERE tbl = 'persons'::regclass;
INSERT INTO seedkit.flag (tbl, relid_seen, attnum, attname, strategy)
	VALUES ('persons'::regclass, 'persons'::regclass, 2, 'name', 'null');
SELECT * FROM seedkit_anonymise('{persons}');
RESET ROLE;
SELECT count(*) AS flags_kept FROM seedkit.flags WHERE "table" = 'persons'::regclass;
DROP OWNED BY regress_seedkit_other;
DROP ROLE regress_seedkit_other;

RESET seedkit.seed;
DROP SCHEMA anon_flag CASCADE;
SELECT count(*) AS flags_left FROM seedkit.flag;
-- the extension drops and comes back cleanly with its event triggers
DROP EXTENSION seedkit;
CREATE EXTENSION seedkit;
SELECT evtname, evtevent FROM pg_event_trigger WHERE evtname LIKE 'seedkit%' ORDER BY 1;
