-- issue 13, item 2: one coherent person per row (option "person"), the same
-- in place and in snapshots, the same identity giving the same person in
-- every table
CREATE SCHEMA anon_person;
SET search_path = anon_person, public;
SET seedkit.seed = 'regress-person-1';
CREATE TABLE customers (
	customer_id int PRIMARY KEY,
	given text,
	family varchar(40),
	email text UNIQUE,
	login text,
	city text,
	postcode text,
	country text,
	sex char(1)
);
INSERT INTO customers
SELECT g, 'Origgiven' || g, 'Origfamily' || g, 'origmail' || g || '@corp.example', 'origlogin' || g,
	   'Origcity' || g, lpad(g::text, 5, '9'), 'Origland', CASE g % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' END
FROM generate_series(1, 30) g;
-- the same people in another table, without a gender column
CREATE TABLE subscribers (
	sub_id int PRIMARY KEY,
	address text,
	first_name text,
	last_name text
);
INSERT INTO subscribers
SELECT g, 'origmail' || g || '@corp.example', 'Other' || g, 'Otherfamily' || g
FROM generate_series(1, 30, 2) g;
-- a column flagged alone keeps its own key
CREATE TABLE loners (id int PRIMARY KEY, given text);
INSERT INTO loners SELECT g, 'Origgiven' || g FROM generate_series(1, 3) g;

SELECT seedkit_flag('customers', c, s, '{"person": "customer", "locale": "de_DE"}')
FROM (VALUES ('given', 'first_name'), ('family', 'last_name'), ('email', 'email'),
			 ('login', 'username'), ('city', 'city'), ('postcode', 'postcode'),
			 ('country', 'country')) v(c, s);
SELECT seedkit_flag('subscribers', 'address', 'email', '{"person": "sub", "locale": "de_DE"}');
SELECT seedkit_flag('subscribers', 'first_name', 'first_name', '{"person": "sub", "locale": "de_DE"}');
SELECT seedkit_flag('subscribers', 'last_name', 'last_name', '{"person": "sub", "locale": "de_DE"}');
SELECT seedkit_flag('loners', 'given', 'first_name', '{"locale": "de_DE"}');
SELECT "table", "column", strategy, options FROM seedkit.flags
WHERE "table" IN ('customers'::regclass, 'subscribers'::regclass, 'loners'::regclass)
ORDER BY 1::text, 2;

-- the snapshot, taken before the in-place run
SELECT seedkit_snapshot('customers')::text AS doc \gset
CREATE TEMP TABLE doc_rows AS
SELECT r AS row
FROM json_array_elements(:'doc'::json->'tables') AS t, json_array_elements(t->'rows') AS r
WHERE t->>'table' = 'anon_person.customers';
SELECT count(*) AS originals_in_document FROM customers
WHERE strpos(:'doc', given) > 0 OR strpos(:'doc', family) > 0 OR strpos(:'doc', email) > 0
   OR strpos(:'doc', login) > 0 OR strpos(:'doc', city) > 0 OR strpos(:'doc', 'Origland') > 0;
SELECT * FROM seedkit_anonymise('{customers,subscribers,loners}') ORDER BY 1::text;

-- the document holds exactly what the in-place run wrote
SELECT (SELECT array_agg(ARRAY[row->>0, row->>1, row->>2, row->>3, row->>4, row->>5, row->>6, row->>7, row->>8]
						 ORDER BY (row->>0)::int) FROM doc_rows)
	   = (SELECT array_agg(ARRAY[customer_id::text, given, family::text, email, login, city, postcode, country, sex::text]
						   ORDER BY customer_id) FROM customers) AS snapshot_matches_in_place;

-- a sample: one person per row, gender from column sex (F and M rows)
SELECT customer_id, sex, given, family, email, login, city, postcode, country
FROM customers WHERE customer_id <= 4 ORDER BY customer_id;

-- every row's email and username are made of its own given and family
-- names (in ASCII; the given name may be shortened to its initial)
CREATE FUNCTION pg_temp.ascii_name(t text) RETURNS text LANGUAGE sql AS
$$ SELECT lower(replace(translate(split_part(t, ' ', 1), 'ÄÖÜäöüéèáíóúñç', 'AOUaoueeaiounc'), 'ß', 'ss')) $$;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE strpos(split_part(email, '@', 1), pg_temp.ascii_name(family)) > 0
						AND (strpos(email, pg_temp.ascii_name(given)) > 0
							 OR left(email, 1) = left(pg_temp.ascii_name(given), 1))) AS email_has_names,
	   count(*) FILTER (WHERE strpos(login, pg_temp.ascii_name(family)) > 0
						AND (strpos(login, pg_temp.ascii_name(given)) > 0
							 OR strpos(login, left(pg_temp.ascii_name(given), 1)) > 0)) AS username_has_names,
	   count(*) FILTER (WHERE substring(email from '[0-9]+@') = substring(login from '[0-9]+$') || '@')
		 AS same_number,
	   count(DISTINCT country) AS countries, min(country) AS country,
	   count(*) FILTER (WHERE postcode ~ '^[0-9]{5}$') AS german_postcodes
FROM customers;
-- the same original email gives the same person in another table: every
-- row whose sex is null here (the table subscribers has no gender column,
-- so there the person's own draw decides, as here when sex is null)
SELECT count(*) AS same_email,
	   count(*) FILTER (WHERE s.first_name = c.given AND s.last_name = c.family) AS same_names
FROM subscribers s JOIN customers c ON c.email = s.address AND c.sex IS NULL;
-- where sex is set, the person follows it: names, email and username agree
-- with the other table only where its draw gave the same gender
SELECT count(*) AS same_email_all FROM subscribers s JOIN customers c ON c.email = s.address;

-- a column flagged alone is keyed by its own value: not the person's name
SELECT l.id, l.given = c.given AS same_as_person FROM loners l JOIN customers c ON c.customer_id = l.id ORDER BY l.id;

-- full name, street and phone; a gender column found by its name; the
-- identity named by option "identity"; triggers => true (the UPDATE path
-- of seedkit_anonymise) writes what a snapshot holds
CREATE TABLE staff (
	staff_id int PRIMARY KEY,
	full_name text,
	street text,
	phone text,
	login varchar(30) UNIQUE,
	"Gender" text
);
INSERT INTO staff SELECT g, 'Origfull' || g, 'Origstreet' || g, 'Origphone' || g, 'origlogin' || g,
	   CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END
FROM generate_series(1, 6) g;
SELECT seedkit_flag('staff', 'full_name', 'full_name', '{"person": "s", "locale": "fr_FR"}');
SELECT seedkit_flag('staff', 'street', 'street_address', '{"person": "s", "locale": "fr_FR"}');
SELECT seedkit_flag('staff', 'phone', 'phone', '{"person": "s", "locale": "fr_FR"}');
SELECT seedkit_flag('staff', 'login', 'username', '{"person": "s", "locale": "fr_FR", "identity": true}');
SELECT seedkit_snapshot('staff')::text AS sdoc \gset
SELECT * FROM seedkit_anonymise('{staff}', triggers => true);
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2, r->>3, r->>4] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'sdoc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[full_name, street, phone, login::text] ORDER BY staff_id) FROM staff)
	   AS snapshot_matches_update;
SELECT staff_id, "Gender", full_name, street, phone, login FROM staff ORDER BY staff_id;

-- errors
SELECT seedkit_flag('loners', 'given', 'hash', '{"person": "x"}');
SELECT seedkit_flag('customers', 'given', 'first_name', '{"person": ""}');
SELECT seedkit_flag('customers', 'given', 'first_name', '{"person": "customer", "gender": "nosuch"}');
SELECT seedkit_flag('customers', 'given', 'first_name', '{"person": "customer", "locale": "fr_FR"}');

-- foreign keys: a reference to a person's identity maps alike (in place and
-- in a snapshot); to another field of a person it is refused
CREATE TABLE accounts (id int PRIMARY KEY, email text UNIQUE, given text UNIQUE);
CREATE TABLE orders (id int PRIMARY KEY, email text REFERENCES accounts (email),
					 given text REFERENCES accounts (given));
INSERT INTO accounts SELECT g, 'origacc' || g || '@corp.example', 'Origacc' || g FROM generate_series(1, 4) g;
INSERT INTO orders SELECT g, 'origacc' || g || '@corp.example', NULL FROM generate_series(1, 4) g;
SELECT seedkit_flag('accounts', 'email', 'email', '{"person": "a"}');
SELECT seedkit_snapshot('orders')::text AS odoc \gset
SELECT seedkit_flag('accounts', 'given', 'first_name', '{"person": "a"}');
SELECT * FROM seedkit_anonymise('{accounts,orders}');
SELECT seedkit_unflag('accounts', 'given');
SELECT * FROM seedkit_anonymise('{accounts,orders}');
SELECT count(*) AS orders_matching FROM orders o JOIN accounts a USING (email);
SELECT (SELECT array_agg(r->>1 ORDER BY (r->>0)::int)
		FROM json_array_elements(:'odoc'::json->'tables') t, json_array_elements(t->'rows') r
		WHERE t->>'table' = 'anon_person.orders')
	   = (SELECT array_agg(email ORDER BY id) FROM orders) AS snapshot_references_match;
