/*
 * cmd_bench.h — the subcommands behind bench/cases.sh (docs/performance.md):
 *   danvan bench-gen --cases N      add N generated cases to a demo database
 *   danvan bench-commit --seconds S SQLite's durable commit rate beside the database
 *   danvan bench-submit --seconds S public submissions through case_intake, no HTTP
 * They write test data: never run them on a production database.
 */
#ifndef DANVAN_CMD_BENCH_H
#define DANVAN_CMD_BENCH_H

#include "cli.h"

int cmd_bench_gen(const CliEnv *env, int argc, char **argv);
int cmd_bench_commit(const CliEnv *env, int argc, char **argv);
int cmd_bench_submit(const CliEnv *env, int argc, char **argv);

#endif
