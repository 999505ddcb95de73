/*
 * lunar.c — the Vietnamese lunisolar calendar from first principles (see
 * lunar.h for the rules).
 *
 * Days are Julian Day Numbers (JDN: the integer day, noon-based) of the
 * Vietnamese civil day; instants are Julian days (JD, fractional) in UT.
 * A civil day with JDN n runs, in Vietnam, from JD n − 0.5 − 7/24 to
 * JD n + 0.5 − 7/24 (UT), so an instant t falls on JDN ⌊t + 0.5 + 7/24⌋.
 *
 * The calendar needs only two astronomical questions:
 *  1. on which local day does new moon number k fall?  (month starts)
 *  2. in which 30° sector is the Sun at the local midnight that starts
 *     a given day?  Two month starts in the same sector mean the month
 *     between them contains no major term (trung khí), since the Sun
 *     moves less than 31° in a month.
 * Both are computed from published series (Meeus); nothing is tabulated,
 * so there is no table to keep up to date and no year-2100 cliff short of
 * the accuracy of ΔT.
 */
#include "lunar.h"

#include <math.h>

#define PI 3.14159265358979323846
#define SYNODIC_MONTH 29.530588861   /* mean days between new moons */
#define JD_NEW_MOON_0 2451550.09766  /* mean new moon k = 0, 2000-01-06 (TT) */
#define JDN_UNIX_EPOCH 2440588       /* JDN of 1970-01-01 */
#define TZ_DAYS (7.0 / 24.0)         /* Vietnam: UTC+7 (no DST) */

static double sin_deg(double deg)
{
	return sin(deg * PI / 180.0);
}

static double cos_deg(double deg)
{
	return cos(deg * PI / 180.0);
}

static double norm360(double deg)
{
	double r = fmod(deg, 360.0);
	return r < 0 ? r + 360.0 : r;
}

/*
 * ΔT = TT − UT in seconds for a decimal year: the polynomial fits of
 * Espenak and Meeus (NASA's "Five Millennium Canon of Solar Eclipses").
 * ΔT shifts instants by one to four minutes in 1800–2200; only a new moon
 * or solar term within those minutes of local midnight depends on it.
 */
static double delta_t_seconds(double y)
{
	double t;
	if (y < 1800) {
		t = y - 1700;
		return 8.83 + 0.1603 * t - 0.0059285 * t * t + 0.00013336 * t * t * t -
		       t * t * t * t / 1174000.0;
	}
	if (y < 1860) {
		t = y - 1800;
		double t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t, t6 = t5 * t, t7 = t6 * t;
		return 13.72 - 0.332447 * t + 0.0068612 * t2 + 0.0041116 * t3 - 0.00037436 * t4 +
		       0.0000121272 * t5 - 0.0000001699 * t6 + 0.000000000875 * t7;
	}
	if (y < 1900) {
		t = y - 1860;
		double t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
		return 7.62 + 0.5737 * t - 0.251754 * t2 + 0.01680668 * t3 - 0.0004473624 * t4 +
		       t5 / 233174.0;
	}
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
		       0.000197 * t * t * t * t;
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0;
	}
	if (y < 2005) {
		t = y - 2000;
		double t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
		return 63.86 + 0.3345 * t - 0.060374 * t2 + 0.0017275 * t3 + 0.000651814 * t4 +
		       0.00002373599 * t5;
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	double u = (y - 1820) / 100.0;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

static double jd_to_year(double jd)
{
	return 2000.0 + (jd - 2451545.0) / 365.25;
}

/*
 * The instant of true new moon number k (Meeus ch. 49): the mean phase
 * plus periodic terms in the Sun's and Moon's anomalies (M, M′), the
 * Moon's argument of latitude (F) and its node (Ω), with E damping the
 * terms in M for the slowly shrinking eccentricity of Earth's orbit, plus
 * fourteen small planetary terms.  Accurate to well under a minute, which
 * is far more than the day boundary needs except in rare near-midnight
 * cases.  The series gives Terrestrial Time; ΔT converts it to UT.
 */
double lunar_new_moon_jd(int64_t k_int)
{
	double k = (double)k_int;
	double T = k / 1236.85; /* Julian centuries from J2000 */
	double T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = JD_NEW_MOON_0 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.000000150 * T3 +
		     0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = 2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3;
	double Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 -
		    0.000000058 * T4;
	double F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 +
		   0.000000011 * T4;
	double Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

	double c = -0.40720 * sin_deg(Mp)
		 + 0.17241 * E * sin_deg(M)
		 + 0.01608 * sin_deg(2 * Mp)
		 + 0.01039 * sin_deg(2 * F)
		 + 0.00739 * E * sin_deg(Mp - M)
		 - 0.00514 * E * sin_deg(Mp + M)
		 + 0.00208 * E * E * sin_deg(2 * M)
		 - 0.00111 * sin_deg(Mp - 2 * F)
		 - 0.00057 * sin_deg(Mp + 2 * F)
		 + 0.00056 * E * sin_deg(2 * Mp + M)
		 - 0.00042 * sin_deg(3 * Mp)
		 + 0.00042 * E * sin_deg(M + 2 * F)
		 + 0.00038 * E * sin_deg(M - 2 * F)
		 - 0.00024 * E * sin_deg(2 * Mp - M)
		 - 0.00017 * sin_deg(Om)
		 - 0.00007 * sin_deg(Mp + 2 * M)
		 + 0.00004 * sin_deg(2 * Mp - 2 * F)
		 + 0.00004 * sin_deg(3 * M)
		 + 0.00003 * sin_deg(Mp + M - 2 * F)
		 + 0.00003 * sin_deg(2 * Mp + 2 * F)
		 - 0.00003 * sin_deg(Mp + M + 2 * F)
		 + 0.00003 * sin_deg(Mp - M + 2 * F)
		 - 0.00002 * sin_deg(Mp - M - 2 * F)
		 - 0.00002 * sin_deg(3 * Mp + M)
		 + 0.00002 * sin_deg(4 * Mp);

	/* planetary arguments A1…A14 and their coefficients */
	static const double arg0[14] = {299.77, 251.88, 251.83, 349.42, 84.66, 141.74, 207.14,
					154.84, 34.52, 207.19, 291.34, 161.72, 239.56, 331.55};
	static const double rate[14] = {0.107408, 0.016321, 26.651886, 36.412478, 18.206239,
					53.303771, 2.453732, 7.306860, 27.261239, 0.121824,
					1.844379, 24.198154, 25.513099, 3.592518};
	static const double coef[14] = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
					0.000062, 0.000060, 0.000056, 0.000047, 0.000042,
					0.000040, 0.000037, 0.000035, 0.000023};
	double a = 0;
	for (int i = 0; i < 14; i++) {
		double arg = arg0[i] + rate[i] * k;
		if (i == 0)
			arg -= 0.009173 * T2;
		a += coef[i] * sin_deg(arg);
	}
	jde += c + a;
	return jde - delta_t_seconds(jd_to_year(jde)) / 86400.0;
}

/*
 * The Sun's apparent longitude (Meeus ch. 25, the "low accuracy" method,
 * good to about 0.01°, i.e. a quarter of an hour of the Sun's motion):
 * geometric mean longitude L0 and mean anomaly M, the equation of centre
 * C, then aberration (−20.5″) and nutation in longitude (its two largest
 * terms, in Ω and in 2L0).
 */
double lunar_sun_longitude(double jd_ut)
{
	double jde = jd_ut + delta_t_seconds(jd_to_year(jd_ut)) / 86400.0;
	double T = (jde - 2451545.0) / 36525.0;
	double T2 = T * T;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T2;
	double M = 357.52911 + 35999.05029 * T - 0.0001537 * T2;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T2) * sin_deg(M) +
		   (0.019993 - 0.000101 * T) * sin_deg(2 * M) + 0.000289 * sin_deg(3 * M);
	double Om = 125.04452 - 1934.136261 * T;
	double nutation = (-17.20 * sin_deg(Om) - 1.32 * sin_deg(2 * L0)) / 3600.0;
	double aberration = -20.4898 / 3600.0;
	/* The largest perturbations (Meeus, "Astronomical Formulae for
	 * Calculators", ch. 18): Venus (A, B), Jupiter (C), the Moon's pull
	 * on the Earth about their barycentre (D) and a long-period term (E),
	 * with their arguments counted from 1900 (Newcomb's epoch).  They
	 * bring the error from about 12″ to 5″ rms. */
	double T1900 = (jde - 2415020.0) / 36525.0;
	double A = 153.23 + 22518.7541 * T1900;
	double B = 216.57 + 45037.5082 * T1900;
	double Cj = 312.69 + 32964.3577 * T1900;
	double D = 350.74 + 445267.1142 * T1900 - 0.00144 * T1900 * T1900;
	double E = 231.19 + 20.20 * T1900;
	double perturb = 0.00134 * cos_deg(A) + 0.00154 * cos_deg(B) + 0.00200 * cos_deg(Cj) +
			 0.00179 * sin_deg(D) + 0.00178 * sin_deg(E);
	return norm360(L0 + C + aberration + nutation + perturb);
}

/* ---- the calendar on local days ------------------------------------ */

/* The Vietnamese civil day (JDN) of new moon k. */
static int64_t new_moon_day(int64_t k)
{
	return (int64_t)floor(lunar_new_moon_jd(k) + 0.5 + TZ_DAYS);
}

/* The Sun's longitude at the local midnight that begins day `jdn`. */
static double sun_at_day_start(int64_t jdn)
{
	return lunar_sun_longitude((double)jdn - 0.5 - TZ_DAYS);
}

static int sector_at_day_start(int64_t jdn)
{
	return (int)(sun_at_day_start(jdn) / 30.0);
}

/* The number k of the new moon nearest before or on day jdn (estimate). */
static int64_t k_estimate(int64_t jdn)
{
	return (int64_t)floor(((double)jdn - JD_NEW_MOON_0) / SYNODIC_MONTH);
}

/* k of the month that contains day jdn: new_moon_day(k) ≤ jdn < new_moon_day(k+1). */
static int64_t month_containing(int64_t jdn)
{
	int64_t k = k_estimate(jdn);
	while (new_moon_day(k) > jdn)
		k--;
	while (new_moon_day(k + 1) <= jdn)
		k++;
	return k;
}

/*
 * k of month 11 of solar year y: the month whose first day begins with
 * the Sun short of 270° and whose successor begins with it at 270° or
 * beyond, i.e. the month in which the solstice day falls.  Longitudes
 * near the solstice are far from the 0°/360° seam, so they compare
 * directly.
 */
static int64_t month11(int y)
{
	int64_t dec31 = date_to_days((Date){y, 12, 31}) + JDN_UNIX_EPOCH;
	int64_t k = k_estimate(dec31);
	for (int i = 0; i < 6; i++) {
		if (sun_at_day_start(new_moon_day(k)) >= 270.0)
			k--;
		else if (sun_at_day_start(new_moon_day(k + 1)) < 270.0)
			k++;
		else
			break;
	}
	return k;
}

/*
 * In a 13-month year starting at month 11 = k11: the offset i (1…12) of
 * the first month without a major term.  The months from k11+1 to k11+12
 * hold only the eleven major terms after the solstice, so one of them
 * has none; 0 is returned only if the astronomy were inconsistent.
 */
static int leap_offset(int64_t k11)
{
	int prev = sector_at_day_start(new_moon_day(k11 + 1));
	for (int i = 1; i <= 12; i++) {
		int next = sector_at_day_start(new_moon_day(k11 + i + 1));
		if (next == prev)
			return i;
		prev = next;
	}
	return 0;
}

/* The year running from month 11 of solar year y−1 to the next month 11. */
typedef struct LunarSpan {
	int64_t k11;   /* month 11 of y − 1 */
	int months;    /* 12 or 13 */
	int leap_off;  /* 0 or the leap month's offset from k11 */
} LunarSpan;

static LunarSpan span_for(int y)
{
	LunarSpan s;
	s.k11 = month11(y - 1);
	s.months = (int)(month11(y) - s.k11);
	s.leap_off = s.months > 12 ? leap_offset(s.k11) : 0;
	return s;
}

/* The month number of offset `off` (0 = month 11) within a span. */
static int month_number(const LunarSpan *s, int off, bool *leap)
{
	*leap = s->leap_off && off == s->leap_off;
	int shifted = s->leap_off && off >= s->leap_off ? off - 1 : off;
	return (shifted + 10) % 12 + 1; /* 0 → 11, 1 → 12, 2 → 1 … */
}

static bool in_range(int y)
{
	return y >= LUNAR_MIN_YEAR && y <= LUNAR_MAX_YEAR;
}

bool lunar_from_solar(Date d, LunarDate *out)
{
	if (!date_valid(d) || !in_range(d.y))
		return false;
	int64_t jdn = date_to_days(d) + JDN_UNIX_EPOCH;
	int64_t k = month_containing(jdn);
	/* The span is the one (month 11 of y−1 … month 11 of y) holding k:
	 * y is d's year unless d lies in or after month 11 of its own year. */
	int span_year = k >= month11(d.y) ? d.y + 1 : d.y;
	LunarSpan s = span_for(span_year);
	int off = (int)(k - s.k11);
	LunarDate l;
	l.month = month_number(&s, off, &l.leap);
	l.day = (int)(jdn - new_moon_day(k)) + 1;
	/* months 11 and 12 at the head of the span end the previous lunar year */
	l.year = l.month >= 11 && off < 4 ? span_year - 1 : span_year;
	*out = l;
	return true;
}

/* The offset from span_for(l.year or l.year + 1)'s month 11 of lunar month
 * (month, leap), and that span; false if the month does not exist. */
static bool month_offset(int year, int month, bool leap, LunarSpan *s, int *off)
{
	/* lunar year LUNAR_MIN_YEAR − 1 still has its last months in range */
	if (month < 1 || month > 12 || year < LUNAR_MIN_YEAR - 1 || year > LUNAR_MAX_YEAR)
		return false;
	/* months 11 and 12 of lunar year Y lie in the span ending at month 11 of Y+1 */
	*s = span_for(month >= 11 ? year + 1 : year);
	int o = (month + 12 - 11) % 12; /* 11 → 0, 12 → 1, 1 → 2 … */
	if (s->leap_off) {
		bool is_leap;
		int leap_month = month_number(s, s->leap_off, &is_leap);
		if (leap && month != leap_month)
			return false;
		if (leap || o >= s->leap_off)
			o++;
	} else if (leap) {
		return false;
	}
	*off = o;
	return true;
}

bool lunar_to_solar(LunarDate l, Date *out)
{
	LunarSpan s;
	int off;
	if (l.day < 1 || l.day > 30 || !month_offset(l.year, l.month, l.leap, &s, &off))
		return false;
	int64_t start = new_moon_day(s.k11 + off);
	int64_t len = new_moon_day(s.k11 + off + 1) - start;
	if (l.day > len)
		return false;
	Date d = date_from_days(start + l.day - 1 - JDN_UNIX_EPOCH);
	if (!in_range(d.y))
		return false;
	*out = d;
	return true;
}

int lunar_leap_month(int year)
{
	if (!in_range(year))
		return -1;
	/* Lunar year Y's months 1…10 and its 11 and 12 come from two spans;
	 * a leap month after month 10 (offsets 1, 2: leap 11 or 12) belongs
	 * to the span of Y + 1. */
	LunarSpan s = span_for(year);
	bool leap;
	if (s.leap_off >= 3) /* a leap month among months 1…10 */
		return month_number(&s, s.leap_off, &leap);
	LunarSpan next = span_for(year + 1);
	if (next.leap_off >= 1 && next.leap_off <= 2)
		return month_number(&next, next.leap_off, &leap);
	return 0;
}

int lunar_month_days(int year, int month, bool leap)
{
	LunarSpan s;
	int off;
	if (!month_offset(year, month, leap, &s, &off))
		return 0;
	return (int)(new_moon_day(s.k11 + off + 1) - new_moon_day(s.k11 + off));
}
