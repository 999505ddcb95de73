/*
 * db.h — the driver-neutral database API.  Nothing outside src/store/
 * calls sqlite3_* (or PQ*): domain code speaks only this.
 *
 * Model: one Db is one connection, used by one thread at a time (the web
 * server keeps one per worker thread).  Statements are prepared through a
 * per-connection cache keyed by the SQL text, so `db_prep` on a hot path
 * costs a hash lookup; `db_done` returns the statement to the cache.  SQL
 * is always a string literal with `?` placeholders: values are bound,
 * never spliced (the build's codecheck enforces literal SQL).
 *
 *   DbStmt *st;
 *   if (db_prep(db, &st, "SELECT name FROM unit WHERE code = ?", "t", code))
 *           return RC_DB;
 *   while (db_step(st) == DB_ROW)
 *           use(db_col_text(st, 0));   // borrowed until the next step
 *   db_done(st);
 *
 * Bind type letters for db_prep/db_bind: 'i' int, 'l' int64_t, 't' const
 * char * (NULL binds NULL), 'b' blob (const void *, int length: two
 * arguments), 'n' NULL (no argument).
 *
 * Errors: functions return Rc (RC_OK, RC_BUSY when the database stayed
 * locked past the busy timeout, RC_CONFLICT on a constraint violation,
 * RC_DB otherwise); db_errmsg() tells why.  db_step returns DB_ROW,
 * DB_DONE, or a negative -Rc.
 */
#ifndef DANVAN_DB_H
#define DANVAN_DB_H

#include "../base/util.h"
#include "../base/buf.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;

enum { DB_ROW = 1, DB_DONE = 2 };

enum {
	DB_OPEN_READONLY = 1, /* no writes; the file must exist */
	DB_OPEN_CREATE = 2,   /* create the file if missing */
	/* checkpoints as SQLite does them (inside the commit past 1,000 log
	 * pages), not by the process's checkpointer: for a small database
	 * beside the main one (the intake log), whose checkpoints are cheap */
	DB_OPEN_AUTOCHECKPOINT = 4,
};

/* Open `path` (a SQLite file; later "postgres://…" picks libpq).  Sets
 * WAL, foreign keys, busy timeout and synchronous=FULL. */
Rc db_open(Db **out, const char *path, int flags);
void db_close(Db *db); /* NULL-safe; finalizes the cache */
const char *db_errmsg(Db *db);
const char *db_path(Db *db);

Rc db_prep(Db *db, DbStmt **out, const char *sql, const char *types, ...);
Rc db_bind(DbStmt *st, const char *types, ...); /* rebinds from index 1 */
/* What the last failed db_prep on this connection returned (RC_BUSY for a
 * locked database, …), for callers that wrote `if (db_prep(…)) return …`. */
Rc db_prep_rc(Db *db);
int db_step(DbStmt *st);
void db_done(DbStmt *st); /* reset, clear bindings, back to the cache */

int64_t db_col_int(DbStmt *st, int col);
const char *db_col_text(DbStmt *st, int col); /* never NULL: "" for NULL */
const void *db_col_blob(DbStmt *st, int col);
int db_col_bytes(DbStmt *st, int col);
bool db_col_null(DbStmt *st, int col);
int db_col_count(DbStmt *st);

/* Run one statement with bound values to completion (no rows wanted). */
Rc db_run(Db *db, const char *sql, const char *types, ...);
/* One integer from the first row's first column; RC_NOT_FOUND if no row. */
Rc db_get_int(Db *db, int64_t *out, const char *sql, const char *types, ...);
/* One text (malloc'd copy) from the first row; RC_NOT_FOUND if no row. */
Rc db_get_text(Db *db, char **out, const char *sql, const char *types, ...);
/* Several ;-separated statements without parameters (DDL, pragmas). */
Rc db_exec_script(Db *db, const char *sql);

/* Transactions.  db_begin is deferred (reads); db_begin_write takes the
 * write lock at once (BEGIN IMMEDIATE) so a writer never fails half-way on
 * SQLITE_BUSY upgrade. Nested calls are an error. */
Rc db_begin(Db *db);
Rc db_begin_write(Db *db);
Rc db_commit(Db *db);
Rc db_rollback(Db *db); /* safe to call with no transaction open */
bool db_in_tx(Db *db);

/* Deferred writes, for group commit (db_group.c).  A write that every
 * piece of a batch makes to the same structure — a row of the full-text
 * index — is cheaper made once for all of them at the end: FTS5 writes
 * its pending rows out as a new index segment at every savepoint, so a
 * row added inside each piece's savepoint costs a segment per piece.
 *
 * db_run_deferred runs `sql` (a literal, bound to id and text) at once,
 * unless the connection is deferring (db_defer_begin): then it is kept
 * and run by db_defer_flush, in order, before the commit.  db_defer_mark
 * and db_defer_drop forget what a piece that failed had asked for;
 * db_defer_end (and db_rollback) forget everything and stop deferring. */
Rc db_run_deferred(Db *db, const char *sql, int64_t id, const char *text);
void db_defer_begin(Db *db);
size_t db_defer_mark(Db *db);
void db_defer_drop(Db *db, size_t mark);
Rc db_defer_flush(Db *db);
void db_defer_end(Db *db);
/* The end of a deferring write transaction: when rc is RC_OK, run the
 * deferred writes and commit; on any failure (rc, or of those) roll back.
 * Returns what failed first, or RC_OK when the commit is durable. */
Rc db_defer_commit(Db *db, Rc rc);

/* The memory SQLite holds for the whole process (page caches of every
 * connection together): the first call sets aside an arena of this many
 * bytes that all page caches draw from, and caps the rest with a soft
 * limit.  Near it, a connection reuses its least recently used pages
 * instead of growing, so the server's memory levels off however many
 * workers it runs and however large the database grows.  Pages it gives
 * up are read again from the OS's file cache.  Call it before the first
 * db_open for the arena to apply. */
void db_memory_limit(int64_t bytes);
/* SQLite's memory in use now and at its highest, for the whole process. */
void db_memory_used(int64_t *now, int64_t *peak);

/* Copy what the write-ahead log holds into the database file, as far as
 * readers allow, without waiting for anyone (db_checkpoint.h).  Sets the
 * frames in the log and how many of them are now copied (either may be
 * NULL). */
Rc db_checkpoint_passive(Db *db, int *log_frames, int *copied_frames);

int64_t db_last_id(Db *db);
int64_t db_changes(Db *db);

/* Consistent online copy to `dest` (SQLite backup API), safe while other
 * connections write. */
Rc db_backup(Db *db, const char *dest);
/* integrity_check + foreign_key_check; problems appended to `report`.
 * RC_OK only when the database is sound. */
Rc db_integrity(Db *db, Buf *report);

/* Fault injection for tests (no-op unless built with -DDANVAN_FAULTS):
 * make the Nth subsequent db call fail with `rc`. */
void db_fault_set(long nth, Rc rc);

#endif
