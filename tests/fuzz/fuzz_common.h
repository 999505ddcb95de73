/*
 * fuzz_common.h — invariants shared by the fuzz targets in tests/fuzz/.
 *
 * A fuzz target that only waits for a sanitizer to fire finds memory
 * errors; one that also checks what the parser promised (form.h) finds
 * logic errors too.  A broken promise calls abort(), which libFuzzer and
 * the replay driver both report as a crash with a stack trace.
 */
#ifndef DANVAN_FUZZ_COMMON_H
#define DANVAN_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* A copy of data[0..size) with a NUL after it, for parsers that take C
 * strings.  Embedded NULs simply end the string early. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* What every successful parse into a fresh list promises (form.h). */
static inline void fuzz_check_params(const Params *p)
{
	FUZZ_CHECK(p->count <= FORM_MAX_FIELDS);
	FUZZ_CHECK(p->count <= p->cap);
	for (size_t i = 0; i < p->count; i++) {
		const Param *it = &p->items[i];
		FUZZ_CHECK(it->name && it->value);
		size_t nlen = strlen(it->name);
		FUZZ_CHECK(nlen >= 1 && nlen <= FORM_MAX_NAME);
		FUZZ_CHECK(it->value[it->value_len] == 0);
		/* Only file parts may hold NUL bytes. */
		if (!it->filename)
			FUZZ_CHECK(strlen(it->value) == it->value_len);
		/* params_find returns the first entry of a name. */
		const Param *first = params_find(p, it->name);
		FUZZ_CHECK(first && first <= it && str_eq(first->name, it->name));
	}
}

/* A failed parse leaves a fresh list empty and owning nothing. */
static inline void fuzz_check_empty(const Params *p)
{
	FUZZ_CHECK(p->count == 0 && p->items == NULL);
}

#endif
