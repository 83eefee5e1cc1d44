-- restore_key_operators: keys of a type whose operators live in a schema that is
-- not on the caller's search_path.  Restore's own statements name every
-- operator with its schema (the foreign key's, or the type's default
-- equality), so the UPDATE closing a nullable cycle and the check of a
-- NOT NULL cycle loaded under session_replication_role = replica find them
-- whatever the path (0.1.0 wrote a bare "=" there: operator does not exist).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
-- a text-like type with its own operators and btree class, all in schema kto
CREATE SCHEMA kto;
CREATE TYPE kto.code;
CREATE FUNCTION kto.code_in(cstring) RETURNS kto.code LANGUAGE internal IMMUTABLE STRICT AS 'textin';
CREATE FUNCTION kto.code_out(kto.code) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'textout';
CREATE TYPE kto.code (INPUT = kto.code_in, OUTPUT = kto.code_out, LIKE = text, COLLATABLE = true);
CREATE FUNCTION kto.code_eq(kto.code, kto.code) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'texteq';
CREATE FUNCTION kto.code_lt(kto.code, kto.code) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_lt';
CREATE FUNCTION kto.code_le(kto.code, kto.code) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_le';
CREATE FUNCTION kto.code_gt(kto.code, kto.code) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_gt';
CREATE FUNCTION kto.code_ge(kto.code, kto.code) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_ge';
CREATE FUNCTION kto.code_cmp(kto.code, kto.code) RETURNS int LANGUAGE internal IMMUTABLE STRICT AS 'bttextcmp';
CREATE OPERATOR kto.= (function = kto.code_eq, leftarg = kto.code, rightarg = kto.code, commutator = OPERATOR(kto.=), restrict = eqsel, join = eqjoinsel, merges);
CREATE OPERATOR kto.< (function = kto.code_lt, leftarg = kto.code, rightarg = kto.code);
CREATE OPERATOR kto.<= (function = kto.code_le, leftarg = kto.code, rightarg = kto.code);
CREATE OPERATOR kto.> (function = kto.code_gt, leftarg = kto.code, rightarg = kto.code);
CREATE OPERATOR kto.>= (function = kto.code_ge, leftarg = kto.code, rightarg = kto.code);
CREATE OPERATOR CLASS kto.code_ops DEFAULT FOR TYPE kto.code USING btree AS
	OPERATOR 1 kto.<, OPERATOR 2 kto.<=, OPERATOR 3 kto.=, OPERATOR 4 kto.>=, OPERATOR 5 kto.>,
	FUNCTION 1 kto.code_cmp(kto.code, kto.code);
CREATE SCHEMA kt;
-- a nullable cycle: restore fills b_id in with an UPDATE after the load
CREATE TABLE kt.a (id kto.code PRIMARY KEY, b_id kto.code, note text);
CREATE TABLE kt.b (id kto.code PRIMARY KEY, a_id kto.code NOT NULL REFERENCES kt.a);
ALTER TABLE kt.a ADD FOREIGN KEY (b_id) REFERENCES kt.b;
INSERT INTO kt.a VALUES ('a1', NULL, 'x'), ('a2', NULL, 'y');
INSERT INTO kt.b VALUES ('b1', 'a1'), ('b2', 'a2');
UPDATE kt.a SET b_id = 'b2';
-- a NOT NULL cycle that cannot be deferred: loaded under replica, then checked
CREATE TABLE kt.c (id kto.code PRIMARY KEY, d_id kto.code NOT NULL);
CREATE TABLE kt.d (id kto.code PRIMARY KEY, c_id kto.code NOT NULL REFERENCES kt.c);
ALTER TABLE kt.c ADD FOREIGN KEY (d_id) REFERENCES kt.d;
SET session_replication_role = replica;
INSERT INTO kt.c VALUES ('c1', 'd1'), ('c2', 'd2');
INSERT INTO kt.d VALUES ('d1', 'c2'), ('d2', 'c1');
RESET session_replication_role;
SELECT seedkit_snapshot('kt.a', name => 'kta') IS NOT NULL AS taken;
SELECT seedkit_snapshot('kt.c', name => 'ktc') IS NOT NULL AS taken;
-- kto is not on the path
SET search_path = public;
SELECT * FROM seedkit_restore('kta', 'replace');
SELECT * FROM seedkit_restore('ktc', 'replace');
RESET search_path;
SELECT id::text, b_id::text, note FROM kt.a ORDER BY 1;
SELECT id::text, d_id::text FROM kt.c ORDER BY 1;
DELETE FROM seedkit.snapshots WHERE name IN ('kta', 'ktc');
DROP SCHEMA kt CASCADE;
DROP SCHEMA kto CASCADE;
