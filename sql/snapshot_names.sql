-- snapshot_names: mixed-case, quoted and odd names in a non-public schema.
-- The document quotes table names as PostgreSQL does and keeps column and
-- constraint names as they are.
CREATE SCHEMA "Snap Names";
SET search_path = "Snap Names", public;
CREATE TYPE "Mood" AS ENUM ('Low', 'High');
CREATE TABLE "Order" (
  "Id" serial PRIMARY KEY,
  "select" text NOT NULL,
  "Mixed Case" "Mood",
  lower_name int
);
CREATE TABLE "Line ""Item""" (
  "Order Id" int NOT NULL,
  "#" int NOT NULL,
  "Qty" int,
  PRIMARY KEY ("Order Id", "#"),
  CONSTRAINT "Line → Order" FOREIGN KEY ("Order Id") REFERENCES "Order"
);
CREATE TABLE plain (id int PRIMARY KEY, "Order" int REFERENCES "Order");
INSERT INTO "Order" VALUES (7, 'a "quoted" word', 'High', 1), (8, 'b\c', 'Low', 2);
INSERT INTO "Line ""Item""" VALUES (7, 1, 3), (7, 2, 4), (8, 1, 5);
INSERT INTO plain VALUES (1, 8);

\a
\t on
SELECT seedkit_snapshot('"Order"', filter => '"Id" = 7');
SELECT seedkit_snapshot('"Snap Names"."Line ""Item"""', filter => '"#" = 1 AND "Order Id" = 8', name => 'Line "Item" of 8');
\t off
\a
-- the default name is the root table's unquoted name
SELECT name, root, row_counts FROM seedkit.snapshots WHERE root LIKE '"Snap Names".%' ORDER BY name COLLATE "C";

DELETE FROM seedkit.snapshots WHERE root LIKE '"Snap Names".%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA "Snap Names" CASCADE;
