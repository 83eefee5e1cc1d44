-- snapshot_partition: partitioned tables are read once, through their
-- root, and appear in the document under the root's name; a foreign key
-- declared on one partition only counts for that partition's rows.
-- Inheritance children are tables of their own: no row is counted twice.
CREATE SCHEMA snap_partition;
SET search_path = snap_partition, public;
CREATE TABLE regions (region_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE warehouses (wh_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE events (
  event_id bigint NOT NULL,
  kind text NOT NULL,
  region_id int NOT NULL REFERENCES regions,
  wh_id int,
  note text,
  PRIMARY KEY (event_id, kind)
) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a');
-- a sub-partitioned partition
CREATE TABLE events_b PARTITION OF events FOR VALUES IN ('b', 'c') PARTITION BY LIST (kind);
CREATE TABLE events_b1 PARTITION OF events_b FOR VALUES IN ('b');
CREATE TABLE events_b2 PARTITION OF events_b FOR VALUES IN ('c');
-- only events_a's wh_id is a foreign key
ALTER TABLE events_a ADD CONSTRAINT events_a_wh_fkey FOREIGN KEY (wh_id) REFERENCES warehouses;
-- a table referencing the partitioned table
CREATE TABLE event_tags (tag_id int PRIMARY KEY, event_id bigint NOT NULL, kind text NOT NULL, tag text,
  FOREIGN KEY (event_id, kind) REFERENCES events);
INSERT INTO regions VALUES (10, 'north'), (20, 'south'), (30, 'east');
INSERT INTO warehouses VALUES (5, 'w5'), (6, 'w6'), (7, 'w7');
INSERT INTO events VALUES (1, 'a', 10, 5, 'a1'), (2, 'a', 20, 6, 'a2'),
  (3, 'b', 10, 7, 'b3: wh_id is no reference here'), (4, 'c', 30, 999, 'c4: nor here');
INSERT INTO event_tags VALUES (1, 1, 'a', 'x'), (2, 3, 'b', 'y'), (3, 4, 'c', 'z');

-- every row once, under the partitioned root; warehouses 5 and 6 are
-- referenced, 7 and 999 are plain values of rows of other partitions
SELECT * FROM doc_tables(seedkit_snapshot('events'));
SELECT * FROM doc_rows(seedkit_snapshot('events'));
SELECT row_counts FROM seedkit.snapshots WHERE name = 'events' AND root = 'snap_partition.events';
-- the same with the original keys
SELECT * FROM doc_rows(seedkit_snapshot('events', reset_keys => false));
-- children through the partition-only key: events_a's rows of warehouse
-- 7 are none, events_b1's row holding 7 is not a child
SELECT * FROM doc_rows(seedkit_snapshot('warehouses', filter => 'wh_id = 7', reset_keys => false));
SELECT * FROM doc_rows(seedkit_snapshot('warehouses', filter => 'wh_id = 5', reset_keys => false));
-- children through the key on the root, into every partition
SELECT * FROM doc_rows(seedkit_snapshot('regions', filter => 'region_id IN (10, 30)', reset_keys => false));
-- a partition as the root: its rows only, written under the root table
SELECT seedkit_snapshot('events_b')->'tables'->2->>'table' AS written_as;
SELECT document->'root' AS root, row_counts
  FROM seedkit.snapshots WHERE name = 'events_b' AND root = 'snap_partition.events_b';
SELECT * FROM doc_rows(seedkit_snapshot('events_b1', reset_keys => false));
-- a table referencing the partitioned one
SELECT * FROM doc_rows(seedkit_snapshot('event_tags', filter => 'tag_id IN (1, 3)'));
-- excluding warehouses nulls events_a's wh_id only
SELECT * FROM doc_rows(seedkit_snapshot('events', exclude => '{warehouses}', reset_keys => false));

-- inheritance: vehicles and its child cars are two tables; a snapshot of
-- vehicles reads vehicles' own rows, those of cars come through cars' keys
CREATE TABLE owners (owner_id int PRIMARY KEY, name text);
CREATE TABLE vehicles (vehicle_id int PRIMARY KEY, owner_id int REFERENCES owners, label text);
CREATE TABLE cars (doors int) INHERITS (vehicles);
ALTER TABLE cars ADD PRIMARY KEY (vehicle_id);
ALTER TABLE cars ADD FOREIGN KEY (owner_id) REFERENCES owners;
CREATE TABLE trips (trip_id int PRIMARY KEY, car_id int REFERENCES cars, km int);
INSERT INTO owners VALUES (1, 'o1'), (2, 'o2');
INSERT INTO vehicles VALUES (1, 1, 'bike'), (2, 2, 'boat');
INSERT INTO cars VALUES (3, 1, 'car', 4), (4, 2, 'van', 5);
INSERT INTO trips VALUES (1, 3, 10), (2, 4, 20);
SELECT * FROM doc_rows(seedkit_snapshot('owners', filter => 'owner_id = 1'));
SELECT row_counts FROM seedkit.snapshots WHERE name = 'owners' AND root = 'snap_partition.owners';
SELECT * FROM doc_rows(seedkit_snapshot('vehicles'));
SELECT * FROM doc_rows(seedkit_snapshot('trips', filter => 'trip_id = 2'));

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_partition.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_partition CASCADE;
