/*
 * cap.c — roles and the capabilities they grant (see cap.h).
 *
 * The grants follow the product's user table (shared product.md): the
 * reception officer registers and routes; the handling officer verifies
 * and decides; mass-mobilisation staff monitor, report and publish; the
 * leader reads everything in scope and holds dialogues; the administrator
 * manages people, organisations and settings in scope.
 */
#include "../base/util.h"
#include "cap.h"

static const struct {
	const char *id;
	const char *label;
	uint32_t caps;
} roles[ROLE_COUNT] = {
	[ROLE_EDITOR] = {"editor", "Editor",
		CAP_LOGIN | CAP_NEWS_EDIT},
	[ROLE_RECEPTION] = {"reception", "Reception officer",
		CAP_LOGIN | CAP_CASE_RECEIVE | CAP_CASE_VIEW | CAP_ORG_VIEW},
	[ROLE_HANDLER] = {"handler", "Handling officer",
		CAP_LOGIN | CAP_CASE_HANDLE | CAP_CASE_VIEW | CAP_ORG_VIEW},
	[ROLE_MASSMOB] = {"massmob", "Mass-mobilisation staff",
		CAP_LOGIN | CAP_CASE_VIEW | CAP_CASE_MONITOR | CAP_REPORT | CAP_DIALOGUE |
		CAP_NEWS_EDIT | CAP_ORG_VIEW},
	[ROLE_LEADER] = {"leader", "Leader",
		CAP_LOGIN | CAP_CASE_VIEW | CAP_CASE_MONITOR | CAP_REPORT | CAP_DIALOGUE |
		CAP_NEWS_PUBLISH | CAP_ORG_VIEW | CAP_AUDIT_VIEW},
	[ROLE_ADMIN] = {"admin", "Administrator",
		CAP_LOGIN | CAP_ORG_VIEW | CAP_ORG_MANAGE | CAP_USER_MANAGE | CAP_AUDIT_VIEW |
		CAP_UNIT_MANAGE | CAP_SETTINGS},
};

const char *role_id(Role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].id : "";
}

const char *role_label(Role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].label : "";
}

bool role_parse(const char *id, Role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (str_eq(id, roles[i].id)) {
			*out = (Role)i;
			return true;
		}
	}
	return false;
}

uint32_t role_caps(Role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].caps : 0;
}
