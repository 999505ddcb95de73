/*
 * portal_robots.c — /robots.txt: what crawlers may index (the public
 * portal) and may not (staff pages, forms, search results, the API), and
 * where the sitemap is.  Lives with the portal because the sitemap's
 * absolute address is the portal's (portal_site_url).
 */
#include "portal.h"

Rc ui_portal_robots(Req *r)
{
	r->cache_control = "public, max-age=3600";
	Buf b = BUF_INIT;
	buf_puts(&b, "User-agent: *\n"
		     "Disallow: /admin/\nDisallow: /account\nDisallow: /api/\nDisallow: /cases\n"
		     "Disallow: /newsroom\nDisallow: /moderation\nDisallow: /login\n"
		     "Disallow: /tra-cuu/\nDisallow: /tim-kiem\n"
		     "Disallow: /tin/*/phan-hoi\nDisallow: /tin/*/gui-ban-be\nDisallow: /tin/*/in\n"
		     "Sitemap: ");
	portal_site_url(&b);
	buf_puts(&b, "/sitemap.xml\n");
	req_send_bytes(r, "text/plain; charset=utf-8", b.data, b.len);
	buf_release(&b);
	return RC_OK;
}
