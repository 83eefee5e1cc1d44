-- issue 13, section 5: seedkit_suggest_flags finds personal data by column
-- name (several languages) and by a sample of values (shapes, check
-- digits, dates of birth), inside jsonb too, and never shows a value
CREATE SCHEMA anon_suggest;
CREATE SCHEMA anon_suggest_other;
SET search_path = anon_suggest, public;
CREATE TABLE kunden (id int PRIMARY KEY, "Vorname" text, nachname text, geburtsdatum date, telefon text,
	"E_Mail" text, iban text, notiz text, kontakt text, karte text, profile jsonb, created date, amount numeric);
INSERT INTO kunden
SELECT g, 'Qxanna' || g, 'Qxmuster', date '1970-01-01' + g * 100, '+49 30 1234' || lpad(g::text, 4, '0'),
	   'qxanna' || g || '@corp.de', 'DE89370400440532013000', 'a note', 'qxkontakt' || g || '@corp.org',
	   '4111 1111 1111 1111',
	   jsonb_build_object('contact', jsonb_build_object('mail', 'qxz' || g || '@corp.de', 'tel', '030 555 ' || g),
						  'tags', jsonb_build_array('a', 'b'), 'qx' || g || '@secret.com', 'x',
						  'cards', jsonb_build_array(jsonb_build_object('number', '5500 0000 0000 0004'))),
	   current_date - g, g
FROM generate_series(1, 50) g;
CREATE TABLE clients (id int, "prénom" text, nom text, adresse text, code_postal text, ville text, "firstName" text, ssn text);
CREATE TABLE "顧客" (id int, "氏名" text, "生年月日" date, "電話番号" text, "メールアドレス" text);
CREATE TABLE misc (id int, company_name text, product_name text, name text, ip inet, apellido varchar(20),
	username text, birth_year int, updated timestamptz);
INSERT INTO misc SELECT g, 'c', 'p', 'n', '10.0.0.1', 'a', 'u', 1980, now() FROM generate_series(1, 10) g;
CREATE TABLE parts (id int, email text) PARTITION BY RANGE (id);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (100);
CREATE TABLE anon_suggest_other.t (email text);

SELECT table_name, column_name, strategy, options, reason, confidence
FROM seedkit_suggest_flags('{anon_suggest}')
ORDER BY table_name::text, column_name, options::text;

-- nothing of a value in any row
SELECT count(*) AS rows_with_a_value
FROM seedkit_suggest_flags('{anon_suggest}') s
WHERE s::text ~ 'qx|corp|secret|4111|5500|DE89|1970|\+49';
-- schemas: NULL for all; already flagged columns are left out
SELECT count(*) > 0 AS other_schema FROM seedkit_suggest_flags() WHERE table_name = 'anon_suggest_other.t'::regclass;
SELECT count(*) AS empty_list FROM seedkit_suggest_flags('{}');
SELECT seedkit_flag(table_name, column_name, strategy, options)
FROM seedkit_suggest_flags('{anon_suggest}')
WHERE confidence >= 0.9 AND NOT options ? 'path' AND table_name = 'kunden'::regclass;
SELECT "table", "column", strategy FROM seedkit.flags WHERE "table" = 'kunden'::regclass ORDER BY 2;
SELECT column_name, strategy FROM seedkit_suggest_flags('{anon_suggest}')
WHERE table_name = 'kunden'::regclass ORDER BY column_name, options::text;

-- a role that may not read the values gets suggestions from names only
CREATE ROLE regress_suggest_reader;
GRANT USAGE ON SCHEMA anon_suggest TO regress_suggest_reader;
SET ROLE regress_suggest_reader;
SELECT column_name, strategy, reason FROM seedkit_suggest_flags('{anon_suggest}')
WHERE table_name = 'kunden'::regclass ORDER BY column_name, options::text;
RESET ROLE;

DROP SCHEMA anon_suggest CASCADE;
DROP SCHEMA anon_suggest_other CASCADE;
DROP ROLE regress_suggest_reader;
