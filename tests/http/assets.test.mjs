// assets.test.mjs — embedded static files: ETag / 304, and no way out of
// the asset table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, ROOT } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('/assets/site.css: the file\'s bytes, text/css, an ETag, cacheable', async () => {
	const res = await srv.client().get('/assets/site.css');
	assert.equal(res.status, 200);
	assert.match(res.header('content-type'), /^text\/css/);
	const etag = res.header('etag');
	assert.match(etag ?? '', /^(W\/)?"[^"]+"$/, `ETag: ${etag}`);
	assert.match(res.header('cache-control'), /max-age=\d+/);
	const want = fs.readFileSync(path.join(ROOT, 'assets/site.css'));
	assert.ok(res.body.equals(want), 'served bytes differ from assets/site.css');
	assert.equal(Number(res.header('content-length')), want.length);
});

test('If-None-Match with the ETag → 304 with no body; another ETag → 200', async () => {
	const c = srv.client();
	const etag = (await c.get('/assets/site.css')).header('etag');
	let res = await c.get('/assets/site.css', { headers: { 'If-None-Match': etag } });
	assert.equal(res.status, 304);
	assert.equal(res.body.length, 0);
	assert.equal(res.header('etag'), etag);

	res = await c.get('/assets/site.css', { headers: { 'If-None-Match': '"0000000000000000"' } });
	assert.equal(res.status, 200);
	assert.ok(res.body.length > 0);

	/* A list of ETags that contains ours matches too. */
	res = await c.get('/assets/site.css', { headers: { 'If-None-Match': `"abc", ${etag}` } });
	assert.equal(res.status, 304);
});

test('each asset has its own ETag and type', async () => {
	const c = srv.client();
	const svg = await c.get('/assets/emblem.svg');
	assert.equal(svg.status, 200);
	assert.match(svg.header('content-type'), /^image\/svg\+xml/);
	const css = await c.get('/assets/site.css');
	assert.notEqual(svg.header('etag'), css.header('etag'));
	/* The site.css ETag does not validate emblem.svg. */
	const res = await c.get('/assets/emblem.svg', { headers: { 'If-None-Match': css.header('etag') } });
	assert.equal(res.status, 200);
});

test('HEAD of an asset: headers, no body', async () => {
	const res = await srv.client().request('HEAD', '/assets/site.css');
	assert.equal(res.status, 200);
	assert.equal(res.body.length, 0);
	assert.ok(res.header('etag'));
});

for (const p of [
	'/assets/../../etc/passwd',
	'/assets/..%2F..%2Fetc%2Fpasswd',
	'/assets/%2e%2e/%2e%2e/etc/passwd',
	'/assets/nope',
	'/assets/nope.css',
	'/assets/',
	'/assets/site.css/',
	'/assets/SITE.CSS',
	'/assets/site.css%00.txt',
]) {
	test(`GET ${p} → 404 (or 400), never a file`, async () => {
		const res = await srv.client().get(p);
		assert.ok(res.status === 404 || res.status === 400, `${p}: ${res.status}`);
		assert.doesNotMatch(res.text, /root:.*:0:0:/);
		assert.match(res.header('content-type'), /^text\/html/);
	});
}
