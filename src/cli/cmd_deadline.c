/*
 * cmd_deadline.c — `danvan deadline KIND STEP DATE […]`, `danvan deadline
 * rules` and `danvan calendar …` (see cmd_deadline.h and
 * docs/internals/deadlines.md).
 *
 * Both need the database: the rules are rows of deadline_rule and the
 * calendar's exceptions rows of calendar_day.  A database without rules
 * (a fresh file, or one created before the rules existed) is seeded with
 * the 2011/2013/2018 rule set first, so `danvan --db x.db deadline …`
 * works on an empty file.  Changes to the calendar are audited with the
 * actor "cli".
 */
#include "cmd_deadline.h"
#include "../base/lunar.h"
#include "../domain/audit.h"
#include "../domain/deadline.h"

static const char deadline_usage[] =
	"usage: danvan [--db PATH] deadline KIND STEP DATE [--complex|--very-complex]\n"
	"                                   [--remote] [--multi-place] [--on DATE]\n"
	"       danvan [--db PATH] deadline rules\n"
	"Print the due date of a statutory step that starts on DATE (YYYY-MM-DD) and\n"
	"its legal basis, from the rules in force on DATE (or on --on DATE).\n"
	"  KIND   petition | complaint | denunciation\n"
	"  STEP   petition: handle forward\n"
	"         complaint: accept resolve send_decision appeal_window accept2\n"
	"                    resolve2 take_effect\n"
	"         denunciation: initial forward notify_accept resolve extension\n"
	"                       publish re_resolve\n"
	"  --complex, --very-complex  one, or two or more, of the complexity\n"
	"                criteria of Decree 31/2019/NĐ-CP Art. 3\n"
	"  --remote      a remote or hard-to-reach area (vùng sâu, vùng xa)\n"
	"  --multi-place verification at several places\n"
	"'rules' lists every rule with its qualifiers, dates and basis.\n"
	"The day of the event is not counted; a period that ends on a day off\n"
	"ends on the next working day (Civil Code 2015 Art. 147-148).\n";

static const char calendar_usage[] =
	"usage: danvan [--db PATH] calendar YEAR\n"
	"       danvan [--db PATH] calendar set DATE off|work NAME\n"
	"       danvan [--db PATH] calendar unset DATE\n"
	"List the public holidays computed for YEAR (Labour Code 2019 Art. 112:\n"
	"1/1, Tết from the lunar calendar, Giỗ Tổ Hùng Vương 10/3 lunar, 30/4, 1/5,\n"
	"2/9 and 1/9, compensatory days) and the exceptions set by an administrator.\n"
	"'set' records an exception: 'off' makes DATE a day off (the Tết days and\n"
	"bridge days the Government decides each year), 'work' makes it a working\n"
	"day (a swapped Saturday).  An exception beats the computed calendar.\n"
	"'unset' removes it.  Changes are written to the audit log.\n";

/* Open the database and make sure it has rules. */
static Db *open_with_rules(const CliEnv *env)
{
	Db *db = cli_open_db(env, true);
	int64_t n = 0;
	Rc rc = deadline_rule_count(db, &n);
	if (!rc && n == 0)
		rc = deadline_seed_rules(db);
	if (rc) {
		fprintf(stderr, "danvan: cannot load the deadline rules: %s (%s)\n", rc_name(rc),
			db_errmsg(db));
		db_close(db);
		exit(1);
	}
	return db;
}

static void print_vi_date(Date d)
{
	Buf b = BUF_INIT;
	date_format_vi_long(&b, d);
	fputs(buf_cstr(&b), stdout);
	buf_release(&b);
}

static const char *qualifier(int v, const char *any, const char *no, const char *yes)
{
	return v < 0 ? any : v ? yes : no;
}

static int list_rules(const CliEnv *env)
{
	Db *db = open_with_rules(env);
	DeadlineRule *v;
	size_t n;
	Rc rc = deadline_rules_list(db, &v, &n);
	if (rc) {
		fprintf(stderr, "danvan deadline rules: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const DeadlineRule *r = &v[i];
		static const char *const cx[] = {"normal", "complex", "very complex"};
		printf("#%lld %s/%s complexity=%s remote=%s multi-place=%s: %d %s, from %s%s%s\n"
		       "    %s\n",
		       (long long)r->id, r->kind, r->step,
		       r->complexity >= 0 && r->complexity <= 2 ? cx[r->complexity] : "any",
		       qualifier(r->remote, "any", "no", "yes"),
		       qualifier(r->multi_place, "any", "no", "yes"), r->days,
		       r->working_days ? "working days" : "days", r->effective_from,
		       r->effective_to[0] ? " to " : "", r->effective_to, r->basis);
	}
	deadline_rules_free(v, n);
	db_close(db);
	return 0;
}

int cmd_deadline(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(deadline_usage, stdout);
		return 0;
	}
	if (argc == 2 && str_eq(argv[1], "rules"))
		return list_rules(env);
	const char *pos[3];
	int npos = 0;
	DeadlineQuery q = {0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (str_eq(a, "--complex")) {
			q.complexity = q.complexity > 1 ? 2 : 1;
		} else if (str_eq(a, "--very-complex")) {
			q.complexity = 2;
		} else if (str_eq(a, "--remote")) {
			q.remote = true;
		} else if (str_eq(a, "--multi-place")) {
			q.multi_place = true;
		} else if (str_eq(a, "--on") && i + 1 < argc) {
			if (!date_parse_iso(argv[++i], &q.on)) {
				fprintf(stderr, "danvan deadline: --on wants YYYY-MM-DD, got '%s'\n", argv[i]);
				return 2;
			}
		} else if (a[0] == '-') {
			fprintf(stderr, "danvan deadline: unknown option '%s'\n%s", a, deadline_usage);
			return 2;
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, "danvan deadline: too many arguments\n%s", deadline_usage);
			return 2;
		}
	}
	if (npos != 3) {
		fputs(deadline_usage, stderr);
		return 2;
	}
	q.kind = pos[0];
	q.step = pos[1];
	if (!str_eq(q.kind, "petition") && !str_eq(q.kind, "complaint") &&
	    !str_eq(q.kind, "denunciation")) {
		fprintf(stderr, "danvan deadline: unknown kind '%s' (petition, complaint, denunciation)\n",
			q.kind);
		return 2;
	}
	Date event;
	if (!date_parse_iso(pos[2], &event)) {
		fprintf(stderr, "danvan deadline: DATE must be YYYY-MM-DD, got '%s'\n", pos[2]);
		return 2;
	}
	Db *db = open_with_rules(env);
	DeadlineResult r;
	Rc rc = deadline_compute(db, &q, event, &r);
	if (rc == RC_NOT_FOUND) {
		Buf on = BUF_INIT;
		date_format_iso(&on, date_valid(q.on) ? q.on : event);
		fprintf(stderr,
			"danvan deadline: no rule for %s step '%s' in force on %s ('danvan deadline rules' lists them)\n",
			q.kind, q.step, buf_cstr(&on));
		buf_release(&on);
		db_close(db);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "danvan deadline: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	Buf due = BUF_INIT;
	date_format_iso(&due, r.due);
	printf("due %s (", buf_cstr(&due));
	print_vi_date(r.due);
	printf("): %d %s — %s\n", r.days, r.working_days ? "working days" : "days", r.basis);
	buf_release(&due);
	db_close(db);
	return 0;
}

/* ---- calendar -------------------------------------------------------- */

/* Print s left-aligned in `width` characters (UTF-8 aware). */
static void print_padded(const char *s, int width)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	fputs(s, stdout);
	for (int i = chars; i < width; i++)
		putchar(' ');
}

static void print_day(Date d, const char *state, const char *name, const char *source)
{
	Buf b = BUF_INIT;
	date_format_iso(&b, d);
	buf_puts(&b, "  ");
	date_format_vi_long(&b, d);
	print_padded(buf_cstr(&b), 34);
	buf_release(&b);
	LunarDate l;
	char lunar[32] = "";
	if (lunar_from_solar(d, &l))
		xsnprintf(lunar, sizeof lunar, "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
	printf("%-5s %-7s %s%s\n", state, lunar, name, source);
}

static int list_year(const CliEnv *env, int year)
{
	Date days[CALENDAR_HOLIDAYS_MAX];
	const char *names[CALENDAR_HOLIDAYS_MAX];
	int nh = calendar_holidays(year, days, names, CALENDAR_HOLIDAYS_MAX);
	Db *db = cli_open_db(env, true);
	/* a year has 366 days: that many exceptions at most */
	enum { MAX_OVERRIDES = 366 };
	CalendarOverride *ov = xcalloc(MAX_OVERRIDES, sizeof *ov);
	int no = 0;
	Rc rc = calendar_overrides(db, year, ov, MAX_OVERRIDES, &no);
	db_close(db);
	if (rc) {
		fprintf(stderr, "danvan calendar: %s\n", rc_name(rc));
		free(ov);
		return 1;
	}
	if (no > MAX_OVERRIDES)
		no = MAX_OVERRIDES;
	printf("Public holidays and exceptions, %d (state, lunar date, name)\n", year);
	/* merge the two sorted lists; an exception replaces a computed day */
	int i = 0, j = 0;
	while (i < nh || j < no) {
		int64_t hd = i < nh ? date_to_days(days[i]) : INT64_MAX;
		int64_t od = j < no ? date_to_days(ov[j].day) : INT64_MAX;
		if (od <= hd) {
			Buf name = BUF_INIT;
			buf_puts(&name, ov[j].name[0] ? ov[j].name : "(no name)");
			if (od == hd)
				buf_printf(&name, " [replaces: %s]", calendar_holiday_name_vi(names[i++]));
			print_day(ov[j].day, ov[j].work ? "work" : "off", buf_cstr(&name),
				  "  (exception)");
			buf_release(&name);
			j++;
		} else {
			Buf name = BUF_INIT;
			buf_printf(&name, "%s — %s", calendar_holiday_name_vi(names[i]), names[i]);
			print_day(days[i], "off", buf_cstr(&name), "");
			buf_release(&name);
			i++;
		}
	}
	if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR)
		printf("(the lunar calendar covers %d-%d: Tết and Giỗ Tổ are missing)\n",
		       LUNAR_MIN_YEAR, LUNAR_MAX_YEAR);
	free(ov);
	return 0;
}

static int set_day(const CliEnv *env, const char *date, const char *kind, const char *name)
{
	Date d;
	if (!date_parse_iso(date, &d)) {
		fprintf(stderr, "danvan calendar: DATE must be YYYY-MM-DD, got '%s'\n", date);
		return 2;
	}
	if (kind && !str_eq(kind, "off") && !str_eq(kind, "work")) {
		fprintf(stderr, "danvan calendar set: the kind is 'off' or 'work', not '%s'\n", kind);
		return 2;
	}
	if (name && strlen(name) > CALENDAR_NAME_MAX) {
		fprintf(stderr, "danvan calendar set: NAME is longer than %d bytes\n", CALENDAR_NAME_MAX);
		return 2;
	}
	Db *db = cli_open_db(env, true);
	Rc rc = db_begin_write(db);
	if (!rc)
		rc = calendar_set_day(db, d, kind, name);
	bool removed = kind || db_changes(db) > 0;
	if (!rc && removed) {
		Buf detail = BUF_INIT;
		if (kind)
			buf_printf(&detail, "day=%s kind=%s name=%s", date, kind, name);
		else
			buf_printf(&detail, "day=%s removed", date);
		rc = audit_append(db, 0, "cli", kind ? "calendar.set" : "calendar.unset",
				  "calendar_day", 0, 0, buf_cstr(&detail));
		buf_release(&detail);
	}
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		fprintf(stderr, "danvan calendar: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	if (!kind && !removed) {
		fprintf(stderr, "danvan calendar unset: no exception on %s\n", date);
		return 1;
	}
	if (kind)
		printf("%s is now a %s: %s\n", date, str_eq(kind, "off") ? "day off" : "working day", name);
	else
		printf("%s: exception removed\n", date);
	return 0;
}

int cmd_calendar(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(calendar_usage, stdout);
		return 0;
	}
	if (argc == 5 && str_eq(argv[1], "set"))
		return set_day(env, argv[2], argv[3], argv[4]);
	if (argc == 3 && str_eq(argv[1], "unset"))
		return set_day(env, argv[2], NULL, NULL);
	int64_t year;
	if (argc == 2 && util_parse_i64(argv[1], 1, 9999, &year))
		return list_year(env, (int)year);
	fputs(calendar_usage, stderr);
	return 2;
}
