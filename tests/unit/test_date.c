/*
 * test_date.c — unit tests for base/date.c: day-number arithmetic,
 * weekdays, leap years, Vietnam's UTC+7 "today", strict ISO parsing and
 * the Vietnamese/English formats.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#include "base/date.h"

static Date D(int y, int m, int d)
{
	return (Date){y, m, d};
}

static void assert_date(Date got, int y, int m, int d)
{
	if (got.y != y || got.m != m || got.d != d)
		fail_msg("got %d-%d-%d, want %d-%d-%d", got.y, got.m, got.d, y, m, d);
}

/* Unix time of a UTC date and time, from the day number (no libc TZ). */
static int64_t unix_utc(Date d, int h, int mi, int s)
{
	return date_to_days(d) * 86400 + h * 3600 + mi * 60 + s;
}

typedef void (*DateFmt)(Buf *, Date);

static void assert_fmt(DateFmt fmt, Date d, const char *want)
{
	Buf b = BUF_INIT;
	fmt(&b, d);
	assert_true(buf_ok(&b));
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void assert_timestamp(int64_t t, const char *want)
{
	Buf b = BUF_INIT;
	date_format_vn_timestamp(&b, t);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

/* ---- day numbers ---------------------------------------------------- */

static void test_known_day_numbers(void **state)
{
	assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(D(1970, 1, 2)), 1);
	assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
	assert_int_equal(date_to_days(D(2024, 6, 22)), 19896);
	assert_int_equal(date_to_days(D(1, 1, 1)), -719162);
	assert_int_equal(date_to_days(D(9999, 12, 31)), 2932896);
	assert_date(date_from_days(0), 1970, 1, 1);
	assert_date(date_from_days(-1), 1969, 12, 31);
	assert_date(date_from_days(19896), 2024, 6, 22);
	assert_date(date_from_days(-719162), 1, 1, 1);
}

/* Every day from 0001-01-01 to 9999-12-31: the round trip holds, every
 * result is valid, and consecutive day numbers are consecutive dates. */
static void test_round_trip_every_day(void **state)
{
	int64_t first = date_to_days(D(1, 1, 1)), last = date_to_days(D(9999, 12, 31));
	Date prev = date_from_days(first - 1);
	assert_date(prev, 0, 12, 31);
	for (int64_t n = first; n <= last; n++) {
		Date d = date_from_days(n);
		if (!date_valid(d) || date_to_days(d) != n)
			fail_msg("day %lld → %d-%d-%d", (long long)n, d.y, d.m, d.d);
		bool next_day = d.y == prev.y && d.m == prev.m && d.d == prev.d + 1;
		bool next_month = d.y == prev.y && d.m == prev.m + 1 && d.d == 1;
		bool next_year = d.y == prev.y + 1 && d.m == 1 && d.d == 1 && prev.m == 12 &&
				 prev.d == 31;
		if (!next_day && !next_month && !next_year)
			fail_msg("day %lld: %d-%d-%d does not follow %d-%d-%d", (long long)n,
				 d.y, d.m, d.d, prev.y, prev.m, prev.d);
		prev = d;
	}
	assert_date(prev, 9999, 12, 31);
}

static void test_far_days_do_not_overflow(void **state)
{
	/* Far outside any real use; must neither crash nor overflow (UBSan). */
	Date a = date_from_days(INT64_MAX);
	Date b = date_from_days(INT64_MIN);
	assert_true(a.y > 9999);
	assert_true(b.y < 1);
	(void)date_add_days(D(2026, 1, 1), INT64_MAX);
	(void)date_add_days(D(2026, 1, 1), INT64_MIN);
	(void)date_vn_from_unix(INT64_MAX);
	(void)date_vn_from_unix(INT64_MIN);
}

/* ---- validity and leap years ---------------------------------------- */

static void test_valid_and_leap_years(void **state)
{
	assert_true(date_valid(D(2024, 2, 29)));  /* divisible by 4 */
	assert_false(date_valid(D(2023, 2, 29)));
	assert_false(date_valid(D(1900, 2, 29))); /* by 100, not 400 */
	assert_true(date_valid(D(2000, 2, 29)));  /* by 400 */
	assert_false(date_valid(D(2100, 2, 29)));
	assert_true(date_valid(D(2026, 4, 30)));
	assert_false(date_valid(D(2026, 4, 31)));
	assert_true(date_valid(D(2026, 12, 31)));
	assert_false(date_valid(D(2026, 13, 1)));
	assert_false(date_valid(D(2026, 0, 1)));
	assert_false(date_valid(D(2026, 1, 0)));
	assert_false(date_valid(D(0, 1, 1)));
	assert_false(date_valid(D(10000, 1, 1)));
	assert_true(date_valid(D(1, 1, 1)));
	assert_true(date_valid(D(9999, 12, 31)));
	assert_int_equal(date_to_days(D(2024, 3, 1)) - date_to_days(D(2024, 2, 1)), 29);
	assert_int_equal(date_to_days(D(2023, 3, 1)) - date_to_days(D(2023, 2, 1)), 28);
	assert_int_equal(date_to_days(D(2001, 1, 1)) - date_to_days(D(2000, 1, 1)), 366);
	assert_int_equal(date_to_days(D(1901, 1, 1)) - date_to_days(D(1900, 1, 1)), 365);
}

static void test_add_days(void **state)
{
	assert_date(date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(date_add_days(D(2024, 2, 28), 2), 2024, 3, 1);
	assert_date(date_add_days(D(2023, 2, 28), 1), 2023, 3, 1);
	assert_date(date_add_days(D(2026, 12, 31), 1), 2027, 1, 1);
	assert_date(date_add_days(D(2026, 1, 1), -1), 2025, 12, 31);
	assert_date(date_add_days(D(2026, 11, 28), 0), 2026, 11, 28);
	assert_date(date_add_days(D(2026, 11, 28), 365), 2027, 11, 28);
}

/* ---- weekdays ------------------------------------------------------- */

static void test_weekdays(void **state)
{
	assert_int_equal(date_weekday(D(1970, 1, 1)), 4);   /* Thursday */
	assert_int_equal(date_weekday(D(1969, 12, 28)), 0); /* Sunday */
	assert_int_equal(date_weekday(D(1900, 1, 1)), 1);   /* Monday */
	assert_int_equal(date_weekday(D(1945, 9, 2)), 0);   /* Sunday */
	assert_int_equal(date_weekday(D(1975, 4, 30)), 3);  /* Wednesday */
	assert_int_equal(date_weekday(D(2000, 1, 1)), 6);   /* Saturday */
	assert_int_equal(date_weekday(D(2024, 2, 29)), 4);  /* Thursday */
	assert_int_equal(date_weekday(D(2024, 6, 22)), 6);  /* Saturday */
	assert_int_equal(date_weekday(D(2026, 11, 28)), 6); /* Saturday */
	assert_int_equal(date_weekday(D(2026, 11, 29)), 0); /* Sunday */
	assert_int_equal(date_weekday(D(1, 1, 1)), 1);      /* Monday (proleptic) */
}

/* ---- formatting ----------------------------------------------------- */

static void test_format_vi(void **state)
{
	assert_fmt(date_format_vi_long, D(2024, 6, 22), "Thứ Bảy, 22/6/2024");
	assert_fmt(date_format_vi_long, D(2026, 11, 28), "Thứ Bảy, 28/11/2026");
	assert_fmt(date_format_vi_long, D(2026, 11, 29), "Chủ Nhật, 29/11/2026");
	assert_fmt(date_format_vi_long, D(2026, 11, 30), "Thứ Hai, 30/11/2026");
	assert_fmt(date_format_vi_long, D(2026, 12, 1), "Thứ Ba, 1/12/2026");
	assert_fmt(date_format_vi_long, D(2026, 12, 2), "Thứ Tư, 2/12/2026");
	assert_fmt(date_format_vi_long, D(2026, 12, 3), "Thứ Năm, 3/12/2026");
	assert_fmt(date_format_vi_long, D(2026, 12, 4), "Thứ Sáu, 4/12/2026");
	assert_fmt(date_format_vi_short, D(2026, 1, 5), "5/1/2026");
	/* The names must be NFC: "Bảy" is B, U+1EA3, y. */
	Buf b = BUF_INIT;
	date_format_vi_long(&b, D(2026, 11, 28));
	assert_memory_equal(buf_cstr(&b), "Th\xE1\xBB\xA9 B\xE1\xBA\xA3y", 11);
	buf_release(&b);
}

static void test_format_en_and_iso(void **state)
{
	assert_fmt(date_format_en_long, D(2026, 11, 28), "Saturday, 28 November 2026");
	assert_fmt(date_format_en_long, D(1945, 9, 2), "Sunday, 2 September 1945");
	assert_fmt(date_format_en_long, D(2024, 1, 1), "Monday, 1 January 2024");
	assert_fmt(date_format_iso, D(2026, 11, 28), "2026-11-28");
	assert_fmt(date_format_iso, D(2026, 1, 5), "2026-01-05");
	assert_fmt(date_format_iso, D(33, 3, 3), "0033-03-03");
}

/* ---- Vietnam time --------------------------------------------------- */

static void test_vn_from_unix(void **state)
{
	/* 17:00 UTC is midnight in Vietnam: the next day starts. */
	assert_date(date_vn_from_unix(unix_utc(D(2026, 11, 28), 16, 59, 59)), 2026, 11, 28);
	assert_date(date_vn_from_unix(unix_utc(D(2026, 11, 28), 17, 0, 0)), 2026, 11, 29);
	assert_date(date_vn_from_unix(unix_utc(D(2026, 12, 31), 17, 0, 0)), 2027, 1, 1);
	assert_date(date_vn_from_unix(unix_utc(D(2026, 11, 28), 0, 0, 0)), 2026, 11, 28);
	/* Before the epoch, division must round down, not towards zero. */
	assert_date(date_vn_from_unix(-25200), 1970, 1, 1);
	assert_date(date_vn_from_unix(-25201), 1969, 12, 31);
	assert_date(date_vn_from_unix(0), 1970, 1, 1);
}

static void test_vn_timestamp(void **state)
{
	assert_timestamp(unix_utc(D(2026, 11, 28), 2, 15, 0), "2026-11-28T09:15:00+07:00");
	assert_timestamp(unix_utc(D(2026, 11, 28), 17, 0, 0), "2026-11-29T00:00:00+07:00");
	assert_timestamp(0, "1970-01-01T07:00:00+07:00");
	assert_timestamp(-1, "1970-01-01T06:59:59+07:00");
	assert_timestamp(-25201, "1969-12-31T23:59:59+07:00");
}

static void test_independent_of_tz(void **state)
{
	/* The process time zone must not move Vietnam's date. */
	int64_t t = unix_utc(D(2026, 11, 28), 17, 30, 0);
	const char *zones[] = {"UTC", "America/New_York", "Pacific/Kiritimati", "Asia/Ho_Chi_Minh"};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		assert_date(date_vn_from_unix(t), 2026, 11, 29);
		assert_timestamp(t, "2026-11-29T00:30:00+07:00");
	}
	unsetenv("TZ");
	tzset();
}

/* ---- parsing -------------------------------------------------------- */

static void test_parse_iso(void **state)
{
	Date d = {0};
	assert_true(date_parse_iso("2026-11-28", &d));
	assert_date(d, 2026, 11, 28);
	assert_true(date_parse_iso("2024-02-29", &d));
	assert_date(d, 2024, 2, 29);
	assert_true(date_parse_iso("0001-01-01", &d));
	assert_date(d, 1, 1, 1);

	const char *bad[] = {
		"2026-02-30", "2023-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "0000-01-01", "2026-1-1", "2026-01-1", "26-01-01",
		"2026-01-01x", "2026-01-01 ", " 2026-01-01", "2026-01-01T00:00",
		"2026/01/01", "20260101", "+026-01-01", "2026-+1-01", "2026-01-0a",
		"２０２６-01-01", "", "2026-01-",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		Date out = {7, 7, 7};
		if (date_parse_iso(bad[i], &out))
			fail_msg("accepted \"%s\"", bad[i]);
		/* A failed parse leaves the output alone. */
		assert_date(out, 7, 7, 7);
	}
	assert_false(date_parse_iso(NULL, &d));
}

static void test_parse_format_round_trip(void **state)
{
	for (int64_t n = date_to_days(D(1900, 1, 1)); n < date_to_days(D(2100, 1, 1)); n += 7) {
		Date d = date_from_days(n), back = {0};
		Buf b = BUF_INIT;
		date_format_iso(&b, d);
		assert_true(date_parse_iso(buf_cstr(&b), &back));
		assert_date(back, d.y, d.m, d.d);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_day_numbers),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_far_days_do_not_overflow),
		cmocka_unit_test(test_valid_and_leap_years),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_format_vi),
		cmocka_unit_test(test_format_en_and_iso),
		cmocka_unit_test(test_vn_from_unix),
		cmocka_unit_test(test_vn_timestamp),
		cmocka_unit_test(test_independent_of_tz),
		cmocka_unit_test(test_parse_iso),
		cmocka_unit_test(test_parse_format_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
