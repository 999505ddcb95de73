/*
 * outbox.c — see outbox.h and docs/internals/outbox.md.
 *
 * Delivery is at-least-once.  A message is first *claimed* in a short
 * write transaction (attempts + 1, next_attempt_at pushed past the time a
 * send can take), then sent with no transaction open, then *settled* in
 * a second short transaction (sent, rescheduled or failed).  A crash
 * between the two leaves the row pending with the attempt counted, so it
 * is retried after the lease — perhaps a duplicate, never a loss — and a
 * message that kills the process every time still ends up 'failed'.
 *
 * Logs name the outbox id, the recipient's domain and the result: never
 * the recipient's full address, the subject or the body.
 */
#include "outbox.h"
#include "../base/log.h"
#include "../base/text.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <time.h>

#define OUTBOX_DEFAULT_TIMEOUT_S 30L
#define OUTBOX_MAX_BATCH 1000
/* RFC 5322 §2.1.1: a line SHOULD stay within 78 characters. */
#define B64_LINE 76
/* Bytes of UTF-8 per RFC 2047 encoded word: 39 bytes → 52 base64 chars,
 * 64 with "=?UTF-8?B?" and "?=", so "Subject: " + word fits 78. */
#define EW_CHUNK 39

/* ---- validation ----------------------------------------------------- */

static bool domain_valid(const char *d)
{
	size_t label = 0;
	bool dot = false;
	char prev = '.';
	for (const char *p = d; *p; p++) {
		char c = *p;
		if (c == '.') {
			if (label == 0 || prev == '-')
				return false; /* empty label or one ending in '-' */
			dot = true;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '-') {
			if (label == 0 && c == '-')
				return false;
			if (++label > 63)
				return false;
		} else {
			return false;
		}
		prev = c;
	}
	return dot && label > 0 && prev != '-';
}

bool outbox_address_valid(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	if (n < 5 || n > OUTBOX_ADDR_MAX)
		return false;
	const char *at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@') || at == addr || at - addr > 64)
		return false;
	for (const char *p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		/* Printable ASCII only, and none of the characters that end an
		 * address or start a comment, a quote or a list in a header or an
		 * SMTP command. */
		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return false;
	}
	if (addr[0] == '.' || at[-1] == '.' || strstr(addr, ".."))
		return false;
	return domain_valid(at + 1);
}

/* Valid UTF-8 without control characters (CR and LF above all: a header
 * line ends there, and the rest would become headers of our making). */
static bool subject_valid(const char *s)
{
	if (!*s || !text_utf8_valid(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool body_valid(const char *s)
{
	if (!text_utf8_valid(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

Rc outbox_queue(Db *db, const char *to, const char *subject, const char *body, int64_t case_id)
{
	if (!outbox_address_valid(to) || !subject || !body)
		return RC_INVALID;
	/* byte caps first, so a huge input is refused before it is scanned */
	if (strlen(subject) > 4 * OUTBOX_SUBJECT_MAX || strlen(body) > 4 * OUTBOX_BODY_MAX)
		return RC_TOO_LARGE;
	if (!subject_valid(subject) || !body_valid(body))
		return RC_INVALID;
	if (text_length(subject) > OUTBOX_SUBJECT_MAX || text_length(body) > OUTBOX_BODY_MAX)
		return RC_TOO_LARGE;
	int64_t now = util_now();
	return db_run(db,
		      "INSERT INTO outbox (created_at, to_addr, subject, body, case_id, state,"
		      " attempts, next_attempt_at) VALUES (?, ?, ?, ?, nullif(?, 0), 'pending', 0, ?)",
		      "ltttll", now, to, subject, body, case_id, now);
}

/* ---- the message ---------------------------------------------------- */

static void put_base64(Buf *out, const unsigned char *p, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(cap);
	sodium_bin2base64(b64, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(out, b64);
	free(b64);
}

static bool plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return false;
	/* "=?" would be read as the start of an encoded word */
	return !strstr(s, "=?");
}

/* "Subject: …" as RFC 2047 B-encoded words, folded one per line, each
 * cut at a UTF-8 character boundary (a word must hold whole characters). */
static void put_subject(Buf *out, const char *s)
{
	buf_puts(out, "Subject:");
	if (plain_ascii(s)) {
		buf_printf(out, " %s\r\n", s);
		return;
	}
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t end = i + EW_CHUNK < n ? i + EW_CHUNK : n;
		while (end < n && end > i + 1 && ((unsigned char)s[end] & 0xC0) == 0x80)
			end--;
		buf_puts(out, i ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
		put_base64(out, (const unsigned char *)s + i, end - i);
		buf_puts(out, "?=");
		i = end;
	}
	buf_puts(out, "\r\n");
}

/* RFC 5322 date in Vietnam time (UTC+7, no daylight saving), spelled out
 * here so the C locale of the day cannot change the day and month names. */
static void put_date(Buf *out, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t vn = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&vn, &tm);
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0700\r\n", days[tm.tm_wday], tm.tm_mday,
		   months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The body with every line ending made CRLF (and one at the end). */
static void crlf_body(Buf *out, const char *s, bool *short_lines)
{
	size_t col = 0;
	*short_lines = true;
	for (const char *p = s; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		buf_putc(out, *p);
		if (++col > 998)
			*short_lines = false;
	}
	if (col || out->len == 0)
		buf_puts(out, "\r\n");
}

void outbox_format_message(Buf *out, int64_t id, int64_t created_at, const char *from,
			   const char *to, const char *subject, const char *body)
{
	const char *from_domain = strrchr(from, '@');
	put_date(out, created_at);
	buf_printf(out, "From: %s\r\n", from);
	buf_printf(out, "To: %s\r\n", to);
	put_subject(out, subject);
	/* Stable across retries (id and creation time), so a receiver can
	 * drop the duplicate an at-least-once retry may produce. */
	buf_printf(out, "Message-ID: <danvan.%lld.%lld@%s>\r\n", (long long)id, (long long)created_at,
		   from_domain ? from_domain + 1 : "localhost");
	/* RFC 3834: tells auto-responders not to answer a notification. */
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	buf_puts(out, "MIME-Version: 1.0\r\n");
	buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n");

	Buf text = BUF_INIT;
	bool short_lines;
	crlf_body(&text, body, &short_lines);
	bool ascii = true;
	for (size_t i = 0; i < text.len; i++)
		if ((unsigned char)text.data[i] >= 0x80)
			ascii = false;
	if (ascii && short_lines) {
		buf_puts(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		buf_append(out, text.data, text.len);
	} else {
		/* base64 rather than 8bit: it survives relays without 8BITMIME
		 * and keeps every line short whatever the text. */
		buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
		size_t cap = sodium_base64_ENCODED_LEN(text.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(cap);
		sodium_bin2base64(b64, cap, (const unsigned char *)text.data, text.len,
				  sodium_base64_VARIANT_ORIGINAL);
		size_t n = strlen(b64);
		for (size_t i = 0; i < n; i += B64_LINE) {
			buf_append(out, b64 + i, n - i < B64_LINE ? n - i : B64_LINE);
			buf_puts(out, "\r\n");
		}
		free(b64);
	}
	buf_release(&text);
}

/* ---- SMTP over libcurl ----------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;

/* curl_global_init is not thread-safe in every libcurl: once per process,
 * whichever thread (server job, CLI) delivers first. */
static void curl_init_once(void)
{
	curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct Upload {
	const char *data;
	size_t len, pos;
} Upload;

static size_t upload_read(char *dst, size_t size, size_t nitems, void *arg)
{
	Upload *u = arg;
	size_t want = size * nitems, left = u->len - u->pos;
	size_t n = want < left ? want : left;
	memcpy(dst, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* Called by curl about once a second: non-zero aborts the transfer. */
static int upload_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
			   curl_off_t ulnow)
{
	return atomic_load((const atomic_bool *)arg) ? 1 : 0;
}

/* Send one message; false with a short reason in err on failure. */
static bool smtp_send(const SmtpConfig *smtp, const char *to, const Buf *msg, char *err,
		      size_t err_len)
{
	CURL *c = curl_easy_init();
	if (!c) {
		xsnprintf(err, err_len, "curl_easy_init failed");
		return false;
	}
	char from_path[OUTBOX_ADDR_MAX + 3], to_path[OUTBOX_ADDR_MAX + 3];
	xsnprintf(from_path, sizeof from_path, "<%s>", smtp->from);
	xsnprintf(to_path, sizeof to_path, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to_path);
	Upload up = {msg->data, msg->len, 0};
	char curl_err[CURL_ERROR_SIZE] = "";
	long timeout = smtp->timeout_s > 0 ? smtp->timeout_s : OUTBOX_DEFAULT_TIMEOUT_S;

	curl_easy_setopt(c, CURLOPT_URL, smtp->url);
	/* A mistyped setting must not turn into a file:// or http:// fetch. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_path);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	/* no SIGALRM-based DNS timeouts: we run in a server thread */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 15 ? timeout : 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	if (smtp->user && *smtp->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, smtp->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, smtp->password ? smtp->password : "");
		/* never send a password in the clear: STARTTLS or smtps:// */
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	if (smtp->cancel) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, upload_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)smtp->cancel);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	CURLcode res = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (res == CURLE_OK)
		return true;
	/* a long curl message is cut: last_error is a hint, not a record */
	if (snprintf(err, err_len, "%s (smtp %ld)", *curl_err ? curl_err : curl_easy_strerror(res),
		     code) >= (int)err_len)
		err[err_len - 1] = 0;
	return false;
}

/* ---- the queue runner ------------------------------------------------ */

typedef struct Claimed {
	char *to, *subject, *body;
	int64_t created_at;
	int attempts;
	bool sealed; /* to a denouncer: the address is identity (vault.h) */
} Claimed;

static void claimed_release(Claimed *m)
{
	free(m->to);
	free(m->subject);
	free(m->body);
	memset(m, 0, sizeof *m);
}

/* Take message `id` for this run: count the attempt and hide the row from
 * other runners for `lease` seconds.  *got false when someone else took
 * it first. */
static Rc claim(Db *db, int64_t id, int64_t now, int64_t lease, Claimed *m, bool *got)
{
	*got = false;
	Rc rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?"
		    " WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?",
		    "lll", now + lease, id, now);
	if (!rc && db_changes(db) == 1) {
		DbStmt *st;
		rc = db_prep(db, &st,
			     "SELECT o.to_addr, o.subject, o.body, o.created_at, o.attempts,"
			     " coalesce(c.kind = 'denunciation', 0)"
			     " FROM outbox o LEFT JOIN cases c ON c.id = o.case_id WHERE o.id = ?",
			     "l", id);
		if (!rc) {
			int s = db_step(st);
			if (s == DB_ROW) {
				m->to = xstrdup(db_col_text(st, 0));
				m->subject = xstrdup(db_col_text(st, 1));
				m->body = xstrdup(db_col_text(st, 2));
				m->created_at = db_col_int(st, 3);
				m->attempts = (int)db_col_int(st, 4);
				m->sealed = db_col_int(st, 5) != 0;
				*got = true;
			} else if (s < 0) {
				rc = (Rc)-s;
			}
			db_done(st);
		}
	}
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		claimed_release(m);
		*got = false;
	}
	return rc;
}

/* Record the outcome of one attempt in its own transaction. */
static Rc settle(Db *db, int64_t id, const Claimed *m, bool ok, bool permanent, const char *err,
		 bool *gave_up)
{
	int64_t now = util_now();
	*gave_up = false;
	Rc rc = db_begin_write(db);
	if (rc)
		return rc;
	if (ok) {
		rc = db_run(db, "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = ''"
				" WHERE id = ?", "ll", now, id);
	} else if (permanent || m->attempts >= OUTBOX_MAX_ATTEMPTS) {
		*gave_up = true;
		rc = db_run(db, "UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?",
			    "tl", err, id);
	} else {
		/* 1, 2, 4 … minutes after attempt 1, 2, 3 … */
		int64_t delay = (int64_t)60 << (m->attempts > 0 ? m->attempts - 1 : 0);
		rc = db_run(db, "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
			    "ltl", now + delay, err, id);
	}
	/* A denouncer's address is part of their identity: once the message
	 * is settled for good, the record keeps that it was sent, not to whom. */
	if (!rc && m->sealed && (ok || permanent || m->attempts >= OUTBOX_MAX_ATTEMPTS))
		rc = db_run(db, "UPDATE outbox SET to_addr = ? WHERE id = ?", "tl", OUTBOX_SEALED_ADDR, id);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

Rc outbox_redact_case(Db *db, int64_t case_id)
{
	return db_run(db, "UPDATE outbox SET to_addr = ? WHERE case_id = ? AND state <> 'pending'", "tl",
		      OUTBOX_SEALED_ADDR, case_id);
}

/* The recipient's domain for the log; nothing for a denouncer, whose own
 * domain (a small firm, a family name) could point at them. */
static const char *domain_of(const Claimed *m)
{
	if (m->sealed)
		return OUTBOX_SEALED_ADDR;
	const char *addr = m->to;
	const char *at = strrchr(addr, '@');
	return at ? at + 1 : "";
}

Rc outbox_deliver(Db *db, const SmtpConfig *smtp, int max, int *sent, int *failed)
{
	int n_sent = 0, n_failed = 0;
	if (sent)
		*sent = 0;
	if (failed)
		*failed = 0;
	if (!smtp || !smtp->url || !*smtp->url)
		return RC_OK; /* delivery disabled: messages wait in the outbox */
	if (!outbox_address_valid(smtp->from))
		return RC_INVALID;
	if (db_in_tx(db))
		return RC_INTERNAL;
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_result != CURLE_OK)
		return RC_INTERNAL;
	if (max <= 0 || max > OUTBOX_MAX_BATCH)
		max = OUTBOX_MAX_BATCH;

	int64_t now = util_now();
	long timeout = smtp->timeout_s > 0 ? smtp->timeout_s : OUTBOX_DEFAULT_TIMEOUT_S;
	int64_t lease = 2 * (int64_t)timeout + 60;
	int64_t *ids = xcalloc((size_t)max, sizeof *ids);
	size_t n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
			" ORDER BY next_attempt_at, id LIMIT ?", "li", now, max);
	if (!rc) {
		int s;
		while ((s = db_step(st)) == DB_ROW && n < (size_t)max)
			ids[n++] = db_col_int(st, 0);
		if (s < 0)
			rc = (Rc)-s;
		db_done(st);
	}

	for (size_t i = 0; !rc && i < n; i++) {
		if (smtp->cancel && atomic_load(smtp->cancel))
			break;
		Claimed m = {0};
		bool got;
		if ((rc = claim(db, ids[i], util_now(), lease, &m, &got)) || !got)
			continue;
		char err[256] = "";
		bool ok = false, permanent = false;
		int64_t t0 = util_mono_ms();
		/* Rows are checked again here: they may come from an older
		 * version or straight from SQL, and a CR in a subject would
		 * still be a header injection.  Bad data never improves, so it
		 * fails at once instead of being retried. */
		if (!outbox_address_valid(m.to)) {
			xsnprintf(err, sizeof err, "invalid recipient address");
			permanent = true;
		} else if (!subject_valid(m.subject) || !body_valid(m.body)) {
			xsnprintf(err, sizeof err, "invalid subject or body");
			permanent = true;
		} else {
			Buf msg = BUF_INIT;
			outbox_format_message(&msg, ids[i], m.created_at, smtp->from, m.to, m.subject,
					      m.body);
			ok = smtp_send(smtp, m.to, &msg, err, sizeof err);
			buf_release(&msg);
		}
		bool gave_up;
		rc = settle(db, ids[i], &m, ok, permanent, err, &gave_up);
		int64_t ms = util_mono_ms() - t0;
		if (ok) {
			n_sent++;
			log_info("msg=\"mail sent\" outbox_id=%lld domain=\"%j\" attempt=%d ms=%lld",
				 (long long)ids[i], domain_of(&m), m.attempts, (long long)ms);
		} else {
			n_failed++;
			log_warn("msg=\"%s\" outbox_id=%lld domain=\"%j\" attempt=%d error=\"%j\"",
				 gave_up ? "mail failed for good" : "mail deferred", (long long)ids[i],
				 domain_of(&m), m.attempts, err);
		}
		claimed_release(&m);
	}
	free(ids);
	if (sent)
		*sent = n_sent;
	if (failed)
		*failed = n_failed;
	return rc;
}
