/*
 * cli.h — subcommands of the danvan binary.  main.c parses the common
 * options (--db, --listen, --config, each also from the environment and
 * the config file) into CliEnv and calls the subcommand with the rest of
 * argv (argv[0] is the subcommand name).
 *
 * Conventions: each subcommand prints its own --help; errors go to stderr
 * with a non-zero exit status; long work shows progress on a terminal
 * (cli_progress) and stays quiet when stderr is not a terminal.
 */
#ifndef DANVAN_CLI_H
#define DANVAN_CLI_H

#include "../base/util.h"
#include "../store/db.h"

typedef struct CliEnv {
	const char *db_path;     /* --db, DANVAN_DB, config "db", default var/danvan.db */
	const char *listen;      /* --listen, DANVAN_LISTEN, config "listen", default 127.0.0.1:8080 */
	const char *data_dir;    /* --data, DANVAN_DATA, config "data", default ./data */
	const char *config_path; /* --config, DANVAN_CONFIG, default ./danvan.conf if present */
	int threads;             /* --threads, config "threads", default: cores */
	const char *smtp_url;    /* DANVAN_SMTP_URL, config "smtp_url"; NULL = no e-mail */
	const char *smtp_from;   /* DANVAN_SMTP_FROM, config "smtp_from" */
	const char *smtp_user;   /* config "smtp_user" */
	const char *smtp_password; /* config "smtp_password" */
	int jobs_interval;       /* config "jobs_interval": seconds, -1 = off, 0 = 60 */
	bool trust_proxy;        /* config "trust_proxy = yes": behind a local reverse proxy */
} CliEnv;

/* True when argv holds -h or --help (then print usage and return 0). */
bool cli_wants_help(int argc, char **argv);
/* Progress on stderr when it is a terminal: "what: done/total". */
void cli_progress(const char *what, long done, long total);
/* Open the database and migrate it to the latest schema; dies on error. */
Db *cli_open_db(const CliEnv *env, bool create);

int cmd_serve(const CliEnv *env, int argc, char **argv);
int cmd_init(const CliEnv *env, int argc, char **argv);
int cmd_migrate(const CliEnv *env, int argc, char **argv);
int cmd_demo(const CliEnv *env, int argc, char **argv);
int cmd_import_units(const CliEnv *env, int argc, char **argv);
int cmd_user(const CliEnv *env, int argc, char **argv);
int cmd_backup(const CliEnv *env, int argc, char **argv);
int cmd_check(const CliEnv *env, int argc, char **argv);

#endif
