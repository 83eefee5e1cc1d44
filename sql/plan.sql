-- plan: seedkit_plan and seedkit_plan_graph count what a snapshot takes
CREATE SCHEMA plan_t;
SET search_path = plan_t, public;
CREATE TABLE authors (author_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (book_id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE book_authors (book_id int NOT NULL REFERENCES books,
                           author_id int NOT NULL REFERENCES authors,
                           PRIMARY KEY (book_id, author_id));
CREATE TABLE reviews (review_id serial PRIMARY KEY, book_id int REFERENCES books, stars int);
CREATE TABLE notes (note_id serial PRIMARY KEY, review_id int REFERENCES reviews);
INSERT INTO authors (name) SELECT 'a' || g FROM generate_series(1, 5) g;
INSERT INTO books (title) SELECT 'b' || g FROM generate_series(1, 10) g;
INSERT INTO book_authors SELECT b, 1 + b % 5 FROM generate_series(1, 10) b;
INSERT INTO reviews (book_id, stars) SELECT 1 + g % 10, g % 5 FROM generate_series(1, 30) g;
INSERT INTO notes (review_id) SELECT g FROM generate_series(1, 30) g;

SELECT * FROM seedkit_plan('books', filter => 'book_id <= 3');
-- the counts match what the snapshot then takes
SELECT length(seedkit_snapshot('books', filter => 'book_id <= 3')::text) > 0 AS taken;
SELECT row_counts FROM seedkit.snapshots WHERE name = 'books';
-- children => false and exclude
SELECT * FROM seedkit_plan('books', filter => 'book_id <= 3', children => false);
SELECT * FROM seedkit_plan('books', filter => 'book_id <= 3', exclude => '{reviews}');
-- the plan is not stopped by max_rows (it is what to run before hitting it)
SELECT sum(rows) FROM seedkit_plan('books', max_rows => 1);
SELECT seedkit_snapshot('books', max_rows => 1);
-- the graph
SELECT seedkit_plan_graph('books', filter => 'book_id <= 3', exclude => '{notes}');
RESET search_path;
DROP SCHEMA plan_t CASCADE;
