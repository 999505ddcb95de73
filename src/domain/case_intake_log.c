/*
 * case_intake_log.c — the intake log: public submissions received as one
 * small row each, and built into cases in batches (case.h).
 *
 * Why: a case is some fifty pages of writes (the row, nine indexes, the
 * search index, deadline, event, audit), most of them at random places in
 * indexes of a million entries.  Written one submission at a time with a
 * durable commit each, that is what limits how many citizens a server can
 * take in (docs/performance.md, bench/cases.sh).  The log row is written
 * where every other log row is — the end of a table that holds only what
 * is not built yet — so a group commit of many submissions writes a few
 * pages, and the citizen gets the tracking code as soon as that commit is
 * durable.  The builder then writes hundreds of cases in one transaction,
 * in which submissions share index pages.
 *
 * What the log holds: the submission as intake checked it (CaseChecked),
 * never more.  A denouncer's identity is sealed to the vault before the
 * row is written, exactly as on a case, so the log never holds it in the
 * clear; other kinds keep theirs as JSON in `person`, as visible as the
 * case's own columns and gone with the row once the case is built.
 *
 * Building is idempotent per row: the case and the row's deletion are one
 * transaction, and a row whose code is already a case (which that cannot
 * produce, but a restored copy could) is just deleted.  A row that fails
 * to build is left with its error and tried again in later rounds, up to
 * INTAKE_ATTEMPTS_MAX times; after that it waits for an operator
 * (`danvan check` counts it) and never blocks the rows behind it.
 */
#include "case_priv.h"
#include "../base/json.h"
#include "../base/log.h"

#include <jansson.h>
#include <sodium.h>

#define INTAKE_ATTEMPTS_MAX 5
#define PERSON_JSON_MAX 8192

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

static Rc log_insert(Db *db, const CaseChecked *c, const char *code, const char *person,
		     const unsigned char *sealed, size_t sealed_len)
{
	return db_run(db,
		      "INSERT INTO intake_log (code, created_at, kind, received_on, title, content,"
		      " unit_id, field_id, receiving_org_id, anonymous, people_count, criteria,"
		      " remote_area, person, sealed)"
		      " VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, ?, ?)",
		      "tlttttllliiiitb", code, util_now(), case_kind_id(c->kind), c->received_on,
		      c->title, c->content, c->unit_id, c->field_id, c->receiving_org_id,
		      (int)c->anonymous, c->people_count, (int)(c->criteria & 127u),
		      (int)c->remote_area, person, sealed, (int)sealed_len);
}

Rc case_intake_log_append(Db *db, const CaseIntake *in, CaseCreated *out, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	memset(out, 0, sizeof *out);
	CaseChecked c;
	Rc rc = case_intake_check(db, NULL, in, &c, problem);
	/* The log takes the public form's submissions only: staff intake
	 * (other channels, real dates, files) writes its case at once. */
	if (!rc && (!str_eq(c.channel, "web") || c.forwarded_from))
		rc = RC_INVALID;
	if (!rc)
		rc = case_code_new(db, out->code);
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	Buf person = BUF_INIT;
	if (!rc && !c.anonymous && c.kind == KIND_DENUNCIATION)
		rc = case_intake_seal(db, &c, &sealed, &sealed_len);
	else if (!rc && !c.anonymous && !person_json(&person, &c))
		rc = RC_INTERNAL;
	if (!rc)
		rc = log_insert(db, &c, out->code, person.len ? buf_cstr(&person) : NULL, sealed,
				sealed_len);
	if (person.data)
		sodium_memzero(person.data, person.len);
	buf_release(&person);
	free(sealed);
	case_checked_release(&c);
	if (rc)
		memset(out, 0, sizeof *out);
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
	" criteria, remote_area, person, sealed"

/* Build the case of log row `log_id` and delete the row. */
static Rc build_row(Db *db, int64_t log_id)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT " ROW_COLUMNS " FROM intake_log WHERE id = ?", "l", log_id);
	if (rc)
		return rc;
	int step = db_step(st);
	if (step != DB_ROW) {
		db_done(st);
		return step == DB_DONE ? RC_NOT_FOUND : (Rc)-step;
	}
	const char *code = db_col_text(st, 1);
	int64_t taken = 0;
	rc = db_get_int(db, &taken, "SELECT count(*) FROM cases WHERE code = ?", "t", code);
	CaseChecked c;
	memset(&c, 0, sizeof c);
	if (!rc && !taken) {
		if (!case_kind_parse(db_col_text(st, 3), &c.kind))
			rc = RC_INVALID;
		xsnprintf(c.channel, sizeof c.channel, "web");
		xsnprintf(c.received_on, sizeof c.received_on, "%s", db_col_text(st, 4));
		c.title = xstrdup(db_col_text(st, 5));
		c.content = xstrdup(db_col_text(st, 6));
		c.unit_id = db_col_int(st, 7);
		c.field_id = db_col_int(st, 8);
		c.receiving_org_id = db_col_int(st, 9);
		c.anonymous = db_col_int(st, 10) != 0;
		c.people_count = (int)db_col_int(st, 11);
		c.criteria = (unsigned)db_col_int(st, 12);
		c.remote_area = db_col_int(st, 13) != 0;
		if (!rc && !db_col_null(st, 14))
			rc = person_parse(db_col_text(st, 14), &c);
		CaseIntakeAs as = {
			.code = code,
			.sealed = db_col_null(st, 15) ? NULL : db_col_blob(st, 15),
			.sealed_len = (size_t)db_col_bytes(st, 15),
			.created_at = db_col_int(st, 2),
		};
		CaseCreated made;
		if (!rc)
			rc = case_intake_store(db, NULL, &c, &as, &made);
		case_checked_release(&c);
	}
	db_done(st);
	if (!rc)
		rc = db_run(db, "DELETE FROM intake_log WHERE id = ?", "l", log_id);
	return rc;
}

/* The ids of up to `max` rows to build, oldest first (owned array). */
static Rc pending_ids(Db *db, int max, int64_t **ids, int *n)
{
	*ids = xcalloc((size_t)max, sizeof **ids);
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT id FROM intake_log WHERE attempts < ? ORDER BY id LIMIT ?",
			"ii", INTAKE_ATTEMPTS_MAX, max);
	if (rc)
		return rc;
	int step;
	while ((step = db_step(st)) == DB_ROW && *n < max)
		(*ids)[(*n)++] = db_col_int(st, 0);
	if (step < 0)
		rc = (Rc)-step;
	db_done(st);
	return rc;
}

/* A row that failed: its savepoint rolled back, the error kept on it. */
typedef struct Failed {
	int64_t id;
	char error[160];
} Failed;

Rc case_intake_log_build_rows(Db *db, int max, int *built, int *failed)
{
	*built = *failed = 0;
	if (max < 1)
		return RC_OK;
	int64_t *ids = NULL;
	int n = 0;
	Rc rc = pending_ids(db, max, &ids, &n);
	Failed *fails = xcalloc((size_t)max, sizeof *fails);
	for (int i = 0; !rc && i < n; i++) {
		if ((rc = db_run(db, "SAVEPOINT intake_row", "")))
			break;
		size_t mark = db_defer_mark(db);
		Rc row_rc = build_row(db, ids[i]);
		if (!row_rc) {
			rc = db_run(db, "RELEASE intake_row", "");
			(*built)++;
			continue;
		}
		Failed *f = &fails[(*failed)++];
		f->id = ids[i];
		/* the database's message only when the database failed */
		bool db_failed = row_rc == RC_DB || row_rc == RC_BUSY || row_rc == RC_CONFLICT ||
				 row_rc == RC_IO;
		xsnprintf(f->error, sizeof f->error, "%s%s%s", rc_name(row_rc), db_failed ? ": " : "",
			  db_failed ? db_errmsg(db) : "");
		db_defer_drop(db, mark);
		rc = db_run(db, "ROLLBACK TO intake_row", "");
		if (!rc)
			rc = db_run(db, "RELEASE intake_row", "");
	}
	for (int i = 0; !rc && i < *failed; i++)
		rc = db_run(db, "UPDATE intake_log SET attempts = attempts + 1, last_error = ? WHERE id = ?",
			    "tl", fails[i].error, fails[i].id);
	for (int i = 0; !rc && i < *failed; i++)
		log_warn("msg=\"intake log row not built\" log_id=%lld error=\"%j\"",
			 (long long)fails[i].id, fails[i].error);
	if (rc)
		*built = *failed = 0;
	free(fails);
	free(ids);
	return rc;
}

Rc case_intake_log_build(Db *db, int max, int *built, int *failed)
{
	*built = *failed = 0;
	Rc rc = db_begin_write(db);
	if (rc)
		return rc;
	/* The search-index rows of the whole batch are written once, before
	 * the commit (db_run_deferred): one index segment per batch. */
	db_defer_begin(db);
	rc = case_intake_log_build_rows(db, max, built, failed);
	if (!rc)
		rc = db_defer_flush(db);
	db_defer_end(db);
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		*built = *failed = 0;
	}
	return rc;
}

Rc case_intake_log_drain(Db *db, int64_t *built)
{
	*built = 0;
	for (;;) {
		int b = 0, f = 0;
		Rc rc = case_intake_log_build(db, CASE_INTAKE_BATCH, &b, &f);
		if (rc)
			return rc;
		*built += b;
		if (b + f < CASE_INTAKE_BATCH)
			return RC_OK;
	}
}

/* ---- lookups -------------------------------------------------------------- */

bool case_intake_log_has(Db *db, const char *code)
{
	int64_t n = 0;
	return !db_get_int(db, &n, "SELECT count(*) FROM intake_log WHERE code = ?", "t", code) && n;
}

Rc case_intake_log_count(Db *db, int64_t *waiting, int64_t *stuck)
{
	Rc rc = db_get_int(db, waiting, "SELECT count(*) FROM intake_log WHERE attempts < ?", "i",
			   INTAKE_ATTEMPTS_MAX);
	if (!rc)
		rc = db_get_int(db, stuck, "SELECT count(*) FROM intake_log WHERE attempts >= ?", "i",
				INTAKE_ATTEMPTS_MAX);
	return rc;
}
