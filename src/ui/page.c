/*
 * page.c — the page frame and error pages (see page.h).
 *
 * Every string from the request or the database goes through html()'s %s,
 * which escapes; %r is used only for markup this file built itself.
 */
#include "page.h"
#include "../base/date.h"
#include "../domain/cap.h"

static void nav_link(Req *r, const char *href, const char *label)
{
	bool here = r->path && (str_eq(r->path, href) ||
				(href[1] && str_starts(r->path, href)));
	html(r, "<li><a href=\"%s\"%r>%s</a></li>", href, here ? " aria-current=\"page\"" : "", label);
}

void page_csrf_field(Req *r)
{
	html(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", req_csrf(r));
}

static void page_meta(Req *r, const char *title, const PageMeta *m)
{
	const char *site = _("Propaganda and Mass Mobilisation Commission");
	if (m->canonical)
		html(r, "<link rel=\"canonical\" href=\"%s\">\n<meta property=\"og:url\" content=\"%s\">\n",
		     m->canonical, m->canonical);
	if (m->description && *m->description)
		html(r, "<meta name=\"description\" content=\"%s\">\n"
			"<meta property=\"og:description\" content=\"%s\">\n", m->description, m->description);
	html(r, "<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:site_name\" content=\"%s\">\n"
		"<meta property=\"og:type\" content=\"%s\">\n<meta property=\"og:locale\" content=\"%r\">\n",
	     title, site, m->og_type ? m->og_type : "website", str_eq(r->lang, "en") ? "en_GB" : "vi_VN");
	if (m->image)
		html(r, "<meta property=\"og:image\" content=\"%s\">\n", m->image);
	if (m->published)
		html(r, "<meta property=\"article:published_time\" content=\"%s\">\n", m->published);
	if (m->rss)
		html(r, "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"%s\" href=\"%s\">\n",
		     m->feed_title ? m->feed_title : site, m->rss);
	if (m->atom)
		html(r, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"%s\" href=\"%s\">\n",
		     m->feed_title ? m->feed_title : site, m->atom);
}

void page_begin(Req *r, const char *title)
{
	page_begin_ex(r, title, NULL);
}

void page_begin_ex(Req *r, const char *title, const PageMeta *meta)
{
	Buf today = BUF_INIT;
	Date d = date_vn_from_unix(util_now());
	if (str_eq(r->lang, "en"))
		date_format_en_long(&today, d);
	else
		date_format_vi_long(&today, d);
	const char *site = _("Propaganda and Mass Mobilisation Commission");
	html(r, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s · %s</title>\n<link rel=\"stylesheet\" href=\"/assets/site.css\">\n"
		"<link rel=\"stylesheet\" href=\"/assets/print.css\" media=\"print\">\n"
		"<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n",
	     r->lang, title, site);
	if (meta)
		page_meta(r, title, meta);
	html(r, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n", _("Skip to content"));
	html(r, "<header class=\"site-header\">\n<div class=\"topbar\"><div class=\"wrap\">"
		"<time class=\"today\" datetime=\"%d-%02d-%02d\">%s</time>", d.y, d.m, d.d,
	     buf_cstr(&today));
	buf_release(&today);
	html(r, "<span class=\"lang\">");
	if (str_eq(r->lang, "en"))
		html(r, "<a href=\"?lang=vi\" lang=\"vi\" hreflang=\"vi\">Tiếng Việt</a>");
	else
		html(r, "<a href=\"?lang=en\" lang=\"en\" hreflang=\"en\">English</a>");
	html(r, "</span><span class=\"who\">");
	if (r->user) {
		html(r, "<a href=\"/account\">%s</a> <form class=\"inline\" method=\"post\" action=\"/logout\">",
		     r->user->name);
		page_csrf_field(r);
		html(r, "<button type=\"submit\" class=\"link\">%s</button></form>", _("Log out"));
	} else {
		html(r, "<a href=\"/login\">%s</a>", _("Log in"));
	}
	html(r, "</span></div></div>\n<div class=\"brand wrap\"><a href=\"/\" class=\"site-name\">"
		"<img src=\"/assets/emblem.svg\" alt=\"\" width=\"48\" height=\"48\">"
		"<span>%s</span></a></div>\n", site);
	html(r, "<nav class=\"main-nav\" aria-label=\"%s\"><ul class=\"wrap\">", _("Main menu"));
	nav_link(r, "/", _("Home"));
	nav_link(r, "/units", _("Administrative units"));
	nav_link(r, "/gui-don", _("Send a petition"));
	nav_link(r, "/tra-cuu", _("Track a case"));
	if (req_can(r, CAP_CASE_VIEW))
		nav_link(r, "/cases", _("Citizens' cases"));
	if (req_can(r, CAP_NEWS_EDIT) || req_can(r, CAP_NEWS_PUBLISH))
		nav_link(r, "/newsroom", _("Newsroom"));
	if (req_can(r, CAP_NEWS_PUBLISH))
		nav_link(r, "/moderation", _("Feedback moderation"));
	if (req_can(r, CAP_DIALOGUE))
		nav_link(r, "/receptions", _("Citizen reception schedule"));
	nav_link(r, "/regions", _("Regions"));
	if (req_can(r, CAP_ORG_VIEW))
		nav_link(r, "/admin/orgs", _("Organisations"));
	if (req_can(r, CAP_USER_MANAGE))
		nav_link(r, "/admin/users", _("Users"));
	if (req_can(r, CAP_AUDIT_VIEW))
		nav_link(r, "/admin/audit", _("Audit log"));
	html(r, "</ul></nav>\n</header>\n<main id=\"main\" class=\"wrap\">\n");
}

void page_end(Req *r)
{
	html(r, "\n</main>\n<footer class=\"site-footer\"><div class=\"wrap\"><p>%s</p>"
		"<p><a href=\"/healthz\">healthz</a> · danvan</p></div></footer>\n</body>\n</html>\n",
	     _("Propaganda and Mass Mobilisation Commission"));
}

void page_error(Req *r, int status, const char *message)
{
	const char *title;
	switch (status) {
	case 400: title = _("The request could not be understood"); break;
	case 401: title = _("Please log in"); break;
	case 403: title = _("You do not have access to this page"); break;
	case 404: title = _("Page not found"); break;
	case 405: title = _("This action is not allowed here"); break;
	case 409: title = _("The data was changed or already exists"); break;
	case 413: title = _("What you sent is too large"); break;
	case 414: title = _("The address is too long"); break;
	case 429: title = _("Too many attempts; please wait and try again"); break;
	case 503: title = _("The system is busy; please try again shortly"); break;
	default: title = _("Something went wrong on our side"); break;
	}
	buf_reset(&r->out);
	page_begin(r, title);
	html(r, "<section class=\"error-page\"><p class=\"code\">%d</p><h1>%s</h1>", status, title);
	if (message && *message)
		html(r, "<p>%s</p>", message);
	html(r, "<p><a href=\"/\">%s</a></p></section>", _("Back to the home page"));
	page_end(r);
}
