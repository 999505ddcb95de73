/*
 * log.c — see log.h.  Each line is written with one write(2) so lines from
 * different threads never interleave.
 *
 * Access lines, when buffering is on (the server), are appended to one
 * buffer under a mutex and written together: when it passes LOG_BUFFER_MAX,
 * when any other line is logged (which writes the buffer first, so the log
 * stays in order), and every LOG_FLUSH_MS by a small thread.  One write(2)
 * per request was a fifth of the system calls of a page served from
 * memory.  What a SIGKILL loses is at most the last LOG_FLUSH_MS of access
 * lines, never a warning or an error (those are written at once).
 */
#include "log.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

enum { LOG_BUFFER_MAX = 16 * 1024, LOG_FLUSH_MS = 50 };

static pthread_mutex_t pending_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flusher_cv = PTHREAD_COND_INITIALIZER;
static Buf pending = BUF_INIT;    /* access lines not yet written (under pending_mu) */
static bool buffering, stopping; /* under pending_mu */
static pthread_t flusher;

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

/* "ts level line\n" appended to out. */
static void format_line(Buf *out, LogLevel l, const Buf *line)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char stamp[40];
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(out, "%s.%03dZ %s ", stamp, (int)(ts.tv_nsec / 1000000), level_names[l]);
	buf_append(out, line->data ? line->data : "", line->len);
	buf_putc(out, '\n');
}

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w <= 0)
			return; /* nowhere to report it */
		p += w;
		n -= (size_t)w;
	}
}

/* Write what is pending (under pending_mu). */
static void flush_pending(void)
{
	if (pending.len)
		write_all(pending.data, pending.len);
	buf_reset(&pending);
}

void log_write_line(LogLevel l, Buf *line)
{
	if (l < min_level)
		return;
	Buf out = BUF_INIT;
	format_line(&out, l, line);
	pthread_mutex_lock(&pending_mu);
	flush_pending(); /* the access lines before it, so the log stays in order */
	write_all(out.data, out.len);
	pthread_mutex_unlock(&pending_mu);
	buf_release(&out);
}

void log_access_line(Buf *line)
{
	if (LOG_INFO < min_level)
		return;
	pthread_mutex_lock(&pending_mu);
	if (!buffering) {
		pthread_mutex_unlock(&pending_mu);
		log_write_line(LOG_INFO, line);
		return;
	}
	format_line(&pending, LOG_INFO, line);
	if (pending.len >= LOG_BUFFER_MAX || !buf_ok(&pending))
		flush_pending();
	pthread_mutex_unlock(&pending_mu);
}

static void *flusher_run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pending_mu);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += LOG_FLUSH_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&flusher_cv, &pending_mu, &until);
		flush_pending();
	}
	pthread_mutex_unlock(&pending_mu);
	return NULL;
}

void log_buffering_start(void)
{
	pthread_mutex_lock(&pending_mu);
	if (!buffering) {
		stopping = false;
		if (pthread_create(&flusher, NULL, flusher_run, NULL) == 0)
			buffering = true;
	}
	pthread_mutex_unlock(&pending_mu);
}

void log_buffering_stop(void)
{
	pthread_mutex_lock(&pending_mu);
	bool was = buffering;
	buffering = false;
	stopping = true;
	pthread_cond_signal(&flusher_cv);
	pthread_mutex_unlock(&pending_mu);
	if (was)
		pthread_join(flusher, NULL);
	pthread_mutex_lock(&pending_mu);
	flush_pending();
	buf_release(&pending);
	pthread_mutex_unlock(&pending_mu);
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
