/*
 * admin.c — scoped queries for the administration pages and API (see
 * admin.h for the scope rule and pagination).
 *
 * The SQL repeats two fragments because SQL must be a plain literal:
 *  - the scope filter
 *      (?S = 0 OR o.unit_id IN (SELECT id FROM unit
 *                               WHERE id = ?S OR parent_id = ?S OR province_id = ?S))
 *    where a central organisation (unit_id NULL) never matches IN, so it
 *    is visible to scope 0 only;
 *  - the name in force on a date ?D, falling back to the earliest name
 *    when the date precedes every period (as org_load does).
 * Row readers take columns in a fixed order documented above each one, and
 * every query feeding a reader spells out exactly those columns.
 */
#include "admin.h"
#include "unit.h"
#include "../base/date.h"
#include "../base/text.h"

#define VEC_GROW(arr, n, cap)                                               \
	do {                                                                \
		if ((n) == (cap)) {                                         \
			(cap) = (cap) ? (cap) * 2 : 16;                     \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));     \
		}                                                           \
	} while (0)

/* A step result that is neither a row nor the end is a negative Rc. */
static Rc step_rc(int s)
{
	return s < 0 ? (Rc)-s : RC_OK;
}

/* Copy s into dst[cap], cutting at a UTF-8 character boundary. */
static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
}

bool admin_in_scope(Db *db, int64_t scope, int64_t unit_id)
{
	if (scope == 0)
		return true;
	if (unit_id == 0)
		return false;
	return unit_within(db, unit_id, scope);
}

/* ---- organisations ------------------------------------------------- */

static void org_row_release(AdminOrgRow *r)
{
	free(r->name);
	free(r->short_name);
	free(r->unit_name);
	r->name = r->short_name = r->unit_name = NULL;
}

static void org_rows_free(AdminOrgRow *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		org_row_release(&rows[i]);
	free(rows);
}

void admin_org_page_free(AdminOrgPage *p)
{
	if (!p)
		return;
	org_rows_free(p->rows, p->n);
	p->rows = NULL;
	p->n = 0;
	p->next = 0;
}

/* Columns: 0 o.id, 1 parent, 2 unit, 3 kind, 4 code, 5 name, 6 short
 * name, 7 unit full name, 8 user count, 9 dissolved (0/1). */
static void org_row_read(DbStmt *st, AdminOrgRow *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->parent_id = db_col_int(st, 1);
	r->unit_id = db_col_int(st, 2);
	copy_str(r->kind, sizeof r->kind, db_col_text(st, 3));
	copy_str(r->code, sizeof r->code, db_col_text(st, 4));
	r->name = xstrdup(db_col_text(st, 5));
	r->short_name = xstrdup(db_col_text(st, 6));
	r->unit_name = xstrdup(db_col_text(st, 7));
	r->users = db_col_int(st, 8);
	r->dissolved = db_col_int(st, 9) != 0;
}

/* Read at most `max` rows; *more tells whether another row followed.
 * Finishes the statement. */
static Rc org_rows_collect(DbStmt *st, size_t max, AdminOrgRow **out, size_t *n, bool *more)
{
	AdminOrgRow *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	*more = false;
	while ((s = db_step(st)) == DB_ROW) {
		if (len == max) {
			*more = true;
			break;
		}
		VEC_GROW(v, len, cap);
		org_row_read(st, &v[len++]);
	}
	db_done(st);
	if (s < 0) {
		org_rows_free(v, len);
		return step_rc(s);
	}
	*out = v;
	*n = len;
	return RC_OK;
}

/* ASCII lower case copy (logins and codes are ASCII). */
static char *ascii_lower(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

Rc admin_orgs_list(Db *db, int64_t scope, const char *q, int64_t after, AdminOrgPage *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	unit_today(today);
	bool has_q = q && *q;
	char *key = has_q ? text_search_key(q) : NULL;
	char *code = has_q ? ascii_lower(q) : NULL;
	/* A query of punctuation only folds to "": bind NULL so it matches no
	 * name (instr with an empty needle would match every name). */
	const char *key_arg = key && *key ? key : NULL;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT o.id, coalesce(o.parent_id,0), coalesce(o.unit_id,0), o.kind, o.code,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce((SELECT n.short_name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.short_name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce(u.full_name, ''),"
			" (SELECT count(*) FROM user x WHERE x.org_id = o.id),"
			" o.dissolved_on IS NOT NULL"
			" FROM org o LEFT JOIN unit u ON u.id = o.unit_id"
			" WHERE o.id > ?3"
			" AND (?1 = 0 OR o.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1"
			"   OR province_id = ?1))"
			" AND (?4 = 0 OR substr(o.code, 1, length(?6)) = ?6 OR EXISTS (SELECT 1 FROM org_name n"
			"   WHERE n.org_id = o.id AND instr(n.name_key, ?5) > 0))"
			" ORDER BY o.id LIMIT ?7",
			"ltlittl", scope, today, after, has_q ? 1 : 0, key_arg, code,
			(int64_t)ADMIN_PAGE_SIZE + 1);
	free(key);
	free(code);
	if (rc)
		return rc;
	bool more;
	if ((rc = org_rows_collect(st, ADMIN_PAGE_SIZE, &out->rows, &out->n, &more)))
		return rc;
	if (more && out->n)
		out->next = out->rows[out->n - 1].id;
	return RC_OK;
}

Rc admin_org_choices(Db *db, int64_t scope, size_t max, AdminOrgPage *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	unit_today(today);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT o.id, coalesce(o.parent_id,0), coalesce(o.unit_id,0), o.kind, o.code,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce((SELECT n.short_name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.short_name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce(u.full_name, ''), 0, o.dissolved_on IS NOT NULL"
			" FROM org o LEFT JOIN unit u ON u.id = o.unit_id"
			" WHERE o.dissolved_on IS NULL"
			" AND (?1 = 0 OR o.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1"
			"   OR province_id = ?1))"
			" ORDER BY coalesce((SELECT n.name_key FROM org_name n WHERE n.org_id = o.id"
			"   AND n.valid_from <= ?2 ORDER BY n.valid_from DESC LIMIT 1), ''), o.id"
			" LIMIT ?3",
			"ltl", scope, today, (int64_t)max + 1);
	if (rc)
		return rc;
	bool more;
	if ((rc = org_rows_collect(st, max, &out->rows, &out->n, &more)))
		return rc;
	out->next = more ? 1 : 0;
	return RC_OK;
}

const char *admin_org_name_problem(const char *name, const char *short_name,
				   const char *valid_from)
{
	Date d;
	if (!name || !*name || text_length(name) > 300)
		return "Enter the name (at most 300 characters).";
	if (short_name && text_length(short_name) > ADMIN_SHORT_NAME_MAX)
		return "The short name is too long (at most 100 characters).";
	if (!date_parse_iso(valid_from, &d))
		return "Enter the date the name takes effect as YYYY-MM-DD.";
	return NULL;
}

Rc admin_org_unit(Db *db, int64_t org_id, int64_t *unit_id)
{
	return db_get_int(db, unit_id, "SELECT coalesce(unit_id,0) FROM org WHERE id = ?", "l",
			  org_id);
}

Rc admin_unit_by_code(Db *db, const char *code, int64_t *unit_id)
{
	if (!unit_code_valid(code))
		return RC_INVALID;
	size_t n = strlen(code);
	const char *level = n == 2 ? UNIT_PROVINCE : n == 3 ? UNIT_DISTRICT : UNIT_COMMUNE;
	return unit_find(db, level, code, 0, unit_id);
}

static void user_row_release(AdminUserRow *r)
{
	free(r->name);
	free(r->email);
	free(r->org_name);
	r->name = r->email = r->org_name = NULL;
}

static void user_rows_free(AdminUserRow *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_row_release(&rows[i]);
	free(rows);
}

/* Columns: 0 u.id, 1 org id, 2 org unit, 3 login, 4 name, 5 e-mail,
 * 6 organisation name, 7 disabled, 8 locked_until. */
static void user_row_read(DbStmt *st, AdminUserRow *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->org_id = db_col_int(st, 1);
	r->unit_id = db_col_int(st, 2);
	copy_str(r->login, sizeof r->login, db_col_text(st, 3));
	r->name = xstrdup(db_col_text(st, 4));
	r->email = xstrdup(db_col_text(st, 5));
	r->org_name = xstrdup(db_col_text(st, 6));
	r->disabled = db_col_int(st, 7) != 0;
	r->locked_until = db_col_int(st, 8);
}

/* The role bits of one user; unknown role ids (from a newer version)
 * are ignored, as user_principal does. */
static Rc user_roles(Db *db, int64_t user_id, uint32_t *roles)
{
	*roles = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT role FROM user_role WHERE user_id = ?", "l", user_id);
	if (rc)
		return rc;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		Role role;
		if (role_parse(db_col_text(st, 0), &role))
			*roles |= 1u << role;
	}
	db_done(st);
	return step_rc(s);
}

static Rc user_rows_roles(Db *db, AdminUserRow *rows, size_t n)
{
	Rc rc = RC_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = user_roles(db, rows[i].id, &rows[i].roles);
	return rc;
}

/* ---- organisation detail ------------------------------------------- */

void admin_org_release(AdminOrg *o)
{
	if (!o)
		return;
	org_release(&o->org);
	free(o->parent_name);
	for (size_t i = 0; i < o->nnames; i++) {
		free(o->names[i].name);
		free(o->names[i].short_name);
	}
	free(o->names);
	org_rows_free(o->children, o->nchildren);
	user_rows_free(o->users, o->nusers);
	memset(o, 0, sizeof *o);
}

static Rc org_names(Db *db, AdminOrg *o)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT name, short_name, valid_from, coalesce(valid_to, '') FROM org_name"
			" WHERE org_id = ? ORDER BY valid_from",
			"l", o->org.id);
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		VEC_GROW(o->names, o->nnames, cap);
		AdminOrgName *n = &o->names[o->nnames++];
		n->name = xstrdup(db_col_text(st, 0));
		n->short_name = xstrdup(db_col_text(st, 1));
		copy_str(n->valid_from, sizeof n->valid_from, db_col_text(st, 2));
		copy_str(n->valid_to, sizeof n->valid_to, db_col_text(st, 3));
	}
	db_done(st);
	return step_rc(s);
}

static Rc org_children(Db *db, int64_t scope, const char *today, AdminOrg *o)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT o.id, coalesce(o.parent_id,0), coalesce(o.unit_id,0), o.kind, o.code,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce((SELECT n.short_name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.short_name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce(u.full_name, ''),"
			" (SELECT count(*) FROM user x WHERE x.org_id = o.id),"
			" o.dissolved_on IS NOT NULL"
			" FROM org o LEFT JOIN unit u ON u.id = o.unit_id"
			" WHERE o.parent_id = ?3"
			" AND (?1 = 0 OR o.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1"
			"   OR province_id = ?1))"
			" ORDER BY coalesce((SELECT n.name_key FROM org_name n WHERE n.org_id = o.id"
			"   AND n.valid_from <= ?2 ORDER BY n.valid_from DESC LIMIT 1), ''), o.id"
			" LIMIT ?4",
			"ltll", scope, today, o->org.id, (int64_t)ADMIN_DETAIL_MAX + 1);
	if (rc)
		return rc;
	return org_rows_collect(st, ADMIN_DETAIL_MAX, &o->children, &o->nchildren,
				&o->children_more);
}

/* Members of an organisation in scope are in scope themselves: they share
 * its unit. */
static Rc org_users(Db *db, const char *today, AdminOrg *o)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.org_id, coalesce(o.unit_id,0), u.login, u.name, u.email,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?1"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" u.disabled, u.locked_until"
			" FROM user u JOIN org o ON o.id = u.org_id WHERE u.org_id = ?2"
			" ORDER BY u.name, u.id LIMIT ?3",
			"tll", today, o->org.id, (int64_t)ADMIN_DETAIL_MAX + 1);
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (o->nusers == ADMIN_DETAIL_MAX) {
			o->users_more = true;
			break;
		}
		VEC_GROW(o->users, o->nusers, cap);
		user_row_read(st, &o->users[o->nusers++]);
	}
	db_done(st);
	if (s < 0)
		return step_rc(s);
	return user_rows_roles(db, o->users, o->nusers);
}

static Rc org_extra(Db *db, int64_t scope, AdminOrg *o)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT coalesce(dissolved_on, ''), created_at FROM org WHERE id = ?",
			"l", o->org.id);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		copy_str(o->dissolved_on, sizeof o->dissolved_on, db_col_text(st, 0));
		o->created_at = db_col_int(st, 1);
	}
	db_done(st);
	if (s < 0)
		return step_rc(s);
	if (!o->org.parent_id) {
		o->parent_name = xstrdup("");
		return RC_OK;
	}
	Org parent;
	if ((rc = org_load(db, o->org.parent_id, NULL, &parent)))
		return rc;
	o->parent_name = xstrdup(parent.name);
	o->parent_in_scope = admin_in_scope(db, scope, parent.unit_id);
	org_release(&parent);
	return RC_OK;
}

Rc admin_org_detail(Db *db, int64_t scope, int64_t id, AdminOrg *out)
{
	memset(out, 0, sizeof *out);
	Rc rc = org_load(db, id, NULL, &out->org);
	if (rc)
		return rc;
	if (!admin_in_scope(db, scope, out->org.unit_id)) {
		admin_org_release(out);
		return RC_NOT_FOUND;
	}
	char today[11];
	unit_today(today);
	rc = org_extra(db, scope, out);
	if (!rc)
		rc = org_names(db, out);
	if (!rc)
		rc = org_children(db, scope, today, out);
	if (!rc)
		rc = org_users(db, today, out);
	if (rc)
		admin_org_release(out);
	return rc;
}

/* ---- users --------------------------------------------------------- */

void admin_user_page_free(AdminUserPage *p)
{
	if (!p)
		return;
	user_rows_free(p->rows, p->n);
	p->rows = NULL;
	p->n = 0;
	p->next = 0;
}

/* Does a user row match the search?  `key` is the folded query ("" when
 * the query had no letters or digits), `lower` the query in ASCII lower
 * case.  Names are folded here because the user table keeps no key. */
static bool user_matches(DbStmt *st, const char *key, const char *lower)
{
	bool hit = false;
	if (*key) {
		char *name = text_search_key(db_col_text(st, 4));
		char *login = text_search_key(db_col_text(st, 3));
		hit = strstr(name, key) || strstr(login, key);
		free(name);
		free(login);
	}
	if (!hit && *lower) {
		char *email = ascii_lower(db_col_text(st, 5));
		hit = strstr(db_col_text(st, 3), lower) || strstr(email, lower);
		free(email);
	}
	return hit;
}

/* Step through candidate rows keeping the matches (see admin.h on the
 * scan cap).  Finishes the statement. */
static Rc user_rows_scan(DbStmt *st, const char *q, AdminUserPage *out)
{
	char *key = q && *q ? text_search_key(q) : NULL;
	char *lower = q && *q ? ascii_lower(q) : NULL;
	size_t cap = 0, scanned = 0;
	int64_t last = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (scanned == ADMIN_SCAN_MAX) {
			out->next = last; /* rows remain unscanned: go on from here */
			break;
		}
		scanned++;
		last = db_col_int(st, 0);
		if (key && !user_matches(st, key, lower))
			continue;
		if (out->n == ADMIN_PAGE_SIZE) {
			out->next = out->rows[out->n - 1].id;
			break;
		}
		VEC_GROW(out->rows, out->n, cap);
		user_row_read(st, &out->rows[out->n++]);
	}
	db_done(st);
	free(key);
	free(lower);
	return step_rc(s);
}

Rc admin_users_list(Db *db, int64_t scope, const char *q, int64_t org_id, int64_t after,
		    AdminUserPage *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	unit_today(today);
	DbStmt *st;
	/* No LIMIT: user_rows_scan stops stepping as soon as the page is full,
	 * and rows come in id order straight from the primary key. */
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.org_id, coalesce(o.unit_id,0), u.login, u.name, u.email,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" u.disabled, u.locked_until"
			" FROM user u JOIN org o ON o.id = u.org_id"
			" WHERE u.id > ?3 AND (?4 = 0 OR u.org_id = ?4)"
			" AND (?1 = 0 OR o.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1"
			"   OR province_id = ?1))"
			" ORDER BY u.id",
			"ltll", scope, today, after, org_id);
	if (rc)
		return rc;
	rc = user_rows_scan(st, q, out);
	if (!rc)
		rc = user_rows_roles(db, out->rows, out->n);
	if (rc)
		admin_user_page_free(out);
	return rc;
}

void admin_user_release(AdminUser *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->email);
	free(u->org_name);
	free(u->unit_name);
	memset(u, 0, sizeof *u);
}

Rc admin_user_detail(Db *db, int64_t scope, int64_t id, AdminUser *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	unit_today(today);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.org_id, coalesce(o.unit_id,0), u.login, u.name, u.email,"
			" coalesce((SELECT n.name FROM org_name n WHERE n.org_id = o.id AND n.valid_from <= ?2"
			"   ORDER BY n.valid_from DESC LIMIT 1),"
			"  (SELECT n.name FROM org_name n WHERE n.org_id = o.id ORDER BY n.valid_from LIMIT 1), ''),"
			" coalesce(un.full_name, ''), u.lang, u.disabled, u.failed_logins, u.locked_until,"
			" u.created_at, u.pw_changed_at"
			" FROM user u JOIN org o ON o.id = u.org_id LEFT JOIN unit un ON un.id = o.unit_id"
			" WHERE u.id = ?1",
			"lt", id, today);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->org_id = db_col_int(st, 1);
		out->unit_id = db_col_int(st, 2);
		copy_str(out->login, sizeof out->login, db_col_text(st, 3));
		out->name = xstrdup(db_col_text(st, 4));
		out->email = xstrdup(db_col_text(st, 5));
		out->org_name = xstrdup(db_col_text(st, 6));
		out->unit_name = xstrdup(db_col_text(st, 7));
		copy_str(out->lang, sizeof out->lang, db_col_text(st, 8));
		out->disabled = db_col_int(st, 9) != 0;
		out->failed_logins = db_col_int(st, 10);
		out->locked_until = db_col_int(st, 11);
		out->created_at = db_col_int(st, 12);
		out->pw_changed_at = db_col_int(st, 13);
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : step_rc(s);
	if (!admin_in_scope(db, scope, out->unit_id)) {
		admin_user_release(out);
		return RC_NOT_FOUND;
	}
	if ((rc = user_roles(db, id, &out->roles)))
		admin_user_release(out);
	return rc;
}

/* ---- audit log ----------------------------------------------------- */

void admin_audit_page_free(AdminAuditPage *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		AdminAuditRow *r = &p->rows[i];
		free(r->actor);
		free(r->action);
		free(r->object_type);
		free(r->detail);
	}
	free(p->rows);
	p->rows = NULL;
	p->n = 0;
	p->next = 0;
}

Rc admin_audit_list(Db *db, int64_t scope, const char *object_type, int64_t object_id,
		    int64_t before, AdminAuditPage *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT a.id, a.at, coalesce(a.actor_id,0), a.actor, a.action, a.object_type,"
			" coalesce(a.object_id,0), coalesce(a.unit_id,0), a.detail, a.hash"
			" FROM audit a WHERE (?2 = 0 OR a.id < ?2)"
			" AND (?3 = '' OR a.object_type = ?3) AND (?4 = 0 OR a.object_id = ?4)"
			" AND (?1 = 0 OR a.unit_id IN (SELECT id FROM unit WHERE id = ?1 OR parent_id = ?1"
			"   OR province_id = ?1))"
			" ORDER BY a.id DESC LIMIT ?5",
			"lltll", scope, before, object_type ? object_type : "", object_id,
			(int64_t)ADMIN_PAGE_SIZE + 1);
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (out->n == ADMIN_PAGE_SIZE) {
			out->next = out->rows[out->n - 1].id;
			break;
		}
		VEC_GROW(out->rows, out->n, cap);
		AdminAuditRow *r = &out->rows[out->n++];
		memset(r, 0, sizeof *r);
		r->id = db_col_int(st, 0);
		r->at = db_col_int(st, 1);
		r->actor_id = db_col_int(st, 2);
		r->actor = xstrdup(db_col_text(st, 3));
		r->action = xstrdup(db_col_text(st, 4));
		r->object_type = xstrdup(db_col_text(st, 5));
		r->object_id = db_col_int(st, 6);
		r->unit_id = db_col_int(st, 7);
		r->detail = xstrdup(db_col_text(st, 8));
		copy_str(r->hash, sizeof r->hash, db_col_text(st, 9));
	}
	db_done(st);
	if (s < 0) {
		admin_audit_page_free(out);
		return step_rc(s);
	}
	return RC_OK;
}
