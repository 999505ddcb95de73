/*
 * test_case.c — citizens' cases (domain/case.h) on a real temporary
 * database: intake validation per kind, tracking codes, the sealed
 * identity of denouncers, personal-data visibility, every transition of
 * the state machine against capability and status, the area scope,
 * statutory deadlines along the flow, extensions, suspension, repeat and
 * duplicate suggestions, replies and the citizen's side, and search with
 * Vietnamese folding, keyset pagination and filters.
 *
 * The map: province P (id 1) with communes A (11) and B (12); province Q
 * (2) with commune C (21).  A people's committee in A and in B, a
 * mass-mobilisation commission in P and in Q, a central one.  Principals
 * are built by hand (the capability mapping is cap.c's business): a
 * reception officer and a handler in A, a handler in B, an editor in A
 * (no case capability), monitors in P and Q, and a central handler.
 *
 * Each test runs inside a write transaction that is rolled back after it,
 * so tests do not see each other's cases — except the sealed-identity
 * test, which commits in order to scan the database files themselves.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/crypto.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/case.h"
#include "domain/case_priv.h" /* case_text_similarity */
#include "domain/case_detail.h"
#include "domain/deadline.h"
#include "domain/vault.h"
#include "store/schema.h"
#include "web/req.h"

enum { U_P = 1, U_Q = 2, U_A = 11, U_B = 12, U_C = 21 };
enum { O_CENTRAL = 1, O_A = 2, O_B = 3, O_P_MM = 4, O_Q_MM = 5, O_FRONT_A = 6 };
enum { USER_RECV_A = 101, USER_HAND_A = 102, USER_HAND_B = 103, USER_EDITOR = 104 };

static char dir[64];
static char dbpath[128];
static Db *db;

#define RH (CAP_CASE_RECEIVE | CAP_CASE_VIEW | CAP_LOGIN)
#define HV (CAP_CASE_HANDLE | CAP_CASE_VIEW | CAP_LOGIN)

static const Principal recv_a = {USER_RECV_A, O_A, U_A, RH, 0, "recv.a", "Lê Tiếp Nhận", "vi"};
static const Principal hand_a = {USER_HAND_A, O_A, U_A, HV, 0, "hand.a", "Phạm Xử Lý", "vi"};
static const Principal hand_b = {USER_HAND_B, O_B, U_B, HV | CAP_CASE_RECEIVE, 0, "hand.b",
				 "Đỗ Xã Bên", "vi"};
static const Principal editor_a = {USER_EDITOR, O_A, U_A, CAP_LOGIN | CAP_NEWS_EDIT, 0, "ed.a",
				   "Biên Tập", "vi"};
static const Principal monitor_p = {201, O_P_MM, U_P, CAP_LOGIN | CAP_CASE_VIEW | CAP_CASE_MONITOR,
				    0, "mm.p", "Dân Vận Tỉnh", "vi"};
static const Principal monitor_q = {202, O_Q_MM, U_Q, CAP_LOGIN | CAP_CASE_VIEW | CAP_CASE_MONITOR,
				    0, "mm.q", "Dân Vận Q", "vi"};
static const Principal central = {203, O_CENTRAL, 0, RH | HV, 0, "central", "Trung Ương", "vi"};

/* ---- fixture ------------------------------------------------------- */

static Rc add_unit(int64_t id, const char *code, const char *level, int64_t parent,
		   int64_t province, const char *name)
{
	char *key = text_search_key(name);
	Rc rc = db_run(db, "INSERT INTO unit (id, code, level, era, parent_id, province_id, name,"
			   " full_name, name_key, valid_from) VALUES (?, ?, ?, 2025, nullif(?, 0), ?, ?, ?, ?,"
			   " '2025-07-01')",
		       "lttllttt", id, code, level, parent, province, name, name, key);
	free(key);
	return rc;
}

static Rc add_org(int64_t id, int64_t unit, const char *kind, const char *code, const char *name)
{
	Rc rc = db_run(db, "INSERT INTO org (id, unit_id, kind, code, created_at)"
			   " VALUES (?, nullif(?, 0), ?, ?, 0)", "lltt", id, unit, kind, code);
	return rc ? rc : db_run(db, "INSERT INTO org_name (org_id, name, name_key, valid_from)"
				    " VALUES (?, ?, '', '2025-07-01')", "lt", id, name);
}

static Rc add_user(int64_t id, const char *login, int64_t org, const char *role)
{
	Rc rc = db_run(db, "INSERT INTO user (id, login, name, email, org_id, pw_hash, created_at,"
			   " pw_changed_at) VALUES (?, ?, ?, '', ?, 'x', 0, 0)",
		       "lttl", id, login, login, org);
	return rc ? rc : db_run(db, "INSERT INTO user_role (user_id, role) VALUES (?, ?)", "lt", id, role);
}

static Rc build_map(void)
{
	Rc rc = RC_OK;
	if (!rc) rc = add_unit(U_P, "01", "province", 0, U_P, "Thành phố P");
	if (!rc) rc = add_unit(U_Q, "02", "province", 0, U_Q, "Tỉnh Q");
	if (!rc) rc = add_unit(U_A, "00001", "commune", U_P, U_P, "Xã A");
	if (!rc) rc = add_unit(U_B, "00002", "commune", U_P, U_P, "Xã B");
	if (!rc) rc = add_unit(U_C, "00003", "commune", U_Q, U_Q, "Xã C");
	if (!rc) rc = add_org(O_CENTRAL, 0, "massmob_commission", "central", "Ban Tuyên giáo và Dân vận Trung ương");
	if (!rc) rc = add_org(O_A, U_A, "peoples_committee", "c00001-pc", "Ủy ban nhân dân xã A");
	if (!rc) rc = add_org(O_B, U_B, "peoples_committee", "c00002-pc", "Ủy ban nhân dân xã B");
	if (!rc) rc = add_org(O_P_MM, U_P, "massmob_commission", "p01-mm", "Ban Tuyên giáo và Dân vận Thành ủy P");
	if (!rc) rc = add_org(O_Q_MM, U_Q, "massmob_commission", "p02-mm", "Ban Tuyên giáo và Dân vận Tỉnh ủy Q");
	if (!rc) rc = add_org(O_FRONT_A, U_A, "fatherland_front", "c00001-front", "Ủy ban MTTQ xã A");
	if (!rc) rc = add_user(USER_RECV_A, "recv.a", O_A, "reception");
	if (!rc) rc = add_user(USER_HAND_A, "hand.a", O_A, "handler");
	if (!rc) rc = add_user(USER_HAND_B, "hand.b", O_B, "handler");
	if (!rc) rc = add_user(USER_EDITOR, "ed.a", O_A, "editor");
	return rc;
}

static int setup(void **state)
{
	(void)state;
	setenv("DANVAN_FAST_HASH", "1", 1);
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-case-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	xsnprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	char secret[128];
	xsnprintf(secret, sizeof secret, "%s/vault.key", dir);
	if (db_open(&db, dbpath, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	if (vault_init(db, secret))
		return -1;
	if (db_begin_write(db) || build_map() || deadline_seed_rules(db) || case_seed_fields(db) ||
	    case_seed_fields(db) /* idempotent */ || db_commit(db))
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

static int tx_begin(void **state)
{
	(void)state;
	return db_begin_write(db) == RC_OK ? 0 : -1;
}

static int tx_rollback(void **state)
{
	(void)state;
	db_rollback(db);
	return 0;
}

/* ---- helpers ------------------------------------------------------- */

/* A valid complaint from a named citizen of commune A. */
static CaseIntake base(CaseKind kind)
{
	CaseIntake in = {
		.kind = kind,
		.channel = "desk",
		.title = "Khiếu nại quyết định thu hồi đất",
		.content = "Gia đình tôi không đồng ý với quyết định thu hồi đất nông nghiệp.",
		.field_code = "land",
		.unit_id = U_A,
		.people_count = 1,
		.name = "Trần Thị Bình",
		.address = "Thôn Đông, xã A",
		.phone = "0912 000 111",
		.signed_ = true,
	};
	return in;
}

static int64_t intake_as(const Principal *who, const CaseIntake *in)
{
	CaseCreated out;
	const char *problem = NULL;
	Rc rc = case_intake(db, who, in, &out, &problem);
	if (rc)
		fail_msg("intake: %s (%s) %s", rc_name(rc), problem ? problem : "-", db_errmsg(db));
	return out.id;
}

/* What the background worker does after intake: repeat and duplicate
 * suggestions for the queued cases; returns how many were compared. */
static int suggest_pending(void)
{
	int done = -1;
	Rc rc = case_links_suggest_pending(db, 1000, &done);
	if (rc)
		fail_msg("suggest: %s %s", rc_name(rc), db_errmsg(db));
	return done;
}

static int64_t mk(CaseKind kind)
{
	CaseIntake in = base(kind);
	return intake_as(&recv_a, &in);
}

static Rc act_full(const Principal *who, int64_t id, const CaseAction *a)
{
	const char *problem = NULL;
	return case_act(db, who, id, a, &problem);
}

static Rc act(const Principal *who, int64_t id, const char *action)
{
	CaseAction a = {.action = action, .remote_area = -1, .outcome = "right",
			.reason_code = "duplicate", .forward_to = "Thanh tra tỉnh P"};
	if (str_eq(action, "refuse"))
		a.reason_code = "kn_time_expired";
	if (str_eq(action, "extend"))
		a.doc_number = "12/QĐ-UBND";
	return act_full(who, id, &a);
}

static void must(const Principal *who, int64_t id, const char *action)
{
	Rc rc = act(who, id, action);
	if (rc)
		fail_msg("%s: %s", action, rc_name(rc));
}

static char *col_text(const char *what, int64_t id)
{
	char *s = NULL;
	Rc rc;
	if (str_eq(what, "status"))
		rc = db_get_text(db, &s, "SELECT status FROM cases WHERE id = ?", "l", id);
	else if (str_eq(what, "code"))
		rc = db_get_text(db, &s, "SELECT code FROM cases WHERE id = ?", "l", id);
	else
		rc = db_get_text(db, &s, "SELECT coalesce(person_key, '') FROM cases WHERE id = ?", "l", id);
	assert_int_equal(rc, RC_OK);
	return s;
}

static void assert_status(int64_t id, const char *want)
{
	char *s = col_text("status", id);
	if (!str_eq(s, want))
		fail_msg("case %lld is %s, expected %s", (long long)id, s, want);
	free(s);
}

/* The state of the newest row of a step, "" when there is none. */
static char *dl_state(int64_t id, const char *step)
{
	char *s = NULL;
	Rc rc = db_get_text(db, &s, "SELECT state FROM case_deadline WHERE case_id = ? AND step = ?"
				    " ORDER BY id DESC LIMIT 1", "lt", id, step);
	if (rc == RC_NOT_FOUND)
		return xstrdup("");
	assert_int_equal(rc, RC_OK);
	return s;
}

static void assert_dl(int64_t id, const char *step, const char *want)
{
	char *s = dl_state(id, step);
	if (!str_eq(s, want))
		fail_msg("case %lld step %s is '%s', expected '%s'", (long long)id, step, s, want);
	free(s);
}

static char *dl_due(int64_t id, const char *step)
{
	char *s = NULL;
	assert_int_equal(db_get_text(db, &s, "SELECT due_on FROM case_deadline WHERE case_id = ?"
					     " AND step = ? ORDER BY id DESC LIMIT 1", "lt", id, step),
			 RC_OK);
	return s;
}

static int64_t count_sql_id(const char *which, int64_t id)
{
	int64_t n = -1;
	if (str_eq(which, "events"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_event WHERE case_id = ?", "l", id), RC_OK);
	else if (str_eq(which, "audit"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit", ""), RC_OK);
	else if (str_eq(which, "outbox"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM outbox WHERE case_id = ?", "l", id), RC_OK);
	else if (str_eq(which, "links"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ? OR other_id = ?", "ll", id, id), RC_OK);
	else
		fail_msg("unknown count %s", which);
	return n;
}

/* ---- vocabulary ------------------------------------------------------ */

static void test_vocabulary(void **state)
{
	(void)state;
	for (int k = 0; k < KIND_COUNT; k++) {
		CaseKind back;
		assert_true(case_kind_parse(case_kind_id((CaseKind)k), &back));
		assert_int_equal(back, k);
		assert_string_not_equal(tr("vi", case_kind_label((CaseKind)k)), case_kind_label((CaseKind)k));
	}
	assert_string_equal(tr("vi", case_kind_label(KIND_PETITION)), "Kiến nghị, phản ánh");
	assert_string_equal(tr("vi", case_kind_label(KIND_COMPLAINT)), "Khiếu nại");
	assert_string_equal(tr("vi", case_kind_label(KIND_DENUNCIATION)), "Tố cáo");
	CaseKind k;
	assert_false(case_kind_parse("mixed", &k));

	const char *channels[] = {CASE_CHANNELS};
	for (size_t i = 0; i < ARRAY_LEN(channels); i++) {
		assert_true(case_channel_valid(channels[i]));
		assert_string_not_equal(tr("vi", case_channel_label(channels[i])), case_channel_label(channels[i]));
	}
	assert_false(case_channel_valid("fax"));
	const char *statuses[] = {CASE_STATUSES};
	for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
		assert_true(case_status_valid(statuses[i]));
		assert_true(strlen(statuses[i]) < 16);
		assert_string_not_equal(tr("vi", case_status_label(statuses[i])), case_status_label(statuses[i]));
	}
	const char *actions[] = {CASE_ACTIONS, "intake", "split", "assign", "monitors", "reply", "note",
				 "citizen_info", "rating", "link_confirm", "link_dismiss"};
	for (size_t i = 0; i < ARRAY_LEN(actions); i++) {
		const char *l = case_action_label(actions[i]);
		assert_non_null(l);
		assert_string_not_equal(tr("vi", l), l);
	}
	for (size_t i = 0; i < case_reasons_count; i++)
		assert_string_not_equal(tr("vi", case_reasons[i].label), case_reasons[i].label);
	const char *outcomes[] = {"right", "partly_right", "wrong", "answered"};
	for (size_t i = 0; i < ARRAY_LEN(outcomes); i++)
		assert_string_not_equal(tr("vi", case_outcome_label(outcomes[i])), case_outcome_label(outcomes[i]));
	assert_true(case_outcome_valid(KIND_COMPLAINT, "partly_right"));
	assert_false(case_outcome_valid(KIND_PETITION, "right"));
	/* reason codes are per kind and purpose */
	assert_non_null(case_reason_find("kn_unsigned", KIND_COMPLAINT, false));
	assert_null(case_reason_find("kn_unsigned", KIND_DENUNCIATION, false));
	assert_null(case_reason_find("kn_unsigned", KIND_COMPLAINT, true));
	assert_non_null(case_reason_find("tc_no_basis", KIND_DENUNCIATION, false));
	assert_non_null(case_reason_find("anonymous", KIND_DENUNCIATION, true));
	/* complexity: one criterion complex, two or more very complex */
	assert_int_equal(case_complexity(0), 0);
	assert_int_equal(case_complexity(CRIT_FOREIGN), 1);
	assert_int_equal(case_complexity(CRIT_FOREIGN | CRIT_MULTI_PLACE), 2);
	assert_int_equal(case_complexity(127), 2);
}

static void test_fields_seeded(void **state)
{
	(void)state;
	CaseField *f;
	size_t n;
	assert_int_equal(case_fields(db, &f, &n), RC_OK);
	assert_true(n >= 10);
	bool land = false, other = false;
	int64_t land_id = 0;
	for (size_t i = 0; i < n; i++) {
		if (str_eq(f[i].code, "land")) {
			land = true;
			land_id = f[i].id;
			assert_string_equal(f[i].name, "Đất đai");
			assert_string_equal(f[i].name_en, "Land");
		}
		if (str_eq(f[i].code, "land.dispute"))
			assert_int_equal(f[i].parent_id, land_id); /* parent listed before child */
		other |= str_eq(f[i].code, "other");
	}
	assert_true(land && other);
	case_fields_release(f, n);
	/* seeding again changes nothing, and keeps a renamed field's name */
	int64_t before = 0, after = 0;
	assert_int_equal(db_run(db, "UPDATE field SET name = 'Đất đai (sửa)' WHERE code = 'land'", ""), RC_OK);
	assert_int_equal(db_get_int(db, &before, "SELECT count(*) FROM field", ""), RC_OK);
	assert_int_equal(case_seed_fields(db), RC_OK);
	assert_int_equal(db_get_int(db, &after, "SELECT count(*) FROM field", ""), RC_OK);
	assert_int_equal(before, after);
	char *name = NULL;
	assert_int_equal(db_get_text(db, &name, "SELECT name FROM field WHERE code = 'land'", ""), RC_OK);
	assert_string_equal(name, "Đất đai (sửa)");
	free(name);
}

/* ---- tracking codes ------------------------------------------------------ */

static bool code_well_formed(const char *c)
{
	if (strlen(c) != CASE_CODE_LEN || c[4] != '-' || c[9] != '-')
		return false;
	for (int i = 0; i < CASE_CODE_LEN; i++) {
		if (i == 4 || i == 9)
			continue;
		if (!strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c[i]) || !c[i])
			return false;
	}
	return true;
}

static void test_codes(void **state)
{
	(void)state;
	enum { N = 60 };
	char codes[N][CASE_CODE_LEN + 1];
	for (int i = 0; i < N; i++) {
		CaseCreated out;
		CaseIntake in = base(KIND_PETITION);
		assert_int_equal(case_intake(db, &recv_a, &in, &out, NULL), RC_OK);
		assert_true(code_well_formed(out.code));
		memcpy(codes[i], out.code, sizeof codes[i]);
		char *stored = col_text("code", out.id);
		assert_string_equal(stored, out.code); /* stored with the dashes */
		free(stored);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(codes[i], codes[j]);
	}
	/* what a citizen types: any case, dashes or spaces optional, O/I/L look-alikes */
	char norm[CASE_CODE_LEN + 1];
	assert_true(case_code_parse("abcd-efgh-jk", norm));
	assert_string_equal(norm, "ABCD-EFGH-JK");
	assert_true(case_code_parse("ABCDEFGHJK", norm));
	assert_string_equal(norm, "ABCD-EFGH-JK");
	assert_true(case_code_parse(" o1l2 i345 67 ", norm));
	assert_string_equal(norm, "0112-1345-67");
	assert_false(case_code_parse("ABCD-EFGH-JU", norm)); /* U is not in the alphabet */
	assert_false(case_code_parse("ABCD-EFGH-J", norm));
	assert_false(case_code_parse("ABCD-EFGH-JKM", norm));
	assert_false(case_code_parse("", norm));
	assert_false(case_code_parse(NULL, norm));
	/* the public load finds a case by its code typed loosely */
	char loose[16];
	int j = 0;
	for (const char *p = codes[0]; *p; p++)
		if (*p != '-')
			loose[j++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	loose[j] = 0;
	Case c;
	assert_int_equal(case_load_public(db, loose, &c), RC_OK);
	assert_string_equal(c.code, codes[0]);
	case_release(&c);
	assert_int_equal(case_load_public(db, "0000-0000-00", &c), RC_NOT_FOUND);
}

/* ---- intake validation --------------------------------------------------- */

static void expect_invalid(const Principal *who, const CaseIntake *in, const char *want)
{
	int64_t before = 0, after = 0;
	assert_int_equal(db_get_int(db, &before, "SELECT count(*) FROM cases", ""), RC_OK);
	CaseCreated out;
	const char *problem = NULL;
	Rc rc = case_intake(db, who, in, &out, &problem);
	if (rc != RC_INVALID)
		fail_msg("expected RC_INVALID (%s), got %s", want, rc_name(rc));
	assert_non_null(problem);
	if (want)
		assert_string_equal(problem, want);
	assert_string_not_equal(tr("vi", problem), problem);
	assert_int_equal(db_get_int(db, &after, "SELECT count(*) FROM cases", ""), RC_OK);
	assert_int_equal(before, after);
}

static void test_intake_per_kind(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_DENUNCIATION);
	in.signed_ = false;
	expect_invalid(&recv_a, &in, "The submission must be signed or finger-printed");
	in = base(KIND_DENUNCIATION);
	in.address = "  ";
	expect_invalid(&recv_a, &in, "Enter the address");
	in = base(KIND_DENUNCIATION);
	in.name = NULL;
	expect_invalid(&recv_a, &in, "Enter the full name");

	in = base(KIND_COMPLAINT);
	in.address = NULL;
	expect_invalid(&recv_a, &in, "Enter the address");
	in = base(KIND_COMPLAINT);
	in.signed_ = false;
	expect_invalid(&recv_a, &in, "The submission must be signed or finger-printed");

	/* a petition needs a name and one way to answer, not a signature */
	in = base(KIND_PETITION);
	in.address = NULL;
	in.phone = NULL;
	in.signed_ = false;
	expect_invalid(&recv_a, &in, "Enter an address, a phone number or an e-mail address");
	in.email = "dan@example.vn";
	int64_t id = intake_as(&recv_a, &in);
	assert_status(id, "received");

	in = base(KIND_PETITION);
	in.title = "";
	expect_invalid(&recv_a, &in, "Enter a short title");
	in = base(KIND_PETITION);
	in.content = " \n ";
	expect_invalid(&recv_a, &in, "Enter the content");
	in = base(KIND_PETITION);
	in.phone = "12ab";
	expect_invalid(&recv_a, &in, "The phone number is not valid");
	in = base(KIND_PETITION);
	in.email = "not-an-address";
	expect_invalid(&recv_a, &in, "The e-mail address is not valid.");
	in = base(KIND_PETITION);
	in.id_number = "12345";
	expect_invalid(&recv_a, &in, "The ID number must have 9 or 12 digits");
	in = base(KIND_PETITION);
	in.field_code = "no-such-field";
	expect_invalid(&recv_a, &in, "The field is not known");
	in = base(KIND_PETITION);
	in.unit_id = 999;
	expect_invalid(&recv_a, &in, "The commune is not known");
	in = base(KIND_PETITION);
	in.kind = KIND_COUNT;
	expect_invalid(&recv_a, &in, "Choose the kind of submission");
	in = base(KIND_PETITION);
	in.channel = "forwarded";
	expect_invalid(&recv_a, &in, "Name the body that forwarded it");
	in.forwarded_from = "Văn phòng Đoàn đại biểu Quốc hội tỉnh P";
	id = intake_as(&recv_a, &in);
	assert_true(id > 0);

	/* the title limit counts characters, not bytes */
	char title[2 * (CASE_TITLE_MAX + 1) + 1];
	for (int i = 0; i < CASE_TITLE_MAX + 1; i++)
		memcpy(title + 2 * i, "đ", 2);
	title[2 * (CASE_TITLE_MAX + 1)] = 0;
	in = base(KIND_PETITION);
	in.title = title;
	expect_invalid(&recv_a, &in, "The title is too long (at most 300 characters)");
	title[2 * CASE_TITLE_MAX] = 0;
	id = intake_as(&recv_a, &in);
	assert_true(id > 0);
}

static void test_intake_anonymous(void **state)
{
	(void)state;
	/* anonymous information: received, identity dropped, not a denunciation */
	CaseIntake in = base(KIND_DENUNCIATION);
	in.anonymous = true;
	in.signed_ = false;
	in.channel = "web";
	in.name = "Tên bị bỏ";
	in.email = "an.danh@example.vn";
	int64_t id = intake_as(NULL, &in);
	int64_t anon = 0, with_identity = 1, mails = 1;
	assert_int_equal(db_get_int(db, &anon, "SELECT anonymous FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(anon, 1);
	assert_int_equal(db_get_int(db, &with_identity,
				    "SELECT (citizen_name IS NOT NULL) + (citizen_email IS NOT NULL)"
				    " + (identity_sealed IS NOT NULL) + (person_key IS NOT NULL)"
				    " FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(with_identity, 0);
	assert_int_equal(db_get_int(db, &mails, "SELECT count(*) FROM outbox", ""), RC_OK);
	assert_int_equal(mails, 0);
	/* its clock is the petition's "handle", not the denunciation's "initial" */
	assert_dl(id, "handle", "open");
	assert_dl(id, "initial", "");
	/* it can only be filed or forwarded for a management check */
	assert_int_equal(act(&hand_a, id, "classify"), RC_OK);
	const char *problem = NULL;
	CaseAction a = {.action = "accept", .remote_area = -1};
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_CONFLICT);
	assert_string_equal(problem, "Anonymous information can only be filed or forwarded for a management check");
	assert_int_equal(act(&hand_a, id, "refuse"), RC_CONFLICT);
	a = (CaseAction){.action = "file", .reason_code = "management_check", .remote_area = -1};
	assert_int_equal(act_full(&hand_a, id, &a), RC_OK);
	assert_status(id, "filed");

	/* the public web form: channel web, received today, no backdating */
	in = base(KIND_PETITION);
	in.channel = "desk";
	expect_invalid(NULL, &in, "Choose how the submission was received");
	in.channel = NULL;
	in.received_on = "2020-01-01";
	id = intake_as(NULL, &in);
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_string_equal(c.channel, "web");
	assert_string_not_equal(c.received_on, "2020-01-01");
	case_release(&c);
}

static void test_intake_staff(void **state)
{
	(void)state;
	/* staff register on behalf of the citizen with the real date and channel */
	CaseIntake in = base(KIND_COMPLAINT);
	in.channel = "post";
	in.received_on = "2026-01-05";
	int64_t id = intake_as(&recv_a, &in);
	Case c;
	assert_int_equal(case_load(db, &recv_a, id, &c), RC_OK);
	assert_string_equal(c.received_on, "2026-01-05");
	assert_string_equal(c.channel, "post");
	assert_int_equal(c.receiving_org_id, O_A);
	case_release(&c);
	/* the first step runs from the date received */
	char *start = NULL;
	assert_int_equal(db_get_text(db, &start, "SELECT starts_on FROM case_deadline WHERE case_id = ?"
				     " AND step = 'accept'", "l", id), RC_OK);
	assert_string_equal(start, "2026-01-05");
	free(start);

	in.received_on = "2999-01-01";
	expect_invalid(&recv_a, &in, "The date received cannot be in the future");
	in.received_on = "5/1/2026";
	expect_invalid(&recv_a, &in, "Enter the date received as YYYY-MM-DD");
	in.received_on = NULL;
	in.receiving_org_id = O_Q_MM; /* not theirs, not in their area */
	expect_invalid(&recv_a, &in, "The receiving organisation is not valid");

	/* no case capability: refused outright */
	in = base(KIND_PETITION);
	CaseCreated out;
	assert_int_equal(case_intake(db, &editor_a, &in, &out, NULL), RC_FORBIDDEN);
}

static void test_intake_group(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.people_count = 7;
	expect_invalid(&recv_a, &in, NULL); /* a group needs representatives */
	in.representatives[0] = "Nguyễn Văn Một";
	in.representatives[1] = "Nguyễn Văn Hai";
	in.representatives[2] = "Nguyễn Văn Ba";
	expect_invalid(&recv_a, &in, NULL); /* at most 2 for up to 10 people */
	in.representatives[2] = NULL;
	int64_t id = intake_as(&recv_a, &in);
	int64_t reps = 0, people = 0, criteria = 0;
	assert_int_equal(db_get_int(db, &reps, "SELECT count(*) FROM case_person WHERE case_id = ?", "l", id), RC_OK);
	assert_int_equal(reps, 2);
	assert_int_equal(db_get_int(db, &people, "SELECT people_count FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(people, 7);
	assert_int_equal(db_get_int(db, &criteria, "SELECT criteria FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_true(criteria & CRIT_MANY_PEOPLE);
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_string_equal(c.representatives[0], "Nguyễn Văn Một");
	assert_null(c.representatives[2]);
	case_release(&c);

	/* more than 10 people: up to 5 representatives */
	in.people_count = 40;
	in.representatives[2] = "Ba";
	in.representatives[3] = "Bốn";
	in.representatives[4] = "Năm";
	assert_true(intake_as(&recv_a, &in) > 0);
	/* representatives without a group */
	in.people_count = 2;
	expect_invalid(&recv_a, &in, "Representatives are only for groups of 5 or more people");
	in.people_count = -3;
	expect_invalid(&recv_a, &in, "The number of people is not valid");

	/* a group denunciation: the representatives are denouncers, sealed too */
	in = base(KIND_DENUNCIATION);
	in.people_count = 6;
	in.representatives[0] = "Đại Diện Kín";
	id = intake_as(&recv_a, &in);
	assert_int_equal(db_get_int(db, &reps, "SELECT count(*) FROM case_person WHERE case_id = ?", "l", id), RC_OK);
	assert_int_equal(reps, 0);
}

/* ---- the intake log (case_intake_log.c) ----------------------------------- */
/* These commit (the log is a database of its own, and the build opens its
 * own transactions), so they run last and use texts no other test does. */

static int64_t count_code(const char *sql, const char *code)
{
	int64_t n = -1;
	if (db_get_int(db, &n, sql, "t", code))
		fail_msg("%s: %s", sql, db_errmsg(db));
	return n;
}

static bool in_log(const char *code)
{
	bool found = false;
	assert_int_equal(case_intake_log_has(db, code, &found), RC_OK);
	return found;
}

static Db *log_db(void)
{
	Db *log = NULL;
	if (case_intake_log_open(dbpath, &log))
		fail_msg("intake log: %s", db_errmsg(log));
	return log;
}

static void build_log(int want_built, int want_failed)
{
	Db *log = log_db();
	int built = -1, failed = -1;
	assert_int_equal(case_intake_log_build(db, log, CASE_INTAKE_BATCH, &built, &failed), RC_OK);
	db_close(log);
	assert_int_equal(built, want_built);
	assert_int_equal(failed, want_failed);
}

static CaseIntake public_petition(void)
{
	CaseIntake in = base(KIND_PETITION);
	in.channel = NULL; /* the public form */
	in.field_code = NULL;
	in.title = "Kiến nghị lắp đèn chiếu sáng ngõ Sổ Nhật";
	in.content = "Ngõ Sổ Nhật tối om, đề nghị lắp đèn chiếu sáng công cộng.";
	return in;
}

/* The public form's path: one log row at once, the whole case after the
 * build, exactly as case_intake makes it. */
static void test_intake_log(void **state)
{
	(void)state;
	CaseIntake in = public_petition();
	in.email = "binh@example.vn";
	in.id_number = "001190000777";
	CaseCreated out;
	const char *problem = NULL;
	assert_int_equal(case_intake_log_append(db, &in, &out, &problem), RC_OK);
	assert_true(code_well_formed(out.code));
	assert_int_equal(out.id, 0);
	assert_true(in_log(out.code));
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ?", out.code), 0);
	int64_t waiting = -1, stuck = -1;
	assert_int_equal(case_intake_log_count(db, &waiting, &stuck), RC_OK);
	assert_int_equal(waiting, 1);
	assert_int_equal(stuck, 0);

	build_log(1, 0);
	assert_false(in_log(out.code));
	int64_t id = count_code("SELECT id FROM cases WHERE code = ?", out.code);
	assert_true(id > 0);
	/* the whole case: person, key, event, deadline, receipt, audit, search */
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ?"
				    " AND citizen_name = 'Trần Thị Bình' AND citizen_email = 'binh@example.vn'",
				    out.code), 1);
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ? AND channel = 'web'"
				    " AND status = 'received' AND person_key IS NOT NULL", out.code), 1);
	assert_int_equal(count_sql_id("events", id), 1);
	assert_dl(id, "handle", "open");
	assert_int_equal(count_code("SELECT count(*) FROM outbox WHERE body LIKE '%' || ? || '%'", out.code), 1);
	assert_int_equal(count_code("SELECT count(*) FROM audit WHERE action = 'case.receive'"
				    " AND detail LIKE ? || '%'", out.code), 1);
	CaseList l;
	CaseFilter f = {.kind = -1, .q = "so nhat chieu sang"};
	assert_int_equal(case_list(db, &hand_a, &f, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.rows[0].id, id);
	case_list_release(&l);
	/* the citizen finds it by the code given at once */
	Case c;
	assert_int_equal(case_load_public(db, out.code, &c), RC_OK);
	assert_string_equal(c.status, "received");
	case_release(&c);

	/* the same refusals as case_intake, and nothing written */
	in.name = NULL;
	assert_int_equal(case_intake_log_append(db, &in, &out, &problem), RC_INVALID);
	assert_string_equal(problem, "Enter the full name");
	in = public_petition();
	in.channel = "desk"; /* staff channels never go through the log */
	assert_int_not_equal(case_intake_log_append(db, &in, &out, &problem), RC_OK);
	assert_int_equal(case_intake_log_count(db, &waiting, &stuck), RC_OK);
	assert_int_equal(waiting, 0);
}

/* Rows written straight into the log, as a crash or a fault leaves them. */
static void log_insert_raw(const char *code, int64_t created_at, const char *kind, const char *title)
{
	Db *log = log_db();
	assert_int_equal(db_run(log, "INSERT INTO intake_log (code, created_at, kind, received_on, title,"
				     " content, anonymous, people_count, criteria, remote_area)"
				     " VALUES (?, ?, ?, '2026-01-05', ?, 'Nội dung.', 1, 1, 0, 0)",
				"tltt", code, created_at, kind, title), RC_OK);
	db_close(log);
}

/* A row that cannot be built is kept with its error, never blocks the
 * rows behind it, and stops being tried after five attempts.  A row whose
 * case was built before a crash kept it is only removed (no twin); a row
 * whose code is another case's is never merged into it. */
static void test_intake_log_failures(void **state)
{
	(void)state;
	log_insert_raw("BAD0-BAD0-00", 0, "nonsense", "Hỏng");
	CaseIntake in = public_petition();
	CaseCreated ok1;
	assert_int_equal(case_intake_log_append(db, &in, &ok1, NULL), RC_OK);
	build_log(1, 1);
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ?", ok1.code), 1);
	Db *log = log_db();
	int64_t attempts = -1, with_error = -1;
	assert_int_equal(db_get_int(log, &attempts, "SELECT attempts FROM intake_log WHERE code = 'BAD0-BAD0-00'", ""), RC_OK);
	assert_int_equal(db_get_int(log, &with_error, "SELECT count(*) FROM intake_log"
				    " WHERE code = 'BAD0-BAD0-00' AND last_error = 'invalid'", ""), RC_OK);
	db_close(log);
	assert_int_equal(attempts, 1);
	assert_int_equal(with_error, 1);
	for (int i = 2; i <= 5; i++)
		build_log(0, 1);
	build_log(0, 0); /* given up on: an operator's */
	int64_t waiting = -1, stuck = -1;
	assert_int_equal(case_intake_log_count(db, &waiting, &stuck), RC_OK);
	assert_int_equal(waiting, 0);
	assert_int_equal(stuck, 1);

	/* built before a crash, row kept: removed, no second case */
	int64_t created = count_code("SELECT created_at FROM cases WHERE code = ?", ok1.code);
	log_insert_raw(ok1.code, created, "petition", in.title);
	build_log(1, 0);
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ?", ok1.code), 1);
	assert_false(in_log(ok1.code));
	/* the same code on another submission: kept with the error, not merged */
	log_insert_raw(ok1.code, created + 5, "petition", "Một đơn khác");
	build_log(0, 1);
	assert_int_equal(count_code("SELECT count(*) FROM cases WHERE code = ?", ok1.code), 1);
	assert_true(in_log(ok1.code));
	log = log_db();
	assert_int_equal(db_run(log, "DELETE FROM intake_log", ""), RC_OK);
	db_close(log);
}

/* ---- the sealed identity -------------------------------------------------- */

static bool file_contains(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	if (util_read_file(path, (size_t)256 << 20, &data, &len) != RC_OK)
		return false; /* no such file (e.g. no WAL yet) */
	bool found = memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

static void test_denunciation_sealed(void **state)
{
	(void)state;
	static const char *secrets[] = {"Vũ Thị Kín Đáo", "Ngõ Bảo Mật số 7", "0987654321",
					"kin.dao@example.vn", "001099012345"};
	CaseIntake in = base(KIND_DENUNCIATION);
	in.title = "Tố cáo cán bộ địa chính nhận tiền";
	in.content = "Cán bộ địa chính xã A nhận tiền để cấp giấy chứng nhận sai quy định.";
	in.name = secrets[0];
	in.address = secrets[1];
	in.phone = secrets[2];
	in.email = secrets[3];
	in.id_number = secrets[4];
	CaseCreated out;
	const char *problem = NULL;
	assert_int_equal(case_intake(db, &recv_a, &in, &out, &problem), RC_OK);
	int64_t id = out.id;
	/* act on it too, so events and audit entries exist */
	must(&hand_a, id, "classify");
	assert_int_equal(case_reply(db, &hand_a, id, "Đã nhận đơn, đang xử lý."), RC_OK);
	assert_int_equal(case_note(db, &hand_a, id, "Cần xác minh tại hai địa điểm."), RC_OK);
	/* the same denouncer through the public form's path: the intake log
	 * row is written with the identity already sealed */
	CaseIntake pub = in;
	pub.channel = NULL;
	pub.field_code = NULL;
	CaseCreated logged;
	assert_int_equal(case_intake_log_append(db, &pub, &logged, &problem), RC_OK);
	Db *logc = NULL;
	assert_int_equal(case_intake_log_open(dbpath, &logc), RC_OK);
	int64_t log_clear = -1;
	assert_int_equal(db_get_int(logc, &log_clear,
				    "SELECT count(*) FROM intake_log WHERE code = ? AND person IS NULL"
				    " AND length(sealed) > 48", "t", logged.code), RC_OK);
	db_close(logc);
	assert_int_equal(log_clear, 1);
	assert_int_equal(db_commit(db), RC_OK);
	/* the log's files hold the sealed identity only */
	char logpath[160], logwal[170];
	case_intake_log_path(dbpath, logpath, sizeof logpath);
	xsnprintf(logwal, sizeof logwal, "%s-wal", logpath);
	for (size_t i = 0; i < ARRAY_LEN(secrets); i++)
		if (file_contains(logpath, secrets[i]) || file_contains(logwal, secrets[i]))
			fail_msg("'%s' is in the clear in the intake log", secrets[i]);
	assert_true(file_contains(logpath, "địa chính") || file_contains(logwal, "địa chính"));
	int64_t built = 0;
	assert_int_equal(case_intake_log_drain(db, &built), RC_OK);
	assert_int_equal(built, 1);
	int64_t log_sealed = 0;
	assert_int_equal(db_get_int(db, &log_sealed,
				    "SELECT count(*) FROM cases WHERE code = ? AND citizen_name IS NULL"
				    " AND length(identity_sealed) > 48 AND pseudonym IS NOT NULL", "t",
				    logged.code), RC_OK);
	assert_int_equal(log_sealed, 1);

	int64_t clear = -1, sealed = 0, mails = -1;
	assert_int_equal(db_get_int(db, &clear,
				    "SELECT (citizen_name IS NOT NULL) + (citizen_address IS NOT NULL)"
				    " + (citizen_phone IS NOT NULL) + (citizen_email IS NOT NULL)"
				    " + (citizen_id_number IS NOT NULL) + (person_key IS NOT NULL)"
				    " FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(clear, 0);
	assert_int_equal(db_get_int(db, &sealed, "SELECT length(identity_sealed) FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_true(sealed > 48);
	/* no receipt or reply by e-mail for a denunciation (either path) */
	assert_int_equal(db_get_int(db, &mails, "SELECT count(*) FROM outbox", ""), RC_OK);
	assert_int_equal(mails, 0);
	/* the search key is the matter, never the person */
	CaseList l;
	CaseFilter f = {.kind = -1, .q = "Kín Đáo"};
	assert_int_equal(case_list(db, &central, &f, &l), RC_OK);
	assert_int_equal(l.count, 0);
	case_list_release(&l);
	f.q = "dia chinh nhan tien";
	assert_int_equal(case_list(db, &central, &f, &l), RC_OK);
	assert_int_equal(l.count, 2);
	case_list_release(&l);
	/* nothing of the identity anywhere in the database files */
	char wal[160];
	xsnprintf(wal, sizeof wal, "%s-wal", dbpath);
	for (size_t i = 0; i < ARRAY_LEN(secrets); i++) {
		if (file_contains(dbpath, secrets[i]) || file_contains(wal, secrets[i]))
			fail_msg("'%s' is stored in the clear", secrets[i]);
	}
	/* while the matter itself is (the check can find what is there) */
	assert_true(file_contains(dbpath, "địa chính") || file_contains(wal, "địa chính"));

	/* staff see a pseudonym and no personal data */
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_true(c.identity_sealed);
	assert_null(c.citizen_name);
	assert_null(c.citizen_email);
	assert_true(str_starts(c.pseudonym, "Người tố cáo"));
	case_release(&c);
	/* and the vault opens it for a handler who holds the key */
	char keypath[128], *hex = NULL, *identity = NULL;
	size_t len = 0;
	xsnprintf(keypath, sizeof keypath, "%s/vault.key", dir);
	assert_int_equal(util_read_file(keypath, 1024, &hex, &len), RC_OK);
	text_trim(hex);
	assert_int_equal(vault_reveal(db, &hand_a, id, hex, &identity), RC_OK);
	assert_non_null(strstr(identity, secrets[0]));
	assert_non_null(strstr(identity, "\"id_number\""));
	free(identity);
	free(hex);

	/* no vault key: denunciations are refused, never stored in the clear */
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(db_run(db, "DELETE FROM setting WHERE key = 'vault_public_key'", ""), RC_OK);
	problem = NULL;
	assert_int_equal(case_intake(db, &recv_a, &in, &out, &problem), RC_CONFLICT);
	assert_string_equal(problem, "The confidential vault is not set up");
	assert_string_not_equal(tr("vi", problem), problem);
	/* anonymous information carries no identity, so it needs no vault */
	in.anonymous = true;
	assert_int_equal(case_intake(db, &recv_a, &in, &out, &problem), RC_OK);
	/* the teardown rolls this transaction back, key included */
}

static void test_personal_visibility(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.email = "binh@example.vn";
	in.id_number = "001188000111";
	int64_t id = intake_as(&recv_a, &in);
	Case c;
	/* CAP_CASE_VIEW in scope: the person is visible */
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_string_equal(c.citizen_name, "Trần Thị Bình");
	assert_string_equal(c.citizen_id_number, "001188000111");
	assert_true(c.personal_visible);
	case_release(&c);
	/* the province's mass-mobilisation staff: in area and may follow the
	 * matter, but personal data is for those who receive or handle it */
	assert_int_equal(case_load(db, &monitor_p, id, &c), RC_OK);
	assert_null(c.citizen_name);
	assert_false(c.personal_visible);
	case_release(&c);
	/* another province's body asked to monitor: the matter, not the person */
	assert_int_equal(case_load(db, &monitor_q, id, &c), RC_NOT_FOUND);
	int64_t orgs[] = {O_Q_MM};
	assert_int_equal(case_set_monitors(db, &hand_a, id, orgs, 1), RC_OK);
	assert_int_equal(case_load(db, &monitor_q, id, &c), RC_OK);
	assert_null(c.citizen_name);
	assert_null(c.citizen_phone);
	assert_false(c.personal_visible);
	assert_int_equal(c.n_monitors, 1);
	case_release(&c);
	/* only mass-mobilisation bodies monitor */
	int64_t bad[] = {O_B};
	assert_int_equal(case_set_monitors(db, &hand_a, id, bad, 1), RC_INVALID);
	/* the citizen's tracking page: no personal data, no staff names */
	char *code = col_text("code", id);
	assert_int_equal(case_assign(db, &hand_a, id, USER_HAND_A), RC_OK);
	assert_int_equal(case_load_public(db, code, &c), RC_OK);
	assert_null(c.citizen_name);
	assert_null(c.citizen_email);
	assert_string_equal(c.assignee_name, "");
	assert_int_equal(c.assignee_id, 0);
	assert_string_equal(c.pseudonym, "");
	case_release(&c);
	free(code);
	/* no case capability at all: not even in area */
	assert_int_equal(case_load(db, &editor_a, id, &c), RC_NOT_FOUND);
}

/* ---- the state machine ----------------------------------------------------- */

/* The specification, written independently of case_flow.c's table. */
static const struct {
	const char *action;
	const char *from;     /* space-separated */
	uint32_t caps;        /* any of */
	bool complaint;       /* applies to complaints (tested kind) */
} spec[] = {
	{"classify", "received classified", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"accept", "classified appealed", CAP_CASE_HANDLE, true},
	{"refuse", "received classified appealed", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"forward", "received classified", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"guide", "received classified", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"file", "received classified", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"verify", "accepted", CAP_CASE_HANDLE, true},
	{"extend", "verifying", CAP_CASE_HANDLE, false},
	{"suspend", "accepted verifying", CAP_CASE_HANDLE, true},
	{"resume", "suspended", CAP_CASE_HANDLE, true},
	{"terminate", "accepted verifying suspended", CAP_CASE_HANDLE, true},
	{"withdraw", "received classified accepted verifying suspended appealed", CAP_CASE_HANDLE, true},
	{"decide", "accepted verifying", CAP_CASE_HANDLE, true},
	{"notify", "decided", CAP_CASE_HANDLE, true},
	{"appeal", "decided notified", CAP_CASE_RECEIVE | CAP_CASE_HANDLE, true},
	{"take_effect", "notified", CAP_CASE_HANDLE, true},
	{"close", "notified in_effect filed guided forwarded refused terminated withdrawn", CAP_CASE_HANDLE, true},
	{"archive", "closed", CAP_CASE_HANDLE, true},
	{"reopen", "filed guided forwarded refused closed", CAP_CASE_HANDLE, true},
};

static bool word_in(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static void test_transition_table(void **state)
{
	(void)state;
	const char *statuses[] = {CASE_STATUSES};
	const Principal *who[] = {&recv_a, &hand_a, &editor_a, &monitor_p};
	for (size_t s = 0; s < ARRAY_LEN(spec); s++) {
		for (size_t st = 0; st < ARRAY_LEN(statuses); st++) {
			for (size_t w = 0; w < ARRAY_LEN(who); w++) {
				Case c;
				memset(&c, 0, sizeof c);
				c.kind = spec[s].complaint ? KIND_COMPLAINT : KIND_DENUNCIATION;
				c.criteria = CRIT_FOREIGN | CRIT_MULTI_PLACE; /* extensions possible */
				c.instance = 1;
				xsnprintf(c.status, sizeof c.status, "%s", statuses[st]);
				bool want = word_in(spec[s].from, statuses[st]) && (who[w]->caps & spec[s].caps);
				bool got = case_action_allowed(who[w], &c, spec[s].action);
				if (want != got)
					fail_msg("%s from %s by %s: expected %d", spec[s].action, statuses[st],
						 who[w]->login, want);
			}
		}
	}
	/* kind rules */
	Case c;
	memset(&c, 0, sizeof c);
	c.kind = KIND_COMPLAINT;
	c.criteria = 127;
	xsnprintf(c.status, sizeof c.status, "verifying");
	assert_false(case_action_allowed(&hand_a, &c, "extend")); /* denunciations only */
	c.kind = KIND_PETITION;
	xsnprintf(c.status, sizeof c.status, "notified");
	assert_false(case_action_allowed(&hand_a, &c, "appeal")); /* no appeal for petitions */
	c.kind = KIND_COMPLAINT;
	c.instance = 2;
	assert_false(case_action_allowed(&hand_a, &c, "appeal")); /* once only */
	c.instance = 1;
	c.anonymous = true;
	xsnprintf(c.status, sizeof c.status, "classified");
	assert_false(case_action_allowed(&hand_a, &c, "accept"));
	assert_true(case_action_allowed(&hand_a, &c, "file"));
	assert_true(case_action_allowed(&hand_a, &c, "forward"));
	assert_false(case_action_allowed(&hand_a, &c, "no_such_action"));
	assert_false(case_action_allowed(NULL, &c, "file"));
}

static void test_flow_complaint(void **state)
{
	(void)state;
	int64_t id = mk(KIND_COMPLAINT);
	int64_t events = count_sql_id("events", id), audits = count_sql_id("audit", 0);
	/* wrong capability: refused, nothing changes */
	const char *problem = NULL;
	CaseAction a = {.action = "accept", .remote_area = -1};
	assert_int_equal(act(&recv_a, id, "classify"), RC_OK);
	events++, audits++;
	assert_int_equal(case_act(db, &recv_a, id, &a, &problem), RC_FORBIDDEN);
	assert_string_equal(problem, "You may not take this action on cases");
	assert_status(id, "classified");
	/* wrong status */
	assert_int_equal(case_act(db, &hand_a, id, &(CaseAction){.action = "decide", .outcome = "right",
				  .remote_area = -1}, &problem), RC_CONFLICT);
	assert_string_equal(problem, "This action is not possible in the case's current status");
	assert_int_equal(case_act(db, &hand_a, id, &(CaseAction){.action = "fly", .remote_area = -1},
				  &problem), RC_INVALID);
	assert_int_equal(count_sql_id("events", id), events);
	assert_int_equal(count_sql_id("audit", 0), audits);

	/* the whole way: accept, verify, decide, notify, in effect, close, archive */
	a = (CaseAction){.action = "accept", .doc_number = "05/TB-UBND", .doc_date = "2026-01-02",
			 .note = "Thụ lý giải quyết lần đầu", .remote_area = -1};
	assert_int_equal(act_full(&hand_a, id, &a), RC_OK);
	must(&hand_a, id, "verify");
	assert_int_equal(case_act(db, &hand_a, id, &(CaseAction){.action = "decide", .remote_area = -1},
				  &problem), RC_INVALID);
	assert_string_equal(problem, "Choose the outcome of the decision");
	assert_int_equal(case_act(db, &hand_a, id, &(CaseAction){.action = "decide", .outcome = "answered",
				  .remote_area = -1}, &problem), RC_INVALID); /* a petition's outcome */
	a = (CaseAction){.action = "decide", .outcome = "partly_right", .doc_number = "123/QĐ-UBND",
			 .remote_area = -1};
	assert_int_equal(act_full(&hand_a, id, &a), RC_OK);
	must(&hand_a, id, "notify");
	must(&hand_a, id, "take_effect");
	must(&hand_a, id, "close");
	must(&hand_a, id, "archive");
	assert_status(id, "archived");
	assert_int_equal(count_sql_id("events", id), events + 7);
	assert_int_equal(count_sql_id("audit", 0), audits + 7);
	/* events record actor, document and the statuses */
	char *doc = NULL;
	assert_int_equal(db_get_text(db, &doc, "SELECT actor || '|' || doc_number || '|' || doc_date ||"
				     " '|' || from_status || '>' || to_status FROM case_event"
				     " WHERE case_id = ? AND action = 'accept'", "l", id), RC_OK);
	assert_string_equal(doc, "hand.a|05/TB-UBND|2026-01-02|classified>accepted");
	free(doc);
	char *audit = NULL;
	assert_int_equal(db_get_text(db, &audit, "SELECT action FROM audit ORDER BY id DESC LIMIT 1", ""), RC_OK);
	assert_string_equal(audit, "case.archive");
	free(audit);
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_string_equal(c.outcome, "partly_right");
	case_release(&c);
	/* a document date in the future is refused */
	id = mk(KIND_COMPLAINT);
	must(&hand_a, id, "classify");
	a = (CaseAction){.action = "accept", .doc_date = "2999-01-01", .remote_area = -1};
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_INVALID);
	assert_string_equal(problem, "The document date cannot be in the future");
	assert_status(id, "classified");
}

static void test_flow_initial_outcomes(void **state)
{
	(void)state;
	/* refuse needs a legal reason of the right law */
	int64_t id = mk(KIND_COMPLAINT);
	const char *problem = NULL;
	CaseAction a = {.action = "refuse", .reason_code = "tc_no_basis", .remote_area = -1};
	assert_int_equal(case_act(db, &recv_a, id, &a, &problem), RC_INVALID);
	assert_string_equal(problem, "Choose a legal reason");
	a.reason_code = "kn_unsigned";
	assert_int_equal(case_act(db, &recv_a, id, &a, &problem), RC_OK);
	assert_status(id, "refused");
	Case c;
	assert_int_equal(case_load(db, &recv_a, id, &c), RC_OK);
	assert_string_equal(c.refuse_reason, "kn_unsigned");
	case_release(&c);
	/* refusing answers the first step; nothing stays open */
	assert_dl(id, "accept", "met");
	/* reopened by a handler, it starts again */
	must(&hand_a, id, "reopen");
	assert_status(id, "received");
	assert_dl(id, "accept", "open");

	/* file with a filing reason, guide, forward with the body named */
	id = mk(KIND_PETITION);
	a = (CaseAction){.action = "file", .reason_code = "kn_unsigned", .remote_area = -1};
	assert_int_equal(act_full(&recv_a, id, &a), RC_INVALID); /* a refusal reason, not a filing one */
	a.reason_code = "already_resolved";
	assert_int_equal(act_full(&recv_a, id, &a), RC_OK);
	assert_dl(id, "handle", "met");
	id = mk(KIND_PETITION);
	must(&recv_a, id, "guide");
	assert_status(id, "guided");
	id = mk(KIND_DENUNCIATION);
	a = (CaseAction){.action = "forward", .remote_area = -1};
	assert_int_equal(case_act(db, &recv_a, id, &a, &problem), RC_INVALID);
	assert_string_equal(problem, "Name the body the case is forwarded to");
	a.forward_to = "Thanh tra tỉnh P";
	assert_int_equal(act_full(&recv_a, id, &a), RC_OK);
	assert_status(id, "forwarded");
	assert_dl(id, "initial", "met");
	int64_t open = -1;
	assert_int_equal(db_get_int(db, &open, "SELECT count(*) FROM case_deadline WHERE case_id = ?"
				    " AND state IN ('open', 'paused')", "l", id), RC_OK);
	assert_int_equal(open, 0);
	char *note = NULL;
	assert_int_equal(db_get_text(db, &note, "SELECT note FROM case_event WHERE case_id = ?"
				     " AND action = 'forward'", "l", id), RC_OK);
	assert_non_null(strstr(note, "Thanh tra tỉnh P"));
	free(note);
}

static void test_reclassify(void **state)
{
	(void)state;
	int64_t id = mk(KIND_PETITION);
	assert_dl(id, "handle", "open");
	CaseAction a = {.action = "classify", .kind = KIND_COMPLAINT, .kind_set = true,
			.field_code = "compensation", .unit_id = U_B, .responsible_org_id = O_B,
			.criteria = CRIT_MULTI_AGENCY, .remote_area = 1};
	assert_int_equal(act_full(&recv_a, id, &a), RC_OK);
	Case c;
	/* routed to commune B's committee: both areas may work on it now */
	assert_int_equal(case_load(db, &hand_b, id, &c), RC_OK);
	assert_int_equal(c.kind, KIND_COMPLAINT);
	assert_int_equal(c.unit_id, U_B);
	assert_int_equal(c.responsible_org_id, O_B);
	assert_true(c.remote_area);
	assert_int_equal(c.criteria, CRIT_MULTI_AGENCY);
	case_release(&c);
	assert_int_equal(case_load(db, &recv_a, id, &c), RC_OK); /* A received it */
	case_release(&c);
	/* the new kind's clock replaces the old one */
	assert_dl(id, "handle", "cancelled");
	assert_dl(id, "accept", "open");
	/* and the history keeps what changed */
	char *note = NULL;
	assert_int_equal(db_get_text(db, &note, "SELECT note FROM case_event WHERE case_id = ?"
				     " AND action = 'classify'", "l", id), RC_OK);
	assert_non_null(strstr(note, "kind=complaint"));
	assert_non_null(strstr(note, "field=compensation"));
	free(note);

	/* becoming a denunciation seals the identity that was in the clear */
	CaseIntake in = base(KIND_PETITION);
	in.email = "ro.rang@example.vn";
	id = intake_as(&recv_a, &in);
	a = (CaseAction){.action = "classify", .kind = KIND_DENUNCIATION, .kind_set = true, .remote_area = -1};
	assert_int_equal(act_full(&recv_a, id, &a), RC_OK);
	int64_t clear = -1, sealed = 0;
	assert_int_equal(db_get_int(db, &clear, "SELECT (citizen_name IS NOT NULL) + (citizen_email IS NOT NULL)"
				    " + (person_key IS NOT NULL) FROM cases WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(clear, 0);
	assert_int_equal(db_get_int(db, &sealed, "SELECT identity_sealed IS NOT NULL FROM cases WHERE id = ?",
				    "l", id), RC_OK);
	assert_int_equal(sealed, 1);
	assert_dl(id, "initial", "open");
}

static void test_cross_area(void **state)
{
	(void)state;
	int64_t id = mk(KIND_COMPLAINT);
	char *code = col_text("code", id);
	int64_t events = count_sql_id("events", id), audits = count_sql_id("audit", 0);
	Case c;
	/* an officer of commune B cannot see or touch commune A's case */
	assert_int_equal(case_load(db, &hand_b, id, &c), RC_NOT_FOUND);
	const char *actions[] = {CASE_ACTIONS};
	for (size_t i = 0; i < ARRAY_LEN(actions); i++)
		assert_int_equal(act(&hand_b, id, actions[i]), RC_NOT_FOUND);
	assert_int_equal(case_reply(db, &hand_b, id, "xin chào"), RC_NOT_FOUND);
	assert_int_equal(case_note(db, &hand_b, id, "ghi chú"), RC_NOT_FOUND);
	assert_int_equal(case_assign(db, &hand_b, id, USER_HAND_B), RC_NOT_FOUND);
	int64_t orgs[] = {O_P_MM};
	assert_int_equal(case_set_monitors(db, &hand_b, id, orgs, 1), RC_NOT_FOUND);
	CaseCreated out;
	assert_int_equal(case_split(db, &hand_b, id, KIND_PETITION, "Phần", "Nội dung", &out), RC_NOT_FOUND);
	assert_int_equal(case_link_confirm(db, &hand_b, id, id, "duplicate", true), RC_NOT_FOUND);
	assert_status(id, "received");
	assert_int_equal(count_sql_id("events", id), events);
	assert_int_equal(count_sql_id("audit", 0), audits);
	/* nor find it in a list or a search */
	CaseList l;
	CaseFilter f = {.kind = -1};
	assert_int_equal(case_list(db, &hand_b, &f, &l), RC_OK);
	for (size_t i = 0; i < l.count; i++)
		assert_int_not_equal(l.rows[i].id, id);
	case_list_release(&l);
	f.q = "thu hoi dat";
	assert_int_equal(case_list(db, &hand_b, &f, &l), RC_OK);
	for (size_t i = 0; i < l.count; i++)
		assert_int_not_equal(l.rows[i].id, id);
	case_list_release(&l);
	/* the province and the centre do */
	assert_int_equal(case_load(db, &monitor_p, id, &c), RC_OK);
	case_release(&c);
	assert_int_equal(case_load(db, &central, id, &c), RC_OK);
	case_release(&c);
	free(code);
	/* a user without any case capability sees no list */
	assert_int_equal(case_list(db, &editor_a, &f, &l), RC_FORBIDDEN);
}

/* ---- deadlines along the flow --------------------------------------------- */

static void test_deadlines_flow(void **state)
{
	(void)state;
	int64_t id = mk(KIND_COMPLAINT);
	assert_dl(id, "accept", "open");
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	assert_dl(id, "accept", "met");
	assert_dl(id, "resolve", "open");
	must(&hand_a, id, "verify");
	/* suspension stops the clock */
	char *due_before = dl_due(id, "resolve");
	must(&hand_a, id, "suspend");
	assert_status(id, "suspended");
	assert_dl(id, "resolve", "paused");
	char *since = NULL;
	assert_int_equal(db_get_text(db, &since, "SELECT suspended_since FROM cases WHERE id = ?", "l", id), RC_OK);
	free(since);
	/* pretend it was suspended 10 days ago: resuming pushes the due date */
	assert_int_equal(db_run(db, "UPDATE case_deadline SET met_on = date(met_on, '-10 days')"
				" WHERE case_id = ? AND state = 'paused'", "l", id), RC_OK);
	must(&hand_a, id, "resume");
	assert_status(id, "verifying");
	assert_dl(id, "resolve", "open");
	char *due_after = dl_due(id, "resolve");
	assert_true(strcmp(due_after, due_before) > 0);
	free(due_before);
	free(due_after);
	must(&hand_a, id, "decide");
	assert_dl(id, "resolve", "met");
	assert_dl(id, "send_decision", "open");
	must(&hand_a, id, "notify");
	assert_dl(id, "send_decision", "met");
	assert_dl(id, "take_effect", "open");
	must(&hand_a, id, "close");
	assert_dl(id, "take_effect", "cancelled");

	/* a denunciation: initial handling 7 working days, 10 with several places */
	CaseIntake in = base(KIND_DENUNCIATION);
	int64_t plain = intake_as(&recv_a, &in);
	in.criteria = CRIT_MULTI_PLACE;
	int64_t multi = intake_as(&recv_a, &in);
	char *d7 = dl_due(plain, "initial"), *d10 = dl_due(multi, "initial");
	assert_true(strcmp(d10, d7) > 0);
	free(d7);
	free(d10);
	/* terminating cancels what is open */
	must(&recv_a, multi, "classify");
	must(&hand_a, multi, "accept");
	assert_dl(multi, "resolve", "open");
	must(&hand_a, multi, "terminate");
	assert_dl(multi, "resolve", "cancelled");
	/* a decided denunciation must publish its conclusion */
	must(&recv_a, plain, "classify");
	must(&hand_a, plain, "accept");
	must(&hand_a, plain, "decide");
	assert_dl(plain, "publish", "open");
	must(&hand_a, plain, "notify");
	assert_dl(plain, "publish", "met");
	/* withdrawal cancels */
	id = mk(KIND_COMPLAINT);
	must(&hand_a, id, "withdraw");
	assert_dl(id, "accept", "cancelled");
}

static void test_extensions(void **state)
{
	(void)state;
	/* very complex (two criteria): two extensions, each with a decision */
	CaseIntake in = base(KIND_DENUNCIATION);
	in.criteria = CRIT_MULTI_ALLEGATION | CRIT_CONTRADICTORY;
	int64_t id = intake_as(&recv_a, &in);
	must(&recv_a, id, "classify");
	assert_int_equal(act_full(&hand_a, id, &(CaseAction){.action = "classify", .remote_area = -1,
				  .criteria = CRIT_MULTI_ALLEGATION | CRIT_CONTRADICTORY}), RC_OK);
	must(&hand_a, id, "accept");
	must(&hand_a, id, "verify");
	const char *problem = NULL;
	CaseAction a = {.action = "extend", .remote_area = -1};
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_INVALID);
	assert_string_equal(problem, "Enter the number of the extension decision");
	char *due0 = dl_due(id, "resolve");
	a.doc_number = "01/QĐ-GH";
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_OK);
	char *due1 = dl_due(id, "resolve");
	assert_true(strcmp(due1, due0) > 0);
	a.doc_number = "02/QĐ-GH";
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_OK);
	char *due2 = dl_due(id, "resolve");
	assert_true(strcmp(due2, due1) > 0);
	a.doc_number = "03/QĐ-GH";
	assert_int_equal(case_act(db, &hand_a, id, &a, &problem), RC_CONFLICT);
	assert_string_equal(problem, "No further extension is allowed for this case");
	char *due3 = dl_due(id, "resolve");
	assert_string_equal(due3, due2);
	free(due0);
	free(due1);
	free(due2);
	free(due3);
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_int_equal(c.extensions, 2);
	assert_false(case_action_allowed(&hand_a, &c, "extend"));
	case_release(&c);

	/* complex (one criterion): once */
	in.criteria = CRIT_FOREIGN;
	id = intake_as(&recv_a, &in);
	assert_int_equal(act_full(&hand_a, id, &(CaseAction){.action = "classify", .remote_area = -1,
				  .criteria = CRIT_FOREIGN}), RC_OK);
	must(&hand_a, id, "accept");
	must(&hand_a, id, "verify");
	assert_int_equal(act(&hand_a, id, "extend"), RC_OK);
	assert_int_equal(act(&hand_a, id, "extend"), RC_CONFLICT);
	/* simple: none */
	id = mk(KIND_DENUNCIATION);
	must(&hand_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "verify");
	assert_int_equal(act(&hand_a, id, "extend"), RC_CONFLICT);
	/* complaints are not extended */
	id = mk(KIND_COMPLAINT);
	must(&hand_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "verify");
	assert_int_equal(case_act(db, &hand_a, id, &(CaseAction){.action = "extend", .doc_number = "1",
				  .remote_area = -1}, &problem), RC_CONFLICT);
	assert_string_equal(problem, "This action does not apply to this kind of case");
}

static void test_appeal(void **state)
{
	(void)state;
	int64_t id = mk(KIND_COMPLAINT);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "decide");
	must(&hand_a, id, "notify");
	/* the complainant appeals by tracking code */
	char *code = col_text("code", id);
	const char *problem = NULL;
	assert_int_equal(case_citizen_appeal(db, code, "Tôi không đồng ý với quyết định.", &problem), RC_OK);
	assert_status(id, "appealed");
	assert_dl(id, "take_effect", "cancelled");
	assert_dl(id, "accept2", "open");
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_int_equal(c.instance, 2);
	case_release(&c);
	/* the second instance */
	must(&hand_a, id, "accept");
	assert_dl(id, "accept2", "met");
	assert_dl(id, "resolve2", "open");
	must(&hand_a, id, "decide");
	assert_dl(id, "resolve2", "met");
	must(&hand_a, id, "notify");
	/* once only */
	assert_int_equal(case_citizen_appeal(db, code, "", &problem), RC_CONFLICT);
	assert_int_equal(act(&hand_a, id, "appeal"), RC_CONFLICT);
	free(code);

	/* a late second complaint is refused */
	id = mk(KIND_COMPLAINT);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "decide");
	CaseAction a = {.action = "notify", .doc_date = "2025-01-02", .remote_area = -1};
	assert_int_equal(act_full(&hand_a, id, &a), RC_OK);
	code = col_text("code", id);
	assert_int_equal(case_citizen_appeal(db, code, "", &problem), RC_CONFLICT);
	assert_string_equal(problem, "The time limit for a second complaint has passed");
	assert_status(id, "notified");
	free(code);

	/* a denunciation: tố cáo tiếp, reviewed within 20 days */
	id = mk(KIND_DENUNCIATION);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "decide");
	must(&recv_a, id, "appeal"); /* registered on the denouncer's behalf */
	assert_dl(id, "re_resolve", "open");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "decide");
	assert_dl(id, "re_resolve", "met");

	/* overdue first instance: the complainant may go up without a decision */
	id = mk(KIND_COMPLAINT);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	assert_int_equal(act(&hand_a, id, "appeal"), RC_CONFLICT);
	assert_int_equal(db_run(db, "UPDATE case_deadline SET due_on = '2000-01-01' WHERE case_id = ?"
				" AND step = 'resolve'", "l", id), RC_OK);
	must(&hand_a, id, "appeal");
	assert_status(id, "appealed");

	/* petitions cannot be appealed */
	id = mk(KIND_PETITION);
	code = col_text("code", id);
	assert_int_equal(case_citizen_appeal(db, code, "", &problem), RC_CONFLICT);
	assert_string_equal(problem, "Only a complaint or a denunciation can be appealed");
	free(code);
}

/* ---- assignment, split, links ----------------------------------------------- */

static void test_assign(void **state)
{
	(void)state;
	int64_t id = mk(KIND_PETITION);
	assert_int_equal(case_assign(db, &recv_a, id, USER_HAND_A), RC_OK);
	Case c;
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_int_equal(c.assignee_id, USER_HAND_A);
	assert_string_equal(c.assignee_name, "hand.a");
	case_release(&c);
	/* not a member of the organisation that answers for it */
	assert_int_equal(case_assign(db, &recv_a, id, USER_HAND_B), RC_INVALID);
	/* no case role */
	assert_int_equal(case_assign(db, &recv_a, id, USER_EDITOR), RC_INVALID);
	/* monitors and editors cannot assign */
	assert_int_equal(case_assign(db, &monitor_p, id, USER_HAND_A), RC_FORBIDDEN);
	assert_int_equal(case_assign(db, &editor_a, id, USER_HAND_A), RC_FORBIDDEN);
	assert_int_equal(case_assign(db, &recv_a, id, 0), RC_OK);
	assert_int_equal(case_load(db, &hand_a, id, &c), RC_OK);
	assert_int_equal(c.assignee_id, 0);
	case_release(&c);
}

static void test_split(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.people_count = 6;
	in.representatives[0] = "Người Đại Diện";
	in.title = "Khiếu nại và tố cáo về thu hồi đất";
	int64_t id = intake_as(&recv_a, &in);
	int64_t orgs[] = {O_FRONT_A};
	assert_int_equal(case_set_monitors(db, &recv_a, id, orgs, 1), RC_OK);
	CaseCreated part;
	/* a complaint part, same citizen in the clear */
	assert_int_equal(case_split(db, &recv_a, id, KIND_PETITION, "Kiến nghị làm đường",
				    "Đề nghị làm lại đường thôn Đông.", &part), RC_OK);
	Case c;
	assert_int_equal(case_load(db, &hand_a, part.id, &c), RC_OK);
	assert_int_equal(c.kind, KIND_PETITION);
	assert_int_equal(c.parent_id, id);
	assert_string_equal(c.citizen_name, "Trần Thị Bình");
	assert_string_equal(c.representatives[0], "Người Đại Diện");
	assert_int_equal(c.n_monitors, 1);
	assert_string_equal(c.title, "Kiến nghị làm đường");
	case_release(&c);
	assert_dl(part.id, "handle", "open");
	int64_t link = 0;
	assert_int_equal(db_get_int(db, &link, "SELECT confirmed FROM case_link WHERE case_id = ?"
				    " AND other_id = ? AND kind = 'split'", "ll", id, part.id), RC_OK);
	assert_int_equal(link, 1);
	/* a denunciation part: sealed on the way */
	assert_int_equal(case_split(db, &recv_a, id, KIND_DENUNCIATION, "Tố cáo cán bộ",
				    "Cán bộ địa chính nhận tiền.", &part), RC_OK);
	int64_t clear = -1;
	assert_int_equal(db_get_int(db, &clear, "SELECT (citizen_name IS NOT NULL) + (identity_sealed IS NULL)"
				    " + (SELECT count(*) FROM case_person WHERE case_id = cases.id)"
				    " FROM cases WHERE id = ?", "l", part.id), RC_OK);
	assert_int_equal(clear, 0);
	assert_dl(part.id, "initial", "open");
	/* and a part of that sealed case stays sealed */
	CaseCreated sub;
	assert_int_equal(case_split(db, &recv_a, part.id, KIND_COMPLAINT, "Phần khiếu nại",
				    "Nội dung khiếu nại.", &sub), RC_OK);
	assert_int_equal(db_get_int(db, &clear, "SELECT (citizen_name IS NOT NULL) + (identity_sealed IS NULL)"
				    " FROM cases WHERE id = ?", "l", sub.id), RC_OK);
	assert_int_equal(clear, 0);
	/* validation and status */
	assert_int_equal(case_split(db, &recv_a, id, KIND_PETITION, "", "x", &part), RC_INVALID);
	assert_int_equal(case_split(db, &editor_a, id, KIND_PETITION, "a", "b", &part), RC_FORBIDDEN);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	assert_int_equal(case_split(db, &recv_a, id, KIND_PETITION, "a", "b", &part), RC_CONFLICT);
}

static void test_repeat(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.id_number = "001099000777";
	int64_t first = intake_as(&recv_a, &in);
	in.id_number = "001 099 000 777"; /* the same number, typed differently */
	in.title = "Lại khiếu nại về một việc khác";
	in.content = "Nội dung hoàn toàn khác lần trước, về trợ cấp xã hội.";
	in.field_code = "social_policy";
	int64_t second = intake_as(&recv_a, &in);
	int64_t n = 0;
	/* intake only queues the comparison: the worker makes the suggestion */
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ?", "l", second), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link_pending WHERE case_id IN (?, ?)",
				    "ll", first, second), RC_OK);
	assert_int_equal(n, 2);
	assert_true(suggest_pending() >= 2);
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link_pending", ""), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(suggest_pending(), 0);
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ? AND other_id = ?"
				    " AND kind = 'repeat' AND confirmed = 0", "ll", second, first), RC_OK);
	assert_int_equal(n, 1);
	/* only towards earlier cases, whatever the order of the queue */
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ?", "l", first), RC_OK);
	assert_int_equal(n, 0);
	/* the key is keyed: neither the number nor its plain hash */
	char *key = col_text("person_key", second);
	assert_int_equal(strlen(key), 64);
	char plain[65];
	crypto_sha256_hex("001099000777", 12, plain);
	assert_string_not_equal(key, plain);
	assert_null(strstr(key, "001099000777"));
	free(key);
	/* the phone is the key when there is no ID number: +84 and 0 are one number */
	in = base(KIND_PETITION);
	in.phone = "+84 903 111 222";
	in.title = "Phản ánh tiếng ồn";
	in.content = "Quán karaoke gây ồn ào sau 22 giờ.";
	int64_t p1 = intake_as(&recv_a, &in);
	in.phone = "0903111222";
	in.title = "Phản ánh chiếu sáng";
	in.content = "Đèn đường hỏng nhiều tháng chưa sửa.";
	int64_t p2 = intake_as(&recv_a, &in);
	suggest_pending();
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ? AND other_id = ?"
				    " AND kind = 'repeat'", "ll", p2, p1), RC_OK);
	assert_int_equal(n, 1);
	/* someone else: no link */
	in.phone = "0903999888";
	int64_t p3 = intake_as(&recv_a, &in);
	assert_int_equal(suggest_pending(), 1);
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ?"
				    " AND kind = 'repeat'", "l", p3), RC_OK);
	assert_int_equal(n, 0);
	/* the list flags it; staff confirm it */
	CaseList l;
	CaseFilter f = {.kind = -1, .q = "chieu sang"};
	assert_int_equal(case_list(db, &hand_a, &f, &l), RC_OK);
	assert_int_equal(l.count, 2);
	for (size_t i = 0; i < l.count; i++)
		assert_int_equal(l.rows[i].repeat, l.rows[i].id == p2);
	case_list_release(&l);
	assert_int_equal(case_link_confirm(db, &hand_a, p2, p1, "repeat", true), RC_OK);
	assert_int_equal(db_get_int(db, &n, "SELECT confirmed FROM case_link WHERE case_id = ? AND other_id = ?"
				    " AND kind = 'repeat'", "ll", p2, p1), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(case_link_confirm(db, &hand_a, p2, p1, "split", true), RC_INVALID);
	assert_int_equal(case_link_confirm(db, &hand_a, p3, p1, "repeat", true), RC_NOT_FOUND);
	/* a repeat older than two years is not suggested */
	in = base(KIND_PETITION);
	in.id_number = "038200000999";
	in.received_on = "2020-01-01";
	int64_t old = intake_as(&recv_a, &in);
	in.received_on = NULL;
	int64_t now = intake_as(&recv_a, &in);
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_link WHERE case_id = ? AND other_id = ?"
				    " AND kind = 'repeat'", "ll", now, old), RC_OK);
	assert_int_equal(n, 0);
}

static void test_duplicate(void **state)
{
	(void)state;
	assert_int_equal(case_text_similarity("a b c d e", "a b c d e"), 100);
	assert_int_equal(case_text_similarity("a b c d e", "v w x y z"), 0);
	assert_int_equal(case_text_similarity("", "a b c"), 0);
	CaseIntake in = base(KIND_PETITION);
	in.unit_id = U_B;
	in.field_code = "environment";
	in.title = "Ô nhiễm từ cơ sở chăn nuôi";
	in.content = "Cơ sở chăn nuôi lợn của hộ ông Hùng ở thôn Bắc xả nước thải chưa qua xử lý ra kênh "
		     "tưới tiêu chung, gây mùi hôi thối nặng nề cho cả khu dân cư suốt nhiều tháng nay. "
		     "Chúng tôi đề nghị chính quyền kiểm tra và xử lý dứt điểm.";
	in.name = "Hộ dân thôn Bắc";
	in.phone = "0911000001";
	int64_t first = intake_as(&hand_b, &in);
	/* the same matter from another person, slightly reworded */
	in.name = "Người khác";
	in.phone = "0911000002";
	in.title = "Ô nhiễm chăn nuôi thôn Bắc";
	in.content = "Cơ sở chăn nuôi lợn của hộ ông Hùng ở thôn Bắc xả nước thải chưa qua xử lý ra kênh "
		     "tưới tiêu chung, gây mùi hôi thối nặng nề cho cả khu dân cư suốt nhiều tháng nay. "
		     "Đề nghị chính quyền kiểm tra và xử lý dứt điểm.";
	int64_t second = intake_as(&hand_b, &in);
	suggest_pending();
	int64_t score = 0;
	assert_int_equal(db_get_int(db, &score, "SELECT score FROM case_link WHERE case_id = ? AND other_id = ?"
				    " AND kind = 'duplicate'", "ll", second, first), RC_OK);
	assert_true(score >= 60 && score <= 100);
	/* a different matter in the same commune is not a duplicate */
	in.phone = "0911000003";
	in.title = "Đường thôn xuống cấp";
	in.content = "Đường bê tông liên thôn bị sụt lún nhiều đoạn, xe cộ đi lại rất khó khăn.";
	int64_t other = intake_as(&hand_b, &in);
	suggest_pending();
	assert_int_equal(count_sql_id("links", other), 0);
	/* dismiss: the suggestion goes, the history stays */
	assert_int_equal(case_link_confirm(db, &hand_b, second, first, "duplicate", false), RC_OK);
	assert_int_equal(count_sql_id("links", second), 0);
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM case_event WHERE case_id = ?"
				    " AND action = 'link_dismiss'", "l", second), RC_OK);
	assert_int_equal(n, 1);
}

/* ---- replies and the citizen's side ------------------------------------------ */

static void test_replies(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.email = "binh@example.vn";
	int64_t id = intake_as(&recv_a, &in);
	assert_int_equal(count_sql_id("outbox", id), 1); /* the receipt */
	char *body = NULL;
	char *code = col_text("code", id);
	assert_int_equal(db_get_text(db, &body, "SELECT body FROM outbox WHERE case_id = ?", "l", id), RC_OK);
	assert_non_null(strstr(body, code));
	assert_null(strstr(body, "Trần Thị Bình"));
	free(body);
	assert_int_equal(case_reply(db, &hand_a, id, "Cơ quan đã thụ lý và sẽ trả lời trong thời hạn luật định."), RC_OK);
	assert_int_equal(count_sql_id("outbox", id), 2);
	assert_int_equal(case_reply(db, &hand_a, id, "   "), RC_INVALID);
	assert_int_equal(case_reply(db, &monitor_p, id, "không được"), RC_FORBIDDEN);
	/* an internal note is not for the citizen */
	assert_int_equal(case_note(db, &monitor_p, id, "Ban Dân vận theo dõi sát."), RC_OK);
	CaseEvent *ev;
	size_t n;
	bool cut;
	assert_int_equal(case_events(db, id, true, &ev, &n, &cut), RC_OK);
	bool reply = false;
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(ev[i].action, "note");
		reply |= str_eq(ev[i].action, "reply");
	}
	assert_true(reply);
	case_events_free(ev, n);

	/* the citizen adds information with a loosely typed code */
	char loose[16];
	int j = 0;
	for (const char *p = code; *p; p++)
		if (*p != '-')
			loose[j++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	loose[j] = 0;
	assert_int_equal(case_citizen_add(db, loose, "Tôi gửi bổ sung bản sao quyết định."), RC_OK);
	assert_int_equal(case_citizen_add(db, "ZZZZ-ZZZZ-ZZ", "x"), RC_NOT_FOUND);
	assert_int_equal(case_citizen_add(db, code, ""), RC_INVALID);
	/* rating waits for an answer */
	assert_int_equal(case_citizen_rate(db, code, 4, "Tốt"), RC_CONFLICT);
	must(&recv_a, id, "classify");
	must(&hand_a, id, "accept");
	must(&hand_a, id, "decide");
	must(&hand_a, id, "notify");
	assert_int_equal(case_citizen_rate(db, code, 9, ""), RC_INVALID);
	assert_int_equal(case_citizen_rate(db, code, 4, "Giải quyết nhanh"), RC_OK);
	Case c;
	assert_int_equal(case_load_public(db, code, &c), RC_OK);
	assert_int_equal(c.rating, 4);
	assert_string_equal(c.rating_note, "Giải quyết nhanh");
	case_release(&c);
	free(code);

	/* replies to a denunciation are never e-mailed */
	in = base(KIND_DENUNCIATION);
	in.email = "kin@example.vn";
	id = intake_as(&recv_a, &in);
	assert_int_equal(case_reply(db, &hand_a, id, "Đã nhận đơn tố cáo."), RC_OK);
	assert_int_equal(count_sql_id("outbox", id), 0);
}

/* ---- search, pagination, filters ------------------------------------------------ */

static int64_t mk_text(const char *title, const char *content, const char *received_on, int64_t unit)
{
	CaseIntake in = base(KIND_PETITION);
	in.title = title;
	in.content = content;
	in.received_on = received_on;
	in.unit_id = unit;
	in.phone = NULL; /* no repeat links between these */
	in.address = "Thôn Nam";
	return intake_as(&central, &in);
}

static size_t found(const char *q, int64_t id)
{
	CaseList l;
	CaseFilter f = {.kind = -1, .q = q};
	assert_int_equal(case_list(db, &central, &f, &l), RC_OK);
	size_t hit = 0;
	for (size_t i = 0; i < l.count; i++)
		hit += l.rows[i].id == id;
	case_list_release(&l);
	return hit;
}

static void test_search(void **state)
{
	(void)state;
	int64_t dang = mk_text("Góp ý cho Đảng ủy xã", "Đề nghị Đảng bộ tổ chức đối thoại.", NULL, U_A);
	int64_t hoa_old = mk_text("Hoà giải ở cơ sở", "Tổ hoà giải chưa hoạt động.", NULL, U_A);
	int64_t hoa_new = mk_text("Hòa giải viên", "Thiếu hòa giải viên ở thôn.", NULL, U_A);
	int64_t khieu = mk_text("Khiếu nại đất đai", "Tranh chấp đất đai giữa hai hộ.", NULL, U_A);
	assert_int_equal(found("dang", dang), 1);
	assert_int_equal(found("Đảng", dang), 1);
	assert_int_equal(found("DANG UY", dang), 1);
	assert_int_equal(found("hoa", hoa_old), 1);
	assert_int_equal(found("hoa", hoa_new), 1);
	assert_int_equal(found("hòa giải", hoa_old), 1);
	assert_int_equal(found("hoà giải", hoa_new), 1);
	/* an NFD query (o + grave as a combining mark) finds NFC text */
	assert_int_equal(found("ho\x61\xcc\x80 gia\xcc\x89i", hoa_old), 1);
	/* each word is a prefix: "gia" finds "giải", "khieu nai dat" the complaint */
	assert_int_equal(found("gia", hoa_new), 1);
	assert_int_equal(found("khieu nai dat", khieu), 1);
	assert_int_equal(found("dat dai", dang), 0);
	/* punctuation and FTS syntax are only words */
	assert_int_equal(found("\"dang\" *", dang), 1);
	assert_int_equal(found("(dang)", dang), 1);
	assert_int_equal(found("dang OR hoa", dang), 0); /* "or" is a word to find, not an operator */
	assert_int_equal(found("dang NOT uy", dang), 0);
	/* nothing searchable: no filter */
	assert_int_equal(found("!!!", dang), 1);
	CaseList l;
	char longq[2 * 201 + 1];
	for (int i = 0; i < 201; i++)
		memcpy(longq + 2 * i, "a ", 2);
	longq[2 * 201] = 0;
	CaseFilter f = {.kind = -1, .q = longq};
	assert_int_equal(case_list(db, &central, &f, &l), RC_INVALID);
}

static void test_pagination(void **state)
{
	(void)state;
	/* 57 cases over 9 dates, several per date */
	enum { N = 57 };
	int64_t ids[N];
	for (int i = 0; i < N; i++) {
		char date[11];
		xsnprintf(date, sizeof date, "2025-12-%02d", 1 + i % 9);
		ids[i] = mk_text("Phân trang", "Nội dung phân trang", date, U_C);
	}
	int seen[N] = {0};
	CaseFilter f = {.kind = -1, .unit_id = U_C, .limit = 10};
	char after[11] = "";
	int64_t after_id = 0;
	char prev_date[11] = "9999-99-99";
	int64_t prev_id = INT64_MAX;
	int pages = 0;
	for (;;) {
		CaseList l;
		f.after_date = *after ? after : NULL;
		f.after_id = after_id;
		assert_int_equal(case_list(db, &central, &f, &l), RC_OK);
		pages++;
		for (size_t i = 0; i < l.count; i++) {
			/* newest first on (received_on, id) */
			int cmp = strcmp(l.rows[i].received_on, prev_date);
			assert_true(cmp < 0 || (cmp == 0 && l.rows[i].id < prev_id));
			memcpy(prev_date, l.rows[i].received_on, 11);
			prev_id = l.rows[i].id;
			int k;
			for (k = 0; k < N && ids[k] != l.rows[i].id; k++)
				;
			assert_true(k < N);
			seen[k]++;
		}
		bool more = l.more;
		if (l.count) {
			memcpy(after, l.rows[l.count - 1].received_on, 11);
			after_id = l.rows[l.count - 1].id;
		}
		assert_true(l.count == 10 || !more);
		case_list_release(&l);
		if (!more)
			break;
		assert_true(pages < 20);
	}
	assert_int_equal(pages, 6);
	for (int i = 0; i < N; i++)
		assert_int_equal(seen[i], 1);
}

static size_t list_count(const Principal *who, const CaseFilter *f, int64_t must_have)
{
	CaseList l;
	assert_int_equal(case_list(db, who, f, &l), RC_OK);
	size_t n = l.count;
	bool has = must_have == 0;
	for (size_t i = 0; i < l.count; i++)
		has |= l.rows[i].id == must_have;
	case_list_release(&l);
	assert_true(has);
	return n;
}

static void test_filters(void **state)
{
	(void)state;
	CaseIntake in = base(KIND_COMPLAINT);
	in.unit_id = U_B;
	in.field_code = "land.dispute";
	in.channel = "post";
	in.received_on = "2025-11-15";
	int64_t c1 = intake_as(&hand_b, &in);
	in = base(KIND_DENUNCIATION);
	in.unit_id = U_B;
	in.field_code = "religion";
	in.received_on = "2025-11-20";
	int64_t c2 = intake_as(&hand_b, &in);
	in = base(KIND_PETITION);
	in.unit_id = U_C;
	in.field_code = "environment";
	in.channel = "phone";
	in.received_on = "2025-10-01";
	int64_t c3 = intake_as(&central, &in);

	CaseFilter f = {.kind = KIND_COMPLAINT, .unit_id = U_B};
	assert_int_equal(list_count(&central, &f, c1), 1);
	f = (CaseFilter){.kind = -1, .field_code = "land", .unit_id = U_B}; /* parent covers children */
	assert_int_equal(list_count(&central, &f, c1), 1);
	f = (CaseFilter){.kind = -1, .unit_id = U_Q}; /* a province covers its communes */
	assert_int_equal(list_count(&central, &f, c3), 1);
	f = (CaseFilter){.kind = -1, .unit_id = U_B};
	assert_int_equal(list_count(&central, &f, c2), 2);
	f = (CaseFilter){.kind = -1, .channel = "phone"};
	assert_int_equal(list_count(&central, &f, c3), 1);
	f = (CaseFilter){.kind = -1, .from = "2025-11-16", .to = "2025-11-30"};
	assert_int_equal(list_count(&central, &f, c2), 1);
	f = (CaseFilter){.kind = -1, .status = "received", .unit_id = U_Q};
	assert_int_equal(list_count(&central, &f, c3), 1);
	f = (CaseFilter){.kind = -1, .status = "bogus"};
	CaseList l;
	assert_int_equal(case_list(db, &central, &f, &l), RC_INVALID);
	f = (CaseFilter){.kind = 7};
	assert_int_equal(case_list(db, &central, &f, &l), RC_INVALID);
	f = (CaseFilter){.kind = -1, .from = "15/11/2025"};
	assert_int_equal(case_list(db, &central, &f, &l), RC_INVALID);

	/* queues: mine, my organisation's, due soon, overdue */
	assert_int_equal(case_assign(db, &hand_b, c1, USER_HAND_B), RC_OK);
	f = (CaseFilter){.kind = -1, .queue = QUEUE_MINE};
	assert_int_equal(list_count(&hand_b, &f, c1), 1);
	CaseAction a = {.action = "classify", .responsible_org_id = O_B, .remote_area = -1};
	assert_int_equal(act_full(&central, c3, &a), RC_OK);
	f = (CaseFilter){.kind = -1, .org_id = O_B};
	assert_int_equal(list_count(&central, &f, c3), 1);
	f = (CaseFilter){.kind = -1, .queue = QUEUE_ORG};
	assert_int_equal(list_count(&hand_b, &f, c3), 3); /* received by B (2) or routed to B (1) */
	assert_int_equal(db_run(db, "UPDATE case_deadline SET due_on = '2000-01-01' WHERE case_id = ?", "l", c1), RC_OK);
	assert_int_equal(db_run(db, "UPDATE case_deadline SET due_on = date('now', '+7 hours')"
				" WHERE case_id = ?", "l", c2), RC_OK);
	f = (CaseFilter){.kind = -1, .queue = QUEUE_OVERDUE};
	/* c1 by hand; c3, received in October, is past its 10 working days */
	assert_int_equal(list_count(&hand_b, &f, c1), 2);
	assert_int_equal(list_count(&hand_b, &f, c3), 2);
	f.queue = QUEUE_DUE_SOON;
	CaseList soon;
	assert_int_equal(case_list(db, &hand_b, &f, &soon), RC_OK);
	bool has2 = false;
	for (size_t i = 0; i < soon.count; i++) {
		assert_int_not_equal(soon.rows[i].id, c1);
		if (soon.rows[i].id == c2) {
			has2 = true;
			assert_true(soon.rows[i].due_soon);
			assert_false(soon.rows[i].overdue);
		}
	}
	assert_true(has2);
	case_list_release(&soon);
	f = (CaseFilter){.kind = -1, .queue = QUEUE_OVERDUE};
	assert_int_equal(case_list(db, &hand_b, &f, &l), RC_OK);
	assert_true(l.rows[0].overdue);
	assert_string_equal(l.rows[0].next_due, "2000-01-01");
	case_list_release(&l);
	/* a group is flagged */
	in = base(KIND_COMPLAINT);
	in.unit_id = U_B;
	in.people_count = 5;
	in.representatives[0] = "Đại diện";
	int64_t g = intake_as(&hand_b, &in);
	f = (CaseFilter){.kind = -1, .unit_id = U_B, .limit = 1};
	assert_int_equal(case_list(db, &hand_b, &f, &l), RC_OK);
	assert_int_equal(l.rows[0].id, g);
	assert_true(l.rows[0].group);
	assert_true(l.more);
	case_list_release(&l);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tx_begin, tx_rollback)
	const struct CMUnitTest tests[] = {
		T(test_vocabulary),
		T(test_fields_seeded),
		T(test_codes),
		T(test_intake_per_kind),
		T(test_intake_anonymous),
		T(test_intake_staff),
		T(test_intake_group),
		T(test_denunciation_sealed),
		T(test_personal_visibility),
		T(test_transition_table),
		T(test_flow_complaint),
		T(test_flow_initial_outcomes),
		T(test_reclassify),
		T(test_cross_area),
		T(test_deadlines_flow),
		T(test_extensions),
		T(test_appeal),
		T(test_assign),
		T(test_split),
		T(test_repeat),
		T(test_duplicate),
		T(test_replies),
		T(test_search),
		T(test_pagination),
		T(test_filters),
		cmocka_unit_test(test_intake_log),
		cmocka_unit_test(test_intake_log_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
