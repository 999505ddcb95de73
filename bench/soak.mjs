// soak.mjs — the load generator behind bench/soak.sh (run that instead).
//
//   node bench/soak.mjs --base http://127.0.0.1:PORT --pid PID --db FILE \
//        --seconds 600 --concurrency 24 --out results.json
//
// A closed loop of CONCURRENCY workers, each picking the next request kind
// by weight, for SECONDS:
//   home        GET /                               (anonymous)
//   units       GET /units, /units/{id}, /regions/dbsh-11
//   track       GET /tra-cuu/{code}                 (rate limited per address)
//   submit      GET /gui-don, POST /gui-don (CSRF)  (rate limited per address)
//   queue       GET /cases?queue=…                   (a province's handler, signed in once)
//   case        GET /cases/{id} in that province
//   note        POST /cases/{id}/note (CSRF)        (the handler)
//   search      GET /cases?q=…, GET /units?q=…
//   api         GET /api/v1/cases?limit=20          (bearer token)
// The public form and tracking pages are rate limited per client address
// (src/web/ratelimit.h: 30 a minute, 15 at once): citizens come from a
// pool of loopback addresses (127.0.100.x), each spending at most what
// its bucket holds, so a 429 is an error here like any other.
// Every answer that is not 2xx/3xx is an error and is printed.
// Every 10 s the server's VmRSS is read from /proc/PID/status.
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const BASE = args.base ? new URL(args.base) : null;
const PID = Number(args.pid);
const DB = args.db;
const SECONDS = Number(args.seconds || 600);
const CONC = Number(args.concurrency || 24);
const OUT = args.out;
const PASSWORD = 'danvan-demo';
const SAMPLE_MS = 10000;

const WEIGHTS = { home: 22, units: 10, track: 8, submit: 3, queue: 12, case: 15, note: 4, search: 18, api: 8 };

// ---- helpers ------------------------------------------------------------------

const agents = new Map();
function agent(localAddress) {
	const k = localAddress || '';
	/* Idle kept-alive sockets are closed here after 10 s, before the
	 * server's 30 s idle timeout can close one just as it is reused (a
	 * browser retries such a request; node does not). */
	if (!agents.has(k)) agents.set(k, new http.Agent({ keepAlive: true, timeout: 10000, maxSockets: localAddress ? 2 : CONC + 8, localAddress }));
	return agents.get(k);
}

function request(method, path, { headers = {}, body, localAddress, timeout = 30000 } = {}) {
	return new Promise((resolve) => {
		const t0 = process.hrtime.bigint();
		const h = { ...headers };
		if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
		const req = http.request({ host: BASE.hostname, port: BASE.port, method, path, headers: h, agent: agent(localAddress), timeout }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
			res.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
		req.end(body);
	});
}

const csrfOf = (html) => (/<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html) || [])[1];
function cookiesOf(res, jar) {
	for (const sc of res.headers?.['set-cookie'] || []) {
		const [pair] = sc.split(';');
		const i = pair.indexOf('=');
		if (i > 0) jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
	}
}
const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

function sqlite(sql) {
	return execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', DB, sql], { encoding: 'utf8', maxBuffer: 64 << 20 })
		.split('\n').filter(Boolean).map((l) => l.split('|'));
}

const pick = (a) => a[Math.floor(Math.random() * a.length)];

function multipart(fields) {
	const b = `----soak${crypto.randomBytes(6).toString('hex')}`;
	let s = '';
	for (const [k, v] of Object.entries(fields)) s += `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
	return { body: Buffer.from(`${s}--${b}--\r\n`), type: `multipart/form-data; boundary=${b}` };
}

// ---- results ----------------------------------------------------------------------

const kinds = Object.keys(WEIGHTS);
const lat = Object.fromEntries(kinds.map((k) => [k, []]));
const counts = Object.fromEntries(kinds.map((k) => [k, { ok: 0, err: 0 }]));
const errors = new Map(); // "kind status path" → count
let done = 0;
function record(kind, res, what) {
	lat[kind].push(res.ms);
	done++;
	if (res.status >= 200 && res.status < 400) {
		counts[kind].ok++;
		return true;
	}
	counts[kind].err++;
	const key = `${kind}: ${what} → ${res.status || res.error}${res.body ? ` ${res.body.toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 100)}` : ''}`;
	errors.set(key, (errors.get(key) || 0) + 1);
	if (errors.get(key) === 1) console.error(`error: ${key}`);
	return false;
}

// ---- the citizens' addresses and their rate-limit buckets ---------------------------

/* A mirror of the server's token bucket per (route, address), a little
 * more careful than the server (14 at once, 0.45 a second). */
const POOL = Array.from({ length: 250 }, (_, i) => `127.0.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`);
const buckets = new Map();
function takeToken(route) {
	const now = Date.now();
	for (let tries = 0; tries < POOL.length; tries++) {
		const ip = pick(POOL);
		const k = `${route}|${ip}`;
		let b = buckets.get(k);
		if (!b) buckets.set(k, (b = { tokens: 14, at: now }));
		b.tokens = Math.min(14, b.tokens + ((now - b.at) / 1000) * 0.45);
		b.at = now;
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return ip;
		}
	}
	return null;
}

/* Each citizen address keeps its anonymous cookie and CSRF token. */
const citizens = new Map();

// ---- the staff ------------------------------------------------------------------------

const staff = []; // {login, jar, csrf, token, cases: [ids]}

async function signIn(login) {
	const jar = new Map();
	let res = await request('GET', '/login');
	cookiesOf(res, jar);
	const csrf = csrfOf(res.body.toString());
	const body = new URLSearchParams({ csrf, login, password: PASSWORD }).toString();
	res = await request('POST', '/login', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(jar) } });
	if (res.status !== 303) throw new Error(`login ${login}: ${res.status}`);
	cookiesOf(res, jar);
	res = await request('GET', '/', { headers: { Cookie: cookieHeader(jar) } });
	return { login, jar, csrf: csrfOf(res.body.toString()) };
}

// ---- the work -------------------------------------------------------------------------

let units = [], codes = [], words = [];

const WORK = {
	async home() { record('home', await request('GET', '/'), 'GET /'); },
	async units() {
		const p = pick(['/units', `/units/${pick(units)}`, '/regions/dbsh-11']);
		record('units', await request('GET', p), `GET ${p}`);
	},
	async track() {
		const ip = takeToken('/tra-cuu/*');
		if (!ip) return WORK.home();
		const p = `/tra-cuu/${pick(codes)}`;
		record('track', await request('GET', p, { localAddress: ip }), 'GET /tra-cuu/{code}');
	},
	async submit() {
		const ip = takeToken('/gui-don');
		if (!ip) return WORK.units();
		let c = citizens.get(ip);
		if (!c) {
			c = { jar: new Map() };
			const res = await request('GET', '/gui-don', { localAddress: ip });
			if (!record('submit', res, 'GET /gui-don')) return;
			cookiesOf(res, c.jar);
			c.csrf = csrfOf(res.body.toString());
			citizens.set(ip, c);
		}
		const n = crypto.randomBytes(3).toString('hex');
		const mp = multipart({
			csrf: c.csrf, kind: 'petition', title: `Kiến nghị sửa đường thôn ${pick(words)} ${n}`,
			content: `Đường liên thôn ${pick(words)} xuống cấp, đề nghị sửa chữa. Mã ${n}.`,
			name: `Nguyễn Văn ${n}`, address: `Thôn ${pick(words)}`, phone: '0912345678', commune: pick(communeCodes), signed: '1',
		});
		const res = await request('POST', '/gui-don', { localAddress: ip, body: mp.body, headers: { 'Content-Type': mp.type, Cookie: cookieHeader(c.jar) } });
		if (record('submit', res, 'POST /gui-don') && res.status === 303) {
			const m = /^\/tra-cuu\/([^?]+)/.exec(res.headers.location || '');
			if (m && codes.length < 20000) codes.push(m[1]);
		}
	},
	async queue() {
		const s = pick(staff);
		const p = `/cases?queue=${pick(['', 'org', 'soon', 'overdue', 'mine'])}`;
		record('queue', await request('GET', p, { headers: { Cookie: cookieHeader(s.jar) } }), 'GET /cases?queue=…');
	},
	async case() {
		const s = pick(staff);
		record('case', await request('GET', `/cases/${pick(s.cases)}`, { headers: { Cookie: cookieHeader(s.jar) } }), 'GET /cases/{id}');
	},
	async note() {
		const s = pick(staff);
		const id = pick(s.cases);
		const body = new URLSearchParams({ csrf: s.csrf, text: `Ghi chú kiểm tra tải ${crypto.randomBytes(3).toString('hex')}` }).toString();
		record('note', await request('POST', `/cases/${id}/note`, { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(s.jar) } }), 'POST /cases/{id}/note');
	},
	async search() {
		if (Math.random() < 0.5) {
			const s = pick(staff);
			record('search', await request('GET', `/cases?q=${encodeURIComponent(pick(words))}`, { headers: { Cookie: cookieHeader(s.jar) } }), 'GET /cases?q=');
		} else {
			record('search', await request('GET', `/units?q=${encodeURIComponent(pick(words))}`), 'GET /units?q=');
		}
	},
	async api() {
		const s = pick(staff);
		record('api', await request('GET', '/api/v1/cases?limit=20', { headers: { Authorization: `Bearer ${s.token}` } }), 'GET /api/v1/cases');
	},
};

const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
function nextKind() {
	let x = Math.random() * total;
	for (const k of kinds) if ((x -= WEIGHTS[k]) < 0) return k;
	return 'home';
}

let communeCodes = [];

// ---- memory ------------------------------------------------------------------------------

/* The server's CPU seconds (utime + stime), and the machine's load. */
function cpuSeconds() {
	try {
		const f = fs.readFileSync(`/proc/${PID}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12])) / 100; /* clock ticks: CLK_TCK is 100 on Linux */
	} catch { return NaN; }
}
const loadavg = () => { try { return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]); } catch { return NaN; } };

function rssKb() {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${PID}/status`, 'utf8'));
		return m ? Number(m[1]) : NaN;
	} catch { return NaN; }
}

// ---- main ------------------------------------------------------------------------------------

function pct(a, p) {
	if (!a.length) return NaN;
	const s = Float64Array.from(a).sort();
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

async function main() {
	units = sqlite("SELECT id FROM unit WHERE valid_to IS NULL AND level = 'commune' ORDER BY random() LIMIT 500").map((r) => r[0]);
	communeCodes = sqlite("SELECT u.code FROM unit u JOIN unit p ON p.id = u.province_id WHERE u.valid_to IS NULL AND u.level = 'commune' AND p.name IN ('Hà Nội','Hải Phòng','Quảng Ninh','Hưng Yên','Ninh Bình','Bắc Ninh','Phú Thọ') ORDER BY random() LIMIT 200").map((r) => r[0]);
	codes = sqlite('SELECT code FROM cases ORDER BY random() LIMIT 2000').map((r) => r[0]);
	words = ['đất', 'đường', 'môi trường', 'bồi thường', 'thủ tục', 'cán bộ', 'hộ nghèo', 'nước sạch', 'ô nhiễm', 'rác thải', 'Hà Nội', 'Ninh Bình', 'xã', 'phường', 'thon', 'dat dai', 'Hải', 'An', 'Bình', 'Đông'];
	const handlers = sqlite("SELECT login FROM user WHERE login LIKE '%.handler' ORDER BY login").map((r) => r[0]);
	for (const login of handlers) {
		const s = await signIn(login);
		s.token = execFileSync(process.env.DANVAN_BIN, ['--db', DB, 'user', 'token', login], { encoding: 'utf8', env: { ...process.env, DANVAN_JOBS_INTERVAL: '-1' } }).trim().split('\n').pop().trim();
		const prov = sqlite(`SELECT o.unit_id FROM user u JOIN org o ON o.id = u.org_id WHERE u.login = '${login}'`)[0][0];
		s.cases = sqlite(`SELECT c.id FROM cases c JOIN unit u ON u.id = c.unit_id WHERE u.province_id = ${prov} OR u.id = ${prov} ORDER BY random() LIMIT 300`).map((r) => r[0]);
		if (s.cases.length) staff.push(s);
	}
	if (!staff.length) throw new Error('no staff with cases: is this the demo database?');
	console.error(`soak: ${staff.length} handlers signed in, ${codes.length} tracking codes, ${units.length} units; ${CONC} workers for ${SECONDS} s`);

	const t0 = Date.now();
	const end = t0 + SECONDS * 1000;
	const cpu0 = cpuSeconds(), me0 = process.cpuUsage();
	const mem = [{ t: 0, rss_kb: rssKb(), requests: 0, load: loadavg() }];
	const sampler = setInterval(() => {
		const s = { t: Math.round((Date.now() - t0) / 1000), rss_kb: rssKb(), requests: done, load: loadavg() };
		mem.push(s);
		const errs = [...errors.values()].reduce((a, b) => a + b, 0);
		console.error(`t=${String(s.t).padStart(4)} s  rss=${(s.rss_kb / 1024).toFixed(1)} MiB  requests=${done}  errors=${errs}`);
	}, SAMPLE_MS);
	await Promise.all(Array.from({ length: CONC }, async () => {
		while (Date.now() < end) {
			try {
				await WORK[nextKind()]();
			} catch (e) {
				errors.set(`exception ${e.message}`, (errors.get(`exception ${e.message}`) || 0) + 1);
			}
		}
	}));
	clearInterval(sampler);
	const secs = (Date.now() - t0) / 1000;
	mem.push({ t: Math.round(secs), rss_kb: rssKb(), requests: done, load: loadavg() });
	const me = process.cpuUsage(me0);
	for (const a of agents.values()) a.destroy();

	const perKind = Object.fromEntries(kinds.map((k) => [k, {
		requests: lat[k].length, per_s: lat[k].length / secs, p50_ms: pct(lat[k], 50), p99_ms: pct(lat[k], 99), max_ms: lat[k].length ? Math.max(...lat[k]) : NaN, errors: counts[k].err,
	}]));
	const result = {
		seconds: secs, concurrency: CONC, requests: done, per_s: done / secs,
		errors: [...errors.values()].reduce((a, b) => a + b, 0), error_list: [...errors.entries()].map(([k, n]) => ({ what: k, n })),
		kinds: perKind, memory: mem, submitted: codes.length,
		server_cpu_s: cpuSeconds() - cpu0, client_cpu_s: (me.user + me.system) / 1e6,
	};
	if (OUT) fs.writeFileSync(OUT, JSON.stringify(result, null, 1));
	else console.log(JSON.stringify(result));
}

// ---- the report (node bench/soak.mjs --render results.json) ---------------------------

/* Memory is flat when the last third's peak is within 10 % of the peak of
 * the first third after the warm-up (the first minute, or the first tenth
 * of a shorter run). */
export function memoryVerdict(mem, seconds) {
	const warm = Math.min(60, seconds / 10);
	const s = mem.filter((m) => m.t >= warm && Number.isFinite(m.rss_kb));
	if (s.length < 3) return { flat: false, why: 'too few samples' };
	const span = s[s.length - 1].t - s[0].t;
	const first = s.filter((m) => m.t <= s[0].t + span / 3);
	const last = s.filter((m) => m.t >= s[0].t + (2 * span) / 3);
	const a = Math.max(...first.map((m) => m.rss_kb)), b = Math.max(...last.map((m) => m.rss_kb));
	return { flat: b <= a * 1.1, warm, firstMax: a, lastMax: b, growth: (b - a) / a, start: mem[0].rss_kb, end: mem[mem.length - 1].rss_kb, peak: Math.max(...s.map((m) => m.rss_kb)) };
}

function render(file) {
	const r = JSON.parse(fs.readFileSync(file, 'utf8'));
	const v = memoryVerdict(r.memory, r.seconds);
	const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
	const ms = (x) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : '—');
	const lines = [];
	lines.push('| kind | what | requests | per second | p50 | p99 | max | errors |', '|---|---|---:|---:|---:|---:|---:|---:|');
	const what = {
		home: '`GET /` (anonymous)', units: '`GET /units`, `/units/{id}`, `/regions/dbsh-11`', track: '`GET /tra-cuu/{code}`',
		submit: '`GET`+`POST /gui-don` (CSRF, new case)', queue: '`GET /cases?queue=…` (handler)', case: '`GET /cases/{id}` (handler)',
		note: '`POST /cases/{id}/note` (handler, CSRF)', search: '`GET /cases?q=` (handler), `GET /units?q=`', api: '`GET /api/v1/cases?limit=20` (token)',
	};
	for (const [k, x] of Object.entries(r.kinds))
		lines.push(`| ${k} | ${what[k] || ''} | ${x.requests} | ${x.per_s.toFixed(1)} | ${ms(x.p50_ms)} ms | ${ms(x.p99_ms)} ms | ${ms(x.max_ms)} ms | ${x.errors} |`);
	lines.push(`| **all** | | **${r.requests}** | **${r.per_s.toFixed(0)}** | | | | **${r.errors}** |`);
	const memRows = ['| t (s) | VmRSS | requests so far | load average (1 min) |', '|---:|---:|---:|---:|'];
	const step = Math.max(1, Math.round(r.memory.length / 21));
	r.memory.forEach((m, i) => { if (i % step === 0 || i === r.memory.length - 1) memRows.push(`| ${m.t} | ${mib(m.rss_kb)} | ${m.requests} | ${Number.isFinite(m.load) ? m.load.toFixed(2) : '—'} |`); });
	const loads = r.memory.map((m) => m.load).filter(Number.isFinite);
	const cores = (x) => (x / r.seconds).toFixed(2);
	const out = {
		table: lines.join('\n'), memory: memRows.join('\n'),
		verdict: `${r.errors === 0 ? 'errors: **0**' : `errors: **${r.errors}** (must be 0)`}; memory ${v.flat ? '**flat**' : '**growing**'}: the peak of the last third of the run is ${mib(v.lastMax)} against ${mib(v.firstMax)} in the first third after a ${Math.round(v.warm)} s warm-up (${(v.growth * 100).toFixed(1)} %, limit +10 %); ${mib(v.start)} at the start, ${mib(v.peak)} at the peak, ${mib(v.end)} at the end.`,
		errors: r.error_list.slice(0, 20).map((e) => `- ${e.n}× ${e.what}`).join('\n'),
		ok: r.errors === 0 && v.flat,
		per_s: r.per_s.toFixed(0), requests: r.requests, submitted: r.submitted, seconds: Math.round(r.seconds),
		cpu: `the server used ${r.server_cpu_s.toFixed(0)} s of CPU (${cores(r.server_cpu_s)} cores on average), the load generator ${r.client_cpu_s.toFixed(0)} s (${cores(r.client_cpu_s)} cores); the machine's 1-minute load average was ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)})`,
	};
	process.stdout.write(JSON.stringify(out));
}

if (args.render) render(args.render);
else main().catch((e) => { console.error(e); process.exit(2); });
