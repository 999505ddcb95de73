/*
 * portal_priv.h — helpers shared by the portal's domain files (article.c,
 * article_query.c, article_share.c, image.c, feedback.c) and by nothing
 * else; the public contracts are article.h, feedback.h and markup.h.
 */
#ifndef DANVAN_PORTAL_PRIV_H
#define DANVAN_PORTAL_PRIV_H

#include "article.h"
#include "../base/crypto.h"

/* audit_append for a staff action on a portal object ("article",
 * "image", "feedback"); action is e.g. "article.publish". */
Rc portal_audit(Db *db, const Principal *who, const char *action, const char *object_type,
		int64_t object_id, const char *detail);

/* HMAC-SHA-256(setting 'secret', purpose ":" value) as hex: how a client
 * address or an e-mail address is remembered for rate limits without
 * being stored.  The secret is created when missing (tests, CLI).  False
 * on a database error. */
bool portal_keyed_hash(Db *db, const char *purpose, const char *value,
		       char out[CRYPTO_HASH_HEX + 1]);

/* Trimmed copy of s (malloc'd), NULL when s is NULL or blank. */
char *portal_clean(const char *s);

/* Number of links in s: "http://", "https://" and "www." occurrences,
 * case-insensitive — what spam carries and a citizen rarely needs. */
int portal_count_links(const char *s);

/* The article's status and whether it is public, for permission checks
 * of images and feedback.  RC_NOT_FOUND when there is no such article. */
Rc portal_article_state(Db *db, int64_t id, char status[16], int64_t *publish_at);

/* Is the article inside the area of `who` (a newsroom member)?  An
 * article belongs to the area of its author's organisation: members of
 * that organisation, central staff (scope 0) and staff whose scope unit
 * is the organisation's unit, its province or its parent see it (the
 * same rule as the list queries below, so lists and objects agree).
 * Fails closed on database errors and for articles of no organisation
 * outside central staff. */
bool portal_in_scope(Db *db, const Principal *who, int64_t article_id);
/* List queries repeat that rule in their SQL (codecheck wants literal
 * SQL, so it cannot be a macro):
 *   LEFT JOIN org o ON o.id = a.org_id LEFT JOIN unit ou ON ou.id = o.unit_id
 *   WHERE (scope = 0 OR a.org_id = org OR ou.id = scope
 *          OR ou.province_id = scope OR ou.parent_id = scope) */

/* article_may on a status alone (the rules are in article.c). */
bool portal_may(const Principal *who, const char *status, const char *action);

/* Recompute the article's search key (title, lead, body as plain text,
 * tags, figure captions) and its article_fts row. */
Rc portal_reindex(Db *db, int64_t article_id);

/* Today in Vietnam as "YYYY-MM-DD", `days_back` days before util_now(). */
void portal_vn_day(int64_t days_back, char out[11]);

#endif
