/*
 * case_flow.c — the case state machine (shared domain.md §1.7): the
 * transition table, case_act, case_action_allowed, assignment, monitoring
 * bodies and the confirmation of suggested links.
 *
 * One row of `flow` per action: the statuses it starts from, the status
 * it leads to, the capabilities that may take it (any one suffices), the
 * kinds it applies to, whether anonymous information may take it, and
 * whether its event is shown to the citizen.  The row's `apply` function
 * validates the action's own input and does its side effects: columns,
 * statutory deadlines (deadline.h), sealing.  case_act does the rest the
 * same way for every action: area scope (RC_NOT_FOUND outside, so
 * existence does not leak), capability (RC_FORBIDDEN), status and kind
 * (RC_CONFLICT), the status update guarded by the status read, the event
 * and the audit entry.  docs/internals/cases.md has the table as prose.
 */
#include "case_priv.h"
#include "deadline.h"
#include "../base/text.h"

/* Problems (English message ids). */
#define P_UNKNOWN "Unknown action"
#define P_CAP "You may not take this action on cases"
#define P_STATUS "This action is not possible in the case's current status"
#define P_KIND "This action does not apply to this kind of case"
#define P_ANON "Anonymous information can only be filed or forwarded for a management check"
#define P_REASON "Choose a legal reason"
#define P_FORWARD_TO "Name the body the case is forwarded to"
#define P_ORG "The organisation is not known"
#define P_EXT_DOC "Enter the number of the extension decision"
#define P_EXT_MAX "No further extension is allowed for this case"
#define P_OUTCOME "Choose the outcome of the decision"
#define P_DOC_DATE "Enter the document date as YYYY-MM-DD"
#define P_DOC_FUTURE "The document date cannot be in the future"
#define P_DOC_LONG "The document number is too long"
#define P_NOTE_LONG "The note is too long"
#define P_APPEAL "An appeal is possible only once, against a first-instance decision"
#define P_VAULT "The confidential vault is not set up"
#define P_FIELD "The field is not known"
#define P_UNIT "The commune is not known"

#define DOC_NUMBER_MAX 60
#define FORWARD_TO_MAX 300

/* Everything an apply function works with. */
typedef struct Ctx {
	Db *db;
	const Principal *who;
	const CaseAction *a;
	CaseCore c;          /* as loaded, before the action */
	Date on;             /* the document's date, else today */
	char on_iso[11];
	char detail[160];    /* extra note for the event (codes and ids only) */
	const char *problem;
} Ctx;

typedef Rc (*ApplyFn)(Ctx *x);

#define K_PET (1u << KIND_PETITION)
#define K_COM (1u << KIND_COMPLAINT)
#define K_DEN (1u << KIND_DENUNCIATION)
#define K_ALL (K_PET | K_COM | K_DEN)
#define RH (CAP_CASE_RECEIVE | CAP_CASE_HANDLE)
#define H CAP_CASE_HANDLE

typedef struct Transition {
	const char *action;
	const char *from[9];  /* NULL-terminated */
	const char *to;       /* NULL = the status does not change */
	uint32_t caps;
	unsigned kinds;
	bool anonymous_ok;
	bool citizen;         /* the event is shown on the tracking page */
	ApplyFn apply;
} Transition;

static Rc do_classify(Ctx *x);
static Rc do_accept(Ctx *x);
static Rc do_refuse(Ctx *x);
static Rc do_forward(Ctx *x);
static Rc do_guide(Ctx *x);
static Rc do_file(Ctx *x);
static Rc do_extend(Ctx *x);
static Rc do_suspend(Ctx *x);
static Rc do_resume(Ctx *x);
static Rc do_cancel(Ctx *x);
static Rc do_decide(Ctx *x);
static Rc do_notify(Ctx *x);
static Rc do_appeal(Ctx *x);
static Rc do_take_effect(Ctx *x);
static Rc do_close(Ctx *x);
static Rc do_reopen(Ctx *x);
static Rc do_nothing(Ctx *x);

static const Transition flow[] = {
	{"classify", {"received", "classified"}, "classified", RH, K_ALL, true, false, do_classify},
	{"accept", {"classified", "appealed"}, "accepted", H, K_ALL, false, true, do_accept},
	{"refuse", {"received", "classified", "appealed"}, "refused", RH, K_ALL, false, true, do_refuse},
	{"forward", {"received", "classified"}, "forwarded", RH, K_ALL, true, true, do_forward},
	{"guide", {"received", "classified"}, "guided", RH, K_ALL, false, true, do_guide},
	{"file", {"received", "classified"}, "filed", RH, K_ALL, true, true, do_file},
	{"verify", {"accepted"}, "verifying", H, K_ALL, false, true, do_nothing},
	{"extend", {"verifying"}, NULL, H, K_DEN, false, true, do_extend},
	{"suspend", {"accepted", "verifying"}, "suspended", H, K_ALL, false, true, do_suspend},
	{"resume", {"suspended"}, "verifying", H, K_ALL, false, true, do_resume},
	{"terminate", {"accepted", "verifying", "suspended"}, "terminated", H, K_ALL, false, true, do_cancel},
	{"withdraw", {"received", "classified", "accepted", "verifying", "suspended", "appealed"},
	 "withdrawn", H, K_ALL, false, true, do_cancel},
	{"decide", {"accepted", "verifying"}, "decided", H, K_ALL, false, true, do_decide},
	{"notify", {"decided"}, "notified", H, K_ALL, false, true, do_notify},
	{"appeal", {"decided", "notified"}, "appealed", RH, K_COM | K_DEN, false, true, do_appeal},
	{"take_effect", {"notified"}, "in_effect", H, K_ALL, false, true, do_take_effect},
	{"close", {"notified", "in_effect", "filed", "guided", "forwarded", "refused", "terminated",
		   "withdrawn"}, "closed", H, K_ALL, true, true, do_close},
	{"archive", {"closed"}, "archived", H, K_ALL, true, false, do_nothing},
	{"reopen", {"filed", "guided", "forwarded", "refused", "closed"}, "received", H, K_ALL, true,
	 false, do_reopen},
};

static const Transition *transition_find(const char *action)
{
	for (size_t i = 0; i < ARRAY_LEN(flow); i++)
		if (str_eq(action, flow[i].action))
			return &flow[i];
	return NULL;
}

static bool from_ok(const Transition *t, const char *status)
{
	for (size_t i = 0; i < ARRAY_LEN(t->from) && t->from[i]; i++)
		if (str_eq(status, t->from[i]))
			return true;
	return false;
}

/* Status, kind and anonymity; the problem when the action cannot be
 * taken on this case now, else NULL. */
static const char *state_problem(const Transition *t, CaseKind kind, const char *status,
				 bool anonymous, int instance)
{
	if (!(t->kinds & (1u << kind)))
		return P_KIND;
	if (anonymous && !t->anonymous_ok)
		return P_ANON;
	if (!from_ok(t, status))
		return P_STATUS;
	if (str_eq(t->action, "appeal") && instance >= 2)
		return P_APPEAL;
	return NULL;
}

bool case_action_allowed(const Principal *who, const Case *c, const char *action)
{
	const Transition *t = transition_find(action);
	if (!who || !c || !t || !(who->caps & t->caps))
		return false;
	if (state_problem(t, c->kind, c->status, c->anonymous, c->instance))
		return false;
	if (str_eq(action, "extend"))
		return c->instance < 2 && c->extensions < CASE_EXTENSIONS_MAX &&
		       c->extensions < case_extensions_allowed(c->criteria);
	return true;
}

/* ---- deadlines along the flow --------------------------------------------- */

/* The step that resolves the case at its current instance. */
static const char *resolve_step(const CaseCore *c)
{
	if (c->kind == KIND_COMPLAINT)
		return c->instance >= 2 ? "resolve2" : "resolve";
	if (c->kind == KIND_DENUNCIATION)
		return c->instance >= 2 ? "re_resolve" : "resolve";
	return NULL; /* petitions: the answer is due within the "handle" step */
}

/* Is a "resolve" limit open (or paused) for the case? */
static bool resolve_running(Ctx *x)
{
	int64_t n = 0;
	if (db_get_int(x->db, &n,
		       "SELECT count(*) FROM case_deadline WHERE case_id = ? AND step = 'resolve'"
		       " AND state IN ('open', 'paused')", "l", x->c.id))
		return true;
	return n > 0;
}

static Rc cancel_open(Ctx *x)
{
	return deadline_cancel_open(x->db, x->c.id);
}

/* The initial handling is done (accepted, refused, forwarded, guided or
 * filed): its step is met, whatever comes next. */
static Rc meet_first(Ctx *x)
{
	const char *step = x->c.kind == KIND_COMPLAINT && x->c.instance >= 2 ? "accept2"
									      : case_first_step(&x->c);
	return case_step_meet(x->db, &x->c, step, x->on);
}

/* ---- input checks ---------------------------------------------------------- */

static const char *check_common(Ctx *x)
{
	const CaseAction *a = x->a;
	Date today = case_today();
	x->on = today;
	if (a->doc_date && *a->doc_date) {
		if (!date_parse_iso(a->doc_date, &x->on))
			return P_DOC_DATE;
		if (date_to_days(x->on) > date_to_days(today))
			return P_DOC_FUTURE;
	}
	date_iso(x->on, x->on_iso);
	if (a->doc_number && text_length(a->doc_number) > DOC_NUMBER_MAX)
		return P_DOC_LONG;
	if (a->note && text_length(a->note) > CASE_TEXT_MAX)
		return P_NOTE_LONG;
	return NULL;
}

/* Append "key=value" to the detail.  Only ids, codes and fixed words
 * reach here (never personal data), so cutting at the buffer's end loses
 * nothing that matters. */
static void detail_str(Ctx *x, const char *key, const char *value)
{
	size_t n = strlen(x->detail);
	snprintf(x->detail + n, sizeof x->detail - n, "%s%s=%s", n ? " " : "", key, value);
}

static void detail_int(Ctx *x, const char *key, int64_t value)
{
	size_t n = strlen(x->detail);
	snprintf(x->detail + n, sizeof x->detail - n, "%s%s=%lld", n ? " " : "", key,
		 (long long)value);
}

/* ---- the actions ------------------------------------------------------------- */

static Rc do_nothing(Ctx *x)
{
	(void)x;
	return RC_OK;
}

/* A new kind restarts the clock: its first step replaces the old one. */
static Rc classify_kind(Ctx *x)
{
	CaseKind k = x->a->kind;
	if (!x->a->kind_set || k == x->c.kind)
		return RC_OK;
	if ((unsigned)k >= KIND_COUNT) {
		x->problem = P_KIND;
		return RC_INVALID;
	}
	if (k == KIND_DENUNCIATION && !x->c.anonymous) {
		Rc rc = case_seal_existing(x->db, x->c.id);
		if (rc == RC_CONFLICT)
			x->problem = P_VAULT;
		if (rc)
			return rc;
	}
	detail_str(x, "kind", case_kind_id(k));
	Rc rc = db_run(x->db, "UPDATE cases SET kind = ? WHERE id = ?", "tl", case_kind_id(k), x->c.id);
	if (!rc)
		rc = cancel_open(x);
	if (rc)
		return rc;
	CaseCore now = x->c;
	now.kind = k;
	return case_first_step_open(x->db, &now);
}

static Rc classify_routing(Ctx *x)
{
	const CaseAction *a = x->a;
	int64_t field_id = x->c.field_id, unit_id = x->c.unit_id, org_id = x->c.responsible_org_id;
	if (a->field_code && *a->field_code) {
		if (db_get_int(x->db, &field_id, "SELECT id FROM field WHERE code = ? AND active = 1",
			       "t", a->field_code)) {
			x->problem = P_FIELD;
			return RC_INVALID;
		}
		detail_str(x, "field", a->field_code);
	}
	int64_t tmp;
	if (a->unit_id) {
		if (db_get_int(x->db, &tmp, "SELECT id FROM unit WHERE id = ?", "l", a->unit_id)) {
			x->problem = P_UNIT;
			return RC_INVALID;
		}
		unit_id = a->unit_id;
		detail_int(x, "unit", unit_id);
	}
	if (a->responsible_org_id) {
		if (db_get_int(x->db, &tmp, "SELECT id FROM org WHERE id = ?", "l",
			       a->responsible_org_id)) {
			x->problem = P_ORG;
			return RC_INVALID;
		}
		org_id = a->responsible_org_id;
		detail_int(x, "org", org_id);
	}
	/* The criteria are set as a whole (the form shows them all); a group
	 * keeps "many people" whatever was ticked. */
	unsigned criteria = a->criteria & 127u;
	if (x->c.people_count >= CASE_GROUP_MIN)
		criteria |= CRIT_MANY_PEOPLE;
	int remote = a->remote_area < 0 ? (int)x->c.remote_area : a->remote_area != 0;
	detail_int(x, "remote", remote);
	detail_int(x, "criteria", (int64_t)criteria);
	return db_run(x->db,
		      "UPDATE cases SET field_id = nullif(?, 0), unit_id = nullif(?, 0),"
		      " responsible_org_id = nullif(?, 0), criteria = ?, remote_area = ? WHERE id = ?",
		      "llliil", field_id, unit_id, org_id, (int)criteria, remote, x->c.id);
}

static Rc do_classify(Ctx *x)
{
	Rc rc = classify_routing(x);
	return rc ? rc : classify_kind(x);
}

static Rc do_accept(Ctx *x)
{
	Rc rc = meet_first(x);
	const char *step = resolve_step(&x->c);
	/* A denunciation re-examined at the higher level (tố cáo tiếp) runs
	 * on the re_resolve clock opened by the appeal. */
	if (!rc && step && !(x->c.kind == KIND_DENUNCIATION && x->c.instance >= 2))
		rc = case_step_open(x->db, &x->c, step, x->on);
	return rc;
}

static Rc set_reason(Ctx *x, bool file)
{
	const CaseReason *r = case_reason_find(x->a->reason_code, x->c.kind, file);
	if (!r) {
		x->problem = P_REASON;
		return RC_INVALID;
	}
	detail_str(x, "reason", r->code);
	Rc rc = db_run(x->db, "UPDATE cases SET refuse_reason = ? WHERE id = ?", "tl", r->code,
		       x->c.id);
	if (!rc)
		rc = meet_first(x);
	return rc ? rc : cancel_open(x);
}

static Rc do_refuse(Ctx *x)
{
	return set_reason(x, false);
}

static Rc do_file(Ctx *x)
{
	return set_reason(x, true);
}

static Rc do_forward(Ctx *x)
{
	const CaseAction *a = x->a;
	bool named = a->forward_to && *a->forward_to;
	if (!named && !a->responsible_org_id) {
		x->problem = P_FORWARD_TO;
		return RC_INVALID;
	}
	if (named && text_length(a->forward_to) > FORWARD_TO_MAX) {
		x->problem = P_FORWARD_TO;
		return RC_INVALID;
	}
	int64_t tmp;
	if (a->responsible_org_id &&
	    db_get_int(x->db, &tmp, "SELECT id FROM org WHERE id = ?", "l", a->responsible_org_id)) {
		x->problem = P_ORG;
		return RC_INVALID;
	}
	Rc rc = RC_OK;
	if (a->responsible_org_id) {
		detail_int(x, "org", a->responsible_org_id);
		rc = db_run(x->db, "UPDATE cases SET responsible_org_id = ? WHERE id = ?", "ll",
			    a->responsible_org_id, x->c.id);
	}
	/* Forwarding within its time limit is what the first step asked. */
	if (!rc)
		rc = case_step_meet(x->db, &x->c, "forward", x->on);
	if (!rc)
		rc = meet_first(x);
	return rc ? rc : cancel_open(x);
}

static Rc do_guide(Ctx *x)
{
	Rc rc = meet_first(x);
	return rc ? rc : cancel_open(x);
}

/* Each extension is a written decision (Form 01, Decree 31/2019) that
 * pushes the running "resolve" limit by up to 30 days from its due date
 * (deadline_open with step "extension" does the pushing and keeps the
 * decision as a row).  Only at the first instance: the superior's review
 * of a renewed denunciation has its own 20 days and no extension. */
static Rc do_extend(Ctx *x)
{
	if (!x->a->doc_number || !*x->a->doc_number) {
		x->problem = P_EXT_DOC;
		return RC_INVALID;
	}
	if (x->c.instance >= 2 || x->c.extensions >= CASE_EXTENSIONS_MAX ||
	    x->c.extensions >= case_extensions_allowed(x->c.criteria)) {
		x->problem = P_EXT_MAX;
		return RC_CONFLICT;
	}
	DeadlineQuery q = {
		.kind = case_kind_id(x->c.kind),
		.step = "extension",
		.complexity = case_complexity(x->c.criteria),
		.remote = x->c.remote_area,
		.multi_place = (x->c.criteria & CRIT_MULTI_PLACE) != 0,
		.on = x->on,
	};
	Rc rc = deadline_open(x->db, x->c.id, &q, x->on);
	/* No resolve limit to push (none was opened, e.g. no rule in force)
	 * is not a reason to refuse a lawful extension decision. */
	if (rc == RC_NOT_FOUND || (rc == RC_CONFLICT && !resolve_running(x)))
		rc = RC_OK;
	if (rc == RC_CONFLICT)
		x->problem = P_EXT_MAX;
	if (!rc)
		rc = db_run(x->db, "UPDATE cases SET extensions = extensions + 1 WHERE id = ?", "l",
			    x->c.id);
	detail_int(x, "extension", (int64_t)x->c.extensions + 1);
	return rc;
}

static Rc do_suspend(Ctx *x)
{
	Rc rc = deadline_pause(x->db, x->c.id, x->on);
	if (!rc)
		rc = db_run(x->db, "UPDATE cases SET suspended_since = ? WHERE id = ?", "tl", x->on_iso,
			    x->c.id);
	return rc;
}

static Rc do_resume(Ctx *x)
{
	Rc rc = deadline_resume(x->db, x->c.id, x->on);
	if (!rc)
		rc = db_run(x->db, "UPDATE cases SET suspended_since = NULL WHERE id = ?", "l", x->c.id);
	return rc;
}

static Rc do_cancel(Ctx *x)
{
	Rc rc = RC_OK;
	if (str_eq(x->c.status, "suspended"))
		rc = db_run(x->db, "UPDATE cases SET suspended_since = NULL WHERE id = ?", "l", x->c.id);
	return rc ? rc : cancel_open(x);
}

static Rc do_decide(Ctx *x)
{
	if (!case_outcome_valid(x->c.kind, x->a->outcome)) {
		x->problem = P_OUTCOME;
		return RC_INVALID;
	}
	detail_str(x, "outcome", x->a->outcome);
	Rc rc = db_run(x->db, "UPDATE cases SET outcome = ? WHERE id = ?", "tl", x->a->outcome,
		       x->c.id);
	/* Whichever clock is running for the resolution stops now. */
	const char *steps[] = {"resolve", "resolve2", "re_resolve", "extension", "handle"};
	for (size_t i = 0; !rc && i < ARRAY_LEN(steps); i++)
		rc = case_step_meet(x->db, &x->c, steps[i], x->on);
	/* Then the decision must reach the parties: sent within 3 working
	 * days (complaints), the conclusion published within 7 (denunciations). */
	if (!rc && x->c.kind == KIND_COMPLAINT)
		rc = case_step_open(x->db, &x->c, "send_decision", x->on);
	if (!rc && x->c.kind == KIND_DENUNCIATION)
		rc = case_step_open(x->db, &x->c, "publish", x->on);
	return rc;
}

static Rc do_notify(Ctx *x)
{
	Rc rc = case_step_meet(x->db, &x->c, "send_decision", x->on);
	if (!rc)
		rc = case_step_meet(x->db, &x->c, "publish", x->on);
	/* A complaint decision takes effect 30 days (45 remote) after issue
	 * unless appealed (Art. 44): the clock reminds staff to record it. */
	if (!rc && x->c.kind == KIND_COMPLAINT)
		rc = case_step_open(x->db, &x->c, "take_effect", x->on);
	return rc;
}

/* The second instance (khiếu nại lần hai) or the superior's review of a
 * denunciation (tố cáo tiếp). */
static Rc do_appeal(Ctx *x)
{
	Rc rc = cancel_open(x);
	if (!rc)
		rc = db_run(x->db, "UPDATE cases SET instance = 2 WHERE id = ?", "l", x->c.id);
	CaseCore next = x->c;
	next.instance = 2;
	if (!rc)
		rc = case_step_open(x->db, &next,
				    x->c.kind == KIND_COMPLAINT ? "accept2" : "re_resolve", x->on);
	return rc;
}

static Rc do_take_effect(Ctx *x)
{
	Rc rc = case_step_meet(x->db, &x->c, "take_effect", x->on);
	return rc ? rc : cancel_open(x);
}

static Rc do_close(Ctx *x)
{
	Rc rc = cancel_open(x);
	if (!rc)
		rc = db_run(x->db, "UPDATE cases SET closed_at = ? WHERE id = ?", "ll", util_now(),
			    x->c.id);
	return rc;
}

/* A case filed, refused or closed by mistake starts again: the first
 * step's clock runs from the reopening. */
static Rc do_reopen(Ctx *x)
{
	Rc rc = db_run(x->db, "UPDATE cases SET closed_at = NULL, refuse_reason = '' WHERE id = ?",
		       "l", x->c.id);
	if (!rc)
		rc = cancel_open(x);
	if (!rc)
		rc = case_step_open(x->db, &x->c, case_first_step(&x->c), x->on);
	return rc;
}

/* ---- case_act ------------------------------------------------------------------ */

/* Law 02/2011 Art. 33: a complainant may also go to the second instance
 * when the first-instance time limit passed without a decision (and a
 * denouncer to the superior, Law 25/2018 Art. 38).  True when this is
 * such an appeal: then it may start from accepted or verifying too. */
static bool appeal_overdue(Ctx *x, const Transition *t)
{
	if (!str_eq(t->action, "appeal") || x->c.instance >= 2 ||
	    !(str_eq(x->c.status, "accepted") || str_eq(x->c.status, "verifying")))
		return false;
	char today[11];
	date_iso(case_today(), today);
	int64_t n = 0;
	if (db_get_int(x->db, &n,
		       "SELECT count(*) FROM case_deadline WHERE case_id = ? AND state = 'open'"
		       " AND step IN ('resolve', 'extension') AND due_on < ?",
		       "lt", x->c.id, today))
		return false;
	return n > 0;
}

/* The checks every action shares; RC_OK when the action may proceed. */
static Rc act_check(Ctx *x, const Transition *t)
{
	if (!t) {
		x->problem = P_UNKNOWN;
		return RC_INVALID;
	}
	/* who NULL: the citizen, for the few actions the law gives them
	 * (case_citizen_act); the caller decided it is allowed. */
	if (x->who && !(x->who->caps & t->caps)) {
		x->problem = P_CAP;
		return RC_FORBIDDEN;
	}
	const char *status = appeal_overdue(x, t) ? "decided" : x->c.status;
	x->problem = state_problem(t, x->c.kind, status, x->c.anonymous, x->c.instance);
	if (x->problem)
		return RC_CONFLICT;
	x->problem = check_common(x);
	return x->problem ? RC_INVALID : RC_OK;
}

static Rc act_record(Ctx *x, const Transition *t)
{
	const char *to = t->to ? t->to : x->c.status;
	Rc rc = db_run(x->db, "UPDATE cases SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
		       "tllt", to, util_now(), x->c.id, x->c.status);
	if (!rc && db_changes(x->db) != 1)
		rc = RC_CONFLICT; /* changed under us */
	/* The forwarded-to body and the staff's note go into the event; the
	 * detail (codes and ids only) into the audit log as well. */
	Buf note = BUF_INIT;
	buf_puts(&note, x->a->note ? x->a->note : "");
	if (str_eq(t->action, "forward") && x->a->forward_to && *x->a->forward_to)
		buf_printf(&note, "%s%s", note.len ? "\n→ " : "→ ", x->a->forward_to);
	/* Internal events also keep what changed (re-classification history). */
	if (!t->citizen && *x->detail)
		buf_printf(&note, "%s[%s]", note.len ? "\n" : "", x->detail);
	if (!rc)
		rc = case_event_add(x->db, x->c.id, x->who,
				    &(CaseEventIn){.action = t->action, .from = x->c.status, .to = to,
						   .note = buf_cstr(&note),
						   .doc_number = x->a->doc_number,
						   .doc_date = x->a->doc_date,
						   .visibility = t->citizen ? "citizen" : "internal"},
				    NULL);
	buf_release(&note);
	if (!rc) {
		char detail[220];
		xsnprintf(detail, sizeof detail, "%s %s->%s%s%s", x->c.code, x->c.status, to,
			  *x->detail ? " " : "", x->detail);
		rc = case_audit(x->db, x->who, t->action, &x->c, detail);
	}
	return rc;
}

/* Check, apply and record one action on a loaded case. */
static Rc act_run(Ctx *x)
{
	const Transition *t = transition_find(x->a->action);
	Rc rc = act_check(x, t);
	if (!rc)
		rc = t->apply(x);
	if (!rc)
		rc = act_record(x, t);
	return rc;
}

Rc case_act(Db *db, const Principal *who, int64_t id, const CaseAction *a, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	if (!who || !a)
		return RC_FORBIDDEN;
	Ctx x = {.db = db, .who = who, .a = a};
	Rc rc = case_core_load(db, id, &x.c);
	if (rc)
		return rc;
	if (!case_in_area(db, who, &x.c))
		return RC_NOT_FOUND;
	rc = act_run(&x);
	*problem = x.problem;
	return rc;
}

Rc case_citizen_act(Db *db, const CaseCore *c, const char *action, const char *note,
		    const char **problem)
{
	CaseAction a = {.action = action, .note = note, .remote_area = -1};
	Ctx x = {.db = db, .who = NULL, .a = &a, .c = *c};
	Rc rc = act_run(&x);
	*problem = x.problem;
	return rc;
}

/* ---- assignment, monitors, links ------------------------------------------------ */

/* Load, scope and capability: the preamble of the smaller changes. */
static Rc prelude(Db *db, const Principal *who, int64_t id, CaseCore *c)
{
	if (!who || !(who->caps & (CAP_CASE_RECEIVE | CAP_CASE_HANDLE)))
		return RC_FORBIDDEN;
	Rc rc = case_core_load(db, id, c);
	if (rc)
		return rc;
	return case_in_area(db, who, c) ? RC_OK : RC_NOT_FOUND;
}

static Rc record(Db *db, const Principal *who, const CaseCore *c, const char *action,
		 const char *detail)
{
	Rc rc = case_event_add(db, c->id, who, &(CaseEventIn){.action = action, .note = detail}, NULL);
	if (!rc)
		rc = case_touch(db, c->id);
	if (!rc) {
		char d[200];
		xsnprintf(d, sizeof d, "%s %s", c->code, detail);
		rc = case_audit(db, who, action, c, d);
	}
	return rc;
}

Rc case_assign(Db *db, const Principal *who, int64_t id, int64_t user_id)
{
	CaseCore c;
	Rc rc = prelude(db, who, id, &c);
	if (rc)
		return rc;
	if (user_id) {
		/* A member of the organisation that answers for the case (the
		 * receiving one until it is routed), able to work on cases. */
		int64_t org = c.responsible_org_id ? c.responsible_org_id : c.receiving_org_id;
		int64_t n = 0;
		rc = db_get_int(db, &n,
				"SELECT count(*) FROM user u WHERE u.id = ? AND u.org_id = ?"
				" AND u.disabled = 0 AND EXISTS (SELECT 1 FROM user_role r"
				" WHERE r.user_id = u.id AND r.role IN ('reception', 'handler'))",
				"ll", user_id, org);
		if (rc)
			return rc;
		if (!n)
			return RC_INVALID;
	}
	rc = db_run(db, "UPDATE cases SET assignee_id = nullif(?, 0) WHERE id = ?", "ll", user_id, id);
	char detail[48];
	xsnprintf(detail, sizeof detail, "user=%lld", (long long)user_id);
	return rc ? rc : record(db, who, &c, "assign", detail);
}

Rc case_set_monitors(Db *db, const Principal *who, int64_t id, const int64_t *orgs, size_t n)
{
	CaseCore c;
	Rc rc = prelude(db, who, id, &c);
	if (rc)
		return rc;
	if (n > CASE_MONITORS_MAX)
		return RC_INVALID;
	/* Mass-mobilisation bodies monitor; they do not decide. */
	for (size_t i = 0; i < n; i++) {
		int64_t ok = 0;
		rc = db_get_int(db, &ok,
				"SELECT count(*) FROM org WHERE id = ? AND kind IN"
				" ('massmob_commission', 'fatherland_front', 'mass_org', 'party_committee')",
				"l", orgs[i]);
		if (rc)
			return rc;
		if (!ok)
			return RC_INVALID;
	}
	rc = db_run(db, "DELETE FROM case_monitor WHERE case_id = ?", "l", id);
	Buf detail = BUF_INIT;
	buf_puts(&detail, "orgs=");
	for (size_t i = 0; !rc && i < n; i++) {
		rc = db_run(db, "INSERT INTO case_monitor (case_id, org_id) VALUES (?, ?)"
				" ON CONFLICT DO NOTHING", "ll", id, orgs[i]);
		buf_printf(&detail, "%s%lld", i ? "," : "", (long long)orgs[i]);
	}
	if (!rc)
		rc = record(db, who, &c, "monitors", buf_cstr(&detail));
	buf_release(&detail);
	return rc;
}

Rc case_link_confirm(Db *db, const Principal *who, int64_t id, int64_t other, const char *kind,
		     bool confirm)
{
	CaseCore c;
	Rc rc = prelude(db, who, id, &c);
	if (rc)
		return rc;
	/* Split links are made by staff and need no confirmation. */
	if (!str_eq(kind, "repeat") && !str_eq(kind, "duplicate"))
		return RC_INVALID;
	if (confirm)
		rc = db_run(db, "UPDATE case_link SET confirmed = 1 WHERE kind = ?3"
				" AND ((case_id = ?1 AND other_id = ?2) OR (case_id = ?2 AND other_id = ?1))",
			    "llt", id, other, kind);
	else
		rc = db_run(db, "DELETE FROM case_link WHERE kind = ?3"
				" AND ((case_id = ?1 AND other_id = ?2) OR (case_id = ?2 AND other_id = ?1))",
			    "llt", id, other, kind);
	if (!rc && db_changes(db) == 0)
		return RC_NOT_FOUND;
	char *other_code = NULL;
	if (!rc)
		rc = db_get_text(db, &other_code, "SELECT code FROM cases WHERE id = ?", "l", other);
	char detail[64];
	xsnprintf(detail, sizeof detail, "%s %s", kind, other_code ? other_code : "");
	free(other_code);
	return rc ? rc : record(db, who, &c, confirm ? "link_confirm" : "link_dismiss", detail);
}
