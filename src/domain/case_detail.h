/*
 * case_detail.h — the parts of a case that are lists: its statutory
 * deadlines, its history (events) and its links to other cases, read for
 * the JSON API and the tracking page.  case.h loads the case itself and
 * decides who may read it; these functions only read rows and assume the
 * caller has already loaded the case for the reader (case_load or
 * case_load_public), so the area scope has been checked once.
 *
 * Ownership: the arrays are malloc'd and freed with the matching *_free
 * function (NULL-safe; links, which own no strings, with free()).  On error *out is NULL and *n is 0.
 */
#ifndef DANVAN_CASE_DETAIL_H
#define DANVAN_CASE_DETAIL_H

#include "../store/db.h"

/* Caps that keep one response bounded whatever the data holds. */
#define CASE_DETAIL_MAX_EVENTS 1000
#define CASE_DETAIL_MAX_LINKS 50

/* One statutory step (table case_deadline). */
typedef struct CaseDeadline {
	int64_t id;
	char step[32];        /* deadline.h step ids: "accept", "resolve", … */
	char starts_on[11];   /* ISO dates */
	char due_on[11];
	char met_on[11];      /* "" while not met */
	char state[12];       /* open | met | missed | paused | cancelled */
	char *basis;          /* the legal basis, e.g. "Luật Khiếu nại 2011, Điều 28" */
	bool overdue;         /* open and due before today (Vietnam) */
} CaseDeadline;

/* Ordered by due date, then id. */
Rc case_deadlines(Db *db, int64_t case_id, CaseDeadline **out, size_t *n);
void case_deadlines_free(CaseDeadline *d, size_t n);

/* One history entry (table case_event). */
typedef struct CaseEvent {
	int64_t id;
	int64_t at;           /* UNIX time */
	char *actor;          /* staff login or "citizen"; never shown to the public */
	char action[32];
	char from_status[16], to_status[16];
	char *note;
	char *doc_number;
	char doc_date[11];    /* "" when none */
	bool citizen;         /* visibility 'citizen': shown on the tracking page */
	bool by_citizen;      /* written by the citizen (added information, rating) */
} CaseEvent;

/* Oldest first, at most CASE_DETAIL_MAX_EVENTS (*truncated says so).
 * citizen_only keeps the entries the citizen may see (replies, notices,
 * decisions) and is what public callers must pass. */
Rc case_events(Db *db, int64_t case_id, bool citizen_only, CaseEvent **out, size_t *n,
	       bool *truncated);
void case_events_free(CaseEvent *e, size_t n);
/* The citizen-visible history of the case with tracking code `code` (as
 * stored: normalise what a citizen typed with case_code_parse first),
 * oldest first, at most CASE_DETAIL_MAX_EVENTS; an unknown code gives
 * RC_OK with *n = 0.  For the tracking page, which holds a code, not an id. */
Rc case_events_public(Db *db, const char *code, CaseEvent **out, size_t *n);
/* The same as case_events_free (the tracking page's name for it). */
void case_events_release(CaseEvent *e, size_t n);

/* One link to another case, in either direction (table case_link). */
typedef struct CaseLinkRow {
	int64_t other_id;
	char other_code[16];
	char kind[12];        /* split | repeat | duplicate */
	bool confirmed;       /* false = suggested by the system */
	bool incoming;        /* the other case links to this one */
} CaseLinkRow;

/* At most CASE_DETAIL_MAX_LINKS; free the array with free().  The other case may lie outside the
 * reader's area: callers show a link only after case_load of the other
 * case succeeds for the same reader. */
Rc case_links(Db *db, int64_t case_id, CaseLinkRow **out, size_t *n);

#endif
