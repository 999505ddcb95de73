/*
 * export.h — a filtered list of cases as a spreadsheet: CSV (RFC 4180)
 * and XLSX (libxlsxwriter).
 *
 * Exports never contain personal data, of any kind of case: no citizen
 * name, address, phone, e-mail or identity number, no pseudonym, nothing
 * from identity_sealed.  The rows come from case_list (case.h), whose rows
 * carry no personal fields at all, so this holds by construction rather
 * than by a per-reader rule that could be got wrong.  The area scope of
 * the reader applies exactly as for the list on screen.
 *
 * Columns (EXPORT_COLS, in this order): code, kind, status, channel,
 * received on, field, commune, responsible organisation, title, next due
 * date, overdue.  Kind, status, channel and the overdue flag are written
 * as labels in the reader's language; headers too.
 *
 * This module knows nothing of HTTP: the handlers (api/cases_api.c) pass
 * the request's language and translator (tr from web/) in an ExportLang,
 * and get bytes back in a Buf.
 */
#ifndef DANVAN_EXPORT_H
#define DANVAN_EXPORT_H

#include "../base/buf.h"
#include "../domain/case.h"

/* An export larger than this is refused (RC_TOO_LARGE) rather than cut
 * silently: a spreadsheet that lacks rows without saying so misleads. */
#define EXPORT_MAX_ROWS 50000

#define EXPORT_COLS 11

/* One exported row: copies of what case_list returned, minus nothing
 * personal because case_list has nothing personal. */
typedef struct ExportRow {
	char code[CASE_CODE_LEN + 1];
	CaseKind kind;
	char status[16];
	char channel[20];
	char received_on[11];  /* ISO */
	char *field;           /* "" when not classified */
	char *commune;
	char *org;             /* responsible organisation */
	char *title;
	char next_due[11];     /* ISO, "" when no open deadline */
	bool overdue;
} ExportRow;

typedef struct ExportTable {
	ExportRow *rows;
	size_t n;
} ExportTable;

/* Every case visible to `who` that matches `f`, newest first, following
 * case_list's keyset pages (f->after_* and f->limit are ignored).
 * RC_TOO_LARGE when more than `max` rows match (the table is then empty). */
Rc export_collect(Db *db, const Principal *who, const CaseFilter *f, size_t max,
		  ExportTable *out);
void export_table_release(ExportTable *t);

/* How labels are translated: tr() and the request's language. */
typedef const char *(*ExportTr)(const char *lang, const char *msgid);
typedef struct ExportLang {
	const char *lang;
	ExportTr tr;
} ExportLang;

/* English message ids of the column headers (translated with ExportLang). */
extern const char *const export_columns[EXPORT_COLS];

/* CSV: UTF-8 with a byte-order mark (Excel otherwise reads Vietnamese as
 * Windows-1252), CRLF line ends, every field quoted when it holds a comma,
 * quote, CR or LF, quotes doubled.  A cell starting with = + - @ TAB or
 * CR gets a leading apostrophe so a spreadsheet shows it as text instead
 * of running it as a formula (CSV injection). */
void export_csv(const ExportTable *t, const ExportLang *l, Buf *out);
/* One field, as export_csv writes it (without the separator). */
void export_csv_cell(Buf *out, const char *s);

/* XLSX: one worksheet, bold frozen header row with an autofilter, dates
 * as real dates (dd/mm/yyyy), text as text cells (never formulas, so no
 * injection guard is needed).  Written with libxlsxwriter into a private
 * temporary directory, then read into `out`.  RC_IO when the temporary
 * file cannot be written, RC_INTERNAL when libxlsxwriter fails. */
Rc export_xlsx(const ExportTable *t, const ExportLang *l, Buf *out);

/* The label of a row's column as written by both formats (dates stay
 * ISO here; XLSX turns them into date cells). */
const char *export_cell(const ExportRow *row, int col, const ExportLang *l);

#endif
