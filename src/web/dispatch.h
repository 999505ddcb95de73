/*
 * dispatch.h — from a received request to a response, independent of
 * libmicrohttpd (server.c feeds it; the unit tests call it directly).
 *
 *   Req *r = dispatch_new();        raw_uri etc. filled by the caller
 *   dispatch_begin(r, "POST");      route match, body cap from Content-Length
 *   dispatch_body(r, data, n);      any number of times
 *   r->db = db; dispatch_run(r);    everything else; r->status, headers, out
 *   dispatch_finish(r, aborted);    access log, free
 */
#ifndef DANVAN_DISPATCH_H
#define DANVAN_DISPATCH_H

#include "req.h"

void dispatch_init(void);
void dispatch_shutdown(void);
Req *dispatch_new(void);
void dispatch_begin(Req *r, const char *method);
void dispatch_body(Req *r, const char *data, size_t n);
void dispatch_run(Req *r);
void dispatch_finish(Req *r, bool aborted);

/* HTTP status for an Rc. */
int rc_http_status(Rc rc);

#endif
