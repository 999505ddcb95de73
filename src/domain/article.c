/*
 * article.c — categories, and an article's life in the newsroom: create,
 * edit (with a revision per change of text), tags, slugs, the workflow
 * draft → review → published (now or scheduled) → unpublished, loading,
 * revision history, and the search index.  Lists, search and view
 * counts are in article_query.c, figures in image.c, "send to a friend"
 * in article_share.c.
 *
 * Rights (cap.h).  CAP_NEWS_EDIT writes drafts, edits drafts, articles in
 * review and unpublished ones, submits for review and takes an article
 * back to draft.  CAP_NEWS_PUBLISH publishes (now or at a time),
 * unpublishes, and alone may edit what is published or scheduled: an
 * editor changing a published text would bypass the review that
 * publishing is.  The newsroom is one per site, so there is no area scope
 * on articles (the article keeps the author's organisation for reports).
 *
 * Visibility is computed, not stored: status 'published' and publish_at
 * ≤ now.  A scheduled article therefore appears on time with no job
 * running, and the public page cache (PAGECACHE_TTL seconds) bounds how
 * late.
 */
#include "portal_priv.h"
#include "audit.h"
#include "markup.h"
#include "../base/date.h"
#include "../base/text.h"

#include <strings.h>

#define TAGS_MAX 10
#define TAG_NAME_MAX 60       /* characters */
#define AUTHOR_MAX 150
#define NOTE_MAX 300
#define SLUG_TRIES 1000
#define DEFAULT_SLUG "bai-viet"

/* Problems (English message ids; Vietnamese in i18n_newsroom.def). */
#define P_TITLE "Enter a title"
#define P_TITLE_LONG "The title is too long (at most 300 characters)"
#define P_LEAD_LONG "The lead is too long (at most 1,000 characters)"
#define P_BODY_LONG "The body is too long (at most 100,000 characters)"
#define P_AUTHOR_LONG "The author's name is too long (at most 150 characters)"
#define P_CATEGORY "Choose a category"
#define P_TAGS "At most 10 tags of up to 60 characters each, separated by commas"
#define P_SLUG "The address may use only letters a–z, digits and hyphens"
#define P_NOTE_LONG "The note is too long (at most 300 characters)"
#define P_TEXT "The text is not valid"

/* ---- shared helpers (portal_priv.h) -------------------------------------- */

Rc portal_audit(Db *db, const Principal *who, const char *action, const char *object_type,
		int64_t object_id, const char *detail)
{
	return audit_append(db, who ? who->id : 0, who ? who->login : "system", action, object_type,
			    object_id, 0, detail);
}

bool portal_keyed_hash(Db *db, const char *purpose, const char *value,
		       char out[CRYPTO_HASH_HEX + 1])
{
	char *secret = NULL;
	Rc rc = db_get_text(db, &secret, "SELECT value FROM setting WHERE key = 'secret'", "");
	if (rc == RC_NOT_FOUND) {
		char fresh[CRYPTO_TOKEN_HEX + 1];
		crypto_random_hex(fresh);
		rc = db_run(db, "INSERT INTO setting (key, value) VALUES ('secret', ?)"
				" ON CONFLICT (key) DO NOTHING", "t", fresh);
		if (!rc)
			rc = db_get_text(db, &secret, "SELECT value FROM setting WHERE key = 'secret'", "");
	}
	if (rc)
		return false;
	Buf msg = BUF_INIT;
	buf_printf(&msg, "%s:%s", purpose, value ? value : "");
	crypto_hmac_hex(secret, buf_cstr(&msg), out);
	buf_release(&msg);
	free(secret);
	return true;
}

char *portal_clean(const char *s)
{
	if (!s)
		return NULL;
	char *t = text_trim(xstrdup(s));
	if (!*t) {
		free(t);
		return NULL;
	}
	return t;
}

int portal_count_links(const char *s)
{
	int n = 0;
	for (const char *p = s; p && *p; p++) {
		if (strncasecmp(p, "http://", 7) == 0) {
			n++;
			p += 6;
		} else if (strncasecmp(p, "https://", 8) == 0) {
			n++;
			p += 7;
		} else if (strncasecmp(p, "www.", 4) == 0) {
			/* "https://www.x" is one link, not two */
			if (!(p >= s + 2 && p[-1] == '/' && p[-2] == '/'))
				n++;
			p += 3;
		}
	}
	return n;
}

Rc portal_article_state(Db *db, int64_t id, char status[16], int64_t *publish_at)
{
	DbStmt *st;
	if (db_prep(db, &st, "SELECT status, coalesce(publish_at, 0) FROM article WHERE id = ?", "l", id))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW) {
		xsnprintf(status, 16, "%s", db_col_text(st, 0));
		*publish_at = db_col_int(st, 1);
	}
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

bool portal_in_scope(Db *db, const Principal *who, int64_t article_id)
{
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return false;
	int64_t n = 0;
	if (db_get_int(db, &n, "SELECT count(*) FROM article a LEFT JOIN org o ON o.id = a.org_id"
			       " LEFT JOIN unit ou ON ou.id = o.unit_id WHERE a.id = ?1"
			       " AND (?2 = 0 OR a.org_id = ?3 OR ou.id = ?2 OR ou.province_id = ?2"
			       " OR ou.parent_id = ?2)",
		       "lll", article_id, who->scope_unit_id, who->org_id))
		return false;
	return n > 0;
}

void portal_vn_day(int64_t days_back, char out[11])
{
	date_iso(date_add_days(date_vn_from_unix(util_now()), -days_back), out);
}

/* The text an article is found by: everything a reader sees of it. */
Rc portal_reindex(Db *db, int64_t article_id)
{
	DbStmt *st;
	Buf text = BUF_INIT;
	char *old_key = NULL;
	if (db_prep(db, &st, "SELECT title, lead, body, search_key FROM article WHERE id = ?", "l",
		    article_id))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW) {
		buf_printf(&text, "%s\n%s\n", db_col_text(st, 0), db_col_text(st, 1));
		markup_plain(&text, db_col_text(st, 2));
		old_key = xstrdup(db_col_text(st, 3));
	}
	db_done(st);
	if (s != DB_ROW) {
		buf_release(&text);
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	}
	Rc rc = db_prep(db, &st, "SELECT t.name FROM article_tag x JOIN tag t ON t.id = x.tag_id"
				 " WHERE x.article_id = ?", "l", article_id);
	while (!rc && (s = db_step(st)) == DB_ROW)
		buf_printf(&text, "\n%s", db_col_text(st, 0));
	if (!rc) {
		db_done(st);
		if (s < 0)
			rc = (Rc)-s;
	}
	if (!rc && !(rc = db_prep(db, &st, "SELECT caption, alt FROM image WHERE article_id = ?", "l",
				  article_id))) {
		while ((s = db_step(st)) == DB_ROW)
			buf_printf(&text, "\n%s", db_col_text(st, 0));
		db_done(st);
		if (s < 0)
			rc = (Rc)-s;
	}
	char *key = text_search_key(buf_cstr(&text));
	buf_release(&text);
	if (!rc && !str_eq(key, old_key)) {
		/* article_fts is contentless: a row is removed by repeating the
		 * exact text it was indexed with, which search_key keeps. */
		if (*old_key)
			rc = db_run(db, "INSERT INTO article_fts (article_fts, rowid, search_key)"
					" VALUES ('delete', ?, ?)", "lt", article_id, old_key);
		if (!rc && *key)
			rc = db_run(db, "INSERT INTO article_fts (rowid, search_key) VALUES (?, ?)", "lt",
				    article_id, key);
		if (!rc)
			rc = db_run(db, "UPDATE article SET search_key = ? WHERE id = ?", "tl", key,
				    article_id);
	}
	free(key);
	free(old_key);
	return rc;
}

/* ---- categories ----------------------------------------------------------- */

static const struct {
	const char *slug, *name, *name_en;
} default_categories[] = {
	{"hoi-nghi", "Hội nghị, sự kiện", "Conferences and events"},
	{"dan-van-kheo", "Dân vận khéo", "Skilled mass mobilisation"},
	{"dan-chu-co-so", "Dân chủ ở cơ sở", "Grassroots democracy"},
	{"ton-giao-dan-toc", "Tôn giáo, dân tộc", "Religion and ethnic affairs"},
	{"dao-tao-boi-duong", "Đào tạo, bồi dưỡng", "Training"},
	{"tin-dia-phuong", "Tin địa phương", "Local news"},
};

Rc category_seed(Db *db)
{
	/* Existing slugs are kept as they are, even renamed by an administrator. */
	Rc rc = RC_OK;
	for (size_t i = 0; !rc && i < ARRAY_LEN(default_categories); i++)
		rc = db_run(db, "INSERT INTO category (slug, name, name_en, sort) VALUES (?, ?, ?, ?)"
				" ON CONFLICT (slug) DO NOTHING",
			    "ttti", default_categories[i].slug, default_categories[i].name,
			    default_categories[i].name_en, (int)(i + 1) * 10);
	return rc;
}

static void category_row(DbStmt *st, Category *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, 0);
	snprintf(c->slug, sizeof c->slug, "%s", db_col_text(st, 1)); /* slugs are short ASCII */
	c->name = xstrdup(db_col_text(st, 2));
	c->name_en = xstrdup(db_col_text(st, 3));
	c->sort = (int)db_col_int(st, 4);
}

Rc category_list(Db *db, Category **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	if (db_prep(db, &st, "SELECT id, slug, name, name_en, sort FROM category ORDER BY sort, id", ""))
		return db_prep_rc(db);
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		category_row(st, &(*out)[(*n)++]);
	}
	db_done(st);
	if (s < 0) {
		category_list_release(*out, *n);
		*out = NULL;
		*n = 0;
		return (Rc)-s;
	}
	return RC_OK;
}

void category_release(Category *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->name_en);
	c->name = c->name_en = NULL;
}

void category_list_release(Category *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		category_release(&c[i]);
	free(c);
}

Rc category_by_slug(Db *db, const char *slug, Category *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	if (db_prep(db, &st, "SELECT id, slug, name, name_en, sort FROM category WHERE slug = ?", "t",
		    slug))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW)
		category_row(st, out);
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

/* ---- validation ------------------------------------------------------------ */

typedef struct Checked {
	char *title, *lead, *body, *author, *slug, *note;
	char *tags[TAGS_MAX];
	size_t ntags;
	int64_t category_id;
	bool featured;
} Checked;

static void checked_release(Checked *c)
{
	free(c->title);
	free(c->lead);
	free(c->body);
	free(c->author);
	free(c->slug);
	free(c->note);
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
}

/* Optional text: trimmed copy ("" when absent), NULL when not UTF-8. */
static char *opt_text(const char *s)
{
	if (s && !text_utf8_valid(s, strlen(s)))
		return NULL;
	char *t = portal_clean(s);
	return t ? t : xstrdup("");
}

/* Split "a, b,c" into trimmed, distinct (by slug) tag names. */
static const char *check_tags(const char *s, Checked *c)
{
	if (!s)
		return NULL;
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *name = text_trim(xstrndup(p, n));
		p += n + (e ? 1 : 0);
		if (!*name) {
			free(name);
			continue;
		}
		char *slug = text_slug(name, 80);
		bool dup = false;
		for (size_t i = 0; i < c->ntags && !dup; i++) {
			char *other = text_slug(c->tags[i], 80);
			dup = str_eq(other, slug);
			free(other);
		}
		bool bad = !*slug || text_length(name) > TAG_NAME_MAX || (!dup && c->ntags == TAGS_MAX);
		free(slug);
		if (bad) {
			free(name);
			return P_TAGS;
		}
		if (dup)
			free(name);
		else
			c->tags[c->ntags++] = name;
	}
	return NULL;
}

static const char *check_input(Db *db, const ArticleInput *in, const char *note, Checked *c)
{
	memset(c, 0, sizeof *c);
	c->title = opt_text(in->title);
	c->lead = opt_text(in->lead);
	c->author = opt_text(in->author);
	c->note = opt_text(note);
	/* The body keeps its leading indentation and blank lines: they are
	 * markup.  Only trailing whitespace goes. */
	if (in->body && !text_utf8_valid(in->body, strlen(in->body)))
		return P_TEXT;
	c->body = text_trim(xstrdup(in->body ? in->body : ""));
	if (!c->title || !c->lead || !c->author || !c->note)
		return P_TEXT;
	if (!*c->title)
		return P_TITLE;
	if (text_length(c->title) > ARTICLE_TITLE_MAX)
		return P_TITLE_LONG;
	if (text_length(c->lead) > ARTICLE_LEAD_MAX)
		return P_LEAD_LONG;
	if (text_length(c->body) > ARTICLE_BODY_MAX)
		return P_BODY_LONG;
	if (text_length(c->author) > AUTHOR_MAX)
		return P_AUTHOR_LONG;
	if (text_length(c->note) > NOTE_MAX)
		return P_NOTE_LONG;
	int64_t tmp;
	if (in->category_id <= 0 ||
	    db_get_int(db, &tmp, "SELECT id FROM category WHERE id = ?", "l", in->category_id))
		return P_CATEGORY;
	c->category_id = in->category_id;
	c->featured = in->featured;
	if (in->slug && *in->slug) {
		/* A slug typed by staff is folded like a title, but must already
		 * look like one: silently rewriting "Tin mới!" would surprise. */
		for (const char *p = in->slug; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				return P_SLUG;
		c->slug = text_slug(in->slug, ARTICLE_SLUG_MAX);
		if (!*c->slug)
			return P_SLUG;
	}
	return check_tags(in->tags, c);
}

/* A slug not used by another article: base, base-2, base-3, … */
static Rc unique_slug(Db *db, const char *base, int64_t self, char out[ARTICLE_SLUG_MAX + 8])
{
	for (int i = 1; i <= SLUG_TRIES; i++) {
		if (i == 1)
			xsnprintf(out, ARTICLE_SLUG_MAX + 8, "%s", base);
		else
			xsnprintf(out, ARTICLE_SLUG_MAX + 8, "%s-%d", base, i);
		int64_t other = 0;
		Rc rc = db_get_int(db, &other, "SELECT id FROM article WHERE slug = ?", "t", out);
		if (rc == RC_NOT_FOUND || (rc == RC_OK && other == self))
			return RC_OK;
		if (rc)
			return rc;
	}
	return RC_CONFLICT;
}

static Rc store_tags(Db *db, int64_t id, const Checked *c)
{
	Rc rc = db_run(db, "DELETE FROM article_tag WHERE article_id = ?", "l", id);
	for (size_t i = 0; !rc && i < c->ntags; i++) {
		char *slug = text_slug(c->tags[i], 80);
		rc = db_run(db, "INSERT INTO tag (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING",
			    "tt", slug, c->tags[i]);
		if (!rc)
			rc = db_run(db, "INSERT OR IGNORE INTO article_tag (article_id, tag_id)"
					" SELECT ?, id FROM tag WHERE slug = ?", "lt", id, slug);
		free(slug);
	}
	/* Tags no article uses any more would linger in lists and suggestions. */
	if (!rc)
		rc = db_run(db, "DELETE FROM tag WHERE NOT EXISTS"
				" (SELECT 1 FROM article_tag x WHERE x.tag_id = tag.id)", "");
	return rc;
}

static Rc add_revision(Db *db, const Principal *who, int64_t id, const Checked *c)
{
	return db_run(db, "INSERT INTO article_revision (article_id, at, user_id, title, lead, body, note)"
			  " VALUES (?, ?, nullif(?, 0), ?, ?, ?, ?)",
		      "llltttt", id, util_now(), who->id, c->title, c->lead, c->body, c->note);
}

const char *article_problem_field(const char *problem)
{
	static const struct {
		const char *problem, *field;
	} map[] = {
		{P_TITLE, "title"}, {P_TITLE_LONG, "title"}, {P_LEAD_LONG, "lead"},
		{P_BODY_LONG, "body"}, {P_AUTHOR_LONG, "author"}, {P_CATEGORY, "category"},
		{P_TAGS, "tags"}, {P_SLUG, "slug"}, {P_NOTE_LONG, "note"},
	};
	for (size_t i = 0; problem && i < ARRAY_LEN(map); i++)
		if (str_eq(problem, map[i].problem))
			return map[i].field;
	return "";
}

/* ---- writes ------------------------------------------------------------- */

Rc article_create(Db *db, const Principal *who, const ArticleInput *in, int64_t *id,
		  const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	*id = 0;
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	Checked c;
	if ((*problem = check_input(db, in, NULL, &c))) {
		checked_release(&c);
		return RC_INVALID;
	}
	char slug[ARTICLE_SLUG_MAX + 8];
	char *base = c.slug ? xstrdup(c.slug) : text_slug(c.title, ARTICLE_SLUG_MAX);
	Rc rc = unique_slug(db, *base ? base : DEFAULT_SLUG, 0, slug);
	free(base);
	int64_t now = util_now();
	if (!rc)
		rc = db_run(db, "INSERT INTO article (slug, title, lead, body, author, category_id, org_id,"
				" status, featured, created_by, created_at, updated_at)"
				" VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0), 'draft', ?, nullif(?, 0), ?, ?)",
			    "tttttllilll", slug, c.title, c.lead, c.body, c.author, c.category_id,
			    who->org_id, (int)c.featured, who->id, now, now);
	int64_t new_id = rc ? 0 : db_last_id(db);
	if (!rc)
		rc = store_tags(db, new_id, &c);
	if (!rc)
		rc = add_revision(db, who, new_id, &c);
	if (!rc)
		rc = portal_reindex(db, new_id);
	if (!rc)
		rc = portal_audit(db, who, "article.create", "article", new_id, slug);
	checked_release(&c);
	if (!rc)
		*id = new_id;
	return rc;
}

/* The columns a permission check or an update compares with. */
typedef struct Current {
	char status[16];
	int64_t publish_at;
	char slug[ARTICLE_SLUG_MAX + 8];
	char *title, *lead, *body;
} Current;

static void current_release(Current *k)
{
	free(k->title);
	free(k->lead);
	free(k->body);
}

static Rc current_load(Db *db, int64_t id, Current *k)
{
	memset(k, 0, sizeof *k);
	DbStmt *st;
	if (db_prep(db, &st, "SELECT status, coalesce(publish_at, 0), slug, title, lead, body"
			     " FROM article WHERE id = ?", "l", id))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW) {
		xsnprintf(k->status, sizeof k->status, "%s", db_col_text(st, 0));
		k->publish_at = db_col_int(st, 1);
		snprintf(k->slug, sizeof k->slug, "%s", db_col_text(st, 2)); /* ≤ ARTICLE_SLUG_MAX + 7 by construction */
		k->title = xstrdup(db_col_text(st, 3));
		k->lead = xstrdup(db_col_text(st, 4));
		k->body = xstrdup(db_col_text(st, 5));
	}
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

/* The rule behind article_may, on the facts it needs (portal_priv.h). */
bool portal_may(const Principal *who, const char *status, const char *action)
{
	if (!who)
		return false;
	bool edit = (who->caps & CAP_NEWS_EDIT) != 0;
	bool pub = (who->caps & CAP_NEWS_PUBLISH) != 0;
	bool draft = str_eq(status, "draft"), review = str_eq(status, "review");
	bool published = str_eq(status, "published"), unpublished = str_eq(status, "unpublished");
	if (str_eq(action, "edit"))
		return published ? pub : edit || pub;
	if (str_eq(action, "submit"))
		return (edit || pub) && draft;
	if (str_eq(action, "publish"))
		return pub && (draft || review || unpublished || published);
	if (str_eq(action, "unpublish"))
		return pub && published;
	if (str_eq(action, "reopen"))
		return (edit || pub) && (review || unpublished);
	return false;
}

bool article_may(const Principal *who, const Article *a, const char *action)
{
	if (str_eq(action, "publish") && article_is_public(a, util_now()))
		return false; /* already out: nothing to publish */
	return portal_may(who, a->status, action);
}

bool article_is_public(const Article *a, int64_t now)
{
	return str_eq(a->status, "published") && a->publish_at && a->publish_at <= now;
}

bool article_is_scheduled(const Article *a, int64_t now)
{
	return str_eq(a->status, "published") && a->publish_at > now;
}

Rc article_update(Db *db, const Principal *who, int64_t id, const ArticleInput *in,
		  const char *note, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	Current k;
	Rc rc = current_load(db, id, &k);
	if (rc)
		return rc;
	if (!portal_in_scope(db, who, id)) {
		current_release(&k);
		return RC_NOT_FOUND; /* another area's article: as if there were none */
	}
	if (!portal_may(who, k.status, "edit")) {
		current_release(&k);
		return RC_FORBIDDEN;
	}
	Checked c;
	if ((*problem = check_input(db, in, note, &c))) {
		checked_release(&c);
		current_release(&k);
		return RC_INVALID;
	}
	char slug[ARTICLE_SLUG_MAX + 8];
	xsnprintf(slug, sizeof slug, "%s", k.slug);
	/* The address changes only when asked: links to it are out there. */
	if (c.slug && !str_eq(c.slug, k.slug))
		rc = unique_slug(db, c.slug, id, slug);
	bool text_changed = !str_eq(c.title, k.title) || !str_eq(c.lead, k.lead) ||
			    !str_eq(c.body, k.body);
	if (!rc)
		rc = db_run(db, "UPDATE article SET slug = ?, title = ?, lead = ?, body = ?, author = ?,"
				" category_id = ?, featured = ?, updated_at = ? WHERE id = ?",
			    "tttttlill", slug, c.title, c.lead, c.body, c.author, c.category_id,
			    (int)c.featured, util_now(), id);
	if (!rc)
		rc = store_tags(db, id, &c);
	if (!rc && text_changed)
		rc = add_revision(db, who, id, &c);
	if (!rc)
		rc = portal_reindex(db, id);
	if (!rc) {
		Buf d = BUF_INIT;
		buf_printf(&d, "%s%s", slug, text_changed ? " text" : "");
		rc = portal_audit(db, who, "article.update", "article", id, buf_cstr(&d));
		buf_release(&d);
	}
	checked_release(&c);
	current_release(&k);
	return rc;
}

Rc article_transition(Db *db, const Principal *who, int64_t id, const char *action, int64_t at)
{
	static const char *const actions[] = {"submit", "publish", "unpublish", "reopen"};
	bool known = false;
	for (size_t i = 0; i < ARRAY_LEN(actions); i++)
		known |= str_eq(action, actions[i]);
	if (!known)
		return RC_INVALID;
	if (!who || !(who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)))
		return RC_FORBIDDEN;
	Current k;
	Rc rc = current_load(db, id, &k);
	if (rc)
		return rc;
	current_release(&k); /* only status, publish_at and slug are needed */
	if (!portal_in_scope(db, who, id))
		return RC_NOT_FOUND;
	int64_t now = util_now();
	const char *to = NULL;
	int64_t publish_at = k.publish_at;
	bool cap_ok = str_eq(action, "publish") || str_eq(action, "unpublish")
			      ? (who->caps & CAP_NEWS_PUBLISH) != 0
			      : (who->caps & (CAP_NEWS_EDIT | CAP_NEWS_PUBLISH)) != 0;
	if (!cap_ok)
		return RC_FORBIDDEN;
	if (!portal_may(who, k.status, action))
		return RC_CONFLICT;
	if (str_eq(action, "submit")) {
		to = "review";
	} else if (str_eq(action, "reopen")) {
		to = "draft";
	} else if (str_eq(action, "unpublish")) {
		to = "unpublished";
	} else {
		to = "published";
		bool is_public = str_eq(k.status, "published") && k.publish_at && k.publish_at <= now;
		if (is_public)
			return RC_CONFLICT; /* already out */
		if (at > now)
			publish_at = at; /* scheduled */
		else if (!(k.publish_at && k.publish_at <= now))
			publish_at = now;
		/* else: republishing after a correction keeps the first date,
		 * so the article does not jump to the top of the news as new */
	}
	rc = db_run(db, "UPDATE article SET status = ?, publish_at = nullif(?, 0), updated_at = ?"
			" WHERE id = ?", "tlll", to, publish_at, now, id);
	if (!rc) {
		Buf d = BUF_INIT;
		buf_printf(&d, "%s %s→%s", k.slug, k.status, to);
		if (str_eq(to, "published"))
			buf_printf(&d, " at=%lld", (long long)publish_at);
		const char *name = str_eq(action, "publish") && publish_at > now ? "article.schedule"
		                   : str_eq(action, "publish") ? "article.publish"
		                   : str_eq(action, "submit") ? "article.submit"
		                   : str_eq(action, "reopen") ? "article.reopen" : "article.unpublish";
		rc = portal_audit(db, who, name, "article", id, buf_cstr(&d));
		buf_release(&d);
	}
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

void article_release(Article *a)
{
	if (!a)
		return;
	free(a->title);
	free(a->lead);
	free(a->body);
	free(a->author);
	free(a->category_name);
	free(a->tags);
	memset(a, 0, sizeof *a);
}

static Rc load_tags(Db *db, Article *a)
{
	DbStmt *st;
	if (db_prep(db, &st, "SELECT t.name FROM article_tag x JOIN tag t ON t.id = x.tag_id"
			     " WHERE x.article_id = ? ORDER BY t.slug", "l", a->id))
		return db_prep_rc(db);
	Buf b = BUF_INIT;
	int s;
	while ((s = db_step(st)) == DB_ROW)
		buf_printf(&b, "%s%s", b.len ? ", " : "", db_col_text(st, 0));
	db_done(st);
	a->tags = buf_detach(&b, NULL);
	return s < 0 ? (Rc)-s : RC_OK;
}

/* public_only: the row only when published and due at `now`. */
static Rc load_where(Db *db, int64_t id, const char *slug, bool public_only, Article *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT a.id, a.slug, a.title, a.lead, a.body, a.author, a.category_id, c.slug,"
		    " c.name, a.status, a.featured, coalesce(a.publish_at, 0), a.created_at,"
		    " a.updated_at, a.views"
		    " FROM article a JOIN category c ON c.id = a.category_id"
		    " WHERE (?1 = 0 OR a.id = ?1) AND (?2 IS NULL OR a.slug = ?2)"
		    " AND (?3 = 0 OR (a.status = 'published' AND a.publish_at <= ?4))",
		    "ltil", id, slug, (int)public_only, util_now()))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW) {
		out->id = db_col_int(st, 0);
		snprintf(out->slug, sizeof out->slug, "%s", db_col_text(st, 1));
		out->title = xstrdup(db_col_text(st, 2));
		out->lead = xstrdup(db_col_text(st, 3));
		out->body = xstrdup(db_col_text(st, 4));
		out->author = xstrdup(db_col_text(st, 5));
		out->category_id = db_col_int(st, 6);
		snprintf(out->category_slug, sizeof out->category_slug, "%s", db_col_text(st, 7));
		out->category_name = xstrdup(db_col_text(st, 8));
		xsnprintf(out->status, sizeof out->status, "%s", db_col_text(st, 9));
		out->featured = db_col_int(st, 10) != 0;
		out->publish_at = db_col_int(st, 11);
		out->created_at = db_col_int(st, 12);
		out->updated_at = db_col_int(st, 13);
		out->views = db_col_int(st, 14);
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	Rc rc = load_tags(db, out);
	if (rc)
		article_release(out);
	return rc;
}

Rc article_load(Db *db, int64_t id, bool public_only, Article *out)
{
	if (id <= 0) {
		memset(out, 0, sizeof *out);
		return RC_NOT_FOUND;
	}
	return load_where(db, id, NULL, public_only, out);
}

Rc article_load_staff(Db *db, const Principal *who, int64_t id, Article *out)
{
	memset(out, 0, sizeof *out);
	if (id <= 0 || !portal_in_scope(db, who, id))
		return RC_NOT_FOUND;
	return load_where(db, id, NULL, false, out);
}

Rc article_by_slug(Db *db, const char *slug, Article *out)
{
	if (!slug || !*slug || strlen(slug) > ARTICLE_SLUG_MAX + 7) {
		memset(out, 0, sizeof *out);
		return RC_NOT_FOUND;
	}
	return load_where(db, 0, slug, true, out);
}

/* ---- revisions ------------------------------------------------------------ */

void article_revision_release(ArticleRevision *r)
{
	if (!r)
		return;
	free(r->user_name);
	free(r->title);
	free(r->lead);
	free(r->body);
	free(r->note);
	memset(r, 0, sizeof *r);
}

void article_revisions_release(ArticleRevision *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		article_revision_release(&r[i]);
	free(r);
}

static void revision_row(DbStmt *st, ArticleRevision *r, bool body)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->article_id = db_col_int(st, 1);
	r->at = db_col_int(st, 2);
	r->user_id = db_col_int(st, 3);
	r->user_name = xstrdup(db_col_text(st, 4));
	r->title = xstrdup(db_col_text(st, 5));
	r->lead = xstrdup(db_col_text(st, 6));
	r->note = xstrdup(db_col_text(st, 7));
	r->body = body ? xstrdup(db_col_text(st, 8)) : NULL;
}

Rc article_revisions(Db *db, const Principal *who, int64_t article_id, ArticleRevision **out,
		       size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!portal_in_scope(db, who, article_id))
		return RC_NOT_FOUND;
	DbStmt *st;
	if (db_prep(db, &st, "SELECT r.id, r.article_id, r.at, coalesce(r.user_id, 0),"
			     " coalesce(u.name, ''), r.title, r.lead, r.note, ''"
			     " FROM article_revision r LEFT JOIN user u ON u.id = r.user_id"
			     " WHERE r.article_id = ? ORDER BY r.id DESC", "l", article_id))
		return db_prep_rc(db);
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		revision_row(st, &(*out)[(*n)++], false);
	}
	db_done(st);
	if (s < 0) {
		article_revisions_release(*out, *n);
		*out = NULL;
		*n = 0;
		return (Rc)-s;
	}
	return RC_OK;
}

Rc article_revision_load(Db *db, const Principal *who, int64_t article_id, int64_t rev_id,
			  ArticleRevision *out)
{
	memset(out, 0, sizeof *out);
	if (!portal_in_scope(db, who, article_id))
		return RC_NOT_FOUND;
	DbStmt *st;
	if (db_prep(db, &st, "SELECT r.id, r.article_id, r.at, coalesce(r.user_id, 0),"
			     " coalesce(u.name, ''), r.title, r.lead, r.note, r.body"
			     " FROM article_revision r LEFT JOIN user u ON u.id = r.user_id"
			     " WHERE r.article_id = ? AND r.id = ?", "ll", article_id, rev_id))
		return db_prep_rc(db);
	int s = db_step(st);
	if (s == DB_ROW)
		revision_row(st, out, true);
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}
