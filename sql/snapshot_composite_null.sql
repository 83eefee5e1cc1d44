-- snapshot_composite_null: a composite foreign key (MATCH SIMPLE, the
-- default) does not apply to a row with a null in one of its columns.  The
-- row's other columns keep their own meaning: a column holding a reset key
-- through the chain is looked up by its value at the end of the chain (never
-- through a parent row), a plain value is kept, and a value that is no key
-- of the snapshot is refused with a message saying so.  MATCH FULL rows are
-- all null or not at all.
CREATE SCHEMA cn;
CREATE TABLE cn.tenant (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE cn.parent (tenant_id int NOT NULL REFERENCES cn.tenant, id serial,
                        label text NOT NULL, PRIMARY KEY (tenant_id, id));
-- child.tenant_id has no foreign key of its own: it takes the tenant's
-- ordinal through parent.tenant_id
CREATE TABLE cn.child (id serial PRIMARY KEY, tenant_id int, parent_id int, label text NOT NULL,
                       FOREIGN KEY (tenant_id, parent_id) REFERENCES cn.parent (tenant_id, id));
ALTER SEQUENCE cn.tenant_id_seq RESTART 5;
ALTER SEQUENCE cn.parent_id_seq RESTART 100;
INSERT INTO cn.tenant (name) VALUES ('t5'), ('t6'), ('t7'), ('t8');
INSERT INTO cn.parent (tenant_id, label) VALUES (5, 'p100'), (6, 'p101'), (8, 'p102');
-- tenant 7 has no parent row: only the loose child row names it
INSERT INTO cn.child (tenant_id, parent_id, label)
  VALUES (5, 100, 'enforced'), (7, NULL, 'tenant 7, no parent'),
         (NULL, 101, 'no tenant, parent 101'), (NULL, NULL, 'neither'),
         (6, 101, 'enforced, parent 101');
CREATE VIEW cn.labels AS
  SELECT c.label, t.name AS tenant, p.label AS parent
    FROM cn.child c LEFT JOIN cn.tenant t ON t.id = c.tenant_id
    LEFT JOIN cn.parent p ON p.id = c.parent_id;
SELECT * FROM cn.labels ORDER BY 1;

-- a loose value whose row the snapshot does not hold cannot be given an
-- ordinal (kept as it is, restore would read it as one): refused
SELECT count(*) FROM seedkit_snapshot('cn.child', filter => $$label = 'tenant 7, no parent'$$);
SELECT count(*) FROM seedkit_snapshot('cn.child', filter => $$label = 'no tenant, parent 101'$$);
-- parent 101 reached through an enforced row: the loose row finds it by value
SELECT table_name, row_no, row_text
  FROM doc_rows(seedkit_snapshot('cn.child', filter => $$label LIKE '%parent 101'$$));
-- without reset keys the value is written as it is
SELECT table_name, row_no, row_text
  FROM doc_rows(seedkit_snapshot('cn.child', filter => $$label = 'tenant 7, no parent'$$, reset_keys => false));

-- reset keys: tenant 7's ordinal is 3, parent 101's is 2
SELECT table_name, reset, refs
  FROM doc_tables(seedkit_subset('{"roots": "all", "schemas": ["cn"]}', 'cn'));
SELECT table_name, row_no, row_text
  FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'cn'));
SELECT * FROM seedkit_restore('cn', 'replace');
SELECT * FROM cn.labels ORDER BY 1;
-- append mode: fresh keys, every value under its own tenant and parent
SELECT * FROM seedkit_restore('cn');
SELECT label, tenant, parent, count(*) FROM cn.labels GROUP BY 1, 2, 3 ORDER BY 1;
SELECT tenant_id, parent_id, label FROM cn.child WHERE id > 5 ORDER BY id;

-- without reset keys the values are written as they are
SELECT table_name, row_no, row_text
  FROM doc_rows(seedkit_subset('{"roots": "all", "schemas": ["cn"]}', 'cnf', reset_keys => false))
 WHERE table_name = 'cn.child';
SELECT * FROM seedkit_restore('cnf', 'replace');
SELECT label, tenant, parent, count(*) FROM cn.labels GROUP BY 1, 2, 3 ORDER BY 1;

-- a plain tenant value (no key of its own) is kept; MATCH FULL rows are
-- all null or checked
CREATE TABLE cn.shelf (tenant_id int NOT NULL, id serial, label text NOT NULL,
                       PRIMARY KEY (tenant_id, id));
CREATE TABLE cn.book (id serial PRIMARY KEY, tenant_id int, shelf_id int, label text NOT NULL,
                      FOREIGN KEY (tenant_id, shelf_id) REFERENCES cn.shelf (tenant_id, id) MATCH FULL);
CREATE TABLE cn.note (id serial PRIMARY KEY, tenant_id int, shelf_id int, label text NOT NULL,
                      FOREIGN KEY (tenant_id, shelf_id) REFERENCES cn.shelf (tenant_id, id));
ALTER SEQUENCE cn.shelf_id_seq RESTART 50;
INSERT INTO cn.shelf (tenant_id, label) VALUES (70, 's50'), (71, 's51');
INSERT INTO cn.book (tenant_id, shelf_id, label) VALUES (70, 50, 'on s50'), (NULL, NULL, 'nowhere');
INSERT INTO cn.note (tenant_id, shelf_id, label)
  VALUES (71, 51, 'on s51'), (72, NULL, 'tenant 72 only'), (NULL, 50, 'shelf 50, no tenant');
SELECT table_name, row_no, row_text
  FROM doc_rows(seedkit_subset('{"roots": [{"table": "cn.book"}, {"table": "cn.note"}]}', 'cs'));
TRUNCATE cn.shelf, cn.book, cn.note;
SELECT * FROM seedkit_restore('cs');
SELECT n.label, n.tenant_id, s.label AS shelf
  FROM cn.note n LEFT JOIN cn.shelf s ON s.id = n.shelf_id ORDER BY 1;
SELECT b.label, b.tenant_id, s.label AS shelf
  FROM cn.book b LEFT JOIN cn.shelf s ON s.id = b.shelf_id ORDER BY 1;

DELETE FROM seedkit.snapshots WHERE name IN ('cn', 'cnf', 'cs');
DROP SCHEMA cn CASCADE;
