/*
 * fragcache.c — see fragcache.h.
 *
 * A small direct-mapped table under one mutex, like the page cache: a hit
 * copies the bytes out, so no entry is shared with a page being built and
 * replacing one needs no reference counts.
 */
#include "fragcache.h"
#include "pagecache.h"
#include "../base/util.h"

#include <pthread.h>

typedef struct Fragment {
	char *key;
	char *data;
	size_t len;
	int64_t stored_at;
	unsigned long generation;
} Fragment;

static Fragment table[FRAGCACHE_MAX_ENTRIES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const char *key)
{
	return (size_t)(util_hash_bytes(UTIL_HASH_INIT, key, strlen(key)) % FRAGCACHE_MAX_ENTRIES);
}

static void fragment_free(Fragment *f)
{
	free(f->key);
	free(f->data);
	memset(f, 0, sizeof *f);
}

bool fragcache_get(const char *key, Buf *out)
{
	Fragment *f = &table[slot_of(key)];
	bool hit = false;
	pthread_mutex_lock(&lock);
	if (f->key && str_eq(f->key, key) && f->generation == pagecache_generation() &&
	    util_now() - f->stored_at < FRAGCACHE_TTL) {
		buf_append(out, f->data, f->len);
		hit = true;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void fragcache_put(const char *key, unsigned long generation, const char *data, size_t len)
{
	if (len > FRAGCACHE_MAX_BYTES || generation != pagecache_generation())
		return;
	char *k = xstrdup(key);
	char *d = xmalloc(len ? len : 1);
	memcpy(d, data, len);
	Fragment *f = &table[slot_of(key)];
	pthread_mutex_lock(&lock);
	fragment_free(f);
	*f = (Fragment){.key = k, .data = d, .len = len, .stored_at = util_now(), .generation = generation};
	pthread_mutex_unlock(&lock);
}

void fragcache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < FRAGCACHE_MAX_ENTRIES; i++)
		fragment_free(&table[i]);
	pthread_mutex_unlock(&lock);
}
