/*
 * article_query.c — reading articles in bulk: the public lists (latest,
 * by category, featured, "Các tin khác"), "Xem nhiều nhất" over 7 or 30
 * days, folded full-text search with snippets, the newsroom's list and
 * counts, and the batched flush of view counts.
 *
 * Every public query repeats the visibility rule (status 'published' and
 * publish_at ≤ now) in SQL, so a scheduled article stays out of every
 * list until it is due.  Lists fetch one row more than asked to know
 * whether another page exists.
 *
 * Search: the folded key (text_search_key) of title, lead, body, tags
 * and captions is indexed in the contentless FTS5 table article_fts (see
 * portal_reindex); the query is folded the same way and each word
 * becomes a quoted prefix term, so "dan van kheo" finds "Dân vận khéo"
 * and "khe" finds "khéo".  Snippets are cut from the plain text around
 * the first word whose folded form matches a term.
 */
#include "portal_priv.h"
#include "markup.h"
#include "../base/text.h"

#define LIST_LIMIT_MAX 100
#define QUERY_TERMS_MAX 8
#define SNIPPET_SCAN_MAX 20000   /* bytes of plain text searched for the snippet */
#define SNIPPET_BEFORE 8         /* words */
#define SNIPPET_AFTER 24

void article_list_release(ArticleList *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		free(l->rows[i].title);
		free(l->rows[i].lead);
		free(l->rows[i].category_name);
		free(l->rows[i].snippet);
	}
	free(l->rows);
	memset(l, 0, sizeof *l);
}

static int clamp_limit(int limit)
{
	return limit < 1 ? 1 : limit > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : limit;
}

/* The list columns, in this order, in every query below:
 * a.id, a.slug, a.title, a.lead, c.slug, c.name, publish_at, views,
 * first image id, a.status, a.body (search only, else ''). */
#define ROW_COLUMNS 10

static void row_fill(DbStmt *st, ArticleRow *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	snprintf(r->slug, sizeof r->slug, "%s", db_col_text(st, 1));
	r->title = xstrdup(db_col_text(st, 2));
	r->lead = xstrdup(db_col_text(st, 3));
	snprintf(r->category_slug, sizeof r->category_slug, "%s", db_col_text(st, 4));
	r->category_name = xstrdup(db_col_text(st, 5));
	r->publish_at = db_col_int(st, 6);
	r->views = db_col_int(st, 7);
	r->image_id = db_col_int(st, 8);
	xsnprintf(r->status, sizeof r->status, "%s", db_col_text(st, 9));
}

/* Read up to `limit` rows; a further row sets `more`.  Calls `extra` (may
 * be NULL) on each kept row while the statement is on it. */
static Rc collect(DbStmt *st, int limit, ArticleList *out,
		  void (*extra)(DbStmt *st, ArticleRow *r, void *arg), void *arg)
{
	memset(out, 0, sizeof *out);
	out->rows = xcalloc((size_t)limit, sizeof *out->rows);
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (out->count == (size_t)limit) {
			out->more = true;
			break;
		}
		ArticleRow *r = &out->rows[out->count++];
		row_fill(st, r);
		if (extra)
			extra(st, r, arg);
	}
	db_done(st);
	if (s < 0) {
		article_list_release(out);
		return (Rc)-s;
	}
	return RC_OK;
}

Rc article_latest(Db *db, int64_t category_id, int64_t exclude_id, int limit, int64_t before_at,
		  int64_t before_id, ArticleList *out)
{
	limit = clamp_limit(limit);
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT a.id, a.slug, a.title, a.lead, c.slug, c.name, a.publish_at, a.views,"
		    " coalesce((SELECT i.id FROM image i WHERE i.article_id = a.id ORDER BY i.sort, i.id"
		    " LIMIT 1), 0), a.status"
		    " FROM article a JOIN category c ON c.id = a.category_id"
		    " WHERE a.status = 'published' AND a.publish_at <= ?1"
		    " AND (?2 = 0 OR a.category_id = ?2) AND a.id <> ?3"
		    " AND (?4 = 0 OR a.publish_at < ?4 OR (a.publish_at = ?4 AND a.id < ?5))"
		    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?6",
		    "llllli", util_now(), category_id, exclude_id, before_at, before_id, limit + 1))
		return db_prep_rc(db);
	return collect(st, limit, out, NULL, NULL);
}

Rc article_featured(Db *db, int limit, ArticleList *out)
{
	limit = clamp_limit(limit);
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT a.id, a.slug, a.title, a.lead, c.slug, c.name, a.publish_at, a.views,"
		    " coalesce((SELECT i.id FROM image i WHERE i.article_id = a.id ORDER BY i.sort, i.id"
		    " LIMIT 1), 0), a.status"
		    " FROM article a JOIN category c ON c.id = a.category_id"
		    " WHERE a.status = 'published' AND a.publish_at <= ?1 AND a.featured = 1"
		    " ORDER BY a.publish_at DESC, a.id DESC LIMIT ?2",
		    "li", util_now(), limit + 1))
		return db_prep_rc(db);
	return collect(st, limit, out, NULL, NULL);
}

Rc article_most_viewed(Db *db, int days, int limit, ArticleList *out)
{
	limit = clamp_limit(limit);
	if (days < 1)
		days = 1;
	if (days > 366)
		days = 366;
	char since[11];
	portal_vn_day(days - 1, since); /* "the last 7 days" includes today */
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT a.id, a.slug, a.title, a.lead, c.slug, c.name, a.publish_at, v.n,"
		    " coalesce((SELECT i.id FROM image i WHERE i.article_id = a.id ORDER BY i.sort, i.id"
		    " LIMIT 1), 0), a.status"
		    " FROM (SELECT article_id, sum(views) AS n FROM article_view_day WHERE day >= ?1"
		    "       GROUP BY article_id) v"
		    " JOIN article a ON a.id = v.article_id JOIN category c ON c.id = a.category_id"
		    " WHERE a.status = 'published' AND a.publish_at <= ?2"
		    " ORDER BY v.n DESC, a.publish_at DESC, a.id DESC LIMIT ?3",
		    "tli", since, util_now(), limit + 1))
		return db_prep_rc(db);
	return collect(st, limit, out, NULL, NULL);
}

/* ---- search -------------------------------------------------------------- */

/* The FTS5 expression: every folded word as a quoted prefix term, ANDed.
 * The folded key holds only letters, digits and single spaces, so a
 * quote cannot break out.  NULL when nothing searchable is left. */
static char *fts_query(const char *key)
{
	Buf b = BUF_INIT;
	int terms = 0;
	for (const char *p = key; *p && terms < QUERY_TERMS_MAX;) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		buf_printf(&b, "%s\"%.*s\"*", terms ? " " : "", (int)n, p);
		terms++;
		p += n;
		while (*p == ' ')
			p++;
	}
	if (!terms) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Does any space-separated part of the folded word start with a term? */
static bool word_matches(const char *folded, const char *key)
{
	for (const char *w = folded; *w;) {
		const char *we = strchr(w, ' ');
		size_t wn = we ? (size_t)(we - w) : strlen(w);
		for (const char *t = key; *t;) {
			const char *te = strchr(t, ' ');
			size_t tn = te ? (size_t)(te - t) : strlen(t);
			if (tn && tn <= wn && strncmp(w, t, tn) == 0)
				return true;
			t += tn;
			while (*t == ' ')
				t++;
		}
		w += wn;
		while (*w == ' ')
			w++;
	}
	return false;
}

typedef struct Span {
	size_t start, len;
} Span;

/* Text around the first matching word: a few words before, more after,
 * "…" where cut. */
static char *make_snippet(const char *lead, const char *body, const char *key)
{
	Buf plain = BUF_INIT;
	buf_printf(&plain, "%s\n", lead);
	markup_plain(&plain, body);
	const char *t = buf_cstr(&plain);
	size_t len = plain.len < SNIPPET_SCAN_MAX ? plain.len : SNIPPET_SCAN_MAX;
	/* cut the scan at a character boundary */
	while (len < plain.len && len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
		len--;

	Span *words = NULL;
	size_t nwords = 0, cap = 0, hit = (size_t)-1;
	for (size_t i = 0; i < len;) {
		while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t'))
			i++;
		size_t s = i;
		while (i < len && t[i] != ' ' && t[i] != '\n' && t[i] != '\t')
			i++;
		if (i == s)
			break;
		if (nwords == cap) {
			cap = cap ? cap * 2 : 64;
			words = xrealloc(words, cap * sizeof *words);
		}
		words[nwords++] = (Span){s, i - s};
		if (hit == (size_t)-1) {
			char *w = xstrndup(t + s, i - s);
			char *f = text_search_key(w);
			if (word_matches(f, key))
				hit = nwords - 1;
			free(f);
			free(w);
		} else if (nwords > hit + SNIPPET_AFTER) {
			break;
		}
	}
	size_t from = 0, to;
	if (hit != (size_t)-1)
		from = hit > SNIPPET_BEFORE ? hit - SNIPPET_BEFORE : 0;
	to = from + SNIPPET_BEFORE + SNIPPET_AFTER;
	if (to > nwords)
		to = nwords;
	Buf out = BUF_INIT;
	if (from > 0)
		buf_puts(&out, "… ");
	for (size_t i = from; i < to; i++)
		buf_printf(&out, "%s%.*s", i > from ? " " : "", (int)words[i].len, t + words[i].start);
	if (to < nwords || len < plain.len)
		buf_puts(&out, " …");
	free(words);
	buf_release(&plain);
	return buf_detach(&out, NULL);
}

static void search_extra(DbStmt *st, ArticleRow *r, void *arg)
{
	r->snippet = make_snippet(db_col_text(st, 3), db_col_text(st, ROW_COLUMNS), arg);
}

Rc article_search(Db *db, const char *query, int limit, int offset, ArticleList *out)
{
	memset(out, 0, sizeof *out);
	limit = clamp_limit(limit);
	if (offset < 0)
		offset = 0;
	char *key = text_search_key(query ? query : "");
	char *match = fts_query(key);
	if (!match) {
		free(key);
		return RC_OK; /* nothing searchable: no results, not an error */
	}
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT a.id, a.slug, a.title, a.lead, c.slug, c.name, a.publish_at, a.views,"
			" coalesce((SELECT i.id FROM image i WHERE i.article_id = a.id ORDER BY i.sort,"
			" i.id LIMIT 1), 0), a.status, a.body"
			" FROM article a JOIN category c ON c.id = a.category_id"
			" WHERE a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?1)"
			" AND a.status = 'published' AND a.publish_at <= ?2"
			" ORDER BY a.publish_at DESC, a.id DESC LIMIT ?3 OFFSET ?4",
			"tlii", match, util_now(), limit + 1, offset);
	if (!rc)
		rc = collect(st, limit, out, search_extra, key);
	free(match);
	free(key);
	return rc;
}

/* ---- newsroom ------------------------------------------------------------ */

Rc article_staff_list(Db *db, const Principal *who, const char *status, int limit, int offset,
		      ArticleList *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	limit = clamp_limit(limit);
	if (offset < 0)
		offset = 0;
	DbStmt *st;
	/* "scheduled" and "published" split the stored 'published' by time;
	 * the area rule is portal_in_scope's (portal_priv.h). */
	if (db_prep(db, &st,
		    "SELECT a.id, a.slug, a.title, a.lead, c.slug, c.name, coalesce(a.publish_at, 0),"
		    " a.views, coalesce((SELECT i.id FROM image i WHERE i.article_id = a.id"
		    " ORDER BY i.sort, i.id LIMIT 1), 0), a.status"
		    " FROM article a JOIN category c ON c.id = a.category_id"
		    " LEFT JOIN org o ON o.id = a.org_id LEFT JOIN unit ou ON ou.id = o.unit_id"
		    " WHERE (?1 IS NULL"
		    " OR (?1 = 'scheduled' AND a.status = 'published' AND a.publish_at > ?2)"
		    " OR (?1 = 'published' AND a.status = 'published' AND a.publish_at <= ?2)"
		    " OR (?1 NOT IN ('scheduled', 'published') AND a.status = ?1))"
		    " AND (?5 = 0 OR a.org_id = ?6 OR ou.id = ?5 OR ou.province_id = ?5 OR ou.parent_id = ?5)"
		    " ORDER BY a.updated_at DESC, a.id DESC LIMIT ?3 OFFSET ?4",
		    "tliill", status, util_now(), limit + 1, offset, who->scope_unit_id, who->org_id))
		return db_prep_rc(db);
	return collect(st, limit, out, NULL, NULL);
}

Rc article_counts(Db *db, const Principal *who, ArticleCounts *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT coalesce(sum(a.status = 'draft'), 0), coalesce(sum(a.status = 'review'), 0),"
		    " coalesce(sum(a.status = 'published' AND a.publish_at > ?1), 0),"
		    " coalesce(sum(a.status = 'published' AND a.publish_at <= ?1), 0),"
		    " coalesce(sum(a.status = 'unpublished'), 0)"
		    " FROM article a LEFT JOIN org o ON o.id = a.org_id LEFT JOIN unit ou ON ou.id = o.unit_id"
		    " WHERE (?2 = 0 OR a.org_id = ?3 OR ou.id = ?2 OR ou.province_id = ?2 OR ou.parent_id = ?2)",
		    "lll", util_now(), who->scope_unit_id, who->org_id))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW) {
		out->draft = db_col_int(st, 0);
		out->review = db_col_int(st, 1);
		out->scheduled = db_col_int(st, 2);
		out->published = db_col_int(st, 3);
		out->unpublished = db_col_int(st, 4);
	}
	db_done(st);
	return s < 0 ? (Rc)-s : RC_OK;
}

/* ---- views --------------------------------------------------------------- */

static Rc flush_rows(Db *db, const int64_t *ids, const int64_t *counts, size_t n)
{
	char day[11];
	portal_vn_day(0, day);
	Rc rc = RC_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		if (counts[i] <= 0 || ids[i] <= 0)
			continue;
		/* An article deleted since the hit is skipped, not a failed batch. */
		rc = db_run(db, "INSERT INTO article_view_day (article_id, day, views)"
				" SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM article WHERE id = ?1)"
				" ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views",
			    "ltl", ids[i], day, counts[i]);
		if (!rc)
			rc = db_run(db, "UPDATE article SET views = views + ? WHERE id = ?", "ll", counts[i],
				    ids[i]);
	}
	return rc;
}

Rc article_views_flush(Db *db, const int64_t *ids, const int64_t *counts, size_t n)
{
	if (n == 0)
		return RC_OK;
	if (db_in_tx(db))
		return flush_rows(db, ids, counts, n);
	Rc rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = flush_rows(db, ids, counts, n);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
