-- security_install_path: the view seedkit.flags and the policies of
-- seedkit.flag bind no operator of the schema seedkit is created in.  0.1.0
-- compared oid with regclass by a bare "=", for which pg_catalog has no
-- exact operator: an "=" (oid, regclass) in that schema at CREATE EXTENSION
-- was bound into them and then ran for every reader and every flag.  Runs in
-- a database of its own, as the upgrade test does.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SELECT current_database() AS regress_db \gset
DROP DATABASE IF EXISTS seedkit_test_install_path;
CREATE DATABASE seedkit_test_install_path;
\c seedkit_test_install_path
SET client_min_messages = warning;
-- planted before the extension is created: counts its calls, answers right
CREATE SEQUENCE public.calls;
CREATE FUNCTION public.spy_eq(oid, regclass) RETURNS boolean LANGUAGE sql AS $$
	SELECT pg_catalog.nextval('public.calls');
	SELECT $1 OPERATOR(pg_catalog.=) $2::pg_catalog.oid;
$$;
CREATE OPERATOR public.= (function = public.spy_eq, leftarg = oid, rightarg = regclass);
CREATE EXTENSION seedkit;
CREATE TABLE public.people (id int PRIMARY KEY, first_name text);
SELECT seedkit_flag('people', 'first_name', 'first_name');
SELECT "table", "column", strategy FROM seedkit.flags;
SELECT seedkit_unflag('people', 'first_name');
SELECT count(*) AS flags FROM seedkit.flags;
SELECT is_called AS planted_operator_called FROM public.calls;
\c :regress_db
DROP DATABASE seedkit_test_install_path;
