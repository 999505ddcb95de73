/*
 * org.h — organisations: party committees, propaganda and
 * mass-mobilisation commissions, people's committees, inspectorates,
 * Fatherland Front and mass organisations, steering committees and
 * departments.  Each is attached to an administrative unit (NULL/0 =
 * central), sits in a hierarchy (parent_id), and has names valid over
 * periods: the 2025 merger renamed "Ban Dân vận Tỉnh ủy" to "Ban Tuyên
 * giáo và Dân vận Tỉnh ủy" without changing who it is.
 */
#ifndef DANVAN_ORG_H
#define DANVAN_ORG_H

#include "../store/db.h"

typedef struct OrgKindInfo {
	const char *id;    /* stored value */
	const char *label; /* English message id for tr() */
} OrgKindInfo;

extern const OrgKindInfo org_kinds[];
extern const size_t org_kinds_count;
bool org_kind_valid(const char *id);
const char *org_kind_label(const char *id);

typedef struct Org {
	int64_t id;
	int64_t parent_id; /* 0 = top */
	int64_t unit_id;   /* 0 = central */
	char kind[32];
	char code[64];
	char *name;        /* name in force on the date asked for */
	char *short_name;
	char *unit_name;   /* full name of the unit, "" for central */
} Org;

void org_release(Org *o);

typedef struct Actor {
	int64_t id;        /* 0 = system / command line */
	const char *name;  /* login or "cli" */
} Actor;

/* Create an organisation with its first name valid from `valid_from`
 * (ISO date).  Validates kind, code ([a-z0-9-], 1–60), name (1–300
 * chars), parent and unit existence.  Audited. */
Rc org_create(Db *db, const Actor *actor, int64_t parent_id, int64_t unit_id, const char *kind,
	      const char *code, const char *name, const char *short_name, const char *valid_from,
	      int64_t *id_out);
/* A new name from `valid_from` on; the current name's period ends the day
 * before.  Audited. */
Rc org_rename(Db *db, const Actor *actor, int64_t id, const char *name, const char *short_name,
	      const char *valid_from);
/* Load with the name in force on `on_date` (ISO; NULL = today). */
Rc org_load(Db *db, int64_t id, const char *on_date, Org *out);
Rc org_find_code(Db *db, const char *code, int64_t *id);

#endif
