/*
 * server.c — libmicrohttpd glue (see server.h).
 *
 * Life of a request:
 *  1. uri_log_cb (MHD calls it first, with the raw URI) allocates the Req
 *     and keeps the undecoded URI, so our own fuzzed parsers see exactly
 *     what the client sent.
 *  2. access_cb, first call: match the route, check Content-Length against
 *     its body cap.  Nothing is queued on this call: with MHD 0.9.75 a
 *     response queued on the first call closes keep-alive connections, so
 *     every response is queued on a later call.
 *  3. access_cb, upload calls: append to the body up to the cap; beyond it
 *     the rest is read and dropped and the request ends in 413.
 *  4. access_cb, final call: dispatch (web/dispatch.c), queue the response.
 *  5. completed_cb: access log line, free the Req.
 *
 * Threads: MHD_USE_EPOLL_INTERNAL_THREAD with a pool of eight threads per
 * core.  Each worker lazily opens its own database connection, kept in a
 * pthread key whose destructor closes it when MHD joins the thread.
 *
 * Shutdown: SIGINT/SIGTERM are blocked in every thread and taken with
 * sigwait by the main thread, which stops accepting (quiesce), waits up to
 * ten seconds for requests in flight, then stops the daemon; the workers'
 * database connections close as their threads end.
 */
#include "server.h"
#include "dispatch.h"
#include "pagecache.h"
#include "../store/db_checkpoint.h"
#include "../store/db_group.h"
#include "../jobs/intake_builder.h"
#include "../domain/case.h"
#include "../base/crypto.h"
#include "../base/log.h"
#include "../store/db.h"
#include "../store/schema.h"
#include "../jobs/jobs.h"
#include "../domain/article.h"
#include "views.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_URI 8192
#define WORKERS_MAX 64 /* the default pool never exceeds this */

static const ServerConfig *config;
static char *secret;
static pthread_key_t db_key;
static atomic_int in_flight;

const char *server_secret(void)
{
	return secret;
}

void server_set_secret(const char *s)
{
	free(secret);
	secret = s ? xstrdup(s) : NULL;
}

const char *server_db_path(void)
{
	return config ? config->db_path : NULL;
}

static void db_key_destroy(void *p)
{
	db_close(p);
}

/* The calling worker's connection, opened on first use. */
static Db *worker_db(void)
{
	Db *db = pthread_getspecific(db_key);
	if (db)
		return db;
	if (db_open(&db, config->db_path, 0) != RC_OK) {
		log_error("msg=\"cannot open database\" path=%s", config->db_path);
		db_close(db);
		return NULL;
	}
	pthread_setspecific(db_key, db);
	return db;
}

static void *uri_log_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	Req *r = dispatch_new();
	size_t n = strnlen(uri, MAX_URI + 1);
	r->raw_uri = xstrndup(uri, n);
	r->uri_too_long = n > MAX_URI;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client_ip,
				  sizeof r->client_ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  r->client_ip, sizeof r->client_ip);
	}
	return r;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void body_release(void *cls)
{
	pagecache_body_release(cls);
}

static enum MHD_Result queue(struct MHD_Connection *conn, Req *r)
{
	struct MHD_Response *resp;
	if (r->shared_body) {
		/* a page-cache hit: MHD sends the cached bytes and drops our
		 * reference when done (body_release) */
		size_t len = 0;
		const char *data = pagecache_body(r->shared_body, &len);
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
			len, (void *)data, body_release, r->shared_body);
		if (resp)
			r->shared_body = NULL; /* MHD holds the reference now */
		r->sent_bytes = len;
	} else if (r->static_body) {
		resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
						       MHD_RESPMEM_PERSISTENT);
		r->sent_bytes = r->static_len;
	} else {
		size_t len = 0;
		char *body = buf_detach(&r->out, &len);
		r->sent_bytes = len;
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp)
		return MHD_NO;
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

#ifdef DANVAN_FAULTS
/* Test build only (build/faults/danvan, docs/reliability.md).  At start,
 * db_fault_env arms the database fault from the environment, and
 * DANVAN_FAULT_WRITE_NTH=N makes the Nth response fail on the socket: it
 * is queued as usual, then the socket is shut down, so MHD's send fails as
 * it does when the peer has vanished and the request ends through
 * completed_cb as an aborted one. */
#include <sys/socket.h>
void db_fault_env(void);
static atomic_long write_count, write_nth;
static atomic_int write_fired;

static void write_fault_report(void)
{
	fprintf(stderr, "danvan-faults: responses=%ld write fired=%d\n", atomic_load(&write_count),
		atomic_load(&write_fired));
}

static void faults_arm(void)
{
	const char *s = getenv("DANVAN_FAULT_WRITE_NTH");
	int64_t n = 0;
	if (s && *s && !util_parse_i64(s, 1, INT32_MAX, &n)) {
		fprintf(stderr, "danvan: DANVAN_FAULT_WRITE_NTH wants a number from 1\n");
		exit(2);
	}
	atomic_store(&write_nth, (long)n);
	atexit(write_fault_report);
	db_fault_env();
}

static enum MHD_Result queue_faulty(struct MHD_Connection *conn, Req *r)
{
	enum MHD_Result ret = queue(conn, r);
	if (atomic_fetch_add(&write_count, 1) + 1 != atomic_load(&write_nth))
		return ret;
	atomic_store(&write_fired, 1);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci)
		shutdown(ci->connect_fd, SHUT_RDWR);
	return ret;
}
#endif

/* Behind the documented reverse proxy (docs/admin.md) every connection
 * comes from loopback; the proxy appends the real client as the last
 * X-Forwarded-For entry.  Only that last entry is trusted (the rest is
 * whatever the client claimed), and only when configured and the peer
 * is loopback, so a direct client cannot pick its own rate-limit bucket. */
static void use_forwarded_for(Req *r, const char *xff)
{
	if (!config->trust_proxy || !xff || (!str_eq(r->client_ip, "127.0.0.1") && !str_eq(r->client_ip, "::1")))
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	unsigned char tmp[16];
	char addr[64];
	if (n == 0 || n >= sizeof addr)
		return;
	memcpy(addr, last, n);
	addr[n] = 0;
	if (inet_pton(AF_INET, addr, tmp) == 1 || inet_pton(AF_INET6, addr, tmp) == 1)
		xsnprintf(r->client_ip, sizeof r->client_ip, "%s", addr);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version,
				 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls; (void)url; (void)version;
	Req *r = *con_cls;
	if (!r)
		return MHD_NO; /* uri_log_cb always sets it */
	if (!r->started) {
		r->started = true;
		r->content_type = header(conn, "Content-Type");
		r->accept_language = header(conn, "Accept-Language");
		r->user_agent = header(conn, "User-Agent");
		r->if_none_match = header(conn, "If-None-Match");
		r->authorization = header(conn, "Authorization");
		r->cookie_header = header(conn, "Cookie");
		r->csrf_header = header(conn, "X-CSRF-Token");
		r->content_length = header(conn, "Content-Length");
		r->forwarded_proto = header(conn, "X-Forwarded-Proto");
		use_forwarded_for(r, header(conn, "X-Forwarded-For"));
		dispatch_begin(r, method);
		/* A body over the route's cap is read and dropped (dispatch_body),
		 * and the 413 sent once it is in.  Answering before the body and
		 * closing would be cheaper, but the client, still sending, would
		 * meet a reset and never show the 413 (the lingering-close
		 * problem): tests/security/table.test.mjs keeps that as a todo. */
		return MHD_YES;
	}
	if (*upload_data_size) {
		dispatch_body(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* In flight from here (the whole request is in) until MHD reports it
	 * done: shutdown waits for these, not for clients still trickling
	 * their headers or bodies in. */
	atomic_fetch_add(&in_flight, 1);
	r->counted_in_flight = true;
	r->db = worker_db();
	dispatch_run(r);
#ifdef DANVAN_FAULTS
	return queue_faulty(conn, r);
#else
	return queue(conn, r);
#endif
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)conn;
	Req *r = *con_cls;
	if (!r)
		return;
	bool counted = r->counted_in_flight;
	dispatch_finish(r, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	*con_cls = NULL;
	if (counted)
		atomic_fetch_sub(&in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	log_warn("src=mhd msg=\"%j\"", msg);
}

/* Read the server secret (HMAC key for CSRF tokens) from settings,
 * creating it on first start. */
static bool load_secret(Db *db)
{
	char *s = NULL;
	Rc rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	if (rc == RC_NOT_FOUND) {
		char fresh[65];
		crypto_random_hex(fresh);
		rc = db_run(db, "INSERT OR IGNORE INTO setting (key, value) VALUES ('secret', ?)", "t",
			    fresh);
		if (!rc)
			rc = db_get_text(db, &s, "SELECT value FROM setting WHERE key = 'secret'", "");
	}
	if (rc)
		return false;
	free(secret);
	secret = s;
	return true;
}

/*
 * Connection slots.  The timeout is an idle one (every byte resets it), so
 * a client that trickles a request a byte at a time holds its slot for as
 * long as it likes; what bounds such an attack is the slots.  One address
 * may hold PER_ADDRESS_CONNECTIONS (an office behind one NAT with dozens
 * of browsers stays under it); all together, as many as the process may
 * open files, up to MAX_CONNECTIONS, with the soft file limit raised to
 * the hard one — so a handful of addresses cannot fill the server
 * (tests/security/slowloris.test.mjs: five addresses, 1,100 connections).
 * A reverse proxy with a header timeout (nginx client_header_timeout)
 * bounds what many addresses can do: docs/admin.md.
 */
#define PER_ADDRESS_CONNECTIONS 128
#define MAX_CONNECTIONS 10000
#define FD_RESERVE 256 /* database, WAL, logs, SMTP, libvips */

static unsigned connection_budget(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
		return 1000;
	if (lim.rlim_cur < lim.rlim_max) {
		struct rlimit want = lim;
		want.rlim_cur = lim.rlim_max == RLIM_INFINITY || lim.rlim_max > MAX_CONNECTIONS + FD_RESERVE
				? MAX_CONNECTIONS + FD_RESERVE : lim.rlim_max;
		if (want.rlim_cur > lim.rlim_cur && setrlimit(RLIMIT_NOFILE, &want) == 0)
			lim = want;
	}
	if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= MAX_CONNECTIONS + FD_RESERVE)
		return MAX_CONNECTIONS;
	return lim.rlim_cur > FD_RESERVE + 64 ? (unsigned)(lim.rlim_cur - FD_RESERVE) : 64;
}

/* Build the cases of every row left in the intake log, on a connection
 * of its own; a failure is logged and the rows wait for the next start. */
static void drain_intake_log(const char *db_path)
{
	Db *db = NULL;
	int64_t built = 0;
	Rc rc = db_open(&db, db_path, 0);
	if (!rc)
		rc = case_intake_log_drain(db, &built);
	if (rc)
		log_warn("msg=\"intake log not drained\" error=\"%j\"", db_errmsg(db));
	else if (built)
		log_info("msg=\"intake log drained\" cases=%lld", (long long)built);
	db_close(db);
}

int server_run(const ServerConfig *cfg)
{
	config = cfg;
	/* Two malloc arenas, not one per worker thread: memory a worker freed
	 * stayed in its own arena, so the resident size grew with the number
	 * of workers though what was in use did not (bench/soak.sh: ~20 MiB in
	 * use, 40–48 MiB kept free).  Small blocks come from each thread's
	 * cache without taking an arena's lock, so two are enough. */
	mallopt(M_ARENA_MAX, 2);
	Db *db = NULL;
	if (db_open(&db, cfg->db_path, DB_OPEN_CREATE)) {
		fprintf(stderr, "danvan: cannot open %s: %s\n", cfg->db_path, db_errmsg(db));
		db_close(db);
		return 1;
	}
	int applied = 0;
	Rc rc = schema_migrate(db, &applied);
	if (rc == RC_CONFLICT) {
		fprintf(stderr, "danvan: %s was made by a newer danvan (schema newer than %d); "
				"use that version or restore a backup\n", cfg->db_path, schema_latest());
		db_close(db);
		return 1;
	}
	if (rc || !load_secret(db)) {
		fprintf(stderr, "danvan: cannot prepare %s: %s\n", cfg->db_path, db_errmsg(db));
		db_close(db);
		return 1;
	}
	db_close(db);
	/* Submissions acknowledged but not yet built into cases when the last
	 * run ended (a crash): built before anyone can look for them. */
	drain_intake_log(cfg->db_path);
	if (applied)
		log_info("msg=migrated applied=%d", applied);
	pthread_key_create(&db_key, db_key_destroy);
	dispatch_init();
#ifdef DANVAN_FAULTS
	faults_arm();
#endif

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Background jobs (deadline escalation, e-mail) on their own thread and
	 * connection; started after the signal mask so they inherit it. */
	SmtpConfig smtp = {cfg->smtp_url, cfg->smtp_from, cfg->smtp_user, cfg->smtp_password, 30, NULL};
	if (cfg->jobs_interval_s >= 0 && jobs_start(cfg->db_path, &smtp, cfg->jobs_interval_s))
		log_warn("msg=\"background jobs not started\"");

	/* The connection that commits public submissions in groups
	 * (store/db_group.h); without it each leader uses its own. */
	if (db_group_open(cfg->db_path))
		log_warn("msg=\"group commit connection not opened; using request connections\"");
	/* Checkpoints on a thread of their own, not inside some request's
	 * commit (store/db_checkpoint.h). */
	if (db_checkpointer_start(cfg->db_path))
		log_warn("msg=\"checkpointer not started; commits checkpoint themselves\"");
	/* The intake log's group commit (domain/case_intake_log.c), and the
	 * cases built from it as public submissions arrive
	 * (jobs/intake_builder.h); without the builder the jobs rounds build
	 * them. */
	if (case_intake_log_start(cfg->db_path))
		log_warn("msg=\"intake log group not opened; each submission commits alone\"");
#ifndef DANVAN_FAULTS
	if (intake_builder_start(cfg->db_path))
		log_warn("msg=\"intake builder not started; the background jobs build the cases\"");
#else
	/* The fault-injection build fails the Nth database call of the
	 * process, and its pass needs the same calls in the same order every
	 * run: a builder thread's calls would interleave with the requests' by
	 * timing.  Without it, the tracking page the citizen is sent to builds
	 * the case itself (intake_builder_settle), in the request's order. */
#endif

	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
		fprintf(stderr, "danvan: bad listen address %s\n", cfg->host);
		return 1;
	}
	/* Eight workers per core by default: a worker that waits for a durable
	 * commit (a citizen's submission waits for its group's fsync) holds
	 * every connection of its pool slot, so with one per core two
	 * submissions in flight stall the server and a group never holds
	 * more than two.  With four per core, sixteen submitters shared eight
	 * workers and groups held ~4 rows: ~2,570-2,600 submissions a second,
	 * and ~2,850-3,670 with eight per core (bench/cases.sh's submitload,
	 * two cores, the builder yielding after every case, 2026-11-29).
	 * Memory does not grow with them: the page cache is one arena for
	 * every connection (store/db_sqlite.c).
	 * Reading from memory costs the same either way (bench: the cached
	 * home page at 2 and 8 workers within 3 %). */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long dflt = cores > 0 ? 8 * cores : 8;
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads
					    : (unsigned)(dflt > WORKERS_MAX ? WORKERS_MAX : dflt);
	unsigned max_conns = connection_budget();
	/* Behind a trusted proxy every connection comes from the proxy's
	 * address: a cap per address would cap the whole site, so the proxy
	 * limits clients instead (docs/admin.md). */
	unsigned per_address = cfg->trust_proxy ? 0 : PER_ADDRESS_CONNECTIONS;
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC, (uint16_t)cfg->port,
		NULL, NULL, access_cb, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log_cb, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
		/* Each connection's memory pool holds the request line and headers
		 * (a URI up to MAX_URI, 8 KiB, and our few small cookies) and is
		 * zeroed for every request: 16 KiB instead of 32 took a tenth off
		 * the cost of a page served from memory (29–30k → 34–39k req/s). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "danvan: cannot listen on %s:%d\n", cfg->host, cfg->port);
		return 1;
	}
	/* Access lines are written in batches from here on (base/log.c). */
	log_buffering_start();
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = di ? di->port : cfg->port;
	log_info("msg=listening url=http://%s:%d/ threads=%d connections=%d per_address=%d db=%s",
		 cfg->host, port, (int)threads, (int)max_conns, (int)per_address, cfg->db_path);
	if (cfg->port_file) {
		FILE *f = fopen(cfg->port_file, "w");
		if (f) {
			fprintf(f, "%d\n", port);
			fclose(f);
		}
	}

	/* The main thread waits for a signal, and meanwhile writes the view
	 * counts kept in memory to the database every few seconds. */
	Db *vdb = NULL;
	if (db_open(&vdb, cfg->db_path, 0)) {
		db_close(vdb);
		vdb = NULL;
	}
	int sig = 0;
	struct timespec every = {VIEWS_FLUSH_INTERVAL_S, 0};
	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &every);
		if (sig > 0)
			break;
		if (vdb && views_flush(vdb))
			log_warn("msg=\"views flush failed\" error=\"%j\"", db_errmsg(vdb));
	}
	log_info("msg=\"shutting down\" signal=%d", sig);
	jobs_stop();
	/* Stop accepting: MHD hands the listening socket back, and it must be
	 * closed or new clients would wait in its backlog until we exit. */
	MHD_socket listen_fd = MHD_quiesce_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	log_buffering_stop(); /* every request is done: write the last access lines */
	intake_builder_stop();
	/* How well the log's group commit batched: rows per durable commit. */
	long log_commits = 0, log_rows = 0;
	case_intake_log_stats(&log_commits, &log_rows);
	log_info("msg=\"intake log\" commits=%ld rows=%ld", log_commits, log_rows);
	case_intake_log_stop();
	db_group_close();
	db_checkpointer_stop();
	/* No request can add to the intake log any more: build what is left,
	 * so that a stopped server's database holds every case it answered
	 * for (a crash leaves the rest to the next start). */
	drain_intake_log(cfg->db_path);
	if (vdb) {
		views_flush(vdb);
		db_close(vdb);
	}
	image_shutdown();
	pthread_key_delete(db_key);
	dispatch_shutdown();
	free(secret);
	secret = NULL;
	log_info("msg=stopped");
	return 0;
}
