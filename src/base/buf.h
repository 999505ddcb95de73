/*
 * buf.h — the one growable byte buffer, with a size cap and a sticky error.
 *
 * Appends never fail visibly: past the cap (or on a formatting error) the
 * buffer sets `err` and ignores further appends, and the caller checks
 * buf_ok() once at the end (curl's dynbuf, git's strbuf).  The data is
 * always NUL-terminated when non-empty, so buf_cstr() is a C string.
 *
 * Ownership: a Buf owns `data`; buf_release frees it, buf_detach hands it
 * to the caller.  A zeroed Buf (BUF_INIT) is valid and has no cap beyond
 * BUF_DEFAULT_MAX.
 */
#ifndef DANVAN_BUF_H
#define DANVAN_BUF_H

#include "util.h"
#include <stdarg.h>

#define BUF_DEFAULT_MAX ((size_t)64 << 20) /* 64 MiB */

typedef struct Buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0 means BUF_DEFAULT_MAX */
	bool err;   /* sticky: an append overflowed max */
} Buf;

#define BUF_INIT {0}

void buf_init(Buf *b, size_t max);
void buf_release(Buf *b);
void buf_reset(Buf *b);               /* len = 0, keeps memory, clears err */
char *buf_detach(Buf *b, size_t *len); /* caller frees; never NULL */
static inline bool buf_ok(const Buf *b) { return !b->err; }
const char *buf_cstr(const Buf *b);  /* "" when empty */

void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_truncate(Buf *b, size_t len);

/*
 * Formatted output.  Conversions:
 *   %s  text, written raw           %h  text, HTML-escaped (& < > " ')
 *   %u  text, URL-component encoded %j  text, JSON-string-escaped (no quotes)
 *   %d %i int   %ld long   %lld long long   %zu size_t   %x unsigned hex
 *   %c char     %%  a percent sign
 *   A width with optional zero flag ("%02d", "%5d") pads integers.
 *   A precision ".*" on s/h/u/j takes an int length before the pointer.
 * A NULL string prints as empty.  In HTML contexts use html() (web/req.h),
 * where %s escapes too and raw output needs %r (literals only: codecheck).
 */
void buf_printf(Buf *b, const char *fmt, ...);
void buf_vprintf(Buf *b, const char *fmt, va_list ap);

/* Escapers usable directly. */
void buf_html_escape(Buf *b, const char *s, size_t n);
void buf_url_escape(Buf *b, const char *s, size_t n);
void buf_json_escape(Buf *b, const char *s, size_t n);

/* Shared by buf_printf and html_printf: `mode` picks what %s means. */
enum { FMT_S_RAW = 0, FMT_S_HTML = 1 };
void fmt_vformat(Buf *b, int s_mode, const char *fmt, va_list ap);

#endif
