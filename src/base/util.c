/*
 * util.c — see util.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const rc_names[] = {
	[RC_OK] = "ok", [RC_INVALID] = "invalid", [RC_UNAUTHORIZED] = "unauthorized",
	[RC_FORBIDDEN] = "forbidden", [RC_NOT_FOUND] = "not_found",
	[RC_METHOD] = "method_not_allowed", [RC_CONFLICT] = "conflict",
	[RC_TOO_LARGE] = "too_large", [RC_LOCKED] = "locked", [RC_BUSY] = "busy",
	[RC_DB] = "db_error", [RC_IO] = "io_error", [RC_INTERNAL] = "internal",
};

const char *rc_name(Rc rc)
{
	if ((size_t)rc < ARRAY_LEN(rc_names) && rc_names[rc])
		return rc_names[rc];
	return "unknown";
}

static _Noreturn void oom(size_t n)
{
	fprintf(stderr, "danvan: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void xsnprintf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "danvan: xsnprintf truncation\n");
		abort();
	}
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	fputs("danvan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

bool util_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return false;
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool util_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/* A fixed clock for demo generation, which replays two years of history
 * through the same domain functions the server uses.  Set only by the
 * single-threaded CLI before any thread starts; the server never sets it. */
static int64_t clock_override;

void util_set_clock(int64_t t)
{
	clock_override = t;
}

int64_t util_now(void)
{
	if (clock_override)
		return clock_override;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

int64_t util_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void util_deadline_in(struct timespec *ts, int64_t ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void util_thread_nice(int nice)
{
	id_t self = (id_t)gettid();
	errno = 0;
	int now = getpriority(PRIO_PROCESS, self); /* -1 is a valid answer: errno tells */
	if (errno == 0 && now >= nice)
		return;
	(void)setpriority(PRIO_PROCESS, self, nice);
}

Rc util_read_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return RC_NOT_FOUND;
	size_t cap = 65536, n = 0;
	char *p = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(p);
				fclose(f);
				return RC_TOO_LARGE;
			}
			cap = cap * 2 > max ? max : cap * 2;
			p = xrealloc(p, cap + 1);
		}
		size_t got = fread(p + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	bool err = ferror(f);
	fclose(f);
	if (err) {
		free(p);
		return RC_IO;
	}
	p[n] = 0;
	*out = p;
	if (len)
		*len = n;
	return RC_OK;
}

uint64_t util_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}
