/*
 * csv.c — collecting the exported rows (shared by both formats) and
 * writing them as CSV (see export.h).
 *
 * RFC 4180: fields separated by commas, records by CRLF, a field quoted
 * when it holds a comma, a quote, CR or LF, quotes inside doubled.  The
 * file starts with the UTF-8 byte-order mark: without it Excel opens a
 * CSV in the system code page and "Thụ lý" turns into mojibake.
 */
#include "export.h"

const char *const export_columns[EXPORT_COLS] = {
	"Case code", "Case type", "Case status", "Channel received", "Date received",
	"Subject field", "Commune or ward", "Responsible organisation", "Case title",
	"Next due date", "Overdue",
};

/* ---- collecting ------------------------------------------------------- */

void export_table_release(ExportTable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		ExportRow *r = &t->rows[i];
		free(r->field);
		free(r->commune);
		free(r->org);
		free(r->title);
	}
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

static void copy_row(ExportRow *d, const CaseRow *s)
{
	memset(d, 0, sizeof *d);
	xsnprintf(d->code, sizeof d->code, "%s", s->code);
	d->kind = s->kind;
	xsnprintf(d->status, sizeof d->status, "%s", s->status);
	xsnprintf(d->channel, sizeof d->channel, "%s", s->channel);
	xsnprintf(d->received_on, sizeof d->received_on, "%s", s->received_on);
	d->field = dup_or_empty(s->field_name);
	d->commune = dup_or_empty(s->unit_name);
	d->org = dup_or_empty(s->org_name);
	d->title = dup_or_empty(s->title);
	xsnprintf(d->next_due, sizeof d->next_due, "%s", s->next_due);
	d->overdue = s->overdue;
}

Rc export_collect(Db *db, const Principal *who, const CaseFilter *f, size_t max,
		  ExportTable *out)
{
	out->rows = NULL;
	out->n = 0;
	size_t cap = 0;
	CaseFilter page = *f;
	page.limit = 200; /* case_list's largest page */
	page.after_date = NULL;
	page.after_id = 0;
	char after[11] = "";
	for (;;) {
		CaseList l;
		Rc rc = case_list(db, who, &page, &l);
		if (rc) {
			export_table_release(out);
			return rc;
		}
		bool over = false;
		for (size_t i = 0; i < l.count; i++) {
			if (out->n == max) {
				over = true;
				break;
			}
			if (out->n == cap) {
				cap = cap ? cap * 2 : 256;
				out->rows = xrealloc(out->rows, cap * sizeof *out->rows);
			}
			copy_row(&out->rows[out->n++], &l.rows[i]);
		}
		bool more = l.more && l.count > 0;
		if (l.count) {
			const CaseRow *last = &l.rows[l.count - 1];
			xsnprintf(after, sizeof after, "%s", last->received_on);
			page.after_id = last->id;
			page.after_date = after;
		}
		case_list_release(&l);
		if (over || (more && out->n == max)) {
			export_table_release(out);
			return RC_TOO_LARGE;
		}
		if (!more)
			return RC_OK;
	}
}

/* ---- cells ------------------------------------------------------------ */

const char *export_cell(const ExportRow *row, int col, const ExportLang *l)
{
	switch (col) {
	case 0: return row->code;
	case 1: return l->tr(l->lang, case_kind_label(row->kind));
	case 2: return l->tr(l->lang, case_status_label(row->status));
	case 3: return l->tr(l->lang, case_channel_label(row->channel));
	case 4: return row->received_on;
	case 5: return row->field;
	case 6: return row->commune;
	case 7: return row->org;
	case 8: return row->title;
	case 9: return row->next_due;
	case 10: return l->tr(l->lang, row->overdue ? "Yes" : "No");
	default: return "";
	}
}

void export_csv_cell(Buf *out, const char *s)
{
	if (!s)
		s = "";
	/* A spreadsheet runs a cell starting with one of these as a formula
	 * (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…)); an apostrophe makes it text. */
	bool guard = s[0] && strchr("=+-@\t\r", s[0]);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(out, '"');
	if (guard)
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	if (quote)
		buf_putc(out, '"');
}

void export_csv(const ExportTable *t, const ExportLang *l, Buf *out)
{
	buf_append(out, "\xEF\xBB\xBF", 3); /* UTF-8 byte-order mark */
	for (int c = 0; c < EXPORT_COLS; c++) {
		if (c)
			buf_putc(out, ',');
		export_csv_cell(out, l->tr(l->lang, export_columns[c]));
	}
	buf_append(out, "\r\n", 2);
	for (size_t i = 0; i < t->n; i++) {
		for (int c = 0; c < EXPORT_COLS; c++) {
			if (c)
				buf_putc(out, ',');
			export_csv_cell(out, export_cell(&t->rows[i], c, l));
		}
		buf_append(out, "\r\n", 2);
	}
}
