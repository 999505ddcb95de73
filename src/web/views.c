/*
 * views.c — in-memory view counts (see views.h).
 *
 * An open-addressing table of (article id, count) under one mutex: a hit
 * is a hash and a few probes.  views_flush moves the table's contents
 * out under the lock and writes them without it, so page views never
 * wait for the database; a second mutex keeps two flushes from writing
 * the same day's rows concurrently (they would only contend for the
 * write lock anyway).
 */
#include "views.h"
#include "../domain/article.h"

#include <pthread.h>

typedef struct Slot {
	int64_t id;     /* 0 = empty */
	int64_t count;
} Slot;

static struct {
	pthread_mutex_t mu;
	pthread_mutex_t flush_mu;
	Slot slots[VIEWS_SLOTS];
	size_t used;
	int64_t pending;
	int64_t dropped;
} V = {.mu = PTHREAD_MUTEX_INITIALIZER, .flush_mu = PTHREAD_MUTEX_INITIALIZER};

/* Substrings of User-Agents that are not people reading (lower case).
 * Crawlers announce themselves; scripts and link previews use their
 * library's name. */
static const char *const robots[] = {
	"bot", "crawl", "spider", "slurp", "curl", "wget", "python", "go-http",
	"facebookexternalhit", "facebookcatalog", "httpclient", "java/", "libwww", "perl",
	"scrapy", "okhttp", "axios", "node-fetch", "undici", "headless", "phantomjs",
	"lighthouse", "pingdom", "uptime", "monitor", "preview", "feedfetcher", "archiver",
	"zalo", /* Zalo's link preview fetcher ("Zalo…" in its UA), big in Vietnam */
};

bool views_is_bot(const char *ua)
{
	if (!ua || !*ua)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(robots); i++)
		if (strcasestr(ua, robots[i]))
			return true;
	return false;
}

static size_t hash(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(x >> 52) % VIEWS_SLOTS;
}

/* Add n views of id; false when the table is full. Under V.mu. */
static bool add_locked(int64_t id, int64_t n)
{
	for (size_t i = 0, h = hash(id); i < VIEWS_SLOTS; i++, h = (h + 1) % VIEWS_SLOTS) {
		Slot *s = &V.slots[h];
		if (s->id == id) {
			s->count += n;
			V.pending += n;
			return true;
		}
		if (s->id == 0) {
			/* keep a quarter free: probes stay short */
			if (V.used >= VIEWS_SLOTS - VIEWS_SLOTS / 4)
				return false;
			s->id = id;
			s->count = n;
			V.used++;
			V.pending += n;
			return true;
		}
	}
	return false;
}

void views_hit(int64_t article_id, const char *user_agent)
{
	if (article_id <= 0 || views_is_bot(user_agent))
		return;
	pthread_mutex_lock(&V.mu);
	if (!add_locked(article_id, 1))
		V.dropped++;
	pthread_mutex_unlock(&V.mu);
}

Rc views_flush(Db *db)
{
	pthread_mutex_lock(&V.flush_mu);
	int64_t *ids = NULL, *counts = NULL;
	size_t n = 0;
	pthread_mutex_lock(&V.mu);
	if (V.used) {
		ids = xmalloc(V.used * sizeof *ids);
		counts = xmalloc(V.used * sizeof *counts);
		for (size_t i = 0; i < VIEWS_SLOTS; i++) {
			if (!V.slots[i].id)
				continue;
			ids[n] = V.slots[i].id;
			counts[n] = V.slots[i].count;
			n++;
		}
		memset(V.slots, 0, sizeof V.slots);
		V.used = 0;
		V.pending = 0;
	}
	pthread_mutex_unlock(&V.mu);
	Rc rc = n ? article_views_flush(db, ids, counts, n) : RC_OK;
	if (rc) {
		/* Put them back: the next flush tries again. */
		pthread_mutex_lock(&V.mu);
		for (size_t i = 0; i < n; i++)
			if (!add_locked(ids[i], counts[i]))
				V.dropped += counts[i];
		pthread_mutex_unlock(&V.mu);
	}
	free(ids);
	free(counts);
	pthread_mutex_unlock(&V.flush_mu);
	return rc;
}

int64_t views_pending(void)
{
	pthread_mutex_lock(&V.mu);
	int64_t n = V.pending;
	pthread_mutex_unlock(&V.mu);
	return n;
}

int64_t views_dropped(void)
{
	pthread_mutex_lock(&V.mu);
	int64_t n = V.dropped;
	pthread_mutex_unlock(&V.mu);
	return n;
}

void views_reset(void)
{
	pthread_mutex_lock(&V.mu);
	memset(V.slots, 0, sizeof V.slots);
	V.used = 0;
	V.pending = 0;
	V.dropped = 0;
	pthread_mutex_unlock(&V.mu);
}
