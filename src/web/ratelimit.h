/*
 * ratelimit.h — per-client token buckets for routes that an attacker
 * would hammer: tracking-code lookups (a code is 50 random bits; guessing
 * must stay slow), public submissions, sign-in.  Routes opt in with the
 * R_RATE_LIMIT flag; the dispatcher answers 429 when the bucket is empty.
 *
 * In memory, per process: a fixed table keyed by (route pattern, client
 * address); a full table reuses the stalest slot, so memory is bounded
 * whatever the number of clients.
 */
#ifndef DANVAN_RATELIMIT_H
#define DANVAN_RATELIMIT_H

#include "../base/util.h"

#define RATELIMIT_PER_MINUTE 30
#define RATELIMIT_BURST 15

/* Take one token; false when none is left. now_ms is monotonic. */
bool ratelimit_take(const char *bucket, const char *client, int64_t now_ms);

/* The same with a bucket of `burst` tokens refilled at `per_minute`; with
 * take = false only look (true when a token is there) — for budgets spent
 * on failures only, such as failed sign-ins from one address. */
bool ratelimit_bucket(const char *bucket, const char *client, int64_t now_ms, double burst,
		      double per_minute, bool take);
/* Give back a token taken from `bucket` (capped at burst): for a budget
 * that must be reserved before slow work (a password hash) so that
 * requests arriving together cannot all pass the check, and is only spent
 * when the work fails. */
void ratelimit_refund(const char *bucket, const char *client, double burst);
void ratelimit_reset(void); /* tests */

#endif
