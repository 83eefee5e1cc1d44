-- test/concurrency/custwrites.sql: pgbench script, writes customers and
-- their orders while seedkit_anonymise rewrites customers.
\set c random(1, 1000)
\set c2 random(1, 1000)
BEGIN;
INSERT INTO shop.orders (customer_id, placed_at) VALUES (:c, now());
UPDATE shop.customers SET phone = '+1 555 ' || :c2 WHERE customer_id IN (:c, :c2);
COMMIT;
