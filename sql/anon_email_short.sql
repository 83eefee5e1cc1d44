-- anon_email_short: an email none of the 32 candidates fits in a short
-- column tries shorter forms from the same stream before it is cut: the
-- initial and surname (hmohr@example.org), then the initial and a number as
-- long as the room allows, each with its own domain.  A column with room
-- for less than an initial and three digits is cut as before.
CREATE SCHEMA anon_email_short;
SET search_path = anon_email_short, public;
SET seedkit.seed = 'regress-email-short';
CREATE DOMAIN mail18 AS varchar(18) CHECK (VALUE NOT LIKE '%.net');
CREATE TABLE m (id int PRIMARY KEY, long text, e20 varchar(20), e17 varchar(17),
                e14 varchar(14), d18 mail18);
INSERT INTO m SELECT g, v, v, v, v, v
  FROM generate_series(1, 400) g, LATERAL (SELECT 'u' || g || '@x.test' AS v) x;
SELECT seedkit_flag('m', c, 'email') FROM unnest('{long,e20,e17,e14,d18}'::text[]) c;
-- only varchar(14) is cut (its local part has room for two characters); the
-- domain's check refused a cut value (.net) and failed the anonymisation
SELECT table_name, rows FROM seedkit_anonymise('{m}');
CREATE TABLE mu (id int PRIMARY KEY, u18 varchar(18) UNIQUE);
INSERT INTO mu SELECT g, 'u' || g || '@x.test' FROM generate_series(1, 400) g;
SELECT seedkit_flag('mu', 'u18', 'email');
SELECT table_name, rows FROM seedkit_anonymise('{mu}');
-- every value an address at a reserved domain, within its length
SELECT c, count(*) FILTER (WHERE v ~ '^[a-z0-9._]+@example\.(com|net|org)$') AS addresses,
       max(length(v)) AS longest, count(DISTINCT v) AS different
  FROM m JOIN mu USING (id),
       LATERAL (VALUES ('e20', e20), ('e17', e17), ('e14', e14), ('d18', d18), ('u18', u18)) x(c, v)
 GROUP BY c ORDER BY c;
SELECT count(*) AS net_in_domain FROM m WHERE d18 LIKE '%.net';
-- the forms: one of the 32 candidates (none of them is this short), initial
-- and surname, initial and number
SELECT c, count(*) FILTER (WHERE v !~ '^[a-z]([a-z]+|[0-9]{3,})@') AS candidate,
       count(*) FILTER (WHERE v ~ '^[a-z][a-z]+@') AS initial_surname,
       count(*) FILTER (WHERE v ~ '^[a-z][0-9]{3,}@') AS initial_number
  FROM m JOIN mu USING (id),
       LATERAL (VALUES ('e20', e20), ('e17', e17), ('d18', d18), ('u18', u18)) x(c, v)
 GROUP BY c ORDER BY c;
SELECT count(*) FILTER (WHERE length(long) <= 20) AS first_candidates_within_20 FROM m;
SELECT id, long, e20, e17, e14, d18 FROM m ORDER BY id LIMIT 6;
-- deterministic: the same values give the same fakes
CREATE TABLE m2 (id int PRIMARY KEY, e17 varchar(17));
INSERT INTO m2 SELECT g, 'u' || g || '@x.test' FROM generate_series(1, 400) g;
SELECT seedkit_flag('m2', 'e17', 'email');
SELECT table_name, rows FROM seedkit_anonymise('{m2}');
SELECT count(*) AS same_as_m FROM m2 JOIN m USING (id) WHERE m2.e17 = m.e17;
RESET seedkit.seed;
SET client_min_messages = warning;
DROP SCHEMA anon_email_short CASCADE;
RESET client_min_messages;
RESET search_path;
