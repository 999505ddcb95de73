/*
 * me.c — GET /api/v1/me: who the bearer token or session belongs to.
 */
#include "api.h"
#include "../base/json.h"
#include "../domain/cap.h"

void api_json_begin(Req *r)
{
	r->out_type = "application/json; charset=utf-8";
}

Rc api_me(Req *r)
{
	api_json_begin(r);
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, r->user->id);
	jw_key(&w, "login");
	jw_str(&w, r->user->login);
	jw_key(&w, "name");
	jw_str(&w, r->user->name);
	jw_key(&w, "org_id");
	jw_int(&w, r->user->org_id);
	jw_key(&w, "scope_unit_id");
	jw_int(&w, r->user->scope_unit_id);
	jw_key(&w, "roles");
	jw_arr(&w);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (r->user->roles & (1u << i))
			jw_str(&w, role_id((Role)i));
	jw_end(&w);
	jw_end(&w);
	buf_putc(&r->out, '\n');
	return jw_finished(&w) ? RC_OK : RC_INTERNAL;
}
