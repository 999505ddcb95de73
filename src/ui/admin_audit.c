/*
 * admin_audit.c — the audit log page, and the small helpers the admin
 * page files share (see admin.h).
 *
 * The log shows only entries whose unit is in the reader's scope (entries
 * without a unit — central organisations, the command line — only to
 * central readers), newest first, 50 a page, with the first 12 hex digits
 * of each entry's hash: enough to compare against `danvan check` output or
 * a printed copy, the full hash is in the title attribute.
 */
#include "admin.h"
#include "page.h"
#include "../base/date.h"
#include "../domain/admin.h"
#include "../domain/cap.h"

#define HASH_SHOWN 12

/* ---- shared helpers ------------------------------------------------ */

bool admin_arg_id(Req *r, int64_t *id)
{
	return r->nargs >= 1 && util_parse_i64(r->args[0], 1, INT64_MAX, id);
}

void admin_html_org_option(Req *r, const AdminOrgRow *o, int64_t selected)
{
	html(r, "<option value=\"%lld\"%r>%s", (long long)o->id, o->id == selected ? " selected" : "",
	     o->name);
	if (o->unit_name[0])
		html(r, " — %s", o->unit_name);
	html(r, "</option>");
}

void admin_html_time(Req *r, int64_t t)
{
	if (t <= 0) {
		html(r, "—");
		return;
	}
	/* Vietnam has kept UTC+7 without daylight saving since 1975. */
	int64_t local = t + VN_UTC_OFFSET_SECONDS;
	int64_t days = local / 86400, secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	Date d = date_from_days(days);
	Buf iso = BUF_INIT;
	date_format_vn_timestamp(&iso, t);
	html(r, "<time datetime=\"%s\">%d/%d/%d %02d:%02d</time>", buf_cstr(&iso), d.d, d.m, d.y,
	     (int)(secs / 3600), (int)(secs / 60 % 60));
	buf_release(&iso);
}

void admin_html_pager(Req *r, const char *path, const char *param, int64_t next,
		      const char *q, int64_t org_id)
{
	if (!next)
		return;
	html(r, "<nav class=\"pager\" aria-label=\"%s\"><a href=\"%s?%s=%lld", _("Pages"), path,
	     param, (long long)next);
	if (q && *q)
		html(r, "&amp;q=%u", q);
	if (org_id)
		html(r, "&amp;org_id=%lld", (long long)org_id);
	html(r, "\" rel=\"next\">%s</a></nav>", _("Next page"));
}

/* ---- the log ------------------------------------------------------- */

/* Known actions in words; anything else shows its code. */
static const char *action_label(Req *r, const char *action)
{
	static const struct { const char *action, *label; } known[] = {
		{"org.create", "Organisation created"},
		{"org.rename", "Organisation renamed"},
		{"user.create", "User created"},
		{"user.roles", "Roles changed"},
		{"user.password", "Password set"},
		{"user.disable", "Account disabled"},
		{"user.enable", "Account enabled"},
		{"user.locked", "Account locked after failed sign-ins"},
		{"token.create", "API token created"},
		{"token.revoke", "API token revoked"},
		{"vault.init", "Confidential vault set up"},
		{"vault.reveal", "Denouncer's identity revealed"},
		{"vault.reveal_failed", "Failed attempt to reveal a denouncer's identity"},
		{"deadline.overdue", "Time limit passed (escalated)"},
		{"case.receive", "Case received"},
		{"case.attach", "File attached to a case"},
		{"reception.add", "Citizen reception scheduled"},
		{"reception.cancel", "Citizen reception cancelled"},
	};
	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (str_eq(action, known[i].action))
			return tr(r->lang, known[i].label);
	return NULL;
}

static void html_object(Req *r, const AdminAuditRow *e)
{
	if (str_eq(e->object_type, "org") && e->object_id)
		html(r, "<a href=\"/admin/orgs/%lld\">%s %lld</a>", (long long)e->object_id,
		     _("organisation"), (long long)e->object_id);
	else if (str_eq(e->object_type, "user") && e->object_id)
		html(r, "<a href=\"/admin/users/%lld\">%s %lld</a>", (long long)e->object_id,
		     _("user"), (long long)e->object_id);
	else if (e->object_id)
		html(r, "%s %lld", e->object_type, (long long)e->object_id);
	else
		html(r, "%s", e->object_type);
}

static void audit_row(Req *r, const AdminAuditRow *e)
{
	html(r, "<tr><td>");
	admin_html_time(r, e->at);
	html(r, "</td><td>%s</td><td>", e->actor);
	const char *label = action_label(r, e->action);
	if (label)
		html(r, "%s <code class=\"muted\">%s</code>", label, e->action);
	else
		html(r, "<code>%s</code>", e->action);
	html(r, "</td><td>");
	html_object(r, e);
	html(r, "</td><td>%s</td><td><code title=\"%s\">%.*s</code></td></tr>", e->detail, e->hash,
	     HASH_SHOWN, e->hash);
}

/* type=: empty or a short lower-case word. */
static bool object_type_ok(const char *t)
{
	size_t n = strlen(t);
	if (n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_'))
			return false;
	return true;
}

static bool optional_id(Req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);
	*out = 0;
	return !v || !*v || util_parse_i64(v, 0, INT64_MAX, out);
}

Rc ui_admin_audit(Req *r)
{
	const char *type = req_str(r, "type");
	int64_t before, object_id;
	if (!object_type_ok(type) || !optional_id(r, "before", &before) ||
	    !optional_id(r, "id", &object_id))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	AdminAuditPage page;
	Rc rc = admin_audit_list(r->db, r->user->scope_unit_id, type, object_id, before, &page);
	if (rc)
		return rc;
	page_begin(r, _("Audit log"));
	html(r, "<h1>%s</h1><p>%s</p>", _("Audit log"),
	     _("Every change to users, roles and organisations, newest first. Each entry's hash covers the one before it, so changing or removing any entry breaks every later hash."));
	if (*type || object_id)
		html(r, "<p><a href=\"/admin/audit\">%s</a></p>", _("Show all entries"));
	if (page.n == 0) {
		html(r, "<p>%s</p>", _("No entries."));
	} else {
		html(r, "<div class=\"table-wrap\"><table><caption class=\"muted\">%s</caption><thead><tr>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"</tr></thead><tbody>",
		     _("Times are Vietnam time (UTC+7)."), _("Time"), _("By"), _("Action"), _("Object"),
		     _("Detail"), _("Hash"));
		for (size_t i = 0; i < page.n; i++)
			audit_row(r, &page.rows[i]);
		html(r, "</tbody></table></div>");
	}
	if (page.next) {
		html(r, "<nav class=\"pager\" aria-label=\"%s\"><a href=\"/admin/audit?before=%lld",
		     _("Pages"), (long long)page.next);
		if (*type)
			html(r, "&amp;type=%u", type);
		if (object_id)
			html(r, "&amp;id=%lld", (long long)object_id);
		html(r, "\" rel=\"next\">%s</a></nav>", _("Older entries"));
	}
	admin_audit_page_free(&page);
	page_end(r);
	return RC_OK;
}
