/*
 * cmd_user.c — `danvan user …`: add, passwd, role, disable, enable, list,
 * token.  Every change is audited with the actor "cli".  Passwords are
 * read from stdin with --password-stdin, or generated and printed once.
 */
#include "cli.h"
#include "../base/crypto.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/auth.h"
#include "../domain/user.h"

static const char usage_text[] =
	"usage: danvan [--db PATH] user COMMAND …\n"
	"  add LOGIN --name NAME --org ORGCODE [--email E] [--role ROLE]… [--password-stdin]\n"
	"  passwd LOGIN [--password-stdin]\n"
	"  role LOGIN ROLE…        set the roles (ROLE 'none' clears them)\n"
	"  disable LOGIN | enable LOGIN\n"
	"  list\n"
	"  token LOGIN [--label TEXT]   create an API bearer token (printed once)\n"
	"  tokens LOGIN            list the user's tokens (ids, labels, dates)\n"
	"  revoke-token LOGIN ID   revoke one of them\n"
	"Roles: editor reception handler massmob leader admin.\n"
	"Without --password-stdin a random password is generated and printed.\n";

static const Actor cli_actor = {0, "cli"};

static bool read_password(bool from_stdin, char *out, size_t n)
{
	if (from_stdin) {
		if (!fgets(out, (int)n, stdin))
			return false;
		out[strcspn(out, "\r\n")] = 0;
		return true;
	}
	/* 12 random bytes in an easy alphabet: 16 characters, no 0/O/1/l. */
	static const char alpha[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY23456789";
	unsigned char raw[16];
	crypto_random(raw, sizeof raw);
	for (size_t i = 0; i < 16 && i + 1 < n; i++)
		out[i] = alpha[raw[i] % (sizeof alpha - 1)];
	out[16] = 0;
	return true;
}

static int finish(Db *db, Rc rc, const char *what)
{
	if (rc == RC_OK)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		const char *why = rc == RC_INVALID ? "invalid input" :
				  rc == RC_CONFLICT ? "already exists" :
				  rc == RC_NOT_FOUND ? "not found" : db_errmsg(db);
		fprintf(stderr, "danvan user %s: %s\n", what, why);
		db_close(db);
		return 1;
	}
	db_close(db);
	return 0;
}

static int user_add(Db *db, int argc, char **argv)
{
	const char *login = argc > 1 ? argv[1] : NULL;
	const char *name = NULL, *org = NULL, *email = NULL;
	bool pw_stdin = false;
	uint32_t roles = 0;
	for (int i = 2; i < argc; i++) {
		if (str_eq(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (str_eq(argv[i], "--org") && i + 1 < argc)
			org = argv[++i];
		else if (str_eq(argv[i], "--email") && i + 1 < argc)
			email = argv[++i];
		else if (str_eq(argv[i], "--password-stdin"))
			pw_stdin = true;
		else if (str_eq(argv[i], "--role") && i + 1 < argc) {
			Role role;
			if (!role_parse(argv[++i], &role)) {
				fprintf(stderr, "danvan user add: unknown role '%s'\n", argv[i]);
				db_close(db);
				return 2;
			}
			roles |= 1u << role;
		} else {
			fprintf(stderr, "danvan user add: unexpected '%s'\n%s", argv[i], usage_text);
			db_close(db);
			return 2;
		}
	}
	if (!login || !name || !org) {
		fprintf(stderr, "danvan user add: LOGIN, --name and --org are required\n");
		db_close(db);
		return 2;
	}
	if (!user_login_valid(login)) {
		fprintf(stderr, "danvan user add: a login is 2-60 characters of a-z 0-9 . _ -\n");
		db_close(db);
		return 2;
	}
	char *clean_name = text_clean(name, strlen(name), false);
	if (!clean_name) {
		fprintf(stderr, "danvan user add: the name is not valid UTF-8\n");
		db_close(db);
		return 2;
	}
	char pw[USER_PASSWORD_MAX + 2];
	if (!read_password(pw_stdin, pw, sizeof pw)) {
		free(clean_name);
		fprintf(stderr, "danvan user add: no password on stdin\n");
		db_close(db);
		return 2;
	}
	const char *problem = user_password_problem(pw);
	if (problem) {
		free(clean_name);
		fprintf(stderr, "danvan user add: %s\n", problem);
		db_close(db);
		return 2;
	}
	int64_t org_id = 0, id = 0;
	Rc rc = db_begin_write(db);
	if (!rc && org_find_code(db, org, &org_id) != RC_OK) {
		db_rollback(db);
		free(clean_name);
		fprintf(stderr, "danvan user add: no organisation with code '%s'\n", org);
		db_close(db);
		return 1;
	}
	if (!rc)
		rc = user_create(db, &cli_actor, login, clean_name, email, org_id, pw, &id);
	if (!rc && roles)
		rc = user_set_roles(db, &cli_actor, id, roles);
	free(clean_name);
	int status = finish(db, rc, "add");
	if (status == 0) {
		printf("user %s created (id %lld)\n", login, (long long)id);
		if (!pw_stdin)
			printf("password: %s\n", pw);
	}
	return status;
}

static int need_user(Db *db, const char *login, int64_t *id)
{
	if (!login || user_find_login(db, login, id) != RC_OK) {
		fprintf(stderr, "danvan user: no user '%s'\n", login ? login : "");
		db_rollback(db);
		db_close(db);
		return 1;
	}
	return 0;
}

int cmd_user(const CliEnv *env, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	argc--;
	argv++;
	Db *db = cli_open_db(env, false);
	if (str_eq(sub, "add"))
		return user_add(db, argc, argv);
	if (str_eq(sub, "list")) {
		DbStmt *st;
		if (db_prep(db, &st, "SELECT u.login, u.name, o.code, u.disabled,"
				     " (SELECT group_concat(role, ',') FROM user_role r WHERE r.user_id = u.id)"
				     " FROM user u JOIN org o ON o.id = u.org_id ORDER BY u.login", "")) {
			fprintf(stderr, "danvan user list: %s\n", db_errmsg(db));
			db_close(db);
			return 1;
		}
		while (db_step(st) == DB_ROW)
			printf("%-20s %-30s %-24s %-28s%s\n", db_col_text(st, 0), db_col_text(st, 1),
			       db_col_text(st, 2), db_col_text(st, 4), db_col_int(st, 3) ? " (disabled)" : "");
		db_done(st);
		db_close(db);
		return 0;
	}
	int64_t id = 0;
	Rc rc = db_begin_write(db);
	if (rc)
		return finish(db, rc, sub);
	if (need_user(db, argc > 1 ? argv[1] : NULL, &id))
		return 1;
	if (str_eq(sub, "passwd")) {
		bool pw_stdin = argc > 2 && str_eq(argv[2], "--password-stdin");
		char pw[USER_PASSWORD_MAX + 2];
		if (!read_password(pw_stdin, pw, sizeof pw) || user_password_problem(pw)) {
			fprintf(stderr, "danvan user passwd: the password must have 10 to 256 characters\n");
			db_rollback(db);
			db_close(db);
			return 2;
		}
		int status = finish(db, user_set_password(db, &cli_actor, id, pw), "passwd");
		if (!status && !pw_stdin)
			printf("password: %s\n", pw);
		return status;
	}
	if (str_eq(sub, "role")) {
		uint32_t roles = 0;
		for (int i = 2; i < argc; i++) {
			Role role;
			if (str_eq(argv[i], "none"))
				continue;
			if (!role_parse(argv[i], &role)) {
				fprintf(stderr, "danvan user role: unknown role '%s'\n", argv[i]);
				db_rollback(db);
				db_close(db);
				return 2;
			}
			roles |= 1u << role;
		}
		return finish(db, user_set_roles(db, &cli_actor, id, roles), "role");
	}
	if (str_eq(sub, "disable") || str_eq(sub, "enable"))
		return finish(db, user_set_disabled(db, &cli_actor, id, str_eq(sub, "disable")), sub);
	if (str_eq(sub, "tokens")) {
		db_rollback(db);
		DbStmt *st;
		if (db_prep(db, &st, "SELECT id, label, created_at, revoked, last_used FROM api_token"
				     " WHERE user_id = ? ORDER BY id", "l", id)) {
			fprintf(stderr, "danvan user tokens: %s\n", db_errmsg(db));
			db_close(db);
			return 1;
		}
		Buf when = BUF_INIT, used = BUF_INIT;
		while (db_step(st) == DB_ROW) {
			buf_reset(&when);
			buf_reset(&used);
			date_format_vn_timestamp(&when, db_col_int(st, 2));
			if (db_col_int(st, 4))
				date_format_vn_timestamp(&used, db_col_int(st, 4));
			else
				buf_puts(&used, "never");
			printf("%-6lld %-30s created %s, last used %s%s\n", (long long)db_col_int(st, 0),
			       db_col_text(st, 1), buf_cstr(&when), buf_cstr(&used),
			       db_col_int(st, 3) ? " (revoked)" : "");
		}
		buf_release(&when);
		buf_release(&used);
		db_done(st);
		db_close(db);
		return 0;
	}
	if (str_eq(sub, "revoke-token")) {
		int64_t tid;
		if (argc < 3 || !util_parse_i64(argv[2], 1, INT64_MAX, &tid)) {
			fprintf(stderr, "danvan user revoke-token: LOGIN ID\n");
			db_rollback(db);
			db_close(db);
			return 2;
		}
		return finish(db, auth_token_revoke(db, &cli_actor, id, tid), "revoke-token");
	}
	if (str_eq(sub, "token")) {
		const char *label = "cli";
		if (argc > 3 && str_eq(argv[2], "--label"))
			label = argv[3];
		char tok[72];
		int status = finish(db, auth_token_create(db, &cli_actor, id, label, tok), "token");
		if (!status)
			printf("%s\n", tok);
		return status;
	}
	db_rollback(db);
	db_close(db);
	fprintf(stderr, "danvan user: unknown command '%s'\n%s", sub, usage_text);
	return 2;
}
