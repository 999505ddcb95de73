/*
 * image.c — article figures: uploads decoded and re-encoded with libvips,
 * stored in the database with a thumbnail, listed, edited, served.
 *
 * An upload is untrusted bytes.  It is accepted only when its magic bytes
 * say JPEG, PNG or WebP (not the file name, not the browser's type), is
 * probed with that format's own loader (so no other libvips loader —
 * SVG, PDF, and the like — ever sees it), and refused above
 * IMAGE_PIXELS_MAX pixels before anything is decoded in full: a 100 kB
 * PNG can claim 50 000 × 50 000 pixels.  What is kept is never the
 * upload: two fresh encodings (vips_thumbnail: EXIF orientation applied,
 * colour converted to sRGB, shrink-on-load for JPEG) with every metadata
 * block stripped, so GPS positions and camera serials in a
 * photographer's file are not published.  Images with transparency
 * become WebP, everything else JPEG quality 82.
 *
 * image_process does the slow part without touching the database, so
 * the upload handler runs it before taking the write lock.
 *
 * libvips is initialised once (pthread_once) with its operation cache
 * off: uploads are one-off, and a cache would keep citizens' and staff's
 * bytes in memory for nothing.
 */
#include "portal_priv.h"
#include "../base/log.h"
#include "../base/text.h"

#include <pthread.h>
#include <vips/vips.h>

#define JPEG_QUALITY 82
#define VIPS_THREADS 2   /* per operation: uploads are rare, requests are many */

/* Problems (English message ids; Vietnamese in i18n_newsroom.def). */
#define P_BIG "The image is too large (at most 8 MB)"
#define P_TYPE "Upload a JPEG, PNG or WebP image"
#define P_DECODE "The image could not be read"
#define P_PIXELS "The image has too many pixels (at most 50 megapixels)"
#define P_ALT "Describe the image for people who cannot see it (alternative text)"
#define P_ALT_LONG "The alternative text is too long (at most 300 characters)"
#define P_CAPTION_LONG "The caption is too long (at most 1,000 characters)"
#define P_TOO_MANY "An article can have at most 60 images"
#define P_SORT "The position is not valid"
#define P_TEXT "The text is not valid"

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ready;

/* libvips reports through GLib's log: a broken upload produces warnings
 * ("Premature end of JPEG file") that the uploader is told about anyway,
 * so they go to the debug level instead of raw lines on stderr. */
static void glib_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain;
	(void)level;
	(void)data;
	log_msg(LOG_DEBUG, "msg=\"libvips\" detail=\"%j\"", message ? message : "");
}

static void vips_start(void)
{
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
				  G_LOG_LEVEL_DEBUG, glib_log, NULL);
	if (VIPS_INIT("danvan")) {
		log_error("msg=\"libvips failed to start\" error=\"%j\"", vips_error_buffer());
		vips_error_clear();
		return;
	}
	vips_cache_set_max(0);
	vips_concurrency_set(VIPS_THREADS);
	vips_ready = true;
}

void image_shutdown(void)
{
	if (vips_ready) {
		vips_shutdown();
		vips_ready = false;
	}
}

const char *image_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

void image_processed_release(ImageProcessed *p)
{
	if (!p)
		return;
	free(p->data);
	free(p->thumb);
	memset(p, 0, sizeof *p);
}

/* Header-only probe with the sniffed format's own loader. */
static VipsImage *probe(const char *type, const void *data, size_t n)
{
	VipsImage *im = NULL;
	int err;
	void *buf = (void *)data; /* the loaders take a non-const pointer but only read */
	if (str_eq(type, "image/jpeg"))
		err = vips_jpegload_buffer(buf, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	else if (str_eq(type, "image/png"))
		err = vips_pngload_buffer(buf, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	else
		err = vips_webpload_buffer(buf, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (err) {
		if (im)
			g_object_unref(im);
		return NULL;
	}
	return im;
}

/* Resize to at most `width` pixels wide (never up) and encode.  The
 * result is copied into malloc'd memory (the rest of the code frees with
 * free(), libvips allocates with g_malloc). */
static bool encode(const void *data, size_t n, int width, bool webp, void **out, size_t *out_len,
		   int *w, int *h)
{
	VipsImage *im = NULL;
	if (vips_thumbnail_buffer((void *)data, n, &im, width, "height", VIPS_MAX_COORD, "size",
				  VIPS_SIZE_DOWN, NULL))
		return false;
	void *buf = NULL;
	size_t len = 0;
	int err = webp ? vips_webpsave_buffer(im, &buf, &len, "Q", JPEG_QUALITY, "strip", TRUE, NULL)
		       : vips_jpegsave_buffer(im, &buf, &len, "Q", JPEG_QUALITY, "strip", TRUE,
					      "optimize_coding", TRUE, "interlace", TRUE, NULL);
	if (w)
		*w = vips_image_get_width(im);
	if (h)
		*h = vips_image_get_height(im);
	g_object_unref(im);
	if (err)
		return false;
	*out = xmalloc(len);
	memcpy(*out, buf, len);
	*out_len = len;
	g_free(buf);
	return true;
}

Rc image_process(const void *data, size_t n, ImageProcessed *out, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	memset(out, 0, sizeof *out);
	if (n > IMAGE_UPLOAD_MAX) {
		*problem = P_BIG;
		return RC_TOO_LARGE;
	}
	const char *type = image_sniff(data, n);
	if (!type) {
		*problem = P_TYPE;
		return RC_INVALID;
	}
	pthread_once(&vips_once, vips_start);
	if (!vips_ready)
		return RC_INTERNAL;
	VipsImage *head = probe(type, data, n);
	if (!head) {
		log_msg(LOG_DEBUG, "msg=\"image refused\" detail=\"%j\"", vips_error_buffer());
		vips_error_clear();
		*problem = P_DECODE;
		return RC_INVALID;
	}
	int64_t pixels = (int64_t)vips_image_get_width(head) * vips_image_get_height(head);
	bool alpha = vips_image_hasalpha(head);
	g_object_unref(head);
	if (pixels > IMAGE_PIXELS_MAX) {
		*problem = P_PIXELS;
		return RC_INVALID;
	}
	bool webp = alpha;
	if (!encode(data, n, IMAGE_DISPLAY_WIDTH, webp, &out->data, &out->data_len, &out->width,
		    &out->height) ||
	    !encode(data, n, IMAGE_THUMB_WIDTH, webp, &out->thumb, &out->thumb_len, NULL, NULL)) {
		log_msg(LOG_DEBUG, "msg=\"image refused\" detail=\"%j\"", vips_error_buffer());
		vips_error_clear();
		image_processed_release(out);
		*problem = P_DECODE;
		return RC_INVALID;
	}
	xsnprintf(out->content_type, sizeof out->content_type, "%s", webp ? "image/webp" : "image/jpeg");
	crypto_sha256_hex(data, n, out->sha256);
	return RC_OK;
}

/* ---- the database side ------------------------------------------------------ */

/* Caption and alt text: trimmed copies, or a problem. */
static const char *check_texts(const char *caption, const char *alt, char **c_out, char **a_out)
{
	*c_out = *a_out = NULL;
	if ((caption && !text_utf8_valid(caption, strlen(caption))) ||
	    (alt && !text_utf8_valid(alt, strlen(alt))))
		return P_TEXT;
	char *c = portal_clean(caption);
	char *a = portal_clean(alt);
	const char *p = NULL;
	if (!a)
		p = P_ALT;
	else if (text_length(a) > IMAGE_ALT_MAX)
		p = P_ALT_LONG;
	else if (c && text_length(c) > IMAGE_CAPTION_MAX)
		p = P_CAPTION_LONG;
	if (p) {
		free(c);
		free(a);
		return p;
	}
	*c_out = c ? c : xstrdup("");
	*a_out = a;
	return NULL;
}

/* May `who` change the figures of this article (as if editing it)? */
static Rc check_article(Db *db, const Principal *who, int64_t article_id)
{
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	char status[16];
	int64_t at;
	Rc rc = portal_article_state(db, article_id, status, &at);
	if (rc)
		return rc;
	if (!portal_in_scope(db, who, article_id))
		return RC_NOT_FOUND;
	return portal_may(who, status, "edit") ? RC_OK : RC_FORBIDDEN;
}

static Rc touch(Db *db, int64_t article_id)
{
	return db_run(db, "UPDATE article SET updated_at = ? WHERE id = ?", "ll", util_now(), article_id);
}

Rc image_store(Db *db, const Principal *who, int64_t article_id, const ImageProcessed *p,
	       const char *caption, const char *alt, int64_t *id, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	*id = 0;
	Rc rc = check_article(db, who, article_id);
	if (rc)
		return rc;
	char *c, *a;
	if ((*problem = check_texts(caption, alt, &c, &a)))
		return RC_INVALID;
	int64_t count = 0, next = 0;
	rc = db_get_int(db, &count, "SELECT count(*) FROM image WHERE article_id = ?", "l", article_id);
	if (!rc && count >= ARTICLE_IMAGES_MAX) {
		*problem = P_TOO_MANY;
		rc = RC_INVALID;
	}
	if (!rc)
		rc = db_get_int(db, &next, "SELECT coalesce(max(sort), 0) + 1 FROM image WHERE article_id = ?",
				"l", article_id);
	if (!rc)
		rc = db_run(db, "INSERT INTO image (article_id, content_type, width, height, data, thumb,"
				" sha256, caption, alt, sort, created_at)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "ltiibbtttll", article_id, p->content_type, p->width, p->height, p->data,
			    (int)p->data_len, p->thumb, (int)p->thumb_len, p->sha256, c, a, next,
			    util_now());
	int64_t new_id = rc ? 0 : db_last_id(db);
	if (!rc)
		rc = touch(db, article_id);
	if (!rc)
		rc = portal_reindex(db, article_id); /* captions are searched */
	if (!rc) {
		char detail[64];
		xsnprintf(detail, sizeof detail, "article=%lld %dx%d", (long long)article_id, p->width,
			  p->height);
		rc = portal_audit(db, who, "image.add", "image", new_id, detail);
	}
	free(c);
	free(a);
	if (!rc)
		*id = new_id;
	return rc;
}

static Rc image_owned(Db *db, int64_t article_id, int64_t id)
{
	int64_t owner = 0;
	Rc rc = db_get_int(db, &owner, "SELECT coalesce(article_id, 0) FROM image WHERE id = ?", "l", id);
	if (rc)
		return rc;
	return owner == article_id ? RC_OK : RC_NOT_FOUND;
}

Rc image_update(Db *db, const Principal *who, int64_t article_id, int64_t id, const char *caption,
		const char *alt, int sort, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	Rc rc = check_article(db, who, article_id);
	if (!rc)
		rc = image_owned(db, article_id, id);
	if (rc)
		return rc;
	if (sort < 0 || sort > 100000) {
		*problem = P_SORT;
		return RC_INVALID;
	}
	char *c, *a;
	if ((*problem = check_texts(caption, alt, &c, &a)))
		return RC_INVALID;
	rc = db_run(db, "UPDATE image SET caption = ?, alt = ?, sort = ? WHERE id = ?", "ttil", c, a,
		    sort, id);
	if (!rc)
		rc = touch(db, article_id);
	if (!rc)
		rc = portal_reindex(db, article_id);
	if (!rc) {
		char detail[48];
		xsnprintf(detail, sizeof detail, "article=%lld", (long long)article_id);
		rc = portal_audit(db, who, "image.update", "image", id, detail);
	}
	free(c);
	free(a);
	return rc;
}

Rc image_delete(Db *db, const Principal *who, int64_t article_id, int64_t id)
{
	Rc rc = check_article(db, who, article_id);
	if (!rc)
		rc = image_owned(db, article_id, id);
	if (!rc)
		rc = db_run(db, "DELETE FROM image WHERE id = ?", "l", id);
	if (!rc)
		rc = touch(db, article_id);
	if (!rc)
		rc = portal_reindex(db, article_id);
	if (!rc) {
		char detail[48];
		xsnprintf(detail, sizeof detail, "article=%lld", (long long)article_id);
		rc = portal_audit(db, who, "image.delete", "image", id, detail);
	}
	return rc;
}

void image_list_release(Image *im, size_t n)
{
	for (size_t i = 0; im && i < n; i++) {
		free(im[i].caption);
		free(im[i].alt);
	}
	free(im);
}

Rc image_list(Db *db, int64_t article_id, Image **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	if (db_prep(db, &st, "SELECT id, article_id, content_type, width, height, caption, alt, sort"
			     " FROM image WHERE article_id = ? ORDER BY sort, id", "l", article_id))
		return RC_DB;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		Image *im = &(*out)[(*n)++];
		memset(im, 0, sizeof *im);
		im->id = db_col_int(st, 0);
		im->article_id = db_col_int(st, 1);
		snprintf(im->content_type, sizeof im->content_type, "%s", db_col_text(st, 2));
		im->width = (int)db_col_int(st, 3);
		im->height = (int)db_col_int(st, 4);
		im->caption = xstrdup(db_col_text(st, 5));
		im->alt = xstrdup(db_col_text(st, 6));
		im->sort = (int)db_col_int(st, 7);
	}
	db_done(st);
	if (s < 0) {
		image_list_release(*out, *n);
		*out = NULL;
		*n = 0;
		return (Rc)-s;
	}
	return RC_OK;
}

void image_bytes_release(ImageBytes *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof *b);
}

Rc image_bytes(Db *db, int64_t id, bool thumb, const Principal *viewer, ImageBytes *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT i.content_type, i.sha256, CASE WHEN ?2 THEN i.thumb ELSE i.data END,"
		    " a.status = 'published' AND a.publish_at <= ?3, a.id"
		    " FROM image i JOIN article a ON a.id = i.article_id WHERE i.id = ?1",
		    "lil", id, (int)thumb, util_now()))
		return RC_DB;
	int s = db_step(st);
	Rc rc = s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	/* An unpublished article's figures are not public either; newsroom
	 * staff see those of their area (checked once the row is copied). */
	bool is_public = !rc && db_col_int(st, 3) != 0;
	int64_t article_id = rc ? 0 : db_col_int(st, 4);
	if (!rc) {
		snprintf(out->content_type, sizeof out->content_type, "%s", db_col_text(st, 0));
		/* The row never changes once written, so its hash and the variant
		 * make a strong validator. */
		xsnprintf(out->etag, sizeof out->etag, "\"%.16s-%lld%s\"", db_col_text(st, 1),
			  (long long)id, thumb ? "t" : "d");
		int len = db_col_bytes(st, 2);
		out->len = len > 0 ? (size_t)len : 0;
		out->data = xmalloc(out->len ? out->len : 1);
		if (out->len)
			memcpy(out->data, db_col_blob(st, 2), out->len);
	}
	db_done(st);
	if (!rc && !is_public && !(viewer && portal_in_scope(db, viewer, article_id))) {
		image_bytes_release(out);
		rc = RC_NOT_FOUND;
	}
	return rc;
}
