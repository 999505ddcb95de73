/*
 * test_json.c — unit tests for base/json.c: the JsonW writer's exact
 * output, its misuse detection, and json_parse_capped's refusal of
 * oversized, over-deep, duplicate-keyed and malformed input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>

#include "base/json.h"

/* ---- writer --------------------------------------------------------- */

static void test_empty_containers(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	assert_false(jw_finished(&w)); /* nothing written yet */
	jw_obj(&w);
	assert_false(jw_finished(&w)); /* still open */
	jw_end(&w);
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b), "{}");

	buf_reset(&b);
	jw_init(&w, &b);
	jw_arr(&w);
	jw_end(&w);
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b), "[]");
	buf_release(&b);
}

static void test_object_with_values(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "name");
	jw_str(&w, "Đảng bộ");
	jw_key(&w, "ids");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_int(&w, 2);
	jw_int(&w, -3);
	jw_end(&w);
	jw_key(&w, "ok");
	jw_bool(&w, true);
	jw_key(&w, "no");
	jw_bool(&w, false);
	jw_key(&w, "nil");
	jw_null(&w);
	jw_key(&w, "missing");
	jw_str(&w, NULL);
	jw_end(&w);
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b),
			    "{\"name\":\"Đảng bộ\",\"ids\":[1,2,-3],\"ok\":true,"
			    "\"no\":false,\"nil\":null,\"missing\":null}");
	buf_release(&b);
}

static void test_nested(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_obj(&w);
	jw_key(&w, "b");
	jw_arr(&w);
	jw_arr(&w);
	jw_end(&w);
	jw_obj(&w);
	jw_end(&w);
	jw_arr(&w);
	jw_int(&w, 0);
	jw_end(&w);
	jw_end(&w);
	jw_end(&w);
	jw_key(&w, "c");
	jw_int(&w, INT64_MIN);
	jw_key(&w, "d");
	jw_int(&w, INT64_MAX);
	jw_end(&w);
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b),
			    "{\"a\":{\"b\":[[],{},[0]]},"
			    "\"c\":-9223372036854775808,\"d\":9223372036854775807}");
	buf_release(&b);
}

static void test_string_escaping(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "k\"<");
	jw_str(&w, "a\"b\\c\n\t\x01</script>&");
	jw_key(&w, "n");
	jw_strn(&w, "abc\0def", 5); /* NUL inside the given length */
	jw_end(&w);
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b),
			    "{\"k\\\"\\u003c\":\"a\\\"b\\\\c\\n\\t\\u0001\\u003c/script\\u003e\\u0026\","
			    "\"n\":\"abc\\u0000d\"}");
	buf_release(&b);
}

static void test_top_level_scalar_and_prefix(void **state)
{
	Buf b = BUF_INIT;
	buf_puts(&b, "var x = ");
	JsonW w;
	jw_init(&w, &b);
	jw_str(&w, "x");
	assert_true(jw_finished(&w));
	assert_string_equal(buf_cstr(&b), "var x = \"x\"");
	buf_release(&b);
}

/* Each misuse: run `steps` against a fresh writer and expect an error. */
typedef void (*Steps)(JsonW *w);

static void expect_misuse(Steps steps)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	steps(&w);
	assert_false(buf_ok(&b));
	assert_false(jw_finished(&w));
	buf_release(&b);
}

static void m_value_without_key(JsonW *w) { jw_obj(w); jw_int(w, 1); jw_end(w); }
static void m_key_in_array(JsonW *w) { jw_arr(w); jw_key(w, "k"); jw_int(w, 1); jw_end(w); }
static void m_two_keys(JsonW *w) { jw_obj(w); jw_key(w, "a"); jw_key(w, "b"); jw_int(w, 1); jw_end(w); }
static void m_key_then_end(JsonW *w) { jw_obj(w); jw_key(w, "a"); jw_end(w); }
static void m_end_at_top(JsonW *w) { jw_end(w); }
static void m_extra_end(JsonW *w) { jw_arr(w); jw_end(w); jw_end(w); }
static void m_two_top_values(JsonW *w) { jw_int(w, 1); jw_int(w, 2); }
static void m_two_top_objects(JsonW *w) { jw_obj(w); jw_end(w); jw_obj(w); jw_end(w); }
static void m_key_at_top(JsonW *w) { jw_key(w, "k"); }
static void m_null_key(JsonW *w) { jw_obj(w); jw_key(w, NULL); jw_int(w, 1); jw_end(w); }

static void m_too_deep(JsonW *w)
{
	for (int i = 0; i < JW_MAX_DEPTH + 1; i++)
		jw_arr(w);
	for (int i = 0; i < JW_MAX_DEPTH + 1; i++)
		jw_end(w);
}

static void test_misuse_sets_error(void **state)
{
	expect_misuse(m_value_without_key);
	expect_misuse(m_key_in_array);
	expect_misuse(m_two_keys);
	expect_misuse(m_key_then_end);
	expect_misuse(m_end_at_top);
	expect_misuse(m_extra_end);
	expect_misuse(m_two_top_values);
	expect_misuse(m_two_top_objects);
	expect_misuse(m_key_at_top);
	expect_misuse(m_null_key);
	expect_misuse(m_too_deep);
}

static void test_max_depth_allowed(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_arr(&w);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_end(&w);
	assert_true(jw_finished(&w));
	assert_int_equal(b.len, 2 * JW_MAX_DEPTH);
	buf_release(&b);
}

static void test_unclosed_is_not_finished(void **state)
{
	Buf b = BUF_INIT;
	JsonW w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_arr(&w);
	assert_true(buf_ok(&b)); /* not an error yet, just incomplete */
	assert_false(jw_finished(&w));
	buf_release(&b);
}

static void test_buf_cap_is_not_finished(void **state)
{
	Buf b;
	buf_init(&b, 8);
	JsonW w;
	jw_init(&w, &b);
	jw_arr(&w);
	jw_str(&w, "far more than eight bytes");
	jw_end(&w);
	assert_false(buf_ok(&b));
	assert_false(jw_finished(&w));
	buf_release(&b);
}

/* ---- parsing -------------------------------------------------------- */

static json_t *parse(const char *s, size_t max)
{
	return json_parse_capped(s, strlen(s), max);
}

static void test_parse_accepts_normal_object(void **state)
{
	const char *text = "{\"title\": \"Khiếu nại\", \"n\": 42, \"tags\": [\"a\", \"[{\"],"
			   " \"q\": \"he said \\\"}]\\\"\", \"ok\": true}";
	json_t *j = parse(text, 1024);
	assert_non_null(j);
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Khiếu nại");
	assert_int_equal(json_integer_value(json_object_get(j, "n")), 42);
	assert_int_equal(json_array_size(json_object_get(j, "tags")), 2);
	assert_string_equal(json_string_value(json_object_get(j, "q")), "he said \"}]\"");
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_release(j);
	json_release(NULL); /* harmless */
}

static void test_parse_size_cap(void **state)
{
	const char *text = "{\"a\":1}"; /* 7 bytes */
	json_t *j = parse(text, 7);
	assert_non_null(j);
	json_release(j);
	assert_null(parse(text, 6));
	assert_null(parse(text, 0));
	assert_null(json_parse_capped(NULL, 0, 100));
}

/* n nested arrays: "[[[...]]]". */
static char *nested(int n, char open, char close)
{
	char *s = xmalloc((size_t)n * 2 + 1);
	memset(s, open, (size_t)n);
	memset(s + n, close, (size_t)n);
	s[n * 2] = 0;
	return s;
}

static void test_parse_depth_cap(void **state)
{
	char *s = nested(32, '[', ']');
	json_t *j = parse(s, 1 << 20);
	assert_non_null(j);
	json_release(j);
	free(s);

	s = nested(33, '[', ']');
	assert_null(parse(s, 1 << 20));
	free(s);

	s = nested(10000, '[', ']');
	assert_null(parse(s, 1 << 20));
	free(s);

	/* Unbalanced and deep: refused before jansson could recurse. */
	s = xmalloc(100001);
	memset(s, '[', 100000);
	s[100000] = 0;
	assert_null(parse(s, 1 << 20));
	free(s);

	/* Objects count as well as arrays. */
	Buf b = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_puts(&b, "{\"a\":");
	buf_puts(&b, "1");
	for (int i = 0; i < 40; i++)
		buf_putc(&b, '}');
	assert_null(parse(buf_cstr(&b), 1 << 20));
	buf_release(&b);
}

static void test_parse_brackets_in_strings_do_not_count(void **state)
{
	Buf b = BUF_INIT;
	buf_puts(&b, "{\"s\":\"");
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "[{\\\"");
	buf_puts(&b, "\"}");
	json_t *j = parse(buf_cstr(&b), 1 << 20);
	assert_non_null(j);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "s"))), 300);
	json_release(j);
	buf_release(&b);
}

static void test_parse_rejects_duplicates_and_invalid(void **state)
{
	const char *bad[] = {
		"{\"a\":1,\"a\":2}",
		"{\"a\":{\"b\":1,\"b\":1}}",
		"",
		"{",
		"{\"a\":}",
		"[1,]",
		"{'a':1}",
		"{\"a\":1} x",
		"nul",
		"{\"a\":\"\\u0000\"}",
		"{\"a\":\"\xFF\"}",
		"{\"a\":99999999999999999999999}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = parse(bad[i], 1024);
		if (j) {
			json_release(j);
			fail_msg("accepted bad JSON #%zu: %s", i, bad[i]);
		}
	}
	/* Bytes after the given length are not read. */
	json_t *j = json_parse_capped("[1] garbage", 3, 1024);
	assert_non_null(j);
	json_release(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_object_with_values),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_top_level_scalar_and_prefix),
		cmocka_unit_test(test_misuse_sets_error),
		cmocka_unit_test(test_max_depth_allowed),
		cmocka_unit_test(test_unclosed_is_not_finished),
		cmocka_unit_test(test_buf_cap_is_not_finished),
		cmocka_unit_test(test_parse_accepts_normal_object),
		cmocka_unit_test(test_parse_size_cap),
		cmocka_unit_test(test_parse_depth_cap),
		cmocka_unit_test(test_parse_brackets_in_strings_do_not_count),
		cmocka_unit_test(test_parse_rejects_duplicates_and_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
