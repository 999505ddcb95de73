// notify.test.mjs — e-mail to citizens from a running server: the jobs
// thread (DANVAN_JOBS_INTERVAL=1) delivers the outbox over SMTP to a local
// sink (lib/smtp-sink.mjs).  A petition with an e-mail address gets its
// receipt (UTF-8 subject, the tracking code, nothing of anyone else), a
// staff reply is e-mailed, a denunciation never is (and its address is not
// stored in the clear), a refusing relay means a retry later and then
// delivery, a permanent refusal is given up, and a case re-classified as a
// denunciation keeps no address in its settled messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, sqlite, sqliteValue, sq, SLOW } from './lib/server.mjs';
import { SmtpSink } from './lib/smtp-sink.mjs';

const FROM = 'danvan@tiep-dan.example.vn';
const sink = new SmtpSink();
let srv, staff, hanoi;

before(async () => {
	const { port } = await sink.start();
	srv = await startServer({
		env: {
			DANVAN_JOBS_INTERVAL: '1',
			DANVAN_SMTP_URL: `smtp://127.0.0.1:${port}`,
			DANVAN_SMTP_FROM: FROM,
		},
	});
	hanoi = Number(sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '01' AND level = 'province' AND valid_to IS NULL"));
	staff = { reception: srv.client(), handler: srv.client() };
	await staff.reception.loginOk('ha-noi.reception');
	await staff.handler.loginOk('ha-noi.handler');
});

after(async () => {
	await srv?.stop();
	await sink.stop();
});

// ---- helpers ------------------------------------------------------------------

function multipart(fields) {
	const boundary = `----danvan${Math.random().toString(16).slice(2)}`;
	const body = Object.entries(fields).filter(([, v]) => v !== undefined)
		.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') +
		`--${boundary}--\r\n`;
	return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

/** Send the public form; resolves {code, id, client}. */
async function send(fields) {
	const c = srv.client();
	await c.page('/gui-don');
	assert.ok(c.csrf);
	const res = await c.post('/gui-don', multipart({
		csrf: c.csrf, province_id: String(hanoi), commune: '00004', signed: '1', ...fields,
	}));
	assert.equal(res.status, 303, `the form was refused: ${res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 600)}`);
	const m = /^\/tra-cuu\/([0-9A-Z-]{12})\?moi=1/.exec(res.location);
	assert.ok(m, res.location);
	/* the tracking page, which waits for the case to be built */
	assert.equal((await c.page(res.location)).status, 200);
	const id = Number(sqliteValue(srv.db, `SELECT id FROM cases WHERE code = ${sq(m[1])}`));
	return { code: m[1], id, client: c, location: res.location };
}

/** Poll until fn() is truthy (or fail after ms). */
async function until(fn, what, ms = 15000 * SLOW) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const to = (addr) => sink.messages.filter((m) => m.to.includes(addr));

function outboxRows(caseId) {
	return sqlite(srv.db, `SELECT id, to_addr, state, attempts, next_attempt_at, last_error != '' FROM outbox
		WHERE case_id = ${Number(caseId)} ORDER BY id`).map(([id, addr, state, attempts, next, err]) =>
		({ id: Number(id), to: addr, state, attempts: Number(attempts), next: Number(next), error: err === '1' }));
}

/** A round of the jobs thread has certainly run since now. */
async function aRoundLater() {
	await new Promise((r) => setTimeout(r, 2500 * SLOW));
}

function staffPost(client, path, fields) {
	return client.post(path, { form: { csrf: client.csrf, ...fields } });
}

const A = { name: 'Đặng Thị Nhận Thư', address: 'Số 1 ngõ Thư, Ba Đình', phone: '0913000101', email: 'nhan.thu@example.vn', id_number: '001190001101' };
const B = { name: 'Lý Văn Hàng Xóm', address: 'Số 2 ngõ Thư, Ba Đình', phone: '0913000102', email: 'hang.xom@example.vn', id_number: '001190001102' };
const D = { name: 'Tạ Kín Tiếng', address: 'Số 3 ngõ Kín, Ba Đình', phone: '0913000103', email: 'kin.tieng@example.vn', id_number: '001190001103' };

let first; // A's petition

// ---- the tests -------------------------------------------------------------------

test('a petition with an e-mail address: the receipt arrives, UTF-8 subject, the code, nobody else\'s data', async () => {
	first = await send({
		kind: 'petition', title: 'Cống thoát nước ngõ Thư bị vỡ', content: 'Cống vỡ gây mùi hôi. NOI-DUNG-A-101',
		...A,
	});
	assert.match(first.location, /&thu=1$/, 'the page does not announce the receipt');
	const second = await send({
		kind: 'petition', title: 'Xin lắp gờ giảm tốc', content: 'Xe chạy nhanh qua ngõ. NOI-DUNG-B-102', ...B,
	});
	await until(() => to(A.email).length && to(B.email).length, 'both receipts');
	const [ma] = to(A.email);
	const [mb] = to(B.email);
	for (const [m, own, other, ownCase, otherCase] of [[ma, A, B, first, second], [mb, B, A, second, first]]) {
		assert.equal(m.from, FROM);
		assert.deepEqual(m.to, [own.email], 'the envelope has other recipients');
		assert.equal(m.headers.to, own.email);
		assert.equal(m.headers.from, FROM);
		/* the subject is Vietnamese, sent as RFC 2047 encoded words */
		assert.match(m.raw, /\r\nSubject: =\?UTF-8\?[BQ]\?/i, 'the subject is not encoded');
		assert.equal(m.subject, `Đã tiếp nhận đơn — mã theo dõi ${ownCase.code}`);
		assert.match(m.headers['content-type'], /^text\/plain; charset=UTF-8$/i);
		assert.ok(m.body.includes(`Mã tra cứu: ${ownCase.code}`), 'the code is not in the body');
		assert.ok(m.body.includes('Tracking code'), 'no English part');
		/* nothing of the matter or the person, and nothing of anyone else */
		for (const v of [...Object.values(own).filter((x) => x !== own.email), ...Object.values(other),
			'NOI-DUNG-A-101', 'NOI-DUNG-B-102', 'Cống thoát nước', 'gờ giảm tốc', otherCase.code])
			assert.ok(!m.raw.includes(v) && !m.body.includes(v) && !m.subject.includes(v), `the receipt to ${own.email} contains "${v}"`);
		const head = m.raw.slice(0, m.raw.indexOf('\r\n\r\n'));
		assert.match(head, /^[\x20-\x7e\r\n\t]*$/, 'a header is not ASCII');
	}
	for (const c of [first, second]) {
		const rows = outboxRows(c.id);
		assert.equal(rows.length, 1);
		assert.equal(rows[0].state, 'sent');
		assert.equal(rows[0].attempts, 1);
	}
	/* the log names the domain at most, never the address */
	assert.match(srv.stderr(), /mail sent/);
	assert.ok(!srv.stderr().includes(A.email) && !srv.stderr().includes('nhan.thu'), 'the address reached the log');
});

test('a reply by staff is e-mailed to the citizen; an internal note is not', async () => {
	const before = to(A.email).length;
	await staff.handler.page(`/cases/${first.id}`);
	let res = await staffPost(staff.handler, `/cases/${first.id}/reply`, { text: 'Kính gửi bà: công ty thoát nước sẽ sửa cống trong 3 ngày. TRA-LOI-A' });
	assert.equal(res.status, 303);
	res = await staffPost(staff.handler, `/cases/${first.id}/note`, { text: 'Nội bộ: gọi công ty thoát nước. GHI-CHU-NOI-BO' });
	assert.equal(res.status, 303);
	await until(() => to(A.email).length > before, 'the reply');
	await aRoundLater();
	const mails = to(A.email).slice(before);
	assert.equal(mails.length, 1, `${mails.length} messages after a reply and a note`);
	const m = mails[0];
	assert.equal(m.subject, `Trả lời đơn — mã theo dõi ${first.code}`);
	assert.ok(m.body.includes('TRA-LOI-A') && m.body.includes('Kính gửi bà'), 'the reply text is not in the body');
	assert.ok(m.body.includes(first.code));
	assert.ok(!m.body.includes('GHI-CHU-NOI-BO'), 'the internal note was e-mailed');
	assert.ok(!m.body.includes('NOI-DUNG-A-101'), 'the case content was e-mailed');
	assert.deepEqual(outboxRows(first.id).map((r) => r.state), ['sent', 'sent']);
});

test('a denunciation with an e-mail address: no e-mail at all, and the address is not stored in the clear', async () => {
	const before = sink.messages.length;
	const d = await send({
		kind: 'denunciation', title: 'Tố cáo cán bộ thu phí sai', content: 'Cán bộ thu phí không biên lai.', ...D,
	});
	assert.ok(!/thu=1/.test(d.location), 'the page promises a receipt to a denouncer');
	assert.equal(sqliteValue(srv.db, `SELECT coalesce(citizen_email, '<null>') FROM cases WHERE id = ${d.id}`), '<null>');
	/* a reply to the denouncer: on the tracking page only */
	await staff.handler.page(`/cases/${d.id}`);
	const res = await staffPost(staff.handler, `/cases/${d.id}/reply`, { text: 'Đã nhận đơn tố cáo.' });
	assert.equal(res.status, 303);
	await aRoundLater();
	assert.deepEqual(to(D.email), [], 'the denouncer was e-mailed');
	assert.deepEqual(sink.messages.slice(before).filter((m) => m.raw.includes(d.code) || m.raw.includes(D.name)), []);
	assert.deepEqual(outboxRows(d.id), [], 'messages queued for a denunciation');
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = ${sq(D.email)}`)), 0);
	const raw = Buffer.concat([srv.db, `${srv.db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
	for (const v of [D.email, D.name, D.address])
		assert.equal(raw.indexOf(Buffer.from(v, 'utf8')), -1, `"${v}" is stored in the clear`);
	assert.ok(!srv.stderr().includes(D.email) && !srv.stderr().includes('kin.tieng'));
});

test('a relay that refuses for now: the attempt is counted, retried later, then delivered', async () => {
	const C = { ...A, name: 'Chu Văn Thử Lại', email: 'thu.lai@example.vn', phone: '0913000104', id_number: '001190001104' };
	sink.failNext(1, { code: 451, at: 'data' });
	const t0 = Math.floor(Date.now() / 1000);
	const c = await send({ kind: 'petition', title: 'Thử gửi lại', content: 'Nội dung.', ...C });
	const row = await until(() => {
		const [r] = outboxRows(c.id);
		return r && r.attempts === 1 && r.state === 'pending' && r.error && r.next > t0 + 30 ? r : null;
	}, 'the first, refused attempt');
	assert.deepEqual(to(C.email), [], 'a refused message was recorded as delivered');
	/* the back-off: a minute after the first attempt */
	assert.ok(row.next >= t0 + 55 && row.next <= Math.floor(Date.now() / 1000) + 65, `next attempt at +${row.next - t0} s`);
	assert.equal(sqliteValue(srv.db, `SELECT state FROM outbox WHERE id = ${row.id}`), 'pending');
	/* not before its time: a couple more rounds change nothing */
	await aRoundLater();
	assert.deepEqual(outboxRows(c.id).map((r) => [r.state, r.attempts]), [['pending', 1]]);
	assert.deepEqual(to(C.email), []);
	/* the minute passes (moved forward rather than waited for) */
	sqlite(srv.db, `UPDATE outbox SET next_attempt_at = strftime('%s', 'now') - 1 WHERE id = ${row.id}`);
	await until(() => to(C.email).length, 'the retried message');
	const [m] = to(C.email);
	assert.equal(m.subject, `Đã tiếp nhận đơn — mã theo dõi ${c.code}`);
	const [done] = await until(() => {
		const rows = outboxRows(c.id);
		return rows[0]?.state === 'sent' ? rows : null;
	}, 'the outbox row settled as sent');
	assert.equal(done.attempts, 2);
	assert.equal(done.error, false, 'the error of the first attempt stayed');
	assert.equal(to(C.email).length, 1, 'delivered twice');
});

test('a recipient refused at RCPT: no phantom delivery; counted and rescheduled like any failed attempt', async () => {
	/* docs/internals/outbox.md: every SMTP failure backs off and is retried,
	 * up to OUTBOX_MAX_ATTEMPTS; only rows that cannot be valid fail at once */
	const E = { ...A, name: 'Mạc Văn Sai Địa Chỉ', email: 'khong.ton.tai@example.vn', phone: '0913000105', id_number: '001190001105' };
	sink.failNext(1, { code: 550, at: 'rcpt' });
	const t0 = Math.floor(Date.now() / 1000);
	const c = await send({ kind: 'petition', title: 'Địa chỉ thư sai', content: 'Nội dung.', ...E });
	const [row] = await until(() => {
		const rows = outboxRows(c.id);
		return rows[0]?.attempts === 1 && rows[0].error && rows[0].next > t0 + 30 ? rows : null;
	}, 'the refused attempt');
	assert.equal(row.state, 'pending');
	assert.match(sqliteValue(srv.db, `SELECT last_error FROM outbox WHERE id = ${row.id}`), /550/);
	assert.deepEqual(to(E.email), []);
	/* the citizen still has the tracking page */
	assert.equal((await c.client.get(`/tra-cuu/${c.code}`)).status, 200);
});

test('a petition re-classified as a denunciation: its delivered messages no longer name the address', async () => {
	const F = { ...A, name: 'Phùng Thị Đổi Ý', email: 'doi.y@example.vn', phone: '0913000106', id_number: '001190001106' };
	const c = await send({ kind: 'petition', title: 'Cán bộ phường đòi tiền', content: 'Cán bộ đòi tiền để ký xác nhận.', ...F });
	await until(() => to(F.email).length && outboxRows(c.id)[0]?.state === 'sent', 'the receipt');
	await staff.reception.page(`/cases/${c.id}`);
	const res = await staffPost(staff.reception, `/cases/${c.id}/act`, { action: 'classify', kind: 'denunciation', field_code: 'officials' });
	assert.equal(res.status, 303, res.text.slice(0, 300));
	assert.equal(sqliteValue(srv.db, `SELECT kind || '/' || coalesce(citizen_email, '<null>') FROM cases WHERE id = ${c.id}`), 'denunciation/<null>');
	/* outbox.h: the settled messages of a case that becomes a denunciation
	 * keep that they were sent, not to whom */
	const rows = outboxRows(c.id);
	assert.equal(rows.length, 1);
	assert.equal(rows[0].to, '(sealed)', `the denouncer's address stays in the outbox: ${rows[0].to}`);
	assert.equal(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = ${sq(F.email)}`)), 0);
	/* and nothing more is sent to it */
	await staff.handler.page(`/cases/${c.id}`);
	assert.equal((await staffPost(staff.handler, `/cases/${c.id}/reply`, { text: 'Đã nhận.' })).status, 303);
	await aRoundLater();
	assert.equal(to(F.email).length, 1);
});

test('the server with a live jobs thread stops cleanly', async () => {
	const t = Date.now();
	await srv.stop();
	assert.ok(Date.now() - t < 10000 * SLOW, `stopping took ${Date.now() - t} ms`);
	assert.match(srv.stderr(), /mail sent/);
});
