/*
 * case_detail.c — deadlines, events and links of one case (see
 * case_detail.h).  Plain reads with bound parameters; the reader's right
 * to see the case was checked by case_load / case_load_public before.
 */
#include "case_detail.h"
#include "unit.h"

/* Copy a column into a fixed buffer, cutting (never overflowing) when
 * the stored text is longer than the field allows. */
static void col_copy(DbStmt *st, int col, char *dst, size_t size)
{
	const char *s = db_col_text(st, col);
	size_t n = strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

/* Grow an array of `size`-byte elements when it is full. */
static void *grow(void *p, size_t len, size_t *cap, size_t size)
{
	if (len < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(p, *cap * size);
}

/* ---- deadlines ------------------------------------------------------- */

void case_deadlines_free(CaseDeadline *d, size_t n)
{
	if (!d)
		return;
	for (size_t i = 0; i < n; i++)
		free(d[i].basis);
	free(d);
}

Rc case_deadlines(Db *db, int64_t case_id, CaseDeadline **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char today[11];
	unit_today(today);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, step, starts_on, due_on, coalesce(met_on, ''), state, basis"
			" FROM case_deadline WHERE case_id = ? ORDER BY due_on, id",
			"l", case_id);
	if (rc)
		return rc;
	CaseDeadline *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		v = grow(v, len, &cap, sizeof *v);
		CaseDeadline *d = &v[len++];
		memset(d, 0, sizeof *d);
		d->id = db_col_int(st, 0);
		col_copy(st, 1, d->step, sizeof d->step);
		col_copy(st, 2, d->starts_on, sizeof d->starts_on);
		col_copy(st, 3, d->due_on, sizeof d->due_on);
		col_copy(st, 4, d->met_on, sizeof d->met_on);
		col_copy(st, 5, d->state, sizeof d->state);
		d->basis = xstrdup(db_col_text(st, 6));
		/* ISO dates compare as strings */
		d->overdue = str_eq(d->state, "open") && strcmp(d->due_on, today) < 0;
	}
	db_done(st);
	if (s < 0) {
		case_deadlines_free(v, len);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

/* ---- events ---------------------------------------------------------- */

void case_events_free(CaseEvent *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++) {
		free(e[i].actor);
		free(e[i].note);
		free(e[i].doc_number);
	}
	free(e);
}

void case_events_release(CaseEvent *e, size_t n)
{
	case_events_free(e, n);
}

/* Read the rows of a prepared event query (columns as in case_events).
 * The citizen's own entries are recognised by their actor: case_event_add
 * records a NULL actor_id and the name "citizen" for them. */
static Rc events_read(DbStmt *st, CaseEvent **out, size_t *n, bool *truncated)
{
	CaseEvent *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (len == CASE_DETAIL_MAX_EVENTS) {
			*truncated = true;
			continue;
		}
		v = grow(v, len, &cap, sizeof *v);
		CaseEvent *e = &v[len++];
		memset(e, 0, sizeof *e);
		e->id = db_col_int(st, 0);
		e->at = db_col_int(st, 1);
		e->actor = xstrdup(db_col_text(st, 2));
		col_copy(st, 3, e->action, sizeof e->action);
		col_copy(st, 4, e->from_status, sizeof e->from_status);
		col_copy(st, 5, e->to_status, sizeof e->to_status);
		e->note = xstrdup(db_col_text(st, 6));
		e->doc_number = xstrdup(db_col_text(st, 7));
		col_copy(st, 8, e->doc_date, sizeof e->doc_date);
		e->citizen = db_col_int(st, 9) != 0;
		e->by_citizen = db_col_int(st, 10) != 0;
	}
	db_done(st);
	if (s < 0) {
		case_events_free(v, len);
		*truncated = false;
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

Rc case_events(Db *db, int64_t case_id, bool citizen_only, CaseEvent **out, size_t *n,
	       bool *truncated)
{
	*out = NULL;
	*n = 0;
	*truncated = false;
	DbStmt *st;
	/* One row past the cap tells whether the history was cut. */
	Rc rc = db_prep(db, &st,
			"SELECT id, at, actor, action, from_status, to_status, note, doc_number,"
			" coalesce(doc_date, ''), visibility = 'citizen',"
			" actor_id IS NULL AND actor = 'citizen'"
			" FROM case_event WHERE case_id = ? AND (? = 0 OR visibility = 'citizen')"
			" ORDER BY id LIMIT ?",
			"lii", case_id, citizen_only ? 1 : 0, CASE_DETAIL_MAX_EVENTS + 1);
	return rc ? rc : events_read(st, out, n, truncated);
}

Rc case_events_public(Db *db, const char *code, CaseEvent **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	bool truncated = false;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, at, actor, action, from_status, to_status, note, doc_number,"
			" coalesce(doc_date, ''), 1, actor_id IS NULL AND actor = 'citizen' FROM case_event"
			" WHERE case_id = (SELECT id FROM cases WHERE code = ?) AND visibility = 'citizen'"
			" ORDER BY id LIMIT ?",
			"ti", code, CASE_DETAIL_MAX_EVENTS + 1);
	return rc ? rc : events_read(st, out, n, &truncated);
}

/* ---- links ----------------------------------------------------------- */

Rc case_links(Db *db, int64_t case_id, CaseLinkRow **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT l.other_id, c.code, l.kind, l.confirmed, 0 FROM case_link l"
			" JOIN cases c ON c.id = l.other_id WHERE l.case_id = ?"
			" UNION ALL"
			" SELECT l.case_id, c.code, l.kind, l.confirmed, 1 FROM case_link l"
			" JOIN cases c ON c.id = l.case_id WHERE l.other_id = ?"
			" ORDER BY 1, 3 LIMIT ?",
			"lli", case_id, case_id, CASE_DETAIL_MAX_LINKS);
	if (rc)
		return rc;
	CaseLinkRow *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		v = grow(v, len, &cap, sizeof *v);
		CaseLinkRow *l = &v[len++];
		memset(l, 0, sizeof *l);
		l->other_id = db_col_int(st, 0);
		col_copy(st, 1, l->other_code, sizeof l->other_code);
		col_copy(st, 2, l->kind, sizeof l->kind);
		l->confirmed = db_col_int(st, 3) != 0;
		l->incoming = db_col_int(st, 4) != 0;
	}
	db_done(st);
	if (s < 0) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}
