/*
 * main.c — the danvan binary: argv → subcommand.
 *
 * Common options (any position before or after the subcommand):
 *   --db PATH        database file            env DANVAN_DB      config db
 *   --listen H:P     address to serve on      env DANVAN_LISTEN  config listen
 *   --data DIR       reference data folder    env DANVAN_DATA    config data
 *   --config FILE    config file              env DANVAN_CONFIG  (default ./danvan.conf if present)
 * Flags beat the environment, which beats the config file, which beats
 * the defaults.  The config file is "key = value" lines; '#' starts a
 * comment (docs/admin.md).
 */
#include "base/util.h"
#include "base/crypto.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_deadline.h"
#include "cli/cmd_jobs.h"
#include "cli/cmd_vault.h"

typedef struct Command {
	const char *name;
	int (*run)(const CliEnv *env, int argc, char **argv);
	const char *summary;
} Command;

static int cmd_version(const CliEnv *env, int argc, char **argv);
static int cmd_help(const CliEnv *env, int argc, char **argv);

static const Command commands[] = {
	{"serve", cmd_serve, "serve the web site and API"},
	{"init", cmd_init, "create an empty database with the administrative units"},
	{"migrate", cmd_migrate, "bring the database schema up to date"},
	{"demo", cmd_demo, "create a database with demo organisations and users"},
	{"import-units", cmd_import_units, "import provinces, communes and the 2025 mapping"},
	{"user", cmd_user, "manage users: add, passwd, role, disable, list, token"},
	{"backup", cmd_backup, "copy the database consistently while it is in use"},
	{"check", cmd_check, "check database integrity and the audit hash chain"},
	{"deadline", cmd_deadline, "print a statutory due date and its legal basis; list the rules"},
	{"calendar", cmd_calendar, "list public holidays; set or remove calendar exceptions"},
	{"vault", cmd_vault, "create the vault key; reveal a sealed identity"},
	{"jobs", cmd_jobs, "run the background jobs once (deadlines, e-mail)"},
	{"bench-gen", cmd_bench_gen, "benchmarks: add N generated cases to a demo database"},
	{"bench-commit", cmd_bench_commit, "benchmarks: SQLite's durable commit rate beside the database"},
	{"bench-submit", cmd_bench_submit, "benchmarks: public submissions through the intake, no HTTP"},
	{"version", cmd_version, "print the version"},
	{"help", cmd_help, "list the commands"},
};

#ifndef DANVAN_VERSION
#define DANVAN_VERSION "0.1.0"
#endif

static int cmd_version(const CliEnv *env, int argc, char **argv)
{
	(void)env;
	if (cli_wants_help(argc, argv)) {
		printf("usage: danvan version\nPrint the version of this binary.\n");
		return 0;
	}
	printf("danvan %s\n", DANVAN_VERSION);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: danvan [--db PATH] [--listen HOST:PORT] [--config FILE] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'danvan COMMAND --help' tells more about each.\n");
}

static int cmd_help(const CliEnv *env, int argc, char **argv)
{
	(void)env;
	if (argc > 1 && (str_eq(argv[1], "--help") || str_eq(argv[1], "-h"))) {
		printf("usage: danvan help [COMMAND]\nList the commands, or explain one.\n");
		return 0;
	}
	if (argc > 1) {
		for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
			if (str_eq(argv[1], commands[i].name)) {
				char *help_argv[] = {argv[1], (char *)"--help", NULL};
				return commands[i].run(env, 2, help_argv);
			}
		}
		fprintf(stderr, "danvan: unknown command '%s'\n", argv[1]);
		return 2;
	}
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	crypto_init();
	CliEnv env;
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	if (config_parse_args(&env, argc, argv, rest, &nrest) != 0) {
		free(rest);
		return 2;
	}
	int status;
	if (nrest == 0) {
		usage(stderr);
		status = 2;
	} else if (str_eq(rest[0], "--help") || str_eq(rest[0], "-h")) {
		usage(stdout);
		status = 0;
	} else {
		const Command *cmd = NULL;
		for (size_t i = 0; i < ARRAY_LEN(commands); i++)
			if (str_eq(rest[0], commands[i].name))
				cmd = &commands[i];
		if (!cmd) {
			fprintf(stderr, "danvan: unknown command '%s' (try 'danvan help')\n", rest[0]);
			status = 2;
		} else {
			status = cmd->run(&env, nrest, rest);
		}
	}
	free(rest);
	config_release();
	return status;
}
