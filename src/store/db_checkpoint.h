/*
 * db_checkpoint.h — WAL checkpoints off the commit path.
 *
 * In WAL mode every committed page is written twice: appended to the
 * write-ahead log at commit, and copied into the database file by a
 * checkpoint.  SQLite's default runs the checkpoint inside the commit
 * that takes the log past 1,000 pages, so one citizen in every few dozen
 * waits for a thousand scattered page writes and an fsync of the main
 * file (the p99 of submissions).  A server starts a checkpointer instead:
 * a thread with its own connection that commits signal when the log is
 * long, and that copies the log back off their path.
 *
 * Without a running checkpointer (tools, tests, one-shot commands) every
 * connection checkpoints after its commit as SQLite would.
 *
 * The checkpointer copies back when the commits pause, not while they
 * come.  A copy writes the changed pages to their places in the database
 * file, scattered (the tracking-code and person-key indexes take a random
 * page each per case), and syncs it: during a burst of submissions those
 * writes queued in the disk ahead of the intake log's small syncs, and the
 * citizens waited (bench/cases.sh: the disk's summed write latency 130–210
 * s a 10-second run, against 8 s with the copies held back; 1,650–2,000
 * submissions a second against 2,100–2,500).  So a log past
 * DB_CHECKPOINT_PAGES uncopied pages is copied back once no commit has come
 * for DB_CHECKPOINT_QUIET_MS, or at once past DB_CHECKPOINT_BUSY_PAGES
 * (256 MiB: some 12,000 submissions) — and a long log is the cheaper copy
 * too: an index page that many cases changed is written once.  Steady
 * traffic (bench/soak.sh: a commit every few tens of milliseconds) never
 * pauses a quarter of a second, and its log grew by 2 MiB a second, four
 * times the database in a minute and a half: so a copy due for
 * DB_CHECKPOINT_MAX_WAIT_MS (half a minute) runs anyway.  Readers find
 * recent pages in the log through its hash index, a few probes more per
 * page while it is long.
 *
 * The log is reused from its start only when a writer begins and finds it
 * wholly copied back.  Under a steady stream of commits the checkpointer
 * is always a little behind (new pages arrive while it syncs the database
 * file), so the log would grow without end: past DB_CHECKPOINT_INLINE_PAGES
 * the committing connection runs a RESTART checkpoint itself — it copies
 * the little the checkpointer has not, waits for readers to move to the
 * newest snapshot (the busy timeout), and the next write starts the log
 * afresh.  That is the back-pressure that bounds the log (512 MiB: under
 * steady traffic the copies keep up, but a log is only reused from its
 * start when wholly copied, so the file grows until this RESTART; it is
 * cut back to 64 MiB when the log starts afresh, journal_size_limit).
 */
#ifndef DANVAN_DB_CHECKPOINT_H
#define DANVAN_DB_CHECKPOINT_H

#include "db.h"

#define DB_CHECKPOINT_PAGES 1000          /* uncopied log pages that call for a checkpoint */
#define DB_CHECKPOINT_QUIET_MS 250        /* ... once commits pause this long */
#define DB_CHECKPOINT_MAX_WAIT_MS 30000   /* ... or once it has been due this long */
#define DB_CHECKPOINT_BUSY_PAGES 65536    /* ... or at once past this (256 MiB) */
#define DB_CHECKPOINT_INLINE_PAGES 131072 /* log pages past which the committer does it */

/* Start the checkpointer for the database at `path` (once per process;
 * db_checkpointer_stop at the end).  RC_OK when it already runs. */
Rc db_checkpointer_start(const char *path);
void db_checkpointer_stop(void);

/* Checkpoints run by the checkpointer since start (for tests, benches). */
long db_checkpointer_runs(void);

/* Replace DB_CHECKPOINT_BUSY_PAGES, DB_CHECKPOINT_INLINE_PAGES and
 * DB_CHECKPOINT_MAX_WAIT_MS (tests: a burst of a few thousand pages
 * instead of 256 MiB, a wait of milliseconds); 0 restores a default. */
void db_checkpoint_limits(int busy_pages, int inline_pages, int max_wait_ms);

/* After a commit left `frames` pages in the log (db_sqlite.c's WAL hook):
 * signals the checkpointer, or calls run(ctx, restart) to checkpoint on
 * the caller's connection — PASSIVE (restart false: copy what readers
 * allow, wait for no one) or RESTART (copy everything, wait for readers;
 * the log starts afresh).  A committer's RESTART waits for the
 * checkpointer's round in progress first: two checkpoints at once would
 * only make one of them fail. */
void db_checkpoint_after_commit(int frames, void (*run)(void *ctx, bool restart), void *ctx);

#endif
