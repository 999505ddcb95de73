/*
 * cmd_jobs.h — `danvan jobs run-once`: one round of the background jobs
 * (deadline escalation, e-mail delivery) for tests and cron.
 */
#ifndef DANVAN_CMD_JOBS_H
#define DANVAN_CMD_JOBS_H

#include "cli.h"

int cmd_jobs(const CliEnv *env, int argc, char **argv);

#endif
