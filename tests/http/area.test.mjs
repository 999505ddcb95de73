// area.test.mjs — the area (scope) that bounds every capability: a commune
// administrator acts on their commune only, a province administrator on
// their province, the central administrator everywhere.  Out of scope is
// refused (404 or 403) on every path — page, form, API with a session,
// API with a bearer token — and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, makeToken, orgId, orgName, sqlite, sqliteValue, sq, parseForms, vnIsoDate, htmlEscape } from './lib/server.mjs';

let srv, admin, adminToken;
let own, ownFront, other, hp, hpAdminCommune;
const today = vnIsoDate();

before(async () => {
	srv = await startServer();
	own = orgId(srv.db, 'c00004-pc');       // Phường Ba Đình, Hà Nội: c00004.admin's commune
	ownFront = orgId(srv.db, 'c00004-front');
	other = orgId(srv.db, 'c00008-pc');     // another commune of Hà Nội
	/* The first commune (by code) of Hải Phòng, and its People's Committee. */
	const hpCode = sqliteValue(srv.db, `SELECT c.code FROM unit c JOIN unit p ON p.id = c.province_id
		WHERE p.level = 'province' AND p.valid_to IS NULL AND p.name = 'Hải Phòng'
		AND c.level = 'commune' AND c.valid_to IS NULL ORDER BY c.code LIMIT 1`);
	assert.ok(hpCode, 'no commune of Hải Phòng in the fixture');
	hp = orgId(srv.db, `c${hpCode}-pc`);
	hpAdminCommune = `c${hpCode}.admin`;
	admin = srv.client();
	await admin.loginOk('admin');
	adminToken = await makeToken(srv.db, 'admin');
});
after(async () => { await srv?.stop(); });

const REFUSED = [403, 404];
const auditCount = () => Number(sqliteValue(srv.db, 'SELECT count(*) FROM audit'));

/* The name as the central admin sees it through the API. */
async function nameAsAdmin(id) {
	const res = await admin.get(`/api/v1/orgs/${id}`);
	assert.equal(res.status, 200, `admin GET /api/v1/orgs/${id}: ${res.status}`);
	return res.json().name;
}

/* Rename through the HTML form of the organisation page (fields as the page
 * has them), with the client's valid CSRF token. */
async function formRename(c, id, name, validFrom = today) {
	return c.post(`/admin/orgs/${id}/rename`, {
		form: { csrf: c.csrf, name, short_name: 'UBND', valid_from: validFrom },
	});
}

test('c00004.admin cannot see or rename another commune\'s organisation (c00008-pc)', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const token = await makeToken(srv.db, 'c00004.admin');
	const name0 = orgName(srv.db, other);
	const audit0 = auditCount();

	let res = await c.get(`/admin/orgs/${other}`);
	assert.ok(REFUSED.includes(res.status), `GET /admin/orgs/${other}: ${res.status}`);
	assert.ok(!res.text.includes(htmlEscape(name0)), 'the page shows the name of an org out of scope');

	res = await c.get(`/api/v1/orgs/${other}`);
	assert.ok(REFUSED.includes(res.status), `GET /api/v1/orgs/${other} (session): ${res.status}`);
	assert.ok(!res.text.includes(name0));
	res = await c.get(`/api/v1/orgs/${other}`, { noCookies: true, bearer: token });
	assert.ok(REFUSED.includes(res.status), `GET /api/v1/orgs/${other} (token): ${res.status}`);

	/* The form POST carries a valid CSRF token: only the scope check stands in the way. */
	assert.ok(c.csrf);
	res = await formRename(c, other, 'Chiếm quyền qua biểu mẫu');
	assert.ok(REFUSED.includes(res.status), `POST /admin/orgs/${other}/rename: ${res.status}`);

	res = await c.post(`/api/v1/orgs/${other}/rename`, {
		noCookies: true, bearer: token,
		json: { name: 'Chiếm quyền qua API', short_name: 'X', valid_from: today },
	});
	assert.ok(REFUSED.includes(res.status), `API rename with a token: ${res.status}`);
	assert.match(res.header('content-type'), /^application\/json/);

	res = await c.post(`/api/v1/orgs/${other}/rename`, {
		headers: { 'X-CSRF-Token': c.csrf },
		json: { name: 'Chiếm quyền qua API (phiên)', valid_from: today },
	});
	assert.ok(REFUSED.includes(res.status), `API rename with the session: ${res.status}`);

	/* Nothing changed, as the central admin sees it. */
	assert.equal(await nameAsAdmin(other), name0);
	assert.equal(orgName(srv.db, other), name0);
	assert.equal(auditCount(), audit0);

	/* Out of scope and unknown look alike (no probing for ids). */
	const unknown = await c.get('/api/v1/orgs/999999999');
	assert.equal((await c.get(`/api/v1/orgs/${other}`)).status, unknown.status);
});

test('c00004.admin\'s lists show only their commune', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const res = await c.get('/api/v1/orgs');
	assert.equal(res.status, 200);
	const items = res.json().items;
	assert.ok(items.length >= 1);
	const ids = new Set(items.map((o) => o.id));
	assert.ok(ids.has(own), 'own commune org missing from the list');
	assert.ok(!ids.has(other) && !ids.has(hp), 'an org out of scope is listed');
	const ownUnit = sqliteValue(srv.db, `SELECT unit_id FROM org WHERE id = ${own}`);
	const outside = sqlite(srv.db, `SELECT id FROM org WHERE coalesce(unit_id, 0) != ${ownUnit}`).map((r) => Number(r[0]));
	assert.deepEqual(items.map((o) => o.id).filter((id) => outside.includes(id)), []);
	/* Search cannot reach past the scope either. */
	const q = encodeURIComponent(orgName(srv.db, other));
	const found = (await c.get(`/api/v1/orgs?q=${q}`)).json().items.map((o) => o.id);
	assert.ok(!found.includes(other));
	const page = await c.get(`/admin/orgs?q=${q}`);
	assert.equal(page.status, 200);
	assert.ok(!page.text.includes(`/admin/orgs/${other}"`), 'the admin list links to an org out of scope');
});

test('c00004.admin can read and rename their own commune\'s organisations', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const token = await makeToken(srv.db, 'c00004.admin');
	const name0 = orgName(srv.db, own);

	let res = await c.page(`/admin/orgs/${own}`);
	assert.equal(res.status, 200);
	assert.ok(res.text.includes(htmlEscape(name0)));
	const form = parseForms(res.text).find((f) => f.action === `/admin/orgs/${own}/rename`);
	assert.ok(form, 'no rename form for an org in scope');
	assert.ok('name' in form.fields && 'valid_from' in form.fields, JSON.stringify(form.fields));

	res = await c.get(`/api/v1/orgs/${own}`);
	assert.equal(res.status, 200);
	assert.equal(res.json().name, name0);

	res = await c.post(`/admin/orgs/${own}/rename`, {
		form: { ...form.fields, csrf: c.csrf, name: 'Ủy ban nhân dân phường Ba Đình (mới)', valid_from: today },
	});
	assert.equal(res.status, 303, `own rename: ${res.status} ${res.text.slice(0, 300)}`);
	assert.equal(orgName(srv.db, own), 'Ủy ban nhân dân phường Ba Đình (mới)');
	assert.equal(await nameAsAdmin(own), 'Ủy ban nhân dân phường Ba Đình (mới)');
	/* The old name is kept as history, ending the day before. */
	const hist = (await c.get(`/api/v1/orgs/${own}`)).json().names;
	assert.ok(hist.some((n) => n.name === name0 && n.valid_to), JSON.stringify(hist));

	/* The API, with a token, on another org of the same commune. */
	res = await c.post(`/api/v1/orgs/${ownFront}/rename`, {
		noCookies: true, bearer: token,
		json: { name: 'Ủy ban MTTQ Việt Nam phường Ba Đình (mới)', short_name: 'MTTQ', valid_from: today },
	});
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json().name, 'Ủy ban MTTQ Việt Nam phường Ba Đình (mới)');
	assert.equal(orgName(srv.db, ownFront), 'Ủy ban MTTQ Việt Nam phường Ba Đình (mới)');
	/* The rename is audited under the user's name. */
	assert.equal(sqliteValue(srv.db, `SELECT actor FROM audit WHERE action = 'org.rename' AND object_id = ${ownFront} ORDER BY id DESC LIMIT 1`), 'c00004.admin');
});

test('an API POST with a session needs the X-CSRF-Token header; a token does not', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const name0 = orgName(srv.db, own);
	const res = await c.post(`/api/v1/orgs/${own}/rename`, { json: { name: 'Không có mã CSRF', valid_from: '2099-01-01' } });
	assert.equal(res.status, 403);
	assert.equal(orgName(srv.db, own), name0);
});

test('roles bound what can be done inside the area: reception may look, not rename or manage users', async () => {
	const c = srv.client();
	await c.loginOk('c00004.reception');
	assert.equal((await c.get(`/admin/orgs/${own}`)).status, 200);
	assert.ok(REFUSED.includes((await c.get(`/admin/orgs/${other}`)).status));
	for (const p of ['/admin/users', '/admin/audit', `/api/v1/users/${Number(sqliteValue(srv.db, "SELECT id FROM user WHERE login = 'c00004.admin'"))}`])
		assert.equal((await c.get(p)).status, 403, p);
	const name0 = orgName(srv.db, own);
	await c.page(`/admin/orgs/${own}`);
	const res = await formRename(c, own, 'Lễ tân đổi tên', '2098-01-01');
	assert.equal(res.status, 403);
	assert.equal(orgName(srv.db, own), name0);
	/* An editor has no organisation pages at all. */
	const e = srv.client();
	await e.loginOk('ha-noi.editor');
	assert.equal((await e.get('/admin/orgs')).status, 403);
	assert.equal((await e.get(`/api/v1/orgs/${own}`)).status, 403);
});

test('ha-noi.admin reads Hà Nội\'s communes but not Hải Phòng\'s', async () => {
	const c = srv.client();
	await c.loginOk('ha-noi.admin');
	const token = await makeToken(srv.db, 'ha-noi.admin');
	for (const id of [other, own]) {
		const res = await c.get(`/admin/orgs/${id}`);
		assert.equal(res.status, 200, `GET /admin/orgs/${id}`);
		const api = await c.get(`/api/v1/orgs/${id}`, { noCookies: true, bearer: token });
		assert.equal(api.status, 200);
		assert.equal(api.json().id, id);
	}
	const hpName = orgName(srv.db, hp);
	const audit0 = auditCount();
	let res = await c.get(`/admin/orgs/${hp}`);
	assert.ok(REFUSED.includes(res.status), `GET /admin/orgs/${hp} (Hải Phòng): ${res.status}`);
	assert.ok(!res.text.includes(htmlEscape(hpName)));
	res = await c.get(`/api/v1/orgs/${hp}`, { noCookies: true, bearer: token });
	assert.ok(REFUSED.includes(res.status));
	res = await formRename(c, hp, 'Hà Nội đổi tên Hải Phòng');
	assert.ok(REFUSED.includes(res.status), `form rename: ${res.status}`);
	res = await c.post(`/api/v1/orgs/${hp}/rename`, { noCookies: true, bearer: token, json: { name: 'Hà Nội đổi tên Hải Phòng', valid_from: today } });
	assert.ok(REFUSED.includes(res.status), `API rename: ${res.status}`);
	assert.equal(await nameAsAdmin(hp), hpName);
	assert.equal(auditCount(), audit0);
	/* …and the province's own list holds none of Hải Phòng's. */
	const items = (await c.get(`/api/v1/orgs?q=${encodeURIComponent(hpName)}`)).json().items;
	assert.ok(!items.some((o) => o.id === hp));
});

test('users out of scope are hidden the same way', async () => {
	const c = srv.client();
	await c.loginOk('c00004.admin');
	const mine = Number(sqliteValue(srv.db, "SELECT id FROM user WHERE login = 'c00004.reception'"));
	const theirs = Number(sqliteValue(srv.db, "SELECT id FROM user WHERE login = 'c00008.reception'"));
	const hpUser = Number(sqliteValue(srv.db, `SELECT id FROM user WHERE login = ${sq(hpAdminCommune)}`));
	let res = await c.get(`/api/v1/users/${mine}`);
	assert.equal(res.status, 200);
	assert.equal(res.json().login, 'c00004.reception');
	assert.ok(!('pw_hash' in res.json()) && !res.text.includes('$argon2'), 'the password hash is exposed');
	for (const id of [theirs, hpUser]) {
		res = await c.get(`/api/v1/users/${id}`);
		assert.ok(REFUSED.includes(res.status), `GET /api/v1/users/${id}: ${res.status}`);
		res = await c.get(`/admin/users/${id}`);
		assert.ok(REFUSED.includes(res.status), `GET /admin/users/${id}: ${res.status}`);
	}
	/* Disabling someone out of scope, with a valid token, is refused and changes nothing. */
	res = await c.post(`/admin/users/${theirs}/disable`, { form: { csrf: c.csrf } });
	assert.ok(REFUSED.includes(res.status), `disable out of scope: ${res.status}`);
	assert.equal(sqliteValue(srv.db, `SELECT disabled FROM user WHERE id = ${theirs}`), '0');
	assert.equal((await new Client(srv.base).login('c00008.reception')).status, 303);
});
