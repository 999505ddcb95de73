/*
 * admin_api.c — organisations and users as JSON (see admin_api.h).
 *
 * Output goes only through the JSON writer.  Input (the rename body) is
 * parsed with json_parse_capped, and every string is checked with
 * text_clean — valid UTF-8, NFC, no control characters — because the
 * dispatcher cleans form and query values but cannot see inside JSON.
 * Times are written in Vietnam time with their offset
 * ("2026-11-28T09:15:00+07:00"); calendar dates as "YYYY-MM-DD".
 */
#include "admin_api.h"
#include "api.h"
#include "../base/date.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../domain/admin.h"
#include "../domain/cap.h"
#include "../domain/unit.h"

#include <jansson.h>

/* A rename body is three short strings; anything larger is not one. */
#define RENAME_BODY_MAX 4096

static void jw_roles(JsonW *w, uint32_t roles)
{
	jw_arr(w);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			jw_str(w, role_id((Role)i));
	jw_end(w);
}

static Rc json_done(Req *r, JsonW *w)
{
	buf_putc(&r->out, '\n');
	return jw_finished(w) && buf_ok(&r->out) ? RC_OK : RC_INTERNAL;
}

/* ---- organisations ------------------------------------------------- */

static void jw_org_row(JsonW *w, const AdminOrgRow *o)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, o->id);
	jw_key(w, "code");
	jw_str(w, o->code);
	jw_key(w, "kind");
	jw_str(w, o->kind);
	jw_key(w, "name");
	jw_str(w, o->name);
	jw_key(w, "short_name");
	jw_str(w, o->short_name);
	jw_key(w, "unit");
	api_jw_ref(w, o->unit_id, o->unit_name);
	jw_key(w, "parent_id");
	if (o->parent_id)
		jw_int(w, o->parent_id);
	else
		jw_null(w);
	jw_key(w, "users");
	jw_int(w, o->users);
	jw_key(w, "dissolved");
	jw_bool(w, o->dissolved);
	jw_end(w);
}

Rc api_orgs_list(Req *r)
{
	const char *q = req_str(r, "q");
	const char *after_s = req_param(r, "after");
	int64_t after = 0;
	if (strlen(q) > ADMIN_QUERY_MAX)
		return req_fail(r, RC_INVALID, _("The search text is too long"));
	if (after_s && *after_s && !util_parse_i64(after_s, 0, INT64_MAX, &after))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	AdminOrgPage page;
	Rc rc = admin_orgs_list(r->db, r->user->scope_unit_id, q, after, &page);
	if (rc)
		return rc;
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	for (size_t i = 0; i < page.n; i++)
		jw_org_row(&w, &page.rows[i]);
	jw_end(&w);
	jw_key(&w, "next_after");
	if (page.next)
		jw_int(&w, page.next);
	else
		jw_null(&w);
	jw_end(&w);
	admin_org_page_free(&page);
	return json_done(r, &w);
}

static void jw_org_detail(JsonW *w, const AdminOrg *o)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, o->org.id);
	jw_key(w, "code");
	jw_str(w, o->org.code);
	jw_key(w, "kind");
	jw_str(w, o->org.kind);
	jw_key(w, "name");
	jw_str(w, o->org.name);
	jw_key(w, "short_name");
	jw_str(w, o->org.short_name);
	jw_key(w, "unit");
	api_jw_ref(w, o->org.unit_id, o->org.unit_name);
	jw_key(w, "parent");
	api_jw_ref(w, o->org.parent_id, o->parent_name);
	jw_key(w, "dissolved_on");
	api_jw_opt(w, o->dissolved_on);
	jw_key(w, "created_at");
	api_jw_time(w, o->created_at);

	jw_key(w, "names");
	jw_arr(w);
	for (size_t i = 0; i < o->nnames; i++) {
		const AdminOrgName *n = &o->names[i];
		jw_obj(w);
		jw_key(w, "name");
		jw_str(w, n->name);
		jw_key(w, "short_name");
		jw_str(w, n->short_name);
		jw_key(w, "valid_from");
		jw_str(w, n->valid_from);
		jw_key(w, "valid_to");
		api_jw_opt(w, n->valid_to);
		jw_end(w);
	}
	jw_end(w);

	jw_key(w, "children");
	jw_arr(w);
	for (size_t i = 0; i < o->nchildren; i++)
		jw_org_row(w, &o->children[i]);
	jw_end(w);
	jw_key(w, "children_truncated");
	jw_bool(w, o->children_more);

	jw_key(w, "users");
	jw_arr(w);
	for (size_t i = 0; i < o->nusers; i++) {
		const AdminUserRow *u = &o->users[i];
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, u->id);
		jw_key(w, "login");
		jw_str(w, u->login);
		jw_key(w, "name");
		jw_str(w, u->name);
		jw_key(w, "roles");
		jw_roles(w, u->roles);
		jw_key(w, "disabled");
		jw_bool(w, u->disabled);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "users_truncated");
	jw_bool(w, o->users_more);
	jw_end(w);
}

/* Load the organisation named by the route if `cap` covers its unit;
 * RC_NOT_FOUND (message set) otherwise. */
static Rc load_org(Req *r, uint32_t cap, AdminOrg *o)
{
	int64_t id;
	if (!api_arg_id(r, &id))
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	Rc rc = admin_org_detail(r->db, r->user->scope_unit_id, id, o);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	if (rc)
		return rc;
	if (!req_can_unit(r, cap, o->org.unit_id)) {
		admin_org_release(o);
		return req_fail(r, RC_NOT_FOUND, _("Organisation not found"));
	}
	return RC_OK;
}

static Rc write_org(Req *r, AdminOrg *o)
{
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_org_detail(&w, o);
	admin_org_release(o);
	return json_done(r, &w);
}

Rc api_org_show(Req *r)
{
	AdminOrg o;
	Rc rc = load_org(r, CAP_ORG_VIEW, &o);
	return rc ? rc : write_org(r, &o);
}

/* The rename fields, each a cleaned (UTF-8, NFC) malloc'd copy, or NULL
 * when absent. */
typedef struct RenameBody {
	char *name;
	char *short_name;
	char *valid_from;
} RenameBody;

static void rename_body_release(RenameBody *b)
{
	free(b->name);
	free(b->short_name);
	free(b->valid_from);
}

/* One optional string member: false when present but not a clean string. */
static bool body_string(json_t *obj, const char *key, char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return true;
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n) /* an escaped NUL inside */
		return false;
	char *clean = text_clean(s, n, false);
	if (!clean)
		return false;
	*out = text_trim(clean);
	return true;
}

static Rc parse_rename(Req *r, RenameBody *b)
{
	memset(b, 0, sizeof *b);
	json_t *doc = json_parse_capped(r->body.data, r->body.len, RENAME_BODY_MAX);
	if (!doc || !json_is_object(doc)) {
		json_release(doc);
		return req_fail(r, RC_INVALID, _("Send a JSON object."));
	}
	bool ok = body_string(doc, "name", &b->name) &&
		  body_string(doc, "short_name", &b->short_name) &&
		  body_string(doc, "valid_from", &b->valid_from);
	json_release(doc);
	if (!ok) {
		rename_body_release(b);
		return req_fail(r, RC_INVALID, _("name, short_name and valid_from must be text in valid UTF-8 without control characters."));
	}
	return RC_OK;
}

Rc api_org_rename(Req *r)
{
	AdminOrg o;
	Rc rc = load_org(r, CAP_ORG_MANAGE, &o);
	if (rc)
		return rc;
	int64_t id = o.org.id;
	RenameBody b;
	if ((rc = parse_rename(r, &b))) {
		admin_org_release(&o);
		return rc;
	}
	char today[11];
	unit_today(today);
	const char *name = b.name ? b.name : "";
	const char *short_name = b.short_name ? b.short_name : o.org.short_name;
	const char *valid_from = b.valid_from ? b.valid_from : today;
	const char *problem = admin_org_name_problem(name, short_name, valid_from);
	if (problem) {
		rc = req_fail(r, RC_INVALID, _(problem));
	} else {
		Actor actor = {r->user->id, r->user->login};
		rc = org_rename(r->db, &actor, id, name, short_name, valid_from);
		if (rc == RC_CONFLICT)
			rc = req_fail(r, RC_CONFLICT, _("The new name must take effect after the current name did."));
		else if (rc == RC_INVALID)
			rc = req_fail(r, RC_INVALID, _("Check the fields and try again."));
	}
	rename_body_release(&b);
	admin_org_release(&o);
	if (rc)
		return rc;
	/* Answer with the organisation as it now is. */
	if ((rc = load_org(r, CAP_ORG_MANAGE, &o)))
		return rc;
	return write_org(r, &o);
}

/* ---- users --------------------------------------------------------- */

Rc api_user_show(Req *r)
{
	int64_t id;
	AdminUser u;
	if (!api_arg_id(r, &id))
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
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, u.id);
	jw_key(&w, "login");
	jw_str(&w, u.login);
	jw_key(&w, "name");
	jw_str(&w, u.name);
	jw_key(&w, "email");
	jw_str(&w, u.email);
	jw_key(&w, "org");
	api_jw_ref(&w, u.org_id, u.org_name);
	jw_key(&w, "unit");
	api_jw_ref(&w, u.unit_id, u.unit_name);
	jw_key(&w, "roles");
	jw_roles(&w, u.roles);
	jw_key(&w, "disabled");
	jw_bool(&w, u.disabled);
	jw_key(&w, "locked_until");
	api_jw_time(&w, u.locked_until > util_now() ? u.locked_until : 0);
	jw_key(&w, "failed_logins");
	jw_int(&w, u.failed_logins);
	jw_key(&w, "lang");
	jw_str(&w, u.lang);
	jw_key(&w, "created_at");
	api_jw_time(&w, u.created_at);
	jw_key(&w, "password_changed_at");
	api_jw_time(&w, u.pw_changed_at);
	jw_end(&w);
	admin_user_release(&u);
	return json_done(r, &w);
}
