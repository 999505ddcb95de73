/*
 * cases_api.c — citizens' cases as JSON, public tracking by code, and the
 * CSV/XLSX exports of the case list (see cases_api.h, docs/api-cases.md).
 *
 * Every rule about who may see or do what lives in the domain (case.h):
 * case_load answers RC_NOT_FOUND outside the reader's area and fills
 * personal data only for readers allowed it; case_act checks the
 * capability and the state machine.  This file translates between HTTP
 * and those calls, and adds two belts to the braces: a denunciation's
 * citizen data is never written even if a loader filled it, and a link
 * to another case is shown only when case_load of that case succeeds for
 * the same reader.
 *
 * Input: query values arrive cleaned by the dispatcher; JSON members are
 * cleaned here with text_clean (valid UTF-8, NFC, no control characters),
 * because the dispatcher cannot see inside JSON.  Unknown members are
 * refused, so a misspelt field is an error rather than silently ignored.
 * Output goes only through the JSON writer.  Times are Vietnam time with
 * their offset; calendar dates "YYYY-MM-DD".
 */
#include "cases_api.h"
#include "../jobs/intake_builder.h"
#include "api.h"
#include "../base/date.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../domain/attachment.h"
#include "../domain/audit.h"
#include "../domain/case.h"
#include "../domain/case_detail.h"
#include "../domain/org.h"
#include "../domain/unit.h"
#include "../export/export.h"

#include <jansson.h>

/* Route body caps are the first limit; this is the parser's. */
#define CASES_BODY_MAX (64 * 1024)
#define QUERY_TEXT_MAX 200      /* characters of ?q= */
#define CODE_TEXT_MAX 64        /* field and organisation codes */
#define ATTACH_NAME_DEFAULT "attachment"

const char *const api_case_actions[] = {CASE_ACTIONS, "reply", "note", "assign", NULL};
/* Bit i of CaseCriterion is name i. */
const char *const api_case_criteria[] = {"multi_place", "multi_allegation", "many_people",
	"foreign", "multi_agency", "agencies_disagree", "contradictory", NULL};

/* ---- small writers ------------------------------------------------------ */

static void jw_case_url(JsonW *w, int64_t id)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "/api/v1/cases/%lld", (long long)id);
	jw_str(w, buf_cstr(&b));
	buf_release(&b);
}

static Rc json_done(Req *r, JsonW *w)
{
	buf_putc(&r->out, '\n');
	return jw_finished(w) && buf_ok(&r->out) ? RC_OK : RC_INTERNAL;
}

/* ---- looking things up -------------------------------------------------- */

/* The unit with a GSO code: the level follows from the length (2
 * province, 3 district, 5 commune), the era is the newest that has it. */
static Rc unit_by_code(Db *db, const char *code, int64_t *id)
{
	if (!unit_code_valid(code))
		return RC_NOT_FOUND;
	size_t n = strlen(code);
	const char *level = n == 2 ? UNIT_PROVINCE : n == 3 ? UNIT_DISTRICT : UNIT_COMMUNE;
	return unit_find(db, level, code, 0, id);
}

/* The case named by the route for the signed-in reader; 404 (message
 * set) when unknown or outside their area. */
static Rc load_case(Req *r, Case *c)
{
	int64_t id;
	memset(c, 0, sizeof *c);
	if (!api_arg_id(r, &id))
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	Rc rc = case_load(r->db, r->user, id, c);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	return rc;
}

/* ---- filters (list and exports) ----------------------------------------- */

typedef struct FilterArgs {
	CaseFilter f;
	char *q;               /* folded search key, owned */
	char after_date[11];
} FilterArgs;

static void filter_release(FilterArgs *a)
{
	free(a->q);
	a->q = NULL;
}

/* "2026-03-01.123" → date and id. */
static bool parse_cursor(const char *s, char date[11], int64_t *id)
{
	Date d;
	if (strlen(s) < 12 || s[10] != '.')
		return false;
	memcpy(date, s, 10);
	date[10] = 0;
	return date_parse_iso(date, &d) && util_parse_i64(s + 11, 1, INT64_MAX, id);
}

static bool parse_date_param(Req *r, const char *name, const char **out)
{
	const char *v = req_param(r, name);
	Date d;
	*out = NULL;
	if (!v || !*v)
		return true;
	if (!date_parse_iso(v, &d))
		return false;
	*out = v;
	return true;
}

/* Read the list's query parameters into a CaseFilter; 400 (message set)
 * on a value that cannot mean anything, so a typo never widens a list.
 * The case list page's own names (area, queue=soon) are accepted too, and
 * its paging parameters (after_date, after_id) are not read: an export
 * takes every page. */
static Rc filter_parse(Req *r, FilterArgs *a)
{
	memset(a, 0, sizeof *a);
	CaseFilter *f = &a->f;
	f->kind = -1;
	const char *v;

	v = req_str(r, "queue");
	static const struct { const char *id; CaseQueue q; } queues[] = {
		{"", QUEUE_ALL}, {"all", QUEUE_ALL}, {"mine", QUEUE_MINE}, {"org", QUEUE_ORG},
		{"due_soon", QUEUE_DUE_SOON}, {"overdue", QUEUE_OVERDUE},
		{"soon", QUEUE_DUE_SOON}, /* the case list page's name for it */
	};
	size_t i;
	for (i = 0; i < ARRAY_LEN(queues) && !str_eq(v, queues[i].id); i++)
		;
	if (i == ARRAY_LEN(queues))
		return req_fail(r, RC_INVALID, _("Unknown work queue."));
	f->queue = queues[i].q;

	v = req_str(r, "kind");
	if (*v) {
		CaseKind k;
		if (!case_kind_parse(v, &k))
			return req_fail(r, RC_INVALID, _("Unknown case type."));
		f->kind = (int)k;
	}
	v = req_str(r, "field");
	if (strlen(v) > CODE_TEXT_MAX)
		return req_fail(r, RC_INVALID, _("Unknown subject field."));
	f->field_code = *v ? v : NULL;

	/* "area" is the case list page's name for it, so an export link can
	 * carry that page's query string unchanged. */
	v = req_str(r, "unit");
	if (!*v)
		v = req_str(r, "area");
	if (*v) {
		Rc rc = unit_by_code(r->db, v, &f->unit_id);
		if (rc == RC_NOT_FOUND)
			return req_fail(r, RC_INVALID, _("No unit has this code."));
		if (rc)
			return rc;
	}
	v = req_param(r, "unit_id");
	if (v && *v && !util_parse_i64(v, 1, INT64_MAX, &f->unit_id))
		return req_fail(r, RC_INVALID, _("Unknown unit."));

	v = req_str(r, "status");
	if (*v && !case_status_valid(v))
		return req_fail(r, RC_INVALID, _("Unknown case status."));
	f->status = *v ? v : NULL;
	v = req_str(r, "channel");
	if (*v && !case_channel_valid(v))
		return req_fail(r, RC_INVALID, _("Unknown channel."));
	f->channel = *v ? v : NULL;

	v = req_str(r, "org");
	if (*v) {
		/* An all-digit value is an id; anything else an organisation code. */
		if (strspn(v, "0123456789") == strlen(v)) {
			if (!util_parse_i64(v, 1, INT64_MAX, &f->org_id))
				return req_fail(r, RC_INVALID, _("Unknown organisation."));
		} else {
			Rc rc = strlen(v) > CODE_TEXT_MAX ? RC_NOT_FOUND : org_find_code(r->db, v, &f->org_id);
			if (rc == RC_NOT_FOUND)
				return req_fail(r, RC_INVALID, _("Unknown organisation."));
			if (rc)
				return rc;
		}
	}
	if (!parse_date_param(r, "from", &f->from) || !parse_date_param(r, "to", &f->to))
		return req_fail(r, RC_INVALID, _("Write dates as YYYY-MM-DD."));

	v = req_str(r, "q");
	if (text_length(v) > QUERY_TEXT_MAX)
		return req_fail(r, RC_INVALID, _("The search text is too long"));
	if (*v) {
		a->q = text_search_key(v);
		if (*a->q)
			f->q = a->q;
	}
	v = req_str(r, "after");
	if (*v) {
		if (!parse_cursor(v, a->after_date, &f->after_id)) {
			filter_release(a);
			return req_fail(r, RC_INVALID, _("The page address is not valid"));
		}
		f->after_date = a->after_date;
	}
	v = req_param(r, "limit");
	if (v && *v) {
		int64_t n;
		if (!util_parse_i64(v, 1, 200, &n)) {
			filter_release(a);
			return req_fail(r, RC_INVALID, _("limit must be a number from 1 to 200."));
		}
		f->limit = (int)n;
	}
	return RC_OK;
}

/* ---- GET /api/v1/cases ---------------------------------------------------- */

static void jw_case_row(JsonW *w, const CaseRow *c)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, c->id);
	jw_key(w, "code");
	jw_str(w, c->code);
	jw_key(w, "url");
	jw_case_url(w, c->id);
	jw_key(w, "kind");
	jw_str(w, case_kind_id(c->kind));
	jw_key(w, "status");
	jw_str(w, c->status);
	jw_key(w, "channel");
	jw_str(w, c->channel);
	jw_key(w, "received_on");
	jw_str(w, c->received_on);
	jw_key(w, "title");
	jw_str(w, c->title ? c->title : "");
	jw_key(w, "field");
	api_jw_opt(w, c->field_name);
	jw_key(w, "unit");
	api_jw_opt(w, c->unit_name);
	jw_key(w, "org");
	api_jw_opt(w, c->org_name);
	jw_key(w, "next_due");
	api_jw_opt(w, c->next_due);
	jw_key(w, "overdue");
	jw_bool(w, c->overdue);
	jw_key(w, "due_soon");
	jw_bool(w, c->due_soon);
	jw_key(w, "repeat");
	jw_bool(w, c->repeat);
	jw_key(w, "group");
	jw_bool(w, c->group);
	jw_end(w);
}

Rc api_cases_list(Req *r)
{
	FilterArgs a;
	Rc rc = filter_parse(r, &a);
	if (rc)
		return rc;
	CaseList l;
	rc = case_list(r->db, r->user, &a.f, &l);
	filter_release(&a);
	if (rc)
		return rc;
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	for (size_t i = 0; i < l.count; i++)
		jw_case_row(&w, &l.rows[i]);
	jw_end(&w);
	jw_key(&w, "next");
	if (l.more && l.count) {
		const CaseRow *last = &l.rows[l.count - 1];
		Buf cur = BUF_INIT;
		buf_printf(&cur, "%s.%lld", last->received_on, (long long)last->id);
		jw_str(&w, buf_cstr(&cur));
		buf_release(&cur);
	} else {
		jw_null(&w);
	}
	jw_end(&w);
	case_list_release(&l);
	return json_done(r, &w);
}

/* ---- one case ------------------------------------------------------------- */

static void jw_deadline(JsonW *w, const CaseDeadline *d)
{
	jw_obj(w);
	jw_key(w, "step");
	jw_str(w, d->step);
	jw_key(w, "starts_on");
	jw_str(w, d->starts_on);
	jw_key(w, "due_on");
	jw_str(w, d->due_on);
	jw_key(w, "basis");
	jw_str(w, d->basis);
	jw_key(w, "state");
	jw_str(w, d->state);
	jw_key(w, "met_on");
	api_jw_opt(w, d->met_on);
	jw_key(w, "overdue");
	jw_bool(w, d->overdue);
	jw_end(w);
}

static Rc jw_deadlines(JsonW *w, Db *db, int64_t case_id)
{
	CaseDeadline *d;
	size_t n;
	Rc rc = case_deadlines(db, case_id, &d, &n);
	if (rc)
		return rc;
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_deadline(w, &d[i]);
	jw_end(w);
	case_deadlines_free(d, n);
	return RC_OK;
}

static void jw_attachment(JsonW *w, const Attachment *a)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, a->id);
	jw_key(w, "filename");
	jw_str(w, a->filename);
	jw_key(w, "content_type");
	jw_str(w, a->content_type);
	jw_key(w, "size");
	jw_int(w, a->size);
	jw_key(w, "sha256");
	jw_str(w, a->sha256);
	jw_key(w, "public");
	jw_bool(w, a->public_);
	jw_end(w);
}

static Rc jw_attachments(JsonW *w, Db *db, int64_t case_id)
{
	Attachment *a;
	size_t n;
	Rc rc = attachment_list(db, case_id, &a, &n);
	if (rc)
		return rc;
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_attachment(w, &a[i]);
	jw_end(w);
	attachment_list_release(a, n);
	return RC_OK;
}

static Rc jw_events(JsonW *w, Db *db, int64_t case_id)
{
	CaseEvent *e;
	size_t n;
	bool truncated;
	Rc rc = case_events(db, case_id, false, &e, &n, &truncated);
	if (rc)
		return rc;
	jw_key(w, "events");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, e[i].id);
		jw_key(w, "at");
		api_jw_time(w, e[i].at);
		jw_key(w, "actor");
		jw_str(w, e[i].actor);
		jw_key(w, "action");
		jw_str(w, e[i].action);
		jw_key(w, "from_status");
		jw_str(w, e[i].from_status);
		jw_key(w, "to_status");
		jw_str(w, e[i].to_status);
		jw_key(w, "note");
		jw_str(w, e[i].note);
		jw_key(w, "doc_number");
		jw_str(w, e[i].doc_number);
		jw_key(w, "doc_date");
		api_jw_opt(w, e[i].doc_date);
		jw_key(w, "visibility");
		jw_str(w, e[i].citizen ? "citizen" : "internal");
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "events_truncated");
	jw_bool(w, truncated);
	case_events_free(e, n);
	return RC_OK;
}

/* Links to cases the reader may open; the others are left out, since
 * even a code would tell that a case exists elsewhere. */
static Rc jw_links(JsonW *w, Req *r, int64_t case_id)
{
	CaseLinkRow *l;
	size_t n;
	Rc rc = case_links(r->db, case_id, &l, &n);
	if (rc)
		return rc;
	jw_arr(w);
	for (size_t i = 0; i < n && rc == RC_OK; i++) {
		Case other;
		memset(&other, 0, sizeof other);
		rc = case_load(r->db, r->user, l[i].other_id, &other);
		case_release(&other);
		if (rc == RC_NOT_FOUND) {
			rc = RC_OK;
			continue;
		}
		if (rc)
			break;
		jw_obj(w);
		jw_key(w, "case");
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, l[i].other_id);
		jw_key(w, "code");
		jw_str(w, l[i].other_code);
		jw_end(w);
		jw_key(w, "kind");
		jw_str(w, l[i].kind);
		jw_key(w, "confirmed");
		jw_bool(w, l[i].confirmed);
		jw_key(w, "direction");
		jw_str(w, l[i].incoming ? "incoming" : "outgoing");
		jw_end(w);
	}
	jw_end(w);
	free(l);
	return rc;
}

/* Personal data exactly as case_load filled it for this reader — and
 * never for a denunciation, whatever a loader did: the denouncer's
 * identity lives only in the vault. */
static void jw_citizen(JsonW *w, const Case *c)
{
	if (c->kind == KIND_DENUNCIATION || !c->personal_visible) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "name");
	jw_str(w, c->citizen_name);
	jw_key(w, "address");
	jw_str(w, c->citizen_address);
	jw_key(w, "phone");
	jw_str(w, c->citizen_phone);
	jw_key(w, "email");
	jw_str(w, c->citizen_email);
	jw_key(w, "id_number");
	jw_str(w, c->citizen_id_number);
	jw_key(w, "representatives");
	jw_arr(w);
	for (size_t i = 0; i < ARRAY_LEN(c->representatives); i++)
		if (c->representatives[i] && *c->representatives[i])
			jw_str(w, c->representatives[i]);
	jw_end(w);
	jw_end(w);
}

/* May the reader take `action` now?  The state machine's actions are
 * case_action_allowed's to answer; the three outside it follow the
 * capabilities case_reply, case_note and case_assign require. */
static bool action_allowed(Req *r, const Case *c, const char *action)
{
	bool staff = req_can(r, CAP_CASE_RECEIVE) || req_can(r, CAP_CASE_HANDLE);
	if (str_eq(action, "reply"))
		return staff && !str_eq(c->status, "archived");
	if (str_eq(action, "note"))
		return true; /* any case capability, and the reader has one */
	if (str_eq(action, "assign"))
		return staff;
	return case_action_allowed(r->user, c, action);
}

static Rc write_case(Req *r, const Case *c)
{
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, c->id);
	jw_key(&w, "code");
	jw_str(&w, c->code);
	jw_key(&w, "url");
	jw_case_url(&w, c->id);
	jw_key(&w, "kind");
	jw_str(&w, case_kind_id(c->kind));
	jw_key(&w, "status");
	jw_str(&w, c->status);
	jw_key(&w, "channel");
	jw_str(&w, c->channel);
	jw_key(&w, "received_on");
	jw_str(&w, c->received_on);
	jw_key(&w, "created_at");
	api_jw_time(&w, c->created_at);
	jw_key(&w, "updated_at");
	api_jw_time(&w, c->updated_at);
	jw_key(&w, "title");
	jw_str(&w, c->title ? c->title : "");
	jw_key(&w, "content");
	jw_str(&w, c->content ? c->content : "");
	jw_key(&w, "field");
	api_jw_ref(&w, c->field_id, c->field_name);
	jw_key(&w, "unit");
	api_jw_ref(&w, c->unit_id, c->unit_name);
	jw_key(&w, "receiving_org_id");
	if (c->receiving_org_id)
		jw_int(&w, c->receiving_org_id);
	else
		jw_null(&w);
	jw_key(&w, "responsible_org");
	api_jw_ref(&w, c->responsible_org_id, c->responsible_org_name);
	jw_key(&w, "assignee");
	api_jw_ref(&w, c->assignee_id, c->assignee_name);
	jw_key(&w, "monitors");
	jw_arr(&w);
	for (size_t i = 0; i < c->n_monitors; i++)
		jw_int(&w, c->monitors[i]);
	jw_end(&w);
	jw_key(&w, "parent_id");
	if (c->parent_id)
		jw_int(&w, c->parent_id);
	else
		jw_null(&w);
	jw_key(&w, "forwarded_from");
	api_jw_opt(&w, c->forwarded_from);
	jw_key(&w, "anonymous");
	jw_bool(&w, c->anonymous);
	jw_key(&w, "people_count");
	jw_int(&w, c->people_count);
	jw_key(&w, "group");
	jw_bool(&w, c->people_count >= CASE_GROUP_MIN);
	jw_key(&w, "instance");
	jw_int(&w, c->instance);
	jw_key(&w, "extensions");
	jw_int(&w, c->extensions);
	jw_key(&w, "remote_area");
	jw_bool(&w, c->remote_area);
	jw_key(&w, "suspended_since");
	api_jw_opt(&w, c->suspended_since);
	jw_key(&w, "criteria");
	jw_arr(&w);
	for (int i = 0; api_case_criteria[i]; i++)
		if (c->criteria & (1u << i))
			jw_str(&w, api_case_criteria[i]);
	jw_end(&w);
	jw_key(&w, "complexity");
	jw_int(&w, case_complexity(c->criteria));
	jw_key(&w, "outcome");
	jw_str(&w, c->outcome ? c->outcome : "");
	jw_key(&w, "refuse_reason");
	jw_str(&w, c->refuse_reason ? c->refuse_reason : "");
	jw_key(&w, "pseudonym");
	api_jw_opt(&w, c->kind == KIND_DENUNCIATION ? c->pseudonym : NULL);
	jw_key(&w, "citizen");
	jw_citizen(&w, c);
	jw_key(&w, "rating");
	if (c->rating)
		jw_int(&w, c->rating);
	else
		jw_null(&w);

	Rc rc;
	jw_key(&w, "deadlines");
	if ((rc = jw_deadlines(&w, r->db, c->id)))
		return rc;
	if ((rc = jw_events(&w, r->db, c->id)))
		return rc;
	jw_key(&w, "attachments");
	if ((rc = jw_attachments(&w, r->db, c->id)))
		return rc;
	jw_key(&w, "links");
	if ((rc = jw_links(&w, r, c->id)))
		return rc;
	jw_key(&w, "actions");
	jw_arr(&w);
	for (int i = 0; api_case_actions[i]; i++)
		if (action_allowed(r, c, api_case_actions[i]))
			jw_str(&w, api_case_actions[i]);
	jw_end(&w);
	jw_end(&w);
	return json_done(r, &w);
}

Rc api_case_show(Req *r)
{
	Case c;
	Rc rc = load_case(r, &c);
	if (rc == RC_OK)
		rc = write_case(r, &c);
	case_release(&c);
	return rc;
}

/* Answer a change with the case as it now is.  A change can take the
 * case out of the caller's area (classified to a commune elsewhere);
 * failing then would roll back a change that succeeded, so the answer is
 * the short form {"id", "code", "in_area": false} instead. */
static Rc answer_case(Req *r, int64_t id, const char *code)
{
	Case c;
	memset(&c, 0, sizeof c);
	Rc rc = case_load(r->db, r->user, id, &c);
	if (rc == RC_OK)
		rc = write_case(r, &c);
	case_release(&c);
	if (rc != RC_NOT_FOUND)
		return rc;
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, id);
	jw_key(&w, "code");
	jw_str(&w, code);
	jw_key(&w, "in_area");
	jw_bool(&w, false);
	jw_end(&w);
	return json_done(r, &w);
}

/* ---- JSON bodies ---------------------------------------------------------- */

/* A parsed body and the cleaned strings taken from it (freed together). */
typedef struct Body {
	json_t *doc;
	char *strs[48];
	int nstrs;
	const char *bad;       /* first member that had the wrong type */
} Body;

static void body_release(Body *b)
{
	for (int i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	json_decref(b->doc);
	memset(b, 0, sizeof *b);
}

/* Parse the request body as a JSON object whose members are all in
 * `allowed` (NULL-terminated); 400 with a message otherwise. */
static Rc body_parse(Req *r, Body *b, const char *const *allowed)
{
	memset(b, 0, sizeof *b);
	b->doc = json_parse_capped(r->body.data, r->body.len, CASES_BODY_MAX);
	if (!b->doc || !json_is_object(b->doc)) {
		body_release(b);
		return req_fail(r, RC_INVALID, _("Send a JSON object."));
	}
	const char *key;
	json_t *val;
	json_object_foreach(b->doc, key, val) {
		const char *const *a;
		for (a = allowed; *a && !str_eq(*a, key); a++)
			;
		if (!*a) {
			Buf m = BUF_INIT;
			buf_printf(&m, "%s %s", _("Unknown member in the JSON body:"), key);
			Rc rc = req_fail(r, RC_INVALID, buf_cstr(&m));
			buf_release(&m);
			body_release(b);
			return rc;
		}
	}
	return RC_OK;
}

static void body_bad(Body *b, const char *key)
{
	if (!b->bad)
		b->bad = key;
}

/* A string member of `obj`, cleaned, or NULL when absent or null. */
static const char *body_str(Body *b, json_t *obj, const char *key, bool multiline)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || b->nstrs == (int)ARRAY_LEN(b->strs)) {
		body_bad(b, key);
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	char *clean = strlen(s) == n ? text_clean(s, n, multiline) : NULL; /* no escaped NUL */
	if (!clean) {
		body_bad(b, key);
		return NULL;
	}
	b->strs[b->nstrs++] = clean;
	return text_trim(clean);
}

static int64_t body_int(Body *b, json_t *obj, const char *key, int64_t dflt, int64_t min,
			int64_t max)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return dflt;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		body_bad(b, key);
		return dflt;
	}
	return json_integer_value(v);
}

/* -1 when absent. */
static int body_bool(Body *b, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return -1;
	if (!json_is_boolean(v)) {
		body_bad(b, key);
		return -1;
	}
	return json_is_true(v) ? 1 : 0;
}

/* "unit": a GSO code (string) or a unit id (integer); 0 when absent. */
static Rc body_unit(Req *r, Body *b, const char *key, int64_t *id)
{
	json_t *v = json_object_get(b->doc, key);
	*id = 0;
	if (!v || json_is_null(v))
		return RC_OK;
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*id = json_integer_value(v);
		return RC_OK;
	}
	const char *code = body_str(b, b->doc, key, false);
	if (!code)
		return RC_OK; /* b->bad is set */
	Rc rc = unit_by_code(r->db, code, id);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_INVALID, _("No unit has this code."));
	return rc;
}

/* Criteria as names (["multi_place", …]) or as the bit mask. */
static unsigned body_criteria(Body *b, const char *key)
{
	json_t *v = json_object_get(b->doc, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		json_int_t m = json_integer_value(v);
		if (m < 0 || m >= (1 << 7))
			body_bad(b, key);
		return m >= 0 && m < (1 << 7) ? (unsigned)m : 0;
	}
	if (!json_is_array(v)) {
		body_bad(b, key);
		return 0;
	}
	unsigned bits = 0;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		int k;
		for (k = 0; api_case_criteria[k]; k++)
			if (json_is_string(e) && str_eq(json_string_value(e), api_case_criteria[k]))
				break;
		if (!api_case_criteria[k]) {
			body_bad(b, key);
			return 0;
		}
		bits |= 1u << k;
	}
	return bits;
}

/* The 400 for b->bad, or RC_OK. */
static Rc body_check(Req *r, Body *b)
{
	if (!b->bad)
		return RC_OK;
	Buf m = BUF_INIT;
	buf_printf(&m, "%s %s", _("This member of the JSON body has a wrong type or value:"), b->bad);
	Rc rc = req_fail(r, RC_INVALID, buf_cstr(&m));
	buf_release(&m);
	return rc;
}

/* ---- POST /api/v1/cases -------------------------------------------------- */

static const char *const create_members[] = {
	"kind", "title", "content", "channel", "received_on", "field", "unit", "anonymous",
	"people_count", "signed", "citizen", "forwarded_from", "representatives",
	"criteria", "remote_area", NULL};
static const char *const citizen_members[] = {"name", "address", "phone", "email", "id_number", NULL};

Rc api_case_create(Req *r)
{
	Body b;
	Rc rc = body_parse(r, &b, create_members);
	if (rc)
		return rc;
	CaseIntake in;
	memset(&in, 0, sizeof in);
	const char *kind = body_str(&b, b.doc, "kind", false);
	in.title = body_str(&b, b.doc, "title", false);
	in.content = body_str(&b, b.doc, "content", true);
	in.channel = body_str(&b, b.doc, "channel", false);
	in.received_on = body_str(&b, b.doc, "received_on", false);
	in.field_code = body_str(&b, b.doc, "field", false);
	in.anonymous = body_bool(&b, b.doc, "anonymous") == 1;
	in.people_count = (int)body_int(&b, b.doc, "people_count", 1, 1, 100000);
	in.signed_ = body_bool(&b, b.doc, "signed") == 1;
	in.forwarded_from = body_str(&b, b.doc, "forwarded_from", false);
	in.criteria = body_criteria(&b, "criteria");
	in.remote_area = body_bool(&b, b.doc, "remote_area") == 1;

	json_t *cit = json_object_get(b.doc, "citizen");
	if (cit && !json_is_null(cit)) {
		const char *key;
		json_t *val;
		bool ok = json_is_object(cit);
		if (ok) {
			json_object_foreach(cit, key, val) {
				const char *const *a;
				for (a = citizen_members; *a && !str_eq(*a, key); a++)
					;
				ok = ok && *a;
			}
		}
		if (!ok) {
			body_bad(&b, "citizen");
		} else {
			in.name = body_str(&b, cit, "name", false);
			in.address = body_str(&b, cit, "address", false);
			in.phone = body_str(&b, cit, "phone", false);
			in.email = body_str(&b, cit, "email", false);
			in.id_number = body_str(&b, cit, "id_number", false);
		}
	}
	json_t *reps = json_object_get(b.doc, "representatives");
	if (reps && !json_is_null(reps)) {
		if (!json_is_array(reps) || json_array_size(reps) > ARRAY_LEN(in.representatives)) {
			body_bad(&b, "representatives");
		} else {
			for (size_t i = 0; i < json_array_size(reps); i++) {
				json_t *e = json_array_get(reps, i);
				const char *s = json_is_string(e) ? json_string_value(e) : NULL;
				char *clean = s && strlen(s) == json_string_length(e) &&
					      b.nstrs < (int)ARRAY_LEN(b.strs) ?
					      text_clean(s, strlen(s), false) : NULL;
				if (!clean) {
					body_bad(&b, "representatives");
					break;
				}
				b.strs[b.nstrs++] = clean;
				in.representatives[i] = text_trim(clean);
			}
		}
	}
	if ((rc = body_check(r, &b)) || (rc = body_unit(r, &b, "unit", &in.unit_id)) ||
	    (rc = body_check(r, &b)))
		goto done;
	if (!kind || !case_kind_parse(kind, &in.kind)) {
		rc = req_fail(r, RC_INVALID, _("Unknown case type."));
		goto done;
	}
	if (!in.channel)
		in.channel = "desk"; /* staff register what a citizen brought or sent */
	/* Staff register cases of their own area; one elsewhere is forwarded,
	 * not registered there from here. */
	if (!in.unit_id)
		in.unit_id = r->user->scope_unit_id;
	if (in.unit_id && !req_can_unit(r, CAP_CASE_RECEIVE, in.unit_id)) {
		rc = req_fail(r, RC_INVALID, _("The place concerned lies outside your area."));
		goto done;
	}
	in.receiving_org_id = r->user->org_id;
	CaseCreated made;
	const char *problem = NULL;
	rc = case_intake(r->db, r->user, &in, &made, &problem);
	if (rc == RC_INVALID || (rc == RC_CONFLICT && problem)) {
		rc = req_fail(r, rc, tr(r->lang, problem ? problem : "Check the fields and try again."));
		goto done;
	}
	if (rc)
		goto done;
	rc = answer_case(r, made.id, made.code);
	if (rc == RC_OK) {
		Buf loc = BUF_INIT;
		buf_printf(&loc, "/api/v1/cases/%lld", (long long)made.id);
		req_header(r, "Location", buf_cstr(&loc));
		buf_release(&loc);
		r->status = 201;
	}
done:
	body_release(&b);
	return rc;
}

/* ---- POST /api/v1/cases/{id}/transitions --------------------------------- */

static const char *const transition_members[] = {
	"action", "note", "doc_number", "doc_date", "reason_code", "field", "kind", "unit",
	"responsible_org_id", "forward_to", "criteria", "remote_area", "outcome", "user_id", NULL};

/* The message for a refused transition. */
static Rc transition_fail(Req *r, Rc rc, const char *problem, bool assign)
{
	if (problem && (rc == RC_INVALID || rc == RC_CONFLICT || rc == RC_FORBIDDEN))
		return req_fail(r, rc, tr(r->lang, problem));
	switch (rc) {
	case RC_INVALID:
		return req_fail(r, rc, assign ? _("This user cannot be given the case.") :
						_("Check the fields and try again."));
	case RC_CONFLICT:
		return req_fail(r, rc, _("This action is not possible in the case's current status."));
	case RC_FORBIDDEN:
		return req_fail(r, rc, _("You may not take this action on this case."));
	case RC_NOT_FOUND:
		return req_fail(r, rc, assign ? _("User not found") : _("Case not found"));
	default:
		return rc;
	}
}

Rc api_case_transition(Req *r)
{
	Case c;
	Rc rc = load_case(r, &c);
	int64_t id = c.id;
	unsigned criteria = c.criteria;
	char code[CASE_CODE_LEN + 1];
	xsnprintf(code, sizeof code, "%s", c.code);
	case_release(&c);
	if (rc)
		return rc;
	Body b;
	if ((rc = body_parse(r, &b, transition_members)))
		return rc;
	CaseAction a;
	memset(&a, 0, sizeof a);
	a.action = body_str(&b, b.doc, "action", false);
	a.note = body_str(&b, b.doc, "note", true);
	a.doc_number = body_str(&b, b.doc, "doc_number", false);
	a.doc_date = body_str(&b, b.doc, "doc_date", false);
	a.reason_code = body_str(&b, b.doc, "reason_code", false);
	a.field_code = body_str(&b, b.doc, "field", false);
	a.responsible_org_id = body_int(&b, b.doc, "responsible_org_id", 0, 0, INT64_MAX);
	a.forward_to = body_str(&b, b.doc, "forward_to", false);
	/* classify sets the criteria as a whole: absent keeps the case's own */
	a.criteria = json_object_get(b.doc, "criteria") ? body_criteria(&b, "criteria") : criteria;
	a.remote_area = body_bool(&b, b.doc, "remote_area");
	a.outcome = body_str(&b, b.doc, "outcome", true);
	int64_t user_id = body_int(&b, b.doc, "user_id", 0, 0, INT64_MAX);
	const char *kind = body_str(&b, b.doc, "kind", false);
	if ((rc = body_check(r, &b)) || (rc = body_unit(r, &b, "unit", &a.unit_id)) ||
	    (rc = body_check(r, &b)))
		goto done;
	if (kind) {
		if (!case_kind_parse(kind, &a.kind)) {
			rc = req_fail(r, RC_INVALID, _("Unknown case type."));
			goto done;
		}
		a.kind_set = true;
	}
	int i;
	for (i = 0; api_case_actions[i] && !str_eq(api_case_actions[i], a.action); i++)
		;
	if (!a.action || !api_case_actions[i]) {
		rc = req_fail(r, RC_INVALID, _("Unknown action."));
		goto done;
	}
	const char *problem = NULL;
	if (str_eq(a.action, "reply") || str_eq(a.action, "note")) {
		if (!a.note || !*a.note) {
			rc = req_fail(r, RC_INVALID, _("Write the text in \"note\"."));
			goto done;
		}
		rc = str_eq(a.action, "reply") ? case_reply(r->db, r->user, id, a.note) :
						 case_note(r->db, r->user, id, a.note);
	} else if (str_eq(a.action, "assign")) {
		rc = case_assign(r->db, r->user, id, user_id);
	} else {
		rc = case_act(r->db, r->user, id, &a, &problem);
	}
	if (rc) {
		rc = transition_fail(r, rc, problem, str_eq(a.action, "assign"));
		goto done;
	}
	rc = answer_case(r, id, code);
done:
	body_release(&b);
	return rc;
}

/* ---- attachments ---------------------------------------------------------- */

static Rc write_attachment_list(Req *r, int64_t case_id)
{
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "items");
	Rc rc = jw_attachments(&w, r->db, case_id);
	if (rc)
		return rc;
	jw_end(&w);
	return json_done(r, &w);
}

Rc api_case_attachments(Req *r)
{
	Case c;
	Rc rc = load_case(r, &c);
	int64_t id = c.id;
	case_release(&c);
	return rc ? rc : write_attachment_list(r, id);
}

Rc api_case_attach(Req *r)
{
	Case c;
	Rc rc = load_case(r, &c);
	int64_t id = c.id, unit = c.unit_id;
	char code[CASE_CODE_LEN + 1];
	xsnprintf(code, sizeof code, "%s", c.code);
	case_release(&c);
	if (rc)
		return rc;
	/* Reading a case is not enough to add to its file. */
	if (!req_can(r, CAP_CASE_RECEIVE) && !req_can(r, CAP_CASE_HANDLE))
		return req_fail(r, RC_FORBIDDEN, _("You may not add files to this case."));
	/* multipart/form-data: the part named "file"; otherwise the body is
	 * the file and ?name= names it. */
	const Param *part = params_find(&r->form, "file");
	const unsigned char *data;
	size_t len;
	const char *name;
	if (part && part->filename) {
		data = (const unsigned char *)part->value;
		len = part->value_len;
		name = part->filename;
	} else if (r->form.count) {
		return req_fail(r, RC_INVALID, _("Send the file as the request body, or as the form part \"file\"."));
	} else {
		data = (const unsigned char *)r->body.data;
		len = r->body.len;
		name = req_str(r, "name");
	}
	if (!*name)
		name = ATTACH_NAME_DEFAULT;
	if (!len)
		return req_fail(r, RC_INVALID, _("Send the file as the request body, or as the form part \"file\"."));
	const char *pub = req_str(r, "public");
	/* showing a file to the citizen is the handling officer's call, as on
	 * the case page (a denunciation's files may show the denouncer) */
	bool public_ = req_can(r, CAP_CASE_HANDLE) && (str_eq(pub, "1") || str_eq(pub, "true"));
	int64_t att = 0;
	const char *problem = NULL;
	rc = attachment_add(r->db, id, 0, name, data, len, public_, &att, &problem);
	if (rc == RC_INVALID || rc == RC_TOO_LARGE)
		return req_fail(r, rc, tr(r->lang, problem ? problem : "Check the fields and try again."));
	if (rc)
		return rc;
	/* The audit detail names the case by its code, never the file's
	 * contents or anything personal. */
	if ((rc = audit_append(r->db, r->user->id, r->user->login, "case.attach", "case", id, unit,
			       code)))
		return rc;
	Attachment *list;
	size_t n;
	if ((rc = attachment_list(r->db, id, &list, &n)))
		return rc;
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	for (size_t i = 0; i < n; i++)
		if (list[i].id == att)
			jw_attachment(&w, &list[i]);
	attachment_list_release(list, n);
	if (!jw_finished(&w))
		return RC_INTERNAL;
	r->status = 201;
	return json_done(r, &w);
}

/* ---- GET /api/v1/track/{code} --------------------------------------------- */

Rc api_case_track(Req *r)
{
	/* The code is a bearer secret: keep it out of every cache. */
	r->cache_control = "no-store";
	char code[CASE_CODE_LEN + 1];
	Case c;
	memset(&c, 0, sizeof c);
	if (r->nargs < 1 || !case_code_parse(r->args[0], code))
		return req_fail(r, RC_NOT_FOUND, _("No case has this tracking code."));
	/* Just sent: the case may still be being built from the intake log. */
	IntakeSettled settled;
	Rc rc = intake_builder_load_public(r->db, code, r->method == M_GET || r->method == M_HEAD, &c,
					   &settled);
	if (!rc && settled == INTAKE_PENDING)
		rc = req_fail(r, RC_BUSY, _("Your submission has been received and is being registered. Try again in a minute."));
	if (rc == RC_NOT_FOUND)
		rc = req_fail(r, RC_NOT_FOUND, _("No case has this tracking code."));
	if (rc) {
		case_release(&c);
		return rc;
	}
	CaseEvent *e = NULL;
	size_t ne = 0;
	bool truncated;
	rc = case_events(r->db, c.id, true, &e, &ne, &truncated);
	if (rc) {
		case_release(&c);
		return rc;
	}
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "code");
	jw_str(&w, c.code);
	jw_key(&w, "kind");
	jw_str(&w, case_kind_id(c.kind));
	jw_key(&w, "status");
	jw_str(&w, c.status);
	jw_key(&w, "received_on");
	jw_str(&w, c.received_on);
	jw_key(&w, "updated_at");
	api_jw_time(&w, c.updated_at);
	jw_key(&w, "deadlines");
	rc = jw_deadlines(&w, r->db, c.id);
	/* Only what the citizen is meant to read: no actor, no internal
	 * notes (case_events filtered them), no case id, no title. */
	jw_key(&w, "replies");
	jw_arr(&w);
	for (size_t i = 0; i < ne; i++) {
		jw_obj(&w);
		jw_key(&w, "at");
		api_jw_time(&w, e[i].at);
		jw_key(&w, "action");
		jw_str(&w, e[i].action);
		jw_key(&w, "status");
		jw_str(&w, e[i].to_status);
		jw_key(&w, "from_citizen");
		jw_bool(&w, e[i].by_citizen);
		/* The citizen's own words stay out: they may name people, and
		 * the code that unlocks this answer can leak. */
		jw_key(&w, "text");
		jw_str(&w, e[i].by_citizen ? "" : e[i].note);
		jw_key(&w, "doc_number");
		jw_str(&w, e[i].doc_number);
		jw_key(&w, "doc_date");
		api_jw_opt(&w, e[i].doc_date);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	case_events_free(e, ne);
	case_release(&c);
	return rc ? rc : json_done(r, &w);
}

/* ---- exports ---------------------------------------------------------------- */

static Rc export_run(Req *r, bool xlsx)
{
	FilterArgs a;
	Rc rc = filter_parse(r, &a);
	if (rc)
		return rc;
	ExportTable t;
	rc = export_collect(r->db, r->user, &a.f, EXPORT_MAX_ROWS, &t);
	filter_release(&a);
	if (rc == RC_TOO_LARGE)
		return req_fail(r, rc, _("More than 50,000 cases match. Narrow the filter and export again."));
	if (rc)
		return rc;
	ExportLang lang = {r->lang, tr};
	if (xlsx) {
		r->out_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		rc = export_xlsx(&t, &lang, &r->out);
	} else {
		r->out_type = "text/csv; charset=utf-8";
		export_csv(&t, &lang, &r->out);
	}
	export_table_release(&t);
	if (rc)
		return rc;
	if (!buf_ok(&r->out))
		return req_fail(r, RC_TOO_LARGE, _("More than 50,000 cases match. Narrow the filter and export again."));
	char today[11];
	unit_today(today);
	Buf disp = BUF_INIT;
	buf_printf(&disp, "attachment; filename=\"cases-%s.%s\"", today, xlsx ? "xlsx" : "csv");
	req_header(r, "Content-Disposition", buf_cstr(&disp));
	buf_release(&disp);
	return RC_OK;
}

Rc api_cases_export_csv(Req *r)
{
	return export_run(r, false);
}

Rc api_cases_export_xlsx(Req *r)
{
	return export_run(r, true);
}
