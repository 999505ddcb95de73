/*
 * json.h — writing JSON.  Output goes through this writer only, so every
 * string is escaped and commas are always right.  Parsing untrusted JSON
 * uses jansson (json_parse_capped, which caps size and depth).
 *
 *   JsonW w; jw_init(&w, &buf);
 *   jw_obj(&w);
 *     jw_key(&w, "name"); jw_str(&w, name);
 *     jw_key(&w, "ids");  jw_arr(&w); jw_int(&w, 1); jw_end(&w);
 *   jw_end(&w);
 *
 * Misuse (a value where a key is due, unbalanced ends, nesting deeper than
 * JW_MAX_DEPTH) sets the Buf's sticky error.
 */
#ifndef DANVAN_JSON_H
#define DANVAN_JSON_H

#include "buf.h"

#define JW_MAX_DEPTH 32

typedef struct JsonW {
	Buf *out;
	int depth;
	/* per level: 'o' object or 'a' array; count of items; key pending */
	char kind[JW_MAX_DEPTH];
	int count[JW_MAX_DEPTH];
	bool key_done[JW_MAX_DEPTH];
} JsonW;

void jw_init(JsonW *w, Buf *out);
void jw_obj(JsonW *w);
void jw_arr(JsonW *w);
void jw_end(JsonW *w);
void jw_key(JsonW *w, const char *key);
void jw_str(JsonW *w, const char *s);   /* NULL writes null */
void jw_strn(JsonW *w, const char *s, size_t n);
void jw_int(JsonW *w, int64_t v);
void jw_bool(JsonW *w, bool v);
void jw_null(JsonW *w);
/* True when every container was closed and nothing went wrong. */
bool jw_finished(const JsonW *w);

/* Parse untrusted JSON text (≤ max bytes, nesting ≤ 32).  Returns a jansson
 * json_t * (cast to void * so callers need not include jansson) or NULL;
 * free with json_release. */
void *json_parse_capped(const char *s, size_t n, size_t max);
void json_release(void *j);

#endif
