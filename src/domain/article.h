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
 * Every change records an audit entry (and a revision when the text
 * changed), and invalidates the public page cache (the caller — the
 * dispatcher does it after any committed POST).  docs/internals/portal.md
 * describes the whole portal.
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

/* Staff writes (caller's write transaction; audited; a revision each
 * time title, lead or body change).  CAP_NEWS_EDIT or CAP_NEWS_PUBLISH
 * (leaders publish without the editor role); editing a published or
 * scheduled article needs CAP_NEWS_PUBLISH (RC_FORBIDDEN); an article
 * outside who's area (see article_load_staff) is RC_NOT_FOUND, for
 * transitions too.  A new article's area is who's organisation.  On
 * RC_INVALID *problem is an English message id, and article_problem_field
 * names the form field it concerns ("title", "lead", "body", "author",
 * "category", "tags", "slug", "note"; "" for none).  Tags NULL = none. */
Rc article_create(Db *db, const Principal *who, const ArticleInput *in, int64_t *id,
		  const char **problem);
Rc article_update(Db *db, const Principal *who, int64_t id, const ArticleInput *in,
		  const char *note, const char **problem);
const char *article_problem_field(const char *problem);
/* action: "submit" (draft → review), "publish" (now, or at `at` > now:
 * scheduled), "unpublish", "reopen" (→ draft).
 *   submit     draft → review                         EDIT or PUBLISH
 *   publish    draft, review, unpublished, scheduled  PUBLISH
 *              → published (a republished article keeps its first date)
 *   unpublish  published or scheduled → unpublished   PUBLISH
 *   reopen     review, unpublished → draft            EDIT or PUBLISH
 * RC_INVALID for an unknown action, RC_FORBIDDEN without the capability,
 * RC_CONFLICT from any other status (and publishing what is already
 * public), RC_NOT_FOUND for no such article.  Audited. */
Rc article_transition(Db *db, const Principal *who, int64_t id, const char *action, int64_t at);

/* Reading.  public_only: published and due. */
Rc article_load(Db *db, int64_t id, bool public_only, Article *out);
/* The newsroom's read: any status, but RC_NOT_FOUND for an article
 * outside who's area or for someone without a news capability.  The area
 * of an article is its author's organisation's: central staff (scope 0)
 * see every article, others the articles of their organisation and of
 * organisations whose unit is their scope unit or lies directly in it
 * (the unit's province or parent).  Every staff function below applies
 * the same rule and answers RC_NOT_FOUND outside it, so existence does
 * not leak across areas. */
Rc article_load_staff(Db *db, const Principal *who, int64_t id, Article *out);
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
/* Staff list (any status) for the newsroom, newest change first, within
 * who's area.  status NULL = all, or "draft", "review", "scheduled"
 * (published, not yet due), "published" (and due), "unpublished". */
Rc article_staff_list(Db *db, const Principal *who, const char *status, int limit, int offset,
		      ArticleList *out);

/* Figures.  An image belongs to one article; [[hinh:N]] in the body
 * places the Nth of image_list (by sort, then id).  Stored twice, both
 * re-encoded from the upload with metadata stripped: the display version
 * (≤ IMAGE_DISPLAY_WIDTH px wide, /anh/ID) and a thumbnail
 * (IMAGE_THUMB_WIDTH px wide, /anh/ID/nho).  width/height are the display
 * version's, for <img width height> (no layout shift). */
#define IMAGE_UPLOAD_MAX (8 * 1024 * 1024)  /* bytes */
#define IMAGE_PIXELS_MAX 50000000           /* decoded size: refuses decompression bombs */
#define IMAGE_DISPLAY_WIDTH 1600
#define IMAGE_THUMB_WIDTH 400
#define IMAGE_ALT_MAX 300                   /* characters */
#define IMAGE_CAPTION_MAX 1000
#define ARTICLE_IMAGES_MAX 60

typedef struct Image {
	int64_t id, article_id;
	char content_type[32];
	int width, height;
	char *caption, *alt;
	int sort;
} Image;
Rc image_list(Db *db, int64_t article_id, Image **out, size_t *n);
void image_list_release(Image *im, size_t n);

/* An upload decoded and re-encoded, not yet stored (image.c, libvips).
 * Kept apart from image_store so the slow part runs outside the write
 * transaction. */
typedef struct ImageProcessed {
	char content_type[32];   /* "image/jpeg" or "image/webp" (images with alpha) */
	int width, height;       /* of the display version */
	void *data, *thumb;      /* malloc'd */
	size_t data_len, thumb_len;
	char sha256[65];         /* of the upload, to spot a re-upload */
} ImageProcessed;
/* "image/jpeg", "image/png" or "image/webp" by magic bytes, else NULL. */
const char *image_sniff(const void *data, size_t n);
/* Decode (JPEG, PNG, WebP only, sniffed by magic bytes, ≤ IMAGE_UPLOAD_MAX
 * bytes, ≤ IMAGE_PIXELS_MAX pixels), auto-rotate, strip metadata,
 * re-encode.  RC_INVALID / RC_TOO_LARGE with *problem an English message
 * id.  Thread-safe; no database. */
Rc image_process(const void *data, size_t n, ImageProcessed *out, const char **problem);
void image_processed_release(ImageProcessed *p);
/* Attach a processed image to an article as its last figure (CAP_NEWS_EDIT;
 * a published article needs CAP_NEWS_PUBLISH, as for article_update).
 * alt required ≤ IMAGE_ALT_MAX, caption ≤ IMAGE_CAPTION_MAX characters.
 * Audited.  Caller's write transaction. */
Rc image_store(Db *db, const Principal *who, int64_t article_id, const ImageProcessed *p,
	       const char *caption, const char *alt, int64_t *id, const char **problem);
/* Change caption, alt text and position (sort ≥ 0), or delete; same rights.
 * RC_NOT_FOUND unless the image belongs to article_id. */
Rc image_update(Db *db, const Principal *who, int64_t article_id, int64_t id, const char *caption,
		const char *alt, int sort, const char **problem);
Rc image_delete(Db *db, const Principal *who, int64_t article_id, int64_t id);

/* The bytes to serve for /anh/ID (thumb: /anh/ID/nho).  RC_NOT_FOUND
 * unless the image's article is public now, or `viewer` (NULL for the
 * public) is newsroom staff whose area holds the article (the preview of
 * a draft).  etag is the quoted strong validator (content hash + variant). */
typedef struct ImageBytes {
	char content_type[32];
	char etag[48];
	void *data;
	size_t len;
} ImageBytes;
Rc image_bytes(Db *db, int64_t id, bool thumb, const Principal *viewer, ImageBytes *out);
void image_bytes_release(ImageBytes *b);
/* Release libvips (vips_shutdown) once no thread uses it any more: at the
 * very end of `serve`, and in tests.  A no-op when it was never used. */
void image_shutdown(void);

/* View counting: kept in memory by the web layer, flushed here in one
 * transaction: counts[i] views for ids[i] today (Vietnam date).  Opens
 * and commits its own write transaction unless one is open; ids of
 * articles that no longer exist are skipped. */
Rc article_views_flush(Db *db, const int64_t *ids, const int64_t *counts, size_t n);

/* ---- newsroom helpers -------------------------------------------------- */

/* Is the article visible to the public at time `now`? */
bool article_is_public(const Article *a, int64_t now);
/* Published with publish_at in the future. */
bool article_is_scheduled(const Article *a, int64_t now);
/* May `who` take `action` ("edit", "submit", "publish", "unpublish",
 * "reopen") on `a` now?  Capability and status only; drives the buttons
 * shown, and the same rules are enforced by article_update and
 * article_transition. */
bool article_may(const Principal *who, const Article *a, const char *action);

/* Counts for the newsroom's tabs ("scheduled" = published, not yet due;
 * "published" = published and due). */
typedef struct ArticleCounts {
	int64_t draft, review, scheduled, published, unpublished;
} ArticleCounts;
Rc article_counts(Db *db, const Principal *who, ArticleCounts *out); /* within who's area */

/* Revision history: every save of title, lead and body that changed
 * them, with who and when.  List newest first (body not loaded: NULL). */
typedef struct ArticleRevision {
	int64_t id, article_id, at, user_id;
	char *user_name;  /* "" when the user is gone */
	char *title, *lead, *body, *note;
} ArticleRevision;
Rc article_revisions(Db *db, const Principal *who, int64_t article_id, ArticleRevision **out,
		       size_t *n);
void article_revisions_release(ArticleRevision *r, size_t n);
Rc article_revision_load(Db *db, const Principal *who, int64_t article_id, int64_t rev_id,
			  ArticleRevision *out);
void article_revision_release(ArticleRevision *r);

/* "Gửi cho bạn bè": e-mail a public article's title, lead and `link` to
 * `to` through the outbox.  from_name (required, ≤ 100 characters) and
 * message (optional, ≤ 500, no links) come from the visitor.  `link` is
 * the article's absolute address built by the caller from the configured
 * site address — never from the request's Host header, or the mail would
 * carry an attacker's link.  Limits (keyed hash of `client`, as for
 * feedback): ARTICLE_SHARE_PER_HOUR per client, ARTICLE_SHARE_PER_DAY_TO
 * to one address; past them RC_LOCKED.  RC_NOT_FOUND unless public;
 * RC_INVALID with *problem.  Caller's write transaction. */
#define ARTICLE_SHARE_PER_HOUR 5
#define ARTICLE_SHARE_PER_DAY_TO 3
Rc article_share(Db *db, int64_t article_id, const char *to, const char *from_name,
		 const char *message, const char *link, const char *client, const char **problem);

#endif
