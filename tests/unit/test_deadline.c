/*
 * test_deadline.c — the working-day calendar (domain/calendar.c) and the
 * statutory deadlines (domain/deadline.c) on a real temporary database:
 * the holidays of 2026, counting across Tết and 30/4–1/5, periods that end
 * on a day off, the seeded rules of the complaint and denunciation laws,
 * a later rule set taking over on its date, the administrator's calendar
 * exceptions, suspension, extensions, and the escalation job with its
 * audit entries and e-mails.
 *
 * Every test gets a fresh database (setup/teardown), seeded with the rule
 * set, one commune, two organisations and their staff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unistd.h>

#include "domain/audit.h"
#include "domain/deadline.h"
#include "domain/org.h"
#include "domain/user.h"
#include "store/schema.h"

const char *tr(const char *lang, const char *msgid); /* web/i18n.c */

static char dir[64];
static char path[96];
static Db *db;
static const Actor actor = {0, "test"};
static int64_t org_a, org_b;

enum { UNIT_A = 11 };

#define D(y, m, d) ((Date){y, m, d})

static void assert_date(Date got, Date want)
{
	if (got.y != want.y || got.m != want.m || got.d != want.d)
		fail_msg("got %d-%02d-%02d, want %d-%02d-%02d", got.y, got.m, got.d, want.y, want.m,
			 want.d);
}

/* ---- fixture ------------------------------------------------------- */

static int64_t add_user(const char *login, const char *email, int64_t org, Role role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, &actor, login, login, email, org, "correct horse battery", &id),
			 RC_OK);
	assert_int_equal(user_set_roles(db, &actor, id, 1u << role), RC_OK);
	return id;
}

static int setup(void **state)
{
	xsnprintf(dir, sizeof dir, "/tmp/danvan-test-deadline-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	if (deadline_seed_rules(db))
		return -1;
	if (db_run(db, "INSERT INTO unit (id, code, level, era, province_id, name, full_name, name_key,"
		       " valid_from) VALUES (?, '00001', 'commune', 2025, NULL, 'Xã A', 'Xã A', 'xa a',"
		       " '2025-07-01')",
		   "l", (int64_t)UNIT_A))
		return -1;
	if (org_create(db, &actor, 0, UNIT_A, "peoples_committee", "ubnd-a", "UBND xã A", "", "2025-07-01",
		       &org_a) ||
	    org_create(db, &actor, 0, UNIT_A, "inspectorate", "tt-b", "Thanh tra B", "", "2025-07-01",
		       &org_b))
		return -1;
	add_user("handler.a", "handler.a@example.org", org_a, ROLE_HANDLER);
	add_user("leader.a", "leader.a@example.org", org_a, ROLE_LEADER);
	add_user("reception.a", "reception.a@example.org", org_a, ROLE_RECEPTION);
	add_user("noemail.a", "", org_a, ROLE_HANDLER);
	int64_t gone = add_user("gone.a", "gone.a@example.org", org_a, ROLE_HANDLER);
	assert_int_equal(user_set_disabled(db, &actor, gone, true), RC_OK);
	add_user("handler.b", "handler.b@example.org", org_b, ROLE_HANDLER);
	return 0;
}

static int teardown(void **state)
{
	db_close(db);
	db = NULL;
	char f[128];
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		xsnprintf(f, sizeof f, "%s/%s", dir, files[i]);
		unlink(f);
	}
	rmdir(dir);
	return 0;
}

static int64_t add_case(const char *code, const char *kind)
{
	assert_int_equal(db_run(db,
				"INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
				" updated_at, title, content, search_key, unit_id, responsible_org_id,"
				" citizen_name) VALUES (?, ?, 'accepted', 'web', '2026-03-01', 0, 0,"
				" 'Đường làng ngập nước', 'Nội dung', 'duong lang', ?, ?,"
				" 'Nguyễn Văn Bí Mật')",
				"ttll", code, kind, (int64_t)UNIT_A, org_a),
			 RC_OK);
	return db_last_id(db);
}

static DeadlineQuery query(const char *kind, const char *step, int complexity, bool remote,
			   bool multi_place)
{
	return (DeadlineQuery){kind, step, complexity, remote, multi_place, {0, 0, 0}};
}

static Date due_of(const char *kind, const char *step, int complexity, bool remote,
		   bool multi_place, Date event, DeadlineResult *r)
{
	DeadlineQuery q = query(kind, step, complexity, remote, multi_place);
	DeadlineResult tmp;
	if (!r)
		r = &tmp;
	Rc rc = deadline_compute(db, &q, event, r);
	if (rc)
		fail_msg("deadline_compute %s/%s: %s", kind, step, rc_name(rc));
	return r->due;
}

/* The case's deadline row for a step: due date and state. */
static void row_of(int64_t case_id, const char *step, char due[11], char st[12])
{
	DbStmt *s;
	assert_int_equal(db_prep(db, &s,
				 "SELECT due_on, state FROM case_deadline WHERE case_id = ? AND step = ?"
				 " ORDER BY id DESC LIMIT 1",
				 "lt", case_id, step),
			 RC_OK);
	assert_int_equal(db_step(s), DB_ROW);
	xsnprintf(due, 11, "%s", db_col_text(s, 0));
	xsnprintf(st, 12, "%s", db_col_text(s, 1));
	db_done(s);
}

/* ---- calendar -------------------------------------------------------- */

static void test_holidays_2026(void **state)
{
	Date days[CALENDAR_HOLIDAYS_MAX];
	const char *names[CALENDAR_HOLIDAYS_MAX];
	int n = calendar_holidays(2026, days, names, CALENDAR_HOLIDAYS_MAX);
	static const struct { Date d; const char *name; } want[] = {
		{{2026, 1, 1}, "New Year's Day"},
		{{2026, 2, 16}, "Tết: last day of the lunar year"},
		{{2026, 2, 17}, "Tết: 1st day of the lunar year"},
		{{2026, 2, 18}, "Tết: 2nd day of the lunar year"},
		{{2026, 2, 19}, "Tết: 3rd day of the lunar year"},
		{{2026, 2, 20}, "Tết: 4th day of the lunar year"},
		{{2026, 4, 26}, "Hùng Kings' Commemoration Day"}, /* a Sunday … */
		{{2026, 4, 27}, "Compensatory day off"},          /* … so Monday is off */
		{{2026, 4, 30}, "Victory Day (Reunification Day)"},
		{{2026, 5, 1}, "International Labour Day"},
		{{2026, 9, 1}, "National Day (adjacent day)"},
		{{2026, 9, 2}, "National Day"},
	};
	assert_int_equal(n, ARRAY_LEN(want));
	for (int i = 0; i < n; i++) {
		assert_date(days[i], want[i].d);
		assert_string_equal(names[i], want[i].name);
		/* every name has its Vietnamese, the same in the catalogue */
		assert_string_not_equal(tr("vi", names[i]), names[i]);
		assert_string_equal(tr("vi", names[i]), calendar_holiday_name_vi(names[i]));
	}
	/* the cap is honoured */
	assert_int_equal(calendar_holidays(2026, days, names, 3), 3);
}

static void test_compensatory_days(void **state)
{
	Date days[CALENDAR_HOLIDAYS_MAX];
	const char *names[CALENDAR_HOLIDAYS_MAX];
	/* 2022: 30/4 Saturday, 1/5 Sunday → Monday 2/5 and Tuesday 3/5 off */
	assert_false(calendar_is_working_day(NULL, D(2022, 5, 2)));
	assert_false(calendar_is_working_day(NULL, D(2022, 5, 3)));
	assert_true(calendar_is_working_day(NULL, D(2022, 5, 4)));
	/* 2023: 2/9 Saturday (1/9 Friday) → Monday 4/9 off */
	assert_false(calendar_is_working_day(NULL, D(2023, 9, 1)));
	assert_false(calendar_is_working_day(NULL, D(2023, 9, 4)));
	assert_true(calendar_is_working_day(NULL, D(2023, 9, 5)));
	/* 2023: 1/1 was a Sunday → Monday 2/1; Tết's eve Saturday 21/1 and
	 * 1/1 lunar Sunday 22/1 → Thursday 26/1 and Friday 27/1, after the
	 * weekday Tết days 23–25/1 */
	int n = calendar_holidays(2023, days, names, CALENDAR_HOLIDAYS_MAX);
	static const int want[] = {2, 26, 27};
	int comp = 0;
	for (int i = 0; i < n; i++)
		if (days[i].m == 1 && str_eq(names[i], "Compensatory day off")) {
			assert_true(comp < 3);
			assert_int_equal(days[i].d, want[comp]);
			comp++;
		}
	assert_int_equal(comp, 3);
}

static void test_working_days_across_tet_and_may(void **state)
{
	assert_false(calendar_is_working_day(db, D(2026, 2, 16)));
	assert_false(calendar_is_working_day(db, D(2026, 2, 21))); /* Saturday */
	assert_true(calendar_is_working_day(db, D(2026, 2, 23)));
	/* Friday 13/2 + 5 working days: 16–20/2 is Tết, 21–22/2 a weekend */
	assert_date(calendar_add_working_days(db, D(2026, 2, 13), 5), D(2026, 2, 27));
	assert_date(calendar_add_working_days(db, D(2026, 2, 12), 1), D(2026, 2, 13));
	/* an event on a day off counts from the next working day */
	assert_date(calendar_add_working_days(db, D(2026, 2, 17), 1), D(2026, 2, 23));
	/* Wednesday 29/4 + 3: 30/4 and 1/5 off, then a weekend */
	assert_date(calendar_add_working_days(db, D(2026, 4, 29), 3), D(2026, 5, 6));
	assert_date(calendar_add_working_days(db, D(2026, 5, 6), 0), D(2026, 5, 6));
	assert_date(calendar_add_working_days(db, D(2026, 5, 4), -1), D(2026, 4, 29));
}

static void test_period_ending_on_day_off(void **state)
{
	/* plain days: 6/3 + 30 = Sunday 5/4 → Monday 6/4 */
	assert_date(calendar_add_days(db, D(2026, 3, 6), 30), D(2026, 4, 6));
	DeadlineResult r;
	assert_date(due_of("complaint", "resolve", 0, false, false, D(2026, 3, 6), &r), D(2026, 4, 6));
	assert_int_equal(r.days, 30);
	assert_false(r.working_days);
	/* 31/3 + 30 = 30/4 (holiday), 1/5 (holiday), weekend → Monday 4/5 */
	assert_date(due_of("complaint", "resolve", 0, false, false, D(2026, 3, 31), NULL),
		    D(2026, 5, 4));
	/* a period ending on a working day stays */
	assert_date(calendar_add_days(db, D(2026, 6, 1), 30), D(2026, 7, 1));
}

static void test_calendar_overrides(void **state)
{
	/* a swapped Saturday worked: it counts */
	assert_date(calendar_add_working_days(db, D(2026, 2, 6), 1), D(2026, 2, 9));
	assert_int_equal(calendar_set_day(db, D(2026, 2, 7), "work", "Làm bù cho Tết"), RC_OK);
	assert_true(calendar_is_working_day(db, D(2026, 2, 7)));
	assert_date(calendar_add_working_days(db, D(2026, 2, 6), 1), D(2026, 2, 7));
	/* a decided extra day off */
	assert_int_equal(calendar_set_day(db, D(2026, 2, 13), "off", "Nghỉ Tết"), RC_OK);
	assert_false(calendar_is_working_day(db, D(2026, 2, 13)));
	assert_date(calendar_add_working_days(db, D(2026, 2, 12), 1), D(2026, 2, 23));
	/* 'work' beats a computed holiday; changing the kind replaces the row */
	assert_int_equal(calendar_set_day(db, D(2026, 9, 1), "work", "Nghỉ 2/9 chuyển sang 3/9"), RC_OK);
	assert_int_equal(calendar_set_day(db, D(2026, 9, 3), "off", "Quốc khánh (ngày liền kề)"), RC_OK);
	assert_true(calendar_is_working_day(db, D(2026, 9, 1)));
	assert_false(calendar_is_working_day(db, D(2026, 9, 3)));
	assert_int_equal(calendar_set_day(db, D(2026, 2, 7), "off", "Đổi ý"), RC_OK);
	assert_false(calendar_is_working_day(db, D(2026, 2, 7)));

	CalendarOverride ov[8];
	int n = 0;
	assert_int_equal(calendar_overrides(db, 2026, ov, 8, &n), RC_OK);
	assert_int_equal(n, 4);
	assert_date(ov[0].day, D(2026, 2, 7));
	assert_false(ov[0].work);
	assert_string_equal(ov[0].name, "Đổi ý");
	assert_date(ov[2].day, D(2026, 9, 1));
	assert_true(ov[2].work);
	assert_int_equal(calendar_overrides(db, 2025, ov, 8, &n), RC_OK);
	assert_int_equal(n, 0);

	/* removal restores the computed calendar; bad input is refused */
	assert_int_equal(calendar_set_day(db, D(2026, 2, 7), NULL, NULL), RC_OK);
	assert_false(calendar_is_working_day(db, D(2026, 2, 7))); /* a Saturday again */
	assert_date(calendar_add_working_days(db, D(2026, 2, 6), 1), D(2026, 2, 9));
	assert_int_equal(calendar_set_day(db, D(2026, 2, 7), "holiday", ""), RC_INVALID);
	assert_int_equal(calendar_set_day(db, D(2026, 2, 30), "off", ""), RC_INVALID);
	char long_name[CALENDAR_NAME_MAX + 2];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = 0;
	assert_int_equal(calendar_set_day(db, D(2026, 2, 7), "off", long_name), RC_INVALID);
}

/* ---- rules ----------------------------------------------------------- */

static void test_complaint_periods(void **state)
{
	Date accepted = D(2026, 6, 1); /* a Monday */
	DeadlineResult r;
	assert_date(due_of("complaint", "resolve", 0, false, false, accepted, &r), D(2026, 7, 1));
	assert_int_equal(r.days, 30);
	assert_non_null(strstr(r.basis, "Luật Khiếu nại 02/2011/QH13, Điều 28"));
	assert_date(due_of("complaint", "resolve", 1, false, false, accepted, &r), D(2026, 7, 16));
	assert_int_equal(r.days, 45);
	assert_date(due_of("complaint", "resolve", 2, false, false, accepted, &r), D(2026, 7, 16));
	assert_date(due_of("complaint", "resolve", 0, true, false, accepted, &r), D(2026, 7, 16));
	assert_int_equal(r.days, 45);
	assert_non_null(strstr(r.basis, "vùng sâu, vùng xa"));
	assert_date(due_of("complaint", "resolve", 1, true, false, accepted, &r), D(2026, 7, 31));
	assert_int_equal(r.days, 60);
	/* second instance: 45 / 60 / 60 / 70 */
	due_of("complaint", "resolve2", 0, false, false, accepted, &r);
	assert_int_equal(r.days, 45);
	due_of("complaint", "resolve2", 1, true, false, accepted, &r);
	assert_int_equal(r.days, 70);
	/* acceptance: the circular's 10 working days, the law's "10 ngày" cited */
	assert_date(due_of("complaint", "accept", 0, false, false, accepted, &r), D(2026, 6, 15));
	assert_true(r.working_days);
	assert_int_equal(r.days, 10);
	assert_non_null(strstr(r.basis, "Điều 27 (\"10 ngày\""));
	assert_non_null(strstr(r.basis, "Thông tư 07/2013/TT-TTCP"));
}

static void test_denunciation_initial(void **state)
{
	DeadlineResult r;
	/* Monday 2/3: 7 working days → Wednesday 11/3; several places: 10 → Monday 16/3 */
	assert_date(due_of("denunciation", "initial", 0, false, false, D(2026, 3, 2), &r),
		    D(2026, 3, 11));
	assert_true(r.working_days);
	assert_int_equal(r.days, 7);
	assert_date(due_of("denunciation", "initial", 0, false, true, D(2026, 3, 2), &r),
		    D(2026, 3, 16));
	assert_int_equal(r.days, 10);
	assert_non_null(strstr(r.basis, "Luật Tố cáo 25/2018/QH14, Điều 24"));
}

static void test_rule_lookup_errors(void **state)
{
	DeadlineResult r;
	DeadlineQuery q = query("complaint", "no_such_step", 0, false, false);
	assert_int_equal(deadline_compute(db, &q, D(2026, 3, 2), &r), RC_NOT_FOUND);
	q = query("lawsuit", "resolve", 0, false, false);
	assert_int_equal(deadline_compute(db, &q, D(2026, 3, 2), &r), RC_INVALID);
	q = query("complaint", "resolve", 3, false, false);
	assert_int_equal(deadline_compute(db, &q, D(2026, 3, 2), &r), RC_INVALID);
	/* before the law was in force there is no rule */
	q = query("denunciation", "initial", 0, false, false);
	assert_int_equal(deadline_compute(db, &q, D(2018, 12, 31), &r), RC_NOT_FOUND);
	assert_int_equal(deadline_compute(db, &q, D(2019, 1, 1), &r), RC_OK);
}

static void test_later_rule_set_wins_from_its_date(void **state)
{
	/* the 2026 amendments, say: 20 days for every complaint, from 1/7/2026 */
	assert_int_equal(db_run(db,
				"INSERT INTO deadline_rule (kind, step, days, working_days, basis,"
				" effective_from) VALUES ('complaint', 'resolve', 20, 0,"
				" 'Luật 136/2025/QH15 (giả định)', '2026-07-01')",
				""),
			 RC_OK);
	DeadlineResult r;
	DeadlineQuery q = query("complaint", "resolve", 0, false, false);
	q.on = D(2026, 6, 30);
	assert_int_equal(deadline_compute(db, &q, D(2026, 6, 30), &r), RC_OK);
	assert_int_equal(r.days, 30);
	q.on = D(2026, 7, 1);
	assert_int_equal(deadline_compute(db, &q, D(2026, 7, 1), &r), RC_OK);
	assert_int_equal(r.days, 20);
	assert_string_equal(r.basis, "Luật 136/2025/QH15 (giả định)");
	/* the new set replaces the old specific rows too */
	q.complexity = 1;
	q.remote = true;
	assert_int_equal(deadline_compute(db, &q, D(2026, 7, 1), &r), RC_OK);
	assert_int_equal(r.days, 20);
	/* on defaults to the event date: a step started before keeps the old rule */
	DeadlineQuery old = query("complaint", "resolve", 0, false, false);
	assert_int_equal(deadline_compute(db, &old, D(2026, 6, 1), &r), RC_OK);
	assert_int_equal(r.days, 30);
	/* an old rule retired with effective_to no longer applies after it */
	assert_int_equal(db_run(db,
				"UPDATE deadline_rule SET effective_to = '2026-06-30'"
				" WHERE kind = 'denunciation' AND step = 'publish'",
				""),
			 RC_OK);
	DeadlineQuery pub = query("denunciation", "publish", 0, false, false);
	assert_int_equal(deadline_compute(db, &pub, D(2026, 6, 30), &r), RC_OK);
	assert_int_equal(deadline_compute(db, &pub, D(2026, 7, 1), &r), RC_NOT_FOUND);
}

static void test_seed_idempotent(void **state)
{
	int64_t before = 0, after = 0;
	assert_int_equal(deadline_rule_count(db, &before), RC_OK);
	assert_true(before >= 30);
	assert_int_equal(deadline_seed_rules(db), RC_OK);
	assert_int_equal(deadline_rule_count(db, &after), RC_OK);
	assert_int_equal(before, after);
	DeadlineRule *v;
	size_t n;
	assert_int_equal(deadline_rules_list(db, &v, &n), RC_OK);
	assert_int_equal((int64_t)n, after);
	for (size_t i = 0; i < n; i++) {
		assert_true(v[i].basis[0] != '\0');
		assert_true(v[i].effective_from[0] != '\0');
	}
	deadline_rules_free(v, n);
}

static void test_step_labels(void **state)
{
	static const char *const steps[][2] = {
		{"petition", "handle"}, {"petition", "forward"},
		{"complaint", "accept"}, {"complaint", "resolve"}, {"complaint", "send_decision"},
		{"complaint", "appeal_window"}, {"complaint", "accept2"}, {"complaint", "resolve2"},
		{"complaint", "take_effect"},
		{"denunciation", "initial"}, {"denunciation", "forward"},
		{"denunciation", "notify_accept"}, {"denunciation", "resolve"},
		{"denunciation", "extension"}, {"denunciation", "publish"},
		{"denunciation", "re_resolve"},
	};
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		const char *en = deadline_step_label(steps[i][0], steps[i][1]);
		assert_string_not_equal(en, steps[i][1]);
		/* the catalogue and the e-mail's Vietnamese agree */
		assert_string_equal(tr("vi", en), deadline_step_label_vi(steps[i][0], steps[i][1]));
		/* every step has a seeded rule (extension only for complex cases) */
		DeadlineQuery q = query(steps[i][0], steps[i][1], 1, false, false);
		DeadlineResult r;
		assert_int_equal(deadline_compute(db, &q, D(2026, 3, 2), &r), RC_OK);
	}
	assert_string_equal(deadline_step_label("complaint", "nope"), "nope");
}

/* ---- per case -------------------------------------------------------- */

static void test_open_meet_cancel(void **state)
{
	int64_t c = add_case("AAAA-BBBB-01", "complaint");
	DeadlineQuery q = query("complaint", "accept", 0, false, false);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 6, 1)), RC_OK);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 6, 2)), RC_CONFLICT);
	assert_int_equal(deadline_open(db, 9999, &q, D(2026, 6, 2)), RC_NOT_FOUND);
	char due[11], st[12];
	row_of(c, "accept", due, st);
	assert_string_equal(due, "2026-06-15");
	assert_string_equal(st, "open");
	assert_int_equal(deadline_meet(db, c, "accept", D(2026, 6, 10)), RC_OK);
	row_of(c, "accept", due, st);
	assert_string_equal(st, "met");
	assert_int_equal(deadline_meet(db, c, "accept", D(2026, 6, 10)), RC_NOT_FOUND);

	/* done late: recorded as missed */
	q = query("complaint", "resolve", 0, false, false);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 6, 10)), RC_OK);
	assert_int_equal(deadline_meet(db, c, "resolve", D(2026, 7, 20)), RC_OK);
	row_of(c, "resolve", due, st);
	assert_string_equal(st, "missed");

	/* cancel closes what is open or paused, nothing else */
	q = query("complaint", "send_decision", 0, false, false);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 7, 20)), RC_OK);
	assert_int_equal(deadline_cancel_open(db, c), RC_OK);
	row_of(c, "send_decision", due, st);
	assert_string_equal(st, "cancelled");
	row_of(c, "accept", due, st);
	assert_string_equal(st, "met");
	assert_int_equal(deadline_cancel_open(db, c), RC_OK);
}

static void test_pause_resume(void **state)
{
	int64_t c = add_case("AAAA-BBBB-02", "denunciation");
	DeadlineQuery q = query("denunciation", "initial", 0, false, false);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 3, 2)), RC_OK); /* due 11/3 */
	int64_t k = add_case("AAAA-BBBB-03", "complaint");
	q = query("complaint", "resolve", 0, false, false);
	assert_int_equal(deadline_open(db, k, &q, D(2026, 6, 1)), RC_OK); /* due 1/7 */

	/* denunciation: stopped on Wednesday 4/3 with 5 working days left
	 * (5, 6, 9, 10, 11/3); resumed Monday 9/3 → 5 working days from then */
	assert_int_equal(deadline_pause(db, c, D(2026, 3, 4)), RC_OK);
	char due[11], st[12];
	row_of(c, "initial", due, st);
	assert_string_equal(st, "paused");
	/* a paused step is not escalated, however late */
	int n = -1;
	assert_int_equal(deadline_escalate(db, D(2026, 4, 1), &n), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(deadline_resume(db, c, D(2026, 3, 3)), RC_INVALID); /* before the pause */
	assert_int_equal(deadline_resume(db, c, D(2026, 3, 9)), RC_OK);
	row_of(c, "initial", due, st);
	assert_string_equal(st, "open");
	assert_string_equal(due, "2026-03-16");

	/* complaint: plain days; stopped 10 days → 11/7, a Saturday → Monday 13/7 */
	assert_int_equal(deadline_pause(db, k, D(2026, 6, 10)), RC_OK);
	assert_int_equal(deadline_resume(db, k, D(2026, 6, 20)), RC_OK);
	row_of(k, "resolve", due, st);
	assert_string_equal(st, "open");
	assert_string_equal(due, "2026-07-13");
	/* nothing paused: a no-op */
	assert_int_equal(deadline_resume(db, k, D(2026, 6, 21)), RC_OK);
	row_of(k, "resolve", due, st);
	assert_string_equal(due, "2026-07-13");
}

static void test_denunciation_extensions(void **state)
{
	int64_t c = add_case("AAAA-BBBB-04", "denunciation");
	DeadlineQuery q = query("denunciation", "extension", 2, false, false);
	/* nothing to extend yet */
	assert_int_equal(deadline_open(db, c, &q, D(2026, 3, 20)), RC_CONFLICT);
	DeadlineQuery res = query("denunciation", "resolve", 2, false, false);
	assert_int_equal(deadline_open(db, c, &res, D(2026, 3, 2)), RC_OK);
	char due[11], st[12];
	row_of(c, "resolve", due, st);
	assert_string_equal(due, "2026-04-01");
	/* first extension: 1/4 + 30 = 1/5, a holiday, then a weekend → 4/5 */
	assert_int_equal(deadline_open(db, c, &q, D(2026, 3, 20)), RC_OK);
	row_of(c, "resolve", due, st);
	assert_string_equal(due, "2026-05-04");
	assert_string_equal(st, "open");
	row_of(c, "extension", due, st);
	assert_string_equal(st, "met");
	/* second: 4/5 + 30 = 3/6 */
	assert_int_equal(deadline_open(db, c, &q, D(2026, 4, 25)), RC_OK);
	row_of(c, "resolve", due, st);
	assert_string_equal(due, "2026-06-03");
	/* a third is refused, and changes nothing */
	assert_int_equal(deadline_open(db, c, &q, D(2026, 5, 25)), RC_CONFLICT);
	row_of(c, "resolve", due, st);
	assert_string_equal(due, "2026-06-03");
	int64_t count = 0;
	assert_int_equal(db_get_int(db, &count,
				    "SELECT count(*) FROM case_deadline WHERE case_id = ? AND step = 'extension'",
				    "l", c),
			 RC_OK);
	assert_int_equal(count, 2);

	/* a complex case gets one extension, a simple one none */
	int64_t k = add_case("AAAA-BBBB-05", "denunciation");
	assert_int_equal(deadline_open(db, k, &res, D(2026, 3, 2)), RC_OK);
	DeadlineQuery simple = query("denunciation", "extension", 0, false, false);
	assert_int_equal(deadline_open(db, k, &simple, D(2026, 3, 20)), RC_CONFLICT);
	DeadlineQuery complex1 = query("denunciation", "extension", 1, false, false);
	assert_int_equal(deadline_open(db, k, &complex1, D(2026, 3, 20)), RC_OK);
	assert_int_equal(deadline_open(db, k, &complex1, D(2026, 4, 20)), RC_CONFLICT);
}

static void test_flags(void **state)
{
	Date today = D(2026, 2, 12); /* Thursday before Tết */
	assert_int_equal(deadline_flag(db, D(2026, 2, 11), today), DEADLINE_OVERDUE);
	assert_int_equal(deadline_flag(db, D(2026, 2, 12), today), DEADLINE_DUE_SOON);
	/* three working days from 12/2 reach past Tết to 24/2 */
	assert_date(deadline_due_soon_until(db, today), D(2026, 2, 24));
	assert_int_equal(deadline_flag(db, D(2026, 2, 24), today), DEADLINE_DUE_SOON);
	assert_int_equal(deadline_flag(db, D(2026, 2, 25), today), DEADLINE_ON_TIME);
}

static int64_t count_sql_audit(int64_t case_id)
{
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &n,
				    "SELECT count(*) FROM audit WHERE action = 'deadline.overdue'"
				    " AND object_type = 'case' AND object_id = ? AND actor = 'system'"
				    " AND unit_id = ?",
				    "ll", case_id, (int64_t)UNIT_A),
			 RC_OK);
	return n;
}

static void test_escalation(void **state)
{
	int64_t c1 = add_case("ESCA-LATE-01", "complaint");
	int64_t c2 = add_case("ESCA-LATE-02", "denunciation");
	int64_t c3 = add_case("ESCA-LATE-03", "complaint");
	DeadlineQuery q = query("complaint", "accept", 0, false, false);
	assert_int_equal(deadline_open(db, c1, &q, D(2026, 3, 2)), RC_OK); /* due 16/3 */
	q = query("denunciation", "initial", 0, false, false);
	assert_int_equal(deadline_open(db, c2, &q, D(2026, 3, 2)), RC_OK); /* due 11/3 */
	q = query("complaint", "resolve", 0, false, false);
	assert_int_equal(deadline_open(db, c3, &q, D(2026, 3, 2)), RC_OK); /* due 1/4: not late */

	/* due today is not overdue yet */
	int n = -1;
	assert_int_equal(deadline_escalate(db, D(2026, 3, 11), &n), RC_OK);
	assert_int_equal(n, 0);

	assert_int_equal(deadline_escalate(db, D(2026, 3, 17), &n), RC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(count_sql_audit(c1), 1);
	assert_int_equal(count_sql_audit(c2), 1);
	assert_int_equal(count_sql_audit(c3), 0);
	int64_t marked = 0;
	assert_int_equal(db_get_int(db, &marked,
				    "SELECT count(*) FROM case_deadline WHERE escalated_at IS NOT NULL", ""),
			 RC_OK);
	assert_int_equal(marked, 2);

	/* one mail per case to the handler and the leader of the responsible
	 * organisation: not reception, not the disabled, not the other org */
	int64_t mails = 0;
	assert_int_equal(db_get_int(db, &mails, "SELECT count(*) FROM outbox", ""), RC_OK);
	assert_int_equal(mails, 4);
	DbStmt *st;
	assert_int_equal(db_prep(db, &st,
				 "SELECT to_addr, subject, body, case_id FROM outbox ORDER BY case_id, to_addr",
				 ""),
			 RC_OK);
	static const char *const want_to[] = {"handler.a@example.org", "leader.a@example.org"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 0), want_to[i % 2]);
		const char *subject = db_col_text(st, 1), *body = db_col_text(st, 2);
		const char *code = i < 2 ? "ESCA-LATE-01" : "ESCA-LATE-02";
		assert_non_null(strstr(subject, code));
		assert_non_null(strstr(body, code));
		assert_non_null(strstr(body, i < 2 ? "2026-03-16" : "2026-03-11"));
		/* no personal data of the citizen, nor the case's content */
		assert_null(strstr(body, "Bí Mật"));
		assert_null(strstr(body, "Đường làng"));
		assert_int_equal(db_col_int(st, 3), i < 2 ? c1 : c2);
	}
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* a second run escalates nothing new */
	assert_int_equal(deadline_escalate(db, D(2026, 3, 18), &n), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(count_sql_audit(c1), 1);
	assert_int_equal(db_get_int(db, &mails, "SELECT count(*) FROM outbox", ""), RC_OK);
	assert_int_equal(mails, 4);

	/* inside the caller's transaction, rolled back: nothing stays */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(deadline_escalate(db, D(2026, 4, 2), &n), RC_OK);
	assert_int_equal(n, 1); /* c3's resolve, due 1/4 */
	assert_int_equal(db_rollback(db), RC_OK);
	assert_int_equal(count_sql_audit(c3), 0);

	/* the audit chain is intact */
	int64_t checked = 0, bad = 0;
	Buf report = BUF_INIT;
	assert_int_equal(audit_verify(db, &checked, &bad, &report), RC_OK);
	buf_release(&report);
}

int main(void)
{
	/* six accounts per test: the minimum Argon2 cost keeps this quick */
	setenv("DANVAN_FAST_HASH", "1", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_holidays_2026),
		T(test_compensatory_days),
		T(test_working_days_across_tet_and_may),
		T(test_period_ending_on_day_off),
		T(test_calendar_overrides),
		T(test_complaint_periods),
		T(test_denunciation_initial),
		T(test_rule_lookup_errors),
		T(test_later_rule_set_wins_from_its_date),
		T(test_seed_idempotent),
		T(test_step_labels),
		T(test_open_meet_cancel),
		T(test_pause_resume),
		T(test_denunciation_extensions),
		T(test_flags),
		T(test_escalation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
