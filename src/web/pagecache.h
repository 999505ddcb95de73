/*
 * pagecache.h — rendered public pages kept in memory.
 *
 * Routes flagged R_PUBLIC_CACHE, asked for with GET/HEAD by a visitor who
 * is not signed in, are rendered once and served from memory until any
 * write commits through this server (pagecache_invalidate) or
 * PAGECACHE_TTL seconds pass (which also covers writes by other processes,
 * such as the CLI, and the date in the page header changing at midnight).
 * The key is the language and the raw URI.  Each entry carries an ETag,
 * so conditional GETs get 304.
 */
#ifndef DANVAN_PAGECACHE_H
#define DANVAN_PAGECACHE_H

#include "req.h"

#define PAGECACHE_TTL 5
#define PAGECACHE_MAX_ENTRIES 512
#define PAGECACHE_MAX_BODY (256 * 1024)

/* On a hit, fill r (content type, ETag, status 200 or 304) and return
 * true.  The body is not copied: r->shared_body takes a reference to the
 * cached one, which the response hands to MHD (server.c queue) and MHD
 * releases once sent, so a hit costs no copy of the page. */
bool pagecache_get(Req *r, const char *key);

/* A cached body, shared by the table and the responses sending it. */
typedef struct PageBody PageBody;
const char *pagecache_body(const PageBody *b, size_t *len);
void pagecache_body_release(PageBody *b); /* drop one reference; NULL is fine */
/* The generation to pass to pagecache_put: read it before rendering, so a
 * page rendered while a write committed is not stored as fresh. */
unsigned long pagecache_generation(void);
void pagecache_put(Req *r, const char *key, unsigned long generation);
void pagecache_invalidate(void);
/* Free everything (at shutdown, so leak checkers stay quiet). */
void pagecache_clear(void);
/* Entries held (for tests: dead ones are freed by a periodic sweep). */
size_t pagecache_count(void);

#endif
