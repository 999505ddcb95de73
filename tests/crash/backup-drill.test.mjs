// backup-drill.test.mjs — backup and restore drill (docs/reliability.md).
//
// While citizens send petitions at full speed, `danvan backup FILE` runs
// against the live database.  The drill then restores FILE and FILE.intake
// (the intake log: submissions acknowledged but not yet built into cases)
// the way docs/admin.md says (the copies become danvan.db and
// danvan.db.intake in an empty directory, `danvan check` must pass, the
// server starts on them) and checks that:
//   - the copy passes `danvan check` (integrity, foreign keys, audit chain);
//   - once the rows of its intake log are built (`danvan jobs run-once`, as
//     the server does at start), it holds every petition acknowledged before
//     the backup started, whole and with the text sent; none is
//     half-written; what it holds beyond those was acknowledged during the
//     backup or was in flight;
//   - the restored server shows an acknowledged petition on its tracking
//     page, and takes new submissions;
//   - the live database, after a clean stop, holds every acknowledged one.
// (tests/http/backup.test.mjs does the same for a stream of API renames.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, copyFixture, tempDir, cli, sqliteValue } from '../http/lib/server.mjs';
import { flood, storedPetitions, missingAcked, request, nextIp } from './petitions.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('backup and restore drill under a stream of public submissions', { timeout: 10 * 60 * 1000 }, async (t) => {
	const dir = tempDir('danvan-drill-');
	const db = await copyFixture(dir);
	const rules = await cli(['deadline', 'rules'], { db });
	assert.equal(rules.status, 0, rules.stderr);
	const firstId = Number(sqliteValue(db, 'SELECT coalesce(max(id), 0) FROM cases'));
	const srv = await startServer({ db, dir });
	const file = path.join(tempDir('danvan-drill-backup-'), 'danvan-backup.db');

	let stop = false, backupStart = 0, backupEnd = 0, backup;
	const acked = [];
	let load;
	try {
		load = flood(srv.base, { citizens: 6, prefix: `D${Date.now().toString(36)}`, shouldStop: () => stop, onAck: (a) => acked.push(a) });
		// Let the stream run, then back up in the middle of it.
		for (let i = 0; i < 400 && acked.length < 60; i++) await sleep(10);
		assert.ok(acked.length > 0, 'no petition acknowledged before the backup: the load did not run');
		backupStart = performance.now();
		backup = await cli(['backup', file], { db });
		backupEnd = performance.now();
		// Keep writing a little after it, then stop.
		const n = acked.length;
		for (let i = 0; i < 200 && acked.length < n + 20; i++) await sleep(10);
		stop = true;
		const res = await load;
		assert.deepEqual(res.refused.slice(0, 5), [], 'submissions refused');
		assert.deepEqual(res.unknown, [], 'submissions without an answer from a running server');
		await srv.stop();
	} catch (e) {
		stop = true;
		await load?.catch(() => {});
		await srv.kill();
		throw e;
	}
	assert.equal(backup.status, 0, `danvan backup:\n${backup.stdout}${backup.stderr}`);
	assert.match(backup.stdout, /backup written/);
	assert.ok(!fs.existsSync(`${file}.tmp`), 'the temporary copy was left behind');
	assert.ok(fs.existsSync(`${file}.intake`), 'the intake log was not copied');

	const before = acked.filter((a) => a.at < backupStart);
	const during = acked.filter((a) => a.at >= backupStart && a.at <= backupEnd);
	const after = acked.filter((a) => a.at > backupEnd);
	assert.ok(after.length > 0, 'no submission after the backup: the drill proves little');

	// The copy on its own, restored as docs/admin.md says: both files.
	const rdir = tempDir('danvan-drill-restore-');
	const restored = path.join(rdir, 'danvan.db');
	fs.copyFileSync(file, restored);
	fs.copyFileSync(`${file}.intake`, `${restored}.intake`);
	for (const sfx of ['-wal', '-shm', '.intake-wal', '.intake-shm'])
		assert.ok(!fs.existsSync(restored + sfx));
	const check = await cli(['check'], { db: restored });
	assert.equal(check.status, 0, `danvan check of the backup:\n${check.stdout}${check.stderr}`);
	assert.match(check.stdout, /database integrity: ok[\s\S]*audit chain: ok[\s\S]*intake log: ok/);
	const built = await cli(['jobs', 'run-once'], { db: restored });
	assert.equal(built.status, 0, `danvan jobs run-once on the backup:\n${built.stdout}${built.stderr}`);
	const inLog = Number((/cases built from the intake log: (\d+)/.exec(built.stdout) || [])[1]);
	assert.ok(inLog >= 0, built.stdout);
	const copy = storedPetitions(restored, firstId);
	assert.deepEqual(copy.problems.slice(0, 20), [], 'the backup holds broken petitions');
	const missing = missingAcked(before, copy.byMarker);
	assert.deepEqual(missing.slice(0, 20), [], `${missing.length} of ${before.length} petitions acknowledged before the backup are not in it`);
	const known = new Set([...before, ...during].map((a) => a.marker));
	const inCopyLater = [...copy.byMarker.keys()].filter((m) => !known.has(m));
	// A petition committed just before the snapshot may have its answer
	// arrive after the backup ended; it must be one that was acknowledged.
	const ackedAll = new Map(acked.map((a) => [a.marker, a]));
	for (const m of inCopyLater)
		assert.ok(ackedAll.has(m), `the backup holds petition ${m}, never acknowledged`);

	// The live database holds everything.
	const live = storedPetitions(db, firstId);
	assert.deepEqual(live.problems.slice(0, 20), []);
	assert.deepEqual(missingAcked(acked, live.byMarker).slice(0, 20), []);
	const liveCheck = await cli(['check'], { db });
	assert.equal(liveCheck.status, 0, liveCheck.stderr);

	const rcheck = await cli(['check'], { db: restored });
	assert.equal(rcheck.status, 0, `danvan check of the restored database:\n${rcheck.stdout}${rcheck.stderr}`);
	assert.match(rcheck.stdout, /intake log: ok \(0 waiting/);
	const rsrv = await startServer({ db: restored, dir: rdir });
	try {
		const sample = before[Math.floor(before.length / 2)];
		const page = await request(rsrv.base, { path: `/tra-cuu/${sample.code}`, localAddress: nextIp() });
		assert.equal(page.status, 200, `tracking page of ${sample.code} on the restored server`);
		assert.ok(page.text.includes(`<code class="code">${sample.code}</code>`), 'the restored tracking page lacks the petition');
		let stopR = false;
		const more = await flood(rsrv.base, {
			citizens: 1, prefix: 'R', shouldStop: () => stopR,
			onAck: () => { stopR = true; },
		});
		assert.equal(more.acked.length, 1, 'the restored server does not take a new petition');
	} finally {
		await rsrv.stop();
	}

	const summary = `backup drill: ${acked.length} petitions acknowledged (${before.length} before the backup, ` +
		`${during.length} during it, ${after.length} after); the backup holds ${copy.byMarker.size} ` +
		`(${inLog} of them built from its intake log), ` +
		`all ${before.length} from before it, none half-written; check ok; restored server ok; ` +
		`backup took ${Math.round(backupEnd - backupStart)} ms`;
	t.diagnostic(summary);
	console.log(summary);
});
