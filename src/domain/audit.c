/*
 * audit.c — see audit.h.
 *
 * The hashed text is the fields joined by '\x1f' (unit separator) in a
 * fixed order, so no field can be shifted into its neighbour to forge an
 * equal hash.  Appends run inside the caller's write transaction, so
 * reading the last hash and inserting are serialised by SQLite's write
 * lock.
 */
#include "audit.h"
#include "../base/crypto.h"

static void audit_hash(Buf *tmp, const char *prev, int64_t at, int64_t actor_id,
		       const char *actor, const char *action, const char *otype,
		       int64_t oid, int64_t unit_id, const char *detail, char out[65])
{
	buf_reset(tmp);
	buf_printf(tmp, "%s\x1f%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s", prev,
		   (long long)at, (long long)actor_id, actor, action, otype, (long long)oid,
		   (long long)unit_id, detail);
	crypto_sha256_hex(tmp->data, tmp->len, out);
}

Rc audit_append(Db *db, int64_t actor_id, const char *actor, const char *action,
		const char *object_type, int64_t object_id, int64_t unit_id, const char *detail)
{
	char *prev = NULL;
	Rc rc = db_get_text(db, &prev, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", "");
	if (rc == RC_NOT_FOUND) {
		prev = xstrdup(AUDIT_GENESIS);
		rc = RC_OK;
	}
	if (rc)
		return rc;
	int64_t at = util_now();
	char hash[65];
	Buf tmp = BUF_INIT;
	if (!detail)
		detail = "";
	if (!actor)
		actor = "system";
	audit_hash(&tmp, prev, at, actor_id, actor, action, object_type, object_id, unit_id,
		   detail, hash);
	buf_release(&tmp);
	rc = db_run(db,
		    "INSERT INTO audit (at, actor_id, actor, action, object_type, object_id,"
		    " unit_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
		    "lltttllttt", at, actor_id, actor, action, object_type, object_id, unit_id,
		    detail, prev, hash);
	free(prev);
	return rc;
}

Rc audit_verify(Db *db, int64_t *checked, int64_t *bad_id, Buf *report)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, at, coalesce(actor_id,0), actor, action, object_type,"
			" coalesce(object_id,0), coalesce(unit_id,0), detail, prev_hash, hash"
			" FROM audit ORDER BY id", "");
	if (rc)
		return rc;
	char prev[65];
	memcpy(prev, AUDIT_GENESIS, 65);
	Buf tmp = BUF_INIT;
	int64_t n = 0;
	int s;
	rc = RC_OK;
	while ((s = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		char want[65];
		audit_hash(&tmp, prev, db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3),
			   db_col_text(st, 4), db_col_text(st, 5), db_col_int(st, 6),
			   db_col_int(st, 7), db_col_text(st, 8), want);
		if (!str_eq(db_col_text(st, 9), prev) || !str_eq(db_col_text(st, 10), want)) {
			if (bad_id)
				*bad_id = id;
			buf_printf(report, "audit entry %lld: hash chain broken\n", (long long)id);
			rc = RC_CONFLICT;
			break;
		}
		memcpy(prev, want, 65);
		n++;
	}
	if (s < 0)
		rc = (Rc)-s;
	db_done(st);
	buf_release(&tmp);
	if (checked)
		*checked = n;
	return rc;
}
