/*
 * cmd_jobs.c — `danvan jobs run-once`: the round the server's background
 * thread runs every minute (jobs/jobs.h), run once and reported.  For the
 * tests, and for installations that prefer cron to a resident worker.
 */
#include "cmd_jobs.h"
#include "../jobs/jobs.h"

#include <signal.h>

static const char usage_text[] =
	"usage: danvan [--db PATH] jobs run-once [--smtp URL] [--from ADDR] [--timeout SECONDS]\n"
	"Run the background jobs once: mark newly overdue deadlines (queueing their\n"
	"notifications), then deliver due e-mail from the outbox over SMTP.\n"
	"Without --smtp nothing is sent and messages wait in the outbox.\n"
	"  --smtp URL         smtp://HOST:PORT or smtps://HOST:PORT\n"
	"  --from ADDR        envelope and header sender, e.g. danvan@example.org\n"
	"  --timeout SECONDS  per message (default 30)\n"
	"Exit status 0 when the round ran (some messages may still be deferred),\n"
	"1 on a database error.\n";

int cmd_jobs(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || !str_eq(argv[1], "run-once")) {
		fprintf(stderr, "danvan jobs: expected 'run-once'\n%s", usage_text);
		return 2;
	}
	SmtpConfig smtp = {0};
	smtp.url = env->smtp_url;
	smtp.from = env->smtp_from;
	smtp.user = env->smtp_user;
	smtp.password = env->smtp_password;
	for (int i = 2; i < argc; i++) {
		int64_t t;
		if (str_eq(argv[i], "--smtp") && i + 1 < argc) {
			smtp.url = argv[++i];
		} else if (str_eq(argv[i], "--from") && i + 1 < argc) {
			smtp.from = argv[++i];
		} else if (str_eq(argv[i], "--timeout") && i + 1 < argc &&
			   util_parse_i64(argv[i + 1], 1, 600, &t)) {
			smtp.timeout_s = (long)t;
			i++;
		} else {
			fprintf(stderr, "danvan jobs run-once: unexpected '%s'\n%s", argv[i], usage_text);
			return 2;
		}
	}
	if (smtp.url && !outbox_address_valid(smtp.from)) {
		fprintf(stderr, "danvan jobs run-once: --smtp needs a valid --from address\n");
		return 2;
	}
	/* A relay that hangs up mid-write must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	Db *db = cli_open_db(env, false);
	JobsRound r;
	Rc rc = jobs_round(db, &smtp, &r);
	db_close(db);
	printf("deadlines escalated: %d\n", r.escalated);
	printf("cases built from the intake log: %d\n", r.built);
	printf("duplicate suggestions: %d case(s) compared\n", r.suggested);
	if (smtp.url)
		printf("outbox: %d sent, %d not sent\n", r.sent, r.failed);
	else
		printf("outbox: delivery disabled (no --smtp)\n");
	if (rc) {
		fprintf(stderr, "danvan jobs run-once: %s\n", rc_name(rc));
		return 1;
	}
	return 0;
}
