/*
 * case_load.c — reading one case for display: case_load for staff (area
 * scope, personal data only with CAP_CASE_VIEW in scope), case_load_public
 * for the citizen holding the tracking code (never personal data, never
 * internal names), and case_release.
 *
 * Every string of a loaded Case is malloc'd; those that are not personal
 * data are never NULL ("" when empty), the personal ones are NULL unless
 * the reader may see them.  Lists (events, deadlines, links) are in
 * case_detail.h.
 */
#include "case_priv.h"

void case_release(Case *c)
{
	if (!c)
		return;
	char **s[] = {&c->title, &c->content, &c->field_name, &c->unit_name,
		      &c->responsible_org_name, &c->assignee_name, &c->outcome, &c->refuse_reason,
		      &c->pseudonym, &c->citizen_name, &c->citizen_address, &c->citizen_phone,
		      &c->citizen_email, &c->citizen_id_number, &c->rating_note, &c->forwarded_from};
	for (size_t i = 0; i < ARRAY_LEN(s); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
	for (size_t i = 0; i < ARRAY_LEN(c->representatives); i++) {
		free(c->representatives[i]);
		c->representatives[i] = NULL;
	}
	free(c->monitors);
	c->monitors = NULL;
	c->n_monitors = 0;
}

static char *dup_col(DbStmt *st, int i)
{
	return xstrdup(db_col_text(st, i));
}

static char *dup_or_null(DbStmt *st, int i)
{
	return db_col_null(st, i) ? NULL : xstrdup(db_col_text(st, i));
}

/* Fill from a load_by_id row.  `person` = the reader may see personal
 * data; `staff` = the reader is staff (names of colleagues, pseudonym). */
static void fill(DbStmt *st, Case *c, bool person, bool staff)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, 0);
	snprintf(c->code, sizeof c->code, "%s", db_col_text(st, 1));
	if (!case_kind_parse(db_col_text(st, 2), &c->kind))
		c->kind = KIND_PETITION;
	/* The columns hold values from fixed lists that fit these buffers. */
	snprintf(c->status, sizeof c->status, "%s", db_col_text(st, 3));
	snprintf(c->channel, sizeof c->channel, "%s", db_col_text(st, 4));
	snprintf(c->received_on, sizeof c->received_on, "%s", db_col_text(st, 5));
	c->created_at = db_col_int(st, 6);
	c->updated_at = db_col_int(st, 7);
	c->title = dup_col(st, 8);
	c->content = dup_col(st, 9);
	c->field_id = db_col_int(st, 10);
	c->field_name = dup_col(st, 11);
	c->unit_id = db_col_int(st, 12);
	c->unit_name = dup_col(st, 13);
	c->receiving_org_id = db_col_int(st, 14);
	c->responsible_org_id = db_col_int(st, 15);
	c->assignee_id = staff ? db_col_int(st, 16) : 0;
	c->responsible_org_name = dup_col(st, 17);
	c->assignee_name = xstrdup(staff ? db_col_text(st, 18) : "");
	c->anonymous = db_col_int(st, 19) != 0;
	c->people_count = (int)db_col_int(st, 20);
	c->instance = (int)db_col_int(st, 21);
	c->extensions = (int)db_col_int(st, 22);
	c->remote_area = db_col_int(st, 23) != 0;
	c->criteria = (unsigned)db_col_int(st, 24);
	c->outcome = dup_col(st, 25);
	c->refuse_reason = dup_col(st, 26);
	c->pseudonym = xstrdup(staff ? db_col_text(st, 27) : "");
	if (person) {
		c->citizen_name = dup_or_null(st, 28);
		c->citizen_address = dup_or_null(st, 29);
		c->citizen_phone = dup_or_null(st, 30);
		c->citizen_email = dup_or_null(st, 31);
		c->citizen_id_number = dup_or_null(st, 32);
	}
	c->personal_visible = person;
	c->identity_sealed = db_col_int(st, 33) != 0;
	c->rating = (int)db_col_int(st, 34);
	c->rating_note = dup_col(st, 35);
	c->forwarded_from = dup_col(st, 36);
	c->parent_id = db_col_int(st, 37);
	snprintf(c->suspended_since, sizeof c->suspended_since, "%s", db_col_text(st, 38));
}

static Rc load_related(Db *db, Case *c, bool person)
{
	DbStmt *st;
	Rc rc;
	if (person) {
		rc = db_prep(db, &st, "SELECT name FROM case_person WHERE case_id = ? ORDER BY id LIMIT ?",
			     "li", c->id, (int)ARRAY_LEN(c->representatives));
		if (rc)
			return rc;
		int s = DB_ROW;
		for (size_t i = 0; i < ARRAY_LEN(c->representatives) && (s = db_step(st)) == DB_ROW; i++)
			c->representatives[i] = dup_col(st, 0);
		db_done(st);
		if (s < 0)
			return (Rc)-s;
	}
	rc = db_prep(db, &st, "SELECT org_id FROM case_monitor WHERE case_id = ? ORDER BY org_id LIMIT ?",
		     "li", c->id, CASE_MONITORS_MAX);
	if (rc)
		return rc;
	c->monitors = xmalloc(CASE_MONITORS_MAX * sizeof *c->monitors);
	int s = DB_ROW;
	while (c->n_monitors < CASE_MONITORS_MAX && (s = db_step(st)) == DB_ROW)
		c->monitors[c->n_monitors++] = db_col_int(st, 0);
	db_done(st);
	return s < 0 ? (Rc)-s : RC_OK;
}

static Rc load_row(DbStmt *st, Case *out, bool person, bool staff)
{
	int s = db_step(st);
	if (s == DB_ROW)
		fill(st, out, person, staff);
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

/* The case row with the names it refers to; the columns fill() reads. */
static Rc load_by_id(Db *db, int64_t id, Case *out, bool person, bool staff)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT c.id, c.code, c.kind, c.status, c.channel, c.received_on, c.created_at,"
			" c.updated_at, c.title, c.content, coalesce(c.field_id, 0), coalesce(f.name, ''),"
			" coalesce(c.unit_id, 0), coalesce(u.full_name, ''), coalesce(c.receiving_org_id, 0),"
			" coalesce(c.responsible_org_id, 0), coalesce(c.assignee_id, 0),"
			" coalesce((SELECT name FROM org_name WHERE org_id = c.responsible_org_id"
			"   ORDER BY valid_to IS NULL DESC, valid_from DESC LIMIT 1), ''),"
			" coalesce(a.name, ''), c.anonymous, c.people_count, c.instance, c.extensions,"
			" c.remote_area, c.criteria, c.outcome, c.refuse_reason, c.pseudonym, c.citizen_name,"
			" c.citizen_address, c.citizen_phone, c.citizen_email, c.citizen_id_number,"
			" c.identity_sealed IS NOT NULL, coalesce(c.rating, 0), c.rating_note, c.forwarded_from,"
			" coalesce(c.parent_id, 0), coalesce(c.suspended_since, '')"
			" FROM cases c LEFT JOIN field f ON f.id = c.field_id"
			" LEFT JOIN unit u ON u.id = c.unit_id LEFT JOIN user a ON a.id = c.assignee_id"
			" WHERE c.id = ?",
			"l", id);
	if (!rc)
		rc = load_row(st, out, person, staff);
	if (!rc)
		rc = load_related(db, out, person);
	if (rc)
		case_release(out);
	return rc;
}

Rc case_load(Db *db, const Principal *who, int64_t id, Case *out)
{
	memset(out, 0, sizeof *out);
	CaseCore core;
	Rc rc = case_core_load(db, id, &core);
	if (rc)
		return rc;
	if (!case_in_area(db, who, &core))
		return RC_NOT_FOUND;
	return load_by_id(db, id, out, case_may_see_person(db, who, &core), true);
}

Rc case_load_public(Db *db, const char *code, Case *out)
{
	memset(out, 0, sizeof *out);
	char norm[CASE_CODE_LEN + 1];
	if (!case_code_parse(code, norm))
		return RC_NOT_FOUND;
	int64_t id = 0;
	Rc rc = db_get_int(db, &id, "SELECT id FROM cases WHERE code = ?", "t", norm);
	return rc ? rc : load_by_id(db, id, out, false, false);
}
