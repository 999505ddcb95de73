/*
 * db_group.c — see db_group.h.
 *
 * One queue per process under one mutex; the leader is whichever waiting
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

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static Item *head, *tail;
static bool leading;
static long n_batches, n_works;
static Db *group_db; /* used by the leader only, or NULL */

Rc db_group_open(const char *path)
{
	pthread_mutex_lock(&mu);
	Rc rc = RC_OK;
	if (!group_db && (rc = db_open(&group_db, path, 0))) {
		db_close(group_db);
		group_db = NULL;
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void db_group_close(void)
{
	pthread_mutex_lock(&mu);
	while (leading)
		pthread_cond_wait(&cv, &mu);
	db_close(group_db);
	group_db = NULL;
	pthread_mutex_unlock(&mu);
}

/* Up to DB_GROUP_MAX items from the front of the queue (under mu). */
static Item *take_batch(void)
{
	Item *first = head, *last = head;
	for (int n = 1; n < DB_GROUP_MAX && last->next; n++)
		last = last->next;
	head = last->next;
	if (!head)
		tail = NULL;
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
	if (!rc)
		rc = db_defer_flush(db);
	db_defer_end(db);
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		/* Nothing of this batch is durable: every item fails, even those
		 * whose own work went well. */
		db_rollback(db);
		for (Item *it = batch; it; it = it->next)
			if (!it->rc)
				it->rc = rc;
	}
}

Rc db_group_run(Db *db, DbGroupWork work, void *arg)
{
	Item me = {.work = work, .arg = arg};
	pthread_mutex_lock(&mu);
	if (tail)
		tail->next = &me;
	else
		head = &me;
	tail = &me;
	while (!me.done) {
		if (leading) {
			pthread_cond_wait(&cv, &mu);
			continue;
		}
		/* Lead: the queue is never empty here (this caller is in it or
		 * was taken and is done). */
		leading = true;
		Item *batch = take_batch();
		Db *use = group_db ? group_db : db;
		pthread_mutex_unlock(&mu);
		run_batch(use, batch);
		pthread_mutex_lock(&mu);
		long n = 0;
		for (Item *it = batch, *next; it; it = next) {
			next = it->next; /* `it` may be gone once done is seen */
			it->done = true;
			n++;
		}
		n_batches++;
		n_works += n;
		leading = false;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mu);
	return me.rc;
}

void db_group_stats(long *batches, long *works)
{
	pthread_mutex_lock(&mu);
	*batches = n_batches;
	*works = n_works;
	pthread_mutex_unlock(&mu);
}
