/*
 * vault.c — see vault.h and docs/internals/vault.md.
 *
 * Threat model in one line: whoever holds the database (a backup, a
 * stolen disk, an SQL injection, a curious administrator) must not learn
 * who denounced whom.  So the server only ever holds the public half of
 * the vault key: it can seal at intake but never open.  Opening needs the
 * secret half, which the handler brings for one reveal and which is wiped
 * from memory right after.
 *
 * Everything that could reach the audit log or a log line is a fixed
 * reason code, never the identity, the key or the sealed bytes.
 */
#include "vault.h"
#include "audit.h"
#include "unit.h"
#include "../base/crypto.h"
#include "../base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

_Static_assert(crypto_box_PUBLICKEYBYTES * 2 == VAULT_KEY_HEX, "vault key size");
_Static_assert(crypto_box_SECRETKEYBYTES * 2 == VAULT_KEY_HEX, "vault key size");
_Static_assert(crypto_scalarmult_BYTES == crypto_box_PUBLICKEYBYTES, "x25519 sizes");

/* Crockford's base-32 alphabet: no I, L, O, U, so a pseudonym read aloud
 * or copied by hand cannot be mistaken for another one. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

Rc vault_public_key_hex(Db *db, char out[VAULT_KEY_HEX + 1])
{
	char *v = NULL;
	Rc rc = db_get_text(db, &v, "SELECT value FROM setting WHERE key = 'vault_public_key'", "");
	if (rc)
		return rc;
	/* A malformed value is treated as no key: sealing to garbage would
	 * lose the identity for good. */
	bool ok = strlen(v) == VAULT_KEY_HEX;
	for (size_t i = 0; ok && i < VAULT_KEY_HEX; i++)
		ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f');
	if (ok)
		memcpy(out, v, VAULT_KEY_HEX + 1);
	free(v);
	return ok ? RC_OK : RC_NOT_FOUND;
}

bool vault_ready(Db *db)
{
	char hex[VAULT_KEY_HEX + 1];
	return vault_public_key_hex(db, hex) == RC_OK;
}

/* Exactly 64 hex digits → 32 bytes. */
static bool key_from_hex(const char *hex, unsigned char key[32])
{
	if (!hex || strlen(hex) != VAULT_KEY_HEX)
		return false;
	size_t n = 0;
	const char *end = NULL;
	if (sodium_hex2bin(key, 32, hex, VAULT_KEY_HEX, NULL, &n, &end) != 0 || n != 32 ||
	    end != hex + VAULT_KEY_HEX) {
		sodium_memzero(key, 32);
		return false;
	}
	return true;
}

static Rc load_public_key(Db *db, unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	char hex[VAULT_KEY_HEX + 1];
	Rc rc = vault_public_key_hex(db, hex);
	if (rc)
		return rc;
	return key_from_hex(hex, pk) ? RC_OK : RC_NOT_FOUND;
}

/* write(2) all of it, across short writes and signals. */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* fsync the directory holding `path`, so the new file's name survives a
 * power cut as well as its contents. */
static void fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Create the secret key file: O_EXCL so an existing key (perhaps the only
 * copy of the vault's secret) is never overwritten; mode 0600 from the
 * first byte, not chmod'ed afterwards, so there is no window where another
 * user could open it. */
static Rc write_secret_file(const char *path, const char *hex)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? RC_CONFLICT : RC_IO;
	bool ok = write_all(fd, hex, strlen(hex)) && write_all(fd, "\n", 1) && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		unlink(path);
		return RC_IO;
	}
	fsync_parent(path);
	return RC_OK;
}

Rc vault_init(Db *db, const char *secret_path)
{
	if (!secret_path || !*secret_path)
		return RC_INVALID;
	/* Rotation would need re-sealing every identity with the old secret
	 * at hand; until that exists, one key per installation. */
	if (vault_ready(db))
		return RC_CONFLICT;

	unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
	char pk_hex[VAULT_KEY_HEX + 1], sk_hex[VAULT_KEY_HEX + 1];
	crypto_box_keypair(pk, sk);
	sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
	sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
	sodium_memzero(sk, sizeof sk);

	/* The file first: a public key in the database without its secret
	 * would seal identities nobody can ever open. */
	Rc rc = write_secret_file(secret_path, sk_hex);
	sodium_memzero(sk_hex, sizeof sk_hex);
	if (rc)
		return rc;

	bool own = !db_in_tx(db);
	rc = own ? db_begin_write(db) : RC_OK;
	/* A plain INSERT: two concurrent inits race into the primary key and
	 * the loser fails instead of replacing the winner's key. */
	if (!rc)
		rc = db_run(db, "INSERT INTO setting (key, value) VALUES ('vault_public_key', ?)", "t",
			    pk_hex);
	if (!rc) {
		char detail[64];
		xsnprintf(detail, sizeof detail, "public_key=%.16s", pk_hex);
		rc = audit_append(db, 0, "cli", "vault.init", "setting", 0, 0, detail);
	}
	if (own) {
		if (!rc)
			rc = db_commit(db);
		if (rc)
			db_rollback(db);
	}
	if (rc) {
		/* The key never became the vault's: do not leave a file that
		 * looks like the one to keep. */
		unlink(secret_path);
		return rc;
	}
	log_info("msg=\"vault initialised\" public_key=%s", pk_hex);
	return RC_OK;
}

Rc vault_seal(Db *db, const char *plaintext, unsigned char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (!plaintext)
		return RC_INVALID;
	size_t n = strlen(plaintext);
	if (n > VAULT_PLAINTEXT_MAX)
		return RC_TOO_LARGE;
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	Rc rc = load_public_key(db, pk);
	if (rc == RC_NOT_FOUND)
		return RC_CONFLICT;
	if (rc)
		return rc;
	unsigned char *c = xmalloc(n + crypto_box_SEALBYTES);
	if (crypto_box_seal(c, (const unsigned char *)plaintext, n, pk) != 0) {
		free(c);
		return RC_INTERNAL;
	}
	*out = c;
	*out_len = n + crypto_box_SEALBYTES;
	return RC_OK;
}

/* The part of a reveal that can fail; `reason` names why, for the audit
 * entry.  On success *identity holds the plaintext. */
static Rc reveal_inner(Db *db, const Principal *who, int64_t case_id, const char *secret_hex,
		       char **identity, int64_t *unit_id, const char **reason)
{
	if (!who || !(who->caps & CAP_CASE_HANDLE)) {
		*reason = "no_capability";
		return RC_FORBIDDEN;
	}
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT kind, coalesce(unit_id, 0), identity_sealed,"
			" (responsible_org_id = ?2 OR receiving_org_id = ?2) FROM cases WHERE id = ?1",
			"ll", case_id, who->org_id);
	if (rc) {
		*reason = "db_error";
		return rc;
	}
	int s = db_step(st);
	bool org_match = false;
	unsigned char *blob = NULL;
	size_t blob_len = 0;
	if (s == DB_ROW) {
		*unit_id = db_col_int(st, 1);
		org_match = db_col_int(st, 3) != 0;
		if (!db_col_null(st, 2) && db_col_bytes(st, 2) > 0) {
			blob_len = (size_t)db_col_bytes(st, 2);
			blob = xmalloc(blob_len);
			memcpy(blob, db_col_blob(st, 2), blob_len);
		}
	}
	db_done(st);
	if (s != DB_ROW) {
		*reason = s == DB_DONE ? "no_case" : "db_error";
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	}
	/* Outside the area reads as "no such case", as everywhere else.  The
	 * area is the case's commune, or the handler's organisation being the
	 * one that received or must resolve it (cases with no commune).  What
	 * is sealed decides, not the kind: a part split off a denunciation,
	 * or a case re-classified as one, stays sealed whatever its kind. */
	if (!org_match && !(*unit_id && unit_within(db, *unit_id, who->scope_unit_id)) &&
	    who->scope_unit_id != 0) {
		*reason = "out_of_area";
		rc = RC_NOT_FOUND;
	} else if (!blob || blob_len < crypto_box_SEALBYTES) {
		*reason = "no_identity";
		rc = RC_NOT_FOUND;
	}
	if (rc) {
		free(blob);
		return rc;
	}

	unsigned char pk[crypto_box_PUBLICKEYBYTES], derived[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	if ((rc = load_public_key(db, pk))) {
		*reason = rc == RC_NOT_FOUND ? "no_vault" : "db_error";
		free(blob);
		return rc == RC_NOT_FOUND ? RC_CONFLICT : rc;
	}
	if (!key_from_hex(secret_hex, sk)) {
		*reason = "malformed_key";
		free(blob);
		return RC_INVALID;
	}
	/* Check the key before using it: a wrong key then reads as "not the
	 * vault's key" rather than as corrupt data, and the audit says which. */
	if (crypto_scalarmult_base(derived, sk) != 0 ||
	    sodium_memcmp(derived, pk, sizeof pk) != 0) {
		sodium_memzero(sk, sizeof sk);
		*reason = "key_mismatch";
		free(blob);
		return RC_UNAUTHORIZED;
	}
	size_t n = blob_len - crypto_box_SEALBYTES;
	char *plain = xmalloc(n + 1);
	int opened = crypto_box_seal_open((unsigned char *)plain, blob, blob_len, pk, sk);
	sodium_memzero(sk, sizeof sk);
	free(blob);
	if (opened != 0) {
		sodium_memzero(plain, n + 1);
		free(plain);
		*reason = "open_failed";
		return RC_INTERNAL;
	}
	plain[n] = 0;
	*identity = plain;
	*reason = NULL;
	return RC_OK;
}

Rc vault_reveal(Db *db, const Principal *who, int64_t case_id, const char *secret_hex,
		char **identity)
{
	*identity = NULL;
	bool own = !db_in_tx(db);
	Rc rc = own ? db_begin_write(db) : RC_OK;
	if (rc)
		return rc;
	int64_t unit_id = 0;
	const char *reason = NULL;
	char *plain = NULL;
	Rc result = reveal_inner(db, who, case_id, secret_hex, &plain, &unit_id, &reason);

	/* Reveal or not, the attempt is on the record, and the identity is
	 * handed out only once that record is committed. */
	char detail[64] = "";
	if (reason)
		xsnprintf(detail, sizeof detail, "reason=%s", reason);
	rc = audit_append(db, who ? who->id : 0, who ? who->login : "unknown",
			  result ? "vault.reveal_failed" : "vault.reveal", "case", case_id, unit_id,
			  detail);
	if (own) {
		if (!rc)
			rc = db_commit(db);
		if (rc)
			db_rollback(db);
	}
	if (rc || result) {
		if (plain) {
			sodium_memzero(plain, strlen(plain));
			free(plain);
		}
		if (result)
			log_warn("msg=\"vault reveal refused\" case_id=%lld user_id=%lld reason=%s",
				 (long long)case_id, (long long)(who ? who->id : 0), reason);
		return result ? result : rc;
	}
	log_info("msg=\"vault reveal\" case_id=%lld user_id=%lld", (long long)case_id,
		 (long long)who->id);
	*identity = plain;
	return RC_OK;
}

/* The server secret (setting 'secret'), created like server.c does when a
 * command runs before the server ever started.  NULL when it can be
 * neither read nor created (e.g. inside a read-only transaction). */
static char *server_secret_setting(Db *db)
{
	char *s = NULL;
	Rc rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	if (rc == RC_NOT_FOUND) {
		char fresh[CRYPTO_TOKEN_HEX + 1];
		crypto_random_hex(fresh);
		rc = db_run(db, "INSERT INTO setting (key, value) VALUES ('secret', ?)"
				" ON CONFLICT (key) DO NOTHING", "t", fresh);
		sodium_memzero(fresh, sizeof fresh);
		if (!rc)
			rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	}
	return rc ? NULL : s;
}

void vault_pseudonym(Db *db, int64_t case_id, char out[VAULT_PSEUDONYM_MAX])
{
	/* Derived from the case id only, never from the identity: two
	 * denunciations by the same person get unrelated pseudonyms, so the
	 * pseudonym cannot be used to link them (or to confirm a guessed
	 * name).  The key keeps outsiders from computing it from a case id. */
	char msg[64], mac[CRYPTO_HASH_HEX + 1];
	xsnprintf(msg, sizeof msg, "vault-pseudonym\x1f%lld", (long long)case_id);
	char *secret = server_secret_setting(db);
	if (!secret)
		log_warn("msg=\"no server secret: unkeyed pseudonym\" case_id=%lld", (long long)case_id);
	crypto_hmac_hex(secret ? secret : "", msg, mac);
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	/* 8 hex digits = 32 bits, of which 30 make six base-32 characters. */
	uint32_t bits = 0;
	for (int i = 0; i < 8; i++)
		bits = bits << 4 | (uint32_t)(mac[i] <= '9' ? mac[i] - '0' : mac[i] - 'a' + 10);
	char code[7];
	for (int i = 0; i < 6; i++)
		code[i] = crockford[(bits >> (5 * i)) & 31];
	code[6] = 0;
	xsnprintf(out, VAULT_PSEUDONYM_MAX, "Người tố cáo TC-%s", code);
}
