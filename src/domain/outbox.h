/*
 * outbox.h — e-mail: queued in the database in the same transaction as
 * the change that causes it, delivered later over SMTP (libcurl) with
 * retries and back-off, and kept as the record of what was sent.
 * Messages never contain a denouncer's identity.
 */
#ifndef DANVAN_OUTBOX_H
#define DANVAN_OUTBOX_H

#include "../store/db.h"

typedef struct SmtpConfig {
	const char *url;   /* "smtp://127.0.0.1:2525" ; NULL = delivery disabled */
	const char *from;  /* "danvan@example.org" */
	const char *user, *password; /* optional */
	long timeout_s;
} SmtpConfig;

#define OUTBOX_MAX_ATTEMPTS 8

bool outbox_address_valid(const char *addr);
Rc outbox_queue(Db *db, const char *to, const char *subject, const char *body, int64_t case_id);
/* Send up to `max` due messages. Each is marked sent, or rescheduled with
 * back-off (1, 2, 4 … minutes), or failed after OUTBOX_MAX_ATTEMPTS. */
Rc outbox_deliver(Db *db, const SmtpConfig *smtp, int max, int *sent, int *failed);

#endif
