/* seedkit--0.1.0--0.2.0.sql: update seedkit from 0.1.0 to 0.2.0 */

\echo Use "ALTER EXTENSION seedkit UPDATE TO '0.2.0'" to load this file. \quit

-- A fresh install runs seedkit--0.1.0.sql, then this file (contrib's way):
-- every change to the SQL API after 0.1.0 is written here, and only here.

-- issue 10, item 3: seedkit_fake may insert the database secret into
-- seedkit.secret on first use, so it is not STABLE.
ALTER FUNCTION @extschema@.seedkit_fake(pg_catalog.text, anyelement, pg_catalog.jsonb) VOLATILE;
