// units.test.mjs — public pages about administrative units and regions,
// and the code resolver (HTML and JSON).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, sqliteValue } from './lib/server.mjs';

let srv, c;
before(async () => { srv = await startServer(); c = new Client(srv.base); });
after(async () => { await srv?.stop(); });

function page(res) {
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^text\/html/);
	assert.match(res.text, /<header class="site-header">/);
	return res.text;
}

test('/units/resolve?code=00001: the old Phúc Xá and today\'s Phường Hồng Hà', async () => {
	const html = page(await c.get('/units/resolve?code=00001'));
	assert.ok(html.includes('Phúc Xá'), 'the old unit is not named');
	assert.ok(html.includes('Hồng Hà'), 'the successor is not named');
	const hongHa = sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '00097' AND valid_to IS NULL");
	assert.ok(html.includes(`href="/units/${hongHa}"`), 'no link to the successor');
	/* The form is there without a code, and a bad code does not crash it. */
	page(await c.get('/units/resolve'));
	const bad = await c.get('/units/resolve?code=abc');
	assert.ok([200, 400].includes(bad.status));
	assert.match(bad.text, /<header class="site-header">/);
});

test('/api/v1/units/resolve?code=00001 lists the successor 00097', async () => {
	const res = await c.get('/api/v1/units/resolve?code=00001');
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^application\/json/);
	const j = res.json();
	assert.equal(j.code, '00001');
	const old = j.units.find((u) => u.era === 2020);
	assert.ok(old, JSON.stringify(j));
	assert.equal(old.name, 'Phúc Xá');
	assert.equal(old.level, 'commune');
	assert.equal(old.in_force, false);
	const succ = old.successors.find((s) => s.code === '00097');
	assert.ok(succ, `no successor 00097 in ${JSON.stringify(old.successors)}`);
	assert.equal(succ.name, 'Hồng Hà');
	assert.equal(succ.era, 2025);
	assert.equal(succ.valid_to, null);
	/* No login needed, and a code in force resolves to itself. */
	const now = (await c.get('/api/v1/units/resolve?code=00097')).json();
	assert.ok(now.units.some((u) => u.code === '00097' && u.in_force === true));
});

test('/api/v1/units/resolve: malformed code → 400 JSON, unknown → 404 JSON', async () => {
	for (const [q, status] of [['abc', 400], ['1', 400], ['', 400], ['123456', 400], ['99999', 404]]) {
		const res = await c.get(`/api/v1/units/resolve?code=${q}`);
		assert.equal(res.status, status, `code=${q}`);
		assert.equal(res.json().error.status, status);
	}
});

test('/units?q=thai+binh finds Thái Bình (accent- and case-insensitive)', async () => {
	/* A result is a link to a unit; the page's own help text names Thái Bình too. */
	const hit = /<a href="\/units\/\d+">[^<]*Thái Bình<\/a>/;
	for (const q of ['thai+binh', 'Th%C3%A1i+B%C3%ACnh', 'THAI%20BINH']) {
		const html = page(await c.get(`/units?q=${q}`));
		assert.match(html, hit, `q=${q}: Thái Bình not found`);
		/* The old province (code 34) is among the results. */
		const prov = sqliteValue(srv.db, "SELECT id FROM unit WHERE level = 'province' AND code = '34' AND era = 2020");
		assert.ok(html.includes(`<a href="/units/${prov}">`), `q=${q}: no link to the province`);
	}
	const none = page(await c.get('/units?q=zzzzqqq'));
	assert.doesNotMatch(none, hit);
});

test('search input is escaped in the page', async () => {
	const html = page(await c.get('/units?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E'));
	assert.ok(!html.includes('<script>alert(1)</script>'));
});

test('/units lists the 34 provinces in force', async () => {
	const html = page(await c.get('/units'));
	for (const name of ['Hà Nội', 'Hải Phòng', 'Hưng Yên', 'Ninh Bình', 'Cà Mau'])
		assert.ok(html.includes(name), `no ${name}`);
	const ids = sqliteValue(srv.db, "SELECT count(*) FROM unit WHERE level = 'province' AND valid_to IS NULL");
	assert.equal(ids, '34');
});

test('/units/{id}: one unit with its predecessors; unknown ids → 404', async () => {
	const id = sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '00097' AND valid_to IS NULL");
	const html = page(await c.get(`/units/${id}`));
	assert.ok(html.includes('Hồng Hà'));
	assert.ok(html.includes('Phúc Xá'), 'the predecessor is not listed');
	for (const p of ['/units/999999999', '/units/abc', '/units/-1', '/units/1e3'])
		assert.ok([400, 404].includes((await c.get(p)).status), p);
});

test('/regions lists Đồng bằng sông Hồng; its page maps it to today\'s provinces', async () => {
	const html = page(await c.get('/regions'));
	assert.ok(html.includes('Đồng bằng sông Hồng'));
	const reg = page(await c.get('/regions/dbsh-11'));
	for (const name of ['Hà Nội', 'Thái Bình', 'Hưng Yên'])
		assert.ok(reg.includes(name), `no ${name} on the region page`);
	assert.equal((await c.get('/regions/no-such-region')).status, 404);
	const en = await c.get('/regions?lang=en');
	assert.ok(en.text.includes('Red River Delta'));
});
