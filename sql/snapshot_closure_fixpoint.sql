-- snapshot_closure_fixpoint: the closure is a fixpoint whatever order rows
-- are found in.  Each case has a row first reached as a parent and, in the
-- next round, as a child (a child step makes it a child, moving it to that
-- generation): it must still get every parent of its own and, being a
-- child, every child.  Constraint names are chosen so that the step making
-- the row a child is listed before the parent step it needs (steps are
-- taken in constraint name order), which is how 0.1.0 lost the parents.
-- Every document must hold all the rows shown and restore into the emptied
-- tables.
CREATE SCHEMA fix_cyc;
SET search_path = fix_cyc, public;

-- 1. a cycle root -> c -> b -> root (found by the property test): c 10 is
-- root 1's parent, then b 5's child; its parent d 7 must come along
CREATE TABLE root (id int PRIMARY KEY, c_id int);
CREATE TABLE b (id int PRIMARY KEY, root_id int);
CREATE TABLE d (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, b_id int NOT NULL, d_id int NOT NULL);
INSERT INTO root VALUES (1, 10), (2, NULL);
INSERT INTO b VALUES (5, 1), (6, 2);
INSERT INTO d VALUES (7), (8);
INSERT INTO c VALUES (10, 5, 7), (11, 6, 8);
ALTER TABLE root ADD FOREIGN KEY (c_id) REFERENCES c;
ALTER TABLE b ADD FOREIGN KEY (root_id) REFERENCES root;
ALTER TABLE c ADD FOREIGN KEY (b_id) REFERENCES b;
ALTER TABLE c ADD FOREIGN KEY (d_id) REFERENCES d;
SELECT table_name, rows, reached_as, via FROM seedkit_plan('root', filter => 'id = 1') ORDER BY table_name::text;
SELECT * FROM doc_tables(seedkit_snapshot('root', filter => 'id = 1', reset_keys => false));
SELECT * FROM doc_rows(seedkit_snapshot('root', filter => 'id = 1', reset_keys => false));
SELECT seedkit_snapshot('root', filter => 'id = 1', name => 'fix_cyc') IS NOT NULL AS taken;
TRUNCATE root, b, c, d;
SELECT * FROM seedkit_restore('fix_cyc') ORDER BY table_name::text;
SELECT r.id, r.c_id, c.b_id, c.d_id, b.root_id
  FROM root r JOIN c ON c.id = r.c_id JOIN b ON b.id = c.b_id JOIN d ON d.id = c.d_id ORDER BY 1;
-- the same with c's key to d not validated: the parent step then reads c
-- itself rather than the values carried in c's key table
TRUNCATE root, b, c, d;
INSERT INTO d VALUES (7), (8);
ALTER TABLE c DROP CONSTRAINT c_d_id_fkey;
ALTER TABLE c ADD CONSTRAINT c_d_id_fkey FOREIGN KEY (d_id) REFERENCES d NOT VALID;
ALTER TABLE c DROP CONSTRAINT c_b_id_fkey;
ALTER TABLE b DROP CONSTRAINT b_root_id_fkey;
ALTER TABLE root DROP CONSTRAINT root_c_id_fkey;
INSERT INTO root VALUES (1, 10), (2, NULL);
INSERT INTO b VALUES (5, 1), (6, 2);
INSERT INTO c VALUES (10, 5, 7), (11, 6, 8);
ALTER TABLE root ADD FOREIGN KEY (c_id) REFERENCES c;
ALTER TABLE b ADD FOREIGN KEY (root_id) REFERENCES root;
ALTER TABLE c ADD FOREIGN KEY (b_id) REFERENCES b;
SELECT * FROM doc_rows(seedkit_snapshot('root', filter => 'id = 1', reset_keys => false));

-- 2. a self-reference makes the row a child: t 2 is r 1's parent, then
-- (through parent_id) a descendant of t 5, r 1's child; its parent d 7
-- must come along, and its own child w 9 too
CREATE TABLE r (id int PRIMARY KEY, t_id int);
CREATE TABLE t (id int PRIMARY KEY, r_id int, parent_id int, d_id int);
CREATE TABLE w (id int PRIMARY KEY, t_id int);
INSERT INTO r VALUES (1, 2), (3, NULL);
INSERT INTO t VALUES (5, 1, NULL, NULL), (2, NULL, 5, 7), (4, 3, NULL, 8);
INSERT INTO w VALUES (9, 2), (10, 4);
ALTER TABLE r ADD CONSTRAINT r_t_fkey FOREIGN KEY (t_id) REFERENCES t;
ALTER TABLE t ADD CONSTRAINT t_a_parent_fkey FOREIGN KEY (parent_id) REFERENCES t;
ALTER TABLE t ADD CONSTRAINT t_d_fkey FOREIGN KEY (d_id) REFERENCES d;
ALTER TABLE t ADD CONSTRAINT t_r_fkey FOREIGN KEY (r_id) REFERENCES r;
ALTER TABLE w ADD CONSTRAINT w_t_fkey FOREIGN KEY (t_id) REFERENCES t;
SELECT table_name, rows, reached_as FROM seedkit_plan('r', filter => 'id = 1') ORDER BY table_name::text;
SELECT * FROM doc_rows(seedkit_snapshot('r', filter => 'id = 1', reset_keys => false));
SELECT seedkit_snapshot('r', filter => 'id = 1', name => 'fix_self') IS NOT NULL AS taken;
TRUNCATE r, t, w, d, root, b, c;
SELECT * FROM seedkit_restore('fix_self') ORDER BY table_name::text;
SELECT id, r_id, parent_id, d_id FROM t ORDER BY id;
SELECT id, t_id FROM w ORDER BY id;

-- 3. the missed parent step is a self-reference's: s 2 is q 1's parent,
-- then u 5's child; its ancestors s 3 and s 4 must come along
CREATE TABLE q (id int PRIMARY KEY, s_id int);
CREATE TABLE u (id int PRIMARY KEY, q_id int);
CREATE TABLE s (id int PRIMARY KEY, u_id int, parent_id int);
INSERT INTO q VALUES (1, 2);
INSERT INTO u VALUES (5, 1);
INSERT INTO s VALUES (4, NULL, NULL), (3, NULL, 4), (2, 5, 3), (6, NULL, NULL);
ALTER TABLE q ADD CONSTRAINT q_s_fkey FOREIGN KEY (s_id) REFERENCES s;
ALTER TABLE u ADD CONSTRAINT u_q_fkey FOREIGN KEY (q_id) REFERENCES q;
ALTER TABLE s ADD CONSTRAINT s_a_u_fkey FOREIGN KEY (u_id) REFERENCES u;
ALTER TABLE s ADD CONSTRAINT s_parent_fkey FOREIGN KEY (parent_id) REFERENCES s;
SELECT table_name, rows, reached_as FROM seedkit_plan('q') ORDER BY table_name::text;
SELECT * FROM doc_rows(seedkit_snapshot('q', reset_keys => false));
SELECT seedkit_snapshot('q', name => 'fix_selfpar') IS NOT NULL AS taken;
TRUNCATE q, u, s;
SELECT * FROM seedkit_restore('fix_selfpar') ORDER BY table_name::text;
SELECT id, u_id, parent_id FROM s ORDER BY id;

-- 4. case 1 with c partitioned, its keys declared on the partitioned table
CREATE TABLE proot (id int PRIMARY KEY, c_id int);
CREATE TABLE pb (id int PRIMARY KEY, root_id int);
CREATE TABLE pd (id int PRIMARY KEY);
CREATE TABLE pc (id int PRIMARY KEY, b_id int NOT NULL, d_id int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE pc_lo PARTITION OF pc FOR VALUES FROM (0) TO (11);
CREATE TABLE pc_hi PARTITION OF pc FOR VALUES FROM (11) TO (100);
INSERT INTO proot VALUES (1, 10), (2, 11);
INSERT INTO pb VALUES (5, 1), (6, 2);
INSERT INTO pd VALUES (7), (8);
INSERT INTO pc VALUES (10, 5, 7), (11, 6, 8);
ALTER TABLE proot ADD CONSTRAINT proot_c_fkey FOREIGN KEY (c_id) REFERENCES pc;
ALTER TABLE pb ADD CONSTRAINT pb_root_fkey FOREIGN KEY (root_id) REFERENCES proot;
ALTER TABLE pc ADD CONSTRAINT pc_b_fkey FOREIGN KEY (b_id) REFERENCES pb;
ALTER TABLE pc ADD CONSTRAINT pc_d_fkey FOREIGN KEY (d_id) REFERENCES pd;
SELECT table_name, rows, reached_as FROM seedkit_plan('proot', filter => 'id = 1') ORDER BY table_name::text;
SELECT * FROM doc_rows(seedkit_snapshot('proot', filter => 'id = 1', reset_keys => false));
SELECT seedkit_snapshot('proot', filter => 'id = 1', name => 'fix_part') IS NOT NULL AS taken;
TRUNCATE proot, pb, pc, pd;
SELECT * FROM seedkit_restore('fix_part') ORDER BY table_name::text;
SELECT id, b_id, d_id FROM pc ORDER BY id;

-- 5. the same with the key to the parent table declared on each partition
-- (as before PostgreSQL 12)
TRUNCATE proot, pb, pc, pd;
ALTER TABLE pc DROP CONSTRAINT pc_d_fkey;
INSERT INTO pd VALUES (7), (8);
ALTER TABLE pc_lo ADD CONSTRAINT pc_part_d_fkey FOREIGN KEY (d_id) REFERENCES pd;
ALTER TABLE pc_hi ADD CONSTRAINT pc_part_d_fkey FOREIGN KEY (d_id) REFERENCES pd;
ALTER TABLE pc DROP CONSTRAINT pc_b_fkey;
ALTER TABLE pb DROP CONSTRAINT pb_root_fkey;
ALTER TABLE proot DROP CONSTRAINT proot_c_fkey;
INSERT INTO proot VALUES (1, 10), (2, 11);
INSERT INTO pb VALUES (5, 1), (6, 2);
INSERT INTO pc VALUES (10, 5, 7), (11, 6, 8);
ALTER TABLE proot ADD CONSTRAINT proot_c_fkey FOREIGN KEY (c_id) REFERENCES pc;
ALTER TABLE pb ADD CONSTRAINT pb_root_fkey FOREIGN KEY (root_id) REFERENCES proot;
ALTER TABLE pc ADD CONSTRAINT pc_b_fkey FOREIGN KEY (b_id) REFERENCES pb;
SELECT table_name, rows, reached_as FROM seedkit_plan('proot', filter => 'id = 1') ORDER BY table_name::text;
SELECT * FROM doc_rows(seedkit_snapshot('proot', filter => 'id = 1', reset_keys => false));
SELECT seedkit_snapshot('proot', filter => 'id = 1', name => 'fix_partfk') IS NOT NULL AS taken;
TRUNCATE proot, pb, pc, pd;
SELECT * FROM seedkit_restore('fix_partfk') ORDER BY table_name::text;
SELECT id, b_id, d_id FROM pc ORDER BY id;

-- 6. case 1 with serial keys, reset: the cycle's nullable key is written
-- "after" and filled in once the rows exist, with the fresh keys; restored
-- twice, each copy points at its own rows
CREATE TABLE sroot (id serial PRIMARY KEY, c_id int);
CREATE TABLE sb (id serial PRIMARY KEY, root_id int);
CREATE TABLE sd (id serial PRIMARY KEY, label text);
CREATE TABLE sc (id serial PRIMARY KEY, b_id int NOT NULL, d_id int NOT NULL);
INSERT INTO sroot VALUES (1, 10), (2, NULL);
INSERT INTO sb VALUES (5, 1), (6, 2);
INSERT INTO sd VALUES (7, 'seven'), (8, 'eight');
INSERT INTO sc VALUES (10, 5, 7), (11, 6, 8);
SELECT setval('sroot_id_seq', 100), setval('sb_id_seq', 100), setval('sc_id_seq', 100), setval('sd_id_seq', 100);
ALTER TABLE sroot ADD CONSTRAINT sroot_c_fkey FOREIGN KEY (c_id) REFERENCES sc;
ALTER TABLE sb ADD CONSTRAINT sb_root_fkey FOREIGN KEY (root_id) REFERENCES sroot;
ALTER TABLE sc ADD CONSTRAINT sc_b_fkey FOREIGN KEY (b_id) REFERENCES sb;
ALTER TABLE sc ADD CONSTRAINT sc_d_fkey FOREIGN KEY (d_id) REFERENCES sd;
SELECT * FROM doc_tables(seedkit_snapshot('sroot', filter => 'id = 1', name => 'fix_serial'));
SELECT * FROM doc_rows(seedkit_snapshot('sroot', filter => 'id = 1'));
SELECT * FROM seedkit_restore('fix_serial') ORDER BY table_name::text;
SELECT * FROM seedkit_restore('fix_serial') ORDER BY table_name::text;
SELECT r.id, r.c_id, c.b_id, c.d_id, d.label, b.root_id
  FROM sroot r JOIN sc c ON c.id = r.c_id JOIN sb b ON b.id = c.b_id JOIN sd d ON d.id = c.d_id
 ORDER BY 1;

DELETE FROM seedkit.snapshots WHERE name IN ('fix_cyc', 'fix_self', 'fix_selfpar', 'fix_part', 'fix_partfk', 'fix_serial');
RESET search_path;
DROP SCHEMA fix_cyc CASCADE;
