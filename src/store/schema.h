/*
 * schema.h — the only DDL in the project: ordered, forward-only
 * migrations, each applied in its own transaction and recorded in
 * schema_version.  See docs/internals/schema.md.
 */
#ifndef DANVAN_SCHEMA_H
#define DANVAN_SCHEMA_H

#include "db.h"

/* Apply every migration newer than the database's version.  *applied (may
 * be NULL) receives how many ran. */
Rc schema_migrate(Db *db, int *applied);
/* Current version of the database (0 for an empty one). */
Rc schema_version(Db *db, int *version);
/* Number of migrations this binary knows. */
int schema_latest(void);

#endif
