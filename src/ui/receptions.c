/*
 * receptions.c — the citizens' reception schedule.
 *
 * /lich-tiep-cong-dan (public, page-cached): the coming receptions by
 * day — "Thứ Hai, 7/12/2026", the hours, who receives, where, and what
 * kind — with a cancelled one marked rather than hidden, and what to
 * bring.  /receptions (CAP_DIALOGUE): the same for the reader's area,
 * with the form to add one and a button to cancel each.
 */
#include "receptions.h"
#include "admin.h"
#include "page.h"
#include "portal.h"
#include "../base/date.h"
#include "../domain/admin.h"
#include "../domain/reception.h"

#define ORG_CHOICES_MAX 500

static const char *kind_label(Req *r, const char *kind)
{
	if (str_eq(kind, "regular"))
		return _("Regular reception");
	if (str_eq(kind, "unscheduled"))
		return _("Unscheduled reception");
	return _("Direct dialogue");
}

/* "Thứ Hai, 7/12/2026" (en "Monday, 7 December 2026") */
static void day_heading(Req *r, const char *iso)
{
	Date d;
	if (!date_parse_iso(iso, &d))
		return;
	Buf b = BUF_INIT;
	if (str_eq(r->lang, "en"))
		date_format_en_long(&b, d);
	else
		date_format_vi_long(&b, d);
	html(r, "%s", buf_cstr(&b));
	buf_release(&b);
}

/* The schedule as a list of days, each with its receptions.  With
 * `cancel_forms`, a cancel button on each (staff). */
static void schedule(Req *r, const ReceptionList *l, bool cancel_forms)
{
	if (!l->count) {
		html(r, "<p class=\"empty\">%s</p>", _("No reception is scheduled yet."));
		return;
	}
	const char *day = "";
	for (size_t i = 0; i < l->count; i++) {
		const Reception *e = &l->rows[i];
		if (!str_eq(day, e->day)) {
			if (*day)
				html(r, "</ul></section>");
			day = e->day;
			html(r, "<section class=\"reception-day\"><h2>");
			day_heading(r, e->day);
			html(r, "</h2><ul class=\"receptions\">");
		}
		html(r, "<li%r><p><strong>%s", e->cancelled ? " class=\"cancelled\"" : "", e->start_time);
		if (e->end_time[0])
			html(r, "–%s", e->end_time);
		html(r, "</strong> · %s", kind_label(r, e->kind));
		if (e->cancelled)
			html(r, " · <strong>%s</strong>", _("Cancelled"));
		html(r, "</p><p>%s: %s</p><p>%s: %s</p><p class=\"muted\">%s</p>", _("Receiving citizens"),
		     e->host, _("Place"), e->place, e->org_name);
		if (e->note[0])
			html(r, "<p>%s</p>", e->note);
		if (cancel_forms && !e->cancelled) {
			html(r, "<form method=\"post\" action=\"/receptions/%lld/cancel\" class=\"inline\">",
			     (long long)e->id);
			page_csrf_field(r);
			html(r, "<button type=\"submit\">%s</button></form>", _("Cancel this reception"));
		}
		html(r, "</li>");
	}
	html(r, "</ul></section>");
}

Rc ui_reception_public(Req *r)
{
	char today[11];
	date_vn_today_iso(today);
	ReceptionList l;
	Rc rc = reception_list(r->db, NULL, today, RECEPTION_LIST_MAX, &l);
	if (rc)
		return rc;
	PortalMeta meta = {
		.canonical = "/lich-tiep-cong-dan",
		.description = _("When and where leaders receive citizens in person."),
	};
	portal_begin(r, _("Citizen reception schedule"), &meta, NULL);
	html(r, "<div class=\"receptions-page\"><h1>%s</h1><p>%s</p><p>%s</p>",
	     _("Citizen reception schedule"),
	     _("Leaders receive citizens in person on the days below: to make a petition, complaint or denunciation, or to follow one. Bring your identity card and any papers about your matter."),
	     _("You can also send a petition online at any time."));
	schedule(r, &l, false);
	html(r, "<p><a class=\"button\" href=\"/gui-don\">%s</a></p></div>", _("Send a petition"));
	reception_list_release(&l);
	portal_end(r);
	return RC_OK;
}

/* The staff page: the form (with `problem` and the values sent, after a
 * refused one) and the area's schedule. */
static Rc staff_page(Req *r, const char *problem)
{
	char today[11];
	date_vn_today_iso(today);
	ReceptionList l;
	Rc rc = reception_list(r->db, r->user, today, RECEPTION_LIST_MAX, &l);
	if (rc)
		return rc;
	AdminOrgPage orgs;
	if ((rc = admin_org_choices(r->db, r->user->scope_unit_id, ORG_CHOICES_MAX, &orgs))) {
		reception_list_release(&l);
		return rc;
	}
	page_begin(r, _("Citizen reception schedule"));
	html(r, "<div class=\"receptions-page\"><h1>%s</h1><p><a href=\"/lich-tiep-cong-dan\">%s</a></p>",
	     _("Citizen reception schedule"), _("The public page"));
	if (str_eq(req_str(r, "saved"), "1"))
		html(r, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	html(r, "<h2>%s</h2>", _("Add a reception"));
	if (problem)
		html(r, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>", problem);
	html(r, "<form method=\"post\" action=\"/receptions\" class=\"form\">");
	page_csrf_field(r);
	int64_t chosen = 0;
	if (!util_parse_i64(req_str(r, "org"), 1, INT64_MAX, &chosen))
		chosen = r->user->org_id;
	html(r, "<p><label for=\"org\">%s</label><select id=\"org\" name=\"org\">", _("Organisation"));
	for (size_t i = 0; i < orgs.n; i++)
		admin_html_org_option(r, &orgs.rows[i], chosen);
	html(r, "</select></p>");
	const char *day = req_str(r, "day");
	html(r, "<p><label for=\"day\">%s</label><input type=\"date\" id=\"day\" name=\"day\" required "
		"min=\"%s\" value=\"%s\"></p>"
		"<p><label for=\"start\">%s</label><input type=\"time\" id=\"start\" name=\"start\" required "
		"value=\"%s\"></p><p><label for=\"end\">%s</label><input type=\"time\" id=\"end\" name=\"end\" "
		"value=\"%s\"></p>",
	     _("Date"), today, *day ? day : today, _("Starting time"), req_str(r, "start"),
	     _("Ending time (optional)"), req_str(r, "end"));
	const char *kind = req_str(r, "kind");
	html(r, "<p><label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\">", _("Kind of reception"));
	static const char *const kinds[] = {"regular", "unscheduled", "dialogue"};
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		html(r, "<option value=\"%s\"%r>%s</option>", kinds[i], str_eq(kind, kinds[i]) ? " selected" : "",
		     kind_label(r, kinds[i]));
	html(r, "</select></p>"
		"<p><label for=\"host\">%s</label><input id=\"host\" name=\"host\" required maxlength=\"300\" "
		"value=\"%s\" aria-describedby=\"host-hint\"><span class=\"hint\" id=\"host-hint\">%s</span></p>"
		"<p><label for=\"place\">%s</label><input id=\"place\" name=\"place\" required maxlength=\"300\" "
		"value=\"%s\"></p><p><label for=\"note\">%s</label><textarea id=\"note\" name=\"note\" "
		"maxlength=\"1000\" rows=\"3\">%s</textarea></p>"
		"<p><button type=\"submit\">%s</button></p></form>",
	     _("Receiving citizens"), req_str(r, "host"),
	     _("Name and title, e.g. Comrade Nguyễn Văn A, Chair of the People's Committee."), _("Place"),
	     req_str(r, "place"), _("Notes for citizens (optional)"), req_str(r, "note"), _("Add"));
	html(r, "<h2>%s</h2>", _("Coming receptions in your area"));
	schedule(r, &l, true);
	html(r, "</div>");
	admin_org_page_free(&orgs);
	reception_list_release(&l);
	page_end(r);
	return RC_OK;
}

Rc ui_receptions(Req *r)
{
	return staff_page(r, NULL);
}

Rc ui_reception_add(Req *r)
{
	int64_t org = 0;
	if (!util_parse_i64(req_str(r, "org"), 1, INT64_MAX, &org))
		org = 0;
	ReceptionIn in = {
		.org_id = org, .day = req_str(r, "day"), .start_time = req_str(r, "start"),
		.end_time = req_str(r, "end"), .kind = req_str(r, "kind"), .host = req_str(r, "host"),
		.place = req_str(r, "place"), .note = req_str(r, "note"),
	};
	int64_t id = 0;
	const char *problem = NULL;
	Rc rc = reception_add(r->db, r->user, &in, &id, &problem);
	if (problem && (rc == RC_INVALID || rc == RC_FORBIDDEN)) {
		r->status = 400;
		return staff_page(r, _(problem));
	}
	return rc ? rc : req_redirect(r, "/receptions?saved=1");
}

Rc ui_reception_cancel(Req *r)
{
	int64_t id = 0;
	if (!admin_arg_id(r, &id))
		return req_fail(r, RC_NOT_FOUND, NULL);
	Rc rc = reception_cancel(r->db, r->user, id);
	return rc ? rc : req_redirect(r, "/receptions?saved=1");
}
