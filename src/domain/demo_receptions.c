/*
 * demo_receptions.c — a month of citizens' receptions for the demo, so
 * that /lich-tiep-cong-dan shows what an installation publishes: each
 * demo province's People's Committee receives citizens one day a month
 * and holds a direct dialogue; the first communes of each receive every
 * week (Law on Citizen Reception 2013, Art. 13–15).  Hosts are named by
 * title only: the demo invents no people.
 */
#include "demo.h"
#include "../base/date.h"

#define COMMUNES_PER_PROVINCE 3
/* "phường Ba Đình", "thành phố Hà Nội": the unit as written inside a
 * sentence (SQLite's lower() folds ASCII only, enough for every kind but
 * "Đặc khu") */
#define UNIT_IN_SENTENCE \
	"CASE u.kind WHEN 'Đặc khu' THEN 'đặc khu' ELSE lower(u.kind) END || ' ' || u.name"
#define WEEKS 4

/* The next `weekday` (0 = Sunday) on or after d. */
static Date next_weekday(Date d, int weekday)
{
	for (int i = 0; i < 7; i++) {
		Date e = date_add_days(d, i);
		if (date_weekday(e) == weekday)
			return e;
	}
	return d;
}

static Rc add(Db *db, int64_t org, Date day, const char *start, const char *end, const char *kind,
	      const char *host, const char *place, const char *note)
{
	char d[11];
	date_iso(day, d);
	return db_run(db, "INSERT INTO reception (org_id, day, start_time, end_time, kind, host, place,"
			  " note, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
		      "ltttttttl", org, d, start, end, kind, host, place, note, util_now());
}

Rc demo_receptions(Db *db, long *made)
{
	*made = 0;
	Date today = date_vn_from_unix(util_now());
	DbStmt *st;
	/* the demo provinces' People's Committees and their unit names */
	Rc rc = db_prep(db, &st,
			"SELECT o.id, o.unit_id, " UNIT_IN_SENTENCE " FROM org o JOIN unit u ON u.id = o.unit_id"
			" WHERE o.kind = 'peoples_committee' AND u.level = 'province' ORDER BY o.id", "");
	if (rc)
		return rc;
	struct { int64_t org, unit; char name[128]; } prov[64];
	size_t np = 0;
	int s;
	while (np < 64 && (s = db_step(st)) == DB_ROW) {
		prov[np].org = db_col_int(st, 0);
		prov[np].unit = db_col_int(st, 1);
		snprintf(prov[np].name, sizeof prov[np].name, "%s", db_col_text(st, 2));
		np++;
	}
	db_done(st);
	if ((rc = db_begin_write(db)))
		return rc;
	for (size_t i = 0; !rc && i < np; i++) {
		Buf host = BUF_INIT, place = BUF_INIT;
		buf_printf(&host, "Chủ tịch Ủy ban nhân dân %s", prov[i].name);
		buf_printf(&place, "Trụ sở Tiếp công dân %s", prov[i].name);
		/* a Thursday a month, and a dialogue on a Tuesday a fortnight on */
		rc = add(db, prov[i].org, next_weekday(date_add_days(today, 3 + (int64_t)i), 4), "07:30",
			 "11:30", "regular", buf_cstr(&host), buf_cstr(&place),
			 "Công dân mang theo căn cước và giấy tờ liên quan đến vụ việc.");
		if (!rc)
			rc = add(db, prov[i].org, next_weekday(date_add_days(today, 14 + (int64_t)i), 2), "14:00",
				 "16:30", "dialogue", buf_cstr(&host), buf_cstr(&place),
				 "Đối thoại với người dân về bồi thường, hỗ trợ, tái định cư.");
		if (!rc)
			*made += 2;
		buf_release(&host);
		buf_release(&place);
		/* the first communes: every Wednesday morning */
		DbStmt *cs;
		if (!rc)
			rc = db_prep(db, &cs,
				     "SELECT o.id, " UNIT_IN_SENTENCE " FROM org o JOIN unit u ON u.id = o.unit_id"
				     " WHERE o.kind = 'peoples_committee' AND u.level = 'commune'"
				     " AND u.province_id = ? ORDER BY o.id LIMIT ?",
				     "li", prov[i].unit, COMMUNES_PER_PROVINCE);
		if (rc)
			break;
		struct { int64_t org; char name[128]; } com[COMMUNES_PER_PROVINCE];
		size_t nc = 0;
		while (nc < COMMUNES_PER_PROVINCE && (s = db_step(cs)) == DB_ROW) {
			com[nc].org = db_col_int(cs, 0);
			snprintf(com[nc].name, sizeof com[nc].name, "%s", db_col_text(cs, 1));
			nc++;
		}
		db_done(cs);
		for (size_t c = 0; !rc && c < nc; c++) {
			Buf h = BUF_INIT, p = BUF_INIT;
			buf_printf(&h, "Chủ tịch Ủy ban nhân dân %s", com[c].name);
			buf_printf(&p, "Bộ phận tiếp công dân, trụ sở Ủy ban nhân dân %s", com[c].name);
			Date w = next_weekday(date_add_days(today, 1), 3);
			for (int k = 0; !rc && k < WEEKS; k++) {
				rc = add(db, com[c].org, date_add_days(w, 7 * (int64_t)k), "08:00", "11:00",
					 "regular", buf_cstr(&h), buf_cstr(&p), "");
				if (!rc)
					(*made)++;
			}
			buf_release(&h);
			buf_release(&p);
		}
	}
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
