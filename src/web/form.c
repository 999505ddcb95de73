/*
 * form.c — query strings, urlencoded bodies, multipart/form-data bodies
 * and Cookie headers (see form.h and docs/internals/forms.md).
 *
 * Every byte here comes from the network, so the parsers are written as
 * cursor walks over explicit [start, end) ranges: nothing relies on a NUL
 * terminator inside a body, nothing reads past `end`, and every loop
 * advances.  The targets in tests/fuzz/ check exactly that.
 *
 * Errors leave the output list as it was before the call: a half-parsed
 * form is never visible to a handler.
 */
#include "form.h"

/* Private caps of the multipart parser.  A boundary is at most 70 bytes
 * (RFC 2046 §5.1.1); the header block of one part is small in every real
 * client (a Content-Disposition with a long UTF-8 filename and a
 * Content-Type), so 8 KiB is generous and keeps header scanning cheap. */
#define FORM_MAX_BOUNDARY 70
#define FORM_MAX_PART_HEADERS 8192

/* ---- the Params list ----------------------------------------------------- */

void params_init(Params *p)
{
	p->items = NULL;
	p->count = 0;
	p->cap = 0;
}

static void param_free(Param *it)
{
	free(it->name);
	free(it->value);
	free(it->filename);
	free(it->content_type);
}

void params_release(Params *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->count; i++)
		param_free(&p->items[i]);
	free(p->items);
	params_init(p);
}

/* Drop the entries from index `keep` on: how a failed parse undoes its
 * partial work.  A list that was empty goes back to owning no memory at
 * all, so a caller that skips params_release after an error leaks
 * nothing. */
static void params_truncate(Params *p, size_t keep)
{
	if (keep == 0) {
		params_release(p);
		return;
	}
	while (p->count > keep)
		param_free(&p->items[--p->count]);
}

/* Copy n bytes (which may include NUL) into a NUL-terminated string.
 * Not xstrndup: that one is documented as a string function, and values
 * of file parts are binary. */
static char *mem_dup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Append an entry that takes ownership of `name` and `value`. */
static Param *params_push_owned(Params *p, char *name, char *value, size_t vlen)
{
	if (p->count == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 8;
		if (ncap < p->cap || ncap > SIZE_MAX / sizeof(Param))
			abort(); /* unreachable under the parsers' caps */
		p->items = xrealloc(p->items, ncap * sizeof(Param));
		p->cap = ncap;
	}
	Param *it = &p->items[p->count++];
	it->name = name;
	it->value = value;
	it->value_len = vlen;
	it->filename = NULL;
	it->content_type = NULL;
	return it;
}

void params_add(Params *p, const char *name, size_t nlen, const char *value, size_t vlen)
{
	params_push_owned(p, mem_dup(name, nlen), mem_dup(value, vlen), vlen);
}

const Param *params_find(const Params *p, const char *name)
{
	if (!p || !name)
		return NULL;
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return &p->items[i];
	return NULL;
}

const char *params_get(const Params *p, const char *name)
{
	const Param *it = params_find(p, name);
	return it ? it->value : NULL;
}

/* ---- small byte classes (ASCII only: no locale-dependent <ctype.h>) ------ */

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Control characters other than TAB: never legal in a header. */
static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* RFC 7230 tchar: what a header or cookie name may contain. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_ctl((unsigned char)s[i]))
			return true;
	return false;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive equality of s[0..n) with the lower-case literal `lit`. */
static bool ci_eq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n != m)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s[i]) != lit[i])
			return false;
	return true;
}

static void trim_ows(const char **a, const char **b)
{
	while (*a < *b && is_ows(**a))
		(*a)++;
	while (*b > *a && is_ows((*b)[-1]))
		(*b)--;
}

/* ---- percent decoding and urlencoded ------------------------------------- */

Rc form_url_decode(const char *s, size_t n, bool plus_space, char **out, size_t *out_len)
{
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!s)
		n = 0;
	/* Decoding never lengthens, so n + 1 bytes always suffice. */
	char *d = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				goto bad; /* truncated escape: "%" or "%4" at the end */
			int hi = hex_value((unsigned char)s[i + 1]);
			int lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		/* The result is used as a C string: an embedded NUL (raw or
		 * %00) would silently cut it, so it is refused instead. */
		if (c == 0)
			goto bad;
		d[j++] = (char)c;
	}
	d[j] = 0;
	*out = d;
	if (out_len)
		*out_len = j;
	return RC_OK;
bad:
	free(d);
	return RC_INVALID;
}

Rc form_parse_urlencoded(const char *s, size_t n, Params *out)
{
	size_t keep = out->count, fields = 0;
	Rc rc = RC_OK;
	if (!s)
		n = 0;
	size_t i = 0;
	while (i < n) {
		const char *pair = s + i;
		const char *amp = memchr(pair, '&', n - i);
		size_t plen = amp ? (size_t)(amp - pair) : n - i;
		i += plen + (amp ? 1 : 0);
		if (plen == 0)
			continue; /* "a=1&&b=2", a leading or trailing '&' */
		const char *eq = memchr(pair, '=', plen);
		size_t nlen = eq ? (size_t)(eq - pair) : plen;
		const char *val = eq ? eq + 1 : pair + plen;
		size_t vlen = eq ? plen - nlen - 1 : 0;
		if (nlen == 0)
			continue; /* "=x": a value nobody can ask for */
		if (++fields > FORM_MAX_FIELDS) {
			rc = RC_TOO_LARGE;
			goto fail;
		}
		/* Each decoded byte takes at most three source bytes, so a
		 * longer raw name cannot fit: refuse before decoding it. */
		if (nlen > 3 * (size_t)FORM_MAX_NAME) {
			rc = RC_TOO_LARGE;
			goto fail;
		}
		char *name = NULL, *value = NULL;
		size_t name_len = 0, value_len = 0;
		rc = form_url_decode(pair, nlen, true, &name, &name_len);
		if (rc != RC_OK)
			goto fail;
		if (name_len > FORM_MAX_NAME) {
			free(name);
			rc = RC_TOO_LARGE;
			goto fail;
		}
		rc = form_url_decode(val, vlen, true, &value, &value_len);
		if (rc != RC_OK) {
			free(name);
			goto fail;
		}
		params_push_owned(out, name, value, value_len);
	}
	return RC_OK;
fail:
	params_truncate(out, keep);
	return rc;
}

/* ---- header values: `type *( ";" attr "=" ( token / quoted-string ) )` ---
 *
 * Used for the request's Content-Type and for each part's
 * Content-Disposition.  A cursor over [p, end).
 */
typedef struct Cursor {
	const char *p, *end;
} Cursor;

static void cur_skip_ows(Cursor *c)
{
	while (c->p < c->end && is_ows(*c->p))
		c->p++;
}

/* The leading type ("multipart/form-data", "form-data"), trimmed. */
static void hv_type(Cursor *c, const char **t, size_t *tlen)
{
	const char *a = c->p, *b = c->p;
	while (b < c->end && *b != ';')
		b++;
	c->p = b;
	trim_ows(&a, &b);
	*t = a;
	*tlen = (size_t)(b - a);
}

/* An unquoted parameter value.  Wider than tchar on purpose: senders put
 * '/', '=', ':' and '?' in unquoted boundaries, and nothing is lost by
 * accepting them since ';', '"', spaces and controls still end a value. */
static bool is_value_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && c != ';' && c != '"';
}

/*
 * Next parameter.  RC_NOT_FOUND at the end of the value, RC_INVALID on a
 * syntax error, else RC_OK with the attribute name as a slice of the
 * input and the value malloc'd (quoted-pair escapes "\x" resolved).
 * Stray ';' (";;", a trailing ';') are tolerated.
 */
static Rc hv_param(Cursor *c, const char **name, size_t *nlen, char **value, size_t *vlen)
{
	*value = NULL;
	cur_skip_ows(c);
	if (c->p >= c->end)
		return RC_NOT_FOUND;
	if (*c->p != ';')
		return RC_INVALID;
	while (c->p < c->end && (*c->p == ';' || is_ows(*c->p)))
		c->p++;
	if (c->p >= c->end)
		return RC_NOT_FOUND;

	const char *a = c->p;
	while (c->p < c->end && is_tchar((unsigned char)*c->p))
		c->p++;
	if (c->p == a)
		return RC_INVALID;
	*name = a;
	*nlen = (size_t)(c->p - a);

	cur_skip_ows(c);
	if (c->p >= c->end || *c->p != '=')
		return RC_INVALID;
	c->p++;
	cur_skip_ows(c);
	if (c->p >= c->end)
		return RC_INVALID;

	if (*c->p == '"') {
		c->p++;
		/* The unescaped value is never longer than what is left. */
		char *v = xmalloc((size_t)(c->end - c->p) + 1);
		size_t j = 0;
		for (;;) {
			if (c->p >= c->end)
				goto bad_quoted; /* unterminated */
			unsigned char ch = (unsigned char)*c->p++;
			if (ch == '"')
				break;
			if (ch == '\\') {
				if (c->p >= c->end)
					goto bad_quoted;
				ch = (unsigned char)*c->p++;
			}
			if (is_ctl(ch))
				goto bad_quoted;
			v[j++] = (char)ch;
		}
		v[j] = 0;
		*value = v;
		*vlen = j;
		return RC_OK;
	bad_quoted:
		free(v);
		return RC_INVALID;
	}

	a = c->p;
	while (c->p < c->end && is_value_char((unsigned char)*c->p))
		c->p++;
	if (c->p == a)
		return RC_INVALID;
	*value = mem_dup(a, (size_t)(c->p - a));
	*vlen = (size_t)(c->p - a);
	return RC_OK;
}

/* The boundary from a whole Content-Type header, malloc'd. */
static Rc multipart_boundary(const char *content_type, char **boundary, size_t *blen)
{
	*boundary = NULL;
	if (!content_type)
		return RC_INVALID;
	size_t n = strlen(content_type);
	if (has_ctl(content_type, n))
		return RC_INVALID;
	Cursor c = { content_type, content_type + n };
	const char *t;
	size_t tlen;
	hv_type(&c, &t, &tlen);
	if (!ci_eq(t, tlen, "multipart/form-data"))
		return RC_INVALID;
	for (;;) {
		const char *name;
		size_t nlen;
		char *value;
		size_t vlen;
		Rc rc = hv_param(&c, &name, &nlen, &value, &vlen);
		if (rc == RC_NOT_FOUND)
			break;
		if (rc != RC_OK)
			goto bad;
		if (!ci_eq(name, nlen, "boundary")) {
			free(value); /* charset and friends: not ours */
			continue;
		}
		if (*boundary) {
			/* Two boundaries: which one did the sender mean? */
			free(value);
			goto bad;
		}
		*boundary = value;
		*blen = vlen;
	}
	if (!*boundary || *blen == 0 || *blen > FORM_MAX_BOUNDARY)
		goto bad;
	return RC_OK;
bad:
	free(*boundary);
	*boundary = NULL;
	return RC_INVALID;
}

/* ---- multipart body -------------------------------------------------------
 *
 * RFC 2046 §5.1.1: a delimiter is CRLF "--" boundary at the start of a
 * line; the first one may open the body with no CRLF before it, anything
 * before it is preamble.  After "--" boundary comes either "--" (the close
 * delimiter, then an ignored epilogue) or optional spaces and CRLF (the
 * next part follows).  A line that starts with "--" boundary but goes on
 * with something else is not a delimiter and stays part of the content.
 */
enum { DELIM_NONE, DELIM_NEXT, DELIM_CLOSE };

/* Classify what follows "--" boundary at `r`; for DELIM_NEXT, *after is
 * the first byte of the next part. */
static int delim_kind(const char *r, const char *end, const char **after)
{
	if (end - r >= 2 && r[0] == '-' && r[1] == '-')
		return DELIM_CLOSE;
	while (r < end && is_ows(*r))
		r++;
	if (end - r >= 2 && r[0] == '\r' && r[1] == '\n') {
		*after = r + 2;
		return DELIM_NEXT;
	}
	return DELIM_NONE;
}

/*
 * Find the next CRLF "--" boundary in [from, end) that really is a
 * delimiter.  `needle` is "\r\n--" boundary.  Returns the position of its
 * CR (the end of the content before it) and sets *kind and *after, or
 * NULL when there is none.
 *
 * A plain memchr-for-CR scan is linear here: the needle's only CR is its
 * first byte, so a long partial match is always followed by as many
 * non-CR bytes, which the scan then skips.
 */
static const char *find_delim(const char *from, const char *end, const char *needle,
	size_t nlen, int *kind, const char **after)
{
	const char *p = from;
	while (p < end && (size_t)(end - p) >= nlen) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		if (!cr || (size_t)(end - cr) < nlen)
			return NULL;
		if (memcmp(cr, needle, nlen) == 0) {
			int k = delim_kind(cr + nlen, end, after);
			if (k != DELIM_NONE) {
				*kind = k;
				return cr;
			}
		}
		p = cr + 1;
	}
	return NULL;
}

/* Find "\r\n\r\n" in [p, end); NULL when absent. */
static const char *find_blank_line(const char *p, const char *end)
{
	while (end - p >= 4) {
		const char *cr = memchr(p, '\r', (size_t)(end - p - 3));
		if (!cr)
			return NULL;
		if (cr[1] == '\n' && cr[2] == '\r' && cr[3] == '\n')
			return cr;
		p = cr + 1;
	}
	return NULL;
}

/* What one part's headers told us. */
typedef struct PartHead {
	char *name;
	size_t name_len;
	char *filename;     /* NULL when the part is not a file */
	char *content_type; /* NULL when absent or empty */
	bool seen_disposition;
} PartHead;

static void part_head_release(PartHead *h)
{
	free(h->name);
	free(h->filename);
	free(h->content_type);
}

/* Content-Disposition: form-data; name="x"[; filename="y"] */
static Rc parse_disposition(const char *v, size_t n, PartHead *h)
{
	Cursor c = { v, v + n };
	const char *t;
	size_t tlen;
	hv_type(&c, &t, &tlen);
	if (!ci_eq(t, tlen, "form-data"))
		return RC_INVALID;
	for (;;) {
		const char *name;
		size_t nlen;
		char *value;
		size_t vlen;
		Rc rc = hv_param(&c, &name, &nlen, &value, &vlen);
		if (rc == RC_NOT_FOUND)
			return RC_OK;
		if (rc != RC_OK)
			return rc;
		char **slot = NULL;
		if (ci_eq(name, nlen, "name"))
			slot = &h->name;
		else if (ci_eq(name, nlen, "filename"))
			slot = &h->filename;
		/* filename* (RFC 5987) is ignored, as RFC 7578 §4.2 says. */
		if (!slot) {
			free(value);
			continue;
		}
		if (*slot) {
			/* A duplicate is ambiguous: reject rather than guess. */
			free(value);
			return RC_INVALID;
		}
		*slot = value;
		if (slot == &h->name)
			h->name_len = vlen;
	}
}

/* The header block [p, end): lines each ending in CRLF. */
static Rc parse_part_headers(const char *p, const char *end, PartHead *h)
{
	while (p < end) {
		/* A CR in a header line is a line end or an error, so the
		 * first CR must be followed by LF. */
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		if (!cr || end - cr < 2 || cr[1] != '\n')
			return RC_INVALID;
		const char *line = p, *line_end = cr;
		p = cr + 2;
		if (has_ctl(line, (size_t)(line_end - line)))
			return RC_INVALID; /* bare LF, NUL, … */
		const char *colon = memchr(line, ':', (size_t)(line_end - line));
		if (!colon)
			return RC_INVALID;
		const char *na = line, *nb = colon;
		if (na == nb)
			return RC_INVALID;
		for (const char *q = na; q < nb; q++)
			if (!is_tchar((unsigned char)*q))
				return RC_INVALID; /* also refuses folded lines */
		const char *va = colon + 1, *vb = line_end;
		trim_ows(&va, &vb);
		size_t vlen = (size_t)(vb - va);
		if (ci_eq(na, (size_t)(nb - na), "content-disposition")) {
			if (h->seen_disposition)
				return RC_INVALID;
			h->seen_disposition = true;
			Rc rc = parse_disposition(va, vlen, h);
			if (rc != RC_OK)
				return rc;
		} else if (ci_eq(na, (size_t)(nb - na), "content-type")) {
			if (h->content_type)
				return RC_INVALID;
			if (vlen)
				h->content_type = mem_dup(va, vlen);
		}
		/* Other headers (Content-Transfer-Encoding, …) are ignored:
		 * RFC 7578 §4.7 deprecates transfer encodings. */
	}
	return RC_OK;
}

/* One part: content [p, end), headers, blank line, body. */
static Rc parse_part(const char *p, const char *end, Params *out)
{
	const char *hdr_end, *body;
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
		hdr_end = p; /* no headers at all: this part will lack a name */
		body = p + 2;
	} else {
		/* Only look for the blank line within the header cap, so a
		 * large file is not scanned for it. */
		const char *limit = end;
		if ((size_t)(end - p) > FORM_MAX_PART_HEADERS + 4)
			limit = p + FORM_MAX_PART_HEADERS + 4;
		const char *blank = find_blank_line(p, limit);
		if (!blank)
			return limit < end ? RC_TOO_LARGE : RC_INVALID;
		hdr_end = blank + 2; /* keep the CRLF that ends the last line */
		body = blank + 4;
	}
	if ((size_t)(hdr_end - p) > FORM_MAX_PART_HEADERS)
		return RC_TOO_LARGE;

	PartHead h = { 0 };
	Rc rc = parse_part_headers(p, hdr_end, &h);
	if (rc != RC_OK)
		goto done;
	if (!h.name || h.name_len == 0) {
		rc = RC_INVALID; /* RFC 7578 §4.2: every part has a name */
		goto done;
	}
	if (h.name_len > FORM_MAX_NAME) {
		rc = RC_TOO_LARGE;
		goto done;
	}
	size_t blen = (size_t)(end - body);
	/* Only file parts may carry NUL (form.h); in a text field it would
	 * cut the value short for every C-string consumer. */
	if (!h.filename && memchr(body, 0, blen)) {
		rc = RC_INVALID;
		goto done;
	}
	Param *it = params_push_owned(out, h.name, mem_dup(body, blen), blen);
	it->filename = h.filename;
	it->content_type = h.content_type;
	return RC_OK;
done:
	part_head_release(&h);
	return rc;
}

Rc form_parse_multipart(const char *content_type, const char *body, size_t n, Params *out)
{
	char *boundary = NULL;
	size_t blen = 0;
	Rc rc = multipart_boundary(content_type, &boundary, &blen);
	if (rc != RC_OK)
		return rc;
	if (!body) {
		body = ""; /* no pointer arithmetic on NULL */
		n = 0;
	}

	/* "\r\n--" boundary; the delimiter proper starts at needle + 2. */
	char needle[4 + FORM_MAX_BOUNDARY];
	memcpy(needle, "\r\n--", 4);
	memcpy(needle + 4, boundary, blen);
	size_t nlen = 4 + blen;
	free(boundary);

	size_t keep = out->count, fields = 0;
	const char *end = body + n, *after = NULL;
	int kind = DELIM_NONE;
	if (n >= nlen - 2 && memcmp(body, needle + 2, nlen - 2) == 0)
		kind = delim_kind(body + nlen - 2, end, &after);
	if (kind == DELIM_NONE && !find_delim(body, end, needle, nlen, &kind, &after)) {
		rc = RC_INVALID; /* no delimiter at all */
		goto fail;
	}
	while (kind == DELIM_NEXT) {
		const char *part = after;
		const char *part_end = find_delim(part, end, needle, nlen, &kind, &after);
		if (!part_end) {
			rc = RC_INVALID; /* no closing boundary: truncated upload */
			goto fail;
		}
		if (++fields > FORM_MAX_FIELDS) {
			rc = RC_TOO_LARGE;
			goto fail;
		}
		rc = parse_part(part, part_end, out);
		if (rc != RC_OK)
			goto fail;
	}
	/* kind == DELIM_CLOSE: the rest is epilogue, ignored. */
	return RC_OK;
fail:
	params_truncate(out, keep);
	return rc;
}

/* ---- Cookie header --------------------------------------------------------
 *
 * RFC 6265 §5.4 sends "name=value; name2=value2".  Browsers also pass on
 * whatever other sites on the host or scripts set, so a pair that does
 * not parse is skipped rather than failing the request.  Values are not
 * percent-decoded (RFC 6265 defines no encoding); one pair of surrounding
 * double quotes is removed.
 */
Rc form_parse_cookies(const char *header, Params *out)
{
	if (!header)
		return RC_OK;
	size_t keep = out->count, fields = 0;
	Rc rc = RC_OK;
	const char *p = header;
	while (*p) {
		const char *semi = strchr(p, ';');
		const char *a = p, *b = semi ? semi : p + strlen(p);
		p = semi ? semi + 1 : b;
		trim_ows(&a, &b);
		const char *eq = a < b ? memchr(a, '=', (size_t)(b - a)) : NULL;
		if (!eq)
			continue; /* empty or "junk" without '=' */
		const char *na = a, *nb = eq, *va = eq + 1, *vb = b;
		trim_ows(&na, &nb);
		trim_ows(&va, &vb);
		if (na == nb)
			continue;
		bool ok = true;
		for (const char *q = na; q < nb; q++)
			if (!is_tchar((unsigned char)*q))
				ok = false;
		if (!ok || has_ctl(va, (size_t)(vb - va)))
			continue;
		if (vb - va >= 2 && va[0] == '"' && vb[-1] == '"') {
			va++;
			vb--;
		}
		if ((size_t)(nb - na) > FORM_MAX_NAME || ++fields > FORM_MAX_FIELDS) {
			rc = RC_TOO_LARGE;
			goto fail;
		}
		params_add(out, na, (size_t)(nb - na), va, (size_t)(vb - va));
	}
	return RC_OK;
fail:
	params_truncate(out, keep);
	return rc;
}
