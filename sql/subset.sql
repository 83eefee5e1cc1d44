-- subset: seedkit_subset's spec (issue 15): several roots (filter, sample,
-- limit), whole tables, exclude, children, "roots": "all"; one closure, one
-- deterministic document whose "root" is the spec, restored like any other.
CREATE SCHEMA subset;
SET search_path = subset, public;
SET seedkit.seed = 'subset-seed-1';
CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE categories (category_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE customers (customer_id serial PRIMARY KEY, name text NOT NULL,
                        country text REFERENCES countries);
CREATE TABLE products (product_id serial PRIMARY KEY,
                       category_id int NOT NULL REFERENCES categories, name text NOT NULL);
CREATE TABLE orders (order_id serial PRIMARY KEY,
                     customer_id int NOT NULL REFERENCES customers, ordered_on date NOT NULL);
CREATE TABLE order_lines (order_id int REFERENCES orders, product_id int REFERENCES products,
                          qty int NOT NULL, PRIMARY KEY (order_id, product_id));
CREATE TABLE audit_log (id serial PRIMARY KEY, customer_id int REFERENCES customers, note text);
CREATE TABLE keyless (customer_id int REFERENCES customers, v text);
INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France'), ('it', 'Italy');
INSERT INTO categories (name) SELECT 'category ' || i FROM generate_series(1, 4) i;
INSERT INTO customers (name, country)
  SELECT 'customer ' || i, (ARRAY['de', 'fr'])[1 + i % 2] FROM generate_series(1, 40) i;
INSERT INTO products (category_id, name) SELECT 1 + i % 3, 'product ' || i FROM generate_series(1, 10) i;
INSERT INTO orders (customer_id, ordered_on)
  SELECT 1 + i % 40, date '2026-01-01' + i FROM generate_series(1, 100) i;
INSERT INTO order_lines SELECT o, 1 + o % 10, 1 + o % 3 FROM generate_series(1, 100) o;
INSERT INTO audit_log (customer_id, note) SELECT 1 + i % 40, 'note ' || i FROM generate_series(1, 20) i;

-- the customers a document holds, by name
CREATE FUNCTION doc_customers(doc json) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(r->>1, ', ' ORDER BY (r->>1) COLLATE "C")
    FROM json_array_elements(doc->'tables') t, json_array_elements(t->'rows') r
   WHERE t->>'table' = 'subset.customers'
$$;

-- two roots (a sample, a filter), two whole tables, one table excluded
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "customers", "sample": 10},
  {"table": "orders", "filter": "ordered_on > date ''2026-04-05''"}],
  "whole": ["countries", "categories"], "exclude": ["audit_log"]}');
-- the document's root is the spec, every table qualified
SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": 10},
  {"table": "orders", "filter": "ordered_on > date ''2026-04-05''"}],
  "whole": ["countries", "categories"], "exclude": ["audit_log"]}', 'two roots')->'root';
SELECT * FROM doc_tables(seedkit_subset('{"roots": [{"table": "customers", "sample": 10},
  {"table": "orders", "filter": "ordered_on > date ''2026-04-05''"}],
  "whole": ["countries", "categories"], "exclude": ["audit_log", "keyless"]}'));
-- stored like a snapshot, with the spec as its root
SELECT name, root, row_counts FROM seedkit.snapshots WHERE name = 'two roots';

-- the sample: the same rows every time (byte-identical documents) ...
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "sample": 10}], "children": false}'));
SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": 25}], "whole": ["categories"]}')::text
     = seedkit_subset('{"roots": [{"table": "customers", "sample": 25}], "whole": ["categories"]}')::text AS same;
-- ... whatever the physical order of the rows
CREATE TEMP TABLE before AS
  SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": 25}]}')::text AS doc;
SELECT min(ctid::text) AS first_ctid_before FROM customers WHERE customer_id = 1;
UPDATE customers SET name = name WHERE customer_id % 2 = 1;
VACUUM FULL customers;
SELECT (SELECT ctid FROM customers ORDER BY ctid LIMIT 1) <> (SELECT ctid FROM customers WHERE customer_id = 1) AS reordered;
SELECT doc = seedkit_subset('{"roots": [{"table": "customers", "sample": 25}]}')::text AS same_after_vacuum_full
  FROM before;
-- another seed samples other rows
SET seedkit.seed = 'subset-seed-2';
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "sample": 10}], "children": false}'));
SELECT doc = seedkit_subset('{"roots": [{"table": "customers", "sample": 25}]}')::text AS same_with_other_seed
  FROM before;
SET seedkit.seed = 'subset-seed-1';
-- 0 and 100 percent, and a sample within a filter
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "sample": 0}], "children": false}'));
SELECT json_array_length(seedkit_subset('{"roots": [{"table": "customers", "sample": 100}], "children": false}')->'tables'->1->'rows') AS all_rows;
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "sample": 50, "filter": "country = ''de''"}], "children": false}'));

-- a key whose text depends on the settings (a date): the same sample
-- whatever the caller's DateStyle
CREATE TABLE days (day date PRIMARY KEY, note text);
INSERT INTO days SELECT d::date, 'day ' || i FROM generate_series(date '2026-01-01', date '2026-01-20', interval '1 day') WITH ORDINALITY AS g(d, i);
SELECT string_agg(r->>0, ', ') AS days
  FROM json_array_elements(seedkit_subset('{"roots": [{"table": "days", "sample": 30, "limit": 4}]}')->'tables'->0->'rows') r;
SET DateStyle = 'SQL, DMY';
SELECT string_agg(r->>0, ', ') AS days
  FROM json_array_elements(seedkit_subset('{"roots": [{"table": "days", "sample": 30, "limit": 4}]}')->'tables'->0->'rows') r;
RESET DateStyle;

-- the hash a sample compares with its bound (internal): SipHash-2-4 under the
-- 16-byte sampling key of each key value's UTF-8 text preceded by its length
-- (4 bytes, little endian), top 56 bits.  The values below were computed
-- with an independent implementation (checked against SipHash's reference
-- vector); the framing tells ('ab', 'c') from ('a', 'bc').
SELECT seedkit.seedkit_sample_hash('\x000102030405060708090a0b0c0d0e0f', 42) AS h_42,
       seedkit.seedkit_sample_hash('\x000102030405060708090a0b0c0d0e0f', 'ab'::text, 'c'::text) AS h_ab_c,
       seedkit.seedkit_sample_hash('\x000102030405060708090a0b0c0d0e0f', 'a'::text, 'bc'::text) AS h_a_bc,
       seedkit.seedkit_sample_hash('\x000102030405060708090a0b0c0d0e0f', U&'\00e9'::text) AS h_e_acute;
SELECT seedkit.seedkit_sample_hash('\x0f0102030405060708090a0b0c0d0e0f', 42) AS h_42_other_key;
SELECT seedkit.seedkit_sample_hash('\x0001', 42);
SELECT seedkit.seedkit_sample_hash('\x000102030405060708090a0b0c0d0e0f', VARIADIC ARRAY[1, 2]);
-- a 30% sample of 1000 rows keeps about 300
CREATE TABLE many (id int PRIMARY KEY);
INSERT INTO many SELECT generate_series(1, 1000);
SELECT json_array_length(seedkit_subset('{"roots": [{"table": "many", "sample": 30}]}')->'tables'->0->'rows') BETWEEN 250 AND 350 AS about_30_percent;
DROP TABLE many;

-- limit: the n smallest keys (here after a filter)
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "limit": 3, "filter": "customer_id > 30"}], "children": false}'));
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "limit": 0}], "children": false}'));
-- two roots on one table: the union of their rows
SELECT doc_customers(seedkit_subset('{"roots": [{"table": "customers", "limit": 2},
  {"table": "customers", "filter": "customer_id = 40"}], "children": false}'));

-- children: false follows parents only; a whole table is not followed downward
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "orders", "filter": "order_id <= 3"}], "children": false}');
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "orders", "filter": "order_id <= 3"}], "whole": ["products"]}');
-- a whole table's rows that the roots reach as children are followed down
-- (the lines of customer 1's orders), its other rows are not: adding a
-- whole table never takes rows out
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "customers", "filter": "customer_id = 1"}],
  "whole": ["orders"], "exclude": ["audit_log", "keyless"]}');
-- a whole table that is also a root: every row, children followed from the root's rows
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "customers", "filter": "customer_id = 1"}],
  "whole": ["customers"], "exclude": ["audit_log", "keyless"]}');
SELECT seedkit_subset_plan_graph('{"roots": [{"table": "orders", "filter": "order_id = 1"}], "whole": ["countries"], "exclude": ["keyless"]}');

-- the streamed form is the same document
SELECT string_agg(l, E'\n') = seedkit_subset('{"roots": [{"table": "orders", "limit": 5}], "whole": ["countries"]}', 'lines')::text AS same
  FROM seedkit_subset_lines('{"roots": [{"table": "orders", "limit": 5}], "whole": ["countries"]}', 'lines') l;

-- "roots": "all": every table of the schemas, whole; restored into the
-- emptied tables it gives the same contents (keys mapped)
SELECT * FROM seedkit_subset_plan('{"roots": "all", "schemas": ["subset"]}');
SELECT seedkit_subset('{"roots": "all", "schemas": ["subset"], "exclude": ["keyless"]}')->'root';
CREATE TEMP TABLE contents AS
  SELECT o.ordered_on, c.name AS customer, co.name AS country, p.name AS product, ca.name AS category, l.qty
    FROM orders o JOIN customers c USING (customer_id) LEFT JOIN countries co ON co.code = c.country
    JOIN order_lines l USING (order_id) JOIN products p USING (product_id) JOIN categories ca USING (category_id);
CREATE TEMP TABLE whole_doc AS
  SELECT seedkit_subset('{"roots": "all", "schemas": ["subset"]}', 'whole database', anonymise => false) AS doc;
TRUNCATE countries, categories, customers, products, orders, order_lines, audit_log, keyless, days;
SELECT * FROM seedkit_restore((SELECT doc FROM whole_doc)) ORDER BY 1;
SELECT count(*) AS rows_differ FROM (
  (SELECT * FROM contents EXCEPT ALL
   SELECT o.ordered_on, c.name, co.name, p.name, ca.name, l.qty
     FROM orders o JOIN customers c USING (customer_id) LEFT JOIN countries co ON co.code = c.country
     JOIN order_lines l USING (order_id) JOIN products p USING (product_id) JOIN categories ca USING (category_id))
  UNION ALL
  (SELECT o.ordered_on, c.name, co.name, p.name, ca.name, l.qty
     FROM orders o JOIN customers c USING (customer_id) LEFT JOIN countries co ON co.code = c.country
     JOIN order_lines l USING (order_id) JOIN products p USING (product_id) JOIN categories ca USING (category_id)
   EXCEPT ALL SELECT * FROM contents)) d;
SELECT count(*) AS audit_rows FROM audit_log;
-- and the restored tables give the same document again
SELECT seedkit_subset('{"roots": "all", "schemas": ["subset"]}', 'whole database', anonymise => false)::text
     = (SELECT doc::text FROM whole_doc) AS same_after_round_trip;

-- errors
SELECT seedkit_subset('{"roots": [{"table": "customers"}], "wholes": ["countries"]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "percent": 5}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": 101}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": -0.5}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "sample": "5"}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "limit": -1}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "limit": 1.5}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers"}], "whole": ["countries"], "exclude": ["countries"]}');
SELECT seedkit_subset('{"roots": [{"table": "customers"}], "exclude": ["customers"]}');
SELECT seedkit_subset('{"roots": [{"filter": "true"}]}');
SELECT seedkit_subset('{"roots": [{"table": "no_such_table"}]}');
SELECT seedkit_subset('{"roots": "some"}');
SELECT seedkit_subset('{"roots": [], "schemas": ["subset"]}');
SELECT seedkit_subset('{"roots": []}');
SELECT seedkit_subset('[1]');
SELECT seedkit_subset(NULL);
SELECT seedkit_subset('{"roots": [{"table": "customers", "filter": "true) UNION ALL SELECT 1, 2, true, 0 WHERE (true"}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers", "filter": "no_such_column > 1"}]}');
SELECT seedkit_subset('{"roots": [{"table": "keyless", "sample": 5}]}');
SELECT seedkit_subset('{"roots": [{"table": "customers"}]}', max_rows => 10);

DELETE FROM seedkit.snapshots WHERE root LIKE '{"roots"%';
RESET seedkit.seed;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA subset CASCADE;
