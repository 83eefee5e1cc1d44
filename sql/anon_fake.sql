-- seedkit_fake: every strategy and option, locales, types, determinism
CREATE SCHEMA anon_fake;
SET search_path = anon_fake, public;
SET seedkit.seed = 'regress-seed-1';

-- names in each locale
SELECT loc,
	   seedkit_fake('first_name', 'Alice'::text, jsonb_build_object('locale', loc)) AS first_name,
	   seedkit_fake('last_name', 'Smith'::text, jsonb_build_object('locale', loc)) AS last_name,
	   seedkit_fake('full_name', 'Alice Smith'::text, jsonb_build_object('locale', loc)) AS full_name
FROM unnest(ARRAY['en_US', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP']) AS loc ORDER BY loc;

SELECT loc,
	   seedkit_fake('email', 'alice@corp.example'::text, jsonb_build_object('locale', loc)) AS email,
	   seedkit_fake('username', 'alice'::text, jsonb_build_object('locale', loc)) AS username
FROM unnest(ARRAY['en_US', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP']) AS loc ORDER BY loc;

SELECT loc,
	   seedkit_fake('street_address', '1 Main St'::text, jsonb_build_object('locale', loc)) AS street,
	   seedkit_fake('city', 'Boston'::text, jsonb_build_object('locale', loc)) AS city,
	   seedkit_fake('postcode', '02134'::text, jsonb_build_object('locale', loc)) AS postcode,
	   seedkit_fake('country', 'USA'::text, jsonb_build_object('locale', loc)) AS country,
	   seedkit_fake('company', 'Acme'::text, jsonb_build_object('locale', loc)) AS company,
	   seedkit_fake('phone', '555-0100'::text, jsonb_build_object('locale', loc)) AS phone
FROM unnest(ARRAY['en_US', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP']) AS loc ORDER BY loc;

-- the default locale comes from seedkit.locale
SET seedkit.locale = 'de_DE';
SELECT seedkit_fake('city', 'Boston'::text) = seedkit_fake('city', 'Boston'::text, '{"locale": "de_DE"}') AS default_locale;
RESET seedkit.locale;
SET seedkit.locale = 'xx_XX';
SHOW seedkit.locale;

-- emails and usernames are ASCII, built from the transliterated fake name
SELECT count(*) AS non_ascii_emails
FROM generate_series(1, 2000) g, unnest(ARRAY['de_DE', 'fr_FR', 'es_ES', 'ja_JP']) AS loc
WHERE seedkit_fake('email', g::text, jsonb_build_object('locale', loc)) !~ '^[a-z0-9._]+@example\.(com|net|org)$'
   OR seedkit_fake('username', g::text, jsonb_build_object('locale', loc)) !~ '^[a-z0-9._]+$';
SELECT seedkit_fake('email', 'x'::text, '{"domain": "test.invalid"}') LIKE '%@test.invalid' AS own_domain;
-- umlauts are transliterated (Müller -> muller), kana readings romanised (山田 -> yamada)
SELECT count(*) AS umlaut_names_in_emails
FROM generate_series(1, 20000) g
WHERE seedkit_fake('email', g::text, '{"locale": "de_DE"}') ~ 'muller|schafer|kruger|konig|schroder|moller|grun|kohler';
SELECT seedkit_fake('email', '19'::text, '{"locale": "ja_JP"}') AS yamada_email;

-- country codes, phone and postcode formats
SELECT seedkit_fake('country', 'x'::text, '{"code": true}') ~ '^[A-Z]{2}$' AS iso_code,
	   seedkit_fake('phone', 'x'::text, '{"format": "+44 7### ######"}') AS phone_format,
	   seedkit_fake('postcode', 'x'::text, '{"format": "%# ###"}') AS postcode_format;

-- lorem: whole words, at most the original's length
SELECT v, seedkit_fake('lorem', v) AS lorem,
	   length(seedkit_fake('lorem', v)) <= length(v) AS fits
FROM (VALUES ('Short note'), ('A somewhat longer comment about the customer''s order.'), ('ある顧客のメモ')) AS t(v)
ORDER BY v;

-- hash: keyed hex, length option
SELECT seedkit_fake('hash', 'secret'::text) AS hash32,
	   seedkit_fake('hash', 'secret'::text, '{"length": 64}') ~ '^[0-9a-f]{64}$' AS hash64,
	   seedkit_fake('hash', 'secret'::text, '{"length": 8}') AS hash8;

-- partial: grapheme clusters, first/last/mask
SELECT seedkit_fake('partial', '+1 555 123 4567'::text) AS default_partial,
	   seedkit_fake('partial', '+1 555 123 4567'::text, '{"first": 3, "last": 2}') AS first3_last2,
	   seedkit_fake('partial', '4111111111111111'::text, '{"first": 0, "last": 4, "mask": "X"}') AS card,
	   seedkit_fake('partial', 'Zoë'::text, '{"first": 1, "last": 1}') AS short_masked_all,
	   seedkit_fake('partial', 'e' || chr(769) || 'tude'::text, '{"first": 1, "last": 1}') AS combining,
	   seedkit_fake('partial', '👨‍👩‍👧ab🇫🇷'::text, '{"first": 1, "last": 1, "mask": "•"}') AS emoji;

-- scramble: same script and case, digits stay digits, the rest is kept
SELECT seedkit_fake('scramble', 'AB-12 ç'::text) AS scrambled;
SELECT v, s, length(v) = length(s) AS same_length
FROM (SELECT v, seedkit_fake('scramble', v) AS s
	  FROM (VALUES ('Order AB-1234, paid.'), ('Müller-Lüdenscheidt 7'), ('山田 太郎 ０１２'), ('Ελλάδα ΑΘΗΝΑ')) AS t(v)) AS x
ORDER BY v;
-- on ASCII: upper stays upper, lower stays lower, digits stay digits, the rest is kept
SELECT count(*) FILTER (WHERE translate(v, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'AAAAAAAAAAAAAAAAAAAAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaaaa0000000000')
							 = translate(s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'AAAAAAAAAAAAAAAAAAAAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaaaa0000000000')
						AND v <> s) AS classes_kept, count(*) AS total
FROM (SELECT v, seedkit_fake('scramble', v) AS s
	  FROM (SELECT 'Ref ' || upper(md5(g::text)) || ' / ' || md5(g::text) || ' #' || g AS v
			FROM generate_series(1, 300) g) AS t) AS x;

-- null, value
SELECT seedkit_fake('null', 'x'::text) IS NULL AS is_null,
	   seedkit_fake('value', 'x'::text, '{"value": "redacted"}') AS value_text,
	   seedkit_fake('value', 42, '{"value": 7}') AS value_int,
	   seedkit_fake('value', 'x'::text, '{"value": null}') IS NULL AS value_null;

-- uuid, ipv4, inet
SELECT seedkit_fake('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid) AS uuid,
	   seedkit_fake('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::text) AS uuid_text,
	   seedkit_fake('ipv4', '192.168.1.20'::inet) AS ipv4,
	   seedkit_fake('inet', '10.1.2.3/24'::inet) AS inet_masklen,
	   seedkit_fake('inet', '10.1.0.0/16'::cidr) AS cidr,
	   seedkit_fake('inet', '2001:db8::1'::inet) AS inet6,
	   seedkit_fake('ipv4', '2001:db8::1'::inet) AS ipv6_to_v4,
	   seedkit_fake('ipv4', '10.0.0.1'::text) AS ipv4_text;

-- iban: valid ISO 13616 check digits, per country
CREATE FUNCTION iban_ok(iban text) RETURNS boolean LANGUAGE sql AS $$
	WITH s AS (SELECT replace(substr(iban, 5) || substr(iban, 1, 4), ' ', '') AS r),
	d AS (SELECT string_agg(CASE WHEN c ~ '[A-Z]' THEN (ascii(c) - 55)::text ELSE c END, '' ORDER BY i) AS n
		  FROM s, regexp_split_to_table(s.r, '') WITH ORDINALITY AS t(c, i))
	SELECT n::numeric % 97 = 1 FROM d
$$;
SELECT c, seedkit_fake('iban', 'DE89 3704 0044 0532 0130 00'::text, jsonb_build_object('country', c)) AS iban
FROM unnest(ARRAY['DE', 'ES', 'FR', 'GB']) AS c ORDER BY c;
SELECT count(*) FILTER (WHERE iban_ok(seedkit_fake('iban', g::text, jsonb_build_object('country', c)))) AS valid, count(*) AS total
FROM generate_series(1, 200) g, unnest(ARRAY['DE', 'ES', 'FR', 'GB']) AS c;
SELECT seedkit_fake('iban', 'x'::text, '{"locale": "fr_FR"}') LIKE 'FR%' AS locale_country;

-- credit_card: valid Luhn digit, brand prefixes, separators kept
CREATE FUNCTION luhn_ok(card text) RETURNS boolean LANGUAGE sql AS $$
	SELECT sum(CASE WHEN i % 2 = 0 THEN (CASE WHEN d::int * 2 > 9 THEN d::int * 2 - 9 ELSE d::int * 2 END) ELSE d::int END) % 10 = 0
	FROM regexp_split_to_table(reverse(regexp_replace(card, '[^0-9]', '', 'g')), '') WITH ORDINALITY AS t(d, i)
$$;
SELECT seedkit_fake('credit_card', '4111 1111 1111 1111'::text) AS visa_spaced,
	   seedkit_fake('credit_card', '5500-0000-0000-0004'::text, '{"brand": "mastercard"}') AS mastercard_dashed,
	   seedkit_fake('credit_card', '378282246310005'::text, '{"brand": "amex"}') AS amex;
SELECT count(*) FILTER (WHERE luhn_ok(seedkit_fake('credit_card', g::text, jsonb_build_object('brand', b)))) AS valid, count(*) AS total
FROM generate_series(1, 200) g, unnest(ARRAY['visa', 'mastercard', 'amex']) AS b;

-- date_shift: non-zero shift within the range, same type
SELECT seedkit_fake('date_shift', date '1980-05-17') AS d,
	   seedkit_fake('date_shift', timestamp '1980-05-17 10:30:00', '{"days": 10}') AS ts,
	   pg_typeof(seedkit_fake('date_shift', timestamptz '1980-05-17 10:30:00+00')) AS tstz_type,
	   seedkit_fake('date_shift', 'infinity'::date) AS inf;
SELECT count(*) FILTER (WHERE s <> d AND abs(s - d) <= 30) AS in_range, count(*) AS total
FROM (SELECT d, seedkit_fake('date_shift', d, '{"days": 30}') AS s
	  FROM generate_series(date '2000-01-01', date '2000-12-31', '1 day') AS g, CAST(g AS date) AS d) AS t;

-- number_noise: within the percentage, keeping type and scale
SELECT seedkit_fake('number_noise', 1000) AS int4,
	   seedkit_fake('number_noise', 1000::bigint, '{"percent": 50}') AS int8,
	   seedkit_fake('number_noise', 1234.56::numeric) AS numeric_scale2,
	   seedkit_fake('number_noise', 2.5::float8) AS float8;
SELECT count(*) FILTER (WHERE abs(seedkit_fake('number_noise', v) - v) <= v * 0.1 AND scale(seedkit_fake('number_noise', v)) = 2) AS in_range, count(*) AS total
FROM (SELECT (g * 1.37)::numeric(10, 2) AS v FROM generate_series(1, 500) g) AS t;

-- results fit the type: varchar(n), char(n), numeric(p,s), domains
CREATE TABLE fit (v5 varchar(5), c8 char(8), n numeric(5, 2));
INSERT INTO fit VALUES ('Alice', 'Bob', 999.99);
SELECT seedkit_fake('full_name', v5) AS v5, length(seedkit_fake('full_name', v5)) <= 5 AS v5_fits,
	   '[' || seedkit_fake('first_name', c8)::text || ']' AS c8, octet_length(seedkit_fake('first_name', c8)) AS c8_len,
	   seedkit_fake('number_noise', n, '{"percent": 50}') AS n, seedkit_fake('number_noise', n, '{"percent": 50}') < 1000 AS n_fits
FROM fit;
CREATE DOMAIN short_name AS text CHECK (length(VALUE) <= 40);
SELECT seedkit_fake('full_name', 'Alice Smith'::short_name) AS domain_value;

-- NULL stays NULL, non-null stays non-null, empty stays empty
SELECT seedkit_fake('full_name', NULL::text) IS NULL AS null_in,
	   seedkit_fake('email', ''::text) = '' AS empty_in,
	   seedkit_fake('full_name', 'x'::text, NULL) IS NOT NULL AS null_options;

-- deterministic: same value, same fake; other value, other fake
SELECT seedkit_fake('full_name', 'Alice Smith'::text) = seedkit_fake('full_name', 'Alice Smith'::text) AS same,
	   seedkit_fake('full_name', 'Alice Smith'::text) <> seedkit_fake('full_name', 'Alice Smyth'::text) AS differs,
	   seedkit_fake('full_name', 'Alice Smith'::char(40)) = seedkit_fake('full_name', 'Alice Smith'::text) AS char_pad_ignored,
	   seedkit_fake('number_noise', 5::int2) = seedkit_fake('number_noise', 5::int8) AS int_widths;
CREATE TEMP TABLE seed1 AS
	SELECT g, seedkit_fake('full_name', g::text) AS f, seedkit_fake('email', g::text) AS e FROM generate_series(1, 1000) g;
-- another seed gives other values
SET seedkit.seed = 'regress-seed-2';
SELECT count(*) FILTER (WHERE seedkit_fake('full_name', g::text) = f) AS same_full_names,
	   count(*) FILTER (WHERE seedkit_fake('email', g::text) = e) AS same_emails
FROM seed1;
SET seedkit.seed = 'regress-seed-1';
SELECT count(*) FILTER (WHERE seedkit_fake('full_name', g::text) = f) AS same_again FROM seed1;
-- options are part of the key
SELECT seedkit_fake('email', 'a'::text) <> seedkit_fake('email', 'a'::text, '{"domain": "example.com"}') AS options_keyed;
-- distinct originals give distinct full names
SELECT count(DISTINCT f) AS distinct_names FROM seed1;

-- errors
SELECT seedkit_fake('bogus', 'x'::text);
SELECT seedkit_fake('email', 'x'::text, '{"colour": "red"}');
SELECT seedkit_fake('scramble', 'x'::text, '{"first": 1}');
SELECT seedkit_fake('date_shift', 'x'::text);
SELECT seedkit_fake('number_noise', now()::date);
SELECT seedkit_fake('city', 'x'::text, '{"locale": "xx_XX"}');
SELECT seedkit_fake('date_shift', current_date, '{"days": 0}');
SELECT seedkit_fake('partial', 'x'::text, '{"mask": ""}');
SELECT seedkit_fake('credit_card', 'x'::text, '{"brand": "diners"}');
SELECT seedkit_fake('iban', 'x'::text, '{"country": "US"}');
SELECT seedkit_fake('value', 'x'::text);
SELECT seedkit_fake('value', 1, '{"value": "one"}');
SELECT seedkit_fake('email', 'x'::text, '[1, 2]');
SELECT seedkit_fake('email', 'x'::text, '{"domain": {"a": 1}}');
SELECT seedkit_fake(NULL, 'x'::text);
SELECT seedkit_fake('full_name', 'Alice Smith'::short_name, '{"locale": "ja_JP"}') AS ok_fits;
CREATE DOMAIN tiny AS text CHECK (length(VALUE) < 3);
SELECT seedkit_fake('full_name', 'Al'::tiny);

-- without seedkit.seed: the per-database secret, created on first use
RESET seedkit.seed;
SELECT seedkit_fake('full_name', 'Alice Smith'::text) = seedkit_fake('full_name', 'Alice Smith'::text) AS secret_stable;
SELECT count(*) AS secrets, min(octet_length(secret)) AS secret_bytes FROM seedkit.secret;
SELECT seedkit_fake('full_name', 'Alice Smith'::text) <> 'Marcell Marceline Walsh' AS secret_not_seed;
SET seedkit.seed = 'regress-seed-1';
SELECT seedkit_fake('full_name', 'Alice Smith'::text) AS with_seed;
-- who cannot read the secret cannot fake without a seed
CREATE ROLE regress_seedkit_nosecret;
GRANT USAGE ON SCHEMA anon_fake TO regress_seedkit_nosecret;
SET ROLE regress_seedkit_nosecret;
RESET seedkit.seed;
SELECT seedkit_fake('full_name', 'Alice Smith'::text);
SET seedkit.seed = 'regress-seed-1';
SELECT seedkit_fake('full_name', 'Alice Smith'::text) AS own_seed;
RESET ROLE;
DROP OWNED BY regress_seedkit_nosecret;
DROP ROLE regress_seedkit_nosecret;
RESET seedkit.seed;
DROP SCHEMA anon_fake CASCADE;
