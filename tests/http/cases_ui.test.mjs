// cases_ui.test.mjs — citizens' cases through the HTML pages, end to end
// over HTTP: the public form (/gui-don) for each kind with CSRF, multipart
// and attachments (a PDF accepted, an .exe dressed as .pdf refused, the
// caps), the tracking page (/tra-cuu/{code}: status, time limits with the
// legal basis, replies, no personal data, no-store, the code never in the
// access log), desk registration on the citizen's behalf with the real
// received date, group petitions, the split of a mixed submission, the
// workflow with document numbers, replies versus internal notes, the
// citizen's additions, rating and appeal, the sealed identity of a
// denouncer (pseudonym, search, exports, log, outbox, the raw database,
// the audited reveal with the vault key), the area scope, the work
// queues, keyset pages over the demo data and accent-folding search.
//
// The JSON API has its own suite (api_cases.test.mjs); this one drives
// the forms people use.  Public requests come from a different loopback
// address per citizen (127.0.0.x), so the per-client rate limit of the
// public routes stays out of the way without being switched off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import {
	startServer, fixtureDb, cli, sqlite, sqliteValue, sq, vnIsoDate, extractCsrf, Response, SLOW,
} from './lib/server.mjs';

let srv;
let reception, handler, hpHandler, otherCommune; // staff clients
let ids; // ids of demo things, read from the database

/* Every tracking code this suite makes: none may reach the access log. */
const codes = new Set();

const today = vnIsoDate();
const daysAgo = (n) => vnIsoDate(Date.now() - n * 86400000);

// ---- a citizen's browser: cookies, CSRF, its own loopback address -----------

let nextHost = 10;

class Citizen {
	constructor(base) {
		this.base = new URL(base);
		this.ip = `127.0.0.${nextHost++}`;
		assert.ok(nextHost < 255, 'out of loopback addresses');
		this.cookies = new Map();
		this.csrf = undefined;
	}

	request(method, path, { body, headers = {} } = {}) {
		const h = { ...headers };
		if (this.cookies.size)
			h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined)
			h['Content-Length'] = Buffer.byteLength(body);
		return new Promise((resolve, reject) => {
			const req = http.request({
				host: this.base.hostname, port: this.base.port, method, path, headers: h,
				localAddress: this.ip, agent: false, timeout: 30000 * SLOW,
			}, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					for (const sc of res.headers['set-cookie'] || []) {
						const [pair] = sc.split(';');
						const eq = pair.indexOf('=');
						this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
					}
					resolve(new Response(res.statusCode, { ...res.headers }, Buffer.concat(chunks)));
				});
			});
			req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
			req.on('error', reject);
			req.end(body);
		});
	}

	get(path) { return this.request('GET', path); }

	async page(path) {
		const res = await this.get(path);
		const tok = extractCsrf(res.text);
		if (tok) this.csrf = tok;
		return res;
	}

	post(path, form) {
		return this.request('POST', path, {
			body: new URLSearchParams(form).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
	}

	postMultipart(path, fields, files = []) {
		return this.request('POST', path, multipart(fields, files));
	}
}

/** A multipart/form-data body; fields may hold arrays (repeated names); files go as "files". */
function multipart(fields, files = []) {
	const boundary = `----danvan${Math.random().toString(16).slice(2)}`;
	const parts = [];
	const field = (k, v) => parts.push(Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
	for (const [k, v] of Object.entries(fields)) {
		if (v === undefined) continue;
		for (const one of Array.isArray(v) ? v : [v]) field(k, one);
	}
	for (const f of files) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; ` +
			`filename="${f.name}"\r\nContent-Type: ${f.type || 'application/octet-stream'}\r\n\r\n`));
		parts.push(f.data, Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

// ---- files ----------------------------------------------------------------------

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/* The start of a Windows program: "MZ", a DOS stub, "PE\0\0". */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'binary'),
	Buffer.alloc(46), Buffer.from([0x80, 0, 0, 0]), Buffer.from('This program cannot be run in DOS mode.\r\n'),
	Buffer.alloc(64), Buffer.from('PE\0\0', 'binary')]);

// ---- the people (their data must stay where the law puts it) -----------------------

const PETITIONER = {
	name: 'Lê Thị Kiến Nghị', address: 'Số 5 ngõ Đèn, phường Ba Đình', phone: '0912 345 601',
	email: 'kien.nghi@example.vn', id_number: '001190000601',
};
const COMPLAINANT = {
	name: 'Phạm Văn Khiếu', address: 'Số 9 phố Khiếu Nại, Ba Đình', phone: '0912345602',
	email: 'pham.khieu@example.vn', id_number: '001190000602',
};
/* A name nobody else has: searching for it must find nothing. */
const DENOUNCER = {
	name: 'Quách Tuyệt Mật', address: 'Số 77 ngõ Kín Đáo, phường Ba Đình', phone: '0987 654 777',
	email: 'tuyet.mat.77@example.vn', id_number: '001190007777',
};

const personFields = (p) => ({ name: p.name, address: p.address, phone: p.phone, email: p.email, id_number: p.id_number });
const personValues = (p) => Object.values(p);

function assertNone(text, values, what) {
	for (const v of values)
		assert.ok(!text.includes(v), `${what} contains "${v}"`);
}

// ---- small helpers ----------------------------------------------------------------

const caseRow = (code) => {
	const r = sqlite(srv.db, `SELECT id, kind, status, channel, received_on, coalesce(unit_id, 0),
		coalesce(receiving_org_id, 0), coalesce(citizen_name, '<null>'), coalesce(citizen_email, '<null>'),
		identity_sealed IS NOT NULL, anonymous, pseudonym, people_count, instance, coalesce(parent_id, 0),
		coalesce(rating, 0), coalesce(person_key, '<null>')
		FROM cases WHERE code = ${sq(code)}`)[0];
	assert.ok(r, `no case ${code}`);
	const [id, kind, status, channel, received_on, unit_id, receiving_org_id, citizen_name, citizen_email,
		sealed, anonymous, pseudonym, people_count, instance, parent_id, rating, person_key] = r;
	return {
		id: Number(id), kind, status, channel, received_on, unit_id: Number(unit_id),
		receiving_org_id: Number(receiving_org_id), citizen_name, citizen_email, sealed: sealed === '1',
		anonymous: anonymous === '1', pseudonym, people_count: Number(people_count), instance: Number(instance),
		parent_id: Number(parent_id), rating: Number(rating), person_key, code,
	};
};
/** Rows as objects: `cols` are SQL expressions keyed by name (multi-line text survives). */
function sqlObjects(cols, rest) {
	const obj = Object.entries(cols).map(([k, v]) => `'${k}', ${v}`).join(', ');
	return sqlite(srv.db, `SELECT json_object(${obj}) ${rest}`).map((r) => JSON.parse(r.join('|')));
}
/** How many rows of `table` hold `value` in the text of `expr`. */
const rowsHolding = (table, expr, value) =>
	Number(sqliteValue(srv.db, `SELECT count(*) FROM ${table} WHERE instr(${expr}, ${sq(value)}) > 0`));

const caseCount = () => Number(sqliteValue(srv.db, 'SELECT count(*) FROM cases'));
const attachmentCount = () => Number(sqliteValue(srv.db, 'SELECT count(*) FROM case_attachment'));
const statusOf = (id) => sqliteValue(srv.db, `SELECT status FROM cases WHERE id = ${Number(id)}`);

function codeOf(location) {
	const m = /^\/tra-cuu\/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})\?moi=1(&thu=1)?$/.exec(location || '');
	assert.ok(m, `not a tracking page address: ${location}`);
	codes.add(m[1]);
	return { code: m[1], receipt: Boolean(m[2]) };
}

/** Send the public form as a new citizen; resolves {res, citizen}. */
async function sendWeb(fields, files = []) {
	const citizen = new Citizen(srv.base);
	const form = await citizen.page('/gui-don');
	assert.equal(form.status, 200);
	assert.ok(citizen.csrf, 'no csrf token on the public form');
	const res = await citizen.postMultipart('/gui-don', {
		csrf: citizen.csrf, province_id: String(ids.hanoi), commune: '00004', ...fields,
	}, files);
	return { res, citizen };
}

async function sendWebOk(fields, files = []) {
	const { res, citizen } = await sendWeb(fields, files);
	assert.equal(res.status, 303, `the form was refused (${res.status}): ${fieldErrors(res.text)}`);
	/* As a browser does: the tracking page, which waits for the case to be
	 * built from the intake log. */
	assert.equal((await citizen.page(res.location)).status, 200);
	return { ...codeOf(res.location), citizen };
}

/** The messages next to fields on a page shown again: "field: message; …". */
function fieldErrors(html) {
	return [...html.matchAll(/<span class="field-error" id="([^"]+)-error">([\s\S]*?)<\/span><\/span>|<span class="field-error" id="([^"]+)-error">([\s\S]*?)<\/span>/g)]
		.map((m) => `${m[1] || m[3]}: ${(m[2] || m[4]).replace(/<[^>]+>/g, '')}`).join('; ') || html.slice(0, 300);
}

function assertFieldError(res, field) {
	assert.equal(res.status, 400, `expected 400 for ${field}, got ${res.status}: ${res.text.slice(0, 200)}`);
	assert.match(res.text, new RegExp(`id="${field}-error"`), `no error next to "${field}": ${fieldErrors(res.text)}`);
	assert.match(res.text, /class="error-summary"/);
}

/** A staff form post with the session's token. */
function staffPost(client, path, fields) {
	return client.post(path, { form: [['csrf', client.csrf], ...Object.entries(fields).flatMap(([k, v]) =>
		(Array.isArray(v) ? v : [v]).map((one) => [k, String(one)]))] });
}

async function act(client, id, fields, status = 303) {
	const res = await staffPost(client, `/cases/${id}/act`, fields);
	assert.equal(res.status, status, `${fields.action} on case ${id}: ${res.status} ${res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-400)}`);
	if (status === 303)
		assert.equal(res.location, `/cases/${id}?saved=1`);
	return res;
}

/** Desk registration by a staff client (multipart); resolves the response. */
async function register(client, fields, files = []) {
	const form = await client.page('/cases/new');
	assert.equal(form.status, 200, `GET /cases/new: ${form.status}`);
	const { body, headers } = multipart({ csrf: client.csrf, ...fields }, files);
	return client.post('/cases', { body, headers });
}

async function registerOk(client, fields, files = []) {
	const res = await register(client, fields, files);
	assert.equal(res.status, 303, `registration refused (${res.status}): ${fieldErrors(res.text)}`);
	const m = /^\/cases\/(\d+)\?saved=registered$/.exec(res.location);
	assert.ok(m, res.location);
	const id = Number(m[1]);
	const code = sqliteValue(srv.db, `SELECT code FROM cases WHERE id = ${id}`);
	codes.add(code);
	return { id, code };
}

/** The visible text of a page's <main>, tags dropped. */
function mainText(html) {
	const m = /<main\b[\s\S]*<\/main>/.exec(html);
	return (m ? m[0] : html).replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** Case ids and codes of a list page, in order, and the next page's address. */
function listPage(html) {
	const rows = [...html.matchAll(/<tr><td><a href="\/cases\/(\d+)"><code>([^<]+)<\/code><\/a>/g)]
		.map((m) => ({ id: Number(m[1]), code: m[2] }));
	const next = /<a href="([^"]+)" rel="next">/.exec(html);
	return { rows, next: next ? next[1].replace(/&amp;/g, '&') : null };
}

/** Every page of a list, following rel="next"; asserts no case shows twice. */
async function allPages(client, first) {
	const seen = [];
	let url = first, pages = 0;
	while (url) {
		const res = await client.get(url);
		assert.equal(res.status, 200, `${url}: ${res.status}`);
		const p = listPage(res.text);
		assert.ok(p.rows.length <= 20, `${p.rows.length} rows on a page`);
		if (p.next) assert.equal(p.rows.length, 20, 'a page before the last is not full');
		seen.push(...p.rows);
		url = p.next;
		assert.ok(++pages < 100, 'runaway pagination');
	}
	const idsSeen = seen.map((r) => r.id);
	assert.equal(new Set(idsSeen).size, idsSeen.length, `a case appeared twice across pages of ${first}`);
	return { ids: idsSeen, pages };
}

/** The cases ha-noi-like staff may list (the area rule, independently of the list's SQL). */
function idsInArea(provinceId, orgId, extra = '1') {
	return sqlite(srv.db, `SELECT c.id FROM cases c LEFT JOIN unit u ON u.id = c.unit_id
		WHERE (u.id = ${provinceId} OR u.province_id = ${provinceId}
		       OR c.receiving_org_id = ${orgId} OR c.responsible_org_id = ${orgId}
		       OR c.id IN (SELECT case_id FROM case_monitor WHERE org_id = ${orgId}))
		AND (${extra})`).map((r) => Number(r[0]));
}

/** Entries of a ZIP archive (XLSX) as text, through the central directory. */
function unzipAll(buf) {
	const eocd = buf.lastIndexOf(Buffer.from('PK\x05\x06', 'binary'));
	assert.ok(eocd >= 0, 'not a ZIP archive');
	let p = buf.readUInt32LE(eocd + 16);
	const n = buf.readUInt16LE(eocd + 10);
	const out = {};
	for (let i = 0; i < n; i++) {
		assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
		const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
		const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + csize);
		out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
		p += 46 + nlen + xlen + clen;
	}
	return out;
}

// ---- the server -------------------------------------------------------------------

before(async () => {
	srv = await startServer();
	const one = (sql) => Number(sqliteValue(srv.db, sql));
	ids = {
		hanoi: one("SELECT id FROM unit WHERE code = '01' AND level = 'province' AND valid_to IS NULL"),
		haiphong: one("SELECT id FROM unit WHERE code = '31' AND level = 'province' AND valid_to IS NULL"),
		baDinh: one("SELECT id FROM unit WHERE code = '00004' AND level = 'commune' AND valid_to IS NULL"),
		pc: one("SELECT id FROM org WHERE code = 'p01-pc'"),
		insp: one("SELECT id FROM org WHERE code = 'p01-insp'"),
		hpInsp: one("SELECT id FROM org WHERE code = 'p31-insp'"),
		reception: one("SELECT id FROM user WHERE login = 'ha-noi.reception'"),
		handler: one("SELECT id FROM user WHERE login = 'ha-noi.handler'"),
	};
	reception = srv.client();
	await reception.loginOk('ha-noi.reception');
	handler = srv.client();
	await handler.loginOk('ha-noi.handler');
	hpHandler = srv.client();
	await hpHandler.loginOk('hai-phong.handler');
	otherCommune = srv.client();
	await otherCommune.loginOk('c00008.reception');
});

after(async () => { await srv?.stop(); });

/* Made by the tests below and used by later ones. */
let petition, complaint, denunciation, anonymousInfo, desk, reclassified;

// ---- the public form ------------------------------------------------------------

test('the public form explains the three kinds and what each needs, with a CSRF token', async () => {
	const c = new Citizen(srv.base);
	const res = await c.page('/gui-don');
	assert.equal(res.status, 200);
	assert.equal(res.header('cache-control'), 'no-store');
	assert.match(res.header('content-security-policy'), /script-src 'self'/);
	assert.match(res.text, /<form method="post" action="\/gui-don" enctype="multipart\/form-data"/);
	assert.match(c.csrf, /^[0-9a-f]{64}$/);
	for (const kind of ['petition', 'complaint', 'denunciation'])
		assert.match(res.text, new RegExp(`<input type="radio" id="kind-${kind}" name="kind" value="${kind}" required aria-describedby="kind-${kind}-hint">`));
	const hint = (kind) => new RegExp(`<p class="hint" id="kind-${kind}-hint">([^<]+)</p>`).exec(res.text)?.[1] || '';
	assert.match(hint('complaint'), /chữ ký/, 'the complaint hint does not ask for a signature');
	assert.match(hint('complaint'), /90 ngày/, 'the complaint hint does not give the 90-day limit');
	assert.match(hint('denunciation'), /họ tên, địa chỉ và chữ ký/);
	assert.match(hint('denunciation'), /Điều 25/, 'anonymous information (Art. 25) is not explained');
	assert.match(hint('petition'), /không ghi tên/);
	for (const id of ['title', 'content', 'name', 'address', 'phone', 'email', 'id_number', 'signed', 'anonymous', 'files', 'province_id', 'commune'])
		assert.match(res.text, new RegExp(`<label for="${id}">`), `no label for #${id}`);
	assert.match(res.text, /<input type="file" id="files" name="files" multiple accept="[^"]*\.pdf[^"]*"/);
});

test('a petition through the public form: a PDF attached, the tracking code, a receipt queued, the tracking page', async () => {
	const before = caseCount();
	const sent = await sendWebOk({
		kind: 'petition', title: 'Đèn đường ngõ Đèn không sáng',
		content: 'Đèn đường trong ngõ Đèn đã hỏng hai tuần, đề nghị sửa chữa. Nội dung riêng PET-CONTENT-771.',
		...personFields(PETITIONER),
	}, [{ name: 'ảnh-hiện-trường.pdf', type: 'application/pdf', data: PDF }]);
	assert.equal(sent.receipt, true, 'the redirect does not say a receipt is on its way');
	assert.equal(caseCount(), before + 1);
	petition = { ...caseRow(sent.code), citizen: sent.citizen };
	assert.equal(petition.kind, 'petition');
	assert.equal(petition.status, 'received');
	assert.equal(petition.channel, 'web');
	assert.equal(petition.received_on, today);
	assert.equal(petition.unit_id, ids.baDinh);
	assert.equal(petition.citizen_name, PETITIONER.name);
	assert.equal(petition.sealed, false);

	/* the file: type from its bytes, never shown to the public */
	const [att] = sqlite(srv.db, `SELECT filename, content_type, size, public FROM case_attachment WHERE case_id = ${petition.id}`);
	assert.deepEqual(att, ['ảnh-hiện-trường.pdf', 'application/pdf', String(PDF.length), '0']);

	/* the receipt: the code, nothing about the matter or the person */
	const mail = sqlObjects({ to: 'to_addr', subject: 'subject', body: 'body', state: 'state' },
		`FROM outbox WHERE case_id = ${petition.id}`);
	assert.equal(mail.length, 1, 'no receipt queued');
	const { to, subject, body, state } = mail[0];
	assert.equal(to, PETITIONER.email);
	assert.equal(state, 'pending'); // jobs are off in this suite
	assert.ok(subject.includes(petition.code) && body.includes(petition.code));
	assertNone(subject + body, [PETITIONER.name, PETITIONER.address, PETITIONER.phone, PETITIONER.id_number,
		'PET-CONTENT-771', 'ngõ Đèn'], 'the receipt');

	/* the tracking page right after sending */
	const res = await sent.citizen.get(`/tra-cuu/${petition.code}?moi=1&thu=1`);
	assert.equal(res.status, 200);
	assert.equal(res.header('cache-control'), 'no-store');
	assert.match(res.text, new RegExp(`<p class="tracking-code"[^>]*><strong>${petition.code}</strong>`));
	assert.match(res.text, /class="status status-received"/);
	/* the time limit: due date and legal basis, as recorded */
	const [due, basis, step] = sqlite(srv.db, `SELECT due_on, basis, step FROM case_deadline WHERE case_id = ${petition.id}`)[0];
	assert.equal(step, 'handle');
	assert.ok(due > today, `due ${due}`);
	const row = /<table class="deadlines">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(res.text)?.[1] || '';
	assert.ok(row.includes(`<time datetime="${due}">`), `the due date ${due} is not on the tracking page: ${row}`);
	assert.ok(basis.length > 10 && row.includes(basis.replace(/&/g, '&amp;')), 'the legal basis is not on the tracking page');
	assert.match(basis, /05\/2021\/TT-TTCP|42\/2013\/QH13/);
	/* no personal data, not the citizen's own text, not their files */
	assertNone(res.text, [...personValues(PETITIONER), 'PET-CONTENT-771', 'ảnh-hiện-trường'], 'the tracking page');
	assert.ok(!res.text.includes('/tep/'), 'a file the citizen sent is downloadable with the code');

	/* the code as people type it */
	const loose = await sent.citizen.get(`/tra-cuu?code=${petition.code.replace(/-/g, '').toLowerCase()}`);
	assert.equal(loose.status, 303);
	assert.equal(loose.location, `/tra-cuu/${petition.code}`);
	const unknown = await sent.citizen.get('/tra-cuu/ZZZZ-ZZZZ-ZZ');
	assert.equal(unknown.status, 404);
	assert.equal(unknown.header('cache-control'), 'no-store');
});

test('a submission in the intake log that cannot be built: the tracking page says it is received and being registered (202), check fails, nothing is lost', async () => {
	/* as a fault would leave it: a row the builder fails on, one attempt left */
	const log = `${srv.db}.intake`;
	const code = 'ZZZZ-ZZZZ-Z9';
	sqlite(log, `INSERT INTO intake_log (code, created_at, kind, received_on, title, content, anonymous,
		people_count, criteria, remote_area, attempts) VALUES (${sq(code)}, strftime('%s', 'now'), 'nonsense',
		${sq(today)}, 'Không dựng được', 'Nội dung.', 1, 1, 0, 0, 4)`);
	const c = new Citizen(srv.base);
	const res = await c.get(`/tra-cuu/${code}`);
	assert.equal(res.status, 202, 'a received submission must not be "no such case"');
	assert.match(res.text, /Đơn của bạn đã được tiếp nhận/);
	assert.match(res.text, /đang được vào sổ/);
	assert.ok(res.text.includes(`<strong>${code}</strong>`), 'the page does not show the code');
	assert.equal(res.header('refresh'), '5', 'the page does not reload itself');
	assert.equal(res.header('cache-control'), 'no-store');
	assert.equal(sqliteValue(log, `SELECT attempts FROM intake_log WHERE code = ${sq(code)}`), '5');
	assert.match(sqliteValue(log, `SELECT last_error FROM intake_log WHERE code = ${sq(code)}`), /^invalid/);
	/* an operator is told, and the row stays */
	const check = await cli(['check'], { db: srv.db });
	assert.equal(check.status, 1, check.stdout + check.stderr);
	assert.match(check.stderr, /intake log: FAILED: 1 submission\(s\) could not be built/);
	/* an unknown code is still a plain 404 */
	assert.equal((await c.get('/tra-cuu/ZZZZ-ZZZZ-Z8')).status, 404);
	sqlite(log, `DELETE FROM intake_log WHERE code = ${sq(code)}`);
	const again = await cli(['check'], { db: srv.db });
	assert.equal(again.status, 0, again.stdout + again.stderr);
});

test('refused uploads: an .exe named .pdf, six files, a file over 5 MB, no CSRF token — nothing stored', async () => {
	const cases0 = caseCount(), files0 = attachmentCount();
	const fields = {
		kind: 'petition', title: 'Tiêu đề giữ lại khi lỗi', content: 'Nội dung', ...personFields(PETITIONER),
	};
	/* a program dressed as a PDF: the bytes decide */
	let { res } = await sendWeb(fields, [{ name: 'hoa-don.pdf', type: 'application/pdf', data: EXE }]);
	assertFieldError(res, 'files');
	assert.match(res.text, /value="Tiêu đề giữ lại khi lỗi"/, 'the typed values are not kept');
	assert.match(res.text, /<strong>[^<]+<\/strong><\/span>/, 'no reminder to choose the files again');
	/* even among good ones */
	({ res } = await sendWeb(fields, [{ name: 'a.png', type: 'image/png', data: PNG },
		{ name: 'b.pdf', type: 'application/pdf', data: EXE }]));
	assertFieldError(res, 'files');
	/* at most five files */
	({ res } = await sendWeb(fields, Array.from({ length: 6 }, (_, i) => ({ name: `anh-${i}.png`, type: 'image/png', data: PNG }))));
	assertFieldError(res, 'files');
	/* at most 5 MB each */
	const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
	({ res } = await sendWeb(fields, [{ name: 'lon.pdf', type: 'application/pdf', data: big }]));
	assertFieldError(res, 'files');
	/* an empty file is refused; a file input left empty (no name, no bytes) is no file */
	({ res } = await sendWeb(fields, [{ name: 'rong.pdf', type: 'application/pdf', data: Buffer.alloc(0) }]));
	assertFieldError(res, 'files');
	({ res } = await sendWeb(fields, [{ name: '', type: 'application/octet-stream', data: Buffer.alloc(0) }]));
	assert.equal(res.status, 303, `an empty file input is refused: ${fieldErrors(res.text)}`);
	codeOf(res.location);
	await new Citizen(srv.base).page(res.location); /* waits for the case to be built */
	const emptyCase = caseRow([...codes].pop());
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM case_attachment WHERE case_id = ${emptyCase.id}`)), 0);

	/* no token, a wrong one, another visitor's */
	const c = new Citizen(srv.base);
	await c.page('/gui-don');
	const other = new Citizen(srv.base);
	await other.page('/gui-don');
	for (const csrf of [undefined, '0'.repeat(64), other.csrf]) {
		const r = await c.postMultipart('/gui-don', { csrf, ...fields, province_id: String(ids.hanoi), commune: '00004' },
			[{ name: 'a.pdf', type: 'application/pdf', data: PDF }]);
		assert.equal(r.status, 403, `csrf=${csrf}`);
	}
	/* without the anonymous cookie at all */
	const bare = new Citizen(srv.base);
	const r = await bare.postMultipart('/gui-don', { csrf: c.csrf, ...fields }, []);
	assert.equal(r.status, 403);

	assert.equal(caseCount(), cases0 + 1); // only the one with the empty file input
	assert.equal(attachmentCount(), files0);
});

test('what each kind needs: complaints and denunciations need name, address and signature; anonymous information is kept as information', async () => {
	const base = { title: 'Khiếu nại quyết định xử phạt', content: 'Tôi không đồng ý với quyết định số 12/QĐ-XPHC.' };
	const cases0 = caseCount();
	/* a complaint without the signature box */
	let { res } = await sendWeb({ kind: 'complaint', ...base, ...personFields(COMPLAINANT) });
	assertFieldError(res, 'signed');
	/* a complaint without a name cannot be anonymous */
	({ res } = await sendWeb({ kind: 'complaint', ...base, anonymous: '1', signed: '1' }));
	assertFieldError(res, 'anonymous');
	/* a complaint without an address */
	({ res } = await sendWeb({ kind: 'complaint', ...base, name: COMPLAINANT.name, signed: '1' }));
	assertFieldError(res, 'address');
	/* a denunciation without a name */
	({ res } = await sendWeb({ kind: 'denunciation', ...base, address: DENOUNCER.address, signed: '1' }));
	assertFieldError(res, 'name');
	/* a petition without any way to answer */
	({ res } = await sendWeb({ kind: 'petition', ...base, name: 'Ai Đó' }));
	assertFieldError(res, 'address');
	/* no kind chosen */
	({ res } = await sendWeb({ ...base, ...personFields(COMPLAINANT), signed: '1' }));
	assertFieldError(res, 'kind');
	/* a bad e-mail address, a bad ID number */
	({ res } = await sendWeb({ kind: 'petition', ...base, ...personFields(PETITIONER), email: 'not-an-address' }));
	assertFieldError(res, 'email');
	({ res } = await sendWeb({ kind: 'petition', ...base, ...personFields(PETITIONER), id_number: '123' }));
	assertFieldError(res, 'id_number');
	assert.equal(caseCount(), cases0);

	/* the complaint, complete */
	let sent = await sendWebOk({ kind: 'complaint', ...base, ...personFields(COMPLAINANT), signed: '1' });
	complaint = { ...caseRow(sent.code), citizen: sent.citizen };
	assert.equal(complaint.kind, 'complaint');
	assert.equal(complaint.citizen_name, COMPLAINANT.name);
	const [step, basis] = sqlite(srv.db, `SELECT step, basis FROM case_deadline WHERE case_id = ${complaint.id}`)[0];
	assert.equal(step, 'accept');
	assert.match(basis, /02\/2011\/QH13/, 'the complaint deadline does not cite the Law on Complaints');

	/* information about a violation without a name: received, nothing about the sender kept */
	sent = await sendWebOk({
		kind: 'denunciation', title: 'Phản ánh cán bộ thu tiền sai quy định',
		content: 'Có cán bộ thu tiền không có biên lai ở bộ phận một cửa.',
		anonymous: '1', ...personFields({ ...DENOUNCER, name: 'Tên Bị Bỏ Qua', email: 'bo.qua@example.vn' }), signed: '1',
	});
	assert.equal(sent.receipt, false, 'a receipt for anonymous information');
	anonymousInfo = caseRow(sent.code);
	assert.equal(anonymousInfo.anonymous, true);
	assert.equal(anonymousInfo.citizen_name, '<null>');
	assert.equal(anonymousInfo.citizen_email, '<null>');
	assert.equal(anonymousInfo.sealed, false, 'nothing should be sealed: nothing is kept');
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${anonymousInfo.id}`)), 0);
	/* staff see that it is not a denunciation to accept: only filing or forwarding */
	let page = await handler.page(`/cases/${anonymousInfo.id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Đơn không ghi tên \(thông tin nặc danh\)\./);
	assert.ok(!page.text.includes('Tên Bị Bỏ Qua'));
	assert.ok(!page.text.includes('action-accept'), 'anonymous information can be accepted as a denunciation');
	assert.ok(page.text.includes('action-file') && page.text.includes('action-forward'));
	await act(reception, anonymousInfo.id, { action: 'classify', note: 'Thông tin nặc danh' });
	page = await handler.page(`/cases/${anonymousInfo.id}`);
	assert.ok(!page.text.includes('action-accept'));
	await act(handler, anonymousInfo.id, { action: 'accept' }, 409);
	assert.equal(statusOf(anonymousInfo.id), 'classified');
	await act(handler, anonymousInfo.id, { action: 'file', reason_code: 'bogus' }, 400);
	const reason = /<select id="file-reason" name="reason_code" required><option value="">[^<]*<\/option><option value="([^"]+)">/.exec(page.text)?.[1];
	assert.ok(reason, 'no reason to file anonymous information');
	await act(handler, anonymousInfo.id, { action: 'file', reason_code: reason, note: 'Lưu đơn nặc danh; chuyển kiểm tra quản lý.' });
	assert.equal(statusOf(anonymousInfo.id), 'filed');
});

test('a denunciation: sealed at intake, a pseudonym for staff, nothing in search, exports, log, outbox or the database file', async () => {
	const sent = await sendWebOk({
		kind: 'denunciation', title: 'Tố cáo cán bộ địa chính nhận tiền',
		content: 'Cán bộ địa chính phường nhận tiền để làm nhanh hồ sơ cấp giấy chứng nhận.',
		...personFields(DENOUNCER), signed: '1',
	}, [{ name: 'chu-ky-nguoi-to-cao.png', type: 'image/png', data: PNG }]);
	assert.equal(sent.receipt, false, 'a receipt promised to a denouncer');
	denunciation = { ...caseRow(sent.code), citizen: sent.citizen };
	assert.equal(denunciation.kind, 'denunciation');
	assert.equal(denunciation.sealed, true, 'the identity is not sealed');
	assert.equal(denunciation.citizen_name, '<null>');
	assert.equal(denunciation.citizen_email, '<null>');
	assert.equal(denunciation.person_key, '<null>');
	assert.match(denunciation.pseudonym, /^Người tố cáo TC-[0-9A-Z]{6}$/);
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${denunciation.id}`)), 0);
	const [step, basis] = sqlite(srv.db, `SELECT step, basis FROM case_deadline WHERE case_id = ${denunciation.id}`)[0];
	assert.equal(step, 'initial');
	assert.match(basis, /25\/2018\/QH14/);
	const attId = Number(sqliteValue(srv.db, `SELECT id FROM case_attachment WHERE case_id = ${denunciation.id}`));
	denunciation.attId = attId;

	/* the handler sees the pseudonym and a way to reveal, not the person */
	let page = await handler.page(`/cases/${denunciation.id}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(denunciation.pseudonym));
	assert.match(page.text, /action="\/cases\/\d+\/reveal"/);
	assertNone(page.text, personValues(DENOUNCER), 'the handler\'s case page');
	/* the reception officer: the pseudonym, no reveal form, the handwriting not downloadable */
	page = await reception.page(`/cases/${denunciation.id}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(denunciation.pseudonym));
	assert.ok(!/\/reveal"/.test(page.text), 'a reception officer is offered the reveal');
	assert.ok(page.text.includes('chu-ky-nguoi-to-cao.png') && !page.text.includes(`/attachments/${attId}"`));
	assertNone(page.text, personValues(DENOUNCER), 'the reception officer\'s case page');
	let file = await reception.get(`/cases/${denunciation.id}/attachments/${attId}`);
	assert.equal(file.status, 403);
	file = await handler.get(`/cases/${denunciation.id}/attachments/${attId}`);
	assert.equal(file.status, 200);
	assert.equal(file.header('content-type'), 'image/png');
	assert.equal(file.header('cache-control'), 'no-store');
	assert.deepEqual(file.body, PNG);

	/* the tracking page: no identity, the kind and status */
	const track = await sent.citizen.get(`/tra-cuu/${denunciation.code}`);
	assert.equal(track.status, 200);
	assertNone(track.text, [...personValues(DENOUNCER), denunciation.pseudonym], 'the tracking page');

	/* a reply: shown on the tracking page, never e-mailed */
	const reply = await staffPost(handler, `/cases/${denunciation.id}/reply`, { text: 'Cơ quan đã nhận đơn tố cáo, đang xử lý ban đầu.' });
	assert.equal(reply.status, 303);
	const track2 = await sent.citizen.get(`/tra-cuu/${denunciation.code}`);
	assert.ok(track2.text.includes('Cơ quan đã nhận đơn tố cáo, đang xử lý ban đầu.'));
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${denunciation.id}`)), 0);

	/* search: the name, the phone, the e-mail find nothing; the matter does */
	for (const q of [DENOUNCER.name, 'quach tuyet', DENOUNCER.email, '0987654777', DENOUNCER.id_number]) {
		const res = await handler.get(`/cases?q=${encodeURIComponent(q)}`);
		assert.equal(res.status, 200);
		assert.deepEqual(listPage(res.text).rows, [], `searching "${q}" finds cases`);
	}
	const found = await handler.get(`/cases?q=${encodeURIComponent('dia chinh nhan tien')}`);
	assert.ok(listPage(found.text).rows.some((r) => r.id === denunciation.id), 'the denunciation is not found by its matter');
	const key = sqliteValue(srv.db, `SELECT search_key FROM cases WHERE id = ${denunciation.id}`);
	assert.ok(!/quach|tuyet mat|0987|kin dao/.test(key), `the search key holds identity: ${key}`);

	/* exports */
	for (const who of [handler, reception]) {
		const csv = await who.get('/cases/export.csv');
		assert.equal(csv.status, 200);
		assert.ok(csv.text.includes(denunciation.code), 'the export lacks the case');
		assertNone(csv.text, [...personValues(DENOUNCER), PETITIONER.name, PETITIONER.email], 'the CSV export');
		const xlsx = await who.get('/cases/export.xlsx');
		assert.equal(xlsx.status, 200);
		const entries = unzipAll(xlsx.body);
		assert.ok(Object.values(entries).some((t) => t.includes(denunciation.code)), 'the XLSX export lacks the case');
		assertNone(Object.values(entries).join('\n'), [...personValues(DENOUNCER), PETITIONER.name], 'the XLSX export');
	}

	/* the log, the outbox, the audit trail */
	assertNone(srv.stderr(), personValues(DENOUNCER), 'the server log');
	for (const v of personValues(DENOUNCER)) {
		assert.equal(rowsHolding('outbox', "to_addr || ' ' || subject || ' ' || body", v), 0, `the outbox holds "${v}"`);
		assert.equal(rowsHolding('audit', 'detail', v), 0, `the audit log holds "${v}"`);
		assert.equal(rowsHolding('case_event', 'note', v), 0, `a case event holds "${v}"`);
	}

	/* nowhere in the database file (nor its WAL) in the clear */
	const raw = Buffer.concat([srv.db, `${srv.db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
	for (const v of [DENOUNCER.name, DENOUNCER.email, DENOUNCER.address, DENOUNCER.id_number, '0987 654 777'])
		assert.equal(raw.indexOf(Buffer.from(v, 'utf8')), -1, `"${v}" is stored in the clear`);
});

test('reveal: the vault key works for a handler of the area and is audited; a wrong key is refused and audited', async () => {
	const key = fs.readFileSync(`${await fixtureDb()}.vault-demo.key`, 'utf8').trim();
	assert.match(key, /^[0-9a-f]{64}$/);
	const id = denunciation.id;
	const auditOf = () => sqlite(srv.db, `SELECT actor, action, detail FROM audit WHERE object_type = 'case'
		AND object_id = ${id} AND action LIKE 'vault.%' ORDER BY id`);

	await handler.page(`/cases/${id}`);
	let res = await staffPost(handler, `/cases/${id}/reveal`, { secret: key });
	assert.equal(res.status, 200, res.text.slice(0, 300));
	assert.equal(res.header('cache-control'), 'no-store');
	for (const v of personValues(DENOUNCER))
		assert.ok(res.text.includes(v), `the revealed identity lacks "${v}"`);
	assert.ok(res.text.includes(denunciation.pseudonym));
	let a = auditOf();
	assert.deepEqual(a.at(-1), ['ha-noi.handler', 'vault.reveal', '']);

	/* a wrong key (a real-looking one), a malformed one */
	const wrong = key.replace(/^./, (c) => (c === '0' ? '1' : '0'));
	res = await staffPost(handler, `/cases/${id}/reveal`, { secret: wrong });
	assert.equal(res.status, 403);
	assertNone(res.text, personValues(DENOUNCER), 'the refused reveal');
	a = auditOf();
	assert.deepEqual(a.at(-1), ['ha-noi.handler', 'vault.reveal_failed', 'reason=key_mismatch']);
	res = await staffPost(handler, `/cases/${id}/reveal`, { secret: 'not-a-key' });
	assert.equal(res.status, 400);
	assert.deepEqual(auditOf().at(-1), ['ha-noi.handler', 'vault.reveal_failed', 'reason=malformed_key']);
	/* not a denunciation: nothing sealed to reveal */
	res = await staffPost(handler, `/cases/${petition.id}/reveal`, { secret: key });
	assert.equal(res.status, 404);
	assertNone(res.text, [PETITIONER.name], 'the reveal of a clear case');

	/* a reception officer may not even try */
	const n = auditOf().length;
	await reception.page(`/cases/${id}`);
	res = await staffPost(reception, `/cases/${id}/reveal`, { secret: key });
	assert.equal(res.status, 403);
	assertNone(res.text, personValues(DENOUNCER), 'the reception officer\'s reveal');
	assert.equal(auditOf().length, n);

	/* the commune's own handler (c00004.admin: administrator and handler of Phường Ba Đình)
	 * may reveal too; the handler of another commune of Hà Nội gets "no such case" */
	const commune = srv.client();
	await commune.loginOk('c00004.admin');
	res = await staffPost(commune, `/cases/${id}/reveal`, { secret: key });
	assert.equal(res.status, 200, 'the commune\'s handler cannot reveal');
	assert.ok(res.text.includes(DENOUNCER.name));
	assert.deepEqual(auditOf().at(-1), ['c00004.admin', 'vault.reveal', '']);
	const neighbour = srv.client();
	await neighbour.loginOk('c00008.admin');
	res = await staffPost(neighbour, `/cases/${id}/reveal`, { secret: key });
	assert.equal(res.status, 404);
	assertNone(res.text, personValues(DENOUNCER), 'the neighbouring commune\'s reveal');
	assert.deepEqual(auditOf().at(-1), ['c00008.admin', 'vault.reveal_failed', 'reason=out_of_area']);

	/* the key and the identity stay out of the log, the audit detail and the database */
	assert.ok(!srv.stderr().includes(key) && !srv.stderr().includes(wrong), 'the vault key reached the log');
	assertNone(srv.stderr(), personValues(DENOUNCER), 'the server log after the reveal');
	assert.match(srv.stderr(), new RegExp(`msg="vault reveal" case_id=${id} user_id=${ids.handler}`));
	assert.equal(rowsHolding('audit', 'detail', key), 0, 'the key is in the audit log');
	for (const v of personValues(DENOUNCER))
		assert.equal(rowsHolding('audit', 'detail', v), 0, `the audit log holds "${v}" after the reveal`);
	const raw = fs.readFileSync(srv.db);
	assert.equal(raw.indexOf(Buffer.from(DENOUNCER.name)), -1, 'the revealed name was stored');
	assert.equal(raw.indexOf(Buffer.from(key)), -1, 'the key was stored');
});

test('another province\'s officer gets 404 on the case, its files, its actions and the reveal (audited); another commune too', async () => {
	const key = fs.readFileSync(`${await fixtureDb()}.vault-demo.key`, 'utf8').trim();
	const id = denunciation.id;
	await hpHandler.page('/cases');
	const events0 = Number(sqliteValue(srv.db, `SELECT count(*) FROM case_event WHERE case_id = ${id}`));
	for (const path of [`/cases/${id}`, `/cases/${id}/attachments/${denunciation.attId}`,
		`/cases/${petition.id}`, `/cases/${petition.id}/attachments/${sqliteValue(srv.db, `SELECT id FROM case_attachment WHERE case_id = ${petition.id}`)}`]) {
		const res = await hpHandler.get(path);
		assert.equal(res.status, 404, `${path}: ${res.status}`);
		assert.ok(!res.text.includes(denunciation.code) && !res.text.includes(denunciation.pseudonym));
	}
	for (const [path, form] of [
		[`/cases/${id}/act`, { action: 'accept' }],
		[`/cases/${id}/reply`, { text: 'x' }],
		[`/cases/${id}/note`, { text: 'x' }],
		[`/cases/${id}/split`, { kind: 'petition', title: 't', content: 'c' }],
	]) {
		const res = await staffPost(hpHandler, path, form);
		assert.equal(res.status, 404, `${path}: ${res.status}`);
	}
	const res = await staffPost(hpHandler, `/cases/${id}/reveal`, { secret: key });
	assert.equal(res.status, 404);
	assertNone(res.text, [...personValues(DENOUNCER), denunciation.code], 'the out-of-area reveal');
	const last = sqlite(srv.db, `SELECT actor, action, detail FROM audit WHERE object_type = 'case' AND object_id = ${id} ORDER BY id DESC LIMIT 1`)[0];
	assert.deepEqual(last, ['hai-phong.handler', 'vault.reveal_failed', 'reason=out_of_area']);
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM case_event WHERE case_id = ${id}`)), events0);
	/* their lists and exports do not hold it */
	const list = await hpHandler.get('/cases');
	assert.ok(!list.text.includes(denunciation.code) && !list.text.includes(petition.code));
	const csv = await hpHandler.get('/cases/export.csv');
	assert.ok(!csv.text.includes(denunciation.code) && !csv.text.includes(petition.code));
	/* another commune of Hà Nội: the Ba Đình case does not exist for it */
	for (const path of [`/cases/${petition.id}`, `/cases/${id}`])
		assert.equal((await otherCommune.get(path)).status, 404, path);
});

// ---- staff registration, groups, split ---------------------------------------------

test('desk registration on the citizen\'s behalf: by post, with the real received date; time limits count from it', async () => {
	const received = daysAgo(40);
	/* a future date is refused */
	let res = await register(reception, {
		channel: 'post', received_on: vnIsoDate(Date.now() + 3 * 86400000), kind: 'complaint',
		title: 'Khiếu nại gửi qua bưu điện', content: 'Nội dung', ...personFields(COMPLAINANT), signed: '1',
		province_id: String(ids.hanoi), commune: '00004',
	});
	assertFieldError(res, 'received_on');

	const before = caseCount();
	desk = await registerOk(reception, {
		channel: 'post', received_on: received, kind: 'complaint',
		title: 'Khiếu nại về việc thu hồi đất gửi qua bưu điện',
		content: 'Ông Trần Văn Bưu khiếu nại quyết định thu hồi đất; đồng thời tố cáo cán bộ nhận tiền.',
		field_code: 'land.recovery', province_id: String(ids.hanoi), commune: '00004',
		name: 'Trần Văn Bưu', address: 'Thôn Bưu Điện, Ba Đình', phone: '0912345603', email: 'tran.buu@example.vn',
		id_number: '001190000603', signed: '1',
	}, [{ name: 'don-scan.pdf', type: 'application/pdf', data: PDF }]);
	assert.equal(caseCount(), before + 1);
	const c = caseRow(desk.code);
	assert.equal(c.channel, 'post');
	assert.equal(c.received_on, received);
	assert.equal(c.receiving_org_id, ids.pc, 'not received by the officer\'s organisation');
	assert.equal(c.unit_id, ids.baDinh);
	/* the first time limit starts on the real received date */
	const [starts, due, basis] = sqlite(srv.db, `SELECT starts_on, due_on, basis FROM case_deadline WHERE case_id = ${desk.id} AND step = 'accept'`)[0];
	assert.equal(starts, received);
	assert.ok(due < today, `a complaint received 40 days ago has its acceptance due ${due}`);
	assert.ok(basis.length > 10);
	/* the case page says how and when, and shows the clock */
	const page = await reception.page(`/cases/${desk.id}?saved=registered`);
	assert.equal(page.status, 200);
	assert.match(page.text, /class="notice" role="status"/);
	assert.ok(page.text.includes(`<time datetime="${received}">`), 'the received date is not shown');
	assert.ok(page.text.includes('Qua đường bưu chính'), 'the channel is not shown');
	assert.match(page.text, /badge badge-overdue/, 'the overdue acceptance is not flagged');
	assert.ok(page.text.includes('Trần Văn Bưu'), 'the receiving officer does not see the citizen');
	assert.ok(page.text.includes('don-scan.pdf'));
	/* the registration form offers every channel but the web (the public form is the web) */
	const form = await reception.get('/cases/new');
	const channels = /<select id="channel" name="channel">([\s\S]*?)<\/select>/.exec(form.text)?.[1] || '';
	assert.match(channels, /<option value="post"/);
	assert.ok(!channels.includes('value="web"'), 'the desk form offers the web channel');
});

test('a group petition records its number and its representatives (1–2 up to 10 people, at most 5 above)', async () => {
	const base = {
		channel: 'desk', received_on: today, kind: 'petition', title: 'Đơn đông người về ô nhiễm',
		content: 'Hộ dân tổ 3 phản ánh khói bụi từ xưởng gỗ.', province_id: String(ids.hanoi), commune: '00004',
		name: 'Ngô Văn Đại', address: 'Tổ 3, Ba Đình', phone: '0912345604',
	};
	let res = await register(reception, { ...base, people_count: '8', rep1: 'Ngô Văn Đại', rep2: 'Bùi Thị Hai', rep3: 'Vũ Văn Ba' });
	assertFieldError(res, 'rep1');
	res = await register(reception, { ...base, people_count: '6' });
	assertFieldError(res, 'rep1');
	res = await register(reception, { ...base, people_count: '3', rep1: 'Ngô Văn Đại' });
	assertFieldError(res, 'rep1');
	res = await register(reception, { ...base, people_count: 'nhiều' });
	assertFieldError(res, 'people_count');

	const g = await registerOk(reception, {
		...base, people_count: '12', rep1: 'Ngô Văn Đại', rep2: 'Bùi Thị Hai', rep3: 'Vũ Văn Ba',
	});
	const c = caseRow(g.code);
	assert.equal(c.people_count, 12);
	assert.deepEqual(sqlite(srv.db, `SELECT name FROM case_person WHERE case_id = ${g.id} AND role = 'representative' ORDER BY id`).map((r) => r[0]),
		['Ngô Văn Đại', 'Bùi Thị Hai', 'Vũ Văn Ba']);
	assert.equal(Number(sqliteValue(srv.db, `SELECT criteria & 4 FROM cases WHERE id = ${g.id}`)), 4, 'a group is not "many people"');
	const page = await reception.get(`/cases/${g.id}`);
	assert.match(page.text, /badge badge-group/);
	for (const rep of ['Ngô Văn Đại', 'Bùi Thị Hai', 'Vũ Văn Ba'])
		assert.match(page.text, new RegExp(`<dt>Người đại diện</dt><dd>${rep}</dd>`));
	assert.match(page.text, /<dt>Số người<\/dt><dd>12<\/dd>/);
	/* the list flags it too */
	const list = await reception.get(`/cases?q=${encodeURIComponent('xuong go')}`);
	assert.match(list.text, new RegExp(`/cases/${g.id}"[\\s\\S]*?badge-group`));
});

test('a mixed submission is split into separate linked cases; a denunciation part is sealed', async () => {
	const src = caseRow(desk.code);
	await reception.page(`/cases/${desk.id}`);
	let res = await staffPost(reception, `/cases/${desk.id}/split`, {
		kind: 'denunciation', title: 'Tố cáo cán bộ nhận tiền (tách từ đơn khiếu nại)',
		content: 'Phần tố cáo cán bộ nhận tiền trong đơn gửi qua bưu điện.',
	});
	assert.equal(res.status, 303, res.text.slice(0, 300));
	assert.equal(res.location, `/cases/${desk.id}?saved=split`);
	const partId = Number(sqliteValue(srv.db, `SELECT max(id) FROM cases WHERE parent_id = ${desk.id}`));
	const part = caseRow(sqliteValue(srv.db, `SELECT code FROM cases WHERE id = ${partId}`));
	codes.add(part.code);
	assert.equal(part.kind, 'denunciation');
	assert.equal(part.parent_id, desk.id);
	assert.equal(part.sealed, true, 'the denunciation part is not sealed');
	assert.equal(part.citizen_name, '<null>');
	assert.equal(part.received_on, src.received_on, 'the part lost the real received date');
	assert.equal(part.channel, 'post');
	assert.equal(sqliteValue(srv.db, `SELECT kind || confirmed FROM case_link WHERE case_id = ${desk.id} AND other_id = ${partId}`), 'split1');
	/* the original keeps its citizen in the clear */
	assert.equal(caseRow(desk.code).citizen_name, 'Trần Văn Bưu');
	/* no receipt for the sealed part */
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${partId}`)), 0);

	/* a petition part keeps the citizen and gets its own receipt */
	res = await staffPost(reception, `/cases/${desk.id}/split`, {
		kind: 'petition', title: 'Kiến nghị làm đường (tách)', content: 'Phần kiến nghị làm đường trong cùng đơn.',
	});
	assert.equal(res.status, 303);
	const petId = Number(sqliteValue(srv.db, `SELECT max(id) FROM cases WHERE parent_id = ${desk.id}`));
	const pet = caseRow(sqliteValue(srv.db, `SELECT code FROM cases WHERE id = ${petId}`));
	codes.add(pet.code);
	assert.equal(pet.kind, 'petition');
	assert.equal(pet.citizen_name, 'Trần Văn Bưu');
	const receipt = sqlite(srv.db, `SELECT to_addr, subject FROM outbox WHERE case_id = ${petId}`); // one-line columns
	assert.equal(receipt.length, 1);
	assert.equal(receipt[0][0], 'tran.buu@example.vn');
	assert.ok(receipt[0][1].includes(pet.code));

	/* the pages link them */
	let page = await reception.get(`/cases/${desk.id}?saved=split`);
	assert.ok(page.text.includes(part.code) && page.text.includes(pet.code), 'the original does not list its parts');
	assert.ok(page.text.includes('Cùng một đơn'));
	page = await handler.get(`/cases/${partId}`);
	assert.ok(page.text.includes(part.pseudonym));
	assert.ok(!page.text.includes('Trần Văn Bưu'), 'the sealed part shows the name');
	assert.match(page.text, new RegExp(`<dt>Tách từ</dt><dd><a href="/cases/${desk.id}">`));
	/* the sealed part reveals with the key, like any denunciation */
	const key = fs.readFileSync(`${await fixtureDb()}.vault-demo.key`, 'utf8').trim();
	res = await staffPost(handler, `/cases/${partId}/reveal`, { secret: key });
	assert.equal(res.status, 200);
	assert.ok(res.text.includes('Trần Văn Bưu'));

	/* split only while received or classified; bad input refused */
	res = await staffPost(reception, `/cases/${desk.id}/split`, { kind: 'nonsense', title: 't', content: 'c' });
	assert.equal(res.status, 400);
	res = await staffPost(reception, `/cases/${desk.id}/split`, { kind: 'petition', title: '', content: 'c' });
	assert.equal(res.status, 400);
});

// ---- the workflow --------------------------------------------------------------------

test('classify → accept → verify → decide → notify with document numbers; the tracking page follows', async () => {
	const id = petition.id;
	const page = await reception.page(`/cases/${id}`);
	assert.match(page.text, new RegExp(`<option value="${ids.insp}">Thanh tra Thành phố Hà Nội`), 'the inspectorate is not offered as the responsible body');
	await act(reception, id, {
		action: 'classify', kind: 'petition', field_code: 'environment', responsible_org_id: ids.insp,
		note: 'Ghi chú phân loại nội bộ CLASSIFY-INTERNAL-1',
	});
	assert.equal(statusOf(id), 'classified');
	/* acceptance belongs to the handling officer */
	await act(reception, id, { action: 'accept' }, 403);
	assert.equal(statusOf(id), 'classified');
	/* bad input: a future document date, an unknown action */
	await act(handler, id, { action: 'accept', doc_number: '1/TB', doc_date: vnIsoDate(Date.now() + 5 * 86400000) }, 400);
	await act(handler, id, { action: 'fly' }, 400);
	assert.equal(statusOf(id), 'classified');

	await act(handler, id, { action: 'accept', doc_number: '15/TB-TTr', doc_date: today, note: 'Đã thụ lý kiến nghị của ông/bà.' });
	await act(handler, id, { action: 'classify' }, 409);
	await act(handler, id, { action: 'verify', note: 'Đang kiểm tra thực địa.' });
	await act(handler, id, { action: 'decide', outcome: 'wrong' }, 400); // not an outcome of a petition
	await act(handler, id, { action: 'decide', outcome: 'answered', doc_number: '20/TL-TTr', doc_date: today, note: 'Đã có văn bản trả lời.' });
	await act(handler, id, { action: 'notify', doc_number: '21/TB-TTr', doc_date: today, note: 'Đã gửi văn bản trả lời.' });
	assert.equal(statusOf(id), 'notified');

	const events = sqlite(srv.db, `SELECT action, from_status, to_status, doc_number, coalesce(doc_date, ''), visibility
		FROM case_event WHERE case_id = ${id} AND action IN ('classify', 'accept', 'verify', 'decide', 'notify') ORDER BY id`);
	assert.deepEqual(events, [
		['classify', 'received', 'classified', '', '', 'internal'],
		['accept', 'classified', 'accepted', '15/TB-TTr', today, 'citizen'],
		['verify', 'accepted', 'verifying', '', '', 'citizen'],
		['decide', 'verifying', 'decided', '20/TL-TTr', today, 'citizen'],
		['notify', 'decided', 'notified', '21/TB-TTr', today, 'citizen'],
	]);
	/* the handling step's clock stopped when the answer was decided */
	const handle = sqlite(srv.db, `SELECT state FROM case_deadline WHERE case_id = ${id} AND step = 'handle'`)[0][0];
	assert.ok(['met', 'missed'].includes(handle), `handle deadline ${handle}`);

	/* the staff page shows the documents */
	const staff = await handler.get(`/cases/${id}`);
	for (const doc of ['15/TB-TTr', '20/TL-TTr', '21/TB-TTr'])
		assert.ok(staff.text.includes(`<p class="doc">Văn bản số ${doc}, <time datetime="${today}">`), `document ${doc} not in the history`);
	assert.ok(staff.text.includes('CLASSIFY-INTERNAL-1'));

	/* the tracking page: the new status, the notes meant for the citizen, not the internal one */
	const track = await petition.citizen.get(`/tra-cuu/${petition.code}`);
	assert.equal(track.status, 200);
	assert.match(track.text, /class="status status-notified"/);
	assert.ok(track.text.includes('Thanh tra Thành phố Hà Nội'), 'the handling body is not named');
	assert.ok(track.text.includes('Đã thụ lý kiến nghị của ông/bà.') && track.text.includes('Đã gửi văn bản trả lời.'));
	assert.ok(track.text.includes('Đã trả lời bằng văn bản'), 'the outcome is not shown');
	assert.ok(!track.text.includes('CLASSIFY-INTERNAL-1'), 'an internal classification note is on the tracking page');
	assert.ok(!track.text.includes('environment') && !track.text.includes(`org=${ids.insp}`));
	assertNone(track.text, personValues(PETITIONER), 'the tracking page');
	/* a decision document made public by the handler can be downloaded with the code */
	const { body, headers } = multipart({ csrf: handler.csrf, public: '1' }, [{ name: 'van-ban-tra-loi.pdf', type: 'application/pdf', data: PDF }]);
	const up = await handler.post(`/cases/${id}/attachments`, { body, headers });
	assert.equal(up.status, 303);
	const pub = await petition.citizen.get(`/tra-cuu/${petition.code}`);
	const link = /<a href="(\/tra-cuu\/[^"]+\/tep\/\d+)" download>van-ban-tra-loi\.pdf<\/a>/.exec(pub.text);
	assert.ok(link, 'the public decision document is not offered');
	const dl = await petition.citizen.get(link[1]);
	assert.equal(dl.status, 200);
	assert.equal(dl.header('content-type'), 'application/pdf');
	assert.equal(dl.header('cache-control'), 'no-store');
	/* nor with another case's code */
	const fileId = link[1].split('/').pop();
	assert.equal((await complaint.citizen.get(`/tra-cuu/${complaint.code}/tep/${fileId}`)).status, 404);
	/* the citizen's own file is not downloadable with the code */
	const own = Number(sqliteValue(srv.db, `SELECT min(id) FROM case_attachment WHERE case_id = ${id}`));
	assert.equal((await petition.citizen.get(`/tra-cuu/${petition.code}/tep/${own}`)).status, 404);
});

test('a reply is shown on the tracking page and e-mailed; an internal note never reaches the citizen', async () => {
	const id = petition.id;
	const mails0 = Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${id}`));
	let res = await staffPost(handler, `/cases/${id}/reply`, { text: 'Kính gửi ông/bà: đèn đường sẽ được thay trong tuần. REPLY-771' });
	assert.equal(res.status, 303);
	res = await staffPost(handler, `/cases/${id}/note`, { text: 'Nội bộ: nhà thầu chậm tiến độ. NOTE-INTERNAL-771' });
	assert.equal(res.status, 303);
	res = await staffPost(handler, `/cases/${id}/reply`, { text: '   ' });
	assert.equal(res.status, 400);
	res = await staffPost(handler, `/cases/${id}/reply`, { text: 'x'.repeat(5001) });
	assert.equal(res.status, 400);
	/* a reception officer writes no reply here (the route needs the handling capability) */
	res = await staffPost(reception, `/cases/${id}/reply`, { text: 'không được' });
	assert.equal(res.status, 403);

	const track = await petition.citizen.get(`/tra-cuu/${petition.code}`);
	assert.ok(track.text.includes('REPLY-771'), 'the reply is not on the tracking page');
	assert.ok(!track.text.includes('NOTE-INTERNAL-771'), 'the internal note is on the tracking page');
	const staff = await handler.get(`/cases/${id}`);
	assert.ok(staff.text.includes('REPLY-771') && staff.text.includes('NOTE-INTERNAL-771'));
	const mails = sqlObjects({ to: 'to_addr', subject: 'subject', body: 'body' }, `FROM outbox WHERE case_id = ${id} ORDER BY id`);
	assert.equal(mails.length, mails0 + 1, 'the reply was not e-mailed (or the note was)');
	const { to, subject, body } = mails.at(-1);
	assert.equal(to, PETITIONER.email);
	assert.ok(subject.includes(petition.code) && body.includes('REPLY-771'));
	assert.ok(!body.includes('NOTE-INTERNAL-771'));
});

test('the citizen adds information, rates the answer and appeals where the law allows', async () => {
	const c = petition.citizen;
	let page = await c.page(`/tra-cuu/${petition.code}`);
	/* add information (naming a person: it must not be shown back on the public page) */
	let res = await c.post(`/tra-cuu/${petition.code}/bo-sung`, { csrf: c.csrf, text: 'Bổ sung: người phụ trách là ông Đỗ Văn Bổ Sung. ADD-771' });
	assert.equal(res.status, 303);
	assert.equal(res.location, `/tra-cuu/${petition.code}?saved=add`);
	res = await c.post(`/tra-cuu/${petition.code}/bo-sung`, { csrf: c.csrf, text: '  ' });
	assert.equal(res.status, 400);
	page = await c.page(`/tra-cuu/${petition.code}?saved=add`);
	assert.match(page.text, /class="notice" role="status"/);
	assert.ok(!page.text.includes('ADD-771') && !page.text.includes('Đỗ Văn Bổ Sung'), 'the citizen\'s text is shown back on the public page');
	const staff = await handler.get(`/cases/${petition.id}`);
	assert.ok(staff.text.includes('ADD-771'), 'staff do not see the added information');

	/* rate the answer */
	assert.match(page.text, /action="\/tra-cuu\/[^"]+\/danh-gia"/, 'no rating form once answered');
	res = await c.post(`/tra-cuu/${petition.code}/danh-gia`, { csrf: c.csrf, rating: '9' });
	assert.equal(res.status, 400);
	res = await c.post(`/tra-cuu/${petition.code}/danh-gia`, { csrf: c.csrf, rating: '4', note: 'Trả lời rõ ràng' });
	assert.equal(res.status, 303);
	assert.equal(caseRow(petition.code).rating, 4);
	const s2 = await handler.get(`/cases/${petition.id}`);
	assert.match(s2.text, /<dt>Đánh giá của công dân<\/dt><dd>4\/5 Trả lời rõ ràng<\/dd>/);
	/* no token: refused */
	res = await c.post(`/tra-cuu/${petition.code}/danh-gia`, { rating: '1' });
	assert.equal(res.status, 403);
	assert.equal(caseRow(petition.code).rating, 4);
	/* a petition cannot be appealed */
	assert.ok(!page.text.includes('/khieu-nai-tiep"'), 'an appeal form for a petition');
	res = await c.post(`/tra-cuu/${petition.code}/khieu-nai-tiep`, { csrf: c.csrf, text: 'Không đồng ý' });
	assert.equal(res.status, 409);

	/* nothing to rate before an answer */
	const cc = complaint.citizen;
	await cc.page(`/tra-cuu/${complaint.code}`);
	res = await cc.post(`/tra-cuu/${complaint.code}/danh-gia`, { csrf: cc.csrf, rating: '5' });
	assert.equal(res.status, 409);

	/* the complaint through to the first-instance decision, then the second complaint */
	const id = complaint.id;
	await act(reception, id, { action: 'classify', field_code: 'admin_procedures', responsible_org_id: ids.insp });
	await act(handler, id, { action: 'accept', doc_number: '30/TB-TTr', doc_date: today });
	await act(handler, id, { action: 'decide', outcome: 'partly_right', doc_number: '31/QĐ-TTr', doc_date: today });
	await act(handler, id, { action: 'notify', doc_number: '32/TB-TTr', doc_date: today });
	page = await cc.page(`/tra-cuu/${complaint.code}`);
	assert.match(page.text, /class="status status-notified"/);
	assert.match(page.text, /Luật Khiếu nại 2011, Điều 33/, 'the second complaint is not explained');
	res = await cc.post(`/tra-cuu/${complaint.code}/khieu-nai-tiep`, { csrf: cc.csrf, text: '' });
	assert.equal(res.status, 400);
	res = await cc.post(`/tra-cuu/${complaint.code}/khieu-nai-tiep`, { csrf: cc.csrf, text: 'Tôi không đồng ý với quyết định 31/QĐ-TTr. APPEAL-602' });
	assert.equal(res.status, 303);
	assert.equal(res.location, `/tra-cuu/${complaint.code}?saved=appeal`);
	const after = caseRow(complaint.code);
	assert.equal(after.status, 'appealed');
	assert.equal(after.instance, 2);
	assert.equal(sqliteValue(srv.db, `SELECT step FROM case_deadline WHERE case_id = ${id} AND state = 'open'`), 'accept2');
	page = await cc.page(`/tra-cuu/${complaint.code}?saved=appeal`);
	assert.match(page.text, /class="status status-appealed"/);
	assert.ok(!page.text.includes('APPEAL-602'));
	assert.ok(!page.text.includes('/khieu-nai-tiep"'), 'a second appeal is offered');
	res = await cc.post(`/tra-cuu/${complaint.code}/khieu-nai-tiep`, { csrf: cc.csrf, text: 'Lần nữa' });
	assert.equal(res.status, 409);
	assertNone(page.text, personValues(COMPLAINANT), 'the complaint\'s tracking page');
});

test('repeats and duplicates are suggested at intake and confirmed or dismissed by staff', async () => {
	const text = {
		kind: 'petition', title: 'Kiến nghị nạo vét mương thoát nước tổ 12',
		content: 'Mương thoát nước tổ 12 bị tắc gây ngập úng mỗi khi mưa lớn, đề nghị nạo vét và khơi thông dòng chảy trước mùa mưa bão năm nay.',
	};
	const person = { name: 'Hoàng Văn Lặp', address: 'Tổ 12, Ba Đình', phone: '0912345605', id_number: '001190000605' };
	const first = caseRow((await sendWebOk({ ...text, ...person })).code);
	const second = caseRow((await sendWebOk({ ...text, ...person, title: 'Đề nghị nạo vét mương thoát nước tổ 12' })).code);
	/* intake queues the comparison; the background worker (off in this
	 * server, see suggest_jobs.test.mjs for it running) makes it */
	assert.deepEqual(sqlite(srv.db, `SELECT count(*) FROM case_link_pending WHERE case_id = ${second.id}`), [['1']]);
	const run = await cli(['jobs', 'run-once'], { db: srv.db });
	assert.equal(run.status, 0, run.stderr);
	assert.match(run.stdout, /duplicate suggestions: [1-9][0-9]* case\(s\) compared/);
	const links = sqlite(srv.db, `SELECT kind, confirmed FROM case_link WHERE case_id = ${second.id} AND other_id = ${first.id} ORDER BY kind`);
	assert.deepEqual(links, [['duplicate', '0'], ['repeat', '0']], 'no suggestions');
	let page = await reception.page(`/cases/${second.id}`);
	assert.ok(page.text.includes(first.code) && page.text.includes('hệ thống gợi ý'));
	assert.match(page.text, /Đơn trùng người gửi|Có thể trùng lặp/);
	/* the list flags the repeat */
	const list = await reception.get(`/cases?q=${encodeURIComponent('nao vet muong to 12')}`);
	assert.match(list.text, new RegExp(`/cases/${second.id}"[\\s\\S]*?badge-repeat`));

	let res = await staffPost(reception, `/cases/${second.id}/link`, { other: first.id, kind: 'repeat', confirm: '1' });
	assert.equal(res.status, 303);
	res = await staffPost(reception, `/cases/${second.id}/link`, { other: first.id, kind: 'duplicate', confirm: '0' });
	assert.equal(res.status, 303);
	assert.deepEqual(sqlite(srv.db, `SELECT kind, confirmed FROM case_link WHERE case_id = ${second.id} AND other_id = ${first.id}`), [['repeat', '1']]);
	res = await staffPost(reception, `/cases/${second.id}/link`, { other: first.id, kind: 'duplicate', confirm: '1' });
	assert.equal(res.status, 404, 'a dismissed suggestion can still be confirmed');
	page = await reception.get(`/cases/${second.id}`);
	assert.ok(page.text.includes('đã xác nhận'));
	/* another province cannot touch the links */
	res = await staffPost(hpHandler, `/cases/${second.id}/link`, { other: first.id, kind: 'repeat', confirm: '0' });
	assert.equal(res.status, 404);
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM case_link WHERE case_id = ${second.id}`)), 1);
});

// ---- queues, pages, search ---------------------------------------------------------------

test('work queues: assigned to me, my organisation\'s, due soon, overdue', async () => {
	/* assign the desk case to the reception officer himself */
	await reception.page(`/cases/${desk.id}`);
	let res = await staffPost(reception, `/cases/${desk.id}/assign`, { user_id: ids.reception });
	assert.equal(res.status, 303);
	res = await staffPost(reception, `/cases/${desk.id}/assign`, { user_id: ids.handler }); // another organisation
	assert.equal(res.status, 400);

	const mine = await allPages(reception, '/cases?queue=mine');
	assert.deepEqual(mine.ids.sort(), idsInArea(ids.hanoi, ids.pc, `c.assignee_id = ${ids.reception}`).sort());
	assert.ok(mine.ids.includes(desk.id));

	const org = await allPages(reception, '/cases?queue=org');
	const orgWant = sqlite(srv.db, `SELECT id FROM cases WHERE receiving_org_id = ${ids.pc} OR responsible_org_id = ${ids.pc}`).map((r) => Number(r[0]));
	assert.deepEqual(org.ids.sort(), orgWant.sort());
	assert.ok(org.ids.includes(desk.id) && !org.ids.includes(petition.id));

	const overdue = await allPages(reception, '/cases?queue=overdue');
	const overdueWant = idsInArea(ids.hanoi, ids.pc,
		`EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id AND d.state = 'open' AND d.due_on < '${today}')`);
	assert.deepEqual(overdue.ids.sort(), overdueWant.sort());
	assert.ok(overdue.ids.includes(desk.id), 'the case received 40 days ago is not overdue');
	assert.ok(overdue.ids.length >= 2, 'the demo data has overdue cases in Hà Nội');

	/* due soon: within 3 working days — at least the next 3 calendar days, at most three weeks (Tết) */
	const soon = await allPages(reception, '/cases?queue=soon');
	const within = (days) => idsInArea(ids.hanoi, ids.pc, `EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id
		AND d.state = 'open' AND d.due_on >= '${today}' AND d.due_on <= '${vnIsoDate(Date.now() + days * 86400000)}')`);
	const outer = new Set(within(21));
	for (const id of soon.ids)
		assert.ok(outer.has(id), `case ${id} is "due soon" without a limit in the next three weeks`);
	for (const id of within(3))
		assert.ok(soon.ids.includes(id), `case ${id} is due within 3 days but not in "due soon"`);
	assert.ok(!soon.ids.includes(desk.id), 'an overdue case is also "due soon"');
	const soonPage = await reception.get('/cases?queue=soon');
	assert.match(soonPage.text, /<a href="\/cases\?queue=soon" aria-current="page">/);
	if (soon.ids.length)
		assert.match(soonPage.text, /badge badge-due-soon|badge badge-overdue/);

	/* the handler's organisation: what was routed to the inspectorate */
	const hOrg = await allPages(handler, '/cases?queue=org');
	assert.ok(hOrg.ids.includes(petition.id) && hOrg.ids.includes(complaint.id));
	assert.ok(!hOrg.ids.includes(desk.id));

	/* filters combine with the queues; a bad filter is refused */
	const f = await allPages(reception, `/cases?queue=org&channel=post&from=${daysAgo(41)}&to=${daysAgo(39)}`);
	const parts = sqlite(srv.db, `SELECT id FROM cases WHERE parent_id = ${desk.id}`).map((r) => Number(r[0]));
	assert.deepEqual(f.ids.sort(), [desk.id, ...parts].sort(), 'the registration and its split parts, received by post');
	const fk = await allPages(reception, `/cases?queue=org&channel=post&kind=complaint&from=${daysAgo(41)}&to=${daysAgo(39)}`);
	assert.deepEqual(fk.ids, [desk.id]);
	for (const q of ['queue=nope', 'kind=x', 'status=x', 'channel=x', 'from=2026-02-30', 'area=999'])
		assert.equal((await reception.get(`/cases?${q}`)).status, 400, q);
});

test('keyset pages over the demo data: every case of the area exactly once', async () => {
	for (const [client, province, org, filter, sql] of [
		[reception, ids.hanoi, ids.pc, '', '1'],
		[handler, ids.hanoi, ids.insp, '', '1'],
		[reception, ids.hanoi, ids.pc, `&from=2000-01-01&to=${today}&kind=`, '1'],
		[hpHandler, ids.haiphong, ids.hpInsp, '', '1'],
	]) {
		const got = await allPages(client, `/cases?queue=${filter}`);
		const want = idsInArea(province, org, sql);
		assert.ok(want.length > 20, `too few cases (${want.length}) to need two pages`);
		assert.ok(got.pages >= 2);
		assert.deepEqual(got.ids.slice().sort((a, b) => a - b), want.sort((a, b) => a - b));
		/* newest first: received_on descending, then id descending */
		const order = sqlite(srv.db, `SELECT id FROM cases WHERE id IN (${got.ids.join(',')}) ORDER BY received_on DESC, id DESC`).map((r) => Number(r[0]));
		assert.deepEqual(got.ids, order);
	}
	/* a case added between two pages shows up on neither twice nor breaks the order */
	const p1 = listPage((await reception.get('/cases')).text);
	await registerOk(reception, {
		channel: 'desk', received_on: today, kind: 'petition', title: 'Đơn chen giữa hai trang',
		content: 'Thêm vào khi đang xem trang một.', province_id: String(ids.hanoi), commune: '00004',
		name: 'Đinh Văn Chen', phone: '0912345606',
	});
	const p2 = listPage((await reception.get(p1.next)).text);
	const overlap = p2.rows.filter((r) => p1.rows.some((q) => q.id === r.id));
	assert.deepEqual(overlap, []);
	/* a hand-made cursor is checked */
	assert.equal((await reception.get('/cases?after_date=garbage&after_id=1')).status, 400);
	assert.equal((await reception.get('/cases?after_date=2026-01-01&after_id=-4')).status, 400);
});

/* The list's SQL has several shapes (src/domain/case_query.c: walk the date
 * index, gather a commune's cases, the assignee index, the organisation's
 * cases, the search index); each must give exactly the rows of the area
 * rule, newest first, across pages. */
test('every shape of the list gives the area\'s cases once, newest first', async () => {
	const one = (sql) => Number(sqliteValue(srv.db, sql));
	const commune = srv.client();
	await commune.loginOk('c00004.admin');
	const communeOrg = one("SELECT org_id FROM user WHERE login = 'c00004.admin'");
	const communeIds = (extra = '1') => sqlite(srv.db, `SELECT c.id FROM cases c
		WHERE (c.unit_id = ${ids.baDinh} OR c.unit_id IN (SELECT id FROM unit WHERE parent_id = ${ids.baDinh})
		       OR c.receiving_org_id = ${communeOrg} OR c.responsible_org_id = ${communeOrg}
		       OR c.id IN (SELECT case_id FROM case_monitor WHERE org_id = ${communeOrg}))
		AND (${extra})`).map((r) => Number(r[0]));
	/* enough cases in Ba Đình for two pages: 30 of Hà Nội's other cases move
	 * there for this test (and back at its end) */
	const moved = sqlite(srv.db, `SELECT id, unit_id FROM cases WHERE unit_id IN (SELECT id FROM unit
		WHERE province_id = ${ids.hanoi} AND id <> ${ids.baDinh}) ORDER BY id LIMIT 30`);
	assert.equal(moved.length, 30);
	sqlite(srv.db, `UPDATE cases SET unit_id = ${ids.baDinh} WHERE id IN (${moved.map((r) => r[0]).join(',')})`);
	/* cases of Ba Đình assigned to the provincial handler, for "mine" */
	const assigned = sqlite(srv.db, `SELECT id FROM cases WHERE unit_id = ${ids.baDinh} AND assignee_id IS NULL ORDER BY id LIMIT 25`).map((r) => Number(r[0]));
	const mine = assigned[0];
	sqlite(srv.db, `UPDATE cases SET assignee_id = ${ids.handler} WHERE id IN (${assigned.join(',')})`);
	const byDate = (list) => sqlite(srv.db, `SELECT id FROM cases WHERE id IN (${list.join(',') || 0}) ORDER BY received_on DESC, id DESC`).map((r) => Number(r[0]));
	const sorted = (a) => a.slice().sort((x, y) => x - y);
	const cases = [
		/* a commune's officer: the commune's cases gathered, then sorted */
		[commune, '/cases?queue=', communeIds()],
		/* a province's officer filtering on one commune */
		[reception, '/cases?queue=&area=00004', idsInArea(ids.hanoi, ids.pc, `c.unit_id = ${ids.baDinh}`)],
		/* assigned to me */
		[handler, '/cases?queue=mine', idsInArea(ids.hanoi, ids.insp, `c.assignee_id = ${ids.handler}`)],
		/* my organisation's */
		[reception, '/cases?queue=org', idsInArea(ids.hanoi, ids.pc, `c.responsible_org_id = ${ids.pc} OR c.receiving_org_id = ${ids.pc}`)],
		/* the overdue queue of a commune */
		[commune, '/cases?queue=overdue', communeIds(`c.id IN (SELECT case_id FROM case_deadline WHERE state = 'open' AND due_on < '${today}')`)],
	];
	for (const [client, url, want] of cases) {
		const got = await allPages(client, url);
		assert.deepEqual(sorted(got.ids), sorted(want), url);
		assert.deepEqual(got.ids, byDate(got.ids), `${url}: not newest first`);
	}
	assert.ok(cases[0][2].length > 20 && cases[2][2].length >= 25, 'too few cases to need two pages');
	assert.ok(cases[2][2].includes(mine));
	/* search: straight from the search index, newest registered (highest id) first */
	const word = 'dat';
	const got = await allPages(reception, `/cases?q=${word}`);
	const want = idsInArea(ids.hanoi, ids.pc, `c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH '"${word}"*')`);
	assert.ok(want.length > 20, `too few matches (${want.length}) to need two pages`);
	assert.deepEqual(sorted(got.ids), sorted(want));
	assert.deepEqual(got.ids, sorted(got.ids).reverse(), 'search results are not newest registered first');
	sqlite(srv.db, `UPDATE cases SET assignee_id = NULL WHERE id IN (${assigned.join(',')})`);
	for (const [id, unit] of moved) sqlite(srv.db, `UPDATE cases SET unit_id = ${unit} WHERE id = ${id}`);
});

test('search folds accents: "dang" finds "Đảng", "hoa" finds "hoà" and "hòa", NFD input finds NFC text', async () => {
	const reg = (title, content) => registerOk(reception, {
		channel: 'desk', received_on: today, kind: 'petition', title, content,
		province_id: String(ids.hanoi), commune: '00004', name: 'Mai Văn Tìm', phone: '0912345607',
	});
	const dang = await reg('Ý kiến về chi bộ Đảng khu Zeta', 'Đề nghị Đảng ủy phường quan tâm.');
	const hoa1 = await reg('Tổ hoà giải khu Zeta hoạt động kém', 'Tổ hoà giải chưa họp.'); // "oà": the older tone placement
	const hoa2 = await reg('Đề nghị hòa giải tranh chấp khu Zeta', 'Mong được hòa giải sớm.'); // "òa": the newer one
	const search = async (q, extra = '') => {
		const res = await reception.get(`/cases?q=${encodeURIComponent(q)}${extra}`);
		assert.equal(res.status, 200, `q=${q}: ${res.status}`);
		return allPages(reception, `/cases?q=${encodeURIComponent(q)}${extra}`).then((r) => r.ids);
	};
	let r = await search('dang zeta');
	assert.deepEqual(r, [dang.id]);
	r = await search('dang');
	assert.ok(r.includes(dang.id), '"dang" does not find "Đảng"');
	r = await search('ĐẢNG');
	assert.ok(r.includes(dang.id), 'upper case does not find "Đảng"');
	r = await search('đảng zeta'.normalize('NFD'));
	assert.deepEqual(r, [dang.id], 'NFD input does not find NFC text');
	r = await search('hoa zeta');
	assert.deepEqual(r.sort(), [hoa1.id, hoa2.id].sort(), '"hoa" does not find both "hoà" and "hòa"');
	r = await search('hòa giải zeta');
	assert.deepEqual(r.sort(), [hoa1.id, hoa2.id].sort(), '"hòa" does not find "hoà"');
	r = await search('hoà giải zeta'.normalize('NFD'));
	assert.deepEqual(r.sort(), [hoa1.id, hoa2.id].sort());
	/* a prefix of a word */
	r = await search('zet');
	assert.deepEqual(r.sort(), [dang.id, hoa1.id, hoa2.id].sort());
	/* search combines with the other filters and the query is kept in the page links */
	r = await search('zeta', `&from=${today}&kind=petition&area=00004`);
	assert.equal(r.length, 3);
	const page = await reception.get(`/cases?q=${encodeURIComponent('Đảng Zeta')}`);
	assert.match(page.text, /<input type="search" id="q" name="q" maxlength="200" value="Đảng Zeta">/);
	/* FTS syntax typed by a user is only text */
	for (const q of ['"', 'zeta OR dang', 'NEAR(zeta', '*', 'zeta"*']) {
		const res = await reception.get(`/cases?q=${encodeURIComponent(q)}`);
		assert.equal(res.status, 200, `q=${q}`);
	}
	/* nothing found */
	const none = await reception.get(`/cases?q=${encodeURIComponent('khôngcótừnàyđâu')}`);
	assert.match(none.text, /Không có hồ sơ phù hợp\./);
});

test('a petition re-classified as a denunciation is sealed: the person leaves the clear columns', async () => {
	const who = { name: 'Vương Thị Đổi Loại', address: 'Số 3 ngõ Đổi, Ba Đình', phone: '0912345608', email: 'doi.loai@example.vn', id_number: '001190000608' };
	const sent = await sendWebOk({
		kind: 'petition', title: 'Phản ánh cán bộ phường gây khó dễ', content: 'Cán bộ một cửa đòi thêm giấy tờ không có trong quy định.',
		...personFields(who),
	});
	const before = caseRow(sent.code);
	assert.equal(before.citizen_name, who.name);
	assert.notEqual(before.person_key, '<null>');
	await act(reception, before.id, { action: 'classify', kind: 'denunciation', field_code: 'officials' });
	const after = caseRow(sent.code);
	assert.equal(after.kind, 'denunciation');
	assert.equal(after.sealed, true);
	assert.equal(after.citizen_name, '<null>');
	assert.equal(after.citizen_email, '<null>');
	assert.equal(after.person_key, '<null>', 'the person key stays: the denouncer can be re-identified');
	assert.match(after.pseudonym, /^Người tố cáo TC-[0-9A-Z]{6}$/);
	/* the clock of a denunciation replaces the petition's */
	assert.deepEqual(sqlite(srv.db, `SELECT step FROM case_deadline WHERE case_id = ${after.id} AND state = 'open'`), [['initial']]);
	const page = await handler.page(`/cases/${after.id}`);
	assert.ok(page.text.includes(after.pseudonym));
	assertNone(page.text, personValues(who), 'the re-classified case\'s page');
	const key = fs.readFileSync(`${await fixtureDb()}.vault-demo.key`, 'utf8').trim();
	const res = await staffPost(handler, `/cases/${after.id}/reveal`, { secret: key });
	assert.equal(res.status, 200);
	for (const v of personValues(who))
		assert.ok(res.text.includes(v), `the sealed identity lacks "${v}"`);
	for (const v of personValues(who))
		assert.equal(rowsHolding('audit', 'detail', v) + rowsHolding('case_event', 'note', v), 0);
	reclassified = who;
});

test('tracking lookups are rate limited per client (guessing codes stays slow)', async () => {
	const c = new Citizen(srv.base);
	const statuses = [];
	for (let i = 0; i < 20; i++)
		statuses.push((await c.get(`/tra-cuu/ZZZZ-ZZZZ-${String(i).padStart(2, '0').replace(/[01]/g, 'Z')}`)).status);
	assert.ok(statuses.slice(0, 10).every((s) => s === 404), statuses.join(' '));
	assert.equal(statuses.at(-1), 429, `no limit after 20 lookups: ${statuses.join(' ')}`);
	const limited = await c.get(`/tra-cuu/${petition.code}`);
	assert.equal(limited.status, 429);
	assert.equal(limited.header('retry-after'), '60');
	assert.ok(!limited.text.includes(petition.code.slice(0, 4) + '-'), 'the limited answer shows the case');
	/* another client is not affected */
	assert.equal((await new Citizen(srv.base).get(`/tra-cuu/${petition.code}`)).status, 200);
});

test('no tracking code in the access log', async () => {
	/* the lookup form with the code in the query string, a mistyped path */
	const c = new Citizen(srv.base);
	const code = petition.code;
	assert.equal((await c.get(`/tra-cuu?code=${code}`)).status, 303);
	assert.equal((await c.get(`/tra-cuu/${code}/khong-co`)).status, 404);
	assert.equal((await c.get(`/tra-cuu/${code.replace(/-/g, '')}`)).status, 200);
	await new Promise((r) => setTimeout(r, 100));
	const log = srv.stderr();
	assert.ok(codes.size >= 10, `only ${codes.size} codes made`);
	for (const k of codes) {
		assert.ok(!log.includes(k), `tracking code ${k} is in the log`);
		assert.ok(!log.includes(k.replace(/-/g, '')), `tracking code ${k} (without dashes) is in the log`);
	}
	assert.match(log, /method=GET path=\/tra-cuu\/\* status=200/);
	assert.match(log, /method=POST path=\/gui-don status=303/);
});

/* The organisation picker of the list page is rendered once per scope and
 * language and kept (src/web/fragcache.c); a rename committed through the
 * server must show on the next page, and a chosen organisation is marked. */
test('the list\'s organisation picker follows a rename at once', async () => {
	const picker = async () => {
		const html = (await reception.get('/cases')).text;
		const m = /<select id="f-org" name="org">[\s\S]*?<\/select>/.exec(html);
		assert.ok(m, 'no organisation picker on /cases');
		return m[0];
	};
	const before = await picker();
	assert.ok(before.includes(`<option value="${ids.pc}">`), 'the people\'s committee is not offered');
	assert.equal(await picker(), before);
	const admin = srv.client();
	await admin.loginOk('ha-noi.admin');
	const name = `Ủy ban nhân dân thành phố Hà Nội (đổi tên ${Date.now()})`;
	const res = await admin.post(`/admin/orgs/${ids.pc}/rename`, {
		form: { csrf: admin.csrf, name, short_name: 'UBND', valid_from: today },
	});
	assert.equal(res.status, 303, `rename: ${res.status}`);
	const after = await picker();
	assert.ok(after.includes(name), 'the picker still shows the old name');
	/* a chosen organisation is marked as chosen (that page is not cached) */
	const chosen = (await reception.get(`/cases?org=${ids.pc}`)).text;
	assert.match(chosen, new RegExp(`<option value="${ids.pc}" selected>`));
	assert.ok(!(await picker()).includes(' selected>'), 'a choice leaked into the cached picker');
});

/* The staff list and its JSON twin are kept per session (R_PRIVATE_CACHE,
 * src/web/dispatch.c): each reader gets only their own page, a write shows
 * at once, and a dead session gets nothing from memory. */
test('the staff list kept in memory is per reader, fresh after a write, gone with the session', async () => {
	const pageIds = async (client, url = '/cases') => listPage((await client.get(url)).text).rows.map((r) => r.id);
	/* two readers of different provinces, each twice (the second from memory) */
	const hn = await pageIds(reception), hp = await pageIds(hpHandler);
	assert.deepEqual(await pageIds(reception), hn);
	assert.deepEqual(await pageIds(hpHandler), hp);
	assert.equal(hn.filter((id) => hp.includes(id)).length, 0, 'a Hải Phòng officer sees Hà Nội\'s list');
	const hpJson = (await hpHandler.get('/api/v1/cases?limit=20')).json().items.map((c) => c.id);
	assert.deepEqual(hpJson, hp, 'the JSON list and the page disagree');
	assert.equal((await hpHandler.get('/cases')).headers['content-type'], 'text/html; charset=utf-8');
	/* a case registered through the server is on the next list */
	const added = await registerOk(reception, {
		channel: 'desk', received_on: today, kind: 'petition', title: 'Đơn mới sau trang đã lưu',
		content: 'Phải hiện ngay trên danh sách.', province_id: String(ids.hanoi), commune: '00004',
		name: 'Lê Văn Mới', phone: '0912345699',
	});
	assert.equal((await pageIds(reception))[0], added.id, 'the list from memory misses the new case');
	/* the same session, signed out: the old cookie gets the sign-in page, not the kept list */
	const c = srv.client();
	await c.loginOk('ha-noi.reception');
	assert.ok((await pageIds(c)).length > 0);
	assert.deepEqual(await pageIds(c), await pageIds(c));
	const sid = c.cookie('dv_session');
	assert.equal((await c.post('/logout', { form: { csrf: c.csrf } })).status, 303);
	const replay = srv.client();
	replay.setCookie('dv_session', sid);
	const res = await replay.get('/cases');
	assert.equal(res.status, 303);
	assert.match(res.location, /^\/login\?next=/);
	assert.equal((await replay.get('/api/v1/cases?limit=20')).status, 401);
});

test('once the server has stopped, the database file holds no denouncer in the clear (secure_delete, checkpoint)', async () => {
	/* A message queued before the case became a denunciation (the receipt
	 * of the re-classified petition) is dropped at re-sealing and its
	 * address forgotten: no outbox row holds the address any more. */
	const left = sqlite(srv.db, `SELECT state, case_id FROM outbox WHERE to_addr = ${sq(reclassified.email)}`);
	assert.deepEqual(left, []);
	await srv.stop({ keep: true });
	const files = fs.readdirSync(srv.dir).filter((f) => f.startsWith('danvan.db')).map((f) => `${srv.dir}/${f}`);
	const raw = Buffer.concat(files.map((f) => fs.readFileSync(f)));
	for (const v of [...personValues(DENOUNCER), reclassified.name, reclassified.address, reclassified.id_number, reclassified.phone, reclassified.email])
		assert.equal(raw.indexOf(Buffer.from(v, 'utf8')), -1, `"${v}" is left in ${files.join(', ')}`);
	/* the clear data of ordinary petitions is there, so the search means something */
	assert.notEqual(raw.indexOf(Buffer.from(PETITIONER.name, 'utf8')), -1);
	fs.rmSync(srv.dir, { recursive: true, force: true });
});

