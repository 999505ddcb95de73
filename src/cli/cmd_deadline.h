/*
 * cmd_deadline.h — `danvan deadline …` (compute a statutory due date with
 * its legal basis; list the rules) and `danvan calendar …` (list a year's
 * holidays and exceptions; set or remove an exception).
 */
#ifndef DANVAN_CMD_DEADLINE_H
#define DANVAN_CMD_DEADLINE_H

#include "cli.h"

int cmd_deadline(const CliEnv *env, int argc, char **argv);
int cmd_calendar(const CliEnv *env, int argc, char **argv);

#endif
