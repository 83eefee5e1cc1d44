-- test/lib/anon-demo.sql: the anonymisation part of the demo (psql script).
-- Run on the bookstore of test/lib/bookstore.sql after CREATE EXTENSION seedkit:
--   psql -X -q -v ON_ERROR_STOP=1 -f test/lib/anon-demo.sql
SET seedkit.seed = 'demo-seed';
\echo '### Before: customers and authors'
SELECT customer_id, first_name, last_name, email, phone, city, birth_date
  FROM shop.customers ORDER BY customer_id LIMIT 3;
SELECT author_id, name, email FROM shop.authors ORDER BY author_id LIMIT 3;

\echo '### Flag the personal data once'
SELECT seedkit_flag('shop.customers', 'first_name', 'first_name');
SELECT seedkit_flag('shop.customers', 'last_name', 'last_name');
SELECT seedkit_flag('shop.customers', 'email', 'email');
SELECT seedkit_flag('shop.customers', 'phone', 'partial', '{"first": 3, "last": 2}');
SELECT seedkit_flag('shop.customers', 'street', 'street_address');
SELECT seedkit_flag('shop.customers', 'city', 'city');
SELECT seedkit_flag('shop.customers', 'birth_date', 'date_shift', '{"days": 180}');
SELECT seedkit_flag('shop.authors', 'name', 'full_name', '{"locale": "de_DE"}');
SELECT seedkit_flag('shop.authors', 'email', 'email', '{"locale": "de_DE"}');
SELECT * FROM seedkit.flags ORDER BY 1, 2;

\echo '### A snapshot never holds the real values'
SELECT t->>'table' AS "table", t->'columns' AS columns, t->'rows'->0 AS first_row
  FROM json_array_elements(seedkit_snapshot('shop.orders', filter => 'order_id = 1')->'tables') AS t
 WHERE t->>'table' IN ('shop.customers', 'shop.authors');

\echo '### Anonymise in place: one rewrite per table'
SET seedkit.progress = on;
SELECT * FROM seedkit_anonymise();
RESET seedkit.progress;

\echo '### After'
SELECT customer_id, first_name, last_name, email, phone, city, birth_date
  FROM shop.customers ORDER BY customer_id LIMIT 3;
SELECT author_id, name, email FROM shop.authors ORDER BY author_id LIMIT 3;
