/*
 * fuzz_json.c — libFuzzer target for json_parse_capped (base/json.h) and,
 * through a round trip, the JsonW writer.
 *
 * Whatever parses is written back with the project's writer (jw_*), and
 * that output must parse again to an equal document: so the writer's
 * string escaping is checked against a real JSON parser for every string
 * jansson accepts.  Documents with reals are only parsed (JsonW has no
 * real numbers); documents the writer refuses as too deep are skipped.
 */
#include "fuzz_common.h"
#include "base/json.h"

#include <jansson.h>

/* Max input size handed to the parser: larger than any fuzz input, so
 * the size cap itself is exercised only by the explicit check below. */
#define FUZZ_JSON_MAX 65536

static bool has_real(const json_t *j)
{
	if (json_is_real(j))
		return true;
	if (json_is_array(j)) {
		for (size_t i = 0; i < json_array_size(j); i++)
			if (has_real(json_array_get(j, i)))
				return true;
	} else if (json_is_object(j)) {
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)j, key, v)
			if (has_real(v))
				return true;
	}
	return false;
}

static void write_value(JsonW *w, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		jw_obj(w);
		json_object_foreach((json_t *)j, key, v) {
			jw_key(w, key);
			write_value(w, v);
		}
		jw_end(w);
		break;
	}
	case JSON_ARRAY:
		jw_arr(w);
		for (size_t i = 0; i < json_array_size(j); i++)
			write_value(w, json_array_get(j, i));
		jw_end(w);
		break;
	case JSON_STRING:
		jw_strn(w, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		jw_int(w, (int64_t)json_integer_value(j));
		break;
	case JSON_TRUE:
		jw_bool(w, true);
		break;
	case JSON_FALSE:
		jw_bool(w, false);
		break;
	case JSON_NULL:
		jw_null(w);
		break;
	case JSON_REAL:
		abort(); /* filtered out by has_real */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	json_t *j = json_parse_capped(s, size, FUZZ_JSON_MAX);
	if (size > 0)
		/* One byte under the size is over the cap: always refused. */
		FUZZ_CHECK(json_parse_capped(s, size, size - 1) == NULL);
	if (j && !has_real(j)) {
		Buf b = BUF_INIT;
		JsonW w;
		jw_init(&w, &b);
		write_value(&w, j);
		if (buf_ok(&b) && jw_finished(&w)) {
			json_t *again = json_parse_capped(b.data, b.len, (size_t)-1);
			FUZZ_CHECK(again != NULL);
			FUZZ_CHECK(json_equal(j, again));
			json_release(again);
		}
		buf_release(&b);
	}
	json_release(j);
	return 0;
}
