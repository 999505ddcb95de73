/*
 * assets_table.h — the shape of the generated asset table (build/gen/assets.c,
 * written by tools/embed.c from the files in assets/).
 */
#ifndef DANVAN_ASSETS_TABLE_H
#define DANVAN_ASSETS_TABLE_H
#include <stddef.h>

typedef struct EmbeddedAsset {
	const char *name;
	const unsigned char *data;
	size_t len;
} EmbeddedAsset;

/* Terminated by an entry with name == NULL. */
extern const EmbeddedAsset embedded_assets[];

#endif
