/*
 * server.h — the HTTP server: libmicrohttpd with an epoll thread pool, one
 * database connection per worker thread, graceful shutdown.
 */
#ifndef DANVAN_SERVER_H
#define DANVAN_SERVER_H

#include "../base/util.h"

typedef struct ServerConfig {
	const char *db_path;
	const char *host;  /* "127.0.0.1" */
	int port;          /* 0 = pick a free port (tests) */
	int threads;       /* 0 = eight per core (at most 64) */
	const char *port_file; /* if set, write the bound port here once listening */
	const char *smtp_url, *smtp_from, *smtp_user, *smtp_password;
	int jobs_interval_s;   /* -1 = no jobs thread, 0 = default (60 s) */
	bool trust_proxy;      /* take the client address from X-Forwarded-For
				  when the connection comes from loopback */
} ServerConfig;

/* Serve until SIGINT or SIGTERM; returns the exit status. */
int server_run(const ServerConfig *cfg);

/* Settings read once at start-up (web/dispatch.c uses them). */
const char *server_secret(void);
const char *server_db_path(void);
/* Set the CSRF HMAC key directly (tests that drive web/dispatch.c without
 * a running server). */
void server_set_secret(const char *s);

#endif
