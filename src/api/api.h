/*
 * api.h — JSON API v1 handlers (routes under /api/v1 with R_JSON: errors
 * as JSON, bearer tokens accepted).
 */
#ifndef DANVAN_API_H
#define DANVAN_API_H

#include "../web/req.h"
#include "../base/json.h"

Rc api_me(Req *r);

/* The first '*' of the route as a positive id; false when malformed. */
bool api_arg_id(Req *r, int64_t *id);
/* UNIX time as "2026-11-29T09:15:00+07:00", or null for t <= 0. */
void api_jw_time(JsonW *w, int64_t t);
/* NULL or "" → null, else the string. */
void api_jw_opt(JsonW *w, const char *s);
/* {"id": …, "name": …}, or null when id is 0. */
void api_jw_ref(JsonW *w, int64_t id, const char *name);

/* Start a JSON response: sets the content type. */
void api_json_begin(Req *r);

#endif
