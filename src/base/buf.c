/*
 * buf.c — growable buffer and the project's printf (see buf.h).
 *
 * The printf is our own rather than vsnprintf so that the escaping
 * conversions (%h %u %j) exist and so that the build's codecheck can
 * reason about every format string.  Numbers go through snprintf into a
 * small stack array, which is always large enough.
 */
#include "buf.h"

static size_t buf_max(const Buf *b)
{
	return b->max ? b->max : BUF_DEFAULT_MAX;
}

void buf_init(Buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void buf_release(Buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = false;
}

void buf_reset(Buf *b)
{
	b->len = 0;
	b->err = false;
	if (b->data)
		b->data[0] = 0;
}

char *buf_detach(Buf *b, size_t *len)
{
	char *p = b->data ? b->data : xstrdup("");
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *buf_cstr(const Buf *b)
{
	return b->data ? b->data : "";
}

static bool buf_grow(Buf *b, size_t extra)
{
	if (b->err)
		return false;
	if (extra > buf_max(b) || b->len > buf_max(b) - extra) {
		b->err = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	return true;
}

void buf_append(Buf *b, const void *p, size_t n)
{
	if (!buf_grow(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_puts(Buf *b, const char *s)
{
	if (s)
		buf_append(b, s, strlen(s));
}

void buf_putc(Buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_truncate(Buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = 0;
	}
}

void buf_html_escape(Buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void buf_url_escape(Buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 3);
		}
	}
}

void buf_json_escape(Buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;
		esc[0] = '\\';
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
		} else if (c == '\n') {
			esc[1] = 'n';
		} else if (c == '\r') {
			esc[1] = 'r';
		} else if (c == '\t') {
			esc[1] = 't';
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			/* < > & escaped so JSON is safe inside HTML too */
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			elen = 6;
		} else {
			continue;
		}
		buf_append(b, s + start, i - start);
		buf_append(b, esc, elen);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void fmt_vformat(Buf *b, int s_mode, const char *fmt, va_list ap)
{
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_puts(b, p);
			return;
		}
		buf_append(b, p, (size_t)(pct - p));
		p = pct + 1;
		/* "%02d": zero padding and a width, for numbers only */
		bool zero = false;
		int width = 0;
		if (*p == '0') {
			zero = true;
			p++;
		}
		while (*p >= '1' && *p <= '9' && width < 100)
			width = width * 10 + (*p++ - '0');
		int prec = -1;
		if (p[0] == '.' && p[1] == '*') {
			prec = va_arg(ap, int);
			p += 2;
		}
		int lmod = 0; /* 1 = l, 2 = ll, 3 = z */
		if (p[0] == 'l' && p[1] == 'l') {
			lmod = 2;
			p += 2;
		} else if (p[0] == 'l') {
			lmod = 1;
			p++;
		} else if (p[0] == 'z') {
			lmod = 3;
			p++;
		}
		char num[32];
		char conv = *p ? *p++ : 0;
		switch (conv) {
		case '%':
			buf_putc(b, '%');
			break;
		case 'c':
			buf_putc(b, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			if (lmod == 2)
				xsnprintf(num, sizeof num, "%lld", va_arg(ap, long long));
			else if (lmod == 1)
				xsnprintf(num, sizeof num, "%ld", va_arg(ap, long));
			else if (lmod == 3)
				xsnprintf(num, sizeof num, "%lld", (long long)va_arg(ap, size_t));
			else
				xsnprintf(num, sizeof num, "%d", va_arg(ap, int));
			for (int pad = width - (int)strlen(num); pad > 0; pad--)
				buf_putc(b, zero ? '0' : ' ');
			buf_puts(b, num);
			break;
		case 'u':
			/* with a length modifier %u is an unsigned number */
			if (lmod == 3 || lmod == 1 || lmod == 2) {
				if (lmod == 3)
					xsnprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
				else if (lmod == 1)
					xsnprintf(num, sizeof num, "%lu", va_arg(ap, unsigned long));
				else
					xsnprintf(num, sizeof num, "%llu", va_arg(ap, unsigned long long));
				buf_puts(b, num);
				break;
			}
			/* fall through: %u is a URL component */
			{
				const char *s = va_arg(ap, const char *);
				if (!s)
					s = "";
				buf_url_escape(b, s, prec >= 0 ? (size_t)prec : strlen(s));
			}
			break;
		case 'x':
			if (lmod == 2)
				xsnprintf(num, sizeof num, "%llx", va_arg(ap, unsigned long long));
			else
				xsnprintf(num, sizeof num, "%x", va_arg(ap, unsigned));
			buf_puts(b, num);
			break;
		case 's':
		case 'h':
		case 'j':
		case 'r': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "";
			size_t n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			if (conv == 'h' || (conv == 's' && s_mode == FMT_S_HTML))
				buf_html_escape(b, s, n);
			else if (conv == 'j')
				buf_json_escape(b, s, n);
			else
				buf_append(b, s, n);
			break;
		}
		default:
			/* Unknown conversion: a programming error; mark the buffer. */
			b->err = true;
			return;
		}
	}
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	fmt_vformat(b, FMT_S_RAW, fmt, ap);
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(b, FMT_S_RAW, fmt, ap);
	va_end(ap);
}
