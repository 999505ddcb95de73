/*
 * user.c — accounts and roles (see user.h).  Every change is audited in
 * the caller's transaction; passwords are stored only as argon2id hashes
 * and never logged or audited.
 */
#include "user.h"
#include "audit.h"
#include "../base/crypto.h"
#include "../base/text.h"

bool user_login_valid(const char *login)
{
	size_t n = login ? strlen(login) : 0;
	if (n < 2 || n > USER_LOGIN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

const char *user_password_problem(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < USER_PASSWORD_MIN)
		return "The password must have at least 10 characters";
	if (n > USER_PASSWORD_MAX)
		return "The password is too long";
	return NULL;
}

Rc user_create(Db *db, const Actor *actor, const char *login, const char *name,
	       const char *email, int64_t org_id, const char *password, int64_t *id_out)
{
	if (!user_login_valid(login) || !name || !*name || text_length(name) > 150 ||
	    (email && strlen(email) > 254) || user_password_problem(password))
		return RC_INVALID;
	int64_t unit_id = 0;
	Rc rc = db_get_int(db, &unit_id, "SELECT coalesce(unit_id,0) FROM org WHERE id = ?", "l",
			   org_id);
	if (rc == RC_NOT_FOUND)
		return RC_INVALID;
	if (rc)
		return rc;
	char hash[CRYPTO_PWHASH_MAX];
	if ((rc = crypto_password_hash(password, hash)))
		return rc;
	int64_t now = util_now();
	rc = db_run(db, "INSERT INTO user (login, name, email, org_id, pw_hash, created_at,"
			" pw_changed_at) VALUES (?,?,?,?,?,?,?)",
		    "tttltll", login, name, email ? email : "", org_id, hash, now, now);
	if (rc)
		return rc;
	int64_t id = db_last_id(db);
	rc = audit_append(db, actor->id, actor->name, "user.create", "user", id, unit_id, login);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

static Rc user_unit(Db *db, int64_t id, int64_t *unit_id)
{
	return db_get_int(db, unit_id,
			  "SELECT coalesce(o.unit_id,0) FROM user u JOIN org o ON o.id = u.org_id"
			  " WHERE u.id = ?", "l", id);
}

Rc user_set_password(Db *db, const Actor *actor, int64_t id, const char *password)
{
	if (user_password_problem(password))
		return RC_INVALID;
	int64_t unit_id;
	Rc rc = user_unit(db, id, &unit_id);
	if (rc)
		return rc;
	char hash[CRYPTO_PWHASH_MAX];
	if ((rc = crypto_password_hash(password, hash)))
		return rc;
	rc = db_run(db, "UPDATE user SET pw_hash = ?, pw_changed_at = ?, failed_logins = 0,"
			" locked_until = 0 WHERE id = ?", "tll", hash, util_now(), id);
	/* Other sessions of this user end: a changed password must lock out
	 * whoever learned the old one. */
	if (!rc)
		rc = db_run(db, "DELETE FROM session WHERE user_id = ?", "l", id);
	if (!rc)
		rc = audit_append(db, actor->id, actor->name, "user.password", "user", id, unit_id, "");
	return rc;
}

Rc user_set_roles(Db *db, const Actor *actor, int64_t id, uint32_t roles)
{
	int64_t unit_id;
	Rc rc = user_unit(db, id, &unit_id);
	if (rc)
		return rc;
	if ((rc = db_run(db, "DELETE FROM user_role WHERE user_id = ?", "l", id)))
		return rc;
	Buf detail = BUF_INIT;
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		if ((rc = db_run(db, "INSERT INTO user_role (user_id, role) VALUES (?, ?)", "lt", id,
				 role_id((Role)i))))
			break;
		buf_printf(&detail, "%s%s", detail.len ? "," : "", role_id((Role)i));
	}
	if (!rc)
		rc = audit_append(db, actor->id, actor->name, "user.roles", "user", id, unit_id,
				  buf_cstr(&detail));
	buf_release(&detail);
	return rc;
}

Rc user_set_disabled(Db *db, const Actor *actor, int64_t id, bool disabled)
{
	int64_t unit_id;
	Rc rc = user_unit(db, id, &unit_id);
	if (rc)
		return rc;
	rc = db_run(db, "UPDATE user SET disabled = ? WHERE id = ?", "il", disabled ? 1 : 0, id);
	if (!rc && disabled)
		rc = db_run(db, "DELETE FROM session WHERE user_id = ?", "l", id);
	if (!rc)
		rc = audit_append(db, actor->id, actor->name,
				  disabled ? "user.disable" : "user.enable", "user", id, unit_id, "");
	return rc;
}

Rc user_set_lang(Db *db, int64_t id, const char *lang)
{
	if (!str_eq(lang, "vi") && !str_eq(lang, "en"))
		return RC_INVALID;
	return db_run(db, "UPDATE user SET lang = ? WHERE id = ?", "tl", lang, id);
}

Rc user_find_login(Db *db, const char *login, int64_t *id)
{
	return db_get_int(db, id, "SELECT id FROM user WHERE login = ?", "t", login);
}

Rc user_org_unit(Db *db, int64_t id, int64_t *org_id, int64_t *unit_id)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT u.org_id, coalesce(o.unit_id,0) FROM user u"
				 " JOIN org o ON o.id = u.org_id WHERE u.id = ?", "l", id);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		*org_id = db_col_int(st, 0);
		*unit_id = db_col_int(st, 1);
	}
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc user_principal(Db *db, int64_t id, Principal *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT u.id, u.org_id, coalesce(o.unit_id,0), u.login, u.name, u.lang, u.disabled"
			" FROM user u JOIN org o ON o.id = u.org_id WHERE u.id = ?", "l", id);
	if (rc)
		return rc;
	int s = db_step(st);
	bool disabled = false;
	if (s == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->org_id = db_col_int(st, 1);
		out->scope_unit_id = db_col_int(st, 2);
		xsnprintf(out->login, sizeof out->login, "%s", db_col_text(st, 3));
		/* names are capped at 150 chars on input; cut safely if longer */
		snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 4));
		xsnprintf(out->lang, sizeof out->lang, "%s", str_eq(db_col_text(st, 5), "en") ? "en" : "vi");
		disabled = db_col_int(st, 6) != 0;
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	if (disabled)
		return RC_FORBIDDEN;
	if ((rc = db_prep(db, &st, "SELECT role FROM user_role WHERE user_id = ?", "l", id)))
		return rc;
	while ((s = db_step(st)) == DB_ROW) {
		Role role;
		if (role_parse(db_col_text(st, 0), &role)) {
			out->roles |= 1u << role;
			out->caps |= role_caps(role);
		}
	}
	db_done(st);
	out->caps |= CAP_LOGIN;
	return s < 0 ? (Rc)-s : RC_OK;
}
