/*
 * case_reply.c — talking with the citizen: replies (shown on the tracking
 * page and e-mailed when an address is known), internal notes, and the
 * citizen's side by tracking code: adding information, rating the
 * answer, appealing where the law allows.
 *
 * Replies to denunciations are never e-mailed, and neither is anything
 * about a case whose identity is sealed: the address is itself identity,
 * and a message left in a shared or watched mailbox can expose the
 * denouncer (Law 25/2018 Art. 8, 56).  The denouncer reads replies on the
 * tracking page with the code only they hold.
 */
#include "case_priv.h"
#include "deadline.h"
#include "outbox.h"
#include "../base/text.h"

#define RATING_NOTE_MAX 1000

#define P_APPEAL_KIND "Only a complaint or a denunciation can be appealed"
#define P_APPEAL_LATE "The time limit for a second complaint has passed"

/* Trimmed copy when 1..max characters, else NULL. */
static char *text_ok(const char *s, size_t max)
{
	if (!s)
		return NULL;
	char *t = text_trim(xstrdup(s));
	if (!*t || text_length(t) > max) {
		free(t);
		return NULL;
	}
	return t;
}

/* The reply by e-mail, when the case has a clear address.  The reply is
 * for the citizen, so it is the body; the case's content is not. */
static Rc mail_reply(Db *db, const CaseCore *c, const char *text)
{
	if (c->kind == KIND_DENUNCIATION || c->sealed || c->anonymous || !c->has_email)
		return RC_OK;
	char *to = NULL;
	Rc rc = db_get_text(db, &to, "SELECT citizen_email FROM cases WHERE id = ?", "l", c->id);
	if (rc)
		return rc;
	Buf subject = BUF_INIT, body = BUF_INIT;
	buf_printf(&subject, "Trả lời đơn — mã theo dõi %s", c->code);
	buf_printf(&body,
		   "%s\n\n"
		   "—\n"
		   "Mã tra cứu: %s. Ông/bà có thể xem toàn bộ quá trình giải quyết, bổ sung thông tin"
		   " hoặc đánh giá kết quả trên trang \"Tra cứu hồ sơ\".\n"
		   "Tracking code: %s. The case tracking page shows the whole history.\n",
		   text, c->code, c->code);
	rc = outbox_address_valid(to) ? outbox_queue(db, to, buf_cstr(&subject), buf_cstr(&body), c->id)
				       : RC_OK;
	free(to);
	buf_release(&subject);
	buf_release(&body);
	return rc;
}

/* Load, scope and capability for staff. */
static Rc staff_case(Db *db, const Principal *who, int64_t id, uint32_t caps, CaseCore *c)
{
	if (!who || !(who->caps & caps))
		return RC_FORBIDDEN;
	Rc rc = case_core_load(db, id, c);
	if (rc)
		return rc;
	return case_in_area(db, who, c) ? RC_OK : RC_NOT_FOUND;
}

static Rc post(Db *db, const Principal *who, const CaseCore *c, const char *action,
	       const char *text, const char *visibility)
{
	Rc rc = case_event_add(db, c->id, who,
			       &(CaseEventIn){.action = action, .note = text, .visibility = visibility},
			       NULL);
	if (!rc)
		rc = case_touch(db, c->id);
	if (!rc)
		rc = case_audit(db, who, action, c, c->code);
	return rc;
}

Rc case_reply(Db *db, const Principal *who, int64_t id, const char *text)
{
	CaseCore c;
	Rc rc = staff_case(db, who, id, CAP_CASE_RECEIVE | CAP_CASE_HANDLE, &c);
	if (rc)
		return rc;
	if (str_eq(c.status, "archived"))
		return RC_CONFLICT;
	char *t = text_ok(text, CASE_TEXT_MAX);
	if (!t)
		return RC_INVALID;
	rc = post(db, who, &c, "reply", t, "citizen");
	if (!rc)
		rc = mail_reply(db, &c, t);
	free(t);
	return rc;
}

Rc case_note(Db *db, const Principal *who, int64_t id, const char *text)
{
	CaseCore c;
	Rc rc = staff_case(db, who, id, CASE_ANY_CAP, &c);
	if (rc)
		return rc;
	char *t = text_ok(text, CASE_TEXT_MAX);
	if (!t)
		return RC_INVALID;
	rc = post(db, who, &c, "note", t, "internal");
	free(t);
	return rc;
}

/* ---- the citizen's side ----------------------------------------------------- */

static Rc citizen_case(Db *db, const char *code, CaseCore *c)
{
	char norm[CASE_CODE_LEN + 1];
	if (!case_code_parse(code, norm))
		return RC_NOT_FOUND;
	return case_core_by_code(db, norm, c);
}

Rc case_citizen_add(Db *db, const char *code, const char *text)
{
	CaseCore c;
	Rc rc = citizen_case(db, code, &c);
	if (rc)
		return rc;
	if (str_eq(c.status, "closed") || str_eq(c.status, "archived"))
		return RC_CONFLICT;
	char *t = text_ok(text, CASE_TEXT_MAX);
	if (!t)
		return RC_INVALID;
	rc = post(db, NULL, &c, "citizen_info", t, "citizen");
	free(t);
	return rc;
}

/* Rating is about an answer: once the case has left the handling steps. */
static bool answered(const char *status)
{
	static const char *const open[] = {"received", "classified", "accepted", "verifying",
					   "suspended", "appealed"};
	for (size_t i = 0; i < ARRAY_LEN(open); i++)
		if (str_eq(status, open[i]))
			return false;
	return true;
}

Rc case_citizen_rate(Db *db, const char *code, int rating, const char *note)
{
	CaseCore c;
	Rc rc = citizen_case(db, code, &c);
	if (rc)
		return rc;
	if (rating < 1 || rating > 5)
		return RC_INVALID;
	char *n = note && *note ? text_ok(note, RATING_NOTE_MAX) : xstrdup("");
	if (!n)
		return RC_INVALID;
	if (!answered(c.status)) {
		free(n);
		return RC_CONFLICT;
	}
	rc = db_run(db, "UPDATE cases SET rating = ?, rating_note = ? WHERE id = ?", "itl", rating, n,
		    c.id);
	Buf text = BUF_INIT;
	buf_printf(&text, "%d/5%s%s", rating, *n ? "\n" : "", n);
	if (!rc)
		rc = post(db, NULL, &c, "rating", buf_cstr(&text), "citizen");
	buf_release(&text);
	free(n);
	return rc;
}

/* The date the first-instance decision reached the citizen: the
 * notification's document date, else its day, else the decision's. */
static Date decision_date(Db *db, const CaseCore *c)
{
	char *d = NULL;
	Date out = case_today();
	if (!db_get_text(db, &d,
			 "SELECT coalesce(doc_date, date(at, 'unixepoch', '+7 hours')) FROM case_event"
			 " WHERE case_id = ? AND action IN ('notify', 'decide')"
			 " ORDER BY action = 'notify' DESC, id DESC LIMIT 1",
			 "l", c->id))
		date_parse_iso(d, &out);
	free(d);
	return out;
}

/* Law 02/2011 Art. 33: 30 days from receiving the decision, 45 in
 * remote areas — read from the deadline rules ("appeal_window") so a
 * change in the law is data; the statute's figures when no rule exists. */
static bool complaint_window_open(Db *db, const CaseCore *c)
{
	Date from = decision_date(db, c);
	DeadlineQuery q = {.kind = "complaint", .step = "appeal_window",
			   .complexity = case_complexity(c->criteria), .remote = c->remote_area,
			   .on = from};
	DeadlineResult r;
	Date due;
	if (deadline_compute(db, &q, from, &r) == RC_OK)
		due = r.due;
	else
		due = date_add_days(from, c->remote_area ? 45 : 30);
	return date_to_days(case_today()) <= date_to_days(due);
}

Rc case_citizen_appeal(Db *db, const char *code, const char *text, const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	*problem = NULL;
	CaseCore c;
	Rc rc = citizen_case(db, code, &c);
	if (rc)
		return rc;
	if (c.kind == KIND_PETITION || c.anonymous) {
		*problem = P_APPEAL_KIND;
		return RC_CONFLICT;
	}
	bool decided = str_eq(c.status, "decided") || str_eq(c.status, "notified");
	if (c.kind == KIND_COMPLAINT && decided && c.instance == 1 && !complaint_window_open(db, &c)) {
		*problem = P_APPEAL_LATE;
		return RC_CONFLICT;
	}
	char *t = text && *text ? text_ok(text, CASE_TEXT_MAX) : xstrdup("");
	if (!t)
		return RC_INVALID;
	rc = case_citizen_act(db, &c, "appeal", t, problem);
	free(t);
	return rc;
}
