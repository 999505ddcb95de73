/*
 * date.c — civil (calendar) dates and their Vietnamese/English formatting
 * (see date.h).
 *
 * Everything is integer arithmetic on day numbers, never the C library's
 * time-zone machinery: the server's TZ must not change what "today" is
 * for a Vietnamese user, and Vietnam is UTC+7 all year (no DST).
 */
#include "date.h"

#include <limits.h>

#define SECONDS_PER_DAY 86400

/* Day numbers are kept within ±2^38 (about 750 million years) so that
 * the arithmetic below can never overflow, whatever a caller passes. */
#define DAYS_LIMIT ((int64_t)1 << 38)

static const char *const vi_weekdays[7] = {
	"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
};

static const char *const en_weekdays[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static const char *const en_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

/* Floor division: rounds towards minus infinity, unlike C's '/'. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t clamp_days(int64_t days)
{
	if (days > DAYS_LIMIT)
		return DAYS_LIMIT;
	if (days < -DAYS_LIMIT)
		return -DAYS_LIMIT;
	return days;
}

/* Years 1–9999: what "YYYY-MM-DD" can express, and far more than a civic
 * platform needs. */
bool date_valid(Date d)
{
	if (d.y < 1 || d.y > 9999 || d.m < 1 || d.m > 12 || d.d < 1)
		return false;
	return d.d <= days_in_month(d.y, d.m);
}

/*
 * days_from_civil: count in 400-year eras (146097 days each) of years
 * that start on 1 March, so the leap day is the last day of its year and
 * each month's offset within the year is a linear formula.
 */
int64_t date_to_days(Date d)
{
	int64_t y = (int64_t)d.y - (d.m <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;                          /* 0..399 */
	int64_t mp = d.m > 2 ? d.m - 3 : d.m + 9;             /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d.d - 1;  /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
	return era * 146097 + doe - 719468; /* 719468 = days 0000-03-01 → 1970-01-01 */
}

/* civil_from_days: the inverse of date_to_days. */
Date date_from_days(int64_t days)
{
	int64_t z = clamp_days(days) + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t day = doy - (153 * mp + 2) / 5 + 1;
	int64_t month = mp < 10 ? mp + 3 : mp - 9;
	int64_t year = yoe + era * 400 + (month <= 2);
	return (Date){.y = (int)year, .m = (int)month, .d = (int)day};
}

int date_weekday(Date d)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (date_to_days(d) + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

Date date_add_days(Date d, int64_t n)
{
	return date_from_days(date_to_days(d) + clamp_days(n));
}

/* UNIX time shifted to Vietnam's wall clock, saturating instead of
 * overflowing at the extremes. */
static int64_t vn_local_seconds(int64_t t)
{
	if (t > INT64_MAX - VN_UTC_OFFSET_SECONDS)
		return INT64_MAX;
	return t + VN_UTC_OFFSET_SECONDS;
}

Date date_vn_from_unix(int64_t t)
{
	return date_from_days(floor_div(vn_local_seconds(t), SECONDS_PER_DAY));
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Exactly "YYYY-MM-DD": fixed widths, no sign, no spaces, no trailer. */
bool date_parse_iso(const char *s, Date *out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return false;
	Date d = {digits_value(s, 4), digits_value(s + 5, 2), digits_value(s + 8, 2)};
	if (!date_valid(d))
		return false;
	*out = d;
	return true;
}

void date_format_iso(Buf *b, Date d)
{
	char tmp[11];
	date_iso(d, tmp);
	buf_puts(b, tmp);
}

void date_format_vi_short(Buf *b, Date d)
{
	buf_printf(b, "%d/%d/%d", d.d, d.m, d.y);
}

void date_format_vi_long(Buf *b, Date d)
{
	buf_printf(b, "%s, ", vi_weekdays[date_weekday(d)]);
	date_format_vi_short(b, d);
}

void date_format_en_long(Buf *b, Date d)
{
	/* An out-of-range month must not index past the table. */
	const char *month = d.m >= 1 && d.m <= 12 ? en_months[d.m - 1] : "?";
	buf_printf(b, "%s, %d %s %d", en_weekdays[date_weekday(d)], d.d, month, d.y);
}

void date_format_vn_timestamp(Buf *b, int64_t t)
{
	int64_t local = vn_local_seconds(t);
	int64_t days = floor_div(local, SECONDS_PER_DAY);
	int64_t sod = local - days * SECONDS_PER_DAY; /* 0..86399 */
	date_format_iso(b, date_from_days(days));
	char tmp[32];
	xsnprintf(tmp, sizeof tmp, "T%02d:%02d:%02d+07:00", (int)(sod / 3600),
		  (int)(sod / 60 % 60), (int)(sod % 60));
	buf_puts(b, tmp);
}

void date_iso(Date d, char out[11])
{
	xsnprintf(out, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
}

void date_vn_today_iso(char out[11])
{
	date_iso(date_vn_from_unix(util_now()), out);
}
