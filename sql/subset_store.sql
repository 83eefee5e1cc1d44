-- subset_store: a subset document over 2 MB is stored and returned
-- compressed (lz4, on a server built with it), a smaller one as it is; both
-- read back as the json returned, and restore.
CREATE SCHEMA subset_store;
SET search_path = subset_store, public;
CREATE TABLE big (id int PRIMARY KEY, t text NOT NULL);
INSERT INTO big SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 20000) i;
-- the compression this server can do, null without lz4
CREATE TEMP TABLE lz4 AS
  SELECT CASE WHEN 'lz4' = ANY (enumvals) THEN 'lz4' END AS method
    FROM pg_settings WHERE name = 'default_toast_compression';
CREATE TEMP TABLE docs AS
  SELECT 'big' AS name, d::text AS doc, pg_column_compression(d) AS returned
    FROM seedkit_subset('{"roots": [{"table": "subset_store.big"}]}', 'store_big') d
  UNION ALL
  SELECT 'small', d::text, pg_column_compression(d)
    FROM seedkit_subset('{"roots": [{"table": "subset_store.big", "filter": "id <= 100"}]}', 'store_small') d;
SELECT d.name, octet_length(d.doc) > 2 * 1024 * 1024 AS over_2mb,
       d.returned IS NOT DISTINCT FROM CASE d.name WHEN 'big' THEN l.method END AS returned_ok,
       pg_column_compression(s.document) IS NOT DISTINCT FROM CASE d.name WHEN 'big' THEN l.method END AS stored_ok,
       s.document::text = d.doc AS same_json,
       (s.document -> 'tables' -> 0 ->> 'table') AS first_table,
       json_array_length(s.document -> 'tables' -> 0 -> 'rows') AS nrows
  FROM docs d JOIN seedkit.snapshots s ON s.name = 'store_' || d.name, lz4 l
 ORDER BY d.name;
-- the stored big document restores every row
TRUNCATE big;
SELECT * FROM seedkit_restore('store_big');
SELECT count(*), min(id), max(id), bool_and(t = repeat(md5(id::text), 4)) FROM big;

DELETE FROM seedkit.snapshots WHERE name IN ('store_big', 'store_small');
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA subset_store CASCADE;
