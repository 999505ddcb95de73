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
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const unsigned char *p = (const unsigned char *)b; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;
}

bool ratelimit_take(const char *bucket, const char *client, int64_t now_ms)
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
		slot->tokens = RATELIMIT_BURST;
		slot->last_ms = now_ms;
	}
	double refill = (double)(now_ms - slot->last_ms) * RATELIMIT_PER_MINUTE / 60000.0;
	if (refill > 0) {
		slot->tokens += refill;
		if (slot->tokens > RATELIMIT_BURST)
			slot->tokens = RATELIMIT_BURST;
		slot->last_ms = now_ms;
	}
	bool ok = slot->tokens >= 1.0;
	if (ok)
		slot->tokens -= 1.0;
	pthread_mutex_unlock(&lock);
	return ok;
}

void ratelimit_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}
