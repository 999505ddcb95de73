/*
 * case.h — citizens' cases: petitions (kiến nghị, phản ánh), complaints
 * (khiếu nại) and denunciations (tố cáo), from intake to closure.
 *
 * The state machine follows shared domain.md §1.7:
 *
 *   received ─classify→ classified ─┬→ filed        (lưu đơn: anonymous, duplicate, resolved…)
 *                                   ├→ guided       (citizen told where to file)
 *                                   ├→ forwarded    (chuyển đơn to the competent body)
 *                                   ├→ refused      (không thụ lý, with a legal reason code)
 *                                   └→ accepted ─→ verifying ⇄ suspended
 *                                                   │  (extend: denunciations ≤ 2×)
 *                                                   ├→ terminated / withdrawn
 *                                                   └→ decided → notified ─┬→ appealed → accepted (2nd instance / tố cáo tiếp)
 *                                                                          └→ in_effect → closed → archived
 *
 * Every transition needs a capability (table in case_flow.c), records
 * actor, time, note and document (number and date) as a case_event, opens
 * or closes statutory deadlines (deadline.h), and is written to the
 * audit log.  Functions take the Principal acting and refuse cases outside
 * their area (RC_NOT_FOUND, so existence does not leak).
 *
 * Personal data: citizen_* fields are readable only by holders of
 * CAP_CASE_VIEW in scope.  For denunciations they are never stored in the
 * clear: the identity is sealed to the vault key (vault.h) at intake and
 * staff see a pseudonym.  Search keys, logs, exports and notifications
 * never carry identity fields.
 */
#ifndef DANVAN_CASE_H
#define DANVAN_CASE_H

#include "../store/db.h"
#include "user.h"

typedef enum CaseKind { KIND_PETITION = 0, KIND_COMPLAINT, KIND_DENUNCIATION, KIND_COUNT } CaseKind;

/* Channels a case arrives by. */
#define CASE_CHANNELS "web", "desk", "post", "phone", "forwarded", "dialogue", "online_reception"

/* Statuses (stored as these strings). */
#define CASE_STATUSES "received", "classified", "filed", "guided", "forwarded", "refused", \
	"accepted", "verifying", "suspended", "terminated", "withdrawn", "decided", "notified", \
	"appealed", "in_effect", "closed", "archived"

/* Decree 31/2019 Art. 3 complexity criteria (bits of cases.criteria).
 * One criterion = complex, two or more = very complex. */
enum CaseCriterion {
	CRIT_MULTI_PLACE = 1,        /* verification at 2+ places */
	CRIT_MULTI_ALLEGATION = 2,   /* 2+ allegations */
	CRIT_MANY_PEOPLE = 4,        /* many denouncers / many people's interests */
	CRIT_FOREIGN = 8,            /* a foreign element */
	CRIT_MULTI_AGENCY = 16,      /* several agencies responsible */
	CRIT_AGENCIES_DISAGREE = 32,
	CRIT_CONTRADICTORY = 64,     /* contradictory evidence */
};
int case_complexity(unsigned criteria); /* 0, 1 or 2 */
/* Is the case eligible for another extension (Decree 31/2019 Art. 3,
 * Law 25/2018 Art. 30): a complex case once, a very complex one twice. */
int case_extensions_allowed(unsigned criteria);
#define CASE_EXTENSIONS_MAX 2

const char *case_kind_id(CaseKind k);   /* "petition" … */
bool case_kind_parse(const char *s, CaseKind *out);
const char *case_kind_label(CaseKind k); /* English msgid: "Petition or report" … */
bool case_channel_valid(const char *s);
const char *case_channel_label(const char *s);
bool case_status_valid(const char *s);
const char *case_status_label(const char *s);

/* Legal reason codes for refusing to accept (không thụ lý: Law 02/2011
 * Art. 11 for complaints, Law 25/2018 Art. 29 for denunciations, Law
 * 42/2013 Art. 28 for petitions) and for filing without action (lưu đơn). */
typedef struct CaseReason {
	const char *code;
	const char *label;   /* English message id */
	unsigned kinds;      /* bit (1u << CaseKind) per kind it applies to */
	bool file;           /* a reason to file, else a reason to refuse */
} CaseReason;
extern const CaseReason case_reasons[];
extern const size_t case_reasons_count;
/* The reason for `code` usable for this kind and purpose, or NULL. */
const CaseReason *case_reason_find(const char *code, CaseKind kind, bool file);
const char *case_reason_label(const char *code); /* NULL if unknown */

/* Outcomes of a decision (decide): "right", "partly_right", "wrong"
 * (khiếu nại / tố cáo đúng, đúng một phần, sai) and "answered" (the
 * written answer to a petition). */
bool case_outcome_valid(CaseKind kind, const char *code);
const char *case_outcome_label(const char *code);

/* Actions of case_act, in the order buttons are shown. */
#define CASE_ACTIONS "classify", "accept", "refuse", "forward", "guide", "file", "verify", \
	"extend", "suspend", "resume", "terminate", "withdraw", "decide", "notify", "appeal", \
	"take_effect", "close", "archive", "reopen"
const char *case_action_label(const char *action); /* English msgid, NULL if unknown */

#define CASE_TITLE_MAX 300      /* characters */
#define CASE_CONTENT_MAX 20000  /* characters */
#define CASE_CODE_LEN 12        /* "ABCD-EFGH-JK" */
#define CASE_NAME_MAX 150       /* characters */
#define CASE_ADDRESS_MAX 300
#define CASE_TEXT_MAX 5000      /* replies, notes, added information */
#define CASE_GROUP_MIN 5        /* people: a group petition */
#define CASE_REPRESENTATIVES_MAX 5

/* Tracking codes: 10 characters of Crockford's base-32 alphabet (no I, L,
 * O, U) from 50 random bits, shown and stored as "XXXX-XXXX-XX".  Parse
 * what a citizen typed: case-insensitive, dashes and spaces optional, and
 * I/L read as 1, O as 0.  False when it cannot be a code. */
bool case_code_parse(const char *in, char out[CASE_CODE_LEN + 1]);

/* ---- the field tree (lĩnh vực) ---- */
/* Insert the default fields (land, compensation and site clearance,
 * religion, ethnic affairs, rural security, environment, social policy,
 * officials' conduct, administrative procedures, other, and a few
 * sub-fields).  Idempotent: existing codes, even renamed, are kept. */
Rc case_seed_fields(Db *db);

typedef struct CaseField {
	int64_t id, parent_id;
	char code[40];
	char *name, *name_en;
	int sort;
	bool active;
} CaseField;
/* Every field, parents before their children, by sort order. */
Rc case_fields(Db *db, CaseField **out, size_t *n);
void case_fields_release(CaseField *f, size_t n);

/* What intake receives (public form, reception desk, API). Strings are
 * already validated UTF-8 NFC (the dispatcher does that) but not yet
 * checked for presence, length or format: case_intake does. */
typedef struct CaseIntake {
	CaseKind kind;
	const char *channel;      /* CASE_CHANNELS */
	const char *received_on;  /* ISO date; NULL = today (Vietnam) */
	const char *title;
	const char *content;
	const char *field_code;   /* NULL/"" = not yet classified */
	int64_t unit_id;          /* commune concerned, 0 = unknown */
	int64_t receiving_org_id; /* 0 = the public web desk (central) */
	bool anonymous;
	int people_count;         /* ≥ 5 = group */
	const char *name, *address, *phone, *email, *id_number;
	bool signed_;             /* the petition is signed or finger-printed */
	const char *forwarded_from; /* channel "forwarded": the body that sent it */
	/* group representatives (names; ≤ 5) */
	const char *representatives[5];
	unsigned criteria;        /* complexity criteria known at intake */
	bool remote_area;         /* vùng sâu, vùng xa: longer time limits */
} CaseIntake;

typedef struct CaseCreated {
	int64_t id;
	char code[CASE_CODE_LEN + 1];
} CaseCreated;

/* Validate and store a new case (one write transaction is the caller's).
 * Denunciation identity is sealed; the search key, deadlines of the first
 * step, repeat/duplicate suggestions and a receipt e-mail (outbox) are
 * made here.  actor NULL = the public (web form: channel "web", received
 * today); staff need CAP_CASE_RECEIVE or CAP_CASE_HANDLE (else
 * RC_FORBIDDEN) and may give the real date and channel.  Per kind: a
 * denunciation or complaint needs name, address and signed_; a petition a
 * name and an address, phone or e-mail; anonymous = information, any
 * identity given is dropped.  A group (people_count ≥ 5) needs 1–2
 * representatives up to 10 people, ≤ 5 above.  On RC_INVALID *problem
 * names the first bad field as an English message id; a denunciation
 * while the vault has no key is RC_CONFLICT, "The confidential vault is
 * not set up".  problem may be NULL. */
Rc case_intake(Db *db, const Principal *actor, const CaseIntake *in, CaseCreated *out,
	       const char **problem);

/* The intake log (case_intake_log.c): the public form's submissions are
 * received as one small row each, in a database of their own beside the
 * main one (case_intake_log_path: "<database>.intake"), and built into
 * cases in batches.  `db` below is always the main database.
 *
 * case_intake_log_append checks like case_intake (actor NULL: the web
 * channel, received today; same errors and *problem), gives the tracking
 * code, seals a denouncer's identity, and writes one log row durably (its
 * own transaction on the log; db must have none open).  out->id is 0: the
 * case does not exist yet.  It is two steps, so that the work before the
 * write runs outside the writer: case_intake_log_prepare checks, seals,
 * folds the search key and picks a code free among the cases, on any
 * connection and with no transaction needed (*out is the caller's to free
 * with case_intake_prepared_free; NULL on failure); case_intake_log_commit
 * writes the row — through the log's group commit while
 * case_intake_log_start has been called (a server, a bench), else on a
 * connection of its own.
 *
 * case_intake_log_build builds up to `max` rows, oldest first, into cases
 * in one write transaction of the main database (db must have none open;
 * `log` is a connection from case_intake_log_open), each row in a
 * savepoint; then the built rows leave the log and failed ones keep their
 * error (counted in *failed).  case_intake_log_drain builds until the log
 * is empty (a server at start, `danvan jobs run-once`).
 *
 * case_intake_log_has: is `code` (normalised) waiting in the log (RC_OK
 * and *found), or the database's error?
 * case_intake_log_count: rows waiting, and rows that failed too often to
 * be tried again (an operator's to look at). */
#define CASE_INTAKE_BATCH 256
typedef struct CaseIntakePrepared CaseIntakePrepared;
void case_intake_log_path(const char *main_path, char *out, size_t n);
Rc case_intake_log_open(const char *main_path, Db **out);
Rc case_intake_log_start(const char *main_path);
void case_intake_log_stop(void);
/* fn() after every row committed to the log (the builder's kick;
 * NULL: none).  It must not block. */
void case_intake_log_notify(void (*fn)(void));
/* Group commits of the log and rows written through them (benches). */
void case_intake_log_stats(long *commits, long *rows);
Rc case_intake_log_append(Db *db, const CaseIntake *in, CaseCreated *out, const char **problem);
Rc case_intake_log_prepare(Db *db, const CaseIntake *in, CaseIntakePrepared **out,
			   const char **problem);
Rc case_intake_log_commit(Db *db, const CaseIntakePrepared *p, CaseCreated *out);
void case_intake_prepared_free(CaseIntakePrepared *p);
Rc case_intake_log_build(Db *db, Db *log, int max, int *built, int *failed);
Rc case_intake_log_drain(Db *db, int64_t *built);
Rc case_intake_log_has(Db *db, const char *code, bool *found);
Rc case_intake_log_count(Db *db, int64_t *waiting, int64_t *stuck);

/* A loaded case for display.  Strings are malloc'd; case_release frees. */
typedef struct Case {
	int64_t id;
	char code[CASE_CODE_LEN + 1];
	CaseKind kind;
	char status[16];
	char channel[20];
	char received_on[11];
	int64_t created_at, updated_at;
	char *title, *content;
	int64_t field_id;  char *field_name;
	int64_t unit_id;   char *unit_name;
	int64_t receiving_org_id, responsible_org_id, assignee_id;
	char *responsible_org_name, *assignee_name;
	bool anonymous;
	int people_count, instance, extensions;
	bool remote_area;
	unsigned criteria;
	char *outcome, *refuse_reason, *pseudonym;
	/* personal data: NULL unless the reader may see it */
	char *citizen_name, *citizen_address, *citizen_phone, *citizen_email;
	char *citizen_id_number;
	char *representatives[5]; /* group representatives, same rule */
	bool identity_sealed;
	int rating;               /* 0 = not rated */
	char *rating_note;
	char *forwarded_from;
	int64_t parent_id;        /* the case this one was split from */
	char suspended_since[11];
	int64_t *monitors;        /* organisations in case_monitor */
	size_t n_monitors;
	bool personal_visible;    /* citizen_* were filled for this reader */
} Case;

void case_release(Case *c);
/* Load by id for a staff member: RC_NOT_FOUND outside their area (and
 * for a user with no case capability at all).  The area: the case's unit
 * is within who->scope_unit_id, or who's organisation received it, is
 * responsible for it or monitors it (case_monitor).  citizen_* and the
 * representatives are filled only for CAP_CASE_VIEW by unit or by the
 * receiving/responsible organisation — not for monitoring bodies. */
Rc case_load(Db *db, const Principal *who, int64_t id, Case *out);
/* Load by tracking code for the citizen: no personal data, no internal notes. */
Rc case_load_public(Db *db, const char *code, Case *out);

/* Transitions. `action` is one of the ids in case_flow.c ("classify",
 * "accept", "refuse", "forward", "guide", "file", "verify", "extend",
 * "suspend", "resume", "terminate", "withdraw", "decide", "notify",
 * "appeal", "take_effect", "close", "archive", "reopen"). */
typedef struct CaseAction {
	const char *action;
	const char *note;
	const char *doc_number;
	const char *doc_date;      /* ISO */
	const char *reason_code;   /* refuse / file */
	const char *field_code;    /* classify */
	int64_t responsible_org_id;/* classify / forward */
	int64_t unit_id;           /* classify */
	const char *forward_to;    /* forward: the competent body's name */
	unsigned criteria;         /* classify: complexity criteria, replaced as a
				    * whole (a group keeps CRIT_MANY_PEOPLE) */
	int remote_area;           /* classify: -1 unchanged */
	CaseKind kind;             /* classify (re-classification) */
	bool kind_set;
	const char *outcome;       /* decide */
} CaseAction;

/* Is `action` allowed now for this user? (drives the buttons shown)
 * Capability, status, kind, anonymity and the extension count; the area
 * is assumed checked by the case_load that produced c.  An appeal of an
 * overdue first instance from accepted/verifying is allowed by case_act
 * but not shown here (it needs the deadlines). */
bool case_action_allowed(const Principal *who, const Case *c, const char *action);
/* Take an action: RC_NOT_FOUND outside the area, RC_FORBIDDEN without the
 * capability, RC_CONFLICT when the status, kind or count forbids it,
 * RC_INVALID for bad input; *problem (may be NULL) says why as an English
 * message id.  The event of every action except classify, verify, archive
 * and reopen is shown to the citizen WITH ITS NOTE (the reason for a
 * refusal, the guidance given, …): internal remarks go to case_note. */
Rc case_act(Db *db, const Principal *who, int64_t id, const CaseAction *a, const char **problem);

/* Assign to a user of the responsible organisation (the receiving one
 * until routed) holding the reception or handler role (0 = unassign);
 * RC_INVALID for anyone else.  CAP_CASE_RECEIVE or CAP_CASE_HANDLE. */
Rc case_assign(Db *db, const Principal *who, int64_t id, int64_t user_id);
/* Replace the bodies that monitor the case (≤ 16; mass-mobilisation
 * commissions, Fatherland Front, mass organisations, Party committees:
 * RC_INVALID for others).  They then see the case, not the person. */
#define CASE_MONITORS_MAX 16
Rc case_set_monitors(Db *db, const Principal *who, int64_t id, const int64_t *orgs, size_t n);

/* Split a mixed submission: a new case of `kind` with the given part of
 * the content, linked to the original ('split'), same citizen data.  Only
 * while received or classified (RC_CONFLICT after).  Once sealed, always
 * sealed: a part of a sealed case keeps the sealed identity whatever its
 * kind, and a denunciation part of a clear case is sealed (RC_CONFLICT
 * without a vault key). */
Rc case_split(Db *db, const Principal *who, int64_t id, CaseKind kind, const char *title,
	      const char *content, CaseCreated *out);
/* Suggest repeat and duplicate links for up to `max` cases queued at
 * intake; *done = how many were handled.  With no transaction open it
 * compares in a read transaction, then writes the links in a short write
 * transaction of its own (the background worker, after each intake);
 * inside the caller's transaction it runs there. */
/* A Vietnamese phone number (national form after "+84" → "0"): the rule
 * of intake, also used for readers' feedback. */
bool case_phone_valid(const char *s);
Rc case_links_suggest_pending(Db *db, int max, int *done);
/* Confirm (or dismiss: the link is deleted, the event stays) a suggested
 * repeat/duplicate link in either direction; RC_NOT_FOUND if none. */
Rc case_link_confirm(Db *db, const Principal *who, int64_t id, int64_t other, const char *kind,
		     bool confirm);

/* ---- work queues, filters, search ---- */
typedef enum CaseQueue { QUEUE_ALL = 0, QUEUE_MINE, QUEUE_ORG, QUEUE_DUE_SOON, QUEUE_OVERDUE } CaseQueue;

typedef struct CaseFilter {
	CaseQueue queue;
	int kind;                  /* -1 = any, else CaseKind */
	const char *field_code;    /* NULL = any */
	int64_t unit_id;           /* 0 = any; a province covers its communes */
	const char *status;        /* NULL = any */
	const char *channel;       /* NULL = any */
	int64_t org_id;            /* responsible organisation, 0 = any */
	const char *from, *to;     /* received_on range, ISO, inclusive; NULL = open */
	const char *q;             /* full-text, folded (text_search_key) */
	/* keyset: rows strictly after (received_on, id) in newest-first order */
	const char *after_date;
	int64_t after_id;
	int limit;                 /* ≤ 200; 0 = 50 */
} CaseFilter;

typedef struct CaseRow {
	int64_t id;
	char code[CASE_CODE_LEN + 1];
	CaseKind kind;
	char status[16];
	char channel[20];
	char received_on[11];
	char *title;
	char *field_name;
	char *unit_name;
	char *org_name;
	char next_due[11];  /* earliest open deadline, "" if none */
	bool overdue, due_soon, repeat, group;
} CaseRow;

typedef struct CaseList {
	CaseRow *rows;
	size_t count;
	bool more;          /* another page exists */
} CaseList;

/* Cases visible to `who` (area scope always applies) matching f. */
Rc case_list(Db *db, const Principal *who, const CaseFilter *f, CaseList *out);
void case_list_release(CaseList *l);

/* Replies and notes.  A reply (CAP_CASE_RECEIVE/HANDLE) is shown to the
 * citizen and e-mailed if an address is known — never for denunciations
 * or sealed identities: the address is itself identity.  A note (any
 * case capability, monitors included) is internal.  1–CASE_TEXT_MAX
 * characters, else RC_INVALID. */
Rc case_reply(Db *db, const Principal *who, int64_t id, const char *text);
Rc case_note(Db *db, const Principal *who, int64_t id, const char *text);
/* The citizen adds information (until closed) / rates the answer 1–5
 * (once the case has an outcome: RC_CONFLICT before) by tracking code,
 * typed loosely (case_code_parse); RC_NOT_FOUND for an unknown code. */
Rc case_citizen_add(Db *db, const char *code, const char *text);
Rc case_citizen_rate(Db *db, const char *code, int rating, const char *note);
/* The citizen appeals by tracking code where the law lets them: a
 * complaint decided at the first instance, within the appeal window
 * (Law 02/2011 Art. 33), or a denunciation (tố cáo tiếp, Law 25/2018
 * Art. 37).  *problem explains a refusal. */
Rc case_citizen_appeal(Db *db, const char *code, const char *text, const char **problem);

#endif
