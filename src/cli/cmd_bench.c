/*
 * cmd_bench.c — `danvan bench-gen`, `bench-commit` and `bench-submit`
 * (cmd_bench.h), the measuring tools of bench/cases.sh.  The work is in
 * domain/bench_gen.c; here are the options and the report, one line of
 * key=value pairs on stdout that the script reads.
 */
#include "cmd_bench.h"
#include "../domain/bench_gen.h"
#include "../store/db_checkpoint.h"
#include "../domain/case.h"
#include "../jobs/intake_builder.h"
#include "../store/schema.h"

#include <time.h>

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, const BenchRate *r)
{
	printf("%s: count=%ld seconds=%.2f per_sec=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", what,
	       r->count, r->seconds, r->per_sec, r->p50_ms, r->p99_ms, r->max_ms);
}

/* ---- bench-gen ------------------------------------------------------------------ */

static const char gen_usage[] =
	"usage: danvan [--db PATH] bench-gen --cases N [--seed S]\n"
	"       danvan bench-gen --schema-version\n"
	"Add N generated citizens' cases (up to 10,000,000) to a demo database made\n"
	"with 'danvan demo --cases 0', for bench/cases.sh: cases with their search\n"
	"key and full-text row, an intake event (and the last transition's), and the\n"
	"deadline of the current or last statutory step, received over the last two\n"
	"years in the communes of the demo's seven provinces.  Written in\n"
	"transactions of 50,000 cases.  Test data: never on a production database.\n"
	"  --seed S           the data's random seed (default fixed: same data each run;\n"
	"                     tracking codes are random anyway)\n"
	"  --schema-version   print the schema version this binary makes, and exit\n"
	"Prints: bench-gen: cases=N seconds=T per_sec=R\n";

int cmd_bench_gen(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(gen_usage, stdout);
		return 0;
	}
	int64_t n = -1, seed = 0;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--schema-version")) {
			printf("%d\n", schema_latest());
			return 0;
		}
		if (str_eq(argv[i], "--cases") && i + 1 < argc &&
		    util_parse_i64(argv[i + 1], 0, 10000000, &n)) {
			i++;
		} else if (str_eq(argv[i], "--seed") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 1, INT64_MAX, &seed)) {
			i++;
		} else {
			fprintf(stderr, "danvan bench-gen: unexpected '%s'\n%s", argv[i], gen_usage);
			return 2;
		}
	}
	if (n < 0) {
		fprintf(stderr, "danvan bench-gen: --cases N is required\n%s", gen_usage);
		return 2;
	}
	Db *db = cli_open_db(env, false);
	/* A big page cache: a million rows go into nine indexes and the
	 * full-text index; the default 32 MiB would spill to disk.  The
	 * generator only writes ids it has just read, so the foreign-key
	 * lookups (seven a case) are skipped. */
	Rc rc = db_exec_script(db, "PRAGMA cache_size=-1048576; PRAGMA foreign_keys=OFF");
	long made = 0;
	double t0 = wall_s();
	if (!rc)
		rc = bench_gen_cases(db, (long)n, (uint64_t)seed, cli_progress, &made);
	double dt = wall_s() - t0;
	if (rc == RC_NOT_FOUND)
		fprintf(stderr, "danvan bench-gen: %s has no demo communes: run 'danvan demo --cases 0' first\n",
			env->db_path);
	else if (rc == RC_CONFLICT)
		fprintf(stderr, "danvan bench-gen: the vault of %s is not set up (run 'danvan demo' first)\n",
			env->db_path);
	else if (rc)
		fprintf(stderr, "danvan bench-gen: failed after %ld cases: %s (%s)\n", made, rc_name(rc),
			db_errmsg(db));
	db_close(db);
	if (rc)
		return 1;
	printf("bench-gen: cases=%ld seconds=%.2f per_sec=%.0f\n", made, dt,
	       dt > 0 ? (double)made / dt : 0.0);
	return 0;
}

/* ---- bench-commit ---------------------------------------------------------------- */

static const char commit_usage[] =
	"usage: danvan [--db PATH] bench-commit [--seconds S] [--file PATH]\n"
	"SQLite's raw durable commit rate on the disk of the database: one row\n"
	"inserted per write transaction (BEGIN IMMEDIATE; INSERT; COMMIT) into a\n"
	"scratch database opened like the real one (WAL, synchronous=FULL), for S\n"
	"seconds (default 10).  The scratch file is PATH (default: the database's\n"
	"path + \".bench-commit\", so the same directory and disk) and is removed after.\n"
	"Prints: bench-commit: count=N seconds=T per_sec=R p50_ms= p99_ms= max_ms=\n";

static bool parse_seconds(const char *s, double *out)
{
	int64_t v;
	if (!util_parse_i64(s, 1, 3600, &v))
		return false;
	*out = (double)v;
	return true;
}

int cmd_bench_commit(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(commit_usage, stdout);
		return 0;
	}
	double seconds = 10;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--seconds") && i + 1 < argc && parse_seconds(argv[i + 1], &seconds)) {
			i++;
		} else if (str_eq(argv[i], "--file") && i + 1 < argc) {
			file = argv[++i];
		} else {
			fprintf(stderr, "danvan bench-commit: unexpected '%s'\n%s", argv[i], commit_usage);
			return 2;
		}
	}
	Buf path = BUF_INIT;
	buf_printf(&path, "%s.bench-commit", env->db_path);
	BenchRate r;
	Rc rc = bench_commit_rate(file ? file : buf_cstr(&path), seconds, &r);
	if (rc)
		fprintf(stderr, "danvan bench-commit: %s: %s\n", file ? file : buf_cstr(&path),
			rc_name(rc));
	buf_release(&path);
	if (rc)
		return 1;
	report("bench-commit", &r);
	return 0;
}

/* ---- bench-submit ------------------------------------------------------------------ */

static const char submit_usage[] =
	"usage: danvan [--db PATH] bench-submit [--seconds S] [--count N] [--submitters T]\n"
	"Public submissions as POST /gui-don makes them, without HTTP: each checked,\n"
	"given its tracking code and written as one intake-log row\n"
	"(case_intake_log_append; texts, communes and citizens drawn like bench-gen's;\n"
	"denunciations sealed to the vault), for S seconds (default 10) or N\n"
	"submissions, while the intake builder turns the rows into cases as the\n"
	"server's does.  One submitter (the default) commits each submission in a\n"
	"transaction of its own; T submitters (threads, each with a connection; up\n"
	"to 64) go through group commit as the server's requests do.  When the clock\n"
	"stops, the builder is let finish the rows still waiting: a rate the\n"
	"builder could not keep up with would show as a long drain.  Adds the cases\n"
	"to the database: test data, never on a production database.\n"
	"Prints: bench-submit: count=N seconds=T per_sec=R p50_ms= p99_ms= max_ms=\n"
	"        (acknowledged submissions: the citizen has the code)\n"
	"        bench-submit: built=N drain_seconds=D built_per_sec=R\n"
	"        (cases built, over the run and the drain)\n"
	"        bench-submit: threads=T group_commits=G per_commit=P\n"
	"        (the log's group commits; pieces of work a commit: rows, and the\n"
	"        builder's removal of built rows)\n";

/* Let the builder finish what is in the log; the seconds it took. */
static double drain_log(Db *db, Rc *rc)
{
	double t0 = wall_s();
	for (;;) {
		int64_t waiting = 0, stuck = 0;
		if ((*rc = case_intake_log_count(db, &waiting, &stuck)) || waiting == 0)
			break;
		intake_builder_wait(1000);
	}
	return wall_s() - t0;
}

int cmd_bench_submit(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(submit_usage, stdout);
		return 0;
	}
	double seconds = 10;
	int64_t count = 0, threads = 1;
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--seconds") && i + 1 < argc && parse_seconds(argv[i + 1], &seconds)) {
			i++;
		} else if (str_eq(argv[i], "--count") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 1, 100000000, &count)) {
			i++;
		} else if (str_eq(argv[i], "--submitters") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 1, 64, &threads)) {
			i++;
		} else {
			fprintf(stderr, "danvan bench-submit: unexpected '%s'\n%s", argv[i], submit_usage);
			return 2;
		}
	}
	Db *dbs[64];
	for (int i = 0; i < (int)threads; i++)
		dbs[i] = cli_open_db(env, false);
	/* As the server does: checkpoints on their own thread. */
	if (db_checkpointer_start(env->db_path)) {
		fprintf(stderr, "danvan bench-submit: cannot open %s for checkpoints\n", env->db_path);
		return 1;
	}
	/* As the server does: the log's group commit, and the cases built
	 * from it meanwhile.  What an earlier run left is built before the
	 * clock starts. */
	int64_t left = 0;
	if (case_intake_log_drain(dbs[0], &left) || case_intake_log_start(env->db_path) ||
	    intake_builder_start(env->db_path)) {
		fprintf(stderr, "danvan bench-submit: cannot build the intake log of %s: %s\n",
			env->db_path, db_errmsg(dbs[0]));
		return 1;
	}
	BenchRate r;
	long batches0, works0, batches1, works1;
	case_intake_log_stats(&batches0, &works0);
	long built0 = intake_builder_built();
	Rc rc = bench_submit(dbs, (int)threads, seconds, (long)count, &r);
	double drain = 0;
	if (!rc)
		drain = drain_log(dbs[0], &rc);
	long built = intake_builder_built() - built0;
	case_intake_log_stats(&batches1, &works1);
	if (rc)
		fprintf(stderr, "danvan bench-submit: failed after %ld submissions: %s (%s)\n", r.count,
			rc_name(rc), db_errmsg(dbs[0]));
	intake_builder_stop();
	case_intake_log_stop();
	for (int i = 0; i < (int)threads; i++)
		db_close(dbs[i]);
	db_checkpointer_stop();
	if (rc)
		return 1;
	report("bench-submit", &r);
	printf("bench-submit: built=%ld drain_seconds=%.2f built_per_sec=%.1f\n", built, drain,
	       r.seconds + drain > 0 ? (double)built / (r.seconds + drain) : 0.0);
	printf("bench-submit: threads=%d group_commits=%ld per_commit=%.1f\n", (int)threads,
	       batches1 - batches0,
	       batches1 > batches0 ? (double)(works1 - works0) / (double)(batches1 - batches0) : 0.0);
	return 0;
}
