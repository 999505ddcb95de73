/*
 * test_stats.c — the public statistics (domain/stats.h) on a temporary
 * database filled by SQL with a handful of cases whose every figure is
 * known: received, handled, resolved, overdue, deadlines met and missed
 * (waiting periods left out), ratings, and the breakdowns by month, kind,
 * province and field, which must add up to the total.  Also the rate
 * rounding and the period checks.
 *
 * The map: provinces Hà Nội (1) and Thái Bình (2), a commune in each
 * (11, 21); fields land (1) with the sub-field land dispute (2), and
 * religion (3).  "Today" is 2026-03-15; the period is the first quarter
 * of 2026.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "domain/stats.h"
#include "store/schema.h"

static char dir[64];
static Db *db;

static void sql(const char *what, Rc rc)
{
	if (rc)
		fail_msg("%s: %s (%s)", what, rc_name(rc), db_errmsg(db));
}

/* One case: id, received_on, kind, status, outcome, commune (0 = none),
 * field (0 = none), rating (0 = none). */
static void add_case(int64_t id, const char *on, const char *kind, const char *status,
		     const char *outcome, int64_t unit, int64_t field, int rating)
{
	char code[16];
	xsnprintf(code, sizeof code, "CODE-%04lld", (long long)id);
	sql("case", db_run(db,
			   "INSERT INTO cases (id, code, kind, status, channel, received_on, created_at,"
			   " updated_at, title, content, search_key, outcome, unit_id, field_id, rating,"
			   " citizen_name)"
			   " VALUES (?, ?, ?, ?, 'web', ?, 0, 0, 'Tiêu đề', 'Nội dung', 'tieu de', ?,"
			   " nullif(?, 0), nullif(?, 0), nullif(?, 0), 'Nguyễn Văn Riêng')",
			   "lttttllli", id, code, kind, status, on, outcome, unit, field, rating));
}

static void add_deadline(int64_t case_id, const char *step, const char *due, const char *state)
{
	sql("deadline", db_run(db,
			       "INSERT INTO case_deadline (case_id, step, starts_on, due_on, basis, state,"
			       " met_on) VALUES (?, ?, '2026-01-01', ?, 'luật', ?,"
			       " CASE WHEN ? IN ('met','missed') THEN ? ELSE NULL END)",
			       "lttttt", case_id, step, due, state, state, due));
}

static int setup(void **state)
{
	(void)state;
	xsnprintf(dir, sizeof dir, "/tmp/danvan-stats-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL) || db_begin_write(db))
		return -1;
	sql("units", db_exec_script(db,
		"INSERT INTO unit (id, code, level, era, parent_id, province_id, name, full_name, name_en,"
		" name_key, valid_from) VALUES"
		" (1, '01', 'province', 2025, NULL, 1, 'Hà Nội', 'Thành phố Hà Nội', 'Ha Noi', 'ha noi', '2025-07-01'),"
		" (2, '34', 'province', 2025, NULL, 2, 'Thái Bình', 'Tỉnh Thái Bình', 'Thai Binh', 'thai binh', '2025-07-01'),"
		" (11, '00004', 'commune', 2025, 1, 1, 'Ba Đình', 'Phường Ba Đình', '', 'ba dinh', '2025-07-01'),"
		" (21, '12345', 'commune', 2025, 2, 2, 'Vũ Thư', 'Xã Vũ Thư', '', 'vu thu', '2025-07-01');"
		"INSERT INTO field (id, parent_id, code, name, name_en) VALUES"
		" (1, NULL, 'land', 'Đất đai', 'Land'),"
		" (2, 1, 'land.dispute', 'Tranh chấp đất đai', 'Land disputes'),"
		" (3, NULL, 'religion', 'Tôn giáo', 'Religion');"));
	/* in the period */
	add_case(1, "2026-01-05", "petition", "closed", "answered", 11, 2, 5);
	add_case(2, "2026-01-20", "complaint", "verifying", "", 11, 1, 0);
	add_case(3, "2026-02-10", "denunciation", "decided", "right", 21, 3, 2);
	add_case(4, "2026-02-11", "petition", "filed", "", 0, 0, 0);
	add_case(5, "2026-03-01", "complaint", "appealed", "partly_right", 21, 2, 0);
	/* outside it, on both sides */
	add_case(6, "2025-12-31", "petition", "closed", "answered", 11, 1, 4);
	add_case(7, "2026-04-01", "petition", "received", "", 21, 3, 0);

	add_deadline(1, "handle", "2026-01-20", "met");
	add_deadline(2, "accept", "2026-01-30", "met");
	add_deadline(2, "resolve", "2026-03-01", "open");        /* overdue on the 15th */
	add_deadline(3, "initial", "2026-02-20", "missed");
	add_deadline(3, "resolve", "2026-03-10", "met");
	add_deadline(3, "extension", "2026-03-01", "met");       /* a decision: left out */
	add_deadline(4, "handle", "2026-02-25", "cancelled");
	add_deadline(5, "resolve", "2026-03-05", "met");
	add_deadline(5, "take_effect", "2026-03-08", "missed");  /* a waiting period: left out */
	add_deadline(5, "appeal_window", "2026-03-09", "open");  /* the citizen's: not overdue */
	add_deadline(5, "accept2", "2026-04-01", "open");        /* open, not yet due */
	add_deadline(6, "handle", "2026-01-10", "missed");       /* outside the period */
	add_deadline(7, "handle", "2026-04-10", "open");
	return db_commit(db) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void assert_counts(const StatsCounts *c, int64_t received, int64_t handled, int64_t resolved,
			  int64_t overdue, int64_t met, int64_t missed, int64_t rated, int64_t satisfied)
{
	assert_int_equal(c->received, received);
	assert_int_equal(c->handled, handled);
	assert_int_equal(c->resolved, resolved);
	assert_int_equal(c->overdue, overdue);
	assert_int_equal(c->deadlines_met, met);
	assert_int_equal(c->deadlines_missed, missed);
	assert_int_equal(c->rated, rated);
	assert_int_equal(c->satisfied, satisfied);
}

static void test_totals_and_breakdowns(void **state)
{
	(void)state;
	Stats s;
	assert_int_equal(stats_compute(db, "2026-01-01", "2026-03-31", "2026-03-15", &s), RC_OK);
	assert_string_equal(s.from, "2026-01-01");
	assert_string_equal(s.to, "2026-03-31");
	/* 5 received; handled: closed, decided, filed; resolved: closed with an
	 * answer and decided (the appealed one is back in progress); overdue:
	 * case 2; deadlines met 4 (handle, accept, resolve ×2), missed 1
	 * (initial): on time 80 % */
	assert_counts(&s.total, 5, 3, 2, 1, 4, 1, 2, 1);
	assert_int_equal(stats_permille(s.total.deadlines_met,
					s.total.deadlines_met + s.total.deadlines_missed), 800);
	assert_int_equal(stats_permille(s.total.handled, s.total.received), 600);

	assert_counts(&s.kinds[KIND_PETITION], 2, 2, 1, 0, 1, 0, 1, 1);
	assert_counts(&s.kinds[KIND_COMPLAINT], 2, 0, 0, 1, 2, 0, 0, 0);
	assert_counts(&s.kinds[KIND_DENUNCIATION], 1, 1, 1, 0, 1, 1, 1, 0);

	/* every month of the period, in order */
	assert_int_equal(s.n_months, 3);
	assert_int_equal(s.months[0].year, 2026);
	assert_int_equal(s.months[0].month, 1);
	assert_int_equal(s.months[2].month, 3);
	assert_counts(&s.months[0].c, 2, 1, 1, 1, 2, 0, 1, 1);
	assert_counts(&s.months[1].c, 2, 2, 1, 0, 1, 1, 1, 0);
	assert_counts(&s.months[2].c, 1, 0, 0, 0, 1, 0, 0, 0);

	/* provinces: most cases first, ties by name, the unknown place last */
	assert_int_equal(s.n_provinces, 3);
	assert_int_equal(s.provinces[0].id, 1);
	assert_string_equal(s.provinces[0].name, "Hà Nội");
	assert_string_equal(s.provinces[0].name_en, "Ha Noi");
	assert_counts(&s.provinces[0].c, 2, 1, 1, 1, 2, 0, 1, 1);
	assert_int_equal(s.provinces[1].id, 2);
	assert_string_equal(s.provinces[1].name, "Thái Bình");
	assert_counts(&s.provinces[1].c, 2, 1, 1, 0, 2, 1, 1, 0);
	assert_int_equal(s.provinces[2].id, 0);
	assert_string_equal(s.provinces[2].name, "");
	assert_counts(&s.provinces[2].c, 1, 1, 0, 0, 0, 0, 0, 0);

	/* fields roll up to the top level */
	assert_int_equal(s.n_fields, 3);
	assert_int_equal(s.fields[0].id, 1);
	assert_string_equal(s.fields[0].name, "Đất đai");
	assert_int_equal(s.fields[0].c.received, 3);
	assert_int_equal(s.fields[1].id, 3);
	assert_int_equal(s.fields[1].c.received, 1);
	assert_int_equal(s.fields[2].id, 0);
	assert_int_equal(s.fields[2].c.received, 1);

	/* the breakdowns add up to the total */
	StatsCounts sum = {0};
	for (size_t i = 0; i < s.n_months; i++) {
		sum.received += s.months[i].c.received;
		sum.deadlines_met += s.months[i].c.deadlines_met;
	}
	assert_int_equal(sum.received, s.total.received);
	assert_int_equal(sum.deadlines_met, s.total.deadlines_met);
	stats_release(&s);
	assert_null(s.months);
	assert_null(s.provinces);
}

static void test_overdue_depends_on_today(void **state)
{
	(void)state;
	Stats s;
	/* on 1 March the resolve deadline of case 2 is due today: not overdue */
	assert_int_equal(stats_compute(db, "2026-01-01", "2026-03-31", "2026-03-01", &s), RC_OK);
	assert_int_equal(s.total.overdue, 0);
	stats_release(&s);
	/* in May, accept2 of case 5 is past due too */
	assert_int_equal(stats_compute(db, "2026-01-01", "2026-03-31", "2026-05-01", &s), RC_OK);
	assert_int_equal(s.total.overdue, 2);
	stats_release(&s);
}

static void test_empty_period(void **state)
{
	(void)state;
	Stats s;
	assert_int_equal(stats_compute(db, "2024-01-01", "2024-12-31", "2026-03-15", &s), RC_OK);
	assert_counts(&s.total, 0, 0, 0, 0, 0, 0, 0, 0);
	assert_int_equal(s.n_months, 12);
	assert_int_equal(s.months[11].month, 12);
	assert_int_equal(s.months[11].c.received, 0);
	assert_int_equal(s.n_provinces, 0);
	assert_int_equal(s.n_fields, 0);
	assert_int_equal(stats_permille(s.total.handled, s.total.received), -1);
	stats_release(&s);
	/* one day */
	assert_int_equal(stats_compute(db, "2026-01-05", "2026-01-05", "2026-03-15", &s), RC_OK);
	assert_int_equal(s.total.received, 1);
	assert_int_equal(s.n_months, 1);
	stats_release(&s);
}

static void test_bad_periods(void **state)
{
	(void)state;
	Stats s;
	assert_int_equal(stats_compute(db, "2026-03-01", "2026-01-01", NULL, &s), RC_INVALID);
	assert_int_equal(stats_compute(db, "2026-02-30", "2026-03-01", NULL, &s), RC_INVALID);
	assert_int_equal(stats_compute(db, "2026-01-01", "junk", NULL, &s), RC_INVALID);
	assert_int_equal(stats_compute(db, NULL, "2026-01-01", NULL, &s), RC_INVALID);
	assert_int_equal(stats_compute(db, "2026-01-01", "2026-02-01", "01/03/2026", &s), RC_INVALID);
	/* 120 months is the most */
	assert_int_equal(stats_compute(db, "2016-01-01", "2025-12-31", "2026-03-15", &s), RC_OK);
	assert_int_equal(s.n_months, STATS_MAX_MONTHS);
	stats_release(&s);
	assert_int_equal(stats_compute(db, "2015-12-31", "2025-12-31", "2026-03-15", &s), RC_INVALID);
	assert_null(s.months);
}

static void test_years(void **state)
{
	(void)state;
	int first, last;
	util_set_clock(1773550800); /* 2026-03-15 12:00 in Vietnam */
	assert_int_equal(stats_years(db, &first, &last), RC_OK);
	assert_int_equal(first, 2025);
	assert_int_equal(last, 2026);
	util_set_clock(1830315600); /* 2028-01-01 12:00: the current year is offered */
	assert_int_equal(stats_years(db, &first, &last), RC_OK);
	assert_int_equal(first, 2025);
	assert_int_equal(last, 2028);
	util_set_clock(0);
}

static void test_permille(void **state)
{
	(void)state;
	assert_int_equal(stats_permille(0, 0), -1);
	assert_int_equal(stats_permille(3, 0), -1);
	assert_int_equal(stats_permille(0, 7), 0);
	assert_int_equal(stats_permille(5, 5), 1000);
	assert_int_equal(stats_permille(1, 3), 333);
	assert_int_equal(stats_permille(2, 3), 667);
	assert_int_equal(stats_permille(1, 8), 125);
	assert_int_equal(stats_permille(1, 2000), 1);   /* 0.5 ‰ rounds up */
	assert_int_equal(stats_permille(9973, 10000), 997);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_and_breakdowns),
		cmocka_unit_test(test_overdue_depends_on_today),
		cmocka_unit_test(test_empty_period),
		cmocka_unit_test(test_bad_periods),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_permille),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
