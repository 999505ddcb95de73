/*
 * calendar.c — the Vietnamese working-day calendar: weekends, public
 * holidays computed per year, and the administrator's exceptions in
 * table calendar_day (see deadline.h).
 *
 * Public holidays (Labour Code 45/2019/QH14 Art. 112.1), computed:
 *   1/1                         Tết Dương lịch
 *   Tết Nguyên Đán, 5 days      by default the last day of the lunar year
 *                               and lunar 1/1–1/4 (base/lunar.h)
 *   10/3 lunar                  Giỗ Tổ Hùng Vương
 *   30/4, 1/5                   Ngày Chiến thắng, Quốc tế Lao động
 *   2/9 and one adjacent day    Quốc khánh; by default 1/9
 * Art. 112.3: a holiday that falls on the weekly rest day (Saturday or
 * Sunday for State bodies) gives a compensatory day off on the next
 * working day; computed here too.
 *
 * Which days of Tết, which day next to 2/9, and the bridge days swapped
 * with a Saturday are decided by the Prime Minister each year: they are
 * calendar_day rows ('off' adds a day off, 'work' makes a day a working
 * day), and a row always beats the computed calendar.  Rows are read from
 * the database on every call, so a change is seen at once by every
 * thread; only the computed holidays, which never change for a year, are
 * cached (per process, behind a mutex: the server is multi-threaded).
 */
#include "deadline.h"
#include "../base/lunar.h"

#include <pthread.h>

/* Message ids of the computed holidays (i18n_deadline.def). */
#define H_NEW_YEAR "New Year's Day"
#define H_TET_EVE "Tết: last day of the lunar year"
#define H_TET_1 "Tết: 1st day of the lunar year"
#define H_TET_2 "Tết: 2nd day of the lunar year"
#define H_TET_3 "Tết: 3rd day of the lunar year"
#define H_TET_4 "Tết: 4th day of the lunar year"
#define H_HUNG_KINGS "Hùng Kings' Commemoration Day"
#define H_VICTORY "Victory Day (Reunification Day)"
#define H_LABOUR "International Labour Day"
#define H_NATIONAL "National Day"
#define H_NATIONAL_ADJ "National Day (adjacent day)"
#define H_COMPENSATORY "Compensatory day off"

/* Vietnamese names for contexts without a request language (the CLI);
 * the same text as i18n_deadline.def (test_deadline checks). */
static const struct {
	const char *id, *vi;
} holiday_vi[] = {
	{H_NEW_YEAR, "Tết Dương lịch"},
	{H_TET_EVE, "Tết Nguyên đán (ngày cuối năm âm lịch)"},
	{H_TET_1, "Tết Nguyên đán (mùng 1)"},
	{H_TET_2, "Tết Nguyên đán (mùng 2)"},
	{H_TET_3, "Tết Nguyên đán (mùng 3)"},
	{H_TET_4, "Tết Nguyên đán (mùng 4)"},
	{H_HUNG_KINGS, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
	{H_VICTORY, "Ngày Chiến thắng (30/4)"},
	{H_LABOUR, "Ngày Quốc tế Lao động (1/5)"},
	{H_NATIONAL, "Quốc khánh (2/9)"},
	{H_NATIONAL_ADJ, "Quốc khánh (ngày liền kề)"},
	{H_COMPENSATORY, "Nghỉ bù"},
};

const char *calendar_holiday_name_vi(const char *id)
{
	for (size_t i = 0; i < ARRAY_LEN(holiday_vi); i++)
		if (str_eq(holiday_vi[i].id, id))
			return holiday_vi[i].vi;
	return id;
}

typedef struct YearHolidays {
	int year; /* 0 = empty slot */
	int n;
	Date days[CALENDAR_HOLIDAYS_MAX];
	const char *names[CALENDAR_HOLIDAYS_MAX];
} YearHolidays;

/* A handful of years is all a process ever needs (deadlines run from
 * late in one year into the next); slots are reused round-robin. */
#define CACHE_SLOTS 8
static YearHolidays cache[CACHE_SLOTS];
static int cache_next;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static bool is_weekend(Date d)
{
	int w = date_weekday(d);
	return w == 0 || w == 6;
}

static bool date_eq(Date a, Date b)
{
	return a.y == b.y && a.m == b.m && a.d == b.d;
}

static int date_cmp(Date a, Date b)
{
	int64_t x = date_to_days(a), y = date_to_days(b);
	return x < y ? -1 : x > y;
}

static bool holds(const YearHolidays *h, Date d)
{
	for (int i = 0; i < h->n; i++)
		if (date_eq(h->days[i], d))
			return true;
	return false;
}

static void add(YearHolidays *h, Date d, const char *name)
{
	if (h->n < CALENDAR_HOLIDAYS_MAX && d.y == h->year && !holds(h, d)) {
		h->days[h->n] = d;
		h->names[h->n] = name;
		h->n++;
	}
}

static void sort_holidays(YearHolidays *h)
{
	/* insertion sort: at most two dozen entries */
	for (int i = 1; i < h->n; i++) {
		Date d = h->days[i];
		const char *nm = h->names[i];
		int j = i - 1;
		while (j >= 0 && date_cmp(h->days[j], d) > 0) {
			h->days[j + 1] = h->days[j];
			h->names[j + 1] = h->names[j];
			j--;
		}
		h->days[j + 1] = d;
		h->names[j + 1] = nm;
	}
}

static void compute_year(int year, YearHolidays *h)
{
	memset(h, 0, sizeof *h);
	h->year = year;
	add(h, (Date){year, 1, 1}, H_NEW_YEAR);
	Date tet;
	if (lunar_to_solar((LunarDate){1, 1, year, false}, &tet)) {
		static const char *const tet_names[4] = {H_TET_1, H_TET_2, H_TET_3, H_TET_4};
		/* Tết's eve (29 or 30 of month 12) is always in January or
		 * February of the same solar year: Tết is never before 21/1. */
		add(h, date_add_days(tet, -1), H_TET_EVE);
		for (int i = 0; i < 4; i++)
			add(h, date_add_days(tet, i), tet_names[i]);
	}
	Date hung;
	if (lunar_to_solar((LunarDate){10, 3, year, false}, &hung))
		add(h, hung, H_HUNG_KINGS);
	add(h, (Date){year, 4, 30}, H_VICTORY);
	add(h, (Date){year, 5, 1}, H_LABOUR);
	add(h, (Date){year, 9, 1}, H_NATIONAL_ADJ);
	add(h, (Date){year, 9, 2}, H_NATIONAL);
	sort_holidays(h);

	/* Compensatory days (Art. 112.3), in date order so that two holidays
	 * on one weekend (30/4 Saturday, 1/5 Sunday) give the next two
	 * working days, and a compensatory day never lands on a holiday or on
	 * an earlier compensatory day. */
	int base = h->n;
	for (int i = 0; i < base; i++) {
		if (!is_weekend(h->days[i]))
			continue;
		Date c = date_add_days(h->days[i], 1);
		while (is_weekend(c) || holds(h, c))
			c = date_add_days(c, 1);
		add(h, c, H_COMPENSATORY);
	}
	sort_holidays(h);
}

/* Copy the (cached) holidays of `year` into *out. */
static void holidays_of(int year, YearHolidays *out)
{
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].year == year) {
			*out = cache[i];
			pthread_mutex_unlock(&cache_mu);
			return;
		}
	}
	pthread_mutex_unlock(&cache_mu);
	/* Compute outside the lock: it is pure, and two threads computing the
	 * same year at once just store the same result twice. */
	compute_year(year, out);
	pthread_mutex_lock(&cache_mu);
	cache[cache_next] = *out;
	cache_next = (cache_next + 1) % CACHE_SLOTS;
	pthread_mutex_unlock(&cache_mu);
}

int calendar_holidays(int year, Date *days, const char **names, int max)
{
	YearHolidays h;
	holidays_of(year, &h);
	int n = h.n < max ? h.n : max;
	for (int i = 0; i < n; i++) {
		days[i] = h.days[i];
		names[i] = h.names[i];
	}
	return n < 0 ? 0 : n;
}

/* The first database error override_of met on this thread since the last
 * calendar_error(): the computed calendar answered in its place, so a due
 * date computed meanwhile may be wrong and must not be used. */
static _Thread_local Rc calendar_err;

Rc calendar_error(void)
{
	Rc rc = calendar_err;
	calendar_err = RC_OK;
	return rc;
}

/* The calendar_day row for d: 1 = 'work', 0 = 'off', -1 = none (or no
 * database, or an error, kept for calendar_error()). */
static int override_of(Db *db, Date d)
{
	if (!db)
		return -1;
	char day[11];
	date_iso(d, day);
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT kind FROM calendar_day WHERE day = ?", "t", day);
	if (rc) {
		if (!calendar_err)
			calendar_err = rc;
		return -1;
	}
	int r = -1, s = db_step(st);
	if (s == DB_ROW)
		r = str_eq(db_col_text(st, 0), "work") ? 1 : 0;
	else if (s != DB_DONE && !calendar_err)
		calendar_err = (Rc)-s;
	db_done(st);
	return r;
}

/* Weekends and public holidays, without the calendar_day table. */
static bool computed_working_day(Date d)
{
	if (is_weekend(d))
		return false;
	YearHolidays h;
	holidays_of(d.y, &h);
	return !holds(&h, d);
}

bool calendar_is_working_day(Db *db, Date d)
{
	if (!date_valid(d))
		return false;
	int o = override_of(db, d);
	if (o >= 0)
		return o == 1;
	return computed_working_day(d);
}

/* No real calendar has more than a few weeks off in a row; the bound only
 * keeps a calendar_day table that marks everything 'off' from looping
 * forever. */
#define MAX_SCAN_DAYS 3660

/* The calendar_day rows of a run of days, read in one query: adding a
 * period asks about every day in turn, and a query per day was most of
 * the cost of opening a case's first deadline. */
#define WINDOW_DAYS 128
typedef struct Window {
	int64_t first; /* day number (date_to_days) of kind[0]; -1 = not loaded */
	signed char kind[WINDOW_DAYS]; /* 1 'work', 0 'off', -1 no row */
} Window;

static void window_load(Db *db, Window *w, Date from)
{
	w->first = date_to_days(from);
	memset(w->kind, -1, sizeof w->kind);
	char lo[11], hi[11];
	date_iso(from, lo);
	date_iso(date_add_days(from, WINDOW_DAYS), hi);
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT day, kind FROM calendar_day WHERE day >= ? AND day < ?",
			"tt", lo, hi);
	if (rc) {
		if (!calendar_err)
			calendar_err = rc;
		return;
	}
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		Date d;
		if (!date_parse_iso(db_col_text(st, 0), &d))
			continue;
		int64_t i = date_to_days(d) - w->first;
		if (i >= 0 && i < WINDOW_DAYS)
			w->kind[i] = str_eq(db_col_text(st, 1), "work") ? 1 : 0;
	}
	if (s != DB_DONE && !calendar_err)
		calendar_err = (Rc)-s;
	db_done(st);
}

/* calendar_is_working_day through the window (loaded as the scan moves). */
static bool window_working_day(Db *db, Window *w, Date d)
{
	if (!date_valid(d))
		return false;
	if (db) {
		int64_t n = date_to_days(d);
		if (w->first < 0 || n < w->first || n >= w->first + WINDOW_DAYS)
			window_load(db, w, n < w->first ? date_add_days(d, 1 - WINDOW_DAYS) : d);
		int o = w->kind[n - w->first];
		if (o >= 0)
			return o == 1;
	}
	return computed_working_day(d);
}

Date calendar_add_working_days(Db *db, Date event, int n)
{
	if (!date_valid(event))
		return event;
	int step = n < 0 ? -1 : 1;
	int left = n < 0 ? -n : n;
	Date d = event;
	Window w = {.first = -1};
	for (int scanned = 0; left > 0 && scanned < MAX_SCAN_DAYS + left; scanned++) {
		d = date_add_days(d, step);
		if (window_working_day(db, &w, d))
			left--;
	}
	return d;
}

Date calendar_add_days(Db *db, Date event, int n)
{
	if (!date_valid(event))
		return event;
	Date d = date_add_days(event, n);
	Window w = {.first = -1};
	for (int i = 0; i < MAX_SCAN_DAYS && !window_working_day(db, &w, d); i++)
		d = date_add_days(d, 1);
	return d;
}

Rc calendar_set_day(Db *db, Date d, const char *kind, const char *name)
{
	if (!date_valid(d))
		return RC_INVALID;
	char day[11];
	date_iso(d, day);
	if (!kind)
		return db_run(db, "DELETE FROM calendar_day WHERE day = ?", "t", day);
	if (!str_eq(kind, "off") && !str_eq(kind, "work"))
		return RC_INVALID;
	if (!name)
		name = "";
	if (strlen(name) > CALENDAR_NAME_MAX)
		return RC_INVALID;
	return db_run(db,
		      "INSERT INTO calendar_day (day, kind, name) VALUES (?, ?, ?)"
		      " ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
		      "ttt", day, kind, name);
}

static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size) {
		n = size - 1;
		/* do not cut a UTF-8 sequence: back up to a lead byte */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

Rc calendar_overrides(Db *db, int year, CalendarOverride *out, int max, int *n)
{
	*n = 0;
	char from[11], to[11];
	date_iso((Date){year, 1, 1}, from);
	date_iso((Date){year, 12, 31}, to);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT day, kind, name FROM calendar_day WHERE day >= ? AND day <= ?"
			" ORDER BY day",
			"tt", from, to);
	if (rc)
		return rc;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		Date d;
		if (!date_parse_iso(db_col_text(st, 0), &d))
			continue; /* not written by calendar_set_day: ignore */
		if (*n < max) {
			CalendarOverride *o = &out[*n];
			o->day = d;
			o->work = str_eq(db_col_text(st, 1), "work");
			copy_text(o->name, sizeof o->name, db_col_text(st, 2));
		}
		(*n)++;
	}
	db_done(st);
	return s < 0 ? (Rc)-s : RC_OK;
}
