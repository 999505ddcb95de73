/*
 * cases_staff.c — the staff side of citizens' cases: the work queues with
 * filters, search and keyset pages (/cases), the desk registration form
 * (/cases/new, POST /cases), the case page (/cases/{id}) with every form
 * the reader may use, and attachment downloads.
 *
 * Scope.  case_load refuses a case outside the reader's area with
 * RC_NOT_FOUND, which answers 404 exactly like a case that does not
 * exist; personal data comes back only when the reader may see it
 * (case.h), so this file never decides that by itself.  The forms shown
 * follow the same rules the POST handlers and the domain enforce: an
 * action button appears only when case_action_allowed() says so.
 *
 * Denouncers.  A denunciation's identity is sealed: the page shows the
 * pseudonym, and a handling officer can reveal the identity by pasting
 * the vault key into a form (cases_actions.c answers with it once).
 * Attachments of a denunciation may show the denouncer's handwriting, so
 * only handling officers may download them.
 */
#include "cases.h"
#include "admin.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/admin.h"
#include "../domain/case_detail.h"
#include "../domain/outbox.h"
#include "../web/fragcache.h"

#define QUERY_MAX 600 /* bytes: 200 characters of Vietnamese */
#define ORG_SELECT_MAX 500
/* rows per page of the staff list: a screen of work, and quick to render */
#define LIST_PAGE_ROWS 20

/* ==== small pieces ======================================================= */

static bool may_work(Req *r)
{
	return req_can(r, CAP_CASE_RECEIVE) || req_can(r, CAP_CASE_HANDLE);
}

/* An optional positive id parameter: absent or empty → 0; false if bad. */
static bool opt_id(Req *r, const char *name, int64_t *out)
{
	const char *v = req_str(r, name);
	*out = 0;
	return !*v || util_parse_i64(v, 1, INT64_MAX, out);
}

static void badges(Req *r, bool overdue, bool due_soon, bool repeat, bool group)
{
	if (overdue)
		html(r, " <span class=\"badge badge-overdue\">%s</span>", _("Overdue"));
	else if (due_soon)
		html(r, " <span class=\"badge badge-due-soon\">%s</span>", _("Due soon"));
	if (repeat)
		html(r, " <span class=\"badge badge-repeat\">%s</span>", _("Repeat"));
	if (group)
		html(r, " <span class=\"badge badge-group\">%s</span>", _("Group"));
}

/* A field's name in the reader's language. */
static const char *field_name(Req *r, const CaseField *f)
{
	return str_eq(r->lang, "en") && f->name_en && *f->name_en ? f->name_en : f->name;
}

static void field_options(Req *r, const CaseField *f, size_t n, const char *selected)
{
	for (size_t i = 0; i < n; i++) {
		if (!f[i].active && !str_eq(f[i].code, selected))
			continue;
		html(r, "<option value=\"%s\"%r>%r%s</option>", f[i].code,
		     str_eq(f[i].code, selected) ? " selected" : "",
		     f[i].parent_id ? "— " : "", field_name(r, &f[i]));
	}
}

/* <select> of fields; `any` = the label of the empty choice. */
/* The field tree as a <select>; with nothing chosen it is the same for
 * every reader of a language, so it is kept in the fragment cache. */
static Rc field_select(Req *r, const char *id, const char *name, const char *label,
		       const char *selected, const char *any)
{
	char key[96];
	xsnprintf(key, sizeof key, "field_select|%s|%s|%s", r->lang, id, name);
	bool plain = !selected || !*selected;
	if (plain && fragcache_get(key, &r->out))
		return RC_OK;
	size_t start = r->out.len;
	CaseField *f = NULL;
	size_t n = 0;
	Rc rc = case_fields(r->db, &f, &n);
	if (rc)
		return rc;
	html(r, "<p><label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\"><option value=\"\">%s</option>",
	     id, label, id, name, any);
	field_options(r, f, n, selected);
	html(r, "</select></p>");
	case_fields_release(f, n);
	if (plain && buf_ok(&r->out))
		fragcache_put(key, r->cache_gen, r->out.data + start, r->out.len - start);
	return RC_OK;
}

/* State bodies decide cases (shared domain.md §1.5): people's committees,
 * inspectorates and departments.  Party and mass-mobilisation bodies
 * monitor; they are not offered as the responsible organisation. */
static bool decides(const AdminOrgRow *o)
{
	return str_eq(o->kind, "peoples_committee") || str_eq(o->kind, "inspectorate") ||
	       str_eq(o->kind, "department");
}

/* <select> of the organisations in the reader's scope — only State bodies
 * (and the one already chosen) when `state_only` — or a number field when
 * there are too many for a list.  Without a choice made, the rendered
 * field is the same for every reader of the scope and language, and is
 * kept in the fragment cache: gathering a province's organisations with
 * their current names is most of the cost of the list page. */
static Rc org_select(Req *r, const char *id, const char *name, const char *label,
		     int64_t selected, const char *any, bool state_only)
{
	char key[160];
	xsnprintf(key, sizeof key, "org_select|%lld|%s|%d|%s|%s", (long long)r->user->scope_unit_id,
		  r->lang, state_only, id, name);
	if (!selected && fragcache_get(key, &r->out))
		return RC_OK;
	size_t start = r->out.len;
	AdminOrgPage orgs;
	Rc rc = admin_org_choices(r->db, r->user->scope_unit_id, ORG_SELECT_MAX, &orgs);
	if (rc)
		return rc;
	if (orgs.next) {
		html(r, "<p><label for=\"%s\">%s</label><input type=\"number\" id=\"%s\" name=\"%s\" min=\"1\" value=\"",
		     id, label, id, name);
		if (selected)
			html(r, "%lld", (long long)selected);
		html(r, "\"></p>");
	} else {
		html(r, "<p><label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\"><option value=\"\">%s</option>",
		     id, label, id, name, any);
		for (size_t i = 0; i < orgs.n; i++) {
			if (state_only && !decides(&orgs.rows[i]) && orgs.rows[i].id != selected)
				continue;
			admin_html_org_option(r, &orgs.rows[i], selected);
		}
		html(r, "</select></p>");
	}
	admin_org_page_free(&orgs);
	if (!selected && buf_ok(&r->out))
		fragcache_put(key, r->cache_gen, r->out.data + start, r->out.len - start);
	return RC_OK;
}

static void status_options(Req *r, const char *selected)
{
	static const char *const statuses[] = {CASE_STATUSES};
	for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
		html(r, "<option value=\"%s\"%r>%s</option>", statuses[i],
		     str_eq(statuses[i], selected) ? " selected" : "", cases_status(r, statuses[i]));
}

static void channel_options(Req *r, const char *selected, bool with_web)
{
	static const char *const channels[] = {CASE_CHANNELS};
	for (size_t i = 0; i < ARRAY_LEN(channels); i++) {
		if (!with_web && str_eq(channels[i], "web"))
			continue;
		html(r, "<option value=\"%s\"%r>%s</option>", channels[i],
		     str_eq(channels[i], selected) ? " selected" : "", cases_channel(r, channels[i]));
	}
}

/* ==== the queues ========================================================= */

static const struct {
	const char *id, *label;
	CaseQueue queue;
} queues[] = {
	{"", "All cases", QUEUE_ALL},
	{"mine", "Assigned to me", QUEUE_MINE},
	{"org", "My organisation's", QUEUE_ORG},
	{"soon", "Due soon", QUEUE_DUE_SOON},
	{"overdue", "Overdue", QUEUE_OVERDUE},
};

/* The list's parameters, read and checked once. */
typedef struct ListParams {
	const char *queue, *kind, *field, *area, *status, *channel, *from, *to, *q;
	int64_t org_id, unit_id;
	const char *after_date;
	int64_t after_id;
} ListParams;

static const char *list_params(Req *r, ListParams *p, CaseFilter *f)
{
	memset(p, 0, sizeof *p);
	memset(f, 0, sizeof *f);
	p->queue = req_str(r, "queue");
	p->kind = req_str(r, "kind");
	p->field = req_str(r, "field");
	p->area = req_str(r, "area");
	p->status = req_str(r, "status");
	p->channel = req_str(r, "channel");
	p->from = req_str(r, "from");
	p->to = req_str(r, "to");
	p->q = req_str(r, "q");
	p->after_date = req_str(r, "after_date");
	f->kind = -1;
	bool found = false;
	for (size_t i = 0; i < ARRAY_LEN(queues); i++)
		if (str_eq(p->queue, queues[i].id)) {
			f->queue = queues[i].queue;
			found = true;
		}
	if (!found)
		return _("The page address is not valid");
	CaseKind k;
	if (*p->kind) {
		if (!case_kind_parse(p->kind, &k))
			return _("The page address is not valid");
		f->kind = (int)k;
	}
	if (*p->status && !case_status_valid(p->status))
		return _("The page address is not valid");
	if (*p->channel && !case_channel_valid(p->channel))
		return _("The page address is not valid");
	if (!opt_id(r, "org", &p->org_id) || !opt_id(r, "after_id", &p->after_id))
		return _("The page address is not valid");
	Date d;
	if ((*p->from && !date_parse_iso(p->from, &d)) || (*p->to && !date_parse_iso(p->to, &d)) ||
	    (*p->after_date && !date_parse_iso(p->after_date, &d)))
		return _("Enter dates as YYYY-MM-DD.");
	if (strlen(p->q) > QUERY_MAX || strlen(p->field) > 40)
		return _("The search text is too long");
	if (*p->area && admin_unit_by_code(r->db, p->area, &p->unit_id) != RC_OK)
		return _("No administrative unit has this code.");
	f->field_code = *p->field ? p->field : NULL;
	f->unit_id = p->unit_id;
	f->status = *p->status ? p->status : NULL;
	f->channel = *p->channel ? p->channel : NULL;
	f->org_id = p->org_id;
	f->from = *p->from ? p->from : NULL;
	f->to = *p->to ? p->to : NULL;
	f->after_date = *p->after_date ? p->after_date : NULL;
	f->after_id = p->after_id;
	f->limit = LIST_PAGE_ROWS;
	return NULL;
}

/* The list's address with its filters (URL-encoded), for tabs and pages. */
static void list_url(Buf *b, const ListParams *p, const char *queue, bool keep_page,
		     const CaseRow *last)
{
	buf_printf(b, "/cases?queue=%u", queue);
	const char *keys[] = {"kind", "field", "area", "status", "channel", "from", "to", "q"};
	const char *vals[] = {p->kind, p->field, p->area, p->status, p->channel, p->from, p->to, p->q};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (*vals[i])
			buf_printf(b, "&%s=%u", keys[i], vals[i]);
	if (p->org_id)
		buf_printf(b, "&org=%lld", (long long)p->org_id);
	if (keep_page && last)
		buf_printf(b, "&after_date=%u&after_id=%lld", last->received_on, (long long)last->id);
}

static void queue_tabs(Req *r, const ListParams *p)
{
	html(r, "<nav aria-label=\"%s\"><ul class=\"queue-tabs\">", _("Work queues"));
	for (size_t i = 0; i < ARRAY_LEN(queues); i++) {
		Buf url = BUF_INIT;
		list_url(&url, p, queues[i].id, false, NULL);
		html(r, "<li><a href=\"%s\"%r>%s</a></li>", buf_cstr(&url),
		     str_eq(p->queue, queues[i].id) ? " aria-current=\"page\"" : "", _(queues[i].label));
		buf_release(&url);
	}
	html(r, "</ul></nav>");
}

static Rc filter_form(Req *r, const ListParams *p)
{
	html(r, "<form method=\"get\" action=\"/cases\" class=\"form filters\" role=\"search\" "
		"aria-label=\"%s\"><input type=\"hidden\" name=\"queue\" value=\"%s\">",
	     _("Filter and search cases"), p->queue);
	html(r, "<p class=\"wide\"><label for=\"q\">%s</label><input type=\"search\" id=\"q\" name=\"q\" "
		"maxlength=\"200\" value=\"%s\"></p>", _("Search in titles and contents"), p->q);
	html(r, "<p><label for=\"f-kind\">%s</label><select id=\"f-kind\" name=\"kind\"><option value=\"\">%s</option>",
	     _("Kind of submission"), _("Any"));
	for (int k = 0; k < KIND_COUNT; k++)
		html(r, "<option value=\"%s\"%r>%s</option>", case_kind_id((CaseKind)k),
		     str_eq(p->kind, case_kind_id((CaseKind)k)) ? " selected" : "",
		     cases_kind(r, (CaseKind)k));
	html(r, "</select></p>");
	Rc rc = field_select(r, "f-field", "field", _("Field"), p->field, _("Any"));
	if (rc)
		return rc;
	html(r, "<p><label for=\"f-area\">%s</label><input id=\"f-area\" name=\"area\" inputmode=\"numeric\" "
		"maxlength=\"5\" pattern=\"[0-9]{2}|[0-9]{5}\" value=\"%s\" aria-describedby=\"f-area-hint\">"
		"<span class=\"hint\" id=\"f-area-hint\">%s</span></p>",
	     _("Area code"), p->area, _("2 digits for a province, 5 for a commune."));
	html(r, "<p><label for=\"f-status\">%s</label><select id=\"f-status\" name=\"status\"><option value=\"\">%s</option>",
	     _("Status"), _("Any"));
	status_options(r, p->status);
	html(r, "</select></p><p><label for=\"f-channel\">%s</label><select id=\"f-channel\" name=\"channel\">"
		"<option value=\"\">%s</option>", _("Received by"), _("Any"));
	channel_options(r, p->channel, true);
	html(r, "</select></p>");
	if ((rc = org_select(r, "f-org", "org", _("Responsible organisation"), p->org_id, _("Any"), true)))
		return rc;
	html(r, "<p><label for=\"f-from\">%s</label><input type=\"date\" id=\"f-from\" name=\"from\" value=\"%s\"></p>"
		"<p><label for=\"f-to\">%s</label><input type=\"date\" id=\"f-to\" name=\"to\" value=\"%s\"></p>",
	     _("Received from"), p->from, _("Received until"), p->to);
	html(r, "<p class=\"buttons\"><button type=\"submit\">%s</button> <a href=\"/cases?queue=%u\">%s</a></p></form>",
	     _("Filter"), p->queue, _("Clear the filters"));
	return RC_OK;
}

static void case_table(Req *r, const CaseList *l)
{
	html(r, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table class=\"cases\"><caption class=\"visually-hidden\">%s</caption>"
		"<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     _("Cases"), _("Cases"), _("Tracking code"), _("Received on"), _("Kind of submission"), _("Subject"), _("Field"),
	     _("Area"), _("Status"), _("Next time limit"));
	for (size_t i = 0; i < l->count; i++) {
		const CaseRow *c = &l->rows[i];
		html(r, "<tr><td><a href=\"/cases/%lld\"><code>%s</code></a></td><td>", (long long)c->id,
		     c->code);
		cases_date(r, c->received_on);
		html(r, "</td><td>%s</td><td><a href=\"/cases/%lld\">%s</a></td><td>%s</td><td>%s</td>"
			"<td>%s",
		     cases_kind(r, c->kind), (long long)c->id, c->title, c->field_name ? c->field_name : "",
		     c->unit_name ? c->unit_name : "", cases_status(r, c->status));
		if (c->org_name && *c->org_name)
			html(r, "<br><span class=\"muted\">%s</span>", c->org_name);
		html(r, "</td><td>");
		cases_date(r, c->next_due);
		badges(r, c->overdue, c->due_soon, c->repeat, c->group);
		html(r, "</td></tr>");
	}
	html(r, "</tbody></table></div>");
}

Rc ui_cases_list(Req *r)
{
	ListParams p;
	CaseFilter f;
	const char *problem = list_params(r, &p, &f);
	if (problem)
		return req_fail(r, RC_INVALID, problem);
	char *folded = text_search_key(p.q);
	f.q = *folded ? folded : NULL;
	CaseList l = {0};
	Rc rc = case_list(r->db, r->user, &f, &l);
	free(folded);
	if (rc)
		return rc;
	page_begin(r, _("Citizens' cases"));
	html(r, "<div class=\"cases-staff\"><h1>%s</h1>", _("Citizens' cases"));
	if (req_can(r, CAP_CASE_RECEIVE))
		html(r, "<p><a class=\"button\" href=\"/cases/new\">%s</a></p>", _("Register a case"));
	queue_tabs(r, &p);
	if ((rc = filter_form(r, &p))) {
		case_list_release(&l);
		return rc;
	}
	if (l.count == 0)
		html(r, "<p class=\"empty\">%s</p>", _("No cases match."));
	else
		case_table(r, &l);
	if (l.more && l.count) {
		Buf url = BUF_INIT;
		list_url(&url, &p, p.queue, true, &l.rows[l.count - 1]);
		html(r, "<nav class=\"pager\" aria-label=\"%s\"><a href=\"%s\" rel=\"next\">%s</a></nav>",
		     _("Pages"), buf_cstr(&url), _("Next page"));
		buf_release(&url);
	}
	/* the same filters as this page, as a file (never personal data) */
	const char *q = strchr(r->raw_uri, '?');
	html(r, "<p class=\"exports\">%s <a href=\"/cases/export.csv%s\">CSV</a> · "
		"<a href=\"/cases/export.xlsx%s\">Excel (XLSX)</a></p>",
	     _("Download this list:"), q ? q : "", q ? q : "");
	html(r, "</div>");
	case_list_release(&l);
	page_end(r);
	return RC_OK;
}

/* ==== desk registration ================================================== */

static void reg_text(Req *r, const CasesErrors *e, const char *id, const char *label,
		     const char *hint, int maxlen)
{
	html(r, "<p><label for=\"%s\">%s</label>", id, label);
	if (hint)
		html(r, "<span class=\"hint\" id=\"%s-hint\">%s</span>", id, hint);
	cases_error_text(r, e, id);
	html(r, "<input id=\"%s\" name=\"%s\" maxlength=\"%d\" value=\"%s\"", id, id, maxlen,
	     req_str(r, id));
	cases_error_attrs(r, e, id, hint != NULL);
	html(r, "></p>");
}

static void reg_how(Req *r, const CasesErrors *e)
{
	char today[11];
	cases_today(today);
	const char *channel = req_param(r, "channel");
	const char *on = req_param(r, "received_on");
	html(r, "<fieldset><legend>%s</legend><p><label for=\"channel\">%s</label>", _("How it arrived"),
	     _("Received by"));
	cases_error_text(r, e, "channel");
	html(r, "<select id=\"channel\" name=\"channel\">");
	channel_options(r, channel ? channel : "desk", false);
	html(r, "</select></p><p><label for=\"received_on\">%s</label><span class=\"hint\" id=\"received_on-hint\">%s</span>",
	     _("Date received"),
	     _("The real date the submission reached you (post stamp, desk register): the time limits count from it."));
	cases_error_text(r, e, "received_on");
	html(r, "<input type=\"date\" id=\"received_on\" name=\"received_on\" max=\"%s\" required value=\"%s\"",
	     today, on ? on : today);
	cases_error_attrs(r, e, "received_on", true);
	html(r, "></p>");
	reg_text(r, e, "forwarded_from", _("Forwarded by (when another body sent it)"),
		 _("The name of the body and the number of its forwarding letter."), CASE_ADDRESS_MAX);
	html(r, "</fieldset>");
}

static void reg_person(Req *r, const CasesErrors *e)
{
	html(r, "<fieldset><legend>%s</legend><p class=\"hint\">%s</p>", _("The citizen"),
	     _("For a denunciation the identity is sealed when it is saved: afterwards only a handling officer holding the vault key can read it."));
	html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"anonymous\" name=\"anonymous\" value=\"1\"%r>"
		"<label for=\"anonymous\">%s</label></div>",
	     str_eq(req_param(r, "anonymous"), "1") ? " checked" : "",
	     _("No name given (anonymous information)"));
	cases_error_text(r, e, "anonymous");
	reg_text(r, e, "name", _("Full name"), NULL, CASE_NAME_MAX);
	reg_text(r, e, "address", _("Address"), NULL, CASE_ADDRESS_MAX);
	reg_text(r, e, "phone", _("Telephone number"), NULL, 20);
	reg_text(r, e, "email", _("E-mail"), NULL, OUTBOX_ADDR_MAX);
	reg_text(r, e, "id_number", _("Citizen identity card number"), NULL, 12);
	html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"signed\" name=\"signed\" value=\"1\"%r",
	     str_eq(req_param(r, "signed"), "1") ? " checked" : "");
	cases_error_attrs(r, e, "signed", false);
	html(r, "><label for=\"signed\">%s</label></div>", _("The petition is signed or finger-printed"));
	cases_error_text(r, e, "signed");
	html(r, "</fieldset>");
}

static void reg_group(Req *r, const CasesErrors *e)
{
	const char *count = req_param(r, "people_count");
	html(r, "<fieldset><legend>%s</legend><p class=\"hint\" id=\"people_count-hint\">%s</p>",
	     _("Group petition"),
	     _("From 5 people on, a petition is a group petition: 5–10 people choose 1 or 2 representatives, more than 10 people up to 5 (Law on Citizen Reception, Art. 29)."));
	html(r, "<p><label for=\"people_count\">%s</label>", _("Number of people"));
	cases_error_text(r, e, "people_count");
	html(r, "<input type=\"number\" id=\"people_count\" name=\"people_count\" min=\"1\" max=\"100000\" value=\"%s\"",
	     count ? count : "1");
	cases_error_attrs(r, e, "people_count", true);
	html(r, "></p>");
	cases_error_text(r, e, "rep1");
	for (int i = 1; i <= CASE_REPRESENTATIVES_MAX; i++) {
		char id[8];
		xsnprintf(id, sizeof id, "rep%d", i);
		html(r, "<p><label for=\"%s\">%s %d</label><input id=\"%s\" name=\"%s\" maxlength=\"%d\" value=\"%s\"",
		     id, _("Representative"), i, id, id, CASE_NAME_MAX, req_str(r, id));
		if (i == 1)
			cases_error_attrs(r, e, id, false);
		html(r, "></p>");
	}
	html(r, "</fieldset>");
}

static Rc reg_form(Req *r, const CasesErrors *e, const Unit *choices, size_t nchoices)
{
	int kind = -1;
	CaseKind k;
	if (case_kind_parse(req_str(r, "kind"), &k))
		kind = (int)k;
	int64_t province_id = 0;
	opt_id(r, "province_id", &province_id);
	page_begin(r, _("Register a case"));
	html(r, "<div class=\"cases-staff\"><p><a href=\"/cases\">%s</a></p><h1>%s</h1>",
	     _("Citizens' cases"), _("Register a case"));
	cases_error_summary(r, e);
	html(r, "<p class=\"lead\">%s</p>",
	     _("Register what reached you at the reception desk, by post, by telephone, from another body, at a dialogue or by online reception, on the citizen's behalf. A submission that mixes a complaint, a denunciation and a petition is registered once and then split into separate linked cases from its page."));
	html(r, "<form method=\"post\" action=\"/cases\" enctype=\"multipart/form-data\" class=\"form case-form\">");
	page_csrf_field(r);
	reg_how(r, e);
	cases_kind_fieldset(r, e, kind, false);
	reg_text(r, e, "title", _("Subject"), NULL, CASE_TITLE_MAX);
	html(r, "<p><label for=\"content\">%s</label>", _("Content"));
	cases_error_text(r, e, "content");
	html(r, "<textarea id=\"content\" name=\"content\" rows=\"10\" maxlength=\"%d\"", CASE_CONTENT_MAX);
	cases_error_attrs(r, e, "content", false);
	html(r, ">%s</textarea></p>", req_str(r, "content"));
	Rc rc = field_select(r, "field_code", "field_code", _("Field"), req_str(r, "field_code"),
			     _("Not classified yet"));
	if (rc)
		return rc;
	if ((rc = cases_place_fields(r, e, province_id, req_str(r, "commune"), 0)))
		return rc;
	cases_place_choices(r, choices, nchoices);
	reg_person(r, e);
	reg_group(r, e);
	cases_criteria_fieldset(r, cases_criteria_param(r), str_eq(req_param(r, "remote"), "1"));
	html(r, "<p><label for=\"files\">%s</label><span class=\"hint\" id=\"files-hint\">%s</span>",
	     _("Scanned documents"),
	     _("The petition and its enclosures: photos, PDF or office documents, up to 5 MB each and 10 per case."));
	cases_error_text(r, e, "files");
	html(r, "<input type=\"file\" id=\"files\" name=\"files\" multiple "
		"accept=\".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx\"");
	cases_error_attrs(r, e, "files", true);
	html(r, "></p><p><button type=\"submit\">%s</button></p></form></div>", _("Register"));
	page_end(r);
	return RC_OK;
}

Rc ui_cases_new(Req *r)
{
	return reg_form(r, NULL, NULL, 0);
}

Rc ui_cases_register(Req *r)
{
	CasesErrors e = {0};
	CaseIntake ci = {0};
	CaseKind k;
	bool kind_set = case_kind_parse(req_str(r, "kind"), &k);
	ci.kind = kind_set ? k : KIND_COUNT; /* case_intake names the missing kind */
	if (!kind_set)
		cases_error_add(&e, "kind", _("Choose what kind of submission this is."));
	ci.channel = req_str(r, "channel");
	ci.received_on = req_str(r, "received_on");
	ci.title = req_str(r, "title");
	ci.content = req_str(r, "content");
	ci.field_code = req_str(r, "field_code");
	ci.anonymous = str_eq(req_param(r, "anonymous"), "1");
	ci.signed_ = str_eq(req_param(r, "signed"), "1");
	ci.name = req_str(r, "name");
	ci.address = req_str(r, "address");
	ci.phone = req_str(r, "phone");
	ci.email = req_str(r, "email");
	ci.id_number = req_str(r, "id_number");
	ci.forwarded_from = req_str(r, "forwarded_from");
	ci.criteria = cases_criteria_param(r);
	ci.remote_area = str_eq(req_param(r, "remote"), "1");
	int64_t people = 1;
	if (*req_str(r, "people_count") && !util_parse_i64(req_str(r, "people_count"), 1, 100000, &people))
		cases_error_add(&e, "people_count", _("Write the number of people (1 or more)."));
	ci.people_count = (int)people;
	for (int i = 0; i < CASE_REPRESENTATIVES_MAX; i++) {
		char id[8];
		xsnprintf(id, sizeof id, "rep%d", i + 1);
		ci.representatives[i] = req_str(r, id);
	}
	if (ci.anonymous)
		ci.name = ci.address = ci.phone = ci.email = ci.id_number = NULL;
	cases_check_texts(r, &e, &ci);
	Unit *choices = NULL;
	size_t nchoices = 0, nfiles = 0;
	Rc rc = cases_place_resolve(r, &e, &ci.unit_id, &choices, &nchoices);
	const char *file_problem = NULL;
	if (!rc && cases_files_check(r, ATTACHMENT_MAX_PER_CASE, &nfiles, &file_problem))
		cases_error_add(&e, "files", file_problem);
	CaseCreated out = {0};
	const char *problem = NULL;
	if (!rc && e.n == 0) {
		/* Two statements: `problem` is only set once the call returns. */
		Rc irc = case_intake(r->db, r->user, &ci, &out, &problem);
		rc = cases_intake_problem(r, &e, irc, problem);
	}
	if (!rc && e.n) {
		r->status = 400;
		rc = reg_form(r, &e, choices, nchoices);
	} else if (!rc) {
		rc = cases_files_store(r, r->db, out.id, 0, false);
	}
	free(choices);
	if (rc || e.n)
		return rc;
	Buf to = BUF_INIT;
	buf_printf(&to, "/cases/%lld?saved=registered", (long long)out.id);
	rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* ==== one case =========================================================== */

static Rc load_case(Req *r, int64_t *id, Case *c)
{
	memset(c, 0, sizeof *c);
	if (!cases_arg_id(r, 0, id))
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	Rc rc = case_load(r->db, r->user, *id, c);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("Case not found"));
	return rc;
}

static void criteria_list(Req *r, unsigned criteria)
{
	int level = case_complexity(criteria);
	html(r, "%s", level == 0 ? _("Not complex") : level == 1 ? _("Complex") : _("Especially complex"));
	if (!criteria)
		return;
	html(r, "<ul class=\"plain\">");
	for (size_t i = 0; i < ARRAY_LEN(cases_criteria); i++)
		if (criteria & cases_criteria[i])
			html(r, "<li>%s</li>", cases_criterion(r, cases_criteria[i]));
	html(r, "</ul>");
}

static void case_facts(Req *r, const Case *c)
{
	html(r, "<dl class=\"facts case-facts\"><dt>%s</dt><dd><code class=\"code\">%s</code></dd>"
		"<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><strong>%s</strong></dd><dt>%s</dt><dd>",
	     _("Tracking code"), c->code, _("Kind of submission"), cases_kind(r, c->kind), _("Status"),
	     cases_status(r, c->status), _("Received on"));
	cases_date(r, c->received_on);
	html(r, " · %s", cases_channel(r, c->channel));
	if (c->forwarded_from && *c->forwarded_from)
		html(r, " — %s", c->forwarded_from);
	html(r, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	     _("Field"), *c->field_name ? c->field_name : _("Not classified yet"), _("Area"),
	     *c->unit_name ? c->unit_name : _("Not known"), _("Responsible organisation"),
	     *c->responsible_org_name ? c->responsible_org_name : _("Not routed yet"));
	html(r, "<dt>%s</dt><dd>%s</dd>", _("Assigned to"),
	     *c->assignee_name ? c->assignee_name : _("Nobody"));
	html(r, "<dt>%s</dt><dd>", _("Complexity"));
	criteria_list(r, c->criteria);
	if (c->remote_area)
		html(r, " · %s", _("Remote or hard-to-reach area"));
	html(r, "</dd>");
	if (c->instance > 1)
		html(r, "<dt>%s</dt><dd>%d</dd>", _("Instance"), c->instance);
	if (c->extensions)
		html(r, "<dt>%s</dt><dd>%d</dd>", _("Extensions"), c->extensions);
	if (c->people_count > 1)
		html(r, "<dt>%s</dt><dd>%d</dd>", _("Number of people"), c->people_count);
	if (*c->refuse_reason) {
		const char *l = case_reason_label(c->refuse_reason);
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Reason"), l ? _(l) : c->refuse_reason);
	}
	if (*c->outcome) {
		const char *l = case_outcome_label(c->outcome);
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Outcome"), l ? _(l) : c->outcome);
	}
	if (c->rating)
		html(r, "<dt>%s</dt><dd>%d/5 %s</dd>", _("Citizen's rating"), c->rating,
		     c->rating_note ? c->rating_note : "");
	if (c->parent_id)
		html(r, "<dt>%s</dt><dd><a href=\"/cases/%lld\">%s</a></dd>", _("Split from"),
		     (long long)c->parent_id, _("the original submission"));
	html(r, "</dl>");
}

static void reveal_form(Req *r, const Case *c)
{
	html(r, "<details class=\"reveal\"><summary>%s</summary><form method=\"post\" "
		"action=\"/cases/%lld/reveal\" class=\"form\" autocomplete=\"off\">",
	     _("Reveal the identity"), (long long)c->id);
	page_csrf_field(r);
	html(r, "<p class=\"hint\" id=\"secret-hint\">%s</p><p><label for=\"secret\">%s</label>"
		"<input type=\"password\" id=\"secret\" name=\"secret\" required minlength=\"64\" maxlength=\"64\" "
		"autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"secret-hint\"></p>"
		"<p><button type=\"submit\">%s</button></p></form></details>",
	     _("Paste the vault's secret key (64 characters) from the offline copy. The identity is shown once on the next page and is not stored; every attempt is recorded in the audit log."),
	     _("Vault secret key"), _("Reveal"));
}

static void case_person(Req *r, const Case *c)
{
	html(r, "<section aria-labelledby=\"person-h\"><h2 id=\"person-h\">%s</h2>",
	     c->kind == KIND_DENUNCIATION ? _("The denouncer") : _("The citizen"));
	if (c->anonymous) {
		html(r, "<p>%s</p></section>", _("Sent without a name (anonymous information)."));
		return;
	}
	if (c->identity_sealed) {
		html(r, "<p>%s <strong>%s</strong></p><p class=\"muted\">%s</p>", _("Pseudonym:"),
		     c->pseudonym, _("The identity is sealed in the vault (Law on Denunciations 2018, Art. 8 and 56)."));
		if (req_can(r, CAP_CASE_HANDLE) && c->personal_visible)
			reveal_form(r, c);
		html(r, "</section>");
		return;
	}
	if (!c->personal_visible) {
		html(r, "<p>%s</p></section>",
		     _("Personal data is shown only to the receiving and responsible organisations."));
		return;
	}
	html(r, "<dl class=\"facts\">");
	const char *labels[] = {_("Full name"), _("Address"), _("Telephone number"), _("E-mail"),
				_("Citizen identity card number")};
	const char *values[] = {c->citizen_name, c->citizen_address, c->citizen_phone,
				c->citizen_email, c->citizen_id_number};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (values[i] && *values[i])
			html(r, "<dt>%s</dt><dd>%s</dd>", labels[i], values[i]);
	for (size_t i = 0; i < ARRAY_LEN(c->representatives); i++)
		if (c->representatives[i])
			html(r, "<dt>%s</dt><dd>%s</dd>", _("Representative"), c->representatives[i]);
	html(r, "</dl></section>");
}

/* ---- action forms ------------------------------------------------------------ */

/* Events of these actions stay internal; every other action's note is
 * shown to the citizen on the tracking page (case_flow.c). */
static bool note_is_internal(const char *action)
{
	return str_eq(action, "classify") || str_eq(action, "archive") || str_eq(action, "reopen");
}

static void doc_fields(Req *r, const char *action, bool doc_required)
{
	char today[11];
	cases_today(today);
	html(r, "<p><label for=\"%s-note\">%s</label><textarea id=\"%s-note\" name=\"note\" rows=\"3\" "
		"maxlength=\"%d\"></textarea></p>",
	     action, note_is_internal(action) ? _("Note (internal)") : _("Note (shown to the citizen)"),
	     action, CASE_TEXT_MAX);
	html(r, "<div class=\"row\"><p><label for=\"%s-doc\">%s</label><input id=\"%s-doc\" name=\"doc_number\" "
		"maxlength=\"60\"%r></p><p><label for=\"%s-date\">%s</label><input type=\"date\" id=\"%s-date\" "
		"name=\"doc_date\" max=\"%s\" value=\"%s\"></p></div>",
	     action, doc_required ? _("Number of the decision (required)") : _("Document number"), action,
	     doc_required ? " required" : "", action, _("Document date"), action, today, today);
}

static void reason_select(Req *r, const char *action, CaseKind kind, bool file)
{
	html(r, "<p><label for=\"%s-reason\">%s</label><select id=\"%s-reason\" name=\"reason_code\" required>"
		"<option value=\"\">%s</option>",
	     action, _("Legal reason"), action, _("Choose…"));
	for (size_t i = 0; i < case_reasons_count; i++) {
		const CaseReason *cr = &case_reasons[i];
		if (cr->file == file && (cr->kinds & (1u << kind)))
			html(r, "<option value=\"%s\">%s</option>", cr->code, _(cr->label));
	}
	html(r, "</select></p>");
}

static void outcome_select(Req *r, CaseKind kind)
{
	static const char *const outcomes[] = {"right", "partly_right", "wrong", "answered"};
	html(r, "<p><label for=\"decide-outcome\">%s</label><select id=\"decide-outcome\" name=\"outcome\" required>"
		"<option value=\"\">%s</option>",
	     _("Outcome"), _("Choose…"));
	for (size_t i = 0; i < ARRAY_LEN(outcomes); i++)
		if (case_outcome_valid(kind, outcomes[i]))
			html(r, "<option value=\"%s\">%s</option>", outcomes[i],
			     _(case_outcome_label(outcomes[i])));
	html(r, "</select></p>");
}

static Rc classify_fields(Req *r, const Case *c)
{
	html(r, "<fieldset class=\"kinds\"><legend>%s</legend>", _("Kind of submission"));
	for (int k = 0; k < KIND_COUNT; k++)
		html(r, "<div class=\"choice\"><input type=\"radio\" id=\"classify-kind-%d\" name=\"kind\" value=\"%s\"%r>"
			"<label for=\"classify-kind-%d\">%s</label></div>",
		     k, case_kind_id((CaseKind)k), k == (int)c->kind ? " checked" : "", k,
		     cases_kind(r, (CaseKind)k));
	html(r, "</fieldset>");
	CaseField *f = NULL;
	size_t n = 0;
	Rc rc = case_fields(r->db, &f, &n);
	if (rc)
		return rc;
	const char *current = "";
	for (size_t i = 0; i < n; i++)
		if (f[i].id == c->field_id)
			current = f[i].code;
	html(r, "<p><label for=\"classify-field\">%s</label><select id=\"classify-field\" name=\"field_code\">"
		"<option value=\"\">%s</option>", _("Field"), _("Not classified yet"));
	field_options(r, f, n, current);
	html(r, "</select></p>");
	case_fields_release(f, n);
	html(r, "<p><label for=\"classify-area\">%s</label><input id=\"classify-area\" name=\"area\" "
		"inputmode=\"numeric\" maxlength=\"5\" pattern=\"[0-9]{2}|[0-9]{5}\" aria-describedby=\"classify-area-hint\">"
		"<span class=\"hint\" id=\"classify-area-hint\">%s %s</span></p>",
	     _("Area code"), _("Leave empty to keep the current area:"),
	     *c->unit_name ? c->unit_name : _("Not known"));
	if ((rc = org_select(r, "classify-org", "responsible_org_id", _("Responsible organisation (the State body that decides)"),
			     c->responsible_org_id, _("Not routed yet"), true)))
		return rc;
	cases_criteria_fieldset(r, c->criteria, c->remote_area);
	return RC_OK;
}

/* The fields an action needs besides note and document. */
static Rc action_fields(Req *r, const Case *c, const char *action)
{
	if (str_eq(action, "classify"))
		return classify_fields(r, c);
	if (str_eq(action, "refuse"))
		reason_select(r, action, c->kind, false);
	else if (str_eq(action, "file"))
		reason_select(r, action, c->kind, true);
	else if (str_eq(action, "decide"))
		outcome_select(r, c->kind);
	else if (str_eq(action, "forward")) {
		html(r, "<p><label for=\"forward-to\">%s</label><input id=\"forward-to\" name=\"forward_to\" maxlength=\"300\"></p>",
		     _("Forward to (the competent body)"));
		return org_select(r, "forward-org", "responsible_org_id",
				  _("or an organisation registered here"), 0, _("None"), false);
	}
	return RC_OK;
}

static Rc action_forms(Req *r, const Case *c)
{
	static const char *const actions[] = {CASE_ACTIONS};
	bool any = false;
	for (size_t i = 0; i < ARRAY_LEN(actions); i++) {
		const char *a = actions[i];
		if (!case_action_allowed(r->user, c, a))
			continue;
		if (!any)
			html(r, "<section aria-labelledby=\"actions-h\"><h2 id=\"actions-h\">%s</h2><div class=\"case-actions\">",
			     _("What to do next"));
		any = true;
		html(r, "<details class=\"action action-%s\"><summary>%s</summary>"
			"<form method=\"post\" action=\"/cases/%lld/act\" class=\"form\">",
		     a, cases_action(r, a), (long long)c->id);
		page_csrf_field(r);
		html(r, "<input type=\"hidden\" name=\"action\" value=\"%s\">", a);
		Rc rc = action_fields(r, c, a);
		if (rc)
			return rc;
		doc_fields(r, a, str_eq(a, "extend"));
		html(r, "<p><button type=\"submit\">%s</button></p></form></details>", cases_action(r, a));
	}
	if (any)
		html(r, "</div></section>");
	return RC_OK;
}

static void text_forms(Req *r, const Case *c)
{
	if (!req_can(r, CAP_CASE_HANDLE))
		return;
	html(r, "<section aria-labelledby=\"write-h\"><h2 id=\"write-h\">%s</h2><div class=\"two-forms\">",
	     _("Reply and notes"));
	html(r, "<form method=\"post\" action=\"/cases/%lld/reply\" class=\"form\">", (long long)c->id);
	page_csrf_field(r);
	html(r, "<p><label for=\"reply-text\">%s</label><span class=\"hint\" id=\"reply-text-hint\">%s</span>"
		"<textarea id=\"reply-text\" name=\"text\" rows=\"5\" maxlength=\"%d\" required "
		"aria-describedby=\"reply-text-hint\"></textarea></p><p><button type=\"submit\">%s</button></p></form>",
	     _("Reply to the citizen"),
	     c->kind == KIND_DENUNCIATION
		     ? _("Shown on the tracking page. No e-mail is sent for a denunciation.")
		     : _("Shown on the tracking page, and sent by e-mail when the citizen gave an address."),
	     CASE_TEXT_MAX, _("Send the reply"));
	html(r, "<form method=\"post\" action=\"/cases/%lld/note\" class=\"form\">", (long long)c->id);
	page_csrf_field(r);
	html(r, "<p><label for=\"note-text\">%s</label><span class=\"hint\" id=\"note-text-hint\">%s</span>"
		"<textarea id=\"note-text\" name=\"text\" rows=\"5\" maxlength=\"%d\" required "
		"aria-describedby=\"note-text-hint\"></textarea></p><p><button type=\"submit\">%s</button></p></form></div></section>",
	     _("Internal note"), _("Seen by staff only, never by the citizen."), CASE_TEXT_MAX,
	     _("Save the note"));
}

static Rc assign_form(Req *r, const Case *c)
{
	int64_t org = c->responsible_org_id ? c->responsible_org_id : c->receiving_org_id;
	if (!may_work(r) || !org)
		return RC_OK;
	AdminUserPage users;
	Rc rc = admin_users_list(r->db, r->user->scope_unit_id, "", org, 0, &users);
	if (rc)
		return rc;
	html(r, "<form method=\"post\" action=\"/cases/%lld/assign\" class=\"form inline-form\">", (long long)c->id);
	page_csrf_field(r);
	html(r, "<p><label for=\"assign-user\">%s</label><select id=\"assign-user\" name=\"user_id\">"
		"<option value=\"0\">%s</option>", _("Assign to"), _("Nobody"));
	uint32_t workers = (1u << ROLE_RECEPTION) | (1u << ROLE_HANDLER);
	for (size_t i = 0; i < users.n; i++) {
		const AdminUserRow *u = &users.rows[i];
		if (u->disabled || !(u->roles & workers))
			continue;
		html(r, "<option value=\"%lld\"%r>%s</option>", (long long)u->id,
		     u->id == c->assignee_id ? " selected" : "", u->name);
	}
	html(r, "</select> <button type=\"submit\">%s</button></p></form>", _("Assign"));
	admin_user_page_free(&users);
	return RC_OK;
}

static void split_form(Req *r, const Case *c)
{
	if (!may_work(r) || !(str_eq(c->status, "received") || str_eq(c->status, "classified")))
		return;
	html(r, "<details class=\"split\"><summary>%s</summary><form method=\"post\" action=\"/cases/%lld/split\" class=\"form\">"
		"<p class=\"hint\">%s</p>",
	     _("Split off a separate case"), (long long)c->id,
	     _("A submission that mixes a complaint, a denunciation and a petition is split: each part becomes its own case, linked to this one, with the same citizen."));
	page_csrf_field(r);
	html(r, "<fieldset class=\"kinds\"><legend>%s</legend>", _("Kind of the new case"));
	for (int k = 0; k < KIND_COUNT; k++)
		html(r, "<div class=\"choice\"><input type=\"radio\" id=\"split-kind-%d\" name=\"kind\" value=\"%s\" required>"
			"<label for=\"split-kind-%d\">%s</label></div>",
		     k, case_kind_id((CaseKind)k), k, cases_kind(r, (CaseKind)k));
	html(r, "</fieldset><p><label for=\"split-title\">%s</label><input id=\"split-title\" name=\"title\" required maxlength=\"%d\"></p>"
		"<p><label for=\"split-content\">%s</label><textarea id=\"split-content\" name=\"content\" rows=\"6\" required maxlength=\"%d\"></textarea></p>"
		"<p><button type=\"submit\">%s</button></p></form></details>",
	     _("Subject"), CASE_TITLE_MAX, _("The part of the content it covers"), CASE_CONTENT_MAX,
	     _("Create the separate case"));
}

static const char *link_kind(Req *r, const char *kind)
{
	if (str_eq(kind, "split"))
		return _("Part of the same submission");
	if (str_eq(kind, "repeat"))
		return _("Repeat: the same person again");
	if (str_eq(kind, "duplicate"))
		return _("Possible duplicate");
	return kind;
}

static Rc links_section(Req *r, const Case *c)
{
	CaseLinkRow *l = NULL;
	size_t n = 0;
	Rc rc = case_links(r->db, c->id, &l, &n);
	if (rc)
		return rc;
	if (!n) {
		free(l);
		return RC_OK;
	}
	html(r, "<section aria-labelledby=\"links-h\"><h2 id=\"links-h\">%s</h2><ul class=\"links-list\">",
	     _("Related cases"));
	for (size_t i = 0; i < n; i++) {
		Case o;
		/* Only cases the reader may open are named. */
		if (case_load(r->db, r->user, l[i].other_id, &o) != RC_OK) {
			html(r, "<li>%s — %s</li>", link_kind(r, l[i].kind), _("a case outside your area"));
			continue;
		}
		html(r, "<li><span class=\"badge\">%s</span> <a href=\"/cases/%lld\"><code>%s</code> %s</a> · %s · ",
		     link_kind(r, l[i].kind), (long long)o.id, o.code, o.title, cases_status(r, o.status));
		cases_date(r, o.received_on);
		case_release(&o);
		if (!str_eq(l[i].kind, "split") && !l[i].confirmed && may_work(r)) {
			html(r, " <span class=\"muted\">(%s)</span><form method=\"post\" action=\"/cases/%lld/link\" class=\"inline\">",
			     _("suggested"), (long long)c->id);
			page_csrf_field(r);
			html(r, "<input type=\"hidden\" name=\"other\" value=\"%lld\"><input type=\"hidden\" name=\"kind\" value=\"%s\">"
				"<button type=\"submit\" name=\"confirm\" value=\"1\">%s</button> "
				"<button type=\"submit\" name=\"confirm\" value=\"0\" class=\"secondary\">%s</button></form>",
			     (long long)l[i].other_id, l[i].kind, _("Confirm"), _("Dismiss"));
		} else if (!str_eq(l[i].kind, "split")) {
			html(r, " <span class=\"muted\">(%s)</span>", l[i].confirmed ? _("confirmed") : _("suggested"));
		}
		html(r, "</li>");
	}
	html(r, "</ul></section>");
	free(l);
	return RC_OK;
}

/* The files may show a denouncer's handwriting (Law 25/2018 Art. 8): a
 * denunciation, or any case whose identity is sealed (a part split off a
 * denunciation keeps its seal whatever its kind). */
static bool protected_files(const Case *c)
{
	return c->kind == KIND_DENUNCIATION || c->identity_sealed;
}

/* May the reader open this case's files?  Non-public ones may carry
 * personal data (a scanned letter): the receiving and responsible
 * organisations only; protected ones: handling officers only. */
static bool may_download(Req *r, const Case *c, const Attachment *a)
{
	if (protected_files(c))
		return req_can(r, CAP_CASE_HANDLE) && c->personal_visible;
	return a->public_ || c->personal_visible;
}

static Rc files_section(Req *r, const Case *c)
{
	Attachment *a = NULL;
	size_t n = 0;
	Rc rc = attachment_list(r->db, c->id, &a, &n);
	if (rc)
		return rc;
	html(r, "<section aria-labelledby=\"files-h\"><h2 id=\"files-h\">%s</h2>", _("Attached files"));
	if (!n)
		html(r, "<p>%s</p>", _("None."));
	else
		html(r, "<ul class=\"files\">");
	for (size_t i = 0; i < n; i++) {
		html(r, "<li>");
		if (may_download(r, c, &a[i]))
			html(r, "<a href=\"/cases/%lld/attachments/%lld\" download>%s</a>", (long long)c->id,
			     (long long)a[i].id, a[i].filename);
		else
			html(r, "%s", a[i].filename);
		html(r, " <span class=\"muted\">(%s, ", cases_type_label(r, a[i].content_type));
		cases_size(r, a[i].size);
		html(r, ")</span>");
		if (a[i].public_)
			html(r, " <span class=\"badge\">%s</span>", _("shown to the citizen"));
		html(r, "</li>");
	}
	if (n)
		html(r, "</ul>");
	if (protected_files(c) && !req_can(r, CAP_CASE_HANDLE) && n)
		html(r, "<p class=\"muted\">%s</p>", _("The files of a denunciation may show the denouncer's handwriting: only handling officers may open them."));
	attachment_list_release(a, n);
	if (!may_work(r) || n >= ATTACHMENT_MAX_PER_CASE) {
		html(r, "</section>");
		return RC_OK;
	}
	html(r, "<form method=\"post\" action=\"/cases/%lld/attachments\" enctype=\"multipart/form-data\" class=\"form\">",
	     (long long)c->id);
	page_csrf_field(r);
	html(r, "<p><label for=\"attach-files\">%s</label><span class=\"hint\" id=\"attach-files-hint\">%s</span>"
		"<input type=\"file\" id=\"attach-files\" name=\"files\" multiple required "
		"accept=\".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx\" aria-describedby=\"attach-files-hint\"></p>",
	     _("Add files"), _("Photos, PDF or office documents, up to 5 MB each and 10 per case."));
	if (req_can(r, CAP_CASE_HANDLE))
		html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"attach-public\" name=\"public\" value=\"1\">"
			"<label for=\"attach-public\">%s</label></div>",
		     _("Show to the citizen on the tracking page (a decision or answer document, with no personal data of others)"));
	html(r, "<p><button type=\"submit\">%s</button></p></form></section>", _("Upload"));
	return RC_OK;
}

static Rc history_section(Req *r, const Case *c)
{
	CaseEvent *ev = NULL;
	size_t n = 0;
	bool truncated = false;
	Rc rc = case_events(r->db, c->id, false, &ev, &n, &truncated);
	if (rc)
		return rc;
	html(r, "<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">%s</h2><ol class=\"timeline\">",
	     _("History"));
	for (size_t i = n; i-- > 0;) {
		const CaseEvent *e = &ev[i];
		html(r, "<li><p class=\"when\">");
		cases_time(r, e->at);
		html(r, " — <strong>%s</strong>", cases_action(r, e->action));
		if (e->to_status[0] && e->from_status[0] && !str_eq(e->to_status, e->from_status))
			html(r, " (%s → %s)", cases_status(r, e->from_status), cases_status(r, e->to_status));
		else if (e->to_status[0] && !e->from_status[0])
			html(r, " (%s)", cases_status(r, e->to_status));
		html(r, " · %s", str_eq(e->actor, "citizen") ? _("the citizen") : e->actor);
		if (e->citizen)
			html(r, " <span class=\"badge\">%s</span>", _("shown to the citizen"));
		html(r, "</p>");
		if (e->doc_number && *e->doc_number) {
			html(r, "<p class=\"doc\">%s %s", _("Document no."), e->doc_number);
			if (e->doc_date[0]) {
				html(r, ", ");
				cases_date(r, e->doc_date);
			}
			html(r, "</p>");
		}
		if (e->note && *e->note)
			html(r, "<div class=\"reply\">%s</div>", e->note);
		html(r, "</li>");
	}
	html(r, "</ol>");
	if (truncated)
		html(r, "<p class=\"muted\">%s</p>", _("Only the first 1,000 entries are shown."));
	html(r, "</section>");
	case_events_free(ev, n);
	return RC_OK;
}

static void saved_notice(Req *r)
{
	const char *s = req_param(r, "saved");
	const char *msg = str_eq(s, "registered") ? _("The case has been registered.")
			: str_eq(s, "split") ? _("The separate case has been created and linked.")
			: s ? _("Saved.") : NULL;
	if (msg)
		html(r, "<p class=\"notice\" role=\"status\">%s</p>", msg);
}

Rc ui_case_show(Req *r)
{
	int64_t id;
	Case c;
	Rc rc = load_case(r, &id, &c);
	if (rc) {
		case_release(&c);
		return rc;
	}
	page_begin(r, c.code);
	html(r, "<div class=\"cases-staff case-page\"><p><a href=\"/cases\">%s</a></p>"
		"<h1><span class=\"muted\">%s</span> %s</h1><p class=\"status-line\"><span class=\"badge status\">%s</span>",
	     _("Citizens' cases"), c.code, c.title, cases_status(r, c.status));
	badges(r, false, false, false, c.people_count >= CASE_GROUP_MIN);
	html(r, "</p>");
	saved_notice(r);
	case_facts(r, &c);
	if (!rc)
		rc = assign_form(r, &c);
	if (!rc) {
		case_person(r, &c);
		html(r, "<section aria-labelledby=\"content-h\"><h2 id=\"content-h\">%s</h2>"
			"<div class=\"case-content\">%s</div></section>", _("Content"), c.content);
		rc = cases_deadline_table(r, &c, false);
	}
	if (!rc)
		rc = action_forms(r, &c);
	if (!rc) {
		text_forms(r, &c);
		split_form(r, &c);
		rc = links_section(r, &c);
	}
	if (!rc)
		rc = files_section(r, &c);
	if (!rc)
		rc = history_section(r, &c);
	if (!rc) {
		html(r, "</div>");
		page_end(r);
	}
	case_release(&c);
	return rc;
}

Rc ui_case_attachment(Req *r)
{
	int64_t id, file_id = 0;
	Case c;
	Rc rc = load_case(r, &id, &c);
	Attachment a = {0};
	if (!rc && !cases_arg_id(r, 1, &file_id))
		rc = req_fail(r, RC_NOT_FOUND, _("File not found"));
	if (!rc) {
		rc = attachment_load(r->db, c.id, file_id, &a);
		if (rc == RC_NOT_FOUND)
			rc = req_fail(r, RC_NOT_FOUND, _("File not found"));
	}
	if (!rc && !may_download(r, &c, &a))
		rc = req_fail(r, RC_FORBIDDEN,
			      protected_files(&c)
				      ? _("The files of a denunciation may show the denouncer's handwriting: only handling officers may open them.")
				      : _("Only the receiving and responsible organisations may open this file."));
	if (!rc)
		cases_send_file(r, &a);
	attachment_release(&a);
	case_release(&c);
	return rc;
}
