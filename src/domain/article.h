/*
 * article.h — the news portal's articles: categories, tags, figures,
 * revisions, the draft → review → published workflow with scheduled
 * publication and unpublishing, search, and "most viewed".
 *
 * Bodies are the project's plain-text markup (markup.h), never HTML:
 * paragraphs separated by blank lines, "## " subheadings, "> " quotes,
 * "- " lists, and figure markers [[hinh:N]] that place the article's Nth
 * image with its caption.  The renderer escapes everything.
 *
 * Visibility: the public sees status 'published' with publish_at ≤ now.
 * Staff with CAP_NEWS_EDIT write drafts and submit for review; staff
 * with CAP_NEWS_PUBLISH publish, schedule, unpublish and moderate.
 * Every change records a revision and an audit entry, and invalidates the
 * public page cache (the caller — the dispatcher does it after any
 * committed POST).
 */
#ifndef DANVAN_ARTICLE_H
#define DANVAN_ARTICLE_H

#include "../store/db.h"
#include "user.h"

#define ARTICLE_TITLE_MAX 300
#define ARTICLE_LEAD_MAX 1000
#define ARTICLE_BODY_MAX 100000
#define ARTICLE_SLUG_MAX 120

typedef struct Category {
	int64_t id;
	char slug[64];
	char *name, *name_en;
	int sort;
} Category;

Rc category_seed(Db *db); /* default categories, idempotent */
Rc category_list(Db *db, Category **out, size_t *n);
void category_list_release(Category *c, size_t n);
Rc category_by_slug(Db *db, const char *slug, Category *out);
void category_release(Category *c);

typedef struct ArticleInput {
	const char *title, *lead, *body, *author;
	int64_t category_id;
	const char *tags;      /* comma-separated names */
	bool featured;
	const char *slug;      /* NULL/"" = from the title (text_slug), made unique */
} ArticleInput;

typedef struct Article {
	int64_t id;
	char slug[ARTICLE_SLUG_MAX + 8];
	char *title, *lead, *body, *author;
	int64_t category_id;
	char category_slug[64];
	char *category_name;
	char status[16];
	bool featured;
	int64_t publish_at;   /* 0 = not set */
	int64_t created_at, updated_at;
	int64_t views;
	char *tags;           /* comma-separated names */
} Article;

void article_release(Article *a);

/* Staff writes (caller's write transaction; audited; a revision each). */
Rc article_create(Db *db, const Principal *who, const ArticleInput *in, int64_t *id,
		  const char **problem);
Rc article_update(Db *db, const Principal *who, int64_t id, const ArticleInput *in,
		  const char *note, const char **problem);
/* action: "submit" (draft → review), "publish" (now, or at `at` > now:
 * scheduled), "unpublish", "reopen" (→ draft). */
Rc article_transition(Db *db, const Principal *who, int64_t id, const char *action, int64_t at);

/* Reading.  public_only: published and due. */
Rc article_load(Db *db, int64_t id, bool public_only, Article *out);
Rc article_by_slug(Db *db, const char *slug, Article *out); /* public only */

typedef struct ArticleRow {
	int64_t id;
	char slug[ARTICLE_SLUG_MAX + 8];
	char *title, *lead;
	char category_slug[64];
	char *category_name;
	int64_t publish_at;
	int64_t views;       /* in the window asked for, for most-viewed lists */
	int64_t image_id;    /* first figure, 0 if none */
	char *snippet;       /* search results: text around the match (plain, escaped later) */
	char status[16];
} ArticleRow;

typedef struct ArticleList {
	ArticleRow *rows;
	size_t count;
	bool more;
} ArticleList;

void article_list_release(ArticleList *l);
/* Public lists, newest first. category_id 0 = all; exclude_id skips one
 * (for "Các tin khác"); before: keyset (publish_at, id) or 0. */
Rc article_latest(Db *db, int64_t category_id, int64_t exclude_id, int limit, int64_t before_at,
		  int64_t before_id, ArticleList *out);
Rc article_featured(Db *db, int limit, ArticleList *out);
/* "Xem nhiều nhất" over the last `days` days (7 or 30). */
Rc article_most_viewed(Db *db, int days, int limit, ArticleList *out);
/* Folded full-text search ("dan van kheo" finds "Dân vận khéo"), newest
 * first, with snippets. */
Rc article_search(Db *db, const char *query, int limit, int offset, ArticleList *out);
/* Staff list (any status) for the newsroom. status NULL = all. */
Rc article_staff_list(Db *db, const char *status, int limit, int offset, ArticleList *out);

/* Figures. */
typedef struct Image {
	int64_t id, article_id;
	char content_type[32];
	int width, height;
	char *caption, *alt;
	int sort;
} Image;
Rc image_list(Db *db, int64_t article_id, Image **out, size_t *n);
void image_list_release(Image *im, size_t n);

/* View counting: kept in memory by the web layer, flushed here in one
 * transaction: counts[i] views for ids[i] today. */
Rc article_views_flush(Db *db, const int64_t *ids, const int64_t *counts, size_t n);

#endif
