/*
 * api_json.c — small pieces every JSON API handler uses: the id in the
 * path, timestamps in Vietnam time, optional strings, {"id","name"} references.
 */
#include "api.h"
#include "../base/date.h"

bool api_arg_id(Req *r, int64_t *id)
{
	return r->nargs >= 1 && util_parse_i64(r->args[0], 1, INT64_MAX, id);
}

void api_jw_time(JsonW *w, int64_t t)
{
	if (t <= 0) {
		jw_null(w);
		return;
	}
	Buf b = BUF_INIT;
	date_format_vn_timestamp(&b, t);
	jw_str(w, buf_cstr(&b));
	buf_release(&b);
}

void api_jw_opt(JsonW *w, const char *s)
{
	if (s && *s)
		jw_str(w, s);
	else
		jw_null(w);
}

void api_jw_ref(JsonW *w, int64_t id, const char *name)
{
	if (!id) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, id);
	jw_key(w, "name");
	jw_str(w, name ? name : "");
	jw_end(w);
}
