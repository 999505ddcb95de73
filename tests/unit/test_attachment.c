/*
 * test_attachment.c — case attachments (domain/attachment.h): the
 * content-sniffing table (every allowed kind and the look-alikes that
 * must be refused: plain ZIPs, macro-enabled and encrypted Office files,
 * HTML, SVG, executables, truncated headers), display-name cleaning
 * (paths, controls, quotes, bidirectional overrides, the 120-byte cut on
 * a character boundary), and storage: the per-file and per-case caps,
 * refusal with a message, the SHA-256 and the round trip of the bytes.
 *
 * OOXML and OLE samples are built here byte by byte (a stored ZIP with a
 * central directory; a 512-byte-sector compound file with one FAT sector
 * and a directory chain of one or two sectors), so the test needs no
 * fixture files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/attachment.h"
#include "store/db.h"
#include "store/schema.h"

/* ---- sample builders ------------------------------------------------------ */

static void put16(Buf *b, unsigned v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_append(b, x, 2);
}

static void put32(Buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	buf_append(b, x, 4);
}

/* A stored (uncompressed) ZIP whose entries have the given names and a
 * few bytes each.  NULL-terminated list. */
static void make_zip(Buf *b, const char *const *names)
{
	uint32_t offsets[16];
	size_t k = 0;
	for (; names[k]; k++) {
		offsets[k] = (uint32_t)b->len;
		put32(b, 0x04034b50);
		put16(b, 20); put16(b, 0); put16(b, 0); put16(b, 0); put16(b, 0);
		put32(b, 0); put32(b, 3); put32(b, 3);
		put16(b, (unsigned)strlen(names[k])); put16(b, 0);
		buf_puts(b, names[k]);
		buf_puts(b, "abc");
	}
	uint32_t cd = (uint32_t)b->len;
	for (size_t i = 0; i < k; i++) {
		put32(b, 0x02014b50);
		put16(b, 20); put16(b, 20); put16(b, 0); put16(b, 0); put16(b, 0); put16(b, 0);
		put32(b, 0); put32(b, 3); put32(b, 3);
		put16(b, (unsigned)strlen(names[i])); put16(b, 0); put16(b, 0);
		put16(b, 0); put16(b, 0); put32(b, 0); put32(b, offsets[i]);
		buf_puts(b, names[i]);
	}
	uint32_t cd_size = (uint32_t)b->len - cd;
	put32(b, 0x06054b50);
	put16(b, 0); put16(b, 0); put16(b, (unsigned)k); put16(b, (unsigned)k);
	put32(b, cd_size); put32(b, cd);
	put16(b, 0);
}

static void cfb_entry(unsigned char *e, const char *name, int type)
{
	memset(e, 0, 128);
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++)
		e[2 * i] = (unsigned char)name[i];
	e[0x40] = (unsigned char)(2 * (n + 1));
	e[0x42] = (unsigned char)type;
}

static void set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

/* An OLE compound file: header, FAT (sector 0), directory in sector 1 and,
 * when names has more than 4 entries (root included), sector 2 chained
 * from 1.  names[0] is the root entry. */
static size_t make_cfb(unsigned char *out, size_t cap, const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	size_t dir_sectors = n > 4 ? 2 : 1;
	size_t len = 512 * (2 + dir_sectors);
	assert_true(len <= cap);
	memset(out, 0, len);
	static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	memcpy(out, sig, 8);
	out[0x18] = 0x3E; out[0x1A] = 3; out[0x1C] = 0xFE; out[0x1D] = 0xFF;
	out[0x1E] = 9; out[0x20] = 6;
	set32(out + 0x2C, 1);          /* one FAT sector */
	set32(out + 0x30, 1);          /* directory starts in sector 1 */
	set32(out + 0x38, 4096);
	set32(out + 0x3C, 0xFFFFFFFE);
	set32(out + 0x44, 0xFFFFFFFE);
	for (int i = 0; i < 109; i++)
		set32(out + 0x4C + 4 * i, i == 0 ? 0 : 0xFFFFFFFF);
	unsigned char *fat = out + 512;
	memset(fat, 0xFF, 512);
	set32(fat, 0xFFFFFFFD);        /* sector 0 is the FAT */
	set32(fat + 4, dir_sectors == 2 ? 2 : 0xFFFFFFFE);
	if (dir_sectors == 2)
		set32(fat + 8, 0xFFFFFFFE);
	for (size_t i = 0; i < n; i++)
		cfb_entry(out + 1024 + 128 * i, names[i], i == 0 ? 5 : 2);
	return len;
}

/* ---- sniffing ------------------------------------------------------------- */

typedef struct Sample {
	const char *what;
	const char *bytes;
	size_t len;
	const char *want; /* NULL = refused */
} Sample;

#define S(what, lit, want) {what, lit, sizeof(lit) - 1, want}

static void test_sniff_table(void **state)
{
	(void)state;
	static const Sample samples[] = {
		S("jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", "image/jpeg"),
		S("png", "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01", "image/png"),
		S("png without IHDR", "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DtEXt\x00\x00", NULL),
		S("gif87", "GIF87a\x01\x00\x01\x00", "image/gif"),
		S("gif89", "GIF89a\x01\x00\x01\x00", "image/gif"),
		S("webp", "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", "image/webp"),
		S("riff wav", "RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00", NULL),
		S("pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "application/pdf"),
		S("pdf not at start", " %PDF-1.7\n", NULL),
		S("html", "<!doctype html><script>alert(1)</script>", NULL),
		S("svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>", NULL),
		S("exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00", NULL),
		S("elf", "\x7F" "ELF\x02\x01\x01", NULL),
		S("text", "Kính gửi Ủy ban nhân dân xã", NULL),
		S("truncated jpeg", "\xFF\xD8", NULL),
		S("truncated png", "\x89PNG", NULL),
		S("bare zip header", "PK\x03\x04", NULL),
		S("ole header only", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", NULL),
		S("empty", "", NULL),
	};
	for (size_t i = 0; i < ARRAY_LEN(samples); i++) {
		const Sample *s = &samples[i];
		const char *got = attachment_sniff((const unsigned char *)s->bytes, s->len);
		if (!str_eq(got, s->want))
			fail_msg("%s: got %s, want %s", s->what, got ? got : "(refused)",
				 s->want ? s->want : "(refused)");
	}
	assert_null(attachment_sniff(NULL, 0));
}

static const char *sniff_zip(const char *const *names)
{
	Buf b = BUF_INIT;
	make_zip(&b, names);
	/* copy out so the returned pointer (static) survives the release */
	const char *t = attachment_sniff((const unsigned char *)b.data, b.len);
	buf_release(&b);
	return t;
}

static void test_sniff_ooxml(void **state)
{
	(void)state;
	static const char *const docx[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", NULL};
	static const char *const xlsx[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", NULL};
	static const char *const pptx[] = {"[Content_Types].xml", "ppt/presentation.xml", NULL};
	static const char *const docm[] = {"[Content_Types].xml", "word/document.xml", "word/vbaProject.bin", NULL};
	static const char *const xlsm[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin", NULL};
	static const char *const plain[] = {"readme.txt", "photo.jpg", NULL};
	static const char *const jar[] = {"META-INF/MANIFEST.MF", "a/B.class", NULL};
	static const char *const no_ct[] = {"word/document.xml", NULL};
	static const char *const odt[] = {"mimetype", "content.xml", "[Content_Types].xml", NULL};
	assert_string_equal(sniff_zip(docx),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(sniff_zip(xlsx),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(sniff_zip(pptx),
			    "application/vnd.openxmlformats-officedocument.presentationml.presentation");
	assert_null(sniff_zip(docm));
	assert_null(sniff_zip(xlsm));
	assert_null(sniff_zip(plain));
	assert_null(sniff_zip(jar));
	assert_null(sniff_zip(no_ct));
	assert_null(sniff_zip(odt));
}

static void test_sniff_zip_malformed(void **state)
{
	(void)state;
	static const char *const docx[] = {"[Content_Types].xml", "word/document.xml", NULL};
	Buf b = BUF_INIT;
	make_zip(&b, docx);
	unsigned char *d = (unsigned char *)b.data;
	size_t eocd = b.len - 22;
	/* every truncation of a valid docx is refused or still a docx, and
	 * nothing reads past the end (ASan would tell) */
	for (size_t n = 0; n < b.len; n++) {
		unsigned char *copy = xmalloc(n ? n : 1);
		memcpy(copy, d, n);
		const char *t = attachment_sniff(copy, n);
		assert_true(t == NULL || str_starts(t, "application/vnd.openxml"));
		free(copy);
	}
	/* central directory offset pointing past the record */
	set32(d + eocd + 16, 0x7FFFFFFF);
	assert_null(attachment_sniff(d, b.len));
	/* ZIP64 marker */
	set32(d + eocd + 16, 0xFFFFFFFF);
	assert_null(attachment_sniff(d, b.len));
	buf_release(&b);
}

static void test_sniff_ole(void **state)
{
	(void)state;
	unsigned char buf[4 * 512];
	static const char *const doc[] = {"Root Entry", "WordDocument", "1Table", NULL};
	static const char *const xls[] = {"Root Entry", "Workbook", NULL};
	static const char *const xls95[] = {"Root Entry", "Book", NULL};
	static const char *const ppt[] = {"Root Entry", "PowerPoint Document", "Current User", NULL};
	static const char *const doc_macros[] = {"Root Entry", "WordDocument", "Macros", NULL};
	static const char *const xls_macros[] = {"Root Entry", "Workbook", "_VBA_PROJECT_CUR", NULL};
	static const char *const encrypted[] = {"Root Entry", "EncryptionInfo", "EncryptedPackage", NULL};
	static const char *const msi[] = {"Root Entry", "\x05SummaryInformation", NULL};
	/* the document stream in the second directory sector: the chain
	 * must be followed through the FAT */
	static const char *const doc_far[] = {"Root Entry", "a", "b", "c", "WordDocument", NULL};
	size_t n;
	n = make_cfb(buf, sizeof buf, doc);
	assert_string_equal(attachment_sniff(buf, n), "application/msword");
	n = make_cfb(buf, sizeof buf, xls);
	assert_string_equal(attachment_sniff(buf, n), "application/vnd.ms-excel");
	n = make_cfb(buf, sizeof buf, xls95);
	assert_string_equal(attachment_sniff(buf, n), "application/vnd.ms-excel");
	n = make_cfb(buf, sizeof buf, ppt);
	assert_string_equal(attachment_sniff(buf, n), "application/vnd.ms-powerpoint");
	n = make_cfb(buf, sizeof buf, doc_far);
	assert_string_equal(attachment_sniff(buf, n), "application/msword");
	n = make_cfb(buf, sizeof buf, doc_macros);
	assert_null(attachment_sniff(buf, n));
	n = make_cfb(buf, sizeof buf, xls_macros);
	assert_null(attachment_sniff(buf, n));
	n = make_cfb(buf, sizeof buf, encrypted);
	assert_null(attachment_sniff(buf, n));
	n = make_cfb(buf, sizeof buf, msi);
	assert_null(attachment_sniff(buf, n));
	/* truncated: the directory sector is missing */
	n = make_cfb(buf, sizeof buf, doc);
	assert_null(attachment_sniff(buf, 1024));
	/* a directory chain that loops on itself ends at the walk cap */
	n = make_cfb(buf, sizeof buf, doc);
	set32(buf + 512 + 4, 1);
	assert_null(attachment_sniff(buf, n));
	/* a bad sector size */
	n = make_cfb(buf, sizeof buf, doc);
	buf[0x1E] = 30;
	assert_null(attachment_sniff(buf, n));
}

/* ---- names ---------------------------------------------------------------- */

static void expect_name(const char *in, const char *want)
{
	char *got = attachment_clean_name(in);
	if (!str_eq(got, want))
		fail_msg("clean_name(%s): got [%s], want [%s]", in ? in : "NULL", got, want);
	free(got);
}

static void test_clean_name(void **state)
{
	(void)state;
	expect_name("Đơn khiếu nại.pdf", "Đơn khiếu nại.pdf");
	expect_name("C:\\Users\\An\\Desktop\\đơn.docx", "đơn.docx");
	expect_name("../../etc/passwd", "passwd");
	expect_name("/tmp/x/", "attachment");
	expect_name("", "attachment");
	expect_name(NULL, "attachment");
	expect_name("..", "_.");
	expect_name(".htaccess", "_htaccess");
	expect_name("a\"b'c`d<e>f.pdf", "a_b_c_d_e_f.pdf");
	expect_name("x;y%z|w*?.png", "x_y_z_w__.png");
	expect_name("tab\there\r\n.jpg", "tab_here__.jpg");
	/* U+202E RIGHT-TO-LEFT OVERRIDE: "anh\u202Egpj.exe" would show as "anhexe.jpg" */
	expect_name("anh\xE2\x80\xAEgpj.exe", "anh_gpj.exe");
	expect_name("zero\xE2\x80\x8Bwidth.pdf", "zero_width.pdf");
	expect_name("\xEF\xBB\xBF" "bom.pdf", "_bom.pdf");
	/* invalid UTF-8 bytes are replaced, not passed on */
	expect_name("bad\xC3(\xFF.pdf", "bad_(_.pdf");
	expect_name("  spaced  .pdf  ", "spaced  .pdf");
	expect_name("___", "attachment");
}

static void test_clean_name_length(void **state)
{
	(void)state;
	/* 200 × "đ" (2 bytes each): cut at 120 bytes = 60 characters */
	Buf b = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "\xC4\x91");
	char *got = attachment_clean_name(buf_cstr(&b));
	assert_int_equal(strlen(got), 120);
	buf_release(&b);
	free(got);
	/* 3-byte characters: 40 of them fit in 120 bytes exactly; with one
	 * ASCII byte in front only 39 fit, and the cut is between characters */
	buf_puts(&b, "x");
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "\xE1\xBB\x87"); /* ệ */
	got = attachment_clean_name(buf_cstr(&b));
	assert_int_equal(strlen(got), 1 + 39 * 3);
	assert_true(text_utf8_valid(got, strlen(got)));
	buf_release(&b);
	free(got);
}

/* ---- storage and caps ----------------------------------------------------- */

static char g_dir[64];
static Db *g_db;

static int group_setup(void **state)
{
	xsnprintf(g_dir, sizeof g_dir, "/tmp/danvan-test-att-XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/att.db", g_dir);
	if (db_open(&g_db, path, DB_OPEN_CREATE) || schema_migrate(g_db, NULL))
		return -1;
	crypto_init();
	return 0;
}

static int group_teardown(void **state)
{
	char path[128];
	db_close(g_db);
	xsnprintf(path, sizeof path, "%s/att.db", g_dir);
	unlink(path);
	xsnprintf(path, sizeof path, "%s/att.db-wal", g_dir);
	unlink(path);
	xsnprintf(path, sizeof path, "%s/att.db-shm", g_dir);
	unlink(path);
	rmdir(g_dir);
	return 0;
}

static int64_t new_case(const char *code)
{
	assert_int_equal(db_run(g_db, "INSERT INTO cases (code, kind, status, channel, received_on,"
				       " created_at, updated_at, title, content, search_key)"
				       " VALUES (?, 'petition', 'received', 'web', '2026-11-28', 0, 0,"
				       " 't', 'c', 't c')", "t", code), RC_OK);
	return db_last_id(g_db);
}

static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static void test_add_list_load(void **state)
{
	(void)state;
	int64_t c = new_case("AAAA-BBBB-C1");
	int64_t id = 0;
	const char *problem = "x";
	assert_int_equal(attachment_add(g_db, c, 0, "../Quyết định số 12.pdf", pdf, sizeof pdf - 1,
					true, &id, &problem), RC_OK);
	assert_null(problem);
	assert_true(id > 0);
	Attachment *list = NULL;
	size_t n = 0;
	assert_int_equal(attachment_list(g_db, c, &list, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].filename, "Quyết định số 12.pdf");
	assert_string_equal(list[0].content_type, "application/pdf");
	assert_int_equal(list[0].size, sizeof pdf - 1);
	assert_true(list[0].public_);
	assert_null(list[0].data);
	char sha[65];
	crypto_sha256_hex(pdf, sizeof pdf - 1, sha);
	assert_string_equal(list[0].sha256, sha);
	attachment_list_release(list, n);

	Attachment a;
	assert_int_equal(attachment_load(g_db, c, id, &a), RC_OK);
	assert_int_equal(a.size, sizeof pdf - 1);
	assert_memory_equal(a.data, pdf, sizeof pdf - 1);
	attachment_release(&a);
	attachment_release(&a); /* twice is harmless */
	/* another case's id does not open it */
	int64_t other = new_case("AAAA-BBBB-C2");
	assert_int_equal(attachment_load(g_db, other, id, &a), RC_NOT_FOUND);
	attachment_release(&a);
	assert_int_equal(attachment_list(g_db, other, &list, &n), RC_OK);
	assert_int_equal(n, 0);
	attachment_list_release(list, n);
}

static void test_refusals_and_caps(void **state)
{
	(void)state;
	int64_t c = new_case("AAAA-BBBB-C3");
	const char *problem = NULL;
	int64_t id = -1;
	static const unsigned char html[] = "<html><script>x</script></html>";
	assert_int_equal(attachment_add(g_db, c, 0, "a.pdf", html, sizeof html - 1, false, &id,
					&problem), RC_INVALID);
	assert_non_null(problem);
	assert_int_equal(id, 0);
	assert_int_equal(attachment_add(g_db, c, 0, "a.pdf", pdf, 0, false, NULL, &problem),
			 RC_INVALID);
	assert_non_null(problem);

	/* one byte over the per-file cap: refused before anything is read */
	size_t big = ATTACHMENT_MAX_BYTES + 1;
	unsigned char *data = xcalloc(1, big);
	memcpy(data, pdf, sizeof pdf - 1);
	assert_int_equal(attachment_add(g_db, c, 0, "big.pdf", data, big, false, NULL, &problem),
			 RC_TOO_LARGE);
	assert_non_null(problem);
	/* exactly at the cap: accepted */
	assert_int_equal(attachment_add(g_db, c, 0, "max.pdf", data, big - 1, false, NULL, &problem),
			 RC_OK);
	free(data);

	/* per case: the 11th file is refused */
	for (int i = 1; i < ATTACHMENT_MAX_PER_CASE; i++)
		assert_int_equal(attachment_add(g_db, c, 0, "p.pdf", pdf, sizeof pdf - 1, false, NULL,
						&problem), RC_OK);
	assert_int_equal(attachment_add(g_db, c, 0, "p.pdf", pdf, sizeof pdf - 1, false, NULL,
					&problem), RC_TOO_LARGE);
	assert_non_null(problem);
	int64_t count = 0;
	assert_int_equal(db_get_int(g_db, &count,
				    "SELECT count(*) FROM case_attachment WHERE case_id = ?", "l", c),
			 RC_OK);
	assert_int_equal(count, ATTACHMENT_MAX_PER_CASE);
	/* no such case: the foreign key refuses */
	assert_int_equal(attachment_add(g_db, 999999, 0, "p.pdf", pdf, sizeof pdf - 1, false, NULL,
					&problem), RC_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_sniff_table),
		cmocka_unit_test(test_sniff_ooxml),
		cmocka_unit_test(test_sniff_zip_malformed),
		cmocka_unit_test(test_sniff_ole),
		cmocka_unit_test(test_clean_name),
		cmocka_unit_test(test_clean_name_length),
	};
	const struct CMUnitTest stored[] = {
		cmocka_unit_test(test_add_list_load),
		cmocka_unit_test(test_refusals_and_caps),
	};
	int failed = cmocka_run_group_tests_name("attachment", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("attachment storage", stored, group_setup,
					      group_teardown);
	return failed;
}
