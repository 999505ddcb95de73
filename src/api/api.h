/*
 * api.h — JSON API v1 handlers (routes under /api/v1 with R_JSON: errors
 * as JSON, bearer tokens accepted).
 */
#ifndef DANVAN_API_H
#define DANVAN_API_H

#include "../web/req.h"

Rc api_me(Req *r);

/* Start a JSON response: sets the content type. */
void api_json_begin(Req *r);

#endif
