/*
 * fuzz_cookies.c — libFuzzer target for form_parse_cookies.
 *
 * The header is a C string (libmicrohttpd hands it over NUL-terminated),
 * so the input is copied with a terminator; an embedded NUL ends it.
 * Beyond form.h's promises: a parsed name or value never has the
 * separators or the surrounding spaces in it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = fuzz_cstr(data, size);
	Params p;
	params_init(&p);
	Rc rc = form_parse_cookies(header, &p);
	if (rc == RC_OK) {
		fuzz_check_params(&p);
		for (size_t i = 0; i < p.count; i++) {
			const Param *it = &p.items[i];
			FUZZ_CHECK(!strchr(it->name, ';') && !strchr(it->name, '=') &&
				!strchr(it->name, ' '));
			FUZZ_CHECK(!strchr(it->value, ';'));
			FUZZ_CHECK(!it->filename && !it->content_type);
		}
	} else {
		FUZZ_CHECK(rc == RC_TOO_LARGE);
		fuzz_check_empty(&p);
	}
	params_release(&p);
	free(header);
	return 0;
}
