/*
 * cli.c — helpers shared by subcommands, and the small ones: serve, init,
 * migrate, backup, check.
 */
#include "cli.h"
#include "config.h"
#include "../base/crypto.h"
#include "../base/log.h"
#include "../domain/audit.h"
#include "../domain/article.h"
#include "../domain/case.h"
#include "../domain/deadline.h"
#include "../domain/org.h"
#include "../domain/unit.h"
#include "../store/schema.h"
#include "../web/server.h"

#include <unistd.h>

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h"))
			return true;
	return false;
}

void cli_progress(const char *what, long done, long total)
{
	if (!isatty(STDERR_FILENO))
		return;
	if (total > 0)
		fprintf(stderr, "\r%s: %ld/%ld (%ld%%)   ", what, done, total, done * 100 / total);
	else
		fprintf(stderr, "\r%s: %ld   ", what, done);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

Db *cli_open_db(const CliEnv *env, bool create)
{
	Db *db = NULL;
	if (db_open(&db, env->db_path, create ? DB_OPEN_CREATE : 0)) {
		fprintf(stderr, "danvan: cannot open database %s: %s\n", env->db_path, db_errmsg(db));
		db_close(db);
		exit(1);
	}
	int applied = 0;
	Rc rc = schema_migrate(db, &applied);
	if (rc == RC_CONFLICT) {
		fprintf(stderr, "danvan: %s was made by a newer danvan (its schema is newer than %d);"
				" use that version or restore a backup\n", env->db_path, schema_latest());
		db_close(db);
		exit(1);
	}
	if (rc) {
		fprintf(stderr, "danvan: cannot migrate %s: %s (%s)\n", env->db_path, rc_name(rc),
			db_errmsg(db));
		db_close(db);
		exit(1);
	}
	return db;
}

int cmd_serve(const CliEnv *env, int argc, char **argv)
{
	const char *port_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			printf("usage: danvan [--db PATH] [--listen HOST:PORT] [--threads N] serve [--port-file FILE]\n"
			       "Serve the web site and the API until SIGINT or SIGTERM; requests in\n"
			       "flight finish before the database closes.  Port 0 picks a free port;\n"
			       "--port-file writes the bound port to FILE (for tests).\n");
			return 0;
		} else if (str_eq(argv[i], "--port-file") && i + 1 < argc) {
			port_file = argv[++i];
		} else {
			fprintf(stderr, "danvan serve: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	char host[128];
	int port;
	if (!config_split_listen(env->listen, host, sizeof host, &port)) {
		fprintf(stderr, "danvan: --listen wants HOST:PORT, got '%s'\n", env->listen);
		return 2;
	}
	ServerConfig cfg = {env->db_path, host, port, env->threads, port_file,
			    env->smtp_url, env->smtp_from, env->smtp_user, env->smtp_password,
			    env->jobs_interval, env->trust_proxy};
	return server_run(&cfg);
}

int cmd_migrate(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: danvan [--db PATH] migrate\nApply every pending schema migration, in order.\n");
		return 0;
	}
	Db *db = NULL;
	if (db_open(&db, env->db_path, DB_OPEN_CREATE)) {
		fprintf(stderr, "danvan: cannot open %s: %s\n", env->db_path, db_errmsg(db));
		db_close(db);
		return 1;
	}
	int applied = 0, version = 0;
	Rc rc = schema_migrate(db, &applied);
	if (rc == RC_CONFLICT) {
		fprintf(stderr, "danvan: %s was made by a newer danvan (its schema is newer than %d)\n",
			env->db_path, schema_latest());
		db_close(db);
		return 1;
	}
	if (!rc)
		rc = schema_version(db, &version);
	if (rc) {
		fprintf(stderr, "danvan: migration failed: %s\n", db_errmsg(db));
		db_close(db);
		return 1;
	}
	printf("schema version %d (%d applied)\n", version, applied);
	db_close(db);
	return 0;
}

/* The central organisation every installation starts with. */
Rc cli_ensure_central_org(Db *db, int64_t *id);
Rc cli_ensure_central_org(Db *db, int64_t *id)
{
	if (org_find_code(db, "central", id) == RC_OK)
		return RC_OK;
	Actor cli = {0, "cli"};
	return org_create(db, &cli, 0, 0, "massmob_commission", "central",
			  "Ban Tuyên giáo và Dân vận Trung ương", "BTGDVTW", "2025-02-03", id);
}

int cmd_init(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: danvan [--db PATH] [--data DIR] init\n"
		       "Create the database (if missing), apply migrations, import the\n"
		       "administrative units from DIR/admin-units and create the central\n"
		       "organisation, the statutory deadline rules and the field tree.  Safe to\n"
		       "run again.  Add the first administrator with\n"
		       "'danvan user add LOGIN --name NAME --org central --role admin'.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "danvan init: unknown option '%s'\n", argv[1]);
		return 2;
	}
	Db *db = cli_open_db(env, true);
	char *dir = NULL;
	Buf path = BUF_INIT;
	buf_printf(&path, "%s/admin-units", env->data_dir);
	Rc rc = unit_import(db, buf_cstr(&path), cli_progress);
	buf_release(&path);
	free(dir);
	if (rc) {
		fprintf(stderr, "danvan: importing units failed: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	int64_t central;
	rc = db_begin_write(db);
	if (!rc)
		rc = cli_ensure_central_org(db, &central);
	/* statutory deadline rules and the field tree: data, seeded once */
	if (!rc)
		rc = deadline_seed_rules(db);
	if (!rc)
		rc = case_seed_fields(db);
	if (!rc)
		rc = category_seed(db);
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		fprintf(stderr, "danvan: creating the central organisation failed: %s\n", db_errmsg(db));
		db_close(db);
		return 1;
	}
	printf("database ready: %s\n", env->db_path);
	db_close(db);
	return 0;
}

/* The intake log's copy beside the main one (FILE.intake), written
 * before it: a submission that left the log after this copy was built
 * into a case before it left, so the main copy, taken later, holds it. */
static Rc backup_intake_log(const CliEnv *env, const char *dest)
{
	Db *log = NULL;
	Rc rc = case_intake_log_open(env->db_path, &log);
	char log_dest[4096];
	case_intake_log_path(dest, log_dest, sizeof log_dest);
	if (!rc)
		rc = db_backup(log, log_dest);
	if (rc)
		fprintf(stderr, "danvan: backup of the intake log failed: %s (%s)\n", rc_name(rc),
			db_errmsg(log));
	db_close(log);
	return rc;
}

int cmd_backup(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv) || argc != 2) {
		FILE *f = argc == 2 ? stdout : stderr;
		fprintf(f, "usage: danvan [--db PATH] backup FILE\n"
			   "Write a consistent copy of the database to FILE, also while the\n"
			   "server is running and writing.  The copy is written to FILE.tmp and\n"
			   "renamed, so FILE is never half-written.  The intake log (public\n"
			   "submissions not yet built into cases, PATH.intake) is copied first,\n"
			   "to FILE.intake: restore both files together.\n");
		return argc == 2 || cli_wants_help(argc, argv) ? 0 : 2;
	}
	Db *db = NULL;
	if (db_open(&db, env->db_path, DB_OPEN_READONLY)) {
		fprintf(stderr, "danvan: cannot open %s: %s\n", env->db_path, db_errmsg(db));
		db_close(db);
		return 1;
	}
	if (backup_intake_log(env, argv[1])) {
		db_close(db);
		return 1;
	}
	Rc rc = db_backup(db, argv[1]);
	if (rc) {
		fprintf(stderr, "danvan: backup failed: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("backup written: %s (and %s.intake)\n", argv[1], argv[1]);
	return 0;
}

int cmd_check(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: danvan [--db PATH] check\n"
		       "Run SQLite's integrity and foreign-key checks, verify the audit\n"
		       "log's hash chain, and count the public submissions waiting in the\n"
		       "intake log.  Exit status 0 only when everything is sound (no\n"
		       "submission the builder gave up on).\n");
		return 0;
	}
	Db *db = NULL;
	if (db_open(&db, env->db_path, DB_OPEN_READONLY)) {
		fprintf(stderr, "danvan: cannot open %s: %s\n", env->db_path, db_errmsg(db));
		db_close(db);
		return 1;
	}
	Buf report = BUF_INIT;
	int status = 0;
	Rc rc = db_integrity(db, &report);
	if (rc) {
		fprintf(stderr, "database integrity: FAILED\n%s", buf_cstr(&report));
		status = 1;
	} else {
		printf("database integrity: ok\n");
	}
	buf_reset(&report);
	int64_t checked = 0, bad = 0;
	rc = audit_verify(db, &checked, &bad, &report);
	if (rc) {
		fprintf(stderr, "audit chain: FAILED after %lld entries\n%s", (long long)checked,
			buf_cstr(&report));
		status = 1;
	} else {
		printf("audit chain: ok (%lld entries)\n", (long long)checked);
	}
	buf_release(&report);
	/* Submissions the builder gave up on are received but not cases: an
	 * operator must look at them (their rows keep the error). */
	int64_t waiting = 0, stuck = 0;
	rc = case_intake_log_count(db, &waiting, &stuck);
	if (rc) {
		fprintf(stderr, "intake log: FAILED (%s)\n", rc_name(rc));
		status = 1;
	} else if (stuck) {
		fprintf(stderr, "intake log: FAILED: %lld submission(s) could not be built into cases"
				" (see last_error in %s.intake)\n", (long long)stuck, env->db_path);
		status = 1;
	} else {
		printf("intake log: ok (%lld waiting to be built)\n", (long long)waiting);
	}
	db_close(db);
	return status;
}
