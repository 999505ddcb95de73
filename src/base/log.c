/*
 * log.c — see log.h.  Each line is written with one write(2) so lines from
 * different threads never interleave.
 */
#include "log.h"

#include <time.h>
#include <unistd.h>

static LogLevel min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(LogLevel l)
{
	min_level = l;
}

void log_kv(Buf *b, const char *key, const char *value)
{
	if (!value)
		value = "";
	bool quote = !*value;
	for (const char *p = value; *p; p++)
		if (*p == ' ' || *p == '"' || *p == '=' || (unsigned char)*p < 0x20)
			quote = true;
	buf_printf(b, " %s=", key);
	if (!quote) {
		buf_puts(b, value);
		return;
	}
	buf_putc(b, '"');
	buf_json_escape(b, value, strlen(value));
	buf_putc(b, '"');
}

void log_write_line(LogLevel l, Buf *line)
{
	if (l < min_level)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char stamp[40];
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	Buf out = BUF_INIT;
	buf_printf(&out, "%s.%03dZ %s ", stamp, (int)(ts.tv_nsec / 1000000), level_names[l]);
	buf_append(&out, buf_cstr(line), line->len);
	buf_putc(&out, '\n');
	ssize_t w = write(STDERR_FILENO, out.data, out.len);
	(void)w;
	buf_release(&out);
}

void log_msg(LogLevel l, const char *fmt, ...)
{
	if (l < min_level)
		return;
	Buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	log_write_line(l, &b);
	buf_release(&b);
}
