/*
 * routes.h — the route table (routes.def) and its matcher.
 *
 * routes.def lists every route once:
 *   ROUTE(methods, pattern, handler, capability, flags, body_cap)
 * `pattern` is a path where a '*' segment matches one non-empty segment
 * and is captured into r->args.  The dispatcher enforces everything in
 * the row; tests/unit/test_routes.c checks the table itself, and
 * tests/unit/test_openapi.c that every /api/v1 row is in the OpenAPI document.
 */
#ifndef DANVAN_ROUTES_H
#define DANVAN_ROUTES_H

#include "req.h"

typedef Rc (*Handler)(Req *r);

enum RouteFlag {
	R_CSRF = 1,      /* unsafe method needs a valid CSRF token (forms) */
	R_JSON = 2,      /* errors as JSON; bearer tokens accepted; no CSRF for tokens */
	R_NOTX = 4,      /* the handler manages its own transactions (or needs none) */
	R_MULTIPART = 8, /* accepts multipart/form-data */
	R_PUBLIC_CACHE = 16, /* public, cacheable response */
	R_SECRET_PATH = 32,  /* the path holds a secret (a tracking code): the
				access log records the route pattern instead */
	R_RAW_BODY = 64,     /* accepts any body type as raw bytes (uploads) */
	R_RATE_LIMIT = 128,  /* per-client token bucket (web/ratelimit.h): 429 when empty */
	R_PRIVATE_CACHE = 256, /* a signed-in reader's page, kept per session (pagecache.h) */
};

struct Route {
	unsigned methods;
	const char *pattern;
	Handler handler;
	const char *handler_name;
	uint32_t cap;
	unsigned flags;
	size_t body_cap;
};

extern const Route routes[];
extern const size_t routes_count;

/* Find the route for a path.  Returns the route whose pattern matches
 * (any method), filling args; *method_ok tells if the method is allowed.
 * NULL when no pattern matches. */
const Route *routes_match(const char *path, Method m, bool *method_ok,
			  const char **args, int *nargs, char *argbuf, size_t argbuf_len);

#endif
