/*
 * crypto.h — the few cryptographic operations danvan needs, all from
 * libsodium: random tokens, SHA-256 and HMAC for hashing secrets we only
 * need to compare, and argon2id for passwords.
 *
 * crypto_init() must run once before threads start (sodium_init).
 */
#ifndef DANVAN_CRYPTO_H
#define DANVAN_CRYPTO_H

#include "util.h"
#include "buf.h"

#define CRYPTO_TOKEN_HEX 64  /* 32 random bytes as hex */
#define CRYPTO_HASH_HEX 64   /* SHA-256 as hex */
#define CRYPTO_PWHASH_MAX 128

void crypto_init(void);
/* 32 random bytes as 64 lower-case hex chars + NUL into out[65]. */
void crypto_random_hex(char out[CRYPTO_TOKEN_HEX + 1]);
/* Random bytes. */
void crypto_random(void *p, size_t n);
/* SHA-256 of data, hex, into out[65]. */
void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX + 1]);
/* HMAC-SHA-256(key, msg) as hex into out[65]. */
void crypto_hmac_hex(const char *key, const char *msg, char out[CRYPTO_HASH_HEX + 1]);

/* argon2id hash of a password into out (CRYPTO_PWHASH_MAX bytes).  Uses
 * the "interactive" limits, or the minimum when DANVAN_FAST_HASH is set in
 * the environment (tests and demo data only: the hash records its own
 * parameters, so verification works either way). */
Rc crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_MAX]);
bool crypto_password_verify(const char *hash, const char *password);

#endif
