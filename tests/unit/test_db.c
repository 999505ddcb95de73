/*
 * test_db.c — the database layer (store/db.h on SQLite) and the migrations
 * that run on it.
 *
 * Every test works on files in one mkdtemp directory removed at the end, so
 * the suite runs in parallel with others and leaves nothing behind.  The
 * backup test runs a writer thread on its own connection, because the point
 * of the online backup is to be consistent while someone else writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/schema.h"
#include "testdir.h"

static Db *open_new(const char *name)
{
	char path[256];
	testdir_path(path, sizeof path, name);
	Db *db = NULL;
	Rc rc = db_open(&db, path, DB_OPEN_CREATE);
	if (rc)
		fail_msg("db_open %s: %s", path, db_errmsg(NULL));
	return db;
}

static int64_t count_rows(Db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, sql, ""), RC_OK);
	return n;
}

static int group_setup(void **state)
{
	return testdir_make("db");
}

static int group_teardown(void **state)
{
	testdir_remove();
	return 0;
}

/* ---- migrations ---------------------------------------------------------- */

static void test_migrate(void **state)
{
	Db *db = open_new("migrate.db");
	int applied = -1, version = -1;
	assert_int_equal(schema_version(db, &version), RC_OK);
	assert_int_equal(version, 0);
	assert_int_equal(schema_migrate(db, &applied), RC_OK);
	assert_int_equal(applied, schema_latest());
	assert_true(schema_latest() >= 1);
	/* Idempotent: a second run finds nothing to do. */
	assert_int_equal(schema_migrate(db, &applied), RC_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(schema_version(db, &version), RC_OK);
	assert_int_equal(version, schema_latest());
	assert_false(db_in_tx(db));

	Buf report = BUF_INIT;
	assert_int_equal(db_integrity(db, &report), RC_OK);
	assert_string_equal(buf_cstr(&report), "");
	buf_release(&report);
	db_close(db);
}

static void test_audit_append_only(void **state)
{
	Db *db = open_new("audit.db");
	assert_int_equal(schema_migrate(db, NULL), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO audit (at, actor, action, object_type, prev_hash, hash)"
				" VALUES (?, ?, ?, ?, ?, ?)", "lttttt",
				(int64_t)1700000000, "admin", "login", "user", "", "h1"), RC_OK);
	assert_int_equal(db_run(db, "UPDATE audit SET actor = ?", "t", "mallory"), RC_CONFLICT);
	assert_non_null(strstr(db_errmsg(db), "append-only"));
	assert_int_equal(db_run(db, "DELETE FROM audit", ""), RC_CONFLICT);
	assert_non_null(strstr(db_errmsg(db), "append-only"));

	char *actor = NULL;
	assert_int_equal(db_get_text(db, &actor, "SELECT actor FROM audit WHERE id = ?", "i", 1), RC_OK);
	assert_string_equal(actor, "admin");
	free(actor);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM audit"), 1);
	db_close(db);
}

/* ---- binding and columns ------------------------------------------------ */

static void test_bind_types(void **state)
{
	Db *db = open_new("types.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (i INTEGER, l INTEGER, s TEXT, s2 TEXT,"
					    " b BLOB, b2 BLOB, n);"), RC_OK);
	static const unsigned char blob[5] = {0x00, 0xff, 0x10, 0x00, 0x7f};
	int64_t big = (int64_t)1 << 40;
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", "ilttbbn",
				-7, big, "Hà Nội", (const char *)NULL, (const void *)blob, 5,
				(const void *)NULL, 0), RC_OK);
	assert_int_equal(db_last_id(db), 1);
	assert_int_equal(db_changes(db), 1);

	DbStmt *st;
	assert_int_equal(db_prep(db, &st, "SELECT i, l, s, s2, b, b2, n FROM t", ""), RC_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_count(st), 7);
	assert_int_equal(db_col_int(st, 0), -7);
	assert_true(db_col_int(st, 1) == big);
	assert_string_equal(db_col_text(st, 2), "Hà Nội");
	assert_false(db_col_null(st, 2));
	assert_true(db_col_null(st, 3));
	assert_string_equal(db_col_text(st, 3), ""); /* never NULL */
	assert_int_equal(db_col_bytes(st, 4), 5);
	assert_memory_equal(db_col_blob(st, 4), blob, 5);
	assert_true(db_col_null(st, 5));
	assert_true(db_col_null(st, 6));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* An empty but non-NULL blob stays a blob. */
	assert_int_equal(db_run(db, "INSERT INTO t (b) VALUES (?)", "b", (const void *)"", 0), RC_OK);
	char *type = NULL;
	assert_int_equal(db_get_text(db, &type, "SELECT typeof(b) FROM t WHERE rowid = ?", "l",
				     db_last_id(db)), RC_OK);
	assert_string_equal(type, "blob");
	free(type);

	/* db_bind rebinds a statement that has already been stepped. */
	assert_int_equal(db_prep(db, &st, "SELECT ? * 2", "i", 1), RC_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_int_equal(db_bind(st, "i", 21), RC_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 42);
	db_done(st);

	/* Mistakes are reported, not guessed around. */
	st = (DbStmt *)&st;
	assert_int_equal(db_prep(db, &st, "SELECT ?", ""), RC_DB);
	assert_null(st);
	assert_int_equal(db_prep(db, &st, "SELECT ?", "x", 1), RC_DB);
	assert_int_equal(db_prep(db, &st, "SELECT 1; SELECT 2", ""), RC_DB);
	assert_int_equal(db_prep(db, &st, "SELEKT 1", ""), RC_DB);
	assert_non_null(strstr(db_errmsg(db), "syntax"));
	assert_int_equal(db_prep(db, &st, "SELECT 1;", ""), RC_OK); /* a trailing ; is fine */
	db_done(st);
	db_close(db);
}

static void test_get_not_found(void **state)
{
	Db *db = open_new("notfound.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (k TEXT, v INTEGER)"), RC_OK);
	int64_t v = 99;
	assert_int_equal(db_get_int(db, &v, "SELECT v FROM t WHERE k = ?", "t", "x"), RC_NOT_FOUND);
	assert_int_equal(v, 99); /* untouched */
	char *s = (char *)"junk";
	assert_int_equal(db_get_text(db, &s, "SELECT k FROM t WHERE v = ?", "i", 1), RC_NOT_FOUND);
	assert_null(s);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?, ?)", "ti", "x", 5), RC_OK);
	assert_int_equal(db_get_int(db, &v, "SELECT v FROM t WHERE k = ?", "t", "x"), RC_OK);
	assert_int_equal(v, 5);
	db_close(db);
}

static void test_conflict(void **state)
{
	Db *db = open_new("conflict.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE u (k TEXT NOT NULL UNIQUE)"), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO u VALUES (?)", "t", "a"), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO u VALUES (?)", "t", "a"), RC_CONFLICT);
	assert_non_null(strstr(db_errmsg(db), "UNIQUE"));
	assert_int_equal(db_run(db, "INSERT INTO u VALUES (?)", "n"), RC_CONFLICT);
	/* The statement went back to the cache in a usable state. */
	assert_int_equal(db_run(db, "INSERT INTO u VALUES (?)", "t", "b"), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM u"), 2);
	db_close(db);
}

/* ---- transactions -------------------------------------------------------- */

static void test_transactions(void **state)
{
	Db *db = open_new("tx.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (v INTEGER)"), RC_OK);
	assert_false(db_in_tx(db));
	assert_int_equal(db_rollback(db), RC_OK); /* no-op without a transaction */
	assert_int_not_equal(db_commit(db), RC_OK);

	assert_int_equal(db_begin_write(db), RC_OK);
	assert_true(db_in_tx(db));
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 1), RC_OK);
	assert_int_equal(db_rollback(db), RC_OK);
	assert_false(db_in_tx(db));
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 0);

	assert_int_equal(db_begin(db), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 2), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_false(db_in_tx(db));
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 1);

	/* Nested begins are refused and leave the outer transaction alone. */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 3), RC_OK);
	assert_int_not_equal(db_begin(db), RC_OK);
	assert_int_not_equal(db_begin_write(db), RC_OK);
	assert_non_null(strstr(db_errmsg(db), "nested"));
	assert_true(db_in_tx(db));
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 2);
	db_close(db);
}

/* A deferred transaction that read an old snapshot cannot upgrade to a
 * writer: SQLite answers BUSY at once (no busy wait), mapped to RC_BUSY. */
static void test_busy_snapshot(void **state)
{
	char path[256];
	testdir_path(path, sizeof path, "busy.db");
	Db *a = open_new("busy.db"), *b = NULL;
	assert_int_equal(db_open(&b, path, 0), RC_OK);
	assert_int_equal(db_exec_script(a, "CREATE TABLE t (v INTEGER)"), RC_OK);

	assert_int_equal(db_begin(a), RC_OK);
	assert_int_equal(count_rows(a, "SELECT count(*) FROM t"), 0);
	assert_int_equal(db_run(b, "INSERT INTO t VALUES (?)", "i", 1), RC_OK);
	assert_int_equal(count_rows(a, "SELECT count(*) FROM t"), 0); /* snapshot */
	assert_int_equal(db_run(a, "INSERT INTO t VALUES (?)", "i", 2), RC_BUSY);
	assert_int_equal(db_rollback(a), RC_OK);
	assert_int_equal(count_rows(a, "SELECT count(*) FROM t"), 1);
	db_close(b);
	db_close(a);
}

/* ---- statement cache ----------------------------------------------------- */

static void test_cache(void **state)
{
	Db *db = open_new("cache.db");
	DbStmt *s1, *s2, *s3;
	assert_int_equal(db_prep(db, &s1, "SELECT ? + 1", "i", 1), RC_OK);
	db_done(s1);

	/* Same text at another address: same cached statement. */
	char *copy = xstrdup("SELECT ? + 1");
	assert_int_equal(db_prep(db, &s2, copy, "i", 10), RC_OK);
	assert_ptr_equal(s1, s2);

	/* While s2 is out, the same SQL gets its own statement. */
	assert_int_equal(db_prep(db, &s3, "SELECT ? + 1", "i", 100), RC_OK);
	assert_ptr_not_equal(s2, s3);
	assert_int_equal(db_step(s2), DB_ROW);
	assert_int_equal(db_step(s3), DB_ROW);
	assert_int_equal(db_col_int(s2, 0), 11);
	assert_int_equal(db_col_int(s3, 0), 101);
	db_done(s3);
	db_done(s2);
	free(copy);

	/* Bindings were cleared and the cached one comes back. */
	assert_int_equal(db_prep(db, &s1, "SELECT ? + 1", "i", 2), RC_OK);
	assert_ptr_equal(s1, s2);
	assert_int_equal(db_step(s1), DB_ROW);
	assert_int_equal(db_col_int(s1, 0), 3);
	db_done(s1);

	/* More distinct statements than the cache holds: eviction keeps
	 * everything working, including a statement held across it. */
	DbStmt *held;
	assert_int_equal(db_prep(db, &held, "SELECT ? * 3", "i", 5), RC_OK);
	for (int i = 0; i < 600; i++) {
		char sql[64];
		xsnprintf(sql, sizeof sql, "SELECT %d + ?", i);
		int64_t v = -1;
		assert_int_equal(db_get_int(db, &v, sql, "i", 1), RC_OK);
		assert_int_equal(v, i + 1);
	}
	assert_int_equal(db_step(held), DB_ROW);
	assert_int_equal(db_col_int(held, 0), 15);
	db_done(held);
	db_close(db);
}

/* ---- backup under concurrent writes -------------------------------------- */

enum { BATCH = 5 }; /* rows per writer transaction */

static int64_t checksum(int64_t id, int64_t v)
{
	return (id * 1000003 + v * 31) % 2147483647;
}

typedef struct Writer {
	char path[256];
	atomic_int stop;
	atomic_int txs;
	Rc err;
	char errmsg[256];
} Writer;

static void *writer_main(void *arg)
{
	Writer *w = arg;
	Db *db = NULL;
	Rc rc = db_open(&db, w->path, 0);
	char pad[200];
	memset(pad, 'x', sizeof pad);
	while (!rc && !atomic_load(&w->stop)) {
		int64_t next = 0;
		if ((rc = db_begin_write(db)))
			break;
		rc = db_get_int(db, &next, "SELECT coalesce(max(id), 0) + 1 FROM r", "");
		for (int k = 0; !rc && k < BATCH; k++) {
			int64_t id = next + k, v = (id * 7919) % 1000003;
			rc = db_run(db, "INSERT INTO r (id, v, chk, pad) VALUES (?, ?, ?, ?)", "lllb",
				    id, v, checksum(id, v), (const void *)pad, (int)sizeof pad);
		}
		if (!rc)
			rc = db_commit(db);
		if (rc)
			break;
		atomic_fetch_add(&w->txs, 1);
	}
	if (rc && db) {
		const char *m = db_errmsg(db);
		size_t n = strlen(m) < sizeof w->errmsg - 1 ? strlen(m) : sizeof w->errmsg - 1;
		memcpy(w->errmsg, m, n);
		w->errmsg[n] = 0;
		db_rollback(db);
	}
	w->err = rc;
	db_close(db);
	return NULL;
}

static void wait_txs(Writer *w, int n)
{
	struct timespec ts = {0, 1000000};
	for (int i = 0; i < 20000 && atomic_load(&w->txs) < n && !w->err; i++)
		nanosleep(&ts, NULL);
}

static void check_backup(const char *path, int64_t lo, int64_t hi)
{
	Db *b = NULL;
	assert_int_equal(db_open(&b, path, 0), RC_OK);
	Buf report = BUF_INIT;
	Rc rc = db_integrity(b, &report);
	if (rc)
		fail_msg("backup integrity: %s", buf_cstr(&report));
	buf_release(&report);

	int64_t n = count_rows(b, "SELECT count(*) FROM r");
	assert_in_range(n, lo, hi);
	assert_int_equal(n % BATCH, 0); /* whole transactions only */
	assert_int_equal(count_rows(b, "SELECT coalesce(max(id), 0) FROM r"), n); /* a prefix */
	DbStmt *st;
	int64_t seen = 0;
	assert_int_equal(db_prep(b, &st, "SELECT id, v, chk FROM r ORDER BY id", ""), RC_OK);
	while (db_step(st) == DB_ROW) {
		assert_int_equal(db_col_int(st, 2), checksum(db_col_int(st, 0), db_col_int(st, 1)));
		seen++;
	}
	db_done(st);
	assert_int_equal(seen, n);
	db_close(b);
}

static void test_backup_concurrent(void **state)
{
	Db *db = open_new("live.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE r (id INTEGER PRIMARY KEY, v INTEGER NOT NULL,"
					    " chk INTEGER NOT NULL, pad BLOB)"), RC_OK);
	/* Some bulk first, so the copy takes long enough to overlap writes. */
	char pad[200];
	memset(pad, 'y', sizeof pad);
	assert_int_equal(db_begin_write(db), RC_OK);
	for (int64_t id = 1; id <= 4000; id++) {
		int64_t v = (id * 7919) % 1000003;
		assert_int_equal(db_run(db, "INSERT INTO r (id, v, chk, pad) VALUES (?, ?, ?, ?)", "lllb",
					id, v, checksum(id, v), (const void *)pad, (int)sizeof pad), RC_OK);
	}
	assert_int_equal(db_commit(db), RC_OK);

	Writer w = {0};
	testdir_path(w.path, sizeof w.path, "live.db");
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
	wait_txs(&w, 3);

	char dest[256], tmp[300];
	testdir_path(dest, sizeof dest, "backups/live-copy.db");
	xsnprintf(tmp, sizeof tmp, "%s.tmp", dest);
	int64_t before = count_rows(db, "SELECT count(*) FROM r");
	Rc rc = db_backup(db, dest);
	int64_t after = count_rows(db, "SELECT count(*) FROM r");
	if (rc)
		fail_msg("db_backup: %s", db_errmsg(db));
	assert_true(before >= 4000 + 3 * BATCH);
	assert_int_equal(access(tmp, F_OK), -1); /* the temp file was renamed */
	check_backup(dest, before, after);

	/* A second copy over the first one, still under writes. */
	wait_txs(&w, atomic_load(&w.txs) + 3);
	before = count_rows(db, "SELECT count(*) FROM r");
	rc = db_backup(db, dest);
	after = count_rows(db, "SELECT count(*) FROM r");
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	if (w.err)
		fail_msg("writer: %s: %s", rc_name(w.err), w.errmsg);
	if (rc)
		fail_msg("db_backup: %s", db_errmsg(db));
	check_backup(dest, before, after);
	db_close(db);
}

/* ---- integrity, read-only, open ------------------------------------------ */

static void test_integrity(void **state)
{
	Db *db = open_new("integrity.db");
	assert_int_equal(db_exec_script(db,
		"CREATE TABLE p (id INTEGER PRIMARY KEY);"
		"CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));"
		"INSERT INTO p VALUES (1);"
		"INSERT INTO c VALUES (1, 1);"), RC_OK);
	Buf report = BUF_INIT;
	assert_int_equal(db_integrity(db, &report), RC_OK);
	assert_string_equal(buf_cstr(&report), "");

	/* Foreign keys are enforced... */
	assert_int_equal(db_run(db, "INSERT INTO c VALUES (?, ?)", "ii", 2, 42), RC_CONFLICT);
	/* ...so an orphan can only come from outside (or with them off). */
	assert_int_equal(db_exec_script(db, "PRAGMA foreign_keys=OFF;"
					    "INSERT INTO c VALUES (3, 77);"
					    "PRAGMA foreign_keys=ON;"), RC_OK);
	assert_int_equal(db_integrity(db, &report), RC_DB);
	assert_non_null(strstr(buf_cstr(&report), "foreign key: c row 3"));
	buf_release(&report);
	db_close(db);
}

static void test_readonly(void **state)
{
	char path[256];
	testdir_path(path, sizeof path, "ro.db");
	Db *db = open_new("ro.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (7);"), RC_OK);
	db_close(db);

	assert_int_equal(db_open(&db, path, DB_OPEN_READONLY), RC_OK);
	int64_t v = 0;
	assert_int_equal(db_get_int(db, &v, "SELECT v FROM t", ""), RC_OK);
	assert_int_equal(v, 7);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 8), RC_DB);
	assert_non_null(strstr(db_errmsg(db), "readonly"));
	assert_int_not_equal(db_exec_script(db, "CREATE TABLE u (x)"), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 1);
	db_close(db);
}

static void test_open_errors(void **state)
{
	char path[256];
	Db *db = (Db *)&db;
	testdir_path(path, sizeof path, "missing.db");
	assert_int_not_equal(db_open(&db, path, 0), RC_OK);
	assert_null(db);
	assert_non_null(strstr(db_errmsg(NULL), "missing.db"));
	assert_int_not_equal(db_open(&db, path, DB_OPEN_READONLY), RC_OK);
	assert_int_equal(access(path, F_OK), -1); /* neither created it */

	/* CREATE makes the missing parent directory (one level). */
	testdir_path(path, sizeof path, "var/new.db");
	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE), RC_OK);
	assert_string_equal(db_path(db), path);
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (v)"), RC_OK);
	char *mode = NULL;
	assert_int_equal(db_get_text(db, &mode, "PRAGMA journal_mode", ""), RC_OK);
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(count_rows(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(count_rows(db, "PRAGMA synchronous"), 2); /* FULL */
	db_close(db);
	assert_int_equal(access(path, F_OK), 0);
	db_close(NULL);
}

static void test_fts5(void **state)
{
	Db *db = open_new("fts.db");
	assert_int_equal(db_exec_script(db, "CREATE VIRTUAL TABLE doc USING fts5(body)"), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO doc (body) VALUES (?)", "t", "ha noi thu do"), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO doc (body) VALUES (?)", "t", "da nang"), RC_OK);
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM doc WHERE doc MATCH ?", "t", "noi"), RC_OK);
	assert_int_equal(n, 1);
	db_close(db);
}

/* ---- fault injection ---------------------------------------------------- */

static void test_faults(void **state)
{
	Db *db = open_new("faults.db");
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (v INTEGER)"), RC_OK);
#ifdef DANVAN_FAULTS
	db_fault_set(2, RC_BUSY);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 1), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 2), RC_BUSY);
	assert_string_equal(db_errmsg(db), "injected fault");
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 3), RC_OK);

	/* A failed commit leaves the transaction open for the rollback. */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 4), RC_OK);
	db_fault_set(1, RC_IO);
	assert_int_equal(db_commit(db), RC_IO);
	assert_true(db_in_tx(db));
	assert_int_equal(db_rollback(db), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 2);

	/* Steps count too: prep is call 1, the step call 2. */
	DbStmt *st;
	db_fault_set(2, RC_DB);
	assert_int_equal(db_prep(db, &st, "SELECT v FROM t", ""), RC_OK);
	assert_int_equal(db_step(st), -(int)RC_DB);
	db_done(st);
	db_fault_set(0, RC_OK);
#else
	/* Without -DDANVAN_FAULTS the hook does nothing. */
	db_fault_set(1, RC_BUSY);
	assert_int_equal(db_run(db, "INSERT INTO t VALUES (?)", "i", 1), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 1);
#endif
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_audit_append_only),
		cmocka_unit_test(test_bind_types),
		cmocka_unit_test(test_get_not_found),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_busy_snapshot),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_backup_concurrent),
		cmocka_unit_test(test_integrity),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_fts5),
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests_name("db", tests, group_setup, group_teardown);
}
