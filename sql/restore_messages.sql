-- restore_messages: a value quoted in a message is cut to 64 bytes on a character
-- boundary ("..." marks the cut), in seedkit's own messages and in PostgreSQL's
-- key details that restore passes on; a flagged column's value is never quoted
CREATE SCHEMA mq;
CREATE TABLE mq.code (code text PRIMARY KEY);
CREATE TABLE mq.item (id int PRIMARY KEY, code text REFERENCES mq.code, note text UNIQUE,
	memo text, EXCLUDE USING hash (memo WITH =));
CREATE TABLE mq.parent (id serial PRIMARY KEY);
CREATE TABLE mq.child (id int PRIMARY KEY, parent_id int REFERENCES mq.parent);
-- the error a restore raises, with the lengths of its texts
CREATE FUNCTION mq.caught(doc json, overrides jsonb DEFAULT NULL)
RETURNS TABLE (sqlstate text, message_bytes int, detail_bytes int, message text, detail text)
LANGUAGE plpgsql AS $$
DECLARE
	s text;
	m text;
	d text;
BEGIN
	PERFORM * FROM seedkit_restore(doc, 'append', overrides);
	RETURN QUERY SELECT 'no error', 0, 0, NULL::text, NULL::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
	RETURN QUERY SELECT s, octet_length(m), octet_length(d), m, d;
END
$$;
-- a document of mq.item alone (its foreign key is no reference of the document)
CREATE FUNCTION mq.item_doc(code text, note text, memo text) RETURNS json LANGUAGE sql AS $$
	SELECT json_build_object('format', 'seedkit/1', 'tables', json_build_array(json_build_object(
		'table', 'mq.item', 'columns', json_build_array('id', 'code', 'note', 'memo'),
		'types', json_build_array('integer', 'text', 'text', 'text'), 'key', json_build_array('id'),
		'reset', json_build_array(), 'references', json_build_array(),
		'rows', json_build_array(json_build_array(1, code, note, memo)))))
$$;
INSERT INTO mq.code VALUES ('ok');
INSERT INTO mq.item VALUES (100, 'ok', repeat('é', 1000), repeat('m', 1048576));
-- 23503 of PostgreSQL's own check: a 1 MB key not present in mq.code
SELECT sqlstate, message_bytes, detail_bytes, detail FROM mq.caught(mq.item_doc(repeat('ü', 524288), NULL, NULL));
-- 23505: a 2000-byte value conflicting with a row's (a unique index holds no 1 MB value)
SELECT sqlstate, message_bytes, detail_bytes, detail FROM mq.caught(mq.item_doc('ok', repeat('é', 1000), NULL));
-- 23P01: a 1 MB value conflicting through an exclusion constraint, both keys cut
SELECT sqlstate, message_bytes, detail_bytes, detail FROM mq.caught(mq.item_doc('ok', NULL, repeat('m', 1048576)));
-- a 1 MB text column that is not valid input for the target's type
SELECT sqlstate, message_bytes, detail_bytes, detail
FROM mq.caught(json_build_object('format', 'seedkit/1', 'tables', json_build_array(json_build_object(
	'table', 'mq.child', 'columns', json_build_array('id', 'parent_id'), 'types', json_build_array('integer', 'integer'),
	'key', json_build_array('id'), 'reset', json_build_array(), 'references', json_build_array(),
	'rows', json_build_array(json_build_array(repeat('7', 1048576), NULL))))));
-- a 1 MB value where a reference must hold an ordinal
SELECT sqlstate, message_bytes, detail_bytes, detail
FROM mq.caught(json_build_object('format', 'seedkit/1', 'tables', json_build_array(
	json_build_object('table', 'mq.parent', 'columns', json_build_array('id'), 'types', json_build_array('integer'),
		'key', json_build_array('id'), 'reset', json_build_array('id'), 'references', json_build_array(),
		'rows', json_build_array(json_build_array(1))),
	json_build_object('table', 'mq.child', 'columns', json_build_array('id', 'parent_id'), 'types', json_build_array('integer', 'integer'),
		'key', json_build_array('id'), 'reset', json_build_array(),
		'references', json_build_array(json_build_object('constraint', 'child_parent_id_fkey', 'columns', json_build_array('parent_id'),
			'table', 'mq.parent', 'key', json_build_array('id'), 'after', false)),
		'rows', json_build_array(json_build_array(1, repeat('9', 1048576)))))));
-- a 1 MB name in an override and in a document
SELECT sqlstate, message_bytes, detail_bytes FROM mq.caught(mq.item_doc('ok', NULL, NULL),
	jsonb_build_object('mq.item', jsonb_build_object(repeat('c', 1048576), 1)));
SELECT sqlstate, message_bytes, detail_bytes, message FROM mq.caught(json_build_object('format', 'seedkit/1', 'tables', json_build_array(json_build_object(
	'table', 'mq.item', 'columns', json_build_array(repeat('ç', 524288)), 'types', json_build_array('text'),
	'key', json_build_array(), 'reset', json_build_array(), 'references', json_build_array(),
	'rows', json_build_array()))));

-- flagged columns: no value of theirs in any message
SELECT seedkit_flag('mq.item', 'code', 'value', '{"value": "x"}');
SELECT seedkit_flag('mq.item', 'note', 'null');
SELECT seedkit_flag('mq.item', 'memo', 'null');
SELECT sqlstate, detail FROM mq.caught(mq.item_doc('secret-code', NULL, NULL));
SELECT sqlstate, detail FROM mq.caught(mq.item_doc('ok', repeat('é', 1000), NULL));
SELECT sqlstate, detail FROM mq.caught(mq.item_doc('ok', NULL, repeat('m', 1048576)));
SELECT seedkit_unflag('mq.item', 'code');
SELECT seedkit_unflag('mq.item', 'note');
SELECT seedkit_unflag('mq.item', 'memo');
