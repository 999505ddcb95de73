/*
 * admin_users.c — user administration pages (see admin.h for the routes).
 *
 * Scope: a user is in scope when their organisation's unit is; every
 * handler that names a user by id checks that with req_can_unit() before
 * reading or changing anything, and answers 404 otherwise, the same as
 * for an id that does not exist.
 *
 * Self-protection: administrators cannot disable themselves, drop their
 * own administrator role or reset their own password here (that ends
 * every session, theirs included; /account is the place for it), so an
 * area can never be left without a working administrator by one click.
 *
 * The create form re-renders with a message and status 400 when input is
 * wrong (the checks run before anything is written, so committing the
 * empty transaction is harmless); errors from the domain after a write
 * started go through req_fail so the dispatcher rolls back.
 */
#include "admin.h"
#include "page.h"
#include "../base/text.h"
#include "../domain/admin.h"
#include "../domain/cap.h"

/* Above this many organisations in scope the create form asks for an
 * organisation number instead of offering a <select>. */
#define ORG_SELECT_MAX 1000

/* ---- helpers ------------------------------------------------------- */

/* The role=<id> values of the form as bits.  False on an unknown role id
 * (only a tampered form sends one). */
static bool form_roles(Req *r, uint32_t *roles)
{
	*roles = 0;
	bool ok = true;
	for (size_t i = 0; i < r->form.count; i++) {
		const Param *p = &r->form.items[i];
		if (!str_eq(p->name, "role"))
			continue;
		Role role;
		if (role_parse(p->value, &role))
			*roles |= 1u << role;
		else
			ok = false;
	}
	return ok;
}

static void html_roles(Req *r, uint32_t roles)
{
	bool any = false;
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (roles & (1u << i)) {
			html(r, "%s%s", any ? ", " : "", _(role_label((Role)i)));
			any = true;
		}
	}
	if (!any)
		html(r, "<span class=\"muted\">%s</span>", _("no roles"));
}

/* Role checkboxes in a fieldset, `checked` bits ticked. */
static void html_role_boxes(Req *r, uint32_t checked)
{
	html(r, "<fieldset><legend>%s</legend>", _("Roles"));
	for (int i = 0; i < ROLE_COUNT; i++) {
		const char *id = role_id((Role)i);
		html(r, "<p><input type=\"checkbox\" id=\"role-%s\" name=\"role\" value=\"%s\"%r> "
			"<label for=\"role-%s\">%s</label></p>",
		     id, id, (checked & (1u << i)) ? " checked" : "", id, _(role_label((Role)i)));
	}
	html(r, "</fieldset>");
}

static void html_status(Req *r, bool disabled, int64_t locked_until)
{
	if (disabled)
		html(r, "<span class=\"badge\">%s</span>", _("Disabled"));
	else if (locked_until > util_now())
		html(r, "<span class=\"badge\">%s</span>", _("Locked"));
	else
		html(r, "%s", _("Active"));
}

/* The user named by the route, if in the signed-in user's scope.
 * RC_NOT_FOUND (with the message set) otherwise. */
static Rc target_user(Req *r, int64_t *id)
{
	int64_t org_id = 0, unit_id = 0;
	if (!admin_arg_id(r, id) || user_org_unit(r->db, *id, &org_id, &unit_id) != RC_OK ||
	    !req_can_unit(r, CAP_USER_MANAGE, unit_id))
		return req_fail(r, RC_NOT_FOUND, _("User not found"));
	return RC_OK;
}

static Rc redirect_user(Req *r, int64_t id)
{
	Buf to = BUF_INIT;
	buf_printf(&to, "/admin/users/%lld?saved=1", (long long)id);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* An optional non-negative integer parameter: absent or empty → 0. */
static bool param_id(Req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);
	*out = 0;
	if (!v || !*v)
		return true;
	return util_parse_i64(v, 0, INT64_MAX, out);
}

/* ---- list ---------------------------------------------------------- */

Rc ui_admin_users(Req *r)
{
	const char *q = req_str(r, "q");
	int64_t after, org_id;
	if (strlen(q) > ADMIN_QUERY_MAX)
		return req_fail(r, RC_INVALID, _("The search text is too long"));
	if (!param_id(r, "after", &after) || !param_id(r, "org_id", &org_id))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	int64_t org_unit = 0;
	if (org_id && (admin_org_unit(r->db, org_id, &org_unit) != RC_OK ||
		       !req_can_unit(r, CAP_USER_MANAGE, org_unit)))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	AdminUserPage page;
	Rc rc = admin_users_list(r->db, r->user->scope_unit_id, q, org_id, after, &page);
	if (rc)
		return rc;

	page_begin(r, _("Users"));
	html(r, "<h1>%s</h1><p><a class=\"button\" href=\"/admin/users/new%r", _("Users"),
	     org_id ? "?org_id=" : "");
	if (org_id)
		html(r, "%lld", (long long)org_id);
	html(r, "\">%s</a></p>", _("New user"));
	html(r, "<form method=\"get\" action=\"/admin/users\" class=\"form\" role=\"search\">"
		"<p><label for=\"q\">%s</label><input type=\"search\" id=\"q\" name=\"q\" "
		"maxlength=\"200\" value=\"%s\">",
	     _("Search by name, login name or e-mail"), q);
	if (org_id)
		html(r, "<input type=\"hidden\" name=\"org_id\" value=\"%lld\">", (long long)org_id);
	html(r, " <button type=\"submit\">%s</button></p></form>", _("Search"));

	if (page.n == 0) {
		html(r, "<p>%s</p>", _("No users found."));
	} else {
		html(r, "<div class=\"table-wrap\"><table><caption class=\"muted\">%s</caption><thead><tr>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     _("Users in your area"), _("Name"), _("Login name"), _("Organisation"), _("Roles"),
		     _("Status"));
		for (size_t i = 0; i < page.n; i++) {
			const AdminUserRow *u = &page.rows[i];
			html(r, "<tr><td><a href=\"/admin/users/%lld\">%s</a></td><td>%s</td>"
				"<td><a href=\"/admin/orgs/%lld\">%s</a></td><td>",
			     (long long)u->id, u->name, u->login, (long long)u->org_id, u->org_name);
			html_roles(r, u->roles);
			html(r, "</td><td>");
			html_status(r, u->disabled, u->locked_until);
			html(r, "</td></tr>");
		}
		html(r, "</tbody></table></div>");
	}
	admin_html_pager(r, "/admin/users", "after", page.next, q, org_id);
	admin_user_page_free(&page);
	page_end(r);
	return RC_OK;
}

/* ---- create -------------------------------------------------------- */

/* The organisation field: a <select> of the organisations in scope, or a
 * number field when there are too many to list. */
static Rc html_org_field(Req *r, int64_t selected)
{
	AdminOrgPage orgs;
	Rc rc = admin_org_choices(r->db, r->user->scope_unit_id, ORG_SELECT_MAX, &orgs);
	if (rc)
		return rc;
	if (orgs.next) {
		html(r, "<p><label for=\"org_id\">%s</label><input type=\"number\" id=\"org_id\" "
			"name=\"org_id\" min=\"1\" required aria-describedby=\"org_id-hint\" value=\"",
		     _("Organisation number"));
		if (selected)
			html(r, "%lld", (long long)selected);
		html(r, "\"><br><small id=\"org_id-hint\" class=\"muted\">%s</small></p>",
		     _("Open the organisation's page and use \"New user in this organisation\", or enter the number shown in its address."));
	} else {
		html(r, "<p><label for=\"org_id\">%s</label><select id=\"org_id\" name=\"org_id\" required>"
			"<option value=\"\">%s</option>", _("Organisation"), _("Choose…"));
		for (size_t i = 0; i < orgs.n; i++) {
			admin_html_org_option(r, &orgs.rows[i], selected);
		}
		html(r, "</select></p>");
	}
	admin_org_page_free(&orgs);
	return RC_OK;
}

/* The new-user form, prefilled from the request (query on GET, the posted
 * form when re-rendered after a mistake). */
static Rc user_form(Req *r, const char *message)
{
	int64_t org_id = 0;
	param_id(r, "org_id", &org_id);
	uint32_t roles = 0;
	form_roles(r, &roles);
	page_begin(r, _("New user"));
	html(r, "<h1>%s</h1>", _("New user"));
	if (message)
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", message);
	html(r, "<form method=\"post\" action=\"/admin/users\" class=\"form\">");
	page_csrf_field(r);
	html(r, "<p><label for=\"login\">%s</label><input id=\"login\" name=\"login\" required "
		"minlength=\"2\" maxlength=\"60\" pattern=\"[a-z0-9._\\-]+\" autocomplete=\"off\" "
		"aria-describedby=\"login-hint\" value=\"%s\"><br><small id=\"login-hint\" "
		"class=\"muted\">%s</small></p>",
	     _("Login name"), req_str(r, "login"),
	     _("2–60 characters: lower-case letters, digits, dot, hyphen or underscore."));
	html(r, "<p><label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
		"maxlength=\"150\" autocomplete=\"off\" value=\"%s\"></p>",
	     _("Name"), req_str(r, "name"));
	html(r, "<p><label for=\"email\">%s</label><input type=\"email\" id=\"email\" name=\"email\" "
		"maxlength=\"254\" autocomplete=\"off\" value=\"%s\"></p>",
	     _("E-mail (optional)"), req_str(r, "email"));
	Rc rc = html_org_field(r, org_id);
	if (rc)
		return rc;
	html(r, "<p><label for=\"password\">%s</label><input type=\"password\" id=\"password\" "
		"name=\"password\" required minlength=\"10\" maxlength=\"256\" "
		"autocomplete=\"new-password\"></p>",
	     _("Initial password (at least 10 characters)"));
	html_role_boxes(r, roles);
	html(r, "<p><button type=\"submit\">%s</button></p></form>", _("Create user"));
	page_end(r);
	return RC_OK;
}

Rc ui_admin_user_new(Req *r)
{
	int64_t org_id;
	if (!param_id(r, "org_id", &org_id))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	return user_form(r, NULL);
}

static bool email_ok(const char *e)
{
	if (!*e)
		return true;
	const char *at = strchr(e, '@');
	if (!at || at == e || !at[1] || strchr(at + 1, '@') || strlen(e) > 254)
		return false;
	for (const char *p = e; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '<' || *p == '>')
			return false;
	return true;
}

/* First problem with the posted new user, as a message, or NULL.  The
 * organisation is checked separately (a wrong one is a 404, not a typo). */
static const char *user_input_problem(Req *r, const char *login, const char *name,
				      const char *email, const char *password)
{
	int64_t existing;
	if (!user_login_valid(login))
		return _("The login name must have 2–60 characters: lower-case letters, digits, dot, hyphen or underscore.");
	if (!*name || text_length(name) > 150)
		return _("Enter the person's name (at most 150 characters).");
	if (!email_ok(email))
		return _("The e-mail address is not valid.");
	const char *pw = user_password_problem(password);
	if (pw)
		return _(pw);
	if (user_find_login(r->db, login, &existing) == RC_OK)
		return _("This login name is already taken.");
	return NULL;
}

/* The create handler proper, on trimmed copies of the text fields. */
static Rc create_user(Req *r, const char *login, const char *name, const char *email)
{
	int64_t org_id = 0, unit_id = 0, id = 0;
	uint32_t roles = 0;
	const char *problem = NULL;
	if (!form_roles(r, &roles))
		return req_fail(r, RC_INVALID, _("Unknown role"));
	if (!param_id(r, "org_id", &org_id) || org_id == 0)
		problem = _("Choose an organisation.");
	else if (admin_org_unit(r->db, org_id, &unit_id) != RC_OK ||
		 !req_can_unit(r, CAP_USER_MANAGE, unit_id))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	const char *password = req_str(r, "password");
	if (!problem)
		problem = user_input_problem(r, login, name, email, password);
	if (problem) {
		r->status = 400;
		return user_form(r, problem);
	}
	Actor actor = {r->user->id, r->user->login};
	Rc rc = user_create(r->db, &actor, login, name, email, org_id, password, &id);
	if (rc == RC_CONFLICT)
		return req_fail(r, RC_CONFLICT, _("This login name is already taken."));
	if (rc == RC_INVALID)
		return req_fail(r, RC_INVALID, _("Check the fields and try again."));
	if (!rc && roles)
		rc = user_set_roles(r->db, &actor, id, roles);
	return rc ? rc : redirect_user(r, id);
}

Rc ui_admin_user_create(Req *r)
{
	char *login = text_trim(xstrdup(req_str(r, "login")));
	char *name = text_trim(xstrdup(req_str(r, "name")));
	char *email = text_trim(xstrdup(req_str(r, "email")));
	Rc rc = create_user(r, login, name, email);
	free(login);
	free(name);
	free(email);
	return rc;
}

/* ---- one user ------------------------------------------------------ */

static void user_facts(Req *r, const AdminUser *u)
{
	html(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd>", _("Login name"), u->login);
	html(r, "<dt>%s</dt><dd>%s</dd>", _("E-mail"), u->email[0] ? u->email : "—");
	html(r, "<dt>%s</dt><dd><a href=\"/admin/orgs/%lld\">%s</a></dd>", _("Organisation"),
	     (long long)u->org_id, u->org_name);
	html(r, "<dt>%s</dt><dd>%s</dd>", _("Area"),
	     u->unit_name[0] ? u->unit_name : _("Whole country (central)"));
	html(r, "<dt>%s</dt><dd>", _("Roles"));
	html_roles(r, u->roles);
	html(r, "</dd><dt>%s</dt><dd>", _("Status"));
	html_status(r, u->disabled, u->locked_until);
	html(r, "</dd>");
	if (u->locked_until > util_now()) {
		html(r, "<dt>%s</dt><dd>", _("Locked until"));
		admin_html_time(r, u->locked_until);
		html(r, "</dd>");
	}
	html(r, "<dt>%s</dt><dd>%lld</dd>", _("Failed sign-in attempts"), (long long)u->failed_logins);
	html(r, "<dt>%s</dt><dd>", _("Created"));
	admin_html_time(r, u->created_at);
	html(r, "</dd><dt>%s</dt><dd>", _("Password last changed"));
	admin_html_time(r, u->pw_changed_at);
	html(r, "</dd><dt>%s</dt><dd>%r</dd></dl>", _("Language"),
	     str_eq(u->lang, "en") ? "<span lang=\"en\">English</span>"
				   : "<span lang=\"vi\">Tiếng Việt</span>");
}

static void user_actions(Req *r, const AdminUser *u)
{
	bool self = u->id == r->user->id;
	html(r, "<h2>%s</h2><form method=\"post\" action=\"/admin/users/%lld/roles\" class=\"form\">",
	     _("Roles"), (long long)u->id);
	page_csrf_field(r);
	html_role_boxes(r, u->roles);
	html(r, "<p><button type=\"submit\">%s</button></p></form>", _("Save roles"));

	if (self) {
		html(r, "<p class=\"muted\">%s <a href=\"/account\">%s</a></p>",
		     _("This is your own account: you cannot disable it or reset its password here."),
		     _("Your account"));
		return;
	}
	html(r, "<h2>%s</h2><form method=\"post\" action=\"/admin/users/%lld/password\" class=\"form\">",
	     _("Set a new password"), (long long)u->id);
	page_csrf_field(r);
	html(r, "<p><label for=\"password\">%s</label><input type=\"password\" id=\"password\" "
		"name=\"password\" required minlength=\"10\" maxlength=\"256\" "
		"autocomplete=\"new-password\"></p><p class=\"muted\">%s</p>"
		"<p><button type=\"submit\">%s</button></p></form>",
	     _("New password (at least 10 characters)"),
	     _("The user is signed out everywhere and any lock is lifted."), _("Set password"));

	html(r, "<h2>%s</h2><form method=\"post\" action=\"/admin/users/%lld/%r\" class=\"form\">",
	     _("Access"), (long long)u->id, u->disabled ? "enable" : "disable");
	page_csrf_field(r);
	if (u->disabled)
		html(r, "<p><button type=\"submit\">%s</button></p></form>", _("Enable this account"));
	else
		html(r, "<p class=\"muted\">%s</p><p><button type=\"submit\">%s</button></p></form>",
		     _("A disabled account cannot sign in, and its sessions and API tokens stop working."),
		     _("Disable this account"));
}

Rc ui_admin_user_show(Req *r)
{
	int64_t id;
	AdminUser u;
	if (!admin_arg_id(r, &id))
		return req_fail(r, RC_NOT_FOUND, _("User not found"));
	Rc rc = admin_user_detail(r->db, r->user->scope_unit_id, id, &u);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("User not found"));
	if (rc)
		return rc;
	if (!req_can_unit(r, CAP_USER_MANAGE, u.unit_id)) {
		admin_user_release(&u);
		return req_fail(r, RC_NOT_FOUND, _("User not found"));
	}
	page_begin(r, u.name);
	html(r, "<p><a href=\"/admin/users\">%s</a></p><h1>%s</h1>", _("Users"), u.name);
	if (str_eq(req_param(r, "saved"), "1"))
		html(r, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	user_facts(r, &u);
	if (req_can(r, CAP_AUDIT_VIEW))
		html(r, "<p><a href=\"/admin/audit?type=user&amp;id=%lld\">%s</a></p>", (long long)u.id,
		     _("History of changes"));
	user_actions(r, &u);
	admin_user_release(&u);
	page_end(r);
	return RC_OK;
}

/* ---- changes ------------------------------------------------------- */

Rc ui_admin_user_roles(Req *r)
{
	int64_t id;
	uint32_t roles;
	Rc rc = target_user(r, &id);
	if (rc)
		return rc;
	if (!form_roles(r, &roles))
		return req_fail(r, RC_INVALID, _("Unknown role"));
	if (id == r->user->id && !(roles & (1u << ROLE_ADMIN)))
		return req_fail(r, RC_INVALID, _("You cannot remove your own administrator role."));
	Actor actor = {r->user->id, r->user->login};
	if ((rc = user_set_roles(r->db, &actor, id, roles)))
		return rc;
	return redirect_user(r, id);
}

static Rc set_disabled(Req *r, bool disabled)
{
	int64_t id;
	Rc rc = target_user(r, &id);
	if (rc)
		return rc;
	if (disabled && id == r->user->id)
		return req_fail(r, RC_INVALID, _("You cannot disable your own account."));
	Actor actor = {r->user->id, r->user->login};
	if ((rc = user_set_disabled(r->db, &actor, id, disabled)))
		return rc;
	return redirect_user(r, id);
}

Rc ui_admin_user_disable(Req *r)
{
	return set_disabled(r, true);
}

Rc ui_admin_user_enable(Req *r)
{
	return set_disabled(r, false);
}

Rc ui_admin_user_password(Req *r)
{
	int64_t id;
	Rc rc = target_user(r, &id);
	if (rc)
		return rc;
	if (id == r->user->id)
		return req_fail(r, RC_INVALID, _("Change your own password on your account page."));
	const char *password = req_str(r, "password");
	const char *problem = user_password_problem(password);
	if (problem)
		return req_fail(r, RC_INVALID, _(problem));
	Actor actor = {r->user->id, r->user->login};
	if ((rc = user_set_password(r->db, &actor, id, password)))
		return rc;
	return redirect_user(r, id);
}
