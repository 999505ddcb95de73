/*
 * log.h — one-line structured logs on stderr: "ts level key=value …".
 * Values are quoted and escaped when they contain spaces or quotes, so a
 * line can always be split back into fields.  Secrets (passwords, tokens,
 * session ids, sealed identities) are never passed here.
 */
#ifndef DANVAN_LOG_H
#define DANVAN_LOG_H

#include "buf.h"

typedef enum LogLevel { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } LogLevel;

void log_set_level(LogLevel l);
/* fmt uses buf_printf conversions; write "key=%s" pairs, values through
 * log_value() when they may contain spaces. */
void log_msg(LogLevel l, const char *fmt, ...);
/* Append ` key="value"` with quoting as needed. */
void log_kv(Buf *b, const char *key, const char *value);
void log_write_line(LogLevel l, Buf *line);
/* An access line (info): buffered while buffering is on, else written at
 * once.  The server turns buffering on at start and off (writing what is
 * left) at shutdown; see log.c for what may be lost. */
void log_access_line(Buf *line);
void log_buffering_start(void);
void log_buffering_stop(void);

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
