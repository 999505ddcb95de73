/*
 * portal_search.c — search over published articles (/tim-kiem?q=…),
 * newest first, with the matching words highlighted in the title and
 * the snippet.
 *
 * Matching is article_search's: the folded key (text_search_key), so
 * "dan van kheo" finds "Dân vận khéo", each query word a prefix.  The
 * highlighting folds each word of the shown text the same way and marks
 * it when its key begins with a query word — so the words that made the
 * match are the ones marked, accents or not.  Text is escaped piece by
 * piece through html()'s %s; only the <mark> tags are markup.
 *
 * Pages: ?trang=N (20 results a page, at most SEARCH_PAGES_MAX pages: a
 * search is not a way to walk the archive, the category pages are).
 */
#include "portal.h"
#include "page.h"
#include "../base/text.h"

#define SEARCH_PAGE 20
#define SEARCH_PAGES_MAX 50
#define QUERY_MAX_CHARS 200
#define TERMS_MAX 16

typedef struct Terms {
	char *key;               /* the folded query, owns the words */
	const char *word[TERMS_MAX];
	size_t len[TERMS_MAX];
	size_t n;
} Terms;

static void terms_parse(const char *q, Terms *t)
{
	memset(t, 0, sizeof *t);
	t->key = text_search_key(q ? q : "");
	for (const char *p = t->key; *p && t->n < TERMS_MAX;) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		t->word[t->n] = p;
		t->len[t->n++] = n;
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* Does any word of the folded key begin with a query word? */
static bool key_matches(const char *key, const Terms *t)
{
	for (const char *w = key; *w;) {
		const char *we = strchr(w, ' ');
		size_t wn = we ? (size_t)(we - w) : strlen(w);
		for (size_t i = 0; i < t->n; i++)
			if (t->len[i] && t->len[i] <= wn && strncmp(w, t->word[i], t->len[i]) == 0)
				return true;
		w += wn;
		while (*w == ' ')
			w++;
	}
	return false;
}

/* Letters and digits of any script (bytes of multi-byte UTF-8 included),
 * so a Vietnamese word is one token. */
static bool word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The text, escaped, with matching words in <mark>. */
static void highlighted(Req *r, const char *s, const Terms *t)
{
	if (!s)
		return;
	const char *p = s;
	while (*p) {
		const char *q = p;
		while (*q && !word_byte((unsigned char)*q))
			q++;
		if (q > p)
			html(r, "%.*s", (int)(q - p), p);
		if (!*q)
			break;
		const char *e = q;
		while (*e && word_byte((unsigned char)*e))
			e++;
		char *word = xstrndup(q, (size_t)(e - q));
		char *key = text_search_key(word);
		if (t->n && key_matches(key, t))
			html(r, "<mark>%s</mark>", word);
		else
			html(r, "%s", word);
		free(key);
		free(word);
		p = e;
	}
}

Rc ui_portal_search(Req *r)
{
	const char *q = req_str(r, "q");
	int64_t page = 1;
	const char *tp = req_param(r, "trang");
	if (tp && !util_parse_i64(tp, 1, SEARCH_PAGES_MAX, &page))
		return req_fail(r, RC_INVALID, _("This page number is not valid."));
	bool too_long = text_length(q) > QUERY_MAX_CHARS;
	Terms t;
	terms_parse(too_long ? "" : q, &t);
	ArticleList l;
	memset(&l, 0, sizeof l);
	Rc rc = RC_OK;
	if (t.n)
		rc = article_search(r->db, q, SEARCH_PAGE, (int)((page - 1) * SEARCH_PAGE), &l);
	if (rc) {
		free(t.key);
		return rc;
	}
	portal_begin(r, *q ? q : _("Search"), NULL, NULL);
	html(r, "<div class=\"portal-grid\"><div class=\"portal-main\"><h1>%s</h1>", _("Search"));
	portal_search_form(r, "q-main", q);
	if (too_long) {
		html(r, "<p class=\"alert\" role=\"alert\">%s</p>", _("The search is too long: use at most 200 characters."));
	} else if (!*q) {
		html(r, "<p class=\"hint\">%s</p>", _("Type a few words; accents are optional: \"dan van kheo\" finds \"Dân vận khéo\"."));
	} else if (!t.n) {
		html(r, "<p class=\"empty\">%s</p>", _("Type letters or digits to search for."));
	} else if (!l.count) {
		/* role=status: the outcome of the search is announced */
		html(r, "<p class=\"empty\" role=\"status\">%s</p>",
		     page > 1 ? _("No more results.") : _("No article matches your search."));
	} else {
		html(r, "<p class=\"visually-hidden\" role=\"status\">%s</p>", _("Search results"));
		html(r, "<ol class=\"search-results\" start=\"%lld\">", (long long)((page - 1) * SEARCH_PAGE + 1));
		for (size_t i = 0; i < l.count; i++) {
			const ArticleRow *a = &l.rows[i];
			html(r, "<li><h2><a href=\"/tin/%u\">", a->slug);
			highlighted(r, a->title, &t);
			html(r, "</a></h2><p class=\"meta\">");
			portal_time(r, a->publish_at, false);
			if (a->category_slug[0])
				html(r, " · <a href=\"/chuyen-muc/%u\">%s</a>", a->category_slug,
				     a->category_name ? a->category_name : "");
			html(r, "</p>");
			if (a->snippet && *a->snippet) {
				html(r, "<p class=\"snippet\">");
				highlighted(r, a->snippet, &t);
				html(r, "</p>");
			}
			html(r, "</li>");
		}
		html(r, "</ol>");
	}
	if (page > 1 || (l.more && page < SEARCH_PAGES_MAX)) {
		html(r, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
		if (page > 1)
			html(r, "<a href=\"/tim-kiem?q=%u&amp;trang=%lld\" rel=\"prev\">%s</a>", q,
			     (long long)(page - 1), _("Newer results"));
		if (l.more && page < SEARCH_PAGES_MAX)
			html(r, "<a href=\"/tim-kiem?q=%u&amp;trang=%lld\" rel=\"next\">%s</a>", q,
			     (long long)(page + 1), _("Older results"));
		html(r, "</nav>");
	}
	html(r, "</div><aside class=\"portal-side\" aria-label=\"%s\">", _("More"));
	portal_most_viewed(r);
	html(r, "</aside></div>");
	portal_end(r);
	article_list_release(&l);
	free(t.key);
	return RC_OK;
}
