-- Found by test/property on the concurrency branch (item 14): after a load
-- under session_replication_role = replica, every foreign key of the table
-- is checked, including the per-partition clones PostgreSQL makes for a
-- foreign key that references a partitioned table (a_pid_ppart_fkey1 ->
-- p0): a row referencing a row of p1 "is not present in table p0".
-- Passes on 0.1.0; fails on concurrency.  Expected: 2 tables restored.
CREATE SCHEMA r;
CREATE TABLE r.a (id int PRIMARY KEY, pid int NOT NULL, ppart int NOT NULL);
CREATE TABLE r.p (id int, part int, a_id int NOT NULL, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE r.p0 PARTITION OF r.p FOR VALUES IN (0);
CREATE TABLE r.p1 PARTITION OF r.p FOR VALUES IN (1);
INSERT INTO r.a VALUES (1, 1, 1);
INSERT INTO r.p VALUES (1, 1, 1);
ALTER TABLE r.a ADD FOREIGN KEY (pid, ppart) REFERENCES r.p;
ALTER TABLE r.p ADD FOREIGN KEY (a_id) REFERENCES r.a;
SELECT seedkit_snapshot('r.a', name => 'r') IS NOT NULL;
TRUNCATE r.a, r.p;
SELECT * FROM seedkit_restore('r');
DROP SCHEMA r CASCADE;
