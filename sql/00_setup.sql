-- 00_setup: helpers the other tests share (pg_regress runs every file in
-- one database, in name order, so this one comes first).

-- One row per line of a document's tables, in document order.
CREATE FUNCTION public.doc_rows(doc json) RETURNS TABLE (table_name text, row_no bigint, row_text text)
LANGUAGE sql AS $$
  SELECT e.t->>'table', r.n, r.v::text
    FROM json_array_elements(doc->'tables') WITH ORDINALITY AS e(t, tn)
    LEFT JOIN LATERAL json_array_elements(e.t->'rows') WITH ORDINALITY AS r(v, n) ON true
   ORDER BY e.tn, r.n
$$;
-- A document's tables in order, with their keys and references.
CREATE FUNCTION public.doc_tables(doc json) RETURNS TABLE (n bigint, table_name text, key text, reset text, refs text)
LANGUAGE sql AS $$
  SELECT e.tn, e.t->>'table', (e.t->'key')::text, (e.t->'reset')::text,
         (SELECT string_agg(format('%s(%s)->%s(%s)%s', f->>'constraint',
                                   (SELECT string_agg(c, ',') FROM json_array_elements_text(f->'columns') c),
                                   f->>'table',
                                   (SELECT string_agg(c, ',') FROM json_array_elements_text(f->'key') c),
                                   CASE WHEN (f->>'after')::boolean THEN ' after' ELSE '' END), '; ' ORDER BY o)
            FROM json_array_elements(e.t->'references') WITH ORDINALITY AS r(f, o))
    FROM json_array_elements(doc->'tables') WITH ORDINALITY AS e(t, tn)
   ORDER BY e.tn
$$;
