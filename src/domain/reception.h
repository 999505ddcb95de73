/*
 * reception.h — the schedule of citizens' receptions: the days and hours
 * when a leader receives citizens in person (Law on Citizen Reception
 * 2013: the chair of a commune's people's committee at least one day a
 * week, of a province at least one day a month, plus unscheduled
 * receptions and direct dialogues), published on the portal
 * (/lich-tiep-cong-dan) so that citizens know when and where to come.
 *
 * Entries belong to an organisation; staff with CAP_DIALOGUE add and
 * cancel those of the organisations in their area.  A cancelled entry
 * stays on the public page, marked, so that nobody travels for nothing.
 */
#ifndef DANVAN_RECEPTION_H
#define DANVAN_RECEPTION_H

#include "../store/db.h"
#include "user.h"

#define RECEPTION_TEXT_MAX 300
#define RECEPTION_NOTE_MAX 1000
#define RECEPTION_LIST_MAX 200

typedef struct ReceptionIn {
	int64_t org_id;
	const char *day;        /* YYYY-MM-DD, today or later */
	const char *start_time; /* HH:MM */
	const char *end_time;   /* HH:MM after start_time, or "" */
	const char *kind;       /* "regular", "unscheduled", "dialogue" */
	const char *host;       /* who receives: name and title */
	const char *place;
	const char *note;       /* may be NULL */
} ReceptionIn;

typedef struct Reception {
	int64_t id, org_id;
	char day[11], start_time[6], end_time[6], kind[12];
	char *host, *place, *note, *org_name;
	bool cancelled;
} Reception;

typedef struct ReceptionList {
	Reception *rows;
	size_t count;
} ReceptionList;

bool reception_kind_valid(const char *kind);

/* Add an entry.  RC_FORBIDDEN without CAP_DIALOGUE or for an organisation
 * outside the reader's area; RC_INVALID with *problem (a message id) for a
 * bad field.  Audited.  Runs in the caller's write transaction. */
Rc reception_add(Db *db, const Principal *who, const ReceptionIn *in, int64_t *id,
		 const char **problem);
/* Cancel an entry of the reader's area (RC_NOT_FOUND otherwise); audited. */
Rc reception_cancel(Db *db, const Principal *who, int64_t id);

/* Entries from `from_day` on (YYYY-MM-DD), by day and hour, at most
 * `limit`: all of them for the portal (who = NULL), those of the reader's
 * area for staff. */
Rc reception_list(Db *db, const Principal *who, const char *from_day, int limit,
		  ReceptionList *out);
void reception_list_release(ReceptionList *l);

#endif
