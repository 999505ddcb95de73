/*
 * portal_feeds.c — discovery: RSS 2.0 and Atom 1.0 feeds of the newest
 * articles, for the whole site (/rss.xml, /atom.xml) and per category
 * (/chuyen-muc/<slug>/rss.xml, …/atom.xml), the sitemap (/sitemap.xml),
 * and the site's absolute address they all need.
 *
 * XML is written through xml_text/xml_el, which escape the five
 * XML-significant characters (buf_html_escape's set is valid XML) and
 * drop the C0 control characters XML 1.0 forbids; markup around them is
 * literal.  Nothing is spliced raw.
 *
 * Feeds carry the title, link, date, category and lead of each article
 * (the lead is what a feed reader shows; the body stays on the site,
 * where its figures and feedback are).  Dates: RFC 822 in RSS, RFC 3339
 * in Atom, both in Vietnam time (+07:00), which is how the articles were
 * dated by their authors.
 *
 * The absolute address comes from DANVAN_SITE_URL (read once), never from
 * the request's Host header: these responses are cached and shared, and a
 * forged Host would otherwise end up in everyone's feed.
 */
#include "portal.h"
#include "../base/date.h"

#include <pthread.h>

#define FEED_ITEMS 30
#define SITEMAP_PAGE 500
#define SITEMAP_MAX 50000   /* URLs in one sitemap file (sitemaps.org) */
#define SITE_URL_MAX 200
#define SITE_URL_DEFAULT "http://localhost:8080"

/* ==== the site's address ================================================= */

static char site_url[SITE_URL_MAX + 1];
static pthread_once_t site_once = PTHREAD_ONCE_INIT;

/* A plain http(s) URL of safe characters, no query or fragment: it is
 * written into attributes, XML and e-mails. */
static bool site_url_ok(const char *s)
{
	if (!s || !(str_starts(s, "https://") || str_starts(s, "http://")) || strlen(s) > SITE_URL_MAX)
		return false;
	const char *host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  strchr(".-_~:/[]", c);
		if (!ok)
			return false;
	}
	return true;
}

static void site_url_load(void)
{
	const char *env = getenv("DANVAN_SITE_URL");
	xsnprintf(site_url, sizeof site_url, "%s", site_url_ok(env) ? env : SITE_URL_DEFAULT);
	size_t n = strlen(site_url);
	while (n > 8 && site_url[n - 1] == '/')
		site_url[--n] = 0;
}

void portal_site_url(Buf *b)
{
	pthread_once(&site_once, site_url_load);
	buf_puts(b, site_url);
}

/* ==== XML writing ======================================================== */

/* Escaped text without the control characters XML 1.0 forbids. */
static void xml_text(Buf *b, const char *s)
{
	if (!s)
		return;
	const char *p = s;
	while (*p) {
		const char *q = p;
		while (*q && ((unsigned char)*q >= 0x20 || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		buf_html_escape(b, p, (size_t)(q - p));
		p = *q ? q + 1 : q;
	}
}

/* <name>text</name>; name is a literal. */
static void xml_el(Buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_text(b, text);
	buf_printf(b, "</%s>", name);
}

/* "Sat, 22 Jun 2024 09:15:00 +0700" */
static void rfc822(Buf *b, int64_t t)
{
	static const char *const days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	Date d = date_vn_from_unix(t);
	int64_t secs = (t + VN_UTC_OFFSET_SECONDS) % 86400;
	if (secs < 0)
		secs += 86400;
	buf_printf(b, "%s, %02d %s %d %02d:%02d:%02d +0700", days[date_weekday(d)], d.d,
		   months[d.m - 1], d.y, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ==== feeds ============================================================== */

typedef struct Feed {
	Category cat;         /* slug "" = the whole site */
	bool has_cat;
	ArticleList items;
	int64_t updated;      /* the newest item's time, or now */
} Feed;

static Rc feed_load(Req *r, bool per_category, Feed *f)
{
	memset(f, 0, sizeof *f);
	Rc rc;
	if (per_category) {
		if ((rc = category_by_slug(r->db, r->args[0], &f->cat)))
			return rc;
		f->has_cat = true;
	}
	rc = article_latest(r->db, f->has_cat ? f->cat.id : 0, 0, FEED_ITEMS, 0, 0, &f->items);
	if (rc) {
		if (f->has_cat)
			category_release(&f->cat);
		return rc;
	}
	f->updated = f->items.count ? f->items.rows[0].publish_at : util_now();
	return RC_OK;
}

static void feed_release(Feed *f)
{
	if (f->has_cat)
		category_release(&f->cat);
	article_list_release(&f->items);
}

/* "Ban Tuyên giáo và Dân vận" or "Ban Tuyên giáo và Dân vận – Tin tức". */
static void feed_title(Req *r, const Feed *f, Buf *out)
{
	buf_puts(out, _("Propaganda and Mass Mobilisation Commission"));
	if (f->has_cat) {
		buf_puts(out, " – ");
		buf_puts(out, portal_category_name(r, &f->cat));
	}
}

/* The site path of the feed's HTML page and of the feed itself. */
static void feed_paths(const Feed *f, const char *file, Buf *page, Buf *self)
{
	portal_site_url(page);
	portal_site_url(self);
	if (f->has_cat) {
		buf_printf(page, "/chuyen-muc/%u", f->cat.slug);
		buf_printf(self, "/chuyen-muc/%u/%s", f->cat.slug, file);
	} else {
		buf_puts(page, "/");
		buf_printf(self, "/%s", file);
	}
}

static void item_url(Buf *b, const ArticleRow *a)
{
	portal_site_url(b);
	buf_printf(b, "/tin/%u", a->slug);
}

static Rc rss(Req *r, bool per_category)
{
	Feed f;
	Rc rc = feed_load(r, per_category, &f);
	if (rc)
		return rc;
	Buf *b = &r->out;
	Buf title = BUF_INIT, page = BUF_INIT, self = BUF_INIT, date = BUF_INIT, url = BUF_INIT;
	feed_title(r, &f, &title);
	feed_paths(&f, "rss.xml", &page, &self);
	r->out_type = "application/rss+xml; charset=utf-8";
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
	xml_el(b, "title", buf_cstr(&title));
	xml_el(b, "link", buf_cstr(&page));
	xml_el(b, "description", _("News of mass mobilisation work"));
	xml_el(b, "language", str_eq(r->lang, "en") ? "en" : "vi");
	rfc822(&date, f.updated);
	xml_el(b, "lastBuildDate", buf_cstr(&date));
	buf_puts(b, "\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
	xml_text(b, buf_cstr(&self));
	buf_puts(b, "\"/>\n");
	for (size_t i = 0; i < f.items.count; i++) {
		const ArticleRow *a = &f.items.rows[i];
		buf_reset(&url);
		buf_reset(&date);
		item_url(&url, a);
		rfc822(&date, a->publish_at);
		buf_puts(b, "<item>");
		xml_el(b, "title", a->title);
		xml_el(b, "link", buf_cstr(&url));
		buf_puts(b, "<guid isPermaLink=\"true\">");
		xml_text(b, buf_cstr(&url));
		buf_puts(b, "</guid>");
		xml_el(b, "pubDate", buf_cstr(&date));
		if (a->category_name && *a->category_name)
			xml_el(b, "category", a->category_name);
		if (a->lead && *a->lead)
			xml_el(b, "description", a->lead);
		buf_puts(b, "</item>\n");
	}
	buf_puts(b, "</channel>\n</rss>\n");
	buf_release(&title);
	buf_release(&page);
	buf_release(&self);
	buf_release(&date);
	buf_release(&url);
	feed_release(&f);
	return buf_ok(b) ? RC_OK : RC_INTERNAL;
}

static Rc atom(Req *r, bool per_category)
{
	Feed f;
	Rc rc = feed_load(r, per_category, &f);
	if (rc)
		return rc;
	Buf *b = &r->out;
	Buf title = BUF_INIT, page = BUF_INIT, self = BUF_INIT, date = BUF_INIT, url = BUF_INIT;
	feed_title(r, &f, &title);
	feed_paths(&f, "atom.xml", &page, &self);
	r->out_type = "application/atom+xml; charset=utf-8";
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%h\">\n",
		   str_eq(r->lang, "en") ? "en" : "vi");
	xml_el(b, "title", buf_cstr(&title));
	xml_el(b, "subtitle", _("News of mass mobilisation work"));
	buf_puts(b, "\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(b, buf_cstr(&self));
	buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, buf_cstr(&page));
	buf_puts(b, "\"/>\n");
	xml_el(b, "id", buf_cstr(&self));
	date_format_vn_timestamp(&date, f.updated);
	xml_el(b, "updated", buf_cstr(&date));
	buf_puts(b, "\n<author>");
	xml_el(b, "name", _("Propaganda and Mass Mobilisation Commission"));
	buf_puts(b, "</author>\n");
	for (size_t i = 0; i < f.items.count; i++) {
		const ArticleRow *a = &f.items.rows[i];
		buf_reset(&url);
		buf_reset(&date);
		item_url(&url, a);
		date_format_vn_timestamp(&date, a->publish_at);
		buf_puts(b, "<entry>");
		xml_el(b, "title", a->title);
		buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		xml_text(b, buf_cstr(&url));
		buf_puts(b, "\"/>");
		xml_el(b, "id", buf_cstr(&url));
		xml_el(b, "published", buf_cstr(&date));
		xml_el(b, "updated", buf_cstr(&date));
		if (a->category_slug[0]) {
			buf_puts(b, "<category term=\"");
			xml_text(b, a->category_slug);
			buf_puts(b, "\" label=\"");
			xml_text(b, a->category_name);
			buf_puts(b, "\"/>");
		}
		if (a->lead && *a->lead)
			xml_el(b, "summary", a->lead);
		buf_puts(b, "</entry>\n");
	}
	buf_puts(b, "</feed>\n");
	buf_release(&title);
	buf_release(&page);
	buf_release(&self);
	buf_release(&date);
	buf_release(&url);
	feed_release(&f);
	return buf_ok(b) ? RC_OK : RC_INTERNAL;
}

Rc ui_portal_rss(Req *r)
{
	return rss(r, false);
}

Rc ui_portal_atom(Req *r)
{
	return atom(r, false);
}

Rc ui_portal_category_rss(Req *r)
{
	return rss(r, true);
}

Rc ui_portal_category_atom(Req *r)
{
	return atom(r, true);
}

/* ==== sitemap ============================================================ */

static void sitemap_url(Buf *b, const char *path, int64_t lastmod)
{
	buf_puts(b, "<url><loc>");
	Buf loc = BUF_INIT;
	portal_site_url(&loc);
	buf_puts(&loc, path);
	xml_text(b, buf_cstr(&loc));
	buf_release(&loc);
	buf_puts(b, "</loc>");
	if (lastmod) {
		Buf day = BUF_INIT;
		date_format_iso(&day, date_vn_from_unix(lastmod));
		xml_el(b, "lastmod", buf_cstr(&day));
		buf_release(&day);
	}
	buf_puts(b, "</url>\n");
}

Rc ui_portal_sitemap(Req *r)
{
	Buf *b = &r->out;
	r->out_type = "application/xml; charset=utf-8";
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	/* the public pages that are not articles */
	static const char *const fixed[] = {"/", "/thong-ke", "/gui-don", "/tra-cuu", "/units", "/regions"};
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		sitemap_url(b, fixed[i], 0);
	Category *cats = NULL;
	size_t ncats = 0;
	Rc rc = category_list(r->db, &cats, &ncats);
	if (rc)
		return rc;
	Buf path = BUF_INIT;
	for (size_t i = 0; i < ncats; i++) {
		buf_reset(&path);
		buf_printf(&path, "/chuyen-muc/%u", cats[i].slug);
		sitemap_url(b, buf_cstr(&path), 0);
	}
	category_list_release(cats, ncats);
	/* every public article, newest first, a page at a time (keyset) */
	int64_t before_at = 0, before_id = 0;
	size_t written = ncats + ARRAY_LEN(fixed);
	for (;;) {
		ArticleList l;
		if ((rc = article_latest(r->db, 0, 0, SITEMAP_PAGE, before_at, before_id, &l))) {
			buf_release(&path);
			return rc;
		}
		for (size_t i = 0; i < l.count && written < SITEMAP_MAX; i++, written++) {
			buf_reset(&path);
			buf_printf(&path, "/tin/%u", l.rows[i].slug);
			sitemap_url(b, buf_cstr(&path), l.rows[i].publish_at);
		}
		bool more = l.more && l.count && written < SITEMAP_MAX;
		if (l.count) {
			before_at = l.rows[l.count - 1].publish_at;
			before_id = l.rows[l.count - 1].id;
		}
		article_list_release(&l);
		if (!more)
			break;
	}
	buf_release(&path);
	buf_puts(b, "</urlset>\n");
	return buf_ok(b) ? RC_OK : RC_INTERNAL;
}
