-- test/concurrency/writes.sql: pgbench script, inserts, updates and deletes
-- across the bookstore while snapshots are taken.  Never fails on its own:
-- line items only reference the original books (ids <= 1000), and only the
-- books this script adds are deleted.
\set b random(1, 1000)
\set b2 random(1, 1000)
\set a random(1, 500)
\set c random(1, 1000)
\set c2 random(1, 1000)
\set r random(1, 4000)
\set o random(1, 2000)
BEGIN;
INSERT INTO shop.books (title, price) VALUES ('concurrent ' || :b, 9.99) RETURNING book_id AS nb \gset
INSERT INTO shop.book_authors VALUES (:nb, :a, 1);
INSERT INTO shop.reviews (book_id, voter_name, num_stars, comment)
	VALUES (:nb, 'writer', 3, 'new'), (:b, 'writer', 4, 'old');
INSERT INTO shop.price_offers (book_id, new_price) VALUES (:nb, 1.99);
INSERT INTO shop.orders (customer_id, placed_at) VALUES (:c, now()) RETURNING order_id AS no \gset
INSERT INTO shop.line_items VALUES (:no, 1, :b, 1), (:no, 2, :b2, 2);
UPDATE shop.reviews SET book_id = :b2 WHERE review_id = :r;
UPDATE shop.line_items SET book_id = :b WHERE order_id = :o AND line_no = 1;
UPDATE shop.customers SET referred_by = least(:c, :c2) WHERE customer_id = greatest(:c, :c2) AND :c <> :c2;
UPDATE shop.orders SET customer_id = :c2 WHERE order_id = :o;
DELETE FROM shop.reviews WHERE review_id = :r + 1;
DELETE FROM shop.orders WHERE order_id = :o + 1;
DELETE FROM shop.books WHERE book_id = (SELECT max(book_id) FROM shop.books WHERE book_id > 1000 AND book_id < :nb);
COMMIT;
