/*
 * moderation.c — the moderation queue of readers' feedback (/moderation):
 * tabs by status with counts, each feedback with the sender's details
 * and the article it is about, and one-click decisions: approve (shown
 * under the article), reject, spam, or make it a citizen's case.
 *
 * Everything here needs CAP_NEWS_PUBLISH (the route rows; the domain
 * checks again).  The sender's e-mail, phone and address are shown to
 * moderators only, never on the public page.  After a decision the
 * moderator comes back to the tab they were on, with a notice.
 */
#include "newsroom.h"
#include "page.h"
#include "../domain/feedback.h"

#define PAGE_SIZE 30

static const struct {
	const char *id, *label;
} tabs[] = {
	{"pending", "Waiting"},
	{"approved", "Approved"},
	{"rejected", "Rejected"},
	{"spam", "Spam"},
};

static bool tab_valid(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		if (str_eq(s, tabs[i].id))
			return true;
	return false;
}

static const char *status_label(Req *r, const char *status)
{
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		if (str_eq(status, tabs[i].id))
			return tr(r->lang, tabs[i].label);
	return status;
}

static void decision_form(Req *r, const Feedback *f, const char *tab, const char *action,
			  const char *label, bool secondary)
{
	html(r, "<form method=\"post\" action=\"/moderation/%lld/%s\" class=\"inline\">", (long long)f->id,
	     action);
	page_csrf_field(r);
	html(r, "<input type=\"hidden\" name=\"tab\" value=\"%s\"><button type=\"submit\"%r>%s</button></form> ",
	     tab, secondary ? " class=\"secondary\"" : "", label);
}

static void notice(Req *r)
{
	const char *done = req_str(r, "done");
	const char *msg = str_eq(done, "approve") ? _("Approved: it is shown under the article.")
			: str_eq(done, "reject") ? _("Rejected.")
			: str_eq(done, "spam") ? _("Marked as spam.")
			: str_eq(done, "case") ? _("A case was made of it. Tracking code:") : NULL;
	if (!msg)
		return;
	html(r, "<p class=\"notice\" role=\"status\">%s", msg);
	if (str_eq(done, "case"))
		html(r, " <code class=\"code\">%s</code>", req_str(r, "code"));
	html(r, "</p>");
}

static void feedback_item(Req *r, const Feedback *f, const char *tab)
{
	html(r, "<li class=\"feedback-item\"><article aria-labelledby=\"fb-%lld\"><h2 id=\"fb-%lld\">%s</h2>"
		"<dl class=\"facts case-facts\"><dt>%s</dt><dd>",
	     (long long)f->id, (long long)f->id, f->name, _("Sent on"));
	newsroom_time(r, f->created_at);
	html(r, "</dd><dt>%s</dt><dd><a href=\"/newsroom/%lld\">%s</a></dd>", _("About the article"),
	     (long long)f->article_id, f->article_title);
	if (*f->email)
		html(r, "<dt>%s</dt><dd><a href=\"mailto:%s\">%s</a></dd>", _("E-mail"), f->email, f->email);
	if (*f->phone)
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Phone"), f->phone);
	if (*f->address)
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Address"), f->address);
	html(r, "<dt>%s</dt><dd>%s", _("Status"), status_label(r, f->status));
	if (*f->moderator_name) {
		html(r, " — %s, ", f->moderator_name);
		newsroom_time(r, f->moderated_at);
	}
	html(r, "</dd>");
	if (f->case_id) {
		html(r, "<dt>%s</dt><dd>", _("Case"));
		if (req_can(r, CAP_CASE_VIEW))
			html(r, "<a href=\"/cases/%lld\"><code class=\"code\">%s</code></a>", (long long)f->case_id,
			     f->case_code);
		else
			html(r, "<code class=\"code\">%s</code>", f->case_code);
		html(r, "</dd>");
	}
	html(r, "</dl><div class=\"case-content\">%s</div><div class=\"case-actions\">", f->content);
	if (!str_eq(f->status, "approved"))
		decision_form(r, f, tab, "approve", _("Approve"), false);
	if (!str_eq(f->status, "rejected"))
		decision_form(r, f, tab, "reject", _("Reject"), true);
	if (!str_eq(f->status, "spam"))
		decision_form(r, f, tab, "spam", _("Spam"), true);
	if (!f->case_id && !str_eq(f->status, "spam"))
		decision_form(r, f, tab, "case", _("Make it a case"), true);
	html(r, "</div></article></li>");
}

Rc ui_moderation_list(Req *r)
{
	const char *status = req_param(r, "status");
	if (!status || !*status)
		status = "pending";
	int64_t page = 1;
	const char *pv = req_str(r, "page");
	if (!tab_valid(status) || (*pv && !util_parse_i64(pv, 1, 100000, &page)))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	int64_t counts[ARRAY_LEN(tabs)];
	Rc rc = RC_OK;
	for (size_t i = 0; !rc && i < ARRAY_LEN(tabs); i++)
		rc = feedback_count(r->db, r->user, tabs[i].id, &counts[i]);
	FeedbackList l = {0};
	if (!rc)
		rc = feedback_queue(r->db, r->user, status, PAGE_SIZE, (int)((page - 1) * PAGE_SIZE), &l);
	if (rc)
		return newsroom_refused(r, rc, NULL);
	page_begin(r, _("Feedback moderation"));
	html(r, "<div class=\"newsroom moderation\"><p><a href=\"/newsroom\">%s</a></p><h1>%s</h1>",
	     _("Back to the newsroom"), _("Feedback moderation"));
	notice(r);
	html(r, "<nav aria-label=\"%s\"><ul class=\"queue-tabs\">", _("Feedback by status"));
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		html(r, "<li><a href=\"/moderation?status=%s\"%r>%s (%lld)</a></li>", tabs[i].id,
		     str_eq(status, tabs[i].id) ? " aria-current=\"page\"" : "", tr(r->lang, tabs[i].label),
		     (long long)counts[i]);
	html(r, "</ul></nav>");
	if (!l.count)
		html(r, "<p class=\"empty\">%s</p>", _("Nothing here."));
	else
		html(r, "<ol class=\"plain moderation-list\">");
	for (size_t i = 0; i < l.count; i++)
		feedback_item(r, &l.rows[i], status);
	if (l.count)
		html(r, "</ol>");
	if (page > 1 || l.more) {
		html(r, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
		if (page > 1)
			html(r, "<a href=\"/moderation?status=%s&amp;page=%lld\" rel=\"prev\">%s</a>", status,
			     (long long)(page - 1), _("Previous page"));
		if (l.more)
			html(r, "<a href=\"/moderation?status=%s&amp;page=%lld\" rel=\"next\">%s</a>", status,
			     (long long)(page + 1), _("Next page"));
		html(r, "</nav>");
	}
	html(r, "</div>");
	feedback_list_release(&l);
	page_end(r);
	return RC_OK;
}

/* Back to the tab the moderator came from. */
static Rc back(Req *r, const char *done, const char *code)
{
	const char *tab = req_str(r, "tab");
	if (!tab_valid(tab))
		tab = "pending";
	Buf to = BUF_INIT;
	buf_printf(&to, "/moderation?status=%s&done=%s", tab, done);
	if (code)
		buf_printf(&to, "&code=%u", code);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

static Rc decide(Req *r, const char *decision)
{
	int64_t id;
	if (!newsroom_arg_id(r, 0, &id))
		return req_fail(r, RC_NOT_FOUND, _("Feedback not found"));
	Rc rc = feedback_moderate(r->db, r->user, id, decision);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, rc, _("Feedback not found"));
	if (rc)
		return newsroom_refused(r, rc, NULL);
	return back(r, decision, NULL);
}

Rc ui_moderation_approve(Req *r)
{
	return decide(r, "approve");
}

Rc ui_moderation_reject(Req *r)
{
	return decide(r, "reject");
}

Rc ui_moderation_spam(Req *r)
{
	return decide(r, "spam");
}

Rc ui_moderation_case(Req *r)
{
	int64_t id;
	if (!newsroom_arg_id(r, 0, &id))
		return req_fail(r, RC_NOT_FOUND, _("Feedback not found"));
	CaseCreated c;
	const char *problem = NULL;
	Rc rc = feedback_to_case(r->db, r->user, id, &c, &problem);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, rc, _("Feedback not found"));
	if (rc == RC_CONFLICT)
		return req_fail(r, rc, _("This feedback is already a case, or is marked as spam."));
	if (rc)
		return newsroom_refused(r, rc, problem);
	return back(r, "case", c.code);
}
