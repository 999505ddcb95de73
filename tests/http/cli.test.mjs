// cli.test.mjs — the danvan command line: --help of every subcommand,
// unknown commands, `danvan check` on a sound and on a tampered database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, copyFixture, tempDir, removeTempDir, sqlite, sqliteValue, startServer, Client } from './lib/server.mjs';

const SUBCOMMANDS = ['jobs', 'vault', 'deadline', 'calendar', 'serve', 'init', 'migrate', 'demo', 'import-units', 'user', 'backup', 'check', 'version', 'help'];

test('danvan --help, -h and help: usage listing every subcommand, exit 0', async () => {
	for (const args of [['--help'], ['-h'], ['help']]) {
		const r = await cli(args);
		assert.equal(r.status, 0, `danvan ${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stdout, /^usage: danvan/m);
		for (const s of SUBCOMMANDS)
			assert.match(r.stdout, new RegExp(`^  ${s} `, 'm'), `${s} missing from the usage`);
	}
});

for (const sub of SUBCOMMANDS) {
	test(`danvan ${sub} --help: usage on stdout, exit 0, nothing created`, async () => {
		const dir = tempDir();
		try {
			const db = path.join(dir, 'never.db');
			for (const flag of ['--help', '-h']) {
				const r = await cli([sub, flag], { db, cwd: dir });
				assert.equal(r.status, 0, `danvan ${sub} ${flag} → ${r.status}: ${r.stderr}`);
				assert.match(r.stdout, /usage:/i, `danvan ${sub} ${flag}: ${r.stdout}`);
				assert.equal(r.stderr, '');
			}
			/* `danvan help SUB` says the same. */
			const h = await cli(['help', sub], { db, cwd: dir });
			assert.equal(h.status, 0);
			assert.match(h.stdout, /usage:/i);
			assert.ok(!fs.existsSync(db), `danvan ${sub} --help created the database`);
		} finally {
			removeTempDir(dir);
		}
	});
}

test('an unknown subcommand: message on stderr, non-zero exit', async () => {
	for (const args of [['frobnicate'], ['help', 'frobnicate'], ['--serve'], []]) {
		const r = await cli(args);
		assert.notEqual(r.status, 0, `danvan ${args.join(' ')} exited 0`);
		assert.notEqual(r.stderr, '', `danvan ${args.join(' ')}: nothing on stderr`);
		if (args[0] === 'frobnicate')
			assert.match(r.stderr, /frobnicate/);
	}
});

test('unknown options and missing values are refused', async () => {
	const dir = tempDir();
	try {
		const db = await copyFixture(dir);
		for (const args of [['serve', '--bogus'], ['demo', '--bogus'], ['init', 'extra'], ['backup'], ['--db']]) {
			const r = await cli(args, { db, cwd: dir });
			assert.notEqual(r.status, 0, `danvan ${args.join(' ')}`);
			assert.notEqual(r.stderr, '');
		}
		const r = await cli(['user', 'frobnicate', 'admin'], { db, cwd: dir });
		assert.notEqual(r.status, 0);
		assert.match(r.stderr, /frobnicate/);
	} finally {
		removeTempDir(dir);
	}
});

test('danvan version', async () => {
	const r = await cli(['version']);
	assert.equal(r.status, 0);
	assert.match(r.stdout, /^danvan \d+\.\d+\.\d+/);
});

test('danvan check passes on the fixture; fails on a missing file without creating it', async () => {
	const dir = tempDir();
	try {
		const db = await copyFixture(dir);
		let r = await cli(['check'], { db });
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /database integrity: ok/);
		const n = Number(sqliteValue(db, 'SELECT count(*) FROM audit'));
		assert.ok(n > 100, `only ${n} audit entries in the demo`);
		assert.match(r.stdout, new RegExp(`audit chain: ok \\(${n} entries\\)`));
		const missing = path.join(dir, 'missing.db');
		r = await cli(['check'], { db: missing });
		assert.notEqual(r.status, 0);
		assert.ok(!fs.existsSync(missing));
	} finally {
		removeTempDir(dir);
	}
});

test('the audit table refuses UPDATE and DELETE (triggers)', async () => {
	const dir = tempDir();
	try {
		const db = await copyFixture(dir);
		assert.throws(() => sqlite(db, "UPDATE audit SET detail = 'x' WHERE id = 3"), /append-only/);
		assert.throws(() => sqlite(db, 'DELETE FROM audit WHERE id = 3'), /append-only/);
	} finally {
		removeTempDir(dir);
	}
});

for (const [what, sql] of [
	['one detail changed', "DROP TRIGGER audit_no_update; UPDATE audit SET detail = detail || ' (sửa)' WHERE id = (SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 10);"],
	['one actor changed', "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE id = (SELECT max(id) FROM audit);"],
	['an entry deleted', 'DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = (SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 20);'],
	['the order rewritten', "DROP TRIGGER audit_no_update; UPDATE audit SET at = at + 1 WHERE id = (SELECT min(id) FROM audit);"],
]) {
	test(`danvan check fails on a tampered audit log: ${what}`, async () => {
		const dir = tempDir();
		try {
			const db = await copyFixture(dir);
			sqlite(db, sql);
			const r = await cli(['check'], { db });
			assert.notEqual(r.status, 0, `check passed after tampering:\n${r.stdout}`);
			assert.match(r.stderr, /audit chain: FAILED/);
			/* The integrity check alone still passes: it is the chain that caught it. */
			assert.match(r.stdout, /database integrity: ok/);
		} finally {
			removeTempDir(dir);
		}
	});
}

test('danvan check fails on a corrupted file', async () => {
	const dir = tempDir();
	try {
		const db = await copyFixture(dir);
		const fd = fs.openSync(db, 'r+');
		const size = fs.fstatSync(fd).size;
		/* Scribble over pages in the middle of the file. */
		const junk = Buffer.alloc(16384, 0x5a);
		fs.writeSync(fd, junk, 0, junk.length, Math.floor(size / 2 / 4096) * 4096);
		fs.closeSync(fd);
		const r = await cli(['check'], { db });
		assert.notEqual(r.status, 0, `check passed on a corrupted file:\n${r.stdout}`);
	} finally {
		removeTempDir(dir);
	}
});

test('danvan migrate on an up-to-date database applies nothing', async () => {
	const dir = tempDir();
	try {
		const db = await copyFixture(dir);
		const r = await cli(['migrate'], { db });
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /\(0 applied\)/);
	} finally {
		removeTempDir(dir);
	}
});

test('danvan user add / role / passwd / list, then signing in on the web', async () => {
	const srv = await startServer();
	try {
		let r = await cli(['user', 'add', 'test.officer', '--name', 'Cán bộ Kiểm thử', '--org', 'c00004-pc',
			'--role', 'reception', '--password-stdin'], { db: srv.db, input: 'mật-khẩu-thử-nghiệm\n' });
		assert.equal(r.status, 0, r.stderr);
		/* Duplicate login, unknown org, unknown role, short password: refused. */
		for (const [args, input] of [
			[['user', 'add', 'test.officer', '--name', 'X', '--org', 'c00004-pc', '--password-stdin'], 'long-enough-pw\n'],
			[['user', 'add', 'test.two', '--name', 'X', '--org', 'no-such-org', '--password-stdin'], 'long-enough-pw\n'],
			[['user', 'add', 'test.two', '--name', 'X', '--org', 'c00004-pc', '--role', 'king', '--password-stdin'], 'long-enough-pw\n'],
			[['user', 'add', 'test.two', '--name', 'X', '--org', 'c00004-pc', '--password-stdin'], 'short\n'],
			[['user', 'add', 'Bad Login', '--name', 'X', '--org', 'c00004-pc', '--password-stdin'], 'long-enough-pw\n'],
		]) {
			r = await cli(args, { db: srv.db, input });
			assert.notEqual(r.status, 0, `accepted: ${args.join(' ')}`);
			assert.notEqual(r.stderr, '');
		}
		assert.equal(sqliteValue(srv.db, "SELECT count(*) FROM user WHERE login = 'test.two'"), '0');
		const c = new Client(srv.base);
		await c.loginOk('test.officer', 'mật-khẩu-thử-nghiệm');
		const me = (await c.get('/api/v1/me')).json();
		assert.equal(me.name, 'Cán bộ Kiểm thử');
		assert.deepEqual(me.roles, ['reception']);

		r = await cli(['user', 'role', 'test.officer', 'editor', 'handler'], { db: srv.db });
		assert.equal(r.status, 0, r.stderr);
		assert.deepEqual((await c.get('/api/v1/me')).json().roles.sort(), ['editor', 'handler']);

		/* A new password ends the sessions. */
		r = await cli(['user', 'passwd', 'test.officer'], { db: srv.db });
		assert.equal(r.status, 0, r.stderr);
		const pw = /password: (\S+)/.exec(r.stdout)?.[1];
		assert.ok(pw && pw.length >= 10, r.stdout);
		assert.equal((await c.get('/api/v1/me')).status, 401, 'the session survived a password change');
		await new Client(srv.base).loginOk('test.officer', pw);

		r = await cli(['user', 'list'], { db: srv.db });
		assert.equal(r.status, 0);
		assert.match(r.stdout, /^test\.officer\s+Cán bộ Kiểm thử\s+c00004-pc/m);
		assert.match(r.stdout, /^admin\s/m);

		/* Every change was audited by "cli", and the chain still holds. */
		assert.ok(Number(sqliteValue(srv.db, "SELECT count(*) FROM audit WHERE actor = 'cli'")) >= 3);
		await srv.stop({ keep: true });
		r = await cli(['check'], { db: srv.db });
		assert.equal(r.status, 0, r.stderr);
	} finally {
		await srv.kill();
	}
});
