/*
 * vault.h — the sealed identity of denouncers (shared domain.md §1.3).
 *
 * At intake the denouncer's identity (name, address, phone, e-mail, ID
 * number, as JSON) is encrypted with a libsodium sealed box to the vault
 * public key stored in the settings.  The matching secret key is created
 * by `danvan vault init` into a file the operator keeps offline; it never
 * enters the database, the config file or a log.  To reveal an identity
 * an authorised handler supplies the secret key; every reveal (and every
 * failed attempt) is audited.  Staff otherwise see a pseudonym.
 *
 * Key rotation is out of scope: one key pair per installation, and
 * vault_init refuses to replace it (see docs/internals/vault.md).
 */
#ifndef DANVAN_VAULT_H
#define DANVAN_VAULT_H

#include "../store/db.h"
#include "user.h"

#define VAULT_KEY_HEX 64
/* Identity JSON is a handful of short fields: anything larger is a bug. */
#define VAULT_PLAINTEXT_MAX 16384
#define VAULT_PSEUDONYM_MAX 48

/* True when the vault public key is set (intake of denunciations needs it). */
bool vault_ready(Db *db);
/* The public key as 64 hex chars; RC_NOT_FOUND when the vault has none. */
Rc vault_public_key_hex(Db *db, char out[VAULT_KEY_HEX + 1]);
/* Create the key pair: the public key goes to the settings; the secret key
 * (hex) to `secret_path` created with mode 0600 (refuses to overwrite).
 * RC_CONFLICT when a key is already set or the file exists; RC_IO when the
 * file cannot be written.  Audited as "vault.init".  Joins the caller's
 * write transaction if one is open, else uses its own. */
Rc vault_init(Db *db, const char *secret_path);
/* Seal `plaintext` to the vault public key; *out is malloc'd (plaintext
 * length + 48 bytes).  RC_CONFLICT when the vault has no key (never fall
 * back to storing the identity in the clear); RC_TOO_LARGE over
 * VAULT_PLAINTEXT_MAX. */
Rc vault_seal(Db *db, const char *plaintext, unsigned char **out, size_t *out_len);
/* Open case `case_id`'s sealed identity with the secret key (hex); audited
 * as "vault.reveal" (or "vault.reveal_failed").  *identity is malloc'd JSON;
 * wipe it (sodium_memzero) before freeing.
 * Errors: RC_FORBIDDEN without CAP_CASE_HANDLE; RC_NOT_FOUND for an unknown
 * case, a case outside `who`'s area, or a denunciation without a sealed
 * identity; RC_INVALID for a case that is not a denunciation or a secret
 * that is not 64 hex chars; RC_UNAUTHORIZED when the key is not the
 * vault's; RC_CONFLICT when the vault has no key; RC_INTERNAL when the box
 * does not open with the right key (corrupt data).
 * Transactions: with none open, the audit entry is committed in its own
 * write transaction before the identity is returned (a failed attempt is
 * recorded too).  Inside a caller's write transaction the entry joins it
 * and the caller must commit it — also on failure. */
Rc vault_reveal(Db *db, const Principal *who, int64_t case_id, const char *secret_hex,
		char **identity);
/* "Người tố cáo TC-7K2QXM" style pseudonym derived from the case id and a
 * server secret, stable for the case. */
void vault_pseudonym(Db *db, int64_t case_id, char out[VAULT_PSEUDONYM_MAX]);

#endif
