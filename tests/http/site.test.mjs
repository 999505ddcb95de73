// site.test.mjs — /healthz, the home page (date in the header, language
// switch), and the headers every response carries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, viLongDate, enLongDate, vnIsoDate, sqliteValue, parseForms, SLOW } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('GET /healthz answers JSON {"status":"ok"}', async () => {
	const res = await srv.client().get('/healthz');
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^application\/json/);
	assert.deepEqual(res.json(), { status: 'ok' });
	assert.equal(res.header('cache-control'), 'no-store');
});

test('HEAD /healthz has no body', async () => {
	const res = await srv.client().request('HEAD', '/healthz');
	assert.equal(res.status, 200);
	assert.equal(res.body.length, 0);
});

/* The date can roll over between the two clocks we read: accept either. */
function dateChoices(fn, before, after) {
	return new Set([fn(before), fn(after)]);
}

test('home page: 200, Vietnamese, today\'s long date (UTC+7) in the header', async () => {
	const t0 = Date.now();
	const res = await srv.client().get('/');
	const t1 = Date.now();
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^text\/html; charset=utf-8/);
	const html = res.text;
	assert.match(html, /<html lang="vi">/);
	const m = /<header class="site-header">[\s\S]*?<time class="today" datetime="([^"]+)">([^<]+)<\/time>[\s\S]*?<\/header>/.exec(html);
	assert.ok(m, 'no <time class="today"> inside the site header');
	assert.ok(dateChoices(viLongDate, t0, t1).has(m[2]),
		`header date "${m[2]}", expected ${[...dateChoices(viLongDate, t0, t1)].join(' or ')}`);
	assert.ok(dateChoices(vnIsoDate, t0, t1).has(m[1]), `datetime="${m[1]}"`);
	assert.match(m[2], /^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{1,2}\/\d{1,2}\/\d{4}$/);
	assert.match(html, /Ban Tuyên giáo và Dân vận/);
	assert.match(html, /Đăng nhập/);
});

test('?lang=en switches to English and sticks (cookie); ?lang=vi switches back', async () => {
	const c = srv.client();
	const t0 = Date.now();
	let res = await c.get('/?lang=en');
	const t1 = Date.now();
	assert.equal(res.status, 200);
	assert.match(res.text, /<html lang="en">/);
	const m = /<time class="today"[^>]*>([^<]+)<\/time>/.exec(res.text);
	assert.ok(m);
	assert.ok(dateChoices(enLongDate, t0, t1).has(m[1]), `English date "${m[1]}"`);
	assert.match(res.text, /Log in/);
	assert.equal(c.cookie('dv_lang'), 'en');

	res = await c.get('/');
	assert.match(res.text, /<html lang="en">/, 'the language cookie is not honoured');

	res = await c.get('/?lang=vi');
	assert.match(res.text, /<html lang="vi">/);
	assert.match(res.text, /Đăng nhập/);
	assert.equal(c.cookie('dv_lang'), 'vi');

	/* An unknown language changes nothing. */
	res = await c.get('/?lang=xx');
	assert.equal(res.status, 200);
	assert.match(res.text, /<html lang="vi">/);
});

const SECURITY_HEADERS = {
	'content-security-policy': (v) => {
		assert.match(v, /default-src 'self'/);
		assert.match(v, /script-src 'self'/);
		assert.match(v, /object-src 'none'/);
		assert.match(v, /frame-ancestors 'none'/);
		assert.doesNotMatch(v, /unsafe-inline|unsafe-eval/);
	},
	'x-content-type-options': (v) => assert.equal(v, 'nosniff'),
	'x-frame-options': (v) => assert.equal(v, 'DENY'),
	'referrer-policy': (v) => assert.match(v, /^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/),
	'x-request-id': (v) => assert.match(v, /^[0-9a-f]{16,}$/),
};

test('security headers and a unique X-Request-Id on every kind of response', async () => {
	const c = srv.client();
	const css = await c.get('/assets/site.css');
	const cases = [
		['GET', '/', {}, 200],
		['HEAD', '/', {}, 200],
		['GET', '/healthz', {}, 200],
		['GET', '/robots.txt', {}, 200],
		['GET', '/login', {}, 200],
		['GET', '/assets/site.css', {}, 200],
		['GET', '/assets/site.css', { headers: { 'If-None-Match': css.header('etag') } }, 304],
		['GET', '/no/such/page', {}, 404],
		['DELETE', '/', {}, 405],
		['GET', '/?q=%FF', {}, 400],
		['POST', '/login', { form: { login: 'x' } }, 403],
		['GET', '/account', {}, 303],
		['GET', '/api/v1/me', {}, 401],
		['GET', '/api/v1/me', { bearer: 'nonsense' }, 401],
		['POST', '/login', { body: 'x'.repeat(8192), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 413],
	];
	const ids = new Set();
	for (const [method, p, opts, status] of cases) {
		const res = await c.request(method, p, opts);
		assert.equal(res.status, status, `${method} ${p}`);
		for (const [name, check] of Object.entries(SECURITY_HEADERS)) {
			const v = res.header(name);
			assert.ok(v, `${method} ${p} (${status}) lacks ${name}`);
			check(v);
		}
		const id = res.header('x-request-id');
		assert.ok(!ids.has(id), `X-Request-Id ${id} repeated`);
		ids.add(id);
	}
});

test('X-Request-Id appears in the access log', async () => {
	const res = await srv.client().get('/robots.txt');
	const id = res.header('x-request-id');
	/* The log line is written when the request completes: give it a moment. */
	for (let i = 0; i < 50 * SLOW && !srv.stderr().includes(`req=${id}`); i++)
		await new Promise((r) => setTimeout(r, 20));
	assert.ok(srv.stderr().includes(`req=${id}`), `req=${id} not in the server log`);
});

test('pages are not cached by shared caches once signed in', async () => {
	const c = srv.client();
	await c.loginOk('ha-noi.editor');
	const res = await c.get('/');
	assert.equal(res.status, 200);
	assert.equal(res.header('cache-control'), 'no-store');
});

/* The titles of the articles the anonymous home page lists (featured and
 * the latest of each category). */
function homeTitles(html) {
	return [...html.matchAll(/<h3><a href="\/tin\/[a-z0-9-]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]);
}

test('public page cache: ETag/304, refreshed at once by a write, never shared with a signed-in user', async () => {
	const anon = srv.client();
	let res = await anon.get('/');
	const etag = res.header('etag');
	const titles0 = homeTitles(res.text);
	assert.ok(titles0.length >= 5, `the home page lists ${titles0.length} articles`);
	if (etag) {
		const again = await anon.get('/', { headers: { 'If-None-Match': etag } });
		assert.equal(again.status, 304);
		assert.equal(again.body.length, 0);
		for (const name of ['content-security-policy', 'x-frame-options', 'x-request-id'])
			assert.ok(again.header(name), `304 lacks ${name}`);
	}

	/* A signed-in user gets their own page, and anonymous visitors never get it. */
	const admin = srv.client();
	await admin.loginOk('admin');
	const adminName = sqliteValue(srv.db, "SELECT name FROM user WHERE login = 'admin'");
	res = await admin.get('/');
	assert.ok(res.text.includes(adminName));
	res = await srv.client().get('/');
	assert.ok(!res.text.includes(adminName), 'an anonymous visitor got a signed-in page');
	assert.doesNotMatch(res.text, /action="\/logout"/);

	/* A new article, written and published through the newsroom, shows at once.
	 * (admin is central staff with the leader's CAP_NEWS_PUBLISH.) */
	const title = 'Thử bộ nhớ đệm: tin mới đăng hiện ngay trên trang chủ';
	assert.ok(!titles0.includes(title));
	const form = parseForms((await admin.page('/newsroom/new')).text).find((f) => f.action === '/newsroom');
	assert.ok(form, 'no form on /newsroom/new');
	const category = sqliteValue(srv.db, "SELECT id FROM category WHERE slug = 'tin-dia-phuong'");
	res = await admin.post('/newsroom', {
		form: {
			...form.fields, csrf: admin.csrf, title, lead: 'Một tin thử nghiệm của bộ kiểm thử.',
			body: 'Nội dung thử nghiệm.', author: 'Bộ kiểm thử', category, featured: '1',
		},
	});
	assert.equal(res.status, 303, `create: ${res.status} ${res.text.slice(0, 400)}`);
	const id = Number(/\/newsroom\/(\d+)/.exec(res.location)?.[1]);
	assert.ok(id > 0, `create redirected to ${res.location}`);
	/* still a draft: the cached home page is right not to show it */
	res = await anon.get('/');
	assert.ok(!homeTitles(res.text).includes(title), 'a draft is on the public home page');
	res = await admin.post(`/newsroom/${id}/publish`, { form: { csrf: admin.csrf } });
	assert.equal(res.status, 303, `publish: ${res.status} ${res.text.slice(0, 400)}`);
	assert.equal(sqliteValue(srv.db, `SELECT status FROM article WHERE id = ${id}`), 'published');
	res = await anon.get('/');
	assert.equal(res.status, 200);
	assert.ok(homeTitles(res.text).includes(title), 'the cached home page was not refreshed after a write');
	if (etag) assert.notEqual(res.header('etag'), etag);
});
