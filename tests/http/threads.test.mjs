// threads.test.mjs — the server's threads as `top -H` shows them: eight
// request workers per core by default (a worker waiting for a citizen's
// durable commit holds its connections); the jobs worker below the
// requests' CPU priority (nice 10); the intake builder at theirs, because
// it holds the main database's write lock while it builds and a lower
// priority made staff writes wait seconds behind it on a saturated CPU
// (docs/internals/cases.md).  Read from /proc (Linux, the only platform).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { startServer } from './lib/server.mjs';

let srv;

// jobs on (the suite's default is off), on a long timer: only the thread matters
before(async () => { srv = await startServer({ env: { DANVAN_JOBS_INTERVAL: '3600' } }); });
after(async () => { await srv?.stop(); });

/** name → [nice of each thread with that name] */
function threadsOf(pid) {
	const out = new Map();
	for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
		} catch {
			continue; // the thread ended between the two reads
		}
		// "tid (comm) state ..." — comm may hold spaces; fields after ')' start at state (3)
		const close = stat.lastIndexOf(')');
		const name = stat.slice(stat.indexOf('(') + 1, close);
		const nice = Number(stat.slice(close + 2).split(' ')[16]); // field 19
		if (!out.has(name)) out.set(name, []);
		out.get(name).push(nice);
	}
	return out;
}

test('eight request workers per core and the builder at their priority, the jobs worker below', async () => {
	// wait until the background threads have started and set their priority
	const want = (t) => {
		const base = t.get('danvan')?.[0] ?? 0;
		return { base, intake: base, jobs: Math.max(base, 10) };
	};
	let t;
	const deadline = Date.now() + 10000;
	for (;;) {
		t = threadsOf(srv.proc.pid);
		const w = want(t);
		if ((t.get('dv-intake')?.[0] === w.intake && t.get('dv-jobs')?.[0] === w.jobs) || Date.now() > deadline) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	// sysconf(_SC_NPROCESSORS_ONLN), as the server counts them
	const cores = os.cpus().length || 1;
	const workers = t.get('MHD-worker') || [];
	assert.equal(workers.length, Math.min(8 * cores, 64), `request workers: ${[...t.keys()].join(', ')}`);
	// the requests run at the process's own priority (that of its main thread)
	const { base } = want(t);
	assert.ok(workers.every((n) => n === base), `workers' nice ${workers} vs the process's ${base}`);
	// the builder as they are; the jobs worker lowered to 10, unless the
	// server was started lower already
	assert.deepEqual(t.get('dv-intake'), [base]);
	assert.deepEqual(t.get('dv-jobs'), [Math.max(base, 10)]);
});
