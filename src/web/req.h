/*
 * req.h — one HTTP request and its response, passed explicitly to every
 * handler (libmicrohttpd runs handlers on several threads: there is no
 * global request state).
 *
 * By the time a handler runs, the dispatcher (web/dispatch.c) has:
 *  - matched the route (routes.def), checked the method, the body cap,
 *    the capability and, for unsafe methods, the CSRF token;
 *  - parsed query, body (urlencoded, multipart or JSON) and cookies, and
 *    validated + NFC-normalised every text value (invalid UTF-8 → 400);
 *  - loaded the session or bearer token into r->user;
 *  - opened a transaction: read-only for GET/HEAD, a write transaction for
 *    unsafe methods, committed when the handler returns RC_OK and rolled
 *    back otherwise.
 * The handler writes the body into r->out (html()/jw_*), may set status,
 * content type, headers or a redirect, and returns an Rc.  A non-OK Rc
 * with req_fail() becomes an error page (or JSON error for API routes) in
 * the site's look.
 */
#ifndef DANVAN_REQ_H
#define DANVAN_REQ_H

#include "../base/util.h"
#include "../base/buf.h"
#include "../store/db.h"
#include "form.h"
#include "../domain/user.h"

typedef enum Method {
	M_GET = 1, M_HEAD = 2, M_POST = 4, M_PUT = 8, M_PATCH = 16, M_DELETE = 32
} Method;

#define REQ_MAX_ARGS 4
#define REQ_MAX_HEADERS 12

/* The signed-in user as the request sees it (domain/user.h). */
typedef Principal ReqUser;

typedef struct Route Route;

typedef struct Req {
	/* request: raw, as received (filled by web/server.c) */
	char *raw_uri;
	bool uri_too_long;
	bool started;
	bool counted_in_flight;      /* server.c: counted for the shutdown drain */
	bool body_too_large;
	const char *cookie_header;
	const char *csrf_header;
	const char *content_length;
	const char *forwarded_proto; /* X-Forwarded-Proto from the TLS proxy */
	const char *method_name;

	/* request: parsed (web/dispatch.c) */
	Method method;
	const char *path;            /* decoded, without the query */
	const char *args[REQ_MAX_ARGS]; /* '*' segments captured from the route */
	int nargs;
	Params query, form, cookies;
	const char *content_type;
	const char *accept_language;
	const char *user_agent;
	const char *if_none_match;
	const char *authorization;
	char client_ip[64];
	char request_id[17];
	Buf body;                    /* raw body (capped by the route) */
	const Route *route;
	bool method_ok;
	char argbuf[512];

	/* context */
	Db *db;
	ReqUser *user;               /* NULL when anonymous */
	ReqUser user_store;
	bool via_token;              /* authenticated by API bearer token */
	char session_id[65];         /* raw cookie value when a session exists */
	int64_t session_last_seen;   /* the session's last_seen when looked up */
	char anon_id[65];            /* anonymous CSRF cookie value */
	bool set_anon_cookie;
	char csrf[65];               /* token for forms: use req_csrf() */
	const char *lang;            /* "vi" (default) or "en" */
	bool lang_from_query;
	int64_t started_ms;

	/* response */
	int status;                  /* 0 → 200 */
	const char *out_type;        /* Content-Type, NULL → text/html */
	Buf out;
	char *headers[REQ_MAX_HEADERS][2];
	int nheaders;
	char *error;                 /* message set by req_fail */
	char *redirect;              /* set by req_redirect */
	bool no_store;               /* Cache-Control: no-store (default for signed-in pages) */
	const char *cache_control;   /* overrides the default */
	const unsigned char *static_body; /* set by asset handlers: served without copying */
	struct PageBody *shared_body;     /* a page-cache hit: one reference (pagecache.h) */
	unsigned long cache_gen;          /* pagecache_generation() before the handler's
					     snapshot: what fragcache_put must be given */
	size_t static_len;
	size_t sent_bytes;           /* body length, for the access log */
	Rc render_rc;                /* a part of the page failed to load: set by
					render helpers that return void (req_part_failed);
					the dispatcher then answers with the error instead
					of a page with a hole in it */
	int64_t view_id;             /* an article shown: the dispatcher counts the view
					(views_hit), on page-cache hits too */
} Req;

/* Query or form value (form first for unsafe methods), or NULL. */
const char *req_param(Req *r, const char *name);
/* Same, but "" instead of NULL. */
const char *req_str(Req *r, const char *name);
/* Integer parameter; false if absent or malformed. */
bool req_int(Req *r, const char *name, int64_t *out);
const char *req_cookie(Req *r, const char *name);

/* Record an error for the error page and return rc, so handlers write
 * `return req_fail(r, RC_INVALID, _("Title must not be empty"));` */
Rc req_fail(Req *r, Rc rc, const char *msg);
/* 303 See Other to a local path (must start with '/', not '//'). */
Rc req_redirect(Req *r, const char *local_path);
void req_header(Req *r, const char *name, const char *value);
void req_set_cookie(Req *r, const char *name, const char *value, int64_t max_age);
bool req_is_local_path(const char *p);
/* The CSRF token for forms of this request (sets the anonymous cookie
 * when a visitor without a session first gets a form). */
const char *req_csrf(Req *r);

/* HTML output: %s (and %h) escape, %r writes trusted markup raw, %u and
 * %j as in buf_printf.  The build's codecheck requires a literal format. */
void html(Req *r, const char *fmt, ...);

/* Answer with these bytes as they are (a download): replaces anything
 * already written; `type` must be a string literal or live as long as the
 * request.  The sanctioned way around html() for non-HTML bodies. */
void req_send_bytes(Req *r, const char *type, const void *data, size_t n);

/* Record that a part of the page could not be loaded (the first error
 * wins).  Returns rc for convenience. */
Rc req_part_failed(Req *r, Rc rc);

/* Translate a message id into the request's language (see i18n.h). */
const char *tr(const char *lang, const char *msgid);
#define _(s) tr(r->lang, s)

/* Does the signed-in user hold `cap`, and does their area scope cover the
 * administrative unit `unit_id` (0 = an object with no unit, which only a
 * central user covers)?  Used by handlers on every object they touch. */
bool req_can(Req *r, uint32_t cap);
bool req_can_unit(Req *r, uint32_t cap, int64_t unit_id);

#endif
