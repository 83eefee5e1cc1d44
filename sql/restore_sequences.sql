-- restore_sequences: sequences a column draws from through its default
-- without being OWNED BY it (DEFAULT nextval('s')), and sequences shared
-- by several tables, are moved past the rows by restore and
-- seedkit_reseed, and a per-test reset gives the same next key each time.
CREATE SCHEMA rs_seq;
SET search_path = rs_seq, public;
-- owned by nothing
CREATE SEQUENCE ticket_ids;
CREATE TABLE ticket (ticket_id int PRIMARY KEY DEFAULT nextval('ticket_ids'), title text NOT NULL);
-- owned by invoice.invoice_id, shared with credit_note
CREATE TABLE invoice (invoice_id bigserial PRIMARY KEY, ticket_id int REFERENCES ticket, label text NOT NULL);
CREATE TABLE credit_note (note_id bigint PRIMARY KEY DEFAULT nextval('invoice_invoice_id_seq'),
  invoice_id bigint NOT NULL REFERENCES invoice, label text NOT NULL);
-- owned by nothing, shared by two tables, a plain (not unique) column
CREATE SEQUENCE batch_nos;
CREATE TABLE job (job_id serial PRIMARY KEY, batch_no int NOT NULL DEFAULT nextval('batch_nos'), label text);
CREATE TABLE export (export_id serial PRIMARY KEY, batch_no int NOT NULL DEFAULT nextval('batch_nos'), label text);
INSERT INTO ticket VALUES (100, 't100'), (200, 't200'), (300, 't300');
INSERT INTO invoice (ticket_id, label) SELECT 200, 'i' || i FROM generate_series(1, 2) i;
INSERT INTO credit_note (invoice_id, label) SELECT 1 + i % 2, 'c' || i FROM generate_series(1, 5) i;
INSERT INTO job (batch_no, label) VALUES (40, 'j40'), (41, 'j41');
INSERT INTO export (batch_no, label) VALUES (50, 'e50');

-- seedkit_reseed finds the un-owned sequences; a shared one goes past
-- every table it feeds, whichever table is named
SELECT * FROM seedkit_reseed('{ticket}');
SELECT * FROM seedkit_reseed('{invoice}');
SELECT * FROM seedkit_reseed('{job}');
SELECT * FROM seedkit_reseed('{rs_seq.ticket, rs_seq.invoice, rs_seq.credit_note, rs_seq.job, rs_seq.export}');

-- reset keys through an un-owned sequence: restore in replace mode, then
-- the application's plain INSERT works, and gets the same key after
-- every reset
SELECT seedkit_snapshot('ticket', filter => 'ticket_id >= 200', name => 'rs_tickets') IS NOT NULL AS taken;
SELECT * FROM seedkit_restore('rs_tickets', mode => 'replace');
INSERT INTO ticket (title) VALUES ('new') RETURNING ticket_id;
INSERT INTO ticket (title) VALUES ('newer') RETURNING ticket_id;
SELECT * FROM seedkit_restore('rs_tickets', mode => 'replace');
INSERT INTO ticket (title) VALUES ('new after the second reset') RETURNING ticket_id;
-- append mode draws fresh keys from the same sequence
SELECT * FROM seedkit_restore('rs_tickets');
SELECT ticket_id, title FROM ticket ORDER BY ticket_id;
INSERT INTO ticket (title) VALUES ('after append') RETURNING ticket_id;

-- a shared sequence: invoices and credit notes draw from one sequence;
-- after a replace restore both tables' next INSERT works
SELECT seedkit_snapshot('invoice', name => 'rs_invoices') IS NOT NULL AS taken;
SELECT * FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'rs_invoices'));
SELECT * FROM seedkit_restore('rs_invoices', mode => 'replace');
INSERT INTO credit_note (invoice_id, label) VALUES (1, 'new note') RETURNING note_id;
INSERT INTO invoice (label) VALUES ('new invoice') RETURNING invoice_id;
-- and the next keys are the same after the next reset
SELECT * FROM seedkit_restore('rs_invoices', mode => 'replace');
INSERT INTO credit_note (invoice_id, label) VALUES (1, 'new note') RETURNING note_id;

-- a shared plain column: replacing job's rows leaves the sequence past
-- export's rows, which stay
SELECT seedkit_snapshot('job', name => 'rs_jobs') IS NOT NULL AS taken;
SELECT * FROM seedkit_restore('rs_jobs', mode => 'replace');
INSERT INTO job (label) VALUES ('new job') RETURNING batch_no;

DELETE FROM seedkit.snapshots WHERE name LIKE 'rs\_%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rs_seq CASCADE;
