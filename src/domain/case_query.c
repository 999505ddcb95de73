/*
 * case_query.c — work queues, filters and full-text search over cases
 * (case_list), newest first with keyset pagination.
 *
 * Every filter is a bound parameter that is either "any" (NULL or 0) or
 * a value, so the SQL stays a literal (codecheck) and nothing is spliced.
 * The area scope is not a filter: it always applies — scope unit 0 sees
 * everything; otherwise the case's unit is the scope unit, one of its
 * children or in its province, or the user's organisation receives,
 * answers for or monitors the case.  The statement comes in a few shapes
 * (list_sql below) that differ only in which index drives them.
 *
 * Search: the query is folded with text_search_key exactly as the
 * documents were (NFD, marks dropped, đ → d, lower case); its words must
 * all be found, the last one also as a prefix ("dang bo"* ), so "dang"
 * finds "Đảng", "hoa" finds "hoà" and "hòa", and NFD input finds NFC
 * text.  Results come newest registered first (by id), straight from the
 * search index.
 *
 * Pagination: rows come ordered by (received_on DESC, id DESC) — by id
 * alone for a search; the next page asks for rows strictly after the
 * last one's (received_on, id), so every row appears exactly once however
 * many are added meanwhile.
 */
#include "case_priv.h"
#include "deadline.h"
#include "../base/text.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200
#define QUERY_MAX_CHARS 200
#define QUERY_MAX_TERMS 16

void case_list_release(CaseList *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		free(l->rows[i].title);
		free(l->rows[i].field_name);
		free(l->rows[i].unit_name);
		free(l->rows[i].org_name);
	}
	free(l->rows);
	memset(l, 0, sizeof *l);
}

/* The FTS5 expression for a user's query: every folded word as a quoted
 * term, implicitly ANDed; the last word also matches as a prefix (the
 * word being typed: "zet" finds "Zeta") when it has two characters or
 * more — case_fts keeps 2- and 3-character prefix indexes, so such a
 * prefix is one index term.  The folded key has only letters, digits
 * and single spaces, so quoting cannot be broken out of.  NULL when
 * nothing searchable is left (the filter is then not applied). */
static char *fts_query(const char *q)
{
	char *key = text_search_key(q);
	Buf b = BUF_INIT;
	int terms = 0;
	for (char *p = key; *p && terms < QUERY_MAX_TERMS;) {
		char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool last = !e || !e[1] || terms + 1 == QUERY_MAX_TERMS;
		buf_printf(&b, "%s\"%.*s\"%s", terms ? " " : "", (int)n, p, last && n >= 2 ? "*" : "");
		terms++;
		p += n;
		while (*p == ' ')
			p++;
	}
	free(key);
	if (!terms) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static bool iso_or_empty(const char *s)
{
	Date d;
	return !s || !*s || date_parse_iso(s, &d);
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static Rc check_filter(const CaseFilter *f)
{
	if (f->kind < -1 || f->kind >= KIND_COUNT)
		return RC_INVALID;
	if ((unsigned)f->queue > QUEUE_OVERDUE)
		return RC_INVALID;
	if (or_null(f->status) && !case_status_valid(f->status))
		return RC_INVALID;
	if (or_null(f->channel) && !case_channel_valid(f->channel))
		return RC_INVALID;
	if (!iso_or_empty(f->from) || !iso_or_empty(f->to) || !iso_or_empty(f->after_date))
		return RC_INVALID;
	if (f->q && text_length(f->q) > QUERY_MAX_CHARS)
		return RC_INVALID;
	if (f->limit < 0)
		return RC_INVALID;
	return RC_OK;
}

static void row_fill(DbStmt *st, CaseRow *r, const char *today, const char *soon)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	/* Fixed-list values and ISO dates: they fit these buffers. */
	snprintf(r->code, sizeof r->code, "%s", db_col_text(st, 1));
	if (!case_kind_parse(db_col_text(st, 2), &r->kind))
		r->kind = KIND_PETITION;
	snprintf(r->status, sizeof r->status, "%s", db_col_text(st, 3));
	snprintf(r->channel, sizeof r->channel, "%s", db_col_text(st, 4));
	snprintf(r->received_on, sizeof r->received_on, "%s", db_col_text(st, 5));
	r->title = xstrdup(db_col_text(st, 6));
	r->field_name = xstrdup(db_col_text(st, 7));
	r->unit_name = xstrdup(db_col_text(st, 8));
	r->org_name = xstrdup(db_col_text(st, 9));
	snprintf(r->next_due, sizeof r->next_due, "%s", db_col_text(st, 10));
	r->repeat = db_col_int(st, 11) != 0;
	r->group = db_col_int(st, 12) >= CASE_GROUP_MIN;
	/* ISO dates compare as strings. */
	r->overdue = *r->next_due && strcmp(r->next_due, today) < 0;
	r->due_soon = *r->next_due && !r->overdue && strcmp(r->next_due, soon) <= 0;
}

/*
 * The list's SQL comes in shapes that give the same rows in the same
 * order and differ in what drives them, so that SQLite walks an index
 * instead of a million rows (EXPLAIN QUERY PLAN of each at a million
 * cases: docs/internals/cases.md).  Every shape applies every filter row
 * by row (CL_WHERE); the driver only decides where the rows come from.
 *
 * Parameters, the same for every shape (each mentions ?20, the highest,
 * so one binding fits all):
 *   ?1 scope unit (0 = the country)   ?2 the reader's organisation
 *   ?3 queue  ?4 the reader  ?5 today  ?6 the last "due soon" day
 *   ?7 kind  ?8 field code  ?9 area unit  ?10 status  ?11 channel
 *   ?12 responsible organisation  ?13 from  ?14 to  ?15 FTS query
 *   ?16 ?17 the last row shown (received_on, id)
 *   ?18 the narrow unit driving SHAPE_AREA  ?19 1 = with the cases of the
 *   reader's organisation (scope) or 0 (an area filter)  ?20 the limit
 */
#define CL_SELECT \
	"SELECT c.id, c.code, c.kind, c.status, c.channel, c.received_on, c.title," \
	" coalesce(fl.name, ''), coalesce(u.full_name, '')," \
	" coalesce((SELECT name FROM org_name WHERE org_id = c.responsible_org_id" \
	"   ORDER BY valid_from DESC LIMIT 1), '')," \
	" coalesce((SELECT min(due_on) FROM case_deadline d" \
	"   WHERE d.case_id = c.id AND d.state = 'open'), '')," \
	" EXISTS (SELECT 1 FROM case_link l WHERE l.case_id = c.id AND l.kind = 'repeat')," \
	" c.people_count"
#define CL_JOINS " LEFT JOIN field fl ON fl.id = c.field_id LEFT JOIN unit u ON u.id = c.unit_id"
#define CL_WHERE \
	" WHERE (?1 = 0 OR u.id = ?1 OR u.parent_id = ?1 OR u.province_id = ?1" \
	"   OR c.responsible_org_id = ?2 OR c.receiving_org_id = ?2" \
	"   OR EXISTS (SELECT 1 FROM case_monitor m WHERE m.case_id = c.id AND m.org_id = ?2))" \
	" AND (?3 = 0" \
	"   OR (?3 = 1 AND c.assignee_id = ?4)" \
	"   OR (?3 = 2 AND (c.responsible_org_id = ?2 OR c.receiving_org_id = ?2))" \
	"   OR (?3 = 3 AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id" \
	"     AND d.state = 'open' AND d.due_on >= ?5 AND d.due_on <= ?6))" \
	"   OR (?3 = 4 AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id" \
	"     AND d.state = 'open' AND d.due_on < ?5)))" \
	" AND (?7 IS NULL OR c.kind = ?7)" \
	" AND (?8 IS NULL OR c.field_id IN (SELECT id FROM field WHERE code = ?8" \
	"   OR parent_id = (SELECT id FROM field WHERE code = ?8)))" \
	" AND (?9 = 0 OR u.id = ?9 OR u.parent_id = ?9 OR u.province_id = ?9)" \
	" AND (?10 IS NULL OR c.status = ?10)" \
	" AND (?11 IS NULL OR c.channel = ?11)" \
	" AND (?12 = 0 OR c.responsible_org_id = ?12)" \
	" AND (?13 IS NULL OR c.received_on >= ?13)" \
	" AND (?14 IS NULL OR c.received_on <= ?14)"
#define CL_AFTER_DATE " AND (?16 IS NULL OR c.received_on < ?16 OR (c.received_on = ?16 AND c.id < ?17))"
#define CL_NEWEST " ORDER BY c.received_on DESC, c.id DESC LIMIT ?20"
/* "+": not the date index; the candidates are few, sorting them is cheaper */
#define CL_NEWEST_SORTED " ORDER BY +c.received_on DESC, c.id DESC LIMIT ?20"

typedef enum ListShape {
	SHAPE_BY_DATE, /* walk the date index: a province's or the country's cases */
	SHAPE_AREA,    /* a commune's cases (and its organisation's), then sorted */
	SHAPE_MINE,    /* the reader's assigned cases, by the (assignee, date) index */
	SHAPE_ORG,     /* the organisation's cases, then sorted */
	SHAPE_SEARCH,  /* the search index, newest registered first */
} ListShape;

static const char *const list_sql[] = {
	[SHAPE_BY_DATE] = CL_SELECT " FROM cases c" CL_JOINS CL_WHERE CL_AFTER_DATE CL_NEWEST,
	[SHAPE_AREA] = CL_SELECT " FROM cases c" CL_JOINS CL_WHERE
		" AND c.id IN (SELECT id FROM cases WHERE unit_id IN (SELECT id FROM unit"
		"   WHERE id = ?18 OR parent_id = ?18 OR province_id = ?18)"
		"  UNION ALL SELECT id FROM cases WHERE ?19 AND responsible_org_id = ?2"
		"  UNION ALL SELECT id FROM cases WHERE ?19 AND receiving_org_id = ?2"
		"  UNION ALL SELECT case_id FROM case_monitor WHERE ?19 AND org_id = ?2)"
		CL_AFTER_DATE CL_NEWEST_SORTED,
	[SHAPE_MINE] = CL_SELECT " FROM cases c" CL_JOINS CL_WHERE " AND c.assignee_id = ?4"
		CL_AFTER_DATE CL_NEWEST,
	[SHAPE_ORG] = CL_SELECT " FROM cases c" CL_JOINS CL_WHERE
		" AND c.id IN (SELECT id FROM cases WHERE responsible_org_id = ?2"
		"  UNION ALL SELECT id FROM cases WHERE receiving_org_id = ?2)"
		CL_AFTER_DATE CL_NEWEST_SORTED,
	[SHAPE_SEARCH] = CL_SELECT " FROM case_fts f CROSS JOIN cases c ON c.id = f.rowid" CL_JOINS
		CL_WHERE " AND case_fts MATCH ?15 AND (?17 = 0 OR f.rowid < ?17)"
		" ORDER BY f.rowid DESC LIMIT ?20",
};

/* A commune: few enough cases to gather and sort.  False for 0 (the
 * country) and for provinces. */
static Rc is_commune(Db *db, int64_t unit_id, bool *out)
{
	*out = false;
	if (!unit_id)
		return RC_OK;
	int64_t v = 0;
	Rc rc = db_get_int(db, &v, "SELECT level = 'commune' FROM unit WHERE id = ?", "l", unit_id);
	if (rc == RC_NOT_FOUND)
		return RC_OK;
	*out = !rc && v;
	return rc;
}

/* The shape for this reader and filter, and the unit driving SHAPE_AREA. */
static Rc choose_shape(Db *db, const Principal *who, const CaseFilter *f, bool search,
		       ListShape *shape, int64_t *narrow, bool *with_org)
{
	*narrow = 0;
	*with_org = false;
	if (search) {
		*shape = SHAPE_SEARCH;
		return RC_OK;
	}
	if (f->queue == QUEUE_MINE || f->queue == QUEUE_ORG) {
		*shape = f->queue == QUEUE_MINE ? SHAPE_MINE : SHAPE_ORG;
		return RC_OK;
	}
	bool small;
	Rc rc = is_commune(db, f->unit_id, &small);
	if (!rc && small) {
		*shape = SHAPE_AREA;
		*narrow = f->unit_id;
		return RC_OK;
	}
	if (!rc)
		rc = is_commune(db, who->scope_unit_id, &small);
	if (!rc && small) {
		*shape = SHAPE_AREA;
		*narrow = who->scope_unit_id;
		*with_org = true;
		return RC_OK;
	}
	*shape = SHAPE_BY_DATE;
	return rc;
}

Rc case_list(Db *db, const Principal *who, const CaseFilter *f, CaseList *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & CASE_ANY_CAP))
		return RC_FORBIDDEN;
	Rc rc = check_filter(f);
	if (rc)
		return rc;
	int limit = f->limit ? f->limit : LIST_DEFAULT;
	if (limit > LIST_MAX)
		limit = LIST_MAX;
	Date t = case_today();
	char today[11], soon[11];
	date_iso(t, today);
	(void)calendar_error();
	date_iso(deadline_due_soon_until(db, t), soon); /* working days */
	if ((rc = calendar_error()))
		return rc;
	char *match = f->q ? fts_query(f->q) : NULL;
	ListShape shape;
	int64_t narrow;
	bool with_org;
	if ((rc = choose_shape(db, who, f, match != NULL, &shape, &narrow, &with_org))) {
		free(match);
		return rc;
	}
	const char *kind = f->kind >= 0 ? case_kind_id((CaseKind)f->kind) : NULL;
	const char *after = or_null(f->after_date);
	DbStmt *st;
	rc = db_prep(db, &st, list_sql[shape], "llilttttlttlttttllii", who->scope_unit_id, who->org_id,
		     (int)f->queue, who->id, today, soon, kind, or_null(f->field_code), f->unit_id,
		     or_null(f->status), or_null(f->channel), f->org_id, or_null(f->from),
		     or_null(f->to), match, after, f->after_id, narrow, (int)with_org, limit + 1);
	free(match);
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (out->count == (size_t)limit) {
			out->more = true;
			continue;
		}
		if (out->count == cap) {
			cap = cap ? cap * 2 : 16;
			out->rows = xrealloc(out->rows, cap * sizeof *out->rows);
		}
		row_fill(st, &out->rows[out->count++], today, soon);
	}
	db_done(st);
	if (s != DB_DONE) {
		case_list_release(out);
		return (Rc)-s;
	}
	return RC_OK;
}
