-- snapshot_security: a snapshot runs with the caller's privileges.  A table
-- in the closure the caller cannot read is an error naming it; row-level
-- security applies: hidden child rows are just absent, a hidden parent row
-- is an error naming the constraint.  Stored documents are private to the
-- role that took them.
CREATE SCHEMA snap_security;
SET search_path = snap_security, public;
CREATE ROLE seedkit_test_alice;
CREATE ROLE seedkit_test_bob;
GRANT USAGE ON SCHEMA snap_security TO seedkit_test_alice, seedkit_test_bob;
CREATE TABLE teams (team_id int PRIMARY KEY, name text, secret bool NOT NULL DEFAULT false);
CREATE TABLE players (player_id int PRIMARY KEY, team_id int REFERENCES teams, name text, hidden bool NOT NULL DEFAULT false);
CREATE TABLE salaries (player_id int PRIMARY KEY REFERENCES players, amount int);
CREATE TABLE fans (fan_id int PRIMARY KEY, name text, referred_by int REFERENCES fans, private bool NOT NULL DEFAULT false);
INSERT INTO teams VALUES (1, 'open', false), (2, 'secret', true);
INSERT INTO players VALUES (10, 1, 'p10', false), (11, 1, 'p11', true), (12, 2, 'p12', false), (13, 2, 'p13', false);
INSERT INTO salaries VALUES (10, 100), (11, 110);
INSERT INTO fans VALUES (1, 'f1', NULL, false), (2, 'f2', 1, true), (3, 'f3', 2, false), (4, 'f4', 1, false);
GRANT SELECT ON teams, players, fans TO seedkit_test_alice;

-- privileges: salaries is reached from teams (as a child of players) and
-- needs SELECT, whether or not it has rows to take
SET ROLE seedkit_test_alice;
SELECT seedkit_snapshot('teams');
SELECT seedkit_snapshot('teams', filter => 'false');
SELECT seedkit_snapshot('salaries');
-- left out, the rest is taken
SELECT json_array_length(seedkit_snapshot('teams', exclude => '{salaries}')->'tables') AS tables;
RESET ROLE;
-- SELECT on some columns only is not enough; on every column it is
GRANT SELECT (player_id) ON salaries TO seedkit_test_alice;
SET ROLE seedkit_test_alice;
SELECT seedkit_snapshot('teams');
RESET ROLE;
GRANT SELECT (amount) ON salaries TO seedkit_test_alice;
SET ROLE seedkit_test_alice;
SELECT json_array_length(seedkit_snapshot('teams')->'tables') AS tables;
-- a parent table the caller cannot read
RESET ROLE;
REVOKE SELECT ON teams FROM seedkit_test_alice;
SET ROLE seedkit_test_alice;
SELECT seedkit_snapshot('players', filter => 'player_id = 10');
RESET ROLE;
GRANT SELECT ON teams TO seedkit_test_alice;
SET ROLE seedkit_test_alice;
-- the closure is computed in temporary tables
RESET ROLE;
DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$;
SET ROLE seedkit_test_alice;
SELECT seedkit_snapshot('players', filter => 'player_id = 10', exclude => '{salaries}');
RESET ROLE;
DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$;
SET ROLE seedkit_test_alice;
-- the filter runs with the caller's rights too
\set VERBOSITY terse
SELECT seedkit_snapshot('teams', filter => 'team_id IN (SELECT 1 FROM pg_catalog.pg_authid)');
\set VERBOSITY default
RESET ROLE;

-- row-level security
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY teams_visible ON teams USING (NOT secret);
ALTER TABLE players ENABLE ROW LEVEL SECURITY;
CREATE POLICY players_visible ON players USING (NOT hidden);
ALTER TABLE fans ENABLE ROW LEVEL SECURITY;
CREATE POLICY fans_visible ON fans USING (NOT private);
SET ROLE seedkit_test_alice;
-- root rows and child rows hidden by a policy are just absent
SELECT * FROM doc_rows(seedkit_snapshot('teams'));
-- a parent row hidden by a policy is an error naming the constraint
SELECT seedkit_snapshot('players');
SELECT seedkit_snapshot('players', filter => 'team_id = 1') IS NOT NULL AS taken;
SELECT seedkit_snapshot('salaries', filter => 'player_id = 11');
-- also in a self-referencing chain: f3 is referred by hidden f2
SELECT seedkit_snapshot('fans', filter => 'fan_id = 3');
SELECT * FROM doc_rows(seedkit_snapshot('fans', filter => 'fan_id = 4'));
-- the owner is not subject to the policies
RESET ROLE;
SELECT * FROM doc_rows(seedkit_snapshot('fans', filter => 'fan_id = 3', name => 'owner fans'));

-- stored documents: each role sees its own; a name is per role
SET ROLE seedkit_test_alice;
SELECT seedkit_snapshot('teams', name => 'shared name') IS NOT NULL AS taken;
SELECT name, owner, root, row_counts FROM seedkit.snapshots ORDER BY name;
RESET ROLE;
GRANT SELECT ON teams, players, salaries TO seedkit_test_bob;
SET ROLE seedkit_test_bob;
SELECT count(*) AS visible FROM seedkit.snapshots;
SELECT seedkit_snapshot('salaries', filter => 'player_id = 10', name => 'shared name') IS NOT NULL AS taken;
SELECT name, owner, root, row_counts FROM seedkit.snapshots ORDER BY name;
-- nor can bob change or remove alice's
UPDATE seedkit.snapshots SET name = 'stolen' WHERE owner = 'seedkit_test_alice'::regrole;
DELETE FROM seedkit.snapshots WHERE owner = 'seedkit_test_alice'::regrole;
INSERT INTO seedkit.snapshots (name, owner, root, row_counts, document)
  VALUES ('forged', 'seedkit_test_alice', 'x', '{}', '{}');
RESET ROLE;
SELECT name, owner, root FROM seedkit.snapshots
 WHERE owner IN ('seedkit_test_alice', 'seedkit_test_bob') ORDER BY owner, name;

DELETE FROM seedkit.snapshots WHERE owner IN ('seedkit_test_alice', 'seedkit_test_bob');
DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_security.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_security CASCADE;
DROP ROLE seedkit_test_alice;
DROP ROLE seedkit_test_bob;
