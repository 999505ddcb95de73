/*
 * fuzz_urlencoded.c — libFuzzer target for form_parse_urlencoded and
 * form_url_decode (query strings and urlencoded bodies).
 *
 * Besides memory safety it checks a round trip: re-encoding what was
 * parsed with buf_url_escape and parsing that again must give back the
 * same list, so decoding and the project's own encoder agree.
 */
#include "fuzz_common.h"
#include "base/buf.h"

static void check_round_trip(const Params *p)
{
	Buf b = BUF_INIT;
	for (size_t i = 0; i < p->count; i++) {
		if (i)
			buf_putc(&b, '&');
		buf_url_escape(&b, p->items[i].name, strlen(p->items[i].name));
		buf_putc(&b, '=');
		buf_url_escape(&b, p->items[i].value, p->items[i].value_len);
	}
	FUZZ_CHECK(buf_ok(&b));
	Params q;
	params_init(&q);
	FUZZ_CHECK(form_parse_urlencoded(b.data, b.len, &q) == RC_OK);
	FUZZ_CHECK(q.count == p->count);
	for (size_t i = 0; i < p->count; i++) {
		FUZZ_CHECK(str_eq(q.items[i].name, p->items[i].name));
		FUZZ_CHECK(q.items[i].value_len == p->items[i].value_len);
		FUZZ_CHECK(memcmp(q.items[i].value, p->items[i].value, p->items[i].value_len) == 0);
	}
	params_release(&q);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	Params p;
	params_init(&p);
	Rc rc = form_parse_urlencoded(s, size, &p);
	if (rc == RC_OK) {
		fuzz_check_params(&p);
		check_round_trip(&p);
	} else {
		FUZZ_CHECK(rc == RC_INVALID || rc == RC_TOO_LARGE);
		fuzz_check_empty(&p);
	}
	params_release(&p);

	for (int plus = 0; plus < 2; plus++) {
		char *out = NULL;
		size_t out_len = 0;
		rc = form_url_decode(s, size, plus, &out, &out_len);
		if (rc == RC_OK) {
			FUZZ_CHECK(out && out_len <= size && strlen(out) == out_len);
		} else {
			FUZZ_CHECK(rc == RC_INVALID && !out && out_len == 0);
		}
		free(out);
	}
	return 0;
}
