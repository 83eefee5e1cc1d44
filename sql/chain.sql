-- chain: long self-reference chains, followed up and down in one statement each
CREATE SCHEMA chain_t;
CREATE TABLE chain_t.node (id serial PRIMARY KEY, prev int REFERENCES chain_t.node, label text);
CREATE INDEX ON chain_t.node (prev);
INSERT INTO chain_t.node (prev, label) SELECT NULLIF(g - 1, 0), 'n' || g FROM generate_series(1, 500) g;
-- a second, unrelated chain that must not be taken
INSERT INTO chain_t.node (prev, label) VALUES (NULL, 'other');
INSERT INTO chain_t.node (prev, label) SELECT 500 + g, 'o' || g FROM generate_series(1, 5) g;
SELECT count(*), max(id) FROM chain_t.node;
-- from the last node, parents to the start of its chain
CREATE TEMP TABLE doc AS
  SELECT seedkit_snapshot('chain_t.node', filter => 'id = 500', children => false)::jsonb AS d;
SELECT jsonb_array_length(d->'tables'->0->'rows') AS rows,
       d->'tables'->0->'rows'->0 AS first, d->'tables'->0->'rows'->-1 AS last
  FROM doc;
-- every row references the ordinal before it
SELECT count(*) FILTER (WHERE (r->>1)::int = (r->>0)::int - 1) AS linked,
       count(*) FILTER (WHERE r->1 = 'null') AS starts
  FROM doc, jsonb_array_elements(d->'tables'->0->'rows') r;
-- from the first node, children down to the end of the chain
SELECT (SELECT row_counts FROM seedkit.snapshots WHERE name = 'node')
  FROM (SELECT seedkit_snapshot('chain_t.node', filter => 'id = 1')) s;
-- the same without an index on the referencing column
DROP INDEX chain_t.node_prev_idx;
SELECT (SELECT row_counts FROM seedkit.snapshots WHERE name = 'node')
  FROM (SELECT seedkit_snapshot('chain_t.node', filter => 'id = 250')) s;
-- a cycle through the self-reference ends
UPDATE chain_t.node SET prev = 500 WHERE id = 1;
SELECT (SELECT row_counts FROM seedkit.snapshots WHERE name = 'node')
  FROM (SELECT seedkit_snapshot('chain_t.node', filter => 'id = 250', children => false)) s;
DROP SCHEMA chain_t CASCADE;
