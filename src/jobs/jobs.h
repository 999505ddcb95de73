/*
 * jobs.h — the server's background worker: one thread that, every
 * interval, escalates newly overdue deadlines (which queue notifications),
 * and every interval and soon after each write (jobs_kick) suggests repeat
 * and duplicate links for newly received cases and delivers the e-mail
 * outbox.  It has its own database
 * connection, so it never competes with request threads for one.
 *
 * `danvan jobs run-once` (cli/cmd_jobs.c) runs the same round once, for
 * tests and for installations that prefer cron.
 */
#ifndef DANVAN_JOBS_H
#define DANVAN_JOBS_H

#include "../domain/outbox.h"

#define JOBS_DEFAULT_INTERVAL_S 60
#define JOBS_OUTBOX_BATCH 100
/* Cases per batch (one read transaction to compare, one short write):
 * at a million cases a case takes a few milliseconds to compare (500
 * candidate texts shingled), and a long read keeps checkpoints from
 * restarting the write-ahead log. */
#define JOBS_LINKS_BATCH 25
#define JOBS_LINKS_MAX_BATCHES 40 /* per round (1,000 cases), so mail is not kept waiting */
#define JOBS_KICK_GAP_MS 200     /* at most five kicked rounds a second */
#define JOBS_NICE 10             /* the worker thread's CPU priority (nice) */
#define JOBS_TRIM_S 10           /* malloc_trim at most this often in kicked rounds */

/* What one round did. */
typedef struct JobsRound {
	int escalated;   /* deadlines newly marked overdue */
	int built;       /* cases built from the intake log */
	int suggested;   /* cases whose repeat/duplicate suggestions were made */
	int sent;        /* messages delivered */
	int failed;      /* delivery attempts that did not succeed */
} JobsRound;

/* One round on `db` (no transaction open): deadline_escalate in its own
 * write transaction, case_links_suggest_pending in batches of their own,
 * then outbox_deliver.  `smtp` may be NULL or have a
 * NULL url: then nothing is sent and messages wait.  Returns the first
 * error, after still trying the other job. */
Rc jobs_round(Db *db, const SmtpConfig *smtp, JobsRound *out);

/* Start the worker thread (the strings in `smtp` are copied).  Call after
 * blocking SIGINT/SIGTERM so the thread inherits the mask.  interval_s ≤ 0
 * means JOBS_DEFAULT_INTERVAL_S.  RC_CONFLICT if already running. */
Rc jobs_start(const char *db_path, const SmtpConfig *smtp, int interval_s);
/* Ask for a round soon (after a write: a case to compare, a message to
 * send).  Cheap, never blocks; a no-op when the worker is not running. */
void jobs_kick(void);
/* Wake the worker, wait for its current round to end, join it.  Safe to
 * call when it is not running. */
void jobs_stop(void);

#endif
