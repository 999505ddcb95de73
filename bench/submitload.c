/*
 * submitload.c — the load client of bench/cases.sh for public submissions:
 * POST /gui-don as the public form sends it (multipart/form-data, the
 * anonymous visitor's cookie and CSRF token), CONNS requests in flight for
 * SECONDS, and one line of results in the format the script reads.
 *
 * Why not wrk: the route is rate-limited per client address (a burst of
 * 15, then 30 a minute), and wrk's connections all come from 127.0.0.1.
 * Why not node (the first client): on these two cores node spent 0.7 ms of
 * CPU per request, more than the server's own handling, so the figure
 * measured the client.  This one binds each connection to a loopback
 * address of its own (127.0.0.0/8 is all local on Linux), sends at most
 * PER_ADDRESS submissions on it (keep-alive) and then moves to the next
 * address — many citizens, each under the limit, as in real use.  One
 * thread, epoll, non-blocking sockets: a few microseconds a request.
 *
 * Usage: submitload HOST PORT CSRF ANON_COOKIE SECONDS CONNS PROVINCE_ID COMMUNE_IDS
 *   COMMUNE_IDS comma-separated unit ids the submissions are spread over.
 * Prints: http-submit: count=N seconds=T per_sec=R p50_ms= p99_ms= sent=S
 *         addresses=A status={"303":n,...}
 *
 * Built by `make build/submitload` (bench/cases.sh does it); test tooling,
 * not part of the server.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PER_ADDRESS 10
#define CONNS_MAX 1024
#define REQ_MAX 8192
#define RESP_MAX 65536
#define STATUS_KINDS 600

typedef struct Conn {
	int fd;
	int address;     /* index of its loopback address */
	int sent_here;   /* requests sent on this connection */
	char req[REQ_MAX];
	size_t req_len, req_off;
	char resp[RESP_MAX];
	size_t resp_len;
	double t0;       /* when the request started */
	bool busy;       /* a request is out */
} Conn;

static const char *host, *csrf, *anon, *province;
static int port;
static char **communes;
static int ncommunes;
static int next_address, next_request;
static long status_count[STATUS_KINDS], errors;
static double *lat;
static size_t nlat, caplat;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* 127.1.0.1, 127.1.0.2, … (127.0.0.1 is the server's). */
static void address_of(int i, struct sockaddr_in *a)
{
	unsigned n = (unsigned)i + 1;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(0x7f000000u | ((1u + ((n >> 16) & 127u)) << 16) | (n & 0xffffu));
}

static const char *const kinds[] = {"petition", "petition", "petition", "petition", "petition",
				    "petition", "complaint", "complaint", "complaint", "denunciation"};
static const char *const titles[] = {
	"Kiến nghị sửa chữa tuyến đường liên thôn",
	"Phản ánh ô nhiễm môi trường do cơ sở sản xuất",
	"Khiếu nại về đơn giá bồi thường giải phóng mặt bằng",
	"Tố cáo cán bộ địa chính có dấu hiệu vụ lợi",
	"Kiến nghị về việc chậm cấp giấy chứng nhận quyền sử dụng đất",
};

/* One form field of the multipart body. */
static size_t field(char *b, size_t n, size_t at, const char *boundary, const char *name,
		    const char *value)
{
	int w = snprintf(b + at, n - at,
			 "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary,
			 name, value);
	return w < 0 || (size_t)w >= n - at ? n : at + (size_t)w;
}

/* The i-th submission as the public form sends it, into c->req. */
static void make_request(Conn *c, int i)
{
	char body[4096], boundary[32], title[256], content[512], addr[64], phone[16];
	snprintf(boundary, sizeof boundary, "----dvbench%d", i);
	const char *kind = kinds[i % 10];
	snprintf(title, sizeof title, "%s (số %d)", titles[i % 5], i);
	snprintf(content, sizeof content,
		 "Nội dung đơn số %d: đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy"
		 " định của pháp luật.", i);
	snprintf(addr, sizeof addr, "Số %d đường Thử Nghiệm", i);
	snprintf(phone, sizeof phone, "09%08d", 10000000 + i % 90000000);
	size_t at = 0, n = sizeof body;
	at = field(body, n, at, boundary, "csrf", csrf);
	at = field(body, n, at, boundary, "kind", kind);
	at = field(body, n, at, boundary, "title", title);
	at = field(body, n, at, boundary, "content", content);
	at = field(body, n, at, boundary, "province_id", province);
	at = field(body, n, at, boundary, "unit_id", communes[i % ncommunes]);
	at = field(body, n, at, boundary, "name", "Nguyễn Văn Thử");
	at = field(body, n, at, boundary, "address", addr);
	at = field(body, n, at, boundary, "phone", phone);
	if (strcmp(kind, "petition") != 0)
		at = field(body, n, at, boundary, "signed", "1");
	int w = at < n ? snprintf(body + at, n - at, "--%s--\r\n", boundary) : -1;
	if (w < 0 || (size_t)w >= n - at) {
		fputs("submitload: request body too long\n", stderr);
		exit(1);
	}
	at += (size_t)w;
	w = snprintf(c->req, sizeof c->req,
		     "POST /gui-don HTTP/1.1\r\nHost: %s:%d\r\nCookie: dv_anon=%s\r\n"
		     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n\r\n"
		     "%.*s",
		     host, port, anon, boundary, at, (int)at, body);
	if (w < 0 || (size_t)w >= sizeof c->req) {
		fputs("submitload: request too long\n", stderr);
		exit(1);
	}
	c->req_len = (size_t)w;
	c->req_off = 0;
	c->resp_len = 0;
}

static void conn_open(int ep, Conn *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		die("socket");
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* The port is picked at connect(), for the whole 4-tuple: a port picked
	 * at bind() may repeat one that, from an earlier run, still sits in
	 * TIME_WAIT at the server, and then the SYN waits a second or three
	 * for its retransmission (seen: a 3.3 s request, 32 over 0.5 s). */
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
	struct sockaddr_in local, server;
	c->address = next_address++;
	c->sent_here = 0;
	address_of(c->address, &local);
	if (bind(c->fd, (struct sockaddr *)&local, sizeof local) != 0)
		die("bind");
	memset(&server, 0, sizeof server);
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &server.sin_addr) != 1)
		die("inet_pton");
	if (connect(c->fd, (struct sockaddr *)&server, sizeof server) != 0 && errno != EINPROGRESS)
		die("connect");
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
		die("epoll_ctl");
}

static void conn_close(Conn *c)
{
	close(c->fd);
	c->fd = -1;
}

static void start_request(int ep, Conn *c)
{
	if (c->fd < 0 || c->sent_here >= PER_ADDRESS) {
		if (c->fd >= 0)
			conn_close(c);
		conn_open(ep, c);
	}
	make_request(c, next_request++);
	c->sent_here++;
	c->busy = true;
	c->t0 = now_s();
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* A whole response in c->resp: its status, and whether the connection
 * stays open; 0 while incomplete. */
static int response_done(Conn *c, bool *keep)
{
	c->resp[c->resp_len < RESP_MAX ? c->resp_len : RESP_MAX - 1] = '\0';
	char *end = strstr(c->resp, "\r\n\r\n");
	if (!end)
		return 0;
	size_t head = (size_t)(end - c->resp) + 4, length = 0;
	const char *cl = strcasestr(c->resp, "\r\nContent-Length:");
	if (cl && cl < end)
		length = (size_t)strtoul(cl + 17, NULL, 10);
	if (c->resp_len < head + length)
		return 0;
	const char *conn = strcasestr(c->resp, "\r\nConnection: close");
	*keep = !(conn && conn < end);
	int status = c->resp_len > 12 ? (int)strtol(c->resp + 9, NULL, 10) : 0;
	return status > 0 ? status : -1;
}

static void record(double ms, int status)
{
	if (nlat == caplat) {
		caplat = caplat ? 2 * caplat : 65536;
		lat = realloc(lat, caplat * sizeof *lat);
		if (!lat)
			die("realloc");
	}
	lat[nlat++] = ms;
	if (status > 0 && status < STATUS_KINDS)
		status_count[status]++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile(double p)
{
	if (!nlat)
		return 0;
	size_t i = (size_t)((double)(nlat - 1) * p);
	return lat[i < nlat ? i : nlat - 1];
}

int main(int argc, char **argv)
{
	if (argc != 9) {
		fputs("usage: submitload HOST PORT CSRF ANON SECONDS CONNS PROVINCE_ID COMMUNE_IDS\n", stderr);
		return 2;
	}
	host = argv[1];
	port = (int)strtol(argv[2], NULL, 10);
	csrf = argv[3];
	anon = argv[4];
	double seconds = strtod(argv[5], NULL);
	int nconns = (int)strtol(argv[6], NULL, 10);
	province = argv[7];
	if (port <= 0 || seconds <= 0 || nconns < 1 || nconns > CONNS_MAX) {
		fputs("submitload: bad PORT, SECONDS or CONNS\n", stderr);
		return 2;
	}
	communes = calloc(4096, sizeof *communes);
	for (char *save = NULL, *t = strtok_r(argv[8], ",", &save); t && ncommunes < 4096;
	     t = strtok_r(NULL, ",", &save))
		communes[ncommunes++] = t;
	if (!ncommunes) {
		fputs("submitload: no commune ids\n", stderr);
		return 2;
	}
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	Conn *conns = calloc((size_t)nconns, sizeof *conns);
	if (!conns)
		die("calloc");
	double start = now_s(), end = start + seconds;
	for (int i = 0; i < nconns; i++) {
		conns[i].fd = -1;
		start_request(ep, &conns[i]);
	}
	int busy = nconns;
	struct epoll_event evs[64];
	while (busy > 0) {
		int n = epoll_wait(ep, evs, 64, 1000);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int k = 0; k < n; k++) {
			Conn *c = evs[k].data.ptr;
			if (!c->busy)
				continue;
			bool failed = (evs[k].events & (EPOLLERR | EPOLLHUP)) && !(evs[k].events & EPOLLIN);
			if (!failed && (evs[k].events & EPOLLOUT) && c->req_off < c->req_len) {
				ssize_t w = send(c->fd, c->req + c->req_off, c->req_len - c->req_off, MSG_NOSIGNAL);
				if (w > 0)
					c->req_off += (size_t)w;
				else if (w < 0 && errno != EAGAIN)
					failed = true;
				if (!failed && c->req_off == c->req_len) {
					struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
					epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				}
			}
			int status = 0;
			bool keep = true;
			if (!failed && (evs[k].events & EPOLLIN)) {
				ssize_t r = recv(c->fd, c->resp + c->resp_len, RESP_MAX - 1 - c->resp_len, 0);
				if (r > 0) {
					c->resp_len += (size_t)r;
					status = response_done(c, &keep);
				} else if (r == 0 || errno != EAGAIN) {
					failed = true;
				}
			}
			if (!failed && status == 0)
				continue;
			if (failed)
				errors++;
			else
				record((now_s() - c->t0) * 1000.0, status);
			c->busy = false;
			if (failed || !keep)
				conn_close(c);
			if (now_s() < end)
				start_request(ep, c);
			else
				busy--;
		}
	}
	double secs = now_s() - start;
	qsort(lat, nlat, sizeof *lat, cmp_double);
	long ok = status_count[303];
	printf("http-submit: count=%ld seconds=%.2f per_sec=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f sent=%d"
	       " addresses=%d status={", ok, secs, (double)ok / secs, quantile(0.5), quantile(0.99), quantile(1.0),
	       next_request, next_address);
	const char *sep = "";
	for (int s = 0; s < STATUS_KINDS; s++)
		if (status_count[s]) {
			printf("%s\"%d\":%ld", sep, s, status_count[s]);
			sep = ",";
		}
	if (errors)
		printf("%s\"error\":%ld", sep, errors);
	size_t slow = 0;
	for (size_t i = 0; i < nlat; i++)
		slow += lat[i] >= 500.0;
	printf("} over_500ms=%zu\n", slow);
	for (int i = 0; i < nconns; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	free(conns);
	free(communes);
	free(lat);
	close(ep);
	return 0;
}
