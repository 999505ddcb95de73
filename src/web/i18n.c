/*
 * i18n.c — message catalogues.  Message ids are the English text; the
 * Vietnamese catalogue is the src/web/i18n_*.def files, one per page
 * family, each line MSG("English id", "Tiếng Việt").  Vietnamese is the
 * default language; English is the id itself.
 *
 * The catalogue is sorted once (pthread_once) and searched by bsearch.
 * tests/unit/test_i18n.c checks that every _("…") in the sources has a
 * Vietnamese entry and that every entry is NFC.
 */
#include "req.h"

#include <pthread.h>

typedef struct Msg {
	const char *id;
	const char *vi;
} Msg;

static Msg catalogue[] = {
#define MSG(id, vi) {id, vi},
#include "i18n_site.def"
#include "i18n_units.def"
#include "i18n_admin.def"
#include "i18n_case.def"
#include "i18n_deadline.def"
#include "i18n_vault.def"
#include "i18n_cases_ui.def"
#include "i18n_api.def"
#include "i18n_portal.def"
#include "i18n_newsroom.def"
#undef MSG
};

static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int msg_cmp(const void *a, const void *b)
{
	return strcmp(((const Msg *)a)->id, ((const Msg *)b)->id);
}

static void sort_catalogue(void)
{
	qsort(catalogue, ARRAY_LEN(catalogue), sizeof catalogue[0], msg_cmp);
}

const char *tr(const char *lang, const char *msgid)
{
	if (!msgid || (lang && lang[0] == 'e'))
		return msgid;
	pthread_once(&sorted_once, sort_catalogue);
	Msg key = {msgid, NULL};
	const Msg *m = bsearch(&key, catalogue, ARRAY_LEN(catalogue), sizeof catalogue[0], msg_cmp);
	return m ? m->vi : msgid;
}

/* For tests: the number of entries and each entry. */
size_t i18n_count(void);
const char *i18n_entry(size_t i, const char **vi);

size_t i18n_count(void)
{
	return ARRAY_LEN(catalogue);
}

const char *i18n_entry(size_t i, const char **vi)
{
	pthread_once(&sorted_once, sort_catalogue);
	if (i >= ARRAY_LEN(catalogue))
		return NULL;
	*vi = catalogue[i].vi;
	return catalogue[i].id;
}
