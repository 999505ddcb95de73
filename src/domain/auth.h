/*
 * auth.h — signing in: password checks with lockout, server-side
 * sessions, and API bearer tokens.
 *
 * Only SHA-256 hashes of session ids and tokens are stored, so a copy of
 * the database does not let anyone sign in.  Sessions expire after
 * AUTH_SESSION_TTL of inactivity and AUTH_SESSION_MAX in all.
 *
 * Lockout: after AUTH_FREE_ATTEMPTS consecutive failures the account is
 * locked for 30 s, doubling with each further failure up to one hour; a
 * correct password during the lock is refused too (otherwise the lock
 * would not slow guessing).  Success resets the count.
 */
#ifndef DANVAN_AUTH_H
#define DANVAN_AUTH_H

#include "user.h"

#define AUTH_FREE_ATTEMPTS 5
#define AUTH_SESSION_TTL (8 * 3600)
#define AUTH_SESSION_MAX (7 * 24 * 3600)
#define AUTH_TOKEN_PREFIX "dvt_"

/* RC_OK and *user_id on success; RC_UNAUTHORIZED for a wrong login or
 * password (the same answer for both); RC_LOCKED with *locked_until while
 * locked — unknown logins lock after the same number of failures, counted
 * in memory, so the lock tells nothing; RC_FORBIDDEN for a disabled
 * account.  Writes (counters), so run
 * it in a write transaction and commit whatever it returns. */
Rc auth_password(Db *db, const char *login, const char *password, int64_t *user_id,
		 int64_t *locked_until);

/* New session for a user: the cookie value (64 hex) goes to sid_out. */
Rc auth_session_create(Db *db, int64_t user_id, char sid_out[65]);
/* Look up a session cookie; RC_NOT_FOUND when unknown or expired.
 * *last_seen (may be NULL): when it was last touched. */
Rc auth_session_user(Db *db, const char *sid, int64_t *user_id, int64_t *last_seen);
/* Refresh last_seen (at most once a minute, to keep GETs read-mostly).
 * The caller skips it when last_seen is younger than AUTH_TOUCH_EVERY:
 * even an UPDATE that changes nothing takes the database's write lock. */
#define AUTH_TOUCH_EVERY 60
Rc auth_session_touch(Db *db, const char *sid);
Rc auth_session_delete(Db *db, const char *sid);

/* New API token "dvt_<64 hex>" into tok_out (shown once). Audited. */
Rc auth_token_create(Db *db, const Actor *actor, int64_t user_id, const char *label,
		     char tok_out[72]);
/* The user of a live token (RC_NOT_FOUND otherwise); records when it was
 * used (api_token.last_used, at most once a minute). */
Rc auth_token_user(Db *db, const char *token, int64_t *user_id);
/* Revoke token `token_id` of user `user_id` (RC_NOT_FOUND otherwise). Audited. */
Rc auth_token_revoke(Db *db, const Actor *actor, int64_t user_id, int64_t token_id);

#endif
