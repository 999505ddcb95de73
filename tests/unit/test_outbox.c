/*
 * test_outbox.c — the e-mail outbox (domain/outbox.h): address checks,
 * refusal of header injection and oversized messages, the RFC 5322 text
 * that goes on the wire, and the retry schedule against an SMTP address
 * where nothing listens.  The real SMTP round trip (libcurl talking to a
 * server) is tested from node: tests/http/outbox.test.mjs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/text.h"
#include "domain/outbox.h"
#include "store/schema.h"

static char dir[64];
static Db *db;

/* nothing listens on port 1: connections are refused at once */
static const SmtpConfig dead = {"smtp://127.0.0.1:1", "danvan@example.org", NULL, NULL, 5, NULL};

static int setup(void **state)
{
	(void)state;
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-outbox-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count_outbox(void)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM outbox", ""), RC_OK);
	return n;
}

static int64_t col_int(const char *what, int64_t id)
{
	int64_t v = -1;
	if (str_eq(what, "attempts"))
		assert_int_equal(db_get_int(db, &v, "SELECT attempts FROM outbox WHERE id = ?", "l", id), RC_OK);
	else if (str_eq(what, "next"))
		assert_int_equal(db_get_int(db, &v, "SELECT next_attempt_at FROM outbox WHERE id = ?", "l", id),
				 RC_OK);
	else
		fail_msg("unknown column %s", what);
	return v;
}

static char *state_of(int64_t id)
{
	char *s = NULL;
	assert_int_equal(db_get_text(db, &s, "SELECT state FROM outbox WHERE id = ?", "l", id), RC_OK);
	return s;
}

static void assert_state(int64_t id, const char *want)
{
	char *s = state_of(id);
	assert_string_equal(s, want);
	free(s);
}

/* ---- addresses ------------------------------------------------------ */

static void test_address_table(void **state)
{
	(void)state;
	static const struct {
		const char *addr;
		bool ok;
	} cases[] = {
		{"nhung@example.vn", true},
		{"ban.dan-van+tiep.nhan@tinh-q.gov.vn", true},
		{"a_b@x.y.z.example.org", true},
		{"o'brien@example.com", true},
		{"x@mail.example.com", true},
		{"", false},
		{"plain", false},
		{"@example.vn", false},
		{"nhung@", false},
		{"nhung@localhost", false},           /* no dot in the domain */
		{"nhung@@example.vn", false},
		{"a@b@example.vn", false},
		{"nhung @example.vn", false},
		{"nhung@exa mple.vn", false},
		{"nhung@example.vn\r\nBcc: x@evil.example", false},
		{"nhung@example.vn\n", false},
		{"<nhung@example.vn>", false},
		{"Nhung <nhung@example.vn>", false},
		{"nhung@example.vn>", false},
		{"a,b@example.vn", false},
		{"a;b@example.vn", false},
		{"\"quoted\"@example.vn", false},
		{"nhung@.example.vn", false},
		{"nhung@example..vn", false},
		{"nhung@example.vn.", false},
		{"nhung@-example.vn", false},
		{"nhung@example-.vn", false},
		{".nhung@example.vn", false},
		{"nhung.@example.vn", false},
		{"nh..ung@example.vn", false},
		{"nhung@exam_ple.vn", false},
		{"nhưng@example.vn", false},           /* non-ASCII: needs SMTPUTF8 */
		{"nhung@ví-dụ.vn", false},
		{"nh\tung@example.vn", false},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (outbox_address_valid(cases[i].addr) != cases[i].ok)
			fail_msg("outbox_address_valid(\"%s\") should be %s", cases[i].addr,
				 cases[i].ok ? "true" : "false");
	}
	assert_false(outbox_address_valid(NULL));

	/* 254 bytes is the limit: "x@" + 63 + "." + 63 + "." + 63 + "." + 57 + ".vn" */
	Buf a = BUF_INIT;
	buf_puts(&a, "x@");
	for (int i = 0; i < 3; i++)
		buf_printf(&a, "%s.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	buf_printf(&a, "%s.vn", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_int_equal(a.len, 254);
	assert_true(outbox_address_valid(buf_cstr(&a)));
	buf_reset(&a);
	buf_puts(&a, "xy@");
	for (int i = 0; i < 3; i++)
		buf_printf(&a, "%s.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	buf_printf(&a, "%s.vn", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_int_equal(a.len, 255);
	assert_false(outbox_address_valid(buf_cstr(&a)));
	/* a 64-character label is one too many */
	buf_reset(&a);
	buf_printf(&a, "x@%s.vn", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_true(outbox_address_valid(buf_cstr(&a)));
	buf_reset(&a);
	buf_printf(&a, "x@%s.vn", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_false(outbox_address_valid(buf_cstr(&a)));
	buf_release(&a);
}

/* ---- queueing ------------------------------------------------------- */

static void test_queue_and_header_injection(void **state)
{
	(void)state;
	int64_t before = count_outbox();
	assert_int_equal(outbox_queue(db, "nhung@example.vn", "Đơn của bạn đã được tiếp nhận",
				      "Kính gửi ông/bà,\nĐơn đã được tiếp nhận.\n", 0),
			 RC_OK);
	assert_int_equal(count_outbox(), before + 1);
	int64_t id = db_last_id(db);
	assert_state(id, "pending");
	assert_int_equal(col_int("attempts", id), 0);
	assert_true(col_int("next", id) <= util_now());

	static const char *const bad_subjects[] = {
		"Đơn đã tiếp nhận\r\nBcc: everyone@evil.example",
		"Đơn đã tiếp nhận\nBcc: everyone@evil.example",
		"Đơn đã tiếp nhận\r",
		"tab\tis a control too",
		"escape \x1b[31m",
		"",
		"not UTF-8 \xC3\x28",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad_subjects); i++)
		assert_int_equal(outbox_queue(db, "nhung@example.vn", bad_subjects[i], "body", 0),
				 RC_INVALID);
	/* recipient injection */
	assert_int_equal(outbox_queue(db, "nhung@example.vn\r\nRCPT TO:<x@evil.example>", "s", "b", 0),
			 RC_INVALID);
	assert_int_equal(outbox_queue(db, "nhung@example.vn", "s", "bad \xff body", 0), RC_INVALID);
	assert_int_equal(outbox_queue(db, NULL, "s", "b", 0), RC_INVALID);
	assert_int_equal(count_outbox(), before + 1);
}

static void test_queue_size_caps(void **state)
{
	(void)state;
	int64_t before = count_outbox();
	/* 200 characters of two bytes each pass; 201 do not */
	Buf s = BUF_INIT;
	for (int i = 0; i < OUTBOX_SUBJECT_MAX; i++)
		buf_puts(&s, "ơ");
	assert_int_equal(outbox_queue(db, "a@example.vn", buf_cstr(&s), "b", 0), RC_OK);
	buf_puts(&s, "ơ");
	assert_int_equal(outbox_queue(db, "a@example.vn", buf_cstr(&s), "b", 0), RC_TOO_LARGE);
	buf_release(&s);

	Buf b = BUF_INIT;
	for (int i = 0; i < OUTBOX_BODY_MAX; i++)
		buf_puts(&b, i % 80 == 79 ? "\n" : "ệ");
	assert_int_equal(outbox_queue(db, "a@example.vn", "s", buf_cstr(&b), 0), RC_OK);
	buf_puts(&b, "x");
	assert_int_equal(outbox_queue(db, "a@example.vn", "s", buf_cstr(&b), 0), RC_TOO_LARGE);
	buf_release(&b);
	assert_int_equal(count_outbox(), before + 2);
	/* tidy: these two are not for the delivery tests */
	assert_int_equal(db_run(db, "DELETE FROM outbox", ""), RC_OK);
}

/* ---- the message text ----------------------------------------------- */

/* Decode the RFC 2047 words of a Subject header value back to UTF-8. */
static char *decode_subject(const char *v)
{
	Buf out = BUF_INIT;
	const char *p = v;
	while ((p = strstr(p, "=?UTF-8?B?"))) {
		p += 10;
		const char *end = strstr(p, "?=");
		assert_non_null(end);
		unsigned char bin[200];
		size_t n = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof bin, p, (size_t)(end - p), NULL, &n, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* every word holds whole characters */
		assert_true(text_utf8_valid((const char *)bin, n));
		buf_append(&out, bin, n);
		p = end + 2;
	}
	return buf_detach(&out, NULL);
}

static void test_format_message(void **state)
{
	(void)state;
	const char *subject = "Đơn của bạn đã được tiếp nhận — mã TCAA-0000-01, "
			      "xin vui lòng theo dõi trên cổng thông tin";
	const char *body = "Kính gửi ông/bà,\n\nĐơn của bạn đã được tiếp nhận.\r\n.dòng bắt đầu bằng dấu chấm\n";
	Buf m = BUF_INIT;
	outbox_format_message(&m, 42, 1780000000, "danvan@example.org", "nhung@example.vn", subject,
			      body);
	const char *t = buf_cstr(&m);

	/* CRLF everywhere, no bare CR or LF, header lines within 78 */
	const char *hdr_end = strstr(t, "\r\n\r\n");
	assert_non_null(hdr_end);
	for (size_t i = 0; i < m.len; i++) {
		if (t[i] == '\n')
			assert_true(i > 0 && t[i - 1] == '\r');
		if (t[i] == '\r')
			assert_true(t[i + 1] == '\n');
	}
	for (const char *line = t; line < hdr_end;) {
		const char *e = strstr(line, "\r\n");
		assert_true(e - line <= 78);
		line = e + 2;
	}
	assert_non_null(strstr(t, "From: danvan@example.org\r\n"));
	assert_non_null(strstr(t, "To: nhung@example.vn\r\n"));
	assert_non_null(strstr(t, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(t, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(t, "Content-Transfer-Encoding: base64\r\n"));
	assert_non_null(strstr(t, "Message-ID: <danvan.42.1780000000@example.org>\r\n"));
	/* 1780000000 = 2026-05-28 20:26:40 UTC = 2026-05-29 03:26:40 in Vietnam */
	assert_non_null(strstr(t, "Date: Fri, 29 May 2026 03:26:40 +0700\r\n"));

	/* the subject decodes back exactly */
	const char *sh = strstr(t, "Subject: ");
	assert_non_null(sh);
	char *value = xstrndup(sh + 9, (size_t)(strstr(sh, "\r\nMessage-ID") - sh - 9));
	assert_null(strstr(value, "Đơn")); /* no raw UTF-8 in a header */
	char *decoded = decode_subject(value);
	assert_string_equal(decoded, subject);
	free(decoded);
	free(value);

	/* the body decodes back, with CRLF line endings */
	Buf b64 = BUF_INIT;
	for (const char *p = hdr_end + 4; *p; p++)
		if (*p != '\r' && *p != '\n')
			buf_putc(&b64, *p);
	unsigned char bin[1024];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(bin, sizeof bin, b64.data, b64.len, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	buf_release(&b64);
	const char *want = "Kính gửi ông/bà,\r\n\r\nĐơn của bạn đã được tiếp nhận.\r\n"
			   ".dòng bắt đầu bằng dấu chấm\r\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(bin, want, n);
	buf_release(&m);

	/* plain ASCII stays readable: 7bit, subject as it is */
	outbox_format_message(&m, 7, 1780000000, "danvan@example.org", "a@example.vn", "Receipt",
			      "Hello\nworld");
	t = buf_cstr(&m);
	assert_non_null(strstr(t, "Subject: Receipt\r\n"));
	assert_non_null(strstr(t, "Content-Transfer-Encoding: 7bit\r\n\r\nHello\r\nworld\r\n"));
	buf_release(&m);

	/* an ASCII subject that looks like an encoded word is encoded */
	outbox_format_message(&m, 8, 1780000000, "danvan@example.org", "a@example.vn",
			      "=?UTF-8?B?SGk=?=", "x");
	assert_null(strstr(buf_cstr(&m), "Subject: =?UTF-8?B?SGk=?=\r\n"));
	buf_release(&m);
}

/* ---- delivery and retries ------------------------------------------- */

static void test_deliver_disabled_and_in_transaction(void **state)
{
	(void)state;
	assert_int_equal(outbox_queue(db, "nhung@example.vn", "Thông báo", "Nội dung", 0), RC_OK);
	int64_t id = db_last_id(db);
	int sent = -1, failed = -1;
	SmtpConfig off = {0};
	assert_int_equal(outbox_deliver(db, &off, 10, &sent, &failed), RC_OK);
	assert_int_equal(sent, 0);
	assert_int_equal(failed, 0);
	assert_int_equal(outbox_deliver(db, NULL, 10, &sent, &failed), RC_OK);
	assert_int_equal(col_int("attempts", id), 0);

	/* no network while holding the write lock */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(outbox_deliver(db, &dead, 10, &sent, &failed), RC_INTERNAL);
	assert_int_equal(db_rollback(db), RC_OK);
	/* a sender that is not an address */
	SmtpConfig bad_from = dead;
	bad_from.from = "danvan";
	assert_int_equal(outbox_deliver(db, &bad_from, 10, &sent, &failed), RC_INVALID);
	assert_int_equal(col_int("attempts", id), 0);
	assert_int_equal(db_run(db, "DELETE FROM outbox", ""), RC_OK);
}

static void test_unreachable_backs_off_then_fails(void **state)
{
	(void)state;
	const char *secret_body = "Nội dung mật: đừng ghi vào nhật ký";
	assert_int_equal(outbox_queue(db, "nhung.private@example.vn", "Thông báo hạn xử lý", secret_body,
				      0),
			 RC_OK);
	int64_t id = db_last_id(db);

	/* capture the log lines (stderr) of the delivery runs */
	char log_path[128];
	xsnprintf(log_path, sizeof log_path, "%s/log.txt", dir);
	int saved = dup(STDERR_FILENO);
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);

	int sent = -1, failed = -1;
	for (int attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
		int64_t t0 = util_now();
		assert_int_equal(outbox_deliver(db, &dead, 10, &sent, &failed), RC_OK);
		int64_t t1 = util_now();
		assert_int_equal(sent, 0);
		assert_int_equal(failed, 1);
		assert_int_equal(col_int("attempts", id), attempt);
		char *last_error = NULL;
		assert_int_equal(db_get_text(db, &last_error, "SELECT last_error FROM outbox WHERE id = ?",
					     "l", id),
				 RC_OK);
		assert_true(strlen(last_error) > 0);
		free(last_error);
		if (attempt < OUTBOX_MAX_ATTEMPTS) {
			assert_state(id, "pending");
			/* 1, 2, 4 … minutes */
			int64_t delay = (int64_t)60 << (attempt - 1);
			int64_t next = col_int("next", id);
			assert_true(next >= t0 + delay && next <= t1 + delay);
			/* not due yet: a second run right now leaves it alone */
			assert_int_equal(outbox_deliver(db, &dead, 10, &sent, &failed), RC_OK);
			assert_int_equal(failed, 0);
			assert_int_equal(col_int("attempts", id), attempt);
			/* pretend the back-off has passed */
			assert_int_equal(db_run(db, "UPDATE outbox SET next_attempt_at = 0 WHERE id = ?", "l",
						id),
					 RC_OK);
		} else {
			assert_state(id, "failed");
		}
	}
	/* failed for good: never tried again */
	assert_int_equal(db_run(db, "UPDATE outbox SET next_attempt_at = 0 WHERE id = ?", "l", id),
			 RC_OK);
	assert_int_equal(outbox_deliver(db, &dead, 10, &sent, &failed), RC_OK);
	assert_int_equal(failed, 0);
	assert_int_equal(col_int("attempts", id), OUTBOX_MAX_ATTEMPTS);

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	char *log = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(log_path, 1 << 20, &log, &len), RC_OK);
	/* the log names the id and the domain, never the body, subject or address */
	assert_non_null(strstr(log, "domain=\"example.vn\""));
	assert_non_null(strstr(log, "mail failed for good"));
	assert_null(strstr(log, "nhung.private"));
	assert_null(strstr(log, "Nội dung"));
	assert_null(strstr(log, "Thông báo"));
	free(log);
}

static void test_bad_rows_fail_at_once(void **state)
{
	(void)state;
	/* a row written around outbox_queue (older version, manual SQL) */
	int64_t now = util_now();
	assert_int_equal(db_run(db, "INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at)"
				    " VALUES (?, 'a@example.vn', ?, 'b', 0)",
				"lt", now, "Subject\r\nBcc: all@evil.example"),
			 RC_OK);
	int64_t id = db_last_id(db);
	int sent = -1, failed = -1;
	assert_int_equal(outbox_deliver(db, &dead, 10, &sent, &failed), RC_OK);
	assert_int_equal(failed, 1);
	assert_state(id, "failed");
	assert_int_equal(col_int("attempts", id), 1);
}

static void test_denouncer_address_sealed(void **state)
{
	(void)state;
	int64_t now = util_now();
	assert_int_equal(db_run(db, "INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
				    " updated_at, title, content, search_key)"
				    " VALUES ('TCAA-0000-09', 'denunciation', 'received', 'web', '2026-03-02', ?, ?,"
				    " 't', 'c', 'k')",
				"ll", now, now),
			 RC_OK);
	int64_t case_id = db_last_id(db);
	assert_int_equal(outbox_queue(db, "to.cao@ho-nguyen-van.vn", "Đã tiếp nhận đơn", "Mã theo dõi",
				      case_id),
			 RC_OK);
	int64_t id = db_last_id(db);
	/* the last attempt: it fails for good, and the address goes */
	assert_int_equal(db_run(db, "UPDATE outbox SET attempts = ? WHERE id = ?", "il",
				OUTBOX_MAX_ATTEMPTS - 1, id),
			 RC_OK);

	char log_path[128];
	xsnprintf(log_path, sizeof log_path, "%s/log2.txt", dir);
	int saved = dup(STDERR_FILENO);
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	int sent = -1, failed = -1;
	Rc rc = outbox_deliver(db, &dead, 10, &sent, &failed);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(rc, RC_OK);
	assert_int_equal(failed, 1);
	assert_state(id, "failed");
	char *to = NULL;
	assert_int_equal(db_get_text(db, &to, "SELECT to_addr FROM outbox WHERE id = ?", "l", id), RC_OK);
	assert_string_equal(to, OUTBOX_SEALED_ADDR);
	free(to);
	char *log = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(log_path, 1 << 20, &log, &len), RC_OK);
	assert_non_null(strstr(log, "mail failed for good"));
	assert_null(strstr(log, "ho-nguyen-van"));
	free(log);

	/* a case that becomes a denunciation later: settled rows are redacted,
	 * pending ones keep their address until they settle */
	assert_int_equal(db_run(db, "INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
				    " updated_at, title, content, search_key)"
				    " VALUES ('KNAA-0000-10', 'petition', 'received', 'web', '2026-03-02', ?, ?,"
				    " 't', 'c', 'k')",
				"ll", now, now),
			 RC_OK);
	int64_t other = db_last_id(db);
	assert_int_equal(outbox_queue(db, "an@example.vn", "Một", "x", other), RC_OK);
	int64_t done_id = db_last_id(db);
	assert_int_equal(outbox_queue(db, "an@example.vn", "Hai", "x", other), RC_OK);
	int64_t pending_id = db_last_id(db);
	assert_int_equal(db_run(db, "UPDATE outbox SET state = 'sent' WHERE id = ?", "l", done_id), RC_OK);
	assert_int_equal(outbox_redact_case(db, other), RC_OK);
	assert_int_equal(db_get_text(db, &to, "SELECT to_addr FROM outbox WHERE id = ?", "l", done_id), RC_OK);
	assert_string_equal(to, OUTBOX_SEALED_ADDR);
	free(to);
	assert_int_equal(db_get_text(db, &to, "SELECT to_addr FROM outbox WHERE id = ?", "l", pending_id),
			 RC_OK);
	assert_string_equal(to, "an@example.vn");
	free(to);
	assert_int_equal(db_run(db, "DELETE FROM outbox WHERE case_id = ?", "l", other), RC_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_table),
		cmocka_unit_test(test_queue_and_header_injection),
		cmocka_unit_test(test_queue_size_caps),
		cmocka_unit_test(test_format_message),
		cmocka_unit_test(test_deliver_disabled_and_in_transaction),
		cmocka_unit_test(test_unreachable_backs_off_then_fails),
		cmocka_unit_test(test_bad_rows_fail_at_once),
		cmocka_unit_test(test_denouncer_address_sealed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
