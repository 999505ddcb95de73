/*
 * cmd_demo.c — `danvan demo`: a database full of realistic demo data.
 * With --if-absent it does nothing when the database file already exists
 * (what `make run` uses, so a second run keeps your changes).
 */
#include "cli.h"
#include "../domain/case.h"
#include "../domain/deadline.h"
#include "../domain/demo.h"
#include "../domain/vault.h"

#include <sys/stat.h>
#include <unistd.h>

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
	int64_t ncases = 5000, narticles = 200;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			printf("usage: danvan [--db PATH] [--data DIR] demo [--if-absent] [--cases N] [--articles N]\n"
			       "Create (or complete) a database with the administrative units, demo\n"
			       "organisations and users for the provinces of the Red River Delta, and\n"
			       "N citizens' cases over the last two years (default 5000) and news\n"
			       "articles with figures and feedback (--articles, default 200).\n"
			       "The demo vault's secret key is written next to the database as\n"
			       "DB.vault-demo.key: in production the key is kept offline (docs/admin.md).\n"
			       "--if-absent: do nothing if the database file already exists.\n");
			return 0;
		}
		if (str_eq(argv[i], "--if-absent")) {
			if_absent = true;
		} else if (str_eq(argv[i], "--cases") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 0, 1000000, &ncases)) {
			i++;
		} else if (str_eq(argv[i], "--articles") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 0, 10000, &narticles)) {
			i++;
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
	/* the demo vault key lives beside the database (never in it) */
	if (!vault_ready(db)) {
		/* DB.vault-demo.key: one per demo database.  A file already there
		 * belongs to an earlier database at this path (this one has no
		 * vault yet), so it can only open identities that no longer
		 * exist: replace it. */
		Buf key = BUF_INIT;
		buf_printf(&key, "%s.vault-demo.key", env->db_path);
		unlink(buf_cstr(&key));
		rc = vault_init(db, buf_cstr(&key));
		if (rc == RC_OK)
			printf("demo vault secret key: %s (keep real keys offline)\n", buf_cstr(&key));
		buf_release(&key);
	}
	long made = 0;
	if (!rc)
		rc = db_begin_write(db);
	if (!rc)
		rc = deadline_seed_rules(db);
	if (!rc)
		rc = case_seed_fields(db);
	if (!rc)
		rc = db_commit(db);
	if (!rc && ncases > 0)
		rc = demo_cases(db, (int)ncases, cli_progress, &made);
	long made_articles = 0;
	if (!rc && narticles > 0)
		rc = demo_articles(db, (int)narticles, cli_progress, &made_articles);
	long made_receptions = 0;
	if (!rc)
		rc = demo_receptions(db, &made_receptions);
	if (rc) {
		fprintf(stderr, "danvan demo: cases failed: %s (%s)\n", rc_name(rc), db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("demo data: %ld provinces, %ld communes, %ld organisations, %ld users, %ld cases,"
	       " %ld articles and %ld receptions added\n",
	       stats.provinces, stats.communes, stats.orgs, stats.users, made, made_articles,
	       made_receptions);
	print_accounts();
	return 0;
}
