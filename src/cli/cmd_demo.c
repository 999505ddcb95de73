/*
 * cmd_demo.c — `danvan demo`: a database full of realistic demo data.
 * With --if-absent it does nothing when the database file already exists
 * (what `make run` uses, so a second run keeps your changes).
 */
#include "cli.h"
#include "../domain/demo.h"

#include <sys/stat.h>

int cmd_init(const CliEnv *env, int argc, char **argv);

static void print_accounts(void)
{
	printf("\nDemo accounts (password for all: %s):\n"
	       "  admin                  central administrator and leader (whole country)\n"
	       "  ha-noi.admin           administrator, Hà Nội (also: .leader .massmob .editor\n"
	       "                         .reception .handler; other provinces: hai-phong, quang-ninh,\n"
	       "                         hung-yen, ninh-binh, bac-ninh, phu-tho)\n"
	       "  c00004.reception       reception officer of Phường Ba Đình (Hà Nội)\n"
	       "  c00004.admin           administrator and handler of Phường Ba Đình\n"
	       "'danvan user list' shows them all.\n", DEMO_PASSWORD);
}

int cmd_demo(const CliEnv *env, int argc, char **argv)
{
	bool if_absent = false;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			printf("usage: danvan [--db PATH] [--data DIR] demo [--if-absent]\n"
			       "Create (or complete) a database with the administrative units and demo\n"
			       "organisations and users for the provinces of the Red River Delta.\n"
			       "--if-absent: do nothing if the database file already exists.\n");
			return 0;
		}
		if (str_eq(argv[i], "--if-absent")) {
			if_absent = true;
		} else {
			fprintf(stderr, "danvan demo: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	struct stat sb;
	if (if_absent && stat(env->db_path, &sb) == 0) {
		printf("using the existing database %s\n", env->db_path);
		print_accounts();
		return 0;
	}
	char *init_argv[] = {(char *)"init", NULL};
	int status = cmd_init(env, 1, init_argv);
	if (status)
		return status;
	Db *db = cli_open_db(env, false);
	DemoStats stats;
	Rc rc = demo_generate(db, cli_progress, &stats);
	if (rc) {
		fprintf(stderr, "danvan demo: failed: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("demo data: %ld provinces, %ld communes, %ld organisations and %ld users added\n",
	       stats.provinces, stats.communes, stats.orgs, stats.users);
	print_accounts();
	return 0;
}
