/*
 * test_db_group.c — group commit (store/db_group.h), the writes a group
 * puts off to its end (db_run_deferred) and checkpoints off the commit path
 * (store/db_checkpoint.h).
 *
 * The property that matters to a citizen: a submission that failed leaves
 * nothing behind — not its row and not its search-index entry — while the
 * others in its batch are kept whole; and the write-ahead log is copied
 * back into the database by someone, so it does not grow without end.
 * Files live in one mkdtemp directory removed at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/db_checkpoint.h"
#include "store/db_group.h"
#include "testdir.h"

static Db *open_path(const char *path)
{
	Db *db = NULL;
	if (db_open(&db, path, DB_OPEN_CREATE))
		fail_msg("db_open %s: %s", path, db_errmsg(NULL));
	return db;
}

static int64_t count_rows(Db *db, const char *sql, const char *word)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, sql, "t", word), RC_OK);
	return n;
}

static int group_setup(void **state)
{
	return testdir_make("group");
}

static int group_teardown(void **state)
{
	testdir_remove();
	return 0;
}

static void make_schema(Db *db)
{
	assert_int_equal(db_exec_script(db, "CREATE TABLE doc (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
					    "CREATE VIRTUAL TABLE doc_fts USING fts5(body, content='');"),
			 RC_OK);
}

/* ---- deferred writes outside a group --------------------------------------- */

static void test_deferred_alone(void **state)
{
	char path[256];
	testdir_path(path, sizeof path, "alone.db");
	Db *db = open_path(path);
	make_schema(db);
	/* Not deferring: the write happens at once. */
	assert_int_equal(db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", 1, "alpha"),
			 RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "alpha"), 1);
	/* Deferring: nothing until the flush, then in order. */
	assert_int_equal(db_begin_write(db), RC_OK);
	db_defer_begin(db);
	assert_int_equal(db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", 2, "beta"),
			 RC_OK);
	size_t mark = db_defer_mark(db);
	assert_int_equal(db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", 3, "gamma"),
			 RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "beta"), 0);
	db_defer_drop(db, mark); /* gamma's piece failed */
	assert_int_equal(db_defer_flush(db), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "beta"), 1);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "gamma"), 0);
	/* A rollback forgets what was put off, and deferring stops. */
	assert_int_equal(db_begin_write(db), RC_OK);
	db_defer_begin(db);
	assert_int_equal(db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", 4, "delta"),
			 RC_OK);
	assert_int_equal(db_rollback(db), RC_OK);
	assert_int_equal(db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", 5, "epsilon"),
			 RC_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "delta"), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?", "epsilon"), 1);
	db_close(db);
}

/* ---- a batch with a failing piece ------------------------------------------ */

typedef struct Piece {
	int64_t id;
	const char *word;
	bool fail;        /* write, then report failure */
	atomic_int *hold; /* non-NULL: wait until it is 0 before working */
	Db *db;           /* the caller's connection */
	Rc rc;
} Piece;

static Rc piece_work(Db *db, void *arg)
{
	Piece *p = arg;
	while (p->hold && atomic_load(p->hold))
		usleep(1000);
	Rc rc = db_run(db, "INSERT INTO doc (id, body) VALUES (?, ?)", "lt", p->id, p->word);
	if (!rc)
		rc = db_run_deferred(db, "INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", p->id, p->word);
	return rc ? rc : p->fail ? RC_INVALID : RC_OK;
}

static void *piece_thread(void *arg)
{
	Piece *p = arg;
	p->rc = db_group_run(p->db, piece_work, p);
	return NULL;
}

static void test_group_failure(void **state)
{
	char path[256];
	testdir_path(path, sizeof path, "group.db");
	Db *setup = open_path(path);
	make_schema(setup);
	assert_int_equal(db_group_open(path), RC_OK);
	/* The first piece holds its batch open while the others queue: they
	 * form the next batch together, one of them failing. */
	atomic_int hold = 1;
	static const char *const words[] = {"first", "second", "third", "fourth", "fifth"};
	enum { N = 5, FAILING = 2 };
	Piece p[N];
	pthread_t t[N];
	long batches0, works0;
	db_group_stats(&batches0, &works0);
	for (int i = 0; i < N; i++) {
		p[i] = (Piece){.id = i + 1, .word = words[i], .fail = i == FAILING,
			       .hold = i == 0 ? &hold : NULL, .db = open_path(path)};
		assert_int_equal(pthread_create(&t[i], NULL, piece_thread, &p[i]), 0);
		if (i == 0)
			usleep(50 * 1000); /* the first leads */
	}
	usleep(200 * 1000); /* the rest are queued behind it */
	atomic_store(&hold, 0);
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		db_close(p[i].db);
	}
	long batches1, works1;
	db_group_stats(&batches1, &works1);
	assert_int_equal(works1 - works0, N);
	assert_true(batches1 - batches0 < N); /* some shared a batch */
	for (int i = 0; i < N; i++) {
		int64_t want = i == FAILING ? 0 : 1;
		assert_int_equal(p[i].rc, i == FAILING ? RC_INVALID : RC_OK);
		assert_int_equal(count_rows(setup, "SELECT count(*) FROM doc WHERE body = ?", words[i]), want);
		assert_int_equal(count_rows(setup, "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?",
					    words[i]),
				 want);
	}
	db_group_close();
	db_close(setup);
}

/* ---- checkpoints ----------------------------------------------------------- */

static long wal_pages(const char *path)
{
	char wal[300];
	xsnprintf(wal, sizeof wal, "%s-wal", path);
	struct stat sb;
	return stat(wal, &sb) ? 0 : (long)(sb.st_size / 4096);
}

/* Commit `n` transactions of ~4 fresh pages each. */
static void write_pages(Db *db, int n, int64_t first)
{
	char body[3000];
	memset(body, 'x', sizeof body - 1);
	body[sizeof body - 1] = 0;
	for (int i = 0; i < n; i++) {
		assert_int_equal(db_begin_write(db), RC_OK);
		for (int k = 0; k < 4; k++)
			assert_int_equal(db_run(db, "INSERT INTO doc (id, body) VALUES (?, ?)", "lt",
						first + 4 * i + k, body),
					 RC_OK);
		assert_int_equal(db_commit(db), RC_OK);
	}
}

static void test_checkpointer(void **state)
{
	char path[256];
	testdir_path(path, sizeof path, "ckpt.db");
	Db *db = open_path(path);
	make_schema(db);
	/* Without a checkpointer the committer checkpoints past the threshold:
	 * the log is reused from its start and stays near 1,000 pages. */
	write_pages(db, 1000, 1);
	long alone = wal_pages(path);
	assert_true(alone > 0);
	assert_true(alone < DB_CHECKPOINT_PAGES + 200);
	/* With one, commits only signal; the thread copies the log back once
	 * they pause.  3,000 commits of ~4 pages leave the log far past where
	 * a committer used to copy it inline (8,000 pages) — unless this
	 * thread itself stalled for a quarter of a second meanwhile, which on a
	 * loaded machine lets the quiet rule copy early. */
	assert_int_equal(db_checkpointer_start(path), RC_OK);
	long runs0 = db_checkpointer_runs();
	write_pages(db, 3000, 100000);
	if (db_checkpointer_runs() == runs0)
		assert_true(wal_pages(path) >= 3000 * 4);
	for (int i = 0; i < 1500 && db_checkpointer_runs() == runs0; i++)
		usleep(2000); /* the pause: DB_CHECKPOINT_QUIET_MS, 250 ms */
	assert_true(db_checkpointer_runs() > runs0);
	int log = -1, copied = -2;
	assert_int_equal(db_checkpoint_passive(db, &log, &copied), RC_OK);
	assert_true(log > 0);
	assert_int_equal(copied, log); /* nothing left for this one to copy */
	/* Bounded: never far past the point where committers step in. */
	assert_true(wal_pages(path) < DB_CHECKPOINT_INLINE_PAGES + 200);
	/* A burst that never pauses is copied back once it passes the busy
	 * limit (a small one here, 2,000 pages instead of 256 MiB). */
	db_checkpoint_limits(2000, 100000, 0);
	long runs1 = db_checkpointer_runs();
	int commits = 0;
	for (; commits < 6000 && db_checkpointer_runs() == runs1; commits++)
		write_pages(db, 1, 200000 + 4 * commits);
	assert_true(db_checkpointer_runs() > runs1);
	/* Steady writes below the busy limit that never pause are copied back
	 * once the copy has waited its longest (100 ms here, half a minute by
	 * default). */
	db_checkpoint_limits(1000000, 2000000, 100);
	/* A pause: whatever the burst left is copied first, and that copy's
	 * sync (which would hold up the commits below) is over. */
	long runs2;
	do {
		runs2 = db_checkpointer_runs();
		usleep(600 * 1000);
	} while (db_checkpointer_runs() != runs2);
	int steady = 0;
	for (; steady < 20000 && db_checkpointer_runs() == runs2; steady++)
		write_pages(db, 1, 1000000 + 4 * steady);
	assert_true(db_checkpointer_runs() > runs2);
	db_checkpoint_limits(0, 0, 0);
	db_checkpointer_stop();
	db_checkpointer_stop(); /* twice is harmless */
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM doc", ""), RC_OK);
	assert_int_equal(n, 4 * 1000 + 4 * 3000 + 4 * commits + 4 * steady);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deferred_alone),
		cmocka_unit_test(test_group_failure),
		cmocka_unit_test(test_checkpointer),
	};
	return cmocka_run_group_tests_name("db_group", tests, group_setup, group_teardown);
}
