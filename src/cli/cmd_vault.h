/*
 * cmd_vault.h — `danvan vault …`: create the vault key pair and reveal a
 * denouncer's sealed identity (see domain/vault.h).
 */
#ifndef DANVAN_CMD_VAULT_H
#define DANVAN_CMD_VAULT_H

#include "cli.h"

int cmd_vault(const CliEnv *env, int argc, char **argv);

#endif
