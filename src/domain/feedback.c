/*
 * feedback.c — readers' feedback: submission with spam defences,
 * moderation, public listing, conversion into a case.  See feedback.h.
 */
#include "feedback.h"
#include "case.h"
#include "outbox.h"
#include "portal_priv.h"
#include "../base/date.h"
#include "../base/text.h"

#define DUPLICATE_WINDOW (24 * 3600)
#define LIST_LIMIT_MAX 200

/* Problems (English message ids; Vietnamese in i18n_newsroom.def). */
#define P_NAME "Enter your name"
#define P_NAME_LONG "The name is too long (at most 150 characters)"
#define P_NAME_LINK "A name cannot contain a web address"
#define P_CONTENT_SHORT "Write at least 10 characters"
#define P_CONTENT_LONG "The feedback is too long (at most 5,000 characters)"
#define P_LINKS "At most 2 web addresses are allowed"
#define P_EMAIL "The e-mail address is not valid."
#define P_PHONE "The phone number is not valid"
#define P_ADDRESS_LONG "The address is too long (at most 300 characters)"
#define P_TEXT "The text is not valid"

typedef struct Checked {
	char *name, *email, *phone, *address, *content;
} Checked;

static void checked_release(Checked *c)
{
	free(c->name);
	free(c->email);
	free(c->phone);
	free(c->address);
	free(c->content);
}

static bool utf8_ok(const char *s)
{
	return !s || text_utf8_valid(s, strlen(s));
}

static const char *check(const FeedbackInput *in, Checked *c)
{
	memset(c, 0, sizeof *c);
	if (!utf8_ok(in->name) || !utf8_ok(in->email) || !utf8_ok(in->phone) ||
	    !utf8_ok(in->address) || !utf8_ok(in->content))
		return P_TEXT;
	c->name = portal_clean(in->name);
	c->email = portal_clean(in->email);
	c->phone = portal_clean(in->phone);
	c->address = portal_clean(in->address);
	c->content = portal_clean(in->content);
	if (!c->name)
		return P_NAME;
	if (text_length(c->name) > FEEDBACK_NAME_MAX)
		return P_NAME_LONG;
	if (portal_count_links(c->name))
		return P_NAME_LINK;
	size_t len = c->content ? text_length(c->content) : 0;
	if (len < FEEDBACK_CONTENT_MIN)
		return P_CONTENT_SHORT;
	if (len > FEEDBACK_CONTENT_MAX)
		return P_CONTENT_LONG;
	if (c->address && text_length(c->address) > FEEDBACK_ADDRESS_MAX)
		return P_ADDRESS_LONG;
	if (c->email && !outbox_address_valid(c->email))
		return P_EMAIL;
	if (c->phone && !case_phone_valid(c->phone))
		return P_PHONE;
	if (portal_count_links(c->content) + portal_count_links(c->address) > FEEDBACK_LINKS_MAX)
		return P_LINKS;
	return NULL;
}

Rc feedback_submit(Db *db, int64_t article_id, const FeedbackInput *in, int64_t *id,
		   const char **problem)
{
	const char *dummy;
	int64_t dummy_id;
	if (!problem)
		problem = &dummy;
	if (!id)
		id = &dummy_id;
	*problem = NULL;
	*id = 0;
	char status[16];
	int64_t publish_at = 0;
	Rc rc = portal_article_state(db, article_id, status, &publish_at);
	if (rc)
		return rc;
	if (!str_eq(status, "published") || publish_at > util_now())
		return RC_NOT_FOUND;
	Checked c;
	if ((*problem = check(in, &c))) {
		checked_release(&c);
		return RC_INVALID;
	}
	char hash[CRYPTO_HASH_HEX + 1];
	if (!portal_keyed_hash(db, "feedback", in->client ? in->client : "", hash)) {
		checked_release(&c);
		return RC_DB;
	}
	int64_t now = util_now(), recent = 0, same = 0;
	rc = db_get_int(db, &same, "SELECT id FROM feedback WHERE client_hash = ? AND article_id = ?"
				   " AND content = ? AND created_at > ? ORDER BY id DESC LIMIT 1",
			"tltl", hash, article_id, c.content, now - DUPLICATE_WINDOW);
	if (rc == RC_OK) { /* a double click: the first one is stored */
		checked_release(&c);
		*id = same;
		return RC_OK;
	}
	if (rc == RC_NOT_FOUND)
		rc = db_get_int(db, &recent, "SELECT count(*) FROM feedback WHERE client_hash = ?"
					     " AND created_at > ?", "tl", hash, now - 3600);
	if (!rc && recent >= FEEDBACK_PER_HOUR)
		rc = RC_LOCKED;
	bool bot = in->honeypot && *in->honeypot;
	if (!rc)
		rc = db_run(db, "INSERT INTO feedback (article_id, created_at, name, email, phone, address,"
				" content, status, client_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "lltttttt" "t", article_id, now, c.name, c.email ? c.email : "",
			    c.phone ? c.phone : "", c.address ? c.address : "", c.content,
			    bot ? "spam" : "pending", hash);
	if (!rc)
		*id = db_last_id(db);
	checked_release(&c);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

void feedback_release(Feedback *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->content);
	free(f->email);
	free(f->phone);
	free(f->address);
	free(f->article_title);
	free(f->moderator_name);
	memset(f, 0, sizeof *f);
}

void feedback_list_release(FeedbackList *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		feedback_release(&l->rows[i]);
	free(l->rows);
	memset(l, 0, sizeof *l);
}

/* Columns of the staff queries: f.id, f.article_id, f.created_at,
 * moderated_at, case_id, f.status, f.name, f.content, f.email, f.phone,
 * f.address, a.title, a.slug, moderator name, case code. */
static void staff_row(DbStmt *st, Feedback *f)
{
	memset(f, 0, sizeof *f);
	f->id = db_col_int(st, 0);
	f->article_id = db_col_int(st, 1);
	f->created_at = db_col_int(st, 2);
	f->moderated_at = db_col_int(st, 3);
	f->case_id = db_col_int(st, 4);
	xsnprintf(f->status, sizeof f->status, "%s", db_col_text(st, 5));
	f->name = xstrdup(db_col_text(st, 6));
	f->content = xstrdup(db_col_text(st, 7));
	f->email = xstrdup(db_col_text(st, 8));
	f->phone = xstrdup(db_col_text(st, 9));
	f->address = xstrdup(db_col_text(st, 10));
	f->article_title = xstrdup(db_col_text(st, 11));
	snprintf(f->article_slug, sizeof f->article_slug, "%s", db_col_text(st, 12));
	f->moderator_name = xstrdup(db_col_text(st, 13));
	snprintf(f->case_code, sizeof f->case_code, "%s", db_col_text(st, 14));
}

static int clamp(int limit)
{
	return limit < 1 ? 1 : limit > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : limit;
}

Rc feedback_public(Db *db, int64_t article_id, int limit, FeedbackList *out)
{
	memset(out, 0, sizeof *out);
	limit = clamp(limit);
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT f.id, f.created_at, f.name, f.content FROM feedback f"
		    " JOIN article a ON a.id = f.article_id"
		    " WHERE f.article_id = ?1 AND f.status = 'approved'"
		    " AND a.status = 'published' AND a.publish_at <= ?2"
		    " ORDER BY f.created_at DESC, f.id DESC LIMIT ?3",
		    "lli", article_id, util_now(), limit + 1))
		return RC_DB;
	out->rows = xcalloc((size_t)limit, sizeof *out->rows);
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (out->count == (size_t)limit) {
			out->more = true;
			break;
		}
		Feedback *f = &out->rows[out->count++];
		f->id = db_col_int(st, 0);
		f->article_id = article_id;
		f->created_at = db_col_int(st, 1);
		xsnprintf(f->status, sizeof f->status, "approved");
		f->name = xstrdup(db_col_text(st, 2));
		f->content = xstrdup(db_col_text(st, 3));
	}
	db_done(st);
	if (s < 0) {
		feedback_list_release(out);
		return (Rc)-s;
	}
	return RC_OK;
}

static bool status_valid(const char *s)
{
	return str_eq(s, "pending") || str_eq(s, "approved") || str_eq(s, "rejected") ||
	       str_eq(s, "spam");
}

Rc feedback_queue(Db *db, const Principal *who, const char *status, int limit, int offset,
		  FeedbackList *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & CAP_NEWS_PUBLISH))
		return RC_FORBIDDEN;
	if (!status)
		status = "pending";
	if (!status_valid(status))
		return RC_INVALID;
	limit = clamp(limit);
	if (offset < 0)
		offset = 0;
	/* Pending: oldest first, so nobody waits behind newer arrivals; the
	 * decided ones: most recent first, which is what one looks back for. */
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT f.id, f.article_id, f.created_at, coalesce(f.moderated_at, 0),"
		    " coalesce(f.case_id, 0), f.status, f.name, f.content, f.email, f.phone, f.address,"
		    " a.title, a.slug, coalesce(u.name, ''), coalesce(c.code, '')"
		    " FROM feedback f JOIN article a ON a.id = f.article_id"
		    " LEFT JOIN user u ON u.id = f.moderated_by LEFT JOIN cases c ON c.id = f.case_id"
		    " LEFT JOIN org o ON o.id = a.org_id LEFT JOIN unit ou ON ou.id = o.unit_id"
		    " WHERE f.status = ?1"
		    " AND (?4 = 0 OR a.org_id = ?5 OR ou.id = ?4 OR ou.province_id = ?4 OR ou.parent_id = ?4)"
		    " ORDER BY CASE WHEN ?1 = 'pending' THEN f.created_at ELSE -f.created_at END, f.id"
		    " LIMIT ?2 OFFSET ?3",
		    "tiill", status, limit + 1, offset, who->scope_unit_id, who->org_id))
		return RC_DB;
	out->rows = xcalloc((size_t)limit, sizeof *out->rows);
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (out->count == (size_t)limit) {
			out->more = true;
			break;
		}
		staff_row(st, &out->rows[out->count++]);
	}
	db_done(st);
	if (s < 0) {
		feedback_list_release(out);
		return (Rc)-s;
	}
	return RC_OK;
}

Rc feedback_count(Db *db, const Principal *who, const char *status, int64_t *n)
{
	*n = 0;
	if (!who || !(who->caps & CAP_NEWS_PUBLISH))
		return RC_FORBIDDEN;
	return db_get_int(db, n, "SELECT count(*) FROM feedback f JOIN article a ON a.id = f.article_id"
				 " LEFT JOIN org o ON o.id = a.org_id LEFT JOIN unit ou ON ou.id = o.unit_id"
				 " WHERE f.status = ?1 AND (?2 = 0 OR a.org_id = ?3 OR ou.id = ?2"
				 " OR ou.province_id = ?2 OR ou.parent_id = ?2)",
			  "tll", status, who->scope_unit_id, who->org_id);
}

Rc feedback_load(Db *db, const Principal *who, int64_t id, Feedback *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & CAP_NEWS_PUBLISH))
		return RC_FORBIDDEN;
	DbStmt *st;
	if (db_prep(db, &st,
		    "SELECT f.id, f.article_id, f.created_at, coalesce(f.moderated_at, 0),"
		    " coalesce(f.case_id, 0), f.status, f.name, f.content, f.email, f.phone, f.address,"
		    " a.title, a.slug, coalesce(u.name, ''), coalesce(c.code, '')"
		    " FROM feedback f JOIN article a ON a.id = f.article_id"
		    " LEFT JOIN user u ON u.id = f.moderated_by LEFT JOIN cases c ON c.id = f.case_id"
		    " WHERE f.id = ?", "l", id))
		return RC_DB;
	int s = db_step(st);
	if (s == DB_ROW)
		staff_row(st, out);
	db_done(st);
	Rc rc = s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	if (!rc && !portal_in_scope(db, who, out->article_id)) {
		feedback_release(out); /* another area's: as if there were none */
		rc = RC_NOT_FOUND;
	}
	return rc;
}

/* ---- moderation ------------------------------------------------------------ */

Rc feedback_moderate(Db *db, const Principal *who, int64_t id, const char *decision)
{
	const char *to = str_eq(decision, "approve") ? "approved"
		       : str_eq(decision, "reject")  ? "rejected"
		       : str_eq(decision, "spam")    ? "spam" : NULL;
	if (!to)
		return RC_INVALID;
	if (!who || !(who->caps & CAP_NEWS_PUBLISH))
		return RC_FORBIDDEN;
	Feedback f;
	Rc rc = feedback_load(db, who, id, &f); /* the area check */
	if (rc)
		return rc;
	char *from = xstrdup(f.status);
	feedback_release(&f);
	if (str_eq(from, to)) {
		free(from);
		return RC_OK;
	}
	rc = db_run(db, "UPDATE feedback SET status = ?, moderated_by = nullif(?, 0), moderated_at = ?"
			" WHERE id = ?", "tlll", to, who->id, util_now(), id);
	if (!rc) {
		char detail[48];
		xsnprintf(detail, sizeof detail, "%s→%s", from, to);
		char action[32];
		xsnprintf(action, sizeof action, "feedback.%s", decision);
		rc = portal_audit(db, who, action, "feedback", id, detail);
	}
	free(from);
	return rc;
}

/* "Phản hồi về bài viết: <title>", cut to CASE_TITLE_MAX characters. */
static char *case_title(const char *article_title)
{
	static const char prefix[] = "Phản hồi về bài viết: ";
	Buf b = BUF_INIT;
	buf_puts(&b, prefix);
	size_t room = CASE_TITLE_MAX - text_length(prefix);
	if (text_length(article_title) <= room) {
		buf_puts(&b, article_title);
	} else {
		size_t chars = 0, i = 0;
		for (; article_title[i]; i++) {
			if (((unsigned char)article_title[i] & 0xC0) == 0x80)
				continue;
			if (chars == room - 1)
				break;
			chars++;
		}
		buf_append(&b, article_title, i);
		buf_puts(&b, "…");
	}
	return buf_detach(&b, NULL);
}

Rc feedback_to_case(Db *db, const Principal *who, int64_t id, CaseCreated *out,
		    const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	memset(out, 0, sizeof *out);
	Feedback f;
	Rc rc = feedback_load(db, who, id, &f);
	if (rc)
		return rc;
	if (f.case_id || str_eq(f.status, "spam")) {
		feedback_release(&f);
		return RC_CONFLICT;
	}
	char *title = case_title(f.article_title);
	Buf content = BUF_INIT;
	Buf day = BUF_INIT;
	date_format_vi_short(&day, date_vn_from_unix(f.created_at));
	buf_printf(&content, "%s\n\n(Gửi qua mục Phản hồi dưới bài viết \"%s\" ngày %s.)", f.content,
		   f.article_title, buf_cstr(&day));
	int64_t org = 0;
	rc = db_get_int(db, &org, "SELECT coalesce(org_id, 0) FROM article WHERE id = ?", "l",
			f.article_id);
	if (rc) {
		feedback_release(&f);
		return rc;
	}
	bool contact = *f.email || *f.phone || *f.address;
	CaseIntake in = {
		.kind = KIND_PETITION,
		.channel = "web",
		.title = title,
		.content = buf_cstr(&content),
		.anonymous = !contact,
		.name = f.name,
		.address = *f.address ? f.address : NULL,
		.phone = *f.phone ? f.phone : NULL,
		.email = *f.email ? f.email : NULL,
		/* received by the organisation whose article it answers, so the
		 * case lands in the moderator's own area */
		.receiving_org_id = org,
	};
	/* The citizen wrote it on the public site: it is their web submission
	 * (actor NULL, channel "web", received today), which also lets a
	 * moderator who is not a reception officer hand it to the desk; the
	 * conversion itself is audited below under the moderator's name. */
	rc = case_intake(db, NULL, &in, out, problem);
	if (!rc)
		rc = db_run(db, "UPDATE feedback SET case_id = ? WHERE id = ?", "ll", out->id, id);
	if (!rc) {
		char detail[48];
		xsnprintf(detail, sizeof detail, "case=%s", out->code);
		rc = portal_audit(db, who, "feedback.case", "feedback", id, detail);
	}
	free(title);
	buf_release(&content);
	buf_release(&day);
	feedback_release(&f);
	return rc;
}
