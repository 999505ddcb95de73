/*
 * test_text.c — unit tests for base/text.c: strict UTF-8 validation,
 * cleaning and NFC, the Vietnamese search key (shared domain.md §5),
 * slugs and number formatting.
 *
 * NFD strings are written with \u escapes for the combining marks so the
 * test does not depend on how an editor normalises this file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/text.h"
#include "base/util.h"

#include <string.h>
#include <utf8proc.h>

/* ---- UTF-8 validity ------------------------------------------------- */

typedef struct Utf8Case {
	const char *bytes;
	size_t len; /* 0: use strlen */
	bool valid;
	const char *why;
} Utf8Case;

static const Utf8Case utf8_cases[] = {
	{"", 0, true, "empty"},
	{"plain ASCII", 0, true, "ascii"},
	{"Đảng bộ tỉnh", 0, true, "Vietnamese NFC"},
	{"\xC2\x80", 0, true, "U+0080, smallest 2-byte"},
	{"\xDF\xBF", 0, true, "U+07FF"},
	{"\xE0\xA0\x80", 0, true, "U+0800, smallest 3-byte"},
	{"\xED\x9F\xBF", 0, true, "U+D7FF, just below surrogates"},
	{"\xEE\x80\x80", 0, true, "U+E000, just above surrogates"},
	{"\xEF\xBF\xBF", 0, true, "U+FFFF"},
	{"\xF0\x90\x80\x80", 0, true, "U+10000, smallest 4-byte"},
	{"\xF0\x9F\x98\x80", 0, true, "emoji"},
	{"\xF4\x8F\xBF\xBF", 0, true, "U+10FFFF, the last code point"},
	{"a\0b", 3, true, "NUL is valid UTF-8 (text_clean refuses it)"},
	{"\xC0\xAF", 0, false, "overlong '/' (C0)"},
	{"\xC1\xBF", 0, false, "overlong (C1)"},
	{"\xE0\x80\xAF", 0, false, "overlong 3-byte '/'"},
	{"\xE0\x9F\xBF", 0, false, "overlong 3-byte U+07FF"},
	{"\xF0\x80\x80\xAF", 0, false, "overlong 4-byte '/'"},
	{"\xF0\x8F\xBF\xBF", 0, false, "overlong 4-byte U+FFFF"},
	{"\xED\xA0\x80", 0, false, "surrogate U+D800"},
	{"\xED\xBF\xBF", 0, false, "surrogate U+DFFF"},
	{"\xED\xA0\xBD\xED\xB8\x80", 0, false, "CESU-8 surrogate pair"},
	{"\xF4\x90\x80\x80", 0, false, "U+110000"},
	{"\xF5\x80\x80\x80", 0, false, "F5 lead byte"},
	{"\xF8\x88\x80\x80\x80", 0, false, "5-byte form"},
	{"\xFE", 0, false, "FE byte"},
	{"\xFF", 0, false, "FF byte"},
	{"\x80", 0, false, "lone continuation byte"},
	{"abc\xBF", 0, false, "stray continuation at end"},
	{"\xC3", 0, false, "truncated 2-byte"},
	{"\xE1\xBA", 0, false, "truncated 3-byte"},
	{"\xF0\x9F\x98", 0, false, "truncated 4-byte"},
	{"Đả\xE1\xBA", 0, false, "truncated after valid text"},
	{"\xC3\x28", 0, false, "bad continuation byte"},
	{"\xE1\x28\xA3", 0, false, "bad second byte of 3"},
	{"\xE1\xBA\xA3\x80", 0, false, "extra continuation byte"},
};

static void test_utf8_valid_table(void **state)
{
	for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
		const Utf8Case *c = &utf8_cases[i];
		size_t n = c->len ? c->len : strlen(c->bytes);
		if (text_utf8_valid(c->bytes, n) != c->valid)
			fail_msg("utf8 case %zu (%s): expected %s", i, c->why,
				 c->valid ? "valid" : "invalid");
	}
}

static void test_utf8_valid_respects_length(void **state)
{
	/* Only the first byte of a 2-byte sequence is inside the range. */
	assert_false(text_utf8_valid("\xC3\xA0", 1));
	assert_true(text_utf8_valid("\xC3\xA0", 2));
	assert_true(text_utf8_valid("ab\xFF", 2));
}

/* ---- NFC and cleaning ----------------------------------------------- */

/* "khiếu nại" fully decomposed: e + circumflex + acute, a + dot below. */
#define KHIEU_NAI_NFD "khie\u0302\u0301u na\u0323i"
/* "người": u + horn, o + horn + grave. */
#define NGUOI_NFD "ngu\u031Bo\u031B\u0300i"

static void test_nfc_composes_nfd(void **state)
{
	char *s = text_nfc(KHIEU_NAI_NFD, strlen(KHIEU_NAI_NFD));
	assert_string_equal(s, "khiếu nại");
	free(s);
	s = text_nfc(NGUOI_NFD, strlen(NGUOI_NFD));
	assert_string_equal(s, "người");
	free(s);
	s = text_nfc("", 0);
	assert_string_equal(s, "");
	free(s);
	assert_null(text_nfc("\xC0\xAF", 2));
	/* ASCII takes a shortcut past utf8proc: it must still honour n. */
	s = text_nfc("0912 345 678 and more", 12);
	assert_string_equal(s, "0912 345 678");
	free(s);
}

static size_t utf8_put(char *out, int32_t cp)
{
	utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
	return (size_t)n;
}

/* text_nfc copies text made of "stable" code points without asking
 * utf8proc; this proves the set: utf8proc's NFC leaves every one alone,
 * and every pair of them (composition only joins a starter with what
 * follows, so pairs cover every length).  A surrogate is no code point. */
static void test_nfc_stable_set_agrees_with_utf8proc(void **state)
{
	int32_t *set = xmalloc(sizeof *set * 0x1200);
	size_t n = 0;
	for (int32_t cp = 1; cp < 0x3000; cp++)
		if (text_nfc_stable(cp))
			set[n++] = cp;
	assert_true(n > 800); /* Latin, Vietnamese's letters, quotes */
	assert_true(text_nfc_stable(0x1EA1));   /* ạ */
	assert_true(text_nfc_stable(0x01B0));   /* ư */
	assert_false(text_nfc_stable(0x0301));  /* combining acute */
	assert_false(text_nfc_stable(0x212B));  /* Ångström sign: NFC is Å */
	for (size_t i = 0; i < n; i++) {
		char one[8];
		size_t len = utf8_put(one, set[i]);
		utf8proc_uint8_t *nfc = NULL;
		assert_true(utf8proc_map((const utf8proc_uint8_t *)one, (utf8proc_ssize_t)len, &nfc,
					 UTF8PROC_STABLE | UTF8PROC_COMPOSE) == (utf8proc_ssize_t)len);
		assert_memory_equal(nfc, one, len);
		free(nfc);
		for (size_t j = 0; j < n; j++) {
			char two[16];
			size_t len2 = len;
			memcpy(two, one, len);
			len2 += utf8_put(two + len, set[j]);
			/* NFC of the pair, as utf8proc_map does it (decompose, then
			 * reorder and compose in place) without its allocation: a
			 * million pairs. */
			utf8proc_int32_t buf[16];
			utf8proc_ssize_t got = utf8proc_decompose((const utf8proc_uint8_t *)two,
								  (utf8proc_ssize_t)len2, buf, 16,
								  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
			assert_true(got > 0 && got <= 16);
			got = utf8proc_normalize_utf32(buf, got, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
			if (got != 2 || buf[0] != set[i] || buf[1] != set[j])
				fail_msg("U+%04X U+%04X is not its own NFC", (unsigned)set[i],
					 (unsigned)set[j]);
		}
	}
	free(set);
	/* And through text_nfc itself: Vietnamese typed precomposed is kept
	 * byte for byte, NFD input still composes (test_nfc_composes_nfd). */
	char *s = text_nfc("Kiến nghị “đất” – ngõ 5", strlen("Kiến nghị “đất” – ngõ 5"));
	assert_string_equal(s, "Kiến nghị “đất” – ngõ 5");
	free(s);
}

/* Keys of text outside Latin are recomposed after folding (Hangul
 * syllables decompose into jamo), while Vietnamese keys are plain ASCII. */
static void test_search_key_recomposes_non_latin(void **state)
{
	char *k = text_search_key("Hàn Quốc 한국");
	assert_string_equal(k, "han quoc 한국");
	free(k);
}

static void test_clean_accepts_and_normalises(void **state)
{
	char *s = text_clean("a\tb", 3, false);
	assert_string_equal(s, "a\tb");
	free(s);
	s = text_clean("dòng 1\ndòng 2", strlen("dòng 1\ndòng 2"), true);
	assert_string_equal(s, "dòng 1\ndòng 2");
	free(s);
	s = text_clean("a\r\nb\r\n", 6, true);
	assert_string_equal(s, "a\nb\n");
	free(s);
	s = text_clean(KHIEU_NAI_NFD, strlen(KHIEU_NAI_NFD), false);
	assert_string_equal(s, "khiếu nại");
	free(s);
	s = text_clean("\xC2\xA0x", 3, false); /* NBSP is not a control */
	assert_string_equal(s, "\xC2\xA0x");
	free(s);
	/* Only the given length is read. */
	s = text_clean("abc\x01", 3, false);
	assert_string_equal(s, "abc");
	free(s);
}

static void test_clean_rejects(void **state)
{
	assert_null(text_clean("a\nb", 3, false));       /* newline not allowed */
	assert_null(text_clean("a\r\nb", 4, false));     /* nor CR LF */
	assert_null(text_clean("a\rb", 3, true));        /* lone CR */
	assert_null(text_clean("a\x01" "b", 3, true));   /* C0 control */
	assert_null(text_clean("a\x1B[31m", 6, true));   /* ESC */
	assert_null(text_clean("a\0b", 3, true));        /* NUL */
	assert_null(text_clean("a\x7F", 2, true));       /* DEL */
	assert_null(text_clean("a\xC2\x85", 3, true));   /* NEL, a C1 control */
	assert_null(text_clean("a\xC2\x9F", 3, true));   /* last C1 control */
	assert_null(text_clean("\xED\xA0\x80", 3, true)); /* surrogate */
	assert_null(text_clean("\xC3", 1, true));        /* truncated */
	assert_null(text_clean(NULL, 0, true));
}

/* ---- search key ----------------------------------------------------- */

static void assert_key(const char *in, const char *want)
{
	char *k = text_search_key(in);
	if (strcmp(k, want) != 0)
		fail_msg("search key of \"%s\": got \"%s\", want \"%s\"", in, k, want);
	free(k);
}

static void assert_same_key(const char *a, const char *b)
{
	char *ka = text_search_key(a), *kb = text_search_key(b);
	if (strcmp(ka, kb) != 0)
		fail_msg("keys differ: \"%s\" → \"%s\" but \"%s\" → \"%s\"", a, ka, b, kb);
	free(ka);
	free(kb);
}

static void test_search_key_basics(void **state)
{
	assert_key("Đảng bộ tỉnh", "dang bo tinh");
	assert_key("ĐẢNG BỘ TỈNH", "dang bo tinh");
	assert_key("khiếu nại", "khieu nai");
	assert_key(KHIEU_NAI_NFD, "khieu nai");
	assert_key("Hoà", "hoa");
	assert_key("Hòa", "hoa");
	assert_key("Thanh Hoá", "thanh hoa");
	assert_key("Khánh Hoà", "khanh hoa");
	assert_key("người", "nguoi");
	assert_key(NGUOI_NFD, "nguoi");
	assert_key("đất đai", "dat dai");
	assert_key("ĐẤT ĐAI", "dat dai");
	assert_key("Người dân tộc thiểu số", "nguoi dan toc thieu so");
	assert_key("thuỷ lợi", "thuy loi");
	assert_key("thủy lợi", "thuy loi");
	assert_key("Thái Bình", "thai binh");
	assert_key("Tha\u0301i Bi\u0300nh", "thai binh");
	assert_key("Nguyễn Văn Ơn, Ưng", "nguyen van on ung");
}

static void test_search_key_separators(void **state)
{
	assert_key("  Khiếu nại,  tố cáo!!  ", "khieu nai to cao");
	assert_key("a\t\n b", "a b");
	assert_key("phản ánh (số 12/2024)", "phan anh so 12 2024");
	assert_key("Dân vận – “khéo”…", "dan van kheo");
	assert_key("a_b-c.d", "a b c d");
	assert_key("\xC2\xA0x\xE2\x80\x83y", "x y"); /* NBSP, EM SPACE */
	assert_key("...", "");
	assert_key("", "");
	assert_key(NULL, "");
}

static void test_search_key_folding_extras(void **state)
{
	/* Full-width forms from some IMEs fold to ASCII. */
	assert_key("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\x91", "ab1");
	/* Ð (U+00D0), the Latin-1 look-alike of Đ, folds to d too. */
	assert_key("\u00D0\u1EA3ng \u00F0\u00E2\u0301t", "dang dat");
	/* Invalid UTF-8 gives an empty key rather than garbage. */
	assert_key("Đảng\xFF", "");
	assert_key("\xED\xA0\x80", "");
}

static void test_search_key_matches_domain_table(void **state)
{
	/* domain.md §5.2: the cases SQLite's own folding gets wrong. */
	assert_same_key("dang", "Đảng");
	assert_same_key("Dang", "đảng");
	assert_same_key("đang", "Đảng");
	assert_same_key("dạng", "Đảng");
	assert_same_key("hoa", "hoà");
	assert_same_key("hoa", "hòa");
	assert_same_key("hoà giải", "hòa giải");
	assert_same_key("nguoi", "người");
	assert_same_key("nguoi", NGUOI_NFD);
	assert_same_key("dat dai", "đất đai");
	assert_same_key("khieu nai", "khiếu nại");
	assert_same_key("khieu nai", KHIEU_NAI_NFD);
	assert_same_key("khiếu nại", KHIEU_NAI_NFD);
	assert_same_key("thai binh", "Thái Bình");
	assert_same_key("thuy", "thuỷ");
	assert_same_key("thuy", "thủy");
}

/* ---- slugs ---------------------------------------------------------- */

static void assert_slug(const char *in, size_t max, const char *want)
{
	char *s = text_slug(in, max);
	if (strcmp(s, want) != 0)
		fail_msg("slug of \"%s\" (max %zu): got \"%s\", want \"%s\"", in, max, s, want);
	free(s);
}

static void test_slug(void **state)
{
	assert_slug("Dân vận khéo 2024!", 80, "dan-van-kheo-2024");
	assert_slug("  --Hello,   World--  ", 80, "hello-world");
	assert_slug("Đảng bộ tỉnh Thanh Hoá", 80, "dang-bo-tinh-thanh-hoa");
	assert_slug(KHIEU_NAI_NFD, 80, "khieu-nai");
	assert_slug("中文 abc 中文 def", 80, "abc-def"); /* other scripts drop out */
	assert_slug("!!!", 80, "");
	assert_slug("", 80, "");
	assert_slug(NULL, 80, "");
}

static void test_slug_cut(void **state)
{
	/* "dang-bo-tinh" is 12 bytes. */
	assert_slug("Đảng bộ tỉnh", 12, "dang-bo-tinh");
	assert_slug("Đảng bộ tỉnh", 11, "dang-bo");
	assert_slug("Đảng bộ tỉnh", 8, "dang-bo");
	assert_slug("Đảng bộ tỉnh", 7, "dang-bo");
	assert_slug("Đảng bộ tỉnh", 6, "dang");
	assert_slug("Đảng bộ tỉnh", 4, "dang");
	assert_slug("Đảng bộ tỉnh", 3, "dan"); /* one long word: cut inside */
	assert_slug("Đảng bộ tỉnh", 0, "");
}

/* ---- small helpers -------------------------------------------------- */

static void test_length_and_trim(void **state)
{
	assert_int_equal(text_length(""), 0);
	assert_int_equal(text_length("abc"), 3);
	assert_int_equal(text_length("Đảng"), 4);
	assert_int_equal(text_length(KHIEU_NAI_NFD), 12); /* marks count */
	assert_int_equal(text_length("\xF0\x9F\x98\x80"), 1);

	char a[] = "  \t a b \r\n";
	assert_string_equal(text_trim(a), "a b");
	char b[] = "   ";
	assert_string_equal(text_trim(b), "");
	char c[] = "";
	assert_string_equal(text_trim(c), "");
	char d[] = "x";
	assert_string_equal(text_trim(d), "x");
	char e[] = "\xC2\xA0y"; /* NBSP is not ASCII whitespace */
	assert_string_equal(text_trim(e), "\xC2\xA0y");
}

/* ---- numbers -------------------------------------------------------- */

static void assert_num(void (*fmt)(Buf *, int64_t), int64_t v, const char *want)
{
	Buf b = BUF_INIT;
	fmt(&b, v);
	assert_true(buf_ok(&b));
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_format_int(void **state)
{
	assert_num(text_format_int_vi, 0, "0");
	assert_num(text_format_int_vi, 7, "7");
	assert_num(text_format_int_vi, 999, "999");
	assert_num(text_format_int_vi, 1000, "1.000");
	assert_num(text_format_int_vi, 100000, "100.000");
	assert_num(text_format_int_vi, 1234567, "1.234.567");
	assert_num(text_format_int_vi, -1234, "-1.234");
	assert_num(text_format_int_vi, -999, "-999");
	assert_num(text_format_int_vi, INT64_MIN, "-9.223.372.036.854.775.808");
	assert_num(text_format_int_en, 1234567, "1,234,567");
	assert_num(text_format_int_en, -1000, "-1,000");
	assert_num(text_format_int_en, INT64_MAX, "9,223,372,036,854,775,807");

	/* Appends to what is already there. */
	Buf b = BUF_INIT;
	buf_puts(&b, "Tổng: ");
	text_format_int_vi(&b, 12000);
	assert_string_equal(buf_cstr(&b), "Tổng: 12.000");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_table),
		cmocka_unit_test(test_utf8_valid_respects_length),
		cmocka_unit_test(test_nfc_composes_nfd),
		cmocka_unit_test(test_search_key_recomposes_non_latin),
		cmocka_unit_test(test_nfc_stable_set_agrees_with_utf8proc),
		cmocka_unit_test(test_clean_accepts_and_normalises),
		cmocka_unit_test(test_clean_rejects),
		cmocka_unit_test(test_search_key_basics),
		cmocka_unit_test(test_search_key_separators),
		cmocka_unit_test(test_search_key_folding_extras),
		cmocka_unit_test(test_search_key_matches_domain_table),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_slug_cut),
		cmocka_unit_test(test_length_and_trim),
		cmocka_unit_test(test_format_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
