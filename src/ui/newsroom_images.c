/*
 * newsroom_images.c — figures in the newsroom (the list on the edit page,
 * upload, caption/alt/position, delete) and the image routes
 * /anh/{id} and /anh/{id}/nho that the public pages and the preview use.
 *
 * Upload runs without the dispatcher's transaction (R_NOTX): decoding
 * and re-encoding a large photo takes a noticeable fraction of a second,
 * and holding SQLite's single write lock meanwhile would stall every
 * other writer.  So the handler checks the article and the fields, runs
 * image_process with no transaction open, and only then takes the write
 * lock for image_store, committing or rolling back itself.
 *
 * Serving: the public gets an image only while its article is public
 * (404 otherwise, like an image that does not exist); newsroom staff see
 * every figure, for the preview.  Stored images never change (a new
 * upload is a new id), so the ETag is strong and a conditional GET is
 * answered 304.  Public responses may be cached for a day — short enough
 * that an unpublished article's figures stop being served by caches
 * soon after.
 */
#include "newsroom.h"
#include "page.h"

#define PUBLIC_IMAGE_CACHE "public, max-age=86400"

/* ==== the figures section of the edit page ============================== */

void newsroom_figures(Req *r, const Article *a, const Image *im, size_t n, bool can_edit)
{
	html(r, "<section aria-labelledby=\"figures\"><h2 id=\"figures\">%s</h2>", _("Figures"));
	if (!n)
		html(r, "<p class=\"empty\">%s</p>", _("No figures yet."));
	else
		html(r, "<ol class=\"newsroom-figures\">");
	for (size_t i = 0; i < n; i++) {
		const Image *f = &im[i];
		html(r, "<li id=\"figure-%lld\"><p><img src=\"/anh/%lld/nho\" alt=\"%s\" loading=\"lazy\" "
			"width=\"200\"></p><p>%s <code>[[hinh:%zu]]</code> · %d × %d px</p>",
		     (long long)f->id, (long long)f->id, f->alt, _("Marker:"), i + 1, f->width, f->height);
		if (!can_edit) {
			html(r, "<p>%s</p></li>", f->caption);
			continue;
		}
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/images/%lld/save\" class=\"form\">",
		     (long long)a->id, (long long)f->id);
		page_csrf_field(r);
		html(r, "<p><label for=\"alt-%lld\">%s</label><input id=\"alt-%lld\" name=\"alt\" required "
			"maxlength=\"%d\" value=\"%s\"></p>",
		     (long long)f->id, _("Alternative text"), (long long)f->id, IMAGE_ALT_MAX, f->alt);
		html(r, "<p><label for=\"caption-%lld\">%s</label><textarea id=\"caption-%lld\" name=\"caption\" "
			"rows=\"2\" maxlength=\"%d\">%s</textarea></p>",
		     (long long)f->id, _("Caption"), (long long)f->id, IMAGE_CAPTION_MAX, f->caption);
		html(r, "<p><label for=\"sort-%lld\">%s</label><input type=\"number\" id=\"sort-%lld\" "
			"name=\"sort\" min=\"0\" max=\"100000\" value=\"%d\"></p>"
			"<p><button type=\"submit\">%s</button></p></form>",
		     (long long)f->id, _("Position (smaller first)"), (long long)f->id, f->sort,
		     _("Save the figure"));
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/images/%lld/delete\" class=\"inline\">",
		     (long long)a->id, (long long)f->id);
		page_csrf_field(r);
		html(r, "<button type=\"submit\" class=\"secondary\">%s</button></form></li>",
		     _("Delete the figure"));
	}
	if (n)
		html(r, "</ol>");
	if (can_edit) {
		html(r, "<form method=\"post\" action=\"/newsroom/%lld/images\" enctype=\"multipart/form-data\" "
			"class=\"form upload\"><h3>%s</h3>",
		     (long long)a->id, _("Add a figure"));
		page_csrf_field(r);
		html(r, "<p><label for=\"image\">%s</label><span class=\"hint\" id=\"image-hint\">%s</span>"
			"<input type=\"file\" id=\"image\" name=\"image\" required "
			"accept=\"image/jpeg,image/png,image/webp\" aria-describedby=\"image-hint\"></p>",
		     _("Image file"),
		     _("JPEG, PNG or WebP, at most 8 MB. It is resized to 1600 pixels wide and its metadata (place, camera) removed."));
		html(r, "<p><label for=\"alt\">%s</label><span class=\"hint\" id=\"alt-hint\">%s</span>"
			"<input id=\"alt\" name=\"alt\" required maxlength=\"%d\" aria-describedby=\"alt-hint\"></p>",
		     _("Alternative text"), _("What the image shows, for people who cannot see it."),
		     IMAGE_ALT_MAX);
		html(r, "<p><label for=\"caption\">%s</label><textarea id=\"caption\" name=\"caption\" rows=\"2\" "
			"maxlength=\"%d\"></textarea></p><p><button type=\"submit\">%s</button></p></form>",
		     _("Caption"), IMAGE_CAPTION_MAX, _("Upload"));
	}
	html(r, "</section>");
}

/* ==== upload ============================================================== */

static const Param *file_part(Req *r, const char *name)
{
	for (size_t i = 0; i < r->form.count; i++) {
		const Param *p = &r->form.items[i];
		/* an empty file input still sends a part with filename="" */
		if (str_eq(p->name, name) && p->filename && (p->filename[0] || p->value_len))
			return p;
	}
	return NULL;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static Rc back_to_figures(Req *r, int64_t article_id, const char *saved)
{
	Buf to = BUF_INIT;
	buf_printf(&to, "/newsroom/%lld?saved=%s#figures", (long long)article_id, saved);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

Rc ui_newsroom_image_upload(Req *r)
{
	int64_t id;
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	if (!newsroom_arg_id(r, 0, &id))
		return newsroom_refused(r, RC_NOT_FOUND, NULL);
	/* Cheap refusals first, before any decoding: the article and the right
	 * to change it (image_store checks again under the write lock). */
	Article a;
	Rc rc = article_load_staff(r->db, r->user, id, &a);
	if (rc)
		return newsroom_refused(r, rc, NULL);
	bool may = article_may(r->user, &a, "edit");
	article_release(&a);
	if (!may)
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	const Param *file = file_part(r, "image");
	if (!file)
		return req_fail(r, RC_INVALID, _("Choose an image file"));
	if (blank(req_str(r, "alt")))
		return req_fail(r, RC_INVALID,
				_("Describe the image for people who cannot see it (alternative text)"));
	ImageProcessed p;
	const char *problem = NULL;
	rc = image_process(file->value, file->value_len, &p, &problem);
	if (rc)
		return newsroom_refused(r, rc, problem);
	int64_t image_id = 0;
	rc = db_begin_write(r->db);
	if (!rc)
		rc = image_store(r->db, r->user, id, &p, req_str(r, "caption"), req_str(r, "alt"),
				 &image_id, &problem);
	if (!rc)
		rc = db_commit(r->db);
	if (rc)
		db_rollback(r->db);
	image_processed_release(&p);
	if (rc)
		return newsroom_refused(r, rc, problem);
	return back_to_figures(r, id, "image");
}

/* ==== caption, alt text, position; delete ================================ */

Rc ui_newsroom_image_save(Req *r)
{
	int64_t id, image_id, sort;
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	if (!newsroom_arg_id(r, 0, &id) || !newsroom_arg_id(r, 1, &image_id))
		return newsroom_refused(r, RC_NOT_FOUND, NULL);
	if (!util_parse_i64(req_str(r, "sort"), 0, 100000, &sort))
		return req_fail(r, RC_INVALID, _("The position is not valid"));
	const char *problem = NULL;
	Rc rc = image_update(r->db, r->user, id, image_id, req_str(r, "caption"), req_str(r, "alt"),
			     (int)sort, &problem);
	if (rc)
		return newsroom_refused(r, rc, problem);
	return back_to_figures(r, id, "image-saved");
}

Rc ui_newsroom_image_delete(Req *r)
{
	int64_t id, image_id;
	if (!newsroom_staff(r))
		return newsroom_refused(r, RC_FORBIDDEN, NULL);
	if (!newsroom_arg_id(r, 0, &id) || !newsroom_arg_id(r, 1, &image_id))
		return newsroom_refused(r, RC_NOT_FOUND, NULL);
	Rc rc = image_delete(r->db, r->user, id, image_id);
	if (rc)
		return newsroom_refused(r, rc, NULL);
	return back_to_figures(r, id, "image-deleted");
}

/* ==== serving ============================================================= */

/* The stored type as a literal: req_send_bytes keeps the pointer past
 * this handler. */
static const char *literal_type(const char *t)
{
	if (str_eq(t, "image/webp"))
		return "image/webp";
	if (str_eq(t, "image/png"))
		return "image/png";
	return "image/jpeg";
}

static Rc serve(Req *r, bool thumb)
{
	int64_t id;
	if (!newsroom_arg_id(r, 0, &id))
		return req_fail(r, RC_NOT_FOUND, NULL);
	bool staff = r->user && newsroom_staff(r);
	ImageBytes b;
	Rc rc = image_bytes(r->db, id, thumb, staff ? r->user : NULL, &b);
	if (rc)
		return rc == RC_NOT_FOUND ? req_fail(r, rc, NULL) : rc;
	req_header(r, "ETag", b.etag);
	/* Staff may be looking at a draft's figure: keep it out of shared
	 * caches (the dispatcher's default for signed-in users is no-store). */
	if (!staff)
		r->cache_control = PUBLIC_IMAGE_CACHE;
	if (r->if_none_match && strstr(r->if_none_match, b.etag)) {
		r->status = 304;
		r->static_body = (const unsigned char *)"";
		r->static_len = 0;
	} else {
		req_send_bytes(r, literal_type(b.content_type), b.data, b.len);
	}
	image_bytes_release(&b);
	return RC_OK;
}

Rc ui_image(Req *r)
{
	return serve(r, false);
}

Rc ui_image_thumb(Req *r)
{
	return serve(r, true);
}
