/*
 * cmd_vault.c — `danvan vault init | reveal | status`.
 *
 * init creates the key pair: the public key into the database, the secret
 * key into a new file the operator then moves offline.  reveal opens one
 * case's sealed identity on behalf of a named handler, who must hold the
 * handling capability over the case's area; it is audited like a reveal
 * from the web, under that handler's name.  The secret key is read from a
 * file (never from argv, where `ps` would show it) and wiped after use.
 */
#include "cmd_vault.h"
#include "../domain/user.h"
#include "../domain/vault.h"

#include <sodium.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: danvan [--db PATH] vault COMMAND …\n"
	"  init --secret-out FILE\n"
	"      Create the vault key pair.  The public key is stored in the database;\n"
	"      the secret key is written to FILE (a new file, mode 0600).  Keep FILE\n"
	"      offline: it is the only way to read denouncers' identities, and it is\n"
	"      never stored by danvan.  Refused when the vault already has a key\n"
	"      (key rotation is not supported).\n"
	"  reveal CASE_CODE --secret-file FILE --as LOGIN\n"
	"      Print the sealed identity of denunciation CASE_CODE as JSON.  LOGIN must\n"
	"      hold the case-handling capability over the case's area.  Every attempt\n"
	"      is written to the audit log.\n"
	"  status\n"
	"      Tell whether the vault has a key, and print its public key.\n";

static int vault_init_cmd(const CliEnv *env, int argc, char **argv)
{
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--secret-out") && i + 1 < argc) {
			out = argv[++i];
		} else {
			fprintf(stderr, "danvan vault init: unexpected '%s'\n%s", argv[i], usage_text);
			return 2;
		}
	}
	if (!out || !*out) {
		fprintf(stderr, "danvan vault init: --secret-out FILE is required\n");
		return 2;
	}
	Db *db = cli_open_db(env, false);
	Rc rc = vault_init(db, out);
	if (rc == RC_CONFLICT) {
		fprintf(stderr, "danvan vault init: %s\n",
			vault_ready(db) ? "the vault already has a key (rotation is not supported)"
					: "the secret file already exists; choose a new name");
		db_close(db);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "danvan vault init: %s (%s)\n", rc_name(rc),
			rc == RC_IO ? "cannot write the secret file" : db_errmsg(db));
		db_close(db);
		return 1;
	}
	char pk[VAULT_KEY_HEX + 1];
	if (vault_public_key_hex(db, pk) != RC_OK)
		pk[0] = 0;
	db_close(db);
	printf("vault key created\npublic key: %s\nsecret key written to %s\n"
	       "Move that file to offline storage; without it sealed identities cannot be read.\n",
	       pk, out);
	return 0;
}

/* The secret key from its file: 64 hex digits, whitespace around them
 * ignored.  The buffer is wiped by the caller. */
static bool read_secret(const char *path, char out[VAULT_KEY_HEX + 1])
{
	struct stat sb;
	if (stat(path, &sb) == 0 && (sb.st_mode & 077))
		fprintf(stderr, "danvan vault: warning: %s is readable by other users\n", path);
	char *data = NULL;
	size_t len = 0;
	if (util_read_file(path, 4096, &data, &len) != RC_OK) {
		fprintf(stderr, "danvan vault: cannot read %s\n", path);
		return false;
	}
	size_t a = 0, b = len;
	while (a < b && strchr(" \t\r\n", data[a]))
		a++;
	while (b > a && strchr(" \t\r\n", data[b - 1]))
		b--;
	bool ok = b - a == VAULT_KEY_HEX;
	if (ok) {
		memcpy(out, data + a, VAULT_KEY_HEX);
		out[VAULT_KEY_HEX] = 0;
	} else {
		fprintf(stderr, "danvan vault: %s does not hold a vault secret key\n", path);
	}
	sodium_memzero(data, len);
	free(data);
	return ok;
}

static int vault_reveal_cmd(const CliEnv *env, int argc, char **argv)
{
	const char *code = NULL, *secret_file = NULL, *login = NULL;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--secret-file") && i + 1 < argc)
			secret_file = argv[++i];
		else if (str_eq(argv[i], "--as") && i + 1 < argc)
			login = argv[++i];
		else if (argv[i][0] != '-' && !code)
			code = argv[i];
		else {
			fprintf(stderr, "danvan vault reveal: unexpected '%s'\n%s", argv[i], usage_text);
			return 2;
		}
	}
	if (!code || !secret_file || !login) {
		fprintf(stderr, "danvan vault reveal: CASE_CODE, --secret-file and --as are required\n");
		return 2;
	}
	Db *db = cli_open_db(env, false);
	int64_t user_id = 0, case_id = 0;
	Principal who;
	Rc rc = user_find_login(db, login, &user_id);
	if (!rc)
		rc = user_principal(db, user_id, &who);
	if (rc) {
		fprintf(stderr, "danvan vault reveal: no active user '%s'\n", login);
		db_close(db);
		return 1;
	}
	if (db_get_int(db, &case_id, "SELECT id FROM cases WHERE code = ?", "t", code) != RC_OK) {
		fprintf(stderr, "danvan vault reveal: no case '%s'\n", code);
		db_close(db);
		return 1;
	}
	char secret[VAULT_KEY_HEX + 1] = "";
	if (!read_secret(secret_file, secret)) {
		db_close(db);
		return 1;
	}
	char *identity = NULL;
	rc = vault_reveal(db, &who, case_id, secret, &identity);
	sodium_memzero(secret, sizeof secret);
	if (rc) {
		const char *why =
			rc == RC_FORBIDDEN ? "the user may not handle cases" :
			rc == RC_NOT_FOUND ? "no sealed identity for this case in the user's area" :
			rc == RC_INVALID ? "not a denunciation, or a malformed key" :
			rc == RC_UNAUTHORIZED ? "this is not the vault's secret key" :
			rc == RC_CONFLICT ? "the vault has no key ('danvan vault init')" :
			rc == RC_INTERNAL ? "the sealed identity does not open (corrupt data)" :
			db_errmsg(db);
		fprintf(stderr, "danvan vault reveal: %s (attempt recorded in the audit log)\n", why);
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("%s\n", identity);
	fflush(stdout);
	sodium_memzero(identity, strlen(identity));
	free(identity);
	return 0;
}

static int vault_status_cmd(const CliEnv *env, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "danvan vault status: unexpected '%s'\n", argv[1]);
		return 2;
	}
	Db *db = cli_open_db(env, false);
	char pk[VAULT_KEY_HEX + 1];
	Rc rc = vault_public_key_hex(db, pk);
	db_close(db);
	if (rc == RC_NOT_FOUND) {
		printf("vault: no key ('danvan vault init --secret-out FILE')\n");
		return 1;
	}
	if (rc) {
		fprintf(stderr, "danvan vault status: %s\n", rc_name(rc));
		return 1;
	}
	printf("vault: ready\npublic key: %s\n", pk);
	return 0;
}

int cmd_vault(const CliEnv *env, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	if (str_eq(sub, "init"))
		return vault_init_cmd(env, argc - 1, argv + 1);
	if (str_eq(sub, "reveal"))
		return vault_reveal_cmd(env, argc - 1, argv + 1);
	if (str_eq(sub, "status"))
		return vault_status_cmd(env, argc - 1, argv + 1);
	fprintf(stderr, "danvan vault: unknown command '%s'\n%s", sub, usage_text);
	return 2;
}
