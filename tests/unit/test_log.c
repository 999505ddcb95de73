/*
 * test_log.c — the log writer (base/log.h): access lines buffered while
 * the server runs, everything else written at once, and the order kept.
 *
 * stderr is pointed at a temporary file for the test, so what the log
 * wrote can be read back exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"

static char path[] = "/tmp/danvan-test-log-XXXXXX";
static int saved_stderr = -1;

static int setup(void **state)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(path);
	return 0;
}

/* What the log file holds now (owned). */
static char *written(void)
{
	char *text = NULL;
	if (util_read_file(path, 1 << 20, &text, NULL))
		return xstrdup("");
	return text;
}

static void access_line(const char *what)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "req=%s", what);
	log_access_line(&b);
	buf_release(&b);
}

static void test_buffering(void **state)
{
	/* Not buffering: an access line is written at once. */
	access_line("first");
	char *t = written();
	assert_non_null(strstr(t, "info req=first\n"));
	free(t);

	log_buffering_start();
	access_line("second");
	access_line("third");
	/* Another line writes the buffered ones first: the order is kept. */
	log_warn("msg=between");
	t = written();
	char *second = strstr(t, "req=second"), *third = strstr(t, "req=third"),
	     *between = strstr(t, "warn msg=between");
	assert_non_null(second);
	assert_non_null(third);
	assert_non_null(between);
	assert_true(second < third && third < between);
	free(t);

	/* The flusher writes a buffered line within a moment. */
	access_line("fourth");
	char *found = NULL;
	for (int i = 0; i < 100 && !found; i++) {
		usleep(10 * 1000);
		t = written();
		found = strstr(t, "req=fourth") ? t : NULL;
		if (!found)
			free(t);
	}
	assert_non_null(found);
	free(found);

	/* Stopping writes what is left; afterwards lines go out at once. */
	access_line("fifth");
	log_buffering_stop();
	t = written();
	assert_non_null(strstr(t, "req=fifth"));
	free(t);
	access_line("sixth");
	t = written();
	assert_non_null(strstr(t, "req=sixth"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffering),
	};
	return cmocka_run_group_tests_name("log", tests, setup, teardown);
}
