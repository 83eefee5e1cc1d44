-- subset_merged: the child steps filling one table run as one statement
-- (issue 15, speed): a row reached along several foreign keys comes once,
-- and a row reached along one of them still has its parents along the
-- others taken; a MATCH SIMPLE key with a null column reaches nothing; a
-- whole table gets no parent step, and keeps every row.
CREATE SCHEMA merged;
SET search_path = merged, public;
CREATE TABLE c (c_id int PRIMARY KEY);
CREATE TABLE d (d_id int PRIMARY KEY);
CREATE TABLE e (e1 int, e2 int, PRIMARY KEY (e1, e2));
CREATE TABLE w (w_id int PRIMARY KEY);
-- x references three roots (one by a composite key) and a whole table
CREATE TABLE x (x_id int PRIMARY KEY, c_id int REFERENCES c, d_id int REFERENCES d,
                e1 int, e2 int, w_id int REFERENCES w,
                FOREIGN KEY (e1, e2) REFERENCES e);
-- p references x: x rows may be reached as parents too (the steps into x
-- then make rows children in place)
CREATE TABLE p (p_id int PRIMARY KEY, x_id int NOT NULL REFERENCES x);
-- y references c and d and nothing references y
CREATE TABLE y (y_id int PRIMARY KEY, c_id int REFERENCES c, d_id int REFERENCES d);
INSERT INTO c VALUES (1), (2), (3);
INSERT INTO d VALUES (1), (2), (3);
INSERT INTO e VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO w VALUES (1), (2), (3);
INSERT INTO x VALUES
  (1, 1, 1, 1, 1, 1),           -- reached along c, d and e
  (2, 1, 2, NULL, NULL, 2),     -- along c only: its d (2) is taken as a parent
  (3, 2, 1, 2, 2, NULL),        -- along d only: its c (2) and e (2,2) are taken
  (4, 3, 3, 1, NULL, 3),        -- e1 alone does not reach e (1,1): x 4 is left out
  (5, 3, 3, 3, 3, NULL);        -- along e only: c 3 and d 3 are taken
INSERT INTO p VALUES (1, 2), (2, 4), (3, 5);
INSERT INTO y VALUES (1, 1, 3), (2, 3, 1), (3, 2, 2), (4, 1, 1);

-- roots c 1, d 1 and e (1,1), (3,3); w whole
SELECT table_name, row_text FROM doc_rows(seedkit_subset('{"roots": [
    {"table": "c", "filter": "c_id = 1"}, {"table": "d", "filter": "d_id = 1"},
    {"table": "e", "filter": "e1 <> 2"}], "whole": ["w"]}', reset_keys => false));
SELECT table_name, rows, reached_as FROM seedkit_subset_plan('{"roots": [
    {"table": "c", "filter": "c_id = 1"}, {"table": "d", "filter": "d_id = 1"},
    {"table": "e", "filter": "e1 <> 2"}], "whole": ["w"]}') ORDER BY table_name::text;

-- without "whole": only the rows of w that x rows reference
SELECT table_name, row_text FROM doc_rows(seedkit_subset('{"roots": [
    {"table": "c", "filter": "c_id = 1"}, {"table": "d", "filter": "d_id = 1"},
    {"table": "e", "filter": "e1 <> 2"}]}', reset_keys => false))
 WHERE table_name = 'merged.w';

-- x whole: its rows are there before the closure, and the merged step
-- makes those reached from c 1 and d 1 children (x 1, 2, 3), whose p rows
-- come (p 1); x 4 and x 5 stay parents only
SELECT table_name, row_text FROM doc_rows(seedkit_subset('{"roots": [
    {"table": "c", "filter": "c_id = 1"}, {"table": "d", "filter": "d_id = 1"}],
    "whole": ["x"]}', reset_keys => false))
 WHERE table_name IN ('merged.x', 'merged.p');

RESET search_path;
DROP SCHEMA merged CASCADE;
