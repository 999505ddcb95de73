/*
 * db_group.h — group commit: writes that arrive together share one
 * write transaction and one durable commit.
 *
 * A durable commit costs an fsync and every page the write touched, and
 * a citizen's submission touches some fifty (the case, its nine indexes,
 * the search index, its event, deadline and audit rows).  Many
 * submissions arriving at once mostly touch the same pages — the ends of
 * the date and id indexes, one new search-index segment — so committing
 * them together writes far less than committing each alone.
 *
 * How: the first caller to find no batch running becomes the leader.  It
 * takes every waiting piece of work (its own first), runs each in a
 * savepoint of one write transaction on its own connection, commits, and
 * wakes the others with their results; those that arrived meanwhile form
 * the next batch.  A piece of work that fails is rolled back to its
 * savepoint alone; a failed commit fails the whole batch.  No caller
 * hears "done" before the commit that made its work durable.
 *
 * The connection: one of the group's own (db_group_open), used by one
 * leader at a time.  Every batch on the same connection keeps its page
 * cache warm; a different connection per batch would find its cache
 * stale after each other connection's commit and read the pages again.
 * Without db_group_open the leader uses the connection it was given.
 *
 * The work runs on the leader's thread and that connection: it must use
 * only the `db` it is given and memory that stays valid while its caller
 * waits (the caller is blocked until the batch ends), and must not begin
 * or end transactions itself.
 */
#ifndef DANVAN_DB_GROUP_H
#define DANVAN_DB_GROUP_H

#include "db.h"

#define DB_GROUP_MAX 64 /* pieces of work per transaction */

typedef Rc (*DbGroupWork)(Db *db, void *arg);

/* Open the group's connection to the database at `path` (a server or a
 * bench calls it once at start; db_group_close at the end). */
Rc db_group_open(const char *path);
void db_group_close(void);

/* Run work(db', arg) in the next group transaction, where db' is the
 * group's connection (or this caller's `db` when it leads and there is
 * none).  `db` must have
 * no transaction open.  Returns the work's result, or the commit's error
 * when the batch could not be committed. */
Rc db_group_run(Db *db, DbGroupWork work, void *arg);

/* Other databases' groups (the intake log's: domain/case_intake_log.c):
 * the same on a DbGroup of their own, with its own connection to `path`
 * (opened with db_open's `flags`: a side database's group must use the
 * same as its other connections, DB_OPEN_AUTOCHECKPOINT).
 * db_group_run_in's `db` is used only if the group has no connection. */
typedef struct DbGroup DbGroup;
Rc db_group_create(const char *path, int flags, DbGroup **out);
void db_group_destroy(DbGroup *g); /* NULL-safe; waits for a batch running */
Rc db_group_run_in(DbGroup *g, Db *db, DbGroupWork work, void *arg);
void db_group_stats_in(DbGroup *g, long *batches, long *works);

/* Batches committed and pieces of work run since start (for benches). */
void db_group_stats(long *batches, long *works);

#endif
