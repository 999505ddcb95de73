/*
 * ratelimit.c — see ratelimit.h.  Token bucket: RATELIMIT_BURST tokens,
 * refilled at RATELIMIT_PER_MINUTE per minute.
 */
#include "ratelimit.h"

#include <pthread.h>

#define SLOTS 4096
#define PROBE 8

typedef struct Slot {
	uint64_t key;     /* hash of bucket + client; 0 = empty */
	double tokens;
	int64_t last_ms;
} Slot;

static Slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash2(const char *a, const char *b)
{
	uint64_t h = util_hash_bytes(UTIL_HASH_INIT, a, strlen(a));
	h = util_hash_bytes(h, "\xff", 1); /* a byte no UTF-8 text holds */
	h = util_hash_bytes(h, b, strlen(b));
	return h ? h : 1;
}

bool ratelimit_take(const char *bucket, const char *client, int64_t now_ms)
{
	return ratelimit_bucket(bucket, client, now_ms, RATELIMIT_BURST, RATELIMIT_PER_MINUTE, true);
}

bool ratelimit_bucket(const char *bucket, const char *client, int64_t now_ms, double burst,
		      double per_minute, bool take)
{
	uint64_t key = hash2(bucket ? bucket : "", client ? client : "");
	size_t base = (size_t)(key % SLOTS);
	pthread_mutex_lock(&lock);
	Slot *slot = NULL, *stalest = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		Slot *s = &slots[(base + i) % SLOTS];
		if (s->key == key) {
			slot = s;
			break;
		}
		if (!stalest || s->key == 0 || s->last_ms < stalest->last_ms)
			stalest = s;
	}
	if (!slot) {
		slot = stalest;
		slot->key = key;
		slot->tokens = burst;
		slot->last_ms = now_ms;
	}
	double refill = (double)(now_ms - slot->last_ms) * per_minute / 60000.0;
	if (refill > 0) {
		slot->tokens += refill;
		if (slot->tokens > burst)
			slot->tokens = burst;
		slot->last_ms = now_ms;
	}
	bool ok = slot->tokens >= 1.0;
	if (ok && take)
		slot->tokens -= 1.0;
	pthread_mutex_unlock(&lock);
	return ok;
}

void ratelimit_refund(const char *bucket, const char *client, double burst)
{
	uint64_t key = hash2(bucket ? bucket : "", client ? client : "");
	size_t base = (size_t)(key % SLOTS);
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PROBE; i++) {
		Slot *s = &slots[(base + i) % SLOTS];
		if (s->key == key) {
			s->tokens = s->tokens + 1.0 > burst ? burst : s->tokens + 1.0;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

void ratelimit_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}
