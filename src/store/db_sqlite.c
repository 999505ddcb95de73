/*
 * db_sqlite.c — the SQLite driver behind db.h (see docs/internals/store.md).
 *
 * This is the only file in the project that calls sqlite3_*.  One Db wraps
 * one sqlite3 connection opened with SQLITE_OPEN_NOMUTEX: the contract is
 * one thread per connection, so SQLite's per-connection mutex would only
 * cost time.
 *
 * Statement cache: a chained hash table keyed by the SQL text (hashed and
 * compared by content against our own copy).  The caller's pointer is not
 * trusted as a key: SQL is meant to be a literal, but if someone passes a
 * heap string that is later freed and reallocated, pointer equality would
 * hand back the wrong statement.  Hashing ~100 bytes costs nothing next to
 * a step.  Entries are evicted least-recently-used when the table is full;
 * a statement that is in use is never handed out a second time — a
 * duplicate request gets a fresh, uncached statement finalized by db_done.
 *
 * Error text is captured at the failure point into the Db, because
 * sqlite3_errmsg() is overwritten by the next call (a rollback after a
 * failed insert would otherwise erase the reason).
 */
#include "db.h"
#include "db_checkpoint.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

enum {
	CACHE_BUCKETS = 64,   /* power of two */
	CACHE_MAX = 256,      /* cached statements per connection */
	BUSY_TIMEOUT_MS = 5000,
	RESTART_WAIT_MS = 50, /* a committer's RESTART checkpoint: see wal_checkpoint */
	ERRMSG_MAX = 512,
	DB_PAGE_BYTES = 4096, /* SQLite's default page size, which we keep */
	BACKUP_RETRIES = 500, /* × 10 ms sleeps while the source is locked */
};

struct DbStmt {
	Db *db;
	sqlite3_stmt *h;
	char *sql;      /* our copy: the cache key (NULL for uncached) */
	uint64_t hash;
	uint64_t used;  /* db->tick at the last hand-out, for LRU eviction */
	bool cached;    /* lives in the cache; db_done keeps it */
	bool busy;      /* handed out and not yet db_done'd */
	DbStmt *next;   /* bucket chain */
};

/* A write put off to the end of a group transaction (db_defer_*). */
typedef struct Deferred {
	const char *sql; /* a literal */
	int64_t id;
	char *text;
} Deferred;

struct Db {
	sqlite3 *h;
	char *path;
	Deferred *deferred; /* db_run_deferred while deferring, in order */
	size_t ndeferred, capdeferred;
	bool deferring;
	DbStmt *bucket[CACHE_BUCKETS];
	int ncached;
	int live;       /* statements handed out, for the leak warning at close */
	uint64_t tick;
	char err[ERRMSG_MAX];
	Rc last_prep_rc; /* of the last db_prep (db_prep_rc) */
};

/* Why the last db_open on this thread failed (there is no Db to hold it). */
static _Thread_local char open_err[ERRMSG_MAX];

/* ---- errors ------------------------------------------------------------ */

static void copy_msg(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= ERRMSG_MAX)
		n = ERRMSG_MAX - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = 0;
}

static Rc map_rc(int src)
{
	switch (src & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return RC_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return RC_BUSY;
	case SQLITE_CONSTRAINT:
		return RC_CONFLICT;
	default:
		return RC_DB;
	}
}

/* Record the connection's current message and map the code. */
static Rc fail(Db *db, int src)
{
	copy_msg(db->err, sqlite3_errmsg(db->h));
	return map_rc(src);
}

static Rc fail_msg(Db *db, Rc rc, const char *msg)
{
	copy_msg(db->err, msg);
	return rc;
}

const char *db_errmsg(Db *db)
{
	if (!db)
		return open_err;
	return db->err[0] ? db->err : sqlite3_errmsg(db->h);
}

const char *db_path(Db *db)
{
	return db->path;
}

/* ---- fault injection ----------------------------------------------------- */

#ifdef DANVAN_FAULTS
/* Calls left before the injected failure; 0 = disarmed.  Process-wide and
 * atomic, so a test may arm it while worker threads run. */
static atomic_long fault_countdown;
static atomic_int fault_rc;

void db_fault_set(long nth, Rc rc)
{
	atomic_store(&fault_rc, (int)rc);
	atomic_store(&fault_countdown, nth > 0 ? nth : 0);
}

/* True when this call is the one chosen to fail. */
static bool fault_hit(Db *db, Rc *rc)
{
	long n = atomic_load(&fault_countdown);
	while (n > 0) {
		if (atomic_compare_exchange_weak(&fault_countdown, &n, n - 1)) {
			if (n != 1)
				return false;
			*rc = (Rc)atomic_load(&fault_rc);
			copy_msg(db->err, "injected fault");
			return true;
		}
	}
	return false;
}
#define FAULT(db, rcvar) fault_hit((db), &(rcvar))
#else
void db_fault_set(long nth, Rc rc)
{
	UNUSED(nth);
	UNUSED(rc);
}
#define FAULT(db, rcvar) ((void)(db), false)
#endif

#ifdef DANVAN_FAULTS
/* The faults build of the server (build/faults/danvan, docs/reliability.md):
 * server_run calls db_fault_env() once started.  DANVAN_FAULT_DB_NTH=N and
 * DANVAN_FAULT_DB_RC=busy|io|full make the Nth db call from then on fail
 * like a locked database, an I/O error or a full disk; at exit stderr says
 * how many calls were made and whether the fault fired, which is how
 * tests/faults/fault-pass.mjs knows that N has passed the last call.  The
 * failed call's stack is printed, and with DANVAN_FAULT_TRACE=1 every
 * call's, so the test can tell call sites apart. */
#include <dlfcn.h>
#include <execinfo.h>
void db_fault_env(void);
static atomic_long fault_calls;
static atomic_int fault_fired;
static const char *fault_text; /* set before the worker threads start */
static bool fault_trace;

/* Where db call `n` came from — the frames from `from` (the return address
 * into the db_* function) out — as offsets into this executable for the
 * test to symbolize (symbolizing here would cost ~0.5 s a run). */
static void fault_stack(long n, void *from)
{
	void *pc[16];
	int depth = backtrace(pc, 16), first = 0;
	Dl_info self, info;
	if (!dladdr((void *)fault_stack, &self))
		return;
	while (first < depth && pc[first] != from)
		first++;
	char line[16 * 20 + 64];
	int len = snprintf(line, sizeof line, "danvan-faults: stack %ld", n);
	for (int i = first < depth ? first : 0; i < depth; i++)
		if (dladdr(pc[i], &info) && info.dli_fbase == self.dli_fbase)
			len += snprintf(line + len, sizeof line - (size_t)len, " 0x%zx",
					(size_t)((char *)pc[i] - (char *)self.dli_fbase));
	fprintf(stderr, "%s\n", line); /* one write: lines of two threads do not mix */
}

static bool fault_hit_counted(Db *db, Rc *rc)
{
	long n = atomic_fetch_add(&fault_calls, 1) + 1;
	void *from = __builtin_return_address(0);
	if (fault_trace)
		fault_stack(n, from);
	if (!fault_hit(db, rc))
		return false;
	atomic_store(&fault_fired, 1);
	if (!fault_text) /* armed by a unit test, not by db_fault_env */
		return true;
	copy_msg(db->err, fault_text);
	fprintf(stderr, "danvan-faults: db call %ld failed: %s\n", n, db->err);
	if (!fault_trace)
		fault_stack(n, from);
	return true;
}
#undef FAULT
#define FAULT(db, rcvar) fault_hit_counted((db), &(rcvar))

static void fault_report(void)
{
	fprintf(stderr, "danvan-faults: db calls=%ld fired=%d\n", atomic_load(&fault_calls),
		atomic_load(&fault_fired));
}

void db_fault_env(void)
{
	const char *nth = getenv("DANVAN_FAULT_DB_NTH"), *kind = getenv("DANVAN_FAULT_DB_RC");
	int64_t n = 0;
	atomic_store(&fault_calls, 0);
	atexit(fault_report);
	fault_trace = str_eq(getenv("DANVAN_FAULT_TRACE"), "1");
	if (!nth || !*nth)
		return;
	Rc rc = RC_DB;
	fault_text = "database or disk is full";
	if (str_eq(kind, "busy")) {
		rc = RC_BUSY;
		fault_text = "database is locked";
	} else if (str_eq(kind, "io")) {
		rc = RC_IO;
		fault_text = "disk I/O error";
	} else if (kind && *kind && !str_eq(kind, "full")) {
		fprintf(stderr, "danvan: DANVAN_FAULT_DB_RC wants busy, io or full\n");
		exit(2);
	}
	if (!util_parse_i64(nth, 1, INT32_MAX, &n)) {
		fprintf(stderr, "danvan: DANVAN_FAULT_DB_NTH wants a number from 1\n");
		exit(2);
	}
	db_fault_set((long)n, rc);
}
#endif

/* ---- opening ----------------------------------------------------------- */

/* mkdir the directory part of `path` (one level: "var/x.db" → "var"). */
static void make_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char *dir = xstrndup(path, (size_t)(slash - path));
	/* Failure (EEXIST or worse) is not reported here: the open that
	 * follows names the real problem with the path in it. */
	(void)mkdir(dir, 0750);
	free(dir);
}

/* Run one pragma (or any single statement) and, if `want` is given, check
 * that its first result column equals it. */
static Rc pragma(Db *db, const char *sql, const char *want)
{
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src);
	src = sqlite3_step(st);
	Rc rc = RC_OK;
	if (src != SQLITE_ROW && src != SQLITE_DONE) {
		rc = fail(db, src);
	} else if (want) {
		const char *got = src == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (!got || sqlite3_stricmp(got, want) != 0) {
			Buf msg = BUF_INIT;
			buf_printf(&msg, "%s: got %s, want %s", sql, got ? got : "nothing", want);
			rc = fail_msg(db, RC_DB, buf_cstr(&msg));
			buf_release(&msg);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

typedef struct WalCheckpoint {
	sqlite3 *h;
	const char *schema;
} WalCheckpoint;

/* A checkpoint that fails (busy readers, I/O) leaves the log as it is;
 * a later commit asks again.  A RESTART waits for readers still on an old
 * snapshot, holding the write lock meanwhile: it waits RESTART_WAIT_MS, not
 * the busy timeout — a long read (the look-alike comparisons, a big
 * export) once held every writer behind it for seconds; the log just
 * grows a little longer until a later commit finds the readers gone. */
static void wal_checkpoint(void *ctx, bool restart)
{
	WalCheckpoint *w = ctx;
	if (restart)
		sqlite3_busy_timeout(w->h, RESTART_WAIT_MS);
	(void)sqlite3_wal_checkpoint_v2(w->h, w->schema,
					restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE,
					NULL, NULL);
	if (restart)
		sqlite3_busy_timeout(w->h, BUSY_TIMEOUT_MS);
}

/* SQLite calls this after every commit in WAL mode (it replaces the
 * built-in autocheckpoint, which would run inside the commit). */
static int wal_hook(void *arg, sqlite3 *h, const char *schema, int frames)
{
	(void)arg;
	WalCheckpoint w = {h, schema};
	db_checkpoint_after_commit(frames, wal_checkpoint, &w);
	return SQLITE_OK;
}

/* The page cache's arena: one anonymous mapping cut into page-sized slots
 * that every connection's cache draws from (SQLITE_CONFIG_PAGECACHE).
 * Before it, each cached page was a 4.3 KiB malloc block; the builder and
 * the request threads take and give back thousands of them a second
 * (every write elsewhere empties a connection's cache), and the holes they
 * left among small long-lived blocks were memory malloc could neither
 * reuse whole nor return: bench/soak.sh saw 35 MiB kept free beside 25 in
 * use, and RSS growing 14 % though nothing leaked.  SQLite links its free
 * list through every slot at start, so the arena is resident from then on:
 * memory is the budget plus the rest, flat.  Set once per process, before any
 * connection opens (sqlite3_config refuses it after initialisation). */
static struct {
	bool set;
	int slot; /* bytes per slot (page + SQLite's header); 0 = no arena */
} arena;

void db_memory_limit(int64_t bytes)
{
	if (!arena.set) {
		arena.set = true;
		int header = 0;
		sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header);
		int slot = (DB_PAGE_BYTES + header + 15) & ~15;
		int64_t slots = bytes / slot;
		void *mem = mmap(NULL, (size_t)(slots * slot), PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		/* sqlite3_shutdown is a no-op before the first initialisation; it
		 * is here so that a process that already opened nothing but did
		 * initialise (a test) can still configure. */
		if (mem != MAP_FAILED && sqlite3_shutdown() == SQLITE_OK &&
		    sqlite3_config(SQLITE_CONFIG_PAGECACHE, mem, slot, (int)slots) == SQLITE_OK) {
			arena.slot = slot;
		} else if (mem != MAP_FAILED) {
			munmap(mem, (size_t)(slots * slot)); /* pages come from malloc, as before */
		}
		sqlite3_initialize();
	}
	/* Pages beyond the arena (a connection with a larger cache, pages
	 * bigger than the slot) and everything else SQLite allocates stay
	 * under the soft limit, as before the arena. */
	sqlite3_soft_heap_limit64(bytes);
}

void db_memory_used(int64_t *now, int64_t *peak)
{
	sqlite3_int64 pages = 0, pages_peak = 0;
	sqlite3_status64(SQLITE_STATUS_PAGECACHE_USED, &pages, &pages_peak, 0);
	*now = (int64_t)sqlite3_memory_used() + (int64_t)pages * arena.slot;
	*peak = (int64_t)sqlite3_memory_highwater(0) + (int64_t)pages_peak * arena.slot;
}

Rc db_checkpoint_passive(Db *db, int *log_frames, int *copied_frames)
{
	int src = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, log_frames,
					    copied_frames);
	return src == SQLITE_OK ? RC_OK : fail(db, src);
}

static Rc configure(Db *db, int flags)
{
	Rc rc;
	/* Defensive mode refuses writable_schema and similar footguns; DQS off
	 * turns "text" in double quotes into the error it should be (an
	 * identifier) instead of a silently accepted string literal. */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);

	if (!(flags & DB_OPEN_READONLY)) {
		/* WAL lets readers run beside the one writer.  An in-memory
		 * database answers "memory", which is fine for tests. */
		bool mem = str_eq(db->path, ":memory:") || str_eq(db->path, "");
		if ((rc = pragma(db, "PRAGMA journal_mode=WAL", mem ? "memory" : "wal")))
			return rc;
	}
	/* FULL: a citizen told "saved" must find it after a power cut. */
	if ((rc = pragma(db, "PRAGMA synchronous=FULL", NULL)))
		return rc;
	if ((rc = pragma(db, "PRAGMA foreign_keys=ON", NULL)))
		return rc;
	/* 32 MiB of page cache per connection (one per worker thread): a
	 * province's working set stays in memory instead of the default 2 MiB. */
	if ((rc = pragma(db, "PRAGMA cache_size=-32768", NULL)))
		return rc;
	/* Temporary files in memory: above all the savepoint journal, which
	 * keeps the original of every page a savepoint changes (group commit
	 * and the intake builder run each piece of work in one).  On disk that
	 * was some 25 page writes per citizen's submission, more than the
	 * write-ahead log itself took. */
	if ((rc = pragma(db, "PRAGMA temp_store=MEMORY", NULL)))
		return rc;
	/* Checkpoints: after a commit, by the checkpointer thread when the
	 * process runs one, else here (db_checkpoint.h).  A burst can take the
	 * log far past its usual size; once it is copied back and starts
	 * afresh, the file is cut back to this instead of keeping its peak. */
	if ((rc = pragma(db, "PRAGMA journal_size_limit=67108864", NULL)))
		return rc;
	if (!(flags & DB_OPEN_AUTOCHECKPOINT))
		sqlite3_wal_hook(db->h, wal_hook, NULL);
	/* Deleted or overwritten content is zeroed on disk: a case re-sealed
	 * as a denunciation must not leave its old plaintext in free pages. */
	if ((rc = pragma(db, "PRAGMA secure_delete=ON", NULL)))
		return rc;
	/* A build without foreign keys ignores the pragma silently: check. */
	if ((rc = pragma(db, "PRAGMA foreign_keys", "1")))
		return rc;
	/* Search depends on FTS5; the fts5() function exists iff the module
	 * is compiled in, and preparing it touches no table. */
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(db->h, "SELECT fts5(?1)", -1, &st, NULL);
	sqlite3_finalize(st);
	if (src != SQLITE_OK)
		return fail_msg(db, RC_DB, "this SQLite lacks the FTS5 module");
	return RC_OK;
}

Rc db_open(Db **out, const char *path, int flags)
{
	*out = NULL;
	open_err[0] = 0;
	if (str_starts(path, "postgres://") || str_starts(path, "postgresql://")) {
		copy_msg(open_err, "PostgreSQL is not supported by this build");
		return RC_DB;
	}
	int oflags = SQLITE_OPEN_NOMUTEX;
	if (flags & DB_OPEN_READONLY) {
		oflags |= SQLITE_OPEN_READONLY;
	} else {
		oflags |= SQLITE_OPEN_READWRITE;
		if (flags & DB_OPEN_CREATE) {
			oflags |= SQLITE_OPEN_CREATE;
			make_parent(path);
		}
	}
	Db *db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	int src = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (!db->h) /* only when SQLite could not allocate the handle */
		abort();
	Rc rc = src == SQLITE_OK ? configure(db, flags) : fail(db, src);
	if (rc) {
		Buf msg = BUF_INIT;
		buf_printf(&msg, "%s: %s", path, db_errmsg(db));
		copy_msg(open_err, buf_cstr(&msg));
		buf_release(&msg);
		db_close(db);
		return rc;
	}
	*out = db;
	return RC_OK;
}

void db_close(Db *db)
{
	if (!db)
		return;
	if (db->live)
		fprintf(stderr, "danvan: db_close(%s): %d statement(s) not db_done'd\n",
			db->path, db->live);
	for (int i = 0; i < CACHE_BUCKETS; i++) {
		DbStmt *e = db->bucket[i];
		while (e) {
			DbStmt *next = e->next;
			sqlite3_finalize(e->h);
			free(e->sql);
			free(e);
			e = next;
		}
	}
	db_defer_end(db);
	free(db->deferred);
	/* close_v2 rather than close: a forgotten uncached statement must not
	 * keep the handle (and its file descriptors) open forever. */
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

/* ---- statement cache ----------------------------------------------------- */

/* FNV-1a, 64-bit. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

/* Drop the idle entry used longest ago; false when every entry is busy. */
static bool cache_evict(Db *db)
{
	DbStmt **victim = NULL;
	for (int i = 0; i < CACHE_BUCKETS; i++)
		for (DbStmt **pp = &db->bucket[i]; *pp; pp = &(*pp)->next)
			if (!(*pp)->busy && (!victim || (*pp)->used < (*victim)->used))
				victim = pp;
	if (!victim)
		return false;
	DbStmt *e = *victim;
	*victim = e->next;
	sqlite3_finalize(e->h);
	free(e->sql);
	free(e);
	db->ncached--;
	return true;
}

/* Fetch an idle cached statement or prepare one (cached when possible). */
static Rc stmt_get(Db *db, DbStmt **out, const char *sql)
{
	*out = NULL;
	uint64_t hash = sql_hash(sql);
	DbStmt **head = &db->bucket[hash & (CACHE_BUCKETS - 1)];
	bool dup = false;
	for (DbStmt *e = *head; e; e = e->next) {
		if (e->hash == hash && strcmp(e->sql, sql) == 0) {
			if (e->busy) {
				dup = true; /* in use: hand out a private copy */
				break;
			}
			e->busy = true;
			e->used = ++db->tick;
			db->live++;
			*out = e;
			return RC_OK;
		}
	}

	bool cache = !dup && (db->ncached < CACHE_MAX || cache_evict(db));
	sqlite3_stmt *h = NULL;
	const char *tail = NULL;
	int src = sqlite3_prepare_v3(db->h, sql, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0,
				     &h, &tail);
	if (src != SQLITE_OK)
		return fail(db, src);
	if (!h)
		return fail_msg(db, RC_DB, "empty SQL statement");
	/* One statement per call: trailing SQL would be silently ignored. */
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		sqlite3_finalize(h);
		return fail_msg(db, RC_DB, "more than one SQL statement given to db_prep");
	}

	DbStmt *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->h = h;
	st->hash = hash;
	st->busy = true;
	st->used = ++db->tick;
	if (cache) {
		st->cached = true;
		st->sql = xstrdup(sql);
		st->next = *head;
		*head = st;
		db->ncached++;
	}
	db->live++;
	*out = st;
	return RC_OK;
}

void db_done(DbStmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
	st->db->live--;
	if (st->cached) {
		st->busy = false;
		return;
	}
	sqlite3_finalize(st->h);
	free(st);
}

/* ---- binding ------------------------------------------------------------- */

static Rc bind_v(DbStmt *st, const char *types, va_list ap)
{
	Db *db = st->db;
	if (!types)
		types = "";
	int want = sqlite3_bind_parameter_count(st->h);
	int have = (int)strlen(types);
	if (have != want) {
		char msg[ERRMSG_MAX];
		xsnprintf(msg, sizeof msg, "bind: %d value(s) for %d parameter(s)", have, want);
		return fail_msg(db, RC_DB, msg);
	}
	for (int i = 0; i < have; i++) {
		int idx = i + 1, src;
		switch (types[i]) {
		case 'i':
			src = sqlite3_bind_int(st->h, idx, va_arg(ap, int));
			break;
		case 'l':
			src = sqlite3_bind_int64(st->h, idx, (sqlite3_int64)va_arg(ap, int64_t));
			break;
		case 't': {
			/* TRANSIENT copies: the caller's string may die before
			 * the step (a temporary buffer bound then freed). */
			const char *s = va_arg(ap, const char *);
			src = s ? sqlite3_bind_text(st->h, idx, s, -1, SQLITE_TRANSIENT)
				: sqlite3_bind_null(st->h, idx);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			int n = va_arg(ap, int);
			if (n < 0)
				return fail_msg(db, RC_DB, "bind: negative blob length");
			/* A NULL pointer binds SQL NULL, like 't'; an empty
			 * non-NULL blob stays an empty blob. */
			src = p ? sqlite3_bind_blob(st->h, idx, p, n, SQLITE_TRANSIENT)
				: sqlite3_bind_null(st->h, idx);
			break;
		}
		case 'n':
			src = sqlite3_bind_null(st->h, idx);
			break;
		default: {
			char msg[64];
			xsnprintf(msg, sizeof msg, "bind: unknown type letter '%c'", types[i]);
			return fail_msg(db, RC_DB, msg);
		}
		}
		if (src != SQLITE_OK)
			return fail(db, src);
	}
	return RC_OK;
}

/* Prepare (through the cache) and bind; on failure *out is NULL. */
static Rc prep_v(Db *db, DbStmt **out, const char *sql, const char *types, va_list ap)
{
	Rc rc = stmt_get(db, out, sql);
	if (rc)
		return rc;
	if ((rc = bind_v(*out, types, ap))) {
		db_done(*out);
		*out = NULL;
	}
	return rc;
}

Rc db_prep(Db *db, DbStmt **out, const char *sql, const char *types, ...)
{
	Rc rc = RC_OK;
	*out = NULL;
	if (FAULT(db, rc)) {
		db->last_prep_rc = rc;
		return rc;
	}
	va_list ap;
	va_start(ap, types);
	rc = prep_v(db, out, sql, types, ap);
	va_end(ap);
	db->last_prep_rc = rc;
	return rc;
}

Rc db_prep_rc(Db *db)
{
	return db && db->last_prep_rc ? db->last_prep_rc : RC_DB;
}

Rc db_bind(DbStmt *st, const char *types, ...)
{
	/* Rebinding needs a reset statement; this also lets a loop of
	 * bind/step/bind/step reuse one statement without db_done. */
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
	va_list ap;
	va_start(ap, types);
	Rc rc = bind_v(st, types, ap);
	va_end(ap);
	return rc;
}

/* ---- stepping and columns ------------------------------------------------ */

static int step_raw(DbStmt *st)
{
	int src = sqlite3_step(st->h);
	if (src == SQLITE_ROW)
		return DB_ROW;
	if (src == SQLITE_DONE)
		return DB_DONE;
	return -(int)fail(st->db, src);
}

int db_step(DbStmt *st)
{
	Rc rc = RC_OK;
	if (FAULT(st->db, rc))
		return -(int)rc;
	return step_raw(st);
}

int64_t db_col_int(DbStmt *st, int col)
{
	return (int64_t)sqlite3_column_int64(st->h, col);
}

const char *db_col_text(DbStmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st->h, col);
	return s ? (const char *)s : "";
}

const void *db_col_blob(DbStmt *st, int col)
{
	return sqlite3_column_blob(st->h, col);
}

int db_col_bytes(DbStmt *st, int col)
{
	return sqlite3_column_bytes(st->h, col);
}

bool db_col_null(DbStmt *st, int col)
{
	return sqlite3_column_type(st->h, col) == SQLITE_NULL;
}

int db_col_count(DbStmt *st)
{
	return sqlite3_column_count(st->h);
}

/* ---- one-shot helpers -------------------------------------------------- */

/* Step to the end, discarding rows (PRAGMAs and RETURNING yield some). */
static Rc run_v(Db *db, const char *sql, const char *types, va_list ap)
{
	DbStmt *st;
	Rc rc = prep_v(db, &st, sql, types, ap);
	if (rc)
		return rc;
	int r;
	while ((r = step_raw(st)) == DB_ROW)
		;
	db_done(st);
	return r == DB_DONE ? RC_OK : (Rc)-r;
}

/* db_run without the fault check, for the driver's own statements. */
static Rc run_plain(Db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	Rc rc = run_v(db, sql, types, ap);
	va_end(ap);
	return rc;
}

Rc db_run(Db *db, const char *sql, const char *types, ...)
{
	Rc rc = RC_OK;
	if (FAULT(db, rc))
		return rc;
	va_list ap;
	va_start(ap, types);
	rc = run_v(db, sql, types, ap);
	va_end(ap);
	return rc;
}

Rc db_get_int(Db *db, int64_t *out, const char *sql, const char *types, ...)
{
	Rc rc = RC_OK;
	if (FAULT(db, rc))
		return rc;
	DbStmt *st;
	va_list ap;
	va_start(ap, types);
	rc = prep_v(db, &st, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	int r = step_raw(st);
	if (r == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return r == DB_ROW ? RC_OK : r == DB_DONE ? RC_NOT_FOUND : (Rc)-r;
}

Rc db_get_text(Db *db, char **out, const char *sql, const char *types, ...)
{
	Rc rc = RC_OK;
	*out = NULL;
	if (FAULT(db, rc))
		return rc;
	DbStmt *st;
	va_list ap;
	va_start(ap, types);
	rc = prep_v(db, &st, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	int r = step_raw(st);
	if (r == DB_ROW)
		*out = xstrdup(db_col_text(st, 0));
	db_done(st);
	return r == DB_ROW ? RC_OK : r == DB_DONE ? RC_NOT_FOUND : (Rc)-r;
}

Rc db_exec_script(Db *db, const char *sql)
{
	Rc rc = RC_OK;
	if (FAULT(db, rc))
		return rc;
	char *msg = NULL;
	int src = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (src != SQLITE_OK) {
		copy_msg(db->err, msg ? msg : sqlite3_errstr(src));
		sqlite3_free(msg);
		return map_rc(src);
	}
	return RC_OK;
}

/* ---- transactions -------------------------------------------------------- */

static Rc begin_sql(Db *db, const char *sql)
{
	Rc rc = RC_OK;
	if (FAULT(db, rc))
		return rc;
	/* SQLite would say "cannot start a transaction within a transaction"
	 * too, but only at step time and as a generic error: say it plainly. */
	if (!sqlite3_get_autocommit(db->h))
		return fail_msg(db, RC_DB, "transaction already open (nested begin)");
	return run_plain(db, sql, "");
}

Rc db_begin(Db *db)
{
	return begin_sql(db, "BEGIN");
}

Rc db_begin_write(Db *db)
{
	return begin_sql(db, "BEGIN IMMEDIATE");
}

Rc db_commit(Db *db)
{
	Rc rc = RC_OK;
	if (FAULT(db, rc))
		return rc;
	if (sqlite3_get_autocommit(db->h))
		return fail_msg(db, RC_DB, "commit without a transaction");
	return run_plain(db, "COMMIT", "");
}

Rc db_rollback(Db *db)
{
	db_defer_end(db);
	if (sqlite3_get_autocommit(db->h))
		return RC_OK;
	return run_plain(db, "ROLLBACK", "");
}

/* ---- deferred writes ------------------------------------------------------ */

Rc db_run_deferred(Db *db, const char *sql, int64_t id, const char *text)
{
	if (!db->deferring)
		return db_run(db, sql, "lt", id, text);
	if (db->ndeferred == db->capdeferred) {
		db->capdeferred = db->capdeferred ? 2 * db->capdeferred : 16;
		db->deferred = xrealloc(db->deferred, db->capdeferred * sizeof *db->deferred);
	}
	db->deferred[db->ndeferred++] = (Deferred){.sql = sql, .id = id, .text = xstrdup(text)};
	return RC_OK;
}

void db_defer_begin(Db *db)
{
	db_defer_end(db);
	db->deferring = true;
}

size_t db_defer_mark(Db *db)
{
	return db->ndeferred;
}

void db_defer_drop(Db *db, size_t mark)
{
	while (db->ndeferred > mark)
		free(db->deferred[--db->ndeferred].text);
}

Rc db_defer_flush(Db *db)
{
	Rc rc = RC_OK;
	db->deferring = false; /* the writes below run now */
	for (size_t i = 0; !rc && i < db->ndeferred; i++) {
		const char *sql = db->deferred[i].sql;
		rc = db_run(db, sql, "lt", db->deferred[i].id, db->deferred[i].text);
	}
	db_defer_drop(db, 0);
	return rc;
}

void db_defer_end(Db *db)
{
	db_defer_drop(db, 0);
	db->deferring = false;
}

Rc db_defer_commit(Db *db, Rc rc)
{
	if (!rc)
		rc = db_defer_flush(db);
	db_defer_end(db);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

bool db_in_tx(Db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int64_t db_last_id(Db *db)
{
	return (int64_t)sqlite3_last_insert_rowid(db->h);
}

int64_t db_changes(Db *db)
{
	return (int64_t)sqlite3_changes64(db->h);
}

/* ---- backup and checks --------------------------------------------------- */

static char *str_cat2(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = xmalloc(na + nb + 1);
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* Remove `base` + `suffix` if present. */
static void unlink_sfx(const char *base, const char *suffix)
{
	char *p = str_cat2(base, suffix);
	unlink(p);
	free(p);
}

static bool fsync_path(const char *path, int oflags)
{
	int fd = open(path, oflags | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* fsync the directory holding `path`, so a rename into it is durable. */
static bool fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return fsync_path(".", O_RDONLY | O_DIRECTORY);
	if (slash == path)
		return fsync_path("/", O_RDONLY | O_DIRECTORY);
	char *dir = xstrndup(path, (size_t)(slash - path));
	bool ok = fsync_path(dir, O_RDONLY | O_DIRECTORY);
	free(dir);
	return ok;
}

/* Copy the whole database into `tmp` with the online backup API. */
static Rc backup_copy(Db *db, const char *tmp)
{
	sqlite3 *out = NULL;
	int src = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				  SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		copy_msg(db->err, out ? sqlite3_errmsg(out) : sqlite3_errstr(src));
		sqlite3_close(out);
		return RC_IO;
	}
	sqlite3_backup *bk = sqlite3_backup_init(out, "main", db->h, "main");
	if (!bk) {
		copy_msg(db->err, sqlite3_errmsg(out));
		sqlite3_close(out);
		return RC_DB;
	}
	/* All pages in one step: the copy is made under a single read
	 * snapshot, so it is consistent and, unlike a page-at-a-time copy,
	 * never restarts because another connection wrote in between (which
	 * under steady writes could go on forever).  In WAL mode the snapshot
	 * does not block writers. */
	int tries = 0;
	for (;;) {
		src = sqlite3_backup_step(bk, -1);
		if ((src == SQLITE_BUSY || src == SQLITE_LOCKED) && ++tries <= BACKUP_RETRIES) {
			sqlite3_sleep(10);
			continue;
		}
		if (src != SQLITE_OK)
			break;
	}
	sqlite3_backup_finish(bk);
	Rc rc = RC_OK;
	if (src != SQLITE_DONE) {
		copy_msg(db->err, sqlite3_errmsg(out)[0] && sqlite3_errcode(out) != SQLITE_OK
				  ? sqlite3_errmsg(out) : sqlite3_errstr(src));
		rc = map_rc(src);
	}
	if (sqlite3_close(out) != SQLITE_OK && !rc)
		rc = fail_msg(db, RC_IO, "backup: closing the copy failed");
	return rc;
}

Rc db_backup(Db *db, const char *dest)
{
	/* The backup API cannot read a database this same connection is
	 * writing (SQLITE_LOCKED at once, retrying would not help). */
	if (db_in_tx(db))
		return fail_msg(db, RC_DB, "backup inside an open transaction");
	make_parent(dest);
	char *tmp = str_cat2(dest, ".tmp");
	/* A journal left next to an old temp file by a crash would be
	 * "rolled back" into the new copy: clear the lot first. */
	unlink(tmp);
	unlink_sfx(tmp, "-journal");
	unlink_sfx(tmp, "-wal");
	unlink_sfx(tmp, "-shm");

	Rc rc = backup_copy(db, tmp);
	if (!rc && !fsync_path(tmp, O_RDONLY))
		rc = fail_msg(db, RC_IO, "backup: fsync of the copy failed");
	if (!rc) {
		/* A stale WAL beside DEST would be replayed onto the new copy
		 * when it is opened: remove it before the copy takes its name. */
		unlink_sfx(dest, "-wal");
		unlink_sfx(dest, "-shm");
		if (rename(tmp, dest) != 0)
			rc = fail_msg(db, RC_IO, "backup: rename into place failed");
		else if (!fsync_parent(dest))
			rc = fail_msg(db, RC_IO, "backup: fsync of the directory failed");
	}
	if (rc) {
		unlink(tmp);
		unlink_sfx(tmp, "-journal");
	}
	free(tmp);
	return rc;
}

Rc db_integrity(Db *db, Buf *report)
{
	bool sound = true;
	DbStmt *st;
	int r;
	Rc rc = stmt_get(db, &st, "PRAGMA integrity_check");
	if (rc)
		return rc;
	/* One row "ok" when clean, else one row per problem. */
	while ((r = step_raw(st)) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		if (!str_eq(s, "ok")) {
			buf_printf(report, "integrity: %s\n", s);
			sound = false;
		}
	}
	db_done(st);
	if (r != DB_DONE)
		return (Rc)-r;

	/* Rows: table, rowid (NULL for WITHOUT ROWID), parent table, fk id. */
	if ((rc = stmt_get(db, &st, "PRAGMA foreign_key_check")))
		return rc;
	while ((r = step_raw(st)) == DB_ROW) {
		buf_printf(report, "foreign key: %s row %s refers to a missing %s row\n",
			   db_col_text(st, 0), db_col_null(st, 1) ? "?" : db_col_text(st, 1),
			   db_col_text(st, 2));
		sound = false;
	}
	db_done(st);
	if (r != DB_DONE)
		return (Rc)-r;
	return sound ? RC_OK : fail_msg(db, RC_DB, "integrity check found problems");
}
