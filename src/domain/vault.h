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
 */
#ifndef DANVAN_VAULT_H
#define DANVAN_VAULT_H

#include "../store/db.h"
#include "user.h"

#define VAULT_KEY_HEX 64

bool vault_ready(Db *db);
/* Create the key pair: the public key goes to the settings; the secret key
 * (hex) to `secret_path` created with mode 0600 (refuses to overwrite). */
Rc vault_init(Db *db, const char *secret_path);
Rc vault_seal(Db *db, const char *plaintext, unsigned char **out, size_t *out_len);
/* Open case `case_id`'s sealed identity with the secret key (hex); audited
 * as "vault.reveal" (or "vault.reveal_failed").  *identity is malloc'd JSON. */
Rc vault_reveal(Db *db, const Principal *who, int64_t case_id, const char *secret_hex,
		char **identity);
/* "Người tố cáo TC-7K2Q" style pseudonym derived from the case id and a
 * server secret, stable for the case. */
void vault_pseudonym(Db *db, int64_t case_id, char out[48]);

#endif
