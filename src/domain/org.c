/*
 * org.c — organisations (see org.h).
 */
#include "org.h"
#include "audit.h"
#include "../base/text.h"
#include "../base/date.h"

const OrgKindInfo org_kinds[] = {
	{"party_committee", "Party committee"},
	{"massmob_commission", "Propaganda and mass-mobilisation commission"},
	{"peoples_committee", "People's committee"},
	{"inspectorate", "Inspectorate"},
	{"fatherland_front", "Fatherland Front"},
	{"mass_org", "Mass organisation"},
	{"steering_committee", "Steering committee"},
	{"department", "Department"},
};
const size_t org_kinds_count = ARRAY_LEN(org_kinds);

bool org_kind_valid(const char *id)
{
	return org_kind_label(id) != NULL;
}

const char *org_kind_label(const char *id)
{
	for (size_t i = 0; i < org_kinds_count; i++)
		if (str_eq(id, org_kinds[i].id))
			return org_kinds[i].label;
	return NULL;
}

void org_release(Org *o)
{
	if (!o)
		return;
	free(o->name);
	free(o->short_name);
	free(o->unit_name);
	o->name = o->short_name = o->unit_name = NULL;
}

static bool code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > 60)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

Rc org_create(Db *db, const Actor *actor, int64_t parent_id, int64_t unit_id, const char *kind,
	      const char *code, const char *name, const char *short_name, const char *valid_from,
	      int64_t *id_out)
{
	Date d;
	if (!org_kind_valid(kind) || !code_valid(code) || !name || !*name ||
	    text_length(name) > 300 || !date_parse_iso(valid_from, &d))
		return RC_INVALID;
	int64_t tmp;
	if (parent_id && db_get_int(db, &tmp, "SELECT id FROM org WHERE id = ?", "l", parent_id))
		return RC_INVALID;
	if (unit_id && db_get_int(db, &tmp, "SELECT id FROM unit WHERE id = ?", "l", unit_id))
		return RC_INVALID;
	Rc rc = db_run(db, "INSERT INTO org (parent_id, unit_id, kind, code, created_at)"
			   " VALUES (nullif(?,0), nullif(?,0), ?, ?, ?)",
		       "llttl", parent_id, unit_id, kind, code, util_now());
	if (rc)
		return rc;
	int64_t id = db_last_id(db);
	char *key = text_search_key(name);
	rc = db_run(db, "INSERT INTO org_name (org_id, name, short_name, name_key, valid_from)"
			" VALUES (?,?,?,?,?)",
		    "ltttt", id, name, short_name ? short_name : "", key, valid_from);
	free(key);
	if (!rc)
		rc = audit_append(db, actor->id, actor->name, "org.create", "org", id, unit_id, code);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

Rc org_rename(Db *db, const Actor *actor, int64_t id, const char *name, const char *short_name,
	      const char *valid_from)
{
	Date d;
	if (!name || !*name || text_length(name) > 300 || !date_parse_iso(valid_from, &d))
		return RC_INVALID;
	int64_t unit_id = 0;
	Rc rc = db_get_int(db, &unit_id, "SELECT coalesce(unit_id,0) FROM org WHERE id = ?", "l", id);
	if (rc)
		return rc;
	/* The new period must start after the current one did. */
	int64_t later = 0;
	db_get_int(db, &later, "SELECT count(*) FROM org_name WHERE org_id = ? AND valid_from >= ?",
		   "lt", id, valid_from);
	if (later)
		return RC_CONFLICT;
	Buf prev = BUF_INIT;
	date_format_iso(&prev, date_add_days(d, -1));
	rc = db_run(db, "UPDATE org_name SET valid_to = ? WHERE org_id = ? AND valid_to IS NULL",
		    "tl", buf_cstr(&prev), id);
	buf_release(&prev);
	char *key = text_search_key(name);
	if (!rc)
		rc = db_run(db, "INSERT INTO org_name (org_id, name, short_name, name_key, valid_from)"
				" VALUES (?,?,?,?,?)",
			    "ltttt", id, name, short_name ? short_name : "", key, valid_from);
	free(key);
	if (!rc)
		rc = audit_append(db, actor->id, actor->name, "org.rename", "org", id, unit_id, name);
	return rc;
}

Rc org_load(Db *db, int64_t id, const char *on_date, Org *out)
{
	char today[11];
	if (!on_date) {
		date_vn_today_iso(today);
		on_date = today;
	}
	memset(out, 0, sizeof *out);
	DbStmt *st;
	/* The name in force on the date; if the date precedes every name, the
	 * earliest one. */
	Rc rc = db_prep(db, &st,
			"SELECT o.id, coalesce(o.parent_id,0), coalesce(o.unit_id,0), o.kind, o.code,"
			" (SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			" (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1),"
			" (SELECT n.short_name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			" coalesce(u.full_name, '')"
			" FROM org o LEFT JOIN unit u ON u.id = o.unit_id WHERE o.id = ?1",
			"lt", id, on_date);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->parent_id = db_col_int(st, 1);
		out->unit_id = db_col_int(st, 2);
		xsnprintf(out->kind, sizeof out->kind, "%s", db_col_text(st, 3));
		xsnprintf(out->code, sizeof out->code, "%s", db_col_text(st, 4));
		out->name = xstrdup(db_col_null(st, 5) ? db_col_text(st, 6) : db_col_text(st, 5));
		out->short_name = xstrdup(db_col_text(st, 7));
		out->unit_name = xstrdup(db_col_text(st, 8));
	}
	db_done(st);
	if (s == DB_ROW)
		return RC_OK;
	return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc org_find_code(Db *db, const char *code, int64_t *id)
{
	return db_get_int(db, id, "SELECT id FROM org WHERE code = ?", "t", code);
}
