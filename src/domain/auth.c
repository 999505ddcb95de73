/*
 * auth.c — see auth.h.
 */
#include "auth.h"
#include "audit.h"
#include "../base/crypto.h"

#include <pthread.h>

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[CRYPTO_PWHASH_MAX];

static void make_dummy_hash(void)
{
	if (crypto_password_hash("not-a-real-password", dummy_hash))
		dummy_hash[0] = 0;
}

/* How long an account stays locked after its `failed`-th failure in a row
 * (0: not locked): from the AUTH_FREE_ATTEMPTS-th on, 30 s doubling up to
 * an hour. */
static int64_t lock_until(int64_t failed, int64_t now)
{
	if (failed < AUTH_FREE_ATTEMPTS)
		return 0;
	int64_t shift = failed - AUTH_FREE_ATTEMPTS;
	int64_t secs = shift >= 7 ? 3600 : (int64_t)30 << shift;
	return now + (secs > 3600 ? 3600 : secs);
}

/*
 * Logins that do not exist get the same lockout as real ones, counted in
 * memory (a fixed table, so guessing many names costs no memory and no
 * database writes): otherwise "locked" after five tries would tell an
 * attacker which names are real.  Keyed by a hash of the name; a full
 * table forgets its stalest entry, which only makes a phantom lock end
 * early.
 */
#define PHANTOM_SLOTS 8192
#define PHANTOM_PROBE 8

typedef struct Phantom {
	uint64_t key; /* 0 = empty */
	int64_t failed, until, last;
} Phantom;

static Phantom phantoms[PHANTOM_SLOTS];
static pthread_mutex_t phantom_lock = PTHREAD_MUTEX_INITIALIZER;

/* A secret start for the hash, drawn once: names cannot be chosen
 * offline to collide in the table and push a phantom lock out. */
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;
static uint64_t seed;

static void make_seed(void)
{
	crypto_random(&seed, sizeof seed);
}

static uint64_t name_key(const char *login)
{
	pthread_once(&seed_once, make_seed);
	uint64_t h = util_hash_bytes(UTIL_HASH_INIT ^ seed, login, strlen(login));
	h = util_hash_bytes(h, &seed, sizeof seed);
	return h ? h : 1;
}

/* One failed attempt on an unknown login: RC_UNAUTHORIZED, or RC_LOCKED
 * exactly when a real account with the same history would be locked. */
static Rc phantom_failure(const char *login, int64_t *locked_until)
{
	uint64_t key = name_key(login);
	int64_t now = util_now();
	pthread_mutex_lock(&phantom_lock);
	Phantom *p = NULL, *stalest = NULL;
	for (size_t i = 0; i < PHANTOM_PROBE; i++) {
		Phantom *q = &phantoms[(key + i) % PHANTOM_SLOTS];
		if (q->key == key) {
			p = q;
			break;
		}
		if (!stalest || q->key == 0 || q->last < stalest->last)
			stalest = q;
	}
	if (!p) {
		p = stalest;
		*p = (Phantom){.key = key};
	}
	p->last = now;
	Rc rc;
	if (p->until > now) {
		*locked_until = p->until;
		rc = RC_LOCKED;
	} else {
		p->failed++;
		p->until = lock_until(p->failed, now);
		if (p->until)
			*locked_until = p->until;
		rc = p->until ? RC_LOCKED : RC_UNAUTHORIZED;
	}
	pthread_mutex_unlock(&phantom_lock);
	return rc;
}

Rc auth_password(Db *db, const char *login, const char *password, int64_t *user_id,
		 int64_t *locked_until)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT id, pw_hash, disabled, failed_logins, locked_until"
				 " FROM user WHERE login = ?", "t", login ? login : "");
	if (rc)
		return rc;
	int s = db_step(st);
	if (s != DB_ROW) {
		db_done(st);
		/* Spend the same time as a real check so logins can't be probed
		 * by timing. */
		pthread_once(&dummy_once, make_dummy_hash);
		crypto_password_verify(dummy_hash, password ? password : "");
		return s == DB_DONE ? phantom_failure(login ? login : "", locked_until) : (Rc)-s;
	}
	int64_t id = db_col_int(st, 0);
	char *hash = xstrdup(db_col_text(st, 1));
	bool disabled = db_col_int(st, 2) != 0;
	int64_t failed = db_col_int(st, 3);
	int64_t until = db_col_int(st, 4);
	db_done(st);

	int64_t now = util_now();
	if (until > now) {
		/* The hash is checked anyway, its answer ignored: a locked real
		 * account must take as long as an unknown login (which checks a
		 * dummy hash), or the time would tell which names exist. */
		crypto_password_verify(hash, password ? password : "");
		free(hash);
		*locked_until = until;
		return RC_LOCKED;
	}
	bool ok = crypto_password_verify(hash, password ? password : "");
	free(hash);
	if (ok) {
		if (disabled)
			return RC_FORBIDDEN;
		rc = db_run(db, "UPDATE user SET failed_logins = 0, locked_until = 0 WHERE id = ?",
			    "l", id);
		if (!rc)
			*user_id = id;
		return rc;
	}
	failed++;
	until = lock_until(failed, now);
	rc = db_run(db, "UPDATE user SET failed_logins = ?, locked_until = ? WHERE id = ?", "lll",
		    failed, until, id);
	if (!rc && until) {
		/* recorded in the user's area, so their administrators see it */
		int64_t unit = 0;
		db_get_int(db, &unit, "SELECT coalesce(o.unit_id,0) FROM user u JOIN org o ON o.id = u.org_id"
				      " WHERE u.id = ?", "l", id);
		rc = audit_append(db, 0, "system", "user.locked", "user", id, unit, "");
		*locked_until = until;
		return rc ? rc : RC_LOCKED;
	}
	return rc ? rc : RC_UNAUTHORIZED;
}

Rc auth_session_create(Db *db, int64_t user_id, char sid_out[65])
{
	char hash[65];
	crypto_random_hex(sid_out);
	crypto_sha256_hex(sid_out, 64, hash);
	int64_t now = util_now();
	/* Expired sessions are swept here, where a write happens anyway. */
	Rc rc = db_run(db, "DELETE FROM session WHERE expires_at < ? OR last_seen < ?", "ll", now,
		       now - AUTH_SESSION_TTL);
	if (!rc)
		rc = db_run(db, "INSERT INTO session (id_hash, user_id, created_at, expires_at, last_seen)"
				" VALUES (?,?,?,?,?)",
			    "tllll", hash, user_id, now, now + AUTH_SESSION_MAX, now);
	return rc;
}

static bool hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

Rc auth_session_user(Db *db, const char *sid, int64_t *user_id, int64_t *last_seen)
{
	if (!hex64(sid))
		return RC_NOT_FOUND;
	char hash[65];
	crypto_sha256_hex(sid, 64, hash);
	int64_t now = util_now();
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT user_id, last_seen FROM session WHERE id_hash = ?"
				 " AND expires_at > ? AND last_seen > ?",
			"tll", hash, now, now - AUTH_SESSION_TTL);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		*user_id = db_col_int(st, 0);
		if (last_seen)
			*last_seen = db_col_int(st, 1);
	}
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

Rc auth_session_touch(Db *db, const char *sid)
{
	if (!hex64(sid))
		return RC_NOT_FOUND;
	char hash[65];
	crypto_sha256_hex(sid, 64, hash);
	int64_t now = util_now();
	return db_run(db, "UPDATE session SET last_seen = ? WHERE id_hash = ? AND last_seen < ?",
		      "ltl", now, hash, now - AUTH_TOUCH_EVERY);
}

Rc auth_session_delete(Db *db, const char *sid)
{
	if (!hex64(sid))
		return RC_OK;
	char hash[65];
	crypto_sha256_hex(sid, 64, hash);
	return db_run(db, "DELETE FROM session WHERE id_hash = ?", "t", hash);
}

Rc auth_token_create(Db *db, const Actor *actor, int64_t user_id, const char *label,
		     char tok_out[72])
{
	char raw[65], hash[65];
	crypto_random_hex(raw);
	xsnprintf(tok_out, 72, "%s%s", AUTH_TOKEN_PREFIX, raw);
	crypto_sha256_hex(tok_out, strlen(tok_out), hash);
	Rc rc = db_run(db, "INSERT INTO api_token (token_hash, user_id, label, created_at)"
			   " VALUES (?,?,?,?)", "tltl", hash, user_id, label ? label : "", util_now());
	int64_t unit = 0;
	if (!rc)
		db_get_int(db, &unit, "SELECT coalesce(o.unit_id,0) FROM user u JOIN org o ON o.id = u.org_id"
				      " WHERE u.id = ?", "l", user_id);
	if (!rc)
		rc = audit_append(db, actor->id, actor->name, "token.create", "user", user_id, unit,
				  label ? label : "");
	return rc;
}

Rc auth_token_user(Db *db, const char *token, int64_t *user_id)
{
	if (!token || !str_starts(token, AUTH_TOKEN_PREFIX) || !hex64(token + 4))
		return RC_NOT_FOUND;
	char hash[65];
	crypto_sha256_hex(token, strlen(token), hash);
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT id, user_id, last_used FROM api_token WHERE token_hash = ?"
				 " AND revoked = 0", "t", hash);
	if (rc)
		return rc;
	int s = db_step(st);
	int64_t id = 0, last_used = 0;
	if (s == DB_ROW) {
		id = db_col_int(st, 0);
		*user_id = db_col_int(st, 1);
		last_used = db_col_int(st, 2);
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	/* When it was last used, for the administrator deciding which tokens
	 * to revoke; to the minute, since any UPDATE takes the write lock. */
	int64_t now = util_now();
	if (now - last_used >= AUTH_TOUCH_EVERY && !db_in_tx(db))
		(void)db_run(db, "UPDATE api_token SET last_used = ? WHERE id = ?", "ll", now, id);
	return RC_OK;
}

Rc auth_token_revoke(Db *db, const Actor *actor, int64_t user_id, int64_t token_id)
{
	Rc rc = db_run(db, "UPDATE api_token SET revoked = 1 WHERE id = ? AND user_id = ? AND revoked = 0",
		       "ll", token_id, user_id);
	if (rc)
		return rc;
	if (db_changes(db) == 0)
		return RC_NOT_FOUND;
	int64_t unit = 0;
	db_get_int(db, &unit, "SELECT coalesce(o.unit_id,0) FROM user u JOIN org o ON o.id = u.org_id"
			      " WHERE u.id = ?", "l", user_id);
	Buf detail = BUF_INIT;
	buf_printf(&detail, "token %lld", (long long)token_id);
	rc = audit_append(db, actor->id, actor->name, "token.revoke", "user", user_id, unit,
			  buf_cstr(&detail));
	buf_release(&detail);
	return rc;
}
