/*
 * text.c — Vietnamese-aware text handling (see text.h and
 * docs/internals/text.md): strict UTF-8 validation, input cleaning to
 * NFC, the accent-folded search key, URL slugs and number formatting.
 *
 * Normalisation and character properties come from utf8proc; the UTF-8
 * decoder is our own so that the validity rules (no overlongs, no
 * surrogates, nothing above U+10FFFF) are explicit and testable.
 */
#include "text.h"

#include <limits.h>
#include <stdint.h>
#include <utf8proc.h>

/* ---- UTF-8 decoding ------------------------------------------------- */

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Decode one code point from s[0..n).  Returns its length in bytes (1–4)
 * or 0 when the sequence is ill-formed.  The allowed ranges of the second
 * byte are what exclude overlong forms (E0 80–9F, F0 80–8F), UTF-16
 * surrogates (ED A0–BF) and code points above U+10FFFF (F4 90–BF, F5+).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char b0 = s[0];
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		if (n < 2 || !is_cont(s[1]))
			return 0;
		*cp = ((int32_t)(b0 & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (b0 >= 0xE0 && b0 <= 0xEF) {
		unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
		unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
		if (n < 3 || s[1] < lo || s[1] > hi || !is_cont(s[2]))
			return 0;
		*cp = ((int32_t)(b0 & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	if (b0 >= 0xF0 && b0 <= 0xF4) {
		unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
		if (n < 4 || s[1] < lo || s[1] > hi || !is_cont(s[2]) || !is_cont(s[3]))
			return 0;
		*cp = ((int32_t)(b0 & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
		      ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	return 0; /* continuation byte, C0/C1 (always overlong) or F5–FF */
}

bool text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path: most of our text is mostly ASCII. */
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		int32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* ---- utf8proc wrappers ---------------------------------------------- */

/*
 * Run utf8proc_map over s[0..n) (already known to be valid UTF-8).
 * Returns a malloc'd NUL-terminated string (free with free) or NULL if
 * utf8proc refused the input.  Out of memory aborts, as everywhere else
 * in the project (util.h).
 */
static char *umap(const char *s, size_t n, int options)
{
	if (n > (size_t)SSIZE_MAX / 8)
		return NULL; /* far beyond any input cap; keeps utf8proc's sizes sane */
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t rc = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
					   &out, (utf8proc_option_t)options);
	if (rc == UTF8PROC_ERROR_NOMEM) {
		fprintf(stderr, "danvan: out of memory in utf8proc_map\n");
		abort();
	}
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return (char *)out;
}

/* Code points that are their own NFC and never compose with a neighbour:
 * each is a starter (combining class 0) whose normalisation is itself,
 * and none is the second half of a canonical composition.  Latin up to
 * U+02FF (all of Vietnamese's letters but the ones below), Latin Extended
 * Additional (ạ, ả, ấ … ỹ) and the typographic dashes and quotes.
 * tests/unit/test_text.c checks every one, and every pair, against
 * utf8proc.  Composition only ever joins a starter with what follows it,
 * so text made of these alone is NFC whatever its length. */
bool text_nfc_stable(int32_t cp)
{
	return cp < 0x0300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x2027);
}

/* s[0..n) (valid UTF-8) already NFC by the rule above.  Typed Vietnamese,
 * precomposed as keyboards send it, passes; text with a combining mark
 * (NFD input) or another script goes through utf8proc.  This check costs a
 * fraction of utf8proc's decompose-and-recompose, which was ~8 % of a
 * public submission's CPU. */
static bool already_nfc(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		int32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len || !text_nfc_stable(cp))
			return false;
		i += len;
	}
	return true;
}

static char *nfc_of(const char *s, size_t n)
{
	if (already_nfc(s, n))
		return xstrndup(s, n);
	return umap(s, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

char *text_nfc(const char *s, size_t n)
{
	if (!s || !text_utf8_valid(s, n))
		return NULL;
	return nfc_of(s, n);
}

/* ---- cleaning input ------------------------------------------------- */

/*
 * Copy s[0..n) into b, turning CR LF into LF and refusing every other
 * control character (C0, DEL and C1) except TAB and (when allowed) LF.  A lone CR is
 * refused rather than guessed at: browsers always send CR LF.
 */
static bool copy_without_controls(Buf *b, const char *s, size_t n, bool allow_newlines)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' && allow_newlines && i + 1 < n && s[i + 1] == '\n')
			continue; /* the LF that follows is kept */
		if (c == '\t' || (c == '\n' && allow_newlines)) {
			buf_putc(b, (char)c);
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			return false;
		/* C1 controls U+0080–U+009F are encoded as C2 80 – C2 9F. */
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9F)
			return false;
		buf_putc(b, (char)c);
	}
	return true;
}

char *text_clean(const char *s, size_t n, bool allow_newlines)
{
	if (!s || !text_utf8_valid(s, n))
		return NULL;
	Buf b = BUF_INIT;
	if (!copy_without_controls(&b, s, n, allow_newlines)) {
		buf_release(&b);
		return NULL;
	}
	char *out = nfc_of(buf_cstr(&b), b.len);
	buf_release(&b);
	return out;
}

/* ---- search key ----------------------------------------------------- */

static bool is_word_char(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* One code point of decomposed, mark-free text → its key form. */
static int32_t fold_char(int32_t cp)
{
	/* đ/Đ have no decomposition, so stripping marks leaves them alone;
	 * people type "dang" for "Đảng" and expect a match.  The look-alike
	 * Ð/ð (U+00D0/U+00F0, Icelandic eth) turns up in Vietnamese text
	 * typed or converted with Latin-1 tools, so it folds the same way. */
	if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0)
		return 'd';
	return utf8proc_tolower(cp);
}

/*
 * Append the folded words of decomposed text `dec` to b: letters and
 * digits are kept (lower-cased), every run of anything else — spaces,
 * punctuation, symbols, controls — becomes one space, and none leads or
 * trails.
 */
static void fold_words(Buf *b, const char *dec)
{
	const unsigned char *p = (const unsigned char *)dec;
	size_t n = strlen(dec);
	bool pending_space = false;
	size_t i = 0;
	while (i < n) {
		int32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len)
			return; /* cannot happen: utf8proc emits valid UTF-8 */
		i += len;
		if (!is_word_char(cp)) {
			pending_space = b->len > 0;
			continue;
		}
		if (pending_space)
			buf_putc(b, ' ');
		pending_space = false;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t elen = utf8proc_encode_char(fold_char(cp), enc);
		buf_append(b, enc, (size_t)elen);
	}
}

char *text_search_key(const char *s)
{
	if (!s)
		return xstrdup("");
	size_t n = strlen(s);
	if (!text_utf8_valid(s, n))
		return xstrdup("");
	/* Compatibility decomposition also folds full-width forms, ligatures
	 * and superscripts, which some IMEs and PDF copy-paste produce;
	 * STRIPMARK then removes every combining mark, which is all the
	 * Vietnamese vowel modifiers and tones. */
	char *dec = umap(s, n, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				       UTF8PROC_STRIPMARK);
	if (!dec)
		return xstrdup("");
	Buf b = BUF_INIT;
	fold_words(&b, dec);
	free(dec);
	/* Recompose what is left (Hangul jamo, for one) so keys of non-Latin
	 * text stay compact; Latin text has no marks left to compose, and a
	 * Vietnamese key is plain ASCII by now. */
	char *key = nfc_of(buf_cstr(&b), b.len);
	buf_release(&b);
	return key ? key : xstrdup("");
}

/* ---- slugs ---------------------------------------------------------- */

static bool is_slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Length to keep of slug[0..len) so that it is ≤ max bytes: cut at the
 * last '-' that fits, or mid-word when the first word alone is too long. */
static size_t slug_cut(const char *slug, size_t len, size_t max)
{
	if (len <= max)
		return len;
	if (slug[max] == '-')
		return max;
	for (size_t i = max; i > 0; i--)
		if (slug[i - 1] == '-')
			return i - 1;
	return max;
}

char *text_slug(const char *s, size_t max_len)
{
	char *key = text_search_key(s);
	Buf b = BUF_INIT;
	bool pending_dash = false;
	/* Anything not [a-z0-9] (spaces, letters of other scripts) separates
	 * words; runs collapse to one '-' and none leads or trails. */
	for (const char *p = key; *p; p++) {
		if (!is_slug_char(*p)) {
			pending_dash = b.len > 0;
			continue;
		}
		if (pending_dash)
			buf_putc(&b, '-');
		pending_dash = false;
		buf_putc(&b, *p);
	}
	free(key);
	buf_truncate(&b, slug_cut(buf_cstr(&b), b.len, max_len));
	return buf_detach(&b, NULL);
}

/* ---- small helpers -------------------------------------------------- */

size_t text_length(const char *s)
{
	size_t count = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!is_cont(*p))
			count++;
	return count;
}

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *text_trim(char *s)
{
	size_t start = 0, end = strlen(s);
	while (start < end && is_ascii_space(s[start]))
		start++;
	while (end > start && is_ascii_space(s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = 0;
	return s;
}

/* ---- numbers -------------------------------------------------------- */

/* Digits of v grouped in threes with `sep` (Vietnamese uses '.', English
 * ','), and a leading '-' for negatives.  The magnitude is taken as
 * unsigned so INT64_MIN works. */
static void format_grouped(Buf *b, int64_t v, char sep)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char digits[24];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (v < 0)
		buf_putc(b, '-');
	for (size_t i = nd; i > 0; i--) {
		buf_putc(b, digits[i - 1]);
		if (i > 1 && (i - 1) % 3 == 0)
			buf_putc(b, sep);
	}
}

void text_format_int_vi(Buf *b, int64_t v)
{
	format_grouped(b, v, '.');
}

void text_format_int_en(Buf *b, int64_t v)
{
	format_grouped(b, v, ',');
}
