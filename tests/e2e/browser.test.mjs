// browser.test.mjs — the site in a real browser (Debian's chromium driven
// by playwright-core): the date in the header, signing in through the
// form, the home page with the user's name, screenshots at 1280 and 360
// pixels, and no console errors or CSP violations on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, tempDir, removeTempDir, viLongDate, sqliteValue, ROOT, DEMO_PASSWORD } from '../http/lib/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = path.join(ROOT, 'test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

let srv, profile, context;
const problems = []; // console errors, page errors, CSP violations, failed requests

before(async () => {
	srv = await startServer();
	profile = tempDir('danvan-chromium-');
	context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		args: ARGS,
		headless: true,
		viewport: { width: 1280, height: 800 },
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		timeout: 30000,
	});
	/* CSP violations reach the page as events; record them where the test can read them. */
	await context.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
		});
	});
});

after(async () => {
	await context?.close();
	if (profile) removeTempDir(profile);
	await srv?.stop();
});

function watch(page) {
	page.on('console', (msg) => {
		if (msg.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(msg.text()))
			problems.push(`console ${msg.type()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
	page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
	page.on('response', (res) => {
		if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
	});
}

async function cspViolations(page) {
	return page.evaluate(() => window.__csp || []);
}

test('home, sign in as admin, screenshots at 1280 and 360 px; no console errors or CSP violations', async () => {
	const page = await context.newPage();
	watch(page);

	/* 1. The home page with today's date (Việt Nam time) in the header. */
	const t0 = Date.now();
	let res = await page.goto(`${srv.base}/`, { waitUntil: 'load' });
	const t1 = Date.now();
	assert.equal(res.status(), 200);
	assert.equal(await page.getAttribute('html', 'lang'), 'vi');
	const today = (await page.textContent('header time.today'))?.trim();
	assert.ok([viLongDate(t0), viLongDate(t1)].includes(today), `header date "${today}", expected "${viLongDate(t1)}"`);
	assert.ok(await page.isVisible('header time.today'), 'the date is not visible');
	/* The stylesheet applied (not blocked by CSP, not missing). */
	const styled = await page.evaluate(() => document.styleSheets.length > 0 &&
		[...document.styleSheets].some((s) => s.href && s.href.endsWith('/assets/site.css') && s.cssRules.length > 0));
	assert.ok(styled, 'site.css did not load');

	/* 2. Sign in through the form, as a person would. */
	await page.click('header a[href="/login"]');
	await page.waitForURL(`${srv.base}/login`);
	await page.fill('#login', 'admin');
	await page.fill('#password', DEMO_PASSWORD);
	await Promise.all([
		page.waitForURL(`${srv.base}/`),
		page.click('form[action="/login"] button[type="submit"]'),
	]);

	/* 3. Back home, signed in: the user's name in the header and the workspace. */
	const name = sqliteValue(srv.db, "SELECT name FROM user WHERE login = 'admin'");
	assert.equal((await page.textContent('header a[href="/account"]'))?.trim(), name);
	assert.ok(await page.isVisible('form[action="/logout"] button'), 'no logout button');
	assert.ok(await page.isVisible('.featured .news-item'), 'no news on the home page');
	const cookies = await context.cookies(srv.base);
	const session = cookies.find((c) => c.name === 'dv_session');
	assert.ok(session, 'no session cookie');
	assert.equal(session.httpOnly, true);
	assert.equal(await page.evaluate(() => document.cookie.includes('dv_session')), false);

	/* 4. Screenshots. */
	fs.mkdirSync(RESULTS, { recursive: true });
	const wide = path.join(RESULTS, 'home-1280.png');
	await page.screenshot({ path: wide, fullPage: true });
	await page.setViewportSize({ width: 360, height: 740 });
	await page.reload({ waitUntil: 'load' });
	const narrow = path.join(RESULTS, 'home-360.png');
	await page.screenshot({ path: narrow, fullPage: true });
	for (const f of [wide, narrow]) {
		const png = fs.readFileSync(f);
		assert.equal(png.subarray(1, 4).toString(), 'PNG');
		assert.ok(png.length > 10000, `${f} is suspiciously small`);
	}
	/* Width of the PNG (IHDR) is the viewport's. */
	assert.equal(fs.readFileSync(wide).readUInt32BE(16), 1280);
	assert.equal(fs.readFileSync(narrow).readUInt32BE(16), 360);
	fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
	fs.copyFileSync(wide, path.join(ROOT, 'docs/screenshot.png'));

	/* 5. At 360 px nothing makes the page scroll sideways. */
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 360px screen`);

	assert.deepEqual(await cspViolations(page), [], 'CSP violations');
	await page.close();
	assert.deepEqual(problems, [], 'console errors or failed requests');
});

test('a wrong password shows the message in the page; log out works', async () => {
	const page = await context.newPage();
	watch(page);
	await page.setViewportSize({ width: 1280, height: 800 });
	/* Still signed in from the test above (same profile): log out first. */
	await page.goto(`${srv.base}/`);
	if (await page.isVisible('form[action="/logout"] button')) {
		await Promise.all([page.waitForURL(`${srv.base}/`), page.click('form[action="/logout"] button')]);
	}
	assert.ok(await page.isVisible('header a[href="/login"]'), 'still signed in after logout');
	const before = problems.length;
	await page.goto(`${srv.base}/login`);
	await page.fill('#login', 'ha-noi.editor');
	await page.fill('#password', 'not-the-password');
	await Promise.all([page.waitForLoadState('load'), page.click('form[action="/login"] button[type="submit"]')]);
	assert.match((await page.textContent('[role="alert"]')) || '', /\S/);
	/* The 401 of the failed login is expected: drop it from the problem list. */
	const extra = problems.splice(before).filter((p) => p !== `HTTP 401: ${srv.base}/login` &&
		!/^console error: Failed to load resource: .*status of 401/.test(p));
	assert.deepEqual(extra, []);
	assert.deepEqual(await cspViolations(page), []);
	await page.close();
});

test('English, and the 404 page, render without errors', async () => {
	const page = await context.newPage();
	watch(page);
	const before = problems.length;
	await page.goto(`${srv.base}/?lang=en`);
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	assert.match((await page.textContent('header time.today')) || '', /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{1,2} [A-Z][a-z]+ \d{4}$/);
	const res = await page.goto(`${srv.base}/no-such-page`);
	assert.equal(res.status(), 404);
	assert.ok(await page.isVisible('header.site-header'));
	const extra = problems.splice(before).filter((p) => p !== `HTTP 404: ${srv.base}/no-such-page` &&
		!/^console error: Failed to load resource: .*status of 404/.test(p));
	assert.deepEqual(extra, []);
	assert.deepEqual(await cspViolations(page), []);
	await page.close();
});

test('the CSP detector itself works: a foreign image is reported', async () => {
	const page = await context.newPage();
	await page.goto(`${srv.base}/`);
	await page.evaluate(() => {
		const img = document.createElement('img');
		img.src = 'http://127.0.0.1:9/evil.png';
		document.body.appendChild(img);
	});
	await page.waitForFunction(() => window.__csp.length > 0, null, { timeout: 5000 });
	assert.match((await cspViolations(page))[0], /^img-src/);
	await page.close();
});
