/*
 * case_similar.c — repeats and duplicates (shared domain.md §1.4: "one
 * unique electronic case file per matter, with duplicates removed").
 *
 * Repeat: the same person again.  The person is recognised by a keyed
 * hash, person_key = HMAC-SHA-256(server secret, "id:" + the ID number's
 * digits), or of "phone:" + the phone number in national form when no ID
 * number was given.  Keyed, so the column alone cannot be reversed by
 * hashing every possible ID number.  Earlier cases with the same key
 * received within two years get a suggested 'repeat' link.
 *
 * Denunciations get no person key.  The server secret lives in the same
 * database, so whoever holds a copy of it could hash every phone number
 * (10^10 candidates is an afternoon) and re-identify a denouncer whose
 * identity the vault exists to hide (domain.md §1.3).  A repeat
 * denunciation is left for the handler who opens the vault to notice.
 *
 * Duplicate: the same matter again, by anyone.  Candidates are the cases
 * received within 180 days before this one in the same commune (or, when
 * the commune is unknown, the same field; the newest 500 by received date); the three best
 * with a score of 60 or more are suggested.  The score is the Jaccard similarity of
 * the sets of word 3-shingles of the folded title + content (the search
 * key), 0–100, and 60 or more suggests a 'duplicate' link.  Vietnamese
 * words are mostly one or two syllables, so three syllables are a short
 * phrase: a rephrased petition keeps most of them, two different land
 * disputes in one commune share few.
 *
 * Suggestions are only suggestions (confirmed = 0); staff confirm or
 * dismiss them with case_link_confirm.
 *
 * When: intake only queues the case (case_links_queue, one row in
 * case_link_pending); the background worker (jobs/jobs.c, woken after
 * each intake) suggests for every queued case in one transaction
 * (case_links_suggest_pending).  Comparing with hundreds of recent cases
 * costs milliseconds, which a citizen waiting for a tracking code should
 * not pay, and done in batches it costs one commit for many cases.  A
 * case is compared only with cases registered before it (lower ids), as
 * if it had been done at intake, so the order of the queue changes
 * nothing.
 */
#include "case_priv.h"
#include "../base/crypto.h"

#define SHINGLE_WORDS 3
#define SHINGLE_MAX_WORDS 5000   /* enough to tell; bounds the work per pair */
#define DUPLICATE_MIN_SCORE 60
#define DUPLICATE_MAX_LINKS 3
#define DUPLICATE_MAX_CANDIDATES 500

/* ---- person key ---------------------------------------------------------- */

/* The digits of s, at most `max` of them; false on any character other
 * than digits, spaces, dots, dashes, parentheses and one leading '+'. */
static bool digits_of(const char *s, char *out, size_t max)
{
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == max)
				return false;
			out[n++] = *p;
		} else if (!(*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')' ||
			     (*p == '+' && p == s))) {
			return false;
		}
	}
	out[n] = 0;
	return true;
}

/* Citizen ID (CCCD) 12 digits, or the old identity card (CMND) 9. */
static bool id_number_norm(const char *s, char out[16])
{
	if (!s || !*s || !digits_of(s, out, 15))
		return false;
	size_t n = strlen(out);
	return n == 9 || n == 12;
}

/* National form: "+84 912 345 678" and "0912345678" are one number. */
static bool phone_norm(const char *s, char out[24])
{
	if (!s || !*s || !digits_of(s, out, 20))
		return false;
	size_t n = strlen(out);
	if (n >= 11 && out[0] == '8' && out[1] == '4') {
		memmove(out + 1, out + 2, n - 1);
		out[0] = '0';
		n--;
	}
	return out[0] == '0' && n >= 10 && n <= 11;
}

/* The server secret (setting 'secret'), created if the server never ran
 * (command line, tests). */
static Rc server_secret(Db *db, char **out)
{
	char *s = NULL;
	*out = NULL;
	Rc rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	if (rc == RC_NOT_FOUND) {
		char fresh[CRYPTO_TOKEN_HEX + 1];
		crypto_random_hex(fresh);
		rc = db_run(db, "INSERT INTO setting (key, value) VALUES ('secret', ?)"
				" ON CONFLICT (key) DO NOTHING", "t", fresh);
		if (!rc)
			rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	}
	*out = s;
	return rc;
}

Rc case_person_key(Db *db, const char *id_number, const char *phone,
		   char out[CASE_PERSON_KEY_HEX + 1])
{
	char digits[24], msg[32];
	if (id_number_norm(id_number, digits))
		xsnprintf(msg, sizeof msg, "id:%s", digits);
	else if (phone_norm(phone, digits))
		xsnprintf(msg, sizeof msg, "phone:%s", digits);
	else
		return RC_NOT_FOUND;
	char *secret;
	Rc rc = server_secret(db, &secret);
	if (rc)
		return rc; /* unkeyed would be reversible, no key would miss repeats */
	crypto_hmac_hex(secret, msg, out);
	free(secret);
	return RC_OK;
}

/* Shared with intake validation, so what is accepted can be keyed. */
bool case_id_number_valid(const char *s)
{
	char d[16];
	return id_number_norm(s, d);
}

bool case_phone_valid(const char *s)
{
	char d[24];
	return phone_norm(s, d);
}

/* ---- text similarity ----------------------------------------------------- */

typedef struct Shingles {
	uint64_t *h;
	size_t n;
} Shingles;

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The sorted, distinct hashes of the SHINGLE_WORDS-word windows of a
 * folded key (words are separated by single spaces).  A text shorter
 * than one window is one shingle of all its words. */
static void shingles_make(const char *key, Shingles *out)
{
	/* Each word's hash first, then each window's hash from its words'
	 * (heap, not stack: this runs on web worker threads). */
	uint64_t *word = xmalloc(SHINGLE_MAX_WORDS * sizeof *word);
	size_t w = 0;
	for (const char *p = key; *p && w < SHINGLE_MAX_WORDS;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		word[w++] = fnv1a(14695981039346656037ull, p, l);
		p += l;
	}
	size_t k = w < SHINGLE_WORDS ? w : SHINGLE_WORDS;
	out->n = 0;
	out->h = xmalloc((w ? w - k + 1 : 1) * sizeof *out->h);
	for (size_t i = 0; w && i + k <= w; i++) {
		uint64_t h = 14695981039346656037ull;
		for (size_t j = 0; j < k; j++)
			h = fnv1a(h, (const char *)&word[i + j], sizeof word[i + j]);
		out->h[out->n++] = h;
	}
	free(word);
	qsort(out->h, out->n, sizeof *out->h, cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < out->n; i++)
		if (!u || out->h[u - 1] != out->h[i])
			out->h[u++] = out->h[i];
	out->n = u;
}

static int jaccard_100(const Shingles *a, const Shingles *b)
{
	if (!a->n || !b->n)
		return 0;
	size_t i = 0, j = 0, both = 0;
	while (i < a->n && j < b->n) {
		if (a->h[i] == b->h[j]) {
			both++;
			i++;
			j++;
		} else if (a->h[i] < b->h[j]) {
			i++;
		} else {
			j++;
		}
	}
	size_t either = a->n + b->n - both;
	return (int)((both * 100 + either / 2) / either);
}

int case_text_similarity(const char *key_a, const char *key_b)
{
	Shingles a, b;
	shingles_make(key_a ? key_a : "", &a);
	shingles_make(key_b ? key_b : "", &b);
	int s = jaccard_100(&a, &b);
	free(a.h);
	free(b.h);
	return s;
}

/* ---- suggestions --------------------------------------------------------- */

/* Links found for some cases, written afterwards (read, then write: the
 * comparisons never run inside a write transaction). */
typedef struct Found {
	int64_t case_id, other_id;
	int score;
	bool repeat;
} Found;

typedef struct FoundList {
	Found *v;
	size_t n, cap;
} FoundList;

static void found_add(FoundList *f, int64_t id, int64_t other, int score, bool repeat)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xrealloc(f->v, f->cap * sizeof *f->v);
	}
	f->v[f->n++] = (Found){id, other, score, repeat};
}

static Rc find_repeats(Db *db, int64_t id, const char *person_key, const char *received_on,
		       FoundList *out)
{
	/* Linking from the new case to each earlier one keeps the newest
	 * case as the place where staff see and decide the suggestion. */
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id FROM cases WHERE person_key = ?2 AND id < ?1"
			"   AND received_on >= date(?3, '-2 years') AND received_on <= ?3"
			" ORDER BY received_on DESC, id DESC LIMIT 50",
			"ltt", id, person_key, received_on);
	if (rc)
		return rc;
	int s;
	while ((s = db_step(st)) == DB_ROW)
		found_add(out, id, db_col_int(st, 0), 100, true);
	db_done(st);
	return s == DB_DONE ? RC_OK : (Rc)-s;
}

typedef struct Candidate {
	int64_t id;
	int score;
} Candidate;

/* Highest score first, then the newest. */
static int candidate_cmp(const void *a, const void *b)
{
	const Candidate *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return (y->id > x->id) - (y->id < x->id);
}

static Rc find_duplicates(Db *db, int64_t id, const char *key, const char *received_on,
			  int64_t unit_id, int64_t field_id, FoundList *out)
{
	if (!unit_id && !field_id)
		return RC_OK; /* nothing narrows the search: no fair comparison set */
	Shingles mine;
	shingles_make(key, &mine);
	DbStmt *st;
	/* Two statements rather than one with OR: each then walks its own
	 * index (commune and date, or date) instead of six months of cases.
	 * Newest by received date, the order both indexes already hold: with
	 * ORDER BY id, SQLite read every case of the six months (14,000 in one
	 * commune at a million cases, each row's search key from its page) to
	 * sort them and keep 500 — 86 ms a case.  The commune's index ends in
	 * the rowid, so ties on a date still come newest first. */
	Rc rc = unit_id
		? db_prep(db, &st,
			  "SELECT id, search_key FROM cases"
			  " WHERE unit_id = ?3 AND id < ?1 AND received_on >= date(?2, '-180 days')"
			  "   AND received_on <= ?2 ORDER BY received_on DESC, id DESC LIMIT ?4",
			  "ltli", id, received_on, unit_id, DUPLICATE_MAX_CANDIDATES)
		: db_prep(db, &st,
			  "SELECT id, search_key FROM cases"
			  " WHERE field_id = ?3 AND id < ?1 AND received_on >= date(?2, '-180 days')"
			  "   AND received_on <= ?2 ORDER BY received_on DESC, id DESC LIMIT ?4",
			  "ltli", id, received_on, field_id, DUPLICATE_MAX_CANDIDATES);
	if (rc) {
		free(mine.h);
		return rc;
	}
	Candidate *hits = NULL;
	size_t n = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		Shingles other;
		shingles_make(db_col_text(st, 1), &other);
		int score = jaccard_100(&mine, &other);
		free(other.h);
		if (score < DUPLICATE_MIN_SCORE)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			hits = xrealloc(hits, cap * sizeof *hits);
		}
		hits[n++] = (Candidate){db_col_int(st, 0), score};
	}
	db_done(st);
	free(mine.h);
	rc = s == DB_DONE ? RC_OK : (Rc)-s;
	/* Only the best few: staff confirm suggestions one by one, and a
	 * long list of look-alikes (form letters, campaigns) helps nobody. */
	if (n > 1)
		qsort(hits, n, sizeof *hits, candidate_cmp);
	if (n > DUPLICATE_MAX_LINKS)
		n = DUPLICATE_MAX_LINKS;
	for (size_t i = 0; !rc && i < n; i++)
		found_add(out, id, hits[i].id, hits[i].score, false);
	free(hits);
	return rc;
}

/* The suggestions for case `id` (reads only); RC_NOT_FOUND if it is gone. */
static Rc find_links(Db *db, int64_t id, FoundList *out)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT coalesce(person_key, ''), search_key, received_on,"
			" coalesce(unit_id, 0), coalesce(field_id, 0) FROM cases WHERE id = ?",
			"l", id);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s != DB_ROW) {
		db_done(st);
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	}
	char *person = xstrdup(db_col_text(st, 0));
	char *key = xstrdup(db_col_text(st, 1));
	char received[11];
	snprintf(received, sizeof received, "%s", db_col_text(st, 2)); /* ISO date */
	int64_t unit_id = db_col_int(st, 3), field_id = db_col_int(st, 4);
	db_done(st);
	rc = *person ? find_repeats(db, id, person, received, out) : RC_OK;
	if (!rc)
		rc = find_duplicates(db, id, key, received, unit_id, field_id, out);
	free(person);
	free(key);
	return rc;
}

static Rc write_links(Db *db, const FoundList *f)
{
	Rc rc = RC_OK;
	for (size_t i = 0; !rc && i < f->n; i++)
		rc = db_run(db,
			    "INSERT INTO case_link (case_id, other_id, kind, confirmed, score)"
			    " VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
			    "llti", f->v[i].case_id, f->v[i].other_id,
			    f->v[i].repeat ? "repeat" : "duplicate", f->v[i].score);
	return rc;
}

Rc case_links_queue(Db *db, int64_t id)
{
	return db_run(db, "INSERT INTO case_link_pending (case_id, queued_at) VALUES (?, ?)"
			  " ON CONFLICT DO NOTHING", "ll", id, util_now());
}

Rc case_links_suggest_pending(Db *db, int max, int *done)
{
	*done = 0;
	if (max < 1)
		return RC_OK;
	/* With no transaction open: read (one snapshot), then write briefly,
	 * so that submissions never wait behind the comparisons.  Inside a
	 * caller's transaction (tests), everything runs in it. */
	bool own = !db_in_tx(db);
	int64_t *ids = xmalloc((size_t)max * sizeof *ids);
	FoundList f = {0};
	int n = 0;
	Rc rc = own ? db_begin(db) : RC_OK;
	DbStmt *st;
	if (!rc && !(rc = db_prep(db, &st, "SELECT case_id FROM case_link_pending ORDER BY case_id LIMIT ?",
				  "i", max))) {
		int s = DB_DONE;
		while (n < max && (s = db_step(st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
		if (s < 0)
			rc = (Rc)-s;
	}
	for (int i = 0; !rc && i < n; i++) {
		rc = find_links(db, ids[i], &f);
		if (rc == RC_NOT_FOUND) /* deleted meanwhile: nothing to suggest */
			rc = RC_OK;
	}
	if (own && db_in_tx(db)) {
		Rc end = db_commit(db); /* ends the read snapshot */
		if (end)
			db_rollback(db);
		if (!rc)
			rc = end;
	}
	if (!rc && n) {
		rc = own ? db_begin_write(db) : RC_OK;
		if (!rc)
			rc = write_links(db, &f);
		for (int i = 0; !rc && i < n; i++)
			rc = db_run(db, "DELETE FROM case_link_pending WHERE case_id = ?", "l", ids[i]);
		if (!rc && own)
			rc = db_commit(db);
		if (rc && own)
			db_rollback(db);
		if (!rc)
			*done = n;
	}
	free(ids);
	free(f.v);
	return rc;
}
