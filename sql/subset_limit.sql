-- subset_limit: a subset past the 1 GB limit of a value is refused, and the
-- hint names seedkit_subset_lines (it named seedkit_snapshot_lines, which
-- takes no spec).  Two rows of 510 MB, stored compressed, reach about
-- 1,020 MB of document, over the limit less the 64 MB kept for the closing
-- lines.
CREATE SCHEMA sl;
CREATE TABLE sl.big (id int PRIMARY KEY, v text COMPRESSION lz4);
INSERT INTO sl.big SELECT g, repeat(repeat('x', 1000), 510000) FROM generate_series(1, 2) g;
-- the message and hint (the detail's byte count depends on the header)
DO $$
DECLARE
	hint text;
BEGIN
	PERFORM seedkit_subset('{"roots": [{"table": "sl.big"}]}');
EXCEPTION WHEN program_limit_exceeded THEN
	GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
	RAISE NOTICE '%', SQLERRM;
	RAISE NOTICE 'hint: %', hint;
END
$$;
SET client_min_messages = warning;
DROP SCHEMA sl CASCADE;
RESET client_min_messages;
