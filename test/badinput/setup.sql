-- test/badinput/setup.sql: the target schema the hostile documents aim at.
-- Run as a superuser in a fresh database; the cases then run as the role
-- seedkit_test_badinput, which owns schema bad and may not set
-- session_replication_role.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS seedkit;
DROP SCHEMA IF EXISTS bad CASCADE;
DROP ROLE IF EXISTS seedkit_test_badinput;
CREATE ROLE seedkit_test_badinput;
CREATE SCHEMA bad AUTHORIZATION seedkit_test_badinput;
SET ROLE seedkit_test_badinput;
SET search_path = bad, public;

CREATE TABLE parent (
	id		serial PRIMARY KEY,
	name	text NOT NULL,
	born	date,
	score	numeric(5,2),
	tags	text[],
	meta	jsonb,
	flag	boolean,
	code	varchar(5)
);
CREATE TABLE child (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	parent_id	int NOT NULL REFERENCES parent,
	qty			int CHECK (qty >= 0),
	note		text
);
-- a two-table cycle of NOT NULL, non-deferrable foreign keys
CREATE TABLE cyc_a (id int PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE cyc_b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES cyc_a);
ALTER TABLE cyc_a ADD FOREIGN KEY (b_id) REFERENCES cyc_b;
-- the table the injection attempts try to drop
CREATE TABLE y (v int);
INSERT INTO y VALUES (1);
-- a table whose name is exactly 63 bytes: a longer name must not land here
CREATE TABLE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (id int);

INSERT INTO parent (name, born, score, tags, meta, flag, code)
SELECT 'alpha ' || g, date '2000-01-01' + g, g * 1.25, ARRAY['t' || g, NULL],
	   jsonb_build_object('g', g), g % 2 = 0, 'c' || g
  FROM generate_series(1, 3) g;
INSERT INTO child (parent_id, qty, note)
SELECT 1 + g % 3, g, 'note ' || g FROM generate_series(1, 6) g;

-- the valid document every case is made from
CREATE TABLE base (doc text NOT NULL);
INSERT INTO base SELECT seedkit_snapshot('bad.parent', name => 'badinput')::text;
DELETE FROM seedkit.snapshots;
