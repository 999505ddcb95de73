/*
 * db_group.c — see db_group.h.
 *
 * One queue per group under one mutex; the leader is whichever waiting
 * caller finds no batch running when it checks (there is no thread of
 * its own, so an idle server costs nothing and a lone write is not
 * delayed).
 */
#include "db_group.h"

#include <pthread.h>

typedef struct Item {
	DbGroupWork work;
	void *arg;
	Rc rc;
	bool done;
	struct Item *next;
} Item;

struct DbGroup {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	Item *head, *tail;
	bool leading;
	long n_batches, n_works;
	Db *db; /* used by the leader only, or NULL */
};

/* The main database's group (the functions without a DbGroup argument). */
static DbGroup main_group = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL,
			     false, 0, 0, NULL};

static Rc group_open(DbGroup *g, const char *path, int flags)
{
	pthread_mutex_lock(&g->mu);
	Rc rc = RC_OK;
	if (!g->db && (rc = db_open(&g->db, path, flags))) {
		db_close(g->db);
		g->db = NULL;
	}
	pthread_mutex_unlock(&g->mu);
	return rc;
}

static void group_close(DbGroup *g)
{
	pthread_mutex_lock(&g->mu);
	while (g->leading)
		pthread_cond_wait(&g->cv, &g->mu);
	db_close(g->db);
	g->db = NULL;
	pthread_mutex_unlock(&g->mu);
}

Rc db_group_open(const char *path)
{
	return group_open(&main_group, path, 0);
}

void db_group_close(void)
{
	group_close(&main_group);
}

Rc db_group_create(const char *path, int flags, DbGroup **out)
{
	DbGroup *g = xcalloc(1, sizeof *g);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	Rc rc = group_open(g, path, flags);
	if (rc) {
		db_group_destroy(g);
		g = NULL;
	}
	*out = g;
	return rc;
}

void db_group_destroy(DbGroup *g)
{
	if (!g)
		return;
	group_close(g);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g);
}

/* Up to DB_GROUP_MAX items from the front of the queue (under mu). */
static Item *take_batch(DbGroup *g)
{
	Item *first = g->head, *last = g->head;
	for (int n = 1; n < DB_GROUP_MAX && last->next; n++)
		last = last->next;
	g->head = last->next;
	if (!g->head)
		g->tail = NULL;
	last->next = NULL;
	return first;
}

/* Run one batch on db: each item in a savepoint; then commit.  Sets every
 * item's rc (not `done`: the caller does that under the mutex). */
static void run_batch(Db *db, Item *batch)
{
	Rc rc = db_begin_write(db);
	db_defer_begin(db);
	for (Item *it = batch; it; it = it->next) {
		if (rc) {
			it->rc = rc;
			continue;
		}
		if ((rc = db_run(db, "SAVEPOINT group_item", ""))) {
			it->rc = rc;
			continue;
		}
		size_t mark = db_defer_mark(db);
		it->rc = it->work(db, it->arg);
		if (it->rc) {
			/* this item's writes go, and those it put off; the others' stay */
			db_defer_drop(db, mark);
			rc = db_run(db, "ROLLBACK TO group_item", "");
			if (!rc)
				rc = db_run(db, "RELEASE group_item", "");
		} else {
			rc = db_run(db, "RELEASE group_item", "");
		}
	}
	/* The writes the items put off (their search-index rows), all at once:
	 * one new index segment per batch instead of one per item. */
	rc = db_defer_commit(db, rc);
	if (rc) {
		/* Nothing of this batch is durable: every item fails, even those
		 * whose own work went well. */
		for (Item *it = batch; it; it = it->next)
			if (!it->rc)
				it->rc = rc;
	}
}

Rc db_group_run_in(DbGroup *g, Db *db, DbGroupWork work, void *arg)
{
	Item me = {.work = work, .arg = arg};
	pthread_mutex_lock(&g->mu);
	if (g->tail)
		g->tail->next = &me;
	else
		g->head = &me;
	g->tail = &me;
	while (!me.done) {
		if (g->leading) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		/* Lead: the queue is never empty here (this caller is in it or
		 * was taken and is done). */
		g->leading = true;
		Item *batch = take_batch(g);
		Db *use = g->db ? g->db : db;
		pthread_mutex_unlock(&g->mu);
		run_batch(use, batch);
		pthread_mutex_lock(&g->mu);
		long n = 0;
		for (Item *it = batch, *next; it; it = next) {
			next = it->next; /* `it` may be gone once done is seen */
			it->done = true;
			n++;
		}
		g->n_batches++;
		g->n_works += n;
		g->leading = false;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return me.rc;
}

Rc db_group_run(Db *db, DbGroupWork work, void *arg)
{
	return db_group_run_in(&main_group, db, work, arg);
}

void db_group_stats_in(DbGroup *g, long *batches, long *works)
{
	pthread_mutex_lock(&g->mu);
	*batches = g->n_batches;
	*works = g->n_works;
	pthread_mutex_unlock(&g->mu);
}

void db_group_stats(long *batches, long *works)
{
	db_group_stats_in(&main_group, batches, works);
}
