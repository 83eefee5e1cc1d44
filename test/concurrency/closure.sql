-- test/concurrency/closure.sql: referential closure of a seedkit/1 document,
-- checked in SQL over its JSON.  For every reference of every table element
-- and every row whose referencing columns are all non-null, a row of the
-- referenced table element must hold the same values in the referenced key
-- columns.  conc.dangling(doc) gives, per reference, the rows checked and
-- the rows whose referenced row is not in the document.
CREATE SCHEMA IF NOT EXISTS conc;

-- positions (0-based) of the named columns in a table element's "columns"
CREATE FUNCTION conc.positions(el jsonb, cols jsonb) RETURNS int[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_agg((c.i - 1)::int ORDER BY n.k)
	  FROM jsonb_array_elements_text(cols) WITH ORDINALITY AS n(name, k)
	  JOIN jsonb_array_elements_text(el->'columns') WITH ORDINALITY AS c(name, i) ON c.name = n.name
$$;

-- the values of a row at those positions, as a jsonb array
CREATE FUNCTION conc.pick(r jsonb, pos int[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_agg(r -> p.p ORDER BY p.k) FROM unnest(pos) WITH ORDINALITY AS p(p, k)
$$;

CREATE FUNCTION conc.dangling(doc jsonb)
RETURNS TABLE (table_name text, constraint_name text, fk_rows bigint, dangling bigint)
LANGUAGE plpgsql AS $$
DECLARE
	el		jsonb;
	ref		jsonb;
	pel		jsonb;
	cpos	int[];
	ppos	int[];
BEGIN
	FOR el IN SELECT e FROM jsonb_array_elements(doc->'tables') e LOOP
		FOR ref IN SELECT x FROM jsonb_array_elements(el->'references') x LOOP
			table_name := el->>'table';
			constraint_name := ref->>'constraint';
			pel := (SELECT e FROM jsonb_array_elements(doc->'tables') e
					 WHERE e->>'table' = ref->>'table' LIMIT 1);
			cpos := conc.positions(el, ref->'columns');
			ppos := conc.positions(pel, ref->'key');
			IF pel IS NULL OR cpos IS NULL OR ppos IS NULL
			   OR cardinality(cpos) <> jsonb_array_length(ref->'columns')
			   OR cardinality(ppos) <> jsonb_array_length(ref->'key') THEN
				-- the referenced table or a column is not in the document
				fk_rows := jsonb_array_length(el->'rows');
				dangling := fk_rows;
				RETURN NEXT;
				CONTINUE;
			END IF;
			SELECT count(*), count(*) FILTER (WHERE p.v IS NULL)
			  INTO fk_rows, dangling
			  FROM (SELECT conc.pick(r, cpos) AS v FROM jsonb_array_elements(el->'rows') r) f
			  LEFT JOIN (SELECT DISTINCT conc.pick(r, ppos) AS v
						   FROM jsonb_array_elements(pel->'rows') r) p ON p.v = f.v
			 WHERE NOT f.v @> '[null]';
			RETURN NEXT;
		END LOOP;
	END LOOP;
END
$$;
