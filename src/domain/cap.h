/*
 * cap.h — capabilities, roles and the area scope that bounds them.
 *
 * A role (editor, reception officer, …) grants a set of capabilities.  A
 * user holds roles within their organisation, and every capability is
 * scoped to that organisation's administrative unit and the units below
 * it: a commune officer acts on their commune only, a province officer on
 * the province and its communes, a central (unit-less) organisation on
 * everything.  Routes name the capability they need (routes.def); handlers
 * then check the scope of the object they touch with user_can_unit().
 */
#ifndef DANVAN_CAP_H
#define DANVAN_CAP_H

#include <stdint.h>
#include <stdbool.h>

typedef enum Cap {
	CAP_NONE          = 0,        /* public */
	CAP_LOGIN         = 1u << 0,  /* any signed-in user */
	CAP_ORG_VIEW      = 1u << 1,  /* see organisations and their people */
	CAP_ORG_MANAGE    = 1u << 2,  /* create/rename/move organisations */
	CAP_USER_MANAGE   = 1u << 3,  /* create users, set roles, disable */
	CAP_AUDIT_VIEW    = 1u << 4,  /* read the audit log */
	CAP_UNIT_MANAGE   = 1u << 5,  /* regions, unit data */
	CAP_CASE_RECEIVE  = 1u << 6,  /* register and classify citizens' cases */
	CAP_CASE_HANDLE   = 1u << 7,  /* verify, decide, reply */
	CAP_CASE_VIEW     = 1u << 8,  /* read cases in scope */
	CAP_CASE_MONITOR  = 1u << 9,  /* follow cases as a mass-mobilisation body */
	CAP_NEWS_EDIT     = 1u << 10, /* write articles */
	CAP_NEWS_PUBLISH  = 1u << 11, /* publish, moderate feedback */
	CAP_REPORT        = 1u << 12, /* periodic reports, briefings */
	CAP_DIALOGUE      = 1u << 13, /* receptions and dialogues */
	CAP_SETTINGS      = 1u << 14, /* site settings, holidays, deadline rules */
} Cap;

typedef enum Role {
	ROLE_EDITOR = 0,
	ROLE_RECEPTION,
	ROLE_HANDLER,
	ROLE_MASSMOB,
	ROLE_LEADER,
	ROLE_ADMIN,
	ROLE_COUNT
} Role;

/* Stable identifiers stored in the database ("editor", "reception", …). */
const char *role_id(Role r);
/* Message id of the human name, for tr(): "Editor", "Reception officer", … */
const char *role_label(Role r);
bool role_parse(const char *id, Role *out);
uint32_t role_caps(Role r);

#endif
