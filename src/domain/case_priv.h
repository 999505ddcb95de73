/*
 * case_priv.h — helpers shared by the case_*.c files and by nothing else
 * (the public contract is case.h).
 *
 * The case module is split by concern: case.c (kinds, labels, tracking
 * codes, the field tree, loading), case_intake.c (validation, intake,
 * split), case_flow.c (the transition table and everything that changes
 * a case's status), case_reply.c (replies, notes, the citizen's side),
 * case_query.c (queues, filters, search), case_similar.c (person keys,
 * repeat and duplicate suggestions).  What they share is here: the
 * compact row every check needs (CaseCore), the area test, the event and
 * audit writers, and the deadline wrappers.
 */
#ifndef DANVAN_CASE_PRIV_H
#define DANVAN_CASE_PRIV_H

#include "case.h"
#include "../base/date.h"

/* The columns that decide what may be done with a case. */
typedef struct CaseCore {
	int64_t id;
	char code[CASE_CODE_LEN + 1];
	CaseKind kind;
	char status[16];
	char received_on[11];
	int64_t unit_id, receiving_org_id, responsible_org_id, assignee_id, field_id;
	int instance, extensions, people_count;
	unsigned criteria;
	bool remote_area, anonymous, sealed;
	bool has_email; /* citizen_email is set (never for sealed identities) */
} CaseCore;

/* Load the core of case `id`: RC_NOT_FOUND when there is none. */
Rc case_core_load(Db *db, int64_t id, CaseCore *out);
/* The same by tracking code (already normalised, with dashes). */
Rc case_core_by_code(Db *db, const char *code, CaseCore *out);

/* May `who` touch this case at all?  The unit is inside their area, or
 * their organisation receives, is responsible for or monitors it.  Fails
 * closed (false) on database errors. */
bool case_in_area(Db *db, const Principal *who, const CaseCore *c);
/* The narrower test for personal data: area by unit or by the receiving
 * or responsible organisation — not by monitoring — and CAP_CASE_VIEW. */
bool case_may_see_person(Db *db, const Principal *who, const CaseCore *c);

/* Any capability that lets a user work with cases. */
#define CASE_ANY_CAP (CAP_CASE_RECEIVE | CAP_CASE_HANDLE | CAP_CASE_VIEW | CAP_CASE_MONITOR)

/* Append a case_event.  who NULL = the citizen.  visibility "internal" or
 * "citizen".  *event_id may be NULL. */
typedef struct CaseEventIn {
	const char *action, *from, *to, *note, *doc_number, *doc_date, *visibility;
} CaseEventIn;
Rc case_event_add(Db *db, int64_t case_id, const Principal *who, const CaseEventIn *e,
		  int64_t *event_id);
/* audit_append as "case.<action>", object "case", with a detail that
 * never carries personal data (the tracking code and the statuses). */
Rc case_audit(Db *db, const Principal *who, const char *action, const CaseCore *c,
	      const char *detail);
/* updated_at = now */
Rc case_touch(Db *db, int64_t id);

/* Today in Vietnam (as ISO text: date_iso). */
Date case_today(void);

/* Deadline wrappers: a step without a rule in force (RC_NOT_FOUND) is
 * not an error — rules are data, and a missing one means "not tracked". */
Rc case_step_open(Db *db, const CaseCore *c, const char *step, Date event);
Rc case_step_meet(Db *db, const CaseCore *c, const char *step, Date on);
/* The first statutory step of a new case (petition "handle", complaint
 * "accept", denunciation "initial"; anonymous information: petition
 * "handle", since it is not a denunciation). */
Rc case_first_step_open(Db *db, const CaseCore *c);
const char *case_first_step(const CaseCore *c);

/* Full-text index: replace the row of `id` (old_key NULL = none yet). */
Rc case_fts_set(Db *db, int64_t id, const char *old_key, const char *new_key);

/* Seal the clear identity of an existing case that becomes a
 * denunciation (case_intake.c); RC_CONFLICT without a vault key. */
Rc case_seal_existing(Db *db, int64_t id);

/* Run a transition for the citizen (actor "citizen", no capability
 * check): the caller has checked that the law lets them take it. */
Rc case_citizen_act(Db *db, const CaseCore *c, const char *action, const char *note,
		    const char **problem);

/* Tracking codes: a new one not used by any case, or just a random one. */
Rc case_code_new(Db *db, char out[CASE_CODE_LEN + 1]);
void case_code_random(char out[CASE_CODE_LEN + 1]);

/* Similarity (case_similar.c). */
#define CASE_PERSON_KEY_HEX 64
/* HMAC of the normalised ID number (else phone); RC_NOT_FOUND when
 * neither is usable, else RC_OK or the database's error.  Never computed
 * for denunciations (see case_similar.c). */
Rc case_person_key(Db *db, const char *id_number, const char *phone,
		   char out[CASE_PERSON_KEY_HEX + 1]);
/* Intake validation of the keyed fields (same normalisation). */
bool case_id_number_valid(const char *s);
/* Queue case `id` for case_links_suggest_pending (case.h). */
Rc case_links_queue(Db *db, int64_t id);
/* Jaccard similarity (0–100) of the word 3-shingles of two folded texts. */
int case_text_similarity(const char *key_a, const char *key_b);

/* ---- intake (case_intake.c), shared with the intake log (case_intake_log.c) */

/* A submission validated and trimmed (owned strings; case_checked_release
 * wipes the identity). */
typedef struct CaseChecked {
	CaseKind kind;
	char channel[20];
	char received_on[11];
	char *title, *content, *name, *address, *phone, *email, *id_number, *forwarded_from;
	char *reps[CASE_REPRESENTATIVES_MAX];
	size_t nreps;
	int64_t field_id, unit_id, receiving_org_id;
	int people_count;
	unsigned criteria;
	bool anonymous, remote_area, signed_;
	Rc db_rc; /* a database error met while checking (no problem of the input) */
} CaseChecked;

void case_checked_release(CaseChecked *c);

/* Check a submission as case_intake does (capability, kind rules, vault):
 * RC_OK with *c filled, or case_intake's errors and *problem.  On any
 * result *c must be released. */
Rc case_intake_check(Db *db, const Principal *actor, const CaseIntake *in, CaseChecked *c,
		     const char **problem);

/* What an intake log entry already fixed when it was received: the
 * tracking code the citizen was given, the denouncer's sealed identity
 * (NULL for other kinds) and the time of receipt. */
typedef struct CaseIntakeAs {
	const char *code;
	const char *search_key; /* NULL = made from the title and content */
	const unsigned char *sealed;
	size_t sealed_len;
	int64_t created_at;
} CaseIntakeAs;

/* Store a checked submission: the case and everything that goes with it
 * (search row, event, first deadline, suggestions queue, receipt, audit).
 * as NULL = a new code, sealed now, received now. */
Rc case_intake_store(Db *db, const Principal *actor, const CaseChecked *c, const CaseIntakeAs *as,
		     CaseCreated *out);

/* The folded search key of a case's title and content (owned). */
char *case_search_key_of(const char *title, const char *content);

/* Seal the identity of a checked denunciation to the vault (the blob is
 * the caller's to free). */
Rc case_intake_seal(Db *db, const CaseChecked *c, unsigned char **blob, size_t *len);

#endif
