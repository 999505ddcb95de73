/*
 * db_checkpoint.c — see db_checkpoint.h.
 *
 * One thread, one connection, one flag under one mutex: a commit that
 * finds the log long sets the flag and signals; the thread runs a PASSIVE
 * checkpoint (never waits for readers or the writer, copies what it can)
 * and sleeps again.  Signals that arrive while it works merge into the
 * next round.
 */
#include "db_checkpoint.h"

#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t run_mu = PTHREAD_MUTEX_INITIALIZER; /* one checkpoint at a time */
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, wanted, stopping;
static long runs;
static Db *ck_db;

static void *checkpointer(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dv-checkpoint"); /* for top -H, perf */
	pthread_mutex_lock(&mu);
	for (;;) {
		while (!wanted && !stopping)
			pthread_cond_wait(&cv, &mu);
		if (stopping)
			break;
		wanted = false;
		pthread_mutex_unlock(&mu);
		/* A failure (I/O, a locked file) leaves the log as it is: the next
		 * signal tries again, and the log is bounded by the inline rule. */
		pthread_mutex_lock(&run_mu);
		(void)db_checkpoint_passive(ck_db);
		pthread_mutex_unlock(&run_mu);
		pthread_mutex_lock(&mu);
		runs++;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

Rc db_checkpointer_start(const char *path)
{
	pthread_mutex_lock(&mu);
	Rc rc = RC_OK;
	if (!running) {
		rc = db_open(&ck_db, path, 0);
		if (!rc) {
			stopping = wanted = false;
			if (pthread_create(&thread, NULL, checkpointer, NULL))
				rc = RC_INTERNAL;
			else
				running = true;
		}
		if (rc) {
			db_close(ck_db);
			ck_db = NULL;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void db_checkpointer_stop(void)
{
	pthread_mutex_lock(&mu);
	if (!running) {
		pthread_mutex_unlock(&mu);
		return;
	}
	stopping = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&mu);
	running = false;
	db_close(ck_db);
	ck_db = NULL;
	pthread_mutex_unlock(&mu);
}

long db_checkpointer_runs(void)
{
	pthread_mutex_lock(&mu);
	long n = runs;
	pthread_mutex_unlock(&mu);
	return n;
}

void db_checkpoint_after_commit(int frames, void (*run)(void *ctx, bool restart), void *ctx)
{
	if (frames < DB_CHECKPOINT_PAGES)
		return;
	pthread_mutex_lock(&mu);
	bool background = running && !stopping;
	if (background) {
		wanted = true;
		pthread_cond_signal(&cv);
	}
	pthread_mutex_unlock(&mu);
	if (!background) {
		run(ctx, false);
	} else if (frames >= DB_CHECKPOINT_INLINE_PAGES) {
		pthread_mutex_lock(&run_mu);
		run(ctx, true);
		pthread_mutex_unlock(&run_mu);
	}
}
