/*
 * dispatch.c — the one place that enforces the route table (see req.h for
 * what a handler can rely on, and docs/internals/web.md).
 *
 * Order of checks in dispatch_run, each ending the request on failure:
 *   URI length and UTF-8 (414/400) → route (404) → method (405) →
 *   body cap (413) → query, cookies and body parsing (400/413) →
 *   UTF-8 + NFC of every value (400) → who is asking (session or bearer
 *   token) → capability (redirect to login / 401 / 403) → CSRF for unsafe
 *   methods (403) → transaction → handler → commit or roll back.
 */
#include "dispatch.h"
#include "routes.h"
#include "server.h"
#include "pagecache.h"
#include "fragcache.h"
#include "../jobs/jobs.h"
#include "ratelimit.h"
#include "views.h"
#include "../base/crypto.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../domain/auth.h"
#include "../domain/unit.h"
#include "../ui/page.h"

#include <stdarg.h>

#define DEFAULT_BODY_CAP (16 * 1024)
#define LANG_COOKIE "dv_lang"
#define SESSION_COOKIE "dv_session"
#define ANON_COOKIE "dv_anon"

void dispatch_init(void)
{
}

void dispatch_shutdown(void)
{
	pagecache_clear();
	fragcache_clear();
}

int rc_http_status(Rc rc)
{
	switch (rc) {
	case RC_OK: return 200;
	case RC_INVALID: return 400;
	case RC_UNAUTHORIZED: return 401;
	case RC_FORBIDDEN: return 403;
	case RC_NOT_FOUND: return 404;
	case RC_METHOD: return 405;
	case RC_CONFLICT: return 409;
	case RC_TOO_LARGE: return 413;
	case RC_LOCKED: return 429;
	case RC_BUSY: return 503;
	default: return 500;
	}
}

Req *dispatch_new(void)
{
	Req *r = xcalloc(1, sizeof *r);
	params_init(&r->query);
	params_init(&r->form);
	params_init(&r->cookies);
	buf_init(&r->out, 0);
	r->lang = "vi";
	r->started_ms = util_mono_ms();
	/* Request ids need to be unique, not secret: a per-thread xorshift
	 * seeded from the system's randomness saves a syscall per request. */
	static _Thread_local uint64_t seed;
	while (!seed)
		crypto_random(&seed, sizeof seed);
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	static const char hex[] = "0123456789abcdef";
	uint64_t v = seed;
	for (int i = 15; i >= 0; i--, v >>= 4)
		r->request_id[i] = hex[v & 15];
	r->request_id[16] = 0;
	return r;
}

static Method parse_method(const char *m)
{
	static const struct { const char *name; Method m; } names[] = {
		{"GET", M_GET}, {"HEAD", M_HEAD}, {"POST", M_POST},
		{"PUT", M_PUT}, {"PATCH", M_PATCH}, {"DELETE", M_DELETE},
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (str_eq(m, names[i].name))
			return names[i].m;
	return 0;
}

static bool is_safe(Method m)
{
	return m == M_GET || m == M_HEAD;
}

static size_t route_cap(const Req *r)
{
	if (r->route && r->route->body_cap)
		return r->route->body_cap;
	return DEFAULT_BODY_CAP;
}

void dispatch_begin(Req *r, const char *method)
{
	r->method_name = method;
	r->method = parse_method(method);
	if (r->uri_too_long || !r->raw_uri)
		return;
	/* The path is everything before '?', percent-decoded. */
	const char *q = strchr(r->raw_uri, '?');
	size_t plen = q ? (size_t)(q - r->raw_uri) : strlen(r->raw_uri);
	char *path = NULL;
	size_t dlen = 0;
	if (form_url_decode(r->raw_uri, plen, false, &path, &dlen) != RC_OK)
		return; /* dispatch_run answers 400 */
	r->path = path;
	r->route = routes_match(path, r->method, &r->method_ok, r->args, &r->nargs, r->argbuf,
				sizeof r->argbuf);
	int64_t declared;
	if (r->content_length &&
	    util_parse_i64(r->content_length, 0, INT64_MAX, &declared) &&
	    (uint64_t)declared > route_cap(r))
		r->body_too_large = true;
	buf_init(&r->body, route_cap(r));
}

void dispatch_body(Req *r, const char *data, size_t n)
{
	if (r->body_too_large)
		return; /* read and dropped */
	buf_append(&r->body, data, n);
	if (!buf_ok(&r->body)) {
		r->body_too_large = true;
		buf_release(&r->body);
	}
}

/* ---- responses ----------------------------------------------------------- */

void req_header(Req *r, const char *name, const char *value)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		return;
	r->headers[r->nheaders][0] = xstrdup(name);
	r->headers[r->nheaders][1] = xstrdup(value);
	r->nheaders++;
}

bool req_is_local_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return false;
	return strlen(p) < 1024;
}

Rc req_redirect(Req *r, const char *local_path)
{
	free(r->redirect);
	r->redirect = xstrdup(req_is_local_path(local_path) ? local_path : "/");
	r->status = 303;
	return RC_OK;
}

Rc req_fail(Req *r, Rc rc, const char *msg)
{
	free(r->error);
	r->error = xstrdup(msg ? msg : "");
	return rc;
}

void req_set_cookie(Req *r, const char *name, const char *value, int64_t max_age)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%lld", (long long)max_age);
	/* Behind a TLS proxy (docs/admin.md), cookies travel over HTTPS only.
	 * A client forging the header on a plain connection only loses its
	 * own cookies. */
	if (r->forwarded_proto && strcasecmp(r->forwarded_proto, "https") == 0)
		buf_puts(&b, "; Secure");
	req_header(r, "Set-Cookie", buf_cstr(&b));
	buf_release(&b);
}

/* ---- request accessors ----------------------------------------------------- */

const char *req_param(Req *r, const char *name)
{
	const char *v = NULL;
	if (!is_safe(r->method))
		v = params_get(&r->form, name);
	return v ? v : params_get(&r->query, name);
}

const char *req_str(Req *r, const char *name)
{
	const char *v = req_param(r, name);
	return v ? v : "";
}

bool req_int(Req *r, const char *name, int64_t *out)
{
	return util_parse_i64(req_param(r, name), INT64_MIN, INT64_MAX, out);
}

const char *req_cookie(Req *r, const char *name)
{
	return params_get(&r->cookies, name);
}

bool req_can(Req *r, uint32_t cap)
{
	return r->user && (r->user->caps & cap) == cap;
}


bool req_can_unit(Req *r, uint32_t cap, int64_t unit_id)
{
	if (!req_can(r, cap))
		return false;
	if (r->user->scope_unit_id == 0)
		return true;
	if (unit_id == 0)
		return false;
	return unit_within(r->db, unit_id, r->user->scope_unit_id);
}

Rc req_part_failed(Req *r, Rc rc)
{
	if (rc != RC_OK && r->render_rc == RC_OK)
		r->render_rc = rc == RC_NOT_FOUND ? RC_DB : rc;
	return rc;
}

void req_send_bytes(Req *r, const char *type, const void *data, size_t n)
{
	buf_release(&r->out);
	buf_init(&r->out, n + 1);
	buf_append(&r->out, data, n);
	r->out_type = type;
}

void html(Req *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(&r->out, FMT_S_HTML, fmt, ap);
	va_end(ap);
}

/* ---- the pipeline ---------------------------------------------------------- */

static bool wants_json(const Req *r)
{
	return r->route && (r->route->flags & R_JSON);
}

static void error_response(Req *r, Rc rc, const char *msg)
{
	int status = rc_http_status(rc);
	r->status = status;
	buf_reset(&r->out);
	free(r->redirect);
	r->redirect = NULL;
	r->static_body = NULL;
	pagecache_body_release(r->shared_body);
	r->shared_body = NULL;
	const char *text = msg && *msg ? msg : r->error;
	if (wants_json(r) || (r->path && str_starts(r->path, "/api/"))) {
		r->out_type = "application/json; charset=utf-8";
		buf_printf(&r->out, "{\"error\":{\"code\":\"%j\",\"status\":%d,\"message\":\"%j\"}}\n",
			   rc_name(rc), status, text ? text : "");
	} else {
		r->out_type = NULL;
		page_error(r, status, text);
	}
}

/* Clean every text value: valid UTF-8 → NFC; a file part keeps its bytes. */
static bool clean_params(Params *p)
{
	for (size_t i = 0; i < p->count; i++) {
		Param *it = &p->items[i];
		char *n = text_clean(it->name, strlen(it->name), false);
		if (!n)
			return false;
		free(it->name);
		it->name = n;
		if (it->filename) {
			char *f = text_clean(it->filename, strlen(it->filename), false);
			if (!f)
				return false;
			free(it->filename);
			it->filename = f;
			continue;
		}
		if (memchr(it->value, 0, it->value_len))
			return false;
		char *v = text_clean(it->value, it->value_len, true);
		if (!v)
			return false;
		free(it->value);
		it->value = v;
		it->value_len = strlen(v);
	}
	return true;
}

static bool content_type_is(const Req *r, const char *type)
{
	if (!r->content_type)
		return false;
	size_t n = strlen(type);
	return strncasecmp(r->content_type, type, n) == 0 &&
	       (r->content_type[n] == 0 || r->content_type[n] == ';' || r->content_type[n] == ' ');
}

static Rc parse_input(Req *r)
{
	const char *q = strchr(r->raw_uri, '?');
	Rc rc;
	if (q && (rc = form_parse_urlencoded(q + 1, strlen(q + 1), &r->query)))
		return rc;
	if (!is_safe(r->method) && r->body.len) {
		if (content_type_is(r, "application/x-www-form-urlencoded")) {
			if ((rc = form_parse_urlencoded(r->body.data, r->body.len, &r->form)))
				return rc;
		} else if (content_type_is(r, "multipart/form-data")) {
			if (!(r->route->flags & R_MULTIPART))
				return RC_INVALID;
			if ((rc = form_parse_multipart(r->content_type, r->body.data, r->body.len,
						       &r->form)))
				return rc;
		} else if (content_type_is(r, "application/json")) {
			if (!(r->route->flags & R_JSON))
				return RC_INVALID;
			if (!text_utf8_valid(r->body.data, r->body.len))
				return RC_INVALID;
		} else if (!(r->route->flags & R_RAW_BODY)) {
			return RC_INVALID;
		}
	}
	if (!clean_params(&r->query) || !clean_params(&r->form))
		return RC_INVALID;
	return RC_OK;
}

/* Before the query is parsed: "lang=en" anywhere in the raw query, or the
 * cookie. choose_language refines it once the user is known. */
static void early_language(Req *r)
{
	const char *q = r->raw_uri ? strchr(r->raw_uri, '?') : NULL;
	if (q && (strstr(q, "?lang=en") || strstr(q, "&lang=en")))
		r->lang = "en";
	else if (str_eq(req_cookie(r, LANG_COOKIE), "en"))
		r->lang = "en";
}

static void choose_language(Req *r)
{
	const char *q = params_get(&r->query, "lang");
	if (str_eq(q, "vi") || str_eq(q, "en")) {
		r->lang = str_eq(q, "en") ? "en" : "vi";
		r->lang_from_query = true;
		req_set_cookie(r, LANG_COOKIE, r->lang, 365 * 86400);
		return;
	}
	const char *c = req_cookie(r, LANG_COOKIE);
	if (str_eq(c, "en") || str_eq(c, "vi")) {
		r->lang = str_eq(c, "en") ? "en" : "vi";
		return;
	}
	if (r->user)
		r->lang = str_eq(r->user->lang, "en") ? "en" : "vi";
}

/* Who is asking: a bearer token (API routes) or a session cookie. */
static Rc identify(Req *r)
{
	int64_t uid = 0;
	Rc rc;
	if (r->authorization && wants_json(r)) {
		if (strncasecmp(r->authorization, "Bearer ", 7) != 0)
			return RC_UNAUTHORIZED;
		rc = auth_token_user(r->db, r->authorization + 7, &uid);
		if (rc == RC_NOT_FOUND)
			return RC_UNAUTHORIZED;
		if (rc)
			return rc;
		r->via_token = true;
	} else {
		const char *sid = req_cookie(r, SESSION_COOKIE);
		if (sid) {
			rc = auth_session_user(r->db, sid, &uid, &r->session_last_seen);
			if (rc == RC_OK)
				xsnprintf(r->session_id, sizeof r->session_id, "%s", sid);
			else if (rc != RC_NOT_FOUND)
				return rc;
		}
	}
	if (uid) {
		rc = user_principal(r->db, uid, &r->user_store);
		if (rc == RC_OK)
			r->user = &r->user_store;
		else if (rc == RC_FORBIDDEN && r->via_token)
			return RC_UNAUTHORIZED; /* disabled account */
		else if (rc != RC_FORBIDDEN && rc != RC_NOT_FOUND)
			return rc;
	}
	return RC_OK;
}

/* CSRF tokens are HMACs of the session id (signed in) or of a random
 * anonymous cookie, so they need no storage and die with the session.
 * The token is made on demand (req_csrf, called by page_csrf_field): a
 * page without a form sets no cookie and stays cacheable. */
static bool anon_cookie(Req *r)
{
	const char *anon = req_cookie(r, ANON_COOKIE);
	if (!anon || strlen(anon) != 64 || strspn(anon, "0123456789abcdef") != 64)
		return false;
	xsnprintf(r->anon_id, sizeof r->anon_id, "%s", anon);
	return true;
}

static void csrf_for(Req *r, char out[65])
{
	Buf m = BUF_INIT;
	if (r->session_id[0])
		buf_printf(&m, "s:%s", r->session_id);
	else
		buf_printf(&m, "a:%s", r->anon_id);
	crypto_hmac_hex(server_secret(), buf_cstr(&m), out);
	buf_release(&m);
}

const char *req_csrf(Req *r)
{
	if (r->csrf[0])
		return r->csrf;
	if (!r->session_id[0] && !anon_cookie(r)) {
		crypto_random_hex(r->anon_id);
		r->set_anon_cookie = true;
	}
	csrf_for(r, r->csrf);
	return r->csrf;
}

static bool csrf_ok(Req *r)
{
	if (!r->session_id[0] && !anon_cookie(r))
		return false; /* the browser never had our cookie: no valid token */
	char want[65];
	csrf_for(r, want);
	const char *given = params_get(&r->form, "csrf");
	if (!given)
		given = r->csrf_header;
	return given && strlen(given) == 64 && util_ct_equal(given, want, 64);
}

void dispatch_session_started(Req *r, const char *sid);
void dispatch_session_started(Req *r, const char *sid)
{
	xsnprintf(r->session_id, sizeof r->session_id, "%s", sid);
	req_set_cookie(r, SESSION_COOKIE, sid, -1);
	r->csrf[0] = 0; /* the next form gets the session's token */
}

void dispatch_session_ended(Req *r);
void dispatch_session_ended(Req *r)
{
	r->session_id[0] = 0;
	r->user = NULL;
	req_set_cookie(r, SESSION_COOKIE, "", 0);
}

static void add_standard_headers(Req *r)
{
	req_header(r, "Content-Security-Policy",
		   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
		   " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	req_header(r, "X-Content-Type-Options", "nosniff");
	req_header(r, "X-Frame-Options", "DENY");
	req_header(r, "Referrer-Policy", "same-origin");
	req_header(r, "X-Request-Id", r->request_id);
}

static Rc run_handler(Req *r)
{
	const Route *rt = r->route;
	Rc rc;
	if (!(rt->flags & R_NOTX)) {
		rc = is_safe(r->method) ? db_begin(r->db) : db_begin_write(r->db);
		if (rc)
			return rc;
	}
	rc = rt->handler(r);
	if (rc == RC_OK && r->render_rc != RC_OK)
		rc = r->render_rc;
	if (!(rt->flags & R_NOTX)) {
		if (rc == RC_OK) {
			rc = db_commit(r->db);
			if (rc)
				db_rollback(r->db);
		} else {
			db_rollback(r->db);
		}
	}
	return rc;
}

/* Keep the session alive: a tiny write outside the read transaction, at
 * most once a minute (an UPDATE that changes nothing still takes the
 * write lock, which every request would then queue for). */
static void touch_session(Req *r)
{
	if (r->session_id[0] && util_now() - r->session_last_seen >= AUTH_TOUCH_EVERY)
		auth_session_touch(r->db, r->session_id);
}

/* The page-cache key of a signed-in reader's page: the user, a digest of
 * the session cookie (the cookie itself never sits in the cache), the
 * language and the address. */
static char *private_cache_key(Req *r)
{
	char digest[65] = "token";
	if (r->session_id[0])
		crypto_sha256_hex(r->session_id, strlen(r->session_id), digest);
	Buf k = BUF_INIT;
	buf_printf(&k, "private|%lld|%.*s|%s|%s", (long long)r->user->id, 32, digest, r->lang, r->raw_uri);
	return buf_detach(&k, NULL);
}

void dispatch_run(Req *r)
{
	Rc rc = RC_OK;
	char *cache_key = NULL;
	unsigned long cache_gen = pagecache_generation();
	r->cache_gen = cache_gen;
	add_standard_headers(r);
	/* Cookies and the language first, so even a 404 speaks the visitor's
	 * language. */
	if (r->cookie_header)
		form_parse_cookies(r->cookie_header, &r->cookies);
	early_language(r);
	if (r->uri_too_long) {
		r->status = 414;
		page_error(r, 414, "URI too long");
		goto finish;
	}
	if (!r->path || !text_utf8_valid(r->path, strlen(r->path)) || !r->method) {
		rc = r->method ? RC_INVALID : RC_METHOD;
		goto fail;
	}
	if (!r->route) {
		rc = RC_NOT_FOUND;
		goto fail;
	}
	if (!r->method_ok) {
		rc = RC_METHOD;
		goto fail;
	}
	if (r->body_too_large) {
		rc = req_fail(r, RC_TOO_LARGE, NULL);
		goto fail;
	}
	if ((r->route->flags & R_RATE_LIMIT) &&
	    !ratelimit_take(r->route->pattern, r->client_ip, util_mono_ms())) {
		req_header(r, "Retry-After", "60");
		rc = req_fail(r, RC_LOCKED, NULL);
		goto fail;
	}
	if (!r->db) {
		rc = RC_BUSY;
		goto fail;
	}
	if ((rc = parse_input(r)))
		goto fail;
	if ((rc = identify(r)))
		goto fail;
	choose_language(r);
	/* Public pages for visitors without a session come from memory. */
	if ((r->route->flags & R_PUBLIC_CACHE) && is_safe(r->method) && !r->user &&
	    !req_cookie(r, SESSION_COOKIE) && !r->lang_from_query) {
		Buf k = BUF_INIT;
		buf_printf(&k, "%s|%s", r->lang, r->raw_uri);
		cache_key = buf_detach(&k, NULL);
		if (pagecache_get(r, cache_key))
			goto finish;
	}
	if (r->route->cap) {
		if (!r->user) {
			if (wants_json(r)) {
				rc = RC_UNAUTHORIZED;
				goto fail;
			}
			Buf next = BUF_INIT;
			buf_printf(&next, "/login?next=%u", r->path);
			req_redirect(r, buf_cstr(&next));
			buf_release(&next);
			goto finish;
		}
		if (!req_can(r, r->route->cap)) {
			rc = RC_FORBIDDEN;
			goto fail;
		}
	}
	/* Staff lists come from memory too, kept per reader: the key names the
	 * session (or the user of an API token), so no one is ever served
	 * another's page, and the capability check above has already run. */
	if ((r->route->flags & R_PRIVATE_CACHE) && is_safe(r->method) && r->user && !r->lang_from_query) {
		cache_key = private_cache_key(r);
		if (pagecache_get(r, cache_key)) {
			touch_session(r);
			goto finish;
		}
	}
	if (!is_safe(r->method) && (r->route->flags & R_CSRF) && !r->via_token && !csrf_ok(r)) {
		rc = req_fail(r, RC_FORBIDDEN, tr(r->lang, "The form has expired. Please go back, reload the page and try again."));
		goto fail;
	}
	rc = run_handler(r);
	if (rc)
		goto fail;
	if (cache_key && r->status == 0 && !r->set_anon_cookie && !r->redirect && r->nheaders <= 5)
		pagecache_put(r, cache_key, cache_gen);
	/* Any committed write may change what public pages show, and may
	 * give the background worker something to do (a case to compare
	 * with earlier ones, a receipt to send). */
	if (!is_safe(r->method)) {
		pagecache_invalidate();
		jobs_kick();
	}
	if (is_safe(r->method))
		touch_session(r);
	goto finish;
fail:
	if (rc == RC_DB || rc == RC_INTERNAL || rc == RC_IO)
		log_error("req=%s msg=\"handler failed\" rc=%s db=\"%j\"", r->request_id, rc_name(rc),
			  r->db ? db_errmsg(r->db) : "");
	error_response(r, rc, NULL);
finish:
	free(cache_key);
	/* an article read, from the cache or freshly rendered (not HEAD) */
	if (r->view_id && r->method == M_GET && (r->status == 0 || r->status == 200 || r->status == 304))
		views_hit(r->view_id, r->user_agent);
	if (!r->status)
		r->status = 200;
	if (r->redirect) {
		req_header(r, "Location", r->redirect);
		buf_reset(&r->out);
	}
	if (r->set_anon_cookie)
		req_set_cookie(r, ANON_COOKIE, r->anon_id, -1);
	if (!r->static_body)
		req_header(r, "Content-Type", r->out_type ? r->out_type : "text/html; charset=utf-8");
	if (r->cache_control)
		req_header(r, "Cache-Control", r->cache_control);
	else if (r->user || r->session_id[0] || !is_safe(r->method) || r->status >= 400)
		req_header(r, "Cache-Control", "no-store");
	else
		req_header(r, "Cache-Control", "no-cache");
}

void dispatch_finish(Req *r, bool aborted)
{
	if (!r)
		return;
	Buf line = BUF_INIT;
	buf_printf(&line, "req=%s", r->request_id);
	log_kv(&line, "ip", r->client_ip);
	log_kv(&line, "method", r->method_name ? r->method_name : "-");
	/* tracking codes are secrets: never write them to the log */
	if (r->route && (r->route->flags & R_SECRET_PATH))
		log_kv(&line, "path", r->route->pattern);
	else if (!r->route && r->path && str_starts(r->path, "/tra-cuu/"))
		log_kv(&line, "path", "/tra-cuu/*"); /* a mistyped tracking URL still holds a code */
	else
		log_kv(&line, "path", r->path ? r->path : "-");
	buf_printf(&line, " status=%d bytes=%zu ms=%lld user=%lld%s", r->status, r->sent_bytes,
		   (long long)(util_mono_ms() - r->started_ms),
		   (long long)(r->user ? r->user->id : 0), aborted ? " aborted=1" : "");
	log_access_line(&line);
	buf_release(&line);

	pagecache_body_release(r->shared_body); /* not handed to MHD */
	free(r->raw_uri);
	free((char *)r->path);
	params_release(&r->query);
	params_release(&r->form);
	params_release(&r->cookies);
	buf_release(&r->body);
	buf_release(&r->out);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i][0]);
		free(r->headers[i][1]);
	}
	free(r->error);
	free(r->redirect);
	free(r);
}
