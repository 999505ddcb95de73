/*
 * cases_actions.c — the staff's POST handlers on one case: transitions
 * (case_act), reply and internal note, assignment, split, confirming or
 * dismissing a suggested link, uploads, and revealing a denouncer's
 * identity with the vault key.
 *
 * Every handler reads the case id from the path and leaves scope,
 * capability and state to the domain, which answers RC_NOT_FOUND outside
 * the reader's area (shown as 404, like a case that does not exist),
 * RC_FORBIDDEN without the capability and RC_CONFLICT in the wrong
 * state, each with a message id.  A refusal returns that Rc, so the
 * dispatcher rolls back whatever the domain may have begun; success
 * redirects (303) to the case page with ?saved=….
 *
 * The reveal is the exception: vault_reveal records every attempt in the
 * audit log inside this request's transaction, so a refused attempt must
 * still commit.  It therefore answers its own page (with an error status)
 * and returns RC_OK.  The key and the identity are never stored or
 * logged: the key is wiped from the request as soon as it has been used
 * and the identity is written into the response only.
 */
#include "cases.h"
#include "page.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../domain/admin.h"
#include "../domain/vault.h"

#include <jansson.h>
#include <sodium.h>

static bool may_work(Req *r)
{
	return req_can(r, CAP_CASE_RECEIVE) || req_can(r, CAP_CASE_HANDLE);
}

static Rc back_to(Req *r, int64_t id, const char *saved)
{
	Buf to = BUF_INIT;
	buf_printf(&to, "/cases/%lld?saved=%s", (long long)id, saved);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* The domain's refusal as the answer: its message when it gave one. */
static Rc refused(Req *r, Rc rc, const char *problem)
{
	if (rc == RC_NOT_FOUND)
		return req_fail(r, rc, _("Case not found"));
	if (problem)
		return req_fail(r, rc, _(problem));
	if (rc == RC_FORBIDDEN)
		return req_fail(r, rc, _("You may not take this action on cases"));
	if (rc == RC_CONFLICT)
		return req_fail(r, rc, _("This action is not possible in the case's current status"));
	if (rc == RC_INVALID)
		return req_fail(r, rc, _("Check the fields and try again."));
	return rc;
}

/* The case id of the path, and the first gate every handler shares. */
static Rc case_id(Req *r, int64_t *id)
{
	if (!cases_arg_id(r, 0, id))
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	if (!may_work(r))
		return req_fail(r, RC_FORBIDDEN, _("You may not take this action on cases"));
	return RC_OK;
}

/* A trimmed, non-empty text of at most CASE_TEXT_MAX characters, or a
 * refusal.  *out is malloc'd on success. */
static Rc text_param(Req *r, const char *name, char **out)
{
	*out = text_trim(xstrdup(req_str(r, name)));
	if (!**out || text_length(*out) > CASE_TEXT_MAX) {
		bool empty = !**out;
		free(*out);
		*out = NULL;
		return req_fail(r, RC_INVALID, empty ? _("Write the text first.")
						     : _("The text is too long (at most 5,000 characters)."));
	}
	return RC_OK;
}

/* ---- transitions ------------------------------------------------------------ */

static const char *nonempty(Req *r, const char *name)
{
	const char *v = req_param(r, name);
	return v && *v ? v : NULL;
}

Rc ui_case_act(Req *r)
{
	int64_t id;
	Rc rc = case_id(r, &id);
	if (rc)
		return rc;
	CaseAction a = {0};
	a.action = req_str(r, "action");
	a.note = nonempty(r, "note");
	a.doc_number = nonempty(r, "doc_number");
	a.doc_date = nonempty(r, "doc_date");
	a.reason_code = nonempty(r, "reason_code");
	a.forward_to = nonempty(r, "forward_to");
	a.outcome = nonempty(r, "outcome");
	a.remote_area = -1;
	const char *org = req_str(r, "responsible_org_id");
	if (*org && !util_parse_i64(org, 1, INT64_MAX, &a.responsible_org_id))
		return req_fail(r, RC_INVALID, _("The organisation is not known"));
	if (str_eq(a.action, "classify")) {
		/* The classification form shows every criterion, so what is
		 * ticked is the whole new set. */
		a.field_code = req_str(r, "field_code");
		a.criteria = cases_criteria_param(r);
		a.remote_area = str_eq(req_param(r, "remote"), "1");
		CaseKind k;
		if (case_kind_parse(req_str(r, "kind"), &k)) {
			a.kind = k;
			a.kind_set = true;
		}
		const char *area = req_str(r, "area");
		if (*area && admin_unit_by_code(r->db, area, &a.unit_id) != RC_OK)
			return req_fail(r, RC_INVALID, _("No administrative unit has this code."));
	}
	const char *problem = NULL;
	rc = case_act(r->db, r->user, id, &a, &problem);
	return rc ? refused(r, rc, problem) : back_to(r, id, "1");
}

/* ---- reply, note ---------------------------------------------------------------- */

static Rc write_text(Req *r, Rc (*fn)(Db *, const Principal *, int64_t, const char *))
{
	int64_t id;
	char *text = NULL;
	Rc rc = case_id(r, &id);
	if (!rc)
		rc = text_param(r, "text", &text);
	if (!rc) {
		rc = fn(r->db, r->user, id, text);
		rc = rc ? refused(r, rc, NULL) : back_to(r, id, "1");
	}
	free(text);
	return rc;
}

Rc ui_case_reply(Req *r)
{
	return write_text(r, case_reply);
}

Rc ui_case_note(Req *r)
{
	return write_text(r, case_note);
}

/* ---- assignment, split, links ------------------------------------------------------ */

Rc ui_case_assign(Req *r)
{
	int64_t id, user_id = 0;
	Rc rc = case_id(r, &id);
	if (rc)
		return rc;
	if (!util_parse_i64(req_str(r, "user_id"), 0, INT64_MAX, &user_id))
		return req_fail(r, RC_INVALID, _("Choose a person from the list."));
	rc = case_assign(r->db, r->user, id, user_id);
	if (rc == RC_INVALID)
		return req_fail(r, rc, _("Only an active reception or handling officer of the responsible organisation can be assigned."));
	return rc ? refused(r, rc, NULL) : back_to(r, id, "1");
}

Rc ui_case_split(Req *r)
{
	int64_t id;
	Rc rc = case_id(r, &id);
	if (rc)
		return rc;
	CaseKind kind;
	if (!case_kind_parse(req_str(r, "kind"), &kind))
		return req_fail(r, RC_INVALID, _("Choose the kind of the new case."));
	CaseCreated out;
	rc = case_split(r->db, r->user, id, kind, req_str(r, "title"), req_str(r, "content"), &out);
	if (rc == RC_INVALID)
		return req_fail(r, rc, _("Write the subject (at most 300 characters) and the content of the new case."));
	if (rc == RC_CONFLICT)
		return req_fail(r, rc, _("Only a case that has just been received or classified can be split. For a denunciation the vault must be set up."));
	return rc ? refused(r, rc, NULL) : back_to(r, id, "split");
}

Rc ui_case_link(Req *r)
{
	int64_t id, other;
	Rc rc = case_id(r, &id);
	if (rc)
		return rc;
	const char *kind = req_str(r, "kind");
	const char *confirm = req_str(r, "confirm");
	if (!util_parse_i64(req_str(r, "other"), 1, INT64_MAX, &other) ||
	    !(str_eq(confirm, "1") || str_eq(confirm, "0")))
		return req_fail(r, RC_INVALID, _("The request could not be understood"));
	Case c;
	rc = case_load(r->db, r->user, id, &c);
	case_release(&c);
	if (rc)
		return refused(r, rc, NULL);
	rc = case_link_confirm(r->db, r->user, id, other, kind, str_eq(confirm, "1"));
	if (rc == RC_NOT_FOUND)
		return req_fail(r, rc, _("This suggestion no longer exists."));
	return rc ? refused(r, rc, NULL) : back_to(r, id, "1");
}

/* ---- files ------------------------------------------------------------------------- */

Rc ui_case_attach(Req *r)
{
	int64_t id;
	Rc rc = case_id(r, &id);
	if (rc)
		return rc;
	Case c;
	rc = case_load(r->db, r->user, id, &c);
	if (rc) {
		case_release(&c);
		return refused(r, rc, NULL);
	}
	case_release(&c);
	size_t n = 0;
	const char *problem = NULL;
	if ((rc = cases_files_check(r, ATTACHMENT_MAX_PER_CASE, &n, &problem)))
		return req_fail(r, rc, problem);
	if (!n)
		return req_fail(r, RC_INVALID, _("Choose at least one file."));
	/* Only a handling officer publishes (decision documents). */
	bool public_ = req_can(r, CAP_CASE_HANDLE) && str_eq(req_param(r, "public"), "1");
	rc = cases_files_store(r, r->db, id, 0, public_);
	return rc ? rc : back_to(r, id, "1");
}

/* ---- the denouncer's identity ------------------------------------------------------ */

/* Wipe the key from the request: the parsed value and the raw body. */
static void forget_secret(Req *r)
{
	for (size_t i = 0; i < r->form.count; i++)
		if (str_eq(r->form.items[i].name, "secret") && r->form.items[i].value)
			sodium_memzero(r->form.items[i].value, r->form.items[i].value_len);
	if (r->body.data)
		sodium_memzero(r->body.data, r->body.len);
}

static const char *reveal_problem(Req *r, Rc rc, int *status)
{
	switch (rc) {
	case RC_UNAUTHORIZED:
		*status = 403;
		return _("This is not the vault's key. The attempt has been recorded.");
	case RC_INVALID:
		*status = 400;
		return _("The key must be 64 hexadecimal characters (0–9, a–f).");
	case RC_CONFLICT:
		*status = 409;
		return _("The confidential vault is not set up");
	case RC_FORBIDDEN:
		*status = 403;
		return _("Only handling officers may reveal a denouncer's identity.");
	case RC_NOT_FOUND:
		*status = 404;
		return _("This case has no sealed identity.");
	default:
		*status = 500;
		return _("The sealed identity could not be opened. The attempt has been recorded.");
	}
}

static void identity_row(Req *r, json_t *doc, const char *key, const char *label)
{
	const char *v = json_string_value(json_object_get(doc, key));
	if (v && *v)
		html(r, "<dt>%s</dt><dd>%s</dd>", label, v);
}

static void identity_list(Req *r, const char *identity)
{
	json_t *doc = json_parse_capped(identity, strlen(identity), 64 * 1024);
	if (!doc || !json_is_object(doc)) {
		html(r, "<pre class=\"identity-raw\">%s</pre>", identity);
		json_release(doc);
		return;
	}
	html(r, "<dl class=\"facts\">");
	identity_row(r, doc, "name", _("Full name"));
	identity_row(r, doc, "address", _("Address"));
	identity_row(r, doc, "phone", _("Telephone number"));
	identity_row(r, doc, "email", _("E-mail"));
	identity_row(r, doc, "id_number", _("Citizen identity card number"));
	json_t *reps = json_object_get(doc, "representatives");
	size_t i;
	json_t *v;
	json_array_foreach(reps, i, v)
		if (json_string_value(v))
			html(r, "<dt>%s</dt><dd>%s</dd>", _("Representative"), json_string_value(v));
	html(r, "</dl>");
	json_release(doc);
}

Rc ui_case_reveal(Req *r)
{
	int64_t id;
	if (!cases_arg_id(r, 0, &id)) {
		forget_secret(r);
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	}
	/* vault_reveal checks capability and area itself and audits every
	 * attempt, out-of-area ones included, so it runs first. */
	char *identity = NULL;
	Rc rc = vault_reveal(r->db, r->user, id, req_str(r, "secret"), &identity);
	forget_secret(r);
	if (rc == RC_DB || rc == RC_BUSY || rc == RC_IO)
		return rc;
	r->cache_control = "no-store";
	Case c;
	Rc lrc = case_load(r->db, r->user, id, &c);
	if (lrc) {
		case_release(&c);
		if (identity) {
			sodium_memzero(identity, strlen(identity));
			free(identity);
		}
		if (lrc != RC_NOT_FOUND)
			return lrc;
		/* Looks like any missing case, but commits the audit entry. */
		r->status = 404;
		page_error(r, 404, _("Case not found"));
		return RC_OK;
	}
	page_begin(r, _("The denouncer's identity"));
	html(r, "<div class=\"cases-staff\"><p><a href=\"/cases/%lld\">%s %s</a></p><h1>%s</h1>",
	     (long long)c.id, _("Back to case"), c.code, _("The denouncer's identity"));
	if (rc) {
		int status = 500;
		const char *msg = reveal_problem(r, rc, &status);
		r->status = status;
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", msg);
	} else {
		html(r, "<div class=\"identity-once\" role=\"region\" aria-labelledby=\"identity-h\">"
			"<h2 id=\"identity-h\">%s %s</h2><p class=\"alert\">%s</p>",
		     _("Pseudonym:"), c.pseudonym,
		     _("Shown this once and not stored. Do not copy it into notes, replies, e-mails or documents handed to verifiers: the law protects the denouncer's identity (Law on Denunciations 2018, Art. 8 and 56). This reveal has been recorded in the audit log."));
		identity_list(r, identity);
		html(r, "</div>");
		sodium_memzero(identity, strlen(identity));
		free(identity);
	}
	html(r, "</div>");
	page_end(r);
	case_release(&c);
	/* Committed either way: the audit entry of the attempt must stay. */
	return RC_OK;
}
