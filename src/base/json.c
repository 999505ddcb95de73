/*
 * json.c — the JSON writer (JsonW) and capped parsing of untrusted JSON
 * via jansson (see json.h).
 *
 * The writer keeps a small stack of open containers so it can place
 * commas itself and refuse misuse (a value where a key is due, a key in
 * an array, unbalanced ends, a second top-level value).  Misuse is a
 * programming error; it sets the output Buf's sticky error so the caller's
 * single buf_ok() check turns it into a 500 rather than malformed JSON.
 */
#include "json.h"

#include <jansson.h>

/*
 * State beyond the open containers: depth counts them, and once the one
 * top-level value is complete depth becomes JW_DONE, after which any
 * further write is misuse.
 */
#define JW_DONE (-1)

static void jw_fail(JsonW *w)
{
	w->out->err = true;
}

void jw_init(JsonW *w, Buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

/* Called before writing any value (scalar or container opener): checks a
 * value is allowed here and writes the separating comma.  False on
 * misuse. */
static bool jw_value_start(JsonW *w)
{
	if (w->out->err || w->depth == JW_DONE)
		goto misuse;
	if (w->depth == 0)
		return true;
	int top = w->depth - 1;
	if (w->kind[top] == 'o') {
		if (!w->key_done[top])
			goto misuse; /* jw_key first */
		w->key_done[top] = false;
		return true; /* jw_key already wrote the comma */
	}
	if (w->count[top]++ > 0)
		buf_putc(w->out, ',');
	return true;
misuse:
	jw_fail(w);
	return false;
}

/* Called after a complete value: a finished top-level value ends the
 * document. */
static void jw_value_end(JsonW *w)
{
	if (w->depth == 0)
		w->depth = JW_DONE;
}

static void jw_open(JsonW *w, char kind, char bracket)
{
	if (!jw_value_start(w))
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		jw_fail(w);
		return;
	}
	w->kind[w->depth] = kind;
	w->count[w->depth] = 0;
	w->key_done[w->depth] = false;
	w->depth++;
	buf_putc(w->out, bracket);
}

void jw_obj(JsonW *w)
{
	jw_open(w, 'o', '{');
}

void jw_arr(JsonW *w)
{
	jw_open(w, 'a', '[');
}

void jw_end(JsonW *w)
{
	if (w->out->err || w->depth <= 0) {
		jw_fail(w);
		return;
	}
	int top = w->depth - 1;
	if (w->kind[top] == 'o' && w->key_done[top]) {
		jw_fail(w); /* a key with no value */
		return;
	}
	buf_putc(w->out, w->kind[top] == 'o' ? '}' : ']');
	w->depth--;
	jw_value_end(w);
}

void jw_key(JsonW *w, const char *key)
{
	int top = w->depth - 1;
	if (w->out->err || !key || w->depth <= 0 || w->kind[top] != 'o' ||
	    w->key_done[top]) {
		jw_fail(w);
		return;
	}
	if (w->count[top]++ > 0)
		buf_putc(w->out, ',');
	buf_putc(w->out, '"');
	buf_json_escape(w->out, key, strlen(key));
	buf_puts(w->out, "\":");
	w->key_done[top] = true;
}

/* A bare token (number, true, false, null) as a value. */
static void jw_raw_value(JsonW *w, const char *token)
{
	if (!jw_value_start(w))
		return;
	buf_puts(w->out, token);
	jw_value_end(w);
}

void jw_strn(JsonW *w, const char *s, size_t n)
{
	if (!s) {
		jw_null(w);
		return;
	}
	if (!jw_value_start(w))
		return;
	buf_putc(w->out, '"');
	buf_json_escape(w->out, s, n);
	buf_putc(w->out, '"');
	jw_value_end(w);
}

void jw_str(JsonW *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void jw_int(JsonW *w, int64_t v)
{
	char num[32];
	xsnprintf(num, sizeof num, "%lld", (long long)v);
	jw_raw_value(w, num);
}

void jw_bool(JsonW *w, bool v)
{
	jw_raw_value(w, v ? "true" : "false");
}

void jw_null(JsonW *w)
{
	jw_raw_value(w, "null");
}

bool jw_finished(const JsonW *w)
{
	return w->depth == JW_DONE && buf_ok(w->out);
}

/* ---- parsing -------------------------------------------------------- */

#define JSON_PARSE_MAX_DEPTH 32

/*
 * Deepest bracket nesting of s[0..n), counting only brackets outside
 * strings.  Done before jansson sees the text so that hostile input
 * ("[[[[…") is refused in one linear pass instead of driving the
 * parser's recursion.  Stops counting past `limit`.  Malformed input
 * (unbalanced, unterminated strings) is left for jansson to reject.
 */
static int json_max_depth(const char *s, size_t n, int limit)
{
	int depth = 0, deepest = 0;
	bool in_string = false, escaped = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
			if (deepest > limit)
				return deepest;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return deepest;
}

void *json_parse_capped(const char *s, size_t n, size_t max)
{
	if (!s || n > max)
		return NULL;
	if (json_max_depth(s, n, JSON_PARSE_MAX_DEPTH) > JSON_PARSE_MAX_DEPTH)
		return NULL;
	json_error_t error;
	/* Duplicate keys are refused: two readers of the same document must
	 * not disagree about which value counts. */
	return json_loadb(s, n, JSON_REJECT_DUPLICATES, &error);
}

void json_release(void *j)
{
	if (j)
		json_decref((json_t *)j);
}
