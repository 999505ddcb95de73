/*
 * replay_main.c — a main() for the fuzz targets without libFuzzer: calls
 * LLVMFuzzerTestOneInput once per file named on the command line.
 *
 * tools/fuzz-replay.sh links it with each target under gcc's ASan and
 * UBSan so `make test` replays the seed corpus and every kept crasher
 * without needing clang.  It also reproduces one crash by hand:
 *   build/fuzz-replay/fuzz_multipart tests/fuzz/crashers/multipart/crash-…
 * Each input is copied into a heap buffer of exactly its size, as
 * libFuzzer does, so an over-read is caught.  REPLAY_VERBOSE=1 names
 * every input; otherwise only a failing one is named.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Weak, so the driver also links without a sanitizer runtime. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The input being replayed, named when something dies so the report
 * says which file to look at.  Written from a signal handler, hence
 * write(2) and a sig_atomic_t guard. */
static const char *current;
static volatile sig_atomic_t named;

static void name_current(void)
{
	if (named || !current)
		return;
	named = 1;
	static const char pre[] = "replay: failing input: ";
	ssize_t w = write(2, pre, sizeof pre - 1);
	w = write(2, current, strlen(current));
	w = write(2, "\n", 1);
	(void)w;
}

static void on_abort(int sig)
{
	name_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		abort();
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return NULL;
	}
	/* Exact size, so one byte past the input is outside the allocation. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, n);
	free(buf);
	*size = n;
	return exact;
}

int main(int argc, char **argv)
{
	int done = 0;
	int verbose = getenv("REPLAY_VERBOSE") != NULL;
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(name_current);
	signal(SIGABRT, on_abort); /* FUZZ_CHECK failures abort() */
	for (int i = 1; i < argc; i++) {
		size_t size = 0;
		uint8_t *data = read_all(argv[i], &size);
		if (!data) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 2;
		}
		current = argv[i];
		if (verbose)
			fprintf(stderr, "replay: %s (%zu bytes)\n", argv[i], size);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		done++;
	}
	current = NULL;
	fprintf(stderr, "replay: %d inputs ok\n", done);
	return 0;
}
