/*
 * routes.c — the route table, expanded from routes.def, and its matcher.
 *
 * Matching is a linear scan: the table has tens of rows and comparing
 * segments is cheaper than hashing a path.  The first row whose pattern
 * matches and whose methods include the request's wins; when patterns
 * match but no row takes the method, the answer is 405.
 */
#include "routes.h"
#include "handlers.h"

const Route routes[] = {
#define ROUTE(methods, pattern, handler, cap, flags, body_cap) \
	{methods, pattern, handler, #handler, cap, flags, body_cap},
#include "routes.def"
#undef ROUTE
};
const size_t routes_count = ARRAY_LEN(routes);

/* Does `path` match `pattern`?  Captured segments are copied into argbuf. */
static bool match(const char *pattern, const char *path, const char **args, int *nargs,
		  char *argbuf, size_t argbuf_len)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;
	while (*p && *s) {
		if (*p == '*') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (len == 0 || n >= REQ_MAX_ARGS || used + len + 1 > argbuf_len)
				return false;
			memcpy(argbuf + used, s, len);
			argbuf[used + len] = 0;
			args[n++] = argbuf + used;
			used += len + 1;
			s += len;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	*nargs = n;
	return true;
}

const Route *routes_match(const char *path, Method m, bool *method_ok, const char **args,
			  int *nargs, char *argbuf, size_t argbuf_len)
{
	const Route *found = NULL;
	*method_ok = false;
	for (size_t i = 0; i < routes_count; i++) {
		int n = 0;
		if (!match(routes[i].pattern, path, args, &n, argbuf, argbuf_len))
			continue;
		if (routes[i].methods & m) {
			*nargs = n;
			*method_ok = true;
			return &routes[i];
		}
		if (!found) {
			found = &routes[i];
			*nargs = n;
		}
	}
	if (found) /* re-capture args for the first pattern that matched */
		match(found->pattern, path, args, nargs, argbuf, argbuf_len);
	return found;
}
