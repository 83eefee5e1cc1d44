-- issue 13, item 3: strategies inside json and jsonb documents (option
-- "path", several per column) and on each element of arrays, in place and
-- in snapshots alike
CREATE SCHEMA anon_nested;
SET search_path = anon_nested, public;
SET seedkit.seed = 'regress-nested-1';
CREATE TABLE profiles (
	id int PRIMARY KEY,
	doc json,
	bdoc jsonb,
	aliases text[],
	tags varchar(12)[]
);
INSERT INTO profiles VALUES
 (1, '{"contact": {"email": "origmail1@corp.example",  "phone":"+1 555 0101"}, "name" : "Origname One",
   "keep": [1, 2.50, "x"]}',
  '{"contact": {"email": "origmail1@corp.example"}, "people": [{"name": "Origname A"}, {"name": "Origname B", "age": 40}], "n": 1}',
  '{"Origalias one", NULL, "Origalias two"}', '{{"Origtag1","Origtag2"},{"Origtag3","Origtag4"}}'),
 (2, '  {"contact":{"email":"origmail2@corp.example"},"name":"Origname \"Two\" \u00e9"}  ',
  '{"contact": {"email": null}, "people": []}',
  '{}', NULL),
 (3, '"just a string"', '[{"contact": {"email": "origmail3@corp.example"}}]', '[0:0]={Origalias3}', '{}'),
 (4, NULL, '{"other": 1}', NULL, '{"Origtag5"}');
CREATE TEMP TABLE before AS SELECT * FROM profiles;

SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.contact.email"}');
SELECT seedkit_flag('profiles', 'doc', 'full_name', '{"path": "$.name", "locale": "fr_FR"}');
SELECT seedkit_flag('profiles', 'bdoc', 'email', '{"path": "$.contact.email"}');
SELECT seedkit_flag('profiles', 'bdoc', 'full_name', '{"path": "$.people[*].name"}');
SELECT seedkit_flag('profiles', 'aliases', 'scramble');
SELECT seedkit_flag('profiles', 'tags', 'hash', '{"length": 8}');
-- the same path again replaces that path's flag only
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.contact.email", "domain": "example.com"}');
SELECT "column", strategy, options FROM seedkit.flags WHERE "table" = 'profiles'::regclass
ORDER BY 1, options->>'path';

-- the snapshot, before the in-place run
SELECT seedkit_snapshot('profiles')::text AS doc \gset
SELECT strpos(:'doc', 'Orig') = 0 AS no_original_in_document;
CREATE TEMP TABLE doc_rows AS
SELECT r AS row
FROM json_array_elements(:'doc'::json->'tables') AS t, json_array_elements(t->'rows') AS r
WHERE t->>'table' = 'anon_nested.profiles';
SELECT * FROM seedkit_anonymise('{profiles}');
SELECT count(*) AS rows,
	   -- (a document embeds a json value without its surrounding spaces)
	   count(*) FILTER (WHERE CASE WHEN p.doc IS NULL THEN d.row->>1 IS NULL
							  ELSE (d.row->1)::text = btrim(p.doc::text) END) AS json_match,
	   count(*) FILTER (WHERE (d.row->2)::jsonb IS NOT DISTINCT FROM p.bdoc) AS jsonb_match,
	   count(*) FILTER (WHERE d.row->>3 IS NOT DISTINCT FROM p.aliases::text) AS text_array_match,
	   count(*) FILTER (WHERE d.row->>4 IS NOT DISTINCT FROM p.tags::text) AS varchar_array_match
FROM doc_rows d JOIN profiles p ON p.id = (d.row->>0)::int;

SELECT id, doc, bdoc, aliases, tags FROM profiles ORDER BY id;

-- json: every byte outside the paths is as it was
SELECT p.id,
	   regexp_replace(p.doc::text, '"[^"]*@example\.com"|"name" : "[^"]*"|"name":"[^"]*"', 'X', 'g')
	   = regexp_replace(b.doc::text, '"origmail[0-9]@corp\.example"|"name" : "[^"]*"|"name":"(\\"|[^"])*"', 'X', 'g')
	   AS same_outside_paths
FROM profiles p JOIN before b USING (id) WHERE p.doc IS NOT NULL ORDER BY p.id;
-- jsonb: equal outside the paths
SELECT p.id,
	   CASE jsonb_typeof(b.bdoc) WHEN 'object' THEN
		 (p.bdoc #- '{contact,email}') - 'people' = (b.bdoc #- '{contact,email}') - 'people'
	   ELSE (p.bdoc #- '{0,contact,email}') = (b.bdoc #- '{0,contact,email}') END AS same_outside,
	   jsonb_path_query_array(p.bdoc, '$.people[*].age') = jsonb_path_query_array(b.bdoc, '$.people[*].age') AS ages_kept
FROM profiles p JOIN before b USING (id) ORDER BY p.id;
-- the same original gets the same fake inside a document as in a column
SELECT seedkit_fake('email', 'origmail1@corp.example'::text) = (SELECT bdoc->'contact'->>'email' FROM profiles WHERE id = 1)
	   AS same_as_column;
-- arrays keep their shape, bounds and nulls
SELECT id, array_dims(aliases) AS alias_dims, array_dims(tags) AS tag_dims,
	   array_position(aliases, NULL) AS null_at FROM profiles ORDER BY id;

-- the SQL function alone
SELECT seedkit_fake_inside('email', '{"a": [{"e": "x@y.example"}, {"e": 5}]}'::jsonb, '{"path": "$.a.e"}') ->'a'->1 AS number_at_text_path_becomes_string;
SELECT seedkit_fake_inside('number_noise', '{"a": 100, "b": "100"}'::json, '{"path": "$.*", "percent": 1}')::text ~ '^\{"a": [0-9.]+, "b": "100"\}$' AS number_kept_string_left;
SELECT seedkit_fake_inside('first_name', ARRAY['Anna', NULL, 'Bo']) IS NOT NULL AS arrays;
SELECT seedkit_fake_inside('email', '{"a": 1}'::jsonb, '{"path": "$.b"}') AS nothing_at_path;

-- errors
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.contact.["}');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.a ? (@ > 1)"}');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$"}');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": 5}');
SELECT seedkit_flag('profiles', 'id', 'email', '{"path": "$.a"}');
SELECT seedkit_flag('profiles', 'aliases', 'email', '{"path": "$.a"}');
SELECT seedkit_flag('profiles', 'doc', 'date_shift', '{"path": "$.born"}');
SELECT seedkit_flag('profiles', 'aliases', 'date_shift');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.a", "person": "p"}');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.a[1000001]"}');
SELECT seedkit_fake_inside('email', 'text'::text, '{}');
\set VERBOSITY sqlstate
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.contact.["}');
SELECT seedkit_flag('profiles', 'id', 'email', '{"path": "$.a"}');
SELECT seedkit_flag('profiles', 'doc', 'email', '{"path": "$.a ? (@ > 1)"}');
\set VERBOSITY default
-- unflag removes every path of the column
SELECT seedkit_unflag('profiles', 'doc');
SELECT count(*) FROM seedkit.flags WHERE "table" = 'profiles'::regclass AND "column" = 'doc';
