/*
 * audit.h — the append-only, hash-chained audit log.
 *
 * Every change to users, organisations, roles (and later cases) appends
 * one entry in the same transaction as the change.  Each entry's hash is
 * SHA-256 over the previous entry's hash and this entry's fields, so
 * editing or deleting any past entry breaks every later hash; triggers in
 * the schema refuse UPDATE and DELETE, and `danvan check` re-walks the
 * chain (audit_verify).  Details never carry secrets or sealed data.
 */
#ifndef DANVAN_AUDIT_H
#define DANVAN_AUDIT_H

#include "../store/db.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* actor_id 0 = the system or the command line (actor names who). */
Rc audit_append(Db *db, int64_t actor_id, const char *actor, const char *action,
		const char *object_type, int64_t object_id, int64_t unit_id, const char *detail);

/* Walk the chain; RC_OK when intact, else RC_CONFLICT with the first bad
 * entry's id in *bad_id and a description in report. */
Rc audit_verify(Db *db, int64_t *checked, int64_t *bad_id, Buf *report);

#endif
