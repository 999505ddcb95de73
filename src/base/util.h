/*
 * util.h — allocation that never returns NULL, small string and number
 * helpers, and the project-wide return codes.
 *
 * Out of memory is not a recoverable error here (as in git and Redis):
 * xmalloc and friends abort, so callers never test for NULL.  Input caps
 * everywhere keep an attacker from driving allocation.
 *
 * Rc is the one enum of recoverable errors; web/ maps it to HTTP status in
 * one place (rc_http_status).
 */
#ifndef DANVAN_UTIL_H
#define DANVAN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

typedef enum Rc {
	RC_OK = 0,
	RC_INVALID,      /* bad input: 400 */
	RC_UNAUTHORIZED, /* not logged in / bad credentials: 401 */
	RC_FORBIDDEN,    /* capability or scope refused; bad CSRF: 403 */
	RC_NOT_FOUND,    /* 404 */
	RC_METHOD,       /* method not allowed: 405 */
	RC_CONFLICT,     /* unique key, stale state: 409 */
	RC_TOO_LARGE,    /* body over the route's cap: 413 */
	RC_LOCKED,       /* too many attempts: 429 */
	RC_BUSY,         /* database busy / locked: 503 */
	RC_DB,           /* database error: 500 */
	RC_IO,           /* file or socket error: 500 */
	RC_INTERNAL      /* anything else: 500 */
} Rc;

const char *rc_name(Rc rc);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Like snprintf but aborts on truncation: for fixed-size buffers whose
 * size is known to suffice (error messages, numbers). */
void xsnprintf(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print "danvan: message" to stderr and exit(1).  CLI paths only, never
 * on the request path. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a whole decimal string into *out; false on junk, empty, overflow
 * or a value outside [min, max]. */
bool util_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

bool str_eq(const char *a, const char *b);      /* NULL-safe equality */
bool str_starts(const char *s, const char *prefix);
/* Constant-time comparison of two equal-length byte strings. */
bool util_ct_equal(const void *a, const void *b, size_t n);

/* Seconds since the epoch (UTC).  Every "now" and "today" in the domain
 * comes from here, so demo generation can replay history (util_set_clock;
 * 0 returns to the real clock). */
int64_t util_now(void);

/* FNV-1a over n bytes, continuing from h (start with UTIL_HASH_INIT): for
 * hash tables of our own (caches, rate limits), never for security. */
#define UTIL_HASH_INIT 14695981039346656037ULL
uint64_t util_hash_bytes(uint64_t h, const void *p, size_t n);
void util_set_clock(int64_t t);
/* Monotonic milliseconds, for durations in logs only. */
int64_t util_mono_ms(void);
/* `ms` from now on the real-time clock: the deadline pthread_cond_timedwait
 * takes with a default condition variable. */
struct timespec;
void util_deadline_in(struct timespec *ts, int64_t ms);
/* Lower the calling thread's CPU priority to the nice value `nice`, unless
 * it runs that low already (a server started under nice(1)).  Linux keeps
 * a nice value per thread; raising one's own needs no privilege, and a
 * failure leaves the priority as it was.  For background threads, so that
 * a request waiting to run gets the core first. */
void util_thread_nice(int nice);

/* Read a whole file (≤ max bytes) into a NUL-terminated malloc'd buffer. */
Rc util_read_file(const char *path, size_t max, char **out, size_t *len);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

#include "banned.h"
#endif
