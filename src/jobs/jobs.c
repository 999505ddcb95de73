/*
 * jobs.c — see jobs.h.
 *
 * One thread, one database connection of its own (opened lazily and
 * reopened after an error), a round every interval.  Between rounds the
 * thread sleeps on a condition variable rather than in sleep(), so
 * jobs_stop wakes it at once; during a round the shared `cancel` flag
 * aborts an SMTP transfer in progress, so shutdown never waits for a dead
 * mail relay's timeouts.
 */
#include "jobs.h"
#include "../base/date.h"
#include "../base/log.h"
#include "../domain/case.h"
#include "../domain/deadline.h"
#include "intake_builder.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* One round; the escalation only when `escalate` (the worker's timed
 * rounds: a round woken by a write has only suggestions and mail to do,
 * and must not queue for the write lock with the submissions). */
static Rc round_of(Db *db, const SmtpConfig *smtp, bool escalate, JobsRound *out)
{
	memset(out, 0, sizeof *out);
	/* Escalate first: the notifications it queues then go out in this
	 * same round instead of the next one. */
	Rc first = RC_OK;
	if (escalate) {
		first = db_begin_write(db);
		if (!first)
			first = deadline_escalate(db, date_vn_from_unix(util_now()), &out->escalated);
		if (!first)
			first = db_commit(db);
		if (first) {
			db_rollback(db);
			out->escalated = 0;
			log_warn("msg=\"deadline escalation failed\" rc=%s error=\"%j\"", rc_name(first),
				 db_errmsg(db));
		}
	}
	/* Cases still in the intake log: the server's builder makes them as
	 * they come (jobs/intake_builder.h); a timed round picks up what it
	 * left, and `danvan jobs run-once` is the builder of a database no
	 * server has open.  Before the suggestions, which they queue. */
	if (escalate) {
		int64_t built = 0;
		Rc brc = case_intake_log_drain(db, &built);
		out->built = (int)built;
		if (brc) {
			log_warn("msg=\"intake build failed\" rc=%s error=\"%j\"", rc_name(brc),
				 db_errmsg(db));
			if (!first)
				first = brc;
		}
	}
	/* Suggestions for the cases received since the last round (each batch
	 * compares with reads only, then writes in a short transaction) —
	 * after a burst of submissions rather than during it
	 * (intake_builder_busy). */
	for (int batch = 0; batch < JOBS_LINKS_MAX_BATCHES && !intake_builder_busy(); batch++) {
		int done = 0;
		Rc lrc = case_links_suggest_pending(db, JOBS_LINKS_BATCH, &done);
		if (lrc) {
			log_warn("msg=\"duplicate suggestions failed\" rc=%s error=\"%j\"", rc_name(lrc),
				 db_errmsg(db));
			if (!first)
				first = lrc;
			break;
		}
		out->suggested += done;
		if (done < JOBS_LINKS_BATCH)
			break;
	}
	Rc rc = outbox_deliver(db, smtp, JOBS_OUTBOX_BATCH, &out->sent, &out->failed);
	if (rc)
		log_warn("msg=\"outbox delivery failed\" rc=%s error=\"%j\"", rc_name(rc), db_errmsg(db));
	return first ? first : rc;
}

Rc jobs_round(Db *db, const SmtpConfig *smtp, JobsRound *out)
{
	return round_of(db, smtp, true, out);
}

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	atomic_bool running; /* read by jobs_kick from request threads */
	bool stop;         /* under mu */
	bool kicked;       /* under mu: a round is wanted soon */
	atomic_bool cancel; /* read by curl's progress callback */
	int interval_s;
	char *db_path;
	char *url, *from, *user, *password;
	SmtpConfig smtp;
} J = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Once a timed round: give malloc's free memory back to the system, and
 * log where the process's memory is, so an operator (and bench/soak.sh) can
 * tell a database cache filling up to its budget (db_memory) from memory
 * handed out and never returned.  The trim matters: every worker thread
 * has its own malloc arena, and the pages a burst freed (SQLite's caches
 * shrinking back after a peak) stayed in them — the soak's RSS grew by
 * 40 MiB of free memory while what was in use stayed at ~22 MiB. */
static void trim_and_log_memory(void)
{
	malloc_trim(0);
	int64_t sqlite_now = 0, sqlite_peak = 0;
	db_memory_used(&sqlite_now, &sqlite_peak);
	struct mallinfo2 mi = mallinfo2();
	log_info("msg=memory sqlite_bytes=%lld sqlite_peak_bytes=%lld malloc_in_use_bytes=%zu"
		 " malloc_free_bytes=%zu",
		 (long long)sqlite_now, (long long)sqlite_peak, mi.uordblks + mi.hblkhd, mi.fordblks);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dv-jobs"); /* for top -H, perf */
	/* Below the request threads and the intake builder: when citizens'
	 * submissions keep the cores busy, the look-alike comparisons (a few
	 * milliseconds a case at a million) and the mail wait a little — they
	 * are queued durably — instead of slowing every answer.  On an idle
	 * machine this changes nothing. */
	util_thread_nice(JOBS_NICE);
	Db *db = NULL;
	int64_t last_escalation = 0, last_trim = 0;
	pthread_mutex_lock(&J.mu);
	while (!J.stop) {
		pthread_mutex_unlock(&J.mu);
		if (!db && db_open(&db, J.db_path, 0) != RC_OK) {
			log_error("msg=\"jobs: cannot open database\" path=\"%j\" error=\"%j\"", J.db_path,
				  db_errmsg(db));
			db_close(db);
			db = NULL;
		}
		if (db) {
			JobsRound r;
			int64_t now = util_mono_ms() / 1000;
			bool escalate = !last_escalation || now - last_escalation >= J.interval_s;
			if (escalate)
				last_escalation = now;
			Rc rc = round_of(db, &J.smtp, escalate, &r);
			if (escalate) {
				trim_and_log_memory();
				last_trim = now;
			} else if (now - last_trim >= JOBS_TRIM_S) {
				/* Between the timed rounds too: the intake builder and
				 * the request threads free pages in bursts, and a minute
				 * of them kept by malloc showed as RSS growth in the
				 * soak (+18 %, 2026-11-29). */
				malloc_trim(0);
				last_trim = now;
			}
			if (r.escalated || r.built || r.suggested || r.sent || r.failed)
				log_info("msg=\"jobs round\" escalated=%d built=%d suggested=%d sent=%d failed=%d",
					 r.escalated, r.built, r.suggested, r.sent, r.failed);
			if (rc == RC_DB || rc == RC_IO) {
				/* start the next round on a fresh connection */
				db_close(db);
				db = NULL;
			}
		}
		/* A short pause even when kicked, so that a burst of writes makes
		 * one round with a batch rather than a round per write. */
		struct timespec gap = {0, JOBS_KICK_GAP_MS * 1000000L};
		nanosleep(&gap, NULL);
		pthread_mutex_lock(&J.mu);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += J.interval_s;
		while (!J.stop && !J.kicked && pthread_cond_timedwait(&J.cv, &J.mu, &until) != ETIMEDOUT)
			; /* spurious wake-ups go back to sleep */
		J.kicked = false;
	}
	pthread_mutex_unlock(&J.mu);
	db_close(db);
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void release_config(void)
{
	free(J.db_path);
	free(J.url);
	free(J.from);
	free(J.user);
	if (J.password)
		memset(J.password, 0, strlen(J.password));
	free(J.password);
	J.db_path = J.url = J.from = J.user = J.password = NULL;
}

Rc jobs_start(const char *db_path, const SmtpConfig *smtp, int interval_s)
{
	if (!db_path)
		return RC_INVALID;
	if (atomic_load(&J.running))
		return RC_CONFLICT;
	J.db_path = xstrdup(db_path);
	J.url = dup_or_null(smtp ? smtp->url : NULL);
	J.from = dup_or_null(smtp ? smtp->from : NULL);
	J.user = dup_or_null(smtp ? smtp->user : NULL);
	J.password = dup_or_null(smtp ? smtp->password : NULL);
	J.smtp = (SmtpConfig){J.url, J.from, J.user, J.password, smtp ? smtp->timeout_s : 0,
			      &J.cancel};
	J.interval_s = interval_s > 0 ? interval_s : JOBS_DEFAULT_INTERVAL_S;
	J.stop = false;
	atomic_store(&J.cancel, false);

	/* The wait is measured on the monotonic clock: a wall-clock jump
	 * (NTP, an administrator) must not stall or hurry the jobs. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int err = pthread_cond_init(&J.cv, &ca);
	pthread_condattr_destroy(&ca);
	if (!err && (err = pthread_create(&J.thread, NULL, worker, NULL)) != 0)
		pthread_cond_destroy(&J.cv);
	if (err) {
		release_config();
		return RC_INTERNAL;
	}
	atomic_store(&J.running, true);
	if (!J.url)
		log_info("msg=\"jobs started; e-mail delivery disabled (no smtp_url)\" interval_s=%d",
			 J.interval_s);
	else
		log_info("msg=\"jobs started\" interval_s=%d", J.interval_s);
	return RC_OK;
}

void jobs_kick(void)
{
	/* running is checked under the mutex: jobs_stop clears it there
	 * before it destroys the condition variable */
	pthread_mutex_lock(&J.mu);
	if (atomic_load(&J.running)) {
		J.kicked = true;
		pthread_cond_signal(&J.cv);
	}
	pthread_mutex_unlock(&J.mu);
}

void jobs_stop(void)
{
	if (!atomic_load(&J.running))
		return;
	pthread_mutex_lock(&J.mu);
	J.stop = true;
	atomic_store(&J.running, false); /* no kick touches cv after this */
	atomic_store(&J.cancel, true);
	pthread_cond_signal(&J.cv);
	pthread_mutex_unlock(&J.mu);
	pthread_join(J.thread, NULL);
	pthread_cond_destroy(&J.cv);
	release_config();
}
