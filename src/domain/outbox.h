/*
 * outbox.h — e-mail: queued in the database in the same transaction as
 * the change that causes it, delivered later over SMTP (libcurl) with
 * retries and back-off, and kept as the record of what was sent.
 * Messages never contain a denouncer's identity.
 * See docs/internals/outbox.md.
 */
#ifndef DANVAN_OUTBOX_H
#define DANVAN_OUTBOX_H

#include "../store/db.h"

#include <stdatomic.h>

typedef struct SmtpConfig {
	const char *url;   /* "smtp://127.0.0.1:2525" ; NULL = delivery disabled */
	const char *from;  /* "danvan@example.org" */
	const char *user, *password; /* optional; when set, TLS is required */
	long timeout_s;    /* per message; 0 = 30 s */
	/* optional: when it becomes true, the transfer in progress is aborted
	 * (the message is rescheduled) and no further message is started —
	 * so a server shuts down promptly even with a dead mail relay */
	const atomic_bool *cancel;
} SmtpConfig;

#define OUTBOX_MAX_ATTEMPTS 8
#define OUTBOX_ADDR_MAX 254     /* bytes (RFC 5321 path limit) */
#define OUTBOX_SUBJECT_MAX 200  /* characters */
#define OUTBOX_BODY_MAX 20000   /* characters */
/* What to_addr becomes once a message to a denouncer is settled. */
#define OUTBOX_SEALED_ADDR "(sealed)"

/* Pragmatic check of a plain address "local@domain.tld": one '@', printable
 * ASCII without spaces, CR, LF, <, >, quotes, commas…, at most 254 bytes,
 * and a domain of dot-separated [A-Za-z0-9-] labels with at least one dot. */
bool outbox_address_valid(const char *addr);
/* Queue a message (joins the caller's transaction).  RC_INVALID for a bad
 * address, a subject that is empty, not UTF-8 or holds CR, LF or other
 * control characters (header injection), or a body that is not UTF-8;
 * RC_TOO_LARGE past OUTBOX_SUBJECT_MAX / OUTBOX_BODY_MAX.  case_id 0 =
 * no case. */
Rc outbox_queue(Db *db, const char *to, const char *subject, const char *body, int64_t case_id);
/* Send up to `max` due messages. Each is marked sent, or rescheduled with
 * back-off (1, 2, 4 … minutes), or failed after OUTBOX_MAX_ATTEMPTS.
 * Must be called outside a transaction (RC_INTERNAL otherwise): each
 * message is claimed and settled in its own short write transaction, and
 * the network is never used while the database is locked.  A NULL url
 * sends nothing (RC_OK).  *sent / *failed (may be NULL) count this run's
 * successes and unsuccessful attempts (rescheduled or given up). */
Rc outbox_deliver(Db *db, const SmtpConfig *smtp, int max, int *sent, int *failed);
/* Messages of a denunciation are addressed to the denouncer: the address
 * is identity.  outbox_deliver replaces it with OUTBOX_SEALED_ADDR once
 * such a message is sent or failed, and logs no domain for it.  For a case
 * that becomes a denunciation later (re-classification), this does the
 * same to the case's settled messages; pending ones are redacted when they
 * settle.  Joins the caller's transaction. */
Rc outbox_redact_case(Db *db, int64_t case_id);

/* The RFC 5322 message outbox_deliver sends (exposed for tests):
 * CRLF line endings, the subject as RFC 2047 encoded words when not plain
 * ASCII, the body 7bit when plain ASCII with short lines, else base64. */
void outbox_format_message(Buf *out, int64_t id, int64_t created_at, const char *from,
			   const char *to, const char *subject, const char *body);

#endif
