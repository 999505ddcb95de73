/*
 * user.h — people who sign in: accounts, passwords, roles, and the
 * Principal (who is acting, with which capabilities, over which area) that
 * every request and command carries.
 *
 * A user belongs to one organisation; their roles grant capabilities
 * (cap.h) scoped to that organisation's unit and below.
 */
#ifndef DANVAN_USER_H
#define DANVAN_USER_H

#include "../store/db.h"
#include "cap.h"
#include "org.h"

#define USER_LOGIN_MAX 60
#define USER_PASSWORD_MIN 10
#define USER_PASSWORD_MAX 256

typedef struct Principal {
	int64_t id;
	int64_t org_id;
	int64_t scope_unit_id; /* 0 = whole country */
	uint32_t caps;
	uint32_t roles;        /* bit per Role */
	char login[USER_LOGIN_MAX + 4];
	char name[160];
	char lang[4];
} Principal;

/* Validation shared by the CLI, the admin pages and the API. */
bool user_login_valid(const char *login);            /* [a-z0-9._-], 2–60 */
const char *user_password_problem(const char *pw);   /* NULL if fine, else a message id */

Rc user_create(Db *db, const Actor *actor, const char *login, const char *name,
	       const char *email, int64_t org_id, const char *password, int64_t *id_out);
Rc user_set_password(Db *db, const Actor *actor, int64_t id, const char *password);
/* Replace the user's roles with the set in `roles` (bit per Role). */
Rc user_set_roles(Db *db, const Actor *actor, int64_t id, uint32_t roles);
Rc user_set_disabled(Db *db, const Actor *actor, int64_t id, bool disabled);
Rc user_set_lang(Db *db, int64_t id, const char *lang);
Rc user_find_login(Db *db, const char *login, int64_t *id);
/* Load the principal: roles → caps, organisation → scope unit. */
Rc user_principal(Db *db, int64_t id, Principal *out);
/* Organisation and scope unit of a user (for admin scope checks). */
Rc user_org_unit(Db *db, int64_t id, int64_t *org_id, int64_t *unit_id);

#endif
