/*
 * admin_orgs.c — organisation pages (see admin.h for the routes).
 *
 * Scope: an organisation is in scope when its unit is (central ones only
 * for central users).  Reading needs CAP_ORG_VIEW, changing CAP_ORG_MANAGE,
 * both checked against the organisation's unit with req_can_unit(); out of
 * scope answers 404.  A new organisation's parent and unit must be in
 * scope as well, and its unit must lie within its parent's, so nobody can
 * hang an organisation of commune B under commune A's tree or the reverse.
 *
 * Dates: names are valid over periods of calendar dates (ISO in the
 * database), shown as dd/mm/yyyy.
 */
#include "admin.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/admin.h"
#include "../domain/cap.h"
#include "../domain/unit.h"

/* Above this many organisations in scope, the parent is typed as a
 * number instead of chosen from a <select>. */
#define PARENT_SELECT_MAX 1000

/* An ISO date as dd/mm/yyyy; anything unparsable as it is. */
static void html_date(Req *r, const char *iso)
{
	Date d;
	if (!date_parse_iso(iso, &d)) {
		html(r, "%s", iso);
		return;
	}
	html(r, "<time datetime=\"%s\">%d/%d/%d</time>", iso, d.d, d.m, d.y);
}

static const char *kind_label(Req *r, const char *kind)
{
	const char *label = org_kind_label(kind);
	return label ? _(label) : kind;
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

static Rc redirect_org(Req *r, int64_t id)
{
	Buf to = BUF_INIT;
	buf_printf(&to, "/admin/orgs/%lld?saved=1", (long long)id);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* The area cell: the unit, linked to its public page, or "central". */
static void html_unit(Req *r, int64_t unit_id, const char *unit_name)
{
	if (unit_id)
		html(r, "<a href=\"/units/%lld\">%s</a>", (long long)unit_id, unit_name);
	else
		html(r, "%s", _("Whole country (central)"));
}

/* ---- list ---------------------------------------------------------- */

static void org_table(Req *r, const AdminOrgRow *rows, size_t n, const char *caption)
{
	html(r, "<div class=\"table-wrap\"><table><caption class=\"muted\">%s</caption><thead><tr>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     caption, _("Organisation name"), _("Kind"), _("Area"), _("Code"), _("Users"));
	for (size_t i = 0; i < n; i++) {
		const AdminOrgRow *o = &rows[i];
		html(r, "<tr><td><a href=\"/admin/orgs/%lld\">%s</a>", (long long)o->id, o->name);
		if (o->short_name[0])
			html(r, " <span class=\"muted\">(%s)</span>", o->short_name);
		if (o->dissolved)
			html(r, " <span class=\"badge\">%s</span>", _("Dissolved"));
		html(r, "</td><td>%s</td><td>", kind_label(r, o->kind));
		html_unit(r, o->unit_id, o->unit_name);
		html(r, "</td><td><code>%s</code></td><td>%lld</td></tr>", o->code, (long long)o->users);
	}
	html(r, "</tbody></table></div>");
}

Rc ui_admin_orgs(Req *r)
{
	const char *q = req_str(r, "q");
	int64_t after;
	if (strlen(q) > ADMIN_QUERY_MAX)
		return req_fail(r, RC_INVALID, _("The search text is too long"));
	if (!param_id(r, "after", &after))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	AdminOrgPage page;
	Rc rc = admin_orgs_list(r->db, r->user->scope_unit_id, q, after, &page);
	if (rc)
		return rc;
	page_begin(r, _("Organisations"));
	html(r, "<h1>%s</h1>", _("Organisations"));
	if (req_can(r, CAP_ORG_MANAGE))
		html(r, "<p><a class=\"button\" href=\"/admin/orgs/new\">%s</a></p>", _("New organisation"));
	html(r, "<form method=\"get\" action=\"/admin/orgs\" class=\"form\" role=\"search\">"
		"<p><label for=\"q\">%s</label><input type=\"search\" id=\"q\" name=\"q\" "
		"maxlength=\"200\" value=\"%s\"> <button type=\"submit\">%s</button></p></form>",
	     _("Search by name (current or former) or code"), q, _("Search"));
	if (page.n == 0)
		html(r, "<p>%s</p>", _("No organisations found."));
	else
		org_table(r, page.rows, page.n, _("Organisations in your area"));
	admin_html_pager(r, "/admin/orgs", "after", page.next, q, 0);
	admin_org_page_free(&page);
	page_end(r);
	return RC_OK;
}

/* ---- create -------------------------------------------------------- */

/* The parent field: a <select> of organisations in scope, or a number. */
static Rc html_parent_field(Req *r, int64_t selected)
{
	AdminOrgPage orgs;
	Rc rc = admin_org_choices(r->db, r->user->scope_unit_id, PARENT_SELECT_MAX, &orgs);
	if (rc)
		return rc;
	if (orgs.next) {
		html(r, "<p><label for=\"parent_id\">%s</label><input type=\"number\" id=\"parent_id\" "
			"name=\"parent_id\" min=\"1\" aria-describedby=\"parent-hint\" value=\"",
		     _("Parent organisation number (optional)"));
		if (selected)
			html(r, "%lld", (long long)selected);
		html(r, "\"><br><small id=\"parent-hint\" class=\"muted\">%s</small></p>",
		     _("Open the parent's page and use \"New organisation under this one\", or enter the number shown in its address."));
	} else {
		html(r, "<p><label for=\"parent_id\">%s</label><select id=\"parent_id\" name=\"parent_id\">"
			"<option value=\"\">%s</option>", _("Parent organisation"), _("None (top level)"));
		for (size_t i = 0; i < orgs.n; i++) {
			const AdminOrgRow *o = &orgs.rows[i];
			html(r, "<option value=\"%lld\"%r>%s", (long long)o->id,
			     o->id == selected ? " selected" : "", o->name);
			if (o->unit_name[0])
				html(r, " — %s", o->unit_name);
			html(r, "</option>");
		}
		html(r, "</select></p>");
	}
	admin_org_page_free(&orgs);
	return RC_OK;
}

/* The unit code to show: the one typed, else the code of the parent's
 * unit (a new organisation usually sits in its parent's area), written
 * into buf. */
static const char *default_unit_code(Req *r, int64_t parent_id, char buf[8])
{
	buf[0] = 0;
	const char *typed = req_param(r, "unit_code");
	if (typed)
		return typed;
	int64_t unit_id = 0;
	Unit u;
	if (parent_id && admin_org_unit(r->db, parent_id, &unit_id) == RC_OK && unit_id &&
	    req_can_unit(r, CAP_ORG_MANAGE, unit_id) && unit_load(r->db, unit_id, &u) == RC_OK)
		xsnprintf(buf, 8, "%s", u.code);
	return buf;
}

static Rc org_form(Req *r, const char *message)
{
	int64_t parent_id = 0;
	param_id(r, "parent_id", &parent_id);
	char buf[8];
	const char *unit_code = default_unit_code(r, parent_id, buf);
	char today[11];
	unit_today(today);
	const char *kind = req_str(r, "kind");
	const char *from = req_param(r, "valid_from");

	page_begin(r, _("New organisation"));
	html(r, "<h1>%s</h1>", _("New organisation"));
	if (message)
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", message);
	html(r, "<form method=\"post\" action=\"/admin/orgs\" class=\"form\">");
	page_csrf_field(r);
	Rc rc = html_parent_field(r, parent_id);
	if (rc)
		return rc;
	html(r, "<p><label for=\"unit_code\">%s</label><input id=\"unit_code\" name=\"unit_code\" "
		"inputmode=\"numeric\" pattern=\"[0-9]{2}|[0-9]{3}|[0-9]{5}\" maxlength=\"5\" "
		"aria-describedby=\"unit-hint\" value=\"%s\"><br><small id=\"unit-hint\" "
		"class=\"muted\">%s</small></p>",
	     _("Administrative unit code"), unit_code,
	     _("The official code: 2 digits for a province, 5 for a commune. Leave empty for a central organisation."));
	html(r, "<p><label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\" required>"
		"<option value=\"\">%s</option>", _("Kind"), _("Choose…"));
	for (size_t i = 0; i < org_kinds_count; i++)
		html(r, "<option value=\"%s\"%r>%s</option>", org_kinds[i].id,
		     str_eq(kind, org_kinds[i].id) ? " selected" : "", _(org_kinds[i].label));
	html(r, "</select></p>");
	html(r, "<p><label for=\"code\">%s</label><input id=\"code\" name=\"code\" required "
		"maxlength=\"60\" pattern=\"[a-z0-9\\-]+\" autocomplete=\"off\" "
		"aria-describedby=\"code-hint\" value=\"%s\"><br><small id=\"code-hint\" "
		"class=\"muted\">%s</small></p>",
	     _("Code"), req_str(r, "code"),
	     _("A short unique identifier: lower-case letters, digits and hyphens, e.g. c00004-front."));
	html(r, "<p><label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
		"maxlength=\"300\" value=\"%s\"></p>", _("Organisation name"), req_str(r, "name"));
	html(r, "<p><label for=\"short_name\">%s</label><input id=\"short_name\" name=\"short_name\" "
		"maxlength=\"100\" value=\"%s\"></p>", _("Short name (optional)"),
	     req_str(r, "short_name"));
	html(r, "<p><label for=\"valid_from\">%s</label><input type=\"date\" id=\"valid_from\" "
		"name=\"valid_from\" required value=\"%s\"></p>",
	     _("Name in use from"), from ? from : today);
	html(r, "<p><button type=\"submit\">%s</button></p></form>", _("Create organisation"));
	page_end(r);
	return RC_OK;
}

Rc ui_admin_org_new(Req *r)
{
	int64_t parent_id;
	if (!param_id(r, "parent_id", &parent_id))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	return org_form(r, NULL);
}

static bool code_ok(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > 60)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* Name, short name and date of a name period: a translated message, or
 * NULL. */
static const char *name_problem(Req *r, const char *name, const char *short_name,
				const char *valid_from)
{
	const char *problem = admin_org_name_problem(name, short_name, valid_from);
	return problem ? _(problem) : NULL;
}

/* Resolve the unit (unit_id, else unit_code, else central) and check it
 * against the scope and the parent's area.  A message, or NULL. */
static const char *unit_problem(Req *r, int64_t parent_unit, bool has_parent, int64_t *unit_id)
{
	const char *code = req_str(r, "unit_code");
	*unit_id = 0;
	if (!param_id(r, "unit_id", unit_id))
		return _("The administrative unit is not valid.");
	if (*unit_id) {
		Unit u;
		if (unit_load(r->db, *unit_id, &u) != RC_OK)
			return _("No administrative unit has this code.");
	} else if (*code) {
		Rc rc = admin_unit_by_code(r->db, code, unit_id);
		if (rc == RC_INVALID)
			return _("The unit code must have 2, 3 or 5 digits.");
		if (rc)
			return _("No administrative unit has this code.");
	}
	if (!req_can_unit(r, CAP_ORG_MANAGE, *unit_id))
		return _("You can only create organisations in your own area.");
	if (has_parent && parent_unit && !unit_within(r->db, *unit_id, parent_unit))
		return _("The unit must lie within the parent organisation's area.");
	return NULL;
}

/* The create handler proper, on trimmed copies of the text fields. */
static Rc create_org(Req *r, const char *code, const char *name, const char *short_name)
{
	int64_t parent_id = 0, parent_unit = 0, unit_id = 0, id = 0;
	const char *kind = req_str(r, "kind");
	const char *valid_from = req_str(r, "valid_from");
	const char *problem = NULL;
	if (!param_id(r, "parent_id", &parent_id))
		return req_fail(r, RC_INVALID, _("The parent organisation is not valid."));
	if (parent_id && (admin_org_unit(r->db, parent_id, &parent_unit) != RC_OK ||
			  !req_can_unit(r, CAP_ORG_MANAGE, parent_unit)))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	problem = unit_problem(r, parent_unit, parent_id != 0, &unit_id);
	int64_t existing;
	if (!problem && !org_kind_valid(kind))
		problem = _("Choose the kind of organisation.");
	if (!problem && !code_ok(code))
		problem = _("The code must have 1–60 characters: lower-case letters, digits or hyphens.");
	if (!problem && org_find_code(r->db, code, &existing) == RC_OK)
		problem = _("An organisation with this code already exists.");
	if (!problem)
		problem = name_problem(r, name, short_name, valid_from);
	if (problem) {
		r->status = 400;
		return org_form(r, problem);
	}
	Actor actor = {r->user->id, r->user->login};
	Rc rc = org_create(r->db, &actor, parent_id, unit_id, kind, code, name, short_name,
			   valid_from, &id);
	if (rc == RC_CONFLICT)
		return req_fail(r, RC_CONFLICT, _("An organisation with this code already exists."));
	if (rc == RC_INVALID)
		return req_fail(r, RC_INVALID, _("Check the fields and try again."));
	return rc ? rc : redirect_org(r, id);
}

Rc ui_admin_org_create(Req *r)
{
	char *code = text_trim(xstrdup(req_str(r, "code")));
	char *name = text_trim(xstrdup(req_str(r, "name")));
	char *short_name = text_trim(xstrdup(req_str(r, "short_name")));
	Rc rc = create_org(r, code, name, short_name);
	free(code);
	free(name);
	free(short_name);
	return rc;
}

/* ---- one organisation ---------------------------------------------- */

static void org_facts(Req *r, const AdminOrg *o)
{
	html(r, "<dl class=\"facts\">");
	if (o->org.short_name[0])
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Short name"), o->org.short_name);
	html(r, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><code>%s</code></dd><dt>%s</dt><dd>",
	     _("Kind"), kind_label(r, o->org.kind), _("Code"), o->org.code, _("Area"));
	html_unit(r, o->org.unit_id, o->org.unit_name);
	html(r, "</dd><dt>%s</dt><dd>", _("Parent organisation"));
	if (!o->org.parent_id)
		html(r, "%s", _("None (top level)"));
	else if (o->parent_in_scope)
		html(r, "<a href=\"/admin/orgs/%lld\">%s</a>", (long long)o->org.parent_id,
		     o->parent_name);
	else
		html(r, "%s", o->parent_name);
	html(r, "</dd>");
	if (o->dissolved_on[0]) {
		html(r, "<dt>%s</dt><dd>", _("Dissolved on"));
		html_date(r, o->dissolved_on);
		html(r, "</dd>");
	}
	html(r, "<dt>%s</dt><dd>", _("Created"));
	admin_html_time(r, o->created_at);
	html(r, "</dd></dl>");
}

static void org_names_table(Req *r, const AdminOrg *o)
{
	html(r, "<h2>%s</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"</tr></thead><tbody>",
	     _("Names over time"), _("Organisation name"), _("Short name"), _("From"), _("Until"));
	for (size_t i = o->nnames; i-- > 0;) {
		const AdminOrgName *n = &o->names[i];
		html(r, "<tr><td>%s</td><td>%s</td><td>", n->name, n->short_name);
		html_date(r, n->valid_from);
		html(r, "</td><td>");
		if (n->valid_to[0])
			html_date(r, n->valid_to);
		else
			html(r, "%s", _("in use"));
		html(r, "</td></tr>");
	}
	html(r, "</tbody></table></div>");
}

static void org_members(Req *r, const AdminOrg *o)
{
	bool manage = req_can(r, CAP_USER_MANAGE);
	html(r, "<h2>%s</h2>", _("Members"));
	if (manage)
		html(r, "<p><a href=\"/admin/users/new?org_id=%lld\">%s</a></p>", (long long)o->org.id,
		     _("New user in this organisation"));
	if (o->nusers == 0) {
		html(r, "<p>%s</p>", _("No users."));
		return;
	}
	html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     _("Name"), _("Login name"), _("Roles"));
	for (size_t i = 0; i < o->nusers; i++) {
		const AdminUserRow *u = &o->users[i];
		if (manage)
			html(r, "<tr><td><a href=\"/admin/users/%lld\">%s</a>", (long long)u->id, u->name);
		else
			html(r, "<tr><td>%s", u->name);
		if (u->disabled)
			html(r, " <span class=\"badge\">%s</span>", _("Disabled"));
		html(r, "</td><td>%s</td><td>", u->login);
		bool any = false;
		for (int k = 0; k < ROLE_COUNT; k++) {
			if (u->roles & (1u << k)) {
				html(r, "%s%s", any ? ", " : "", _(role_label((Role)k)));
				any = true;
			}
		}
		html(r, "</td></tr>");
	}
	html(r, "</tbody></table></div>");
	if (o->users_more)
		html(r, "<p><a href=\"/admin/users?org_id=%lld\">%s</a></p>", (long long)o->org.id,
		     _("All members"));
}

static void org_rename_form(Req *r, const AdminOrg *o)
{
	char today[11];
	unit_today(today);
	html(r, "<h2>%s</h2><p class=\"muted\">%s</p>"
		"<form method=\"post\" action=\"/admin/orgs/%lld/rename\" class=\"form\">",
	     _("Rename"),
	     _("The current name stays in the history and ends the day before the new one takes effect."),
	     (long long)o->org.id);
	page_csrf_field(r);
	html(r, "<p><label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
		"maxlength=\"300\" value=\"%s\"></p>"
		"<p><label for=\"short_name\">%s</label><input id=\"short_name\" name=\"short_name\" "
		"maxlength=\"100\" value=\"%s\"></p>"
		"<p><label for=\"valid_from\">%s</label><input type=\"date\" id=\"valid_from\" "
		"name=\"valid_from\" required value=\"%s\"></p>"
		"<p><button type=\"submit\">%s</button></p></form>",
	     _("New name"), o->org.name, _("Short name (optional)"), o->org.short_name,
	     _("Name in use from"), today, _("Rename"));
}

Rc ui_admin_org_show(Req *r)
{
	int64_t id;
	AdminOrg o;
	if (!admin_arg_id(r, &id))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	Rc rc = admin_org_detail(r->db, r->user->scope_unit_id, id, &o);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	if (rc)
		return rc;
	if (!req_can_unit(r, CAP_ORG_VIEW, o.org.unit_id)) {
		admin_org_release(&o);
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	}
	bool manage = req_can_unit(r, CAP_ORG_MANAGE, o.org.unit_id);
	page_begin(r, o.org.name);
	html(r, "<p><a href=\"/admin/orgs\">%s</a></p><h1>%s</h1>", _("Organisations"), o.org.name);
	if (str_eq(req_param(r, "saved"), "1"))
		html(r, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	org_facts(r, &o);
	if (req_can(r, CAP_AUDIT_VIEW))
		html(r, "<p><a href=\"/admin/audit?type=org&amp;id=%lld\">%s</a></p>", (long long)o.org.id,
		     _("History of changes"));
	org_names_table(r, &o);
	html(r, "<h2>%s</h2>", _("Subordinate organisations"));
	if (manage)
		html(r, "<p><a href=\"/admin/orgs/new?parent_id=%lld\">%s</a></p>", (long long)o.org.id,
		     _("New organisation under this one"));
	if (o.nchildren)
		org_table(r, o.children, o.nchildren, _("Subordinate organisations"));
	else
		html(r, "<p>%s</p>", _("None."));
	if (o.children_more)
		html(r, "<p class=\"muted\">%s</p>", _("Only the first 1,000 are shown."));
	org_members(r, &o);
	if (manage)
		org_rename_form(r, &o);
	admin_org_release(&o);
	page_end(r);
	return RC_OK;
}

/* ---- rename -------------------------------------------------------- */

Rc ui_admin_org_rename(Req *r)
{
	int64_t id, unit_id = 0;
	if (!admin_arg_id(r, &id) || admin_org_unit(r->db, id, &unit_id) != RC_OK ||
	    !req_can_unit(r, CAP_ORG_MANAGE, unit_id))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	char *name = text_trim(xstrdup(req_str(r, "name")));
	char *short_name = text_trim(xstrdup(req_str(r, "short_name")));
	const char *valid_from = req_str(r, "valid_from");
	const char *problem = name_problem(r, name, short_name, valid_from);
	Rc rc;
	if (problem) {
		rc = req_fail(r, RC_INVALID, problem);
	} else {
		Actor actor = {r->user->id, r->user->login};
		rc = org_rename(r->db, &actor, id, name, short_name, valid_from);
		if (rc == RC_CONFLICT)
			rc = req_fail(r, RC_CONFLICT, _("The new name must take effect after the current name did."));
		else if (rc == RC_INVALID)
			rc = req_fail(r, RC_INVALID, _("Check the fields and try again."));
		else if (!rc)
			rc = redirect_org(r, id);
	}
	free(name);
	free(short_name);
	return rc;
}
