// fault-pass.mjs — the fault-injection pass over a representative request
// script (docs/reliability.md, "Fault injection").
//
// build/faults/danvan (ASan+UBSan, -DDANVAN_FAULTS) reads at start:
//   DANVAN_FAULT_DB_NTH=N, DANVAN_FAULT_DB_RC=busy|io|full
//       the Nth database call after start-up fails (RC_BUSY, RC_IO, or
//       RC_DB "database or disk is full");
//   DANVAN_FAULT_WRITE_NTH=N
//       the Nth response is queued, then its socket is shut down, so the
//       send fails as on a vanished peer;
// and says at exit how many db calls and responses there were and whether
// each fault fired ("danvan-faults: …" on stderr, with the stack of the
// failed db call as offsets, symbolized here for the report;
// DANVAN_FAULT_TRACE=1 prints the stack of every call).
//
// The script (runScript) runs twice without faults, traced — the two runs
// must match — which gives the number of db calls T, the call path of
// each, and the number of responses R.  Then, each time against a fresh
// server on a fresh copy of the same database: for each kind (busy, io,
// full), the db fault at the first call of every distinct call path
// (FAULT_FULL=1: at every call 1 … T), then at T+1, where it must no
// longer fire; and the write fault for every response N = 1 … R+1.  After
// every run:
//   - each response before the fault is the normal one (the status and the
//     shape of the fault-free run's); the first that differs is a clean
//     error (503 for busy, 500 otherwise: the site's error page, or the
//     JSON error for API routes) — or, for the write fault, exactly the
//     response whose write failed, which the client sees as a reset, not a
//     hang; later requests (the script goes on, e.g. without a session) get
//     complete answers below 500.  A page that quietly lost a part (a
//     failed query taken for "no rows") is neither, and fails;
//   - SIGTERM stops the server at once with status 0 and no ASan/LSan/UBSan
//     report (a request left in flight would hold the stop for 10 s);
//   - `danvan check` passes on the database;
//   - the petition that got a tracking code is stored whole (case, intake
//     event, search row, first deadline, receipt, audit) and exactly as in
//     the fault-free run (due date under the calendar's exceptions,
//     repeat-detection key, links…); one that got an error left nothing;
//     the language change and the logout are in the database exactly when
//     they were answered with success.
// Faults that changed nothing the client or the database shows ("absorbed",
// e.g. the best-effort session touch) are listed with where they hit.
//
// Environment: DANVAN_BIN (build/faults/danvan), FAULT_FULL=1, FAULT_JOBS
// (parallel servers, default: cores, at most 4), FAULT_KINDS (default
// "busy,io,full,write").
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	BIN, DEMO_PASSWORD, Client, startServer, copyFixture, tempDir, removeTempDir, cli,
	makeToken, sqlite, sqliteValue, sq, extractCsrf, vnIsoDate,
} from '../http/lib/server.mjs';

const FULL = process.env.FAULT_FULL === '1';
const JOBS = Math.max(1, Number(process.env.FAULT_JOBS || Math.min(4, os.availableParallelism?.() || os.cpus().length)));
const KINDS = (process.env.FAULT_KINDS || 'busy,io,full,write').split(',');
const DB_KINDS = ['busy', 'io', 'full'];
const STAFF = 'c00004.reception';
const REQ_TIMEOUT = 15000;

const SAN_ENV = {
	ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1',
	UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};

// ---- the request script ------------------------------------------------------

/**
 * Run the script against `base`.  Returns the steps in order, each
 * {name, res} or {name, err, ms}.  Never throws on a failed request: a
 * step whose prerequisite failed is still sent (with what the client has),
 * as a browser would.
 */
async function runScript(base, token, marker) {
	const steps = [];
	const staff = new Client(base), citizen = new Client(base), robot = new Client(base);
	const step = async (name, fn) => {
		const t0 = Date.now();
		try {
			const res = await fn();
			steps.push({ name, res });
			return res;
		} catch (err) {
			steps.push({ name, err, ms: Date.now() - t0 });
			return undefined;
		}
	};
	const o = (extra = {}) => ({ timeout: REQ_TIMEOUT, ...extra });
	const csrfOf = (res) => (res && extractCsrf(res.text)) || '';

	await step('GET /', () => staff.get('/', o()));
	const lf = await step('GET /login', () => staff.get('/login', o()));
	await step('POST /login', () => staff.post('/login', o({
		form: { csrf: csrfOf(lf), login: STAFF, password: DEMO_PASSWORD },
	})));
	await step('GET /cases', () => staff.get('/cases', o()));
	await step('GET /api/v1/me', () => staff.get('/api/v1/me', o()));
	await step('GET /api/v1/cases (bearer)', () => robot.get('/api/v1/cases?limit=5', o({ bearer: token })));
	const form = await step('GET /gui-don', () => citizen.get('/gui-don', o()));
	const sent = await step('POST /gui-don', () => citizen.post('/gui-don', o({
		form: {
			csrf: csrfOf(form), kind: 'petition',
			title: `Kiến nghị sửa đường ${marker}`,
			content: `Đường liên thôn bị sụt lún sau mưa lớn, đề nghị sửa chữa. ${marker}`,
			commune: '00004', name: 'Nguyễn Văn Thử', phone: '0912345678',
			email: 'thu@example.vn',
		},
	})));
	if (sent?.status === 303 && sent.location)
		await step('GET /tra-cuu/…', () => citizen.get(sent.location, o()));
	const acct = await step('GET /account', () => staff.get('/account', o()));
	await step('POST /account/lang', () => staff.post('/account/lang', o({
		form: { csrf: csrfOf(acct), lang: 'en' },
	})));
	const acct2 = await step('GET /account (after)', () => staff.get('/account', o()));
	await step('POST /logout', () => staff.post('/logout', o({ form: { csrf: csrfOf(acct2) || csrfOf(acct) } })));
	return steps;
}

// ---- what a response looks like -------------------------------------------------

/* The shape of a response: what must not change between two fault-free
 * runs (random tokens, codes and times are left out). */
function shape(res) {
	const type = res.header('content-type') || '';
	let body;
	if (res.status >= 300 && res.status < 400)
		body = `-> ${(res.location || '').replace(/\/tra-cuu\/[^/?]+/, '/tra-cuu/CODE')}`;
	else if (/json/.test(type))
		body = jsonShape(JSON.parse(res.text));
	else if (/html/.test(type))
		body = [...res.text.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[0]).join(' ');
	else
		body = `${res.body.length} bytes`;
	return `${res.status} ${type.split(';')[0]} ${body}`;
}

function jsonShape(v) {
	if (Array.isArray(v)) return `[${v.map(jsonShape).join(',')}]`;
	if (v && typeof v === 'object')
		return `{${Object.keys(v).sort().map((k) => `${k}:${jsonShape(v[k])}`).join(',')}}`;
	return typeof v;
}

/* Where two shapes part: a little context before, and what follows. */
function shapeDiff(got, want) {
	const g = got.split(' '), w = want.split(' ');
	let i = 0;
	while (i < g.length && i < w.length && g[i] === w[i]) i++;
	const from = Math.max(0, i - 6);
	return `  got  …${g.slice(from, i + 14).join(' ')}${i + 14 < g.length ? ' …' : ''}  (${g.length} tokens)\n` +
		`  want …${w.slice(from, i + 14).join(' ')}${i + 14 < w.length ? ' …' : ''}  (${w.length} tokens)`;
}

/** A response is complete: a full HTML page, JSON that parses, or a redirect. */
function assertComplete(res, what) {
	const type = res.header('content-type') || '';
	const len = res.header('content-length');
	if (len !== undefined)
		assert.equal(res.body.length, Number(len), `${what}: body shorter than Content-Length`);
	if (res.status >= 300 && res.status < 400) {
		assert.ok(res.location, `${what}: redirect without Location`);
	} else if (/json/.test(type)) {
		assert.doesNotThrow(() => JSON.parse(res.text), `${what}: JSON does not parse`);
	} else if (/html/.test(type)) {
		assert.match(res.text, /<\/html>\s*$/, `${what}: HTML page cut short`);
	}
}

/** The site's error page, or the JSON error of an API route, with `status`. */
function assertCleanError(res, status, what) {
	assert.equal(res.status, status, `${what}: want a clean ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
	assertComplete(res, what);
	const type = res.header('content-type') || '';
	if (/json/.test(type)) {
		const j = JSON.parse(res.text);
		assert.equal(j.error?.status, status, `${what}: JSON error: ${res.text}`);
		assert.equal(typeof j.error.code, 'string');
		assert.equal(typeof j.error.message, 'string');
	} else {
		assert.match(type, /^text\/html/, `${what}: error page type ${type}`);
		assert.ok(res.text.includes(`<section class="error-page"><p class="code">${status}</p>`),
			`${what}: not the site's error page: ${res.text.slice(0, 400)}`);
		assert.ok(res.text.includes('class="site-footer"'), `${what}: error page without the site's frame`);
	}
	assert.equal(res.header('cache-control'), 'no-store', `${what}: an error page must not be cached`);
}

/* What the server said about the faults: at exit, the counts; when the db
 * fault fired, where the failed call came from. */
function faultReport(stderr) {
	const db = /danvan-faults: db calls=(\d+) fired=(\d)/.exec(stderr);
	const wr = /danvan-faults: responses=(\d+) write fired=(\d)/.exec(stderr);
	assert.ok(db && wr, `no fault report on stderr (is ${BIN} the faults build?):\n${stderr.slice(-2000)}`);
	const failed = /danvan-faults: db call (\d+) failed/.exec(stderr);
	const stacks = new Map(); // call number → its stack (offsets)
	for (const m of stderr.matchAll(/danvan-faults: stack (\d+) ((?:0x[0-9a-f]+ ?)*)/g))
		stacks.set(Number(m[1]), m[2].trim());
	const stack = failed ? stacks.get(Number(failed[1])) || '' : '';
	return {
		calls: Number(db[1]), dbFired: db[2] === '1', responses: Number(wr[1]), writeFired: wr[2] === '1',
		stacks, stack, where: () => faultWhere(stack),
	};
}

/* The faults build prints where a db call came from as offsets into the
 * executable ("danvan-faults: stack N 0x…"); turned into the project's
 * frames up to the dispatcher, e.g. "db_step ← ui_home (src/ui/site.c:56)". */
const whereCache = new Map();
function faultWhere(key) {
	if (!key) return '';
	if (whereCache.has(key)) return whereCache.get(key);
	// Return addresses: symbolize the call instruction before them.
	const addrs = key.split(' ').map((a) => `0x${(parseInt(a, 16) - 1).toString(16)}`);
	let frames = [];
	try {
		const out = execFileSync('llvm-symbolizer', ['--obj', BIN, ...addrs], { encoding: 'utf8' });
		const lines = out.split('\n');
		for (let i = 0; i + 1 < lines.length; i++) {
			if (lines[i] && /:\d+/.test(lines[i + 1])) {
				frames.push({ fn: lines[i], at: lines[i + 1].replace(/^.*?\/(src\/)/, '$1').replace(/:\d+$/, '') });
				i++;
			}
		}
	} catch {
		try {
			const out = execFileSync('addr2line', ['-f', '-e', BIN, ...addrs], { encoding: 'utf8' }).split('\n');
			for (let i = 0; i + 1 < out.length; i += 2)
				frames.push({ fn: out[i], at: out[i + 1].replace(/^.*?\/(src\/)/, '$1') });
		} catch {
			frames = [];
		}
	}
	const shown = [];
	for (const f of frames) {
		if (['fault_stack', 'fault_hit_counted'].includes(f.fn)) continue;
		if (['run_handler', 'dispatch_run', 'access_cb'].includes(f.fn)) break;
		shown.push(shown.length === 1 ? `${f.fn} (${f.at})` : f.fn);
		if (shown.length === 6) break;
	}
	const where = shown.join(' ← ') || key;
	whereCache.set(key, where);
	return where;
}

// ---- one run ---------------------------------------------------------------------

let template; // {db, token, maxCase, lang}

async function makeTemplate() {
	const dir = tempDir('danvan-faults-tpl-');
	const db = await copyFixture(dir);
	const r = await cli(['deadline', 'rules'], { db });
	assert.equal(r.status, 0, r.stderr);
	sqlite(db, `UPDATE user SET lang = 'vi' WHERE login = ${sq(STAFF)}`);
	// Days off from tomorrow on: a first deadline computed without the
	// calendar's exceptions (a failed lookup taken for "none") would differ.
	const off = [];
	for (let d = 1; d <= 12; d++)
		off.push(`(${sq(vnIsoDate(Date.now() + d * 86400000))}, 'off', 'fault pass')`);
	sqlite(db, `INSERT OR REPLACE INTO calendar_day (day, kind, name) VALUES ${off.join(', ')}`);
	const token = await makeToken(db, STAFF);
	const check = await cli(['check'], { db });
	assert.equal(check.status, 0, `the template database fails danvan check:\n${check.stderr}`);
	return { db, token, maxCase: Number(sqliteValue(db, 'SELECT coalesce(max(id), 0) FROM cases')) };
}

let runSeq = 0;

/**
 * One server life: fresh copy of the template, `env` faults, the script,
 * SIGTERM.  Returns {steps, report, stopMs, db, dir, marker}; the caller
 * checks and then removes `dir`.
 */
async function oneRun(env) {
	const dir = tempDir('danvan-faults-run-');
	const db = path.join(dir, 'danvan.db');
	fs.copyFileSync(template.db, db);
	const marker = `FP${process.pid}x${++runSeq}x${Date.now().toString(36)}`;
	const srv = await startServer({ db, dir, threads: 2, env: { ...SAN_ENV, ...env } });
	let steps;
	try {
		steps = await runScript(srv.base, template.token, marker);
	} catch (e) {
		await srv.kill();
		throw e;
	}
	const t0 = Date.now();
	await srv.stop(); // asserts status 0 and no sanitizer report
	const stopMs = Date.now() - t0;
	return { steps, report: faultReport(srv.stderr()), stopMs, db, dir, marker, stderr: srv.stderr() };
}

/* The database after a run, against what the client was told: a write
 * answered with its success redirect is stored, one answered with a 5xx is
 * not; a write whose answer was lost may be either, but never half. */
async function checkDatabase(run, what, wantPrint) {
	const check = await cli(['check'], { db: run.db });
	assert.equal(check.status, 0, `${what}: danvan check failed:\n${check.stdout}${check.stderr}`);

	const db = run.db;
	const byName = Object.fromEntries(run.steps.map((s) => [s.name, s]));
	const answer = (name, success) => {
		const s = byName[name];
		if (!s?.res) return 'lost';
		if (s.res.status >= 500) return 'error';
		return s.res.status === 303 && success.test(s.res.location || '') ? 'ok' : 'other';
	};
	// The petition.
	const rows = sqlite(db, `SELECT id, code, title, content FROM cases WHERE content LIKE ${sq(`%${run.marker}%`)}`);
	const newCases = Number(sqliteValue(db, `SELECT count(*) FROM cases WHERE id > ${template.maxCase}`));
	assert.equal(newCases, rows.length, `${what}: ${newCases} new case(s), ${rows.length} with the marker`);
	const sent = answer('POST /gui-don', /^\/tra-cuu\/[^/?]+\?moi=1/);
	if (sent === 'ok') {
		const code = /\/tra-cuu\/([^/?]+)/.exec(byName['POST /gui-don'].res.location)[1];
		assert.equal(rows.length, 1, `${what}: acknowledged petition ${code} is not in the database`);
		assert.equal(rows[0][1], code, `${what}: stored code differs from the one given`);
		assert.equal(rows[0][2], `Kiến nghị sửa đường ${run.marker}`, `${what}: title`);
		assert.equal(rows[0][3], `Đường liên thôn bị sụt lún sau mưa lớn, đề nghị sửa chữa. ${run.marker}`, `${what}: content`);
	} else if (sent === 'error') {
		assert.equal(rows.length, 0, `${what}: a petition answered with an error was stored (not rolled back)`);
	} else {
		assert.ok(rows.length <= 1, `${what}: the petition was stored ${rows.length} times`);
	}
	for (const [id] of rows)
		assertCaseWhole(db, Number(id), `${what}: case ${id}`);
	// What was stored is what a fault-free run stores (the due date with
	// the calendar's exceptions, the repeat-detection key, the links…).
	const print = rows.length ? caseFingerprint(db, Number(rows[0][0]), run.marker) : null;
	if (print && wantPrint)
		assert.deepEqual(print, wantPrint, `${what}: the stored case differs from the fault-free run's`);
	// No pieces of a case without the case.
	const m = template.maxCase;
	const stray = sqliteValue(db, `SELECT (SELECT count(*) FROM case_event WHERE case_id > ${m} AND case_id NOT IN (SELECT id FROM cases))
		+ (SELECT count(*) FROM case_deadline WHERE case_id > ${m} AND case_id NOT IN (SELECT id FROM cases))
		+ (SELECT count(*) FROM case_fts WHERE rowid > ${m} AND rowid NOT IN (SELECT id FROM cases))
		+ (SELECT count(*) FROM outbox WHERE case_id > ${m} AND case_id NOT IN (SELECT id FROM cases))
		+ (SELECT count(*) FROM audit WHERE object_type = 'case' AND object_id > ${m} AND object_id NOT IN (SELECT id FROM cases))`);
	assert.equal(Number(stray), 0, `${what}: rows of a case that does not exist`);

	// The language change.
	const lang = sqliteValue(db, `SELECT lang FROM user WHERE login = ${sq(STAFF)}`);
	const changed = answer('POST /account/lang', /^\/account\?saved=1$/);
	if (changed === 'ok')
		assert.equal(lang, 'en', `${what}: language change acknowledged but not stored`);
	else if (changed === 'error')
		assert.equal(lang, 'vi', `${what}: language change answered with an error but stored`);
	// The logout: an acknowledged logout leaves no session behind.
	if (answer('POST /logout', /^\/$/) === 'ok') {
		const sessions = Number(sqliteValue(db, `SELECT count(*) FROM session WHERE user_id = (SELECT id FROM user WHERE login = ${sq(STAFF)})`));
		assert.equal(sessions, 0, `${what}: logout acknowledged but the session is still valid in the database`);
	}
	return print;
}

/** Everything about a stored petition that does not vary between runs. */
function caseFingerprint(db, id, marker) {
	const [row] = sqlite(db, `SELECT kind, status, channel, coalesce(unit_id, ''), coalesce(receiving_org_id, ''),
		person_key IS NOT NULL, citizen_name, citizen_address, citizen_phone, citizen_email, anonymous, search_key,
		(SELECT group_concat(step || ':' || due_on || ':' || state, ',') FROM case_deadline WHERE case_id = c.id),
		(SELECT group_concat(action || ':' || to_status || ':' || visibility, ',') FROM case_event WHERE case_id = c.id),
		(SELECT count(*) FROM case_link WHERE case_id = c.id OR other_id = c.id),
		(SELECT group_concat(to_addr || ':' || state, ',') FROM outbox WHERE case_id = c.id)
		FROM cases c WHERE id = ${id}`);
	const names = ['kind', 'status', 'channel', 'unit', 'receiving org', 'person key', 'name', 'address', 'phone',
		'email', 'anonymous', 'search key', 'deadlines', 'events', 'links', 'receipt'];
	const m = marker.toLowerCase();
	return Object.fromEntries(names.map((n, i) => [n, (row[i] ?? '').split(m).join('MARKER')]));
}

/** Every piece case_intake writes is there. */
function assertCaseWhole(db, id, what) {
	const [ev, dl, fts, audit, outbox] = sqlite(db, `SELECT
		(SELECT count(*) FROM case_event WHERE case_id = ${id} AND action = 'intake'),
		(SELECT count(*) FROM case_deadline WHERE case_id = ${id}),
		(SELECT count(*) FROM case_fts WHERE rowid = ${id}),
		(SELECT count(*) FROM audit WHERE object_type = 'case' AND object_id = ${id} AND action = 'case.receive'),
		(SELECT count(*) FROM outbox WHERE case_id = ${id})`)[0].map(Number);
	assert.equal(ev, 1, `${what}: intake event missing`);
	assert.ok(dl >= 1, `${what}: first deadline missing`);
	assert.equal(fts, 1, `${what}: search row missing`);
	assert.equal(audit, 1, `${what}: audit 'receive' entry missing`);
	assert.equal(outbox, 1, `${what}: receipt e-mail missing`);
}

/**
 * Judge the responses of a run against the fault-free shapes: each is the
 * normal one until the first that differs, which must be the clean error
 * (db fault) or the reset (write fault); later ones must be complete and
 * below 500.  True when a response differed.
 */
function judge(run, base, mode, what) {
	let deviated = false;
	for (const [i, s] of run.steps.entries()) {
		const w = `${what}: step ${i + 1} ${s.name}`;
		if (deviated) {
			assert.ok(!s.err, `${w}: request failed after the fault: ${s.err?.message}`);
			assertComplete(s.res, w);
			assert.ok(s.res.status < 500, `${w}: ${s.res.status} after the fault had fired: ${s.res.text.slice(0, 300)}`);
			continue;
		}
		const want = base.shapes[i];
		if (!s.err && i < base.shapes.length && s.name === base.names[i] && shape(s.res) === want) {
			assertComplete(s.res, w);
			continue;
		}
		deviated = true;
		if (mode === 'write') {
			assert.ok(s.err, `${w}: the response differs from the fault-free run but is no network error:\n` +
				(s.res ? shapeDiff(shape(s.res), want || '') : ''));
			assert.equal(i + 1, run.writeN, `${w}: request failed, but the write fault was for response ${run.writeN}: ${s.err.message}`);
			assert.ok(s.ms < 5000, `${w}: the failed write took ${s.ms} ms to reach the client (a hang)`);
		} else {
			assert.ok(!s.err, `${w}: the request failed (${s.err?.message}) — a crash, a hang or a cut connection`);
			assert.ok(run.report.dbFired, `${w}: the response changed but no fault fired`);
			const status = mode === 'busy' ? 503 : 500;
			if (s.res.status !== status) {
				assert.fail(`${w}: under an injected ${mode} fault the answer is neither the normal one nor a clean ${status}:\n` +
					shapeDiff(shape(s.res), want || ''));
			}
			assertCleanError(s.res, status, w);
		}
	}
	return deviated;
}

// ---- the pass ----------------------------------------------------------------------

async function pool(tasks, n) {
	const results = new Array(tasks.length);
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) {
			const i = next++;
			results[i] = await tasks[i]();
		}
	};
	await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
	return results;
}

test('fault injection: every db call and every response write, failed in turn', { timeout: 60 * 60 * 1000 }, async (t) => {
	const started = Date.now();
	template = await makeTemplate();

	// The fault-free run, twice: the script must be deterministic.
	const baseline = [];
	for (let k = 0; k < 2; k++) {
		const run = await oneRun({ DANVAN_FAULT_TRACE: '1' });
		const w = `fault-free run ${k + 1}`;
		for (const s of run.steps) {
			assert.ok(!s.err, `${w}: ${s.name}: ${s.err?.message}`);
			assertComplete(s.res, `${w}: ${s.name}`);
			assert.ok(s.res.status < 400, `${w}: ${s.name}: ${s.res.status}: ${s.res.text.slice(0, 300)}`);
		}
		assert.equal(run.report.dbFired || run.report.writeFired, false);
		const print = await checkDatabase(run, w, baseline[0]?.print);
		assert.ok(print, `${w}: no petition stored`);
		baseline.push({
			print,
			names: run.steps.map((s) => s.name), shapes: run.steps.map((s) => shape(s.res)),
			calls: run.report.calls, responses: run.report.responses, stacks: run.report.stacks,
		});
		removeTempDir(run.dir);
	}
	assert.deepEqual(baseline[1].names, baseline[0].names);
	assert.deepEqual(baseline[1].shapes, baseline[0].shapes, 'two fault-free runs answered differently');
	assert.equal(baseline[1].calls, baseline[0].calls, 'two fault-free runs made different numbers of db calls');
	assert.equal(baseline[0].responses, baseline[0].names.length);
	assert.deepEqual([...baseline[1].stacks], [...baseline[0].stacks], 'two fault-free runs made their db calls from different places');
	const base = baseline[0];
	const T = base.calls, R = base.responses;
	assert.equal(base.stacks.size, T, 'the trace does not hold every db call');

	// Which calls to fail: by default the first call of each distinct call
	// path (a loop's later rounds take the same path), with every kind;
	// FAULT_FULL=1: every call.
	const firstOfPath = new Map();
	for (const [n, key] of base.stacks)
		if (!firstOfPath.has(key)) firstOfPath.set(key, n);
	const ns = FULL ? Array.from({ length: T }, (_, i) => i + 1) : [...firstOfPath.values()].sort((a, b) => a - b);
	ns.push(T + 1); // past the last call: must not fire
	t.diagnostic(`script: ${R} requests, ${T} db calls from ${firstOfPath.size} distinct call paths; ` +
		`failing ${FULL ? 'every call' : 'the first call of each path'}; ${JOBS} servers at a time`);

	const tasks = [];
	const stats = {};
	for (const kind of DB_KINDS) {
		if (!KINDS.includes(kind)) continue;
		stats[kind] = { runs: 0, fired: 0, errors: 0, absorbed: 0, absorbedAt: {} };
		for (const n of ns)
			tasks.push({ kind, n, env: { DANVAN_FAULT_DB_NTH: String(n), DANVAN_FAULT_DB_RC: kind } });
	}
	if (KINDS.includes('write')) {
		stats.write = { runs: 0, fired: 0, errors: 0, absorbed: 0, absorbedAt: {} };
		for (let n = 1; n <= R + 1; n++)
			tasks.push({ kind: 'write', n, env: { DANVAN_FAULT_WRITE_NTH: String(n) } });
	}

	const failures = [];
	await pool(tasks.map((task) => async () => {
		const what = `${task.kind} fault at ${task.kind === 'write' ? 'response' : 'db call'} ${task.n}`;
		let run;
		try {
			run = await oneRun(task.env);
			run.writeN = task.n;
			const st = stats[task.kind];
			st.runs++;
			const fired = task.kind === 'write' ? run.report.writeFired : run.report.dbFired;
			if (fired) st.fired++;
			const last = task.kind === 'write' ? R : T;
			if (task.n <= last)
				assert.ok(fired, `${what}: did not fire although the fault-free run has ${last}`);
			else
				assert.ok(!fired, `${what}: fired past the end of the script (${last}): the count is not stable`);
			if (task.kind !== 'write' && fired)
				assert.equal(run.report.stack, base.stacks.get(task.n), `${what}: the failed call is not the one the fault-free run made as call ${task.n}`);
			assert.ok(run.stopMs < 8000, `${what}: SIGTERM took ${run.stopMs} ms (a request left in flight?)`);
			const deviated = judge(run, base, task.kind, what);
			await checkDatabase(run, what, base.print);
			if (fired && deviated) {
				st.errors++;
			} else if (fired) {
				st.absorbed++;
				(st.absorbedAt[run.report.where()] ??= []).push(task.n);
			}
		} catch (e) {
			const at = run?.report?.dbFired ? run.report.where() : '';
			failures.push({ kind: task.kind, n: task.n, what, message: e.message + (at ? `\n  the failed call: ${at}` : ''), where: at });
		} finally {
			if (run) removeTempDir(run.dir);
		}
	}), JOBS);

	const secs = Math.round((Date.now() - started) / 1000);
	let injected = 0;
	for (const [kind, s] of Object.entries(stats)) {
		injected += s.fired;
		if (kind === 'write') {
			t.diagnostic(`write: ${s.runs} runs, ${s.fired} responses failed on the socket, each seen by the client as a reset`);
			continue;
		}
		t.diagnostic(`${kind}: ${s.runs} runs, ${s.fired} faults injected, ${s.errors} answered with a clean error, ` +
			`${s.absorbed} absorbed with the normal answer`);
		for (const [where, ns] of Object.entries(s.absorbedAt))
			t.diagnostic(`  absorbed: db call ${ns.sort((a, b) => a - b).join(',')}: ${where}`);
	}
	t.diagnostic(`${injected} faults injected in ${tasks.length} runs, ${secs} s`);
	console.log(`fault pass: ${injected} faults injected (${Object.entries(stats).map(([k, s]) => `${k} ${s.fired}`).join(', ')}), ` +
		`${tasks.length} server runs, ${failures.length} failed, ${secs} s`);
	if (failures.length) {
		// One line per kind of breakage, with the fault positions that show it;
		// then the first message of each in full.
		const groups = new Map();
		for (const f of failures) {
			const key = `${f.kind}: ${f.message.split('\n')[0].replace(/^.*? fault at (db call|response) \d+: /, '')}` +
				(f.where ? `\n      at ${f.where}` : '');
			if (!groups.has(key)) groups.set(key, []);
			groups.get(key).push(f);
		}
		const lines = [...groups].map(([key, fs]) => `  ${key}\n      db call/response ${fs.map((f) => f.n).sort((a, b) => a - b).join(',')}`);
		const detail = [...groups.values()].slice(0, 12).map((fs) => fs[0].message).join('\n\n');
		assert.fail(`${failures.length} of ${tasks.length} fault runs broke a property:\n${lines.join('\n')}\n\n${detail}`);
	}
});
