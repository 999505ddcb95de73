/*
 * intake_builder.c — see intake_builder.h.
 *
 * One thread, one connection, and two round counters under one mutex:
 * `started` counts rounds begun, `finished` rounds ended.  A kick sets a
 * flag the thread sleeps on; kicks that arrive during a round merge into
 * the next one.  A round builds batch after batch until a batch comes back
 * short (the log holds nothing more to try).
 */
#include "intake_builder.h"
#include "../base/log.h"
#include "../domain/case.h"
#include "jobs.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;      /* to the thread */
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER; /* from it */
static pthread_t thread;
static bool running, kicked, stopping;
static long started, finished, built_total;
static Db *builder_db, *log_db; /* the main database; the intake log */

/* Batches until one comes back short or fails (the next round retries);
 * the rows built. */
static long build_round(void)
{
	long total = 0;
	for (;;) {
		int built = 0, failed = 0;
		Rc rc = case_intake_log_build(builder_db, log_db, INTAKE_BUILDER_BATCH, &built, &failed);
		if (rc) {
			log_warn("msg=\"intake build failed\" rc=%s error=\"%j\"", rc_name(rc),
				 db_errmsg(builder_db));
			return total;
		}
		total += built;
		pthread_mutex_lock(&mu);
		built_total += built;
		bool stop = stopping;
		pthread_mutex_unlock(&mu);
		/* New cases: their receipts to send (the request's own kick came
		 * before they existed); their look-alikes wait for the round's
		 * end (intake_builder_busy). */
		if (built)
			jobs_kick();
		if (stop || built + failed < INTAKE_BUILDER_BATCH)
			return total;
	}
}

static void *builder(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dv-intake"); /* for top -H, perf */
	pthread_mutex_lock(&mu);
	for (;;) {
		if (!kicked && !stopping) {
			struct timespec ts;
			util_deadline_in(&ts, INTAKE_BUILDER_IDLE_MS);
			while (!kicked && !stopping)
				if (pthread_cond_timedwait(&cv, &mu, &ts) == ETIMEDOUT)
					break;
		}
		if (stopping)
			break;
		kicked = false;
		long round = ++started;
		pthread_mutex_unlock(&mu);
		long built = build_round();
		pthread_mutex_lock(&mu);
		finished = round;
		pthread_cond_broadcast(&done_cv);
		if (built) { /* the look-alikes of the round's cases, now */
			pthread_mutex_unlock(&mu);
			jobs_kick();
			pthread_mutex_lock(&mu);
		}
	}
	/* Nobody waits past the stop. */
	finished = started + 1;
	pthread_cond_broadcast(&done_cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

Rc intake_builder_start(const char *path)
{
	pthread_mutex_lock(&mu);
	Rc rc = RC_OK;
	if (!running) {
		rc = db_open(&builder_db, path, 0);
		if (!rc)
			rc = case_intake_log_open(path, &log_db);
		if (!rc) {
			stopping = kicked = false;
			started = finished = built_total = 0;
			if (pthread_create(&thread, NULL, builder, NULL))
				rc = RC_INTERNAL;
			else
				running = true;
			if (!rc) /* every committed submission wakes the builder */
				case_intake_log_notify(intake_builder_kick);
		}
		if (rc) {
			db_close(builder_db);
			db_close(log_db);
			builder_db = log_db = NULL;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void intake_builder_stop(void)
{
	pthread_mutex_lock(&mu);
	if (!running) {
		pthread_mutex_unlock(&mu);
		return;
	}
	stopping = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	case_intake_log_notify(NULL);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&mu);
	running = false;
	db_close(builder_db);
	db_close(log_db);
	builder_db = log_db = NULL;
	pthread_mutex_unlock(&mu);
}

void intake_builder_kick(void)
{
	pthread_mutex_lock(&mu);
	if (running && !kicked) {
		kicked = true;
		pthread_cond_signal(&cv);
	}
	pthread_mutex_unlock(&mu);
}

bool intake_builder_busy(void)
{
	pthread_mutex_lock(&mu);
	bool busy = running && started > finished;
	pthread_mutex_unlock(&mu);
	return busy;
}

bool intake_builder_wait(int ms)
{
	pthread_mutex_lock(&mu);
	if (!running || stopping) {
		pthread_mutex_unlock(&mu);
		return false;
	}
	/* A round that begins after now sees every row committed before. */
	long want = started + 1;
	kicked = true;
	pthread_cond_signal(&cv);
	struct timespec ts;
	util_deadline_in(&ts, ms);
	while (finished < want)
		if (pthread_cond_timedwait(&done_cv, &mu, &ts) == ETIMEDOUT)
			break;
	bool ok = finished >= want && !stopping;
	pthread_mutex_unlock(&mu);
	return ok;
}

Rc intake_builder_settle(Db *db, const char *code, bool read_tx, IntakeSettled *out)
{
	*out = INTAKE_ABSENT;
	bool waiting;
	Rc rc = case_intake_log_has(db, code, &waiting);
	if (rc || !waiting)
		return rc;
	*out = INTAKE_PENDING;
	if (!read_tx)
		return RC_OK;
	/* The snapshot of the open read transaction would never show the
	 * case: end it (it wrote nothing), wait, and begin a new one. */
	bool in_tx = db_in_tx(db);
	if (in_tx && (rc = db_commit(db)))
		return rc;
	Rc build_rc = RC_OK;
	if (!intake_builder_wait(INTAKE_SETTLE_MS)) {
		pthread_mutex_lock(&mu);
		bool absent = !running;
		pthread_mutex_unlock(&mu);
		/* No builder thread (the fault-injection build): build here.  A
		 * failure leaves the rows for a later try, as the builder's do. */
		if (absent) {
			int64_t built = 0;
			build_rc = case_intake_log_drain(db, &built);
		}
	}
	if (in_tx && (rc = db_begin(db)))
		return rc;
	if (build_rc)
		return build_rc;
	if ((rc = case_intake_log_has(db, code, &waiting)))
		return rc;
	*out = waiting ? INTAKE_PENDING : INTAKE_BUILT;
	return RC_OK;
}

Rc intake_builder_load_public(Db *db, const char *code, bool read_tx, Case *c,
				IntakeSettled *settled)
{
	*settled = INTAKE_ABSENT;
	Rc rc = case_load_public(db, code, c);
	if (rc != RC_NOT_FOUND)
		return rc;
	rc = intake_builder_settle(db, code, read_tx, settled);
	if (rc)
		return rc;
	if (*settled == INTAKE_BUILT)
		return case_load_public(db, code, c);
	return *settled == INTAKE_PENDING ? RC_OK : RC_NOT_FOUND;
}

long intake_builder_built(void)
{
	pthread_mutex_lock(&mu);
	long n = built_total;
	pthread_mutex_unlock(&mu);
	return n;
}
