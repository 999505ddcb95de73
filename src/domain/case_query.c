/*
 * case_query.c — work queues, filters and full-text search over cases
 * (case_list), newest first with keyset pagination.
 *
 * One SQL statement does it all: every filter is a bound parameter that
 * is either "any" (NULL or 0) or a value, so the SQL stays a literal
 * (codecheck) and nothing is spliced.  The area scope is not a filter:
 * it always applies — scope unit 0 sees everything; otherwise the case's
 * unit is the scope unit, one of its children or in its province, or the
 * user's organisation receives, answers for or monitors the case.
 *
 * Search: the query is folded with text_search_key exactly as the
 * documents were (NFD, marks dropped, đ → d, lower case), and each of its
 * words becomes an FTS5 prefix term ("dang"* AND "bo"*), so "dang" finds
 * "Đảng", "hoa" finds "hoà" and "hòa", and NFD input finds NFC text.
 *
 * Pagination: rows come ordered by (received_on DESC, id DESC); the next
 * page asks for rows strictly after the last one's (received_on, id), so
 * every row appears exactly once however many are added meanwhile.
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
 * prefix term, implicitly ANDed.  The folded key has only letters,
 * digits and single spaces, so quoting cannot be broken out of.  NULL
 * when nothing searchable is left (the filter is then not applied). */
static char *fts_query(const char *q)
{
	char *key = text_search_key(q);
	Buf b = BUF_INIT;
	int terms = 0;
	for (char *p = key; *p && terms < QUERY_MAX_TERMS;) {
		char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		buf_printf(&b, "%s\"%.*s\"*", terms ? " " : "", (int)n, p);
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
	case_iso(t, today);
	(void)calendar_error();
	case_iso(deadline_due_soon_until(db, t), soon); /* working days */
	if ((rc = calendar_error()))
		return rc;
	char *match = f->q ? fts_query(f->q) : NULL;
	const char *kind = f->kind >= 0 ? case_kind_id((CaseKind)f->kind) : NULL;
	const char *after = or_null(f->after_date);
	DbStmt *st;
	rc = db_prep(db, &st,
		     "SELECT c.id, c.code, c.kind, c.status, c.channel, c.received_on, c.title,"
		     " coalesce(fl.name, ''), coalesce(u.full_name, ''),"
		     " coalesce((SELECT name FROM org_name WHERE org_id = c.responsible_org_id"
		     "   ORDER BY valid_to IS NULL DESC, valid_from DESC LIMIT 1), ''),"
		     " coalesce((SELECT min(due_on) FROM case_deadline d"
		     "   WHERE d.case_id = c.id AND d.state = 'open'), ''),"
		     " EXISTS (SELECT 1 FROM case_link l WHERE l.case_id = c.id AND l.kind = 'repeat'),"
		     " c.people_count"
		     " FROM cases c LEFT JOIN field fl ON fl.id = c.field_id"
		     " LEFT JOIN unit u ON u.id = c.unit_id"
		     " WHERE (?1 = 0"
		     "   OR c.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1 OR province_id = ?1)"
		     "   OR c.responsible_org_id = ?2 OR c.receiving_org_id = ?2"
		     "   OR c.id IN (SELECT case_id FROM case_monitor WHERE org_id = ?2))"
		     " AND (?3 = 0"
		     "   OR (?3 = 1 AND c.assignee_id = ?4)"
		     "   OR (?3 = 2 AND (c.responsible_org_id = ?2 OR c.receiving_org_id = ?2))"
		     "   OR (?3 = 3 AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id"
		     "     AND d.state = 'open' AND d.due_on >= ?5 AND d.due_on <= ?6))"
		     "   OR (?3 = 4 AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id"
		     "     AND d.state = 'open' AND d.due_on < ?5)))"
		     " AND (?7 IS NULL OR c.kind = ?7)"
		     " AND (?8 IS NULL OR c.field_id IN (SELECT id FROM field WHERE code = ?8"
		     "   OR parent_id = (SELECT id FROM field WHERE code = ?8)))"
		     " AND (?9 = 0 OR c.unit_id IN (SELECT id FROM unit WHERE id = ?9 OR parent_id = ?9"
		     "   OR province_id = ?9))"
		     " AND (?10 IS NULL OR c.status = ?10)"
		     " AND (?11 IS NULL OR c.channel = ?11)"
		     " AND (?12 = 0 OR c.responsible_org_id = ?12)"
		     " AND (?13 IS NULL OR c.received_on >= ?13)"
		     " AND (?14 IS NULL OR c.received_on <= ?14)"
		     " AND (?15 IS NULL OR c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?15))"
		     " AND (?16 IS NULL OR c.received_on < ?16 OR (c.received_on = ?16 AND c.id < ?17))"
		     " ORDER BY c.received_on DESC, c.id DESC LIMIT ?18",
		     "llilttttlttlttttli", who->scope_unit_id, who->org_id, (int)f->queue, who->id,
		     today, soon, kind, or_null(f->field_code), f->unit_id, or_null(f->status),
		     or_null(f->channel), f->org_id, or_null(f->from), or_null(f->to), match, after,
		     f->after_id, limit + 1);
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
