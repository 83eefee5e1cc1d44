-- relations_via: two relations declared with seedkit_relate are two
-- references to the closure: a row reached as a child through one still has
-- its parents followed through the other (the key tables told them apart
-- by constraint OID, which every relation lacks)
CREATE SCHEMA rv;
CREATE TABLE rv.hub (id int PRIMARY KEY, code int UNIQUE NOT NULL);
CREATE TABLE rv.owner (id int PRIMARY KEY, note text);
CREATE TABLE rv.link (id int PRIMARY KEY, hub_code int NOT NULL, owner_id int NOT NULL);
INSERT INTO rv.hub VALUES (1, 100);
INSERT INTO rv.owner VALUES (7, 'reached through the second relation'), (8, 'not reached');
INSERT INTO rv.link VALUES (50, 100, 7);
SELECT seedkit_relate('rv.link', ARRAY['hub_code']::name[], 'rv.hub', ARRAY['code']::name[]) IS NOT NULL AS related;
SELECT seedkit_relate('rv.link', ARRAY['owner_id']::name[], 'rv.owner', ARRAY['id']::name[]) IS NOT NULL AS related;
SELECT t->>'table' AS table_name, t->'rows' AS rows
  FROM json_array_elements(seedkit_snapshot('rv.hub', children => true, reset_keys => false)->'tables') t
 ORDER BY 1;
SELECT table_name, rows, reached_as FROM seedkit_plan('rv.hub', children => true, reset_keys => false) ORDER BY 1::text;
DROP SCHEMA rv CASCADE;
