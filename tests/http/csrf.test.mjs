// csrf.test.mjs — every unsafe form needs the token tied to the browser's
// session (or anonymous cookie); without it: 403 and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, sqliteValue, sq, orgId, orgName, parseForms, makeToken, vnIsoDate } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const lang = (login) => sqliteValue(srv.db, `SELECT lang FROM user WHERE login = ${sq(login)}`);
const pwHash = (login) => sqliteValue(srv.db, `SELECT pw_hash FROM user WHERE login = ${sq(login)}`);
const auditCount = () => Number(sqliteValue(srv.db, 'SELECT count(*) FROM audit'));
const BAD = '0'.repeat(64);

test('POST /account/lang without a token, with a wrong one, or another session\'s → 403, nothing changed', async () => {
	const c = srv.client();
	await c.loginOk('ha-noi.editor');
	const other = srv.client();
	await other.loginOk('ha-noi.massmob');
	assert.equal(lang('ha-noi.editor'), 'vi');
	const attempts = [
		{ lang: 'en' },
		{ lang: 'en', csrf: '' },
		{ lang: 'en', csrf: BAD },
		{ lang: 'en', csrf: c.csrf.slice(0, 63) },
		{ lang: 'en', csrf: c.csrf.toUpperCase() === c.csrf ? BAD : c.csrf.toUpperCase() },
		{ lang: 'en', csrf: other.csrf },
	];
	for (const form of attempts) {
		const res = await c.post('/account/lang', { form });
		assert.equal(res.status, 403, `csrf=${JSON.stringify(form.csrf)}`);
		assert.match(res.text, /<header class="site-header">/);
	}
	/* A wrong token in the header, too. */
	let res = await c.post('/account/lang', { form: { lang: 'en' }, headers: { 'X-CSRF-Token': BAD } });
	assert.equal(res.status, 403);
	assert.equal(lang('ha-noi.editor'), 'vi', 'a forged request changed the language');
	const page = await c.get('/account');
	assert.match(page.text, /<option value="vi" selected>/);

	/* With the right token it works (so the 403s above mean something). */
	res = await c.post('/account/lang', { form: { lang: 'en', csrf: c.csrf } });
	assert.equal(res.status, 303);
	assert.equal(lang('ha-noi.editor'), 'en');
	/* The X-CSRF-Token header works as well as the field. */
	res = await c.post('/account/lang', { form: { lang: 'vi' }, headers: { 'X-CSRF-Token': c.csrf } });
	assert.equal(res.status, 303);
	assert.equal(lang('ha-noi.editor'), 'vi');
});

test('POST /account/password without a valid token → 403, the password unchanged', async () => {
	const c = srv.client();
	await c.loginOk('ha-noi.reception');
	const before = pwHash('ha-noi.reception');
	for (const csrf of [undefined, BAD]) {
		const form = { old: 'danvan-demo', new: 'a-new-password-123' };
		if (csrf) form.csrf = csrf;
		const res = await c.post('/account/password', { form });
		assert.equal(res.status, 403);
	}
	assert.equal(pwHash('ha-noi.reception'), before);
	assert.equal((await new Client(srv.base).login('ha-noi.reception')).status, 303);
});

test('POST /login without the anonymous cookie\'s token → 403, no session', async () => {
	const a = srv.client();
	await a.page('/login');
	/* No token. */
	let res = await a.post('/login', { form: { login: 'hai-phong.editor', password: 'danvan-demo' } });
	assert.equal(res.status, 403);
	/* Someone else's token (their dv_anon cookie differs from ours). */
	const b = srv.client();
	await b.page('/login');
	res = await a.post('/login', { form: { csrf: b.csrf, login: 'hai-phong.editor', password: 'danvan-demo' } });
	assert.equal(res.status, 403);
	/* A token but no cookie at all (a cross-site form post from a fresh browser). */
	const fresh = new Client(srv.base);
	res = await fresh.post('/login', { form: { csrf: a.csrf, login: 'hai-phong.editor', password: 'danvan-demo' } });
	assert.equal(res.status, 403);
	assert.ok(!a.cookie('dv_session') && !fresh.cookie('dv_session'));
	/* Right token: works. */
	res = await a.post('/login', { form: { csrf: a.csrf, login: 'hai-phong.editor', password: 'danvan-demo' } });
	assert.equal(res.status, 303);
});

test('a bearer token does not sign in HTML form routes (no CSRF bypass)', async () => {
	const tok = await makeToken(srv.db, 'hai-phong.massmob');
	const c = new Client(srv.base);
	const res = await c.post('/account/lang', { form: { lang: 'en' }, bearer: tok });
	assert.ok(res.status === 303 ? res.location.startsWith('/login') : [401, 403].includes(res.status),
		`status ${res.status} ${res.location ?? ''}`);
	assert.equal(lang('hai-phong.massmob'), 'vi');
});

test('POST /admin/orgs/*/rename without or with a wrong token → 403, the name unchanged', async () => {
	const c = srv.client();
	await c.loginOk('admin');
	const id = orgId(srv.db, 'c00004-pc');
	const page = await c.page(`/admin/orgs/${id}`);
	assert.equal(page.status, 200, `GET /admin/orgs/${id}`);
	const form = parseForms(page.text).find((f) => f.action.endsWith(`/admin/orgs/${id}/rename`));
	assert.ok(form, 'no rename form on the organisation page');
	const name0 = orgName(srv.db, id);
	const audit0 = auditCount();
	const fields = { ...form.fields, name: 'Tên giả mạo CSRF', valid_from: vnIsoDate() };
	delete fields.csrf;
	for (const csrf of [undefined, BAD]) {
		const f = csrf ? { ...fields, csrf } : fields;
		const res = await c.post(`/admin/orgs/${id}/rename`, { form: f });
		assert.equal(res.status, 403, `csrf=${csrf}`);
	}
	assert.equal(orgName(srv.db, id), name0);
	assert.equal(auditCount(), audit0);
	/* With the token the same form renames. */
	const res = await c.post(`/admin/orgs/${id}/rename`, { form: { ...fields, csrf: c.csrf } });
	assert.ok(res.status === 303 || res.status === 200, `rename with token: ${res.status} ${res.text.slice(0, 300)}`);
	assert.equal(orgName(srv.db, id), 'Tên giả mạo CSRF');
	assert.equal(auditCount(), audit0 + 1);
});
