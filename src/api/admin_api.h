/*
 * admin_api.h — JSON API v1 for organisations and users (routes in
 * web/routes_admin.def, all R_JSON: bearer tokens or a session; errors as
 * JSON from the dispatcher).
 *
 *   GET  /api/v1/orgs?q=&after=      organisations in scope, 50 a page:
 *                                    {"items":[…], "next_after": id|null}
 *   GET  /api/v1/orgs/{id}           one organisation with names over time,
 *                                    subordinate organisations and members
 *   POST /api/v1/orgs/{id}/rename    body {"name": "…", "short_name": "…",
 *                                    "valid_from": "YYYY-MM-DD"}; short_name
 *                                    absent keeps the current one,
 *                                    valid_from absent means today; answers
 *                                    the organisation as GET does
 *   GET  /api/v1/users/{id}          one user (never the password hash)
 *
 * Scope is the same as on the admin pages (ui/admin.h): out of scope is
 * 404, exactly like an unknown id, and nothing changes.
 */
#ifndef DANVAN_API_ADMIN_H
#define DANVAN_API_ADMIN_H

#include "../web/req.h"

Rc api_orgs_list(Req *r);
Rc api_org_show(Req *r);
Rc api_org_rename(Req *r);
Rc api_user_show(Req *r);

#endif
