/*
 * portal_article.c — one article as the public reads it (/tin/<slug>),
 * its print view (/tin/<slug>/in), and the two forms that hang off it:
 * "Phản hồi", the reader's feedback (/tin/<slug>/phan-hoi), and "Gửi cho
 * bạn bè", sending it to a friend by e-mail (/tin/<slug>/gui-ban-be).
 *
 * The article page follows the portal's own pages (the seed): the date
 * and time, title, lead, body with figures and their captions, the
 * author, then category and tags, the tools (print, send to a friend,
 * share on Facebook or Zalo by plain links — no third-party script),
 * the approved feedback with the way to send one, "Các tin khác" (the
 * same category's other recent news) and "Xem nhiều nhất".
 *
 * Why the forms are on their own pages: the article page is cached for
 * every visitor (R_PUBLIC_CACHE), and a form needs the visitor's own CSRF
 * token, which a shared cached page must not carry.  The form pages are
 * small and uncached; after a successful submission they redirect (303)
 * to themselves with ?da-gui=1, so a reload never sends twice.
 *
 * Bodies are rendered by markup_render, which escapes everything; all
 * other text goes through html()'s %s.  The sender's e-mail, phone and
 * address are never shown: feedback_public returns name, date and text.
 */
#include "portal.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/feedback.h"
#include "../domain/markup.h"
#include "../web/views.h"

#define OTHER_NEWS 8
#define FEEDBACK_SHOWN 50
#define SHARE_MESSAGE_MAX 500


/* The article named by the first path segment, public only. */
static Rc load(Req *r, Article *a)
{
	if (r->nargs < 1 || strlen(r->args[0]) > ARTICLE_SLUG_MAX + 7)
		return RC_NOT_FOUND;
	return article_by_slug(r->db, r->args[0], a);
}

/* "Thứ Bảy, 22/6/2024, 09:15" (English: "Saturday, 22 June 2024, 09:15"). */
static void long_time(Req *r, int64_t t)
{
	Date d = date_vn_from_unix(t);
	int64_t secs = (t + VN_UTC_OFFSET_SECONDS) % 86400;
	if (secs < 0)
		secs += 86400;
	Buf day = BUF_INIT, iso = BUF_INIT;
	if (str_eq(r->lang, "en"))
		date_format_en_long(&day, d);
	else
		date_format_vi_long(&day, d);
	date_format_vn_timestamp(&iso, t);
	html(r, "<time datetime=\"%s\">%s, %02d:%02d</time>", buf_cstr(&iso), buf_cstr(&day),
	     (int)(secs / 3600), (int)(secs / 60 % 60));
	buf_release(&day);
	buf_release(&iso);
}

/* Tags as search links: "Dân vận khéo" → /tim-kiem?q=Dân%20vận%20khéo. */
static void tags(Req *r, const char *list)
{
	if (!list || !*list)
		return;
	html(r, "<p class=\"tags\"><span>%s:</span> ", _("Tags"));
	const char *p = list;
	bool first = true;
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		if (n) {
			html(r, "%r<a href=\"/tim-kiem?q=%.*u\" rel=\"tag\">%.*s</a>", first ? "" : ", ",
			     (int)n, p, (int)n, p);
			first = false;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	html(r, "</p>");
}

static void article_url(Buf *b, const char *slug)
{
	portal_site_url(b);
	buf_printf(b, "/tin/%u", slug);
}

/* Print, send to a friend, share: plain links, no script.  The share
 * addresses are written out in the format (codecheck wants it literal):
 * Facebook's sharer, and Zalo's share endpoint for a plain link (the
 * no-SDK form; check it against Zalo's documentation when deploying). */
static void tools(Req *r, const Article *a)
{
	Buf url = BUF_INIT;
	article_url(&url, a->slug);
	html(r, "<ul class=\"article-tools\" aria-label=\"%s\">"
		"<li><a href=\"/tin/%u/in\" rel=\"nofollow\">%s</a></li>"
		"<li><a href=\"/tin/%u/gui-ban-be\" rel=\"nofollow\">%s</a></li>"
		"<li><a href=\"https://www.facebook.com/sharer/sharer.php?u=%u\" rel=\"nofollow noopener\">%s"
		"<span class=\"visually-hidden\"> (%s)</span></a></li>"
		"<li><a href=\"https://sp.zalo.me/share_inline?url=%u\" rel=\"nofollow noopener\">%s"
		"<span class=\"visually-hidden\"> (%s)</span></a></li></ul>",
	     _("Article tools"), a->slug, _("Print"), a->slug, _("Send to a friend"),
	     buf_cstr(&url), _("Share on Facebook"), _("opens another website"), buf_cstr(&url),
	     _("Share on Zalo"), _("opens another website"));
	buf_release(&url);
}

static void feedback_section(Req *r, const Article *a)
{
	FeedbackList fl;
	memset(&fl, 0, sizeof fl);
	feedback_public(r->db, a->id, FEEDBACK_SHOWN, &fl);
	html(r, "<section class=\"feedback\" aria-labelledby=\"phan-hoi\"><h2 id=\"phan-hoi\">%s</h2>",
	     _("Feedback"));
	if (fl.count) {
		html(r, "<ol class=\"feedback-list\">");
		for (size_t i = 0; i < fl.count; i++) {
			html(r, "<li><p class=\"who\"><strong>%s</strong> · ", fl.rows[i].name);
			portal_time(r, fl.rows[i].created_at, true);
			html(r, "</p><p class=\"text\">%s</p></li>", fl.rows[i].content);
		}
		html(r, "</ol>");
	} else {
		html(r, "<p class=\"muted\">%s</p>", _("No feedback has been published on this article yet."));
	}
	html(r, "<p><a class=\"button\" href=\"/tin/%u/phan-hoi\">%s</a></p>"
		"<p class=\"hint\">%s</p></section>",
	     a->slug, _("Send your feedback"),
	     _("Feedback is published after moderation. Your e-mail, phone and address are never published."));
	feedback_list_release(&fl);
}

static void other_news(Req *r, const Article *a)
{
	ArticleList l;
	if (article_latest(r->db, a->category_id, a->id, OTHER_NEWS, 0, 0, &l) != RC_OK)
		return;
	if (l.count) {
		html(r, "<section class=\"box\" aria-labelledby=\"other-news\"><h2 id=\"other-news\">%s</h2>",
		     _("Other news"));
		portal_article_list(r, &l, PORTAL_LIST_COMPACT);
		html(r, "</section>");
	}
	article_list_release(&l);
}

Rc ui_portal_article(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	Image *imgs = NULL;
	size_t nimgs = 0;
	if ((rc = image_list(r->db, a.id, &imgs, &nimgs))) {
		article_release(&a);
		return rc;
	}
	/* the dispatcher counts the view, on page-cache hits too */
	r->view_id = a.id;
	Buf canonical = BUF_INIT, image = BUF_INIT, feed = BUF_INIT;
	buf_printf(&canonical, "/tin/%u", a.slug);
	if (nimgs)
		buf_printf(&image, "/anh/%lld", (long long)imgs[0].id);
	buf_printf(&feed, "/chuyen-muc/%u", a.category_slug);
	PortalMeta meta = {
		.canonical = buf_cstr(&canonical),
		.description = a.lead,
		.type = "article",
		.image = nimgs ? buf_cstr(&image) : NULL,
		.published = a.publish_at,
		.feed = buf_cstr(&feed),
		.feed_title = a.category_name,
	};
	portal_begin(r, a.title, &meta, a.category_slug);
	html(r, "<nav class=\"breadcrumb\" aria-label=\"%s\"><ol><li><a href=\"/\">%s</a></li>"
		"<li><a href=\"/chuyen-muc/%u\">%s</a></li></ol></nav>",
	     _("Breadcrumb"), _("Home"), a.category_slug, a.category_name ? a.category_name : "");
	html(r, "<div class=\"portal-grid\"><div class=\"portal-main\"><article class=\"news\">"
		"<header><p class=\"meta\">");
	long_time(r, a.publish_at);
	html(r, "</p><h1>%s</h1></header>", a.title);
	if (a.lead && *a.lead)
		html(r, "<p class=\"article-lead\">%s</p>", a.lead);
	html(r, "<div class=\"article-body\">\n");
	markup_render(&r->out, a.body ? a.body : "", imgs, nimgs);
	html(r, "</div>");
	if (a.author && *a.author)
		html(r, "<p class=\"author\">%s</p>", a.author);
	html(r, "<footer class=\"article-footer\"><p class=\"category\"><span>%s:</span> "
		"<a href=\"/chuyen-muc/%u\">%s</a></p>",
	     _("Category"), a.category_slug, a.category_name ? a.category_name : "");
	tags(r, a.tags);
	tools(r, &a);
	html(r, "</footer></article>");
	feedback_section(r, &a);
	html(r, "</div><aside class=\"portal-side\" aria-label=\"%s\">", _("More"));
	other_news(r, &a);
	portal_most_viewed(r);
	portal_search_form(r, "q-side", NULL);
	html(r, "</aside></div>");
	portal_end(r);
	buf_release(&canonical);
	buf_release(&image);
	buf_release(&feed);
	image_list_release(imgs, nimgs);
	article_release(&a);
	return RC_OK;
}

/* ==== print view ========================================================= */

/* A page of its own, not the frame: no navigation, no forms, the print
 * stylesheet for every medium, and the article's address at the foot so
 * paper says where it came from. */
Rc ui_portal_article_print(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	Image *imgs = NULL;
	size_t nimgs = 0;
	if ((rc = image_list(r->db, a.id, &imgs, &nimgs))) {
		article_release(&a);
		return rc;
	}
	const char *site = _("Propaganda and Mass Mobilisation Commission");
	Buf url = BUF_INIT;
	article_url(&url, a.slug);
	html(r, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"robots\" content=\"noindex\">\n"
		"<title>%s · %s</title>\n<link rel=\"canonical\" href=\"%s\">\n"
		"<link rel=\"stylesheet\" href=\"/assets/print.css\">\n"
		"<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n"
		"</head>\n<body class=\"print-view\">\n",
	     r->lang, a.title, site, buf_cstr(&url));
	html(r, "<header class=\"print-head\"><img src=\"/assets/emblem.svg\" alt=\"\" width=\"40\" "
		"height=\"40\"><p>%s</p><p class=\"screen-only\"><a href=\"/tin/%u\">%s</a> · %s</p></header>\n",
	     site, a.slug, _("Back to the article"), _("Use your browser's Print command (Ctrl+P) to print."));
	html(r, "<main>\n<article class=\"news\"><p class=\"meta\">");
	long_time(r, a.publish_at);
	html(r, " · %s</p><h1>%s</h1>", a.category_name ? a.category_name : "", a.title);
	if (a.lead && *a.lead)
		html(r, "<p class=\"article-lead\">%s</p>", a.lead);
	html(r, "<div class=\"article-body\">\n");
	markup_render(&r->out, a.body ? a.body : "", imgs, nimgs);
	html(r, "</div>");
	if (a.author && *a.author)
		html(r, "<p class=\"author\">%s</p>", a.author);
	html(r, "</article>\n</main>\n<footer class=\"print-foot\"><p>%s: %s</p></footer>\n</body>\n</html>\n",
	     _("Source"), buf_cstr(&url));
	buf_release(&url);
	image_list_release(imgs, nimgs);
	article_release(&a);
	return RC_OK;
}

/* ==== the forms ========================================================== */

/* Which field a domain problem is about, so the message sits next to it
 * and the summary links to it.  The problems are feedback.c's and
 * article_share.c's English message ids; an unknown one is shown in the
 * summary only. */
static const struct {
	const char *problem, *field;
} problem_fields[] = {
	{"Enter your name", "name"},
	{"The name is too long (at most 150 characters)", "name"},
	{"The name is too long (at most 100 characters)", "name"},
	{"A name cannot contain a web address", "name"},
	{"Write at least 10 characters", "content"},
	{"The feedback is too long (at most 5,000 characters)", "content"},
	{"At most 2 web addresses are allowed", "content"},
	{"The phone number is not valid", "phone"},
	{"The address is too long (at most 300 characters)", "address"},
	{"The message is too long (at most 500 characters)", "message"},
	{"The message cannot contain web addresses", "message"},
};

static const char *problem_field(const char *problem, bool share)
{
	if (str_eq(problem, "The e-mail address is not valid."))
		return share ? "to" : "email";
	for (size_t i = 0; i < ARRAY_LEN(problem_fields); i++)
		if (str_eq(problem, problem_fields[i].problem))
			return problem_fields[i].field;
	return "";
}

/* The state of a form being shown again. */
typedef struct FormState {
	const char *message;   /* translated, NULL = no problem */
	const char *field;     /* the field it is about, "" = none */
	bool wait;             /* rate limited: nothing to correct, only to wait */
} FormState;

/* The form state for a domain answer: its problem (a message id of the
 * domain's catalogue) or the rate limit. */
static FormState form_problem(Req *r, Rc rc, const char *problem, bool share)
{
	FormState f = {NULL, "", false};
	if (rc == RC_LOCKED) {
		f.message = _("You have sent several messages in a short time. Please try again later.");
		f.wait = true;
	} else if (problem) {
		f.message = tr(r->lang, problem);
		f.field = problem_field(problem, share);
	} else {
		f.message = _("Please check what you entered.");
	}
	return f;
}

static void error_summary(Req *r, const FormState *f)
{
	if (!f->message)
		return;
	if (f->wait) {
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", f->message);
		return;
	}
	/* focus lands here (autofocus), so a screen reader hears it first */
	html(r, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
		"aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">%s</h2><ul><li>",
	     _("Please correct the following"));
	if (f->field[0])
		html(r, "<a href=\"#%s\">%s</a>", f->field, f->message);
	else
		html(r, "%s", f->message);
	html(r, "</li></ul></div>");
}

static bool field_has_error(const FormState *f, const char *field)
{
	return f->message && f->field[0] && str_eq(f->field, field);
}

/* Label (with "required"), hint and error message of a field. */
static void field_head(Req *r, const FormState *f, const char *name, const char *label,
		       const char *hint, bool required)
{
	html(r, "<p><label for=\"%s\">%s", name, label);
	if (required)
		html(r, " <span class=\"req\">%s</span>", _("(required)"));
	html(r, "</label>");
	if (hint)
		html(r, "<span class=\"hint\" id=\"%s-hint\">%s</span>", name, hint);
	if (field_has_error(f, name))
		html(r, "<span class=\"field-error\" id=\"%s-error\"><span class=\"visually-hidden\">%s </span>%s</span>",
		     name, _("Error:"), f->message);
}

/* aria-invalid and aria-describedby for the control. */
static void field_attrs(Req *r, const FormState *f, const char *name, bool hint)
{
	bool err = field_has_error(f, name);
	if (err && hint)
		html(r, " aria-invalid=\"true\" aria-describedby=\"%s-hint %s-error\"", name, name);
	else if (err)
		html(r, " aria-invalid=\"true\" aria-describedby=\"%s-error\"", name);
	else if (hint)
		html(r, " aria-describedby=\"%s-hint\"", name);
}

static void input(Req *r, const FormState *f, const char *name, const char *label,
		  const char *hint, const char *type, const char *autocomplete, int maxlength,
		  bool required)
{
	field_head(r, f, name, label, hint, required);
	html(r, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" maxlength=\"%d\" value=\"%s\"%r",
	     name, name, type, autocomplete, maxlength, req_str(r, name), required ? " required" : "");
	field_attrs(r, f, name, hint != NULL);
	html(r, "></p>");
}

static void textarea(Req *r, const FormState *f, const char *name, const char *label,
		     const char *hint, int maxlength, bool required)
{
	field_head(r, f, name, label, hint, required);
	html(r, "<textarea id=\"%s\" name=\"%s\" rows=\"8\" maxlength=\"%d\"%r", name, name, maxlength,
	     required ? " required" : "");
	field_attrs(r, f, name, hint != NULL);
	html(r, ">%s</textarea></p>", req_str(r, name));
}

static void form_head(Req *r, const Article *a, const char *title)
{
	portal_begin(r, title, NULL, a->category_slug);
	html(r, "<nav class=\"breadcrumb\" aria-label=\"%s\"><ol><li><a href=\"/\">%s</a></li>"
		"<li><a href=\"/tin/%u\">%s</a></li></ol></nav>"
		"<section class=\"portal-form narrow-wide\"><h1>%s</h1>"
		"<p class=\"about\">%s: <a href=\"/tin/%u\">%s</a></p>",
	     _("Breadcrumb"), _("Home"), a->slug, a->title, title, _("Article"), a->slug, a->title);
}

static void feedback_page(Req *r, const Article *a, const FormState *f)
{
	/* a form page answers only this visitor: never stored anywhere */
	r->cache_control = "no-store";
	form_head(r, a, _("Send your feedback"));
	if (str_eq(req_param(r, "da-gui"), "1") && !f->message) {
		html(r, "<div class=\"notice\" role=\"status\"><p>%s</p></div>"
			"<p><a href=\"/tin/%u\">%s</a></p></section>",
		     _("Thank you. Your feedback has been received and will be published after moderation."),
		     a->slug, _("Back to the article"));
		portal_end(r);
		return;
	}
	error_summary(r, f);
	html(r, "<p>%s</p><form method=\"post\" action=\"/tin/%u/phan-hoi\" class=\"form\" novalidate>",
	     _("Feedback is published after moderation. Your e-mail, phone and address are never published."),
	     a->slug);
	page_csrf_field(r);
	html(r, "<fieldset><legend>%s</legend>", _("Sender's information"));
	input(r, f, "name", _("Full name"), NULL, "text", "name", FEEDBACK_NAME_MAX, true);
	input(r, f, "email", _("E-mail"), NULL, "email", "email", 254, false);
	input(r, f, "phone", _("Phone"), NULL, "tel", "tel", 20, false);
	input(r, f, "address", _("Address"), NULL, "text", "street-address", FEEDBACK_ADDRESS_MAX, false);
	html(r, "</fieldset>");
	textarea(r, f, "content", _("Your feedback"), _("At least 10 characters; at most two web addresses."),
		 FEEDBACK_CONTENT_MAX, true);
	/* The honeypot: moved off-screen by CSS, out of the tab order and
	 * hidden from screen readers, so only a robot fills it; its label
	 * still says to leave it empty should anyone meet it. */
	html(r, "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">%s</label>"
		"<input id=\"website\" name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>",
	     _("Leave this field empty"));
	html(r, "<p><button type=\"submit\">%s</button></p></form></section>", _("Send feedback"));
	portal_end(r);
}

Rc ui_portal_feedback_form(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	FormState f = {NULL, "", false};
	feedback_page(r, &a, &f);
	article_release(&a);
	return RC_OK;
}

Rc ui_portal_feedback_submit(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	FeedbackInput in = {
		.name = req_str(r, "name"),
		.email = req_str(r, "email"),
		.phone = req_str(r, "phone"),
		.address = req_str(r, "address"),
		.content = req_str(r, "content"),
		.honeypot = req_str(r, "website"),
		.client = r->client_ip,
	};
	const char *problem = NULL;
	rc = feedback_submit(r->db, a.id, &in, NULL, &problem);
	if (rc == RC_OK) {
		Buf to = BUF_INIT;
		buf_printf(&to, "/tin/%u/phan-hoi?da-gui=1", a.slug);
		rc = req_redirect(r, buf_cstr(&to));
		buf_release(&to);
		article_release(&a);
		return rc;
	}
	if (rc == RC_INVALID || rc == RC_LOCKED) {
		/* The form again with what was typed.  Nothing was stored, so
		 * the commit that RC_OK brings changes nothing. */
		FormState f = form_problem(r, rc, problem, false);
		r->status = rc == RC_LOCKED ? 429 : 400;
		feedback_page(r, &a, &f);
		article_release(&a);
		return RC_OK;
	}
	article_release(&a);
	return rc;
}

static void share_page(Req *r, const Article *a, const FormState *f)
{
	r->cache_control = "no-store";
	form_head(r, a, _("Send to a friend"));
	if (str_eq(req_param(r, "da-gui"), "1") && !f->message) {
		html(r, "<div class=\"notice\" role=\"status\"><p>%s</p></div>"
			"<p><a href=\"/tin/%u\">%s</a></p></section>",
		     _("Thank you. The article will be e-mailed to your friend shortly."), a->slug,
		     _("Back to the article"));
		portal_end(r);
		return;
	}
	error_summary(r, f);
	html(r, "<p>%s</p><form method=\"post\" action=\"/tin/%u/gui-ban-be\" class=\"form\" novalidate>",
	     _("We send your friend the article's title, lead and link, with your name and note. Neither address is kept for anything else."),
	     a->slug);
	page_csrf_field(r);
	input(r, f, "to", _("Your friend's e-mail"), NULL, "email", "off", 254, true);
	input(r, f, "name", _("Your name"), NULL, "text", "name", 100, true);
	textarea(r, f, "message", _("Note (optional)"), _("At most 500 characters, without web addresses."),
		 SHARE_MESSAGE_MAX, false);
	html(r, "<p><button type=\"submit\">%s</button></p></form></section>", _("Send the article"));
	portal_end(r);
}

Rc ui_portal_share_form(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	FormState f = {NULL, "", false};
	share_page(r, &a, &f);
	article_release(&a);
	return RC_OK;
}

Rc ui_portal_share(Req *r)
{
	Article a;
	Rc rc = load(r, &a);
	if (rc)
		return rc;
	/* The link in the mail comes from the configured site address, never
	 * from the request (article.h). */
	Buf link = BUF_INIT;
	article_url(&link, a.slug);
	const char *problem = NULL;
	rc = article_share(r->db, a.id, req_str(r, "to"), req_str(r, "name"), req_str(r, "message"),
			   buf_cstr(&link), r->client_ip, &problem);
	buf_release(&link);
	if (rc == RC_OK) {
		Buf to = BUF_INIT;
		buf_printf(&to, "/tin/%u/gui-ban-be?da-gui=1", a.slug);
		rc = req_redirect(r, buf_cstr(&to));
		buf_release(&to);
		article_release(&a);
		return rc;
	}
	if (rc == RC_INVALID || rc == RC_LOCKED) {
		FormState f = form_problem(r, rc, problem, true);
		r->status = rc == RC_LOCKED ? 429 : 400;
		share_page(r, &a, &f);
		article_release(&a);
		return RC_OK;
	}
	article_release(&a);
	return rc;
}
