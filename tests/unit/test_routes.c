/*
 * test_routes.c — the route table and the dispatcher's enforcement, driven
 * directly (no sockets): what the dispatcher promises every handler
 * (web/req.h) is checked here request by request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/user.h"
#include "domain/unit.h"
#include "store/schema.h"
#include "web/dispatch.h"
#include "web/pagecache.h"
#include "web/ratelimit.h"
#include "web/routes.h"
#include "web/server.h"

static char dir[64];
static Db *db;
static int64_t user_id;

static int setup(void **state)
{
	(void)state;
	setenv("DANVAN_FAST_HASH", "1", 1);
	crypto_init();
	server_set_secret("0123456789abcdef0123456789abcdef");
	xsnprintf(dir, sizeof dir, "/tmp/danvan-routes-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	Actor a = {0, "test"};
	int64_t org;
	if (db_begin_write(db) ||
	    org_create(db, &a, 0, 0, "massmob_commission", "central", "Ban Tuyên giáo và Dân vận Trung ương", "",
		       "2025-02-03", &org) ||
	    user_create(db, &a, "hoa.tran", "Trần Thị Hoà", "", org, "correct horse battery", &user_id) ||
	    db_commit(db))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	server_set_secret(NULL);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

typedef struct Call {
	const char *method, *uri, *ctype, *cookie, *csrf_header;
	const char *body;
	size_t body_len; /* 0 → strlen(body) */
	const char *authorization;
} Call;

static Req *run(Call c)
{
	Req *r = dispatch_new();
	r->raw_uri = xstrdup(c.uri);
	r->content_type = c.ctype;
	r->cookie_header = c.cookie;
	r->csrf_header = c.csrf_header;
	r->authorization = c.authorization;
	size_t n = c.body ? (c.body_len ? c.body_len : strlen(c.body)) : 0;
	char len[32];
	xsnprintf(len, sizeof len, "%zu", n);
	if (c.body)
		r->content_length = len;
	dispatch_begin(r, c.method);
	r->content_length = NULL; /* borrowed from this frame */
	/* feed the body in chunks, as the server does */
	for (size_t off = 0; off < n; off += 65536)
		dispatch_body(r, c.body + off, n - off < 65536 ? n - off : 65536);
	r->db = db;
	dispatch_run(r);
	return r;
}

static const char *header(Req *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i][0], name) == 0)
			return r->headers[i][1];
	return NULL;
}

static void test_table_is_sound(void **state)
{
	(void)state;
	assert_true(routes_count > 5);
	for (size_t i = 0; i < routes_count; i++) {
		const Route *rt = &routes[i];
		assert_non_null(rt->handler);
		assert_true(rt->methods != 0);
		assert_int_equal(rt->pattern[0], '/');
		/* every unsafe form route is CSRF-protected (API routes use tokens,
		 * or CSRF for sessions) */
		if (rt->methods & (M_POST | M_PUT | M_PATCH | M_DELETE))
			assert_true(rt->flags & (R_CSRF | R_JSON));
		/* no two rows with the same pattern share a method */
		for (size_t j = i + 1; j < routes_count; j++)
			if (str_eq(rt->pattern, routes[j].pattern))
				assert_int_equal(rt->methods & routes[j].methods, 0);
		/* API routes answer in JSON */
		if (str_starts(rt->pattern, "/api/"))
			assert_true(rt->flags & R_JSON);
	}
}

static void test_match(void **state)
{
	(void)state;
	const char *args[REQ_MAX_ARGS];
	int nargs = 0;
	bool ok = false;
	char buf[128];
	const Route *rt = routes_match("/assets/site.css", M_GET, &ok, args, &nargs, buf, sizeof buf);
	assert_non_null(rt);
	assert_true(ok);
	assert_string_equal(rt->handler_name, "web_asset");
	assert_int_equal(nargs, 1);
	assert_string_equal(args[0], "site.css");
	/* '*' never matches an empty segment or crosses a '/' */
	assert_null(routes_match("/assets/", M_GET, &ok, args, &nargs, buf, sizeof buf));
	assert_null(routes_match("/assets/a/b", M_GET, &ok, args, &nargs, buf, sizeof buf));
	assert_null(routes_match("/nowhere", M_GET, &ok, args, &nargs, buf, sizeof buf));
	rt = routes_match("/login", M_DELETE, &ok, args, &nargs, buf, sizeof buf);
	assert_non_null(rt);
	assert_false(ok);
	rt = routes_match("/login", M_POST, &ok, args, &nargs, buf, sizeof buf);
	assert_true(ok);
	assert_string_equal(rt->handler_name, "ui_login");
}

static void test_home_and_headers(void **state)
{
	(void)state;
	Req *r = run((Call){.method = "GET", .uri = "/"});
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(buf_cstr(&r->out), "<html lang=\"vi\">"));
	/* today's Vietnamese date in the header ("Chủ Nhật, 29/11/2026") */
	Buf today = BUF_INIT;
	date_format_vi_long(&today, date_vn_from_unix(util_now()));
	assert_non_null(strstr(buf_cstr(&r->out), buf_cstr(&today)));
	buf_release(&today);
	assert_non_null(strstr(header(r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_null(strstr(header(r, "Content-Security-Policy"), "unsafe-inline"));
	assert_string_equal(header(r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(header(r, "Referrer-Policy"));
	assert_int_equal(strlen(header(r, "X-Request-Id")), 16);
	/* a page without forms sets no cookie (it stays cacheable) … */
	assert_null(header(r, "Set-Cookie"));
	dispatch_finish(r, false);
	/* … a page with a form gives the visitor the CSRF cookie */
	r = run((Call){.method = "GET", .uri = "/login"});
	assert_non_null(header(r, "Set-Cookie"));
	assert_non_null(strstr(header(r, "Set-Cookie"), "dv_anon="));
	assert_non_null(strstr(buf_cstr(&r->out), "name=\"csrf\""));
	dispatch_finish(r, false);

	r = run((Call){.method = "GET", .uri = "/?lang=en"});
	assert_non_null(strstr(buf_cstr(&r->out), "<html lang=\"en\">"));
	dispatch_finish(r, false);
}

static void test_errors(void **state)
{
	(void)state;
	Req *r = run((Call){.method = "GET", .uri = "/no/such/page"});
	assert_int_equal(r->status, 404);
	assert_non_null(strstr(buf_cstr(&r->out), "site-header")); /* in the site's look */
	dispatch_finish(r, false);

	r = run((Call){.method = "DELETE", .uri = "/login"});
	assert_int_equal(r->status, 405);
	dispatch_finish(r, false);

	r = run((Call){.method = "BREW", .uri = "/"});
	assert_int_equal(r->status, 405);
	dispatch_finish(r, false);

	/* invalid UTF-8 in the path, the query and a form body */
	r = run((Call){.method = "GET", .uri = "/%FF"});
	assert_int_equal(r->status, 400);
	dispatch_finish(r, false);
	r = run((Call){.method = "GET", .uri = "/?q=%C3%28"});
	assert_int_equal(r->status, 400);
	dispatch_finish(r, false);
	r = run((Call){.method = "POST", .uri = "/login", .ctype = "application/x-www-form-urlencoded",
		       .body = "login=%FF%FE&password=x"});
	assert_int_equal(r->status, 400);
	dispatch_finish(r, false);

	/* an unknown body type is refused */
	r = run((Call){.method = "POST", .uri = "/login", .ctype = "text/plain", .body = "hello"});
	assert_int_equal(r->status, 400);
	dispatch_finish(r, false);

	/* the API answers errors in JSON */
	r = run((Call){.method = "GET", .uri = "/api/v1/me"});
	assert_int_equal(r->status, 401);
	assert_non_null(strstr(r->out_type, "application/json"));
	assert_non_null(strstr(buf_cstr(&r->out), "\"unauthorized\""));
	dispatch_finish(r, false);
	r = run((Call){.method = "GET", .uri = "/api/v1/me", .authorization = "Bearer dvt_nonsense"});
	assert_int_equal(r->status, 401);
	dispatch_finish(r, false);
}

static int64_t audit_count(void)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit", ""), RC_OK);
	return n;
}

static void test_body_cap(void **state)
{
	(void)state;
	int64_t before = audit_count();
	size_t big = 10u << 20;
	char *body = xmalloc(big);
	memset(body, 'a', big);
	memcpy(body, "login=", 6);
	Req *r = run((Call){.method = "POST", .uri = "/login", .ctype = "application/x-www-form-urlencoded",
			    .body = body, .body_len = big});
	assert_int_equal(r->status, 413);
	assert_non_null(strstr(buf_cstr(&r->out), "site-header"));
	dispatch_finish(r, false);
	free(body);
	assert_int_equal(audit_count(), before);
}

/* Log in through the dispatcher: returns the session cookie header value. */
static void login(char *cookie, size_t n)
{
	/* get an anonymous cookie + token */
	Req *r = run((Call){.method = "GET", .uri = "/login"});
	const char *set = header(r, "Set-Cookie");
	char anon[65];
	assert_non_null(set);
	assert_int_equal(sscanf(set, "dv_anon=%64[0-9a-f]", anon), 1);
	char csrf[65];
	xsnprintf(csrf, sizeof csrf, "%s", r->csrf);
	dispatch_finish(r, false);

	char ck[128], body[256];
	xsnprintf(ck, sizeof ck, "dv_anon=%s", anon);
	xsnprintf(body, sizeof body, "login=hoa.tran&password=correct+horse+battery&csrf=%s", csrf);
	r = run((Call){.method = "POST", .uri = "/login", .ctype = "application/x-www-form-urlencoded",
		       .body = body, .cookie = ck});
	assert_int_equal(r->status, 303);
	char sid[65] = "";
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i][0], "Set-Cookie") == 0 &&
		    sscanf(r->headers[i][1], "dv_session=%64[0-9a-f]", sid) == 1)
			break;
	assert_int_equal(strlen(sid), 64);
	xsnprintf(cookie, n, "dv_session=%s", sid);
	dispatch_finish(r, false);
}

static void test_csrf(void **state)
{
	(void)state;
	char cookie[128];
	login(cookie, sizeof cookie);
	/* signed in: the account page works */
	Req *r = run((Call){.method = "GET", .uri = "/account", .cookie = cookie});
	assert_int_equal(r->status, 200);
	char csrf[65];
	xsnprintf(csrf, sizeof csrf, "%s", r->csrf);
	dispatch_finish(r, false);

	/* no token, a wrong token: refused, nothing changes */
	r = run((Call){.method = "POST", .uri = "/account/lang", .ctype = "application/x-www-form-urlencoded",
		       .body = "lang=en", .cookie = cookie});
	assert_int_equal(r->status, 403);
	dispatch_finish(r, false);
	r = run((Call){.method = "POST", .uri = "/account/lang", .ctype = "application/x-www-form-urlencoded",
		       .body = "lang=en&csrf=0000000000000000000000000000000000000000000000000000000000000000",
		       .cookie = cookie});
	assert_int_equal(r->status, 403);
	dispatch_finish(r, false);
	char *lang = NULL;
	assert_int_equal(db_get_text(db, &lang, "SELECT lang FROM user WHERE id = ?", "l", user_id), RC_OK);
	assert_string_equal(lang, "vi");
	free(lang);

	/* with the token: saved */
	char body[128];
	xsnprintf(body, sizeof body, "lang=en&csrf=%s", csrf);
	r = run((Call){.method = "POST", .uri = "/account/lang", .ctype = "application/x-www-form-urlencoded",
		       .body = body, .cookie = cookie});
	assert_int_equal(r->status, 303);
	dispatch_finish(r, false);
	assert_int_equal(db_get_text(db, &lang, "SELECT lang FROM user WHERE id = ?", "l", user_id), RC_OK);
	assert_string_equal(lang, "en");
	free(lang);

	/* the header form of the token works too */
	r = run((Call){.method = "POST", .uri = "/account/lang", .ctype = "application/x-www-form-urlencoded",
		       .body = "lang=vi", .cookie = cookie, .csrf_header = csrf});
	assert_int_equal(r->status, 303);
	dispatch_finish(r, false);
}

static void test_capability_redirect(void **state)
{
	(void)state;
	Req *r = run((Call){.method = "GET", .uri = "/account"});
	assert_int_equal(r->status, 303);
	assert_string_equal(r->redirect, "/login?next=%2Faccount");
	dispatch_finish(r, false);
}

static void test_page_cache(void **state)
{
	(void)state;
	pagecache_invalidate();
	Req *r = run((Call){.method = "GET", .uri = "/regions?cache=1"});
	assert_int_equal(r->status, 200);
	char etag[32];
	assert_non_null(header(r, "ETag"));
	xsnprintf(etag, sizeof etag, "%s", header(r, "ETag"));
	char *first = xstrdup(buf_cstr(&r->out));
	dispatch_finish(r, false);
	/* served again from memory: same bytes (lent, not copied), same ETag */
	r = run((Call){.method = "GET", .uri = "/regions?cache=1"});
	assert_int_equal(r->out.len, 0);
	assert_non_null(r->shared_body);
	size_t hit_len = 0;
	const char *hit = pagecache_body(r->shared_body, &hit_len);
	assert_int_equal(hit_len, strlen(first));
	assert_memory_equal(hit, first, hit_len);
	assert_string_equal(header(r, "ETag"), etag);
	dispatch_finish(r, false);
	/* conditional GET */
	r = dispatch_new();
	r->raw_uri = xstrdup("/regions?cache=1");
	r->if_none_match = etag;
	dispatch_begin(r, "GET");
	r->db = db;
	dispatch_run(r);
	assert_int_equal(r->status, 304);
	assert_int_equal(r->out.len, 0);
	assert_null(r->shared_body);
	dispatch_finish(r, false);
	/* the table drops its entry while a response still holds the body:
	 * the body stays valid until the response lets it go (ASan would see
	 * a use-after-free or a leak) */
	r = run((Call){.method = "GET", .uri = "/regions?cache=1"});
	assert_non_null(r->shared_body);
	pagecache_clear();
	assert_memory_equal(pagecache_body(r->shared_body, &hit_len), first, hit_len);
	dispatch_finish(r, false);
	/* a committed write invalidates: a new region shows on the regions page */
	char cookie[128];
	login(cookie, sizeof cookie);
	Actor a = {0, "test"};
	int64_t id;
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(region_create(db, "tay-bac", "Vùng Tây Bắc", "North-west", &id), RC_OK);
	(void)a;
	assert_int_equal(db_commit(db), RC_OK);
	pagecache_invalidate(); /* what the dispatcher does after a committed POST */
	r = run((Call){.method = "GET", .uri = "/regions?cache=1"});
	assert_string_not_equal(buf_cstr(&r->out), first);
	dispatch_finish(r, false);
	free(first);
	/* pages of an older generation are freed, not kept until their slot
	 * is reused: after a write, a sweep within SWEEP_EVERY (64) stores
	 * leaves at most the pages stored since */
	pagecache_clear();
	char uri[64];
	for (int i = 0; i < 100; i++) {
		xsnprintf(uri, sizeof uri, "/regions?cache=old%d", i);
		dispatch_finish(run((Call){.method = "GET", .uri = uri}), false);
	}
	assert_true(pagecache_count() > 64);
	pagecache_invalidate();
	for (int i = 0; i < 64; i++) {
		xsnprintf(uri, sizeof uri, "/regions?cache=new%d", i);
		dispatch_finish(run((Call){.method = "GET", .uri = uri}), false);
	}
	assert_true(pagecache_count() <= 64);
	/* signed-in users never get the cached page */
	r = run((Call){.method = "GET", .uri = "/regions?cache=1", .cookie = cookie});
	assert_null(header(r, "ETag"));
	assert_non_null(strstr(buf_cstr(&r->out), "Trần Thị Hoà"));
	assert_non_null(strstr(buf_cstr(&r->out), "Vùng Tây Bắc"));
	dispatch_finish(r, false);
}

static void test_rate_limit(void **state)
{
	(void)state;
	ratelimit_reset();
	int64_t t = 1000000;
	for (int i = 0; i < RATELIMIT_BURST; i++)
		assert_true(ratelimit_take("/tra-cuu/*", "192.0.2.1", t));
	assert_false(ratelimit_take("/tra-cuu/*", "192.0.2.1", t));
	/* another client, another route: their own buckets */
	assert_true(ratelimit_take("/tra-cuu/*", "192.0.2.2", t));
	assert_true(ratelimit_take("/login", "192.0.2.1", t));
	/* two seconds give back one token at 30 a minute */
	assert_true(ratelimit_take("/tra-cuu/*", "192.0.2.1", t + 2000));
	assert_false(ratelimit_take("/tra-cuu/*", "192.0.2.1", t + 2000));
	/* a token given back (a sign-in that succeeded) can be taken again,
	 * but never beyond the burst */
	ratelimit_refund("/tra-cuu/*", "192.0.2.1", RATELIMIT_BURST);
	assert_true(ratelimit_take("/tra-cuu/*", "192.0.2.1", t + 2000));
	assert_false(ratelimit_take("/tra-cuu/*", "192.0.2.1", t + 2000));
	for (int i = 0; i < 3 * RATELIMIT_BURST; i++)
		ratelimit_refund("/login", "192.0.2.9", RATELIMIT_BURST); /* no bucket yet: nothing */
	for (int i = 0; i < RATELIMIT_BURST; i++)
		assert_true(ratelimit_take("/login", "192.0.2.9", t));
	assert_false(ratelimit_take("/login", "192.0.2.9", t));
	for (int i = 0; i < 3 * RATELIMIT_BURST; i++)
		ratelimit_refund("/login", "192.0.2.9", RATELIMIT_BURST);
	for (int i = 0; i < RATELIMIT_BURST; i++)
		assert_true(ratelimit_take("/login", "192.0.2.9", t));
	assert_false(ratelimit_take("/login", "192.0.2.9", t));
	/* the dispatcher answers 429 with Retry-After once the bucket is empty:
	 * try it on the public tracking lookup (a GET, flagged R_RATE_LIMIT) */
	const Route *limited = NULL;
	for (size_t i = 0; i < routes_count && !limited; i++)
		if ((routes[i].flags & R_RATE_LIMIT) && (routes[i].methods & M_GET) &&
		    !strchr(routes[i].pattern, '*'))
			limited = &routes[i];
	assert_non_null(limited);
	ratelimit_reset();
	Req *r = NULL;
	for (int i = 0; i <= RATELIMIT_BURST; i++) {
		if (r)
			dispatch_finish(r, false);
		r = run((Call){.method = "GET", .uri = limited->pattern});
		if (i < RATELIMIT_BURST)
			assert_int_not_equal(r->status, 429);
	}
	assert_int_equal(r->status, 429);
	assert_string_equal(header(r, "Retry-After"), "60");
	dispatch_finish(r, false);
	ratelimit_reset();
}

static void test_open_redirect(void **state)
{
	(void)state;
	assert_true(req_is_local_path("/units/1"));
	assert_false(req_is_local_path("//evil.example/"));
	assert_false(req_is_local_path("/\\evil.example"));
	assert_false(req_is_local_path("https://evil.example/"));
	assert_false(req_is_local_path("/a\r\nSet-Cookie: x=1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_sound),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_home_and_headers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_capability_redirect),
		cmocka_unit_test(test_page_cache),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_open_redirect),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
