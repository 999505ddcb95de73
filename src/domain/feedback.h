/*
 * feedback.h — readers' feedback under an article ("Phản hồi"): the
 * public form's submission with its spam defences, moderation, the
 * approved feedback shown under the article, and turning a feedback into
 * a citizen's case in one action.
 *
 * Spam defences, none of which needs a third-party service (no CAPTCHA):
 *  - a honeypot field the form hides from people; a submission that
 *    fills it is stored straight as 'spam' and answered like any other,
 *    so a bot learns nothing, and a person whose browser filled it by
 *    mistake is not lost (a moderator can still approve it);
 *  - at most FEEDBACK_LINKS_MAX links ("http://", "https://", "www.") in
 *    the whole submission, none in the name;
 *  - at most FEEDBACK_PER_HOUR submissions per client per hour, counted
 *    by a keyed hash of the client's address (HMAC with the server
 *    secret): the address itself is never stored;
 *  - the route's own per-client rate limit (R_RATE_LIMIT) in front.
 * An identical submission from the same client within a day is taken as
 * a double click and not stored twice.
 *
 * Moderation and conversion need CAP_NEWS_PUBLISH and are audited.  The
 * public sees only approved feedback: name, date and content — never the
 * e-mail, phone or address.
 */
#ifndef DANVAN_FEEDBACK_H
#define DANVAN_FEEDBACK_H

#include "article.h"
#include "case.h"

#define FEEDBACK_NAME_MAX 150       /* characters */
#define FEEDBACK_ADDRESS_MAX 300
#define FEEDBACK_CONTENT_MIN 10
#define FEEDBACK_CONTENT_MAX 5000
#define FEEDBACK_LINKS_MAX 2
#define FEEDBACK_PER_HOUR 5

typedef struct FeedbackInput {
	const char *name, *email, *phone, *address, *content; /* optional: email, phone, address */
	const char *honeypot;  /* the hidden field's value, as sent ("" or NULL for people) */
	const char *client;    /* the client's address (Req.client_ip); only its keyed hash is kept */
} FeedbackInput;

/* Store a submission as 'pending' (or 'spam': honeypot).  RC_NOT_FOUND
 * unless the article is public; RC_INVALID with *problem (an English
 * message id) for bad input; RC_LOCKED past FEEDBACK_PER_HOUR.  *id may
 * be NULL.  Caller's write transaction. */
Rc feedback_submit(Db *db, int64_t article_id, const FeedbackInput *in, int64_t *id,
		   const char **problem);

typedef struct Feedback {
	int64_t id, article_id, created_at, moderated_at, case_id;
	char status[16];           /* pending | approved | rejected | spam */
	char *name, *content;
	char *email, *phone, *address; /* NULL in public lists */
	char *article_title;
	char article_slug[ARTICLE_SLUG_MAX + 8];
	char *moderator_name;      /* "" when not moderated */
	char case_code[16];        /* tracking code of the case made from it, "" if none */
} Feedback;

typedef struct FeedbackList {
	Feedback *rows;
	size_t count;
	bool more;
} FeedbackList;

void feedback_release(Feedback *f);
void feedback_list_release(FeedbackList *l);

/* Approved feedback of a public article, newest first (name, date,
 * content only).  Empty for an article that is not public. */
Rc feedback_public(Db *db, int64_t article_id, int limit, FeedbackList *out);
/* The moderation queue: feedback in `status` (NULL = "pending") on the
 * articles of who's area, pending oldest first (first come, first
 * served), the others newest first, with the sender's details and the
 * article's title.  CAP_NEWS_PUBLISH, else RC_FORBIDDEN. */
Rc feedback_queue(Db *db, const Principal *who, const char *status, int limit, int offset,
		  FeedbackList *out);
/* Number of feedback in `status` within who's area (the queue's tabs). */
Rc feedback_count(Db *db, const Principal *who, const char *status, int64_t *n);
/* One feedback with the sender's details (CAP_NEWS_PUBLISH; RC_NOT_FOUND
 * outside who's area, the article's area as in article_load_staff). */
Rc feedback_load(Db *db, const Principal *who, int64_t id, Feedback *out);

/* decision: "approve", "reject" or "spam" (any status to any other; the
 * same status again changes nothing).  Audited. */
Rc feedback_moderate(Db *db, const Principal *who, int64_t id, const char *decision);

/* Make a petition (kiến nghị) of it through case_intake as the citizen's
 * own web submission (channel "web", received today, by the article's
 * organisation), titled "Phản hồi về bài viết: <title>", with the
 * sender's name, address, phone and e-mail; with none of address, phone
 * and e-mail it can only be received as anonymous information (case.h).
 * Links feedback.case_id; audited.
 * RC_CONFLICT when already converted or marked spam; RC_INVALID with
 * *problem when case_intake refuses. */
Rc feedback_to_case(Db *db, const Principal *who, int64_t id, CaseCreated *out,
		    const char **problem);

#endif
