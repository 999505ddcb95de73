/*
 * deadline.c — deadline rules, their seed set from the 2011/2013/2018
 * laws, the per-case deadlines and the escalation job (see deadline.h and
 * docs/internals/deadlines.md).
 *
 * The figures and articles are shared domain.md §1.1, §1.2, §1.4 and
 * §1.6.  They are data: this file only seeds them, and an administrator
 * (or a later seed set, for the 2026 amendments) adds rows with a later
 * effective_from.
 */
#include "deadline.h"
#include "audit.h"
#include "outbox.h"

/* ---- transactions ---------------------------------------------------- */

/* Join the caller's transaction, or open one of our own. */
static Rc tx_begin(Db *db, bool *own)
{
	*own = !db_in_tx(db);
	return *own ? db_begin_write(db) : RC_OK;
}

static Rc tx_end(Db *db, bool own, Rc rc)
{
	if (!own)
		return rc;
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- steps ----------------------------------------------------------- */

typedef struct StepLabel {
	const char *kind, *step, *en, *vi;
} StepLabel;

/* The English ids are translated in i18n_deadline.def with the same
 * Vietnamese (test_deadline checks the two agree). */
static const StepLabel step_labels[] = {
	{"petition", "handle", "Handle the petition", "Xử lý đơn kiến nghị, phản ánh"},
	{"petition", "forward", "Forward to the competent body", "Chuyển đơn đến cơ quan có thẩm quyền"},
	{"complaint", "accept", "Accept the complaint (first instance)", "Thụ lý giải quyết khiếu nại lần đầu"},
	{"complaint", "resolve", "Resolve the complaint (first instance)", "Giải quyết khiếu nại lần đầu"},
	{"complaint", "send_decision", "Send the decision on the complaint", "Gửi quyết định giải quyết khiếu nại"},
	{"complaint", "appeal_window", "Time to lodge a second complaint", "Thời hạn khiếu nại lần hai"},
	{"complaint", "accept2", "Accept the complaint (second instance)", "Thụ lý giải quyết khiếu nại lần hai"},
	{"complaint", "resolve2", "Resolve the complaint (second instance)", "Giải quyết khiếu nại lần hai"},
	{"complaint", "take_effect", "Decision takes legal effect", "Quyết định giải quyết khiếu nại có hiệu lực pháp luật"},
	{"denunciation", "initial", "Receive and process the denunciation", "Tiếp nhận, xử lý ban đầu thông tin tố cáo"},
	{"denunciation", "forward", "Forward to the competent body", "Chuyển đơn đến cơ quan có thẩm quyền"},
	{"denunciation", "notify_accept", "Notify the acceptance of the denunciation", "Thông báo việc thụ lý tố cáo"},
	{"denunciation", "resolve", "Resolve the denunciation", "Giải quyết tố cáo"},
	{"denunciation", "extension", "Extend the resolution period", "Gia hạn giải quyết tố cáo"},
	{"denunciation", "publish", "Publish the conclusion", "Công khai kết luận nội dung tố cáo"},
	{"denunciation", "re_resolve", "Resolve a renewed denunciation", "Giải quyết tố cáo tiếp"},
};

static const StepLabel *step_find(const char *kind, const char *step)
{
	for (size_t i = 0; i < ARRAY_LEN(step_labels); i++)
		if (str_eq(step_labels[i].kind, kind) && str_eq(step_labels[i].step, step))
			return &step_labels[i];
	return NULL;
}

const char *deadline_step_label(const char *kind, const char *step)
{
	const StepLabel *s = step_find(kind, step);
	return s ? s->en : step;
}

const char *deadline_step_label_vi(const char *kind, const char *step)
{
	const StepLabel *s = step_find(kind, step);
	return s ? s->vi : step;
}

/* ---- rules ----------------------------------------------------------- */

static bool kind_valid(const char *k)
{
	return str_eq(k, "petition") || str_eq(k, "complaint") || str_eq(k, "denunciation");
}

Rc deadline_compute(Db *db, const DeadlineQuery *q, Date event, DeadlineResult *out)
{
	memset(out, 0, sizeof *out);
	if (!q || !kind_valid(q->kind) || !q->step || !q->step[0] || !date_valid(event) ||
	    q->complexity < 0 || q->complexity > 2)
		return RC_INVALID;
	Date on = date_valid(q->on) ? q->on : event;
	char on_s[11];
	date_iso(on, on_s);
	/* Newest rule set first; within it the most specific row (deadline.h). */
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, days, working_days, basis FROM deadline_rule"
			" WHERE kind = ?1 AND step = ?2 AND effective_from <= ?3"
			" AND (effective_to IS NULL OR effective_to >= ?3)"
			" AND complexity IN (-1, ?4) AND remote IN (-1, ?5) AND multi_place IN (-1, ?6)"
			" ORDER BY effective_from DESC,"
			" (complexity <> -1) + (remote <> -1) + (multi_place <> -1) DESC, id DESC"
			" LIMIT 1",
			"tttiii", q->kind, q->step, on_s, q->complexity, q->remote ? 1 : 0,
			q->multi_place ? 1 : 0);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		out->rule_id = db_col_int(st, 0);
		out->days = (int)db_col_int(st, 1);
		out->working_days = db_col_int(st, 2) != 0;
		copy_text(out->basis, sizeof out->basis, db_col_text(st, 3));
	}
	db_done(st);
	if (s < 0)
		return (Rc)-s;
	if (s != DB_ROW)
		return RC_NOT_FOUND;
	if (out->days < 0 || out->days > 3660)
		return RC_INVALID; /* a corrupt row must not send the calendar scanning for years */
	(void)calendar_error();
	out->due = out->working_days ? calendar_add_working_days(db, event, out->days)
				     : calendar_add_days(db, event, out->days);
	return calendar_error();
}

/* The seed set.  Qualifiers: -1 = any.  Complaint resolution periods
 * distinguish complexity 1 and 2 only to say both are "phức tạp" (the
 * complaint law knows one level of complexity). */
typedef struct SeedRule {
	const char *kind, *step;
	int complexity, remote, multi_place;
	int days;
	int working_days;
	const char *effective_from;
	const char *basis;
} SeedRule;

#define LKN "Luật Khiếu nại 02/2011/QH13"
#define LTC "Luật Tố cáo 25/2018/QH14"
#define LTCD "Luật Tiếp công dân 42/2013/QH13"
#define KN_FROM "2012-07-01"
#define TC_FROM "2019-01-01"
#define TCD_FROM "2014-07-01"
#define TT05_FROM "2021-11-15"

static const SeedRule seed_rules[] = {
	/* complaints (shared domain.md §1.1) */
	{"complaint", "accept", -1, -1, -1, 10, 1, KN_FROM,
	 LKN ", Điều 27 (\"10 ngày\" kể từ ngày nhận được khiếu nại); Thông tư 07/2013/TT-TTCP: 10 ngày làm việc"},
	{"complaint", "resolve", 0, 0, -1, 30, 0, KN_FROM,
	 LKN ", Điều 28: không quá 30 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve", 1, 0, -1, 45, 0, KN_FROM,
	 LKN ", Điều 28: vụ việc phức tạp, không quá 45 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve", 2, 0, -1, 45, 0, KN_FROM,
	 LKN ", Điều 28: vụ việc phức tạp, không quá 45 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve", 0, 1, -1, 45, 0, KN_FROM,
	 LKN ", Điều 28: vùng sâu, vùng xa đi lại khó khăn, không quá 45 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve", 1, 1, -1, 60, 0, KN_FROM,
	 LKN ", Điều 28: vùng sâu, vùng xa, vụ việc phức tạp, không quá 60 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve", 2, 1, -1, 60, 0, KN_FROM,
	 LKN ", Điều 28: vùng sâu, vùng xa, vụ việc phức tạp, không quá 60 ngày kể từ ngày thụ lý"},
	{"complaint", "send_decision", -1, -1, -1, 3, 1, KN_FROM,
	 LKN ", Điều 32: 03 ngày làm việc kể từ ngày ban hành quyết định giải quyết khiếu nại"},
	{"complaint", "appeal_window", -1, 0, -1, 30, 0, KN_FROM,
	 LKN ", Điều 33: 30 ngày kể từ ngày hết thời hạn giải quyết hoặc nhận được quyết định lần đầu"},
	{"complaint", "appeal_window", -1, 1, -1, 45, 0, KN_FROM,
	 LKN ", Điều 33: vùng sâu, vùng xa đi lại khó khăn, 45 ngày"},
	{"complaint", "accept2", -1, -1, -1, 10, 1, KN_FROM,
	 LKN ", Điều 36 (\"10 ngày\" kể từ ngày nhận được khiếu nại); Thông tư 07/2013/TT-TTCP: 10 ngày làm việc"},
	{"complaint", "resolve2", 0, 0, -1, 45, 0, KN_FROM,
	 LKN ", Điều 37: không quá 45 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve2", 1, 0, -1, 60, 0, KN_FROM,
	 LKN ", Điều 37: vụ việc phức tạp, không quá 60 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve2", 2, 0, -1, 60, 0, KN_FROM,
	 LKN ", Điều 37: vụ việc phức tạp, không quá 60 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve2", 0, 1, -1, 60, 0, KN_FROM,
	 LKN ", Điều 37: vùng sâu, vùng xa đi lại khó khăn, không quá 60 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve2", 1, 1, -1, 70, 0, KN_FROM,
	 LKN ", Điều 37: vùng sâu, vùng xa, vụ việc phức tạp, không quá 70 ngày kể từ ngày thụ lý"},
	{"complaint", "resolve2", 2, 1, -1, 70, 0, KN_FROM,
	 LKN ", Điều 37: vùng sâu, vùng xa, vụ việc phức tạp, không quá 70 ngày kể từ ngày thụ lý"},
	{"complaint", "take_effect", -1, 0, -1, 30, 0, KN_FROM,
	 LKN ", Điều 44: quyết định có hiệu lực sau 30 ngày kể từ ngày ban hành"},
	{"complaint", "take_effect", -1, 1, -1, 45, 0, KN_FROM,
	 LKN ", Điều 44: vùng sâu, vùng xa đi lại khó khăn, 45 ngày"},

	/* denunciations (shared domain.md §1.2) */
	{"denunciation", "initial", -1, -1, -1, 7, 1, TC_FROM,
	 LTC ", Điều 24 khoản 1: 07 ngày làm việc kể từ ngày nhận được tố cáo"},
	{"denunciation", "initial", -1, -1, 1, 10, 1, TC_FROM,
	 LTC ", Điều 24 khoản 1: phải kiểm tra, xác minh tại nhiều địa điểm, 10 ngày làm việc"},
	{"denunciation", "forward", -1, -1, -1, 5, 1, TC_FROM,
	 LTC ", Điều 24 khoản 2: chuyển đến cơ quan có thẩm quyền trong 05 ngày làm việc"},
	{"denunciation", "notify_accept", -1, -1, -1, 5, 1, TC_FROM,
	 LTC ", Điều 29: thông báo thụ lý cho người tố cáo và người bị tố cáo trong 05 ngày làm việc"},
	{"denunciation", "resolve", -1, -1, -1, 30, 0, TC_FROM,
	 LTC ", Điều 30: không quá 30 ngày kể từ ngày thụ lý tố cáo"},
	{"denunciation", "extension", 1, -1, -1, 30, 0, TC_FROM,
	 LTC ", Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3: vụ việc phức tạp, gia hạn một lần, không quá 30 ngày"},
	{"denunciation", "extension", 2, -1, -1, 30, 0, TC_FROM,
	 LTC ", Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3: vụ việc đặc biệt phức tạp, gia hạn hai lần, mỗi lần không quá 30 ngày"},
	{"denunciation", "publish", -1, -1, -1, 7, 1, TC_FROM,
	 LTC ", Điều 40: công khai kết luận trong 07 ngày làm việc"},
	{"denunciation", "re_resolve", -1, -1, -1, 20, 0, TC_FROM,
	 LTC ", Điều 37: xem xét tố cáo tiếp trong 20 ngày"},

	/* petitions (kiến nghị, phản ánh; shared domain.md §1.4) */
	{"petition", "handle", -1, -1, -1, 10, 1, TCD_FROM,
	 LTCD ", Điều 28: trả lời trong 10 ngày làm việc"},
	{"petition", "handle", -1, -1, -1, 10, 1, TT05_FROM,
	 "Thông tư 05/2021/TT-TTCP (quy trình xử lý đơn): 10 ngày làm việc; " LTCD ", Điều 28"},
	{"petition", "forward", -1, -1, -1, 5, 1, TCD_FROM,
	 "Nghị định 20/2008/NĐ-CP: chuyển kiến nghị không thuộc thẩm quyền trong 05 ngày làm việc"},
};

Rc deadline_seed_rules(Db *db)
{
	bool own;
	Rc rc = tx_begin(db, &own);
	for (size_t i = 0; !rc && i < ARRAY_LEN(seed_rules); i++) {
		const SeedRule *r = &seed_rules[i];
		rc = db_run(db,
			    "INSERT INTO deadline_rule (kind, step, complexity, remote, multi_place, days,"
			    " working_days, basis, effective_from)"
			    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS ("
			    "  SELECT 1 FROM deadline_rule WHERE kind = ?1 AND step = ?2 AND complexity = ?3"
			    "  AND remote = ?4 AND multi_place = ?5 AND effective_from = ?9)",
			    "ttiiiiitt", r->kind, r->step, r->complexity, r->remote, r->multi_place,
			    r->days, r->working_days, r->basis, r->effective_from);
	}
	return tx_end(db, own, rc);
}

Rc deadline_rule_count(Db *db, int64_t *n)
{
	return db_get_int(db, n, "SELECT count(*) FROM deadline_rule", "");
}

Rc deadline_rules_list(Db *db, DeadlineRule **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT id, kind, step, complexity, remote, multi_place, days, working_days,"
			" effective_from, coalesce(effective_to, ''), basis FROM deadline_rule"
			" ORDER BY kind, step, effective_from, complexity, remote, multi_place, id",
			"");
	if (rc)
		return rc;
	DeadlineRule *v = NULL;
	size_t len = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		DeadlineRule *r = &v[len++];
		memset(r, 0, sizeof *r);
		r->id = db_col_int(st, 0);
		copy_text(r->kind, sizeof r->kind, db_col_text(st, 1));
		copy_text(r->step, sizeof r->step, db_col_text(st, 2));
		r->complexity = (int)db_col_int(st, 3);
		r->remote = (int)db_col_int(st, 4);
		r->multi_place = (int)db_col_int(st, 5);
		r->days = (int)db_col_int(st, 6);
		r->working_days = db_col_int(st, 7) != 0;
		copy_text(r->effective_from, sizeof r->effective_from, db_col_text(st, 8));
		copy_text(r->effective_to, sizeof r->effective_to, db_col_text(st, 9));
		r->basis = xstrdup(db_col_text(st, 10));
	}
	db_done(st);
	if (s < 0) {
		deadline_rules_free(v, len);
		return (Rc)-s;
	}
	*out = v;
	*n = len;
	return RC_OK;
}

void deadline_rules_free(DeadlineRule *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i].basis);
	free(v);
}

/* ---- per case -------------------------------------------------------- */

static Rc case_exists(Db *db, int64_t case_id)
{
	int64_t one;
	return db_get_int(db, &one, "SELECT 1 FROM cases WHERE id = ?", "l", case_id);
}

/* Denunciation extension (deadline.h): push the open resolve deadline. */
static Rc open_extension(Db *db, int64_t case_id, const DeadlineQuery *q, Date event)
{
	int64_t done = 0;
	Rc rc = db_get_int(db, &done,
			   "SELECT count(*) FROM case_deadline WHERE case_id = ? AND step = 'extension'"
			   " AND state <> 'cancelled'",
			   "l", case_id);
	if (rc)
		return rc;
	/* Law 25/2018 Art. 30: complex → one extension, very complex → two. */
	if (done >= q->complexity)
		return RC_CONFLICT;
	DbStmt *st;
	rc = db_prep(db, &st,
		     "SELECT id, due_on FROM case_deadline WHERE case_id = ? AND step = 'resolve'"
		     " AND state IN ('open', 'paused') ORDER BY id DESC LIMIT 1",
		     "l", case_id);
	if (rc)
		return rc;
	int64_t resolve_id = 0;
	Date due = {0, 0, 0};
	int s = db_step(st);
	if (s == DB_ROW) {
		resolve_id = db_col_int(st, 0);
		if (!date_parse_iso(db_col_text(st, 1), &due))
			resolve_id = 0;
	}
	db_done(st);
	if (s < 0)
		return (Rc)-s;
	if (!resolve_id)
		return RC_CONFLICT; /* nothing to extend */
	DeadlineResult r;
	rc = deadline_compute(db, q, event, &r);
	if (rc)
		return rc;
	Date new_due = calendar_add_days(db, due, r.days);
	char new_s[11], event_s[11];
	date_iso(new_due, new_s);
	date_iso(event, event_s);
	/* A pushed deadline is no longer overdue: let it escalate again. */
	rc = db_run(db, "UPDATE case_deadline SET due_on = ?, escalated_at = NULL WHERE id = ?",
		    "tl", new_s, resolve_id);
	if (!rc)
		rc = db_run(db,
			    "INSERT INTO case_deadline (case_id, step, rule_id, starts_on, due_on, basis,"
			    " state, met_on) VALUES (?, 'extension', ?, ?, ?, ?, 'met', ?)",
			    "lltttt", case_id, r.rule_id, event_s, new_s, r.basis, event_s);
	return rc;
}

static Rc open_step(Db *db, int64_t case_id, const DeadlineQuery *q, Date event)
{
	Rc rc = case_exists(db, case_id);
	if (rc)
		return rc;
	if (str_eq(q->step, "extension"))
		return open_extension(db, case_id, q, event);
	int64_t open = 0;
	rc = db_get_int(db, &open,
			"SELECT count(*) FROM case_deadline WHERE case_id = ? AND step = ?"
			" AND state IN ('open', 'paused')",
			"lt", case_id, q->step);
	if (rc)
		return rc;
	if (open)
		return RC_CONFLICT;
	DeadlineResult r;
	rc = deadline_compute(db, q, event, &r);
	if (rc)
		return rc;
	char start_s[11], due_s[11];
	date_iso(event, start_s);
	date_iso(r.due, due_s);
	return db_run(db,
		      "INSERT INTO case_deadline (case_id, step, rule_id, starts_on, due_on, basis)"
		      " VALUES (?, ?, ?, ?, ?, ?)",
		      "ltlttt", case_id, q->step, r.rule_id, start_s, due_s, r.basis);
}

Rc deadline_open(Db *db, int64_t case_id, const DeadlineQuery *q, Date event)
{
	if (!q || !kind_valid(q->kind) || !q->step || !date_valid(event) || q->complexity < 0 ||
	    q->complexity > 2)
		return RC_INVALID;
	bool own;
	Rc rc = tx_begin(db, &own);
	if (!rc)
		rc = open_step(db, case_id, q, event);
	return tx_end(db, own, rc);
}

Rc deadline_meet(Db *db, int64_t case_id, const char *step, Date on)
{
	if (!step || !date_valid(on))
		return RC_INVALID;
	char on_s[11];
	date_iso(on, on_s);
	bool own;
	Rc rc = tx_begin(db, &own);
	/* Late is still done, but it is recorded as 'missed'. */
	if (!rc)
		rc = db_run(db,
			    "UPDATE case_deadline SET met_on = ?1,"
			    " state = CASE WHEN ?1 > due_on THEN 'missed' ELSE 'met' END"
			    " WHERE case_id = ?2 AND step = ?3 AND state IN ('open', 'paused')",
			    "tlt", on_s, case_id, step);
	if (!rc && db_changes(db) == 0)
		rc = RC_NOT_FOUND;
	return tx_end(db, own, rc);
}

Rc deadline_cancel_open(Db *db, int64_t case_id)
{
	bool own;
	Rc rc = tx_begin(db, &own);
	if (!rc)
		rc = db_run(db,
			    "UPDATE case_deadline SET state = 'cancelled', met_on = NULL"
			    " WHERE case_id = ? AND state IN ('open', 'paused')",
			    "l", case_id);
	return tx_end(db, own, rc);
}

Rc deadline_pause(Db *db, int64_t case_id, Date on)
{
	if (!date_valid(on))
		return RC_INVALID;
	char on_s[11];
	date_iso(on, on_s);
	bool own;
	Rc rc = tx_begin(db, &own);
	if (!rc)
		rc = db_run(db,
			    "UPDATE case_deadline SET state = 'paused', met_on = ?"
			    " WHERE case_id = ? AND state = 'open'",
			    "tl", on_s, case_id);
	return tx_end(db, own, rc);
}

typedef struct Paused {
	int64_t id;
	Date due, since;
	bool working;
} Paused;

/* Working days in (from, to]. */
static int working_days_between(Db *db, Date from, Date to)
{
	int n = 0;
	for (Date d = date_add_days(from, 1); date_to_days(d) <= date_to_days(to);
	     d = date_add_days(d, 1))
		n += calendar_is_working_day(db, d);
	return n;
}

static Date resumed_due(Db *db, const Paused *p, Date on)
{
	int64_t stopped = date_to_days(on) - date_to_days(p->since);
	if (p->working && date_to_days(p->due) > date_to_days(p->since)) {
		/* the working days it had left, counted again from the resume day */
		int left = working_days_between(db, p->since, p->due);
		return left > 0 ? calendar_add_working_days(db, on, left) : p->due;
	}
	return calendar_add_days(db, p->due, (int)stopped);
}

static Rc resume_rows(Db *db, int64_t case_id, Date on)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT d.id, d.due_on, d.met_on, coalesce(r.working_days, 0)"
			" FROM case_deadline d LEFT JOIN deadline_rule r ON r.id = d.rule_id"
			" WHERE d.case_id = ? AND d.state = 'paused' ORDER BY d.id",
			"l", case_id);
	if (rc)
		return rc;
	Paused *v = NULL;
	size_t n = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		Paused p = {.id = db_col_int(st, 0), .working = db_col_int(st, 3) != 0};
		if (!date_parse_iso(db_col_text(st, 1), &p.due))
			continue;
		if (!date_parse_iso(db_col_text(st, 2), &p.since))
			p.since = on; /* paused by hand without a date: no shift */
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = p;
	}
	db_done(st);
	if (s < 0)
		rc = (Rc)-s;
	for (size_t i = 0; !rc && i < n; i++)
		if (date_to_days(on) < date_to_days(v[i].since))
			rc = RC_INVALID;
	for (size_t i = 0; !rc && i < n; i++) {
		Date due = resumed_due(db, &v[i], on);
		char due_s[11], on_s[11];
		date_iso(due, due_s);
		date_iso(on, on_s);
		/* Not overdue any more after the shift: it may escalate again later. */
		rc = db_run(db,
			    "UPDATE case_deadline SET state = 'open', met_on = NULL, due_on = ?1,"
			    " escalated_at = CASE WHEN ?1 >= ?2 THEN NULL ELSE escalated_at END"
			    " WHERE id = ?3",
			    "ttl", due_s, on_s, v[i].id);
	}
	free(v);
	return rc;
}

Rc deadline_resume(Db *db, int64_t case_id, Date on)
{
	if (!date_valid(on))
		return RC_INVALID;
	bool own;
	Rc rc = tx_begin(db, &own);
	if (!rc)
		rc = resume_rows(db, case_id, on);
	return tx_end(db, own, rc);
}

/* ---- escalation ------------------------------------------------------ */

typedef struct Overdue {
	int64_t id, case_id, unit_id, org_id;
	char code[32];
	char kind[16];
	char step[32];
	char due[11];
	char *basis;
} Overdue;

static Rc notify(Db *db, const Overdue *o)
{
	Date due;
	Buf when = BUF_INIT, subject = BUF_INIT, body = BUF_INIT;
	if (date_parse_iso(o->due, &due))
		date_format_vi_long(&when, due);
	const char *step_vi = deadline_step_label_vi(o->kind, o->step);
	const char *step_en = deadline_step_label(o->kind, o->step);
	buf_printf(&subject, "[danvan] Quá hạn: hồ sơ %s — %s", o->code, step_vi);
	buf_printf(&body,
		   "Hồ sơ %s đã quá hạn ở bước: %s.\n"
		   "Hạn giải quyết: %s (%s).\n"
		   "Căn cứ: %s\n\n"
		   "Đề nghị đăng nhập hệ thống để xử lý.  Thư này được gửi tự động và không chứa\n"
		   "thông tin cá nhân của công dân.\n\n"
		   "Overdue: case %s, step \"%s\", due %s.\n",
		   o->code, step_vi, buf_cstr(&when), o->due, o->basis, o->code, step_en, o->due);
	Rc rc = buf_ok(&subject) && buf_ok(&body) ? RC_OK : RC_INTERNAL;
	DbStmt *st = NULL;
	if (!rc)
		rc = db_prep(db, &st,
			     "SELECT DISTINCT u.email FROM user u JOIN user_role r ON r.user_id = u.id"
			     " WHERE u.org_id = ? AND r.role IN ('handler', 'leader') AND u.disabled = 0"
			     " AND u.email <> '' ORDER BY u.email",
			     "l", o->org_id);
	/* Collect first: queueing writes while this statement is open. */
	char **to = NULL;
	size_t n = 0, cap = 0;
	if (!rc) {
		int s;
		while ((s = db_step(st)) == DB_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				to = xrealloc(to, cap * sizeof *to);
			}
			to[n++] = xstrdup(db_col_text(st, 0));
		}
		db_done(st);
		if (s < 0)
			rc = (Rc)-s;
	}
	for (size_t i = 0; i < n; i++) {
		/* A malformed address must not stop the other notifications. */
		if (!rc && outbox_address_valid(to[i]))
			rc = outbox_queue(db, to[i], buf_cstr(&subject), buf_cstr(&body), o->case_id);
		free(to[i]);
	}
	free(to);
	buf_release(&when);
	buf_release(&subject);
	buf_release(&body);
	return rc;
}

static Rc escalate_one(Db *db, const Overdue *o, int64_t now)
{
	Rc rc = db_run(db, "UPDATE case_deadline SET escalated_at = ? WHERE id = ?", "ll", now, o->id);
	if (rc)
		return rc;
	Buf detail = BUF_INIT;
	buf_printf(&detail, "step=%s due=%s", o->step, o->due);
	rc = audit_append(db, 0, "system", "deadline.overdue", "case", o->case_id, o->unit_id,
			  buf_cstr(&detail));
	buf_release(&detail);
	if (!rc && o->org_id)
		rc = notify(db, o);
	return rc;
}

static Rc escalate(Db *db, Date today, int *count)
{
	char today_s[11];
	date_iso(today, today_s);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT d.id, d.case_id, coalesce(c.unit_id, 0),"
			" coalesce(c.responsible_org_id, c.receiving_org_id, 0), c.code, c.kind, d.step,"
			" d.due_on, d.basis"
			" FROM case_deadline d JOIN cases c ON c.id = d.case_id"
			" WHERE d.state = 'open' AND d.due_on < ? AND d.escalated_at IS NULL"
			" ORDER BY d.due_on, d.id LIMIT ?",
			"ti", today_s, DEADLINE_ESCALATE_BATCH);
	if (rc)
		return rc;
	Overdue *v = NULL;
	size_t n = 0, cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		Overdue *o = &v[n++];
		memset(o, 0, sizeof *o);
		o->id = db_col_int(st, 0);
		o->case_id = db_col_int(st, 1);
		o->unit_id = db_col_int(st, 2);
		o->org_id = db_col_int(st, 3);
		copy_text(o->code, sizeof o->code, db_col_text(st, 4));
		copy_text(o->kind, sizeof o->kind, db_col_text(st, 5));
		copy_text(o->step, sizeof o->step, db_col_text(st, 6));
		copy_text(o->due, sizeof o->due, db_col_text(st, 7));
		o->basis = xstrdup(db_col_text(st, 8));
	}
	db_done(st);
	if (s < 0)
		rc = (Rc)-s;
	int64_t now = util_now();
	for (size_t i = 0; !rc && i < n; i++) {
		rc = escalate_one(db, &v[i], now);
		if (!rc)
			(*count)++;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].basis);
	free(v);
	return rc;
}

Rc deadline_escalate(Db *db, Date today, int *n)
{
	int count = 0;
	if (n)
		*n = 0;
	if (!date_valid(today))
		return RC_INVALID;
	bool own;
	Rc rc = tx_begin(db, &own);
	if (!rc)
		rc = escalate(db, today, &count);
	rc = tx_end(db, own, rc);
	if (n)
		*n = rc ? 0 : count;
	return rc;
}

/* ---- flags ----------------------------------------------------------- */

Date deadline_due_soon_until(Db *db, Date today)
{
	return calendar_add_working_days(db, today, DEADLINE_DUE_SOON_DAYS);
}

DeadlineFlag deadline_flag(Db *db, Date due, Date today)
{
	int64_t d = date_to_days(due);
	if (d < date_to_days(today))
		return DEADLINE_OVERDUE;
	if (d <= date_to_days(deadline_due_soon_until(db, today)))
		return DEADLINE_DUE_SOON;
	return DEADLINE_ON_TIME;
}
