-- test/citus/bookstore.sql: the multi-tenant bookstore of test/citus/run.
-- Every tenant table carries store_id, its keys and foreign keys include it;
-- country is shared (a reference table on Citus), audit_log is local.
-- psql variables: stores, scale (rows per tenant grow with it), citus (on:
-- each table is handed to Citus right after it is created).
CREATE TABLE country (code text PRIMARY KEY, name text NOT NULL);
\if :citus
SELECT create_reference_table('country');
\endif
CREATE TABLE store (store_id int PRIMARY KEY, name text NOT NULL,
	country_code text NOT NULL REFERENCES country);
\if :citus
SELECT create_distributed_table('store', 'store_id');
\endif
CREATE TABLE customer (store_id int NOT NULL REFERENCES store,
	customer_id bigserial, email text NOT NULL, name text NOT NULL,
	PRIMARY KEY (store_id, customer_id), UNIQUE (store_id, email));
\if :citus
SELECT create_distributed_table('customer', 'store_id', colocate_with => 'store');
\endif
CREATE TABLE book (store_id int NOT NULL REFERENCES store,
	book_id bigserial, title text NOT NULL, price numeric(8,2) NOT NULL,
	PRIMARY KEY (store_id, book_id));
\if :citus
SELECT create_distributed_table('book', 'store_id', colocate_with => 'store');
\endif
CREATE TABLE orders (store_id int NOT NULL, order_id bigserial,
	customer_id bigint NOT NULL, placed date NOT NULL,
	PRIMARY KEY (store_id, order_id),
	FOREIGN KEY (store_id, customer_id) REFERENCES customer);
\if :citus
SELECT create_distributed_table('orders', 'store_id', colocate_with => 'store');
\endif
CREATE TABLE order_line (store_id int NOT NULL, order_id bigint NOT NULL,
	line_no int NOT NULL, book_id bigint NOT NULL, qty int NOT NULL,
	PRIMARY KEY (store_id, order_id, line_no),
	FOREIGN KEY (store_id, order_id) REFERENCES orders,
	FOREIGN KEY (store_id, book_id) REFERENCES book);
\if :citus
SELECT create_distributed_table('order_line', 'store_id', colocate_with => 'store');
\endif
CREATE TABLE audit_log (id serial PRIMARY KEY, what text NOT NULL);

INSERT INTO country VALUES ('fr', 'France'), ('jp', 'Japan'), ('pe', 'Peru');
INSERT INTO store SELECT s, 'store ' || s, (ARRAY['fr','jp','pe'])[1 + s % 3]
	FROM generate_series(1, :stores) s;
INSERT INTO customer (store_id, customer_id, email, name)
	SELECT s, c, 'c' || c || '@s' || s || '.example.com', 'customer ' || c
	FROM generate_series(1, :stores) s, generate_series(1, 10 * :scale) c;
INSERT INTO book (store_id, book_id, title, price)
	SELECT s, b, 'book ' || s || '.' || b, (b % 40) + 0.99
	FROM generate_series(1, :stores) s, generate_series(1, 5 * :scale) b;
INSERT INTO orders (store_id, order_id, customer_id, placed)
	SELECT s, o, 1 + o % (10 * :scale), date '2026-01-01' + o % 300
	FROM generate_series(1, :stores) s, generate_series(1, 20 * :scale) o;
INSERT INTO order_line (store_id, order_id, line_no, book_id, qty)
	SELECT s, o, l, 1 + (o * 7 + l) % (5 * :scale), 1 + l
	FROM generate_series(1, :stores) s, generate_series(1, 20 * :scale) o,
	generate_series(1, 3) l;
INSERT INTO audit_log (what) VALUES ('created'), ('loaded');
SELECT setval(pg_get_serial_sequence(t, c), 1000000)
	FROM (VALUES ('customer', 'customer_id'), ('book', 'book_id'),
		('orders', 'order_id')) v(t, c);
