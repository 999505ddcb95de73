// crash.test.mjs — crash durability (docs/reliability.md, "Crash durability").
//
// Citizens send petitions to POST /gui-don at full speed; 50–400 ms after
// the first one leaves, the server gets SIGKILL.  It is restarted on the same
// database, and then:
//   - every petition whose 303 with its tracking code reached the citizen
//     is stored once, under that code, with exactly the text sent;
//   - no petition is half-written: each stored case has its intake event,
//     its search row, its first deadline, its receipt e-mail and its audit
//     entry (one transaction), and no such row exists without its case;
//   - a petition stored without an answer (in flight at the kill) is one
//     that was sent, and is whole too;
//   - `danvan check` passes (integrity, foreign keys, audit chain).
// CRASH_KILLS times (default 20); a last start ends with SIGTERM (status 0)
// and `danvan check` on the closed database.
//
// SIGKILL ends the process, not the machine: what the kernel has been
// given survives, so this proves that an answer is sent only after the
// commit and that a commit is all-or-nothing — not that fsync reaches the
// disk (synchronous=FULL is set for that; a power cut is not simulated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, copyFixture, tempDir, cli, sqliteValue } from '../http/lib/server.mjs';
import { flood, storedPetitions, missingAcked, request, nextIp } from './petitions.mjs';

const KILLS = Math.max(1, Number(process.env.CRASH_KILLS || 20));
const CITIZENS = Math.max(1, Number(process.env.CRASH_CITIZENS || 6));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test(`crash durability: ${KILLS} × SIGKILL during public submissions`, { timeout: 30 * 60 * 1000 }, async (t) => {
	const dir = tempDir('danvan-crash-');
	const db = await copyFixture(dir);
	const rules = await cli(['deadline', 'rules'], { db });
	assert.equal(rules.status, 0, rules.stderr);
	const firstId = Number(sqliteValue(db, 'SELECT coalesce(max(id), 0) FROM cases'));

	const acked = [];        // every acknowledged petition so far
	const sent = new Set();  // every marker that left without an answer
	let unanswered = 0, killedAt = [];
	const started = Date.now();

	/* After a (re)start: everything acknowledged is there and whole. */
	const verify = async (what) => {
		const { byMarker, problems } = storedPetitions(db, firstId);
		problems.push(...missingAcked(acked, byMarker));
		const ackedSet = new Set(acked.map((a) => a.marker));
		for (const m of byMarker.keys())
			if (!ackedSet.has(m) && !sent.has(m))
				problems.push(`petition ${m} is stored but was never sent`);
		const check = await cli(['check'], { db });
		if (check.status !== 0)
			problems.push(`danvan check failed:\n${check.stdout}${check.stderr}`);
		assert.deepEqual(problems.slice(0, 20), [], `${what}: ${problems.length} problem(s)`);
		return byMarker;
	};

	for (let k = 1; k <= KILLS; k++) {
		const srv = await startServer({ db, dir });
		try {
			await verify(`after restart ${k - 1}`);
			// The server answers at once after recovery.
			const health = await request(srv.base, { path: '/healthz', localAddress: nextIp() });
			assert.equal(health.status, 200);

			// The kill comes 50–400 ms after the first petition leaves.
			let stop = false, posting;
			const firstPost = new Promise((r) => { posting = r; });
			const load = flood(srv.base, {
				citizens: CITIZENS, prefix: `K${k}x${Date.now().toString(36)}`, shouldStop: () => stop,
				onFirstPost: posting,
			});
			await Promise.race([firstPost, sleep(10000)]);
			const delay = 50 + Math.floor(Math.random() * 351);
			await sleep(delay);
			srv.proc.kill('SIGKILL');
			const ended = await srv.exited;
			stop = true;
			const res = await load;
			assert.equal(ended.signal, 'SIGKILL', `the server was not killed but ended with ${JSON.stringify(ended)}:\n${srv.stderr().slice(-2000)}`);
			assert.deepEqual(res.refused.slice(0, 5), [], 'submissions refused (the form or the rate limit is wrong)');
			acked.push(...res.acked);
			for (const m of res.unknown) sent.add(m);
			unanswered += res.unknown.length;
			killedAt.push(`${delay} ms/${res.acked.length}`);
		} catch (e) {
			await srv.kill();
			throw e;
		}
	}

	// The last start: verify, then a clean stop and the check on the closed file.
	const srv = await startServer({ db, dir });
	const byMarker = await verify(`after restart ${KILLS}`);
	await srv.stop();
	const check = await cli(['check'], { db });
	assert.equal(check.status, 0, `danvan check after the clean stop:\n${check.stdout}${check.stderr}`);

	const storedUnanswered = [...byMarker.keys()].filter((m) => sent.has(m)).length;
	const secs = Math.round((Date.now() - started) / 1000);
	assert.ok(acked.length >= KILLS, `only ${acked.length} petitions acknowledged in ${KILLS} runs: the load did not run`);
	t.diagnostic(`kills (delay/acknowledged): ${killedAt.join(' ')}`);
	const summary = `crash durability: ${KILLS} kills survived; ${acked.length} petitions acknowledged, ` +
		`${acked.length} found intact after restarts; ${unanswered} in flight at a kill ` +
		`(${storedUnanswered} of them stored whole, ${unanswered - storedUnanswered} not stored); ` +
		`${byMarker.size} stored in all, none half-written; ${secs} s`;
	t.diagnostic(summary);
	console.log(summary);
});
