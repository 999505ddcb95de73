/*
 * page.h — the page frame every HTML page shares: doctype, head with the
 * stylesheet, the header with today's Vietnamese date ("Thứ Bảy,
 * 28/11/2026"), the site name, navigation (by capability), language link,
 * then <main>; page_end closes main and writes the footer.
 *
 *   page_begin(r, _("Administrative units"));
 *   html(r, "<h1>%s</h1>", _("Administrative units"));
 *   ...
 *   page_end(r);
 *   return RC_OK;
 *
 * Forms that POST include the CSRF field with page_csrf_field(r).
 */
#ifndef DANVAN_PAGE_H
#define DANVAN_PAGE_H

#include "../web/req.h"

void page_begin(Req *r, const char *title);

/* Extra head tags for public pages: canonical link, description,
 * OpenGraph, feeds.  Every field may be NULL; URLs are absolute. */
typedef struct PageMeta {
	const char *canonical;    /* <link rel="canonical">, og:url */
	const char *description;  /* <meta name="description">, og:description */
	const char *og_type;      /* "website" (NULL) or "article" */
	const char *image;        /* og:image */
	const char *published;    /* article:published_time, ISO 8601 */
	const char *rss, *atom;   /* <link rel="alternate"> to the feeds */
	const char *feed_title;   /* their title; NULL = the site's name */
} PageMeta;
/* page_begin with the head tags of `meta` (NULL = none, as page_begin). */
void page_begin_ex(Req *r, const char *title, const PageMeta *meta);
void page_end(Req *r);
/* <input type="hidden" name="csrf" value="…"> */
void page_csrf_field(Req *r);
/* The error page for an Rc (403/404/413/500 …) in the site's look. */
void page_error(Req *r, int status, const char *message);

#endif
