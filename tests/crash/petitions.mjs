// petitions.mjs — public submissions at full speed, for the crash and
// backup tests (docs/reliability.md).
//
// POST /gui-don is rate-limited per client address (15 at once, then 30 a
// minute), so every submission leaves from its own loopback address
// (127.x.y.z: the whole 127/8 is local on Linux): the limiter sees many
// citizens, as it would in production, and stays switched on.
//
// A citizen fetches the form once (the dv_anon cookie and its CSRF token
// hold for all its submissions), then sends petitions one after another;
// each carries a unique marker in its title and content.  A submission is
// acknowledged when the whole 303 answer with its tracking code has
// arrived.
import http from 'node:http';
import assert from 'node:assert/strict';
import { extractCsrf, sqlite } from '../http/lib/server.mjs';

let ipSeq = 0;
/** A loopback source address not used for a while (62,500 × 120 of them). */
export function nextIp() {
	const k = ipSeq++;
	return `127.${1 + (Math.floor(k / 62500) % 120)}.${1 + (Math.floor(k / 250) % 250)}.${1 + (k % 250)}`;
}

/** One HTTP exchange from `localAddress`; rejects on any network error. */
export function request(base, { method = 'GET', path = '/', headers = {}, body, localAddress, timeout = 30000 }) {
	const url = new URL(base);
	const h = { ...headers };
	if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname, port: url.port, method, path, headers: h, agent: false, localAddress, timeout,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('aborted', () => reject(new Error('response aborted')));
			res.on('end', () => {
				if (!res.complete) return reject(new Error('response incomplete'));
				resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
			});
		});
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Title and content of the petition with `marker` (Vietnamese, so UTF-8 is exercised). */
export function petitionText(marker) {
	return {
		title: `Kiến nghị sửa chữa đường ${marker}`,
		content: `Đường liên xã qua thôn Đông bị sụt lún, xe cộ đi lại khó khăn; đề nghị sửa chữa trước mùa mưa. Mã ${marker}.`,
	};
}

export const MARKER_RE = /Mã ([A-Za-z0-9-]+)\.$/;

/**
 * Citizens submitting at full speed until `shouldStop()` or a network error
 * (the server died); onFirstPost() is called as the first petition leaves.  Returns {acked, unknown, refused}: acked = [{marker,
 * code, title, content, at}] (at = performance.now() when the answer was
 * complete); unknown = markers sent whose answer never came (in flight at
 * a kill); refused = non-303 answers [{marker, status, text}].
 */
export async function flood(base, { citizens = 6, prefix, shouldStop, onAck, onFirstPost }) {
	const acked = [], unknown = [], refused = [];
	let seq = 0, posting = false;
	const citizen = async (ci) => {
		let cookie, csrf;
		try {
			const form = await request(base, { path: '/gui-don', localAddress: nextIp() });
			assert.equal(form.status, 200, `GET /gui-don: ${form.status}`);
			csrf = extractCsrf(form.text);
			cookie = (form.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('dv_anon='));
			assert.ok(csrf && cookie, 'the form gave no CSRF token or anonymous cookie');
		} catch (e) {
			if (e.code === 'ERR_ASSERTION') throw e;
			return; // killed before this citizen got the form
		}
		while (!shouldStop()) {
			const marker = `${prefix}-${ci}-${seq++}`;
			const { title, content } = petitionText(marker);
			const body = new URLSearchParams({
				csrf, kind: 'petition', title, content, commune: '00004',
				name: 'Trần Thị Bền', phone: '0987654321', email: 'ben@example.vn',
			}).toString();
			let res;
			if (!posting) {
				posting = true;
				onFirstPost?.();
			}
			try {
				res = await request(base, {
					method: 'POST', path: '/gui-don', body, localAddress: nextIp(),
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
				});
			} catch {
				unknown.push(marker);
				return; // the server is gone
			}
			const code = res.status === 303 && /^\/tra-cuu\/([^/?]+)\?moi=1/.exec(res.headers.location || '')?.[1];
			if (code) {
				const a = { marker, code, title, content, at: performance.now() };
				acked.push(a);
				onAck?.(a);
			} else {
				refused.push({ marker, status: res.status, text: res.text.slice(0, 300) });
			}
		}
	};
	await Promise.all(Array.from({ length: citizens }, (_, i) => citizen(i)));
	return { acked, unknown, refused };
}

/**
 * The petitions stored in `db` with id > `afterId`, each checked whole:
 * everything case_intake writes in its one transaction is there.  Returns
 * {byMarker: Map(marker → {id, code, title, content}), problems: [..]}.
 */
export function storedPetitions(db, afterId) {
	const rows = sqlite(db, `SELECT c.id, c.code, hex(c.title), hex(c.content),
		(SELECT count(*) FROM case_event e WHERE e.case_id = c.id AND e.action = 'intake'),
		(SELECT count(*) FROM case_deadline d WHERE d.case_id = c.id),
		(SELECT count(*) FROM case_fts f WHERE f.rowid = c.id),
		(SELECT count(*) FROM audit a WHERE a.object_type = 'case' AND a.object_id = c.id AND a.action = 'case.receive'),
		(SELECT count(*) FROM outbox o WHERE o.case_id = c.id)
		FROM cases c WHERE c.id > ${afterId} ORDER BY c.id`);
	const byMarker = new Map(), problems = [];
	const unhex = (h) => Buffer.from(h, 'hex').toString('utf8');
	for (const [id, code, th, ch, ev, dl, fts, audit, outbox] of rows) {
		const title = unhex(th), content = unhex(ch);
		const marker = MARKER_RE.exec(content)?.[1];
		const parts = { 'intake event': ev, deadline: dl, 'search row': fts, 'audit entry': audit, receipt: outbox };
		for (const [what, n] of Object.entries(parts))
			if (Number(n) < 1 || (what !== 'deadline' && Number(n) !== 1))
				problems.push(`case ${id} (${code}) is half-written: ${n} × ${what}`);
		if (!marker) {
			problems.push(`case ${id} (${code}) holds no marker: ${content.slice(0, 100)}`);
			continue;
		}
		if (byMarker.has(marker))
			problems.push(`petition ${marker} stored twice (cases ${byMarker.get(marker).id} and ${id})`);
		byMarker.set(marker, { id: Number(id), code, title, content });
	}
	// Pieces of a case without the case.
	const stray = sqlite(db, `SELECT
		(SELECT count(*) FROM case_event WHERE case_id > ${afterId} AND case_id NOT IN (SELECT id FROM cases)),
		(SELECT count(*) FROM case_deadline WHERE case_id > ${afterId} AND case_id NOT IN (SELECT id FROM cases)),
		(SELECT count(*) FROM case_fts WHERE rowid > ${afterId} AND rowid NOT IN (SELECT id FROM cases)),
		(SELECT count(*) FROM outbox WHERE case_id > ${afterId} AND case_id NOT IN (SELECT id FROM cases)),
		(SELECT count(*) FROM audit WHERE object_type = 'case' AND object_id > ${afterId} AND object_id NOT IN (SELECT id FROM cases))`)[0];
	if (stray.some((n) => Number(n) !== 0))
		problems.push(`rows of cases that do not exist (events, deadlines, search, outbox, audit): ${stray.join(', ')}`);
	return { byMarker, problems };
}

/** Problems with the acknowledged petitions in what storedPetitions found. */
export function missingAcked(acked, byMarker) {
	const out = [];
	for (const a of acked) {
		const s = byMarker.get(a.marker);
		if (!s) out.push(`acknowledged petition ${a.marker} (code ${a.code}) is missing`);
		else if (s.code !== a.code) out.push(`petition ${a.marker}: stored code ${s.code}, the citizen was given ${a.code}`);
		else if (s.title !== a.title || s.content !== a.content) out.push(`petition ${a.marker} (${a.code}): text differs from what was sent`);
	}
	return out;
}
