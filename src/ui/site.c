/*
 * site.c — the home page, signing in and out, and the user's own account
 * page (password change, language).
 *
 * Login answers with the form again on failure, status 401 or 429, but
 * returns RC_OK so the dispatcher commits the failure counter: a rolled
 * back counter would make the lockout useless.
 */
#include "site.h"
#include "page.h"
#include "../web/ratelimit.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/auth.h"
#include "../domain/org.h"

void dispatch_session_started(Req *r, const char *sid);
void dispatch_session_ended(Req *r);

static void stat_tile(Req *r, int64_t n, const char *label, const char *href)
{
	Buf num = BUF_INIT;
	if (str_eq(r->lang, "en"))
		text_format_int_en(&num, n);
	else
		text_format_int_vi(&num, n);
	html(r, "<li><a href=\"%s\"><strong>%s</strong> <span>%s</span></a></li>", href,
	     buf_cstr(&num), label);
	buf_release(&num);
}

Rc ui_home(Req *r)
{
	page_begin(r, _("Home"));
	html(r, "<section class=\"hero\"><h1>%s</h1><p>%s</p></section>",
	     _("Mass mobilisation work"),
	     _("News, citizens' petitions and their handling, receptions and dialogues, reports and the \"Skilful mass mobilisation\" movement, in one place."));
	if (r->user) {
		Org org;
		if (org_load(r->db, r->user->org_id, NULL, &org) == RC_OK) {
			html(r, "<section class=\"me\"><h2>%s</h2><p>%s: <strong>%s</strong>",
			     _("Your workspace"), _("Organisation"), org.name);
			if (org.unit_name[0])
				html(r, " · %s", org.unit_name);
			html(r, "</p></section>");
			org_release(&org);
		}
	}
	DbStmt *st;
	Rc rc = db_prep(r->db, &st,
			"SELECT (SELECT count(*) FROM unit WHERE level = 'province' AND valid_to IS NULL),"
			" (SELECT count(*) FROM unit WHERE level = 'commune' AND valid_to IS NULL),"
			" (SELECT count(*) FROM org WHERE dissolved_on IS NULL),"
			" (SELECT count(*) FROM region)", "");
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		html(r, "<section><h2>%s</h2><ul class=\"tiles\">", _("At a glance"));
		stat_tile(r, db_col_int(st, 0), _("provinces and cities"), "/units");
		stat_tile(r, db_col_int(st, 1), _("communes, wards and special zones"), "/units");
		stat_tile(r, db_col_int(st, 2), _("organisations"),
			  req_can(r, CAP_ORG_VIEW) ? "/admin/orgs" : "/");
		stat_tile(r, db_col_int(st, 3), _("regions"), "/regions");
		html(r, "</ul></section>");
	}
	db_done(st);
	if (s != DB_ROW && s != DB_DONE)
		return (Rc)-s;
	html(r, "<section><h2>%s</h2><ul class=\"links\">"
		"<li><a href=\"/units\">%s</a></li><li><a href=\"/regions\">%s</a></li>"
		"<li><a href=\"/units/resolve\">%s</a></li></ul></section>",
	     _("Places"), _("Browse provinces and communes"), _("Regions"),
	     _("Find the new unit of an old code"));
	page_end(r);
	return RC_OK;
}

static void login_form(Req *r, const char *message, const char *login)
{
	const char *next = req_param(r, "next");
	page_begin(r, _("Log in"));
	html(r, "<section class=\"narrow\"><h1>%s</h1>", _("Log in"));
	if (message)
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", message);
	html(r, "<form method=\"post\" action=\"/login\" class=\"form\">");
	page_csrf_field(r);
	if (next && req_is_local_path(next))
		html(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
	html(r, "<p><label for=\"login\">%s</label><input id=\"login\" name=\"login\" "
		"autocomplete=\"username\" required maxlength=\"60\" value=\"%s\"></p>"
		"<p><label for=\"password\">%s</label><input id=\"password\" name=\"password\" "
		"type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></p>"
		"<p><button type=\"submit\">%s</button></p></form></section>",
	     _("Login name"), login ? login : "", _("Password"), _("Log in"));
	page_end(r);
}

Rc ui_login_form(Req *r)
{
	if (r->user)
		return req_redirect(r, "/");
	login_form(r, NULL, NULL);
	return RC_OK;
}

/* Failed sign-ins allowed from one address: a burst, then a few a
 * minute — enough for a busy office behind one NAT to mistype, too few to
 * try a common password against every account (password spraying).  While
 * the budget is spent, every sign-in from the address is refused unread,
 * so a right guess cannot be told from a wrong one. */
#define LOGIN_FAILURES_BURST 20
#define LOGIN_FAILURES_PER_MINUTE 5

Rc ui_login(Req *r)
{
	const char *login = req_str(r, "login");
	const char *password = req_str(r, "password");
	int64_t uid = 0, until = 0;
	/* A failure's token is taken before the hash and given back if the
	 * sign-in succeeds: checked first and spent after, sign-ins sent
	 * together (one per worker) all passed the check while the budget
	 * allowed one more. */
	if (!ratelimit_bucket("login-failures", r->client_ip, util_mono_ms(), LOGIN_FAILURES_BURST,
			      LOGIN_FAILURES_PER_MINUTE, true)) {
		r->status = 429;
		req_header(r, "Retry-After", "60");
		login_form(r, _("Too many failed attempts. This account is locked for a while; try again later."), login);
		return RC_OK;
	}
	Rc rc = auth_password(r->db, login, password, &uid, &until);
	if (!(rc == RC_LOCKED || rc == RC_UNAUTHORIZED || rc == RC_FORBIDDEN))
		ratelimit_refund("login-failures", r->client_ip, LOGIN_FAILURES_BURST);
	if (rc == RC_OK) {
		char sid[65];
		/* A fresh id on every login: a session id planted before login
		 * (fixation) is never promoted. */
		if (r->session_id[0])
			auth_session_delete(r->db, r->session_id);
		if ((rc = auth_session_create(r->db, uid, sid)))
			return rc;
		dispatch_session_started(r, sid);
		const char *next = req_param(r, "next");
		return req_redirect(r, next && req_is_local_path(next) ? next : "/");
	}
	if (rc == RC_LOCKED) {
		r->status = 429;
		login_form(r, _("Too many failed attempts. This account is locked for a while; try again later."), login);
		return RC_OK;
	}
	if (rc == RC_UNAUTHORIZED || rc == RC_FORBIDDEN) {
		r->status = 401;
		login_form(r, _("Wrong login name or password."), login);
		return RC_OK;
	}
	return rc;
}

Rc ui_logout(Req *r)
{
	Rc rc = auth_session_delete(r->db, r->session_id);
	if (rc)
		return rc;
	dispatch_session_ended(r);
	return req_redirect(r, "/");
}

static Rc account_page(Req *r, const char *message, bool ok)
{
	page_begin(r, _("Your account"));
	html(r, "<h1>%s</h1>", _("Your account"));
	if (message)
		html(r, "<p class=\"%s\" role=\"status\">%s</p>", ok ? "notice" : "alert", message);
	Org org;
	html(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	     _("Name"), r->user->name, _("Login name"), r->user->login);
	Rc rc = org_load(r->db, r->user->org_id, NULL, &org);
	if (rc == RC_OK) {
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Organisation"), org.name);
		org_release(&org);
	} else if (rc != RC_NOT_FOUND) {
		return rc;
	}
	html(r, "<dt>%s</dt><dd>", _("Roles"));
	bool any = false;
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (r->user->roles & (1u << i)) {
			html(r, "%s%s", any ? ", " : "", _(role_label((Role)i)));
			any = true;
		}
	}
	html(r, "</dd></dl>");
	html(r, "<h2>%s</h2><form method=\"post\" action=\"/account/password\" class=\"form\">",
	     _("Change password"));
	page_csrf_field(r);
	html(r, "<p><label for=\"old\">%s</label><input id=\"old\" name=\"old\" type=\"password\" "
		"autocomplete=\"current-password\" required maxlength=\"256\"></p>"
		"<p><label for=\"new\">%s</label><input id=\"new\" name=\"new\" type=\"password\" "
		"autocomplete=\"new-password\" required minlength=\"10\" maxlength=\"256\"></p>"
		"<p><button type=\"submit\">%s</button></p></form>",
	     _("Current password"), _("New password (at least 10 characters)"), _("Change password"));
	html(r, "<h2>%s</h2><form method=\"post\" action=\"/account/lang\" class=\"form\">", _("Language"));
	page_csrf_field(r);
	html(r, "<p><label for=\"lang\">%s</label><select id=\"lang\" name=\"lang\">"
		"<option value=\"vi\"%r>Tiếng Việt</option><option value=\"en\"%r>English</option>"
		"</select> <button type=\"submit\">%s</button></p></form>",
	     _("Language"), str_eq(r->user->lang, "vi") ? " selected" : "",
	     str_eq(r->user->lang, "en") ? " selected" : "", _("Save"));
	page_end(r);
	return RC_OK;
}

Rc ui_account(Req *r)
{
	return account_page(r, str_eq(req_param(r, "saved"), "1") ? _("Saved.") : NULL, true);
}

Rc ui_account_password(Req *r)
{
	int64_t uid = 0, until = 0;
	Rc rc = auth_password(r->db, r->user->login, req_str(r, "old"), &uid, &until);
	if (rc == RC_UNAUTHORIZED || rc == RC_LOCKED) {
		/* Commit the failure count, answer with the form. */
		r->status = rc == RC_LOCKED ? 429 : 400;
		return account_page(r, _("The current password is wrong."), false);
	}
	if (rc)
		return rc;
	const char *problem = user_password_problem(req_str(r, "new"));
	if (problem)
		return req_fail(r, RC_INVALID, _(problem));
	Actor actor = {r->user->id, r->user->login};
	if ((rc = user_set_password(r->db, &actor, r->user->id, req_str(r, "new"))))
		return rc;
	/* user_set_password ended every session, this one included: start a
	 * fresh one so the user stays signed in here only. */
	char sid[65];
	if ((rc = auth_session_create(r->db, r->user->id, sid)))
		return rc;
	dispatch_session_started(r, sid);
	return req_redirect(r, "/account?saved=1");
}

Rc ui_account_lang(Req *r)
{
	const char *lang = req_str(r, "lang");
	Rc rc = user_set_lang(r->db, r->user->id, lang);
	if (rc)
		return req_fail(r, rc, _("Unknown language"));
	req_set_cookie(r, "dv_lang", lang, 365 * 86400);
	return req_redirect(r, "/account?saved=1");
}
