/*
 * fuzz_multipart.c — libFuzzer target for form_parse_multipart.
 *
 * Input format: the first line (up to '\n', a trailing '\r' dropped) is
 * the Content-Type header, the rest is the body.  The body is the tail of
 * the input buffer, so reading one byte past it is an ASan error.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t line = nl ? (size_t)(nl - data) : size;
	const char *body = nl ? (const char *)nl + 1 : (const char *)data + size;
	size_t body_len = size - line - (nl ? 1 : 0);
	if (line && data[line - 1] == '\r')
		line--;
	char *ct = fuzz_cstr(data, line);

	Params p;
	params_init(&p);
	Rc rc = form_parse_multipart(ct, body, body_len, &p);
	if (rc == RC_OK) {
		fuzz_check_params(&p);
		/* Values are slices of the body: together never longer. */
		size_t total = 0;
		for (size_t i = 0; i < p.count; i++)
			total += p.items[i].value_len;
		FUZZ_CHECK(total <= body_len);
	} else {
		FUZZ_CHECK(rc == RC_INVALID || rc == RC_TOO_LARGE);
		fuzz_check_empty(&p);
	}
	params_release(&p);
	free(ct);
	return 0;
}
