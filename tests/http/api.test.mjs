// api.test.mjs — the JSON API's authentication: bearer tokens from
// `danvan user token`, sessions, and JSON errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli, makeToken, sqliteValue } from './lib/server.mjs';

let srv, token;
before(async () => {
	srv = await startServer();
	token = await makeToken(srv.db, 'c00004.admin');
});
after(async () => { await srv?.stop(); });

function assertJsonError(res, status) {
	assert.equal(res.status, status);
	assert.match(res.header('content-type'), /^application\/json/);
	const j = res.json();
	assert.equal(j.error?.status, status, JSON.stringify(j));
	assert.equal(typeof j.error.code, 'string');
	assert.equal(typeof j.error.message, 'string');
	return j;
}

test('GET /api/v1/me with a bearer token → 200 JSON describing the user', async () => {
	const res = await new Client(srv.base).get('/api/v1/me', { bearer: token });
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^application\/json/);
	assert.equal(res.header('cache-control'), 'no-store');
	const me = res.json();
	assert.equal(me.login, 'c00004.admin');
	assert.equal(me.name, sqliteValue(srv.db, "SELECT name FROM user WHERE login = 'c00004.admin'"));
	assert.equal(me.org_id, Number(sqliteValue(srv.db, "SELECT id FROM org WHERE code = 'c00004-party'")));
	assert.equal(me.scope_unit_id, Number(sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '00004' AND level = 'commune' AND valid_to IS NULL")));
	assert.deepEqual([...me.roles].sort(), ['admin', 'handler']);
	/* The token is never stored in clear. */
	assert.equal(sqliteValue(srv.db, `SELECT count(*) FROM api_token WHERE token_hash = '${token.replace(/'/g, "''")}'`), '0');
});

test('the "Bearer" scheme is case-insensitive; the token is not', async () => {
	const c = new Client(srv.base);
	let res = await c.get('/api/v1/me', { headers: { Authorization: `bearer ${token}` } });
	assert.equal(res.status, 200);
	const flipped = token.replace(/[a-z]/, (ch) => ch.toUpperCase());
	if (flipped !== token) {
		res = await c.get('/api/v1/me', { bearer: flipped });
		assert.equal(res.status, 401);
	}
});

test('a bad token → 401 JSON', async () => {
	const c = new Client(srv.base);
	for (const bad of ['nonsense', token.slice(0, -1), token + 'x', 'x'.repeat(64), '']) {
		assertJsonError(await c.get('/api/v1/me', { headers: { Authorization: `Bearer ${bad}` } }), 401);
	}
	assertJsonError(await c.get('/api/v1/me', { headers: { Authorization: `Basic ${Buffer.from('admin:danvan-demo').toString('base64')}` } }), 401);
});

test('no token and no session → 401 JSON (not a redirect to the login page)', async () => {
	const res = await new Client(srv.base).get('/api/v1/me');
	assertJsonError(res, 401);
	assert.equal(res.location, undefined);
});

test('a session cookie works for the API too', async () => {
	const c = srv.client();
	await c.loginOk('c00004.reception');
	const res = await c.get('/api/v1/me');
	assert.equal(res.status, 200);
	assert.equal(res.json().login, 'c00004.reception');
	assert.deepEqual(res.json().roles, ['reception']);
});

test('a disabled user\'s token stops working; enabling brings it back', async () => {
	const tok = await makeToken(srv.db, 'c00008.reception');
	const c = new Client(srv.base);
	assert.equal((await c.get('/api/v1/me', { bearer: tok })).status, 200);
	let r = await cli(['user', 'disable', 'c00008.reception'], { db: srv.db });
	assert.equal(r.status, 0, r.stderr);
	assertJsonError(await c.get('/api/v1/me', { bearer: tok }), 401);
	r = await cli(['user', 'enable', 'c00008.reception'], { db: srv.db });
	assert.equal(r.status, 0, r.stderr);
	assert.equal((await c.get('/api/v1/me', { bearer: tok })).status, 200);
});

test('`danvan user tokens` tells when each token was last used', async () => {
	const tok = await makeToken(srv.db, 'c00004.admin');
	/* the newest token is the last line */
	const newest = async () => {
		const r = await cli(['user', 'tokens', 'c00004.admin'], { db: srv.db });
		assert.equal(r.status, 0, r.stderr);
		return r.stdout.trim().split('\n').pop();
	};
	assert.match(await newest(), /, last used never$/);
	assert.equal((await new Client(srv.base).get('/api/v1/me', { bearer: tok })).status, 200);
	assert.match(await newest(), /, last used \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
});

test('every token is distinct', async () => {
	const a = await makeToken(srv.db, 'c00008.admin');
	const b = await makeToken(srv.db, 'c00008.admin');
	assert.notEqual(a, b);
	const c = new Client(srv.base);
	assert.equal((await c.get('/api/v1/me', { bearer: a })).json().login, 'c00008.admin');
	assert.equal((await c.get('/api/v1/me', { bearer: b })).json().login, 'c00008.admin');
});

test('HEAD /api/v1/me with a token: 200, no body', async () => {
	const res = await new Client(srv.base).request('HEAD', '/api/v1/me', { bearer: token });
	assert.equal(res.status, 200);
	assert.equal(res.body.length, 0);
});
