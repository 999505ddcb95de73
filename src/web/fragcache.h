/*
 * fragcache.h — rendered pieces of pages kept in memory: parts that are
 * the same for many readers and costly to build, such as the list of the
 * organisations of a province offered in a <select> (hundreds of rows,
 * each with its current name).
 *
 * The rule is the page cache's (pagecache.h): an entry is good until any
 * write commits through this server (pagecache_generation changes) or
 * FRAGCACHE_TTL seconds pass, which covers writes by other processes.
 * The key must name everything the fragment depends on (reader's scope,
 * language, options).
 */
#ifndef DANVAN_FRAGCACHE_H
#define DANVAN_FRAGCACHE_H

#include "../base/buf.h"

#define FRAGCACHE_TTL 5
#define FRAGCACHE_MAX_ENTRIES 64
#define FRAGCACHE_MAX_BYTES (128 * 1024)

/* On a hit, append the fragment to out and return true. */
bool fragcache_get(const char *key, Buf *out);
/* Store a fragment rendered while the page-cache generation was
 * `generation`: r->cache_gen, read before the handler's snapshot, so a
 * write committed meanwhile makes the fragment not stored. */
void fragcache_put(const char *key, unsigned long generation, const char *data, size_t len);
/* Free everything (at shutdown, so leak checkers stay quiet). */
void fragcache_clear(void);

#endif
