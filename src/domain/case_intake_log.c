/*
 * case_intake_log.c — the intake log: public submissions received as one
 * small row each in a database of their own, and built into cases in
 * batches (case.h).
 *
 * Why: a case is some fifty pages of writes (the row, nine indexes, the
 * search index, deadline, event, audit), a dozen of them at random places
 * in indexes of a million entries, and the writer's CPU for all of it.
 * Written one submission at a time with a durable commit each, that is
 * what limited how many citizens a server could take in
 * (docs/performance.md, bench/cases.sh).  The log row is written where
 * every other log row is — the end of a table that holds only what is not
 * built yet — so a group commit of many submissions writes a few pages,
 * and the citizen gets the tracking code as soon as that commit is
 * durable.  The builder then writes hundreds of cases in one transaction.
 *
 * Why a database of its own (`<database>.intake`, beside the main file):
 * SQLite has one writer per database.  In the main file the builder's
 * transactions and the citizens' log commits took turns, and together
 * they were no faster than before.  In two files the log's commits (mostly
 * waiting for the disk) go on while the builder writes cases (mostly CPU).
 *
 * What the log holds: the submission as intake checked it (CaseChecked),
 * its folded search key, never more.  A denouncer's identity is sealed to
 * the vault before the row is written, exactly as on a case, so the log
 * never holds it in the clear; other kinds keep theirs as JSON in
 * `person`, as visible as the case's own columns and gone with the row
 * once the case is built.
 *
 * Order and idempotence: a batch of cases is committed (durably) in the
 * main database first, and only then are its rows deleted from the log.
 * A crash between the two leaves rows whose cases exist; building such a
 * row again finds its code taken by a case with the same title and time
 * of receipt, and only deletes the row.  A code taken by a different case
 * (a collision of two random 50-bit codes, checked at intake but possible
 * in theory between the check and the build) is never merged: the row is
 * kept with the error.  A row that fails to build by its own fault is kept
 * with its error and tried again in later rounds, up to
 * INTAKE_ATTEMPTS_MAX times; after that it waits for an operator (`danvan
 * check` counts it) and never blocks the rows behind it.  When the
 * database itself fails (locked, I/O, full) the batch is rolled back and
 * returns the error: no row is blamed.
 */
#include "case_priv.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../store/db_group.h"

#include <jansson.h>
#include <pthread.h>
#include <sched.h>
#include <sodium.h>
#include <unistd.h>

#define INTAKE_ATTEMPTS_MAX 5
#define PERSON_JSON_MAX 8192
#define CODE_TRIES 8

/* ---- the log's database ----------------------------------------------------- */

static const char log_schema[] =
	"CREATE TABLE IF NOT EXISTS intake_log (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  code TEXT NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  received_on TEXT NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  content TEXT NOT NULL,\n"
	"  search_key TEXT,\n"
	"  unit_id INTEGER,\n"
	"  field_id INTEGER,\n"
	"  receiving_org_id INTEGER,\n"
	"  anonymous INTEGER NOT NULL,\n"
	"  people_count INTEGER NOT NULL,\n"
	"  criteria INTEGER NOT NULL,\n"
	"  remote_area INTEGER NOT NULL,\n"
	"  person TEXT,\n"
	"  sealed BLOB,\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  last_error TEXT\n"
	")";

void case_intake_log_path(const char *main_path, char *out, size_t n)
{
	xsnprintf(out, n, "%s.intake", main_path);
}

Rc case_intake_log_open(const char *main_path, Db **out)
{
	char path[4096];
	case_intake_log_path(main_path, path, sizeof path);
	Rc rc = db_open(out, path, DB_OPEN_CREATE | DB_OPEN_AUTOCHECKPOINT);
	if (!rc)
		rc = db_exec_script(*out, log_schema);
	if (rc) {
		db_close(*out);
		*out = NULL;
	}
	return rc;
}

/* While a server (or a bench) runs: the group commit of the log, and one
 * connection for the tracking page's lookups (under reader_mu). */
static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reader_mu = PTHREAD_MUTEX_INITIALIZER;
static DbGroup *log_group;
static Db *reader;
static void (*on_commit)(void); /* case_intake_log_notify */

void case_intake_log_notify(void (*fn)(void))
{
	pthread_mutex_lock(&state_mu);
	on_commit = fn;
	pthread_mutex_unlock(&state_mu);
}

Rc case_intake_log_start(const char *main_path)
{
	pthread_mutex_lock(&state_mu);
	Rc rc = RC_OK;
	if (!log_group) {
		Db *first = NULL;
		char path[4096];
		case_intake_log_path(main_path, path, sizeof path);
		/* the schema first, then the group's and the reader's connections */
		rc = case_intake_log_open(main_path, &first);
		db_close(first);
		if (!rc)
			/* its own checkpoints: the main database's checkpointer, and the
			 * RESTART a main commit may be running, are nothing to a
			 * citizen's log commit (it once waited seconds behind one) */
			rc = db_group_create(path, DB_OPEN_AUTOCHECKPOINT, &log_group);
		if (!rc)
			rc = case_intake_log_open(main_path, &reader);
		if (rc) {
			db_group_destroy(log_group);
			log_group = NULL;
		}
	}
	pthread_mutex_unlock(&state_mu);
	return rc;
}

void case_intake_log_stats(long *commits, long *rows)
{
	*commits = *rows = 0;
	pthread_mutex_lock(&state_mu);
	if (log_group)
		db_group_stats_in(log_group, commits, rows);
	pthread_mutex_unlock(&state_mu);
}

void case_intake_log_stop(void)
{
	pthread_mutex_lock(&state_mu);
	db_group_destroy(log_group);
	log_group = NULL;
	pthread_mutex_lock(&reader_mu);
	db_close(reader);
	reader = NULL;
	pthread_mutex_unlock(&reader_mu);
	pthread_mutex_unlock(&state_mu);
}

/* Run work(log, arg) in a write transaction of the log: in the group
 * while started, else on a connection of its own (tools, tests). */
static Rc log_write(Db *main, DbGroupWork work, void *arg)
{
	pthread_mutex_lock(&state_mu);
	DbGroup *g = log_group;
	pthread_mutex_unlock(&state_mu);
	if (g)
		return db_group_run_in(g, NULL, work, arg);
	Db *log;
	Rc rc = case_intake_log_open(db_path(main), &log);
	if (rc)
		return rc;
	rc = db_begin_write(log);
	if (!rc)
		rc = work(log, arg);
	if (!rc)
		rc = db_commit(log);
	if (rc)
		db_rollback(log);
	db_close(log);
	return rc;
}

/* ---- append --------------------------------------------------------------- */

/* The clear identity of a non-denunciation as JSON (NULL members left out). */
static bool person_json(Buf *b, const CaseChecked *c)
{
	JsonW w;
	jw_init(&w, b);
	jw_obj(&w);
	const char *keys[] = {"name", "address", "phone", "email", "id_number"};
	const char *vals[] = {c->name, c->address, c->phone, c->email, c->id_number};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (!vals[i])
			continue;
		jw_key(&w, keys[i]);
		jw_str(&w, vals[i]);
	}
	jw_key(&w, "representatives");
	jw_arr(&w);
	for (size_t i = 0; i < c->nreps; i++)
		jw_str(&w, c->reps[i]);
	jw_end(&w);
	jw_end(&w);
	return jw_finished(&w);
}

/* A submission ready for the log (case.h). */
struct CaseIntakePrepared {
	CaseChecked c;
	Buf person;             /* JSON of the clear identity, or empty */
	unsigned char *sealed;  /* a denouncer's sealed identity, or NULL */
	size_t sealed_len;
	char *search_key;
	char code[CASE_CODE_LEN + 1]; /* checked against the cases */
};

void case_intake_prepared_free(CaseIntakePrepared *p)
{
	if (!p)
		return;
	case_checked_release(&p->c);
	if (p->person.data)
		sodium_memzero(p->person.data, p->person.len);
	buf_release(&p->person);
	free(p->sealed);
	free(p->search_key);
	free(p);
}

Rc case_intake_log_prepare(Db *db, const CaseIntake *in, CaseIntakePrepared **out,
			   const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	CaseIntakePrepared *p = xcalloc(1, sizeof *p);
	*out = NULL;
	Rc rc = case_intake_check(db, NULL, in, &p->c, problem);
	/* The log takes the public form's submissions only: staff intake
	 * (other channels, real dates, files) writes its case at once. */
	if (!rc && (!str_eq(p->c.channel, "web") || p->c.forwarded_from))
		rc = RC_INVALID;
	if (!rc && !p->c.anonymous && p->c.kind == KIND_DENUNCIATION)
		rc = case_intake_seal(db, &p->c, &p->sealed, &p->sealed_len);
	else if (!rc && !p->c.anonymous && !person_json(&p->person, &p->c))
		rc = RC_INTERNAL;
	if (!rc)
		rc = case_code_new(db, p->code);
	if (!rc)
		p->search_key = case_search_key_of(p->c.title, p->c.content);
	if (rc) {
		case_intake_prepared_free(p);
		return rc;
	}
	*out = p;
	return RC_OK;
}

typedef struct AppendWork {
	const CaseIntakePrepared *p;
	char code[CASE_CODE_LEN + 1];
} AppendWork;

/* The row, under the prepared code; a code already in the log (UNIQUE)
 * gets a fresh one. */
static Rc append_work(Db *log, void *arg)
{
	AppendWork *w = arg;
	const CaseIntakePrepared *p = w->p;
	const CaseChecked *c = &p->c;
	memcpy(w->code, p->code, sizeof w->code);
	Rc rc = RC_CONFLICT;
	for (int i = 0; rc == RC_CONFLICT && i < CODE_TRIES; i++) {
		if (i > 0)
			case_code_random(w->code);
		rc = db_run(log,
			    "INSERT INTO intake_log (code, created_at, kind, received_on, title, content,"
			    " search_key, unit_id, field_id, receiving_org_id, anonymous, people_count,"
			    " criteria, remote_area, person, sealed)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, ?, ?,"
			    " ?, ?, ?)",
			    "tltttttllliiiitb", w->code, util_now(), case_kind_id(c->kind),
			    c->received_on, c->title, c->content, p->search_key, c->unit_id, c->field_id,
			    c->receiving_org_id, (int)c->anonymous, c->people_count,
			    (int)(c->criteria & 127u), (int)c->remote_area,
			    p->person.len ? buf_cstr(&p->person) : NULL, p->sealed, (int)p->sealed_len);
	}
	return rc;
}

Rc case_intake_log_commit(Db *db, const CaseIntakePrepared *p, CaseCreated *out)
{
	memset(out, 0, sizeof *out);
	AppendWork w = {.p = p};
	Rc rc = log_write(db, append_work, &w);
	if (!rc)
		memcpy(out->code, w.code, sizeof out->code);
	pthread_mutex_lock(&state_mu);
	void (*notify)(void) = on_commit;
	pthread_mutex_unlock(&state_mu);
	if (!rc && notify)
		notify();
	return rc;
}

Rc case_intake_log_append(Db *db, const CaseIntake *in, CaseCreated *out, const char **problem)
{
	memset(out, 0, sizeof *out);
	CaseIntakePrepared *p;
	Rc rc = case_intake_log_prepare(db, in, &p, problem);
	if (!rc)
		rc = case_intake_log_commit(db, p, out);
	case_intake_prepared_free(p);
	return rc;
}

/* ---- build ---------------------------------------------------------------- */

static char *json_member(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s && *s ? xstrdup(s) : NULL;
}

/* The identity members of *c from the row's JSON. */
static Rc person_parse(const char *text, CaseChecked *c)
{
	json_t *j = json_parse_capped(text, strlen(text), PERSON_JSON_MAX);
	if (!json_is_object(j)) {
		json_release(j);
		return RC_INVALID;
	}
	c->name = json_member(j, "name");
	c->address = json_member(j, "address");
	c->phone = json_member(j, "phone");
	c->email = json_member(j, "email");
	c->id_number = json_member(j, "id_number");
	json_t *reps = json_object_get(j, "representatives");
	for (size_t i = 0; i < json_array_size(reps) && c->nreps < CASE_REPRESENTATIVES_MAX; i++) {
		const char *s = json_string_value(json_array_get(reps, i));
		if (s)
			c->reps[c->nreps++] = xstrdup(s);
	}
	json_release(j);
	return RC_OK;
}

#define ROW_COLUMNS                                                                            \
	"id, code, created_at, kind, received_on, title, content, coalesce(unit_id, 0),"       \
	" coalesce(field_id, 0), coalesce(receiving_org_id, 0), anonymous, people_count,"    \
	" criteria, remote_area, person, sealed, search_key"

/* Is the code of this row a case already: the same submission built
 * before a crash kept the row (*done), or another case (RC_CONFLICT)? */
static Rc already_built(Db *db, DbStmt *row, bool *done)
{
	*done = false;
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT created_at, title FROM cases WHERE code = ?", "t",
			db_col_text(row, 1));
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		if (db_col_int(st, 0) == db_col_int(row, 2) &&
		    str_eq(db_col_text(st, 1), db_col_text(row, 5)))
			*done = true;
		else
			rc = RC_CONFLICT;
	} else if (s != DB_DONE) {
		rc = (Rc)-s;
	}
	db_done(st);
	return rc;
}

/* Build the case of the log row `row` is on, in the main database. */
static Rc build_row(Db *db, DbStmt *row)
{
	bool done;
	Rc rc = already_built(db, row, &done);
	if (rc || done)
		return rc;
	CaseChecked c;
	memset(&c, 0, sizeof c);
	if (!case_kind_parse(db_col_text(row, 3), &c.kind))
		rc = RC_INVALID;
	xsnprintf(c.channel, sizeof c.channel, "web");
	xsnprintf(c.received_on, sizeof c.received_on, "%s", db_col_text(row, 4));
	c.title = xstrdup(db_col_text(row, 5));
	c.content = xstrdup(db_col_text(row, 6));
	c.unit_id = db_col_int(row, 7);
	c.field_id = db_col_int(row, 8);
	c.receiving_org_id = db_col_int(row, 9);
	c.anonymous = db_col_int(row, 10) != 0;
	c.people_count = (int)db_col_int(row, 11);
	c.criteria = (unsigned)db_col_int(row, 12);
	c.remote_area = db_col_int(row, 13) != 0;
	if (!rc && !db_col_null(row, 14))
		rc = person_parse(db_col_text(row, 14), &c);
	CaseIntakeAs as = {
		.code = db_col_text(row, 1),
		.sealed = db_col_null(row, 15) ? NULL : db_col_blob(row, 15),
		.sealed_len = (size_t)db_col_bytes(row, 15),
		.created_at = db_col_int(row, 2),
		.search_key = db_col_null(row, 16) ? NULL : db_col_text(row, 16),
	};
	CaseCreated made;
	if (!rc)
		rc = case_intake_store(db, NULL, &c, &as, &made);
	case_checked_release(&c);
	return rc;
}

/* What became of each row of a batch. */
typedef struct Outcome {
	int64_t id;
	bool built;
	char error[160];
} Outcome;

/* The cases of up to `max` rows, in one write transaction of the main
 * database, each row in a savepoint.  Fills outcome[0..*n). */
static Rc build_batch(Db *db, Db *log, int max, Outcome *outcome, int *n)
{
	*n = 0;
	DbStmt *rows;
	Rc rc = db_prep(log, &rows,
			"SELECT " ROW_COLUMNS " FROM intake_log WHERE attempts < ? ORDER BY id LIMIT ?",
			"ii", INTAKE_ATTEMPTS_MAX, max);
	if (rc)
		return rc;
	rc = db_begin_write(db);
	if (rc) {
		db_done(rows);
		return rc;
	}
	/* The search-index rows of the whole batch are written once, before
	 * the commit (db_run_deferred): one index segment per batch. */
	db_defer_begin(db);
	int step;
	while (!rc && *n < max && (step = db_step(rows)) == DB_ROW) {
		Outcome *o = &outcome[(*n)++];
		o->id = db_col_int(rows, 0);
		if ((rc = db_run(db, "SAVEPOINT intake_row", "")))
			break;
		size_t mark = db_defer_mark(db);
		Rc row_rc = build_row(db, rows);
		/* The core to whoever waits for it — on a server, a request thread
		 * that its group commit has just woken — before the next case
		 * (~0.3 ms of CPU each); with nobody waiting this returns at once.
		 * Submissions acknowledged a second, two cores, sixteen request
		 * threads: ~2,460 without it, ~2,850-3,670 with it
		 * (jobs/intake_builder.h). */
		sched_yield();
		if (!row_rc) {
			o->built = true;
			rc = db_run(db, "RELEASE intake_row", "");
			continue;
		}
		/* The database failing (locked, I/O, full) is no fault of the row:
		 * the whole batch stops and every row waits for the next round,
		 * its attempts untouched.  What is left is the row's own (a
		 * constraint, data that does not parse): it alone is set aside. */
		if (row_rc == RC_DB || row_rc == RC_BUSY || row_rc == RC_IO) {
			rc = row_rc;
			break;
		}
		xsnprintf(o->error, sizeof o->error, "%s",
			  row_rc == RC_CONFLICT ? "the code is another case's" : rc_name(row_rc));
		db_defer_drop(db, mark);
		rc = db_run(db, "ROLLBACK TO intake_row", "");
		if (!rc)
			rc = db_run(db, "RELEASE intake_row", "");
	}
	if (!rc && step < 0)
		rc = (Rc)-step;
	db_done(rows);
	rc = db_defer_commit(db, rc);
	if (rc)
		*n = 0;
	return rc;
}

typedef struct SettleWork {
	const Outcome *outcome;
	int n;
} SettleWork;

/* In the log: built rows go, failed ones keep their error. */
static Rc settle_work(Db *log, void *arg)
{
	SettleWork *w = arg;
	Rc rc = RC_OK;
	for (int i = 0; !rc && i < w->n; i++) {
		const Outcome *o = &w->outcome[i];
		rc = o->built ? db_run(log, "DELETE FROM intake_log WHERE id = ?", "l", o->id)
			      : db_run(log, "UPDATE intake_log SET attempts = attempts + 1, last_error = ?"
					    " WHERE id = ?", "tl", o->error, o->id);
	}
	return rc;
}

Rc case_intake_log_build(Db *db, Db *log, int max, int *built, int *failed)
{
	*built = *failed = 0;
	if (max < 1)
		return RC_OK;
	Outcome *outcome = xcalloc((size_t)max, sizeof *outcome);
	int n = 0;
	Rc rc = build_batch(db, log, max, outcome, &n);
	/* Only once the cases are durable do their rows leave the log. */
	SettleWork w = {outcome, n};
	if (!rc && n)
		rc = log_write(db, settle_work, &w);
	for (int i = 0; !rc && i < n; i++) {
		if (outcome[i].built) {
			(*built)++;
			continue;
		}
		(*failed)++;
		log_warn("msg=\"intake log row not built\" log_id=%lld error=\"%j\"",
			 (long long)outcome[i].id, outcome[i].error);
	}
	free(outcome);
	return rc;
}

Rc case_intake_log_drain(Db *db, int64_t *built)
{
	*built = 0;
	Db *log;
	Rc rc = case_intake_log_open(db_path(db), &log);
	while (!rc) {
		int b = 0, f = 0;
		rc = case_intake_log_build(db, log, CASE_INTAKE_BATCH, &b, &f);
		*built += b;
		if (b + f < CASE_INTAKE_BATCH)
			break;
	}
	db_close(log);
	return rc;
}

/* ---- lookups -------------------------------------------------------------- */

/* Run a read on the log: the shared reader while started, else a
 * connection of its own. */
static Rc log_read(Db *main, Rc (*read)(Db *log, void *arg), void *arg)
{
	pthread_mutex_lock(&reader_mu);
	Rc rc;
	if (reader) {
		rc = read(reader, arg);
		pthread_mutex_unlock(&reader_mu);
		return rc;
	}
	pthread_mutex_unlock(&reader_mu);
	/* No log file yet: nothing waits (and a read creates nothing). */
	char path[4096];
	case_intake_log_path(db_path(main), path, sizeof path);
	if (access(path, F_OK) != 0)
		return RC_OK;
	Db *log;
	if ((rc = case_intake_log_open(db_path(main), &log)))
		return rc;
	rc = read(log, arg);
	db_close(log);
	return rc;
}

typedef struct HasRead {
	const char *code;
	int64_t n;
} HasRead;

static Rc has_read(Db *log, void *arg)
{
	HasRead *h = arg;
	return db_get_int(log, &h->n, "SELECT count(*) FROM intake_log WHERE code = ?", "t", h->code);
}

Rc case_intake_log_has(Db *db, const char *code, bool *found)
{
	HasRead h = {code, 0};
	Rc rc = log_read(db, has_read, &h);
	*found = !rc && h.n > 0;
	return rc;
}

typedef struct CountRead {
	int64_t waiting, stuck;
} CountRead;

static Rc count_read(Db *log, void *arg)
{
	CountRead *c = arg;
	Rc rc = db_get_int(log, &c->waiting, "SELECT count(*) FROM intake_log WHERE attempts < ?", "i",
			   INTAKE_ATTEMPTS_MAX);
	if (!rc)
		rc = db_get_int(log, &c->stuck, "SELECT count(*) FROM intake_log WHERE attempts >= ?", "i",
				INTAKE_ATTEMPTS_MAX);
	return rc;
}

Rc case_intake_log_count(Db *db, int64_t *waiting, int64_t *stuck)
{
	CountRead c = {0, 0};
	Rc rc = log_read(db, count_read, &c);
	*waiting = c.waiting;
	*stuck = c.stuck;
	return rc;
}
