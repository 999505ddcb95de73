/*
 * test_export.c — the case-list exports: CSV quoting (RFC 4180), the
 * byte-order mark, the formula-injection guard, labels in the reader's
 * language, and an XLSX file that is a real ZIP package with its
 * worksheet.  The last test goes through a database: cases made by
 * case_intake with a citizen's name, phone and address are exported, and
 * none of those appear in either file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/crypto.h"
#include "domain/case.h"
#include "domain/org.h"
#include "domain/user.h"
#include "export/export.h"
#include "store/schema.h"
#include "web/req.h"

/* ---- cells -------------------------------------------------------------- */

static char *cell(const char *s)
{
	Buf b = BUF_INIT;
	export_csv_cell(&b, s);
	return buf_detach(&b, NULL);
}

static void check_cell(const char *in, const char *want)
{
	char *got = cell(in);
	if (strcmp(got, want) != 0)
		fail_msg("cell [%s]: got [%s], want [%s]", in, got, want);
	free(got);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	check_cell("", "");
	check_cell(NULL, "");
	check_cell("Phường Ba Đình", "Phường Ba Đình");
	check_cell("a,b", "\"a,b\"");
	check_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_cell("two\nlines", "\"two\nlines\"");
	check_cell("cr\rhere", "\"cr\rhere\"");
	check_cell("2026-03-01", "2026-03-01");
	check_cell("ends with quote\"", "\"ends with quote\"\"\"");
}

static void test_csv_formula_guard(void **state)
{
	(void)state;
	check_cell("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
	check_cell("=1+1", "'=1+1");
	check_cell("+84912345678", "'+84912345678");
	check_cell("-2+3", "'-2+3");
	check_cell("@SUM(A1)", "'@SUM(A1)");
	check_cell("\tTAB", "'\tTAB");
	check_cell("\r\nx", "\"'\r\nx\"");
	check_cell("=a,b", "\"'=a,b\"");
	/* only the first character matters */
	check_cell("a=b", "a=b");
	check_cell("Đơn - kiến nghị", "Đơn - kiến nghị");
}

/* ---- whole files from a hand-made table ---------------------------------- */

static int tr_calls;

/* A translator that marks what it translated, so the test sees which
 * cells went through it. */
static const char *fake_tr(const char *lang, const char *msgid)
{
	(void)lang;
	tr_calls++;
	if (str_eq(msgid, "Case code"))
		return "Mã hồ sơ";
	if (str_eq(msgid, "Yes"))
		return "Có";
	if (str_eq(msgid, "No"))
		return "Không";
	return msgid;
}

static void make_table(ExportTable *t)
{
	t->n = 2;
	t->rows = xcalloc(2, sizeof *t->rows);
	ExportRow *a = &t->rows[0], *b = &t->rows[1];
	xsnprintf(a->code, sizeof a->code, "%s", "ABCD-EFGH-JK");
	a->kind = KIND_COMPLAINT;
	xsnprintf(a->status, sizeof a->status, "%s", "accepted");
	xsnprintf(a->channel, sizeof a->channel, "%s", "desk");
	xsnprintf(a->received_on, sizeof a->received_on, "%s", "2026-03-01");
	a->field = xstrdup("Đất đai");
	a->commune = xstrdup("Phường Ba Đình");
	a->org = xstrdup("Ủy ban nhân dân Phường Ba Đình");
	a->title = xstrdup("Bồi thường, hỗ trợ \"tái định cư\"");
	xsnprintf(a->next_due, sizeof a->next_due, "%s", "2026-03-31");
	a->overdue = true;
	xsnprintf(b->code, sizeof b->code, "%s", "MNPQ-RSTV-WX");
	b->kind = KIND_PETITION;
	xsnprintf(b->status, sizeof b->status, "%s", "received");
	xsnprintf(b->channel, sizeof b->channel, "%s", "web");
	xsnprintf(b->received_on, sizeof b->received_on, "%s", "2026-02-28");
	b->field = xstrdup("");
	b->commune = xstrdup("");
	b->org = xstrdup("");
	b->title = xstrdup("=cmd|' /C calc'!A0");
}

static void test_csv_file(void **state)
{
	(void)state;
	ExportTable t;
	make_table(&t);
	ExportLang l = {"vi", fake_tr};
	Buf b = BUF_INIT;
	tr_calls = 0;
	export_csv(&t, &l, &b);
	assert_true(buf_ok(&b));
	const char *s = buf_cstr(&b);
	/* UTF-8 byte-order mark, then the translated header row */
	assert_memory_equal(s, "\xEF\xBB\xBF", 3);
	assert_true(str_starts(s + 3, "Mã hồ sơ,"));
	assert_true(tr_calls > EXPORT_COLS);
	/* CRLF record ends: header + 2 rows */
	int crlf = 0;
	for (const char *p = s; (p = strstr(p, "\r\n")); p += 2)
		crlf++;
	assert_int_equal(crlf, 3);
	assert_non_null(strstr(s, "\r\nABCD-EFGH-JK,"));
	assert_non_null(strstr(s, "\"Bồi thường, hỗ trợ \"\"tái định cư\"\"\""));
	assert_non_null(strstr(s, ",2026-03-31,Có\r\n"));
	assert_non_null(strstr(s, ",,Không\r\n"));
	/* the hostile title became text */
	assert_non_null(strstr(s, ",'=cmd|' /C calc'!A0,"));
	assert_null(strstr(s, ",=cmd"));
	buf_release(&b);
	export_table_release(&t);
	assert_null(t.rows);
}

static bool contains(const Buf *b, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return true;
	return false;
}

static void test_xlsx_file(void **state)
{
	(void)state;
	ExportTable t;
	make_table(&t);
	ExportLang l = {"vi", fake_tr};
	Buf b = BUF_INIT;
	assert_int_equal(export_xlsx(&t, &l, &b), RC_OK);
	assert_true(buf_ok(&b));
	assert_true(b.len > 1000);
	/* a ZIP local file header … */
	assert_memory_equal(b.data, "PK\x03\x04", 4);
	/* … of an OOXML workbook with its one worksheet (entry names are
	 * stored uncompressed in the headers) */
	assert_true(contains(&b, "[Content_Types].xml"));
	assert_true(contains(&b, "xl/workbook.xml"));
	assert_true(contains(&b, "xl/worksheets/sheet1.xml"));
	/* and the central directory at the end */
	assert_true(contains(&b, "PK\x05\x06"));
	buf_release(&b);
	export_table_release(&t);
}

static void test_xlsx_empty_table(void **state)
{
	(void)state;
	ExportTable t = {NULL, 0};
	ExportLang l = {"en", fake_tr};
	Buf b = BUF_INIT;
	assert_int_equal(export_xlsx(&t, &l, &b), RC_OK);
	assert_memory_equal(b.data, "PK\x03\x04", 4);
	buf_release(&b);
}

/* ---- through the database: no personal data, ever ----------------------- */

static char dir[64];
static Db *db;
static Principal who;

static int db_setup(void **state)
{
	(void)state;
	setenv("DANVAN_FAST_HASH", "1", 1);
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-export-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	Actor a = {0, "test"};
	int64_t org, uid;
	if (db_begin_write(db) ||
	    org_create(db, &a, 0, 0, "peoples_committee", "central-pc", "Ủy ban nhân dân", "UBND",
		       "2025-07-01", &org) ||
	    user_create(db, &a, "tiep.dan", "Lê Văn Tiếp", "", org, "correct horse battery", &uid) ||
	    user_set_roles(db, &a, uid, (1u << ROLE_RECEPTION) | (1u << ROLE_HANDLER)) ||
	    user_principal(db, uid, &who) || db_commit(db))
		return -1;
	return 0;
}

static int db_teardown(void **state)
{
	(void)state;
	db_close(db);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void intake(CaseKind kind, const char *title, const char *name, const char *phone,
		   const char *address, CaseCreated *out)
{
	CaseIntake in;
	memset(&in, 0, sizeof in);
	in.kind = kind;
	in.channel = "desk";
	in.title = title;
	in.content = "Nội dung chi tiết của đơn.";
	in.name = name;
	in.phone = phone;
	in.address = address;
	in.signed_ = true;
	const char *problem = NULL;
	Rc rc = case_intake(db, &who, &in, out, &problem);
	if (rc)
		fail_msg("case_intake: %s (%s)", rc_name(rc), problem ? problem : "");
}

static void test_exports_carry_no_personal_data(void **state)
{
	(void)state;
	CaseCreated a, b;
	assert_int_equal(db_begin_write(db), RC_OK);
	intake(KIND_PETITION, "Đường ngõ 5 bị ngập", "Nguyễn Thị Riêng Tư", "0912345678",
	       "Số 7 ngõ Bí Mật", &a);
	intake(KIND_COMPLAINT, "Khiếu nại quyết định thu hồi đất", "Trần Văn Kín", "0987654321",
	       "Thôn Ẩn Danh", &b);
	assert_int_equal(db_commit(db), RC_OK);

	assert_int_equal(db_begin(db), RC_OK);
	CaseFilter f;
	memset(&f, 0, sizeof f);
	f.kind = -1;
	ExportTable t;
	assert_int_equal(export_collect(db, &who, &f, EXPORT_MAX_ROWS, &t), RC_OK);
	assert_int_equal(t.n, 2);
	/* a cap below the match count refuses instead of cutting */
	ExportTable small;
	assert_int_equal(export_collect(db, &who, &f, 1, &small), RC_TOO_LARGE);
	assert_int_equal(small.n, 0);
	db_rollback(db);

	ExportLang l = {"vi", tr};
	Buf csv = BUF_INIT, xlsx = BUF_INIT;
	export_csv(&t, &l, &csv);
	assert_int_equal(export_xlsx(&t, &l, &xlsx), RC_OK);
	assert_true(contains(&csv, a.code));
	assert_true(contains(&csv, b.code));
	assert_true(contains(&csv, "Đường ngõ 5 bị ngập"));
	static const char *const secrets[] = {
		"Nguyễn Thị Riêng Tư", "0912345678", "Bí Mật", "Trần Văn Kín", "0987654321", "Ẩn Danh",
	};
	for (size_t i = 0; i < ARRAY_LEN(secrets); i++) {
		if (contains(&csv, secrets[i]))
			fail_msg("the CSV export contains personal data: %s", secrets[i]);
		if (contains(&xlsx, secrets[i]))
			fail_msg("the XLSX export contains personal data: %s", secrets[i]);
	}
	buf_release(&csv);
	buf_release(&xlsx);
	export_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula_guard),
		cmocka_unit_test(test_csv_file),
		cmocka_unit_test(test_xlsx_file),
		cmocka_unit_test(test_xlsx_empty_table),
		cmocka_unit_test_setup_teardown(test_exports_carry_no_personal_data, db_setup,
						db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
