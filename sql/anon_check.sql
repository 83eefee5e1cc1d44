-- issue 13, section 5: seedkit_check lists materialized views and tables
-- (without a foreign key to it) that hold copies of a flagged column's
-- values, before and after seedkit_anonymise
CREATE SCHEMA anon_check;
SET search_path = anon_check, public;
SET seedkit.seed = 'regress-check';
CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE, city text);
INSERT INTO customers SELECT g, 'qxmail' || g || '@corp.example', 'town' FROM generate_series(1, 100) g;
-- a copy without a foreign key, a materialized view, a table with a
-- foreign key (followed by anonymise), one with other values, one of
-- another type, one flagged itself
CREATE TABLE newsletter AS SELECT email FROM customers WHERE id % 2 = 0;
CREATE MATERIALIZED VIEW customer_emails AS SELECT id, email FROM customers;
CREATE TABLE orders (id int, email text REFERENCES customers (email));
INSERT INTO orders SELECT g, 'qxmail' || g || '@corp.example' FROM generate_series(1, 10) g;
CREATE TABLE suppliers (email text);
INSERT INTO suppliers VALUES ('someone@supplier.example');
CREATE TABLE typed (email varchar(100));
INSERT INTO typed SELECT email FROM customers;
CREATE TABLE archive (email text);
INSERT INTO archive SELECT email FROM customers;
SELECT seedkit_flag('customers', 'email', 'email');
SELECT seedkit_flag('archive', 'email', 'hash');

-- before anonymise: equal values
SELECT * FROM seedkit_check() ORDER BY 1::text, 2;
SELECT table_name, rows FROM seedkit_anonymise('{customers, orders, archive}') ORDER BY 1::text;
-- after: the copies hold the originals of the fakes
SELECT * FROM seedkit_check() ORDER BY 1::text, 2;
REFRESH MATERIALIZED VIEW customer_emails;
DROP TABLE newsletter;
SELECT * FROM seedkit_check() ORDER BY 1::text, 2;
-- no value in any row
SELECT count(*) AS rows_with_a_value FROM seedkit_check() c WHERE c::text ~ 'qx|corp';

DROP SCHEMA anon_check CASCADE;
