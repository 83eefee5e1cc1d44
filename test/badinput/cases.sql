-- test/badinput/cases.sql: the hostile documents, made from the valid one in
-- bad.base.  Each row: a case name, the functions it is given to (R:
-- seedkit_restore, L: seedkit_load; lower case: the call may also succeed, as
-- long as it injects nothing), the SQLSTATE classes accepted for its ERROR,
-- and the document text.  seedkit_load checks the document's structure only,
-- so cases that need the catalog (table names, values) give it "l".  Invalid UTF-8 cannot be stored as text; the
-- run script sends it as raw bytes instead.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET ROLE seedkit_test_badinput;
SET search_path = bad, public;
CREATE TABLE cases (
	name	text PRIMARY KEY,
	funcs	text NOT NULL,
	classes	text[] NOT NULL,
	doc		text,
	known	text				-- a gap reported, not yet fixed: see doc/hardening.md
);
CREATE FUNCTION b() RETURNS jsonb LANGUAGE sql AS $$ SELECT doc::jsonb FROM bad.base $$;
CREATE FUNCTION t() RETURNS text LANGUAGE sql AS $$ SELECT doc FROM bad.base $$;
-- the document with one path of its jsonb form replaced
CREATE FUNCTION s(p text[], v jsonb) RETURNS text LANGUAGE sql AS $$ SELECT jsonb_set(bad.b(), p, v)::text $$;
-- the document with a member removed
CREATE FUNCTION del(p text[]) RETURNS text LANGUAGE sql AS $$ SELECT (bad.b() #- p)::text $$;

INSERT INTO cases VALUES
-- invalid JSON
('truncated',				'RL', '{22}', (SELECT left(t(), length(t()) / 2))),
('truncated in a string',	'RL', '{22}', (SELECT left(t(), strpos(t(), 'alpha 2') + 2))),
('trailing garbage',		'RL', '{22}', t() || ' }x'),
('second document after',	'RL', '{22}', t() || t()),
('empty text',				'RL', '{22}', ''),
('nul escape in a value',	'R',  '{22}', replace(t(), '"alpha 2"', '"al\u0000pha"')),
('nul escape in a name',	'RL', '{22,42}', replace(t(), '"bad.child"', '"bad.ch\u0000ild"')),
('nul escape in a column',	'RL', '{22,42}', replace(t(), '"note"]', '"no\u0000te"]')),
('lone high surrogate',		'R',  '{22}', replace(t(), '"alpha 2"', '"al\ud800pha"')),
('lone low surrogate',		'R',  '{22}', replace(t(), '"alpha 2"', '"\udc00"')),
('high surrogate at end',	'R',  '{22}', replace(t(), '"alpha 2"', '"al\ud83d"')),
('surrogate in a name',		'Rl', '{22,42}', replace(t(), '"bad.child"', '"bad.\ud800child"')),
('bad escape in a value',	'RL', '{22}', replace(t(), '"alpha 2"', '"\x41"')),
('short unicode escape',	'RL', '{22}', replace(t(), '"alpha 2"', '"\u12"')),
('nesting 1e4 in a value',	'r',  '{22,54}', replace(t(), '{"g": 2}', repeat('[', 10000) || repeat(']', 10000))),
('nesting 1e4 in a header',	'RL', '{22,54}', replace(t(), '"types": ["integer",', '"types": [' || repeat('[', 10000) || repeat(']', 10000) || ',')),
('nesting 1e4 in extra key','RL', '{22}', replace(t(), '"format"', '"deep": ' || repeat('{"a":', 10000) || '1' || repeat('}', 10000) || ', "format"')),
-- wrong shape
('an array',				'RL', '{22}', '[]'),
('a string',				'RL', '{22}', '"seedkit/1"'),
('json null',				'RL', '{22}', 'null'),
('empty object',			'RL', '{22}', '{}'),
('no format',				'RL', '{22}', del('{format}')),
('format a number',			'RL', '{22}', s('{format}', '1')),
('format seedkit/3',		'RL', '{0A}', s('{format}', '"seedkit/3"')),
('format seedkit/0',		'RL', '{0A}', s('{format}', '"seedkit/0"')),
('format with space',		'RL', '{0A,22}', s('{format}', '"seedkit/1 "')),
('no tables',				'RL', '{22}', del('{tables}')),
('tables an object',		'RL', '{22}', s('{tables}', '{}')),
('tables a string',			'RL', '{22}', s('{tables}', '"bad.parent"')),
('table element a number',	'RL', '{22}', s('{tables,0}', '7')),
('no table name',			'RL', '{22}', del('{tables,0,table}')),
('table name a number',		'RL', '{22}', s('{tables,0,table}', '5')),
('no columns',				'RL', '{22}', del('{tables,0,columns}')),
('columns a string',		'RL', '{22}', s('{tables,0,columns}', '"id"')),
('columns of numbers',		'RL', '{22}', s('{tables,1,columns}', '[1, 2, 3, 4]')),
('no types',				'RL', '{22}', del('{tables,0,types}')),
('types one short',			'RL', '{22}', s('{tables,1,types}', '["bigint", "integer", "integer"]')),
('no key',					'RL', '{22}', del('{tables,0,key}')),
('key names a stranger',	'RL', '{22}', s('{tables,0,key}', '["nope"]')),
('reset names a stranger',	'RL', '{22}', s('{tables,0,reset}', '["nope"]')),
('reset an object',			'RL', '{22}', s('{tables,0,reset}', '{"id": 1}')),
('references an object',	'RL', '{22}', s('{tables,1,references}', '{}')),
('reference without table',	'RL', '{22}', (bad.b() #- '{tables,1,references,0,table}')::text),
('reference misaligned',	'RL', '{22}', s('{tables,1,references,0,key}', '["id", "name"]')),
('reference to stranger col','RL','{22,42}', s('{tables,1,references,0,columns}', '["nope"]')),
('reference to absent table','RL','{22,42}', s('{tables,1,references,0,table}', '"bad.y"')),
('reference to a stranger table','RL','{22,42}', s('{tables,1,references,0,table}', '"bad.nowhere"')),
('referenced table left out','RL', '{22}', jsonb_set(b(), '{tables}', jsonb_build_array(b()->'tables'->1))::text),
('reference to absent key',	'rl', '{22,42}', s('{tables,1,references,0,key}', '["nope"]')),
('no rows',					'RL', '{22}', del('{tables,0,rows}')),
('rows an object',			'RL', '{22}', s('{tables,0,rows}', '{}')),
('row a string',			'RL', '{22}', s('{tables,1,rows,2}', '"x"')),
('ragged row short',		'RL', '{22}', s('{tables,1,rows,2}', '[3, 1, 3]')),
('ragged row long',			'RL', '{22}', s('{tables,1,rows,5}', '[6, 1, 6, "x", "y"]')),
('empty row',				'RL', '{22}', s('{tables,1,rows,0}', '[]')),
('extra top-level key',		'RL', '{22}', s('{extra}', '1')),
('extra table key',			'RL', '{22}', s('{tables,0,extra}', '1')),
('extra reference key',		'RL', '{22}', s('{tables,1,references,0,extra}', '1')),
('duplicate format key',	'RL', '{22,0A}', regexp_replace(t(), '"format": ("seedkit/[12]"),', '"format": \1, "format": "seedkit/9",')),
('duplicate rows key',		'RL', '{22}', replace(t(), '"rows": [
        [1, 2,', '"rows": [], "rows": [
        [1, 2,')),
('table listed twice',		'Rl', '{22,42}', jsonb_set(b(), '{tables}', (b()->'tables') || jsonb_build_array(b()->'tables'->1))::text),
('child before parent',		'Rl', '{22,23}', jsonb_set(b(), '{tables}', jsonb_build_array(b()->'tables'->1, b()->'tables'->0))::text),
('ordinal that does not exist','R', '{22,23}', s('{tables,1,rows,0,1}', '99')),
('ordinal zero',			'RL', '{22,23}', s('{tables,0,rows,0,0}', '0')),
('ordinal negative',		'RL', '{22,23}', s('{tables,0,rows,0,0}', '-4')),
('ordinal a string',		'RL', '{22,23}', s('{tables,0,rows,0,0}', '"one"')),
('ordinal 2^63',			'RL', '{22,23}', s('{tables,0,rows,0,0}', '9223372036854775808')),
('ordinal duplicated',		'RL', '{22,23}', s('{tables,0,rows,1,0}', '1')),
('ordinal duplicated, in range','RL', '{22}', jsonb_set(jsonb_set(b(), '{tables,0,rows,1,0}', '3'), '{tables,0,rows,0,0}', '2')::text),
('ordinal 2^61+1',			'RL', '{22}', s('{tables,0,rows,0,0}', '2305843009213693953')),
('ordinal 2^63-1',			'RL', '{22}', s('{tables,0,rows,0,0}', '9223372036854775807')),
('ordinal 1e8',				'RL', '{22}', s('{tables,0,rows,0,0}', '100000000')),
('ordinal rows+1',			'RL', '{22}', s('{tables,0,rows,0,0}', '4')),
('ordinal a fraction',		'RL', '{22}', s('{tables,0,rows,0,0}', '1.5')),
('ordinal an array',		'RL', '{22}', s('{tables,0,rows,0,0}', '[1]')),
('reset column listed twice','RL', '{22}', s('{tables,0,reset}', '["id", "id"]')),
('fk ordinal 2^63',			'R',  '{22,23}', s('{tables,1,rows,0,1}', '9223372036854775808')),
('fk ordinal null',			'R',  '{22,23}', s('{tables,1,rows,0,1}', 'null')),
('unorderable cycle',		'Rl', '{0A,22,23,42,55}', '{"format": "seedkit/1", "name": "cyc", "root": {"table": "bad.cyc_a", "filter": null}, "tables": [
 {"table": "bad.cyc_a", "columns": ["id", "b_id"], "types": ["integer", "integer"], "key": ["id"], "reset": [],
  "references": [{"constraint": "cyc_a_b_id_fkey", "columns": ["b_id"], "table": "bad.cyc_b", "key": ["id"], "after": false}],
  "rows": [[1, 1]]},
 {"table": "bad.cyc_b", "columns": ["id", "a_id"], "types": ["integer", "integer"], "key": ["id"], "reset": [],
  "references": [{"constraint": "cyc_b_a_id_fkey", "columns": ["a_id"], "table": "bad.cyc_a", "key": ["id"], "after": false}],
  "rows": [[1, 1]]}]}'),
('cycle marked after',		'R', '{0A,22,23,42,55}', '{"format": "seedkit/1", "name": "cyc", "root": {"table": "bad.cyc_a", "filter": null}, "tables": [
 {"table": "bad.cyc_a", "columns": ["id", "b_id"], "types": ["integer", "integer"], "key": ["id"], "reset": [],
  "references": [{"constraint": "cyc_a_b_id_fkey", "columns": ["b_id"], "table": "bad.cyc_b", "key": ["id"], "after": true}],
  "rows": [[1, 1]]},
 {"table": "bad.cyc_b", "columns": ["id", "a_id"], "types": ["integer", "integer"], "key": ["id"], "reset": [],
  "references": [{"constraint": "cyc_b_a_id_fkey", "columns": ["a_id"], "table": "bad.cyc_a", "key": ["id"], "after": false}],
  "rows": [[1, 1]]}]}'),
-- values that do not parse for their column type
('text for integer',		'R', '{22}', s('{tables,1,rows,3,2}', '"many"')),
('fraction for integer',	'R', '{22}', s('{tables,1,rows,3,2}', '3.5')),
('integer overflow',		'R', '{22}', s('{tables,1,rows,3,2}', '99999999999')),
('true for integer',		'R', '{22}', s('{tables,1,rows,3,2}', 'true')),
('array for integer',		'R', '{22}', s('{tables,1,rows,3,2}', '[1]')),
('array for text',			'R', '{22}', s('{tables,1,rows,3,3}', '["note", "list"]')),
('object for text',			'R', '{22}', s('{tables,1,rows,3,3}', '{"note": 1}')),
('array for a text array',	'R', '{22}', s('{tables,0,rows,1,4}', '["t2", null]')),
('object for date',			'R', '{22}', s('{tables,0,rows,1,2}', '{"y": 2024}')),
('array for numeric',		'R', '{22}', s('{tables,0,rows,1,3}', '[2.5]')),
('array for varchar(5)',	'R', '{22}', s('{tables,0,rows,1,7}', '["c2"]')),
('array for boolean',		'R', '{22}', s('{tables,0,rows,1,6}', '[true]')),
('bad date',				'R', '{22}', s('{tables,0,rows,1,2}', '"2024-13-45"')),
('bad numeric',				'R', '{22}', s('{tables,0,rows,1,3}', '"1,5"')),
('numeric overflow',		'R', '{22}', s('{tables,0,rows,1,3}', '"123456.7"')),
('bad array',				'R', '{22}', s('{tables,0,rows,1,4}', '"{t2,"')),
('bad boolean',				'R', '{22}', s('{tables,0,rows,1,6}', '"perhaps"')),
-- (a seedkit/1 document: there a string in a json column is the value's text;
-- in seedkit/2 it is a JSON string, a valid value)
('string for jsonb',		'R', '{22}', replace(replace(t(), '{"g": 2}', '"not json"'), '"seedkit/2"', '"seedkit/1"')),
('too long for varchar(5)',	'R', '{22}', s('{tables,0,rows,1,7}', '"abcdefg"')),
('null for NOT NULL',		'R', '{23}', s('{tables,0,rows,1,1}', 'null')),
('check violated',			'R', '{23}', s('{tables,1,rows,3,2}', '-1')),
('copy delimiter in text',	'R', '{22}', s('{tables,1,rows,3,2}', '"1\t2"')),
('copy end marker in text',	'R', '{22}', s('{tables,1,rows,3,2}', '"\\."')),
-- identifiers built to inject SQL
('injection in a table name','Rl', '{42}', replace(t(), '"bad.child"', '"bad.\"x\"\"; DROP TABLE bad.y; --\""')),
('injection unquoted table','Rl', '{42}', replace(t(), '"bad.child"', '"bad.child; DROP TABLE bad.y; --"')),
('injection in a column',	'Rl', '{42}', replace(t(), '"note"]', '"note\"; DROP TABLE bad.y; --"]')),
('injection in a type',		'rl', '{22,42}', replace(t(), '"integer", "integer", "text"', '"integer); DROP TABLE bad.y; --", "integer", "text"')),
('injection in a key column','RL','{22,42}', replace(t(), '"key": ["id"],
      "reset": ["id"],
      "references": [
', '"key": ["id\"; DROP TABLE bad.y; --"],
      "reset": ["id"],
      "references": [
')),
('injection in a constraint','R', '{22,23,42}', replace(s('{tables,1,rows,0,1}', '99'), '"child_parent_id_fkey"', '"x\"; DROP TABLE bad.y; --"')),
('injection in a reference table','RL','{22,42}', s('{tables,1,references,0,table}', '"bad.parent; DROP TABLE bad.y; --"')),
('injection in the root filter','rl','{22,42}', s('{root,filter}', '"true; DROP TABLE bad.y; --"')),
('quote in a schema name',	'Rl', '{42}', replace(t(), '"bad.child"', '"ba''d.child"')),
('three-part table name',	'Rl', '{42,0A}', replace(t(), '"bad.child"', '"x.bad.child"')),
('four-part table name',	'Rl', '{42}', replace(t(), '"bad.child"', '"w.x.bad.child"')),
('empty table name',		'Rl', '{42}', replace(t(), '"bad.child"', '""')),
('64+ byte table name',		'Rl', '{42}', replace(t(), '"bad.child"', '"bad.' || repeat('a', 63) || 'bbbbbbbb"')),
('64+ byte column name',		'Rl', '{42}', replace(t(), '"note"]', '"' || repeat('n', 100) || '"]')),
('system catalog as target','Rl', '{42}', replace(t(), '"bad.child"', '"pg_catalog.pg_class"')),
('seedkit catalog as target','Rl', '{42,0A}', jsonb_set(b(), '{tables,1}', '{"table": "seedkit.snapshots",
		"columns": ["name", "owner", "root", "row_counts", "document"], "types": ["text", "name", "text", "jsonb", "json"],
		"key": [], "reset": [], "references": [], "rows": [["planted", "postgres", "bad.parent", {}, {}]]}')::text),
('64+ byte name lands on a 63-byte table','Rl', '{42}', jsonb_set(b(), '{tables,1}', jsonb_build_object('table', 'bad.' || repeat('a', 63) || 'bbbbbbbb',
		'columns', '["id"]'::jsonb, 'types', '["integer"]'::jsonb, 'key', '[]'::jsonb, 'reset', '[]'::jsonb,
		'references', '[]'::jsonb, 'rows', '[[1]]'::jsonb))::text);

-- invalid JSON that only seedkit_restore_file sees (a json value would have
-- been refused by PostgreSQL's json input): F, restore_file only
INSERT INTO cases VALUES
('trailing comma in a row',	'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2, 1, "note 1",]')),
('trailing comma in rows',	'F', '{22}', replace(t(), '[6, 1, 6, "note 6"]', '[6, 1, 6, "note 6"],')),
('trailing comma in tables','F', '{22}', regexp_replace(t(), '\}\s*\]\s*\}\s*$', '},]}')),
('missing comma in a row',	'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2 1, "note 1"]')),
('single-quoted string',	'F', '{22}', replace(t(), '"note 1"', '''note 1''')),
('unquoted member name',	'F', '{22}', replace(t(), '"rows":', 'rows:')),
('leading zero number',		'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2, 01, "note 1"]')),
('plus sign number',		'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2, +1, "note 1"]')),
('bare minus',				'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2, -, "note 1"]')),
('number 1.',				'F', '{22}', replace(t(), '[1, 2, 1, "note 1"]', '[1, 2, 1., "note 1"]')),
('NaN literal',				'F', '{22}', replace(t(), '"1.25"', 'NaN')),
('truncated literal',		'F', '{22}', replace(t(), '{"g": 1}, false,', '{"g": 1}, fals,')),
('comment',					'F', '{22}', replace(t(), '"tables": [', '"tables": [ // rows follow
')),
('control character in a string','F', '{22}', replace(t(), '"note 1"', '"note' || chr(9) || '1"')),
('byte order mark',			'F', '{22}', chr(65279) || t());

-- absurd sizes and 1e5 levels of nesting: left out when big is false
-- (the valgrind run), as building them takes long there
\if :big
INSERT INTO cases VALUES
('nesting 1e5 in a value',	'Rl', '{22,54}', replace(t(), '{"g": 2}', repeat('[', 100000) || repeat(']', 100000))),
('nesting 1e5 at top',		'RL', '{22,54}', repeat('[', 100000) || repeat(']', 100000)),
('nesting 1e5 in a header',	'RL', '{22,54}', replace(t(), '"types": ["integer",', '"types": [' || repeat('[', 100000) || repeat(']', 100000) || ',')),
('1e5 columns',				'RL', '{22,42,54}', jsonb_set(jsonb_set(jsonb_set(b(), '{tables,1,columns}',
		(SELECT jsonb_agg('c' || g) FROM generate_series(1, 100000) g)),
		'{tables,1,types}', (SELECT jsonb_agg('integer'::text) FROM generate_series(1, 100000) g)),
		'{tables,1,rows}', (SELECT jsonb_build_array(jsonb_agg(g)) FROM generate_series(1, 100000) g))::text),
('1e5 reset columns',		'rl', '{22,42,54}', s('{tables,0,reset}', (SELECT jsonb_agg('id'::text) FROM generate_series(1, 100000) g))),
('1e5 references',			'rl', '{22,42,54}', s('{tables,1,references}', (SELECT jsonb_agg(b()->'tables'->1->'references'->0) FROM generate_series(1, 100000) g))),
('100 MB string in varchar(5)','R', '{22}', replace(t(), '"c2"', '"' || repeat('x', 100000000) || '"')),
('100 MB string as a table name','Rl', '{22,42,54}', replace(t(), '"bad.child"', '"bad.' || repeat('x', 100000000) || '"')),
('100 MB string as a type',	'rl', '{22,42,54}', replace(t(), '"integer", "integer", "text"', '"' || repeat('x', 100000000) || '", "integer", "text"')),
('100 MB number',			'Rl', '{22,23,54}', replace(t(), '[1, 2, 1, "note 1"]', '[1, ' || repeat('9', 100000000) || ', 1, "note 1"]'));
\endif

-- A case that fails for a reported, not yet fixed reason gets its reason in
-- "known" (UPDATE cases SET known = '...' WHERE name = ...): the run script
-- then counts it as skipped unless SEEDKIT_BADINPUT_STRICT=1.  None today:
-- the gaps this suite found first (unknown and duplicated members, a table
-- listed twice, names over 63 bytes, invalid JSON through a file) are fixed.
