/*
 * text.h — Vietnamese-aware text: UTF-8 validation, NFC, the search key,
 * slugs.  Built on utf8proc.  See docs/internals/text.md and
 * shared domain.md §5.
 *
 * Every string that enters the system passes text_clean (valid UTF-8,
 * NFC, no control characters except \n and \t).  Search uses the folded
 * key from text_search_key, applied identically to documents and
 * queries: NFD → drop combining marks → đ/Đ → d → lower case → runs of
 * whitespace and punctuation collapsed to one space, trimmed.  So "dang"
 * finds "Đảng", "hoa" finds "hoà" and "hòa", and NFD input folds like NFC.
 */
#ifndef DANVAN_TEXT_H
#define DANVAN_TEXT_H

#include "util.h"
#include "buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
bool text_utf8_valid(const char *s, size_t n);

/* Validate and normalise to NFC.  Returns a malloc'd string, or NULL when
 * the input is not valid UTF-8.  CR LF becomes LF; other control
 * characters except TAB and LF (when allow_newlines) are rejected. */
char *text_clean(const char *s, size_t n, bool allow_newlines);

/* NFC of valid UTF-8 (malloc'd); NULL on invalid input. */
char *text_nfc(const char *s, size_t n);

/* True for a code point that is its own NFC and never composes with its
 * neighbours (text made only of these is NFC as it stands; text_nfc and
 * text_clean then copy instead of running utf8proc).  Exposed for the
 * test that proves the set against utf8proc. */
bool text_nfc_stable(int32_t cp);

/* The folded search key (malloc'd).  Invalid UTF-8 gives "". */
char *text_search_key(const char *s);

/* URL slug: search key with spaces → '-', only [a-z0-9-], no leading,
 * trailing or doubled '-', at most max_len bytes cut at a '-'.
 * "Dân vận khéo 2024!" → "dan-van-kheo-2024". */
char *text_slug(const char *s, size_t max_len);

/* Number of code points in valid UTF-8. */
size_t text_length(const char *s);

/* Trim ASCII whitespace in place; returns s. */
char *text_trim(char *s);

/* Vietnamese number formatting: 1234567 → "1.234.567". */
void text_format_int_vi(Buf *b, int64_t v);
/* English: 1234567 → "1,234,567". */
void text_format_int_en(Buf *b, int64_t v);

#endif
