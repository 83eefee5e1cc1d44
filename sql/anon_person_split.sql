-- anon_person_split: a person field's input frames the identity (its
-- length first) when the identity holds byte 0x1e or 0x1f, the bytes that
-- separate the field's own value and the gender column's text; and a field
-- that is its own identity with no gender column takes its value bare.  An
-- identity beginning with digits and 0x1e was read as an own value and the
-- rest (rows 1 and 2 were one person, XYZ's; their email and full name came
-- from different people), one holding 0x1f as an identity and a gender.
CREATE SCHEMA anon_person_split;
SET search_path = anon_person_split, public;
SET seedkit.seed = 'regress-person-split';
CREATE TABLE p (id int PRIMARY KEY, email text UNIQUE, full_name text);
INSERT INTO p VALUES
	(1, '3' || chr(30) || 'abcXYZ@corp.test', 'n1'),
	(2, '3' || chr(30) || 'defXYZ@corp.test', 'n2'),
	(3, 'XYZ@corp.test', 'n3'),
	(4, 'q7@corp.test' || chr(31) || 'F', 'n4'),
	(5, 'q7@corp.test' || chr(31) || 'M', 'n5'),
	(6, 'q7@corp.test', 'n6'),
	(7, chr(30) || 'lead@corp.test', 'n7'),
	(8, 'plain@corp.test', 'n8');
SELECT seedkit_flag('p', 'email', 'email', '{"person": "p", "locale": "en_US"}'),
       seedkit_flag('p', 'full_name', 'full_name', '{"person": "p", "locale": "en_US"}');
SELECT seedkit_snapshot('p')::text AS doc \gset
SELECT table_name, rows FROM seedkit_anonymise('{p}');
-- one person a row: the email is made of the full name's surname
SELECT id, email, full_name,
       strpos(email, regexp_replace(lower(split_part(full_name, ' ', -1)), '[^a-z]', '', 'g')) > 0 AS one_person
  FROM p ORDER BY id;
-- the snapshot (seedkit_fake over SQL) made the same fakes
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2] ORDER BY (r->>0)::int)
          FROM json_array_elements(:'doc'::json->'tables') t, json_array_elements(t->'rows') r)
     = (SELECT array_agg(ARRAY[email, full_name] ORDER BY id) FROM p) AS snapshot_matches_in_place;
RESET seedkit.seed;
SET client_min_messages = warning;
DROP SCHEMA anon_person_split CASCADE;
RESET client_min_messages;
RESET search_path;
