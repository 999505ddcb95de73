// server.mjs — helpers for the HTTP and browser suites.
//
//   fixtureDb()        the demo database, built once per binary (cached in
//                      build/test-fixture/, keyed by the binary's path and mtime)
//   startServer()      copy the fixture into a fresh temp dir, run
//                      `danvan serve` on 127.0.0.1:0 and wait for its port
//   server.stop()      SIGTERM, wait, and assert a clean exit (status 0 and,
//                      under ASan/UBSan, no sanitizer report on stderr)
//   Client             a tiny cookie-keeping HTTP client over node:http
//   cli(), sqlite()    the danvan CLI and the sqlite3 CLI via child_process
//
// Every process and temp dir is registered and removed on exit, so a
// failing test never leaves a server running.
import { spawn, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.resolve(process.env.DANVAN_BIN || path.join(ROOT, 'build/danvan'));
export const SANITIZED = process.env.DANVAN_SANITIZED === '1';
export const DEMO_PASSWORD = 'danvan-demo';
/* Sanitized binaries are several times slower. */
export const SLOW = Number(process.env.DANVAN_SLOW) || (SANITIZED ? 4 : 1);

const SANITIZER_MARKS = ['ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer'];

// ---- cleanup of everything we started ---------------------------------------

const liveProcs = new Set();
const tempDirs = new Set();

function cleanupSync() {
	for (const p of liveProcs) {
		try { p.kill('SIGKILL'); } catch { /* already gone */ }
	}
	liveProcs.clear();
	for (const d of tempDirs) {
		try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ }
	}
	tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.once(sig, () => { cleanupSync(); process.exit(130); });
}

export function tempDir(prefix = 'danvan-test-') {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(d);
	return d;
}

export function removeTempDir(d) {
	fs.rmSync(d, { recursive: true, force: true });
	tempDirs.delete(d);
}

/** Throws when stderr of a sanitized binary holds a sanitizer report. */
export function assertNoSanitizerReport(stderr, what = 'danvan') {
	for (const mark of SANITIZER_MARKS) {
		if (stderr.includes(mark)) {
			const at = stderr.indexOf(mark);
			assert.fail(`${what}: sanitizer report on stderr:\n${stderr.slice(Math.max(0, at - 200), at + 4000)}`);
		}
	}
}

// ---- the CLI -------------------------------------------------------------------

/* An empty working directory: no stray ./danvan.conf can change a run. */
let emptyCwd;
function cliCwd() {
	if (!emptyCwd || !fs.existsSync(emptyCwd))
		emptyCwd = tempDir('danvan-cwd-');
	return emptyCwd;
}

function baseEnv(extra = {}) {
	// Background jobs stay off unless a test asks for them: escalating the
	// demo's overdue deadlines would write while a test compares states.
	const env = { ...process.env, DANVAN_FAST_HASH: '1', DANVAN_JOBS_INTERVAL: '-1', ...extra };
	// A developer's DANVAN_DB / DANVAN_LISTEN must never leak into a test.
	for (const k of ['DANVAN_DB', 'DANVAN_LISTEN', 'DANVAN_CONFIG', 'DANVAN_DATA', 'DANVAN_THREADS',
		'DANVAN_SMTP_URL', 'DANVAN_SMTP_FROM', 'DANVAN_SMTP_USER', 'DANVAN_SMTP_PASSWORD'])
		if (!(k in extra)) delete env[k];
	return env;
}

/**
 * Run `danvan ARGS…`; resolves {status, signal, stdout, stderr} (never
 * rejects on a non-zero exit).  opts: input (stdin text), env, cwd, db
 * (adds --db), timeout ms.  A sanitizer report on stderr fails.
 */
export function cli(args, opts = {}) {
	const argv = opts.db ? ['--db', opts.db, ...args] : args;
	return new Promise((resolve, reject) => {
		const child = spawn(BIN, argv, {
			cwd: opts.cwd || cliCwd(),
			env: baseEnv(opts.env),
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		liveProcs.add(child);
		let stdout = '', stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
		child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
		const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout || 60000 * SLOW);
		child.on('error', (e) => { clearTimeout(timer); liveProcs.delete(child); reject(e); });
		child.on('close', (status, signal) => {
			clearTimeout(timer);
			liveProcs.delete(child);
			try {
				assertNoSanitizerReport(stderr, `danvan ${args.join(' ')}`);
			} catch (e) {
				reject(e);
				return;
			}
			resolve({ status, signal, stdout, stderr });
		});
		child.stdin.on('error', () => {});
		child.stdin.end(opts.input ?? '');
	});
}

/** `danvan user token LOGIN` on a database: the bearer token. */
export async function makeToken(db, login) {
	const r = await cli(['user', 'token', login], { db });
	assert.equal(r.status, 0, `danvan user token ${login}: ${r.stderr}`);
	const tok = r.stdout.trim().split('\n').pop().trim();
	assert.match(tok, /^\S{20,}$/, `token output: ${r.stdout}`);
	return tok;
}

/**
 * sqlite3 CLI: run SQL on a database file, return stdout lines split on
 * '|'.  Works while the server runs (WAL); waits up to 10 s for locks.
 */
export function sqlite(db, sql) {
	let out;
	try {
		out = execFileSync('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', db, sql], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 256 * 1024 * 1024, // the crash test reads back every petition sent
		});
	} catch (e) {
		throw new Error(`sqlite3 ${db}: ${(e.stderr || e.message).trim()}\n  SQL: ${sql}`);
	}
	return out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

/** One value from sqlite3 (first column of the first row), or undefined. */
export function sqliteValue(db, sql) {
	const rows = sqlite(db, sql);
	return rows.length ? rows[0][0] : undefined;
}

/** SQL string literal. */
export function sq(s) {
	return `'${String(s).replace(/'/g, "''")}'`;
}

// ---- the fixture database -------------------------------------------------------

/**
 * Path of the demo database for the binary under test, built on first use
 * with `DANVAN_FAST_HASH=1 danvan --db … --data data demo`.  Treat it as
 * read-only: copy it (copyFixture) before serving it.
 */
export async function fixtureDb() {
	const st = fs.statSync(BIN);
	const binKey = crypto.createHash('sha1').update(BIN).digest('hex').slice(0, 10);
	const dir = path.join(ROOT, 'build/test-fixture');
	const file = path.join(dir, `demo-${binKey}-${Math.floor(st.mtimeMs)}-${st.size}.db`);
	if (fs.existsSync(file))
		return file;
	fs.mkdirSync(dir, { recursive: true });
	// Stale fixtures of this same binary go.
	for (const f of fs.readdirSync(dir))
		if (f.startsWith(`demo-${binKey}-`) && path.join(dir, f) !== file)
			fs.rmSync(path.join(dir, f), { force: true });
	const tmp = `${file}.tmp-${process.pid}`;
	for (const sfx of ['', '-wal', '-shm', '-journal'])
		fs.rmSync(tmp + sfx, { force: true });
	// A few hundred cases keep the fixture quick to build (also under ASan);
	// `make run` makes the full 5,000.
	const r = await cli(['--db', tmp, '--data', path.join(ROOT, 'data'), 'demo', '--cases', '400'],
		{ timeout: 300000 * SLOW }); /* the demo's photos take minutes under valgrind */
	if (r.status !== 0)
		throw new Error(`building the fixture failed (status ${r.status}):\n${r.stderr}\n${r.stdout}`);
	// A clean close checkpoints the WAL; make sure nothing is left beside it.
	assert.ok(!fs.existsSync(`${tmp}-wal`) || fs.statSync(`${tmp}-wal`).size === 0,
		'fixture left a non-empty WAL');
	for (const sfx of ['-wal', '-shm'])
		fs.rmSync(tmp + sfx, { force: true });
	fs.renameSync(`${tmp}.vault-demo.key`, `${file}.vault-demo.key`);
	fs.renameSync(tmp, file); // atomic: a concurrent run sees all or nothing
	return file;
}

/** A private copy of the fixture in `dir` (a temp dir when omitted). */
export async function copyFixture(dir = tempDir()) {
	const src = await fixtureDb();
	const dst = path.join(dir, 'danvan.db');
	fs.copyFileSync(src, dst);
	return dst;
}

// ---- the server -------------------------------------------------------------------

async function waitForPort(file, child, getStderr, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`danvan serve exited early (${child.exitCode ?? child.signalCode}):\n${getStderr()}`);
		let text = '';
		try { text = fs.readFileSync(file, 'utf8'); } catch { /* not yet */ }
		const m = /^(\d+)\n/.exec(text);
		if (m && Number(m[1]) > 0)
			return Number(m[1]);
		if (Date.now() > deadline)
			throw new Error(`danvan serve wrote no port in ${timeoutMs} ms:\n${getStderr()}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/**
 * Start `danvan serve` on a copy of the fixture (or on opts.db).
 * Returns a Server: {port, base, db, dir, proc, stderr(), client(), stop(), kill()}.
 */
export async function startServer(opts = {}) {
	const dir = opts.dir || tempDir();
	const db = opts.db || await copyFixture(dir);
	const portFile = path.join(dir, `port-${Date.now()}-${Math.random().toString(36).slice(2)}`);
	const args = ['--db', db, '--listen', '127.0.0.1:0'];
	if (opts.threads)
		args.push('--threads', String(opts.threads));
	args.push('serve', '--port-file', portFile);
	const child = spawn(BIN, args, { cwd: dir, env: baseEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
	liveProcs.add(child);
	let stderr = '', stdout = '';
	child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
	child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
	const exited = new Promise((resolve) => {
		child.on('close', (status, signal) => { liveProcs.delete(child); resolve({ status, signal }); });
	});
	let port;
	try {
		port = await waitForPort(portFile, child, () => stderr, 15000 * SLOW);
	} catch (e) {
		child.kill('SIGKILL');
		await exited;
		if (!opts.dir) removeTempDir(dir);
		throw e;
	}
	const base = `http://127.0.0.1:${port}`;
	let stopped = null;
	const server = {
		port, base, db, dir, proc: child, exited,
		stderr: () => stderr,
		stdout: () => stdout,
		client: () => new Client(base),
		/**
		 * SIGTERM and wait; asserts exit status 0 and no sanitizer report.
		 * Removes the temp dir unless opts.keep (or the caller passed dir).
		 */
		async stop({ keep = false } = {}) {
			if (!stopped) {
				stopped = (async () => {
					if (child.exitCode === null && child.signalCode === null)
						child.kill('SIGTERM');
					const timer = setTimeout(() => child.kill('SIGKILL'), 30000 * SLOW);
					const res = await exited;
					clearTimeout(timer);
					return res;
				})();
			}
			const res = await stopped;
			try {
				assertNoSanitizerReport(stderr, 'danvan serve');
				assert.equal(res.signal, null, `danvan serve died of ${res.signal}:\n${stderr.slice(-4000)}`);
				assert.equal(res.status, 0, `danvan serve exited with ${res.status}:\n${stderr.slice(-4000)}`);
			} finally {
				if (!keep && !opts.dir && !opts.keep) removeTempDir(dir);
			}
			return res;
		},
		/** For cleanup paths: SIGKILL without assertions. */
		async kill() {
			if (child.exitCode === null && child.signalCode === null)
				child.kill('SIGKILL');
			await exited;
			if (!opts.dir) removeTempDir(dir);
		},
	};
	return server;
}

// ---- the HTTP client ------------------------------------------------------------------

/** Parse the HTML of a page into the forms it holds. */
export function parseForms(html) {
	const forms = [];
	const re = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
	let m;
	while ((m = re.exec(html))) {
		const attrs = attrMap(m[1]);
		const fields = {};
		const inner = m[2];
		const inRe = /<input\b([^>]*)>/gi;
		let i;
		while ((i = inRe.exec(inner))) {
			const a = attrMap(i[1]);
			if (!a.name) continue;
			if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue;
			if (a.type === 'submit' || a.type === 'button') continue;
			fields[a.name] = a.value ?? '';
		}
		const taRe = /<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi;
		while ((i = taRe.exec(inner))) {
			const a = attrMap(i[1]);
			if (a.name) fields[a.name] = decodeEntities(i[2]);
		}
		const selRe = /<select\b([^>]*)>([\s\S]*?)<\/select>/gi;
		while ((i = selRe.exec(inner))) {
			const a = attrMap(i[1]);
			if (!a.name) continue;
			const opts = [...i[2].matchAll(/<option\b([^>]*)>/gi)].map((o) => attrMap(o[1]));
			const sel = opts.find((o) => 'selected' in o) || opts[0];
			fields[a.name] = sel ? sel.value ?? '' : '';
		}
		forms.push({ action: attrs.action ?? '', method: (attrs.method || 'get').toLowerCase(), fields });
	}
	return forms;
}

function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (all, e) => {
		const l = e.toLowerCase();
		if (l === 'amp') return '&';
		if (l === 'lt') return '<';
		if (l === 'gt') return '>';
		if (l === 'quot') return '"';
		if (l === 'apos' || l === '#39') return "'";
		if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
		return String.fromCodePoint(parseInt(l.slice(1), 10));
	});
}

function attrMap(s) {
	const out = {};
	const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
	let m;
	while ((m = re.exec(s)))
		out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
	return out;
}

/** The csrf hidden field of an HTML page (the first one), or undefined. */
export function extractCsrf(html) {
	const m = /<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html) ||
		/<input[^>]*value="([^"]*)"[^>]*name="csrf"/.exec(html);
	return m ? m[1] : undefined;
}

export class Response {
	constructor(status, headers, body) {
		this.status = status;
		this.headers = headers; // lower-case names; set-cookie is an array
		this.body = body; // Buffer
	}
	get text() { return this.body.toString('utf8'); }
	json() {
		try {
			return JSON.parse(this.text);
		} catch (e) {
			throw new Error(`not JSON (status ${this.status}): ${this.text.slice(0, 500)}`);
		}
	}
	header(name) { return this.headers[name.toLowerCase()]; }
	get location() { return this.headers.location; }
}

/**
 * A client that keeps cookies like a browser (no redirects followed unless
 * asked).  Paths are sent exactly as given (no normalisation), so
 * "/assets/../x" and "%FF" reach the server as they are.
 */
export class Client {
	constructor(base) {
		this.base = new URL(base);
		this.cookies = new Map();
		this.csrf = undefined; // the last csrf token seen in a page
	}

	setCookie(name, value) { this.cookies.set(name, value); }
	cookie(name) { return this.cookies.get(name); }

	/**
	 * request(method, path, opts) → Response.
	 * opts: headers, body (string|Buffer), form (object → urlencoded),
	 * json (object), bearer, follow (follow redirects), chunked (send body
	 * without Content-Length), timeout.
	 */
	async request(method, reqPath, opts = {}) {
		let res = await this.#once(method, reqPath, opts);
		let hops = 0;
		while (opts.follow && res.status >= 300 && res.status < 400 && res.location && hops++ < 10) {
			const loc = new URL(res.location, this.base);
			assert.equal(loc.origin, this.base.origin, `redirect off site: ${res.location}`);
			res = await this.#once('GET', loc.pathname + loc.search, { headers: opts.headers });
		}
		return res;
	}

	get(p, opts = {}) { return this.request('GET', p, opts); }
	post(p, opts = {}) { return this.request('POST', p, opts); }

	/** GET a page and remember its csrf token. */
	async page(p, opts = {}) {
		const res = await this.get(p, opts);
		const tok = extractCsrf(res.text);
		if (tok) this.csrf = tok;
		return res;
	}

	/** Submit a form: fields + the csrf token (fetched from `from` if unknown). */
	async submit(p, fields = {}, opts = {}) {
		if (!this.csrf || opts.from) await this.page(opts.from || '/');
		return this.post(p, { ...opts, form: { csrf: this.csrf, ...fields } });
	}

	async login(login, password = DEMO_PASSWORD, next) {
		const form = await this.page('/login');
		assert.equal(form.status, 200, `GET /login: ${form.status}`);
		assert.ok(this.csrf, 'no csrf token on the login form');
		const fields = { csrf: this.csrf, login, password };
		if (next !== undefined) fields.next = next;
		const res = await this.post('/login', { form: fields });
		if (res.status === 303) {
			// Tokens are tied to the session: fetch a fresh one.
			this.csrf = undefined;
			await this.page('/');
		}
		return res;
	}

	async loginOk(login, password = DEMO_PASSWORD) {
		const res = await this.login(login, password);
		assert.equal(res.status, 303, `login as ${login} failed with ${res.status}: ${res.text.slice(0, 300)}`);
		assert.ok(this.cookies.get('dv_session'), 'no session cookie after login');
		return res;
	}

	#once(method, reqPath, opts) {
		const headers = { ...(opts.headers || {}) };
		let body = opts.body;
		if (opts.form) {
			body = new URLSearchParams(opts.form).toString();
			headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
		} else if (opts.json !== undefined) {
			body = JSON.stringify(opts.json);
			headers['Content-Type'] ??= 'application/json';
		}
		if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
		if (this.cookies.size && !('Cookie' in headers) && !opts.noCookies)
			headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined && !opts.chunked)
			headers['Content-Length'] = Buffer.byteLength(body);
		return new Promise((resolve, reject) => {
			const req = http.request({
				host: this.base.hostname,
				port: this.base.port,
				method,
				path: reqPath,
				headers,
				agent: false,
				timeout: opts.timeout || 30000 * SLOW,
			}, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const h = {};
					for (const [k, v] of Object.entries(res.headers)) h[k] = v;
					for (const sc of res.headers['set-cookie'] || []) this.#storeCookie(sc);
					resolve(new Response(res.statusCode, h, Buffer.concat(chunks)));
				});
			});
			req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${reqPath}`)));
			req.on('error', reject);
			if (body !== undefined) {
				if (opts.chunked && Buffer.byteLength(body) > 65536) {
					const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
					let off = 0;
					const pump = () => {
						while (off < buf.length) {
							const part = buf.subarray(off, off + 65536);
							off += part.length;
							if (!req.write(part)) { req.once('drain', pump); return; }
						}
						req.end();
					};
					pump();
					return;
				}
				req.end(body);
			} else {
				req.end();
			}
		});
	}

	#storeCookie(sc) {
		const [pair, ...attrs] = sc.split(';');
		const eq = pair.indexOf('=');
		if (eq < 0) return;
		const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1).trim();
		const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
		if (value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0))
			this.cookies.delete(name);
		else
			this.cookies.set(name, value);
	}
}

// ---- small things the tests share ----------------------------------------------------

const VI_WEEKDAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
	'September', 'October', 'November', 'December'];

/** The calendar date in Việt Nam (UTC+7, no DST) at `ms`. */
export function vnDate(ms = Date.now()) {
	const d = new Date(ms + 7 * 3600 * 1000);
	return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), wd: d.getUTCDay() };
}

/** "Thứ Hai, 1/12/2025" */
export function viLongDate(ms = Date.now()) {
	const v = vnDate(ms);
	return `${VI_WEEKDAYS[v.wd]}, ${v.d}/${v.m}/${v.y}`;
}

/** "Monday, 1 December 2025" */
export function enLongDate(ms = Date.now()) {
	const v = vnDate(ms);
	return `${EN_WEEKDAYS[v.wd]}, ${v.d} ${EN_MONTHS[v.m - 1]} ${v.y}`;
}

/** "2025-12-01" in Việt Nam. */
export function vnIsoDate(ms = Date.now()) {
	const v = vnDate(ms);
	return `${v.y}-${String(v.m).padStart(2, '0')}-${String(v.d).padStart(2, '0')}`;
}

/** The HTML-escaped form of a text, as the server writes it. */
export function htmlEscape(s) {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Id of an organisation by code, read from a database file. */
export function orgId(db, code) {
	const v = sqliteValue(db, `SELECT id FROM org WHERE code = ${sq(code)}`);
	assert.ok(v, `no organisation ${code}`);
	return Number(v);
}

/** The latest name of an organisation, read from a database file. */
export function orgName(db, id) {
	return sqliteValue(db, `SELECT name FROM org_name WHERE org_id = ${Number(id)} ORDER BY valid_from DESC LIMIT 1`);
}
