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
void page_end(Req *r);
/* <input type="hidden" name="csrf" value="…"> */
void page_csrf_field(Req *r);
/* The error page for an Rc (403/404/413/500 …) in the site's look. */
void page_error(Req *r, int status, const char *message);

#endif
