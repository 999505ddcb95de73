/*
 * schema.c — ordered, forward-only migrations (see schema.h).
 *
 * Rules: never edit a migration that has shipped; add a new one.  Each is
 * run inside one write transaction together with the schema_version
 * update, so a crash leaves the database at the previous version.
 *
 * Conventions: INTEGER PRIMARY KEY ids; times are UNIX seconds (UTC);
 * calendar dates are ISO "YYYY-MM-DD" text; every text a user searches has
 * a *_key column holding text_search_key() of it.
 */
#include "schema.h"

static const char *const migrations[] = {
/* 1: settings, places, organisations, people, sessions, audit */
"CREATE TABLE setting (\n"
"  key TEXT PRIMARY KEY,\n"
"  value TEXT NOT NULL\n"
");\n"
/* Administrative units of both eras.  code is the GSO code (2 digits for
 * provinces, 3 districts, 5 communes); codes repeat across eras, so the
 * key is (level, code, valid_from). valid_to NULL = still in force. */
"CREATE TABLE unit (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL,\n"
"  level TEXT NOT NULL CHECK (level IN ('province','district','commune')),\n"
"  era INTEGER NOT NULL CHECK (era IN (2020, 2025)),\n"
"  parent_id INTEGER REFERENCES unit(id),\n"
"  province_id INTEGER REFERENCES unit(id),\n"
"  name TEXT NOT NULL,\n"
"  full_name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  kind TEXT NOT NULL DEFAULT '',\n"
"  name_key TEXT NOT NULL,\n"
"  valid_from TEXT NOT NULL,\n"
"  valid_to TEXT,\n"
"  UNIQUE (level, code, valid_from)\n"
");\n"
"CREATE INDEX unit_parent ON unit(parent_id);\n"
"CREATE INDEX unit_province ON unit(province_id);\n"
"CREATE INDEX unit_code ON unit(code);\n"
"CREATE INDEX unit_name_key ON unit(name_key);\n"
/* old unit → new unit; partial = only part of the old unit went there */
"CREATE TABLE unit_successor (\n"
"  old_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  new_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  partial INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (old_id, new_id)\n"
");\n"
"CREATE INDEX unit_successor_new ON unit_successor(new_id);\n"
"CREATE TABLE region (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  builtin INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE TABLE region_member (\n"
"  region_id INTEGER NOT NULL REFERENCES region(id) ON DELETE CASCADE,\n"
"  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  PRIMARY KEY (region_id, unit_id)\n"
");\n"
/* Organisations: kind is one of org.h's kinds; unit_id NULL = central. */
"CREATE TABLE org (\n"
"  id INTEGER PRIMARY KEY,\n"
"  parent_id INTEGER REFERENCES org(id),\n"
"  unit_id INTEGER REFERENCES unit(id),\n"
"  kind TEXT NOT NULL,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  created_at INTEGER NOT NULL,\n"
"  dissolved_on TEXT\n"
");\n"
"CREATE INDEX org_parent ON org(parent_id);\n"
"CREATE INDEX org_unit ON org(unit_id);\n"
/* Names change over time (the 2025 mergers): one row per period. */
"CREATE TABLE org_name (\n"
"  org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL,\n"
"  short_name TEXT NOT NULL DEFAULT '',\n"
"  name_key TEXT NOT NULL,\n"
"  valid_from TEXT NOT NULL,\n"
"  valid_to TEXT,\n"
"  PRIMARY KEY (org_id, valid_from)\n"
");\n"
"CREATE TABLE user (\n"
"  id INTEGER PRIMARY KEY,\n"
"  login TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  email TEXT NOT NULL DEFAULT '',\n"
"  org_id INTEGER NOT NULL REFERENCES org(id),\n"
"  pw_hash TEXT NOT NULL,\n"
"  lang TEXT NOT NULL DEFAULT 'vi',\n"
"  disabled INTEGER NOT NULL DEFAULT 0,\n"
"  failed_logins INTEGER NOT NULL DEFAULT 0,\n"
"  locked_until INTEGER NOT NULL DEFAULT 0,\n"
"  created_at INTEGER NOT NULL,\n"
"  pw_changed_at INTEGER NOT NULL\n"
");\n"
"CREATE INDEX user_org ON user(org_id);\n"
"CREATE TABLE user_role (\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  role TEXT NOT NULL,\n"
"  PRIMARY KEY (user_id, role)\n"
");\n"
/* Sessions: only a hash of the cookie value is stored. */
"CREATE TABLE session (\n"
"  id_hash TEXT PRIMARY KEY,\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  created_at INTEGER NOT NULL,\n"
"  expires_at INTEGER NOT NULL,\n"
"  last_seen INTEGER NOT NULL\n"
");\n"
"CREATE INDEX session_user ON session(user_id);\n"
"CREATE TABLE api_token (\n"
"  id INTEGER PRIMARY KEY,\n"
"  token_hash TEXT NOT NULL UNIQUE,\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  label TEXT NOT NULL DEFAULT '',\n"
"  created_at INTEGER NOT NULL,\n"
"  last_used INTEGER NOT NULL DEFAULT 0,\n"
"  revoked INTEGER NOT NULL DEFAULT 0\n"
");\n"
/* Append-only, hash-chained: hash = sha256(prev_hash | fields). Triggers
 * refuse UPDATE and DELETE. */
"CREATE TABLE audit (\n"
"  id INTEGER PRIMARY KEY,\n"
"  at INTEGER NOT NULL,\n"
"  actor_id INTEGER,\n"
"  actor TEXT NOT NULL,\n"
"  action TEXT NOT NULL,\n"
"  object_type TEXT NOT NULL,\n"
"  object_id INTEGER,\n"
"  unit_id INTEGER,\n"
"  detail TEXT NOT NULL DEFAULT '',\n"
"  prev_hash TEXT NOT NULL,\n"
"  hash TEXT NOT NULL\n"
");\n"
"CREATE INDEX audit_object ON audit(object_type, object_id);\n"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n",
};

int schema_latest(void)
{
	return (int)ARRAY_LEN(migrations);
}

Rc schema_version(Db *db, int *version)
{
	Rc rc = db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_version ("
				   " version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
	if (rc)
		return rc;
	int64_t v = 0;
	rc = db_get_int(db, &v, "SELECT coalesce(max(version), 0) FROM schema_version", "");
	if (rc)
		return rc;
	*version = (int)v;
	return RC_OK;
}

Rc schema_migrate(Db *db, int *applied)
{
	int version = 0, n = 0;
	Rc rc = schema_version(db, &version);
	if (rc)
		return rc;
	if (version > schema_latest())
		return RC_CONFLICT; /* database is newer than this binary */
	for (int i = version; i < schema_latest(); i++) {
		if ((rc = db_begin_write(db)))
			return rc;
		rc = db_exec_script(db, migrations[i]);
		if (!rc)
			rc = db_run(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
				    "il", i + 1, util_now());
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			return rc;
		}
		n++;
	}
	if (applied)
		*applied = n;
	return RC_OK;
}
