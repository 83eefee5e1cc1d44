-- issue 13, section 6: frequencies.  Deterministic fakes keep value counts;
-- shuffle moves a column's values among its rows (a keyed permutation),
-- generalize makes dates and numbers coarser
CREATE SCHEMA anon_freq;
SET search_path = anon_freq, public;
SET seedkit.seed = 'regress-frequencies';

-- a deterministic fake keeps the counts: two values stay two values
CREATE TABLE staff (id int PRIMARY KEY, dept text, salary int, hired date, badge text UNIQUE, note text);
INSERT INTO staff
SELECT g, CASE WHEN g % 4 = 0 THEN 'Research' ELSE 'Sales' END, 30000 + g * 1237 % 50000,
	   date '2010-01-01' + g * 37, 'B-' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'note ' || g END
FROM generate_series(1, 40) g;
CREATE TABLE before AS SELECT * FROM staff;
SELECT count(DISTINCT seedkit_fake('company', dept)) AS fakes_of_two_values FROM staff;

-- shuffle: the same values with the same counts, moved among the rows
SELECT seedkit_flag('staff', 'salary', 'shuffle');
SELECT seedkit_flag('staff', 'badge', 'shuffle');
SELECT seedkit_flag('staff', 'note', 'shuffle');
SELECT seedkit_flag('staff', 'dept', 'shuffle');
-- generalize: dates to their year, numbers to ranges
SELECT seedkit_flag('staff', 'hired', 'generalize', '{"to": "year"}');
SELECT table_name, rows FROM seedkit_anonymise('{staff}');
SELECT (SELECT array_agg(salary ORDER BY salary) FROM staff) = (SELECT array_agg(salary ORDER BY salary) FROM before) AS same_salaries,
	   (SELECT array_agg(badge ORDER BY badge) FROM staff) = (SELECT array_agg(badge ORDER BY badge) FROM before) AS same_badges,
	   (SELECT array_agg(dept ORDER BY dept) FROM staff) = (SELECT array_agg(dept ORDER BY dept) FROM before) AS same_depts,
	   (SELECT count(*) FROM staff s JOIN before b USING (id) WHERE s.salary = b.salary) AS salaries_in_place,
	   (SELECT count(*) FROM staff s JOIN before b USING (id) WHERE s.badge = b.badge) AS badges_in_place,
	   (SELECT count(*) FROM staff s JOIN before b USING (id) WHERE (s.note IS NULL) <> (b.note IS NULL)) AS nulls_moved,
	   (SELECT count(*) FROM staff s JOIN before b USING (id) WHERE s.note = b.note) AS notes_in_place;
SELECT id, hired FROM staff WHERE id <= 3 ORDER BY id;
SELECT count(*) FILTER (WHERE s.hired = date_trunc('year', b.hired)::date) AS hired_to_year, count(*) AS total
FROM staff s JOIN before b USING (id);
-- the permutation is keyed: the same seed and values give the same result
CREATE TABLE staff_copy AS SELECT * FROM before;
ALTER TABLE staff_copy ADD PRIMARY KEY (id);
SELECT seedkit_flag('staff_copy', 'salary', 'shuffle');
SELECT table_name, rows FROM seedkit_anonymise('{staff_copy}');
SELECT count(*) AS same_as_first_run FROM staff s JOIN staff_copy c USING (id) WHERE s.salary = c.salary;
SET seedkit.seed = 'regress-frequencies-2';
UPDATE staff_copy c SET salary = b.salary FROM before b WHERE b.id = c.id;
SELECT table_name, rows FROM seedkit_anonymise('{staff_copy}');
SELECT count(*) < 40 AS other_seed_other_permutation FROM staff s JOIN staff_copy c USING (id) WHERE s.salary = c.salary;
RESET seedkit.seed;
SET seedkit.seed = 'regress-frequencies';

-- shuffle works in place only
SELECT seedkit_fake('shuffle', 42);
SELECT seedkit_snapshot('staff');
SELECT * FROM seedkit_anonymise('{staff}', triggers => true);

-- generalize on each type
SET TimeZone = 'America/New_York';
SELECT seedkit_fake('generalize', date '2024-07-19') AS date_month,
	   seedkit_fake('generalize', date '2024-07-19', '{"to": "year"}') AS date_year,
	   seedkit_fake('generalize', timestamp '2024-07-19 13:45:12') AS ts_month,
	   seedkit_fake('generalize', timestamptz '2024-11-19 13:45:12-05', '{"to": "month"}') AS tstz_month,
	   seedkit_fake('generalize', date 'infinity') AS inf;
RESET TimeZone;
SELECT seedkit_fake('generalize', 37) AS int_37, seedkit_fake('generalize', -3) AS int_minus_3,
	   seedkit_fake('generalize', 1234::smallint, '{"step": 100}') AS smallint_step100,
	   seedkit_fake('generalize', '-32768'::smallint, '{"step": 10}') AS smallint_min,
	   seedkit_fake('generalize', 9223372036854775807::bigint, '{"step": 1000}') AS bigint_max,
	   seedkit_fake('generalize', 1234.567::numeric, '{"step": 0.5}') AS numeric_half,
	   seedkit_fake('generalize', 87.5::numeric(5, 1), '{"step": 25}') AS numeric_typmod,
	   seedkit_fake('generalize', 2.75::float8, '{"step": 0.5}') AS float8_half;
SELECT seedkit_fake('generalize', 'text'::text);
SELECT seedkit_fake('generalize', 5, '{"step": 0}');
SELECT seedkit_fake('generalize', current_date, '{"to": "week"}');

DROP SCHEMA anon_freq CASCADE;
