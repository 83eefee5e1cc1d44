-- relations: virtual references declared with seedkit_relate (issue 15):
-- followed as foreign keys by the closure and the plan, their columns
-- remapped to fresh keys by restore, and a flagged key's copies anonymised
-- alike; kept through renames, dropped with their columns.
CREATE SCHEMA rel;
SET search_path = rel, public;
SET seedkit.seed = 'relations-seed-1';
CREATE TABLE users (user_id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL);
CREATE TABLE customers (customer_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,
                     created_by int);
-- a polymorphic owner: a customer or an order, as owner_type says
CREATE TABLE notes (note_id int PRIMARY KEY, owner_type text NOT NULL, owner_id int NOT NULL, body text);
CREATE TABLE contacts (contact_id int PRIMARY KEY, user_email text, v text);
INSERT INTO users (email, name) SELECT 'user' || i || '@example.org', 'User ' || i FROM generate_series(1, 5) i;
INSERT INTO customers SELECT i, 'customer ' || i FROM generate_series(1, 4) i;
INSERT INTO orders SELECT i, 1 + i % 4, 1 + i % 5 FROM generate_series(1, 8) i;
INSERT INTO notes VALUES (1, 'customer', 1, 'n1'), (2, 'order', 1, 'n2'), (3, 'customer', 2, 'n3'),
                         (4, 'order', 4, 'n4'), (5, 'order', 8, 'n5');
INSERT INTO contacts VALUES (1, 'user1@example.org', 'a'), (2, 'user2@example.org', 'b'), (3, NULL, 'c');

-- without relations the closure stops at the foreign keys
SELECT * FROM seedkit_plan('customers', 'customer_id = 1');
SELECT seedkit_relate('orders', '{created_by}', 'users', '{user_id}');
SELECT seedkit_relate('notes', '{owner_id}', 'customers', '{customer_id}', 'owner_type = ''customer''');
SELECT seedkit_relate('notes', '{owner_id}', 'orders', '{order_id}', 'owner_type = ''order''');
SELECT seedkit_relate('contacts', '{user_email}', 'users', '{email}');
SELECT * FROM seedkit.relations ORDER BY name;
-- declaring again replaces
SELECT seedkit_relate('orders', '{created_by}', 'users', '{user_id}');
SELECT count(*) FROM seedkit.relations WHERE child = 'orders'::regclass;

-- closure and plan follow them: parents (users), children (notes, only
-- those whose condition matches)
SELECT * FROM seedkit_plan('customers', 'customer_id = 1');
SELECT * FROM doc_tables(seedkit_snapshot('customers', 'customer_id = 1'));
SELECT * FROM doc_rows(seedkit_snapshot('customers', 'customer_id = 1'));
SELECT * FROM seedkit_subset_plan('{"roots": [{"table": "notes", "filter": "note_id = 5"}]}');
-- the condition holds for parents too: note 2 is an order's, not customer 1's
SELECT * FROM doc_rows(seedkit_subset('{"roots": [{"table": "notes", "filter": "note_id = 2"}]}'));

-- restore maps created_by to the users' fresh keys, as through a foreign key
CREATE TEMP TABLE before AS
  SELECT o.order_id, u.email FROM orders o JOIN users u ON u.user_id = o.created_by;
CREATE TEMP TABLE doc AS SELECT seedkit_snapshot('customers', anonymise => false) AS d;
TRUNCATE users, customers, orders, notes, contacts;
SELECT * FROM seedkit_restore((SELECT d FROM doc)) ORDER BY 1;
SELECT min(user_id) > 5 AS fresh_keys FROM users;
SELECT count(*) AS orders_differ FROM (
  SELECT o.order_id, u.email FROM orders o JOIN users u ON u.user_id = o.created_by
  EXCEPT SELECT * FROM before) d;
SELECT count(*) AS orders FROM orders;

-- a flagged key's relation-linked copies get the same fakes
INSERT INTO contacts VALUES (1, 'user1@example.org', 'a'), (2, 'user2@example.org', 'b'), (3, NULL, 'c');
SELECT seedkit_flag('users', 'email', 'email');
SELECT * FROM doc_rows(seedkit_subset('{"roots": [{"table": "contacts"}], "exclude": ["orders"]}'));
SELECT seedkit_fake('email', 'user1@example.org'::text) AS fake1, seedkit_fake('email', 'user2@example.org'::text) AS fake2;
-- ... not without the relation
SELECT seedkit_unrelate('contacts', '{user_email}', 'users');
SELECT * FROM doc_rows(seedkit_subset('{"roots": [{"table": "contacts"}]}'));
SELECT seedkit_unflag('users', 'email');

-- restore checks a relation, which no constraint checks: a document whose
-- users were taken out restores contacts naming no user
SELECT seedkit_relate('contacts', '{user_email}', 'users', '{email}');
CREATE TEMP TABLE cdoc AS SELECT seedkit_snapshot('contacts', anonymise => false) AS d;
SELECT * FROM doc_tables((SELECT d FROM cdoc));
TRUNCATE users, contacts;
SELECT * FROM seedkit_restore(jsonb_set((SELECT d FROM cdoc)::jsonb, '{tables,0,rows}', '[]')::json) ORDER BY 1;
SELECT count(*) AS contacts FROM contacts;
-- ... also when restore writes under a subtransaction: inside a savepoint
-- and inside a PL/pgSQL exception block
BEGIN;
SAVEPOINT before_restore;
SELECT * FROM seedkit_restore(jsonb_set((SELECT d FROM cdoc)::jsonb, '{tables,0,rows}', '[]')::json) ORDER BY 1;
ROLLBACK;
DO $$
BEGIN
  BEGIN
    PERFORM seedkit_restore(jsonb_set((SELECT d FROM cdoc)::jsonb, '{tables,0,rows}', '[]')::json);
    RAISE NOTICE 'restored';
  EXCEPTION WHEN foreign_key_violation THEN
    RAISE NOTICE 'refused: %', SQLERRM;
  END;
END
$$;
SELECT count(*) AS contacts FROM contacts;
SELECT * FROM seedkit_restore((SELECT d FROM cdoc)) ORDER BY 1;
SELECT c.v, u.name FROM contacts c LEFT JOIN users u ON u.email = c.user_email ORDER BY 1;

-- a value with no parent row cannot be written as an ordinal
UPDATE orders SET created_by = 999 WHERE order_id = 1;
SELECT seedkit_snapshot('orders', 'order_id = 1');
UPDATE orders SET created_by = NULL WHERE order_id = 1;

-- renames are followed; a dropped column takes its relations with it
ALTER TABLE orders RENAME COLUMN created_by TO creator;
SELECT name, child, columns, parent, parent_columns FROM seedkit.relations WHERE child = 'orders'::regclass;
SELECT table_name, reached_as, via FROM seedkit_plan('orders', 'order_id = 2');
ALTER TABLE orders DROP COLUMN creator;
SELECT count(*) FROM seedkit.relation WHERE child = 'orders'::regclass;
-- kept by pg_dump
SELECT 'seedkit.relation'::regclass = ANY (extconfig) AS dumped FROM pg_extension WHERE extname = 'seedkit';

-- seedkit_anonymise in place: a relation is kept like a foreign key (both
-- tables in one call, the same fakes on both sides)
CREATE TABLE accounts (account_id int PRIMARY KEY, login text NOT NULL UNIQUE);
CREATE TABLE logins (login_id int PRIMARY KEY, account_login text);
INSERT INTO accounts VALUES (1, 'ann@example.org'), (2, 'bob@example.org');
INSERT INTO logins VALUES (1, 'ann@example.org'), (2, 'bob@example.org'), (3, NULL);
SELECT seedkit_relate('logins', '{account_login}', 'accounts', '{login}');
SELECT seedkit_flag('accounts', 'login', 'email');
SELECT * FROM seedkit_anonymise('{accounts}');
SELECT * FROM seedkit_anonymise('{accounts,logins}') ORDER BY 1;
SELECT l.login_id, l.account_login <> 'ann@example.org' AND l.account_login <> 'bob@example.org' AS faked,
       a.account_id
  FROM logins l LEFT JOIN accounts a ON a.login = l.account_login ORDER BY 1;
SELECT seedkit_unflag('accounts', 'login');

-- a relation closing a cycle is the reference filled in after: restore
-- maps it to the fresh keys like the others, and checks it
CREATE TABLE teams (team_id serial PRIMARY KEY, name text NOT NULL, captain_id int);
CREATE TABLE players (player_id serial PRIMARY KEY, name text NOT NULL, team_id int NOT NULL REFERENCES teams);
INSERT INTO teams (name) VALUES ('red'), ('blue');
INSERT INTO players (name, team_id) VALUES ('ann', 1), ('bob', 1), ('cid', 2);
UPDATE teams SET captain_id = team_id + 1;
SELECT seedkit_relate('teams', '{captain_id}', 'players', '{player_id}');
CREATE TEMP TABLE tdoc AS SELECT seedkit_snapshot('teams') AS d;
SELECT * FROM doc_tables((SELECT d FROM tdoc));
TRUNCATE teams, players;
SELECT * FROM seedkit_restore((SELECT d FROM tdoc)) ORDER BY 1;
SELECT min(team_id) > 2 AS fresh_keys FROM teams;
SELECT t.name, p.name AS captain, (SELECT string_agg(q.name, ', ' ORDER BY q.name) FROM players q WHERE q.team_id = t.team_id) AS players
  FROM teams t LEFT JOIN players p ON p.player_id = t.captain_id ORDER BY 1;

-- errors
SELECT seedkit_relate('notes', '{owner_id}', 'users', '{name}');
SELECT seedkit_relate('contacts', '{contact_id}', 'users', '{email}');
SELECT seedkit_relate('notes', '{owner_id}', 'orders', '{order_id}', 'true) UNION SELECT (1');
SELECT seedkit_relate('notes', '{owner_id}', 'orders', '{order_id}', 'owner_type = ''a'', 1');
SELECT seedkit_relate('notes', '{owner_id}', 'orders', '{order_id}', 'owner_id + 1');
SELECT seedkit_relate('notes', '{owner_id}', 'orders', '{order_id}', 'no_such_column = 1');
SELECT seedkit_relate('notes', '{no_such_column}', 'orders', '{order_id}');
SELECT seedkit_relate('notes', '{owner_id,owner_id}', 'orders', '{order_id,order_id}');
SELECT seedkit_relate('notes', '{owner_id,note_id}', 'orders', '{order_id}');
SELECT seedkit_relate('notes', '{}', 'orders', '{}');
SELECT seedkit_relate('notes', '{owner_id}', NULL, '{order_id}');
SELECT seedkit_unrelate('notes', '{body}', 'orders');
CREATE ROLE regress_seedkit_relate;
GRANT USAGE ON SCHEMA rel TO regress_seedkit_relate;
SET ROLE regress_seedkit_relate;
SELECT seedkit_relate('notes', '{owner_id}', 'customers', '{customer_id}');
SELECT seedkit_unrelate('notes', '{owner_id}', 'customers');
RESET ROLE;

DELETE FROM seedkit.snapshots WHERE root LIKE 'rel.%' OR root LIKE '{"roots": [{"table": "rel.%';
RESET seedkit.seed;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rel CASCADE;
DROP OWNED BY regress_seedkit_relate;
DROP ROLE regress_seedkit_relate;
SELECT count(*) AS relations_left FROM seedkit.relation;
