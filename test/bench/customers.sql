-- test/bench/customers.sql: the anonymise benchmark's tables.
-- shop.customers (flagged and anonymised by seedkit) and floor.customers (the
-- plain UPDATE) are identical copies of the bookstore's customers table with
-- :rows rows; bench_reload() puts the original rows back into both, untimed.
\set ON_ERROR_STOP on
DROP SCHEMA IF EXISTS shop, floor, bench CASCADE;
CREATE SCHEMA shop;
CREATE SCHEMA floor;
CREATE SCHEMA bench;
CREATE TABLE shop.customers (
  customer_id bigserial PRIMARY KEY,
  first_name text, last_name text, email text UNIQUE, phone text,
  street text, city text, birth_date date,
  referred_by bigint REFERENCES shop.customers
);
CREATE TABLE floor.customers (LIKE shop.customers INCLUDING ALL);
ALTER TABLE floor.customers ADD FOREIGN KEY (referred_by) REFERENCES floor.customers;
CREATE TABLE bench.customers_src AS
  SELECT g::bigint AS customer_id, 'First' || g AS first_name, 'Last' || g AS last_name,
         'cust' || g || '@example.com' AS email, '+1-555-' || lpad(g::text, 7, '0') AS phone,
         g || ' Main Street' AS street, 'City ' || (g % 300) AS city,
         date '1950-01-01' + (g % 20000) AS birth_date,
         CASE WHEN g % 3 = 0 THEN g - 1 END::bigint AS referred_by
  FROM generate_series(1, :rows) g;

-- Fresh copies of the original rows, vacuumed and analysed (FK checks are
-- skipped while loading: the source rows satisfy them).
CREATE FUNCTION bench_reload() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE shop.customers, floor.customers;
  ALTER TABLE shop.customers DISABLE TRIGGER ALL;
  ALTER TABLE floor.customers DISABLE TRIGGER ALL;
  INSERT INTO shop.customers SELECT * FROM bench.customers_src;
  INSERT INTO floor.customers SELECT * FROM bench.customers_src;
  ALTER TABLE shop.customers ENABLE TRIGGER ALL;
  ALTER TABLE floor.customers ENABLE TRIGGER ALL;
END
$$;
