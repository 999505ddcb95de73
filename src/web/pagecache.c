/*
 * pagecache.c — see pagecache.h.
 *
 * A fixed open-addressing table under one mutex.  Bodies are reference
 * counted: a hit lends the body to the response without copying it, and
 * an entry replaced while a response still sends its body only drops the
 * table's reference.
 * Invalidation bumps a generation number instead of walking the table;
 * stale entries are replaced when their slot is next used, and every
 * SWEEP_EVERY stores a sweep frees those that can no longer be served (of
 * an older generation, or aged past any use).  Without it a slot kept its
 * dead page until a key with the same hash came along: memory grew as the
 * readers' distinct addresses slowly filled the table (the soak's
 * tracking pages of 2,000 codes), though nothing in it was servable.
 */
#include "pagecache.h"
#include "../base/crypto.h"

#include <pthread.h>
#include <stdatomic.h>

struct PageBody {
	atomic_int refs;
	size_t len;
	char data[];
};

typedef struct Entry {
	char *key;
	PageBody *body; /* one reference held by the table */
	const char *type; /* a string literal from the handler */
	char etag[24];
	int64_t stored_at;
	int64_t refreshing_until; /* ms: one request re-renders an aged entry */
	unsigned long generation;
	int64_t view_id;  /* Req.view_id of the page, restored on a hit */
} Entry;

enum { SWEEP_EVERY = 64 };

static Entry table[PAGECACHE_MAX_ENTRIES];
static unsigned puts_since_sweep; /* under lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong generation = 1;

static size_t slot_of(const char *key)
{
	return (size_t)(util_hash_bytes(UTIL_HASH_INIT, key, strlen(key)) % PAGECACHE_MAX_ENTRIES);
}

const char *pagecache_body(const PageBody *b, size_t *len)
{
	*len = b->len;
	return b->data;
}

void pagecache_body_release(PageBody *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static void entry_free(Entry *e)
{
	free(e->key);
	pagecache_body_release(e->body);
	memset(e, 0, sizeof *e);
}

void pagecache_invalidate(void)
{
	atomic_fetch_add(&generation, 1);
}

bool pagecache_get(Req *r, const char *key)
{
	size_t i = slot_of(key);
	int64_t now = util_now(), now_ms = util_mono_ms();
	bool hit = false;
	pthread_mutex_lock(&lock);
	Entry *e = &table[i];
	bool fresh = false;
	if (e->key && str_eq(e->key, key) && e->generation == atomic_load(&generation)) {
		/* Aged by time only (no write since): the first request to notice
		 * re-renders while the others keep getting the aged copy for up to
		 * two seconds, so an expiry never sends every client to the
		 * database at once.  After a write everyone renders afresh. */
		if (now - e->stored_at < PAGECACHE_TTL || e->refreshing_until > now_ms)
			fresh = true;
		else
			e->refreshing_until = now_ms + 2000;
	}
	if (fresh) {
		hit = true;
		req_header(r, "ETag", e->etag);
		r->out_type = e->type;
		r->view_id = e->view_id;
		if (r->if_none_match && strstr(r->if_none_match, e->etag)) {
			r->status = 304;
		} else {
			r->status = 200;
			atomic_fetch_add(&e->body->refs, 1);
			pagecache_body_release(r->shared_body);
			r->shared_body = e->body;
		}
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

unsigned long pagecache_generation(void)
{
	return atomic_load(&generation);
}

/* Free what no request can be served (under lock).  An entry aged by
 * time is still lent out for two seconds while one request re-renders it
 * (pagecache_get), so only entries past that are dead. */
static void sweep(int64_t now, unsigned long current)
{
	for (size_t i = 0; i < PAGECACHE_MAX_ENTRIES; i++) {
		Entry *e = &table[i];
		if (e->key && (e->generation != current || now - e->stored_at > PAGECACHE_TTL + 2))
			entry_free(e);
	}
}

void pagecache_put(Req *r, const char *key, unsigned long gen)
{
	if (r->out.len > PAGECACHE_MAX_BODY || !buf_ok(&r->out) || gen != atomic_load(&generation))
		return;
	char hash[65];
	crypto_sha256_hex(buf_cstr(&r->out), r->out.len, hash);
	char etag[24];
	xsnprintf(etag, sizeof etag, "\"p%.16s\"", hash);
	PageBody *body = xmalloc(sizeof *body + r->out.len);
	atomic_init(&body->refs, 1);
	body->len = r->out.len;
	memcpy(body->data, r->out.data, r->out.len);
	size_t i = slot_of(key);
	pthread_mutex_lock(&lock);
	Entry *e = &table[i];
	entry_free(e);
	e->key = xstrdup(key);
	e->body = body;
	e->type = r->out_type;
	e->view_id = r->view_id;
	memcpy(e->etag, etag, sizeof etag);
	e->stored_at = util_now();
	e->refreshing_until = 0;
	e->generation = gen;
	if (++puts_since_sweep >= SWEEP_EVERY) {
		puts_since_sweep = 0;
		sweep(e->stored_at, atomic_load(&generation));
	}
	pthread_mutex_unlock(&lock);
	req_header(r, "ETag", etag);
}

void pagecache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PAGECACHE_MAX_ENTRIES; i++)
		entry_free(&table[i]);
	pthread_mutex_unlock(&lock);
}

size_t pagecache_count(void)
{
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PAGECACHE_MAX_ENTRIES; i++)
		n += table[i].key != NULL;
	pthread_mutex_unlock(&lock);
	return n;
}
