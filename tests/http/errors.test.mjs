// errors.test.mjs — 404/405 pages in the site's look, 413 for oversized
// bodies (and nothing written), 400 for invalid UTF-8.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlite, extractCsrf } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function assertSitePage(res, status, title) {
	assert.equal(res.status, status);
	assert.match(res.header('content-type'), /^text\/html; charset=utf-8/);
	const html = res.text;
	assert.match(html, /^<!doctype html>/);
	assert.match(html, /<header class="site-header">/, 'no site header');
	assert.match(html, /<nav class="main-nav"/, 'no main menu');
	assert.match(html, /<footer class="site-footer">/, 'no site footer');
	assert.match(html, /<link rel="stylesheet" href="\/assets\/site.css">/);
	assert.match(html, new RegExp(`<p class="code">${status}</p>`));
	if (title) assert.ok(html.includes(title), `no "${title}" in the page`);
	assert.equal(res.header('cache-control'), 'no-store');
}

test('unknown page → 404 in the site\'s look', async () => {
	const c = srv.client();
	assertSitePage(await c.get('/khong-co-trang-nay'), 404, 'Không tìm thấy trang');
	/* A near miss of a real route is a 404 too. */
	assertSitePage(await c.get('/healthz/'), 404);
	assertSitePage(await c.get('//healthz'), 404);
});

test('HEAD of an unknown page → 404 without a body', async () => {
	const res = await srv.client().request('HEAD', '/nope');
	assert.equal(res.status, 404);
	assert.equal(res.body.length, 0);
});

test('wrong method → 405 in the site\'s look', async () => {
	const c = srv.client();
	assertSitePage(await c.request('DELETE', '/'), 405, 'Thao tác này không được phép');
	assertSitePage(await c.request('PUT', '/login', { body: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 405);
	assertSitePage(await c.request('POST', '/healthz', { form: { a: 'b' } }), 405);
	assertSitePage(await c.request('GET', '/logout'), 405);
});

test('an unknown method is refused, not served', async () => {
	const res = await srv.client().request('BREW', '/');
	assert.ok([400, 405, 501].includes(res.status), `BREW: ${res.status}`);
});

test('/api/… errors are JSON', async () => {
	const c = srv.client();
	let res = await c.get('/api/v1/nope');
	assert.equal(res.status, 404);
	assert.match(res.header('content-type'), /^application\/json/);
	assert.equal(res.json().error.status, 404);
	res = await c.request('DELETE', '/api/v1/me');
	assert.equal(res.status, 405);
	assert.equal(res.json().error.status, 405);
});

/* What a request could have written: audit entries, users (failed logins,
 * lockouts), sessions. */
function writeState() {
	return JSON.stringify([
		sqlite(srv.db, 'SELECT count(*), coalesce(max(id),0) FROM audit'),
		sqlite(srv.db, 'SELECT login, failed_logins, locked_until, pw_hash, lang FROM user ORDER BY id'),
		sqlite(srv.db, 'SELECT count(*) FROM session'),
	]);
}

test('a 10 MiB body to POST /login → 413, nothing written', async () => {
	const c = srv.client();
	const csrf = extractCsrf((await c.get('/login')).text);
	assert.ok(csrf);
	const before = writeState();
	/* A well-formed login attempt that would count a failure if it were read. */
	const head = `csrf=${csrf}&login=ha-noi.leader&password=wrong-password&pad=`;
	const body = Buffer.alloc(10 * 1024 * 1024, 'a');
	Buffer.from(head).copy(body);
	let res = await c.post('/login', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assertSitePage(res, 413, 'Dữ liệu gửi lên quá lớn');

	/* The same without Content-Length (chunked): the cap holds while reading. */
	res = await c.post('/login', { body, chunked: true, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal(res.status, 413);
	assert.equal(writeState(), before, 'an oversized request wrote to the database');

	/* The same request, small, does count a failure: the check above can fail. */
	res = await c.post('/login', { form: { csrf, login: 'ha-noi.leader', password: 'wrong-password' } });
	assert.equal(res.status, 401);
	assert.notEqual(writeState(), before);
});

test('a 10 MiB JSON body to the API → 413 JSON', async () => {
	const res = await srv.client().post('/api/v1/me', {
		body: Buffer.alloc(10 * 1024 * 1024, ' '),
		headers: { 'Content-Type': 'application/json' },
	});
	/* /api/v1/me is GET only: 405 is checked before the body; both are fine,
	 * but never 200. */
	assert.ok(res.status === 413 || res.status === 405, `status ${res.status}`);
	assert.match(res.header('content-type'), /^application\/json/);
});

test('just under the cap is read; just over is 413', async () => {
	const c = srv.client();
	const csrf = extractCsrf((await c.get('/login')).text);
	const mk = (n) => {
		const head = `csrf=${csrf}&login=nobody&password=x&pad=`;
		return head + 'a'.repeat(n - head.length);
	};
	const opts = (b) => ({ body: b, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal((await c.post('/login', opts(mk(4096)))).status, 401);
	assert.equal((await c.post('/login', opts(mk(4097)))).status, 413);
});

test('invalid UTF-8 in a query string → 400', async () => {
	const c = srv.client();
	for (const p of ['/?q=%FF', '/?x=%C3%28', '/?%FF=1', '/login?next=%ED%A0%80', '/healthz?x=%C0%AF']) {
		const res = await c.get(p);
		assert.equal(res.status, 400, p);
		assert.match(res.text, /<header class="site-header">/);
	}
	/* Valid UTF-8 passes: the check can fail. */
	assert.equal((await c.get('/?q=%C3%A1')).status, 200);
});

test('invalid UTF-8 in a path → 400 or 404, never 200', async () => {
	const res = await srv.client().get('/%FF');
	assert.ok(res.status === 400 || res.status === 404, `status ${res.status}`);
});

test('invalid UTF-8 in a form body → 400, nothing written', async () => {
	const c = srv.client();
	const csrf = extractCsrf((await c.get('/login')).text);
	const before = writeState();
	const ct = { 'Content-Type': 'application/x-www-form-urlencoded' };
	let res = await c.post('/login', { body: `csrf=${csrf}&login=ha-noi.massmob&password=wrong%FFpass`, headers: ct });
	assertSitePage(res, 400);
	/* Raw (not percent-encoded) bytes too. */
	const raw = Buffer.concat([Buffer.from(`csrf=${csrf}&login=ha-noi.massmob&password=wrong`), Buffer.from([0xff, 0xfe])]);
	res = await c.post('/login', { body: raw, headers: ct });
	assert.equal(res.status, 400);
	/* A NUL byte in a value. */
	res = await c.post('/login', { body: `csrf=${csrf}&login=ha-noi.massmob%00&password=x`, headers: ct });
	assert.equal(res.status, 400);
	assert.equal(writeState(), before);
});

test('a body of an unknown type is refused', async () => {
	const c = srv.client();
	const csrf = extractCsrf((await c.get('/login')).text);
	const res = await c.post('/login', { body: `csrf=${csrf}&login=a&password=b`, headers: { 'Content-Type': 'text/plain' } });
	assert.equal(res.status, 400);
});

test('a very long URI → 414', async () => {
	const res = await srv.client().get('/?q=' + 'a'.repeat(9000));
	assert.ok(res.status === 414 || res.status === 431, `status ${res.status}`);
});
