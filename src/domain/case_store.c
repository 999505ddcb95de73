/*
 * case_store.c — the helpers every case operation shares (case_priv.h):
 * the compact row behind each check, the area test, the event and audit
 * writers, the full-text row and the deadline wrappers.
 *
 * The area rule (architecture.md, "Routes and capabilities"): a case is
 * in a user's area when its commune lies inside the user's scope unit, or
 * when the user's organisation received it, is responsible for it or
 * monitors it.  Everything outside reads as "no such case".
 */
#include "case_priv.h"
#include "audit.h"
#include "deadline.h"
#include "unit.h"

Date case_today(void)
{
	return date_vn_from_unix(util_now());
}

/* The columns of case_core_load, in order. */
static void core_fill(DbStmt *st, CaseCore *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, 0);
	snprintf(c->code, sizeof c->code, "%s", db_col_text(st, 1)); /* codes are 12 chars */
	if (!case_kind_parse(db_col_text(st, 2), &c->kind))
		c->kind = KIND_PETITION; /* the CHECK constraint makes this unreachable */
	snprintf(c->status, sizeof c->status, "%s", db_col_text(st, 3));
	snprintf(c->received_on, sizeof c->received_on, "%s", db_col_text(st, 4));
	c->unit_id = db_col_int(st, 5);
	c->receiving_org_id = db_col_int(st, 6);
	c->responsible_org_id = db_col_int(st, 7);
	c->assignee_id = db_col_int(st, 8);
	c->field_id = db_col_int(st, 9);
	c->instance = (int)db_col_int(st, 10);
	c->extensions = (int)db_col_int(st, 11);
	c->people_count = (int)db_col_int(st, 12);
	c->criteria = (unsigned)db_col_int(st, 13);
	c->remote_area = db_col_int(st, 14) != 0;
	c->anonymous = db_col_int(st, 15) != 0;
	c->sealed = db_col_int(st, 16) != 0;
	c->has_email = db_col_int(st, 17) != 0;
}

static Rc core_finish(DbStmt *st, CaseCore *out)
{
	int s = db_step(st);
	if (s == DB_ROW)
		core_fill(st, out);
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc case_core_load(Db *db, int64_t id, CaseCore *out)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, code, kind, status, received_on, coalesce(unit_id, 0),"
			" coalesce(receiving_org_id, 0), coalesce(responsible_org_id, 0),"
			" coalesce(assignee_id, 0), coalesce(field_id, 0), instance, extensions,"
			" people_count, criteria, remote_area, anonymous, identity_sealed IS NOT NULL,"
			" coalesce(citizen_email, '') <> '' FROM cases WHERE id = ?",
			"l", id);
	return rc ? rc : core_finish(st, out);
}

Rc case_core_by_code(Db *db, const char *code, CaseCore *out)
{
	int64_t id = 0;
	Rc rc = db_get_int(db, &id, "SELECT id FROM cases WHERE code = ?", "t", code);
	return rc ? rc : case_core_load(db, id, out);
}

/* By unit or by the organisation that received or answers for it. */
static bool in_area_direct(Db *db, const Principal *who, const CaseCore *c)
{
	if (unit_within(db, c->unit_id, who->scope_unit_id))
		return true;
	return who->org_id &&
	       (c->receiving_org_id == who->org_id || c->responsible_org_id == who->org_id);
}

bool case_in_area(Db *db, const Principal *who, const CaseCore *c)
{
	if (!who || !(who->caps & CASE_ANY_CAP))
		return false;
	if (in_area_direct(db, who, c))
		return true;
	/* A mass-mobilisation body follows the cases it was asked to
	 * monitor, wherever they are. */
	int64_t n = 0;
	if (db_get_int(db, &n, "SELECT count(*) FROM case_monitor WHERE case_id = ? AND org_id = ?",
		       "ll", c->id, who->org_id))
		return false;
	return n > 0;
}

bool case_may_see_person(Db *db, const Principal *who, const CaseCore *c)
{
	/* Monitoring bodies and leaders follow the matter, not the person:
	 * personal data is for those who receive or handle the case. */
	return who && (who->caps & CAP_CASE_VIEW) &&
	       (who->caps & (CAP_CASE_RECEIVE | CAP_CASE_HANDLE)) && in_area_direct(db, who, c);
}

Rc case_event_add(Db *db, int64_t case_id, const Principal *who, const CaseEventIn *e,
		  int64_t *event_id)
{
	Rc rc = db_run(db,
		       "INSERT INTO case_event (case_id, at, actor_id, actor, action, from_status,"
		       " to_status, note, doc_number, doc_date, visibility)"
		       " VALUES (?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, nullif(?, ''), ?)",
		       "llltttttttt", case_id, util_now(), who ? who->id : 0,
		       who ? who->login : "citizen", e->action, e->from ? e->from : "",
		       e->to ? e->to : "", e->note ? e->note : "",
		       e->doc_number ? e->doc_number : "", e->doc_date ? e->doc_date : "",
		       e->visibility ? e->visibility : "internal");
	if (!rc && event_id)
		*event_id = db_last_id(db);
	return rc;
}

Rc case_audit(Db *db, const Principal *who, const char *action, const CaseCore *c,
	      const char *detail)
{
	char name[48];
	xsnprintf(name, sizeof name, "case.%s", action);
	return audit_append(db, who ? who->id : 0, who ? who->login : "citizen", name, "case", c->id,
			    c->unit_id, detail);
}

Rc case_touch(Db *db, int64_t id)
{
	return db_run(db, "UPDATE cases SET updated_at = ? WHERE id = ?", "ll", util_now(), id);
}

Rc case_fts_set(Db *db, int64_t id, const char *old_key, const char *new_key)
{
	/* case_fts is contentless: a row is removed by repeating the text it
	 * was indexed with. */
	if (!old_key) /* a new case: in group commit, once for the whole group */
		return db_run_deferred(db, "INSERT INTO case_fts (rowid, search_key) VALUES (?, ?)", id,
				       new_key);
	Rc rc = db_run(db, "INSERT INTO case_fts (case_fts, rowid, search_key) VALUES ('delete', ?, ?)",
		       "lt", id, old_key);
	if (!rc)
		rc = db_run(db, "INSERT INTO case_fts (rowid, search_key) VALUES (?, ?)", "lt", id,
			    new_key);
	return rc;
}

/* ---- deadlines ---------------------------------------------------------- */

/* Anonymous information is not a complaint or a denunciation (Law
 * 25/2018 Art. 25): its clock, if any, is the petition's. */
static const char *deadline_kind(const CaseCore *c)
{
	return c->anonymous ? "petition" : case_kind_id(c->kind);
}

Rc case_step_open(Db *db, const CaseCore *c, const char *step, Date event)
{
	DeadlineQuery q = {
		.kind = deadline_kind(c),
		.step = step,
		.complexity = case_complexity(c->criteria),
		.remote = c->remote_area,
		.multi_place = (c->criteria & CRIT_MULTI_PLACE) != 0,
		.on = event,
	};
	Rc rc = deadline_open(db, c->id, &q, event);
	return rc == RC_NOT_FOUND ? RC_OK : rc;
}

Rc case_step_meet(Db *db, const CaseCore *c, const char *step, Date on)
{
	Rc rc = deadline_meet(db, c->id, step, on);
	return rc == RC_NOT_FOUND ? RC_OK : rc;
}

const char *case_first_step(const CaseCore *c)
{
	if (c->anonymous)
		return "handle";
	switch (c->kind) {
	case KIND_COMPLAINT:
		return "accept";
	case KIND_DENUNCIATION:
		return "initial";
	default:
		return "handle";
	}
}

Rc case_first_step_open(Db *db, const CaseCore *c)
{
	Date d;
	if (!date_parse_iso(c->received_on, &d))
		return RC_INVALID;
	return case_step_open(db, c, case_first_step(c), d);
}
