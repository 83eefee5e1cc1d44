-- snapshot_partition_fk: foreign keys declared on each partition rather
-- than on the partitioned table (the shape before PostgreSQL 12, and of
-- sample databases such as pagila's payment partitions).  A foreign key
-- declared identically on partitions is one relationship of the
-- partitioned table: one reference in the document, every row remapped,
-- and followed only for the rows of the partitions that declare it.
CREATE SCHEMA snap_pfk;
SET search_path = snap_pfk, public;
CREATE TABLE store (store_id serial PRIMARY KEY, city text NOT NULL);
CREATE TABLE customer (customer_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE staff (staff_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE payment (
  payment_id int NOT NULL,
  month int NOT NULL,
  store_id int NOT NULL REFERENCES store,   -- declared on the parent
  customer_id int NOT NULL,
  staff_id int,
  note text NOT NULL,
  PRIMARY KEY (payment_id, month)
) PARTITION BY RANGE (month);
CREATE TABLE payment_p1 PARTITION OF payment FOR VALUES FROM (1) TO (2);
-- a partition with its own column order and a dropped column, attached
CREATE TABLE payment_p2 (gone int, note text NOT NULL, staff_id int, customer_id int NOT NULL,
  store_id int NOT NULL, month int NOT NULL, payment_id int NOT NULL);
ALTER TABLE payment_p2 DROP COLUMN gone;
ALTER TABLE payment ATTACH PARTITION payment_p2 FOR VALUES FROM (2) TO (3);
-- a sub-partitioned partition: its keys are declared on its own parent
CREATE TABLE payment_p3 PARTITION OF payment FOR VALUES FROM (3) TO (5) PARTITION BY RANGE (month);
CREATE TABLE payment_p3a PARTITION OF payment_p3 FOR VALUES FROM (3) TO (4);
CREATE TABLE payment_p3b PARTITION OF payment_p3 FOR VALUES FROM (4) TO (5);
-- the customer key on every partition (no index on customer_id anywhere)
ALTER TABLE payment_p1 ADD CONSTRAINT payment_p1_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_p2 ADD CONSTRAINT payment_p2_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_p3 ADD CONSTRAINT payment_p3_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer;
-- the staff key: payment_p2 lacks it, so its staff_id is a plain number
ALTER TABLE payment_p1 ADD CONSTRAINT payment_p1_staff_fkey FOREIGN KEY (staff_id) REFERENCES staff;
ALTER TABLE payment_p3 ADD CONSTRAINT payment_p3_staff_fkey FOREIGN KEY (staff_id) REFERENCES staff;
INSERT INTO store VALUES (7, 'Lethbridge'), (8, 'Woodridge');
INSERT INTO customer VALUES (10, 'Mary'), (20, 'Patricia'), (30, 'Linda'), (40, 'Barbara');
INSERT INTO staff VALUES (1, 'Mike'), (2, 'Jon'), (3, 'Ann');
-- note names the customer, staff and store each row belongs to
INSERT INTO payment (payment_id, month, store_id, customer_id, staff_id, note) VALUES
  (1, 1, 7, 40, 2, 'Barbara/Jon/Lethbridge'),
  (2, 1, 8, 20, 1, 'Patricia/Mike/Woodridge'),
  (3, 2, 8, 30, 3, 'Linda/p2 staff 3/Woodridge'),
  (4, 2, 7, 40, 99, 'Barbara/p2 staff 99/Lethbridge'),
  (5, 3, 7, 10, 3, 'Mary/Ann/Lethbridge'),
  (6, 4, 8, 30, 2, 'Linda/Jon/Woodridge'),
  (7, 4, 7, 40, NULL, 'Barbara//Lethbridge');

-- one reference per relationship, named after its first constraint; the
-- keys staff_id references are not reset (payment_p2's values are no
-- references, so they could not be told from ordinals)
SELECT * FROM doc_tables(seedkit_snapshot('customer', filter => 'customer_id IN (30, 40)', name => 'pfk'));
SELECT * FROM doc_rows(seedkit_snapshot('customer', filter => 'customer_id IN (30, 40)', name => 'pfk'));
-- without staff: staff_id nulled in the partitions declaring the key only
SELECT * FROM doc_rows(seedkit_snapshot('customer', filter => 'customer_id IN (30, 40)',
                                        exclude => '{staff}', name => 'pfk_nostaff'))
 WHERE table_name = 'snap_pfk.payment';

-- restore into emptied tables: every payment under the right customer,
-- staff and store (the note says which)
TRUNCATE payment, customer, staff, store;
SELECT * FROM seedkit_restore('pfk', mode => 'replace');
SELECT p.payment_id, p.month, p.tableoid::regclass AS part,
       p.note = c.name || '/' || CASE WHEN p.tableoid = 'payment_p2'::regclass
                                      THEN 'p2 staff ' || p.staff_id ELSE coalesce(s.name, '') END
                || '/' || st.city AS right_rows
  FROM payment p JOIN customer c USING (customer_id) JOIN store st USING (store_id)
  LEFT JOIN staff s ON s.staff_id = p.staff_id AND p.tableoid <> 'payment_p2'::regclass
 ORDER BY 1;
-- append mode: staff keys are the original ones, so they conflict
SELECT * FROM seedkit_restore('pfk');
-- without staff, append gives fresh customer keys, the payments
-- remapped to them (payment keys are natural: shift them to make room)
UPDATE payment SET payment_id = payment_id + 100;
SELECT * FROM seedkit_restore('pfk_nostaff');
SELECT count(*) AS payments,
       count(*) FILTER (WHERE p.note LIKE c.name || '/%' AND p.note LIKE '%/' || st.city) AS right_customer_and_store,
       count(DISTINCT customer_id) AS customers
  FROM payment p JOIN customer c USING (customer_id) JOIN store st USING (store_id);

-- children through the staff key: payment_p2's row holding 3 is no child
-- of Ann; the rows of the partitions declaring it are
TRUNCATE payment, customer, staff, store;
INSERT INTO store VALUES (7, 'Lethbridge'), (8, 'Woodridge');
INSERT INTO customer VALUES (10, 'Mary'), (20, 'Patricia'), (30, 'Linda'), (40, 'Barbara');
INSERT INTO staff VALUES (1, 'Mike'), (2, 'Jon'), (3, 'Ann');
INSERT INTO payment (payment_id, month, store_id, customer_id, staff_id, note) VALUES
  (1, 1, 7, 40, 2, 'Barbara/Jon/Lethbridge'),
  (2, 1, 8, 20, 1, 'Patricia/Mike/Woodridge'),
  (3, 2, 8, 30, 3, 'Linda/p2 staff 3/Woodridge'),
  (4, 2, 7, 40, 99, 'Barbara/p2 staff 99/Lethbridge'),
  (5, 3, 7, 10, 3, 'Mary/Ann/Lethbridge'),
  (6, 4, 8, 30, 2, 'Linda/Jon/Woodridge'),
  (7, 4, 7, 40, NULL, 'Barbara//Lethbridge');
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 3', name => 'pfk_staff'));

-- a partition as the root, its rows only: one declaring every key, then
-- the one lacking the staff key
SELECT * FROM doc_rows(seedkit_snapshot('payment_p3', name => 'pfk_p3'));
SELECT * FROM doc_rows(seedkit_snapshot('payment_p2', name => 'pfk_p2'));
TRUNCATE payment, customer, staff, store;
SELECT * FROM seedkit_restore('pfk_p3', mode => 'replace');
SELECT * FROM seedkit_restore('pfk_p2');
SELECT p.payment_id, p.tableoid::regclass AS part, p.note, c.name, s.name AS staff, st.city
  FROM payment p JOIN customer c USING (customer_id) JOIN store st USING (store_id)
  LEFT JOIN staff s ON s.staff_id = p.staff_id AND p.tableoid <> 'payment_p2'::regclass
 ORDER BY 1;

-- a cycle closed by the per-partition key: its nullable columns are
-- written as null and filled in once the members exist
CREATE TABLE member (member_id serial PRIMARY KEY, name text NOT NULL, pay_id int NOT NULL, pay_month int NOT NULL);
CREATE TABLE fee (fee_id int, month int, member_id int, PRIMARY KEY (fee_id, month)) PARTITION BY RANGE (month);
CREATE TABLE fee_p1 PARTITION OF fee FOR VALUES FROM (1) TO (2);
CREATE TABLE fee_p2 PARTITION OF fee FOR VALUES FROM (2) TO (3);
ALTER TABLE fee_p1 ADD CONSTRAINT fee_p1_member_fkey FOREIGN KEY (member_id) REFERENCES member;
ALTER TABLE fee_p2 ADD CONSTRAINT fee_p2_member_fkey FOREIGN KEY (member_id) REFERENCES member;
ALTER TABLE member ADD FOREIGN KEY (pay_id, pay_month) REFERENCES fee DEFERRABLE;
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO member VALUES (10, 'm10', 1, 1), (20, 'm20', 2, 2);
INSERT INTO fee VALUES (1, 1, 20), (2, 2, 10);
COMMIT;
SELECT * FROM doc_tables(seedkit_snapshot('member', name => 'pfk_cycle'));
TRUNCATE member, fee;
SELECT * FROM seedkit_restore('pfk_cycle', mode => 'replace');
SELECT f.fee_id, f.tableoid::regclass AS part, m.name AS paid_by, m2.name AS paying
  FROM fee f JOIN member m USING (member_id)
  JOIN member m2 ON (m2.pay_id, m2.pay_month) = (f.fee_id, f.month)
 ORDER BY 1;

-- a role that may read the partitioned table but not its partitions
-- directly: the partitions declaring the staff key are read through it
CREATE ROLE seedkit_pfk_reader;
GRANT USAGE ON SCHEMA snap_pfk TO seedkit_pfk_reader;
GRANT SELECT ON payment, customer, staff, store TO seedkit_pfk_reader;
SET ROLE seedkit_pfk_reader;
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id IN (2, 3)', name => 'pfk_reader'));
RESET ROLE;
REVOKE ALL ON payment, customer, staff, store FROM seedkit_pfk_reader;
REVOKE ALL ON SCHEMA snap_pfk FROM seedkit_pfk_reader;

DELETE FROM seedkit.snapshots WHERE name LIKE 'pfk%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_pfk CASCADE;
DROP ROLE seedkit_pfk_reader;
