// login.test.mjs — signing in and out: success, wrong password, lockout,
// session fixation, logout, and no open redirect through ?next=.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, sqliteValue, sq, extractCsrf, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const userName = (login) => sqliteValue(srv.db, `SELECT name FROM user WHERE login = ${sq(login)}`);

test('login: 303 to /, a session cookie, the user\'s name in the header', async () => {
	const c = srv.client();
	const res = await c.login('ha-noi.leader');
	assert.equal(res.status, 303);
	assert.equal(res.location, '/');
	const sc = [].concat(res.header('set-cookie') || []).find((s) => s.startsWith('dv_session='));
	assert.ok(sc, 'no dv_session Set-Cookie');
	assert.match(sc, /HttpOnly/i);
	assert.match(sc, /SameSite=(Lax|Strict)/i);
	assert.match(sc, /Path=\//);
	assert.match(c.cookie('dv_session'), /^[0-9a-f]{32,}$/);
	const home = await c.get('/');
	assert.equal(home.status, 200);
	const name = userName('ha-noi.leader');
	assert.ok(home.text.includes(`<a href="/account">${name}</a>`), `no "${name}" in the header`);
	assert.match(home.text, /action="\/logout"/);
	/* The session only lives in the database as a hash. */
	assert.equal(sqliteValue(srv.db, `SELECT count(*) FROM session WHERE id_hash = ${sq(c.cookie('dv_session'))}`), '0');
	/* /login when signed in goes home. */
	const again = await c.get('/login');
	assert.equal(again.status, 303);
});

test('wrong password → 401 with the form again; unknown login → 401 too', async () => {
	const c = srv.client();
	let res = await c.login('ha-noi.editor', 'not-the-password');
	assert.equal(res.status, 401);
	assert.match(res.text, /<form method="post" action="\/login"/);
	assert.match(res.text, /role="alert"/);
	assert.ok(!c.cookie('dv_session'), 'a session after a wrong password');
	assert.ok(extractCsrf(res.text), 'the form again has a csrf token');
	/* The login name is kept in the form, escaped. */
	assert.match(res.text, /value="ha-noi.editor"/);
	res = await c.login('no-such-user', DEMO_PASSWORD);
	assert.equal(res.status, 401);
	res = await c.login('', '');
	assert.equal(res.status, 401);
	const acct = await c.get('/account');
	assert.equal(acct.status, 303, 'not signed in after failures');
});

test('a failure counter is reset by a good login', async () => {
	const c = srv.client();
	for (let i = 0; i < 3; i++)
		assert.equal((await c.login('hung-yen.editor', 'wrong-password')).status, 401);
	assert.equal(sqliteValue(srv.db, "SELECT failed_logins FROM user WHERE login = 'hung-yen.editor'"), '3');
	assert.equal((await c.login('hung-yen.editor')).status, 303);
	assert.equal(sqliteValue(srv.db, "SELECT failed_logins FROM user WHERE login = 'hung-yen.editor'"), '0');
});

test('lockout: 5 wrong passwords, then the right one is refused with 429', async () => {
	const c = srv.client();
	const statuses = [];
	for (let i = 0; i < 5; i++)
		statuses.push((await c.login('quang-ninh.editor', `wrong-${i}`)).status);
	assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
	assert.ok([401, 429].includes(statuses[4]), `5th failure: ${statuses[4]}`);
	const res = await c.login('quang-ninh.editor');
	assert.equal(res.status, 429, 'the right password was accepted on a locked account');
	assert.ok(!c.cookie('dv_session'));
	assert.match(res.text, /role="alert"/);
	/* A fresh client is refused too: the lock is on the account. */
	assert.equal((await new Client(srv.base).login('quang-ninh.editor')).status, 429);
	/* The lock is audited. */
	const uid = sqliteValue(srv.db, "SELECT id FROM user WHERE login = 'quang-ninh.editor'");
	assert.ok(Number(sqliteValue(srv.db, `SELECT count(*) FROM audit WHERE action = 'user.locked' AND object_id = ${uid}`)) >= 1);
	/* Other accounts are not affected. */
	assert.equal((await new Client(srv.base).login('quang-ninh.leader')).status, 303);
});

test('session fixation: a planted session id is never promoted; each login gets a new id', async () => {
	const c = srv.client();
	const planted = 'ab'.repeat(32);
	c.setCookie('dv_session', planted);
	await c.loginOk('bac-ninh.editor');
	const first = c.cookie('dv_session');
	assert.notEqual(first, planted);
	/* The planted id does not work. */
	const evil = new Client(srv.base);
	evil.setCookie('dv_session', planted);
	assert.equal((await evil.get('/account')).status, 303);

	/* Signing in again (same browser) replaces the session; the old id dies. */
	const res = await c.post('/login', { form: { csrf: c.csrf, login: 'bac-ninh.editor', password: DEMO_PASSWORD } });
	assert.equal(res.status, 303);
	const second = c.cookie('dv_session');
	assert.notEqual(second, first);
	const old = new Client(srv.base);
	old.setCookie('dv_session', first);
	assert.equal((await old.get('/account')).status, 303, 'the previous session still works');
	assert.equal((await c.get('/account')).status, 200);
});

test('the anonymous csrf token does not work after login (tokens follow the session)', async () => {
	const c = srv.client();
	await c.page('/login');
	const anonToken = c.csrf;
	await c.loginOk('bac-ninh.leader');
	assert.notEqual(c.csrf, anonToken);
	const res = await c.post('/account/lang', { form: { csrf: anonToken, lang: 'en' } });
	assert.equal(res.status, 403);
});

test('logout ends the session on the server', async () => {
	const c = srv.client();
	await c.loginOk('phu-tho.editor');
	const sid = c.cookie('dv_session');
	assert.equal((await c.get('/api/v1/me')).status, 200);
	/* Logout without a token is refused. */
	assert.equal((await c.post('/logout', { form: {} })).status, 403);
	assert.equal((await c.get('/account')).status, 200);
	const res = await c.post('/logout', { form: { csrf: c.csrf } });
	assert.equal(res.status, 303);
	assert.equal(res.location, '/');
	assert.ok(!c.cookie('dv_session'), 'the session cookie was not cleared');
	/* The old id, replayed, is dead. */
	const replay = new Client(srv.base);
	replay.setCookie('dv_session', sid);
	const acct = await replay.get('/account');
	assert.equal(acct.status, 303);
	assert.match(acct.location, /^\/login\?next=/);
	assert.equal((await replay.get('/api/v1/me')).status, 401);
	const home = await replay.get('/');
	assert.doesNotMatch(home.text, /action="\/logout"/);
});

test('a capability route without a session redirects to /login?next=…, and login goes back there', async () => {
	const c = srv.client();
	const res = await c.get('/account');
	assert.equal(res.status, 303);
	assert.equal(res.location, '/login?next=%2Faccount');
	const form = await c.page('/login?next=%2Faccount');
	assert.match(form.text, /name="next" value="\/account"/);
	const li = await c.post('/login', { form: { csrf: c.csrf, login: 'ninh-binh.editor', password: DEMO_PASSWORD, next: '/account' } });
	assert.equal(li.status, 303);
	assert.equal(li.location, '/account');
});

for (const next of ['//evil.example', '//evil.example/path', 'https://evil.example/', '/\\evil.example',
	'\\\\evil.example', 'http:evil.example', ' //evil.example', '/\t/evil.example', 'javascript:alert(1)',
	'%2F%2Fevil.example', '/%0d%0aSet-Cookie:x=y']) {
	test(`open redirect: next=${JSON.stringify(next)} → a local path only`, async () => {
		const c = srv.client();
		const form = await c.page(`/login?next=${encodeURIComponent(next)}`);
		assert.equal(form.status, 200);
		assert.doesNotMatch(form.text, /evil\.example/, 'the login form carries the foreign next');
		const res = await c.login('ninh-binh.leader', DEMO_PASSWORD, next);
		assert.equal(res.status, 303);
		const loc = res.location;
		assert.ok(loc.startsWith('/'), `Location ${loc}`);
		assert.ok(!loc.startsWith('//') && !loc.startsWith('/\\'), `Location ${loc}`);
		assert.doesNotMatch(loc, /[\r\n\t\\]/);
		const u = new URL(loc, srv.base);
		assert.equal(u.origin, srv.base, `Location ${loc} leaves the site`);
		assert.equal(res.header('set-cookie').filter((s) => s.startsWith('x=')).length, 0);
	});
}
