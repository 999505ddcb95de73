/*
 * article_share.c — "Gửi cho bạn bè": a visitor e-mails a public article
 * to someone through the outbox (see article_share in article.h).
 *
 * A form that sends mail to any address is a spam relay unless it is
 * bounded, so: the visitor's own words are short and may carry no link;
 * the only link in the message is the article's own, which the caller
 * builds from the configured site address; and sends are counted per
 * client per hour and per recipient per day in article_share, by keyed
 * hashes (HMAC with the server secret) so neither the visitor's address
 * nor a second copy of the recipient's is kept.  The recipient's address
 * is in the outbox row, which is the record of what was sent.
 */
#include "portal_priv.h"
#include "outbox.h"
#include "../base/text.h"

#include <ctype.h>

#define FROM_NAME_MAX 100   /* characters */
#define MESSAGE_MAX 500
#define SUBJECT_TITLE_MAX 120

#define P_TO "The e-mail address is not valid."
#define P_FROM "Enter your name"
#define P_FROM_LONG "The name is too long (at most 100 characters)"
#define P_MESSAGE_LONG "The message is too long (at most 500 characters)"
#define P_MESSAGE_LINK "The message cannot contain web addresses"
#define P_TEXT "The text is not valid"

/* Cut s to at most max code points, with "…" when cut. */
static void put_cut(Buf *b, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	if (text_length(s) <= max) {
		buf_puts(b, s);
		return;
	}
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars + 1 == max)
			break;
		chars++;
	}
	buf_append(b, s, i);
	buf_puts(b, "…");
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static bool link_ok(const char *link)
{
	if (!link || !(str_starts(link, "https://") || str_starts(link, "http://")))
		return false;
	for (const unsigned char *p = (const unsigned char *)link; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
			return false;
	return strlen(link) < 2000;
}

Rc article_share(Db *db, int64_t article_id, const char *to, const char *from_name,
		 const char *message, const char *link, const char *client, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	if (!link_ok(link))
		return RC_INTERNAL; /* the caller's bug, not the visitor's */
	Article a;
	Rc rc = article_load(db, article_id, true, &a);
	if (rc)
		return rc;
	char *name = portal_clean(from_name);
	char *note = portal_clean(message);
	char *addr = portal_clean(to);
	if ((from_name && !text_utf8_valid(from_name, strlen(from_name))) ||
	    (message && !text_utf8_valid(message, strlen(message))))
		*problem = P_TEXT;
	else if (!addr || !outbox_address_valid(addr))
		*problem = P_TO;
	else if (!name)
		*problem = P_FROM;
	else if (text_length(name) > FROM_NAME_MAX)
		*problem = P_FROM_LONG;
	else if (has_control(name))
		*problem = P_TEXT; /* the name goes into the Subject header */
	else if (note && text_length(note) > MESSAGE_MAX)
		*problem = P_MESSAGE_LONG;
	else if (note && portal_count_links(note))
		*problem = P_MESSAGE_LINK;
	if (*problem) {
		rc = RC_INVALID;
		goto done;
	}
	/* One recipient whatever the case of the address's letters. */
	for (char *p = addr; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char client_hash[CRYPTO_HASH_HEX + 1], to_hash[CRYPTO_HASH_HEX + 1];
	if (!portal_keyed_hash(db, "share", client ? client : "", client_hash) ||
	    !portal_keyed_hash(db, "share-to", addr, to_hash)) {
		rc = RC_DB;
		goto done;
	}
	int64_t now = util_now(), by_client = 0, to_addr = 0;
	rc = db_get_int(db, &by_client, "SELECT count(*) FROM article_share WHERE client_hash = ?"
					" AND created_at > ?", "tl", client_hash, now - 3600);
	if (!rc)
		rc = db_get_int(db, &to_addr, "SELECT count(*) FROM article_share WHERE to_hash = ?"
					      " AND created_at > ?", "tl", to_hash, now - 86400);
	if (!rc && (by_client >= ARTICLE_SHARE_PER_HOUR || to_addr >= ARTICLE_SHARE_PER_DAY_TO))
		rc = RC_LOCKED;
	if (rc)
		goto done;

	/* Vietnamese first, English after: the domain has no reader language
	 * for the recipient, and the portal's readers are Vietnamese. */
	Buf subject = BUF_INIT, body = BUF_INIT;
	buf_printf(&subject, "%s gửi bạn bài viết: ", name);
	put_cut(&subject, a.title, SUBJECT_TITLE_MAX);
	buf_printf(&body, "%s muốn chia sẻ với bạn bài viết sau:\n\n%s\n", name, a.title);
	if (*a.lead)
		buf_printf(&body, "\n%s\n", a.lead);
	buf_printf(&body, "\nĐọc toàn bài: %s\n", link);
	if (note)
		buf_printf(&body, "\nLời nhắn của %s:\n%s\n", name, note);
	buf_printf(&body, "\n--\nBạn nhận được thư này vì một người đọc đã nhập địa chỉ của bạn"
			  " vào mục \"Gửi cho bạn bè\". Địa chỉ của bạn không được dùng vào việc khác.\n"
			  "You received this because a reader entered your address to share an article"
			  " with you (%s).\n", link);
	rc = outbox_queue(db, addr, buf_cstr(&subject), buf_cstr(&body), 0);
	if (rc == RC_INVALID || rc == RC_TOO_LARGE) {
		*problem = P_TEXT;
		rc = RC_INVALID;
	}
	if (!rc)
		rc = db_run(db, "INSERT INTO article_share (article_id, created_at, client_hash, to_hash)"
				" VALUES (?, ?, ?, ?)", "llt" "t", article_id, now, client_hash, to_hash);
	buf_release(&subject);
	buf_release(&body);
done:
	free(name);
	free(note);
	free(addr);
	article_release(&a);
	return rc;
}
