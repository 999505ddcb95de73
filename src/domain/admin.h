/*
 * admin.h — the queries behind the administration pages and API:
 * organisations, users and the audit log, always seen through an area
 * scope.
 *
 * Scope.  Every function takes `scope`, the scope_unit_id of whoever is
 * asking (0 = the whole country).  An object is in scope when its unit
 * (an organisation's unit; a user's organisation's unit; an audit entry's
 * unit) lies inside the scope unit:
 *  - single objects (admin_org_detail, admin_user_detail, admin_in_scope)
 *    use unit_within(), the same test as req_can_unit();
 *  - lists filter in SQL: scope 0 sees everything, otherwise only rows
 *    whose unit is the scope unit itself or has it as parent or province.
 *    That is never wider than unit_within() (it can only be narrower, for
 *    old-era units reached through successor links), so a list never shows
 *    what a detail load would refuse.
 * Central organisations (no unit) and entries without a unit are in scope
 * for scope 0 only.  Out of scope answers RC_NOT_FOUND, exactly like a
 * missing id, so probing ids tells an outsider nothing.
 *
 * Pagination is by keyset on the id: a page holds at most ADMIN_PAGE_SIZE
 * rows with id > `after` (organisations, users: oldest first) or id <
 * `before` (audit: newest first), and `next` is the value to pass for the
 * following page, 0 when there is none.
 *
 * Ownership: every struct filled here owns its strings and arrays; free it
 * with the matching *_free / *_release (NULL-safe, idempotent).  On error
 * the output is left empty.
 */
#ifndef DANVAN_ADMIN_H
#define DANVAN_ADMIN_H

#include "../store/db.h"
#include "org.h"
#include "user.h"

#define ADMIN_PAGE_SIZE 50
/* User search folds names in C (the user table has no name key); a page
 * request scans at most this many rows in scope, then hands back a
 * `next` cursor so the search goes on where it stopped. */
#define ADMIN_SCAN_MAX 5000
/* Detail pages list at most this many children or members. */
#define ADMIN_DETAIL_MAX 1000
/* Longest search text accepted, in bytes: the forms allow 200 characters,
 * and a Vietnamese character takes up to 3 bytes in UTF-8. */
#define ADMIN_QUERY_MAX 600

/* Is `unit_id` (0 = central / none) inside `scope` (0 = whole country)? */
bool admin_in_scope(Db *db, int64_t scope, int64_t unit_id);

/* ---- organisations ------------------------------------------------- */

typedef struct AdminOrgRow {
	int64_t id;
	int64_t parent_id;  /* 0 = top level */
	int64_t unit_id;    /* 0 = central */
	char kind[32];
	char code[64];
	char *name;         /* in force today (else the earliest) */
	char *short_name;
	char *unit_name;    /* unit's full name, "" when central */
	int64_t users;      /* number of accounts */
	bool dissolved;
} AdminOrgRow;

typedef struct AdminOrgPage {
	AdminOrgRow *rows;
	size_t n;
	int64_t next;       /* pass as `after` for the next page; 0 = last page */
} AdminOrgPage;

void admin_org_page_free(AdminOrgPage *p);

/* Organisations in scope with id > after, by id.  A non-empty `q`
 * matches the folded key of any of the organisation's names, past ones
 * included (so "ban dan van" still finds a commission renamed in 2025),
 * or the start of its code ("c00004" finds "c00004-party", "c00004-pc"). */
Rc admin_orgs_list(Db *db, int64_t scope, const char *q, int64_t after, AdminOrgPage *out);

/* Organisations in scope for a <select>, ordered by folded name: at most
 * `max` rows; next = 1 when there were more (the caller then offers a
 * plain number field instead). */
Rc admin_org_choices(Db *db, int64_t scope, size_t max, AdminOrgPage *out);

/* Longest short name of an organisation, in characters. */
#define ADMIN_SHORT_NAME_MAX 100

/* Checks a name period before org_create / org_rename: name 1–300
 * characters, short name at most ADMIN_SHORT_NAME_MAX, valid_from a real
 * ISO date.  NULL when fine, else an English message id for tr() (each
 * has a Vietnamese entry in web/i18n_admin.def). */
const char *admin_org_name_problem(const char *name, const char *short_name,
				   const char *valid_from);

/* An organisation's unit (0 = central); RC_NOT_FOUND for an unknown id. */
Rc admin_org_unit(Db *db, int64_t org_id, int64_t *unit_id);

/* Resolve a GSO unit code (2 digits province, 3 district, 5 commune) to
 * the unit of the newest era carrying it.  RC_INVALID for a malformed
 * code, RC_NOT_FOUND when no unit has it. */
Rc admin_unit_by_code(Db *db, const char *code, int64_t *unit_id);

typedef struct AdminOrgName {
	char *name;
	char *short_name;
	char valid_from[11];
	char valid_to[11];  /* "" while in force */
} AdminOrgName;

typedef struct AdminUserRow {
	int64_t id;
	int64_t org_id;
	int64_t unit_id;
	char login[USER_LOGIN_MAX + 4];
	char *name;
	char *email;
	char *org_name;     /* the organisation's name in force today */
	uint32_t roles;     /* bit per Role */
	bool disabled;
	int64_t locked_until; /* UNIX time; past or 0 = not locked */
} AdminUserRow;

typedef struct AdminOrg {
	Org org;                 /* with the name in force today */
	char *parent_name;       /* "" at the top */
	bool parent_in_scope;    /* may the parent be linked to? */
	char dissolved_on[11];   /* "" while active */
	int64_t created_at;
	AdminOrgName *names;     /* every name period, oldest first */
	size_t nnames;
	AdminOrgRow *children;   /* in scope, by folded name */
	size_t nchildren;
	bool children_more;      /* more than ADMIN_DETAIL_MAX */
	AdminUserRow *users;     /* members, by name */
	size_t nusers;
	bool users_more;
} AdminOrg;

void admin_org_release(AdminOrg *o);

/* One organisation with its history, children and members.  RC_NOT_FOUND
 * when it does not exist or is out of scope. */
Rc admin_org_detail(Db *db, int64_t scope, int64_t id, AdminOrg *out);

/* ---- users --------------------------------------------------------- */

typedef struct AdminUserPage {
	AdminUserRow *rows;
	size_t n;
	int64_t next;       /* pass as `after` for the next page; 0 = last page */
} AdminUserPage;

void admin_user_page_free(AdminUserPage *p);

/* Users in scope with id > after, by id; org_id != 0 keeps only that
 * organisation's members.  A non-empty `q` matches, accent-insensitively,
 * a part of the name, the login or the e-mail address. */
Rc admin_users_list(Db *db, int64_t scope, const char *q, int64_t org_id, int64_t after,
		    AdminUserPage *out);

typedef struct AdminUser {
	int64_t id;
	int64_t org_id;
	int64_t unit_id;        /* the organisation's unit, 0 = central */
	char login[USER_LOGIN_MAX + 4];
	char *name;
	char *email;
	char *org_name;
	char *unit_name;
	char lang[4];
	uint32_t roles;         /* bit per Role */
	bool disabled;
	int64_t failed_logins;
	int64_t locked_until;   /* UNIX time; 0 or past = not locked */
	int64_t created_at;
	int64_t pw_changed_at;
} AdminUser;

void admin_user_release(AdminUser *u);

/* One user (never the password hash).  RC_NOT_FOUND when the user does
 * not exist or belongs to an organisation out of scope. */
Rc admin_user_detail(Db *db, int64_t scope, int64_t id, AdminUser *out);

/* ---- audit log ----------------------------------------------------- */

typedef struct AdminAuditRow {
	int64_t id;
	int64_t at;
	int64_t actor_id;   /* 0 = system / command line */
	int64_t object_id;
	int64_t unit_id;
	char *actor;
	char *action;
	char *object_type;
	char *detail;
	char hash[65];
} AdminAuditRow;

typedef struct AdminAuditPage {
	AdminAuditRow *rows;
	size_t n;
	int64_t next;       /* pass as `before` for the next (older) page; 0 = last */
} AdminAuditPage;

void admin_audit_page_free(AdminAuditPage *p);

/* Audit entries in scope with id < before (0 = from the newest), newest
 * first.  object_type "" / object_id 0 mean any. */
Rc admin_audit_list(Db *db, int64_t scope, const char *object_type, int64_t object_id,
		    int64_t before, AdminAuditPage *out);

#endif
