/*
 * demo.h — realistic demo organisations and users for the provinces that
 * succeed the 11-province Red River Delta region, so that `make run`
 * shows a living system.  See docs/admin.md for the accounts.
 */
#ifndef DANVAN_DEMO_H
#define DANVAN_DEMO_H

#include "../store/db.h"

#define DEMO_PASSWORD "danvan-demo"

typedef struct DemoStats {
	long provinces, communes, orgs, users;
} DemoStats;

/* Needs units imported and the central organisation present (org code
 * "central").  Runs in one write transaction; idempotent (orgs and users
 * that exist are kept).  progress may be NULL. */
Rc demo_generate(Db *db, void (*progress)(const char *what, long done, long total),
		 DemoStats *stats);

/* `count` cases over the last two years through the real intake and flow
 * (needs demo_generate first, the vault initialised, the deadline rules
 * and the field tree seeded).  Commits in batches; *made = cases made. */
Rc demo_cases(Db *db, int count, void (*progress)(const char *what, long done, long total),
	      long *made);

/* About `count` news articles over the last two years in the seeded
 * categories, with generated figures, captions and reader feedback, and
 * one article from the source document's facts (needs category_seed and
 * demo_generate first).  *made = articles made. */
Rc demo_articles(Db *db, int count, void (*progress)(const char *what, long done, long total),
		 long *made);

/* A month of citizens' receptions (demo_receptions.c) for the demo's
 * People's Committees, from today; in its own write transaction. */
Rc demo_receptions(Db *db, long *made);

#endif
