/*
 * deadline.h — statutory deadlines as data, on a Vietnamese working-day
 * calendar.
 *
 * Rules (table deadline_rule) give, per case kind × step × complexity ×
 * remote area × multi-place, a number of days, whether they are working
 * days, the legal basis and the dates the rule is in force; the 2011/2018
 * laws are seeded by deadline_seed_rules and a new law is new rows.
 *
 * Counting (Civil Code 2015 Art. 147–148, shared domain.md §1.6): the day
 * of the event is not counted; N working days end on the Nth working day
 * after the event; N plain days end on event + N, moved to the next
 * working day when that day is off.  Working days exclude Saturdays,
 * Sundays, the public holidays computed for the year (1/1, Tết from the
 * lunar calendar, Giỗ Tổ Hùng Vương 10/3 lunar, 30/4, 1/5, 2/9 and the
 * day after… see calendar.c) and the 'off' rows of calendar_day; 'work'
 * rows make a day a working day (swapped days).
 *
 * Steps (kind: step): petition: handle, forward; complaint: accept,
 * resolve, send_decision, appeal_window, accept2, resolve2, take_effect;
 * denunciation: initial, forward, notify_accept, resolve, extension,
 * publish, re_resolve.
 */
#ifndef DANVAN_DEADLINE_H
#define DANVAN_DEADLINE_H

#include "../base/date.h"
#include "../store/db.h"

/* ---- calendar ---- */
/* Public holidays computed for a year (no database): fills days[] (sorted)
 * and names[] (message ids), returns the count (≤ max). */
int calendar_holidays(int year, Date *days, const char **names, int max);
bool calendar_is_working_day(Db *db, Date d);
Date calendar_add_working_days(Db *db, Date event, int n);
Date calendar_add_days(Db *db, Date event, int n); /* plain days, rolled forward */
Rc calendar_set_day(Db *db, Date d, const char *kind /* "off" | "work" | NULL=remove */, const char *name);

/* ---- rules ---- */
typedef struct DeadlineQuery {
	const char *kind;   /* "petition" | "complaint" | "denunciation" */
	const char *step;
	int complexity;     /* 0, 1, 2 */
	bool remote;
	bool multi_place;
	Date on;            /* the rule in force on this date */
} DeadlineQuery;

typedef struct DeadlineResult {
	int64_t rule_id;
	int days;
	bool working_days;
	Date due;
	char basis[256];
} DeadlineResult;

Rc deadline_compute(Db *db, const DeadlineQuery *q, Date event, DeadlineResult *out);
Rc deadline_seed_rules(Db *db); /* idempotent */

/* ---- per case ---- */
Rc deadline_open(Db *db, int64_t case_id, const DeadlineQuery *q, Date event);
Rc deadline_meet(Db *db, int64_t case_id, const char *step, Date on);
Rc deadline_cancel_open(Db *db, int64_t case_id);
/* Suspension stops the clock: pause open deadlines; resume pushes their
 * due dates by the days spent suspended. */
Rc deadline_pause(Db *db, int64_t case_id, Date on);
Rc deadline_resume(Db *db, int64_t case_id, Date on);
/* Background job: mark newly overdue steps (escalated_at), write an audit
 * event and queue a notification for each.  *n = how many. */
Rc deadline_escalate(Db *db, Date today, int *n);

#define DEADLINE_DUE_SOON_DAYS 3

#endif
