/*
 * fuzz_text.c — libFuzzer target for base/text.h: text_clean, text_nfc,
 * text_search_key and text_slug on arbitrary bytes.
 *
 * Checked promises (text.h): cleaned text is valid UTF-8 with no control
 * characters but TAB (and LF when allowed), and cleaning it again changes
 * nothing; NFC is idempotent; the search key has no leading, trailing or
 * doubled spaces; a slug is [a-z0-9-] with no leading, trailing or
 * doubled '-' and at most max_len bytes.
 */
#include "fuzz_common.h"
#include "base/text.h"

#define FUZZ_SLUG_MAX 40

static void check_clean(const char *in, size_t n, bool newlines)
{
	char *c = text_clean(in, n, newlines);
	if (!c)
		return;
	size_t len = strlen(c);
	FUZZ_CHECK(text_utf8_valid(in, n));
	FUZZ_CHECK(text_utf8_valid(c, len));
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)c[i];
		FUZZ_CHECK(ch >= 0x20 || ch == '\t' || (newlines && ch == '\n'));
		FUZZ_CHECK(ch != 0x7f);
	}
	char *again = text_clean(c, len, newlines);
	FUZZ_CHECK(again && strcmp(again, c) == 0);
	free(again);
	free(c);
}

static void check_nfc(const char *in, size_t n)
{
	char *a = text_nfc(in, n);
	if (!a)
		return;
	FUZZ_CHECK(text_utf8_valid(in, n));
	char *b = text_nfc(a, strlen(a));
	FUZZ_CHECK(b && strcmp(a, b) == 0);
	free(b);
	free(a);
}

static void check_key(const char *z)
{
	char *k = text_search_key(z);
	FUZZ_CHECK(k != NULL);
	size_t len = strlen(k);
	FUZZ_CHECK(text_utf8_valid(k, len));
	if (len) {
		FUZZ_CHECK(k[0] != ' ' && k[len - 1] != ' ');
		FUZZ_CHECK(strstr(k, "  ") == NULL);
	}
	free(k);
}

static void check_slug(const char *z, size_t max)
{
	char *s = text_slug(z, max);
	FUZZ_CHECK(s != NULL);
	size_t len = strlen(s);
	FUZZ_CHECK(len <= max);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-');
	if (len) {
		FUZZ_CHECK(s[0] != '-' && s[len - 1] != '-');
		FUZZ_CHECK(strstr(s, "--") == NULL);
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	check_clean(in, size, true);
	check_clean(in, size, false);
	check_nfc(in, size);

	char *z = fuzz_cstr(data, size);
	check_key(z);
	check_slug(z, FUZZ_SLUG_MAX);
	check_slug(z, size % 8); /* tiny caps cut mid-word */
	if (text_utf8_valid(z, strlen(z)))
		FUZZ_CHECK(text_length(z) <= strlen(z));
	free(z);
	return 0;
}
