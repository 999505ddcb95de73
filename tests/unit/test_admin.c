/*
 * test_admin.c — the scoped administration queries (domain/admin.h) and
 * the admin handlers' refusal to cross areas (ui/admin.h, api/admin_api.h),
 * on a real temporary database.
 *
 * The map: provinces P and Q; communes A and B in P, C in Q.  One
 * organisation per place plus a central one, and one administrator in
 * each.  The rule under test is the issue's: a user of commune A cannot
 * read or change commune B's data (nor the province's, nor the centre's),
 * whatever id they put in the URL; a province user sees its communes; a
 * central user sees everything.
 *
 * Handlers are called directly with a hand-built request (the dispatcher
 * and route table are tested in test_routes.c), each inside a write
 * transaction that is checked before it is rolled back, so "nothing
 * changed" is a fact about the handler and not about the rollback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "api/admin_api.h"
#include "base/crypto.h"
#include "domain/admin.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/user.h"
#include "store/schema.h"
#include "ui/admin.h"
#include "web/dispatch.h"
#include "web/server.h"

/* unit ids, fixed so the expectations read plainly */
enum { U_P = 1, U_Q = 2, U_A = 11, U_B = 12, U_C = 21 };

static char dir[64];
static Db *db;
static const Actor actor = {0, "test"};
/* organisations and their administrators */
static int64_t o_central, o_p, o_a, o_b, o_q, o_c;
static int64_t u_central, u_p, u_a, u_b, u_q, u_c;

/* ---- fixture ------------------------------------------------------- */

static Rc add_unit(int64_t id, const char *code, const char *level, int64_t parent,
		   int64_t province, const char *name, const char *key)
{
	return db_run(db, "INSERT INTO unit (id, code, level, era, parent_id, province_id, name,"
			  " full_name, name_key, valid_from) VALUES (?, ?, ?, 2025, nullif(?, 0), ?, ?, ?, ?,"
			  " '2025-07-01')",
		      "lttllttt", id, code, level, parent, province, name, name, key);
}

static Rc add_user(const char *login, const char *name, const char *email, int64_t org,
		   int64_t *id)
{
	Rc rc = user_create(db, &actor, login, name, email, org, "correct horse battery", id);
	return rc ? rc : user_set_roles(db, &actor, *id, 1u << ROLE_ADMIN);
}

static Rc build_map(void)
{
	Rc rc = RC_OK;
	if (!rc) rc = add_unit(U_P, "01", "province", 0, U_P, "Thành phố P", "thanh pho p");
	if (!rc) rc = add_unit(U_Q, "02", "province", 0, U_Q, "Tỉnh Q", "tinh q");
	if (!rc) rc = add_unit(U_A, "00001", "commune", U_P, U_P, "Xã A", "xa a");
	if (!rc) rc = add_unit(U_B, "00002", "commune", U_P, U_P, "Xã B", "xa b");
	if (!rc) rc = add_unit(U_C, "00003", "commune", U_Q, U_Q, "Xã C", "xa c");
	if (!rc) rc = org_create(db, &actor, 0, 0, "massmob_commission", "central",
				 "Ban Tuyên giáo và Dân vận Trung ương", "", "2025-02-03", &o_central);
	if (!rc) rc = org_create(db, &actor, 0, U_P, "party_committee", "p01-party",
				 "Thành ủy P", "", "2025-07-01", &o_p);
	if (!rc) rc = org_create(db, &actor, o_p, U_A, "massmob_commission", "c00001-massmob",
				 "Ban Dân vận Đảng ủy xã A", "BDV", "2020-01-01", &o_a);
	if (!rc) rc = org_rename(db, &actor, o_a, "Ban Tuyên giáo và Dân vận Đảng ủy xã A", "BTGDV",
				 "2025-03-01");
	if (!rc) rc = org_create(db, &actor, o_p, U_B, "peoples_committee", "c00002-pc",
				 "Ủy ban nhân dân xã B", "UBND", "2025-07-01", &o_b);
	if (!rc) rc = org_create(db, &actor, 0, U_Q, "party_committee", "p02-party",
				 "Tỉnh ủy Q", "", "2025-07-01", &o_q);
	if (!rc) rc = org_create(db, &actor, o_q, U_C, "peoples_committee", "c00003-pc",
				 "Ủy ban nhân dân xã C", "UBND", "2025-07-01", &o_c);
	if (!rc) rc = add_user("central.admin", "Trần Văn Trung", "", o_central, &u_central);
	if (!rc) rc = add_user("p.admin", "Lê Thị Phương", "", o_p, &u_p);
	if (!rc) rc = add_user("a.admin", "Nguyễn Thị Lan", "lan@xa-a.example.vn", o_a, &u_a);
	if (!rc) rc = add_user("b.admin", "Phạm Văn Bình", "", o_b, &u_b);
	if (!rc) rc = add_user("q.admin", "Đỗ Quang Hải", "", o_q, &u_q);
	if (!rc) rc = add_user("c.admin", "Hoàng Thu Hà", "", o_c, &u_c);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	setenv("DANVAN_FAST_HASH", "1", 1);
	crypto_init();
	server_set_secret("0123456789abcdef0123456789abcdef");
	xsnprintf(dir, sizeof dir, "/tmp/danvan-admin-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	if (db_begin_write(db) || build_map() || db_commit(db))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	server_set_secret(NULL);
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------- */

static bool org_page_has(const AdminOrgPage *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].id == id)
			return true;
	return false;
}

static bool user_page_has(const AdminUserPage *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].id == id)
			return true;
	return false;
}

static size_t orgs_seen(int64_t scope, const char *q)
{
	AdminOrgPage p;
	assert_int_equal(admin_orgs_list(db, scope, q, 0, &p), RC_OK);
	size_t n = p.n;
	admin_org_page_free(&p);
	return n;
}

static int64_t count(const char *what)
{
	int64_t n = -1;
	if (str_eq(what, "org"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM org", ""), RC_OK);
	else if (str_eq(what, "org_name"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM org_name", ""), RC_OK);
	else if (str_eq(what, "user"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM user", ""), RC_OK);
	else if (str_eq(what, "audit"))
		assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit", ""), RC_OK);
	else
		fail_msg("unknown table %s", what);
	return n;
}

/* ---- domain: validation -------------------------------------------- */

static void test_name_problems(void **state)
{
	(void)state;
	assert_null(admin_org_name_problem("Ủy ban nhân dân xã A", "UBND", "2025-07-01"));
	assert_null(admin_org_name_problem("Ủy ban nhân dân xã A", "", "2025-07-01"));
	const char *bad[] = {
		admin_org_name_problem("", "", "2025-07-01"),
		admin_org_name_problem("X", "", "2025-02-30"),
		admin_org_name_problem("X", "", "1/7/2025"),
		admin_org_name_problem("X", "Một tên viết tắt dài hơn một trăm ký tự, Một tên viết tắt dài hơn một trăm ký tự, Một tên viết tắt dài", "2025-07-01"),
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_non_null(bad[i]);
		/* returned as message ids: each needs its Vietnamese entry */
		assert_string_not_equal(tr("vi", bad[i]), bad[i]);
	}
	/* 300 characters are fine, 301 are not (characters, not bytes) */
	char name[2 * 301 + 1];
	for (int i = 0; i < 301; i++)
		memcpy(name + 2 * i, "đ", 2);
	name[2 * 300] = 0;
	assert_null(admin_org_name_problem(name, "", "2025-07-01"));
	name[2 * 301] = 0;
	memcpy(name + 2 * 300, "đ", 2);
	assert_non_null(admin_org_name_problem(name, "", "2025-07-01"));
}

/* ---- domain: scope ------------------------------------------------- */

static void test_in_scope(void **state)
{
	(void)state;
	assert_true(admin_in_scope(db, 0, 0));
	assert_true(admin_in_scope(db, 0, U_B));
	assert_true(admin_in_scope(db, U_P, U_A));
	assert_true(admin_in_scope(db, U_P, U_P));
	assert_true(admin_in_scope(db, U_A, U_A));
	assert_false(admin_in_scope(db, U_A, U_B));
	assert_false(admin_in_scope(db, U_A, U_P));
	assert_false(admin_in_scope(db, U_A, 0));  /* central is for central users only */
	assert_false(admin_in_scope(db, U_P, U_C));
	assert_false(admin_in_scope(db, U_P, 0));
}

static void test_orgs_list_scope(void **state)
{
	(void)state;
	AdminOrgPage p;
	assert_int_equal(admin_orgs_list(db, 0, "", 0, &p), RC_OK);
	assert_int_equal(p.n, 6);
	assert_int_equal(p.next, 0);
	assert_true(org_page_has(&p, o_central));
	admin_org_page_free(&p);

	assert_int_equal(admin_orgs_list(db, U_P, "", 0, &p), RC_OK);
	assert_int_equal(p.n, 3);
	assert_true(org_page_has(&p, o_p) && org_page_has(&p, o_a) && org_page_has(&p, o_b));
	assert_false(org_page_has(&p, o_central) || org_page_has(&p, o_q) || org_page_has(&p, o_c));
	admin_org_page_free(&p);

	assert_int_equal(admin_orgs_list(db, U_A, "", 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, o_a);
	/* the name in force today, with its unit and member count */
	assert_string_equal(p.rows[0].name, "Ban Tuyên giáo và Dân vận Đảng ủy xã A");
	assert_string_equal(p.rows[0].short_name, "BTGDV");
	assert_string_equal(p.rows[0].unit_name, "Xã A");
	assert_int_equal(p.rows[0].users, 1);
	assert_int_equal(p.rows[0].parent_id, o_p);
	admin_org_page_free(&p);

	assert_int_equal(orgs_seen(U_B, ""), 1);
	assert_int_equal(orgs_seen(U_Q, ""), 2);
	assert_int_equal(orgs_seen(U_C, ""), 1);
}

static void test_orgs_search(void **state)
{
	(void)state;
	AdminOrgPage p;
	/* a former name still finds the organisation, without accents */
	assert_int_equal(admin_orgs_list(db, 0, "ban dan van dang uy", 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, o_a);
	admin_org_page_free(&p);
	/* accented, mixed-case query folds like the key */
	assert_int_equal(orgs_seen(0, "ỦY BAN NHÂN DÂN"), 2);
	assert_int_equal(orgs_seen(U_P, "ủy ban nhân dân"), 1);
	/* the start of a code */
	assert_int_equal(orgs_seen(0, "c0000"), 3);
	assert_int_equal(orgs_seen(0, "P01-PARTY"), 1);
	/* search never widens the scope */
	assert_int_equal(orgs_seen(U_B, "ban dan van"), 0);
	assert_int_equal(orgs_seen(U_A, "trung uong"), 0);
	/* punctuation alone matches no name (and is no code prefix) */
	assert_int_equal(orgs_seen(0, "%%"), 0);
	assert_int_equal(orgs_seen(0, "zzz"), 0);
}

static void test_org_choices(void **state)
{
	(void)state;
	AdminOrgPage p;
	assert_int_equal(admin_org_choices(db, U_P, 10, &p), RC_OK);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.next, 0);
	admin_org_page_free(&p);
	assert_int_equal(admin_org_choices(db, 0, 2, &p), RC_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.next, 1); /* more than fit: the form asks for a number */
	admin_org_page_free(&p);
}

static void test_org_detail(void **state)
{
	(void)state;
	AdminOrg o;
	assert_int_equal(admin_org_detail(db, U_A, o_a, &o), RC_OK);
	assert_string_equal(o.org.name, "Ban Tuyên giáo và Dân vận Đảng ủy xã A");
	assert_int_equal(o.nnames, 2);
	assert_string_equal(o.names[0].name, "Ban Dân vận Đảng ủy xã A");
	assert_string_equal(o.names[0].valid_from, "2020-01-01");
	assert_string_equal(o.names[0].valid_to, "2025-02-28");
	assert_string_equal(o.names[1].valid_to, "");
	assert_string_equal(o.parent_name, "Thành ủy P");
	assert_false(o.parent_in_scope); /* commune users see the name, get no link */
	assert_int_equal(o.nusers, 1);
	assert_int_equal(o.users[0].id, u_a);
	assert_int_equal(o.users[0].roles, 1u << ROLE_ADMIN);
	admin_org_release(&o);

	assert_int_equal(admin_org_detail(db, U_P, o_a, &o), RC_OK);
	assert_true(o.parent_in_scope);
	admin_org_release(&o);

	assert_int_equal(admin_org_detail(db, U_P, o_p, &o), RC_OK);
	assert_int_equal(o.nchildren, 2);
	assert_false(o.children_more);
	admin_org_release(&o);

	/* out of scope is indistinguishable from missing */
	assert_int_equal(admin_org_detail(db, U_A, o_b, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, U_A, o_p, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, U_A, o_central, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, U_P, o_c, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, U_P, o_central, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, 0, 999999, &o), RC_NOT_FOUND);
	assert_int_equal(admin_org_detail(db, 0, o_central, &o), RC_OK);
	assert_int_equal(o.org.unit_id, 0);
	admin_org_release(&o);
}

static void test_users_list_scope(void **state)
{
	(void)state;
	AdminUserPage p;
	assert_int_equal(admin_users_list(db, 0, "", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 6);
	admin_user_page_free(&p);

	assert_int_equal(admin_users_list(db, U_P, "", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 3);
	assert_true(user_page_has(&p, u_p) && user_page_has(&p, u_a) && user_page_has(&p, u_b));
	admin_user_page_free(&p);

	assert_int_equal(admin_users_list(db, U_A, "", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, u_a);
	assert_string_equal(p.rows[0].login, "a.admin");
	assert_string_equal(p.rows[0].org_name, "Ban Tuyên giáo và Dân vận Đảng ủy xã A");
	assert_int_equal(p.rows[0].roles, 1u << ROLE_ADMIN);
	admin_user_page_free(&p);

	/* an organisation filter cannot reach outside the scope */
	assert_int_equal(admin_users_list(db, U_A, "", o_b, 0, &p), RC_OK);
	assert_int_equal(p.n, 0);
	admin_user_page_free(&p);
	assert_int_equal(admin_users_list(db, U_P, "", o_b, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, u_b);
	admin_user_page_free(&p);
}

static void test_users_search(void **state)
{
	(void)state;
	AdminUserPage p;
	/* folded name: "nguyen thi lan" finds "Nguyễn Thị Lan" */
	assert_int_equal(admin_users_list(db, 0, "nguyen thi", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, u_a);
	admin_user_page_free(&p);
	/* đ folds to d */
	assert_int_equal(admin_users_list(db, 0, "do quang", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rows[0].id, u_q);
	admin_user_page_free(&p);
	/* login part and e-mail part */
	assert_int_equal(admin_users_list(db, 0, "b.adm", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	admin_user_page_free(&p);
	assert_int_equal(admin_users_list(db, 0, "LAN@XA-A", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 1);
	admin_user_page_free(&p);
	/* scope still applies */
	assert_int_equal(admin_users_list(db, U_B, "nguyen", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 0);
	admin_user_page_free(&p);
}

static void test_user_detail(void **state)
{
	(void)state;
	AdminUser u;
	assert_int_equal(admin_user_detail(db, U_A, u_a, &u), RC_OK);
	assert_string_equal(u.login, "a.admin");
	assert_string_equal(u.name, "Nguyễn Thị Lan");
	assert_int_equal(u.org_id, o_a);
	assert_int_equal(u.unit_id, U_A);
	assert_string_equal(u.unit_name, "Xã A");
	assert_int_equal(u.roles, 1u << ROLE_ADMIN);
	assert_false(u.disabled);
	assert_int_equal(u.locked_until, 0);
	admin_user_release(&u);

	assert_int_equal(admin_user_detail(db, U_P, u_b, &u), RC_OK);
	admin_user_release(&u);
	assert_int_equal(admin_user_detail(db, U_A, u_b, &u), RC_NOT_FOUND);
	assert_int_equal(admin_user_detail(db, U_A, u_p, &u), RC_NOT_FOUND);
	assert_int_equal(admin_user_detail(db, U_A, u_central, &u), RC_NOT_FOUND);
	assert_int_equal(admin_user_detail(db, U_P, u_c, &u), RC_NOT_FOUND);
	assert_int_equal(admin_user_detail(db, 0, 999999, &u), RC_NOT_FOUND);
}

static void test_audit_scope(void **state)
{
	(void)state;
	AdminAuditPage p;
	int64_t total = count("audit");
	assert_int_equal(admin_audit_list(db, 0, "", 0, 0, &p), RC_OK);
	assert_int_equal((int64_t)p.n, total < ADMIN_PAGE_SIZE ? total : ADMIN_PAGE_SIZE);
	for (size_t i = 1; i < p.n; i++)
		assert_true(p.rows[i].id < p.rows[i - 1].id); /* newest first */
	assert_int_equal(strlen(p.rows[0].hash), 64);
	admin_audit_page_free(&p);

	/* commune A: org A created and renamed, user a created, roles set */
	assert_int_equal(admin_audit_list(db, U_A, "", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 4);
	for (size_t i = 0; i < p.n; i++)
		assert_int_equal(p.rows[i].unit_id, U_A);
	assert_string_equal(p.rows[0].action, "user.roles");
	assert_string_equal(p.rows[3].action, "org.create");
	int64_t second = p.rows[1].id;
	admin_audit_page_free(&p);
	/* keyset: entries before the second newest */
	assert_int_equal(admin_audit_list(db, U_A, "", 0, second, &p), RC_OK);
	assert_int_equal(p.n, 2);
	admin_audit_page_free(&p);
	/* one object */
	assert_int_equal(admin_audit_list(db, U_A, "org", o_a, 0, &p), RC_OK);
	assert_int_equal(p.n, 2);
	admin_audit_page_free(&p);
	/* B's history is invisible from A, however it is asked for */
	assert_int_equal(admin_audit_list(db, U_A, "org", o_b, 0, &p), RC_OK);
	assert_int_equal(p.n, 0);
	admin_audit_page_free(&p);
	/* province P: its own entries and its communes', nothing of Q or the centre */
	assert_int_equal(admin_audit_list(db, U_P, "", 0, 0, &p), RC_OK);
	assert_int_equal(p.n, 10);
	for (size_t i = 0; i < p.n; i++)
		assert_true(p.rows[i].unit_id == U_P || p.rows[i].unit_id == U_A ||
			    p.rows[i].unit_id == U_B);
	admin_audit_page_free(&p);
}

/* ---- handlers ------------------------------------------------------ */

/* A request as user `uid` would make it once the dispatcher is done. */
static Req *mkreq(int64_t uid, Method m, const char *arg)
{
	Req *r = dispatch_new();
	r->db = db;
	r->method = m;
	r->method_name = m == M_GET ? "GET" : "POST";
	assert_int_equal(user_principal(db, uid, &r->user_store), RC_OK);
	r->user = &r->user_store;
	if (arg) {
		xsnprintf(r->argbuf, sizeof r->argbuf, "%s", arg);
		r->args[0] = r->argbuf;
		r->nargs = 1;
	}
	return r;
}

static void form(Req *r, const char *name, const char *value)
{
	params_add(&r->form, name, strlen(name), value, strlen(value));
}

static char *id_str(int64_t id)
{
	static char buf[4][24];
	static int k;
	char *b = buf[k++ % 4];
	xsnprintf(b, 24, "%lld", (long long)id);
	return b;
}

/* Run a handler in a write transaction; return its Rc and leave the
 * transaction open for the caller to inspect and roll back. */
static Rc call(Req *r, Rc (*h)(Req *))
{
	assert_int_equal(db_begin_write(db), RC_OK);
	return h(r);
}

static void done(Req *r)
{
	db_rollback(db);
	dispatch_finish(r, false);
}

static void test_handlers_read_in_scope(void **state)
{
	(void)state;
	Req *r = mkreq(u_a, M_GET, id_str(o_a));
	assert_int_equal(call(r, ui_admin_org_show), RC_OK);
	assert_non_null(strstr(buf_cstr(&r->out), "Ban Tuyên giáo và Dân vận Đảng ủy xã A"));
	assert_non_null(strstr(buf_cstr(&r->out), "Ban Dân vận Đảng ủy xã A")); /* history */
	done(r);

	r = mkreq(u_a, M_GET, id_str(u_a));
	assert_int_equal(call(r, api_user_show), RC_OK);
	assert_non_null(strstr(buf_cstr(&r->out), "\"login\":\"a.admin\""));
	assert_null(strstr(buf_cstr(&r->out), "argon2")); /* never the hash */
	assert_null(strstr(buf_cstr(&r->out), "pw_hash"));
	done(r);

	r = mkreq(u_p, M_GET, NULL);
	assert_int_equal(call(r, api_orgs_list), RC_OK);
	assert_non_null(strstr(buf_cstr(&r->out), "\"c00002-pc\""));
	assert_null(strstr(buf_cstr(&r->out), "\"c00003-pc\""));
	assert_null(strstr(buf_cstr(&r->out), "\"central\""));
	done(r);

	r = mkreq(u_a, M_GET, NULL);
	assert_int_equal(call(r, ui_admin_audit), RC_OK);
	assert_null(strstr(buf_cstr(&r->out), "c00002-pc"));
	assert_non_null(strstr(buf_cstr(&r->out), "c00001-massmob"));
	/* actions in words, in Vietnamese (looked up with non-literal ids) */
	assert_non_null(strstr(buf_cstr(&r->out), "Đổi tên tổ chức"));
	assert_non_null(strstr(buf_cstr(&r->out), "Thay đổi vai trò"));
	done(r);
}

static void test_handlers_refuse_other_commune(void **state)
{
	(void)state;
	/* reading B from A: pages and API */
	Rc (*readers[])(Req *) = {ui_admin_org_show, api_org_show};
	for (size_t i = 0; i < ARRAY_LEN(readers); i++) {
		Req *r = mkreq(u_a, M_GET, id_str(o_b));
		assert_int_equal(call(r, readers[i]), RC_NOT_FOUND);
		done(r);
		r = mkreq(u_a, M_GET, id_str(o_p));
		assert_int_equal(call(r, readers[i]), RC_NOT_FOUND);
		done(r);
	}
	Rc (*user_readers[])(Req *) = {ui_admin_user_show, api_user_show};
	for (size_t i = 0; i < ARRAY_LEN(user_readers); i++) {
		Req *r = mkreq(u_a, M_GET, id_str(u_b));
		assert_int_equal(call(r, user_readers[i]), RC_NOT_FOUND);
		done(r);
	}
	Req *r = mkreq(u_a, M_GET, NULL);
	params_add(&r->query, "org_id", 6, id_str(o_b), strlen(id_str(o_b)));
	assert_int_equal(call(r, ui_admin_users), RC_NOT_FOUND);
	done(r);

	int64_t names = count("org_name"), audit = count("audit");
	/* renaming B from A: form and API */
	r = mkreq(u_a, M_POST, id_str(o_b));
	form(r, "name", "Đổi tên trái phép");
	form(r, "valid_from", "2026-01-01");
	assert_int_equal(call(r, ui_admin_org_rename), RC_NOT_FOUND);
	assert_int_equal(count("org_name"), names);
	done(r);
	r = mkreq(u_a, M_POST, id_str(o_b));
	r->content_type = "application/json";
	buf_puts(&r->body, "{\"name\":\"Đổi tên trái phép\",\"valid_from\":\"2026-01-01\"}");
	assert_int_equal(call(r, api_org_rename), RC_NOT_FOUND);
	assert_int_equal(count("org_name"), names);
	done(r);

	/* changing B's user from A */
	Rc (*changers[])(Req *) = {ui_admin_user_disable, ui_admin_user_enable,
				   ui_admin_user_roles, ui_admin_user_password};
	for (size_t i = 0; i < ARRAY_LEN(changers); i++) {
		r = mkreq(u_a, M_POST, id_str(u_b));
		form(r, "role", "editor");
		form(r, "password", "a brand new password");
		assert_int_equal(call(r, changers[i]), RC_NOT_FOUND);
		assert_int_equal(count("audit"), audit);
		done(r);
	}

	/* creating in B (or under the province) from A */
	int64_t users = count("user"), orgs = count("org");
	r = mkreq(u_a, M_POST, NULL);
	form(r, "login", "intruder");
	form(r, "name", "Kẻ xâm nhập");
	form(r, "org_id", id_str(o_b));
	form(r, "password", "a brand new password");
	assert_int_equal(call(r, ui_admin_user_create), RC_NOT_FOUND);
	assert_int_equal(count("user"), users);
	done(r);

	r = mkreq(u_a, M_POST, NULL);
	form(r, "parent_id", id_str(o_b));
	form(r, "unit_code", "00002");
	form(r, "kind", "mass_org");
	form(r, "code", "c00002-intruder");
	form(r, "name", "Tổ chức xâm nhập");
	form(r, "valid_from", "2026-01-01");
	assert_int_equal(call(r, ui_admin_org_create), RC_NOT_FOUND);
	assert_int_equal(count("org"), orgs);
	done(r);

	/* unit B without a parent: refused with a message, nothing created */
	r = mkreq(u_a, M_POST, NULL);
	form(r, "unit_code", "00002");
	form(r, "kind", "mass_org");
	form(r, "code", "c00002-intruder");
	form(r, "name", "Tổ chức xâm nhập");
	form(r, "valid_from", "2026-01-01");
	assert_int_equal(call(r, ui_admin_org_create), RC_OK);
	assert_int_equal(r->status, 400);
	assert_int_equal(count("org"), orgs);
	done(r);

	/* a central organisation from a commune: refused the same way */
	r = mkreq(u_a, M_POST, NULL);
	form(r, "kind", "mass_org");
	form(r, "code", "central-intruder");
	form(r, "name", "Tổ chức xâm nhập");
	form(r, "valid_from", "2026-01-01");
	assert_int_equal(call(r, ui_admin_org_create), RC_OK);
	assert_int_equal(r->status, 400);
	assert_int_equal(count("org"), orgs);
	assert_int_equal(count("audit"), audit);
	done(r);
}

static void test_handlers_change_in_scope(void **state)
{
	(void)state;
	/* the province administrator renames commune A's commission */
	Req *r = mkreq(u_p, M_POST, id_str(o_a));
	r->content_type = "application/json";
	buf_puts(&r->body, "{\"name\":\"Ban Tuyên giáo và Dân vận xã A\",\"valid_from\":\"2026-01-01\"}");
	int64_t names = count("org_name");
	assert_int_equal(call(r, api_org_rename), RC_OK);
	assert_int_equal(count("org_name"), names + 1);
	/* short_name absent: the current one is kept */
	assert_non_null(strstr(buf_cstr(&r->out), "\"short_name\":\"BTGDV\",\"unit\""));
	done(r);

	/* a rename dated before the current name is a conflict */
	r = mkreq(u_p, M_POST, id_str(o_a));
	form(r, "name", "Tên cũ hơn");
	form(r, "valid_from", "2024-01-01");
	assert_int_equal(call(r, ui_admin_org_rename), RC_CONFLICT);
	done(r);

	/* commune A's administrator creates a user in A with two roles */
	r = mkreq(u_a, M_POST, NULL);
	form(r, "login", "lan.tran");
	form(r, "name", "Trần Thị Lan");
	form(r, "org_id", id_str(o_a));
	form(r, "password", "a brand new password");
	form(r, "role", "reception");
	form(r, "role", "handler");
	assert_int_equal(call(r, ui_admin_user_create), RC_OK);
	assert_int_equal(r->status, 303);
	int64_t id = 0;
	assert_int_equal(user_find_login(db, "lan.tran", &id), RC_OK);
	Principal pr;
	assert_int_equal(user_principal(db, id, &pr), RC_OK);
	assert_int_equal(pr.roles, (1u << ROLE_RECEPTION) | (1u << ROLE_HANDLER));
	assert_int_equal(pr.scope_unit_id, U_A);
	done(r);

	/* a taken login re-renders the form with 400 */
	r = mkreq(u_a, M_POST, NULL);
	form(r, "login", "b.admin");
	form(r, "name", "Trần Thị Lan");
	form(r, "org_id", id_str(o_a));
	form(r, "password", "a brand new password");
	int64_t users = count("user");
	assert_int_equal(call(r, ui_admin_user_create), RC_OK);
	assert_int_equal(r->status, 400);
	assert_int_equal(count("user"), users);
	done(r);

	/* administrators cannot lock themselves out */
	r = mkreq(u_a, M_POST, id_str(u_a));
	assert_int_equal(call(r, ui_admin_user_disable), RC_INVALID);
	done(r);
	r = mkreq(u_a, M_POST, id_str(u_a));
	form(r, "role", "editor");
	assert_int_equal(call(r, ui_admin_user_roles), RC_INVALID);
	done(r);
}

/* Last: adds rows that would change the counts above. */
static void test_pagination(void **state)
{
	(void)state;
	assert_int_equal(db_begin_write(db), RC_OK);
	for (int i = 0; i < 120; i++) {
		char code[32], name[64], login[32];
		int64_t org = 0;
		xsnprintf(code, sizeof code, "c00002-t%03d", i);
		xsnprintf(name, sizeof name, "Chi hội %03d xã B", i);
		xsnprintf(login, sizeof login, "b.member%03d", i);
		assert_int_equal(org_create(db, &actor, o_b, U_B, "mass_org", code, name, "",
					    "2025-07-01", &org), RC_OK);
		/* users inserted directly: 120 password hashes add nothing here */
		assert_int_equal(db_run(db, "INSERT INTO user (login, name, org_id, pw_hash, created_at,"
					    " pw_changed_at) VALUES (?, ?, ?, 'x', 0, 0)",
					"ttl", login, i % 2 ? "Vũ Thị Mai" : "Bùi Văn Nam", org), RC_OK);
	}
	assert_int_equal(db_commit(db), RC_OK);

	/* organisations in B: the original + 120 = 50 + 50 + 21 */
	AdminOrgPage p;
	int64_t after = 0;
	size_t sizes[3];
	for (int k = 0; k < 3; k++) {
		assert_int_equal(admin_orgs_list(db, U_B, "", after, &p), RC_OK);
		sizes[k] = p.n;
		for (size_t i = 0; i < p.n; i++)
			assert_true(p.rows[i].id > after);
		after = p.next;
		admin_org_page_free(&p);
		if (k < 2)
			assert_true(after != 0);
	}
	assert_int_equal(sizes[0], 50);
	assert_int_equal(sizes[1], 50);
	assert_int_equal(sizes[2], 21);
	assert_int_equal(after, 0);
	/* and none of them from commune A */
	assert_int_equal(orgs_seen(U_A, "chi hoi"), 0);

	/* users searched by folded name: 60 "Vũ Thị Mai" = 50 + 10 */
	AdminUserPage up;
	assert_int_equal(admin_users_list(db, U_P, "vu thi mai", 0, 0, &up), RC_OK);
	assert_int_equal(up.n, 50);
	assert_true(up.next != 0);
	int64_t next = up.next;
	admin_user_page_free(&up);
	assert_int_equal(admin_users_list(db, U_P, "vu thi mai", 0, next, &up), RC_OK);
	assert_int_equal(up.n, 10);
	assert_int_equal(up.next, 0);
	admin_user_page_free(&up);
	assert_int_equal(admin_users_list(db, U_A, "vu thi mai", 0, 0, &up), RC_OK);
	assert_int_equal(up.n, 0);
	admin_user_page_free(&up);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_problems),
		cmocka_unit_test(test_in_scope),
		cmocka_unit_test(test_orgs_list_scope),
		cmocka_unit_test(test_orgs_search),
		cmocka_unit_test(test_org_choices),
		cmocka_unit_test(test_org_detail),
		cmocka_unit_test(test_users_list_scope),
		cmocka_unit_test(test_users_search),
		cmocka_unit_test(test_user_detail),
		cmocka_unit_test(test_audit_scope),
		cmocka_unit_test(test_handlers_read_in_scope),
		cmocka_unit_test(test_handlers_refuse_other_commune),
		cmocka_unit_test(test_handlers_change_in_scope),
		cmocka_unit_test(test_pagination),
	};
	return cmocka_run_group_tests_name("admin", tests, setup, teardown);
}
