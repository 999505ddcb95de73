/*
 * crypto.c — see crypto.h.  Thin wrappers over libsodium so the rest of
 * the code never handles raw key sizes or encodings.
 */
#include "crypto.h"

#include <sodium.h>

void crypto_init(void)
{
	if (sodium_init() < 0)
		die("libsodium failed to initialise");
}

void crypto_random(void *p, size_t n)
{
	randombytes_buf(p, n);
}

void crypto_random_hex(char out[CRYPTO_TOKEN_HEX + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, CRYPTO_TOKEN_HEX + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, CRYPTO_HASH_HEX + 1, h, sizeof h);
}

void crypto_hmac_hex(const char *key, const char *msg, char out[CRYPTO_HASH_HEX + 1])
{
	/* libsodium's HMAC wants a 32-byte key: derive it from the secret. */
	unsigned char k[crypto_auth_hmacsha256_KEYBYTES];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_hash_sha256(k, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), k);
	sodium_bin2hex(out, CRYPTO_HASH_HEX + 1, mac, sizeof mac);
	sodium_memzero(k, sizeof k);
}

Rc crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_MAX])
{
	const char *fast = getenv("DANVAN_FAST_HASH");
	bool min = fast && *fast && *fast != '0';
	unsigned long long ops = min ? crypto_pwhash_argon2id_OPSLIMIT_MIN
				     : crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	size_t mem = min ? crypto_pwhash_argon2id_MEMLIMIT_MIN
			 : crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	_Static_assert(crypto_pwhash_argon2id_STRBYTES <= CRYPTO_PWHASH_MAX, "pwhash size");
	if (crypto_pwhash_argon2id_str(out, password, strlen(password), ops, mem) != 0)
		return RC_INTERNAL;
	return RC_OK;
}

bool crypto_password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return false;
	return crypto_pwhash_argon2id_str_verify(hash, password, strlen(password)) == 0;
}
