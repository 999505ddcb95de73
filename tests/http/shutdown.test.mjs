// shutdown.test.mjs — SIGTERM/SIGINT while requests stream in: exit 0,
// every answered request was answered whole, acknowledged writes are kept,
// and `danvan check` passes afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client, cli, makeToken, sqlite, sqliteValue, vnIsoDate, DEMO_PASSWORD, SLOW } from './lib/server.mjs';

const CONN_ERRORS = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|other side closed/;

async function stream(srv, token, ids, signal) {
	const validFrom = vnIsoDate();
	const acked = [], bad = [];
	let next = 0, done = false, answered = 0, refused = 0;
	srv.exited.then(() => { done = true; });
	const loop = async (k) => {
		const c = new Client(srv.base);
		let i = 0;
		while (!done) {
			const kind = (k + i++) % 4;
			try {
				if (kind === 0) {
					const res = await c.get('/');
					if (res.status !== 200 || !res.text.includes('</html>')) bad.push(`GET / ${res.status}`);
				} else if (kind === 1) {
					const id = ids[next++ % ids.length];
					const name = `Tổ chức thử tắt máy ${k}-${i}-${id}`;
					const res = await c.post(`/api/v1/orgs/${id}/rename`, {
						bearer: token, json: { name, short_name: '', valid_from: validFrom },
					});
					if (res.status >= 200 && res.status < 300) acked.push({ id, name });
					else if (res.status !== 409) bad.push(`rename ${res.status} ${res.text.slice(0, 120)}`);
				} else if (kind === 2) {
					const res = await c.get('/healthz');
					if (res.status !== 200 || res.json().status !== 'ok') bad.push(`healthz ${res.status}`);
				} else {
					const lc = new Client(srv.base);
					const res = await lc.login('ha-noi.editor', DEMO_PASSWORD);
					if (res.status !== 303) bad.push(`login ${res.status}`);
				}
				answered++;
			} catch (e) {
				if (!CONN_ERRORS.test(String(e.message) + String(e.code))) bad.push(`error ${e.code} ${e.message}`);
				refused++;
				await new Promise((r) => setTimeout(r, 5));
			}
		}
	};
	const loops = Array.from({ length: 8 }, (_, k) => loop(k));
	await signal(() => answered);
	await Promise.all(loops);
	return { acked, bad, answered, refused };
}

for (const sig of ['SIGTERM', 'SIGINT']) {
	test(`${sig} during a stream of requests → exit 0, writes kept, check passes`, async () => {
		const srv = await startServer();
		try {
			const token = await makeToken(srv.db, 'admin');
			const ids = sqlite(srv.db, "SELECT id FROM org WHERE code LIKE 'c%-party' ORDER BY id").map((r) => Number(r[0]));
			let sentAt = 0, exitedAt = 0;
			srv.exited.then(() => { exitedAt = performance.now(); });
			const result = await stream(srv, token, ids, async (answered) => {
				while (answered() < 150) await new Promise((r) => setTimeout(r, 5));
				sentAt = performance.now();
				srv.proc.kill(sig);
			});
			const { status, signal } = await srv.exited;
			assert.equal(signal, null, `killed by ${signal}`);
			assert.equal(status, 0, srv.stderr().slice(-3000));
			await srv.stop({ keep: true }); // sanitizer report check
			assert.deepEqual(result.bad, [], 'bad answers during shutdown');
			assert.ok(result.answered >= 150);
			const secs = (exitedAt - sentAt) / 1000;
			assert.ok(secs < 12 * SLOW, `shutdown took ${secs.toFixed(1)} s`);
			assert.match(srv.stderr(), /msg=stopped/);

			/* Every acknowledged rename is in the database. */
			const names = new Map(sqlite(srv.db,
				`SELECT org_id, name FROM org_name WHERE name LIKE 'Tổ chức thử tắt máy %'`).map(([id, n]) => [`${id}|${n}`, 1]));
			const lost = result.acked.filter((a) => !names.has(`${a.id}|${a.name}`));
			assert.deepEqual(lost, [], 'acknowledged writes lost');
			const r = await cli(['check'], { db: srv.db });
			assert.equal(r.status, 0, r.stdout + r.stderr);
			/* The file itself is sound, as SQLite sees it. */
			assert.equal(sqliteValue(srv.db, 'PRAGMA integrity_check'), 'ok');
		} finally {
			await srv.kill();
		}
	});
}

test('SIGTERM with idle keep-alive and half-sent requests → no new connections, exit 0 within the drain limit', async () => {
	const srv = await startServer();
	const sockets = [];
	try {
		for (let i = 0; i < 5; i++) {
			const s = net.connect(srv.port, '127.0.0.1');
			await new Promise((res, rej) => { s.once('connect', res); s.once('error', rej); });
			s.on('error', () => {});
			s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
			sockets.push(s);
		}
		/* One connection mid-request (headers not finished). */
		const half = net.connect(srv.port, '127.0.0.1');
		half.on('error', () => {});
		await new Promise((res) => half.once('connect', res));
		half.write('GET / HTTP/1.1\r\nHost: x\r\n');
		sockets.push(half);
		await new Promise((r) => setTimeout(r, 100));
		const t0 = performance.now();
		srv.proc.kill('SIGTERM');
		/* While it drains (the half-sent request keeps it waiting), it
		 * accepts no new connection: MHD_quiesce_daemon closed the socket. */
		await new Promise((r) => setTimeout(r, 300 * SLOW));
		let late;
		try {
			late = await new Client(srv.base).get('/healthz', { timeout: 5000 });
		} catch (e) {
			late = e;
		}
		assert.ok(late instanceof Error && /ECONNREFUSED|ECONNRESET|socket hang up/.test(`${late.code} ${late.message}`),
			`a new request after SIGTERM was answered: ${late.status ?? late.message}`);
		const { status } = await srv.exited;
		const secs = (performance.now() - t0) / 1000;
		assert.equal(status, 0);
		assert.ok(secs < 12 * SLOW, `shutdown took ${secs.toFixed(1)} s`);
		await srv.stop({ keep: true });
	} finally {
		for (const s of sockets) s.destroy();
		await srv.kill();
	}
});
