/*
 * admin.h — administration pages: users, organisations and the audit log.
 *
 *   GET  /admin/users                 users in scope; ?q= search, ?org_id=, ?after=
 *   GET  /admin/users/new             form (?org_id= preselects)
 *   POST /admin/users                 create: login, name, email, org_id,
 *                                     password, role=<id> (repeated)
 *   GET  /admin/users/{id}            facts, roles, lock, actions
 *   POST /admin/users/{id}/roles      role=<id> (repeated; none = no roles)
 *   POST /admin/users/{id}/disable    and /enable
 *   POST /admin/users/{id}/password   password
 *   GET  /admin/orgs                  organisations in scope; ?q=, ?after=
 *   GET  /admin/orgs/new              form (?parent_id= prefills)
 *   POST /admin/orgs                  create: parent_id, unit_code or unit_id,
 *                                     kind, code, name, short_name, valid_from
 *   GET  /admin/orgs/{id}             names over time, unit, parent,
 *                                     children, members
 *   POST /admin/orgs/{id}/rename      name, short_name, valid_from
 *   GET  /admin/audit                 the audit log in scope, newest first;
 *                                     ?type=&id= one object, ?before=
 *
 * Scope: every object is checked with req_can_unit() against the
 * signed-in user's area; an object outside it answers 404 whether it is
 * read or changed, and nothing changes.  The organisation chosen for a
 * new user, and the parent and unit of a new organisation, must be in
 * scope too.  Successful changes redirect (303) to the object's page with
 * ?saved=1.
 */
#ifndef DANVAN_UI_ADMIN_H
#define DANVAN_UI_ADMIN_H

#include "../web/req.h"

Rc ui_admin_users(Req *r);
Rc ui_admin_user_new(Req *r);
Rc ui_admin_user_create(Req *r);
Rc ui_admin_user_show(Req *r);
Rc ui_admin_user_roles(Req *r);
Rc ui_admin_user_disable(Req *r);
Rc ui_admin_user_enable(Req *r);
Rc ui_admin_user_password(Req *r);

Rc ui_admin_orgs(Req *r);
Rc ui_admin_org_new(Req *r);
Rc ui_admin_org_create(Req *r);
Rc ui_admin_org_show(Req *r);
Rc ui_admin_org_rename(Req *r);

Rc ui_admin_audit(Req *r);

/* Shared by the admin page files. */

/* r->args[0] as a positive id; false when malformed. */
bool admin_arg_id(Req *r, int64_t *id);
/* A UNIX time as Vietnam local time (UTC+7, no DST):
 * <time datetime="2026-11-28T09:15:00+07:00">28/11/2026 09:15</time>. */
void admin_html_time(Req *r, int64_t t);
/* <option> for an organisation of admin_org_choices: "name — unit",
 * selected when it is `selected`. */
struct AdminOrgRow;
void admin_html_org_option(Req *r, const struct AdminOrgRow *o, int64_t selected);
/* "Next page" link keeping q (and org_id when non-zero). */
void admin_html_pager(Req *r, const char *path, const char *param, int64_t next,
		      const char *q, int64_t org_id);

#endif
