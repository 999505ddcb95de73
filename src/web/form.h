/*
 * form.h — parsers for what a client sends: query strings, urlencoded
 * bodies, multipart/form-data bodies and Cookie headers.  Pure functions
 * over byte ranges (no libmicrohttpd), so they are unit-tested and fuzzed
 * directly.
 *
 * Results go into a Params list of name/value pairs (malloc'd copies,
 * NUL-terminated; values may contain NUL only for file parts, hence the
 * explicit length).  Caps: at most FORM_MAX_FIELDS fields, names of at
 * most FORM_MAX_NAME bytes; anything beyond is RC_TOO_LARGE, malformed
 * input RC_INVALID.  Text is NOT validated as UTF-8 here: the request
 * layer does that (text_clean) for every non-file value.
 */
#ifndef DANVAN_FORM_H
#define DANVAN_FORM_H

#include "../base/util.h"

#define FORM_MAX_FIELDS 256
#define FORM_MAX_NAME 128

typedef struct Param {
	char *name;
	char *value;
	size_t value_len;
	char *filename;     /* multipart file parts only, else NULL */
	char *content_type; /* multipart parts that sent one, else NULL */
} Param;

typedef struct Params {
	Param *items;
	size_t count;
	size_t cap;
} Params;

void params_init(Params *p);
void params_release(Params *p);
void params_add(Params *p, const char *name, size_t nlen, const char *value, size_t vlen);
/* First value of `name`, or NULL. */
const char *params_get(const Params *p, const char *name);
const Param *params_find(const Params *p, const char *name);

/* "a=1&b=x%20y+z" (query strings and application/x-www-form-urlencoded).
 * '+' means space; %XX decoded; a bad escape is RC_INVALID. */
Rc form_parse_urlencoded(const char *s, size_t n, Params *out);

/* multipart/form-data: `content_type` is the whole Content-Type header
 * (the boundary is taken from it). */
Rc form_parse_multipart(const char *content_type, const char *body, size_t n, Params *out);

/* Cookie header: "a=1; b=2".  Malformed pairs are skipped, not errors
 * (browsers send odd cookies). */
Rc form_parse_cookies(const char *header, Params *out);

/* Percent-decode (and '+' → ' ' when plus_space) into a malloc'd string. */
Rc form_url_decode(const char *s, size_t n, bool plus_space, char **out, size_t *out_len);

#endif
