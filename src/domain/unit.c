/*
 * unit.c — administrative units: import, resolution across the 2025
 * reorganisation, scope test, regions and search (see unit.h and
 * docs/internals/units.md).
 *
 * All SQL is standard enough for both backends: upserts are written
 * "INSERT … ON CONFLICT … DO NOTHING" (not SQLite's INSERT OR IGNORE),
 * NULL ids are bound as 0 and turned into NULL with nullif(), and the one
 * recursive query uses WITH RECURSIVE.
 */
#include "unit.h"

#include "../base/date.h"
#include "../base/text.h"

#include <stdarg.h>

/* Successor chains are one step long today (2020 → 2025); the bound only
 * guards against a cycle introduced by bad data. */
#define UNIT_MAX_DEPTH 8

/* ---- small helpers -------------------------------------------------- */

/* Copy s into dst[cap], cutting at a UTF-8 character boundary. */
static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
}

#define VEC_GROW(arr, n, cap)                                               \
	do {                                                                \
		if ((n) == (cap)) {                                         \
			(cap) = (cap) ? (cap) * 2 : 16;                     \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));     \
		}                                                           \
	} while (0)

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool unit_code_valid(const char *code)
{
	if (!code)
		return false;
	size_t n = strlen(code);
	return (n == 2 || n == 3 || n == 5) && all_digits(code, n);
}

bool unit_in_force(const Unit *u, const char *date)
{
	return strcmp(u->valid_from, date) <= 0 &&
	       (!u->valid_to[0] || strcmp(u->valid_to, date) >= 0);
}

void unit_today(char out[11])
{
	Buf b = BUF_INIT;
	date_format_iso(&b, date_vn_from_unix(util_now()));
	copy_str(out, 11, buf_cstr(&b));
	buf_release(&b);
}

/* Columns 0..12 of every unit query, in this order:
 *   u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),
 *   coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,
 *   u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')
 * with "FROM unit u LEFT JOIN unit p ON p.id = u.province_id".  The list
 * is spelled out in each query because SQL must be a plain literal. */
static void unit_from_row(DbStmt *st, Unit *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, 0);
	copy_str(u->code, sizeof u->code, db_col_text(st, 1));
	copy_str(u->level, sizeof u->level, db_col_text(st, 2));
	u->era = (int)db_col_int(st, 3);
	u->parent_id = db_col_int(st, 4);
	u->province_id = db_col_int(st, 5);
	copy_str(u->name, sizeof u->name, db_col_text(st, 6));
	copy_str(u->full_name, sizeof u->full_name, db_col_text(st, 7));
	copy_str(u->name_en, sizeof u->name_en, db_col_text(st, 8));
	copy_str(u->kind, sizeof u->kind, db_col_text(st, 9));
	copy_str(u->valid_from, sizeof u->valid_from, db_col_text(st, 10));
	copy_str(u->valid_to, sizeof u->valid_to, db_col_text(st, 11));
	copy_str(u->province_name, sizeof u->province_name, db_col_text(st, 12));
}

/* Step a prepared unit query to the end, collecting rows. */
static Rc collect_units(DbStmt *st, Unit **out, size_t *n)
{
	Unit *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(v, len, cap);
		unit_from_row(st, &v[len++]);
	}
	db_done(st);
	if (s != DB_DONE) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

/* ---- loading and finding -------------------------------------------- */

Rc unit_load(Db *db, int64_t id, Unit *out)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')"
			" FROM unit u LEFT JOIN unit p ON p.id = u.province_id WHERE u.id = ?",
			"l", id);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW)
		unit_from_row(st, out);
	db_done(st);
	if (s == DB_ROW)
		return RC_OK;
	return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc unit_find(Db *db, const char *level, const char *code, int era, int64_t *id)
{
	return db_get_int(db, id,
			  "SELECT id FROM unit WHERE level = ?1 AND code = ?2 AND (?3 = 0 OR era = ?3)"
			  " ORDER BY era DESC LIMIT 1",
			  "tti", level, code, era);
}

/* ---- successors ----------------------------------------------------- */

Rc unit_links(Db *db, int64_t unit_id, bool predecessors, UnitLink **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc;
	if (predecessors)
		rc = db_prep(db, &st,
			     "SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			     " coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			     " u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, ''), s.partial"
			     " FROM unit_successor s JOIN unit u ON u.id = s.old_id"
			     " LEFT JOIN unit p ON p.id = u.province_id WHERE s.new_id = ?"
			     " ORDER BY CASE u.level WHEN 'province' THEN 0 WHEN 'district' THEN 1"
			     " ELSE 2 END, u.code",
			     "l", unit_id);
	else
		rc = db_prep(db, &st,
			     "SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			     " coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			     " u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, ''), s.partial"
			     " FROM unit_successor s JOIN unit u ON u.id = s.new_id"
			     " LEFT JOIN unit p ON p.id = u.province_id WHERE s.old_id = ?"
			     " ORDER BY u.code",
			     "l", unit_id);
	if (rc)
		return rc;
	UnitLink *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(v, len, cap);
		unit_from_row(st, &v[len].unit);
		v[len++].partial = db_col_int(st, 13) != 0;
	}
	db_done(st);
	if (s != DB_DONE) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

static int cmp_link_code(const void *a, const void *b)
{
	const UnitLink *x = a, *y = b;
	int c = strcmp(x->unit.code, y->unit.code);
	return c ? c : (x->unit.id > y->unit.id) - (x->unit.id < y->unit.id);
}

typedef struct Work {
	UnitLink link;
	int depth;
} Work;

Rc unit_successors_on(Db *db, int64_t unit_id, const char *date, UnitLink **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	Work *work = NULL;
	size_t nwork = 0, capwork = 0;
	UnitLink *res = NULL;
	size_t nres = 0, capres = 0;

	VEC_GROW(work, nwork, capwork);
	Rc rc = unit_load(db, unit_id, &work[0].link.unit);
	if (rc) {
		free(work);
		return rc;
	}
	work[0].link.partial = false;
	work[0].depth = 0;
	nwork = 1;

	while (nwork > 0 && !rc) {
		Work w = work[--nwork];
		if (unit_in_force(&w.link.unit, date)) {
			size_t i;
			for (i = 0; i < nres; i++)
				if (res[i].unit.id == w.link.unit.id)
					break;
			if (i < nres) {
				/* reached twice: one full path makes it full */
				res[i].partial = res[i].partial && w.link.partial;
			} else {
				VEC_GROW(res, nres, capres);
				res[nres++] = w.link;
			}
			continue;
		}
		if (w.depth >= UNIT_MAX_DEPTH)
			continue;
		UnitLink *ls;
		size_t nl;
		rc = unit_links(db, w.link.unit.id, false, &ls, &nl);
		for (size_t i = 0; !rc && i < nl; i++) {
			VEC_GROW(work, nwork, capwork);
			work[nwork].link.unit = ls[i].unit;
			work[nwork].link.partial = w.link.partial || ls[i].partial;
			work[nwork].depth = w.depth + 1;
			nwork++;
		}
		if (!rc)
			free(ls);
	}
	free(work);
	if (rc) {
		free(res);
		return rc;
	}
	if (nres > 1)
		qsort(res, nres, sizeof *res, cmp_link_code);
	*out = res;
	*n = nres;
	return RC_OK;
}

Rc unit_successors(Db *db, int64_t unit_id, UnitLink **out, size_t *n)
{
	char today[11];
	unit_today(today);
	return unit_successors_on(db, unit_id, today, out, n);
}

void unit_resolutions_free(UnitResolution *r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++)
		free(r[i].succ);
	free(r);
}

Rc unit_resolve_code(Db *db, const char *code, UnitResolution **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!unit_code_valid(code))
		return RC_INVALID;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')"
			" FROM unit u LEFT JOIN unit p ON p.id = u.province_id WHERE u.code = ?"
			" ORDER BY u.era DESC, u.valid_from DESC, u.id",
			"t", code);
	if (rc)
		return rc;
	Unit *units;
	size_t nu;
	if ((rc = collect_units(st, &units, &nu)))
		return rc;
	UnitResolution *v = xcalloc(nu ? nu : 1, sizeof *v);
	for (size_t i = 0; i < nu && !rc; i++) {
		v[i].unit = units[i];
		rc = unit_successors(db, units[i].id, &v[i].succ, &v[i].nsucc);
	}
	free(units);
	if (rc) {
		unit_resolutions_free(v, nu);
		return rc;
	}
	*out = v;
	*n = nu;
	return RC_OK;
}

/* ---- scope ---------------------------------------------------------- */

typedef struct Brief {
	int era;
	int64_t parent_id, province_id;
} Brief;

static bool brief_load(Db *db, int64_t id, Brief *b)
{
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT era, coalesce(parent_id, 0), coalesce(province_id, 0) FROM unit WHERE id = ?",
		    "l", id))
		return false;
	bool found = db_step(st) == DB_ROW;
	if (found) {
		b->era = (int)db_col_int(st, 0);
		b->parent_id = db_col_int(st, 1);
		b->province_id = db_col_int(st, 2);
	}
	db_done(st);
	return found;
}

static bool within_rec(Db *db, int64_t unit_id, int64_t anc_id, const Brief *anc, int depth)
{
	if (unit_id == anc_id)
		return true;
	if (depth > UNIT_MAX_DEPTH)
		return false;
	Brief u;
	if (!brief_load(db, unit_id, &u))
		return false;
	if (u.province_id == anc_id)
		return true;
	/* Parent chain: commune → district → province before 2025. */
	int64_t p = u.parent_id;
	for (int i = 0; p && i < UNIT_MAX_DEPTH; i++) {
		if (p == anc_id)
			return true;
		Brief pb;
		if (!brief_load(db, p, &pb))
			return false;
		p = pb.parent_id;
	}
	/* An old unit lies in a newer one when all of its territory went
	 * there, i.e. every successor is inside.  No successors: false. */
	if (u.era >= anc->era)
		return false;
	UnitLink *ls;
	size_t n;
	if (unit_links(db, unit_id, false, &ls, &n))
		return false;
	bool ok = n > 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = within_rec(db, ls[i].unit.id, anc_id, anc, depth + 1);
	free(ls);
	return ok;
}

bool unit_within(Db *db, int64_t unit_id, int64_t ancestor_id)
{
	if (ancestor_id == 0)
		return true;
	if (unit_id <= 0 || ancestor_id < 0)
		return false;
	Brief anc;
	if (!brief_load(db, ancestor_id, &anc))
		return false;
	return within_rec(db, unit_id, ancestor_id, &anc, 0);
}

/* ---- lists and search ----------------------------------------------- */

Rc unit_children(Db *db, int64_t parent_id, Unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')"
			" FROM unit u LEFT JOIN unit p ON p.id = u.province_id WHERE u.parent_id = ?"
			" ORDER BY u.name_key, u.code",
			"l", parent_id);
	if (rc)
		return rc;
	return collect_units(st, out, n);
}

Rc unit_provinces(Db *db, int era, UnitStat **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char today[11];
	unit_today(today);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), u.name,"
			" (SELECT count(*) FROM unit c WHERE c.province_id = u.id AND c.level = 'district'),"
			" (SELECT count(*) FROM unit c WHERE c.province_id = u.id AND c.level = 'commune')"
			" FROM unit u WHERE u.level = 'province' AND (?1 = 0 AND u.valid_from <= ?2"
			" AND (u.valid_to IS NULL OR u.valid_to >= ?2) OR ?1 <> 0 AND u.era = ?1)"
			" ORDER BY u.code",
			"it", era, today);
	if (rc)
		return rc;
	UnitStat *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(v, len, cap);
		unit_from_row(st, &v[len].unit);
		v[len].districts = (long)db_col_int(st, 13);
		v[len].communes = (long)db_col_int(st, 14);
		len++;
	}
	db_done(st);
	if (s != DB_DONE) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

/* "%key%" for LIKE, with the LIKE metacharacters escaped by '\'. */
static char *like_pattern(const char *key)
{
	Buf b = BUF_INIT;
	buf_putc(&b, '%');
	for (const char *p = key; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	return buf_detach(&b, NULL);
}

static Rc search_key(Db *db, const char *key, int era, int limit, Unit **out, size_t *n)
{
	char *pat = like_pattern(key);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')"
			" FROM unit u LEFT JOIN unit p ON p.id = u.province_id"
			" WHERE u.name_key LIKE ?1 ESCAPE '\\' AND (?2 = 0 OR u.era = ?2)"
			" ORDER BY CASE u.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,"
			" CASE WHEN u.name_key = ?3 THEN 0 ELSE 1 END, u.name_key, u.era DESC, u.code"
			" LIMIT ?4",
			"titi", pat, era, key, limit);
	free(pat);
	if (rc)
		return rc;
	return collect_units(st, out, n);
}

/* Folded kind words a user may type before a name ("xa tan an"). */
static const char *const kind_words[] = {
	"thanh pho ", "tinh ", "quan ", "huyen ", "thi xa ", "thi tran ", "phuong ", "xa ", "dac khu ",
};

Rc unit_search(Db *db, const char *query, int era, int limit, Unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!query || strlen(query) > 200)
		return query ? RC_INVALID : RC_OK;
	if (limit < 1 || limit > 500)
		limit = 500;
	char *key = text_search_key(query);
	Rc rc = RC_OK;
	if (key[0])
		rc = search_key(db, key, era, limit, out, n);
	if (!rc && *n == 0 && key[0]) {
		for (size_t i = 0; i < ARRAY_LEN(kind_words); i++) {
			if (str_starts(key, kind_words[i]) && key[strlen(kind_words[i])]) {
				free(*out);
				rc = search_key(db, key + strlen(kind_words[i]), era, limit, out, n);
				break;
			}
		}
	}
	free(key);
	return rc;
}

Rc unit_counts(Db *db, UnitCounts *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT era, level, count(*) FROM unit GROUP BY era, level", "");
	if (rc)
		return rc;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		int era = (int)db_col_int(st, 0);
		const char *level = db_col_text(st, 1);
		long c = (long)db_col_int(st, 2);
		if (era == UNIT_ERA_OLD && str_eq(level, UNIT_PROVINCE))
			out->provinces_old = c;
		else if (era == UNIT_ERA_OLD && str_eq(level, UNIT_DISTRICT))
			out->districts_old = c;
		else if (era == UNIT_ERA_OLD && str_eq(level, UNIT_COMMUNE))
			out->communes_old = c;
		else if (era == UNIT_ERA_NEW && str_eq(level, UNIT_PROVINCE))
			out->provinces_new = c;
		else if (era == UNIT_ERA_NEW && str_eq(level, UNIT_COMMUNE))
			out->communes_new = c;
	}
	db_done(st);
	if (s != DB_DONE)
		return (Rc)-s;
	int64_t v = 0;
	if ((rc = db_get_int(db, &v, "SELECT count(*) FROM unit_successor", "")))
		return rc;
	out->links = (long)v;
	if ((rc = db_get_int(db, &v, "SELECT count(*) FROM region", "")))
		return rc;
	out->regions = (long)v;
	return RC_OK;
}

/* ---- CSV ------------------------------------------------------------ */

void unit_csv_init(UnitCsv *c, char *data, size_t len)
{
	memset(c, 0, sizeof *c);
	c->data = data;
	c->len = len;
	c->next_line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

int unit_csv_next(UnitCsv *c)
{
	char *s = c->data;
	size_t i = c->pos, len = c->len;
	c->nf = 0;
	if (i >= len)
		return 0;
	c->line = c->next_line;
	for (;;) {
		if (c->nf == UNIT_CSV_MAX_FIELDS)
			return -1;
		size_t start = i, w = i;
		if (i < len && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return -1; /* unclosed quote */
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						s[w++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\n')
					c->next_line++;
				s[w++] = s[i++];
			}
			if (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
				return -1; /* text after the closing quote */
		} else {
			while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
				if (s[i] == '"')
					return -1;
				i++;
			}
			w = i;
		}
		char term = i < len ? s[i] : '\n';
		if (term == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			term = '\n';
		}
		/* w <= i, and data[len] is the NUL, so this stays in bounds and
		 * only overwrites bytes already read. */
		s[w] = 0;
		c->f[c->nf++] = s + start;
		if (i < len)
			i++;
		if (term == '\n') {
			c->next_line++;
			break;
		}
		/* after a comma at the very end, the loop adds one empty field */
	}
	c->pos = i;
	return 1;
}

/* ---- import --------------------------------------------------------- */

typedef struct CsvFile {
	char *data;
	UnitCsv c;
	char *path;
	const char *hdr[UNIT_CSV_MAX_FIELDS];
	size_t nh;
	long total; /* rows, estimated from the line count */
} CsvFile;

typedef struct Import {
	Db *db;
	const char *dir;
	void (*progress)(const char *what, long done, long total);
	UnitImportStats st;
	Buf *err;
	/* ids by numeric code: codes are 2, 3 or 5 digits, so plain arrays
	 * beat any map here */
	int64_t old_prov[100], new_prov[100];
	int64_t old_dist[1000];
	int64_t *old_comm, *new_comm;      /* [100000] */
	unsigned char old_dist_prov[1000]; /* province code of each */
	unsigned char *old_comm_prov, *new_comm_prov;
	int prov_map[100];                 /* old province code → new, -1 */
} Import;

static Rc import_fail(Import *im, const CsvFile *f, Rc rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static Rc import_fail(Import *im, const CsvFile *f, Rc rc, const char *fmt, ...)
{
	if (im->err) {
		if (f)
			buf_printf(im->err, "%s:%ld: ", f->path, f->c.line);
		va_list ap;
		va_start(ap, fmt);
		buf_vprintf(im->err, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static Rc db_fail(Import *im, const CsvFile *f, Rc rc)
{
	return import_fail(im, f, rc, "database: %s", db_errmsg(im->db));
}

/* The numeric value of a code of exactly `len` digits, or -1. */
static long code_num(const char *code, size_t len)
{
	if (strlen(code) != len || !all_digits(code, len))
		return -1;
	long v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (code[i] - '0');
	return v;
}

static void csv_close(CsvFile *f)
{
	free(f->data);
	free(f->path);
	memset(f, 0, sizeof *f);
}

static Rc csv_open(Import *im, CsvFile *f, const char *rel)
{
	memset(f, 0, sizeof *f);
	Buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", im->dir, rel);
	f->path = buf_detach(&p, NULL);
	size_t len;
	Rc rc = util_read_file(f->path, (size_t)64 << 20, &f->data, &len);
	if (rc)
		return import_fail(im, NULL, rc, "%s: cannot read (%s)", f->path, rc_name(rc));
	for (size_t i = 0; i < len; i++)
		if (f->data[i] == '\n')
			f->total++;
	if (f->total > 0)
		f->total--; /* the header */
	unit_csv_init(&f->c, f->data, len);
	int r = unit_csv_next(&f->c);
	if (r != 1)
		return import_fail(im, f, RC_INVALID, "missing or malformed header row");
	f->nh = f->c.nf;
	for (size_t i = 0; i < f->nh; i++)
		f->hdr[i] = f->c.f[i];
	return RC_OK;
}

/* Index of a header column; reports an error and returns -1 if absent. */
static int csv_col(Import *im, CsvFile *f, const char *name)
{
	for (size_t i = 0; i < f->nh; i++)
		if (strcmp(f->hdr[i], name) == 0)
			return (int)i;
	import_fail(im, f, RC_INVALID, "missing column \"%s\"", name);
	return -1;
}

/* Next data row: 1, 0 at the end, -1 on error (reported).  Blank lines
 * are skipped; every row must have as many fields as the header. */
static int csv_row(Import *im, CsvFile *f)
{
	for (;;) {
		int r = unit_csv_next(&f->c);
		if (r == 0)
			return 0;
		if (r < 0) {
			import_fail(im, f, RC_INVALID, "malformed CSV");
			return -1;
		}
		if (f->c.nf == 1 && !f->c.f[0][0])
			continue;
		if (f->c.nf != f->nh) {
			import_fail(im, f, RC_INVALID, "%zu fields, the header has %zu", f->c.nf, f->nh);
			return -1;
		}
		return 1;
	}
}

static void tick(Import *im, const char *what, long done, long total)
{
	if (im->progress && (done % 1000 == 0 || done == total))
		im->progress(what, done, total);
}

/* A cleaned (valid UTF-8, NFC, trimmed) copy of a field, or NULL after
 * reporting an error. */
static char *field_text(Import *im, CsvFile *f, const char *s, const char *what, bool required)
{
	char *t = text_clean(s, strlen(s), false);
	if (!t) {
		import_fail(im, f, RC_INVALID, "%s is not valid UTF-8 text", what);
		return NULL;
	}
	text_trim(t);
	if (required && !t[0]) {
		free(t);
		import_fail(im, f, RC_INVALID, "%s is empty", what);
		return NULL;
	}
	return t;
}

/* Upper-case an ASCII first letter ("xã Bắc Sơn" in the 2026 data). */
static void cap_first(char *s)
{
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
}

/* The kind is what full_name has before name: "Phường Phúc Xá" /
 * "Phúc Xá" → "Phường".  Empty when full_name does not end with name. */
static char *kind_of(const char *name, const char *full)
{
	size_t nn = strlen(name), nf = strlen(full);
	if (nf <= nn || strcmp(full + nf - nn, name) != 0)
		return xstrdup("");
	char *k = xstrndup(full, nf - nn);
	text_trim(k);
	cap_first(k);
	return k;
}

typedef struct NewUnit {
	const char *level, *code;
	int era;
	int64_t parent_id, province_id; /* 0 = NULL (set to itself later) */
	const char *name, *full_name, *name_en, *kind;
} NewUnit;

/* Insert a unit unless (level, code, valid_from) exists; *id either way. */
static Rc put_unit(Import *im, CsvFile *f, const NewUnit *u, int64_t *id)
{
	const char *from = u->era == UNIT_ERA_OLD ? UNIT_OLD_FROM : UNIT_NEW_FROM;
	const char *to = u->era == UNIT_ERA_OLD ? UNIT_OLD_TO : NULL;
	char *key = text_search_key(u->name);
	Rc rc = db_run(im->db,
		       "INSERT INTO unit (code, level, era, parent_id, province_id, name, full_name,"
		       " name_en, kind, name_key, valid_from, valid_to)"
		       " VALUES (?, ?, ?, nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, ?, ?, ?)"
		       " ON CONFLICT (level, code, valid_from) DO NOTHING",
		       "ttillttttttt", u->code, u->level, u->era, u->parent_id, u->province_id,
		       u->name, u->full_name, u->name_en, u->kind, key, from, to);
	free(key);
	if (rc)
		return db_fail(im, f, rc);
	if (db_changes(im->db) > 0) {
		*id = db_last_id(im->db);
		im->st.units_added++;
	} else {
		rc = db_get_int(im->db, id,
				"SELECT id FROM unit WHERE level = ? AND code = ? AND valid_from = ?",
				"ttt", u->level, u->code, from);
		if (rc)
			return db_fail(im, f, rc);
	}
	if (str_eq(u->level, UNIT_PROVINCE)) {
		rc = db_run(im->db, "UPDATE unit SET province_id = id WHERE id = ? AND province_id IS NULL",
			    "l", *id);
		if (rc)
			return db_fail(im, f, rc);
	}
	return RC_OK;
}

static Rc put_link(Import *im, CsvFile *f, int64_t old_id, int64_t new_id, bool partial)
{
	Rc rc = db_run(im->db,
		       "INSERT INTO unit_successor (old_id, new_id, partial) VALUES (?, ?, ?)"
		       " ON CONFLICT (old_id, new_id) DO NOTHING",
		       "lli", old_id, new_id, partial ? 1 : 0);
	if (rc)
		return db_fail(im, f, rc);
	im->st.links_added += (long)db_changes(im->db);
	return RC_OK;
}

/*
 * provinces.csv (either era): code, name, name_en, full_name.
 */
static Rc import_provinces(Import *im, const char *rel, int era, const char *what)
{
	CsvFile f;
	Rc rc = csv_open(im, &f, rel);
	int cc = -1, cn = -1, ce = -1, cf = -1;
	if (!rc && ((cc = csv_col(im, &f, "code")) < 0 || (cn = csv_col(im, &f, "name")) < 0 ||
		    (ce = csv_col(im, &f, "name_en")) < 0 || (cf = csv_col(im, &f, "full_name")) < 0))
		rc = RC_INVALID;
	int64_t *ids = era == UNIT_ERA_OLD ? im->old_prov : im->new_prov;
	long done = 0;
	int r = 0;
	while (!rc && (r = csv_row(im, &f)) == 1) {
		long code = code_num(f.c.f[cc], 2);
		if (code < 0) {
			rc = import_fail(im, &f, RC_INVALID, "bad province code \"%s\"", f.c.f[cc]);
			break;
		}
		char *name = field_text(im, &f, f.c.f[cn], "name", true);
		char *name_en = name ? field_text(im, &f, f.c.f[ce], "name_en", false) : NULL;
		char *full = name_en ? field_text(im, &f, f.c.f[cf], "full_name", true) : NULL;
		if (!full) {
			rc = RC_INVALID;
		} else {
			cap_first(full);
			char *kind = kind_of(name, full);
			NewUnit u = {UNIT_PROVINCE, f.c.f[cc], era, 0, 0, name, full, name_en, kind};
			rc = put_unit(im, &f, &u, &ids[code]);
			free(kind);
		}
		free(name);
		free(name_en);
		free(full);
		tick(im, what, ++done, f.total);
	}
	if (!rc && r < 0)
		rc = RC_INVALID;
	csv_close(&f);
	return rc;
}

static Rc import_districts(Import *im)
{
	static const char what[] = "before-2025 districts";
	CsvFile f;
	Rc rc = csv_open(im, &f, "before-2025/districts.csv");
	int cc = -1, cn = -1, ce = -1, cf = -1, cp = -1;
	if (!rc && ((cc = csv_col(im, &f, "code")) < 0 || (cn = csv_col(im, &f, "name")) < 0 ||
		    (ce = csv_col(im, &f, "name_en")) < 0 || (cf = csv_col(im, &f, "full_name")) < 0 ||
		    (cp = csv_col(im, &f, "province_code")) < 0))
		rc = RC_INVALID;
	long done = 0;
	int r = 0;
	while (!rc && (r = csv_row(im, &f)) == 1) {
		long code = code_num(f.c.f[cc], 3), prov = code_num(f.c.f[cp], 2);
		if (code < 0 || prov < 0 || !im->old_prov[prov]) {
			rc = import_fail(im, &f, RC_INVALID, "bad district \"%s\" or province \"%s\"",
					 f.c.f[cc], f.c.f[cp]);
			break;
		}
		char *name = field_text(im, &f, f.c.f[cn], "name", true);
		char *name_en = name ? field_text(im, &f, f.c.f[ce], "name_en", false) : NULL;
		char *full = name_en ? field_text(im, &f, f.c.f[cf], "full_name", true) : NULL;
		if (!full) {
			rc = RC_INVALID;
		} else {
			cap_first(full);
			char *kind = kind_of(name, full);
			NewUnit u = {UNIT_DISTRICT, f.c.f[cc], UNIT_ERA_OLD, im->old_prov[prov],
				     im->old_prov[prov], name, full, name_en, kind};
			rc = put_unit(im, &f, &u, &im->old_dist[code]);
			im->old_dist_prov[code] = (unsigned char)prov;
			free(kind);
		}
		free(name);
		free(name_en);
		free(full);
		tick(im, what, ++done, f.total);
	}
	if (!rc && r < 0)
		rc = RC_INVALID;
	csv_close(&f);
	return rc;
}

/*
 * wards.csv: before 2025 the parent is district_code (whose province must
 * match province_code); after 2025 it is province_code.
 */
static Rc import_communes(Import *im, const char *rel, int era, const char *what)
{
	CsvFile f;
	Rc rc = csv_open(im, &f, rel);
	int cc = -1, cn = -1, ce = -1, cf = -1, cp = -1, cd = -1;
	if (!rc && ((cc = csv_col(im, &f, "code")) < 0 || (cn = csv_col(im, &f, "name")) < 0 ||
		    (ce = csv_col(im, &f, "name_en")) < 0 || (cf = csv_col(im, &f, "full_name")) < 0 ||
		    (cp = csv_col(im, &f, "province_code")) < 0 ||
		    (era == UNIT_ERA_OLD && (cd = csv_col(im, &f, "district_code")) < 0)))
		rc = RC_INVALID;
	long done = 0;
	int r = 0;
	while (!rc && (r = csv_row(im, &f)) == 1) {
		long code = code_num(f.c.f[cc], 5), prov = code_num(f.c.f[cp], 2);
		long dist = era == UNIT_ERA_OLD ? code_num(f.c.f[cd], 3) : -1;
		int64_t parent, province;
		if (era == UNIT_ERA_OLD) {
			if (code < 0 || prov < 0 || dist < 0 || !im->old_dist[dist] ||
			    im->old_dist_prov[dist] != prov) {
				rc = import_fail(im, &f, RC_INVALID, "bad commune \"%s\", district \"%s\""
						 " or province \"%s\"", f.c.f[cc], f.c.f[cd], f.c.f[cp]);
				break;
			}
			parent = im->old_dist[dist];
			province = im->old_prov[prov];
		} else {
			if (code < 0 || prov < 0 || !im->new_prov[prov]) {
				rc = import_fail(im, &f, RC_INVALID, "bad commune \"%s\" or province \"%s\"",
						 f.c.f[cc], f.c.f[cp]);
				break;
			}
			parent = province = im->new_prov[prov];
		}
		char *name = field_text(im, &f, f.c.f[cn], "name", true);
		char *name_en = name ? field_text(im, &f, f.c.f[ce], "name_en", false) : NULL;
		char *full = name_en ? field_text(im, &f, f.c.f[cf], "full_name", true) : NULL;
		if (!full) {
			rc = RC_INVALID;
		} else {
			cap_first(full);
			char *kind = kind_of(name, full);
			NewUnit u = {UNIT_COMMUNE, f.c.f[cc], era, parent, province, name, full, name_en, kind};
			if (era == UNIT_ERA_OLD) {
				rc = put_unit(im, &f, &u, &im->old_comm[code]);
				im->old_comm_prov[code] = (unsigned char)prov;
			} else {
				rc = put_unit(im, &f, &u, &im->new_comm[code]);
				im->new_comm_prov[code] = (unsigned char)prov;
			}
			free(kind);
		}
		free(name);
		free(name_en);
		free(full);
		tick(im, what, ++done, f.total);
	}
	if (!rc && r < 0)
		rc = RC_INVALID;
	csv_close(&f);
	return rc;
}

static Rc import_province_mapping(Import *im)
{
	static const char what[] = "province mapping";
	CsvFile f;
	Rc rc = csv_open(im, &f, "mapping-2025/province_mapping_old_to_new.csv");
	int co = -1, cn = -1;
	if (!rc && ((co = csv_col(im, &f, "old_province_code")) < 0 ||
		    (cn = csv_col(im, &f, "new_province_code")) < 0))
		rc = RC_INVALID;
	long done = 0;
	int r = 0;
	while (!rc && (r = csv_row(im, &f)) == 1) {
		long o = code_num(f.c.f[co], 2), n = code_num(f.c.f[cn], 2);
		if (o < 0 || n < 0 || !im->old_prov[o] || !im->new_prov[n]) {
			rc = import_fail(im, &f, RC_INVALID, "unknown province \"%s\" or \"%s\"",
					 f.c.f[co], f.c.f[cn]);
			break;
		}
		im->prov_map[o] = (int)n;
		rc = put_link(im, &f, im->old_prov[o], im->new_prov[n], false);
		tick(im, what, ++done, f.total);
	}
	if (!rc && r < 0)
		rc = RC_INVALID;
	csv_close(&f);
	return rc;
}

/* New commune codes of the mapping that differ from the after-2025 tables
 * (data README caveat 3: the mapping follows GSO letter 1027/CTK-CSCL, the
 * tables the GSO API).  Applied only when the code is not a known one. */
static const struct {
	const char *from, *to;
} new_code_fixes[] = {
	{"06970", "06978"}, /* Đặc khu/Xã Ba Chẽ, Quảng Ninh */
	{"23737", "23938"}, /* Xã Ia Mơ, Gia Lai */
};

/* Kind words that start the old_name of the mapping ("Xã Tân An"). */
static const char *const commune_kinds[] = {"Thị trấn ", "Phường ", "Xã ", "Đặc khu "};

/* An old commune known only from the mapping (caveat 2): its district is
 * unknown, so its parent is the old province. */
static Rc create_missing_commune(Import *im, CsvFile *f, const char *code, long prov,
				 const char *old_name, int64_t *id)
{
	char *full = field_text(im, f, old_name, "old_name", true);
	if (!full)
		return RC_INVALID;
	cap_first(full);
	const char *name = full, *kind = "";
	char kbuf[32] = "";
	for (size_t i = 0; i < ARRAY_LEN(commune_kinds); i++) {
		size_t kl = strlen(commune_kinds[i]);
		if (strncmp(full, commune_kinds[i], kl) == 0 && full[kl]) {
			name = full + kl;
			copy_str(kbuf, sizeof kbuf, commune_kinds[i]);
			text_trim(kbuf);
			kind = kbuf;
			break;
		}
	}
	NewUnit u = {UNIT_COMMUNE, code, UNIT_ERA_OLD, im->old_prov[prov], im->old_prov[prov],
		     name, full, "", kind};
	Rc rc = put_unit(im, f, &u, id);
	free(full);
	im->st.communes_created++;
	return rc;
}

/*
 * ward_mapping_old_to_new.csv: one row per (old unit, new commune) with
 * merge_type full/partial.  old_level is "commune", or "district" for the
 * island districts that had no communes.
 */
static Rc import_ward_mapping(Import *im)
{
	static const char what[] = "commune mapping";
	CsvFile f;
	Rc rc = csv_open(im, &f, "mapping-2025/ward_mapping_old_to_new.csv");
	int cop = -1, coc = -1, col = -1, con = -1, cnp = -1, cnc = -1, cmt = -1;
	if (!rc && ((cop = csv_col(im, &f, "old_province_code")) < 0 ||
		    (coc = csv_col(im, &f, "old_code")) < 0 || (col = csv_col(im, &f, "old_level")) < 0 ||
		    (con = csv_col(im, &f, "old_name")) < 0 ||
		    (cnp = csv_col(im, &f, "new_province_code")) < 0 ||
		    (cnc = csv_col(im, &f, "new_code")) < 0 || (cmt = csv_col(im, &f, "merge_type")) < 0))
		rc = RC_INVALID;
	long done = 0;
	int r = 0;
	while (!rc && (r = csv_row(im, &f)) == 1) {
		char **v = f.c.f;
		long op = code_num(v[cop], 2), np = code_num(v[cnp], 2);
		long nc = code_num(v[cnc], 5);
		if (op < 0 || np < 0 || nc < 0 || !im->old_prov[op] || !im->new_prov[np]) {
			rc = import_fail(im, &f, RC_INVALID, "bad province or new commune code");
			break;
		}
		if (!im->new_comm[nc]) {
			for (size_t i = 0; i < ARRAY_LEN(new_code_fixes); i++)
				if (strcmp(v[cnc], new_code_fixes[i].from) == 0) {
					nc = code_num(new_code_fixes[i].to, 5);
					im->st.rows_remapped++;
					break;
				}
		}
		if (!im->new_comm[nc] || im->new_comm_prov[nc] != np) {
			rc = import_fail(im, &f, RC_INVALID, "new commune \"%s\" is not in province %s",
					 v[cnc], v[cnp]);
			break;
		}
		bool partial;
		if (strcmp(v[cmt], "full") == 0)
			partial = false;
		else if (strcmp(v[cmt], "partial") == 0)
			partial = true;
		else {
			rc = import_fail(im, &f, RC_INVALID, "merge_type \"%s\"", v[cmt]);
			break;
		}
		int64_t old_id = 0;
		if (strcmp(v[col], "commune") == 0) {
			long oc = code_num(v[coc], 5);
			if (oc < 0) {
				rc = import_fail(im, &f, RC_INVALID, "bad old commune \"%s\"", v[coc]);
				break;
			}
			if (!im->old_comm[oc]) {
				rc = create_missing_commune(im, &f, v[coc], op, v[con], &im->old_comm[oc]);
				im->old_comm_prov[oc] = (unsigned char)op;
			} else if (im->old_comm_prov[oc] != op) {
				rc = import_fail(im, &f, RC_INVALID, "old commune \"%s\" is not in province %s",
						 v[coc], v[cop]);
			}
			old_id = im->old_comm[oc];
		} else if (strcmp(v[col], "district") == 0) {
			long od = code_num(v[coc], 3);
			if (od < 0 || !im->old_dist[od] || im->old_dist_prov[od] != op) {
				rc = import_fail(im, &f, RC_INVALID, "unknown old district \"%s\"", v[coc]);
				break;
			}
			old_id = im->old_dist[od];
		} else {
			rc = import_fail(im, &f, RC_INVALID, "old_level \"%s\"", v[col]);
		}
		if (rc)
			break;
		/* A commune that lands outside the new province its old province
		 * became (one row: 30622 An Giang → 30259 Đồng Tháp) is kept as
		 * the data says and counted. */
		if (im->prov_map[op] != np)
			im->st.cross_province++;
		rc = put_link(im, &f, old_id, im->new_comm[nc], partial);
		tick(im, what, ++done, f.total);
	}
	if (!rc && r < 0)
		rc = RC_INVALID;
	csv_close(&f);
	return rc;
}

/*
 * An old district went to the new communes its old communes went to.
 * partial has its usual meaning (only part of the district went there):
 * set whenever the district has more than one successor, which is every
 * district but the nine that became a single commune or special zone.
 * Island districts without communes were linked from the mapping.
 */
static Rc import_district_links(Import *im)
{
	Rc rc = db_run(im->db,
		       "WITH ds AS (SELECT DISTINCT c.parent_id AS did, s.new_id AS nid"
		       " FROM unit c JOIN unit d ON d.id = c.parent_id"
		       " JOIN unit_successor s ON s.old_id = c.id"
		       " WHERE c.level = 'commune' AND d.level = 'district' AND d.era = ?)"
		       " INSERT INTO unit_successor (old_id, new_id, partial)"
		       " SELECT did, nid, CASE WHEN count(*) OVER (PARTITION BY did) > 1 THEN 1 ELSE 0 END"
		       " FROM ds WHERE true ON CONFLICT (old_id, new_id) DO NOTHING",
		       "i", UNIT_ERA_OLD);
	if (rc)
		return db_fail(im, NULL, rc);
	im->st.links_added += (long)db_changes(im->db);
	return RC_OK;
}

/* The 11-province socio-economic Red River Delta of before 2025 (shared
 * domain.md §4; not upstream's 10-province geographic region). */
static const char *const dbsh11[] = {"01", "31", "22", "26", "27", "30", "33", "34", "35", "36", "37"};

static Rc import_regions(Import *im)
{
	Rc rc = db_run(im->db,
		       "INSERT INTO region (code, name, name_en, builtin) VALUES (?, ?, ?, 1)"
		       " ON CONFLICT (code) DO NOTHING",
		       "ttt", REGION_DBSH11, "Đồng bằng sông Hồng (11 tỉnh, trước 2025)",
		       "Red River Delta (11 provinces, before 2025)");
	int64_t rid = 0;
	if (!rc)
		rc = db_get_int(im->db, &rid, "SELECT id FROM region WHERE code = ?", "t", REGION_DBSH11);
	for (size_t i = 0; !rc && i < ARRAY_LEN(dbsh11); i++) {
		long p = code_num(dbsh11[i], 2);
		if (!im->old_prov[p])
			return import_fail(im, NULL, RC_INVALID, "region %s: no old province %s",
					   REGION_DBSH11, dbsh11[i]);
		rc = db_run(im->db,
			    "INSERT INTO region_member (region_id, unit_id) VALUES (?, ?)"
			    " ON CONFLICT (region_id, unit_id) DO NOTHING",
			    "ll", rid, im->old_prov[p]);
	}
	return rc ? db_fail(im, NULL, rc) : RC_OK;
}

Rc unit_import_ex(Db *db, const char *dir,
		  void (*progress)(const char *what, long done, long total),
		  UnitImportStats *stats, Buf *err)
{
	Import *im = xcalloc(1, sizeof *im);
	im->db = db;
	im->dir = dir && *dir ? dir : ".";
	im->progress = progress;
	im->err = err;
	im->old_comm = xcalloc(100000, sizeof *im->old_comm);
	im->new_comm = xcalloc(100000, sizeof *im->new_comm);
	im->old_comm_prov = xcalloc(100000, 1);
	im->new_comm_prov = xcalloc(100000, 1);
	for (size_t i = 0; i < ARRAY_LEN(im->prov_map); i++)
		im->prov_map[i] = -1;

	/* Inside a caller's transaction (demo data, tests) we join it and the
	 * caller decides; otherwise the whole import is one transaction. */
	bool own = !db_in_tx(db);
	Rc rc = own ? db_begin_write(db) : RC_OK;
	if (rc)
		db_fail(im, NULL, rc);
	if (!rc)
		rc = import_provinces(im, "before-2025/provinces.csv", UNIT_ERA_OLD, "before-2025 provinces");
	if (!rc)
		rc = import_districts(im);
	if (!rc)
		rc = import_communes(im, "before-2025/wards.csv", UNIT_ERA_OLD, "before-2025 communes");
	if (!rc)
		rc = import_provinces(im, "after-2025/provinces.csv", UNIT_ERA_NEW, "after-2025 provinces");
	if (!rc)
		rc = import_communes(im, "after-2025/wards.csv", UNIT_ERA_NEW, "after-2025 communes");
	if (!rc)
		rc = import_province_mapping(im);
	if (!rc)
		rc = import_ward_mapping(im);
	if (!rc)
		rc = import_district_links(im);
	if (!rc)
		rc = import_regions(im);
	if (own) {
		if (!rc && (rc = db_commit(db)))
			db_fail(im, NULL, rc);
		if (rc)
			db_rollback(db);
	}
	if (stats)
		*stats = im->st;
	free(im->old_comm);
	free(im->new_comm);
	free(im->old_comm_prov);
	free(im->new_comm_prov);
	free(im);
	return rc;
}

Rc unit_import(Db *db, const char *dir,
	       void (*progress)(const char *what, long done, long total))
{
	return unit_import_ex(db, dir, progress, NULL, NULL);
}

/* ---- regions -------------------------------------------------------- */

static void region_from_row(DbStmt *st, Region *g)
{
	memset(g, 0, sizeof *g);
	g->id = db_col_int(st, 0);
	copy_str(g->code, sizeof g->code, db_col_text(st, 1));
	copy_str(g->name, sizeof g->name, db_col_text(st, 2));
	copy_str(g->name_en, sizeof g->name_en, db_col_text(st, 3));
	g->builtin = db_col_int(st, 4) != 0;
	g->members = (long)db_col_int(st, 5);
}

Rc region_load(Db *db, const char *code, Region *out)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT g.id, g.code, g.name, g.name_en, g.builtin,"
			" (SELECT count(*) FROM region_member m WHERE m.region_id = g.id)"
			" FROM region g WHERE g.code = ?",
			"t", code);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW)
		region_from_row(st, out);
	db_done(st);
	if (s == DB_ROW)
		return RC_OK;
	return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc region_list(Db *db, Region **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT g.id, g.code, g.name, g.name_en, g.builtin,"
			" (SELECT count(*) FROM region_member m WHERE m.region_id = g.id)"
			" FROM region g ORDER BY g.builtin DESC, g.code",
			"");
	if (rc)
		return rc;
	Region *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(v, len, cap);
		region_from_row(st, &v[len++]);
	}
	db_done(st);
	if (s != DB_DONE) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

Rc region_members(Db *db, int64_t region_id, Unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.code, u.level, u.era, coalesce(u.parent_id, 0),"
			" coalesce(u.province_id, 0), u.name, u.full_name, u.name_en, u.kind,"
			" u.valid_from, coalesce(u.valid_to, ''), coalesce(p.name, '')"
			" FROM region_member m JOIN unit u ON u.id = m.unit_id"
			" LEFT JOIN unit p ON p.id = u.province_id WHERE m.region_id = ?"
			" ORDER BY u.era DESC, u.code",
			"l", region_id);
	if (rc)
		return rc;
	return collect_units(st, out, n);
}

static bool region_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 1 || n > 60)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

Rc region_create(Db *db, const char *code, const char *name, const char *name_en, int64_t *id)
{
	if (!region_code_valid(code) || !name || !text_utf8_valid(name, strlen(name)))
		return RC_INVALID;
	size_t len = text_length(name);
	if (len < 1 || len > 200)
		return RC_INVALID;
	if (!name_en)
		name_en = "";
	if (!text_utf8_valid(name_en, strlen(name_en)) || text_length(name_en) > 200)
		return RC_INVALID;
	int64_t tmp;
	Rc rc = db_get_int(db, &tmp, "SELECT id FROM region WHERE code = ?", "t", code);
	if (rc == RC_OK)
		return RC_CONFLICT;
	if (rc != RC_NOT_FOUND)
		return rc;
	rc = db_run(db, "INSERT INTO region (code, name, name_en, builtin) VALUES (?, ?, ?, 0)",
		    "ttt", code, name, name_en);
	if (rc)
		return rc;
	if (id)
		*id = db_last_id(db);
	return RC_OK;
}

/* Common checks of add/remove: the region exists and is not built in,
 * the unit exists and is a province. */
static Rc region_member_check(Db *db, int64_t region_id, int64_t unit_id)
{
	int64_t builtin;
	Rc rc = db_get_int(db, &builtin, "SELECT builtin FROM region WHERE id = ?", "l", region_id);
	if (rc)
		return rc;
	if (builtin)
		return RC_FORBIDDEN;
	char *level = NULL;
	rc = db_get_text(db, &level, "SELECT level FROM unit WHERE id = ?", "l", unit_id);
	if (rc)
		return rc;
	bool ok = str_eq(level, UNIT_PROVINCE);
	free(level);
	return ok ? RC_OK : RC_INVALID;
}

Rc region_add_member(Db *db, int64_t region_id, int64_t unit_id)
{
	Rc rc = region_member_check(db, region_id, unit_id);
	if (rc)
		return rc;
	return db_run(db,
		      "INSERT INTO region_member (region_id, unit_id) VALUES (?, ?)"
		      " ON CONFLICT (region_id, unit_id) DO NOTHING",
		      "ll", region_id, unit_id);
}

Rc region_remove_member(Db *db, int64_t region_id, int64_t unit_id)
{
	Rc rc = region_member_check(db, region_id, unit_id);
	if (rc)
		return rc;
	return db_run(db, "DELETE FROM region_member WHERE region_id = ? AND unit_id = ?", "ll",
		      region_id, unit_id);
}

/*
 * Descendants: every unit whose province is a member (the province, its
 * districts and communes), then everything reachable through successor
 * links.  The in-force communes among them, grouped by their province.
 */
Rc region_resolve(Db *db, const char *code, RegionShare **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	Region g;
	Rc rc = region_load(db, code, &g);
	if (rc)
		return rc;
	char today[11];
	unit_today(today);
	DbStmt *st;
	rc = db_prep(db, &st,
		     "WITH RECURSIVE d(id) AS ("
		     " SELECT u.id FROM unit u JOIN region_member m ON m.unit_id = u.province_id"
		     " WHERE m.region_id = ?1"
		     " UNION SELECT s.new_id FROM unit_successor s JOIN d ON s.old_id = d.id)"
		     " SELECT pv.id, pv.code, pv.level, pv.era, coalesce(pv.parent_id, 0),"
		     " coalesce(pv.province_id, 0), pv.name, pv.full_name, pv.name_en, pv.kind,"
		     " pv.valid_from, coalesce(pv.valid_to, ''), pv.name, count(DISTINCT c.id),"
		     " (SELECT count(*) FROM unit t WHERE t.province_id = pv.id AND t.level = 'commune')"
		     " FROM d JOIN unit c ON c.id = d.id JOIN unit pv ON pv.id = c.province_id"
		     " WHERE c.level = 'commune' AND c.valid_from <= ?2"
		     " AND (c.valid_to IS NULL OR c.valid_to >= ?2)"
		     " GROUP BY pv.id ORDER BY pv.code",
		     "lt", g.id, today);
	if (rc)
		return rc;
	RegionShare *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(v, len, cap);
		unit_from_row(st, &v[len].province);
		v[len].communes_from_region = (long)db_col_int(st, 13);
		v[len].communes_total = (long)db_col_int(st, 14);
		len++;
	}
	db_done(st);
	if (s != DB_DONE) {
		free(v);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}
