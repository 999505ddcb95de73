/*
 * lunar.h — the Vietnamese lunisolar calendar (âm lịch), computed
 * astronomically for Vietnam's time zone, UTC+7.
 *
 * Rules (the same as the Chinese calendar, but on Vietnamese local days,
 * which is why Tết sometimes differs from the Chinese New Year, e.g. 1985
 * and 2007):
 *  - a lunar month begins on the local day (UTC+7) of a new moon and
 *    lasts until the day before the next one (29 or 30 days);
 *  - month 11 is the month that contains the December (winter) solstice,
 *    i.e. the day on which the Sun's apparent longitude reaches 270°;
 *  - when there are 13 new moons from the start of one month 11 to the
 *    start of the next (a "13-month year"), the first month after month
 *    11 that contains no major solar term (trung khí: the Sun reaching a
 *    multiple of 30° of longitude) is the leap month (tháng nhuận) and
 *    takes the number of the month before it;
 *  - the lunar year is named after the solar year in which its month 1,
 *    day 1 (Tết Nguyên Đán) falls; months 11 and 12 that fall in January
 *    or February therefore belong to the previous lunar year.
 *
 * Astronomy: true new moons by the series of J. Meeus, "Astronomical
 * Algorithms" (2nd ed.), ch. 49, with the planetary corrections; the
 * Sun's apparent longitude by Meeus ch. 25 ("low accuracy", ≈0.01°) plus
 * the largest nutation and aberration terms; ΔT (TT − UT) by the
 * Espenak–Meeus polynomials.  docs/internals/deadlines.md describes the
 * method and how it was checked (every day 1900–2100 against a
 * high-precision ephemeris).
 *
 * Range: solar years LUNAR_MIN_YEAR…LUNAR_MAX_YEAR; outside it the
 * functions return false.  Everything is pure computation: no tables, no
 * state, safe from any thread.
 */
#ifndef DANVAN_LUNAR_H
#define DANVAN_LUNAR_H

#include "date.h"

#define LUNAR_MIN_YEAR 1800
#define LUNAR_MAX_YEAR 2199

typedef struct LunarDate {
	int day;   /* 1…30 */
	int month; /* 1…12 */
	int year;  /* the solar year in which this lunar year's Tết falls */
	bool leap; /* a leap month (tháng nhuận) */
} LunarDate;

/* Solar (Gregorian) → lunar.  False outside the range. */
bool lunar_from_solar(Date d, LunarDate *out);
/* Lunar → solar.  False when that lunar date does not exist: a leap
 * month the year does not have, day 30 of a 29-day month, out of range. */
bool lunar_to_solar(LunarDate l, Date *out);
/* The leap month of lunar year `year` (the number it repeats, 1…12), 0
 * when the year has none, -1 outside the range. */
int lunar_leap_month(int year);
/* Days in a lunar month (29 or 30), 0 if the month does not exist. */
int lunar_month_days(int year, int month, bool leap);

/* The astronomy underneath, exposed for tests and documentation.
 * Julian days are in UT; `k` numbers new moons from 2000-01-06 (k = 0). */
double lunar_new_moon_jd(int64_t k);
/* The Sun's apparent geocentric longitude in degrees [0, 360) at a UT
 * Julian day. */
double lunar_sun_longitude(double jd_ut);

#endif
