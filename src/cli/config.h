/*
 * config.h — common options from flags, environment and the config file.
 */
#ifndef DANVAN_CONFIG_H
#define DANVAN_CONFIG_H

#include "cli.h"

/* Fill env from argv (common flags removed; the rest, starting with the
 * subcommand, goes to rest[]), the environment and the config file.
 * Returns 0, or non-zero after printing an error. */
int config_parse_args(CliEnv *env, int argc, char **argv, char **rest, int *nrest);
/* Free what config_parse_args allocated. */
void config_release(void);
/* Split "HOST:PORT"; false when malformed. */
bool config_split_listen(const char *listen, char *host, size_t host_len, int *port);

#endif
