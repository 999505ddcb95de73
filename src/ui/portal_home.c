/*
 * portal_home.c — the portal's home page and category pages, and the
 * helpers every portal page shares (portal.h): the frame with the menu of
 * categories, dates, article lists, "Xem nhiều nhất", the search box.
 *
 * The home page, top to bottom: the search box and the citizen's
 * services (send a petition, track a case, public statistics with this
 * year's three headline figures), the featured articles, the latest of
 * each category, and beside them "Xem nhiều nhất" for the last 7 and 30
 * days.  The date and the organisation's name and emblem are in the page
 * frame's header (ui/page.c).  Everything works without JavaScript; the
 * layout is one column up to 760 px and two above (site.css, "portal").
 *
 * Headings: one <h1> per page (visually hidden on the home page, whose
 * visible title is the organisation's name in the header), <h2> per
 * section, <h3> per article in a list, so a screen reader's heading list
 * is the page's table of contents.
 */
#include "portal.h"

#include <pthread.h>
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/stats.h"

#define HOME_FEATURED 5
#define HOME_PER_CATEGORY 4
#define MOST_VIEWED 5
#define CATEGORY_PAGE 20
#define LIST_LEAD_CHARS 180

/* ==== shared helpers ===================================================== */

const char *portal_category_name(Req *r, const Category *c)
{
	if (str_eq(r->lang, "en") && c->name_en && *c->name_en)
		return c->name_en;
	return c->name ? c->name : c->slug;
}

void portal_cut(Buf *b, const char *s, size_t max)
{
	if (!s)
		return;
	if (text_length(s) <= max) {
		buf_puts(b, s);
		return;
	}
	/* the byte offset of code point `max`, then back to the last space */
	const char *p = s;
	for (size_t i = 0; i < max && *p; i++) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
	}
	const char *cut = p;
	while (cut > s && *cut != ' ')
		cut--;
	if (cut == s)
		cut = p; /* one long word: cut inside it */
	while (cut > s && (cut[-1] == ' ' || cut[-1] == ',' || cut[-1] == '.'))
		cut--;
	buf_append(b, s, (size_t)(cut - s));
	buf_puts(b, "…");
}

void portal_time(Req *r, int64_t t, bool with_time)
{
	Date d = date_vn_from_unix(t);
	int64_t secs = (t + VN_UTC_OFFSET_SECONDS) % 86400;
	if (secs < 0)
		secs += 86400;
	Buf iso = BUF_INIT;
	date_format_vn_timestamp(&iso, t);
	if (with_time)
		html(r, "<time datetime=\"%s\">%d/%d/%d %02d:%02d</time>", buf_cstr(&iso), d.d, d.m, d.y,
		     (int)(secs / 3600), (int)(secs / 60 % 60));
	else
		html(r, "<time datetime=\"%s\">%d/%d/%d</time>", buf_cstr(&iso), d.d, d.m, d.y);
	buf_release(&iso);
}

void portal_search_form(Req *r, const char *id, const char *q)
{
	html(r, "<form class=\"search-box\" method=\"get\" action=\"/tim-kiem\" role=\"search\">"
		"<label for=\"%s\">%s</label><span class=\"search-row\">"
		"<input type=\"search\" id=\"%s\" name=\"q\" value=\"%s\" maxlength=\"200\" "
		"autocomplete=\"off\"> <button type=\"submit\">%s</button></span></form>",
	     id, _("Search the news"), id, q ? q : "", _("Search"));
}

/* Absolute address of a site path, for the head tags. */
static char *absolute(const char *path)
{
	Buf b = BUF_INIT;
	portal_site_url(&b);
	buf_puts(&b, path);
	return buf_detach(&b, NULL);
}

void portal_begin(Req *r, const char *title, const PortalMeta *meta, const char *current)
{
	/* the head tags: OpenGraph, canonical and feeds */
	PageMeta pm;
	memset(&pm, 0, sizeof pm);
	char *canonical = NULL, *image = NULL, *rss = NULL, *atom = NULL;
	Buf desc = BUF_INIT, published = BUF_INIT, feed = BUF_INIT;
	if (meta) {
		if (meta->canonical)
			pm.canonical = canonical = absolute(meta->canonical);
		if (meta->description && *meta->description) {
			portal_cut(&desc, meta->description, 200);
			pm.description = buf_cstr(&desc);
		}
		pm.og_type = meta->type ? meta->type : "website";
		if (meta->image)
			pm.image = image = absolute(meta->image);
		if (meta->published) {
			date_format_vn_timestamp(&published, meta->published);
			pm.published = buf_cstr(&published);
		}
		buf_printf(&feed, "%s/rss.xml", meta->feed ? meta->feed : "");
		pm.rss = rss = absolute(buf_cstr(&feed));
		buf_reset(&feed);
		buf_printf(&feed, "%s/atom.xml", meta->feed ? meta->feed : "");
		pm.atom = atom = absolute(buf_cstr(&feed));
		pm.feed_title = meta->feed_title;
	}
	page_begin_ex(r, title, meta ? &pm : NULL);
	free(canonical);
	free(image);
	free(rss);
	free(atom);
	buf_release(&desc);
	buf_release(&published);
	buf_release(&feed);
	Category *cats = NULL;
	size_t n = 0;
	Rc crc = category_list(r->db, &cats, &n);
	if (crc != RC_OK) {
		req_part_failed(r, crc);
		return;
	}
	if (n == 0)
		return;
	html(r, "<nav class=\"cat-nav\" aria-label=\"%s\"><ul>", _("News categories"));
	for (size_t i = 0; i < n; i++)
		html(r, "<li><a href=\"/chuyen-muc/%u\"%r>%s</a></li>", cats[i].slug,
		     str_eq(current, cats[i].slug) ? " aria-current=\"page\"" : "",
		     portal_category_name(r, &cats[i]));
	html(r, "</ul></nav>");
	category_list_release(cats, n);
}

void portal_end(Req *r)
{
	page_end(r);
}

void portal_article_list(Req *r, const ArticleList *l, unsigned flags)
{
	bool compact = flags & PORTAL_LIST_COMPACT;
	html(r, "<ul class=\"%r\">", compact ? "news-titles" : "news-list");
	for (size_t i = 0; i < l->count; i++) {
		const ArticleRow *a = &l->rows[i];
		if (compact) {
			html(r, "<li><a href=\"/tin/%u\">%s</a> <span class=\"muted\">(", a->slug, a->title);
			portal_time(r, a->publish_at, false);
			html(r, ")</span></li>");
			continue;
		}
		html(r, "<li class=\"news-item\">");
		/* the picture repeats the title's link: hidden from the tab order
		 * and from screen readers, which get the title once */
		if ((flags & PORTAL_LIST_THUMB) && a->image_id)
			html(r, "<a class=\"thumb\" href=\"/tin/%u\" tabindex=\"-1\" aria-hidden=\"true\">"
				"<img src=\"/anh/%lld/nho\" alt=\"\" width=\"400\" height=\"225\" loading=\"lazy\"></a>",
			     a->slug, (long long)a->image_id);
		if (flags & PORTAL_LIST_H2)
			html(r, "<h2><a href=\"/tin/%u\">%s</a></h2><p class=\"meta\">", a->slug, a->title);
		else
			html(r, "<h3><a href=\"/tin/%u\">%s</a></h3><p class=\"meta\">", a->slug, a->title);
		portal_time(r, a->publish_at, false);
		if ((flags & PORTAL_LIST_CATEGORY) && a->category_slug[0])
			html(r, " · <a href=\"/chuyen-muc/%u\">%s</a>", a->category_slug,
			     a->category_name ? a->category_name : "");
		html(r, "</p>");
		if ((flags & PORTAL_LIST_LEAD) && a->lead && *a->lead) {
			Buf lead = BUF_INIT;
			portal_cut(&lead, a->lead, LIST_LEAD_CHARS);
			html(r, "<p class=\"summary\">%s</p>", buf_cstr(&lead));
			buf_release(&lead);
		}
		html(r, "</li>");
	}
	html(r, "</ul>");
}

static void most_viewed_list(Req *r, int days, const char *heading)
{
	ArticleList l;
	if (req_part_failed(r, article_most_viewed(r->db, days, MOST_VIEWED, &l)) != RC_OK)
		return;
	html(r, "<h3>%s</h3>", heading);
	if (!l.count) {
		html(r, "<p class=\"muted\">%s</p>", _("No views counted yet."));
	} else {
		html(r, "<ol class=\"most-viewed\">");
		for (size_t i = 0; i < l.count; i++)
			html(r, "<li><a href=\"/tin/%u\">%s</a></li>", l.rows[i].slug, l.rows[i].title);
		html(r, "</ol>");
	}
	article_list_release(&l);
}

void portal_most_viewed(Req *r)
{
	html(r, "<section class=\"box\" aria-labelledby=\"most-viewed\"><h2 id=\"most-viewed\">%s</h2>",
	     _("Most viewed"));
	most_viewed_list(r, 7, _("Last 7 days"));
	most_viewed_list(r, 30, _("Last 30 days"));
	html(r, "</section>");
}

/* ==== home ================================================================ */

static void figure_tile(Req *r, const char *value, const char *label)
{
	html(r, "<li><strong>%s</strong> <span>%s</span></li>", value, label);
}

static void rate_text(Req *r, Buf *b, int permille)
{
	if (permille < 0) {
		buf_puts(b, "–");
		return;
	}
	buf_printf(b, "%d%s%d%%", permille / 10, str_eq(r->lang, "en") ? "." : ",", permille % 10);
}

/* This year's headline figures, computed at most once a minute: a full
 * pass over the year's cases is too much for every render of the most
 * visited page, and a minute-old count is still live data. */
typedef struct Headline {
	int64_t computed_at;
	int year;
	int64_t received, handled, met, missed;
	bool ok;
} Headline;

static pthread_mutex_t headline_lock = PTHREAD_MUTEX_INITIALIZER;
static Headline headline_memo;

static Headline headline(Req *r, Date today)
{
	Headline h;
	int64_t now = util_now();
	pthread_mutex_lock(&headline_lock);
	h = headline_memo;
	pthread_mutex_unlock(&headline_lock);
	if (h.ok && h.year == today.y && now - h.computed_at < 60 && now >= h.computed_at)
		return h;
	char from[11], to[11];
	xsnprintf(from, sizeof from, "%04d-01-01", today.y);
	date_iso(today, to);
	Stats s;
	memset(&h, 0, sizeof h);
	Rc src = stats_compute(r->db, from, to, NULL, &s);
	req_part_failed(r, src);
	if (src == RC_OK) {
		h.ok = true;
		h.year = today.y;
		h.computed_at = now;
		h.received = s.total.received;
		h.handled = s.total.handled;
		h.met = s.total.deadlines_met;
		h.missed = s.total.deadlines_missed;
		stats_release(&s);
		pthread_mutex_lock(&headline_lock);
		headline_memo = h;
		pthread_mutex_unlock(&headline_lock);
	}
	return h;
}

/* Citizens' services, with this year's headline figures from live data. */
static void services(Req *r)
{
	html(r, "<section class=\"services\" aria-labelledby=\"services\"><h2 id=\"services\">%s</h2>"
		"<ul class=\"service-links\">"
		"<li><a href=\"/gui-don\"><strong>%s</strong><span>%s</span></a></li>"
		"<li><a href=\"/tra-cuu\"><strong>%s</strong><span>%s</span></a></li>"
		"<li><a href=\"/lich-tiep-cong-dan\"><strong>%s</strong><span>%s</span></a></li>"
		"<li><a href=\"/thong-ke\"><strong>%s</strong><span>%s</span></a></li></ul>",
	     _("Services for citizens"), _("Send a petition"),
	     _("Petitions, complaints and denunciations, online"), _("Track a case"),
	     _("Follow your case with its tracking code"), _("Citizen reception schedule"),
	     _("When and where leaders receive citizens"), _("Public statistics"),
	     _("Cases received and resolved, by month and province"));
	Date today = date_vn_from_unix(util_now());
	Headline h = headline(r, today);
	if (h.ok) {
		Buf n = BUF_INIT, handled = BUF_INIT, ontime = BUF_INIT;
		if (str_eq(r->lang, "en"))
			text_format_int_en(&n, h.received);
		else
			text_format_int_vi(&n, h.received);
		rate_text(r, &handled, stats_permille(h.handled, h.received));
		rate_text(r, &ontime, stats_permille(h.met, h.met + h.missed));
		html(r, "<h3>%s %d</h3><ul class=\"figures\">", _("Since the start of"), today.y);
		figure_tile(r, buf_cstr(&n), _("cases received"));
		figure_tile(r, buf_cstr(&handled), _("handled"));
		figure_tile(r, buf_cstr(&ontime), _("of deadlines met on time"));
		html(r, "</ul><p><a href=\"/thong-ke\">%s</a></p>", _("All statistics"));
		buf_release(&n);
		buf_release(&handled);
		buf_release(&ontime);
	}
	html(r, "</section>");
}

static void featured(Req *r)
{
	ArticleList l;
	if (req_part_failed(r, article_featured(r->db, HOME_FEATURED, &l)) != RC_OK)
		return;
	if (!l.count) {
		/* nothing marked featured: the newest stand in */
		article_list_release(&l);
		if (req_part_failed(r, article_latest(r->db, 0, 0, HOME_FEATURED, 0, 0, &l)) != RC_OK)
			return;
	}
	if (l.count) {
		html(r, "<section class=\"featured\" aria-labelledby=\"featured\"><h2 id=\"featured\">%s</h2>",
		     _("Featured news"));
		portal_article_list(r, &l, PORTAL_LIST_LEAD | PORTAL_LIST_THUMB | PORTAL_LIST_CATEGORY);
		html(r, "</section>");
	}
	article_list_release(&l);
}

static void per_category(Req *r)
{
	Category *cats = NULL;
	size_t n = 0;
	if (req_part_failed(r, category_list(r->db, &cats, &n)) != RC_OK)
		return;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		ArticleList l;
		if (req_part_failed(r, article_latest(r->db, cats[i].id, 0, HOME_PER_CATEGORY, 0, 0, &l)) != RC_OK)
			break;
		if (l.count) {
			any = true;
			html(r, "<section class=\"category-block\" aria-labelledby=\"cat-%u\">"
				"<h2 id=\"cat-%u\"><a href=\"/chuyen-muc/%u\">%s</a></h2>",
			     cats[i].slug, cats[i].slug, cats[i].slug, portal_category_name(r, &cats[i]));
			portal_article_list(r, &l, PORTAL_LIST_LEAD);
			html(r, "<p class=\"more\"><a href=\"/chuyen-muc/%u\">%s<span class=\"visually-hidden\">: %s</span></a></p></section>",
			     cats[i].slug, _("More news"), portal_category_name(r, &cats[i]));
		}
		article_list_release(&l);
	}
	if (!any)
		html(r, "<p class=\"empty\">%s</p>", _("No news has been published yet."));
	category_list_release(cats, n);
}

Rc ui_portal_home(Req *r)
{
	PortalMeta meta = {
		.canonical = "/",
		.description = _("News of mass mobilisation work; citizens' petitions, complaints and denunciations and how they are handled; public statistics."),
	};
	portal_begin(r, _("Home"), &meta, NULL);
	html(r, "<h1 class=\"visually-hidden\">%s</h1>", _("Propaganda and Mass Mobilisation Commission"));
	portal_search_form(r, "q-home", NULL);
	html(r, "<div class=\"portal-grid\"><div class=\"portal-main\">");
	featured(r);
	per_category(r);
	html(r, "</div><aside class=\"portal-side\" aria-label=\"%s\">", _("More"));
	services(r);
	portal_most_viewed(r);
	html(r, "<p class=\"feeds\"><a href=\"/rss.xml\">RSS</a> · <a href=\"/atom.xml\">Atom</a></p>");
	html(r, "</aside></div>");
	portal_end(r);
	return RC_OK;
}

/* ==== category ============================================================ */

/* "?truoc=<publish_at>-<id>": the keyset of the last article seen. */
static bool parse_before(const char *s, int64_t *at, int64_t *id)
{
	if (!s || !*s)
		return false;
	const char *dash = strchr(s, '-');
	if (!dash || dash - s > 20)
		return false;
	char num[24];
	memcpy(num, s, (size_t)(dash - s));
	num[dash - s] = 0;
	return util_parse_i64(num, 1, INT64_MAX, at) && util_parse_i64(dash + 1, 1, INT64_MAX, id);
}

Rc ui_portal_category(Req *r)
{
	Category c;
	Rc rc = category_by_slug(r->db, r->args[0], &c);
	if (rc)
		return rc;
	int64_t before_at = 0, before_id = 0;
	const char *before = req_param(r, "truoc");
	if (before && !parse_before(before, &before_at, &before_id)) {
		category_release(&c);
		return req_fail(r, RC_INVALID, _("This page number is not valid."));
	}
	ArticleList l;
	if ((rc = article_latest(r->db, c.id, 0, CATEGORY_PAGE, before_at, before_id, &l))) {
		category_release(&c);
		return rc;
	}
	const char *name = portal_category_name(r, &c);
	Buf canonical = BUF_INIT, feed = BUF_INIT;
	buf_printf(&canonical, "/chuyen-muc/%u", c.slug);
	buf_printf(&feed, "/chuyen-muc/%u", c.slug);
	PortalMeta meta = {
		/* older pages are not canonical: the first page is */
		.canonical = before ? NULL : buf_cstr(&canonical),
		.feed = buf_cstr(&feed),
		.feed_title = name,
	};
	portal_begin(r, name, &meta, c.slug);
	html(r, "<nav class=\"breadcrumb\" aria-label=\"%s\"><ol><li><a href=\"/\">%s</a></li>"
		"<li><a href=\"/chuyen-muc/%u\" aria-current=\"page\">%s</a></li></ol></nav>",
	     _("Breadcrumb"), _("Home"), c.slug, name);
	html(r, "<div class=\"portal-grid\"><div class=\"portal-main\"><h1>%s</h1>", name);
	if (!l.count)
		html(r, "<p class=\"empty\">%s</p>",
		     before ? _("There are no older articles.") : _("No news in this category yet."));
	portal_article_list(r, &l, PORTAL_LIST_LEAD | PORTAL_LIST_THUMB | PORTAL_LIST_H2);
	html(r, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
	if (before)
		html(r, "<a href=\"/chuyen-muc/%u\">%s</a>", c.slug, _("Newest articles"));
	if (l.more && l.count) {
		const ArticleRow *last = &l.rows[l.count - 1];
		html(r, "<a href=\"/chuyen-muc/%u?truoc=%lld-%lld\" rel=\"next\">%s</a>", c.slug,
		     (long long)last->publish_at, (long long)last->id, _("Older articles"));
	}
	html(r, "</nav><p class=\"feeds\"><a href=\"/chuyen-muc/%u/rss.xml\">RSS</a> · "
		"<a href=\"/chuyen-muc/%u/atom.xml\">Atom</a></p></div>", c.slug, c.slug);
	html(r, "<aside class=\"portal-side\" aria-label=\"%s\">", _("More"));
	portal_search_form(r, "q-side", NULL);
	portal_most_viewed(r);
	html(r, "</aside></div>");
	portal_end(r);
	buf_release(&canonical);
	buf_release(&feed);
	article_list_release(&l);
	category_release(&c);
	return RC_OK;
}
