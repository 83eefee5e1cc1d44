-- snapshot_filter: the filter is one expression, as PostgreSQL's parser reads
-- it; clauses or statements smuggled past balanced parentheses, comments or
-- semicolons are refused before anything runs.
\set SHOW_CONTEXT never
CREATE SCHEMA sf;
CREATE TABLE sf.items (id int PRIMARY KEY, label text);
CREATE TABLE sf.secrets (id int PRIMARY KEY, secret text);
CREATE TABLE sf.parts (id int PRIMARY KEY, item_id int REFERENCES sf.items);
INSERT INTO sf.items SELECT g, 'item ' || g FROM generate_series(1, 5) g;
INSERT INTO sf.secrets VALUES (41, 'hidden');
INSERT INTO sf.parts SELECT g, 1 + g % 5 FROM generate_series(1, 10) g;
-- the rows the root holds after a filter (NULL: refused)
CREATE FUNCTION sf.roots(filter text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(r->>0, ',' ORDER BY (r->>0)::int)
	  FROM json_array_elements(seedkit_snapshot('sf.items', filter => filter, name => 'sf')->'tables') t,
		   json_array_elements(t->'rows') r
	 WHERE t->>'table' = 'sf.items'
$$;

-- legitimate filters: expressions, subqueries inside them, comments, casts
SELECT sf.roots('id = 1') AS one,
	   sf.roots('id IN (SELECT item_id FROM sf.parts WHERE id <= 2)') AS subquery,
	   sf.roots('EXISTS (SELECT FROM sf.secrets s WHERE s.id > 40)') AS exists_subquery,
	   sf.roots('(id > 1) AND (id < 4) -- a comment at the end') AS line_comment,
	   sf.roots('id /* between */ >= 4') AS block_comment,
	   sf.roots(E'id = 2\n  OR label = ''item 5''') AS two_lines,
	   sf.roots('label = ''x); DROP TABLE sf.secrets; --''') AS quoted_text,
	   sf.roots('CASE WHEN id % 2 = 0 THEN true ELSE false END') AS case_expr,
	   sf.roots('id::text::int = ANY (ARRAY[3, 4])') AS casts;

-- the bypass of 0.1.0: balanced parentheses around a UNION
SELECT sf.roots('false) UNION ALL SELECT id, true, 0 FROM sf.secrets WHERE (true');
SELECT sf.roots('false) UNION ALL SELECT 3, true, 0 WHERE (true');
-- other clauses and statements
SELECT sf.roots('true) ORDER BY (1');
SELECT sf.roots('true) LIMIT (1');
SELECT sf.roots('true) FOR UPDATE OF t --');
SELECT sf.roots('true GROUP BY id');
SELECT sf.roots('true FROM sf.secrets');
SELECT sf.roots('true AS x');
SELECT sf.roots('true, false');
SELECT sf.roots('*');
SELECT sf.roots('true; DELETE FROM sf.secrets');
SELECT sf.roots('true); DELETE FROM sf.secrets; SELECT (true');
SELECT sf.roots('true;');
-- comments and quotes that would swallow what follows
SELECT sf.roots('true /* unterminated');
SELECT sf.roots('true) /*');
SELECT sf.roots('true) --');
SELECT sf.roots('label = ''unterminated');
SELECT sf.roots('true $$');
-- unbalanced parentheses, empty, blank
SELECT sf.roots('(true');
SELECT sf.roots('true)');
SELECT sf.roots('true)) OR ((true');
SELECT sf.roots('');
SELECT sf.roots('  -- nothing');
-- seedkit_plan takes the same filter and refuses the same
SELECT * FROM seedkit_plan('sf.items', filter => 'false) UNION ALL SELECT 3, true, 0 WHERE (true');
SELECT count(*) AS tables FROM seedkit_plan('sf.items', filter => 'id <= 2');
-- nothing was deleted
SELECT count(*) AS secrets FROM sf.secrets;
DELETE FROM seedkit.snapshots WHERE name = 'sf';
DROP SCHEMA sf CASCADE;
