-- test/concurrency/readers.sql: pgbench script, reads customers and orders
-- while seedkit_anonymise rewrites customers.
\set c random(1, 1000)
SELECT c.first_name, c.email, count(o.order_id)
  FROM shop.customers c LEFT JOIN shop.orders o ON o.customer_id = c.customer_id
 WHERE c.customer_id = :c GROUP BY 1, 2;
