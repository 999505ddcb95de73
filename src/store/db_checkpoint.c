/*
 * db_checkpoint.c — see db_checkpoint.h.
 *
 * One thread, one connection, and the state of the log under one mutex:
 * a commit that leaves enough of the log uncopied marks a checkpoint due
 * (or wanted at once, past DB_CHECKPOINT_BUSY_PAGES) and signals; the
 * thread waits for the commits to pause, runs a PASSIVE checkpoint (never
 * waits for readers or the writer, copies what it can), notes how far the
 * copy got, and sleeps again.  Signals that arrive while it works merge
 * into the next round.
 */
#include "db_checkpoint.h"
#include "../base/util.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t run_mu = PTHREAD_MUTEX_INITIALIZER; /* one checkpoint at a time */
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stopping;
static bool due;    /* a checkpoint is due once the commits pause */
static bool wanted; /* ... or at once */
static long runs;
static int64_t last_commit_ms; /* util_mono_ms of the last commit */
static int64_t due_since_ms;   /* ... and of the one that made a copy due */
static int copied_frames;      /* how far the last checkpoint copied the log */
static Db *ck_db;
static int busy_pages = DB_CHECKPOINT_BUSY_PAGES, inline_pages = DB_CHECKPOINT_INLINE_PAGES;
static int64_t max_wait_ms = DB_CHECKPOINT_MAX_WAIT_MS;

/* Under mu: sleep until a checkpoint is wanted, or is due and either the
 * commits have paused for DB_CHECKPOINT_QUIET_MS (a burst of submissions
 * goes on writing only the log; the copy waits for the lull) or it has
 * been due for max_wait_ms (steady traffic never pauses that long, and
 * the log would only grow). */
static void wait_for_work(void)
{
	while (!stopping && !wanted) {
		if (!due) {
			pthread_cond_wait(&cv, &mu);
			continue;
		}
		int64_t now = util_mono_ms();
		int64_t quiet_left = DB_CHECKPOINT_QUIET_MS - (now - last_commit_ms);
		int64_t wait_left = max_wait_ms - (now - due_since_ms);
		if (quiet_left <= 0 || wait_left <= 0)
			wanted = true;
		else {
			struct timespec ts;
			util_deadline_in(&ts, quiet_left < wait_left ? quiet_left : wait_left);
			(void)pthread_cond_timedwait(&cv, &mu, &ts);
		}
	}
}

static void *checkpointer(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dv-checkpoint"); /* for top -H, perf */
	pthread_mutex_lock(&mu);
	for (;;) {
		wait_for_work();
		if (stopping)
			break;
		wanted = due = false;
		pthread_mutex_unlock(&mu);
		/* A failure (I/O, a locked file) leaves the log as it is: the next
		 * signal tries again, and the log is bounded by the inline rule. */
		int copied = 0;
		pthread_mutex_lock(&run_mu);
		Rc rc = db_checkpoint_passive(ck_db, NULL, &copied);
		pthread_mutex_unlock(&run_mu);
		pthread_mutex_lock(&mu);
		if (!rc)
			copied_frames = copied;
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
			stopping = wanted = due = false;
			copied_frames = 0;
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
	pthread_mutex_lock(&mu);
	bool background = running && !stopping;
	int inline_at = inline_pages;
	if (background) {
		/* Every commit counts for the pause, not only those that find a
		 * copy due (a log that started afresh is short for a while). */
		int64_t now = util_mono_ms();
		last_commit_ms = now;
		/* A log shorter than the last copy reached has started afresh. */
		if (frames < copied_frames)
			copied_frames = 0;
		int uncopied = frames - copied_frames;
		if (uncopied >= busy_pages) {
			wanted = true;
			pthread_cond_signal(&cv);
		} else if (uncopied >= DB_CHECKPOINT_PAGES && !due) {
			due = true;
			due_since_ms = now;
			pthread_cond_signal(&cv);
		}
	}
	pthread_mutex_unlock(&mu);
	if (!background) {
		if (frames >= DB_CHECKPOINT_PAGES)
			run(ctx, false);
	} else if (frames >= inline_at) {
		pthread_mutex_lock(&run_mu);
		run(ctx, true);
		pthread_mutex_unlock(&run_mu);
	}
}

void db_checkpoint_limits(int busy, int inline_at, int max_wait)
{
	pthread_mutex_lock(&mu);
	busy_pages = busy > 0 ? busy : DB_CHECKPOINT_BUSY_PAGES;
	inline_pages = inline_at > 0 ? inline_at : DB_CHECKPOINT_INLINE_PAGES;
	max_wait_ms = max_wait > 0 ? max_wait : DB_CHECKPOINT_MAX_WAIT_MS;
	pthread_mutex_unlock(&mu);
}
