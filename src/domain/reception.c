/*
 * reception.c — see reception.h.
 */
#include "reception.h"
#include "admin.h"
#include "audit.h"
#include "cap.h"
#include "org.h"
#include "../base/date.h"
#include "../base/text.h"

bool reception_kind_valid(const char *kind)
{
	return kind && (str_eq(kind, "regular") || str_eq(kind, "unscheduled") ||
			str_eq(kind, "dialogue"));
}

/* "HH:MM", 00:00 to 23:59. */
static bool time_valid(const char *s)
{
	return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
	       s[1] <= '9' && (s[0] < '2' || s[1] <= '3') && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9';
}

static bool text_ok(const char *s, size_t max, bool required)
{
	if (!s || !*s)
		return !required;
	return text_utf8_valid(s, strlen(s)) && text_length(s) <= max;
}

/* May `who` manage the receptions of organisation `org_id`?  RC_OK, or
 * RC_FORBIDDEN (another area's, or no such organisation). */
static Rc org_allowed(Db *db, const Principal *who, int64_t org_id)
{
	if (who->org_id == org_id)
		return RC_OK;
	Org o;
	Rc rc = org_load(db, org_id, NULL, &o);
	if (rc == RC_NOT_FOUND)
		return RC_FORBIDDEN;
	if (rc)
		return rc;
	bool ok = admin_in_scope(db, who->scope_unit_id, o.unit_id);
	org_release(&o);
	return ok ? RC_OK : RC_FORBIDDEN;
}

static const char *check(const ReceptionIn *in)
{
	Date d;
	char today[11];
	date_vn_today_iso(today);
	if (!in->day || !date_parse_iso(in->day, &d))
		return "Enter the date as YYYY-MM-DD.";
	if (strcmp(in->day, today) < 0)
		return "The date has passed.";
	if (!time_valid(in->start_time))
		return "Enter the starting time as HH:MM.";
	if (in->end_time && *in->end_time &&
	    (!time_valid(in->end_time) || strcmp(in->end_time, in->start_time) <= 0))
		return "The ending time must be after the starting time (HH:MM).";
	if (!reception_kind_valid(in->kind))
		return "Choose the kind of reception.";
	if (!text_ok(in->host, RECEPTION_TEXT_MAX, true))
		return "Enter who receives citizens (at most 300 characters).";
	if (!text_ok(in->place, RECEPTION_TEXT_MAX, true))
		return "Enter the place (at most 300 characters).";
	if (!text_ok(in->note, RECEPTION_NOTE_MAX, false))
		return "The note is too long (at most 1000 characters).";
	return NULL;
}

Rc reception_add(Db *db, const Principal *who, const ReceptionIn *in, int64_t *id,
		 const char **problem)
{
	*problem = NULL;
	*id = 0;
	if (!who || !(who->caps & CAP_DIALOGUE))
		return RC_FORBIDDEN;
	if ((*problem = check(in)))
		return RC_INVALID;
	int64_t live = 0; /* a dissolved organisation receives no one */
	Rc rc = db_get_int(db, &live, "SELECT dissolved_on IS NULL FROM org WHERE id = ?", "l", in->org_id);
	if (rc == RC_NOT_FOUND || (!rc && !live))
		rc = RC_FORBIDDEN;
	if (!rc)
		rc = org_allowed(db, who, in->org_id);
	if (rc == RC_FORBIDDEN)
		*problem = "Choose an organisation of your area.";
	if (rc)
		return rc;
	rc = db_run(db, "INSERT INTO reception (org_id, day, start_time, end_time, kind, host, place,"
			" note, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
		    "ltttttttll", in->org_id, in->day, in->start_time,
		    in->end_time ? in->end_time : "", in->kind, in->host, in->place,
		    in->note ? in->note : "", who->id, util_now());
	if (rc)
		return rc;
	int64_t rid = db_last_id(db);
	int64_t unit = 0;
	db_get_int(db, &unit, "SELECT coalesce(unit_id, 0) FROM org WHERE id = ?", "l", in->org_id);
	char detail[64];
	xsnprintf(detail, sizeof detail, "day=%s kind=%s", in->day, in->kind);
	if ((rc = audit_append(db, who->id, who->login, "reception.add", "reception", rid, unit, detail)))
		return rc;
	*id = rid;
	return RC_OK;
}

/* The organisation's unit when the entry is in the reader's area. */
static Rc entry_in_area(Db *db, const Principal *who, int64_t id, int64_t *unit)
{
	int64_t org_id = 0;
	Rc rc = db_get_int(db, &org_id, "SELECT org_id FROM reception WHERE id = ?", "l", id);
	if (rc)
		return rc;
	rc = org_allowed(db, who, org_id);
	if (rc == RC_FORBIDDEN)
		return RC_NOT_FOUND; /* another area's: as if there were none */
	if (rc)
		return rc;
	db_get_int(db, unit, "SELECT coalesce(unit_id, 0) FROM org WHERE id = ?", "l", org_id);
	return RC_OK;
}

Rc reception_cancel(Db *db, const Principal *who, int64_t id)
{
	if (!who || !(who->caps & CAP_DIALOGUE))
		return RC_FORBIDDEN;
	int64_t unit = 0;
	Rc rc = entry_in_area(db, who, id, &unit);
	if (!rc)
		rc = db_run(db, "UPDATE reception SET cancelled = 1 WHERE id = ? AND cancelled = 0", "l", id);
	if (!rc && db_changes(db) == 0)
		return RC_CONFLICT; /* already cancelled */
	if (!rc)
		rc = audit_append(db, who->id, who->login, "reception.cancel", "reception", id, unit, "");
	return rc;
}

void reception_list_release(ReceptionList *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		free(l->rows[i].host);
		free(l->rows[i].place);
		free(l->rows[i].note);
		free(l->rows[i].org_name);
	}
	free(l->rows);
	memset(l, 0, sizeof *l);
}

Rc reception_list(Db *db, const Principal *who, const char *from_day, int limit,
		  ReceptionList *out)
{
	memset(out, 0, sizeof *out);
	if (limit <= 0 || limit > RECEPTION_LIST_MAX)
		limit = RECEPTION_LIST_MAX;
	Date d;
	if (!from_day || !date_parse_iso(from_day, &d))
		return RC_INVALID;
	bool staff = who != NULL;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT r.id, r.org_id, r.day, r.start_time, r.end_time, r.kind, r.host, r.place,"
			" r.note, r.cancelled, coalesce((SELECT name FROM org_name n WHERE n.org_id = r.org_id"
			"   ORDER BY valid_from DESC LIMIT 1), '')"
			" FROM reception r JOIN org o ON o.id = r.org_id LEFT JOIN unit ou ON ou.id = o.unit_id"
			" WHERE r.day >= ?1"
			" AND (?2 = 0 OR ?3 = 0 OR r.org_id = ?4 OR ou.id = ?3 OR ou.parent_id = ?3"
			"   OR ou.province_id = ?3)"
			" ORDER BY r.day, r.start_time, r.id LIMIT ?5",
			"tilli", from_day, (int)staff, staff ? who->scope_unit_id : 0,
			staff ? who->org_id : 0, limit);
	if (rc)
		return rc;
	out->rows = xcalloc((size_t)limit, sizeof *out->rows);
	int s;
	while ((s = db_step(st)) == DB_ROW && out->count < (size_t)limit) {
		Reception *e = &out->rows[out->count++];
		e->id = db_col_int(st, 0);
		e->org_id = db_col_int(st, 1);
		/* checked at insertion: they fit */
		snprintf(e->day, sizeof e->day, "%s", db_col_text(st, 2));
		snprintf(e->start_time, sizeof e->start_time, "%s", db_col_text(st, 3));
		snprintf(e->end_time, sizeof e->end_time, "%s", db_col_text(st, 4));
		snprintf(e->kind, sizeof e->kind, "%s", db_col_text(st, 5));
		e->host = xstrdup(db_col_text(st, 6));
		e->place = xstrdup(db_col_text(st, 7));
		e->note = xstrdup(db_col_text(st, 8));
		e->cancelled = db_col_int(st, 9) != 0;
		e->org_name = xstrdup(db_col_text(st, 10));
	}
	db_done(st);
	if (s < 0) {
		reception_list_release(out);
		return (Rc)-s;
	}
	return RC_OK;
}
