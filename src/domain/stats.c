/*
 * stats.c — public statistics over citizens' cases (see stats.h for what
 * each figure means).
 *
 * One grouped query does the counting: the cases received in the period,
 * grouped by (month, kind, province, top-level field), each group with its
 * counts.  The breakdowns are then sums over those groups in C, so the
 * month, kind, province and field tables add up to the total by
 * construction and the database is read once.  The groups are few (at
 * most months × 3 kinds × provinces × fields, far fewer in practice).
 *
 * Portable SQL: CASE WHEN instead of summing booleans, no date functions
 * (months come from the ISO text), so the same literal works on
 * PostgreSQL when the driver arrives.
 */
#include "stats.h"
#include "../base/date.h"

int stats_permille(int64_t num, int64_t den)
{
	if (den <= 0)
		return -1;
	return (int)((num * 2000 + den) / (2 * den));
}

static void counts_add(StatsCounts *a, const StatsCounts *b)
{
	a->received += b->received;
	a->handled += b->handled;
	a->resolved += b->resolved;
	a->overdue += b->overdue;
	a->deadlines_met += b->deadlines_met;
	a->deadlines_missed += b->deadlines_missed;
	a->rated += b->rated;
	a->satisfied += b->satisfied;
}

static void groups_release(StatsGroup *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].name);
		free(g[i].name_en);
	}
	free(g);
}

void stats_release(Stats *s)
{
	if (!s)
		return;
	free(s->months);
	groups_release(s->provinces, s->n_provinces);
	groups_release(s->fields, s->n_fields);
	memset(s, 0, sizeof *s);
}

/* The group with this id, added (zeroed) when new.  Linear: there are at
 * most a few dozen provinces or fields. */
static StatsGroup *group_of(StatsGroup **v, size_t *n, size_t *cap, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].id == id)
			return &(*v)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	StatsGroup *g = &(*v)[(*n)++];
	memset(g, 0, sizeof *g);
	g->id = id;
	return g;
}

static int group_cmp(const void *pa, const void *pb)
{
	const StatsGroup *a = pa, *b = pb;
	/* the unknown bucket last: it is not a place or a field */
	if ((a->id == 0) != (b->id == 0))
		return a->id == 0 ? 1 : -1;
	if (a->c.received != b->c.received)
		return a->c.received > b->c.received ? -1 : 1;
	int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	return c ? c : (a->id < b->id ? -1 : a->id > b->id);
}

/* Names for the groups, from the unit or field table. */
static Rc name_groups(Db *db, StatsGroup *v, size_t n, bool provinces)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i].id) {
			v[i].name = xstrdup("");
			v[i].name_en = xstrdup("");
			continue;
		}
		DbStmt *st;
		Rc rc = provinces
			? db_prep(db, &st, "SELECT name, name_en FROM unit WHERE id = ?", "l", v[i].id)
			: db_prep(db, &st, "SELECT name, name_en FROM field WHERE id = ?", "l", v[i].id);
		if (rc)
			return rc;
		bool found = db_step(st) == DB_ROW;
		v[i].name = xstrdup(found ? db_col_text(st, 0) : "");
		v[i].name_en = xstrdup(found ? db_col_text(st, 1) : "");
		db_done(st);
	}
	return RC_OK;
}

static int month_index(int y, int m)
{
	return y * 12 + (m - 1);
}

static Rc today_iso(const char *today, char out[11])
{
	if (today) {
		Date d;
		if (!date_parse_iso(today, &d))
			return RC_INVALID;
		xsnprintf(out, 11, "%s", today);
		return RC_OK;
	}
	Buf b = BUF_INIT;
	date_format_iso(&b, date_vn_from_unix(util_now()));
	xsnprintf(out, 11, "%s", buf_cstr(&b));
	buf_release(&b);
	return RC_OK;
}

Rc stats_compute(Db *db, const char *from, const char *to, const char *today, Stats *out)
{
	memset(out, 0, sizeof *out);
	Date f, t;
	char now[11];
	if (!from || !to || !date_parse_iso(from, &f) || !date_parse_iso(to, &t) ||
	    date_to_days(f) > date_to_days(t) || today_iso(today, now))
		return RC_INVALID;
	int first = month_index(f.y, f.m), last = month_index(t.y, t.m);
	if (last - first + 1 > STATS_MAX_MONTHS)
		return RC_INVALID;
	xsnprintf(out->from, sizeof out->from, "%s", from);
	xsnprintf(out->to, sizeof out->to, "%s", to);
	out->n_months = (size_t)(last - first + 1);
	out->months = xcalloc(out->n_months, sizeof *out->months);
	for (size_t i = 0; i < out->n_months; i++) {
		out->months[i].year = (first + (int)i) / 12;
		out->months[i].month = (first + (int)i) % 12 + 1;
	}

	/* The steps left out of the deadline figures (waiting periods and
	 * recorded decisions, stats.h) are repeated in each subquery: SQL is a
	 * literal and cannot be assembled from a constant. */
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT substr(c.received_on, 1, 7), c.kind,"
			" coalesce(u.province_id, 0), coalesce(fl.parent_id, fl.id, 0),"
			" count(*),"
			" sum(CASE WHEN c.status IN ('decided','notified','in_effect','closed','archived',"
			"   'filed','guided','forwarded','refused','terminated','withdrawn') THEN 1 ELSE 0 END),"
			" sum(CASE WHEN c.outcome <> '' AND c.status IN ('decided','notified','in_effect',"
			"   'closed','archived') THEN 1 ELSE 0 END),"
			" sum(CASE WHEN EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id"
			"   AND d.state = 'open' AND d.due_on < ?3"
			"   AND d.step NOT IN ('extension','appeal_window','take_effect')) THEN 1 ELSE 0 END),"
			" sum((SELECT count(*) FROM case_deadline d WHERE d.case_id = c.id AND d.state = 'met'"
			"   AND d.step NOT IN ('extension','appeal_window','take_effect'))),"
			" sum((SELECT count(*) FROM case_deadline d WHERE d.case_id = c.id AND d.state = 'missed'"
			"   AND d.step NOT IN ('extension','appeal_window','take_effect'))),"
			" sum(CASE WHEN c.rating BETWEEN 1 AND 5 THEN 1 ELSE 0 END),"
			" sum(CASE WHEN c.rating BETWEEN 4 AND 5 THEN 1 ELSE 0 END)"
			" FROM cases c LEFT JOIN unit u ON u.id = c.unit_id"
			" LEFT JOIN field fl ON fl.id = c.field_id"
			" WHERE c.received_on >= ?1 AND c.received_on <= ?2"
			" GROUP BY 1, 2, 3, 4",
			"ttt", from, to, now);
	if (rc) {
		stats_release(out);
		return rc;
	}
	size_t pcap = 0, fcap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		StatsCounts c = {
			.received = db_col_int(st, 4),
			.handled = db_col_int(st, 5),
			.resolved = db_col_int(st, 6),
			.overdue = db_col_int(st, 7),
			.deadlines_met = db_col_int(st, 8),
			.deadlines_missed = db_col_int(st, 9),
			.rated = db_col_int(st, 10),
			.satisfied = db_col_int(st, 11),
		};
		counts_add(&out->total, &c);
		CaseKind k;
		if (case_kind_parse(db_col_text(st, 1), &k))
			counts_add(&out->kinds[k], &c);
		/* "YYYY-MM": received_on is validated ISO, so this parses. */
		const char *ym = db_col_text(st, 0);
		int64_t y, m;
		char ys[5], ms[3];
		if (strlen(ym) == 7) {
			memcpy(ys, ym, 4);
			ys[4] = 0;
			memcpy(ms, ym + 5, 2);
			ms[2] = 0;
			if (util_parse_i64(ys, 1, 9999, &y) && util_parse_i64(ms, 1, 12, &m)) {
				int i = month_index((int)y, (int)m) - first;
				if (i >= 0 && (size_t)i < out->n_months)
					counts_add(&out->months[i].c, &c);
			}
		}
		counts_add(&group_of(&out->provinces, &out->n_provinces, &pcap, db_col_int(st, 2))->c, &c);
		counts_add(&group_of(&out->fields, &out->n_fields, &fcap, db_col_int(st, 3))->c, &c);
	}
	db_done(st);
	if (s != DB_DONE) {
		stats_release(out);
		return (Rc)-s;
	}
	if ((rc = name_groups(db, out->provinces, out->n_provinces, true)) ||
	    (rc = name_groups(db, out->fields, out->n_fields, false))) {
		stats_release(out);
		return rc;
	}
	if (out->n_provinces)
		qsort(out->provinces, out->n_provinces, sizeof *out->provinces, group_cmp);
	if (out->n_fields)
		qsort(out->fields, out->n_fields, sizeof *out->fields, group_cmp);
	return RC_OK;
}

static int year_of(const char *iso, int fallback)
{
	Date d;
	return iso && date_parse_iso(iso, &d) ? d.y : fallback;
}

Rc stats_years(Db *db, int *first, int *last)
{
	int now = date_vn_from_unix(util_now()).y;
	*first = *last = now;
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT min(received_on), max(received_on) FROM cases", "");
	if (rc)
		return rc;
	if (db_step(st) == DB_ROW && !db_col_null(st, 0)) {
		*first = year_of(db_col_text(st, 0), now);
		*last = year_of(db_col_text(st, 1), now);
		/* the current year is always offered, even before its first case */
		if (*last < now)
			*last = now;
		if (*first > *last)
			*first = *last;
	}
	db_done(st);
	return RC_OK;
}
