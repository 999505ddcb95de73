/*
 * newsroom.c — the newsroom's pages: the list of articles by status, the
 * new-article form, the edit page (form, workflow buttons, a preview of
 * the rendered body, figures, revision history), the workflow POSTs and
 * one revision's page.  Figures and image routes are in
 * newsroom_images.c, feedback moderation in moderation.c.
 *
 * The domain decides everything (article.h): which buttons appear comes
 * from article_may, and the POST handlers hand the action to
 * article_transition / article_update, which check the same rules again
 * and answer 403 or 409.  A form with a bad field is shown again with
 * what was typed and the message next to the field (status 400); nothing
 * was written, so the transaction committing is harmless.
 *
 * The preview is the body rendered by markup_render straight into the
 * response: it escapes everything it writes, which is why rendered
 * markup never passes through html()'s %r.
 */
#include "newsroom.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/feedback.h"
#include "../domain/markup.h"

#define PAGE_SIZE 50
#define BODY_FORM_ROWS 22

/* ==== shared (newsroom.h) ================================================ */

bool newsroom_staff(Req *r)
{
	return req_can(r, CAP_NEWS_EDIT) || req_can(r, CAP_NEWS_PUBLISH);
}

bool newsroom_arg_id(Req *r, int i, int64_t *id)
{
	return i < r->nargs && util_parse_i64(r->args[i], 1, INT64_MAX, id);
}

void newsroom_time(Req *r, int64_t t)
{
	if (t <= 0)
		return;
	Buf iso = BUF_INIT;
	date_format_vn_timestamp(&iso, t);
	int64_t local = t + VN_UTC_OFFSET_SECONDS;
	int64_t sod = ((local % 86400) + 86400) % 86400;
	Date d = date_vn_from_unix(t);
	html(r, "<time datetime=\"%s\">%d/%d/%d %02d:%02d</time>", buf_cstr(&iso), d.d, d.m, d.y,
	     (int)(sod / 3600), (int)(sod / 60 % 60));
	buf_release(&iso);
}

Rc newsroom_refused(Req *r, Rc rc, const char *problem)
{
	if (problem)
		return req_fail(r, rc, tr(r->lang, problem));
	switch (rc) {
	case RC_NOT_FOUND:
		return req_fail(r, rc, _("Article not found"));
	case RC_FORBIDDEN:
		return req_fail(r, rc, _("Your role does not allow this in the newsroom"));
	case RC_CONFLICT:
		return req_fail(r, rc, _("This step is not possible in the article's current status"));
	case RC_INVALID:
		return req_fail(r, rc, _("Check the fields and try again."));
	default:
		return rc;
	}
}

const char *newsroom_status_label(Req *r, const char *status, int64_t publish_at)
{
	if (str_eq(status, "draft"))
		return _("Draft");
	if (str_eq(status, "review"))
		return _("In review");
	if (str_eq(status, "published"))
		return publish_at > util_now() ? _("Scheduled") : _("Published");
	if (str_eq(status, "unpublished"))
		return _("Unpublished");
	return status;
}

/* ==== the list ============================================================ */

static const struct {
	const char *id, *label;
} tabs[] = {
	{"", "All"},
	{"draft", "Drafts"},
	{"review", "In review"},
	{"scheduled", "Scheduled"},
	{"published", "Published"},
	{"unpublished", "Unpublished"},
};

static int64_t tab_count(const ArticleCounts *c, const char *id)
{
	if (str_eq(id, "draft")) return c->draft;
	if (str_eq(id, "review")) return c->review;
	if (str_eq(id, "scheduled")) return c->scheduled;
	if (str_eq(id, "published")) return c->published;
	if (str_eq(id, "unpublished")) return c->unpublished;
	return c->draft + c->review + c->scheduled + c->published + c->unpublished;
}

Rc ui_newsroom_list(Req *r)
{
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	const char *status = req_str(r, "status");
	bool known = false;
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		known |= str_eq(status, tabs[i].id);
	int64_t page = 1;
	const char *pv = req_str(r, "page");
	if (!known || (*pv && !util_parse_i64(pv, 1, 100000, &page)))
		return req_fail(r, RC_INVALID, _("The page address is not valid"));
	ArticleCounts counts;
	ArticleList l = {0};
	int64_t pending = 0;
	Rc rc = article_counts(r->db, r->user, &counts);
	if (!rc)
		rc = article_staff_list(r->db, r->user, *status ? status : NULL, PAGE_SIZE,
					(int)((page - 1) * PAGE_SIZE), &l);
	if (!rc && req_can(r, CAP_NEWS_PUBLISH))
		rc = feedback_count(r->db, r->user, "pending", &pending);
	if (rc) {
		article_list_release(&l);
		return rc;
	}
	page_begin(r, _("Newsroom"));
	html(r, "<div class=\"newsroom\"><h1>%s</h1><p><a class=\"button\" href=\"/newsroom/new\">%s</a>",
	     _("Newsroom"), _("Write an article"));
	if (req_can(r, CAP_NEWS_PUBLISH))
		html(r, " <a href=\"/moderation\">%s (%lld)</a>", _("Feedback waiting for moderation"),
		     (long long)pending);
	html(r, "</p><nav aria-label=\"%s\"><ul class=\"queue-tabs\">", _("Articles by status"));
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++) {
		html(r, "<li><a href=\"/newsroom%r%s\"%r>%s (%lld)</a></li>", *tabs[i].id ? "?status=" : "",
		     tabs[i].id, str_eq(status, tabs[i].id) ? " aria-current=\"page\"" : "",
		     tr(r->lang, tabs[i].label), (long long)tab_count(&counts, tabs[i].id));
	}
	html(r, "</ul></nav>");
	if (l.count == 0) {
		html(r, "<p class=\"empty\">%s</p>", _("No articles here."));
	} else {
		html(r, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table>"
			"<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     _("Articles"), _("Title"), _("Category"), _("Status"), _("Publication"), _("Views"));
		for (size_t i = 0; i < l.count; i++) {
			const ArticleRow *a = &l.rows[i];
			html(r, "<tr><td><a href=\"/newsroom/%lld\">%s</a></td><td>%s</td><td>%s</td><td>",
			     (long long)a->id, a->title, a->category_name,
			     newsroom_status_label(r, a->status, a->publish_at));
			if (str_eq(a->status, "published"))
				newsroom_time(r, a->publish_at);
			html(r, "</td><td>%lld</td></tr>", (long long)a->views);
		}
		html(r, "</tbody></table></div>");
	}
	if (page > 1 || l.more) {
		html(r, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
		if (page > 1)
			html(r, "<a href=\"/newsroom?status=%u&amp;page=%lld\" rel=\"prev\">%s</a>", status,
			     (long long)(page - 1), _("Previous page"));
		if (l.more)
			html(r, "<a href=\"/newsroom?status=%u&amp;page=%lld\" rel=\"next\">%s</a>", status,
			     (long long)(page + 1), _("Next page"));
		html(r, "</nav>");
	}
	html(r, "</div>");
	article_list_release(&l);
	page_end(r);
	return RC_OK;
}

/* ==== the article form =================================================== */

typedef struct FormVals {
	const char *title, *lead, *body, *author, *tags, *slug, *note;
	int64_t category_id;
	bool featured;
	const char *err_field;  /* "" = none */
	const char *err_msg;    /* translated */
} FormVals;

static void vals_from_req(Req *r, FormVals *v)
{
	memset(v, 0, sizeof *v);
	v->title = req_str(r, "title");
	v->lead = req_str(r, "lead");
	v->body = req_str(r, "body");
	v->author = req_str(r, "author");
	v->tags = req_str(r, "tags");
	v->slug = req_str(r, "slug");
	v->note = req_str(r, "note");
	v->featured = str_eq(req_str(r, "featured"), "1");
	if (!util_parse_i64(req_str(r, "category"), 1, INT64_MAX, &v->category_id))
		v->category_id = 0;
	v->err_field = "";
}

static void vals_from_article(const Article *a, FormVals *v)
{
	memset(v, 0, sizeof *v);
	v->title = a->title;
	v->lead = a->lead;
	v->body = a->body;
	v->author = a->author;
	v->tags = a->tags;
	v->slug = a->slug;
	v->note = "";
	v->featured = a->featured;
	v->category_id = a->category_id;
	v->err_field = "";
}

static ArticleInput input_of(const FormVals *v)
{
	return (ArticleInput){
		.title = v->title, .lead = v->lead, .body = v->body, .author = v->author,
		.category_id = v->category_id, .tags = v->tags, .featured = v->featured,
		.slug = v->slug,
	};
}

/* The message next to a field, and the attributes tying it to the input. */
static void field_error(Req *r, const FormVals *v, const char *field)
{
	if (str_eq(v->err_field, field))
		html(r, "<span class=\"field-error\" id=\"%s-error\"><span class=\"visually-hidden\">%s </span>%s</span>",
		     field, _("Error:"), v->err_msg);
}

static void field_attrs(Req *r, const FormVals *v, const char *field, bool hint)
{
	bool err = str_eq(v->err_field, field);
	if (hint && err)
		html(r, " aria-describedby=\"%s-hint %s-error\" aria-invalid=\"true\"", field, field);
	else if (err)
		html(r, " aria-describedby=\"%s-error\" aria-invalid=\"true\"", field);
	else if (hint)
		html(r, " aria-describedby=\"%s-hint\"", field);
}

static void error_summary(Req *r, const FormVals *v)
{
	if (!v->err_msg)
		return;
	html(r, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s</h2><ul><li>",
	     _("Please correct the following"));
	if (*v->err_field)
		html(r, "<a href=\"#%s\">%s</a>", v->err_field, v->err_msg);
	else
		html(r, "%s", v->err_msg);
	html(r, "</li></ul></div>");
}

static const char *category_label(Req *r, const Category *c)
{
	return str_eq(r->lang, "en") && c->name_en && *c->name_en ? c->name_en : c->name;
}

static void syntax_help(Req *r)
{
	html(r, "<details class=\"syntax\"><summary>%s</summary><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th></tr></thead><tbody>",
	     _("How to format the body"), _("You type"), _("To get"));
	html(r, "<tr><td>%s</td><td>%s</td></tr>", _("An empty line"), _("A new paragraph"));
	html(r, "<tr><td><code>## …</code></td><td>%s</td></tr>", _("A subheading"));
	html(r, "<tr><td><code>### …</code></td><td>%s</td></tr>", _("A smaller subheading"));
	html(r, "<tr><td><code>&gt; …</code></td><td>%s</td></tr>", _("A quotation"));
	html(r, "<tr><td><code>- …</code></td><td>%s</td></tr>", _("A bulleted list item"));
	html(r, "<tr><td><code>1. …</code></td><td>%s</td></tr>", _("A numbered list item"));
	html(r, "<tr><td><code>**…**</code></td><td>%s</td></tr>", _("Bold text"));
	html(r, "<tr><td><code>https://…</code></td><td>%s</td></tr>", _("A link"));
	html(r, "<tr><td><code>[[hinh:1]]</code></td><td>%s</td></tr>",
	     _("The article's first figure with its caption, on a line of its own (2 for the second…)"));
	html(r, "</tbody></table></details>");
}

/* The form; `action` is where it posts, `edit` adds the revision note. */
static Rc article_form(Req *r, const FormVals *v, const char *action, bool edit)
{
	Category *cats = NULL;
	size_t ncats = 0;
	Rc rc = category_list(r->db, &cats, &ncats);
	if (rc)
		return rc;
	html(r, "<form method=\"post\" action=\"%s\" class=\"form newsroom-form\" novalidate>", action);
	page_csrf_field(r);
	html(r, "<p><label for=\"title\">%s</label>", _("Title"));
	field_error(r, v, "title");
	html(r, "<input id=\"title\" name=\"title\" maxlength=\"%d\" required value=\"%s\"",
	     ARTICLE_TITLE_MAX, v->title);
	field_attrs(r, v, "title", false);
	html(r, "></p><p><label for=\"lead\">%s</label><span class=\"hint\" id=\"lead-hint\">%s</span>",
	     _("Lead"), _("One or two sentences shown under the title and in lists."));
	field_error(r, v, "lead");
	html(r, "<textarea id=\"lead\" name=\"lead\" rows=\"3\" maxlength=\"%d\"", ARTICLE_LEAD_MAX);
	field_attrs(r, v, "lead", true);
	html(r, ">%s</textarea></p>", v->lead);
	html(r, "<p><label for=\"body\">%s</label><span class=\"hint\" id=\"body-hint\">%s</span>",
	     _("Body"), _("Plain text. Separate paragraphs with an empty line; the help below shows headings, lists and figures."));
	field_error(r, v, "body");
	html(r, "<textarea id=\"body\" name=\"body\" rows=\"%d\"", BODY_FORM_ROWS);
	field_attrs(r, v, "body", true);
	html(r, ">%s</textarea></p>", v->body);
	syntax_help(r);
	html(r, "<p><label for=\"category\">%s</label>", _("Category"));
	field_error(r, v, "category");
	html(r, "<select id=\"category\" name=\"category\" required");
	field_attrs(r, v, "category", false);
	html(r, "><option value=\"\">%s</option>", _("Choose…"));
	for (size_t i = 0; i < ncats; i++)
		html(r, "<option value=\"%lld\"%r>%s</option>", (long long)cats[i].id,
		     cats[i].id == v->category_id ? " selected" : "", category_label(r, &cats[i]));
	html(r, "</select></p>");
	category_list_release(cats, ncats);
	html(r, "<p><label for=\"tags\">%s</label><span class=\"hint\" id=\"tags-hint\">%s</span>",
	     _("Tags"), _("Separated by commas, at most 10."));
	field_error(r, v, "tags");
	html(r, "<input id=\"tags\" name=\"tags\" maxlength=\"700\" value=\"%s\"", v->tags);
	field_attrs(r, v, "tags", true);
	html(r, "></p><p><label for=\"author\">%s</label>", _("Author"));
	field_error(r, v, "author");
	html(r, "<input id=\"author\" name=\"author\" maxlength=\"150\" value=\"%s\"", v->author);
	field_attrs(r, v, "author", false);
	html(r, "></p><p class=\"choice\"><input type=\"checkbox\" id=\"featured\" name=\"featured\" value=\"1\"%r>"
		"<label for=\"featured\">%s</label></p>",
	     v->featured ? " checked" : "", _("Featured on the home page"));
	html(r, "<p><label for=\"slug\">%s</label><span class=\"hint\" id=\"slug-hint\">%s</span>",
	     _("Address (slug)"),
	     edit ? _("Letters a–z, digits and hyphens. Changing it breaks links already shared.")
		  : _("Leave empty to make it from the title."));
	field_error(r, v, "slug");
	html(r, "<input id=\"slug\" name=\"slug\" maxlength=\"%d\" pattern=\"[a-z0-9-]*\" value=\"%s\"",
	     ARTICLE_SLUG_MAX, v->slug);
	field_attrs(r, v, "slug", true);
	html(r, "></p>");
	if (edit) {
		html(r, "<p><label for=\"note\">%s</label><span class=\"hint\" id=\"note-hint\">%s</span>",
		     _("What changed"), _("Optional; kept in the revision history."));
		field_error(r, v, "note");
		html(r, "<input id=\"note\" name=\"note\" maxlength=\"300\" value=\"%s\"", v->note);
		field_attrs(r, v, "note", true);
		html(r, "></p>");
	}
	html(r, "<p><button type=\"submit\">%s</button></p></form>", edit ? _("Save") : _("Create the draft"));
	return RC_OK;
}

static Rc render_new(Req *r, const FormVals *v)
{
	page_begin(r, _("Write an article"));
	html(r, "<div class=\"newsroom\"><p><a href=\"/newsroom\">%s</a></p><h1>%s</h1>", _("Back to the newsroom"),
	     _("Write an article"));
	error_summary(r, v);
	Rc rc = article_form(r, v, "/newsroom", false);
	if (rc)
		return rc;
	html(r, "</div>");
	page_end(r);
	return RC_OK;
}

Rc ui_newsroom_new(Req *r)
{
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	FormVals v;
	vals_from_req(r, &v);
	if (!*v.author)
		v.author = r->user->name;
	return render_new(r, &v);
}

Rc ui_newsroom_create(Req *r)
{
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	FormVals v;
	vals_from_req(r, &v);
	ArticleInput in = input_of(&v);
	int64_t id = 0;
	const char *problem = NULL;
	Rc rc = article_create(r->db, r->user, &in, &id, &problem);
	if (rc == RC_INVALID && problem) {
		v.err_field = article_problem_field(problem);
		v.err_msg = tr(r->lang, problem);
		r->status = 400;
		return render_new(r, &v);
	}
	if (rc)
		return newsroom_refused(r, rc, NULL);
	Buf to = BUF_INIT;
	buf_printf(&to, "/newsroom/%lld?saved=created", (long long)id);
	rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* ==== the edit page ====================================================== */

static const struct {
	const char *id, *message;
} saved_messages[] = {
	{"created", "The draft was created."},
	{"saved", "Saved."},
	{"submit", "Submitted for review."},
	{"publish", "Published."},
	{"schedule", "Scheduled for publication."},
	{"unpublish", "Unpublished: the article is no longer public."},
	{"reopen", "Back to draft."},
	{"image", "The image was added."},
	{"image-saved", "The figure was saved."},
	{"image-deleted", "The figure was deleted."},
};

static void saved_notice(Req *r)
{
	const char *s = req_str(r, "saved");
	for (size_t i = 0; *s && i < ARRAY_LEN(saved_messages); i++)
		if (str_eq(s, saved_messages[i].id))
			html(r, "<p class=\"notice\" role=\"status\">%s</p>", tr(r->lang, saved_messages[i].message));
}

/* "2026-11-28T09:15" in Vietnam time, for a datetime-local value. */
static void local_value(Buf *b, int64_t t)
{
	int64_t local = t + VN_UTC_OFFSET_SECONDS;
	int64_t sod = ((local % 86400) + 86400) % 86400;
	Date d = date_vn_from_unix(t);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d", d.y, d.m, d.d, (int)(sod / 3600), (int)(sod / 60 % 60));
}

static void workflow(Req *r, const Article *a)
{
	bool any = false;
	html(r, "<section aria-labelledby=\"workflow-h\"><h2 id=\"workflow-h\">%s</h2><div class=\"workflow\">",
	     _("Workflow"));
	if (article_may(r->user, a, "submit")) {
		any = true;
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/submit\" class=\"inline-form\">",
		     (long long)a->id);
		page_csrf_field(r);
		html(r, "<p><button type=\"submit\">%s</button></p></form>", _("Submit for review"));
	}
	if (article_may(r->user, a, "publish")) {
		any = true;
		Buf at = BUF_INIT;
		if (article_is_scheduled(a, util_now()))
			local_value(&at, a->publish_at);
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/publish\" class=\"form inline-form\">",
		     (long long)a->id);
		page_csrf_field(r);
		html(r, "<p><label for=\"at\">%s</label><span class=\"hint\" id=\"at-hint\">%s</span>"
			"<input type=\"datetime-local\" id=\"at\" name=\"at\" value=\"%s\" aria-describedby=\"at-hint\"></p>"
			"<p><button type=\"submit\">%s</button></p></form>",
		     _("Publish at (Vietnam time)"), _("Leave empty to publish now; a later time schedules it."),
		     buf_cstr(&at), _("Publish"));
		buf_release(&at);
	}
	if (article_may(r->user, a, "unpublish")) {
		any = true;
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/unpublish\" class=\"inline-form\">",
		     (long long)a->id);
		page_csrf_field(r);
		html(r, "<p><button type=\"submit\" class=\"secondary\">%s</button></p></form>",
		     article_is_scheduled(a, util_now()) ? _("Cancel the schedule") : _("Unpublish"));
	}
	if (article_may(r->user, a, "reopen")) {
		any = true;
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/reopen\" class=\"inline-form\">",
		     (long long)a->id);
		page_csrf_field(r);
		html(r, "<p><button type=\"submit\" class=\"secondary\">%s</button></p></form>", _("Back to draft"));
	}
	if (!any)
		html(r, "<p class=\"muted\">%s</p>", str_eq(a->status, "review")
			? _("Waiting for a publisher to review it.")
			: _("Your role has no step to take on this article now."));
	html(r, "</div></section>");
}

static void facts(Req *r, const Article *a)
{
	int64_t now = util_now();
	html(r, "<dl class=\"facts case-facts\"><dt>%s</dt><dd><strong class=\"status\">%s</strong>",
	     _("Status"), newsroom_status_label(r, a->status, a->publish_at));
	if (str_eq(a->status, "published")) {
		html(r, " — ");
		newsroom_time(r, a->publish_at);
	}
	html(r, "</dd><dt>%s</dt><dd>", _("Public address"));
	if (article_is_public(a, now))
		html(r, "<a href=\"/tin/%s\">/tin/%s</a>", a->slug, a->slug);
	else
		html(r, "<code>/tin/%s</code> <span class=\"muted\">(%s)</span>", a->slug, _("not public"));
	html(r, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>", _("Category"),
	     a->category_name, _("Views"), (long long)a->views, _("Last change"));
	newsroom_time(r, a->updated_at);
	html(r, "</dd></dl>");
}

static void preview(Req *r, const Article *a, const Image *im, size_t nim)
{
	html(r, "<section aria-labelledby=\"preview-h\" class=\"preview\"><h2 id=\"preview-h\">%s</h2>"
		"<article class=\"article-body\"><h3>%s</h3>", _("Preview"), a->title);
	if (*a->lead)
		html(r, "<p class=\"article-lead\">%s</p>", a->lead);
	html(r, "<div class=\"body\">");
	/* The rendered body escapes all it writes (markup.h). */
	int missing = markup_render(&r->out, a->body, im, nim);
	html(r, "</div>");
	if (missing)
		html(r, "<p class=\"alert\">%s %d</p>",
		     _("Figure markers that name a figure this article does not have (they are not shown):"),
		     missing);
	if (*a->author)
		html(r, "<p class=\"author\"><strong>%s</strong></p>", a->author);
	html(r, "</article></section>");
}

static void history(Req *r, const Article *a, const ArticleRevision *rev, size_t n)
{
	html(r, "<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">%s</h2>", _("Revision history"));
	if (!n) {
		html(r, "<p class=\"empty\">%s</p></section>", _("No revisions yet."));
		return;
	}
	html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     _("When"), _("By"), _("Title"), _("Note"));
	for (size_t i = 0; i < n; i++) {
		html(r, "<tr><td><a href=\"/newsroom/%lld/revisions/%lld\">", (long long)a->id,
		     (long long)rev[i].id);
		newsroom_time(r, rev[i].at);
		html(r, "</a></td><td>%s</td><td>%s</td><td>%s</td></tr>", rev[i].user_name, rev[i].title,
		     rev[i].note);
	}
	html(r, "</tbody></table></div></section>");
}

/* The whole edit page; v holds the form's values (the article's, or what
 * was just typed with its error). */
static Rc render_edit(Req *r, const Article *a, const FormVals *v)
{
	Image *im = NULL;
	size_t nim = 0;
	ArticleRevision *rev = NULL;
	size_t nrev = 0;
	Rc rc = image_list(r->db, a->id, &im, &nim);
	if (!rc)
		rc = article_revisions(r->db, r->user, a->id, &rev, &nrev);
	if (rc) {
		image_list_release(im, nim);
		return rc;
	}
	page_begin(r, a->title);
	html(r, "<div class=\"newsroom\"><p><a href=\"/newsroom\">%s</a></p><h1>%s</h1>",
	     _("Back to the newsroom"), a->title);
	saved_notice(r);
	error_summary(r, v);
	facts(r, a);
	workflow(r, a);
	bool can_edit = article_may(r->user, a, "edit");
	html(r, "<section aria-labelledby=\"text-h\"><h2 id=\"text-h\">%s</h2>", _("Text"));
	if (can_edit) {
		Buf action = BUF_INIT;
		buf_printf(&action, "/newsroom/%lld/save", (long long)a->id);
		rc = article_form(r, v, buf_cstr(&action), true);
		buf_release(&action);
	} else {
		html(r, "<p class=\"muted\">%s</p>",
		     _("A published article is changed by a publisher, or unpublished and taken back to draft first."));
	}
	html(r, "</section>");
	if (!rc) {
		preview(r, a, im, nim);
		newsroom_figures(r, a, im, nim, can_edit);
		history(r, a, rev, nrev);
		html(r, "</div>");
		page_end(r);
	}
	image_list_release(im, nim);
	article_revisions_release(rev, nrev);
	return rc;
}

static Rc load_arg(Req *r, Article *a)
{
	int64_t id;
	memset(a, 0, sizeof *a);
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	if (!newsroom_arg_id(r, 0, &id))
		return newsroom_refused(r, RC_NOT_FOUND, NULL);
	Rc rc = article_load_staff(r->db, r->user, id, a);
	return rc == RC_NOT_FOUND ? newsroom_refused(r, rc, NULL) : rc;
}

Rc ui_newsroom_edit(Req *r)
{
	Article a;
	Rc rc = load_arg(r, &a);
	if (rc)
		return rc;
	FormVals v;
	vals_from_article(&a, &v);
	rc = render_edit(r, &a, &v);
	article_release(&a);
	return rc;
}

Rc ui_newsroom_save(Req *r)
{
	Article a;
	Rc rc = load_arg(r, &a);
	if (rc)
		return rc;
	FormVals v;
	vals_from_req(r, &v);
	ArticleInput in = input_of(&v);
	const char *problem = NULL;
	rc = article_update(r->db, r->user, a.id, &in, v.note, &problem);
	if (rc == RC_INVALID && problem) {
		v.err_field = article_problem_field(problem);
		v.err_msg = tr(r->lang, problem);
		r->status = 400;
		rc = render_edit(r, &a, &v);
	} else if (rc) {
		rc = newsroom_refused(r, rc, NULL);
	} else {
		Buf to = BUF_INIT;
		buf_printf(&to, "/newsroom/%lld?saved=saved", (long long)a.id);
		rc = req_redirect(r, buf_cstr(&to));
		buf_release(&to);
	}
	article_release(&a);
	return rc;
}

/* ==== workflow POSTs ===================================================== */

/* "2026-11-28T09:15" (or with ":SS"), Vietnam time, as UNIX time. */
static bool parse_local(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n != 16 && n != 19)
		return false;
	char day[11];
	memcpy(day, s, 10);
	day[10] = 0;
	Date d;
	if (!date_parse_iso(day, &d) || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
	    (n == 19 && s[16] != ':'))
		return false;
	int v[3] = {0, 0, 0};
	for (int k = 0; k < (n == 19 ? 3 : 2); k++) {
		const char *p = s + 11 + 3 * k;
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return false;
		v[k] = (p[0] - '0') * 10 + (p[1] - '0');
	}
	if (v[0] > 23 || v[1] > 59 || v[2] > 59)
		return false;
	*out = date_to_days(d) * 86400 + v[0] * 3600 + v[1] * 60 + v[2] - VN_UTC_OFFSET_SECONDS;
	return true;
}

static Rc transition(Req *r, const char *action)
{
	int64_t id, at = 0;
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	if (!newsroom_arg_id(r, 0, &id))
		return newsroom_refused(r, RC_NOT_FOUND, NULL);
	const char *when = req_str(r, "at");
	if (*when && !parse_local(when, &at))
		return req_fail(r, RC_INVALID, _("Enter the publication time as a date and a time."));
	Rc rc = article_transition(r->db, r->user, id, action, at);
	if (rc)
		return newsroom_refused(r, rc, NULL);
	Buf to = BUF_INIT;
	buf_printf(&to, "/newsroom/%lld?saved=%s", (long long)id,
		   str_eq(action, "publish") && at > util_now() ? "schedule" : action);
	rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

Rc ui_newsroom_submit(Req *r)
{
	return transition(r, "submit");
}

Rc ui_newsroom_reopen(Req *r)
{
	return transition(r, "reopen");
}

Rc ui_newsroom_publish(Req *r)
{
	return transition(r, "publish");
}

Rc ui_newsroom_unpublish(Req *r)
{
	return transition(r, "unpublish");
}

/* ==== one revision ======================================================= */

Rc ui_newsroom_revision(Req *r)
{
	Article a;
	Rc rc = load_arg(r, &a);
	if (rc)
		return rc;
	int64_t rev_id;
	ArticleRevision rev;
	if (!newsroom_arg_id(r, 1, &rev_id)) {
		article_release(&a);
		return req_fail(r, RC_NOT_FOUND, _("Revision not found"));
	}
	rc = article_revision_load(r->db, r->user, a.id, rev_id, &rev);
	if (rc) {
		article_release(&a);
		return rc == RC_NOT_FOUND ? req_fail(r, rc, _("Revision not found")) : rc;
	}
	Image *im = NULL;
	size_t nim = 0;
	rc = image_list(r->db, a.id, &im, &nim);
	if (!rc) {
		page_begin(r, _("Revision"));
		html(r, "<div class=\"newsroom\"><p><a href=\"/newsroom/%lld\">%s</a></p><h1>%s</h1>"
			"<dl class=\"facts case-facts\"><dt>%s</dt><dd>",
		     (long long)a.id, _("Back to the article"), _("Revision"), _("When"));
		newsroom_time(r, rev.at);
		html(r, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>", _("By"), rev.user_name,
		     _("Note"), rev.note);
		html(r, "<article class=\"article-body\"><h2>%s</h2>", rev.title);
		if (*rev.lead)
			html(r, "<p class=\"article-lead\">%s</p>", rev.lead);
		markup_render(&r->out, rev.body, im, nim); /* escapes all it writes */
		html(r, "</article><details><summary>%s</summary><pre class=\"reply\">%s</pre></details></div>",
		     _("The text as typed"), rev.body);
		page_end(r);
	}
	image_list_release(im, nim);
	article_revision_release(&rev);
	article_release(&a);
	return rc;
}
