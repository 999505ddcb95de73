/*
 * db_checkpoint.h — WAL checkpoints off the commit path.
 *
 * In WAL mode every committed page is written twice: appended to the
 * write-ahead log at commit, and copied into the database file by a
 * checkpoint.  SQLite's default runs the checkpoint inside the commit
 * that takes the log past 1,000 pages, so one citizen in every few dozen
 * waits for a thousand scattered page writes and an fsync of the main
 * file (the p99 of submissions).  A server starts a checkpointer instead:
 * a thread with its own connection that commits wake when the log is long
 * and that copies the log back while the writers go on.
 *
 * Without a running checkpointer (tools, tests, one-shot commands) every
 * connection checkpoints after its commit as SQLite would.
 *
 * The log is reused from its start only when a writer begins and finds it
 * wholly copied back.  Under a steady stream of commits the checkpointer
 * is always a little behind (new pages arrive while it syncs the database
 * file), so the log would grow without end: past DB_CHECKPOINT_INLINE_PAGES
 * the committing connection runs a RESTART checkpoint itself — it copies
 * the little the checkpointer has not, waits for readers to move to the
 * newest snapshot (the busy timeout), and the next write starts the log
 * afresh.  That is the back-pressure that bounds the log.
 */
#ifndef DANVAN_DB_CHECKPOINT_H
#define DANVAN_DB_CHECKPOINT_H

#include "db.h"

#define DB_CHECKPOINT_PAGES 1000        /* log pages that call for a checkpoint */
#define DB_CHECKPOINT_INLINE_PAGES 8000 /* ... past which the committer does it */

/* Start the checkpointer for the database at `path` (once per process;
 * db_checkpointer_stop at the end).  RC_OK when it already runs. */
Rc db_checkpointer_start(const char *path);
void db_checkpointer_stop(void);

/* Checkpoints run by the checkpointer since start (for tests, benches). */
long db_checkpointer_runs(void);

/* After a commit left `frames` pages in the log (db_sqlite.c's WAL hook):
 * signals the checkpointer, or calls run(ctx, restart) to checkpoint on
 * the caller's connection — PASSIVE (restart false: copy what readers
 * allow, wait for no one) or RESTART (copy everything, wait for readers;
 * the log starts afresh).  A committer's RESTART waits for the
 * checkpointer's round in progress first: two checkpoints at once would
 * only make one of them fail. */
void db_checkpoint_after_commit(int frames, void (*run)(void *ctx, bool restart), void *ctx);

#endif
