/*
 * test_auth.c — passwords, lockout, sessions, API tokens and the
 * principal (roles → capabilities, organisation → scope), on a real
 * temporary database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/crypto.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/user.h"
#include "store/schema.h"

static char dir[64];
static Db *db;
static int64_t org_id, user_id;
static const Actor actor = {0, "test"};

static int setup(void **state)
{
	(void)state;
	setenv("DANVAN_FAST_HASH", "1", 1);
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-auth-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	if (db_begin_write(db) ||
	    org_create(db, &actor, 0, 0, "massmob_commission", "central", "Ban Tuyên giáo và Dân vận Trung ương",
		       "", "2025-02-03", &org_id) ||
	    user_create(db, &actor, "lan.nguyen", "Nguyễn Thị Lan", "", org_id, "correct horse battery", &user_id) ||
	    db_commit(db))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static Rc try_login(const char *login, const char *pw, int64_t *uid, int64_t *until)
{
	assert_int_equal(db_begin_write(db), RC_OK);
	Rc rc = auth_password(db, login, pw, uid, until);
	assert_int_equal(db_commit(db), RC_OK);
	return rc;
}

static void test_password_right_and_wrong(void **state)
{
	(void)state;
	int64_t uid = 0, until = 0;
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_OK);
	assert_int_equal(uid, user_id);
	assert_int_equal(try_login("lan.nguyen", "wrong", &uid, &until), RC_UNAUTHORIZED);
	/* an unknown login answers exactly like a wrong password */
	assert_int_equal(try_login("nobody", "correct horse battery", &uid, &until), RC_UNAUTHORIZED);
	/* success resets the failure count */
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_OK);
	int64_t failed = -1;
	assert_int_equal(db_get_int(db, &failed, "SELECT failed_logins FROM user WHERE id = ?", "l", user_id), RC_OK);
	assert_int_equal(failed, 0);
}

static void test_lockout(void **state)
{
	(void)state;
	int64_t uid = 0, until = 0;
	for (int i = 1; i < AUTH_FREE_ATTEMPTS; i++)
		assert_int_equal(try_login("lan.nguyen", "guess", &uid, &until), RC_UNAUTHORIZED);
	/* the fifth failure locks */
	assert_int_equal(try_login("lan.nguyen", "guess", &uid, &until), RC_LOCKED);
	assert_true(until > util_now());
	assert_true(until <= util_now() + 31);
	/* while locked, even the right password is refused */
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_LOCKED);
	/* back-off doubles: pretend the lock expired, fail again */
	assert_int_equal(db_run(db, "UPDATE user SET locked_until = 0 WHERE id = ?", "l", user_id), RC_OK);
	assert_int_equal(try_login("lan.nguyen", "guess", &uid, &until), RC_LOCKED);
	assert_true(until > util_now() + 31 && until <= util_now() + 61);
	/* the lock is in the audit log */
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit WHERE action = 'user.locked'", ""), RC_OK);
	assert_int_equal(n, 2);
	/* an administrator's password reset clears the lock */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_password(db, &actor, user_id, "correct horse battery"), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_OK);
}

static void test_disabled_user(void **state)
{
	(void)state;
	int64_t uid = 0, until = 0;
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_disabled(db, &actor, user_id, true), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_FORBIDDEN);
	Principal p;
	assert_int_equal(user_principal(db, user_id, &p), RC_FORBIDDEN);
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_disabled(db, &actor, user_id, false), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(try_login("lan.nguyen", "correct horse battery", &uid, &until), RC_OK);
}

static void test_sessions(void **state)
{
	(void)state;
	char sid[65];
	int64_t uid = 0;
	assert_int_equal(auth_session_create(db, user_id, sid), RC_OK);
	assert_int_equal(strlen(sid), 64);
	int64_t seen = 0;
	assert_int_equal(auth_session_user(db, sid, &uid, &seen), RC_OK);
	assert_int_equal(uid, user_id);
	assert_true(seen > util_now() - 5 && seen <= util_now());
	/* touched at most once a minute: an older last_seen moves to now */
	assert_int_equal(db_run(db, "UPDATE session SET last_seen = ?", "l", util_now() - AUTH_TOUCH_EVERY - 1), RC_OK);
	assert_int_equal(auth_session_touch(db, sid), RC_OK);
	assert_int_equal(auth_session_user(db, sid, &uid, &seen), RC_OK);
	assert_true(seen > util_now() - 5);
	/* only the hash is stored */
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM session WHERE id_hash = ?", "t", sid), RC_OK);
	assert_int_equal(n, 0);
	/* junk and unknown ids are not found */
	assert_int_equal(auth_session_user(db, "abc", &uid, NULL), RC_NOT_FOUND);
	char other[65];
	crypto_random_hex(other);
	assert_int_equal(auth_session_user(db, other, &uid, NULL), RC_NOT_FOUND);
	/* idle too long → gone */
	assert_int_equal(db_run(db, "UPDATE session SET last_seen = ?", "l", util_now() - AUTH_SESSION_TTL - 5), RC_OK);
	assert_int_equal(auth_session_user(db, sid, &uid, NULL), RC_NOT_FOUND);
	/* a password change ends every session */
	assert_int_equal(auth_session_create(db, user_id, sid), RC_OK);
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_password(db, &actor, user_id, "correct horse battery"), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(auth_session_user(db, sid, &uid, NULL), RC_NOT_FOUND);
	/* logout */
	assert_int_equal(auth_session_create(db, user_id, sid), RC_OK);
	assert_int_equal(auth_session_delete(db, sid), RC_OK);
	assert_int_equal(auth_session_user(db, sid, &uid, NULL), RC_NOT_FOUND);
}

static void test_tokens(void **state)
{
	(void)state;
	char tok[72];
	int64_t uid = 0;
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(auth_token_create(db, &actor, user_id, "ci", tok), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_true(str_starts(tok, "dvt_"));
	assert_int_equal(auth_token_user(db, tok, &uid), RC_OK);
	assert_int_equal(uid, user_id);
	tok[10] = tok[10] == 'a' ? 'b' : 'a';
	assert_int_equal(auth_token_user(db, tok, &uid), RC_NOT_FOUND);
	assert_int_equal(auth_token_user(db, "dvt_short", &uid), RC_NOT_FOUND);
	assert_int_equal(auth_token_user(db, NULL, &uid), RC_NOT_FOUND);
}

static void test_principal_roles_and_scope(void **state)
{
	(void)state;
	Principal p;
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_roles(db, &actor, user_id, (1u << ROLE_RECEPTION) | (1u << ROLE_EDITOR)), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(user_principal(db, user_id, &p), RC_OK);
	assert_true(p.caps & CAP_CASE_RECEIVE);
	assert_true(p.caps & CAP_NEWS_EDIT);
	assert_false(p.caps & CAP_USER_MANAGE);
	assert_false(p.caps & CAP_CASE_HANDLE);
	assert_int_equal(p.scope_unit_id, 0); /* central organisation: whole country */
	assert_string_equal(p.name, "Nguyễn Thị Lan");
	/* roles replace, not add */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_set_roles(db, &actor, user_id, 1u << ROLE_ADMIN), RC_OK);
	assert_int_equal(db_commit(db), RC_OK);
	assert_int_equal(user_principal(db, user_id, &p), RC_OK);
	assert_true(p.caps & CAP_USER_MANAGE);
	assert_false(p.caps & CAP_CASE_RECEIVE);
}

static void test_validation(void **state)
{
	(void)state;
	assert_true(user_login_valid("c00004.admin"));
	assert_false(user_login_valid("A"));
	assert_false(user_login_valid("Lan Nguyen"));
	assert_false(user_login_valid("lan<script>"));
	assert_non_null(user_password_problem("short"));
	assert_null(user_password_problem("long enough!"));
	int64_t id;
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(user_create(db, &actor, "x.y", "X", "", org_id, "short", &id), RC_INVALID);
	assert_int_equal(user_create(db, &actor, "x.y", "X", "", 9999, "long enough!", &id), RC_INVALID);
	assert_int_equal(user_create(db, &actor, "lan.nguyen", "X", "", org_id, "long enough!", &id), RC_CONFLICT);
	assert_int_equal(db_rollback(db), RC_OK);
}

static void test_audit_chain(void **state)
{
	(void)state;
	int64_t checked = 0, bad = 0;
	Buf report = BUF_INIT;
	assert_int_equal(audit_verify(db, &checked, &bad, &report), RC_OK);
	assert_true(checked >= 5);
	/* the log refuses edits */
	assert_int_not_equal(db_run(db, "UPDATE audit SET detail = 'x' WHERE id = 1", ""), RC_OK);
	assert_int_not_equal(db_run(db, "DELETE FROM audit WHERE id = 1", ""), RC_OK);
	/* and if someone gets around the trigger, the chain shows it */
	assert_int_equal(db_exec_script(db, "DROP TRIGGER audit_no_update;"
					    "UPDATE audit SET detail = 'forged' WHERE id = 2;"), RC_OK);
	assert_int_equal(audit_verify(db, &checked, &bad, &report), RC_CONFLICT);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(buf_cstr(&report), "audit entry 2"));
	buf_release(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_right_and_wrong),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_disabled_user),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_principal_roles_and_scope),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_audit_chain), /* last: it breaks the chain */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
