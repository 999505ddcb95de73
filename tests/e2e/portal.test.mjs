// portal.test.mjs — the public news portal in a real browser (Debian's
// chromium driven by playwright-core), on a 360 px phone and a 1280 px
// screen: a reader browses home → category → article by clicking, sends
// feedback under the article; the administrator (central staff, who may
// publish and moderate everywhere: CAP_NEWS_PUBLISH through the leader
// role) approves it in /moderation and makes another reader's feedback a
// citizen's case; the feedback then shows under the article; a search
// typed without diacritics finds "Dân vận khéo".  Screenshots go to
// test-results/ (portal-home-360.png, portal-article-1280.png, …).
// axe-core (from npm, injected through the DevTools protocol as in
// cases.test.mjs, since the CSP forbids inline scripts) finds no serious
// or critical accessibility problem on the home page, an article, the
// search results and the petition form (/gui-don) at either width; the
// lesser findings are printed.  No console errors, failed requests or
// CSP violations on the way, and nothing wider than a 360 px screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, sqlite, sqliteValue, sq, ROOT, DEMO_PASSWORD } from '../http/lib/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = path.join(ROOT, 'test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const WIDTHS = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];

const READER = {
	name: 'Trần Thị Trình Duyệt',
	email: 'trinh.duyet.phanhoi@example.vn',
	content: 'Mô hình rất hay, thôn tôi ở Trình Duyệt cũng muốn học tập cách làm này. Xin cảm ơn tòa soạn.',
};
/* another reader, whose feedback is really a petition: it becomes a case */
const PETITIONER = {
	name: 'Lê Văn Kiến Nghị',
	phone: '0912 345 678',
	address: 'Thôn Trình Duyệt, xã Ba Vì, Hà Nội',
	content: 'Đoạn đường liên thôn qua thôn Trình Duyệt bị sụt lún sau mưa lớn, xe máy đi lại rất nguy hiểm. Đề nghị xã kiểm tra, sửa chữa.',
};

let srv, browser;
const problems = []; // console errors, page errors, failed requests, HTTP errors
let articlePath;     // the article the reader opened (/tin/<slug>)

before(async () => {
	srv = await startServer();
	const n = Number(sqliteValue(srv.db, "SELECT count(*) FROM article WHERE status = 'published'"));
	assert.ok(n >= 50, `the fixture has ${n} published articles: is demo_articles part of 'danvan demo'?`);
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30000 });
	fs.mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

/** A fresh browser context (its own cookies) with the CSP violation recorder. */
async function newContext({ width, height }) {
	const context = await browser.newContext({
		viewport: { width, height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
	});
	await context.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
		});
	});
	return context;
}

function watch(page, label) {
	page.on('console', (msg) => {
		if (msg.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(msg.text()))
			problems.push(`${label} console ${msg.type()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`${label} page error: ${err.message}`));
	page.on('requestfailed', (req) => {
		/* a page left while its favicon or lazy pictures still load drops them */
		if (req.failure()?.errorText === 'net::ERR_ABORTED' &&
			(req.url().endsWith('/assets/favicon.svg') || new URL(req.url()).pathname.startsWith('/anh/')))
			return;
		problems.push(`${label} request failed: ${req.url()} ${req.failure()?.errorText}`);
	});
	page.on('response', (res) => {
		if (res.status() >= 400) problems.push(`${label} HTTP ${res.status()}: ${res.url()}`);
	});
	return page;
}

async function noCsp(page, where) {
	assert.deepEqual(await page.evaluate(() => window.__csp || []), [], `CSP violations on ${where}`);
}

/**
 * axe-core on the page.  The CSP (script-src 'self') would block a script
 * tag with the library's text, so the source is evaluated through the
 * DevTools protocol (page.evaluate), which CSP does not govern.  Fails on
 * serious or critical violations; prints the others.
 */
async function axe(page, where) {
	if (!(await page.evaluate(() => typeof window.axe !== 'undefined')))
		await page.evaluate(fs.readFileSync(AXE, 'utf8'));
	assert.ok(await page.evaluate(() => typeof window.axe?.run === 'function'), 'axe-core did not load');
	const result = await page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
		}));
	});
	for (const v of result)
		console.log(`axe ${where}: [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
	const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`), [], `serious or critical accessibility problems on ${where}`);
}

async function screenshot(page, name, width) {
	const file = path.join(RESULTS, name);
	/* lazy pictures in view are loaded before the shot */
	await page.evaluate(async () => {
		for (const img of document.querySelectorAll('img[loading="lazy"]')) img.loading = 'eager';
		await Promise.all([...document.images].map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
	});
	await page.screenshot({ path: file, fullPage: true });
	const png = fs.readFileSync(file);
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	assert.equal(png.readUInt32BE(16), width, `${name} is not ${width} px wide`);
	assert.ok(png.length > 10000, `${name} is suspiciously small`);
}

async function noSidewaysScroll(page, where) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `${where} is ${overflow}px wider than the screen`);
}

/** Every figure of the article page is a loaded picture with alt text and a caption. */
async function figuresShown(page) {
	const figs = await page.evaluate(async () => {
		const out = [];
		for (const f of document.querySelectorAll('.article-body figure')) {
			const img = f.querySelector('img');
			img.loading = 'eager';
			if (!img.complete) await new Promise((r) => { img.onload = img.onerror = r; });
			out.push({ alt: img.alt, w: img.naturalWidth, caption: f.querySelector('figcaption')?.textContent || '' });
		}
		return out;
	});
	assert.ok(figs.length >= 1, 'the article has no figure');
	for (const f of figs) {
		assert.ok(f.w > 0, 'a figure did not load');
		assert.ok(f.alt.trim(), 'a figure without alt text');
		assert.ok(f.caption.trim(), 'a figure without a caption');
	}
}

// ---- reading ---------------------------------------------------------------------------------

for (const size of WIDTHS) {
	test(`at ${size.width} px a reader goes home → category → article by clicking, and the pages pass axe`, async () => {
		const w = size.width;
		const context = await newContext(size);
		const page = watch(await context.newPage(), `reader ${w}`);
		let res = await page.goto(`${srv.base}/`, { waitUntil: 'load' });
		assert.equal(res.status(), 200);
		assert.equal(await page.getAttribute('html', 'lang'), 'vi');
		assert.ok(await page.isVisible('header time.today'), 'no date in the header');
		assert.ok(await page.locator('.featured .news-item').count() >= 3, 'no featured news on the home page');
		assert.ok(await page.locator('.category-block').count() >= 5, 'the home page lists fewer than five categories');
		assert.ok(await page.locator('.most-viewed li').count() >= 1, '"Xem nhiều nhất" is empty');
		await noSidewaysScroll(page, `the home page at ${w} px`);
		await screenshot(page, `portal-home-${w}.png`, w);
		await axe(page, `the home page at ${w} px`);

		/* a category, from the menu of categories */
		await Promise.all([
			page.waitForURL(`${srv.base}/chuyen-muc/dan-van-kheo`),
			page.click('nav.cat-nav a[href="/chuyen-muc/dan-van-kheo"]'),
		]);
		assert.equal((await page.textContent('main h1'))?.trim(), 'Dân vận khéo');
		assert.equal(await page.getAttribute('nav.cat-nav a[href="/chuyen-muc/dan-van-kheo"]', 'aria-current'), 'page');
		const items = page.locator('.news-list .news-item');
		assert.ok(await items.count() >= 5, 'the category lists fewer than five articles');
		await noSidewaysScroll(page, `the category page at ${w} px`);
		await screenshot(page, `portal-category-${w}.png`, w);

		/* an article, by its title */
		const link = items.nth(w === 360 ? 0 : 1).locator('h2 a');
		const title = (await link.textContent()).trim();
		const href = await link.getAttribute('href');
		await Promise.all([page.waitForURL(`${srv.base}${href}`), link.click()]);
		if (w === 360) articlePath = href;
		assert.equal((await page.textContent('article.news h1'))?.trim(), title);
		assert.match((await page.textContent('article.news .meta time')) || '', /^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{1,2}\/\d{1,2}\/\d{4}, \d{2}:\d{2}$/);
		assert.ok((await page.textContent('.author'))?.trim(), 'no author');
		await figuresShown(page);
		assert.ok(await page.isVisible('a[href$="/phan-hoi"]'), 'no way to send feedback');
		assert.ok(await page.isVisible('a[href$="/gui-ban-be"]'), 'no "send to a friend"');
		assert.ok(await page.locator('#other-news + ul li').count() >= 1, 'no "Các tin khác"');
		await noSidewaysScroll(page, `the article at ${w} px`);
		await screenshot(page, `portal-article-${w}.png`, w);
		await axe(page, `an article at ${w} px`);
		await noCsp(page, 'the reader\'s pages');
		await context.close();
	});
}

// ---- feedback, moderation, publication, a case ----------------------------------------------------

test('at 360 px the reader sends feedback under the article', async () => {
	assert.ok(articlePath, 'the reading test did not run');
	const context = await newContext(WIDTHS[0]);
	const page = watch(await context.newPage(), 'feedback');
	await page.goto(`${srv.base}${articlePath}`);
	await Promise.all([page.waitForURL(`${srv.base}${articlePath}/phan-hoi`), page.click(`a[href="${articlePath}/phan-hoi"]`)]);
	assert.equal((await page.textContent('main h1'))?.trim(), 'Gửi phản hồi của bạn');
	await page.fill('#name', READER.name);
	await page.fill('#email', READER.email);
	await page.fill('#content', READER.content);
	await noSidewaysScroll(page, 'the feedback form');
	await Promise.all([
		page.waitForURL(`${srv.base}${articlePath}/phan-hoi?da-gui=1`),
		page.click(`form[action="${articlePath}/phan-hoi"] button[type="submit"]`),
	]);
	assert.ok(await page.isVisible('.notice[role="status"]'), 'no confirmation');
	await screenshot(page, 'portal-feedback-360.png', 360);
	assert.equal(sqliteValue(srv.db, `SELECT status FROM feedback WHERE content = ${sq(READER.content)}`), 'pending');
	/* another reader writes with an address and a phone number */
	const other = watch(await (await newContext(WIDTHS[0])).newPage(), 'petitioner');
	await other.goto(`${srv.base}${articlePath}/phan-hoi`);
	await other.fill('#name', PETITIONER.name);
	await other.fill('#phone', PETITIONER.phone);
	await other.fill('#address', PETITIONER.address);
	await other.fill('#content', PETITIONER.content);
	await Promise.all([
		other.waitForURL(`${srv.base}${articlePath}/phan-hoi?da-gui=1`),
		other.click(`form[action="${articlePath}/phan-hoi"] button[type="submit"]`),
	]);
	await other.context().close();
	/* not shown before moderation */
	await page.goto(`${srv.base}${articlePath}`);
	assert.ok(!(await page.textContent('main')).includes(READER.content), 'the feedback is shown before moderation');
	await noCsp(page, 'the feedback form');
	await context.close();
});

async function signIn(page, login) {
	await page.goto(`${srv.base}/login`);
	await page.fill('#login', login);
	await page.fill('#password', DEMO_PASSWORD);
	await Promise.all([page.waitForURL(`${srv.base}/`), page.click('form[action="/login"] button[type="submit"]')]);
	assert.ok(await page.isVisible('form[action="/logout"] button'), `${login} is not signed in`);
}

test('at 1280 px the administrator approves it and makes another feedback a case; the reader sees it published', async () => {
	const fid = Number(sqliteValue(srv.db, `SELECT id FROM feedback WHERE content = ${sq(READER.content)}`));
	const otherId = Number(sqliteValue(srv.db, `SELECT id FROM feedback WHERE content = ${sq(PETITIONER.content)}`));
	assert.ok(fid > 0 && otherId > 0, 'the feedback test did not run');
	assert.ok(Number(sqliteValue(srv.db, "SELECT count(*) FROM feedback WHERE status = 'pending'")) > 2,
		'the demo has no feedback waiting for moderation');

	const context = await newContext(WIDTHS[1]);
	const page = watch(await context.newPage(), 'moderator');
	/* admin: central staff, scope = the whole country; leader role = CAP_NEWS_PUBLISH */
	await signIn(page, 'admin');
	await page.goto(`${srv.base}/moderation`);
	assert.equal((await page.textContent('main h1'))?.trim(), 'Kiểm duyệt phản hồi');
	/* the queue is first come, first served: the newest are on its last page */
	const mine = page.locator('li.feedback-item', { hasText: READER.content });
	for (let pages = 0; (await mine.count()) === 0 && pages < 20; pages++) {
		const next = page.locator('nav.pager a[rel="next"]');
		if (!(await next.count())) break;
		await Promise.all([page.waitForURL(/\/moderation\?status=pending&page=\d+/), next.click()]);
	}
	assert.equal(await mine.count(), 1, 'the feedback is not in the queue');
	assert.ok((await mine.textContent()).includes(READER.email), 'the moderator does not see the sender\'s e-mail');
	await screenshot(page, 'portal-moderation-1280.png', 1280);
	await Promise.all([
		page.waitForURL(/\/moderation\?status=pending&done=approve/),
		mine.locator(`form[action="/moderation/${fid}/approve"] button`).click(),
	]);
	assert.ok(await page.isVisible('.notice[role="status"]'));
	assert.equal(sqliteValue(srv.db, `SELECT status FROM feedback WHERE id = ${fid}`), 'approved');

	/* the other one becomes a citizen's case */
	const others = page.locator('li.feedback-item', { hasText: PETITIONER.content });
	for (let pages = 0; (await others.count()) === 0 && pages < 20; pages++) {
		const next = page.locator('nav.pager a[rel="next"]');
		if (!(await next.count())) break;
		await Promise.all([page.waitForURL(/\/moderation\?status=pending&page=\d+/), next.click()]);
	}
	assert.equal(await others.count(), 1, 'the second feedback is not in the queue');
	assert.ok((await others.textContent()).includes(PETITIONER.phone), 'the moderator does not see the phone number');
	await Promise.all([
		page.waitForURL(/\/moderation\?status=pending&done=case&code=/),
		page.click(`form[action="/moderation/${otherId}/case"] button`),
	]);
	const code = (await page.textContent('.notice code'))?.trim();
	assert.match(code || '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
	const caseRow = sqlite(srv.db, `SELECT c.code, c.title FROM feedback f JOIN cases c ON c.id = f.case_id WHERE f.id = ${otherId}`)[0];
	assert.ok(caseRow, 'the feedback is not linked to a case');
	assert.equal(caseRow[0], code);
	assert.match(caseRow[1], /^Phản hồi về bài viết: /);
	assert.equal(sqliteValue(srv.db, `SELECT channel FROM cases WHERE code = ${sq(code)}`), 'web');
	await screenshot(page, 'portal-case-1280.png', 1280);
	await noCsp(page, 'the moderation queue');
	await context.close();

	/* the reader, on a phone and a desktop, sees the approved feedback under the article */
	for (const size of WIDTHS) {
		const ctx = await newContext(size);
		const reader = watch(await ctx.newPage(), `reader again ${size.width}`);
		await reader.goto(`${srv.base}${articlePath}`);
		const item = reader.locator('.feedback-list li', { hasText: READER.content });
		assert.equal(await item.count(), 1, `the approved feedback is not shown at ${size.width} px`);
		assert.ok((await item.textContent()).includes(READER.name));
		assert.ok(!(await reader.textContent('main')).includes(READER.email), 'the e-mail is published');
		await item.scrollIntoViewIfNeeded();
		await screenshot(reader, `portal-published-${size.width}.png`, size.width);
		await ctx.close();
	}
});

// ---- search -----------------------------------------------------------------------------------

for (const size of WIDTHS) {
	test(`at ${size.width} px a search typed without diacritics finds "Dân vận khéo"; the results and the petition form pass axe`, async () => {
		const w = size.width;
		const context = await newContext(size);
		const page = watch(await context.newPage(), `search ${w}`);
		await page.goto(`${srv.base}/`);
		await page.fill('#q-home', 'dan van kheo');
		await Promise.all([page.waitForURL(/\/tim-kiem\?q=dan\+van\+kheo$/), page.press('#q-home', 'Enter')]);
		const results = page.locator('ol.search-results > li');
		assert.ok(await results.count() >= 5, `only ${await results.count()} results`);
		const marked = await page.locator('ol.search-results mark').allTextContents();
		assert.ok(marked.some((m) => /^(dân|vận|khéo)$/i.test(m.trim())), `no accented words marked: ${marked.slice(0, 5).join(', ')}`);
		assert.ok((await results.first().textContent()).match(/Dân vận khéo|dân vận|khéo/i));
		await noSidewaysScroll(page, `the search results at ${w} px`);
		await screenshot(page, `portal-search-${w}.png`, w);
		await axe(page, `the search results at ${w} px`);

		/* the source article is found by its words, typed plainly */
		await page.fill('#q-main', 'giao ban dong bang song hong');
		await Promise.all([page.waitForURL(/\/tim-kiem\?q=giao\+ban/), page.press('#q-main', 'Enter')]);
		assert.ok(await page.isVisible('ol.search-results a:has-text("Giao ban công tác dân vận các tỉnh, thành phố khu vực đồng bằng sông Hồng")'),
			'the source article is not found');

		const res = await page.goto(`${srv.base}/gui-don`, { waitUntil: 'load' });
		assert.equal(res.status(), 200);
		await noSidewaysScroll(page, `the petition form at ${w} px`);
		await axe(page, `the petition form (/gui-don) at ${w} px`);

		/* the reception schedule, reached from the home page */
		await page.goto(`${srv.base}/`);
		await Promise.all([page.waitForURL(/\/lich-tiep-cong-dan$/), page.click('a[href="/lich-tiep-cong-dan"]')]);
		assert.ok(await page.locator('section.reception-day h2').count() >= 1, 'no day on the reception schedule');
		assert.match(await page.locator('section.reception-day h2').first().textContent(), /^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{1,2}\/\d{1,2}\/\d{4}$/);
		await noSidewaysScroll(page, `the reception schedule at ${w} px`);
		await screenshot(page, `portal-receptions-${w}.png`, w);
		await axe(page, `the reception schedule at ${w} px`);
		await noCsp(page, 'search, the petition form and the reception schedule');
		await context.close();
	});
}

test('no console errors, failed requests or HTTP errors on the way', () => {
	assert.deepEqual(problems, []);
});
