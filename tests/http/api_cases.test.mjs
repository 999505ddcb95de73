// api_cases.test.mjs — citizens' cases through the JSON API v1 with bearer
// tokens: create, list with filters and pages, read (deadlines with their
// legal basis), transitions, attachments, public tracking by code, the
// OpenAPI document, the CSV/XLSX exports, and the area scope: a token of
// another commune gets 404 everywhere and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, copyFixture, tempDir, cli, makeToken, sqlite, sqliteValue, vnIsoDate } from './lib/server.mjs';

let srv, rec, handler, other, otherUnit;
const today = vnIsoDate();

/* The citizen's personal data: it must never leave through tracking or exports. */
const CITIZEN = { name: 'Phạm Thị Khiếu Nại', address: 'Số 12 ngõ Bí Mật, Ba Đình', phone: '0912000111' };
let complaint; // the case created in the first test
let petition;  // a second one, made by the list test

before(async () => {
	const dir = tempDir();
	const db = await copyFixture(dir);
	/* Deadline rules are data; `danvan deadline rules` seeds a database
	 * that has none, so the copy is ready whatever the fixture holds. */
	await cli(['deadline', 'rules'], { db });
	srv = await startServer({ db, dir });
	rec = await makeToken(srv.db, 'c00004.reception');   // Phường Ba Đình: register, classify
	handler = await makeToken(srv.db, 'c00004.admin');   // the same commune: handler role
	other = await makeToken(srv.db, 'c00008.reception'); // another commune of Hà Nội
	otherUnit = Number(sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '00008' AND level = 'commune' AND valid_to IS NULL"));
});
after(async () => { await srv?.stop(); });

const api = (method, path, token, opts = {}) =>
	srv.client().request(method, path, { ...opts, bearer: token });

function assertJsonError(res, status) {
	assert.equal(res.status, status, res.text.slice(0, 300));
	assert.match(res.header('content-type'), /^application\/json/);
	const j = res.json();
	assert.equal(j.error?.status, status, JSON.stringify(j));
	assert.equal(typeof j.error.code, 'string');
	assert.equal(typeof j.error.message, 'string');
	return j;
}

function assertNoCitizen(text, what) {
	for (const v of Object.values(CITIZEN))
		assert.ok(!text.includes(v), `${what} contains personal data: ${v}`);
}

/* One entry of a ZIP archive (an XLSX file), found through the central
 * directory because the local headers may defer their sizes. */
function unzipEntry(buf, name) {
	const eocd = buf.lastIndexOf(Buffer.from('PK\x05\x06', 'binary'));
	assert.ok(eocd >= 0, 'no end of central directory');
	let p = buf.readUInt32LE(eocd + 16);
	const n = buf.readUInt16LE(eocd + 10);
	for (let i = 0; i < n; i++) {
		assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
		const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
		const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const entry = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
		if (entry === name) {
			const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
			const data = buf.subarray(start, start + csize);
			return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
		}
		p += 46 + nlen + xlen + clen;
	}
	assert.fail(`no ${name} in the archive`);
}

const caseCount = () => Number(sqliteValue(srv.db, 'SELECT count(*) FROM cases'));
const eventCount = (id) => Number(sqliteValue(srv.db, `SELECT count(*) FROM case_event WHERE case_id = ${Number(id)}`));
const statusOf = (id) => sqliteValue(srv.db, `SELECT status FROM cases WHERE id = ${Number(id)}`);

test('POST /api/v1/cases registers a complaint on behalf of a citizen → 201 with deadlines', async () => {
	const before = caseCount();
	const res = await api('POST', '/api/v1/cases', rec, {
		json: {
			kind: 'complaint', channel: 'post', received_on: today,
			title: 'Khiếu nại quyết định thu hồi đất ở tổ 5',
			content: 'Tôi không đồng ý với mức bồi thường trong quyết định thu hồi đất.',
			citizen: CITIZEN, signed: true,
		},
	});
	assert.equal(res.status, 201, res.text);
	assert.match(res.header('content-type'), /^application\/json/);
	const c = res.json();
	assert.equal(res.header('location'), `/api/v1/cases/${c.id}`);
	assert.match(c.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
	assert.equal(c.kind, 'complaint');
	assert.equal(c.status, 'received');
	assert.equal(c.channel, 'post');
	assert.equal(c.received_on, today);
	/* the reader registered it, so the reader sees who sent it */
	assert.equal(c.citizen?.name, CITIZEN.name);
	/* the commune defaults to the officer's own */
	assert.equal(c.unit?.id, Number(sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '00004' AND level = 'commune' AND valid_to IS NULL")));
	assert.ok(Array.isArray(c.deadlines) && c.deadlines.length >= 1, 'no statutory deadline opened');
	for (const d of c.deadlines) {
		assert.match(d.due_on, /^\d{4}-\d{2}-\d{2}$/);
		assert.ok(d.basis.length > 5, `deadline ${d.step} has no legal basis`);
		assert.ok(d.due_on >= today);
	}
	assert.ok(c.events.some((e) => e.action === 'intake'));
	assert.ok(c.actions.includes('classify'), `actions: ${c.actions}`);
	assert.equal(caseCount(), before + 1);
	complaint = c;
});

test('POST /api/v1/cases refuses bad bodies with a JSON 400 and stores nothing', async () => {
	const before = caseCount();
	for (const json of [
		{ kind: 'nonsense', title: 't', content: 'c' },
		{ kind: 'petition', title: 't', content: 'c', tittle: 'typo' },
		{ kind: 'petition', title: 42, content: 'c' },
		{ kind: 'petition', title: '', content: 'c', citizen: { name: 'Lê Văn Hỏi', phone: '0912000222' } },
		{ kind: 'petition', title: 't', content: 'c', unit: '99999', citizen: { name: 'Lê Văn Hỏi', phone: '0912000222' } },
	])
		assertJsonError(await api('POST', '/api/v1/cases', rec, { json }), 400);
	assertJsonError(await api('POST', '/api/v1/cases', rec, { body: '[1,2', headers: { 'Content-Type': 'application/json' } }), 400);
	/* a commune officer registers cases of their own area only */
	assertJsonError(await api('POST', '/api/v1/cases', rec, {
		json: { kind: 'petition', title: 't', content: 'c', unit: otherUnit, citizen: { name: 'Lê Văn Hỏi', phone: '0912000222' } },
	}), 400);
	/* no token: 401 */
	assertJsonError(await srv.client().post('/api/v1/cases', { json: { kind: 'petition' } }), 401);
	assert.equal(caseCount(), before);
});

test('GET /api/v1/cases lists with filters and keyset pages', async () => {
	/* a second case, so there are two pages of one */
	let res = await api('POST', '/api/v1/cases', rec, {
		json: { kind: 'petition', title: 'Đèn đường hỏng', content: 'Đèn đường ngõ 7 không sáng.', citizen: { name: 'Đỗ Thị Đèn', phone: '0912000333' } },
	});
	assert.equal(res.status, 201, res.text);
	petition = res.json();

	res = await api('GET', '/api/v1/cases?kind=complaint&status=received&unit=00004&q=thu%20hoi%20dat', rec);
	assert.equal(res.status, 200, res.text);
	let ids = res.json().items.map((i) => i.id);
	assert.ok(ids.includes(complaint.id), 'the complaint is not found by its filters (accents optional)');
	assert.ok(!ids.includes(petition.id));
	const item = res.json().items.find((i) => i.id === complaint.id);
	assert.equal(item.code, complaint.code);
	assert.equal(item.url, `/api/v1/cases/${complaint.id}`);
	assert.ok(!('citizen' in item), 'list items carry no personal data');

	res = await api('GET', `/api/v1/cases?kind=petition&from=${today}&to=${today}`, rec);
	ids = res.json().items.map((i) => i.id);
	assert.ok(ids.includes(petition.id) && !ids.includes(complaint.id));

	/* pages of one, newest first, until next is null */
	const seen = [];
	let next = null;
	for (let page = 0; page < 200; page++) {
		res = await api('GET', `/api/v1/cases?from=${today}&limit=1${next ? `&after=${encodeURIComponent(next)}` : ''}`, rec);
		assert.equal(res.status, 200, res.text);
		const j = res.json();
		assert.ok(j.items.length <= 1);
		seen.push(...j.items.map((i) => i.id));
		next = j.next;
		if (!next) break;
		assert.match(next, /^\d{4}-\d{2}-\d{2}\.\d+$/);
	}
	assert.ok(seen.includes(complaint.id) && seen.includes(petition.id));
	assert.equal(new Set(seen).size, seen.length, 'a case appeared on two pages');

	for (const q of ['queue=bogus', 'kind=x', 'status=x', 'channel=x', 'from=2026-13-01', 'after=garbage', 'limit=0', 'limit=201', 'unit=123456', 'org=no-such-org'])
		assertJsonError(await api('GET', `/api/v1/cases?${q}`, rec), 400);
});

test('GET /api/v1/cases/{id} reads one case with deadlines (legal basis), events and actions', async () => {
	const res = await api('GET', `/api/v1/cases/${complaint.id}`, rec);
	assert.equal(res.status, 200);
	assert.equal(res.header('cache-control'), 'no-store');
	const c = res.json();
	assert.equal(c.id, complaint.id);
	assert.ok(c.deadlines.length >= 1);
	const d = c.deadlines[0];
	for (const k of ['step', 'starts_on', 'due_on', 'basis', 'state'])
		assert.equal(typeof d[k], 'string', `deadline.${k}`);
	assert.equal(d.state, 'open');
	assert.ok(Array.isArray(c.attachments) && Array.isArray(c.links));
	assertJsonError(await api('GET', '/api/v1/cases/999999999', rec), 404);
	assertJsonError(await api('GET', '/api/v1/cases/abc', rec), 404);
});

test('a token of another commune gets 404 everywhere and nothing changes', async () => {
	const id = complaint.id;
	const events0 = eventCount(id), status0 = statusOf(id);
	const audit0 = Number(sqliteValue(srv.db, 'SELECT count(*) FROM audit'));
	assertJsonError(await api('GET', `/api/v1/cases/${id}`, other), 404);
	assertJsonError(await api('GET', `/api/v1/cases/${id}/attachments`, other), 404);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, other, { json: { action: 'classify' } }), 404);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, other, { json: { action: 'note', note: 'x' } }), 404);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/attachments?name=a.pdf`, other, {
		body: Buffer.from('%PDF-1.4\n%%EOF\n'), headers: { 'Content-Type': 'application/octet-stream' },
	}), 404);
	const list = await api('GET', '/api/v1/cases?limit=200', other);
	assert.equal(list.status, 200);
	assert.ok(!list.json().items.some((i) => i.id === id), 'the other commune lists the case');
	assert.ok(!list.text.includes(complaint.code));
	assert.equal(eventCount(id), events0);
	assert.equal(statusOf(id), status0);
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM case_attachment WHERE case_id = ${id}`)), 0);
	assert.equal(Number(sqliteValue(srv.db, 'SELECT count(*) FROM audit')), audit0);
});

test('POST /api/v1/cases/{id}/transitions runs the procedure and answers the case', async () => {
	const id = complaint.id;
	let res = await api('POST', `/api/v1/cases/${id}/transitions`, rec, {
		json: { action: 'classify', note: 'Khiếu nại lần đầu, thuộc thẩm quyền.' },
	});
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json().status, 'classified');
	assert.equal(statusOf(id), 'classified');

	/* acceptance needs the handling capability: the reception officer is refused */
	const events0 = eventCount(id);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, rec, { json: { action: 'accept' } }), 403);
	assert.equal(eventCount(id), events0);

	res = await api('POST', `/api/v1/cases/${id}/transitions`, handler, {
		json: { action: 'accept', doc_number: '12/TB-UBND', doc_date: today },
	});
	assert.equal(res.status, 200, res.text);
	const c = res.json();
	assert.equal(c.status, 'accepted');
	const ev = c.events.find((e) => e.action === 'accept');
	assert.equal(ev?.doc_number, '12/TB-UBND');
	assert.equal(ev?.doc_date, today);
	assert.ok(c.deadlines.some((d) => d.state === 'met'), 'accepting did not meet the acceptance deadline');

	/* not possible from this status: 409, nothing changes */
	const events1 = eventCount(id);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, handler, { json: { action: 'classify' } }), 409);
	assert.equal(eventCount(id), events1);
	assert.equal(statusOf(id), 'accepted');

	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, handler, { json: { action: 'fly' } }), 400);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, handler, { json: { note: 'no action' } }), 400);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/transitions`, handler, { json: { action: 'reply' } }), 400);

	res = await api('POST', `/api/v1/cases/${id}/transitions`, handler, {
		json: { action: 'reply', note: 'Cơ quan đã thụ lý và đang xác minh.' },
	});
	assert.equal(res.status, 200, res.text);
	res = await api('POST', `/api/v1/cases/${id}/transitions`, handler, {
		json: { action: 'note', note: 'Ghi chú nội bộ: cần đối thoại.' },
	});
	assert.equal(res.status, 200, res.text);
	const kinds = res.json().events.map((e) => `${e.action}:${e.visibility}`);
	assert.ok(kinds.includes('reply:citizen') && kinds.includes('note:internal'), kinds.join(' '));
});

test('a browser session must send X-CSRF-Token on API POSTs; a token need not', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const path = `/api/v1/cases/${complaint.id}/transitions`;
	const events0 = eventCount(complaint.id);
	assertJsonError(await c.post(path, { json: { action: 'note', note: 'no token' } }), 403);
	assert.equal(eventCount(complaint.id), events0);
	const res = await c.post(path, { json: { action: 'note', note: 'with token' }, headers: { 'X-CSRF-Token': c.csrf } });
	assert.equal(res.status, 200, res.text);
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test('attachments: raw upload with ?name=, multipart, listing; type decided by content', async () => {
	const id = complaint.id;
	let res = await api('POST', `/api/v1/cases/${id}/attachments?name=${encodeURIComponent('ảnh hiện trường.png')}`, rec, {
		body: PNG, headers: { 'Content-Type': 'application/octet-stream' },
	});
	assert.equal(res.status, 201, res.text);
	const a = res.json();
	assert.equal(a.content_type, 'image/png');
	assert.equal(a.size, PNG.length);
	assert.equal(a.filename, 'ảnh hiện trường.png');
	assert.match(a.sha256, /^[0-9a-f]{64}$/);
	assert.equal(a.public, false);

	const boundary = 'dvtestboundary';
	const pdf = '%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n';
	const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="quyet-dinh.pdf"\r\n` +
		`Content-Type: application/pdf\r\n\r\n${pdf}\r\n--${boundary}--\r\n`;
	res = await api('POST', `/api/v1/cases/${id}/attachments?public=1`, handler, {
		body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
	});
	assert.equal(res.status, 201, res.text);
	assert.equal(res.json().content_type, 'application/pdf');
	assert.equal(res.json().public, true);

	/* a script renamed to .png is refused: the name decides nothing */
	assertJsonError(await api('POST', `/api/v1/cases/${id}/attachments?name=x.png`, rec, {
		body: Buffer.from('#!/bin/sh\necho hi\n'), headers: { 'Content-Type': 'application/octet-stream' },
	}), 400);
	assertJsonError(await api('POST', `/api/v1/cases/${id}/attachments`, rec, {
		body: Buffer.alloc(0), headers: { 'Content-Type': 'application/octet-stream' },
	}), 400);

	res = await api('GET', `/api/v1/cases/${id}/attachments`, rec);
	assert.equal(res.status, 200);
	const names = res.json().items.map((i) => i.filename);
	assert.deepEqual(names.sort(), ['quyet-dinh.pdf', 'ảnh hiện trường.png'].sort());
	res = await api('GET', `/api/v1/cases/${id}`, rec);
	assert.equal(res.json().attachments.length, 2);
});

test('GET /api/v1/track/{code} is public: status, deadlines, replies — no personal data', async () => {
	/* information the citizen added (as the tracking page records it: no
	 * actor id, actor "citizen"), naming a person */
	sqlite(srv.db, `INSERT INTO case_event (case_id, at, actor_id, actor, action, note, visibility)
		VALUES (${complaint.id}, strftime('%s','now'), NULL, 'citizen', 'citizen_info',
		'Tôi là ${CITIZEN.name}, bổ sung giấy tờ.', 'citizen')`);
	const c = srv.client();
	let res = await c.get(`/api/v1/track/${complaint.code}`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.header('cache-control'), 'no-store');
	const t = res.json();
	assert.equal(t.code, complaint.code);
	assert.equal(t.status, 'accepted');
	assert.equal(t.kind, 'complaint');
	assert.ok(t.deadlines.length >= 1 && t.deadlines.every((d) => d.basis));
	assert.ok(t.replies.some((r) => r.text === 'Cơ quan đã thụ lý và đang xác minh.' && !r.from_citizen));
	const own = t.replies.find((r) => r.action === 'citizen_info');
	assert.ok(own?.from_citizen, 'the citizen\'s own entry is not marked');
	assert.equal(own.text, '');
	assert.ok(!res.text.includes('Ghi chú nội bộ'), 'an internal note reached the tracking answer');
	assert.ok(!('citizen' in t) && !('id' in t) && !('title' in t));
	assertNoCitizen(res.text, 'the tracking answer');
	/* what a citizen types: lower case, no dashes */
	res = await c.get(`/api/v1/track/${complaint.code.replace(/-/g, '').toLowerCase()}`);
	assert.equal(res.status, 200);
	assertJsonError(await c.get('/api/v1/track/ZZZZ-ZZZZ-ZZ'), 404);
	assertJsonError(await c.get('/api/v1/track/not-a-code'), 404);
	/* the code is a secret: the access log records the route, not the path */
	assert.ok(!srv.stderr().includes(complaint.code), 'the tracking code reached the log');
});

test('GET /api/v1/openapi.json is public and describes the case routes', async () => {
	const res = await srv.client().get('/api/v1/openapi.json');
	assert.equal(res.status, 200);
	const doc = res.json();
	assert.equal(doc.openapi, '3.1.0');
	for (const p of ['/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/cases/{id}/transitions',
		'/api/v1/cases/{id}/attachments', '/api/v1/track/{code}', '/api/v1/me'])
		assert.ok(doc.paths[p], `missing ${p}`);
	assert.ok(doc.paths['/api/v1/cases'].post.requestBody);
	assert.deepEqual(doc.paths['/api/v1/track/{code}'].get.security, []);
	assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
});

test('exports: CSV and XLSX downloads with the case code and no personal data', async () => {
	const c = srv.client();
	await c.loginOk('c00004.reception');
	let res = await c.get('/cases/export.csv');
	assert.equal(res.status, 200, res.text.slice(0, 300));
	assert.ok(res.text.includes(complaint.code) && res.text.includes(petition.code));
	assertNoCitizen(res.text, 'the CSV export');
	assert.ok(!res.text.includes('0912000333') && !res.text.includes('Đỗ Thị Đèn'), 'the CSV export contains personal data');
	/* nor that of the demo cases of the commune, whatever their kind */
	const names = sqlite(srv.db, `SELECT DISTINCT citizen_name FROM cases WHERE citizen_name IS NOT NULL
		AND length(citizen_name) > 8 AND unit_id = ${complaint.unit.id} LIMIT 50`).map((r) => r[0]);
	for (const n of names)
		assert.ok(!res.text.includes(n), `the CSV export contains a citizen's name: ${n}`);
	/* the list's filters apply */
	res = await c.get('/cases/export.csv?kind=complaint');
	assert.equal(res.status, 200, res.text.slice(0, 300));
	assert.ok(!res.text.includes(petition.code), 'the kind filter was ignored');
	assert.match(res.header('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(res.header('content-disposition'), /^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
	assert.deepEqual([...res.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const csv = res.text;
	assert.ok(csv.includes(complaint.code), 'the CSV lacks the case code');
	assert.ok(csv.includes('Mã hồ sơ'), 'the CSV header is not in Vietnamese');
	assert.ok(csv.includes('\r\n'));

	res = await c.get('/cases/export.xlsx?kind=complaint');
	assert.equal(res.status, 200);
	assert.equal(res.header('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	assert.match(res.header('content-disposition'), /^attachment; filename="cases-.*\.xlsx"$/);
	assert.equal(res.body.subarray(0, 4).toString('binary'), 'PK\x03\x04');
	const sheet = unzipEntry(res.body, 'xl/worksheets/sheet1.xml');
	assert.ok(sheet.includes(complaint.code), 'the worksheet lacks the case code');
	assert.ok(sheet.includes('Mã hồ sơ'), 'the worksheet header is not in Vietnamese');
	assertNoCitizen(sheet, 'the XLSX export');

	/* bad filters are refused, not ignored */
	assert.equal((await c.get('/cases/export.csv?status=nonsense')).status, 400);

	/* another commune's export does not hold the case */
	const o = srv.client();
	await o.loginOk('c00008.reception');
	res = await o.get('/cases/export.csv');
	assert.equal(res.status, 200);
	assert.ok(!res.text.includes(complaint.code));

	/* without a session: to the login page */
	res = await srv.client().get('/cases/export.csv');
	assert.equal(res.status, 303);
	assert.match(res.location, /^\/login\?next=/);
});
