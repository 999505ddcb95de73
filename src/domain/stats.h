/*
 * stats.h — public statistics over citizens' cases, in the manner of
 * Hanoi's iHanoi and Ho Chi Minh City's 1022 (shared domain.md §6):
 * how many cases were received, how many were handled and resolved, how
 * many statutory deadlines were met on time, by month, province, kind and
 * field.  Always computed from the live tables; only counts leave this
 * module, never a case, a name or a code, so the result is public.
 *
 * Cohort, not activity: every figure is about the cases RECEIVED in the
 * period [from, to] (ISO dates, inclusive, cases.received_on), and says
 * what has become of them by now.  "Of the 1,200 cases received in 2025,
 * 1,010 have been handled" reads the way citizens read iHanoi, and the
 * month, province, kind and field breakdowns then add up to the total.
 *
 * Definitions (what the public page explains in words):
 *  - handled (đã xử lý xong): the case reached a final status of any kind
 *    — decided, notified, in effect, closed, archived, or filed, guided,
 *    forwarded, refused, terminated, withdrawn.
 *  - resolved (đã giải quyết): decided on the merits (an outcome: right,
 *    partly right, wrong, or a written answer to a petition) and in a
 *    decided-or-later status; an appealed case is not resolved again
 *    until its second decision.
 *  - in progress: received − handled.
 *  - overdue: still has a statutory deadline open past its due date today.
 *  - on-time rate: statutory deadlines met on time / statutory deadlines
 *    closed (met + missed).  Waiting periods and recorded decisions are
 *    not obligations to act and are left out: 'extension' (a decision,
 *    stored as met), 'appeal_window' (the citizen's time to appeal) and
 *    'take_effect' (the time until a decision takes legal effect).
 *  - satisfied: answers rated 4 or 5 of 5 by the citizen, of those rated.
 */
#ifndef DANVAN_STATS_H
#define DANVAN_STATS_H

#include "../store/db.h"
#include "case.h"

/* Longest period one computation covers: the month series has one entry
 * per month, so this bounds memory and the chart's width. */
#define STATS_MAX_MONTHS 120

typedef struct StatsCounts {
	int64_t received;
	int64_t handled;
	int64_t resolved;
	int64_t overdue;
	int64_t deadlines_met;
	int64_t deadlines_missed;
	int64_t rated;
	int64_t satisfied;
} StatsCounts;

/* One row of a breakdown: a province (unit id; 0 = place not known yet)
 * or a top-level field (field id; 0 = not classified yet). */
typedef struct StatsGroup {
	int64_t id;
	char *name, *name_en; /* "" for id 0: the caller labels it */
	StatsCounts c;
} StatsGroup;

typedef struct StatsMonth {
	int year, month;
	StatsCounts c;
} StatsMonth;

typedef struct Stats {
	char from[11], to[11];
	StatsCounts total;
	StatsCounts kinds[KIND_COUNT];
	StatsMonth *months;      /* every month from `from` to `to`, zeros included */
	size_t n_months;
	StatsGroup *provinces;   /* most cases first, then by name */
	size_t n_provinces;
	StatsGroup *fields;      /* most cases first, then by name */
	size_t n_fields;
} Stats;

/* Compute everything for cases received from `from` to `to` (ISO,
 * inclusive; from ≤ to, at most STATS_MAX_MONTHS months apart, else
 * RC_INVALID).  `today` (ISO) decides what is overdue; NULL = today in
 * Vietnam.  Runs in the caller's (read) transaction. */
Rc stats_compute(Db *db, const char *from, const char *to, const char *today, Stats *out);
void stats_release(Stats *s);

/* The first and last year with any case received (both the current
 * year when there is none), for the page's year choice. */
Rc stats_years(Db *db, int *first, int *last);

/* num/den in tenths of a percent, rounded half up (973 = 97.3 %); -1 when
 * den is 0 (no rate to speak of: shown as a dash, not as 0 %). */
int stats_permille(int64_t num, int64_t den);

#endif
