// test/clients/node/workers/suite.js: parallel test workers (issue 12) with
// node's test runner, one database per worker.  Each worker_N.test.js file
// runs in a process of its own (node --test --test-concurrency=4) and calls
// this with its number: it creates its database from the template (schema
// and stored fixtures) with CREATE DATABASE ... TEMPLATE, resets it with
// seedkit_restore() before every test, and asserts that it never sees
// another worker's rows nor its own from an earlier test.
'use strict';

const { describe, test, before, beforeEach, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const pg = require('pg');

module.exports = function worker(n) {
	const template = process.env.SEEDKIT_TEMPLATE_DB || 'seedkit_clients_template';
	const dbname = `${template}_node_${n}`;
	const admin = new pg.Client({ database: 'postgres' });
	const client = new pg.Client({ database: dbname });
	const setupMs = [];
	const one = async (c, sql, args) => Object.values((await c.query(sql, args)).rows[0])[0];

	describe(`worker ${n}`, () => {
		before(async () => {
			await admin.connect();
			await admin.query(`DROP DATABASE IF EXISTS "${dbname}"`);
			await admin.query(`CREATE DATABASE "${dbname}" TEMPLATE "${template}"`);
			await client.connect();
		});

		// The pattern: each worker resets its own database before each test.
		beforeEach(async () => {
			const t0 = process.hrtime.bigint();
			await client.query('SELECT seedkit_restore()');
			setupMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
		});

		after(async () => {
			await client.end();
			await admin.query(`DROP DATABASE "${dbname}"`);
			await admin.end();
			const rest = setupMs.slice(1).sort((a, b) => a - b);
			const median = rest.length ? rest[Math.floor((rest.length - 1) / 2)] : NaN;
			const line = `setup: ${dbname}: seedkit_restore() first ${setupMs[0].toFixed(1)} ms, ` +
				`then median ${median.toFixed(2)} ms over ${setupMs.length} tests`;
			console.log(line);
			if (process.env.SEEDKIT_SETUP_REPORT) {
				fs.appendFileSync(process.env.SEEDKIT_SETUP_REPORT, line + '\n');
			}
		});

		for (let k = 0; k < 6; k++) {
			test(`case ${k}: only this worker's rows, none from an earlier test`, async () => {
				assert.equal(await one(client, 'SELECT current_database()'), dbname);
				assert.equal(await one(client,
					"SELECT count(*)::int FROM shop.reviews WHERE voter_name LIKE 'worker:%'"), 0);
				const reviews = await one(client, 'SELECT count(*)::int FROM shop.reviews');
				const tag = `worker:${n}:${k}`;
				// odd cases: written by another connection, as the application would
				let writer = client;
				if (k % 2) {
					writer = new pg.Client({ database: dbname });
					await writer.connect();
				}
				await writer.query(
					'INSERT INTO shop.reviews (book_id, voter_name, num_stars) VALUES (1, $1, 5)', [tag]);
				await writer.query('UPDATE shop.books SET title = $1 WHERE book_id = 1', [tag]);
				if (writer !== client) {
					await writer.end();
				}
				await new Promise((r) => setTimeout(r, 20));
				assert.equal(await one(client, 'SELECT count(*)::int FROM shop.reviews'), reviews + 1);
				assert.equal(await one(client,
					"SELECT count(*)::int FROM shop.reviews WHERE voter_name LIKE 'worker:%' AND voter_name <> $1",
					[tag]), 0);
				assert.equal(await one(client, 'SELECT title FROM shop.books WHERE book_id = 1'), tag);
			});
		}
	});
};
