/*
 * deadline.h — statutory deadlines as data, on a Vietnamese working-day
 * calendar.
 *
 * Rules (table deadline_rule) give, per case kind × step × complexity ×
 * remote area × multi-place, a number of days, whether they are working
 * days, the legal basis and the dates the rule is in force; the 2011/2018
 * laws are seeded by deadline_seed_rules and a new law is new rows.
 *
 * Which rule applies (deadline_compute): among the rows of the kind and
 * step in force on q->on (effective_from ≤ on ≤ effective_to, both
 * inclusive, effective_to NULL = open-ended) whose qualifiers match the
 * query (a qualifier of -1 matches anything), the row with the latest
 * effective_from wins, and among rows of that date the most specific one
 * (most qualifiers other than -1).  So a new rule set for a step replaces
 * every older row of that step from its date on, whatever their
 * qualifiers: write a complete set (docs/internals/deadlines.md).
 *
 * Counting (Civil Code 2015 Art. 147–148, shared domain.md §1.6): the day
 * of the event is not counted; N working days end on the Nth working day
 * after the event; N plain days end on event + N, moved to the next
 * working day when that day is off.  Working days exclude Saturdays,
 * Sundays, the public holidays computed for the year (calendar_holidays:
 * 1/1, Tết from the lunar calendar, Giỗ Tổ Hùng Vương 10/3 lunar, 30/4,
 * 1/5, 2/9 and 1/9, and a compensatory day after each that falls on a
 * weekend) and the 'off' rows of calendar_day; 'work' rows make a day a
 * working day (swapped days) and beat everything else.
 *
 * Steps (kind: step): petition: handle, forward; complaint: accept,
 * resolve, send_decision, appeal_window, accept2, resolve2, take_effect;
 * denunciation: initial, forward, notify_accept, resolve, extension,
 * publish, re_resolve.
 *
 * Every function that writes runs in the caller's transaction when one is
 * open, and in a write transaction of its own otherwise.
 */
#ifndef DANVAN_DEADLINE_H
#define DANVAN_DEADLINE_H

#include "../base/date.h"
#include "../store/db.h"

/* ---- calendar ---- */
/* Public holidays computed for a year (no database): fills days[] (sorted)
 * and names[] (English message ids, translated in i18n_deadline.def),
 * returns the count (≤ max).  Includes the compensatory days.  At most
 * CALENDAR_HOLIDAYS_MAX entries a year. */
#define CALENDAR_HOLIDAYS_MAX 24
int calendar_holidays(int year, Date *days, const char **names, int max);
/* The Vietnamese of a holiday name, for output without a request
 * language (the CLI); the id itself when unknown. */
const char *calendar_holiday_name_vi(const char *id);
/* db may be NULL: then only weekends and computed holidays count. */
bool calendar_is_working_day(Db *db, Date d);
Date calendar_add_working_days(Db *db, Date event, int n);
/* The database error met by the calendar functions above on this thread
 * since the last call (RC_OK: none), which resets it. */
Rc calendar_error(void);
Date calendar_add_days(Db *db, Date event, int n); /* plain days, rolled forward */
/* RC_INVALID for a bad kind or a name over CALENDAR_NAME_MAX bytes.  The
 * caller writes the audit entry (it knows the actor). */
Rc calendar_set_day(Db *db, Date d, const char *kind /* "off" | "work" | NULL=remove */, const char *name);

#define CALENDAR_NAME_MAX 200 /* bytes of UTF-8 */
/* One calendar_day row (administrator's exception). */
typedef struct CalendarOverride {
	Date day;
	bool work; /* 'work' (a working day) or 'off' */
	char name[CALENDAR_NAME_MAX + 1];
} CalendarOverride;
/* The calendar_day rows of a year, sorted; up to max in out[], the
 * number found (which may exceed max) in *n. */
Rc calendar_overrides(Db *db, int year, CalendarOverride *out, int max, int *n);

/* ---- rules ---- */
typedef struct DeadlineQuery {
	const char *kind;   /* "petition" | "complaint" | "denunciation" */
	const char *step;
	int complexity;     /* 0, 1, 2 */
	bool remote;
	bool multi_place;
	Date on;            /* the rule in force on this date; {0} = the event's date */
} DeadlineQuery;

typedef struct DeadlineResult {
	int64_t rule_id;
	int days;
	bool working_days;
	Date due;
	char basis[256];    /* truncated on a UTF-8 boundary if longer */
} DeadlineResult;

/* RC_INVALID for a bad query, RC_NOT_FOUND when no rule applies. */
Rc deadline_compute(Db *db, const DeadlineQuery *q, Date event, DeadlineResult *out);
/* Insert each rule of the 2011/2013/2018 laws that is not there yet
 * (same kind, step, qualifiers and effective_from): idempotent, and new
 * seed rows of a later version arrive on upgrade.  Retire a rule with
 * effective_to rather than deleting it, or the next seeding brings it back. */
Rc deadline_seed_rules(Db *db);
Rc deadline_rule_count(Db *db, int64_t *n);

/* Every rule, for listing (CLI, administration): ordered by kind, step,
 * effective_from, qualifiers.  deadline_rules_free releases the array. */
typedef struct DeadlineRule {
	int64_t id;
	char kind[16];
	char step[32];
	int complexity, remote, multi_place; /* -1 = any */
	int days;
	bool working_days;
	char effective_from[11];
	char effective_to[11]; /* "" = open-ended */
	char *basis;
} DeadlineRule;
Rc deadline_rules_list(Db *db, DeadlineRule **out, size_t *n);
void deadline_rules_free(DeadlineRule *v, size_t n);

/* English message id for a step of a kind ("Resolve (first instance)"),
 * the step id itself when unknown; _vi gives the Vietnamese (for e-mail,
 * which has no request language). */
const char *deadline_step_label(const char *kind, const char *step);
const char *deadline_step_label_vi(const char *kind, const char *step);

/* ---- per case ---- */
/* Compute and record the step's deadline (state 'open').  RC_CONFLICT
 * when the step is already open (or paused) for the case.
 *
 * Step "extension" (denunciations, Law 25/2018 Art. 30): a recorded
 * extension decision, not a deadline of its own.  It pushes the case's
 * open (or paused) "resolve" deadline by the rule's days counted from its
 * current due date (rolled forward to a working day) and is stored as a
 * row in state 'met' on the event date, so the count of extensions is
 * the count of such rows.  A complex case (q->complexity 1) may be
 * extended once, a very complex one (2) twice; beyond that, or with no
 * resolve deadline to push, RC_CONFLICT. */
Rc deadline_open(Db *db, int64_t case_id, const DeadlineQuery *q, Date event);
/* The step was done on `on`: state 'met', or 'missed' when done after
 * the due date.  RC_NOT_FOUND when the step is not open or paused. */
Rc deadline_meet(Db *db, int64_t case_id, const char *step, Date on);
/* Cancel every open or paused deadline (case terminated, withdrawn,
 * forwarded, filed…).  RC_OK also when there was none. */
Rc deadline_cancel_open(Db *db, int64_t case_id);
/* Suspension stops the clock: pause open deadlines; resume pushes their
 * due dates by the days spent suspended.  While a row is 'paused' its
 * met_on holds the day the clock stopped.  On resume a working-day
 * deadline gets back the working days it had left (re-counted from the
 * resume date), a plain-day deadline moves by the calendar days of the
 * suspension (rolled to a working day).  RC_INVALID when `on` is before
 * the pause; RC_OK also when nothing was paused. */
Rc deadline_pause(Db *db, int64_t case_id, Date on);
Rc deadline_resume(Db *db, int64_t case_id, Date on);
/* Background job: mark newly overdue steps (escalated_at), write an audit
 * event and queue a notification for each.  *n = how many.
 *
 * Overdue = state 'open' and due_on < today.  Each such row with
 * escalated_at NULL gets escalated_at = now, an audit entry (actor
 * "system", action "deadline.overdue", object "case", the case's unit),
 * and one e-mail per active user holding the 'handler' or 'leader' role
 * in the case's responsible organisation (the receiving one when none is
 * set yet).  The message carries the case code, step, due date and basis:
 * never a citizen's personal data.  At most DEADLINE_ESCALATE_BATCH rows a
 * call; the job's next round takes the rest. */
#define DEADLINE_ESCALATE_BATCH 500
Rc deadline_escalate(Db *db, Date today, int *n);

/* Due-soon and overdue flags for an open deadline: overdue when due
 * before today, due soon when due within DEADLINE_DUE_SOON_DAYS working
 * days of today. */
#define DEADLINE_DUE_SOON_DAYS 3
typedef enum DeadlineFlag {
	DEADLINE_ON_TIME = 0,
	DEADLINE_DUE_SOON,
	DEADLINE_OVERDUE,
} DeadlineFlag;
DeadlineFlag deadline_flag(Db *db, Date due, Date today);
/* The last due date that counts as due soon today: lists select
 * "due_on <= this" (ISO dates compare as text) instead of calling
 * deadline_flag per row. */
Date deadline_due_soon_until(Db *db, Date today);

#endif
