/*
 * test_fmt.c — the output contexts of the project's printf: in HTML
 * (html(), fmt_vformat with FMT_S_HTML) %s escapes and only %r is raw; in
 * plain buffers %s is raw.  Also widths, %u in both meanings, and that a
 * script payload never survives into HTML.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/dispatch.h"
#include "web/req.h"

static void test_html_context_escapes_s(void **state)
{
	(void)state;
	Req *r = dispatch_new();
	const char *payload = "<script>alert('x')</script>&\"";
	html(r, "<p title=\"%s\">%s</p>", payload, payload);
	const char *out = buf_cstr(&r->out);
	assert_null(strstr(out, "<script>"));
	assert_null(strstr(out, "'x'"));
	assert_string_equal(out, "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\">"
				 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;</p>");
	buf_reset(&r->out);
	/* %h escapes too, %r is raw (for literals only; codecheck enforces that) */
	html(r, "%h|%r", "<b>", "<b>");
	assert_string_equal(buf_cstr(&r->out), "&lt;b&gt;|<b>");
	dispatch_finish(r, false);
}

static void test_plain_context(void **state)
{
	(void)state;
	Buf b = BUF_INIT;
	buf_printf(&b, "%s|%h|%u|%j", "<a&b>", "<a&b>", "Đảng bộ/x?y=1", "\"q\"\n");
	assert_string_equal(buf_cstr(&b), "<a&b>|&lt;a&amp;b&gt;|%C4%90%E1%BA%A3ng%20b%E1%BB%99%2Fx%3Fy%3D1|\\\"q\\\"\\n");
	buf_release(&b);
}

static void test_widths_and_sizes(void **state)
{
	(void)state;
	Buf b = BUF_INIT;
	buf_printf(&b, "%02d/%02d/%d %5d|%zu|%lld|%lu|%llu", 5, 11, 2026, 42, (size_t)7,
		   (long long)-9000000000LL, 12UL, 18446744073709551615ULL);
	assert_string_equal(buf_cstr(&b), "05/11/2026    42|7|-9000000000|12|18446744073709551615");
	buf_release(&b);
}

static void test_precision(void **state)
{
	(void)state;
	Buf b = BUF_INIT;
	buf_printf(&b, "[%.*s][%.*h]", 3, "abcdef", 2, "<>x");
	assert_string_equal(buf_cstr(&b), "[abc][&lt;&gt;]");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_context_escapes_s),
		cmocka_unit_test(test_plain_context),
		cmocka_unit_test(test_widths_and_sizes),
		cmocka_unit_test(test_precision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
