/*
 * portal.h — the public news portal: the home page, articles with their
 * print view, "Gửi cho bạn bè" and "Phản hồi", categories, search, the
 * public statistics, RSS/Atom feeds and the sitemap; plus the helpers
 * the portal's page files share.
 *
 * Files: portal_home.c (home, category pages, shared helpers),
 * portal_article.c (article, print view, feedback and send-to-a-friend
 * forms), portal_search.c, portal_stats.c, portal_feeds.c (RSS, Atom,
 * sitemap, the site's absolute address).  Routes: web/routes_portal.def.
 *
 * Caching.  Every page a visitor reads is R_PUBLIC_CACHE: rendered once,
 * then served from memory with an ETag until a write commits.  A cached
 * page is the same for every visitor, so it must not carry a visitor's
 * CSRF token: the two forms (feedback, send to a friend) live on their
 * own small uncached pages, linked from the article.
 *
 * Addresses are Vietnamese slugs: /tin/<slug>, /chuyen-muc/<slug>.
 */
#ifndef DANVAN_UI_PORTAL_H
#define DANVAN_UI_PORTAL_H

#include "../web/req.h"
#include "../domain/article.h"

/* ---- handlers ---- */
Rc ui_portal_home(Req *r);
Rc ui_portal_category(Req *r);
Rc ui_portal_article(Req *r);
Rc ui_portal_article_print(Req *r);
Rc ui_portal_feedback_form(Req *r);
Rc ui_portal_feedback_submit(Req *r);
Rc ui_portal_share_form(Req *r);
Rc ui_portal_share(Req *r);
Rc ui_portal_search(Req *r);
Rc ui_portal_stats(Req *r);
Rc ui_portal_rss(Req *r);
Rc ui_portal_atom(Req *r);
Rc ui_portal_category_rss(Req *r);
Rc ui_portal_category_atom(Req *r);
Rc ui_portal_sitemap(Req *r);

/* ---- shared by the portal's pages ---- */

/* What a page tells crawlers and link previews (OpenGraph, canonical,
 * feeds).  Every field may be NULL.  canonical and image are site paths
 * ("/tin/…"); portal_begin makes them absolute. */
typedef struct PortalMeta {
	const char *canonical;
	const char *description;  /* plain text; cut to 200 characters */
	const char *type;         /* og:type: "article" or NULL = "website" */
	const char *image;        /* og:image */
	int64_t published;        /* article:published_time, 0 = none */
	const char *feed;         /* a category's feed path prefix ("/chuyen-muc/x"), NULL = the site's */
	const char *feed_title;
} PortalMeta;

/* The page frame (page_begin) and, inside <main>, the menu of categories
 * with `current` (a category slug, NULL = none) marked. */
void portal_begin(Req *r, const char *title, const PortalMeta *meta, const char *current);
void portal_end(Req *r);

/* The category's name in the request's language. */
const char *portal_category_name(Req *r, const Category *c);

/* <time datetime="…+07:00">22/6/2024</time> (with_time: "22/6/2024 09:15"),
 * Vietnam time. */
void portal_time(Req *r, int64_t t, bool with_time);

enum {
	PORTAL_LIST_LEAD = 1,      /* a short lead under each title */
	PORTAL_LIST_THUMB = 2,     /* the first figure's thumbnail */
	PORTAL_LIST_CATEGORY = 4,  /* the category after the date */
	PORTAL_LIST_COMPACT = 8,   /* titles and dates only ("Các tin khác") */
	PORTAL_LIST_H2 = 16,       /* titles as <h2>: the list is the page's main content */
};
/* Articles as a list of linked titles (<h3>, or <h2> with PORTAL_LIST_H2;
 * plain links when compact). */
void portal_article_list(Req *r, const ArticleList *l, unsigned flags);

/* The "Xem nhiều nhất" box: the most viewed of the last 7 and 30 days. */
void portal_most_viewed(Req *r);

/* The search box (GET /tim-kiem), with `q` filled in. id must be unique
 * in the page. */
void portal_search_form(Req *r, const char *id, const char *q);

/* Append s cut to at most max code points at a space, with "…" when cut. */
void portal_cut(Buf *b, const char *s, size_t max);

/* The site's absolute address without the trailing '/', for feeds,
 * sitemap, canonical links and e-mails: DANVAN_SITE_URL when it is a
 * plain http(s) URL, else http://localhost:8080.  Never taken from the
 * request's Host header: cached pages and e-mails would carry whatever a
 * client sent. */
void portal_site_url(Buf *b);

/* /robots.txt (portal_robots.c) */
Rc ui_portal_robots(Req *r);

#endif
