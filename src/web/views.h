/*
 * views.h — article view counting in memory, written to the database in
 * batches.
 *
 * A page view must not cost a write transaction: SQLite has one writer,
 * and the portal's most read page would serialise every reader behind
 * it.  So the article page calls views_hit (a mutex and a table lookup),
 * and something periodic — the server's jobs thread, every few seconds,
 * and once more at shutdown — calls views_flush, which hands the counts
 * to article_views_flush in one transaction.  A crash loses at most the
 * last few seconds of counts, which a view counter can afford.
 *
 * Bots are not counted: an empty User-Agent, or one containing a robot
 * marker (bot, crawl, spider, slurp, curl, wget, python, Go-http,
 * facebookexternalhit, …: views.c has the list), case-insensitively.
 * The table holds VIEWS_SLOTS distinct articles between flushes; hits on
 * further articles before the next flush are dropped (and counted in
 * views_dropped), so memory stays bounded whatever a client requests.
 */
#ifndef DANVAN_VIEWS_H
#define DANVAN_VIEWS_H

#include "../store/db.h"

#define VIEWS_SLOTS 4096
#define VIEWS_FLUSH_INTERVAL_S 5  /* what the caller of views_flush should aim for */

/* Is this User-Agent a robot (or absent)? */
bool views_is_bot(const char *user_agent);
/* Count one view of article_id unless the client is a robot.  Thread-safe. */
void views_hit(int64_t article_id, const char *user_agent);
/* Write the pending counts (article_views_flush, its own transaction;
 * call with no transaction open).  On failure the counts are put back
 * for the next flush.  Thread-safe; concurrent flushes are serialised. */
Rc views_flush(Db *db);
/* Views counted but not yet flushed (tests, shutdown logging). */
int64_t views_pending(void);
/* Hits dropped because the table was full, since the start. */
int64_t views_dropped(void);
/* Forget everything pending (tests). */
void views_reset(void);

#endif
