/*
 * assets.c — static files embedded in the binary (assets/ → build/gen/
 * assets.c by tools/embed.c), plus /healthz and /robots.txt.
 *
 * Each asset's ETag is a hash of its bytes, computed once; a matching
 * If-None-Match gets 304 with no body.  Assets are served straight from
 * the read-only table (no copy).  Names are looked up exactly in the
 * table, so "../" or any other path trick simply finds nothing.
 */
#include "req.h"
#include "routes.h"
#include "handlers.h"
#include "../base/crypto.h"

#include <pthread.h>

#include "assets_table.h"

#define MAX_ASSETS 64

static char etags[MAX_ASSETS][70];
static pthread_once_t etag_once = PTHREAD_ONCE_INIT;

static void compute_etags(void)
{
	for (int i = 0; embedded_assets[i].name && i < MAX_ASSETS; i++) {
		char h[65];
		crypto_sha256_hex(embedded_assets[i].data, embedded_assets[i].len, h);
		xsnprintf(etags[i], sizeof etags[i], "\"%.16s\"", h);
	}
}

static const char *mime_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".woff2", "font/woff2"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (str_eq(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

Rc web_asset(Req *r)
{
	pthread_once(&etag_once, compute_etags);
	const char *name = r->args[0];
	for (int i = 0; embedded_assets[i].name && i < MAX_ASSETS; i++) {
		if (!str_eq(embedded_assets[i].name, name))
			continue;
		req_header(r, "ETag", etags[i]);
		r->cache_control = "public, max-age=86400";
		if (r->if_none_match && strstr(r->if_none_match, etags[i])) {
			r->status = 304;
			r->static_body = (const unsigned char *)"";
			r->static_len = 0;
			return RC_OK;
		}
		req_header(r, "Content-Type", mime_type(name));
		r->static_body = embedded_assets[i].data;
		r->static_len = embedded_assets[i].len;
		return RC_OK;
	}
	return RC_NOT_FOUND;
}

Rc web_healthz(Req *r)
{
	int64_t one = 0;
	r->out_type = "application/json; charset=utf-8";
	r->cache_control = "no-store";
	if (db_get_int(r->db, &one, "SELECT 1", "") != RC_OK || one != 1) {
		r->status = 503;
		buf_puts(&r->out, "{\"status\":\"unavailable\"}\n");
		return RC_OK;
	}
	buf_puts(&r->out, "{\"status\":\"ok\"}\n");
	return RC_OK;
}
