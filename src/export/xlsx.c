/*
 * xlsx.c — the exported case list as an Excel workbook (see export.h),
 * written with libxlsxwriter.
 *
 * libxlsxwriter 1.1 writes only to a named file, so the workbook goes to
 * a private directory made with mkdtemp (mode 0700, under $TMPDIR or
 * /tmp), is read back into the caller's buffer and removed at once.
 * constant_memory mode streams each row to a temporary file in the same
 * directory instead of keeping 50,000 rows of cells in memory; its price
 * (rows must be written in order, no shared-string table) costs nothing
 * here.  Text goes in with worksheet_write_string, which never makes a
 * formula, so the CSV injection guard is not needed.
 */
#include "export.h"
#include "../base/date.h"

#include <unistd.h>
#include <xlsxwriter.h>

/* Column widths in characters, in export_columns order. */
static const double widths[EXPORT_COLS] = {16, 22, 20, 20, 14, 24, 24, 36, 50, 14, 10};

static bool is_date_col(int col)
{
	return col == 4 || col == 9;
}

static void write_row(lxw_worksheet *ws, lxw_row_t row, const ExportRow *r,
		      const ExportLang *l, lxw_format *date_fmt)
{
	for (int c = 0; c < EXPORT_COLS; c++) {
		const char *v = export_cell(r, c, l);
		Date d;
		if (is_date_col(c) && date_parse_iso(v, &d)) {
			lxw_datetime dt = {.year = d.y, .month = d.m, .day = d.d};
			worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, date_fmt);
		} else if (*v) {
			worksheet_write_string(ws, row, (lxw_col_t)c, v, NULL);
		}
	}
}

/* Build the workbook at `path`; temporary files go to `dir`. */
static Rc write_workbook(const char *path, char *dir, const ExportTable *t,
			 const ExportLang *l)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = dir};
	lxw_workbook *wb = workbook_new_opt(path, &opts);
	if (!wb)
		return RC_IO;
	/* A translated name could in theory break Excel's sheet-name rules
	 * (≤ 31 characters, no []:*?/\); then take the default "Sheet1". */
	const char *sheet = l->tr(l->lang, "Exported cases");
	lxw_worksheet *ws = workbook_validate_sheet_name(wb, sheet) == LXW_NO_ERROR ?
			    workbook_add_worksheet(wb, sheet) : NULL;
	if (!ws)
		ws = workbook_add_worksheet(wb, NULL);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	lxw_format *date_fmt = workbook_add_format(wb);
	format_set_num_format(date_fmt, "dd/mm/yyyy");
	if (!ws || !head || !date_fmt) {
		workbook_close(wb);
		return RC_INTERNAL;
	}
	for (int c = 0; c < EXPORT_COLS; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (int c = 0; c < EXPORT_COLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, l->tr(l->lang, export_columns[c]), head);
	for (size_t i = 0; i < t->n; i++)
		write_row(ws, (lxw_row_t)(i + 1), &t->rows[i], l, date_fmt);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->n, EXPORT_COLS - 1);
	return workbook_close(wb) == LXW_NO_ERROR ? RC_OK : RC_IO;
}

Rc export_xlsx(const ExportTable *t, const ExportLang *l, Buf *out)
{
	const char *tmp = getenv("TMPDIR");
	Buf dir = BUF_INIT, path = BUF_INIT;
	buf_printf(&dir, "%s/danvan-xlsx-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	if (!buf_ok(&dir) || !mkdtemp(dir.data)) {
		buf_release(&dir);
		return RC_IO;
	}
	buf_printf(&path, "%s/cases.xlsx", buf_cstr(&dir));
	Rc rc = write_workbook(buf_cstr(&path), dir.data, t, l);
	if (rc == RC_OK) {
		char *data = NULL;
		size_t len = 0;
		rc = util_read_file(buf_cstr(&path), BUF_DEFAULT_MAX, &data, &len);
		if (rc == RC_OK)
			buf_append(out, data, len);
		free(data);
	}
	unlink(buf_cstr(&path));
	rmdir(buf_cstr(&dir));
	buf_release(&path);
	buf_release(&dir);
	return rc;
}
