/*
 * test_lunar.c — the Vietnamese lunar calendar (base/lunar.h): Tết, Giỗ
 * Tổ and leap months of recent years as published, every Tết and leap
 * month 1900–2100 against an independent high-precision ephemeris, the
 * astronomy underneath, round trips, and the dates that do not exist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <cmocka.h>

#include "base/lunar.h"

static void assert_date(Date got, int y, int m, int d)
{
	if (got.y != y || got.m != m || got.d != d)
		fail_msg("got %d-%02d-%02d, want %d-%02d-%02d", got.y, got.m, got.d, y, m, d);
}

static Date solar(int year, int month, int day, bool leap)
{
	Date d = {0, 0, 0};
	if (!lunar_to_solar((LunarDate){day, month, year, leap}, &d))
		fail_msg("lunar %d/%d%s/%d does not exist", day, month, leap ? "n" : "", year);
	return d;
}

static LunarDate lunar(int y, int m, int d)
{
	LunarDate l = {0, 0, 0, false};
	if (!lunar_from_solar((Date){y, m, d}, &l))
		fail_msg("%d-%02d-%02d out of range", y, m, d);
	return l;
}

static void assert_lunar(LunarDate l, int day, int month, int year, bool leap)
{
	if (l.day != day || l.month != month || l.year != year || l.leap != leap)
		fail_msg("got %d/%d%s/%d, want %d/%d%s/%d", l.day, l.month, l.leap ? "n" : "", l.year,
			 day, month, leap ? "n" : "", year);
}

/* ---- published dates ------------------------------------------------ */

static void test_tet(void **state)
{
	assert_date(solar(2020, 1, 1, false), 2020, 1, 25);
	assert_date(solar(2023, 1, 1, false), 2023, 1, 22);
	assert_date(solar(2024, 1, 1, false), 2024, 2, 10);
	assert_date(solar(2025, 1, 1, false), 2025, 1, 29);
	assert_date(solar(2026, 1, 1, false), 2026, 2, 17);
	assert_date(solar(2027, 1, 1, false), 2027, 2, 6);
	assert_date(solar(2033, 1, 1, false), 2033, 1, 31);
	/* Vietnam (UTC+7) and China (UTC+8) disagree: these are Vietnam's */
	assert_date(solar(1985, 1, 1, false), 1985, 1, 21);
	assert_date(solar(2007, 1, 1, false), 2007, 2, 17);
	assert_date(solar(1968, 1, 1, false), 1968, 1, 29);
}

static void test_hung_kings(void **state)
{
	assert_date(solar(2024, 3, 10, false), 2024, 4, 18);
	assert_date(solar(2025, 3, 10, false), 2025, 4, 7);
	assert_date(solar(2026, 3, 10, false), 2026, 4, 26);
}

static void test_leap_months(void **state)
{
	assert_int_equal(lunar_leap_month(2020), 4);
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
	assert_int_equal(lunar_leap_month(2033), 11); /* the "2033 problem" year */
	/* the leap month follows the month it repeats */
	assert_date(solar(2023, 2, 1, false), 2023, 2, 20);
	assert_date(solar(2023, 2, 1, true), 2023, 3, 22);
	assert_date(solar(2023, 3, 1, false), 2023, 4, 20);
	assert_date(solar(2025, 6, 1, true), 2025, 7, 25);
	assert_date(solar(2025, 8, 15, false), 2025, 10, 6); /* Trung thu 2025 */
	assert_date(solar(2020, 4, 1, true), 2020, 5, 23);
	assert_lunar(lunar(2025, 8, 1), 8, 6, 2025, true);
	assert_lunar(lunar(2023, 4, 1), 11, 2, 2023, true);
}

static void test_from_solar(void **state)
{
	assert_lunar(lunar(2026, 2, 17), 1, 1, 2026, false);
	assert_lunar(lunar(2026, 2, 16), 29, 12, 2025, false); /* Tết's eve 2026 */
	assert_lunar(lunar(2024, 2, 9), 30, 12, 2023, false);
	assert_lunar(lunar(2026, 1, 1), 13, 11, 2025, false); /* month 11 in January */
	assert_lunar(lunar(2025, 12, 20), 1, 11, 2025, false);
	assert_lunar(lunar(2034, 1, 1), 11, 11, 2033, true);   /* leap 11 reaches into 2034 */
	assert_lunar(lunar(2000, 1, 1), 25, 11, 1999, false);
	assert_int_equal(lunar_month_days(2025, 12, false), 29);
	assert_int_equal(lunar_month_days(2023, 12, false), 30);
	assert_int_equal(lunar_month_days(2024, 2, true), 0);
}

static void test_nonexistent(void **state)
{
	Date d;
	assert_false(lunar_to_solar((LunarDate){1, 2, 2024, true}, &d)); /* 2024 has no leap month */
	assert_false(lunar_to_solar((LunarDate){1, 5, 2023, true}, &d)); /* 2023's is month 2 */
	assert_false(lunar_to_solar((LunarDate){30, 12, 2025, false}, &d)); /* a 29-day month */
	assert_false(lunar_to_solar((LunarDate){0, 1, 2025, false}, &d));
	assert_false(lunar_to_solar((LunarDate){1, 13, 2025, false}, &d));
	assert_false(lunar_to_solar((LunarDate){1, 1, LUNAR_MAX_YEAR + 1, false}, &d));
	LunarDate l;
	assert_false(lunar_from_solar((Date){LUNAR_MIN_YEAR - 1, 6, 1}, &l));
	assert_false(lunar_from_solar((Date){2025, 2, 30}, &l));
	assert_int_equal(lunar_leap_month(LUNAR_MAX_YEAR + 1), -1);
}

/* ---- an independent reference --------------------------------------- */

/*
 * Tết (month, day) and the leap month (0 = none) of every year
 * 1900–2100, computed with the same rules from a different ephemeris
 * (VSOP87 and a full lunar theory, through the astronomy-engine npm
 * package), not from this code: so the table tests the astronomy, not
 * only the arithmetic.
 */
static const struct { int m, d, leap; } reference[] = {
	/* 1900 */ {1, 31, 8}, {2, 19, 0}, {2, 8, 0}, {1, 28, 5}, {2, 16, 0},
	/* 1905 */ {2, 4, 0}, {1, 25, 4}, {2, 13, 0}, {2, 2, 0}, {1, 22, 2},
	/* 1910 */ {2, 10, 0}, {1, 30, 6}, {2, 18, 0}, {2, 6, 0}, {1, 26, 5},
	/* 1915 */ {2, 14, 0}, {2, 3, 0}, {1, 23, 3}, {2, 11, 0}, {2, 1, 7},
	/* 1920 */ {2, 20, 0}, {2, 8, 0}, {1, 28, 6}, {2, 16, 0}, {2, 5, 0},
	/* 1925 */ {1, 24, 4}, {2, 13, 0}, {2, 2, 0}, {1, 23, 2}, {2, 10, 0},
	/* 1930 */ {1, 30, 6}, {2, 17, 0}, {2, 6, 0}, {1, 26, 5}, {2, 14, 0},
	/* 1935 */ {2, 3, 0}, {1, 24, 3}, {2, 11, 0}, {1, 31, 7}, {2, 19, 0},
	/* 1940 */ {2, 8, 0}, {1, 27, 6}, {2, 15, 0}, {2, 5, 0}, {1, 25, 4},
	/* 1945 */ {2, 13, 0}, {2, 2, 0}, {1, 22, 2}, {2, 10, 0}, {1, 29, 7},
	/* 1950 */ {2, 17, 0}, {2, 6, 0}, {1, 27, 5}, {2, 14, 0}, {2, 3, 0},
	/* 1955 */ {1, 24, 3}, {2, 12, 0}, {1, 31, 8}, {2, 18, 0}, {2, 8, 0},
	/* 1960 */ {1, 28, 6}, {2, 15, 0}, {2, 5, 0}, {1, 25, 4}, {2, 13, 0},
	/* 1965 */ {2, 1, 0}, {1, 21, 3}, {2, 9, 0}, {1, 29, 7}, {2, 16, 0},
	/* 1970 */ {2, 6, 0}, {1, 27, 5}, {2, 15, 0}, {2, 3, 0}, {1, 23, 4},
	/* 1975 */ {2, 11, 0}, {1, 31, 8}, {2, 18, 0}, {2, 7, 0}, {1, 28, 6},
	/* 1980 */ {2, 16, 0}, {2, 5, 0}, {1, 25, 4}, {2, 13, 0}, {2, 2, 0},
	/* 1985 */ {1, 21, 2}, {2, 9, 0}, {1, 29, 7}, {2, 17, 0}, {2, 6, 0},
	/* 1990 */ {1, 27, 5}, {2, 15, 0}, {2, 4, 0}, {1, 23, 3}, {2, 10, 0},
	/* 1995 */ {1, 31, 8}, {2, 19, 0}, {2, 7, 0}, {1, 28, 5}, {2, 16, 0},
	/* 2000 */ {2, 5, 0}, {1, 24, 4}, {2, 12, 0}, {2, 1, 0}, {1, 22, 2},
	/* 2005 */ {2, 9, 0}, {1, 29, 7}, {2, 17, 0}, {2, 7, 0}, {1, 26, 5},
	/* 2010 */ {2, 14, 0}, {2, 3, 0}, {1, 23, 4}, {2, 10, 0}, {1, 31, 9},
	/* 2015 */ {2, 19, 0}, {2, 8, 0}, {1, 28, 6}, {2, 16, 0}, {2, 5, 0},
	/* 2020 */ {1, 25, 4}, {2, 12, 0}, {2, 1, 0}, {1, 22, 2}, {2, 10, 0},
	/* 2025 */ {1, 29, 6}, {2, 17, 0}, {2, 6, 0}, {1, 26, 5}, {2, 13, 0},
	/* 2030 */ {2, 2, 0}, {1, 23, 3}, {2, 11, 0}, {1, 31, 11}, {2, 19, 0},
	/* 2035 */ {2, 8, 0}, {1, 28, 6}, {2, 15, 0}, {2, 4, 0}, {1, 24, 5},
	/* 2040 */ {2, 12, 0}, {2, 1, 0}, {1, 22, 2}, {2, 10, 0}, {1, 30, 7},
	/* 2045 */ {2, 17, 0}, {2, 6, 0}, {1, 26, 5}, {2, 14, 0}, {2, 2, 0},
	/* 2050 */ {1, 23, 3}, {2, 11, 0}, {2, 1, 8}, {2, 18, 0}, {2, 8, 0},
	/* 2055 */ {1, 28, 6}, {2, 15, 0}, {2, 4, 0}, {1, 24, 4}, {2, 12, 0},
	/* 2060 */ {2, 2, 0}, {1, 21, 3}, {2, 9, 0}, {1, 29, 7}, {2, 17, 0},
	/* 2065 */ {2, 5, 0}, {1, 26, 5}, {2, 14, 0}, {2, 3, 0}, {1, 23, 4},
	/* 2070 */ {2, 11, 0}, {1, 31, 8}, {2, 19, 0}, {2, 7, 0}, {1, 27, 6},
	/* 2075 */ {2, 15, 0}, {2, 5, 0}, {1, 24, 4}, {2, 12, 0}, {2, 2, 0},
	/* 2080 */ {1, 22, 3}, {2, 9, 0}, {1, 29, 7}, {2, 17, 0}, {2, 6, 0},
	/* 2085 */ {1, 26, 5}, {2, 14, 0}, {2, 3, 0}, {1, 24, 4}, {2, 10, 0},
	/* 2090 */ {1, 30, 8}, {2, 18, 0}, {2, 7, 0}, {1, 27, 6}, {2, 15, 0},
	/* 2095 */ {2, 5, 0}, {1, 25, 4}, {2, 12, 0}, {2, 1, 0}, {1, 21, 2},
	/* 2100 */ {2, 9, 0},
};

static void test_reference_1900_2100(void **state)
{
	for (int i = 0; i < (int)ARRAY_LEN(reference); i++) {
		int y = 1900 + i;
		Date tet = solar(y, 1, 1, false);
		if (tet.m != reference[i].m || tet.d != reference[i].d)
			fail_msg("Tết %d: got %d-%02d-%02d, want %d-%02d-%02d", y, tet.y, tet.m,
				 tet.d, y, reference[i].m, reference[i].d);
		if (lunar_leap_month(y) != reference[i].leap)
			fail_msg("leap month of %d: got %d, want %d", y, lunar_leap_month(y),
				 reference[i].leap);
	}
}

/* Every day of 1990–2040 and every 7th day of the range converts to the
 * lunar calendar and back to itself, and consecutive days advance the
 * lunar day by one or start a new month. */
static void test_round_trip(void **state)
{
	int64_t first = date_to_days((Date){LUNAR_MIN_YEAR, 1, 1});
	int64_t last = date_to_days((Date){LUNAR_MAX_YEAR, 12, 31});
	int64_t dense_from = date_to_days((Date){1990, 1, 1});
	int64_t dense_to = date_to_days((Date){2040, 12, 31});
	LunarDate prev = {0, 0, 0, false};
	int64_t prev_n = first - 2;
	for (int64_t n = first; n <= last; n += (n >= dense_from && n < dense_to) ? 1 : 7) {
		Date d = date_from_days(n);
		LunarDate l;
		if (!lunar_from_solar(d, &l))
			fail_msg("%d-%02d-%02d: no lunar date", d.y, d.m, d.d);
		Date back;
		if (!lunar_to_solar(l, &back) || date_to_days(back) != n)
			fail_msg("%d-%02d-%02d → %d/%d%s/%d → back differs", d.y, d.m, d.d, l.day,
				 l.month, l.leap ? "n" : "", l.year);
		if (prev_n == n - 1 && !(l.day == prev.day + 1 && l.month == prev.month) && l.day != 1)
			fail_msg("%d-%02d-%02d: lunar day %d after %d", d.y, d.m, d.d, l.day, prev.day);
		prev = l;
		prev_n = n;
	}
}

/* ---- astronomy -------------------------------------------------------- */

static void test_astronomy(void **state)
{
	/* New moon of 2024-02-09 22:59 UT (k = 298 from 2000-01-06):
	 * JD 2460350.458 — Tết 2024 began at 05:59 in Vietnam. */
	assert_true(fabs(lunar_new_moon_jd(298) - 2460350.4577) * 1440 < 2);
	/* The March equinox 2024-03-20 03:06 UT: longitude 0°. */
	double lon = lunar_sun_longitude(2460389.6292);
	if (lon > 180)
		lon -= 360;
	assert_true(fabs(lon) < 0.005);
	/* The December solstice 2025-12-21 15:03 UT: 270°. */
	assert_true(fabs(lunar_sun_longitude(2461031.1271) - 270) < 0.005);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tet),
		cmocka_unit_test(test_hung_kings),
		cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_from_solar),
		cmocka_unit_test(test_nonexistent),
		cmocka_unit_test(test_reference_1900_2100),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_astronomy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
