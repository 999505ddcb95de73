// cases_reply.test.mjs — a petition answered, end to end, twice: in a
// real browser (Debian's chromium driven by playwright-core) and through
// the JSON API.
//
// Browser: a citizen submits the public form on a 360 px phone and gets a
// tracking code; ha-noi.reception signs in on a 1280 px screen and
// classifies the case, routing it to the city inspectorate; the handling
// officer ha-noi.handler accepts it (thụ lý is the competent body's
// decision: the reception role does not hold it, and the page offers it no
// such button), decides it ("answered in writing") and writes the reply;
// the citizen opens the tracking page by code and reads the reply
// (screenshot test-results/reply-360.png).
//
// API: the reception officer registers the same kind of petition for a
// citizen (POST /api/v1/cases with a bearer token from `danvan user
// token`) and classifies it; the handler accepts, decides and replies
// (POST /api/v1/cases/{id}/transitions); the public GET
// /api/v1/track/{code} shows the reply, and neither the internal note nor
// the citizen's personal data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, sqliteValue, sq, vnIsoDate, makeToken, ROOT, DEMO_PASSWORD } from '../http/lib/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = path.join(ROOT, 'test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

const CITIZEN = { name: 'Trần Văn Hồi Âm', address: 'Số 21 ngõ Hồi Âm, phường Ba Đình', phone: '0914 000 919', email: 'hoi.am@example.vn' };
const TITLE = 'Đèn chiếu sáng ngõ Hồi Âm hỏng đã ba tháng';
const CONTENT = 'Toàn bộ đèn chiếu sáng trong ngõ Hồi Âm không sáng từ ba tháng nay, buổi tối đi lại nguy hiểm. Đề nghị phường sửa chữa.';
const INTERNAL = 'Ghi chú nội bộ: chuyển Thanh tra thành phố theo dõi.';
const ACCEPT_NOTE = 'Thanh tra thành phố đã thụ lý kiến nghị của ông.';
const DECISION_NOTE = 'Đã giao Công ty chiếu sáng thay bóng đèn trong ngõ.';
const REPLY = 'Trả lời ông: toàn bộ đèn trong ngõ Hồi Âm đã được thay mới ngày hôm nay. Cảm ơn ông đã phản ánh.';

let srv, browser;
const problems = []; // console errors, page errors, failed requests, HTTP errors
let code, caseId;

before(async () => {
	srv = await startServer();
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30000 });
	fs.mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

/** A fresh browser context (its own cookies) with the CSP violation recorder. */
async function newContext(width, height) {
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
		/* a page left while its favicon or pictures (the home page's
		 * thumbnails) still load drops them: not an error */
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

/** axe-core through the DevTools protocol (the CSP blocks injected script tags). */
async function axe(page, where) {
	if (!(await page.evaluate(() => typeof window.axe !== 'undefined')))
		await page.evaluate(fs.readFileSync(AXE, 'utf8'));
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
	await page.screenshot({ path: file, fullPage: true });
	const png = fs.readFileSync(file);
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	assert.equal(png.readUInt32BE(16), width, `${name} is not ${width} px wide`);
	assert.ok(png.length > 5000, `${name} is suspiciously small`);
}

async function noSidewaysScroll(page, where) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `${where} is ${overflow}px wider than the screen`);
}

function assertNoCitizen(text, where) {
	for (const v of Object.values(CITIZEN))
		assert.ok(!text.includes(v), `${where} shows "${v}"`);
}

async function signIn(page, login) {
	await page.goto(`${srv.base}/login`);
	await page.fill('#login', login);
	await page.fill('#password', DEMO_PASSWORD);
	await Promise.all([page.waitForURL(`${srv.base}/`), page.click('form[action="/login"] button[type="submit"]')]);
	assert.ok(await page.isVisible('form[action="/logout"] button'), `${login} is not signed in`);
}

async function signOut(page) {
	await Promise.all([page.waitForURL(`${srv.base}/`), page.click('form[action="/logout"] button')]);
}

/** Open the action's <details>, fill it with `fill`, submit, expect ?saved=1. */
async function act(page, action, fill) {
	const box = page.locator(`details.action-${action}`);
	assert.equal(await box.count(), 1, `no ${action} action on the case page`);
	await box.locator('summary').click();
	await fill(box);
	await Promise.all([
		page.waitForURL(`${srv.base}/cases/${caseId}?saved=1`),
		box.locator('button[type="submit"]').click(),
	]);
	assert.ok(await page.isVisible('.notice[role="status"]'), `no confirmation after ${action}`);
}

const statusOf = (id) => sqliteValue(srv.db, `SELECT status FROM cases WHERE id = ${Number(id)}`);

// ---- the browser ----------------------------------------------------------------------

test('browser: at 360 px a citizen sends a petition on the public form and gets a tracking code', async () => {
	const context = await newContext(360, 740);
	const page = watch(await context.newPage(), 'citizen');
	const res = await page.goto(`${srv.base}/gui-don`, { waitUntil: 'load' });
	assert.equal(res.status(), 200);
	await page.click('label[for="kind-petition"]');
	await page.fill('#title', TITLE);
	await page.fill('#content', CONTENT);
	const hanoi = sqliteValue(srv.db, "SELECT id FROM unit WHERE code = '01' AND level = 'province' AND valid_to IS NULL");
	await page.selectOption('#province_id', hanoi);
	await page.fill('#commune', 'Ba Đình');
	await page.fill('#name', CITIZEN.name);
	await page.fill('#address', CITIZEN.address);
	await page.fill('#phone', CITIZEN.phone);
	await page.fill('#email', CITIZEN.email);
	await Promise.all([
		page.waitForURL(/\/tra-cuu\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\?moi=1/),
		page.click('form.case-form button[type="submit"]'),
	]);
	code = (await page.textContent('.tracking-code strong'))?.trim();
	assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
	caseId = Number(sqliteValue(srv.db, `SELECT id FROM cases WHERE code = ${sq(code)}`));
	assert.ok(caseId > 0);
	assert.equal(sqliteValue(srv.db, `SELECT kind || '/' || channel || '/' || status FROM cases WHERE id = ${caseId}`), 'petition/web/received');
	assert.ok(await page.isVisible('.status-received'));
	assertNoCitizen(await page.textContent('main'), 'the tracking page');
	await noCsp(page, 'the receipt');
	await context.close();
});

test('browser: ha-noi.reception classifies; ha-noi.handler accepts, decides and replies', async () => {
	assert.ok(code, 'the citizen test did not run');
	const context = await newContext(1280, 800);
	const page = watch(await context.newPage(), 'staff');

	/* reception: finds the case in the queue, classifies and routes it */
	await signIn(page, 'ha-noi.reception');
	await page.goto(`${srv.base}/cases`);
	const row = page.locator('table.cases tbody tr', { hasText: code });
	assert.equal(await row.count(), 1, 'the case is not in the reception queue');
	await Promise.all([page.waitForURL(`${srv.base}/cases/${caseId}`), row.locator(`a[href="/cases/${caseId}"]`).first().click()]);
	const insp = sqliteValue(srv.db, "SELECT id FROM org WHERE code = 'p01-insp'");
	await act(page, 'classify', async (box) => {
		await box.locator('#classify-field').selectOption('other');
		await box.locator('#classify-org').selectOption(insp);
		await box.locator('textarea[name="note"]').fill(INTERNAL);
	});
	assert.equal(statusOf(caseId), 'classified');
	/* acceptance (thụ lý) belongs to the handling officer of the competent body */
	assert.equal(await page.locator('details.action-accept').count(), 0, 'the reception officer is offered acceptance');
	await noCsp(page, 'the case page (reception)');
	await signOut(page);

	/* the handling officer: accept, decide, reply */
	await signIn(page, 'ha-noi.handler');
	await page.goto(`${srv.base}/cases/${caseId}`);
	await act(page, 'accept', async (box) => {
		await box.locator('input[name="doc_number"]').fill('88/TB-TTr');
		await box.locator('textarea[name="note"]').fill(ACCEPT_NOTE);
	});
	assert.equal((await page.textContent('.status-line .status'))?.trim(), 'Đã thụ lý');
	await act(page, 'decide', async (box) => {
		await box.locator('#decide-outcome').selectOption('answered');
		await box.locator('input[name="doc_number"]').fill('91/TTr-VP');
		await box.locator('textarea[name="note"]').fill(DECISION_NOTE);
	});
	assert.equal(statusOf(caseId), 'decided');
	assert.equal(sqliteValue(srv.db, `SELECT outcome FROM cases WHERE id = ${caseId}`), 'answered');
	const reply = page.locator(`form[action="/cases/${caseId}/reply"]`);
	await reply.locator('#reply-text').fill(REPLY);
	await Promise.all([
		page.waitForURL(`${srv.base}/cases/${caseId}?saved=1`),
		reply.locator('button[type="submit"]').click(),
	]);
	assert.equal(sqliteValue(srv.db, `SELECT visibility FROM case_event WHERE case_id = ${caseId} AND action = 'reply' AND note = ${sq(REPLY)}`), 'citizen');
	assert.ok((await page.textContent('main')).includes(REPLY), 'the case page does not show the reply');
	/* the decision's clock stopped on time */
	assert.equal(sqliteValue(srv.db, `SELECT state FROM case_deadline WHERE case_id = ${caseId} AND step = 'handle'`), 'met');
	/* the citizen gave an e-mail address: the reply is queued for it */
	assert.ok(Number(sqliteValue(srv.db, `SELECT count(*) FROM outbox WHERE case_id = ${caseId} AND body LIKE ${sq(`%${REPLY}%`)}`)) >= 1,
		'the reply is not queued for e-mail');
	await noCsp(page, 'the case page (handler)');
	await context.close();
});

test('browser: the citizen reads the reply on the tracking page (reply-360.png)', async () => {
	assert.ok(caseId, 'the staff test did not run');
	const context = await newContext(360, 740);
	const page = watch(await context.newPage(), 'citizen again');
	await page.goto(`${srv.base}/tra-cuu`);
	await page.fill('#code', code.replace(/-/g, '').toLowerCase());
	await Promise.all([page.waitForURL(`${srv.base}/tra-cuu/${code}`), page.click('form[action="/tra-cuu"] button[type="submit"]')]);
	assert.ok(await page.isVisible('.status-decided'), 'the decided status is not shown');
	const replies = await page.locator('.reply').allTextContents();
	assert.ok(replies.some((t) => t.includes(REPLY)), `the reply is not on the tracking page: ${replies.join(' | ')}`);
	assert.ok(replies.some((t) => t.includes(DECISION_NOTE)), 'the decision note for the citizen is missing');
	assert.ok(replies.some((t) => t.includes(ACCEPT_NOTE)), 'the acceptance note for the citizen is missing');
	const main = await page.textContent('main');
	assert.ok(main.includes('Đã trả lời bằng văn bản'), 'the outcome is not shown');
	assert.ok(!main.includes(INTERNAL), 'the internal classification note is shown');
	assertNoCitizen(main, 'the tracking page');
	await noSidewaysScroll(page, 'the tracking page with the reply');
	await page.locator('.reply', { hasText: REPLY }).scrollIntoViewIfNeeded();
	await screenshot(page, 'reply-360.png', 360);
	await axe(page, 'the tracking page with a reply');
	await noCsp(page, 'the tracking page with a reply');
	await context.close();
	assert.deepEqual(problems, [], 'console errors, failed requests or HTTP errors');
});

// ---- the same flow through the API -------------------------------------------------------

test('API: registered with a token, classified, accepted, decided and replied; GET /api/v1/track shows the reply', async () => {
	const rec = await makeToken(srv.db, 'ha-noi.reception');
	const handler = await makeToken(srv.db, 'ha-noi.handler');
	const api = async (method, p, token, json) => {
		const res = await srv.client().request(method, p, { bearer: token, json });
		assert.match(res.header('content-type') || '', /^application\/json/, `${method} ${p}: ${res.text.slice(0, 200)}`);
		return res;
	};
	const today = vnIsoDate();
	const citizen = { name: 'Lê Thị Qua Mạng', address: 'Số 5 ngõ Qua Mạng, phường Ba Đình', phone: '0914000929', email: 'qua.mang@example.vn' };
	const title = 'Cống thoát nước ngõ Qua Mạng bị tắc';
	const reply = 'Trả lời bà: cống thoát nước ngõ Qua Mạng đã được nạo vét xong.';

	/* the citizen's petition, registered by the reception officer */
	let res = await api('POST', '/api/v1/cases', rec, {
		kind: 'petition', channel: 'post', received_on: today, unit: '00004',
		title, content: 'Cống thoát nước tắc, mưa là ngập cả ngõ. Đề nghị nạo vét.',
		citizen, signed: true,
	});
	assert.equal(res.status, 201, res.text);
	const c = res.json();
	assert.match(c.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
	assert.equal(c.status, 'received');
	const path = `/api/v1/cases/${c.id}/transitions`;

	/* reception classifies and routes to the city inspectorate */
	const insp = Number(sqliteValue(srv.db, "SELECT id FROM org WHERE code = 'p01-insp'"));
	res = await api('POST', path, rec, { action: 'classify', field: 'other', responsible_org_id: insp, note: INTERNAL });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json().status, 'classified');
	/* acceptance needs the handling capability */
	res = await api('POST', path, rec, { action: 'accept' });
	assert.equal(res.status, 403, res.text);
	assert.equal(statusOf(c.id), 'classified');

	/* the handler accepts, decides, replies */
	res = await api('POST', path, handler, { action: 'accept', doc_number: '92/TB-TTr', doc_date: today, note: ACCEPT_NOTE });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json().status, 'accepted');
	res = await api('POST', path, handler, { action: 'decide', outcome: 'answered', doc_number: '93/TTr-VP', doc_date: today, note: DECISION_NOTE });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json().status, 'decided');
	res = await api('POST', path, handler, { action: 'reply', note: reply });
	assert.equal(res.status, 200, res.text);
	const events = res.json().events.map((e) => `${e.action}:${e.visibility}`);
	assert.ok(events.includes('reply:citizen'), events.join(' '));

	/* the citizen, with nothing but the code */
	res = await srv.client().get(`/api/v1/track/${c.code}`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.header('cache-control'), 'no-store');
	const t = res.json();
	assert.equal(t.code, c.code);
	assert.equal(t.status, 'decided');
	assert.ok(t.replies.some((r) => r.text === reply && !r.from_citizen), `no reply in ${JSON.stringify(t.replies)}`);
	assert.ok(t.replies.some((r) => r.text === DECISION_NOTE), 'the decision note is missing');
	assert.ok(!res.text.includes(INTERNAL), 'an internal note reached the tracking answer');
	for (const v of Object.values(citizen))
		assert.ok(!res.text.includes(v), `the tracking answer contains personal data: ${v}`);
	/* what a citizen types: lower case, no dashes */
	res = await srv.client().get(`/api/v1/track/${c.code.replace(/-/g, '').toLowerCase()}`);
	assert.equal(res.status, 200);
	assert.ok(res.json().replies.some((r) => r.text === reply));
});
