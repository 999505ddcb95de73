// backup.test.mjs — `danvan backup` while the server is writing: the copy
// passes `danvan check` and holds every write acknowledged before the
// backup started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startServer, Client, cli, makeToken, sqlite, sqliteValue, vnIsoDate, SLOW } from './lib/server.mjs';

test('backup during a stream of API renames: consistent, complete up to its start', async (t) => {
	const srv = await startServer();
	let writers = [], stop = false;
	try {
		const token = await makeToken(srv.db, 'admin');
		const ids = sqlite(srv.db, "SELECT id FROM org WHERE code LIKE 'c%-front' ORDER BY id LIMIT 3000").map((r) => Number(r[0]));
		assert.ok(ids.length > 500);
		const validFrom = vnIsoDate();
		const acked = []; // {id, name, at}
		let next = 0;
		const failures = [];
		const writer = async (w) => {
			const c = new Client(srv.base);
			while (!stop && next < ids.length && failures.length === 0) {
				const id = ids[next++];
				const name = `Ủy ban Mặt trận (sao lưu ${w}-${id})`;
				let res;
				try {
					res = await c.post(`/api/v1/orgs/${id}/rename`, {
						bearer: token,
						json: { name, short_name: 'MTTQ', valid_from: validFrom },
					});
				} catch (e) {
					failures.push(`${id}: ${e.message}`);
					break;
				}
				if (res.status !== 200) {
					failures.push(`${id}: ${res.status} ${res.text.slice(0, 200)}`);
					break;
				}
				acked.push({ id, name, at: performance.now() });
			}
		};
		writers = [0, 1, 2, 3].map(writer);
		/* Let the stream run, then back up in the middle of it. */
		while (acked.length < 40 && failures.length === 0 && next < ids.length)
			await new Promise((r) => setTimeout(r, 5));
		assert.deepEqual(failures, []);
		const file = path.join(srv.dir, 'copy.db');
		const startedAt = performance.now();
		const ackedBefore = acked.filter((a) => a.at < startedAt);
		const backup = await cli(['backup', file], { db: srv.db });
		const endedAt = performance.now();
		const during = acked.filter((a) => a.at >= startedAt && a.at <= endedAt).length;
		/* Keep writing a little after, then stop the stream. */
		await new Promise((r) => setTimeout(r, 100));
		stop = true;
		await Promise.all(writers);
		assert.equal(backup.status, 0, backup.stderr);
		assert.match(backup.stdout, /backup written/);
		assert.deepEqual(failures, []);
		assert.ok(acked.length > ackedBefore.length, 'no write after the backup started: the test proves little');
		assert.ok(!fs.existsSync(`${file}.tmp`), 'the temporary file was left behind');

		const check = await cli(['check'], { db: file });
		assert.equal(check.status, 0, `check of the backup:\n${check.stdout}${check.stderr}`);

		const names = new Map(sqlite(file,
			`SELECT org_id, name FROM org_name WHERE valid_from = '${validFrom}'`).map(([id, n]) => [Number(id), n]));
		const missing = ackedBefore.filter((a) => names.get(a.id) !== a.name);
		assert.deepEqual(missing, [], `${missing.length} of ${ackedBefore.length} acknowledged renames missing from the backup`);
		/* Each rename in the copy has its audit entry (same transaction). */
		const audited = Number(sqliteValue(file, `SELECT count(*) FROM audit WHERE action = 'org.rename' AND detail LIKE '%(sao lưu %'`));
		assert.equal(audited, names.size);
		/* The live database has them all. */
		await srv.stop({ keep: true });
		const live = Number(sqliteValue(srv.db, `SELECT count(*) FROM org_name WHERE valid_from = '${validFrom}' AND name LIKE '%(sao lưu %'`));
		assert.equal(live, acked.length);
		const liveCheck = await cli(['check'], { db: srv.db });
		assert.equal(liveCheck.status, 0, liveCheck.stderr);
		t.diagnostic(`renames: ${ackedBefore.length} before, ${during} during, ${acked.length} in all`);
	} finally {
		stop = true;
		await Promise.allSettled(writers);
		await srv.kill();
	}
});

test('backup refuses a path it cannot write, leaving nothing behind', async () => {
	const srv = await startServer();
	try {
		/* The parent "directory" is a regular file: nothing can be created there. */
		const r = await cli(['backup', path.join(srv.db, 'copy.db')], { db: srv.db });
		assert.notEqual(r.status, 0);
		assert.notEqual(r.stderr, '');
		assert.deepEqual(fs.readdirSync(srv.dir).filter((f) => f.includes('copy')), []);
		assert.equal((await new Client(srv.base).get('/healthz')).status, 200);
		await srv.stop({ keep: true });
	} finally {
		await srv.kill();
	}
});

test('backup of a database that does not exist fails', async () => {
	const srv = await startServer();
	try {
		const r = await cli(['backup', path.join(srv.dir, 'x.db')], { db: path.join(srv.dir, 'missing.db'), timeout: 30000 * SLOW });
		assert.notEqual(r.status, 0);
		assert.ok(!fs.existsSync(path.join(srv.dir, 'missing.db')));
		await srv.stop({ keep: true });
	} finally {
		await srv.kill();
	}
});
