// test/clients/node/bookstore.test.js: seedkit_restore() as the per-test
// setup of a node:test suite, through node-postgres (the `pg` package).
//
// The fixture document is loaded once with seedkit_load(); beforeEach puts
// it back with seedkit_restore() (every stored snapshot, replace mode), so
// each test starts from the same rows with the same keys whatever the test
// before it did. Run by test/clients/run, which creates the database (the
// bookstore schema, empty, and CREATE EXTENSION seedkit) and sets PGHOST,
// PGPORT, PGUSER and PGDATABASE.
'use strict';

const { describe, test, before, beforeEach, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const pg = require('pg');

const fixturePath = path.join(__dirname, '..', 'fixtures', 'bookstore.json');
const fixture = fs.readFileSync(fixturePath, 'utf8');
const doc = JSON.parse(fixture);
const expected = Object.fromEntries(doc.tables.map((t) => [t.table, t.rows.length]));
const fixtureRows = Object.values(expected).reduce((a, b) => a + b, 0);
const rowsOf = (table) => doc.tables.find((t) => t.table === table).rows;

const client = new pg.Client();
const setupMs = [];

// Row counts of every table of the fixture, as { 'shop.books': 62, ... }.
async function counts(c = client) {
	const out = {};
	for (const table of Object.keys(expected)) {
		const { rows } = await c.query(`SELECT count(*)::int AS n FROM ${table}`);
		out[table] = rows[0].n;
	}
	return out;
}

describe('bookstore fixture restored before each test', () => {
	before(async () => {
		await client.connect();
		const { rows } = await client.query('SELECT seedkit_load($1::json) AS name', [fixture]);
		assert.equal(rows[0].name, 'bookstore');
	});

	// The pattern: one call puts every stored snapshot back.
	beforeEach(async () => {
		const t0 = process.hrtime.bigint();
		await client.query('SELECT seedkit_restore()');
		setupMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
	});

	after(async () => {
		await client.end();
		const sorted = [...setupMs].sort((a, b) => a - b);
		const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
		const line = `setup: seedkit_restore() median ${median.toFixed(1)} ms over ${sorted.length} tests ` +
			`(fixture ${fixtureRows} rows in ${doc.tables.length} tables)`;
		console.log(line);
		// test/clients/run prints it from here, whatever the runner does with stdout
		if (process.env.SEEDKIT_SETUP_REPORT) {
			fs.writeFileSync(process.env.SEEDKIT_SETUP_REPORT, line + '\n');
		}
	});

	test('seedkit_restore() reports every table of the fixture with its row count', async () => {
		const { rows } = await client.query(
			'SELECT table_name::text AS t, rows::int AS n FROM seedkit_restore() ORDER BY 1');
		const got = Object.fromEntries(rows.map((r) => [r.t, r.n]));
		assert.deepEqual(got, expected);
	});

	test('every table holds exactly the fixture rows', async () => {
		assert.deepEqual(await counts(), expected);
	});

	test('surrogate keys are 1..n after a replace restore', async () => {
		for (const [table, key] of [['shop.books', 'book_id'], ['shop.authors', 'author_id'],
			['shop.customers', 'customer_id'], ['shop.orders', 'order_id'],
			['shop.reviews', 'review_id'], ['shop.price_offers', 'price_offer_id']]) {
			const { rows } = await client.query(
				`SELECT min(${key})::int AS lo, max(${key})::int AS hi, count(DISTINCT ${key})::int AS n FROM ${table}`);
			assert.deepEqual(rows[0], { lo: 1, hi: expected[table], n: expected[table] }, table);
		}
	});

	test('values and references are the fixture\'s', async () => {
		const { rows } = await client.query(
			'SELECT author_id::int, name, email FROM shop.authors ORDER BY author_id');
		assert.deepEqual(rows.map((r) => [r.author_id, r.name, r.email]), rowsOf('shop.authors'));
		const book = await client.query(
			`SELECT title, price::text AS price, published_on::text AS published_on
			   FROM shop.books WHERE book_id = 1`);
		const cols = doc.tables.find((t) => t.table === 'shop.books').columns;
		const first = rowsOf('shop.books')[0];
		assert.deepEqual(book.rows[0], {
			title: first[cols.indexOf('title')],
			price: first[cols.indexOf('price')],
			published_on: first[cols.indexOf('published_on')],
		});
		const ba = await client.query(
			`SELECT array_agg(author_id::int ORDER BY author_id) AS a FROM shop.book_authors WHERE book_id = 1`);
		const baCols = doc.tables.find((t) => t.table === 'shop.book_authors').columns;
		const want = rowsOf('shop.book_authors')
			.filter((r) => r[baCols.indexOf('book_id')] === 1)
			.map((r) => r[baCols.indexOf('author_id')]).sort((a, b) => a - b);
		assert.deepEqual(ba.rows[0].a, want);
	});

	test('a test that deletes rows (1/2)', async () => {
		assert.deepEqual(await counts(), expected);
		await client.query('DELETE FROM shop.line_items');
		await client.query('DELETE FROM shop.books WHERE book_id <= 10');
		const c = await counts();
		assert.equal(c['shop.line_items'], 0);
		assert.equal(c['shop.books'], expected['shop.books'] - 10);
		assert.ok(c['shop.reviews'] < expected['shop.reviews'], 'reviews cascade');
	});

	test('the next test has the deleted rows back (2/2)', async () => {
		assert.deepEqual(await counts(), expected);
	});

	test('a test that updates rows (1/2)', async () => {
		const res = await client.query(
			`UPDATE shop.authors SET name = 'changed', email = 'changed' || author_id || '@example.net'`);
		assert.equal(res.rowCount, expected['shop.authors']);
		await client.query('UPDATE shop.books SET price = 0');
	});

	test('the next test sees the original values (2/2)', async () => {
		const { rows } = await client.query(
			'SELECT author_id::int, name, email FROM shop.authors ORDER BY author_id');
		assert.deepEqual(rows.map((r) => [r.author_id, r.name, r.email]), rowsOf('shop.authors'));
		const zero = await client.query('SELECT count(*)::int AS n FROM shop.books WHERE price = 0');
		assert.equal(zero.rows[0].n, 0);
	});

	test('a plain INSERT after restore takes the next key (1/2)', async () => {
		const n = expected['shop.books'];
		const book = await client.query(
			`INSERT INTO shop.books (title, price) VALUES ('New book', 12.50) RETURNING book_id::int`);
		assert.equal(book.rows[0].book_id, n + 1);
		const review = await client.query(
			`INSERT INTO shop.reviews (book_id, voter_name, num_stars) VALUES ($1, 'me', 5) RETURNING review_id::int`,
			[n + 1]);
		assert.equal(review.rows[0].review_id, expected['shop.reviews'] + 1);
		const cust = await client.query(
			`INSERT INTO shop.customers (first_name, email) VALUES ('New', 'new@example.com') RETURNING customer_id::int`);
		assert.equal(cust.rows[0].customer_id, expected['shop.customers'] + 1);
		await client.query(`INSERT INTO shop.orders (customer_id, placed_at) VALUES ($1, now())`,
			[cust.rows[0].customer_id]);
	});

	test('the next test gets the same key again (2/2)', async () => {
		const n = expected['shop.books'];
		const gone = await client.query('SELECT count(*)::int AS n FROM shop.books WHERE book_id > $1', [n]);
		assert.equal(gone.rows[0].n, 0);
		const book = await client.query(
			`INSERT INTO shop.books (title, price) VALUES ('New book', 12.50) RETURNING book_id::int`);
		assert.equal(book.rows[0].book_id, n + 1);
	});

	test('the document passed as a parameter restores in append mode with fresh keys', async () => {
		// a second copy: fresh surrogate keys; the unique emails overridden
		const overrides = { 'shop.authors': { email: null }, 'shop.customers': { email: null } };
		const { rows } = await client.query(
			`SELECT table_name::text AS t, rows::int AS n
			   FROM seedkit_restore($1::json, mode => 'append', overrides => $2::jsonb) ORDER BY 1`,
			[fixture, JSON.stringify(overrides)]);
		assert.deepEqual(Object.fromEntries(rows.map((r) => [r.t, r.n])), expected);
		const c = await counts();
		for (const table of Object.keys(expected)) {
			assert.equal(c[table], 2 * expected[table], table);
		}
		// the copy's rows reference the copy's parents, never the first copy's
		const n = expected['shop.books'];
		const mixed = await client.query(
			`SELECT count(*)::int AS n FROM shop.book_authors
			  WHERE (book_id > $1) <> (author_id > $2)`, [n, expected['shop.authors']]);
		assert.equal(mixed.rows[0].n, 0);
		const emails = await client.query(
			'SELECT count(*)::int AS n FROM shop.customers WHERE customer_id > $1 AND email IS NOT NULL',
			[expected['shop.customers']]);
		assert.equal(emails.rows[0].n, 0);
	});

	test('another connection (the application\'s pool) sees the restored rows', async () => {
		const pool = new pg.Pool({ max: 2 });
		try {
			assert.deepEqual(await counts(pool), expected);
		} finally {
			await pool.end();
		}
	});
});
