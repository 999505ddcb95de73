// slowloris.test.mjs — slow clients must not take the server away from
// everyone else.
//
// An attacker opens many connections and sends each request a byte at a
// time, every few seconds (headers that never end, or a body that never
// ends), to hold the server's connection slots.  Meanwhile a normal
// visitor keeps fetching / and /healthz, each on a fresh connection (what
// a new visitor does) and on a kept-alive one; its answers must keep
// coming, all of them, with p99 < 1 s.
//
// The server (src/web/server.c): libmicrohttpd with epoll, one thread per
// core, MHD_OPTION_CONNECTION_LIMIT up to 10,000 (the file limit allowing),
// PER_IP_CONNECTION_LIMIT 128, CONNECTION_TIMEOUT 30 s.  The timeout is an idle timeout: every byte
// resets it, so a trickling client is never timed out; what bounds the
// attack is the connection limits.  The attackers come from their own
// loopback addresses (127.0.7.x / 127.0.8.x), the visitor from 127.0.0.1,
// as they would from different machines.
//
// Environment: SLOWLORIS_CONNS (default 300 slow-header connections),
// SLOWLORIS_SECONDS (default 30: how long the visitor measures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, SLOW } from '../http/lib/server.mjs';

const CONNS = Number(process.env.SLOWLORIS_CONNS || 300);
const SECONDS = Number(process.env.SLOWLORIS_SECONDS || 30);
let srv, port;

before(async () => {
	srv = await startServer();
	port = srv.port;
});
after(async () => { await srv?.stop(); });

/* One slow connection.  kind 'header': a request line and headers that
 * never end; 'body': complete headers announcing 4,000 bytes of body, then
 * a byte at a time.  Resolves once connected (or failed). */
function slowConn(localAddress, kind, everyMs = [2000, 5000]) {
	const c = { open: false, closedEarly: false, error: null, sent: 0, sock: null, stopped: false };
	c.ready = new Promise((resolve) => {
		const sock = net.connect({ port, host: '127.0.0.1', localAddress });
		c.sock = sock;
		sock.setNoDelay(true);
		sock.on('connect', () => {
			c.open = true;
			const head = kind === 'body'
				? `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n`
				: `GET /?slow=${Math.random().toString(36).slice(2)} HTTP/1.1\r\nHost: x\r\n`;
			sock.write(head);
			c.sent += head.length;
			const drip = () => {
				if (c.stopped || sock.destroyed) return;
				const b = kind === 'body' ? 'a' : 'X-a: b\r\n'[c.sent % 8];
				sock.write(b);
				c.sent++;
				c.timer = setTimeout(drip, everyMs[0] + Math.random() * (everyMs[1] - everyMs[0]));
			};
			c.timer = setTimeout(drip, everyMs[0] + Math.random() * (everyMs[1] - everyMs[0]));
			resolve();
		});
		sock.on('data', () => { /* an answer (408/413/503…): the server let go */ });
		sock.on('error', (e) => { c.error = e.code || e.message; resolve(); });
		sock.on('close', () => { if (!c.stopped) c.closedEarly = true; c.open = false; clearTimeout(c.timer); resolve(); });
	});
	return c;
}

function stopAll(conns) {
	for (const c of conns) {
		c.stopped = true;
		clearTimeout(c.timer);
		c.sock?.destroy();
	}
}

/* A normal visitor: GET / and /healthz in turn for `ms`; fresh connections
 * or one kept-alive agent.  Returns latencies and failures. */
async function visitor(ms, { keepAlive }) {
	const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
	const lat = [], failures = [];
	const end = Date.now() + ms;
	for (let i = 0; Date.now() < end; i++) {
		const p = i % 2 ? '/healthz' : '/';
		const t0 = process.hrtime.bigint();
		try {
			const status = await new Promise((resolve, reject) => {
				const req = http.request({ host: '127.0.0.1', port, path: p, agent, timeout: 5000 * SLOW }, (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode));
					res.on('error', reject);
				});
				req.on('timeout', () => req.destroy(new Error('timeout after 5 s')));
				req.on('error', reject);
				req.end();
			});
			if (status !== 200) failures.push(`${p}: ${status}`);
		} catch (e) {
			failures.push(`${p}: ${e.code || e.message}`);
		}
		lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
		await new Promise((r) => setTimeout(r, 20));
	}
	if (agent) agent.destroy();
	return { lat, failures };
}

function pct(a, p) {
	if (!a.length) return NaN;
	const s = [...a].sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const fmt = (r) => `${r.lat.length} requests, p50 ${pct(r.lat, 50).toFixed(1)} ms, p99 ${pct(r.lat, 99).toFixed(1)} ms, max ${Math.max(...r.lat).toFixed(1)} ms, ${r.failures.length} failed`;

async function openMany(n, addresses, kind) {
	const conns = [];
	for (let i = 0; i < n; i++) {
		conns.push(slowConn(addresses[i % addresses.length], kind));
		if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
	}
	await Promise.all(conns.map((c) => c.ready));
	return conns;
}

test(`${CONNS} slow-header and ${Math.round(CONNS / 5)} slow-body connections: visitors are still served (p99 < 1 s)`, async () => {
	const addrs = ['127.0.7.1', '127.0.7.2', '127.0.7.3'];
	const heads = await openMany(CONNS, addrs, 'header');
	const bodies = await openMany(Math.round(CONNS / 5), ['127.0.8.1'], 'body');
	const all = [...heads, ...bodies];
	await new Promise((r) => setTimeout(r, 1000));
	const openAtStart = all.filter((c) => c.open).length;
	const [fresh, kept] = await Promise.all([visitor(SECONDS * 1000, { keepAlive: false }), visitor(SECONDS * 1000, { keepAlive: true })]);
	const openAtEnd = all.filter((c) => c.open).length;
	stopAll(all);
	console.log(`# slow connections held: ${openAtStart} at the start, ${openAtEnd} after ${SECONDS} s (${all.filter((c) => c.error).length} could not connect)`);
	console.log(`# visitor, fresh connections: ${fmt(fresh)}`);
	console.log(`# visitor, kept alive:        ${fmt(kept)}`);
	/* the attack was real: the server held the slow connections open */
	assert.ok(openAtEnd >= all.length * 0.9, `only ${openAtEnd} of ${all.length} slow connections stayed open: the attack did not hold`);
	assert.deepEqual(fresh.failures.slice(0, 10), [], 'a visitor on a fresh connection was refused');
	assert.deepEqual(kept.failures.slice(0, 10), [], 'a visitor on a kept-alive connection was refused');
	assert.ok(pct(fresh.lat, 99) < 1000 * SLOW, `fresh connections: ${fmt(fresh)}`);
	assert.ok(pct(kept.lat, 99) < 1000 * SLOW, `kept alive: ${fmt(kept)}`);
	/* and the server is well once they are gone */
	const after = await visitor(1000, { keepAlive: false });
	assert.deepEqual(after.failures, []);
});

test('one address cannot hold more than its share (128 connections); other addresses are served', async () => {
	const one = await openMany(200, ['127.0.9.1'], 'header');
	await new Promise((r) => setTimeout(r, 1500));
	const held = one.filter((c) => c.open).length;
	const r = await visitor(5000, { keepAlive: false });
	stopAll(one);
	console.log(`# one address asked for 200 connections, holds ${held}; visitor: ${fmt(r)}`);
	assert.ok(held <= 128, `one address holds ${held} connections`);
	assert.ok(held >= 100, `one address holds only ${held} connections: the attack did not hold`);
	assert.deepEqual(r.failures, []);
	assert.ok(pct(r.lat, 99) < 1000 * SLOW, fmt(r));
});

test('many addresses holding connections cannot lock visitors out (global connection limit)', async () => {
	/* five addresses × 220 slow connections: more than the old global limit
	 * of 1,000 together; now each address is capped at 128 and the global
	 * limit follows the file limit (up to 10,000) */
	const addrs = ['127.0.10.1', '127.0.10.2', '127.0.10.3', '127.0.10.4', '127.0.10.5'];
	const conns = await openMany(1100, addrs, 'header');
	await new Promise((r) => setTimeout(r, 2000));
	const held = conns.filter((c) => c.open).length;
	const r = await visitor(10000, { keepAlive: false });
	stopAll(conns);
	console.log(`# 1100 slow connections from 5 addresses: ${held} held (128 an address at most); visitor: ${fmt(r)}; failures: ${[...new Set(r.failures)].slice(0, 3).join(', ')}`);
	assert.ok(held <= 5 * 128, `${held} slow connections held from five addresses`);
	/* the server recovers once the attackers leave */
	await new Promise((r2) => setTimeout(r2, 500));
	const after = await visitor(2000, { keepAlive: false });
	assert.deepEqual(after.failures, [], 'the server did not recover after the attack');
	assert.deepEqual(r.failures.slice(0, 5), [], `visitors were locked out while ${held} slow connections were held`);
	assert.ok(pct(r.lat, 99) < 1000 * SLOW, fmt(r));
});
