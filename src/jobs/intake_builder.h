/*
 * intake_builder.h — the thread that builds cases from the intake log
 * (domain/case_intake_log.c) while a server runs.
 *
 * A public submission is acknowledged once its row in the intake log is
 * durable; the builder turns the rows into cases soon after, in batches
 * of up to INTAKE_BUILDER_BATCH: it is kicked after every committed
 * submission, and builds until the log holds nothing more to try.  It has
 * a connection to each database: the main one, whose writer it is while a
 * batch is written (its transactions are short: a batch is a few tens of
 * milliseconds), and the log, whose own group commit goes on meanwhile.
 *
 * The tracking page waits for a code still in the log (intake_builder_wait)
 * so that the citizen, redirected there, sees the case itself.
 *
 * It gives its core to the requests after every case it builds
 * (case_intake_log_build yields): in a burst of submissions a request
 * thread woken by its group commit then runs at once instead of waiting
 * out the builder's time slice, and the next group fills sooner.  It
 * keeps its ordinary priority: a lower one (nice 10, tried 2026-11-29)
 * gave the same rate, but under a saturated CPU the builder, holding the
 * main database's write lock, got so little of it that the staff's
 * writes waited seconds behind it (bench/soak.sh: the longest answer
 * 0.6 s before, 2.1 s with it).  docs/internals/cases.md has the numbers.
 *
 * Rows left at a stop (or by a crash) are built by the next start before
 * the server listens (case_intake_log_drain in server.c).
 */
#ifndef DANVAN_INTAKE_BUILDER_H
#define DANVAN_INTAKE_BUILDER_H

#include "../domain/case.h"
#include "../store/db.h"

#define INTAKE_BUILDER_BATCH 128   /* rows per group piece */
#define INTAKE_BUILDER_IDLE_MS 1000 /* look at the log anyway this often */

/* Start the thread with its own connection to `path` (once per process).
 * RC_OK when it already runs. */
Rc intake_builder_start(const char *path);
/* Finish the batch in progress and stop; what is left stays in the log. */
void intake_builder_stop(void);
/* A row was committed: build soon.  Cheap; a no-op when not running. */
void intake_builder_kick(void);
/* A build round is in progress (a burst of submissions is coming in).
 * The jobs worker leaves the look-alike comparisons until it ends: the
 * builder takes the write lock batch after batch, and the comparisons'
 * results waited for it past the busy timeout and were thrown away
 * ("duplicate suggestions failed ... database is locked" in a burst).
 * The builder kicks the worker when the round ends. */
bool intake_builder_busy(void);
/* Wait (up to ms) until a build round has ended that began after this
 * call: when it returns true, every row committed before the call has
 * been tried.  False when the builder is not running or time ran out. */
bool intake_builder_wait(int ms);
/* For a tracking code the citizen looks up and no case has: when it is
 * still waiting in the intake log, wait (up to INTAKE_SETTLE_MS) for its
 * build.  RC_OK with *out: INTAKE_ABSENT (not in the log either),
 * INTAKE_BUILT (it was, and its case exists now: look again) or
 * INTAKE_PENDING (still in the log: the citizen is told it is being
 * registered); else the database's error.  `db` is in a request's
 * transaction: a read one (read_tx) is ended and begun again around the
 * wait, so that the new snapshot shows the built case; a write one holds
 * the lock the build needs, so it does not wait (INTAKE_PENDING).  Without
 * a builder thread the rows are built here, on `db`. */
#define INTAKE_SETTLE_MS 3000
typedef enum { INTAKE_ABSENT, INTAKE_BUILT, INTAKE_PENDING } IntakeSettled;
Rc intake_builder_settle(Db *db, const char *code, bool read_tx, IntakeSettled *out);

/* case_load_public for the citizen's tracking code, through
 * intake_builder_settle when no case has it yet: RC_OK with a loaded case,
 * or RC_OK with *settled INTAKE_PENDING and `c` empty (still in the log),
 * RC_NOT_FOUND, or the database's error. */
Rc intake_builder_load_public(Db *db, const char *code, bool read_tx, Case *c,
				IntakeSettled *settled);
/* Rows built since start (for benches). */
long intake_builder_built(void);

#endif
