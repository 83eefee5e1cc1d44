-- snapshot_chains: a column referencing a reset key through a chain of
-- foreign keys (shared primary keys, composite foreign keys) holds the
-- ordinal of the row at the end of the chain, a sequence-fed column of a
-- composite key is reset too, and restore puts every row back under its
-- own parent, in append and in replace mode
CREATE SCHEMA ch;

-- The issue's reproduction: employee is two hops from entity's reset key
CREATE TABLE ch.entity   (id serial PRIMARY KEY, kind text);
CREATE TABLE ch.person   (id int PRIMARY KEY REFERENCES ch.entity, name text);
CREATE TABLE ch.employee (id int PRIMARY KEY REFERENCES ch.person, title text);
INSERT INTO ch.entity (kind) VALUES ('a'),('b'),('c'),('d');
INSERT INTO ch.person SELECT id, 'person'||id FROM ch.entity;
INSERT INTO ch.employee VALUES (2,'title of person2'),(3,'title of person3');
SELECT table_name, reset, refs
  FROM doc_tables(seedkit_snapshot('ch.entity', filter => 'id IN (2,3,4)', name => 'e'));
-- employee's keys are the ordinals of their entities (2 and 3 are the first two)
SELECT table_name, row_no, row_text
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'e'));
TRUNCATE ch.entity, ch.person, ch.employee RESTART IDENTITY;
SELECT * FROM seedkit_restore('e');
SELECT p.id, p.name, e.title FROM ch.person p JOIN ch.employee e USING (id) ORDER BY p.id;
-- a second copy in append mode: fresh keys through the whole chain
SELECT * FROM seedkit_restore('e');
SELECT p.id, p.name, e.title FROM ch.person p JOIN ch.employee e USING (id) ORDER BY p.id;
-- replace mode: the keys are the ordinals, every employee under its person
SELECT * FROM seedkit_restore('e', 'replace');
SELECT p.id, p.name, e.title FROM ch.person p JOIN ch.employee e USING (id) ORDER BY p.id;
DELETE FROM seedkit.snapshots WHERE name = 'e';

-- A key fed by its own sequence that references another table is a
-- reference, not a surrogate: it holds its parent's ordinal (not every user
-- has a profile)
CREATE TABLE ch.users   (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE ch.profile (user_id serial PRIMARY KEY REFERENCES ch.users, bio text NOT NULL);
ALTER SEQUENCE ch.users_id_seq RESTART 11;
INSERT INTO ch.users (name) VALUES ('ann'), ('bob'), ('cid');
INSERT INTO ch.profile VALUES (12, 'bio of bob'), (13, 'bio of cid');
SELECT table_name, reset, refs FROM doc_tables(seedkit_snapshot('ch.users', name => 'up'));
SELECT table_name, row_no, row_text FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'up'));
SELECT * FROM seedkit_restore('up');
SELECT u.id, u.name, p.bio FROM ch.users u JOIN ch.profile p ON p.user_id = u.id ORDER BY u.id;
SELECT * FROM seedkit_restore('up', 'replace');
SELECT u.id, u.name, p.bio FROM ch.users u JOIN ch.profile p ON p.user_id = u.id ORDER BY u.id;
DELETE FROM seedkit.snapshots WHERE name = 'up';

-- Three hops and more, with a self-reference and a cycle through the chain:
-- production keys start at 1001, so a leaked one is easy to see
CREATE TABLE ch.party   (id serial PRIMARY KEY, label text NOT NULL);
CREATE TABLE ch.member  (id int PRIMARY KEY REFERENCES ch.party, label text NOT NULL,
                         mentor_id int);
CREATE TABLE ch.staff   (id int PRIMARY KEY REFERENCES ch.member, label text NOT NULL,
                         boss_id int REFERENCES ch.staff);
CREATE TABLE ch.manager (id int PRIMARY KEY REFERENCES ch.staff, label text NOT NULL);
CREATE TABLE ch.badge   (badge_id serial PRIMARY KEY, manager_id int NOT NULL REFERENCES ch.manager,
                         label text NOT NULL);
-- member -> staff and staff -> member close a cycle; mentor_id is nullable
ALTER TABLE ch.member ADD FOREIGN KEY (mentor_id) REFERENCES ch.staff;
ALTER SEQUENCE ch.party_id_seq RESTART 1001;
ALTER SEQUENCE ch.badge_badge_id_seq RESTART 5001;
INSERT INTO ch.party (label) SELECT 'p' || g FROM generate_series(1, 6) g;
INSERT INTO ch.member SELECT id, label || '-member' FROM ch.party;
INSERT INTO ch.staff SELECT id, label || '-staff', NULL FROM ch.member WHERE id <= 1004;
UPDATE ch.staff SET boss_id = 1004 WHERE id < 1004;
UPDATE ch.member SET mentor_id = 1001 WHERE id IN (1005, 1006);
INSERT INTO ch.manager SELECT id, label || '-manager' FROM ch.staff WHERE id IN (1002, 1004);
INSERT INTO ch.badge (manager_id, label) VALUES (1004, 'p4-badge'), (1002, 'p2-badge');
-- every row's labels, through every foreign key, by its party's label
CREATE VIEW ch.chain_labels AS
  SELECT 'member' AS t, p.label, m.label AS own, ms.label AS other
    FROM ch.member m JOIN ch.party p USING (id) LEFT JOIN ch.staff ms ON ms.id = m.mentor_id
  UNION ALL
  SELECT 'staff', p.label, s.label, b.label
    FROM ch.staff s JOIN ch.member p USING (id) LEFT JOIN ch.staff b ON b.id = s.boss_id
  UNION ALL
  SELECT 'manager', s.label, g.label, NULL FROM ch.manager g JOIN ch.staff s USING (id)
  UNION ALL
  SELECT 'badge', g.label, b.label, NULL FROM ch.badge b JOIN ch.manager g ON g.id = b.manager_id;
CREATE TABLE ch.expected AS SELECT * FROM ch.chain_labels;
SELECT * FROM ch.chain_labels ORDER BY 1, 2;
SELECT table_name, reset, refs
  FROM doc_tables(seedkit_snapshot('ch.party', name => 'deep'));
SELECT table_name, row_no, row_text
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'deep'));
-- no production key in the document: every number is a small ordinal
SELECT count(*) AS leaked
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'deep')) r,
       json_array_elements_text(r.row_text::json) v
 WHERE v ~ '^[0-9]+$' AND v::int > 10;
-- append: a second copy with fresh keys, linked exactly as the first
SELECT * FROM seedkit_restore('deep');
SELECT NOT EXISTS (SELECT * FROM ch.chain_labels
                   EXCEPT ALL (SELECT * FROM ch.expected UNION ALL SELECT * FROM ch.expected))
   AND NOT EXISTS ((SELECT * FROM ch.expected UNION ALL SELECT * FROM ch.expected)
                   EXCEPT ALL SELECT * FROM ch.chain_labels) AS two_copies_alike,
       (SELECT min(id) FROM ch.party) = 1001 AND (SELECT max(id) FROM ch.party) = 1012 AS fresh_keys;
-- no row of the second copy (keys past 1006) references a row of the first
SELECT (SELECT count(*) FROM ch.staff WHERE (id > 1006) <> (boss_id > 1006))
     + (SELECT count(*) FROM ch.member WHERE (id > 1006) <> (mentor_id > 1006))
     + (SELECT count(*) FROM ch.badge WHERE (badge_id > 5002) <> (manager_id > 1006)) AS across_copies;
-- replace: the keys are the ordinals 1..n, linked as before
SELECT * FROM seedkit_restore('deep', 'replace');
SELECT * FROM ch.chain_labels ORDER BY 1, 2;
SELECT NOT EXISTS (SELECT * FROM ch.chain_labels EXCEPT ALL SELECT * FROM ch.expected)
   AND NOT EXISTS (SELECT * FROM ch.expected EXCEPT ALL SELECT * FROM ch.chain_labels) AS same_rows;
SELECT s.id, s.boss_id, m.mentor_id FROM ch.staff s JOIN ch.member m USING (id) ORDER BY s.id;
-- the sequences are past the keys
INSERT INTO ch.party (label) VALUES ('new') RETURNING id;
INSERT INTO ch.badge (manager_id, label) VALUES (2, 'new') RETURNING badge_id;
DELETE FROM seedkit.snapshots WHERE name = 'deep';

-- Multi-tenant: a composite key holding the tenant's reset key and a
-- sequence-fed column, a composite foreign key to it, and a shared
-- composite primary key chained off it.  Production keys start at 101.
CREATE TABLE ch.stores  (store_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE ch.books   (store_id int NOT NULL REFERENCES ch.stores, book_id serial,
                         title text NOT NULL, PRIMARY KEY (store_id, book_id));
CREATE TABLE ch.reviews (review_id bigint GENERATED ALWAYS AS IDENTITY (START WITH 101) PRIMARY KEY,
                         store_id int NOT NULL, book_id int NOT NULL, body text NOT NULL,
                         FOREIGN KEY (store_id, book_id) REFERENCES ch.books);
CREATE TABLE ch.book_details (store_id int, book_id int, blurb text NOT NULL,
                              PRIMARY KEY (store_id, book_id),
                              FOREIGN KEY (book_id, store_id) REFERENCES ch.books (book_id, store_id));
CREATE TABLE ch.detail_notes (note_no int, store_id int, book_id int, note text NOT NULL,
                              PRIMARY KEY (store_id, book_id, note_no),
                              FOREIGN KEY (store_id, book_id) REFERENCES ch.book_details);
-- threaded comments of a tenant: a composite self-reference, and store_id
-- reaching stores both directly and through the self-reference
CREATE TABLE ch.comments (store_id int NOT NULL REFERENCES ch.stores, comment_id serial, parent_id int,
                          body text NOT NULL, PRIMARY KEY (store_id, comment_id),
                          FOREIGN KEY (store_id, parent_id) REFERENCES ch.comments);
-- a composite key whose generated part is no sequence is kept as it is
CREATE TABLE ch.shelves (store_id int REFERENCES ch.stores, shelf uuid DEFAULT gen_random_uuid(),
                         PRIMARY KEY (store_id, shelf));
ALTER SEQUENCE ch.stores_store_id_seq RESTART 101;
ALTER SEQUENCE ch.books_book_id_seq RESTART 101;
ALTER SEQUENCE ch.comments_comment_id_seq RESTART 101;
INSERT INTO ch.stores (name) VALUES ('north'), ('south'), ('east');
-- the tenants' books interleave in the sequence
INSERT INTO ch.books (store_id, title)
  SELECT s.store_id, s.name || ' book ' || b FROM generate_series(1, 3) b, ch.stores s ORDER BY b, s.store_id;
INSERT INTO ch.reviews (store_id, book_id, body)
  SELECT store_id, book_id, 'review ' || r || ' of ' || title
    FROM ch.books, generate_series(1, 2) r ORDER BY book_id DESC, r;
INSERT INTO ch.book_details SELECT store_id, book_id, 'blurb of ' || title FROM ch.books WHERE book_id % 2 = 0;
INSERT INTO ch.detail_notes SELECT g, store_id, book_id, 'note ' || g || ' on ' || blurb
  FROM ch.book_details, generate_series(1, 2) g;
INSERT INTO ch.comments (store_id, body) SELECT store_id, 'c1 of ' || name FROM ch.stores ORDER BY store_id;
INSERT INTO ch.comments (store_id, parent_id, body)
  SELECT c.store_id, c.comment_id, 'c2 of ' || s.name FROM ch.comments c JOIN ch.stores s USING (store_id)
   ORDER BY c.store_id;
INSERT INTO ch.comments (store_id, parent_id, body)
  SELECT c.store_id, c.comment_id, 'c3 of ' || s.name FROM ch.comments c JOIN ch.stores s USING (store_id)
   WHERE c.body LIKE 'c2%' ORDER BY c.store_id;
-- every child row with its tenant and the texts of its parents
CREATE VIEW ch.tenant_links AS
  SELECT b.store_id, 'book' AS t, s.name AS parent, b.title AS child
    FROM ch.books b JOIN ch.stores s USING (store_id)
  UNION ALL
  SELECT r.store_id, 'review', b.title, r.body FROM ch.reviews r JOIN ch.books b USING (store_id, book_id)
  UNION ALL
  SELECT d.store_id, 'detail', b.title, d.blurb FROM ch.book_details d JOIN ch.books b USING (store_id, book_id)
  UNION ALL
  SELECT n.store_id, 'note', d.blurb, n.note FROM ch.detail_notes n JOIN ch.book_details d USING (store_id, book_id)
  UNION ALL
  SELECT c.store_id, 'comment', s.name, c.body FROM ch.comments c JOIN ch.stores s USING (store_id)
  UNION ALL
  SELECT c.store_id, 'reply', p.body, c.body
    FROM ch.comments c JOIN ch.comments p ON p.store_id = c.store_id AND p.comment_id = c.parent_id;
CREATE TABLE ch.south_links AS
  SELECT t, parent, child FROM ch.tenant_links WHERE store_id = (SELECT store_id FROM ch.stores WHERE name = 'south');
SELECT * FROM ch.south_links ORDER BY 1, 2, 3;
-- one tenant
SELECT table_name, key, reset, refs
  FROM doc_tables(seedkit_snapshot('ch.stores', filter => 'name = ''south''', name => 'south'));
SELECT table_name, row_no, row_text
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'south'));
-- no production id at all: every key and reference is an ordinal
SELECT count(*) AS leaked
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'south')) r,
       json_array_elements_text(r.row_text::json) v
 WHERE v ~ '^[0-9]+$' AND v::int > 10;
-- append into the same database: a new tenant with fresh ids throughout
CREATE TABLE ch.before AS SELECT max(store_id) AS store_id, (SELECT max(book_id) FROM ch.books) AS book_id,
                                 (SELECT max(review_id) FROM ch.reviews) AS review_id FROM ch.stores;
SELECT * FROM seedkit_restore('south');
SELECT s.store_id > b.store_id AS new_store,
       (SELECT min(book_id) FROM ch.books WHERE store_id = s.store_id) > b.book_id AS new_books,
       (SELECT min(review_id) FROM ch.reviews WHERE store_id = s.store_id) > b.review_id AS new_reviews
  FROM ch.stores s, ch.before b WHERE s.store_id = (SELECT max(store_id) FROM ch.stores);
UPDATE ch.before SET store_id = (SELECT max(store_id) FROM ch.stores);
-- the new tenant's rows are linked exactly as south's, within the new tenant
SELECT count(*) AS rows,
       NOT EXISTS (SELECT t, parent, child FROM ch.tenant_links WHERE store_id = (SELECT store_id FROM ch.before)
                   EXCEPT ALL SELECT * FROM ch.south_links) AS same_links
  FROM ch.tenant_links WHERE store_id = (SELECT store_id FROM ch.before);
-- replace: the tables are emptied, the ids are the ordinals, linked as before
SELECT * FROM seedkit_restore('south', 'replace');
SELECT store_id, book_id, title FROM ch.books ORDER BY 1, 2;
SELECT review_id, store_id, book_id, body FROM ch.reviews ORDER BY 1;
SELECT store_id, comment_id, parent_id, body FROM ch.comments ORDER BY 1, 2;
SELECT NOT EXISTS (SELECT t, parent, child FROM ch.tenant_links EXCEPT ALL SELECT * FROM ch.south_links)
   AND NOT EXISTS (SELECT * FROM ch.south_links EXCEPT ALL SELECT t, parent, child FROM ch.tenant_links) AS same_rows;
INSERT INTO ch.books (store_id, title) VALUES (1, 'next') RETURNING book_id;
DELETE FROM seedkit.snapshots WHERE name = 'south';

-- A sequence-fed column unique on its own inside a composite key is numbered
-- by the rows too (key order, not its value order); a reference to it alone
-- holds that ordinal
CREATE TABLE ch.o_order (id serial PRIMARY KEY, label text NOT NULL);
CREATE TABLE ch.o_line (order_id int REFERENCES ch.o_order, line_id serial UNIQUE, label text NOT NULL,
                        PRIMARY KEY (order_id, line_id));
CREATE TABLE ch.o_note (line_id int REFERENCES ch.o_line (line_id), note text NOT NULL);
INSERT INTO ch.o_order (label) VALUES ('o1'), ('o2');
INSERT INTO ch.o_line VALUES (2, 1, 'o2 first'), (1, 2, 'o1 first'), (2, 3, 'o2 second');
INSERT INTO ch.o_note VALUES (1, 'on o2 first'), (3, 'on o2 second');
SELECT table_name, reset FROM doc_tables(seedkit_snapshot('ch.o_order', name => 'ol'));
SELECT table_name, row_no, row_text FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'ol'));
SELECT * FROM seedkit_restore('ol', 'replace');
SELECT o.label, l.line_id, l.label, n.note
  FROM ch.o_order o JOIN ch.o_line l ON l.order_id = o.id LEFT JOIN ch.o_note n USING (line_id) ORDER BY 2;
DELETE FROM seedkit.snapshots WHERE name = 'ol';

-- A sequence-fed key column whose values repeat across tenants cannot give
-- ordinals to the references to it: refused, with the way out
CREATE TABLE ch.t_tenant (id serial PRIMARY KEY);
CREATE TABLE ch.t_item (tenant_id int REFERENCES ch.t_tenant, n serial, PRIMARY KEY (tenant_id, n));
CREATE TABLE ch.t_ref (tenant_id int, n int, FOREIGN KEY (tenant_id, n) REFERENCES ch.t_item);
INSERT INTO ch.t_tenant VALUES (1), (2);
INSERT INTO ch.t_item VALUES (1, 1), (2, 1);
INSERT INTO ch.t_ref VALUES (1, 1), (2, 1);
SELECT seedkit_snapshot('ch.t_tenant', name => 'dup');
-- without references to it, the column is numbered by the rows
SELECT row_no, row_text FROM doc_rows(seedkit_snapshot('ch.t_tenant', name => 'dup', exclude => '{ch.t_ref}'))
 WHERE table_name = 'ch.t_item';
SELECT table_name, row_no, row_text FROM doc_rows(seedkit_snapshot('ch.t_tenant', name => 'dup', reset_keys => false));
DELETE FROM seedkit.snapshots WHERE name = 'dup';

DROP SCHEMA ch CASCADE;
