// portal.test.mjs — the public news portal over HTTP, as markup: every
// public page (home, each category and an older page of one, several
// articles and their print views, search with and without results,
// statistics, the feedback and share forms, with an error shown, in
// Vietnamese and English, the 404 page) is well-formed HTML by a strict
// checker written here; the RSS and Atom feeds (site and category) and
// the sitemap are well-formed XML (the checker here, and `xmllint
// --noout` as well where it is installed) with the elements readers and
// crawlers need; ETag/304 on the cached public pages; article views are
// counted for a browser's User-Agent and not for robots (flushed from
// memory every few seconds and at shutdown); an article page weighs less
// than 100 KB without its photos.
//
// The fixture is `danvan demo --cases 400`, which includes the demo's
// news (demo_articles: about 200 articles with figures and feedback).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, sqlite, sqliteValue, sq, vnIsoDate, parseForms, removeTempDir, SLOW } from './lib/server.mjs';

// ---- a strict HTML checker ----------------------------------------------------------
//
// Stricter than the HTML5 parser on purpose: what the server writes should
// never rely on error recovery.  Every non-void element is closed
// explicitly and in order (no implied </p> or </li>), void elements have
// no end tag, attribute values are quoted, attribute names are not
// repeated, '&' starts a character reference and '<' a tag; plus the
// document rules: <!doctype html> first, one <html lang>, <head>, <title>,
// <body> and <main>, ids unique, every label[for], aria-labelledby,
// aria-describedby and in-page link pointing at an id that exists, every
// <img> with an alt attribute, and the content rules browsers enforce by
// silently restructuring (a block inside <p>, <a> in <a>, <form> in
// <form>, interactive content in <button>, list items outside lists).

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta',
	'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style']);
const RCDATA = new Set(['textarea', 'title']);
const CLOSES_P = new Set(['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
	'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
	'header', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul']);
const INTERACTIVE = new Set(['a', 'button', 'details', 'input', 'select', 'textarea', 'label']);
const PARENTS = {
	li: ['ul', 'ol', 'menu'], dt: ['dl', 'div'], dd: ['dl', 'div'], figcaption: ['figure'],
	tr: ['table', 'thead', 'tbody', 'tfoot'], td: ['tr'], th: ['tr'], thead: ['table'],
	tbody: ['table'], tfoot: ['table'], caption: ['table'], option: ['select', 'datalist', 'optgroup'],
	legend: ['fieldset'], summary: ['details'],
};
const CHARREF = /^&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;

function lineAt(s, i) {
	let n = 1;
	for (let k = 0; k < i && k < s.length; k++) if (s.charCodeAt(k) === 10) n++;
	return n;
}

function checkRefs(text, at, where, errors, s) {
	for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1))
		if (!CHARREF.test(text.slice(k)))
			errors.push(`line ${lineAt(s, at)}: bare '&' in ${where}: ${JSON.stringify(text.slice(k, k + 20))}`);
}

/**
 * Check an HTML document; returns a list of problems ("line N: …"), empty
 * when the document is well-formed by the rules above.
 */
export function checkHtml(s) {
	const errors = [];
	const stack = []; // {name, line}
	const ids = new Map();
	const refs = []; // [id, what, line]
	const counts = {};
	let i = 0;
	const err = (at, msg) => errors.push(`line ${lineAt(s, at)}: ${msg}`);
	const m0 = /^\s*<!doctype html>/i.exec(s);
	if (!m0) err(0, 'the document does not start with <!doctype html>');
	else i = m0[0].length;
	const inStack = (name) => stack.some((e) => e.name === name);
	while (i < s.length) {
		const lt = s.indexOf('<', i);
		const text = s.slice(i, lt < 0 ? s.length : lt);
		if (text) {
			checkRefs(text, i, 'text', errors, s);
			if (!stack.length && text.trim()) err(i, `text outside <html>: ${JSON.stringify(text.trim().slice(0, 30))}`);
		}
		if (lt < 0) break;
		i = lt;
		if (s.startsWith('<!--', i)) {
			const end = s.indexOf('-->', i + 4);
			if (end < 0) { err(i, 'unterminated comment'); break; }
			i = end + 3;
			continue;
		}
		if (s.startsWith('<!', i) || s.startsWith('<?', i)) {
			err(i, `unexpected markup declaration ${JSON.stringify(s.slice(i, i + 20))}`);
			i += 2;
			continue;
		}
		if (s.startsWith('</', i)) {
			const m = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(s.slice(i, i + 80));
			if (!m) { err(i, `bad end tag ${JSON.stringify(s.slice(i, i + 20))}`); i += 2; continue; }
			const name = m[1].toLowerCase();
			if (VOID.has(name)) err(i, `end tag for the void element <${name}>`);
			else if (!stack.length) err(i, `</${name}> with no element open`);
			else if (stack[stack.length - 1].name !== name)
				err(i, `</${name}> closes <${stack[stack.length - 1].name}> opened on line ${stack[stack.length - 1].line}`);
			else stack.pop();
			i += m[0].length;
			continue;
		}
		const nm = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(s.slice(i, i + 64));
		if (!nm) { err(i, `unescaped '<': ${JSON.stringify(s.slice(i, i + 20))}`); i += 1; continue; }
		const name = nm[1].toLowerCase();
		const tagAt = i;
		let j = i + nm[0].length;
		const attrs = {};
		let selfClosing = false, closed = false;
		while (j < s.length) {
			const ws = /^\s*/.exec(s.slice(j, j + 200))[0];
			j += ws.length;
			if (s[j] === '>') { j++; closed = true; break; }
			if (s.startsWith('/>', j)) { selfClosing = true; j += 2; closed = true; break; }
			if (!ws && Object.keys(attrs).length) { err(j, `<${name}>: attributes not separated by a space`); }
			const an = /^[^\s"'>/=<]+/.exec(s.slice(j, j + 200));
			if (!an) { err(j, `<${name}>: bad attribute near ${JSON.stringify(s.slice(j, j + 20))}`); j++; continue; }
			const aname = an[0].toLowerCase();
			j += an[0].length;
			let value = '';
			const eq = /^\s*=\s*/.exec(s.slice(j, j + 50));
			if (eq) {
				j += eq[0].length;
				const q = s[j];
				if (q !== '"' && q !== "'") {
					err(j, `<${name} ${aname}=…>: unquoted attribute value`);
					const uq = /^[^\s>]*/.exec(s.slice(j))[0];
					value = uq;
					j += uq.length;
				} else {
					const end = s.indexOf(q, j + 1);
					if (end < 0) { err(j, `<${name} ${aname}>: unterminated attribute value`); j = s.length; break; }
					value = s.slice(j + 1, end);
					if (value.includes('<')) err(j, `<${name} ${aname}>: '<' in an attribute value`);
					checkRefs(value, j, `the ${aname} attribute of <${name}>`, errors, s);
					j = end + 1;
				}
			}
			if (aname in attrs) err(j, `<${name}>: the attribute ${aname} is repeated`);
			attrs[aname] = value;
		}
		if (!closed) { err(tagAt, `unterminated <${name}> tag`); break; }
		i = j;
		/* SVG and MathML inside HTML: XML-like, "/>" closes, <title> is theirs */
		const foreign = name === 'svg' || name === 'math' || inStack('svg') || inStack('math');
		if (!foreign) counts[name] = (counts[name] || 0) + 1;
		// content rules, against the open elements
		const line = lineAt(s, tagAt);
		if (!foreign && CLOSES_P.has(name) && inStack('p')) err(tagAt, `<${name}> inside <p> (the browser would close the paragraph)`);
		if (name === 'a' && inStack('a')) err(tagAt, '<a> inside <a>');
		if (name === 'form' && inStack('form')) err(tagAt, '<form> inside <form>');
		if (INTERACTIVE.has(name) && inStack('button') && !(name === 'input' && attrs.type === 'hidden'))
			err(tagAt, `<${name}> inside <button>`);
		if (!foreign && PARENTS[name] && stack.length && !PARENTS[name].includes(stack[stack.length - 1].name))
			err(tagAt, `<${name}> inside <${stack[stack.length - 1].name}>`);
		if (name === 'html') {
			if (stack.length) err(tagAt, '<html> is not the root');
			if (!attrs.lang) err(tagAt, '<html> without lang');
		} else if (!stack.length) {
			err(tagAt, `<${name}> outside <html>`);
		}
		if ('id' in attrs) {
			if (!attrs.id) err(tagAt, `<${name}> with an empty id`);
			else if (ids.has(attrs.id)) err(tagAt, `duplicate id "${attrs.id}" (first on line ${ids.get(attrs.id)})`);
			else ids.set(attrs.id, line);
		}
		if (name === 'label' && attrs.for) refs.push([attrs.for, 'label for', line]);
		for (const a of ['aria-labelledby', 'aria-describedby', 'aria-controls'])
			if (attrs[a]) for (const id of attrs[a].split(/\s+/).filter(Boolean)) refs.push([id, a, line]);
		if (name === 'a' && attrs.href && attrs.href.startsWith('#') && attrs.href.length > 1)
			refs.push([decodeURIComponent(attrs.href.slice(1)), 'link to', line]);
		if (name === 'img' && !foreign && !('alt' in attrs)) err(tagAt, '<img> without alt');
		if (VOID.has(name) || (foreign && selfClosing)) continue;
		if (selfClosing) err(tagAt, `<${name}/>: self-closing syntax on a non-void element`);
		if (!foreign && (RAW_TEXT.has(name) || RCDATA.has(name))) {
			const endRe = new RegExp(`</${name}\\s*>`, 'i');
			const m = endRe.exec(s.slice(i));
			if (!m) { err(tagAt, `<${name}> is never closed`); break; }
			if (RCDATA.has(name)) checkRefs(s.slice(i, i + m.index), i, `<${name}>`, errors, s);
			i += m.index + m[0].length;
			continue;
		}
		stack.push({ name, line });
	}
	for (const e of stack) errors.push(`line ${e.line}: <${e.name}> is never closed`);
	for (const [name, want] of [['html', 1], ['head', 1], ['body', 1], ['title', 1], ['main', 1]])
		if ((counts[name] || 0) !== want) errors.push(`${counts[name] || 0} <${name}> elements (want ${want})`);
	if (!/<meta charset="utf-8">/i.test(s)) errors.push('no <meta charset="utf-8">');
	for (const [id, what, line] of refs)
		if (!ids.has(id)) errors.push(`line ${line}: ${what} "#${id}" but no element has that id`);
	return errors;
}

// ---- a small XML well-formedness checker ----------------------------------------------
//
// XML 1.0 as feeds and sitemaps use it: an optional declaration, one root
// element, names, quoted attributes (no repeats, no '<'), the five
// predefined entities and numeric references only, comments, CDATA and
// processing instructions; no DOCTYPE.  Returns {errors, root}, where root
// is a tiny tree ({name, attrs, children, text}) for the structure checks.

const XML_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const XML_REF = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

export function checkXml(s) {
	const errors = [];
	let i = 0;
	if (s.charCodeAt(0) === 0xfeff) i = 1;
	const err = (at, msg) => errors.push(`line ${lineAt(s, at)}: ${msg}`);
	if (s.startsWith('<?xml', i)) {
		const end = s.indexOf('?>', i);
		if (end < 0) return { errors: ['unterminated XML declaration'], root: null };
		if (!/^<\?xml version="1\.[0-9]"( encoding="[A-Za-z0-9._-]+")?( standalone="(yes|no)")?\s*\?>$/.test(s.slice(i, end + 2)))
			err(i, `bad XML declaration ${s.slice(i, end + 2)}`);
		i = end + 2;
	}
	const stack = [];
	let root = null, rootClosed = false;
	const text = (t, at) => {
		for (let k = t.indexOf('&'); k >= 0; k = t.indexOf('&', k + 1))
			if (!XML_REF.test(t.slice(k))) err(at, `bad entity reference ${JSON.stringify(t.slice(k, k + 12))}`);
		if (t.includes(']]>')) err(at, "']]>' in text");
	};
	while (i < s.length) {
		const lt = s.indexOf('<', i);
		const t = s.slice(i, lt < 0 ? s.length : lt);
		if (t) {
			if (!stack.length && t.trim()) err(i, `text outside the root element: ${JSON.stringify(t.trim().slice(0, 30))}`);
			text(t, i);
			if (stack.length) stack[stack.length - 1].text += t;
		}
		if (lt < 0) break;
		i = lt;
		if (s.startsWith('<!--', i)) {
			const end = s.indexOf('-->', i + 4);
			if (end < 0) { err(i, 'unterminated comment'); break; }
			if (s.slice(i + 4, end).includes('--')) err(i, "'--' inside a comment");
			i = end + 3;
			continue;
		}
		if (s.startsWith('<![CDATA[', i)) {
			const end = s.indexOf(']]>', i);
			if (end < 0) { err(i, 'unterminated CDATA section'); break; }
			if (!stack.length) err(i, 'CDATA outside the root element');
			else stack[stack.length - 1].text += s.slice(i + 9, end);
			i = end + 3;
			continue;
		}
		if (s.startsWith('<?', i)) {
			const end = s.indexOf('?>', i);
			if (end < 0) { err(i, 'unterminated processing instruction'); break; }
			if (/^<\?xml[\s?]/i.test(s.slice(i, i + 6))) err(i, 'XML declaration not at the start');
			i = end + 2;
			continue;
		}
		if (s.startsWith('<!', i)) { err(i, 'DOCTYPE or other declaration'); i += 2; continue; }
		if (s.startsWith('</', i)) {
			const m = /^<\/([^\s>]+)\s*>/.exec(s.slice(i, i + 200));
			if (!m) { err(i, 'bad end tag'); i += 2; continue; }
			const top = stack.pop();
			if (!top) err(i, `</${m[1]}> with no element open`);
			else if (top.name !== m[1]) err(i, `</${m[1]}> closes <${top.name}>`);
			if (top && !stack.length) rootClosed = true;
			i += m[0].length;
			continue;
		}
		const nm = XML_NAME.exec(s.slice(i + 1, i + 200));
		if (!nm) { err(i, `'<' not starting a tag: ${JSON.stringify(s.slice(i, i + 12))}`); i++; continue; }
		let j = i + 1 + nm[0].length;
		const el = { name: nm[0], attrs: {}, children: [], text: '' };
		let empty = false, closed = false;
		while (j < s.length) {
			const ws = /^\s*/.exec(s.slice(j, j + 100))[0];
			j += ws.length;
			if (s[j] === '>') { j++; closed = true; break; }
			if (s.startsWith('/>', j)) { j += 2; empty = true; closed = true; break; }
			if (!ws) err(j, `<${el.name}>: attributes must be separated by white space`);
			const an = XML_NAME.exec(s.slice(j, j + 200));
			if (!an) { err(j, `<${el.name}>: bad attribute`); j++; continue; }
			j += an[0].length;
			const eq = /^\s*=\s*/.exec(s.slice(j, j + 20));
			if (!eq) { err(j, `<${el.name} ${an[0]}>: attribute without a value`); continue; }
			j += eq[0].length;
			const q = s[j];
			if (q !== '"' && q !== "'") { err(j, `<${el.name} ${an[0]}>: unquoted value`); continue; }
			const end = s.indexOf(q, j + 1);
			if (end < 0) { err(j, 'unterminated attribute value'); j = s.length; break; }
			const v = s.slice(j + 1, end);
			if (v.includes('<')) err(j, `<${el.name} ${an[0]}>: '<' in a value`);
			text(v, j);
			if (an[0] in el.attrs) err(j, `<${el.name}>: repeated attribute ${an[0]}`);
			el.attrs[an[0]] = v;
			j = end + 1;
		}
		if (!closed) { err(i, `unterminated <${el.name}>`); break; }
		if (!stack.length) {
			if (root) err(i, `a second root element <${el.name}>`);
			else root = el;
		} else {
			stack[stack.length - 1].children.push(el);
		}
		if (rootClosed && stack.length === 0 && root !== el) err(i, 'content after the root element');
		if (!empty) stack.push(el);
		i = j;
	}
	for (const e of stack) errors.push(`<${e.name}> is never closed`);
	if (!root) errors.push('no root element');
	return { errors, root };
}

/** Children of an XML element by name; text of the first one. */
const kids = (el, name) => el.children.filter((c) => c.name === name);
const kid = (el, name) => kids(el, name)[0];
const decodeXml = (t) => t.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#[0-9]+);/gi, (_, e) =>
	({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ??
	String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));

let xmllint;
try {
	execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
	xmllint = true;
} catch {
	xmllint = false;
}

/** xmllint --noout on the bytes, when installed; returns its complaints ('' = fine). */
function lint(body) {
	if (!xmllint) return '';
	try {
		execFileSync('xmllint', ['--noout', '--nonet', '-'], { input: body, stdio: ['pipe', 'ignore', 'pipe'] });
		return '';
	} catch (e) {
		return String(e.stderr || e.message);
	}
}

// ---- the server and the demo's news ----------------------------------------------------

let srv;
let news; // facts about the demo's articles, read from the database

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

before(async () => {
	srv = await startServer();
	const db = srv.db;
	const published = Number(sqliteValue(db, `SELECT count(*) FROM article WHERE status = 'published' AND publish_at <= strftime('%s', 'now')`));
	assert.ok(published >= 50, `the fixture has ${published} public articles: is demo_articles part of 'danvan demo'?`);
	const pub = `status = 'published' AND publish_at <= strftime('%s', 'now')`;
	news = {
		published,
		categories: sqlite(db, 'SELECT slug FROM category ORDER BY sort').map((r) => r[0]),
		source: sqliteValue(db, `SELECT slug FROM article WHERE author = 'Hoàng Phong' AND title LIKE 'Giao ban công tác dân vận các tỉnh%' AND ${pub} ORDER BY publish_at LIMIT 1`),
		// the longest body, the one with most figures, the newest, one with approved feedback, and a few more
		longest: sqliteValue(db, `SELECT slug FROM article WHERE ${pub} ORDER BY length(body) DESC LIMIT 1`),
		mostFigures: sqliteValue(db, `SELECT a.slug FROM article a JOIN image i ON i.article_id = a.id WHERE a.status = 'published' AND a.publish_at <= strftime('%s', 'now') GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1`),
		newest: sqliteValue(db, `SELECT slug FROM article WHERE ${pub} ORDER BY publish_at DESC LIMIT 1`),
		withFeedback: sqliteValue(db, `SELECT a.slug FROM article a JOIN feedback f ON f.article_id = a.id AND f.status = 'approved' WHERE a.status = 'published' AND a.publish_at <= strftime('%s', 'now') GROUP BY a.id ORDER BY count(*) DESC LIMIT 1`),
		sample: sqlite(db, `SELECT slug FROM article WHERE ${pub} ORDER BY id % 37, id LIMIT 6`).map((r) => r[0]),
		hidden: sqlite(db, `SELECT slug FROM article WHERE NOT (${pub})`).map((r) => r[0]),
	};
	assert.ok(news.source, 'the source article (Hoàng Phong, the Red River Delta briefing) is not in the fixture');
});

after(async () => { await srv?.stop(); });

/** GET as an anonymous visitor with a browser's User-Agent unless told otherwise. */
function get(path, headers = {}) {
	return srv.client().get(path, { headers: { 'User-Agent': BROWSER_UA, ...headers } });
}

async function assertWellFormed(path, { status = 200, headers } = {}) {
	const res = await get(path, headers);
	assert.equal(res.status, status, `GET ${path}: ${res.status}`);
	assert.match(res.header('content-type') || '', /^text\/html; charset=utf-8/, `GET ${path}: content type`);
	const problems = checkHtml(res.text);
	assert.deepEqual(problems, [], `GET ${path} is not well-formed:\n  ${problems.slice(0, 20).join('\n  ')}`);
	return res;
}

// ---- the checkers check --------------------------------------------------------------------

test('the HTML checker accepts a good page and rejects each kind of mistake', () => {
	const page = (body, head = '') => `<!doctype html>\n<html lang="vi"><head><meta charset="utf-8"><title>t</title>${head}</head><body><main id="main">${body}</main></body></html>`;
	assert.deepEqual(checkHtml(page('<p class="x">a &amp; b<br><img src="/a" alt=""></p><label for="q">Q</label><input id="q" name="q"><a href="#main">top</a>')), []);
	const bad = {
		'unclosed element': page('<div><p>x</p>'),
		'misnested': page('<p><strong>x</p></strong>'),
		'unquoted attribute': page('<p class=x>y</p>'),
		'repeated attribute': page('<p class="a" class="b">y</p>'),
		'duplicate id': page('<p id="a">1</p><p id="a">2</p>'),
		'block inside p': page('<p>a<div>b</div></p>'),
		'bare ampersand': page('<p>a & b</p>'),
		'stray less-than': page('<p>1 < 2</p>'),
		'end tag of a void element': page('<p>a<br></br></p>'),
		'label for a missing id': page('<label for="nope">x</label>'),
		'link to a missing id': page('<a href="#nope">x</a>'),
		'img without alt': page('<img src="/a">'),
		'two mains': page('<p>x</p></main><main><p>y</p>'),
		'no lang': page('<p>x</p>').replace(' lang="vi"', ''),
		'li outside a list': page('<li>x</li>'),
		'self-closed div': page('<div/>'),
		'a inside a': page('<a href="/x"><a href="/y">y</a></a>'),
	};
	for (const [what, html] of Object.entries(bad))
		assert.notDeepEqual(checkHtml(html), [], `the checker accepted: ${what}`);
});

test('the XML checker accepts a good feed and rejects each kind of mistake', () => {
	const ok = checkXml('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>a &amp; b</title><![CDATA[x < y]]><!-- c --></channel></rss>\n');
	assert.deepEqual(ok.errors, []);
	assert.equal(kid(ok.root, 'channel').children[0].name, 'title');
	const bad = {
		'unclosed': '<a><b></a>',
		'two roots': '<a/><b/>',
		'html entity': '<a>&nbsp;</a>',
		'bare ampersand': '<a>x & y</a>',
		'unquoted attribute': '<a x=1/>',
		'repeated attribute': '<a x="1" x="2"/>',
		'text after the root': '<a/>x',
		'late declaration': '<a><?xml version="1.0"?></a>',
		'stray less-than': '<a>1 < 2</a>',
	};
	for (const [what, xml] of Object.entries(bad))
		assert.notDeepEqual(checkXml(xml).errors, [], `the checker accepted: ${what}`);
});

// ---- every public page is well-formed -------------------------------------------------------

test('home, every category and an older page of one are well-formed', async () => {
	const home = await assertWellFormed('/');
	for (const slug of news.categories) {
		assert.ok(home.text.includes(`href="/chuyen-muc/${slug}"`), `the home page does not link to /chuyen-muc/${slug}`);
		const res = await assertWellFormed(`/chuyen-muc/${slug}`);
		const next = /href="(\/chuyen-muc\/[a-z-]+\?truoc=[0-9]+-[0-9]+)"/.exec(res.text);
		if (next) await assertWellFormed(next[1].replace(/&amp;/g, '&'));
	}
	await assertWellFormed('/?lang=en');
	await assertWellFormed('/chuyen-muc/khong-co-chuyen-muc-nay', { status: 404 });
});

test('articles and their print views are well-formed, with figures, captions and the author', async () => {
	const slugs = [...new Set([news.source, news.longest, news.mostFigures, news.newest, news.withFeedback, ...news.sample])];
	assert.ok(slugs.length >= 8, `only ${slugs.length} articles to check`);
	for (const slug of slugs) {
		const res = await assertWellFormed(`/tin/${slug}`);
		const figures = [...res.text.matchAll(/<figure><img src="\/anh\/(\d+)" alt="([^"]+)" width="(\d+)" height="(\d+)"[^>]*><figcaption>([^<]+)<\/figcaption><\/figure>/g)];
		const stored = Number(sqliteValue(srv.db, `SELECT count(*) FROM image i JOIN article a ON a.id = i.article_id WHERE a.slug = ${sq(slug)}`));
		assert.ok(stored >= 1, `${slug} has no figure`);
		assert.equal(figures.length, stored, `${slug}: ${stored} figures stored, ${figures.length} shown with alt text and caption`);
		assert.match(res.text, /<p class="author">[^<]+<\/p>/, `${slug}: no author`);
		await assertWellFormed(`/tin/${slug}/in`);
	}
	/* the source article: the facts of the briefing, its photos' captions and its author */
	const src = await get(`/tin/${news.source}`);
	for (const fact of ['Thứ Bảy, 22/6/2024', '11 tỉnh, thành phố khu vực đồng bằng sông Hồng', 'Nguyễn Phước Lộc',
		'Phó Trưởng Ban Dân vận Trung ương', 'Nguyễn Tiến Thành', 'Phó Bí thư Thường trực Tỉnh ủy Thái Bình',
		'Nguyễn Đức Toàn', 'Năm dân vận khéo 2020', 'Covid-19', 'Quy chế dân chủ ở cơ sở',
		'15/10/1930 – 15/10/2020', '<figcaption>Quang cảnh Hội nghị</figcaption>',
		'<figcaption>Đồng chí Nguyễn Phước Lộc phát biểu kết luận Hội nghị</figcaption>',
		'<p class="author">Hoàng Phong</p>'])
		assert.ok(src.text.includes(fact), `the source article lacks "${fact}"`);
	await assertWellFormed(`/tin/${news.source}?lang=en`);
	await assertWellFormed('/tin/khong-co-bai-nay', { status: 404 });
	for (const slug of news.hidden.slice(0, 3))
		assert.equal((await get(`/tin/${slug}`)).status, 404, `the unpublished article ${slug} is public`);
});

test('search with results (without diacritics), without results, and empty, is well-formed', async () => {
	let res = await assertWellFormed('/tim-kiem?q=dan+van+kheo');
	const hits = [...res.text.matchAll(/<h2><a href="\/tin\/([a-z0-9-]+)">/g)].length;
	assert.ok(hits >= 5, `"dan van kheo" found ${hits} articles`);
	res = await assertWellFormed('/tim-kiem?q=giao+ban+dong+bang+song+hong');
	assert.ok(res.text.includes(`href="/tin/${news.source}"`), 'searching without diacritics does not find the source article');
	res = await assertWellFormed('/tim-kiem?q=zzqxv+khongcoketqua');
	assert.doesNotMatch(res.text, /<h2><a href="\/tin\//, 'results for a search that matches nothing');
	await assertWellFormed('/tim-kiem');
	await assertWellFormed('/tim-kiem?q=');
	await assertWellFormed('/tim-kiem?q=%3Cscript%3E%22%26');
	await assertWellFormed('/tim-kiem?q=d%C3%A2n+v%E1%BA%ADn&lang=en');
});

test('statistics, the feedback form and the share form (also with errors) are well-formed', async () => {
	await assertWellFormed('/thong-ke');
	await assertWellFormed('/thong-ke?lang=en');
	const slug = news.withFeedback;
	const form = await assertWellFormed(`/tin/${slug}/phan-hoi`);
	assert.equal(form.header('cache-control'), 'no-store');
	await assertWellFormed(`/tin/${slug}/gui-ban-be`);
	await assertWellFormed(`/tin/${slug}/phan-hoi?da-gui=1`);
	await assertWellFormed(`/tin/${slug}/gui-ban-be?da-gui=1`);
	/* a submission with mistakes comes back with the error summary and the field messages */
	const c = srv.client();
	const page = await c.page(`/tin/${slug}/phan-hoi`, { headers: { 'User-Agent': BROWSER_UA } });
	const fields = parseForms(page.text).find((f) => f.action === `/tin/${slug}/phan-hoi`)?.fields;
	assert.ok(fields, 'no feedback form');
	let res = await c.post(`/tin/${slug}/phan-hoi`, { form: { ...fields, name: '', content: 'ngắn' } });
	assert.equal(res.status, 400);
	assert.deepEqual(checkHtml(res.text), [], 'the feedback form with errors is not well-formed');
	assert.match(res.text, /class="error-summary"/);
	const share = parseForms((await c.page(`/tin/${slug}/gui-ban-be`)).text).find((f) => f.action === `/tin/${slug}/gui-ban-be`)?.fields;
	res = await c.post(`/tin/${slug}/gui-ban-be`, { form: { ...share, to: 'not-an-address', name: 'Lan' } });
	assert.equal(res.status, 400);
	assert.deepEqual(checkHtml(res.text), [], 'the share form with errors is not well-formed');
});

// ---- feeds and the sitemap ---------------------------------------------------------------------

async function xml(path) {
	const res = await get(path);
	assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
	assert.match(res.header('content-type') || '', /^(application\/((rss|atom)\+)?xml|text\/xml)\b/, `GET ${path}: ${res.header('content-type')}`);
	const { errors, root } = checkXml(res.text);
	assert.deepEqual(errors, [], `${path} is not well-formed XML:\n  ${errors.slice(0, 10).join('\n  ')}`);
	assert.equal(lint(res.body), '', `xmllint on ${path}`);
	return root;
}

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkRss(root, path) {
	assert.equal(root.name, 'rss', path);
	assert.equal(root.attrs.version, '2.0', path);
	const ch = kid(root, 'channel');
	assert.ok(ch, `${path}: no channel`);
	for (const n of ['title', 'link', 'description'])
		assert.ok(kid(ch, n)?.text.trim(), `${path}: channel without ${n}`);
	const items = kids(ch, 'item');
	assert.ok(items.length >= 1, `${path}: no items`);
	let last = Infinity;
	for (const it of items) {
		for (const n of ['title', 'link', 'pubDate', 'guid'])
			assert.ok(kid(it, n)?.text.trim(), `${path}: an item without ${n}`);
		const date = kid(it, 'pubDate').text.trim();
		assert.match(date, RFC822, `${path}: pubDate "${date}"`);
		const t = Date.parse(date);
		assert.ok(t <= last + 1000, `${path}: items not newest first`);
		assert.ok(t <= Date.now() + 60000, `${path}: an item from the future (${date})`);
		last = t;
		assert.match(decodeXml(kid(it, 'link').text), /^https?:\/\/[^/]+\/tin\/[a-z0-9-]+$/, `${path}: item link`);
	}
	return items.map((it) => new URL(decodeXml(kid(it, 'link').text)).pathname);
}

function checkAtom(root, path) {
	assert.equal(root.name, 'feed', path);
	assert.equal(root.attrs.xmlns, 'http://www.w3.org/2005/Atom', path);
	for (const n of ['id', 'title', 'updated'])
		assert.ok(kid(root, n)?.text.trim(), `${path}: feed without ${n}`);
	assert.match(kid(root, 'updated').text, RFC3339, `${path}: feed updated`);
	const feedAuthor = Boolean(kid(root, 'author'));
	const entries = kids(root, 'entry');
	assert.ok(entries.length >= 1, `${path}: no entries`);
	const idSet = new Set();
	for (const e of entries) {
		for (const n of ['id', 'title', 'updated'])
			assert.ok(kid(e, n)?.text.trim(), `${path}: an entry without ${n}`);
		assert.match(kid(e, 'updated').text, RFC3339, `${path}: entry updated`);
		assert.ok(!idSet.has(kid(e, 'id').text), `${path}: repeated entry id`);
		idSet.add(kid(e, 'id').text);
		assert.ok(kids(e, 'link').some((l) => l.attrs.href), `${path}: an entry without a link`);
		assert.ok(feedAuthor || kid(e, 'author'), `${path}: an entry without an author`);
	}
	return entries.map((e) => new URL(decodeXml(kids(e, 'link').find((l) => (l.attrs.rel || 'alternate') === 'alternate').attrs.href)).pathname);
}

test('RSS and Atom, for the site and for each category, are well-formed and complete', async () => {
	const rss = checkRss(await xml('/rss.xml'), '/rss.xml');
	const atom = checkAtom(await xml('/atom.xml'), '/atom.xml');
	assert.deepEqual(atom, rss, 'RSS and Atom list different articles');
	const newest = sqlite(srv.db, `SELECT slug FROM article WHERE status = 'published' AND publish_at <= strftime('%s', 'now') ORDER BY publish_at DESC, id DESC LIMIT ${rss.length}`).map((r) => `/tin/${r[0]}`);
	assert.deepEqual(rss, newest, 'the feed is not the newest public articles');
	for (const slug of news.hidden)
		assert.ok(!rss.includes(`/tin/${slug}`), `the unpublished ${slug} is in the feed`);
	/* the links lead to the articles */
	for (const p of rss.slice(0, 3))
		assert.equal((await get(p)).status, 200, `feed link ${p}`);
	for (const slug of news.categories) {
		const items = checkRss(await xml(`/chuyen-muc/${slug}/rss.xml`), `/chuyen-muc/${slug}/rss.xml`);
		checkAtom(await xml(`/chuyen-muc/${slug}/atom.xml`), `/chuyen-muc/${slug}/atom.xml`);
		const cat = Number(sqliteValue(srv.db, `SELECT id FROM category WHERE slug = ${sq(slug)}`));
		for (const p of items)
			assert.equal(Number(sqliteValue(srv.db, `SELECT category_id FROM article WHERE slug = ${sq(p.slice(5))}`)), cat, `${p} in the ${slug} feed`);
	}
	assert.equal((await get('/chuyen-muc/khong-co/rss.xml')).status, 404);
});

test('the sitemap is well-formed and lists every public article and no other', async () => {
	const root = await xml('/sitemap.xml');
	assert.equal(root.name, 'urlset');
	assert.equal(root.attrs.xmlns, 'http://www.sitemaps.org/schemas/sitemap/0.9');
	const locs = kids(root, 'url').map((u) => {
		const loc = decodeXml(kid(u, 'loc')?.text || '');
		assert.match(loc, /^https?:\/\/[^/]+\//, `sitemap loc "${loc}"`);
		const lastmod = kid(u, 'lastmod');
		if (lastmod) assert.match(lastmod.text, /^\d{4}-\d{2}-\d{2}(T[\d:]+([+-]\d{2}:\d{2}|Z))?$/);
		return new URL(loc).pathname;
	});
	const articles = new Set(locs.filter((p) => p.startsWith('/tin/')));
	assert.equal(articles.size, news.published, 'the sitemap does not list every public article');
	assert.ok(articles.has(`/tin/${news.source}`));
	for (const slug of news.hidden)
		assert.ok(!articles.has(`/tin/${slug}`), `the unpublished ${slug} is in the sitemap`);
	for (const slug of news.categories)
		assert.ok(locs.includes(`/chuyen-muc/${slug}`), `the sitemap lacks /chuyen-muc/${slug}`);
	assert.ok(locs.length <= 50000, 'a sitemap holds at most 50,000 addresses');
});

// ---- caching ------------------------------------------------------------------------------------

test('public pages carry an ETag and answer If-None-Match with 304 and no body', async () => {
	const paths = ['/', `/chuyen-muc/${news.categories[0]}`, `/tin/${news.source}`, `/tin/${news.source}/in`,
		'/tim-kiem?q=dan+van', '/thong-ke', '/rss.xml', '/atom.xml', '/sitemap.xml'];
	for (const p of paths) {
		const first = await get(p);
		assert.equal(first.status, 200, p);
		const etag = first.header('etag');
		assert.match(etag || '', /^(W\/)?"[^"]+"$/, `${p}: ETag "${etag}"`);
		const again = await get(p, { 'If-None-Match': etag });
		assert.equal(again.status, 304, `${p}: If-None-Match answered ${again.status}`);
		assert.equal(again.body.length, 0, `${p}: a 304 with a body`);
		assert.equal(again.header('etag'), etag, `${p}: the 304 has another ETag`);
		const other = await get(p, { 'If-None-Match': '"something-else"' });
		assert.equal(other.status, 200, `${p}: a stale ETag answered ${other.status}`);
	}
	/* the forms carry the visitor's own CSRF token: never cached, never validated */
	for (const p of [`/tin/${news.source}/phan-hoi`, `/tin/${news.source}/gui-ban-be`]) {
		const res = await get(p);
		assert.equal(res.header('cache-control'), 'no-store', p);
		assert.equal(res.header('etag'), undefined, `${p} has an ETag`);
	}
});

// ---- weight ----------------------------------------------------------------------------------

test('an article page weighs less than 100 KB without its photos', async () => {
	for (const slug of new Set([news.longest, news.mostFigures, news.source])) {
		const page = await get(`/tin/${slug}`);
		const subresources = new Set();
		for (const m of page.text.matchAll(/<(?:link|script|img)\b[^>]*?\b(?:href|src)="(\/[^"]*)"/g)) {
			const tag = m[0];
			if (/^<link/.test(tag) && !/rel="(stylesheet|icon)"/.test(tag)) continue;
			/* a print stylesheet counts: browsers fetch it too */
			if (m[1].startsWith('/anh/')) continue; // the photos
			subresources.add(m[1]);
		}
		let total = page.body.length;
		const parts = [`html ${page.body.length}`];
		for (const p of subresources) {
			const r = await get(p);
			assert.equal(r.status, 200, `${p}: ${r.status}`);
			total += r.body.length;
			parts.push(`${p} ${r.body.length}`);
		}
		assert.ok(total < 100 * 1024, `/tin/${slug} weighs ${total} bytes without photos (${parts.join(', ')})`);
		console.log(`/tin/${slug}: ${total} bytes without photos (${parts.join(', ')})`);
	}
});

// ---- view counting ----------------------------------------------------------------------------

test('views are counted for browsers, not for robots: flushed every few seconds and at shutdown', { timeout: 120000 * SLOW }, async () => {
	const own = await startServer();
	const keep = own.dir;
	try {
		const slug = sqliteValue(own.db, `SELECT slug FROM article WHERE status = 'published' AND publish_at <= strftime('%s', 'now') ORDER BY publish_at LIMIT 1 OFFSET 7`);
		const id = Number(sqliteValue(own.db, `SELECT id FROM article WHERE slug = ${sq(slug)}`));
		const views = () => Number(sqliteValue(own.db, `SELECT views FROM article WHERE id = ${id}`));
		const today = () => Number(sqliteValue(own.db, `SELECT coalesce(sum(views), 0) FROM article_view_day WHERE article_id = ${id} AND day = ${sq(vnIsoDate())}`));
		const v0 = views(), d0 = today();
		const c = own.client();
		const as = (ua) => c.get(`/tin/${slug}`, { headers: ua === undefined ? {} : { 'User-Agent': ua } });
		/* three browser views: the first renders the page, the others come from the page cache */
		for (let k = 0; k < 3; k++)
			assert.equal((await as(BROWSER_UA)).status, 200);
		/* robots, tools and a client without a User-Agent are not readers */
		for (const ua of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
			'facebookexternalhit/1.1', 'curl/8.5.0', 'python-requests/2.31', undefined])
			assert.equal((await as(ua)).status, 200);
		/* a HEAD is no reading; a 304 is the reader's browser coming back to the page: a view */
		const head = await c.request('HEAD', `/tin/${slug}`, { headers: { 'User-Agent': BROWSER_UA } });
		assert.equal(head.status, 200);
		const etag = head.header('etag');
		assert.equal((await c.get(`/tin/${slug}`, { headers: { 'User-Agent': BROWSER_UA, 'If-None-Match': etag } })).status, 304);
		/* the counts live in memory first: flushed within a few seconds */
		let v = views();
		for (let waited = 0; v < v0 + 4 && waited < 15000 * SLOW; waited += 250) {
			await new Promise((r) => setTimeout(r, 250));
			v = views();
		}
		assert.equal(v, v0 + 4, 'four browser views were not flushed to the database within 15 s');
		assert.equal(today(), d0 + 4, "today's views");
		/* one more, then shutdown flushes what is pending */
		assert.equal((await as(BROWSER_UA)).status, 200);
		await own.stop({ keep: true });
		assert.equal(views(), v0 + 5, 'the view before shutdown was not flushed');
		assert.equal(today(), d0 + 5);
	} finally {
		await own.kill().catch(() => {});
		removeTempDir(keep);
	}
});
