-- install: the objects CREATE EXTENSION makes, and how they are secured
SELECT e.extname, e.extversion, n.nspname AS function_schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'seedkit';
-- every function is SECURITY INVOKER
SELECT count(*) > 0 AS has_functions,
       count(*) FILTER (WHERE p.prosecdef) AS security_definer,
       count(*) FILTER (WHERE p.proname NOT LIKE 'seedkit\_%') AS badly_named
  FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'seedkit')
   AND d.classid = 'pg_proc'::regclass;
-- internal tables live in schema seedkit, with row-level security
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'seedkit' AND c.relkind = 'r'
 ORDER BY c.relname;
-- callable unqualified with the default search_path
SHOW search_path;
SELECT pg_get_function_identity_arguments('seedkit_snapshot'::regproc);
