/*
 * newsroom.h — the staff side of the news portal: the newsroom (articles
 * from draft to publication, figures, revisions: newsroom.c and
 * newsroom_images.c), the moderation of readers' feedback (moderation.c),
 * and the image routes the public pages use (newsroom_images.c).
 * Routes: web/routes_portal_staff.def.
 *
 *   GET  /newsroom                    articles by status (tabs with counts)
 *   GET  /newsroom/new                the form for a new article
 *   POST /newsroom                    create → 303 /newsroom/{id}
 *   GET  /newsroom/{id}               edit form, workflow buttons, preview
 *                                     of the rendered body, figures with
 *                                     the upload form, revision history
 *   POST /newsroom/{id}/save          the form's fields + note
 *   POST /newsroom/{id}/submit|reopen|publish|unpublish
 *                                     publish takes `at`, a datetime-local
 *                                     in Vietnam time (empty = now)
 *   POST /newsroom/{id}/images        multipart: image, alt, caption
 *   POST /newsroom/{id}/images/{img}/save|delete
 *   GET  /newsroom/{id}/revisions/{rev}
 *   GET  /moderation                  feedback by status (pending first)
 *   POST /moderation/{id}/approve|reject|spam|case
 *   GET  /anh/{id}, /anh/{id}/nho     an image, its thumbnail
 *
 * Who: the newsroom rows need only a login, because leaders publish
 * (CAP_NEWS_PUBLISH) without holding CAP_NEWS_EDIT and a route names one
 * capability; the handlers refuse (403) anyone with neither, and the
 * domain decides each action (article_may).  Publishing, unpublishing
 * and moderation rows require CAP_NEWS_PUBLISH.
 */
#ifndef DANVAN_UI_NEWSROOM_H
#define DANVAN_UI_NEWSROOM_H

#include "../web/req.h"
#include "../domain/article.h"

/* newsroom.c */
Rc ui_newsroom_list(Req *r);
Rc ui_newsroom_new(Req *r);
Rc ui_newsroom_create(Req *r);
Rc ui_newsroom_edit(Req *r);
Rc ui_newsroom_save(Req *r);
Rc ui_newsroom_submit(Req *r);
Rc ui_newsroom_reopen(Req *r);
Rc ui_newsroom_publish(Req *r);
Rc ui_newsroom_unpublish(Req *r);
Rc ui_newsroom_revision(Req *r);

/* newsroom_images.c */
Rc ui_newsroom_image_upload(Req *r);
Rc ui_newsroom_image_save(Req *r);
Rc ui_newsroom_image_delete(Req *r);
Rc ui_image(Req *r);
Rc ui_image_thumb(Req *r);

/* moderation.c */
Rc ui_moderation_list(Req *r);
Rc ui_moderation_approve(Req *r);
Rc ui_moderation_reject(Req *r);
Rc ui_moderation_spam(Req *r);
Rc ui_moderation_case(Req *r);

/* ---- shared by the three files ---------------------------------------- */

/* May the signed-in user work in the newsroom (edit or publish)? */
bool newsroom_staff(Req *r);
/* r->args[i] as a positive id. */
bool newsroom_arg_id(Req *r, int i, int64_t *id);
/* <time datetime="…+07:00">22/6/2024 09:15</time> in Vietnam time. */
void newsroom_time(Req *r, int64_t t);
/* The domain's refusal as the answer, with its message when it gave one
 * (problem: an English message id, translated here). */
Rc newsroom_refused(Req *r, Rc rc, const char *problem);
/* "Draft", "In review", "Scheduled", "Published", "Unpublished". */
const char *newsroom_status_label(Req *r, const char *status, int64_t publish_at);
/* The edit page's figures section (newsroom_images.c): each figure with
 * its marker, thumbnail and forms, and the upload form when can_edit. */
void newsroom_figures(Req *r, const Article *a, const Image *im, size_t n, bool can_edit);

#endif
