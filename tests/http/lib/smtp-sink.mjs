// smtp-sink.mjs — a tiny SMTP server for the tests: it accepts mail on
// 127.0.0.1 (a free port), keeps every message in memory and can be told
// to refuse the next N messages, so the outbox's retries can be tested
// without a real mail server.
//
//   import * as sink from './lib/smtp-sink.mjs';
//   const { port } = await sink.start();
//   … run `danvan jobs run-once --smtp smtp://127.0.0.1:${port} …`
//   sink.messages            [{from, to[], raw, headers, subject, body}, …]
//   sink.failNext(2)         answer 451 to the next two messages
//   await sink.stop();
//
// Several sinks at once: new SmtpSink() has the same methods.
//
// Speaks what libcurl's SMTP client uses: EHLO/HELO, MAIL FROM, RCPT TO,
// DATA (with dot-unstuffing), RSET, NOOP, QUIT.  No TLS, no AUTH, no
// pipelining; anything else is answered 502.
import net from 'node:net';

const MAX_LINE = 4096;               // command lines (RFC 5321 says 512)
const MAX_MESSAGE = 10 * 1024 * 1024;

export class SmtpSink {
	constructor() {
		this.messages = [];
		this.sessions = 0;
		this.server = null;
		this.sockets = new Set();
		this.port = 0;
		this.failures = [];        // queued {code, at}
	}

	/**
	 * Listen on 127.0.0.1, port 0 (the system picks).  Resolves {port}.
	 * Clears earlier messages and failure orders.
	 */
	start() {
		this.messages.length = 0;
		this.failures.length = 0;
		return new Promise((resolve, reject) => {
			this.server = net.createServer((sock) => this.#session(sock));
			this.server.on('error', reject);
			this.server.listen(0, '127.0.0.1', () => {
				this.port = this.server.address().port;
				resolve({ port: this.port });
			});
		});
	}

	/** Close the listener and every open session. */
	stop() {
		if (!this.server)
			return Promise.resolve();
		for (const s of this.sockets)
			s.destroy();
		this.sockets.clear();
		const srv = this.server;
		this.server = null;
		return new Promise((resolve) => srv.close(() => resolve()));
	}

	/**
	 * Refuse the next `n` messages with `code` (default 451, "try again
	 * later").  at: 'data' (after the message text, the default), 'mail'
	 * (at MAIL FROM) or 'rcpt' (at RCPT TO).  Refused messages are not
	 * recorded.
	 */
	failNext(n, { code = 451, at = 'data' } = {}) {
		for (let i = 0; i < n; i++)
			this.failures.push({ code, at });
	}

	/** Resolve once `n` messages have arrived (or reject after `ms`). */
	async waitFor(n, ms = 10000) {
		const until = Date.now() + ms;
		while (this.messages.length < n) {
			if (Date.now() > until)
				throw new Error(`smtp-sink: ${this.messages.length} of ${n} messages after ${ms} ms`);
			await new Promise((r) => setTimeout(r, 20));
		}
		return this.messages;
	}

	#session(sock) {
		this.sessions++;
		this.sockets.add(sock);
		sock.on('close', () => this.sockets.delete(sock));
		sock.on('error', () => sock.destroy());
		const reply = (text) => { if (!sock.destroyed) sock.write(`${text}\r\n`); };
		let pending = Buffer.alloc(0);
		let tx = null;               // {from, to[], failure}
		let data = null;             // Buffer[] while reading DATA
		let dataLen = 0;

		const resetTx = () => { tx = null; data = null; dataLen = 0; };
		// The failure order for this message, taken once, at its first use.
		const failureAt = (where) => {
			if (!tx.failure && this.failures.length && this.failures[0].at === where)
				tx.failure = this.failures.shift();
			return tx.failure && tx.failure.at === where ? tx.failure : null;
		};

		const command = (line) => {
			const verb = line.slice(0, 4).toUpperCase();
			const arg = line.slice(4).trim();
			switch (verb) {
			case 'EHLO':
				reply('250-sink.test greets you');
				reply('250-8BITMIME');
				reply(`250 SIZE ${MAX_MESSAGE}`);
				return;
			case 'HELO':
				reply('250 sink.test');
				return;
			case 'MAIL': {
				const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
				if (!m) return reply('501 syntax: MAIL FROM:<address>');
				if (tx) return reply('503 nested MAIL command');
				tx = { from: m[1], to: [], failure: null };
				const f = failureAt('mail');
				if (f) { const code = f.code; resetTx(); return reply(`${code} try again later`); }
				return reply('250 OK');
			}
			case 'RCPT': {
				const m = /^TO:\s*<([^>]*)>/i.exec(arg);
				if (!tx) return reply('503 need MAIL first');
				if (!m) return reply('501 syntax: RCPT TO:<address>');
				const f = failureAt('rcpt');
				if (f) return reply(`${f.code} recipient refused`);
				tx.to.push(m[1]);
				return reply('250 OK');
			}
			case 'DATA':
				if (!tx || !tx.to.length) return reply('503 need RCPT first');
				data = [];
				dataLen = 0;
				return reply('354 end with <CRLF>.<CRLF>');
			case 'RSET':
				resetTx();
				return reply('250 OK');
			case 'NOOP':
				return reply('250 OK');
			case 'QUIT':
				reply('221 bye');
				sock.end();
				return;
			default:
				return reply('502 command not implemented');
			}
		};

		const endOfData = () => {
			const raw = Buffer.concat(data);
			const f = failureAt('data');
			if (f) {
				reply(`${f.code} try again later`);
			} else if (dataLen > MAX_MESSAGE) {
				reply('552 message too large');
			} else {
				this.messages.push({ from: tx.from, to: tx.to, ...parseMessage(raw) });
				reply('250 OK queued');
			}
			resetTx();
		};

		sock.on('data', (chunk) => {
			pending = Buffer.concat([pending, chunk]);
			let nl;
			while ((nl = pending.indexOf('\r\n')) >= 0) {
				const line = pending.subarray(0, nl);
				pending = pending.subarray(nl + 2);
				if (data) {
					if (line.length === 1 && line[0] === 0x2e) {
						endOfData();
						continue;
					}
					// dot-unstuffing (RFC 5321 §4.5.2)
					const body = line[0] === 0x2e ? line.subarray(1) : line;
					dataLen += body.length + 2;
					if (dataLen <= MAX_MESSAGE)
						data.push(body, Buffer.from('\r\n'));
					continue;
				}
				command(line.toString('latin1'));
			}
			if (!data && pending.length > MAX_LINE) {
				reply('500 line too long');
				sock.destroy();
			}
		});
		reply('220 sink.test ESMTP ready');
	}
}

/** Decode RFC 2047 encoded words (B and Q, UTF-8 or any charset node knows). */
export function decodeWords(value) {
	// whitespace between two encoded words is not part of the text
	const joined = value.replace(/\?=\s+=\?/g, '?==?');
	return joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (all, cs, enc, text) => {
		const bytes = enc.toUpperCase() === 'B'
			? Buffer.from(text, 'base64')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g,
				(m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
		return new TextDecoder(cs.toLowerCase()).decode(bytes);
	});
}

/**
 * Split a message into headers (lower-case names; unfolded; the last of a
 * repeated name wins, all kept in headerList) and body, and decode the
 * Subject and the body's Content-Transfer-Encoding (7bit, 8bit, base64,
 * quoted-printable) into text.
 */
export function parseMessage(raw) {
	const text = raw.toString('latin1');
	const split = text.indexOf('\r\n\r\n');
	const head = split >= 0 ? text.slice(0, split) : text;
	const bodyRaw = split >= 0 ? raw.subarray(split + 4) : Buffer.alloc(0);
	const headers = {};
	const headerList = [];
	for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
		const c = line.indexOf(':');
		if (c <= 0) continue;
		const name = line.slice(0, c).trim().toLowerCase();
		const value = Buffer.from(line.slice(c + 1).trim(), 'latin1').toString('utf8');
		headers[name] = value;
		headerList.push([name, value]);
	}
	const cte = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
	let bytes;
	if (cte === 'base64')
		bytes = Buffer.from(bodyRaw.toString('latin1').replace(/\s+/g, ''), 'base64');
	else if (cte === 'quoted-printable')
		bytes = Buffer.from(bodyRaw.toString('latin1').replace(/=\r\n/g, '')
			.replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
	else
		bytes = bodyRaw;
	return {
		raw: raw.toString('utf8'),
		rawBytes: raw,
		headers,
		headerList,
		subject: headers.subject !== undefined ? decodeWords(headers.subject) : undefined,
		body: bytes.toString('utf8'),
	};
}

// ---- the default sink, for tests that need one --------------------------------

const defaultSink = new SmtpSink();

/** Messages received by the default sink (the same array across restarts). */
export const messages = defaultSink.messages;
export const start = () => defaultSink.start();
export const stop = () => defaultSink.stop();
export const failNext = (n, opts) => defaultSink.failNext(n, opts);
export const waitFor = (n, ms) => defaultSink.waitFor(n, ms);
export const port = () => defaultSink.port;
