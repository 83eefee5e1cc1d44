-- restore_copies: copies => N loads a document N times in one call, each copy
-- with fresh keys and references inside itself; flagged columns get per-copy
-- fakes (copy 1 keeps the document's values), rows reuse matches are shared
-- by all copies.  vary: dates shifted per copy, numbers with noise.
\set SHOW_CONTEXT never
SET seedkit.seed = 'regress-seed-1';
CREATE SCHEMA cp;
-- a multi-tenant schema: every key includes the tenant
CREATE TABLE cp.currency (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE cp.tenant (tenant_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE cp.users (tenant_id int NOT NULL REFERENCES cp.tenant, user_id serial,
	email text NOT NULL, PRIMARY KEY (tenant_id, user_id), UNIQUE (tenant_id, email));
CREATE TABLE cp.orders (tenant_id int NOT NULL, order_id serial, user_id int NOT NULL,
	contact text NOT NULL, placed date NOT NULL CHECK (placed < '2026-06-01'),
	total numeric(10,2) NOT NULL, currency text NOT NULL REFERENCES cp.currency,
	PRIMARY KEY (tenant_id, order_id),
	FOREIGN KEY (tenant_id, user_id) REFERENCES cp.users,
	FOREIGN KEY (tenant_id, contact) REFERENCES cp.users (tenant_id, email));
INSERT INTO cp.currency VALUES ('EUR', 'Euro'), ('USD', 'US dollar');
INSERT INTO cp.tenant (name) VALUES ('Acme'), ('Globex');
INSERT INTO cp.users (tenant_id, email) VALUES
	(1, 'ann@acme.test'), (1, 'bob@acme.test'), (2, 'cy@globex.test');
INSERT INTO cp.orders (tenant_id, user_id, contact, placed, total, currency) VALUES
	(1, 1, 'ann@acme.test', '2026-01-01', 10.50, 'EUR'),
	(1, 2, 'bob@acme.test', '2026-01-02', 20.00, 'USD'),
	(1, 1, 'ann@acme.test', '2026-01-03', 7.25, 'EUR'),
	(2, 3, 'cy@globex.test', '2026-01-01', 99.99, 'EUR');
CREATE TABLE cp.docs (doc json);
INSERT INTO cp.docs SELECT seedkit_snapshot('cp.tenant', filter => 'tenant_id = 1');
SELECT table_name, key, reset FROM doc_tables((SELECT doc FROM cp.docs)) ORDER BY n;
-- the target: a database with the currencies and no tenant
TRUNCATE cp.tenant, cp.users, cp.orders RESTART IDENTITY;

-- Out of range, and with merge mode
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 0);
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 1000001);
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), mode => 'merge', copies => 2);
-- cp.currency's key is not reset: every copy would insert EUR again
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2);
-- reused, it is shared; but tenant.name is unique and has no strategy
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}');
SELECT count(*) AS tenants FROM cp.tenant;
-- users.email is unique only with the tenant, a fresh key in every copy:
-- it needs no flag; the tenant's name does
SELECT seedkit_flag('cp.tenant', 'name', 'company');
SELECT seedkit_flag('cp.users', 'email', 'email');
-- a flagged key of a table the copies share: the references to it (which
-- take its flag) keep the values of the shared rows
SELECT seedkit_flag('cp.currency', 'code', 'hash');

-- 50 copies: 50 new tenants, each with its own 2 users and 3 orders
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 50,
	reuse => '{"cp.currency": ["code"]}',
	vary => '{"cp.orders": {"placed": {"shift": "1 day"}, "total": {"noise": 0.1}}}');
SELECT count(*) AS tenants, count(DISTINCT name) AS names FROM cp.tenant;
SELECT count(*) AS users, count(DISTINCT email) AS emails FROM cp.users;
SELECT count(*) AS currencies FROM cp.currency;
-- copy 1 is the plain restore
SELECT t.name, u.email FROM cp.tenant t JOIN cp.users u USING (tenant_id)
 WHERE tenant_id = (SELECT min(tenant_id) FROM cp.tenant) ORDER BY u.user_id;
-- every tenant has exactly the document's shape: 2 users, 3 orders, the
-- orders of its own users in the document's pattern (user 1, 2, 1)
SELECT nusers, norders, pattern, count(*) AS tenants
  FROM (SELECT t.tenant_id,
			   (SELECT count(*) FROM cp.users u WHERE u.tenant_id = t.tenant_id) AS nusers,
			   (SELECT count(*) FROM cp.orders o WHERE o.tenant_id = t.tenant_id) AS norders,
			   (SELECT string_agg(u.rk::text, ',' ORDER BY o.order_id)
				  FROM cp.orders o
				  JOIN (SELECT tenant_id, user_id,
							   rank() OVER (PARTITION BY tenant_id ORDER BY user_id) AS rk
						  FROM cp.users) u
					ON u.tenant_id = o.tenant_id AND u.user_id = o.user_id
				 WHERE o.tenant_id = t.tenant_id) AS pattern
		  FROM cp.tenant t) s
 GROUP BY nusers, norders, pattern;
-- no order points at a user of another tenant, by id or by contact
SELECT count(*) AS foreign_users FROM cp.orders o
 WHERE NOT EXISTS (SELECT FROM cp.users u WHERE u.tenant_id = o.tenant_id AND u.user_id = o.user_id);
-- copy k is consistent inside itself: the contact is its user's (faked) email
SELECT count(*) AS orders, count(*) FILTER (WHERE o.contact = u.email) AS contact_is_user
  FROM cp.orders o JOIN cp.users u ON u.tenant_id = o.tenant_id AND u.user_id = o.user_id;
-- the emails of copy 2 on are fakes: only copy 1's two are originals
SELECT count(*) AS originals FROM cp.users WHERE email LIKE '%@acme.test';
-- vary: copy k's dates moved by k - 1 days, totals within 10% of the original
SELECT k, min(placed) AS first_order, max(placed) AS last_order
  FROM (SELECT dense_rank() OVER (ORDER BY tenant_id) AS k, placed FROM cp.orders) s
 WHERE k IN (1, 2, 50) GROUP BY k ORDER BY k;
SELECT bool_and(total BETWEEN 10.50 * 0.9 AND 10.50 * 1.1) AS first_in_range,
	   count(DISTINCT total) > 40 AS varied
  FROM (SELECT total, row_number() OVER (PARTITION BY tenant_id ORDER BY order_id) AS n
		  FROM cp.orders) s WHERE n = 1;
SELECT o.placed, o.total FROM cp.orders o
 WHERE o.tenant_id = (SELECT min(tenant_id) FROM cp.tenant) ORDER BY o.order_id;
SELECT count(*) FILTER (WHERE o.total BETWEEN d.total * 0.9 AND d.total * 1.1) AS within_10_percent,
	   count(*) AS orders
  FROM (SELECT total, row_number() OVER (PARTITION BY tenant_id ORDER BY order_id) AS n
		  FROM cp.orders) o
  JOIN (VALUES (1, 10.50), (2, 20.00), (3, 7.25)) AS d(n, total) USING (n);
-- the currencies were reused, the sequences moved past the new keys
SELECT currency, count(*) FROM cp.orders GROUP BY currency ORDER BY currency;
INSERT INTO cp.tenant (name) VALUES ('Initech') RETURNING tenant_id;

-- Atomic: copy 23 would place an order on 2026-06-04, which the CHECK
-- refuses; nothing of the first 22 copies stays
TRUNCATE cp.tenant, cp.users, cp.orders RESTART IDENTITY;
\set SHOW_CONTEXT errors
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 60,
	reuse => '{"cp.currency": ["code"]}',
	vary => '{"cp.orders": {"placed": {"shift": "1 week"}}}');
\set SHOW_CONTEXT never
SELECT (SELECT count(*) FROM cp.tenant) AS tenants, (SELECT count(*) FROM cp.users) AS users,
	   (SELECT count(*) FROM cp.orders) AS orders;

-- vary's errors
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.orders": {"shipped": {"shift": "1 day"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.invoices": {"placed": {"shift": "1 day"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.orders": {"placed": {"jitter": "1 day"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.orders": {"total": {"noise": 2}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.orders": {"total": {"shift": "1 day"}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.orders": {"user_id": {"noise": 0.1}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.users": {"email": {"noise": 0.1}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '{"cp.currency": {"name": {"noise": 0.1}}}');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs), copies => 2,
	reuse => '{"cp.currency": ["code"]}', vary => '["cp.orders"]');
SELECT count(*) AS tenants FROM cp.tenant;

-- A cycle: each copy's rows are closed inside the copy
CREATE TABLE cp.dept (dept_id serial PRIMARY KEY, name text, head int);
CREATE TABLE cp.emp (emp_id serial PRIMARY KEY, dept_id int NOT NULL REFERENCES cp.dept, name text);
ALTER TABLE cp.dept ADD FOREIGN KEY (head) REFERENCES cp.emp;
INSERT INTO cp.dept (name) VALUES ('R&D');
INSERT INTO cp.emp (dept_id, name) VALUES (1, 'Eve'), (1, 'Mallory');
UPDATE cp.dept SET head = 2;
CREATE TABLE cp.docs2 (doc json);
INSERT INTO cp.docs2 SELECT seedkit_snapshot('cp.dept');
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs2), copies => 4);
SELECT d.dept_id, e.name AS head, e.dept_id = d.dept_id AS own_emp
  FROM cp.dept d JOIN cp.emp e ON e.emp_id = d.head ORDER BY d.dept_id;

-- Replace mode: the tables are emptied, then every copy draws its keys
-- (copy 1 gets 1..n from the restarted sequences, as a plain replace)
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs2), mode => 'replace', copies => 2);
SELECT d.dept_id, d.name, e.emp_id, e.name AS head
  FROM cp.dept d JOIN cp.emp e ON e.emp_id = d.head ORDER BY d.dept_id;
SELECT emp_id, dept_id, name FROM cp.emp ORDER BY emp_id;

-- A unique flagged column whose strategy has few values (24 countries): the
-- fakes that collide are drawn again, inside a copy and against the rows
-- of the copies before; more copies than values cannot be made
CREATE TABLE cp.site (site_id serial PRIMARY KEY, country text NOT NULL UNIQUE);
INSERT INTO cp.site (country) VALUES ('France'), ('Spain'), ('Italy');
CREATE TABLE cp.docs3 (doc json);
INSERT INTO cp.docs3 SELECT seedkit_snapshot('cp.site');
SELECT seedkit_flag('cp.site', 'country', 'country');
TRUNCATE cp.site RESTART IDENTITY;
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs3), copies => 6);
SELECT count(*) AS sites, count(DISTINCT country) AS countries FROM cp.site;
TRUNCATE cp.site RESTART IDENTITY;
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs3), copies => 12);
SELECT count(*) AS sites FROM cp.site;

-- vary on timestamps with time zone, integers and floating point
CREATE TABLE cp.reading (reading_id serial PRIMARY KEY, at timestamptz NOT NULL,
	count int NOT NULL, level float8 NOT NULL);
INSERT INTO cp.reading (at, count, level) VALUES
	('2026-03-01 10:00+00', 100, 2.5), ('2026-03-01 11:00+00', 7, 0.125);
CREATE TABLE cp.docs4 (doc json);
INSERT INTO cp.docs4 SELECT seedkit_snapshot('cp.reading');
TRUNCATE cp.reading RESTART IDENTITY;
SELECT * FROM seedkit_restore((SELECT doc FROM cp.docs4), copies => 4,
	vary => '{"cp.reading": {"at": {"shift": "1 hour 30 minutes"}, "count": {"noise": 0.5}, "level": {"noise": 0.2}}}');
SELECT reading_id, at AT TIME ZONE 'UTC' AS at_utc,
	   CASE WHEN reading_id % 2 = 1 THEN count BETWEEN 50 AND 150 ELSE count BETWEEN 3 AND 11 END AS count_in_range,
	   CASE WHEN reading_id % 2 = 1 THEN level BETWEEN 2.0 AND 3.0 ELSE level BETWEEN 0.1 AND 0.15 END AS level_in_range
  FROM cp.reading ORDER BY reading_id;
SELECT count, level FROM cp.reading WHERE reading_id <= 2 ORDER BY reading_id;
SELECT count(DISTINCT level) > 2 AS levels_vary FROM cp.reading;

DROP SCHEMA cp CASCADE;
