/*
 * test_buf.c — unit tests for base/buf.c: appending, the size cap and its
 * sticky error, detach/reset/truncate, the project printf's conversions
 * and the three escapers (HTML, URL, JSON).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <cmocka.h>

#include "base/buf.h"

/* buf_printf into a fresh buffer, compare, release. */
#define assert_printf(want, ...)                                   \
	do {                                                       \
		Buf b_ = BUF_INIT;                                 \
		buf_printf(&b_, __VA_ARGS__);                      \
		assert_true(buf_ok(&b_));                          \
		assert_string_equal(buf_cstr(&b_), want);          \
		buf_release(&b_);                                  \
	} while (0)

/* ---- appending ------------------------------------------------------ */

static void test_empty_and_append(void **state)
{
	Buf b = BUF_INIT;
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_true(buf_ok(&b));

	buf_append(&b, "abc", 3);
	buf_puts(&b, "de");
	buf_putc(&b, 'f');
	buf_puts(&b, NULL); /* ignored */
	buf_append(&b, "", 0);
	assert_int_equal(b.len, 6);
	assert_string_equal(buf_cstr(&b), "abcdef");

	/* Binary data, embedded NUL, and still NUL-terminated after it. */
	buf_append(&b, "x\0y", 3);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "abcdefx\0y", 10);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_release(&b); /* twice is harmless */
	buf_release(NULL);
}

static void test_growth(void **state)
{
	Buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "0123456789");
	assert_true(buf_ok(&b));
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(buf_cstr(&b)), 100000);
	assert_memory_equal(b.data + 99990, "0123456789", 10);
	buf_release(&b);
}

static void test_cap_and_sticky_error(void **state)
{
	Buf b;
	buf_init(&b, 10);
	buf_puts(&b, "12345678");
	assert_true(buf_ok(&b));
	buf_puts(&b, "12345"); /* would make 13 > 10 */
	assert_false(buf_ok(&b));
	assert_int_equal(b.len, 8); /* nothing of the failed append */
	assert_string_equal(buf_cstr(&b), "12345678");
	buf_putc(&b, 'x'); /* fits, but the error is sticky */
	assert_false(buf_ok(&b));
	assert_int_equal(b.len, 8);
	buf_printf(&b, "%d", 1);
	assert_int_equal(b.len, 8);

	buf_reset(&b); /* clears the error and the content, keeps the cap */
	assert_true(buf_ok(&b));
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "0123456789"); /* exactly the cap */
	assert_true(buf_ok(&b));
	buf_putc(&b, '!');
	assert_false(buf_ok(&b));
	buf_release(&b);

	buf_init(&b, 4);
	buf_printf(&b, "%s", "too long");
	assert_false(buf_ok(&b));
	buf_release(&b);
}

static void test_detach(void **state)
{
	Buf b = BUF_INIT;
	buf_puts(&b, "hello");
	size_t len = 0;
	char *s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	free(s);

	/* An empty buffer detaches to an owned "" rather than NULL. */
	s = buf_detach(&b, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);

	/* The buffer is usable again afterwards. */
	buf_puts(&b, "again");
	assert_string_equal(buf_cstr(&b), "again");
	buf_release(&b);
}

static void test_truncate(void **state)
{
	Buf b = BUF_INIT;
	buf_puts(&b, "abcdef");
	buf_truncate(&b, 3);
	assert_string_equal(buf_cstr(&b), "abc");
	assert_int_equal(b.len, 3);
	buf_truncate(&b, 10); /* longer than len: no change */
	assert_string_equal(buf_cstr(&b), "abc");
	buf_truncate(&b, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
}

/* ---- printf --------------------------------------------------------- */

static void test_printf_numbers(void **state)
{
	assert_printf("42 -7 0", "%d %i %d", 42, -7, 0);
	assert_printf("-2147483648", "%d", INT_MIN);
	assert_printf("1234567890123", "%ld", 1234567890123L);
	assert_printf("-9223372036854775808", "%lld", LLONG_MIN);
	assert_printf("18446744073709551615", "%zu", SIZE_MAX);
	assert_printf("ff 0 deadbeef", "%x %x %x", 255u, 0u, 0xdeadbeefu);
	assert_printf("ffffffffffffffff", "%llx", ULLONG_MAX);
	assert_printf("a-Z", "%c-%c", 'a', 'Z');
	assert_printf("100%", "%d%%", 100);
	assert_printf("%%", "%%%%");
	assert_printf("no conversions", "no conversions");
	assert_printf("", "");
}

static void test_printf_strings(void **state)
{
	assert_printf("x=Đảng;", "x=%s;", "Đảng");
	assert_printf("abc", "%.*s", 3, "abcdef");
	assert_printf("ab", "%.*s", 5, "ab"); /* precision past the end */
	assert_printf("", "%.*s", 0, "abc");
	assert_printf("[][][][]", "[%s][%h][%u][%j]", NULL, NULL, NULL, NULL);
	assert_printf("&lt;b", "%.*h", 2, "<b>x");
	assert_printf("a%20", "%.*u", 2, "a b");
	assert_printf("\\\"", "%.*j", 1, "\"x");
	/* %s is raw in buf_printf: escaping is only on request. */
	assert_printf("<b>", "%s", "<b>");
}

static void test_printf_unknown_conversion(void **state)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "a%qb", 1);
	assert_false(buf_ok(&b));
	buf_release(&b);
}

/* ---- escapers ------------------------------------------------------- */

static void test_html_escape(void **state)
{
	assert_printf("&amp;&lt;&gt;&quot;&#39;", "%h", "&<>\"'");
	assert_printf("a &amp;&amp; b", "%h", "a && b");
	assert_printf("Đảng &lt;bộ&gt;", "%h", "Đảng <bộ>");
	assert_printf("plain", "%h", "plain");
	Buf b = BUF_INIT;
	buf_html_escape(&b, "<x>", 2);
	assert_string_equal(buf_cstr(&b), "&lt;x");
	buf_release(&b);
}

static void test_url_escape(void **state)
{
	/* Unreserved characters pass; everything else, byte by byte. */
	assert_printf("AZaz09-_.~", "%u", "AZaz09-_.~");
	assert_printf("a%20b%2Fc%3Fd%3De%26f%23g%2B%25", "%u", "a b/c?d=e&f#g+%");
	assert_printf("%C4%90%C3%A0%20N%E1%BA%B5ng", "%u", "Đà Nẵng");
	assert_printf("%F0%9F%98%80", "%u", "\xF0\x9F\x98\x80");
	assert_printf("%0A%22%27%3C", "%u", "\n\"'<");
}

static void test_json_escape(void **state)
{
	assert_printf("\\u0001\\u001f\\t\\n\\r\\u0008\\u000c", "%j", "\x01\x1f\t\n\r\b\f");
	assert_printf("\\\"\\\\/", "%j", "\"\\/");
	assert_printf("\\u003c/script\\u003e \\u0026amp;", "%j", "</script> &amp;");
	assert_printf("Đảng", "%j", "Đảng"); /* UTF-8 passes through */
	Buf b = BUF_INIT;
	buf_json_escape(&b, "a\0b", 3);
	assert_string_equal(buf_cstr(&b), "a\\u0000b");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_append),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap_and_sticky_error),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_printf_numbers),
		cmocka_unit_test(test_printf_strings),
		cmocka_unit_test(test_printf_unknown_conversion),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_url_escape),
		cmocka_unit_test(test_json_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
