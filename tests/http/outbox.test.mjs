// outbox.test.mjs — e-mail delivery end to end: messages queued in the
// outbox table are sent by `danvan jobs run-once` over real SMTP (libcurl)
// to a local sink (lib/smtp-sink.mjs), arrive with their Vietnamese subject
// and body intact, and are recorded as sent; when the server refuses them
// they stay pending with the attempt counted and a later retry time.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, tempDir, removeTempDir, sqlite, sq } from './lib/server.mjs';
import { SmtpSink } from './lib/smtp-sink.mjs';

const SUBJECT = 'Đơn của bạn đã được tiếp nhận';
const BODY = 'Kính gửi ông/bà Nguyễn Văn An,\n\n' +
	'Đơn kiến nghị của ông/bà đã được tiếp nhận ngày 02/03/2026.\n' +
	'Mã tra cứu: KNAB-7K2Q-XM.\n\nTrân trọng.\n';
const ASCII_BODY = 'Line one\n.starts with a dot\n..two dots\n.\nlast\n';
const FROM = 'danvan@example.org';

const sink = new SmtpSink();
let port, dir;

before(async () => {
	({ port } = await sink.start());
});
after(async () => {
	await sink.stop();
});

beforeEach(() => {
	sink.messages.length = 0;
	sink.failures.length = 0;
});

async function freshDb() {
	dir = tempDir();
	const db = path.join(dir, 'outbox.db');
	const r = await cli(['migrate'], { db });
	assert.equal(r.status, 0, `migrate: ${r.stderr}`);
	return db;
}

function queue(db, to, subject, body, caseId = null) {
	sqlite(db, 'INSERT INTO outbox (created_at, to_addr, subject, body, case_id, next_attempt_at)' +
		` VALUES (strftime('%s','now'), ${sq(to)}, ${sq(subject)}, ${sq(body)}, ${caseId ?? 'NULL'}, 0)`);
}

function rows(db) {
	return sqlite(db, 'SELECT id, state, attempts, next_attempt_at, coalesce(sent_at, \'\'),' +
		' last_error FROM outbox ORDER BY id').map(([id, state, attempts, next, sent, err]) =>
		({ id: Number(id), state, attempts: Number(attempts), next: Number(next), sent, err }));
}

function runOnce(db, extra = []) {
	return cli(['jobs', 'run-once', '--smtp', `smtp://127.0.0.1:${port}`, '--from', FROM, ...extra], { db });
}

test('jobs run-once delivers queued mail over SMTP with a UTF-8 subject and body', async () => {
	const db = await freshDb();
	try {
		queue(db, 'an.nguyen@example.vn', SUBJECT, BODY);
		queue(db, 'tiep.nhan@xa-a.example.vn', 'Plain ASCII notice', ASCII_BODY);
		const r = await runOnce(db);
		assert.equal(r.status, 0, `run-once: ${r.stderr}`);
		assert.match(r.stdout, /outbox: 2 sent, 0 not sent/);
		assert.equal(sink.messages.length, 2);

		const [first, second] = sink.messages;
		assert.equal(first.from, FROM);
		assert.deepEqual(first.to, ['an.nguyen@example.vn']);
		assert.equal(first.subject, SUBJECT);
		assert.equal(first.headers.to, 'an.nguyen@example.vn');
		assert.equal(first.headers.from, FROM);
		assert.equal(first.headers['mime-version'], '1.0');
		assert.match(first.headers['content-type'], /^text\/plain; charset=UTF-8$/i);
		assert.match(first.headers['message-id'], /^<danvan\.\d+\.\d+@example\.org>$/);
		assert.match(first.headers.date, /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0700$/);
		assert.equal(first.body, BODY.replace(/\n/g, '\r\n'));
		// every header line on the wire is ASCII and CRLF-terminated
		const head = first.raw.slice(0, first.raw.indexOf('\r\n\r\n'));
		assert.match(head, /^[\x20-\x7e\r\n\t]*$/);
		assert.ok(!/[^\r]\n/.test(first.raw), 'bare LF in the message');

		// curl dot-stuffs, the sink unstuffs: lines starting with '.' survive
		assert.equal(second.subject, 'Plain ASCII notice');
		assert.equal(second.headers['content-transfer-encoding'], '7bit');
		assert.equal(second.body, ASCII_BODY.replace(/\n/g, '\r\n'));

		const after = rows(db);
		assert.equal(after.length, 2);
		for (const row of after) {
			assert.equal(row.state, 'sent', JSON.stringify(row));
			assert.equal(row.attempts, 1);
			assert.notEqual(row.sent, '');
			assert.equal(row.err, '');
		}
		// the log names domains, never addresses, subjects or bodies
		assert.match(r.stderr, /mail sent/);
		assert.ok(!r.stderr.includes('an.nguyen'), r.stderr);
		assert.ok(!r.stderr.includes('Nguyễn'), r.stderr);

		// sent is sent: a second run sends nothing again
		const again = await runOnce(db);
		assert.equal(again.status, 0);
		assert.match(again.stdout, /outbox: 0 sent, 0 not sent/);
		assert.equal(sink.messages.length, 2);
	} finally {
		removeTempDir(dir);
	}
});

test('a refusing server leaves the messages pending, attempt counted, retry later', async () => {
	const db = await freshDb();
	try {
		queue(db, 'an.nguyen@example.vn', SUBJECT, BODY);
		queue(db, 'b@example.vn', 'Second', 'second body');
		sink.failNext(1, { code: 451, at: 'data' });
		sink.failNext(1, { code: 451, at: 'mail' });
		const t0 = Math.floor(Date.now() / 1000);
		const r = await runOnce(db);
		assert.equal(r.status, 0, `run-once: ${r.stderr}`);
		assert.match(r.stdout, /outbox: 0 sent, 2 not sent/);
		assert.equal(sink.messages.length, 0);
		for (const row of rows(db)) {
			assert.equal(row.state, 'pending', JSON.stringify(row));
			assert.equal(row.attempts, 1);
			assert.ok(row.next >= t0 + 60 && row.next <= t0 + 62, `next_attempt_at ${row.next}, now ${t0}`);
			assert.match(row.err, /451/);
			assert.equal(row.sent, '');
		}
		assert.match(r.stderr, /mail deferred/);

		// not yet due: nothing is tried
		const early = await runOnce(db);
		assert.match(early.stdout, /outbox: 0 sent, 0 not sent/);

		// once due, the server takes them
		sqlite(db, 'UPDATE outbox SET next_attempt_at = 0');
		const later = await runOnce(db);
		assert.equal(later.status, 0);
		assert.match(later.stdout, /outbox: 2 sent, 0 not sent/);
		assert.equal(sink.messages.length, 2);
		assert.equal(sink.messages[0].subject, SUBJECT);
		for (const row of rows(db)) {
			assert.equal(row.state, 'sent');
			assert.equal(row.attempts, 2);
		}
	} finally {
		removeTempDir(dir);
	}
});

test('jobs run-once without --smtp sends nothing; bad options are refused', async () => {
	const db = await freshDb();
	try {
		queue(db, 'an.nguyen@example.vn', SUBJECT, BODY);
		const r = await cli(['jobs', 'run-once'], { db });
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /delivery disabled/);
		assert.equal(rows(db)[0].state, 'pending');
		assert.equal(rows(db)[0].attempts, 0);
		for (const args of [['jobs'], ['jobs', 'run-twice'], ['jobs', 'run-once', '--smtp', `smtp://127.0.0.1:${port}`],
			['jobs', 'run-once', '--smtp', `smtp://127.0.0.1:${port}`, '--from', 'not an address'],
			['jobs', 'run-once', '--bogus']]) {
			const bad = await cli(args, { db });
			assert.equal(bad.status, 2, `danvan ${args.join(' ')}: ${bad.status}`);
			assert.notEqual(bad.stderr, '');
		}
		const help = await cli(['jobs', '--help'], { db });
		assert.equal(help.status, 0);
		assert.match(help.stdout, /usage:/);
		assert.equal(sink.messages.length, 0);
	} finally {
		removeTempDir(dir);
	}
});

test('mail to a denouncer is delivered, then the record forgets the address', async () => {
	const db = await freshDb();
	try {
		sqlite(db, 'INSERT INTO cases (id, code, kind, status, channel, received_on, created_at, updated_at,' +
			" title, content, search_key) VALUES (7, 'TCAB-0000-07', 'denunciation', 'received', 'web'," +
			" '2026-03-02', 0, 0, 't', 'c', 'k')");
		queue(db, 'nguoi.to.cao@ho-tran.example.vn', 'Đã tiếp nhận đơn', 'Mã theo dõi: TCAB-0000-07', 7);
		const r = await runOnce(db);
		assert.equal(r.status, 0, r.stderr);
		assert.equal(sink.messages.length, 1);
		assert.deepEqual(sink.messages[0].to, ['nguoi.to.cao@ho-tran.example.vn']);
		const [row] = sqlite(db, 'SELECT state, to_addr FROM outbox');
		assert.deepEqual(row, ['sent', '(sealed)']);
		assert.ok(!r.stderr.includes('ho-tran'), r.stderr);
	} finally {
		removeTempDir(dir);
	}
});
