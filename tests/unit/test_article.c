/*
 * test_article.c — the news portal's domain on a real temporary database:
 * categories, slugs (Vietnamese folding, uniqueness), validation, the
 * draft → review → published workflow against capabilities, scheduled
 * publication (the clock is moved with util_set_clock), unpublishing and
 * republishing, revisions, tags, folded full-text search with snippets,
 * view counting (views.c's bot filter and batched flush) and "most
 * viewed" over 7 and 30 days, feedback (validation, honeypot, links,
 * rate limit, moderation, conversion into a case), figures (libvips:
 * decoding, resizing, metadata stripping, refusals, visibility), "send
 * to a friend", and the markup renderer's exact output.
 *
 * Principals are built by hand: an editor (CAP_NEWS_EDIT), a publisher
 * (CAP_NEWS_PUBLISH only, like the leader role) and a reader with
 * neither.  Each test runs inside a write transaction rolled back after
 * it, with the clock fixed at T0 (2024-06-22 09:00 in Vietnam).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>
#include <vips/vips.h>

#include "base/crypto.h"
#include "base/text.h"
#include "domain/article.h"
#include "domain/audit.h"
#include "domain/feedback.h"
#include "domain/markup.h"
#include "store/schema.h"
#include "web/views.h"

/* 2024-06-22 02:00 UTC = 09:00 in Vietnam (the seed article's date). */
#define T0 ((int64_t)1719021600)
#define DAY 86400

enum { ORG = 1, ORG_P = 2, ORG_Q = 3, ORG_A = 4 };
enum { UNIT_P = 1, UNIT_Q = 2, UNIT_A = 11 };
enum { U_EDITOR = 11, U_PUB = 12, U_READER = 13, U_EDITOR_A = 14, U_PUB_P = 15, U_EDITOR_Q = 16 };

static const Principal editor = {U_EDITOR, ORG, 0, CAP_LOGIN | CAP_NEWS_EDIT, 0, "bien.tap",
				 "Nguyễn Biên Tập", "vi"};
static const Principal publisher = {U_PUB, ORG, 0, CAP_LOGIN | CAP_NEWS_PUBLISH, 0, "lanh.dao",
				    "Trần Lãnh Đạo", "vi"};
static const Principal reader = {U_READER, ORG, 0, CAP_LOGIN | CAP_CASE_VIEW, 0, "doc.gia",
				 "Lê Bạn Đọc", "vi"};
/* Areas: commune A lies in province P; Q is another province. */
static const Principal editor_a = {U_EDITOR_A, ORG_A, UNIT_A, CAP_LOGIN | CAP_NEWS_EDIT, 0, "ed.a",
				   "Biên Tập Xã A", "vi"};
static const Principal publisher_p = {U_PUB_P, ORG_P, UNIT_P, CAP_LOGIN | CAP_NEWS_PUBLISH, 0, "pub.p",
				      "Lãnh Đạo Tỉnh P", "vi"};
static const Principal editor_q = {U_EDITOR_Q, ORG_Q, UNIT_Q, CAP_LOGIN | CAP_NEWS_EDIT |
				   CAP_NEWS_PUBLISH, 0, "ed.q", "Biên Tập Tỉnh Q", "vi"};

static char dir[64];
static char dbpath[128];
static Db *db;
static int64_t cat_hoi_nghi, cat_dvk;

/* ---- fixture ------------------------------------------------------- */

static Rc add_user(int64_t id, const char *login, const char *name, int64_t org)
{
	return db_run(db, "INSERT INTO user (id, login, name, email, org_id, pw_hash, created_at,"
			  " pw_changed_at) VALUES (?, ?, ?, '', ?, 'x', 0, 0)",
		      "lttl", id, login, name, org);
}

static Rc add_unit(int64_t id, const char *code, const char *level, int64_t parent, int64_t province)
{
	return db_run(db, "INSERT INTO unit (id, code, level, era, parent_id, province_id, name, full_name,"
			  " name_key, valid_from) VALUES (?, ?, ?, 2025, nullif(?, 0), ?, ?, ?, ?, '2025-07-01')",
		      "lttllttt", id, code, level, parent, province, code, code, code);
}

static Rc add_org(int64_t id, int64_t unit, const char *code)
{
	return db_run(db, "INSERT INTO org (id, unit_id, kind, code, created_at)"
			  " VALUES (?, nullif(?, 0), 'massmob_commission', ?, 0)", "llt", id, unit, code);
}

static int setup(void **state)
{
	(void)state;
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-article-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	xsnprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	if (db_open(&db, dbpath, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	Rc rc = db_begin_write(db);
	if (!rc) rc = add_unit(UNIT_P, "01", "province", 0, UNIT_P);
	if (!rc) rc = add_unit(UNIT_Q, "02", "province", 0, UNIT_Q);
	if (!rc) rc = add_unit(UNIT_A, "00001", "commune", UNIT_P, UNIT_P);
	if (!rc) rc = add_org(ORG, 0, "central");
	if (!rc) rc = add_org(ORG_P, UNIT_P, "p01-mm");
	if (!rc) rc = add_org(ORG_Q, UNIT_Q, "p02-mm");
	if (!rc) rc = add_org(ORG_A, UNIT_A, "c00001-mm");
	if (!rc) rc = add_user(U_EDITOR, "bien.tap", "Nguyễn Biên Tập", ORG);
	if (!rc) rc = add_user(U_PUB, "lanh.dao", "Trần Lãnh Đạo", ORG);
	if (!rc) rc = add_user(U_READER, "doc.gia", "Lê Bạn Đọc", ORG);
	if (!rc) rc = add_user(U_EDITOR_A, "ed.a", "Biên Tập Xã A", ORG_A);
	if (!rc) rc = add_user(U_PUB_P, "pub.p", "Lãnh Đạo Tỉnh P", ORG_P);
	if (!rc) rc = add_user(U_EDITOR_Q, "ed.q", "Biên Tập Tỉnh Q", ORG_Q);
	if (!rc)
		rc = category_seed(db);
	if (!rc)
		rc = category_seed(db); /* idempotent */
	if (!rc)
		rc = db_commit(db);
	if (rc)
		return -1;
	Category c;
	if (category_by_slug(db, "hoi-nghi", &c))
		return -1;
	cat_hoi_nghi = c.id;
	category_release(&c);
	if (category_by_slug(db, "dan-van-kheo", &c))
		return -1;
	cat_dvk = c.id;
	category_release(&c);
	return VIPS_INIT("test_article") ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	image_shutdown();
	char cmd[128];
	xsnprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int tx_begin(void **state)
{
	(void)state;
	util_set_clock(T0);
	views_reset();
	return db_begin_write(db) == RC_OK ? 0 : -1;
}

static int tx_rollback(void **state)
{
	(void)state;
	db_rollback(db);
	util_set_clock(0);
	return 0;
}

/* ---- helpers -------------------------------------------------------- */

static ArticleInput input(const char *title)
{
	ArticleInput in = {
		.title = title,
		.lead = "Sáu tháng đầu năm, công tác dân vận có chuyển biến tích cực.",
		.body = "Các cấp ủy đảng, chính quyền đã quan tâm hơn đến công tác dân vận.\n\n"
			"## Kết luận\n\nTiếp tục thực hiện phong trào thi đua.",
		.author = "Hoàng Phong",
		.category_id = cat_hoi_nghi,
		.tags = "giao ban, đồng bằng sông Hồng",
	};
	return in;
}

static int64_t create_as(const Principal *who, const ArticleInput *in)
{
	int64_t id = 0;
	const char *problem = NULL;
	Rc rc = article_create(db, who, in, &id, &problem);
	if (rc)
		fail_msg("create: %s (%s) %s", rc_name(rc), problem ? problem : "-", db_errmsg(db));
	return id;
}

static int64_t create(const char *title)
{
	ArticleInput in = input(title);
	return create_as(&editor, &in);
}

/* A published article (now). */
static int64_t published(const char *title)
{
	int64_t id = create(title);
	assert_int_equal(article_transition(db, &publisher, id, "publish", 0), RC_OK);
	return id;
}

static void slug_of(int64_t id, char *out, size_t n)
{
	Article a;
	assert_int_equal(article_load(db, id, false, &a), RC_OK);
	xsnprintf(out, n, "%s", a.slug);
	article_release(&a);
}

static const char *status_of(int64_t id)
{
	static char s[16];
	Article a;
	assert_int_equal(article_load(db, id, false, &a), RC_OK);
	xsnprintf(s, sizeof s, "%s", a.status);
	article_release(&a);
	return s;
}

static bool is_public(int64_t id)
{
	Article a;
	Rc rc = article_load(db, id, true, &a);
	article_release(&a);
	assert_true(rc == RC_OK || rc == RC_NOT_FOUND);
	return rc == RC_OK;
}

static bool list_has(const ArticleList *l, int64_t id)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->rows[i].id == id)
			return true;
	return false;
}

static int64_t count_where(const char *sql_action, int64_t object_id)
{
	int64_t n = 0;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit WHERE action = ? AND object_id = ?",
				    "tl", sql_action, object_id), RC_OK);
	return n;
}

/* ---- categories and slugs ------------------------------------------ */

static void test_categories(void **state)
{
	(void)state;
	Category *c = NULL;
	size_t n = 0;
	assert_int_equal(category_list(db, &c, &n), RC_OK);
	assert_int_equal(n, 6); /* seeded twice, still six */
	static const char *const slugs[] = {"hoi-nghi", "dan-van-kheo", "dan-chu-co-so",
					    "ton-giao-dan-toc", "dao-tao-boi-duong", "tin-dia-phuong"};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c[i].slug, slugs[i]);
		assert_true(*c[i].name_en);
	}
	assert_string_equal(c[1].name, "Dân vận khéo");
	assert_string_equal(c[0].name, "Hội nghị, sự kiện");
	category_list_release(c, n);
	Category one;
	assert_int_equal(category_by_slug(db, "khong-co", &one), RC_NOT_FOUND);
}

static void test_slugs(void **state)
{
	(void)state;
	char s[ARTICLE_SLUG_MAX + 8];
	int64_t a = create("Hội nghị giao ban");
	slug_of(a, s, sizeof s);
	assert_string_equal(s, "hoi-nghi-giao-ban");
	int64_t b = create("Hội nghị giao ban");
	slug_of(b, s, sizeof s);
	assert_string_equal(s, "hoi-nghi-giao-ban-2");
	/* an explicit slug is made unique the same way */
	ArticleInput in = input("Tin khác");
	in.slug = "hoi-nghi-giao-ban";
	int64_t c = create_as(&editor, &in);
	slug_of(c, s, sizeof s);
	assert_string_equal(s, "hoi-nghi-giao-ban-3");
	/* Đ folds to d, marks go */
	int64_t d = create("Đảng bộ tỉnh Thái Bình: Dân vận khéo 2020!");
	slug_of(d, s, sizeof s);
	assert_string_equal(s, "dang-bo-tinh-thai-binh-dan-van-kheo-2020");
	/* nothing sluggable: a default */
	int64_t e = create("!!! ???");
	slug_of(e, s, sizeof s);
	assert_string_equal(s, "bai-viet");
	/* a typed slug must already be one */
	in = input("Tin mới");
	in.slug = "Tin mới";
	int64_t id;
	const char *problem = NULL;
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);
	assert_string_equal(article_problem_field(problem), "slug");
	/* the slug stays when the title changes, and moves only when asked */
	in = input("Hội nghị giao ban (sửa)");
	assert_int_equal(article_update(db, &editor, a, &in, NULL, NULL), RC_OK);
	slug_of(a, s, sizeof s);
	assert_string_equal(s, "hoi-nghi-giao-ban");
	in.slug = "giao-ban-6-thang";
	assert_int_equal(article_update(db, &editor, a, &in, NULL, NULL), RC_OK);
	slug_of(a, s, sizeof s);
	assert_string_equal(s, "giao-ban-6-thang");
}

static void test_validation(void **state)
{
	(void)state;
	int64_t id = 0;
	const char *problem = NULL;
	ArticleInput in = input("   ");
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);
	assert_string_equal(article_problem_field(problem), "title");
	assert_int_equal(id, 0);

	char long_title[ARTICLE_TITLE_MAX * 3 + 8] = "";
	for (int i = 0; i <= ARTICLE_TITLE_MAX; i++)
		memcpy(long_title + strlen(long_title), "ạ", sizeof "ạ");
	in = input(long_title);
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);
	assert_string_equal(article_problem_field(problem), "title");

	in = input("Tin");
	in.category_id = 0;
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);
	assert_string_equal(article_problem_field(problem), "category");
	in.category_id = 999;
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);

	in = input("Tin");
	in.tags = "a, b, c, d, e, f, g, h, i, j, k";
	assert_int_equal(article_create(db, &editor, &in, &id, &problem), RC_INVALID);
	assert_string_equal(article_problem_field(problem), "tags");

	/* duplicate tags (by slug) are one; stored names come back sorted */
	in = input("Tin có từ khóa");
	in.tags = " Hội nghị, dân vận ,Dân Vận,, ";
	id = create_as(&editor, &in);
	Article a;
	assert_int_equal(article_load(db, id, false, &a), RC_OK);
	assert_string_equal(a.tags, "dân vận, Hội nghị");
	assert_string_equal(a.status, "draft");
	assert_string_equal(a.author, "Hoàng Phong");
	assert_int_equal(a.created_at, T0);
	article_release(&a);

	/* no news capability: refused */
	in = input("Tin");
	assert_int_equal(article_create(db, &reader, &in, &id, &problem), RC_FORBIDDEN);
	/* a publisher (leader) may write without the editor role */
	assert_true(create_as(&publisher, &in) > 0);
}

/* ---- workflow ------------------------------------------------------- */

static void test_workflow(void **state)
{
	(void)state;
	int64_t id = create("Giao ban công tác dân vận");
	assert_false(is_public(id));
	/* an editor cannot publish, whatever the status */
	assert_int_equal(article_transition(db, &editor, id, "publish", 0), RC_FORBIDDEN);
	assert_int_equal(article_transition(db, &editor, id, "unpublish", 0), RC_FORBIDDEN);
	assert_int_equal(article_transition(db, &editor, id, "fly", 0), RC_INVALID);
	assert_int_equal(article_transition(db, &reader, id, "submit", 0), RC_FORBIDDEN);
	assert_int_equal(article_transition(db, &editor, 99999, "submit", 0), RC_NOT_FOUND);
	/* wrong status is a conflict */
	assert_int_equal(article_transition(db, &editor, id, "reopen", 0), RC_CONFLICT);
	assert_int_equal(article_transition(db, &editor, id, "submit", 0), RC_OK);
	assert_string_equal(status_of(id), "review");
	assert_int_equal(article_transition(db, &editor, id, "submit", 0), RC_CONFLICT);
	assert_false(is_public(id));

	Article a;
	assert_int_equal(article_load(db, id, false, &a), RC_OK);
	assert_false(article_may(&editor, &a, "publish"));
	assert_true(article_may(&publisher, &a, "publish"));
	assert_true(article_may(&editor, &a, "edit"));
	article_release(&a);

	assert_int_equal(article_transition(db, &publisher, id, "publish", 0), RC_OK);
	assert_string_equal(status_of(id), "published");
	assert_true(is_public(id));
	assert_int_equal(article_transition(db, &publisher, id, "publish", 0), RC_CONFLICT);
	char slug[ARTICLE_SLUG_MAX + 8];
	slug_of(id, slug, sizeof slug);
	assert_int_equal(article_by_slug(db, slug, &a), RC_OK);
	assert_int_equal(a.publish_at, T0);
	assert_string_equal(a.category_slug, "hoi-nghi");
	article_release(&a);

	/* a published text is changed by a publisher only */
	ArticleInput in = input("Giao ban công tác dân vận (sửa)");
	assert_int_equal(article_update(db, &editor, id, &in, "sửa", NULL), RC_FORBIDDEN);
	assert_int_equal(article_update(db, &publisher, id, &in, "sửa", NULL), RC_OK);

	assert_int_equal(article_transition(db, &editor, id, "unpublish", 0), RC_FORBIDDEN);
	assert_int_equal(article_transition(db, &publisher, id, "unpublish", 0), RC_OK);
	assert_false(is_public(id));
	assert_int_equal(article_by_slug(db, slug, &a), RC_NOT_FOUND);
	/* unpublished: back to draft by the editor, who may edit again */
	assert_int_equal(article_transition(db, &editor, id, "reopen", 0), RC_OK);
	assert_string_equal(status_of(id), "draft");
	assert_int_equal(article_update(db, &editor, id, &in, NULL, NULL), RC_OK);

	/* every step is in the audit log */
	assert_int_equal(count_where("article.create", id), 1);
	assert_int_equal(count_where("article.submit", id), 1);
	assert_int_equal(count_where("article.publish", id), 1);
	assert_int_equal(count_where("article.unpublish", id), 1);
	assert_int_equal(count_where("article.reopen", id), 1);
	assert_int_equal(count_where("article.update", id), 2);
	int64_t checked = 0, bad = 0;
	Buf report = BUF_INIT;
	assert_int_equal(audit_verify(db, &checked, &bad, &report), RC_OK);
	buf_release(&report);

	ArticleCounts counts;
	assert_int_equal(article_counts(db, &editor, &counts), RC_OK);
	assert_int_equal(counts.draft, 1);
}

static void test_scheduled(void **state)
{
	(void)state;
	int64_t id = create("Kỷ niệm 90 năm ngày truyền thống công tác dân vận");
	int64_t other = published("Tin đã đăng");
	int64_t at = T0 + 3600;
	assert_int_equal(article_transition(db, &publisher, id, "publish", at), RC_OK);
	assert_string_equal(status_of(id), "published");
	Article a;
	assert_int_equal(article_load(db, id, false, &a), RC_OK);
	assert_int_equal(a.publish_at, at);
	assert_true(article_is_scheduled(&a, T0));
	assert_false(article_is_public(&a, T0));
	/* it may be rescheduled, or cancelled (unpublished) */
	assert_true(article_may(&publisher, &a, "publish"));
	article_release(&a);
	assert_int_equal(count_where("article.schedule", id), 1);

	/* not public until due: not loadable, not listed, not found */
	assert_false(is_public(id));
	ArticleList l;
	assert_int_equal(article_latest(db, 0, 0, 10, 0, 0, &l), RC_OK);
	assert_false(list_has(&l, id));
	assert_true(list_has(&l, other));
	article_list_release(&l);
	assert_int_equal(article_search(db, "truyền thống", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 0);
	article_list_release(&l);
	ArticleCounts c;
	assert_int_equal(article_counts(db, &publisher, &c), RC_OK);
	assert_int_equal(c.scheduled, 1);
	assert_int_equal(c.published, 1);
	assert_int_equal(article_staff_list(db, &editor, "scheduled", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.rows[0].id, id);
	article_list_release(&l);

	/* one second before: still hidden; at the time: public everywhere */
	util_set_clock(at - 1);
	assert_false(is_public(id));
	util_set_clock(at);
	assert_true(is_public(id));
	assert_int_equal(article_latest(db, 0, 0, 10, 0, 0, &l), RC_OK);
	assert_true(l.count >= 2);
	assert_int_equal(l.rows[0].id, id); /* newest first */
	article_list_release(&l);
	assert_int_equal(article_search(db, "truyen thong", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	article_list_release(&l);
}

static void test_republish_keeps_date(void **state)
{
	(void)state;
	int64_t id = published("Tin đính chính");
	assert_int_equal(article_transition(db, &publisher, id, "unpublish", 0), RC_OK);
	util_set_clock(T0 + DAY);
	assert_int_equal(article_transition(db, &publisher, id, "publish", 0), RC_OK);
	Article a;
	assert_int_equal(article_load(db, id, true, &a), RC_OK);
	assert_int_equal(a.publish_at, T0);
	article_release(&a);
}

static void test_revisions(void **state)
{
	(void)state;
	int64_t id = create("Dân chủ ở cơ sở");
	ArticleRevision *rev = NULL;
	size_t n = 0;
	assert_int_equal(article_revisions(db, &editor, id, &rev, &n), RC_OK);
	assert_int_equal(n, 1);
	article_revisions_release(rev, n);

	/* same text, other category: no new revision */
	ArticleInput in = input("Dân chủ ở cơ sở");
	in.category_id = cat_dvk;
	assert_int_equal(article_update(db, &editor, id, &in, "chuyên mục", NULL), RC_OK);
	assert_int_equal(article_revisions(db, &editor, id, &rev, &n), RC_OK);
	assert_int_equal(n, 1);
	article_revisions_release(rev, n);

	util_set_clock(T0 + 60);
	in.body = "Đẩy mạnh việc thực hiện Quy chế dân chủ ở cơ sở.";
	assert_int_equal(article_update(db, &editor, id, &in, "rút gọn nội dung", NULL), RC_OK);
	assert_int_equal(article_revisions(db, &editor, id, &rev, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rev[0].note, "rút gọn nội dung"); /* newest first */
	assert_string_equal(rev[0].user_name, "Nguyễn Biên Tập");
	assert_int_equal(rev[0].at, T0 + 60);
	assert_null(rev[0].body);
	ArticleRevision one, first;
	assert_int_equal(article_revision_load(db, &editor, id, rev[0].id, &one), RC_OK);
	assert_string_equal(one.body, "Đẩy mạnh việc thực hiện Quy chế dân chủ ở cơ sở.");
	assert_int_equal(article_revision_load(db, &editor, id, rev[1].id, &first), RC_OK);
	assert_true(strstr(first.body, "## Kết luận") != NULL);
	article_revision_release(&one);
	/* a revision of another article is not found through this one */
	assert_int_equal(article_revision_load(db, &editor, id + 1000, rev[0].id, &one), RC_NOT_FOUND);
	article_revision_release(&first);
	article_revisions_release(rev, n);
}

static void test_area(void **state)
{
	(void)state;
	/* written in commune A: its province's publisher and central staff
	 * see it; the other province's staff do not, whatever they ask */
	ArticleInput in = input("Tin xã A");
	int64_t id = create_as(&editor_a, &in);
	Article a;
	assert_int_equal(article_load_staff(db, &editor_a, id, &a), RC_OK);
	article_release(&a);
	assert_int_equal(article_load_staff(db, &publisher_p, id, &a), RC_OK);
	article_release(&a);
	assert_int_equal(article_load_staff(db, &editor, id, &a), RC_OK); /* central */
	article_release(&a);
	assert_int_equal(article_load_staff(db, &editor_q, id, &a), RC_NOT_FOUND);
	assert_int_equal(article_load_staff(db, &reader, id, &a), RC_NOT_FOUND);
	assert_int_equal(article_update(db, &editor_q, id, &in, NULL, NULL), RC_NOT_FOUND);
	assert_int_equal(article_transition(db, &editor_q, id, "submit", 0), RC_NOT_FOUND);
	assert_int_equal(article_transition(db, &editor_q, id, "publish", 0), RC_NOT_FOUND);
	ArticleRevision *rev;
	size_t n;
	assert_int_equal(article_revisions(db, &editor_q, id, &rev, &n), RC_NOT_FOUND);
	ArticleList l;
	assert_int_equal(article_staff_list(db, &editor_q, NULL, 50, 0, &l), RC_OK);
	assert_false(list_has(&l, id));
	article_list_release(&l);
	assert_int_equal(article_staff_list(db, &publisher_p, NULL, 50, 0, &l), RC_OK);
	assert_true(list_has(&l, id));
	article_list_release(&l);
	assert_int_equal(article_staff_list(db, &reader, NULL, 50, 0, &l), RC_FORBIDDEN);
	ArticleCounts c;
	assert_int_equal(article_counts(db, &editor_q, &c), RC_OK);
	assert_int_equal(c.draft, 0);
	assert_int_equal(article_counts(db, &publisher_p, &c), RC_OK);
	assert_int_equal(c.draft, 1);

	/* the province's publisher publishes it; feedback on it is theirs */
	assert_int_equal(article_transition(db, &publisher_p, id, "publish", 0), RC_OK);
	FeedbackInput f = {.name = "Người dân", .content = "Phản hồi về tin của xã A.", .client = "1"};
	int64_t fid = 0;
	assert_int_equal(feedback_submit(db, id, &f, &fid, NULL), RC_OK);
	FeedbackList fl;
	assert_int_equal(feedback_queue(db, &editor_q, NULL, 10, 0, &fl), RC_OK);
	assert_int_equal(fl.count, 0);
	feedback_list_release(&fl);
	int64_t pending = 0;
	assert_int_equal(feedback_count(db, &editor_q, "pending", &pending), RC_OK);
	assert_int_equal(pending, 0);
	assert_int_equal(feedback_moderate(db, &editor_q, fid, "approve"), RC_NOT_FOUND);
	CaseCreated cc;
	assert_int_equal(feedback_to_case(db, &editor_q, fid, &cc, NULL), RC_NOT_FOUND);
	assert_int_equal(feedback_queue(db, &publisher_p, NULL, 10, 0, &fl), RC_OK);
	assert_int_equal(fl.count, 1);
	feedback_list_release(&fl);
	/* the case made of it is received by the article's organisation */
	assert_int_equal(feedback_to_case(db, &publisher_p, fid, &cc, NULL), RC_OK);
	int64_t org = 0;
	assert_int_equal(db_get_int(db, &org, "SELECT receiving_org_id FROM cases WHERE id = ?", "l", cc.id),
			 RC_OK);
	assert_int_equal(org, ORG_A);
}

/* ---- search and lists ---------------------------------------------- */

static void test_search(void **state)
{
	(void)state;
	ArticleInput in = input("Nhân rộng mô hình Dân vận khéo ở cơ sở");
	in.body = "Tại Hội nghị, các đại biểu thảo luận về phong trào thi đua \"Dân vận khéo\" "
		  "trong thời gian tới và việc triển khai ở các địa phương.";
	in.category_id = cat_dvk;
	int64_t id = create_as(&editor, &in);
	int64_t draft = create("Bản nháp về Dân vận khéo");
	assert_int_equal(article_transition(db, &publisher, id, "publish", 0), RC_OK);
	int64_t other = published("Hội nghị giao ban khu vực đồng bằng sông Hồng");

	ArticleList l;
	static const char *const queries[] = {"dan van kheo", "DÂN VẬN KHÉO", "dân  vận,  khéo!",
					      "khe", "mo hinh"};
	for (size_t i = 0; i < ARRAY_LEN(queries); i++) {
		assert_int_equal(article_search(db, queries[i], 10, 0, &l), RC_OK);
		assert_int_equal(l.count, 1);
		assert_int_equal(l.rows[0].id, id);
		assert_false(list_has(&l, draft)); /* drafts are never found */
		article_list_release(&l);
	}
	/* a tag finds it too */
	assert_int_equal(article_search(db, "song hong", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 2);
	article_list_release(&l);
	/* the snippet is the original text around the match */
	assert_int_equal(article_search(db, "thao luan", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_non_null(l.rows[0].snippet);
	assert_true(strstr(l.rows[0].snippet, "các đại biểu thảo luận về phong trào") != NULL);
	article_list_release(&l);
	assert_int_equal(article_search(db, "không có gì như vậy", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 0);
	article_list_release(&l);
	assert_int_equal(article_search(db, "!!!", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 0);
	article_list_release(&l);

	/* an edit re-indexes: the old words are gone, the new ones found */
	in.title = "Nhân rộng mô hình hay";
	in.body = "Nội dung mới.";
	in.tags = "";
	assert_int_equal(article_update(db, &publisher, id, &in, NULL, NULL), RC_OK);
	assert_int_equal(article_search(db, "thao luan", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 0);
	article_list_release(&l);
	assert_int_equal(article_search(db, "noi dung moi", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	article_list_release(&l);

	/* lists: a category, "other news" without the current article, paging */
	assert_int_equal(article_latest(db, cat_dvk, 0, 10, 0, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.rows[0].category_slug, "dan-van-kheo");
	article_list_release(&l);
	assert_int_equal(article_latest(db, 0, id, 10, 0, 0, &l), RC_OK);
	assert_false(list_has(&l, id));
	assert_true(list_has(&l, other));
	article_list_release(&l);
	assert_int_equal(article_latest(db, 0, 0, 1, 0, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_true(l.more);
	int64_t first = l.rows[0].id, at = l.rows[0].publish_at;
	article_list_release(&l);
	assert_int_equal(article_latest(db, 0, 0, 1, at, first, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_true(l.rows[0].id != first);
	assert_false(l.more);
	article_list_release(&l);
}

/* ---- views ---------------------------------------------------------- */

static int64_t views_in(int days, int64_t id)
{
	ArticleList l;
	assert_int_equal(article_most_viewed(db, days, 10, &l), RC_OK);
	int64_t v = -1;
	for (size_t i = 0; i < l.count; i++)
		if (l.rows[i].id == id)
			v = l.rows[i].views;
	article_list_release(&l);
	return v;
}

static void test_views(void **state)
{
	(void)state;
	static const char *const browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
					   "(KHTML, like Gecko) Chrome/126.0 Safari/537.36";
	assert_true(views_is_bot(NULL));
	assert_true(views_is_bot(""));
	assert_true(views_is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
	assert_true(views_is_bot("curl/8.5.0"));
	assert_true(views_is_bot("python-requests/2.31"));
	assert_true(views_is_bot("Go-http-client/1.1"));
	assert_true(views_is_bot("facebookexternalhit/1.1"));
	assert_true(views_is_bot("Mozilla/5.0 (compatible; Yahoo! Slurp)"));
	assert_false(views_is_bot(browser));

	util_set_clock(T0 - 20 * DAY);
	int64_t old = published("Tin cũ được xem nhiều");
	for (int i = 0; i < 100; i++)
		views_hit(old, browser);
	views_hit(old, "Googlebot");
	views_hit(old, "");
	assert_int_equal(views_pending(), 100);
	assert_int_equal(views_flush(db), RC_OK);
	assert_int_equal(views_pending(), 0);

	util_set_clock(T0);
	int64_t fresh = published("Tin mới");
	for (int i = 0; i < 10; i++)
		views_hit(fresh, browser);
	views_hit(old, browser);
	assert_int_equal(views_flush(db), RC_OK);
	assert_int_equal(views_flush(db), RC_OK); /* nothing pending: nothing changes */

	/* 7 days: only this week's views; 30 days: both */
	ArticleList l;
	assert_int_equal(article_most_viewed(db, 7, 10, &l), RC_OK);
	assert_true(l.count >= 2);
	assert_int_equal(l.rows[0].id, fresh);
	article_list_release(&l);
	assert_int_equal(views_in(7, fresh), 10);
	assert_int_equal(views_in(7, old), 1);
	assert_int_equal(article_most_viewed(db, 30, 10, &l), RC_OK);
	assert_int_equal(l.rows[0].id, old);
	assert_int_equal(l.rows[0].views, 101);
	article_list_release(&l);
	/* the article's total */
	Article a;
	assert_int_equal(article_load(db, old, true, &a), RC_OK);
	assert_int_equal(a.views, 101);
	article_release(&a);
	/* a day row per Vietnam day */
	int64_t days = 0;
	assert_int_equal(db_get_int(db, &days, "SELECT count(*) FROM article_view_day WHERE article_id = ?",
				    "l", old), RC_OK);
	assert_int_equal(days, 2);
	/* an article that no longer exists is skipped, not an error */
	int64_t ids[] = {987654, fresh}, counts[] = {5, 1};
	assert_int_equal(article_views_flush(db, ids, counts, 2), RC_OK);
	assert_int_equal(views_in(7, fresh), 11);
	/* unpublished articles leave the lists */
	assert_int_equal(article_transition(db, &publisher, fresh, "unpublish", 0), RC_OK);
	assert_int_equal(views_in(7, fresh), -1);
}

/* ---- feedback ------------------------------------------------------- */

static FeedbackInput fb(const char *content)
{
	FeedbackInput in = {
		.name = "Trần Văn An",
		.email = "an.tran@example.vn",
		.phone = "0912 345 678",
		.address = "Thôn Đông, xã Vũ Thư, tỉnh Hưng Yên",
		.content = content,
		.honeypot = "",
		.client = "203.0.113.7",
	};
	return in;
}

static Rc submit(int64_t article, const FeedbackInput *in, const char **problem)
{
	int64_t id;
	return feedback_submit(db, article, in, &id, problem);
}

static void test_feedback_validation(void **state)
{
	(void)state;
	int64_t art = published("Giao ban công tác dân vận");
	const char *p = NULL;
	FeedbackInput in = fb("Đề nghị tổ chức đối thoại với nhân dân ở xã tôi.");
	int64_t id = 0;
	assert_int_equal(feedback_submit(db, art, &in, &id, &p), RC_OK);
	assert_true(id > 0);
	char *status = NULL, *hash = NULL;
	assert_int_equal(db_get_text(db, &status, "SELECT status FROM feedback WHERE id = ?", "l", id), RC_OK);
	assert_string_equal(status, "pending");
	free(status);
	/* the client is remembered only as a keyed hash */
	assert_int_equal(db_get_text(db, &hash, "SELECT client_hash FROM feedback WHERE id = ?", "l", id), RC_OK);
	assert_int_equal(strlen(hash), 64);
	assert_null(strstr(hash, "203.0.113.7"));
	free(hash);
	/* the same submission again (a double click) is not stored twice */
	int64_t again = 0;
	assert_int_equal(feedback_submit(db, art, &in, &again, &p), RC_OK);
	assert_int_equal(again, id);

	in = fb("Nội dung đủ dài để gửi.");
	in.client = "198.51.100.1";
	in.name = "  ";
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "Enter your name");
	char name[FEEDBACK_NAME_MAX * 2 + 4] = "";
	memset(name, 'a', FEEDBACK_NAME_MAX + 1);
	in.name = name;
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "The name is too long (at most 150 characters)");
	in.name = "Xem www.spam.example";
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "A name cannot contain a web address");
	in.name = "Trần Văn An";
	in.content = "Quá ngắn"; /* 8 characters */
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "Write at least 10 characters");
	in.content = "Mười ký tự"; /* exactly 10 characters, more bytes */
	assert_int_equal(submit(art, &in, &p), RC_OK);
	char *big = xmalloc(FEEDBACK_CONTENT_MAX + 2);
	memset(big, 'x', FEEDBACK_CONTENT_MAX + 1);
	big[FEEDBACK_CONTENT_MAX + 1] = 0;
	in.content = big;
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "The feedback is too long (at most 5,000 characters)");
	free(big);
	in.content = "Xem http://a.example, https://b.example và www.c.example nhé.";
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "At most 2 web addresses are allowed");
	in.content = "Xem https://www.a.example và http://b.example nhé.";
	assert_int_equal(submit(art, &in, &p), RC_OK); /* "https://www." is one link */
	in.content = "Nội dung hợp lệ, đủ dài.";
	in.email = "không phải thư";
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "The e-mail address is not valid.");
	in.email = "";
	in.phone = "12345";
	assert_int_equal(submit(art, &in, &p), RC_INVALID);
	assert_string_equal(p, "The phone number is not valid");
	in.phone = "+84 912 345 678";
	assert_int_equal(submit(art, &in, &p), RC_OK);

	/* the honeypot: accepted like any other, stored as spam */
	in = fb("Mua hàng giá rẻ tại đây ngay hôm nay.");
	in.client = "192.0.2.50";
	in.honeypot = "http://spam.example";
	assert_int_equal(feedback_submit(db, art, &in, &id, &p), RC_OK);
	assert_int_equal(db_get_text(db, &status, "SELECT status FROM feedback WHERE id = ?", "l", id), RC_OK);
	assert_string_equal(status, "spam");
	free(status);

	/* only public articles take feedback */
	int64_t draft = create("Bản nháp");
	in = fb("Phản hồi về một bản nháp chưa đăng.");
	assert_int_equal(submit(draft, &in, &p), RC_NOT_FOUND);
	assert_int_equal(submit(987654, &in, &p), RC_NOT_FOUND);
}

static void test_feedback_rate_limit(void **state)
{
	(void)state;
	int64_t art = published("Giao ban");
	char text[64];
	for (int i = 0; i < FEEDBACK_PER_HOUR; i++) {
		xsnprintf(text, sizeof text, "Phản hồi số %d của tôi.", i);
		FeedbackInput in = fb(text);
		assert_int_equal(submit(art, &in, NULL), RC_OK);
	}
	FeedbackInput in = fb("Phản hồi thêm một lần nữa.");
	assert_int_equal(submit(art, &in, NULL), RC_LOCKED);
	in.client = "198.51.100.99"; /* another client is not affected */
	assert_int_equal(submit(art, &in, NULL), RC_OK);
	util_set_clock(T0 + 3601); /* an hour later */
	in.client = "203.0.113.7";
	assert_int_equal(submit(art, &in, NULL), RC_OK);
}

static void test_moderation_and_case(void **state)
{
	(void)state;
	int64_t art = published("Giao ban công tác dân vận các tỉnh đồng bằng sông Hồng");
	FeedbackInput in = fb("Đề nghị tổ chức đối thoại về đất đai ở xã tôi.");
	int64_t id = 0;
	assert_int_equal(feedback_submit(db, art, &in, &id, NULL), RC_OK);

	FeedbackList l;
	assert_int_equal(feedback_public(db, art, 10, &l), RC_OK);
	assert_int_equal(l.count, 0); /* pending is not public */
	feedback_list_release(&l);
	assert_int_equal(feedback_queue(db, &editor, NULL, 10, 0, &l), RC_FORBIDDEN);
	assert_int_equal(feedback_queue(db, &publisher, NULL, 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.rows[0].email, "an.tran@example.vn");
	assert_string_equal(l.rows[0].article_title, "Giao ban công tác dân vận các tỉnh đồng bằng sông Hồng");
	feedback_list_release(&l);

	assert_int_equal(feedback_moderate(db, &editor, id, "approve"), RC_FORBIDDEN);
	assert_int_equal(feedback_moderate(db, &publisher, id, "maybe"), RC_INVALID);
	assert_int_equal(feedback_moderate(db, &publisher, 987654, "approve"), RC_NOT_FOUND);
	assert_int_equal(feedback_moderate(db, &publisher, id, "approve"), RC_OK);
	assert_int_equal(feedback_public(db, art, 10, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.rows[0].name, "Trần Văn An");
	assert_null(l.rows[0].email); /* never public */
	assert_null(l.rows[0].phone);
	feedback_list_release(&l);
	assert_int_equal(count_where("feedback.approve", id), 1);
	int64_t n = 0;
	assert_int_equal(feedback_count(db, &publisher, "approved", &n), RC_OK);
	assert_int_equal(n, 1);

	/* the article unpublished: its feedback goes too */
	assert_int_equal(article_transition(db, &publisher, art, "unpublish", 0), RC_OK);
	assert_int_equal(feedback_public(db, art, 10, &l), RC_OK);
	assert_int_equal(l.count, 0);
	feedback_list_release(&l);
	assert_int_equal(article_transition(db, &publisher, art, "publish", 0), RC_OK);

	assert_int_equal(feedback_moderate(db, &publisher, id, "reject"), RC_OK);
	assert_int_equal(feedback_public(db, art, 10, &l), RC_OK);
	assert_int_equal(l.count, 0);
	feedback_list_release(&l);

	/* one action makes a petition of it, with the sender's details */
	CaseCreated c;
	const char *problem = NULL;
	assert_int_equal(feedback_to_case(db, &editor, id, &c, &problem), RC_FORBIDDEN);
	assert_int_equal(feedback_to_case(db, &publisher, id, &c, &problem), RC_OK);
	assert_true(c.id > 0);
	DbStmt *st;
	assert_int_equal(db_prep(db, &st, "SELECT kind, channel, title, citizen_name, citizen_email,"
					  " citizen_phone, anonymous, status FROM cases WHERE id = ?",
				 "l", c.id), RC_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "petition");
	assert_string_equal(db_col_text(st, 1), "web");
	assert_string_equal(db_col_text(st, 2),
			    "Phản hồi về bài viết: Giao ban công tác dân vận các tỉnh đồng bằng sông Hồng");
	assert_string_equal(db_col_text(st, 3), "Trần Văn An");
	assert_string_equal(db_col_text(st, 4), "an.tran@example.vn");
	assert_string_equal(db_col_text(st, 5), "0912 345 678");
	assert_int_equal(db_col_int(st, 6), 0);
	assert_string_equal(db_col_text(st, 7), "received");
	db_done(st);
	Feedback f;
	assert_int_equal(feedback_load(db, &publisher, id, &f), RC_OK);
	assert_int_equal(f.case_id, c.id);
	assert_string_equal(f.case_code, c.code);
	feedback_release(&f);
	assert_int_equal(count_where("feedback.case", id), 1);
	/* only once */
	assert_int_equal(feedback_to_case(db, &publisher, id, &c, &problem), RC_CONFLICT);

	/* no way to answer: received as anonymous information */
	in = fb("Phản hồi không để lại địa chỉ liên hệ nào.");
	in.client = "198.51.100.2";
	in.email = in.phone = in.address = "";
	assert_int_equal(feedback_submit(db, art, &in, &id, NULL), RC_OK);
	assert_int_equal(feedback_to_case(db, &publisher, id, &c, &problem), RC_OK);
	int64_t anon = 0;
	assert_int_equal(db_get_int(db, &anon, "SELECT anonymous FROM cases WHERE id = ?", "l", c.id), RC_OK);
	assert_int_equal(anon, 1);
	/* spam cannot become a case */
	in = fb("Một phản hồi sẽ bị đánh dấu là thư rác.");
	in.client = "198.51.100.3";
	assert_int_equal(feedback_submit(db, art, &in, &id, NULL), RC_OK);
	assert_int_equal(feedback_moderate(db, &publisher, id, "spam"), RC_OK);
	assert_int_equal(feedback_to_case(db, &publisher, id, &c, &problem), RC_CONFLICT);
}

/* ---- figures (libvips) ---------------------------------------------- */

static void *vips_out(void *buf, size_t len, size_t *n)
{
	void *copy = xmalloc(len);
	memcpy(copy, buf, len);
	g_free(buf);
	*n = len;
	return copy;
}

/* A w × h JPEG with a comment segment holding "GPS-SECRET". */
static void *make_jpeg(int w, int h, size_t *n)
{
	VipsImage *im = NULL;
	void *buf = NULL;
	size_t len = 0;
	assert_int_equal(vips_black(&im, w, h, "bands", 3, NULL), 0);
	assert_int_equal(vips_jpegsave_buffer(im, &buf, &len, NULL), 0);
	g_object_unref(im);
	static const unsigned char com[] = {0xFF, 0xFE, 0x00, 0x0C, 'G', 'P', 'S', '-', 'S',
					    'E', 'C', 'R', 'E', 'T'};
	unsigned char *out = xmalloc(len + sizeof com);
	memcpy(out, buf, 2); /* SOI */
	memcpy(out + 2, com, sizeof com);
	memcpy(out + 2 + sizeof com, (unsigned char *)buf + 2, len - 2);
	g_free(buf);
	*n = len + sizeof com;
	return out;
}

static void *make_png_alpha(int w, int h, size_t *n)
{
	VipsImage *black = NULL, *rgb = NULL, *rgba = NULL;
	void *buf = NULL;
	size_t len = 0;
	assert_int_equal(vips_black(&black, w, h, "bands", 3, NULL), 0);
	assert_int_equal(vips_copy(black, &rgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL), 0);
	assert_int_equal(vips_bandjoin_const1(rgb, &rgba, 128, NULL), 0);
	assert_int_equal(vips_pngsave_buffer(rgba, &buf, &len, NULL), 0);
	g_object_unref(black);
	g_object_unref(rgb);
	g_object_unref(rgba);
	return vips_out(buf, len, n);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG whose header claims 10000 × 10000 pixels: 65 bytes of bomb (an
 * IDAT of an empty zlib stream follows, as loaders read up to it). */
static size_t make_png_bomb(unsigned char out[80])
{
	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	put32(out + 8, 13);
	memcpy(out + 12, "IHDR", 4);
	put32(out + 16, 10000);
	put32(out + 20, 10000);
	memcpy(out + 24, "\x08\x02\x00\x00\x00", 5);
	put32(out + 29, crc32_of(out + 12, 17));
	put32(out + 33, 8);
	memcpy(out + 37, "IDAT\x78\x9c\x03\x00\x00\x00\x00\x01", 12);
	put32(out + 49, crc32_of(out + 37, 12));
	put32(out + 53, 0);
	memcpy(out + 57, "IEND", 4);
	put32(out + 61, crc32_of(out + 57, 4));
	return 65;
}

static bool contains(const void *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp((const char *)hay + i, needle, k) == 0)
			return true;
	return false;
}

static void decoded_size(const void *data, size_t n, int *w, int *h)
{
	VipsImage *im = vips_image_new_from_buffer(data, n, "", NULL);
	assert_non_null(im);
	*w = vips_image_get_width(im);
	*h = vips_image_get_height(im);
	g_object_unref(im);
}

static void test_image_process(void **state)
{
	(void)state;
	size_t n = 0;
	void *jpeg = make_jpeg(2000, 1000, &n);
	assert_string_equal(image_sniff(jpeg, n), "image/jpeg");
	assert_true(contains(jpeg, n, "GPS-SECRET"));
	ImageProcessed p;
	const char *problem = NULL;
	assert_int_equal(image_process(jpeg, n, &p, &problem), RC_OK);
	assert_string_equal(p.content_type, "image/jpeg");
	assert_int_equal(p.width, IMAGE_DISPLAY_WIDTH);
	assert_int_equal(p.height, 800);
	assert_false(contains(p.data, p.data_len, "GPS-SECRET")); /* metadata stripped */
	assert_false(contains(p.thumb, p.thumb_len, "GPS-SECRET"));
	int w, h;
	decoded_size(p.data, p.data_len, &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 800);
	decoded_size(p.thumb, p.thumb_len, &w, &h);
	assert_int_equal(w, IMAGE_THUMB_WIDTH);
	assert_int_equal(h, 200);
	assert_int_equal(strlen(p.sha256), 64);
	image_processed_release(&p);
	free(jpeg);

	/* small images are not enlarged */
	jpeg = make_jpeg(300, 200, &n);
	assert_int_equal(image_process(jpeg, n, &p, &problem), RC_OK);
	assert_int_equal(p.width, 300);
	assert_int_equal(p.height, 200);
	decoded_size(p.thumb, p.thumb_len, &w, &h);
	assert_int_equal(w, 300);
	image_processed_release(&p);
	free(jpeg);

	/* transparency is kept: WebP */
	void *png = make_png_alpha(640, 480, &n);
	assert_string_equal(image_sniff(png, n), "image/png");
	assert_int_equal(image_process(png, n, &p, &problem), RC_OK);
	assert_string_equal(p.content_type, "image/webp");
	assert_string_equal(image_sniff(p.data, p.data_len), "image/webp");
	image_processed_release(&p);
	free(png);

	/* refusals */
	assert_int_equal(image_process("GIF89a....", 10, &p, &problem), RC_INVALID);
	assert_string_equal(problem, "Upload a JPEG, PNG or WebP image");
	assert_null(image_sniff("<svg xmlns=", 11));
	static const unsigned char broken[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 'x', 'y'};
	assert_int_equal(image_process(broken, sizeof broken, &p, &problem), RC_INVALID);
	assert_string_equal(problem, "The image could not be read");
	unsigned char bomb[80];
	size_t bn = make_png_bomb(bomb);
	assert_int_equal(image_process(bomb, bn, &p, &problem), RC_INVALID);
	assert_string_equal(problem, "The image has too many pixels (at most 50 megapixels)");
	assert_int_equal(image_process(bomb, IMAGE_UPLOAD_MAX + 1, &p, &problem), RC_TOO_LARGE);
}

static int64_t add_image(int64_t article, const char *caption, const char *alt)
{
	size_t n = 0;
	void *jpeg = make_jpeg(1800, 1200, &n);
	ImageProcessed p;
	assert_int_equal(image_process(jpeg, n, &p, NULL), RC_OK);
	free(jpeg);
	int64_t id = 0;
	const char *problem = NULL;
	Rc rc = image_store(db, &editor, article, &p, caption, alt, &id, &problem);
	image_processed_release(&p);
	if (rc)
		fail_msg("image_store: %s (%s)", rc_name(rc), problem ? problem : "-");
	return id;
}

static void test_figures(void **state)
{
	(void)state;
	ArticleInput in = input("Giao ban công tác dân vận khu vực đồng bằng sông Hồng");
	in.body = "Đoạn mở đầu.\n\n[[hinh:1]]\n\nĐoạn giữa.\n\n[[hinh:2]]\n\n[[hinh:3]]";
	int64_t art = create_as(&editor, &in);
	int64_t i1 = add_image(art, "Quang cảnh Hội nghị", "Hội trường với các đại biểu");
	int64_t i2 = add_image(art, "Đồng chí Nguyễn Tiến Thành phát biểu tại Hội nghị",
			       "Người phát biểu tại bục");

	/* alt text is required */
	size_t n = 0;
	void *jpeg = make_jpeg(100, 100, &n);
	ImageProcessed p;
	assert_int_equal(image_process(jpeg, n, &p, NULL), RC_OK);
	free(jpeg);
	int64_t id = 0;
	const char *problem = NULL;
	assert_int_equal(image_store(db, &editor, art, &p, "chú thích", "  ", &id, &problem), RC_INVALID);
	assert_string_equal(problem, "Describe the image for people who cannot see it (alternative text)");
	assert_int_equal(image_store(db, &reader, art, &p, "", "ảnh", &id, &problem), RC_FORBIDDEN);
	assert_int_equal(image_store(db, &editor, 987654, &p, "", "ảnh", &id, &problem), RC_NOT_FOUND);

	Image *im = NULL;
	size_t nim = 0;
	assert_int_equal(image_list(db, art, &im, &nim), RC_OK);
	assert_int_equal(nim, 2);
	assert_int_equal(im[0].id, i1);
	assert_int_equal(im[1].id, i2);
	assert_int_equal(im[0].width, 1600);
	assert_int_equal(im[0].height, 1067);
	Buf out = BUF_INIT;
	assert_int_equal(markup_render(&out, in.body, im, nim), 1); /* [[hinh:3]] is missing */
	char want[512];
	xsnprintf(want, sizeof want,
		  "<figure><img src=\"/anh/%lld\" alt=\"Hội trường với các đại biểu\" width=\"1600\" "
		  "height=\"1067\" loading=\"lazy\"><figcaption>Quang cảnh Hội nghị</figcaption></figure>\n",
		  (long long)i1);
	assert_non_null(strstr(buf_cstr(&out), want));
	buf_release(&out);
	image_list_release(im, nim);

	/* captions are searched once the article is public */
	assert_int_equal(article_transition(db, &publisher, art, "publish", 0), RC_OK);
	ArticleList l;
	assert_int_equal(article_search(db, "tien thanh phat bieu", 10, 0, &l), RC_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.rows[0].image_id, i1); /* the first figure is the list's picture */
	article_list_release(&l);

	/* a published article's figures are the publisher's to change */
	assert_int_equal(image_store(db, &editor, art, &p, "", "ảnh", &id, &problem), RC_FORBIDDEN);
	assert_int_equal(image_store(db, &publisher, art, &p, "", "ảnh thứ ba", &id, &problem), RC_OK);
	image_processed_release(&p);

	/* reorder, edit, delete */
	assert_int_equal(image_update(db, &publisher, art, i2, "Chú thích mới", "Người phát biểu", 0, &problem),
			 RC_OK);
	assert_int_equal(image_update(db, &publisher, art + 1000, i2, "x", "y", 0, &problem), RC_NOT_FOUND);
	assert_int_equal(image_list(db, art, &im, &nim), RC_OK);
	assert_int_equal(nim, 3);
	assert_int_equal(im[0].id, i2);
	assert_string_equal(im[0].caption, "Chú thích mới");
	image_list_release(im, nim);
	assert_int_equal(image_delete(db, &publisher, art, id), RC_OK);
	assert_int_equal(image_list(db, art, &im, &nim), RC_OK);
	assert_int_equal(nim, 2);
	image_list_release(im, nim);
	assert_int_equal(count_where("image.add", i1), 1);
	assert_int_equal(count_where("image.delete", id), 1);

	/* serving: public while the article is */
	ImageBytes b;
	assert_int_equal(image_bytes(db, i1, false, NULL, &b), RC_OK);
	assert_string_equal(b.content_type, "image/jpeg");
	assert_string_equal(image_sniff(b.data, b.len), "image/jpeg");
	assert_true(b.etag[0] == '"' && b.etag[strlen(b.etag) - 1] == '"');
	char etag_full[48];
	xsnprintf(etag_full, sizeof etag_full, "%s", b.etag);
	size_t full_len = b.len;
	image_bytes_release(&b);
	assert_int_equal(image_bytes(db, i1, true, NULL, &b), RC_OK);
	assert_true(b.len < full_len);
	assert_string_not_equal(b.etag, etag_full);
	image_bytes_release(&b);
	assert_int_equal(article_transition(db, &publisher, art, "unpublish", 0), RC_OK);
	assert_int_equal(image_bytes(db, i1, false, NULL, &b), RC_NOT_FOUND);
	assert_int_equal(image_bytes(db, i1, false, &editor, &b), RC_OK); /* staff preview */
	image_bytes_release(&b);
	assert_int_equal(image_bytes(db, 987654, false, &editor, &b), RC_NOT_FOUND);
	assert_int_equal(image_bytes(db, i1, false, &reader, &b), RC_NOT_FOUND); /* no news role */
}

/* ---- send to a friend ------------------------------------------------- */

static void test_share(void **state)
{
	(void)state;
	int64_t has = 0;
	assert_int_equal(db_get_int(db, &has, "SELECT count(*) FROM sqlite_master WHERE name = 'article_share'",
				    ""), RC_OK);
	if (!has)
		skip(); /* the table is requested for migration 3 (docs/internals/portal.md) */
	int64_t art = published("Giao ban công tác dân vận");
	const char *p = NULL;
	const char *link = "https://danvan.example/tin/giao-ban-cong-tac-dan-van";
	assert_int_equal(article_share(db, art, "ban@example.vn", "Trần An", "Bài hay, bạn đọc nhé.", link,
				       "203.0.113.7", &p), RC_OK);
	char *subject = NULL, *body = NULL;
	assert_int_equal(db_get_text(db, &subject, "SELECT subject FROM outbox ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	assert_string_equal(subject, "Trần An gửi bạn bài viết: Giao ban công tác dân vận");
	assert_int_equal(db_get_text(db, &body, "SELECT body FROM outbox ORDER BY id DESC LIMIT 1", ""), RC_OK);
	assert_non_null(strstr(body, link));
	assert_non_null(strstr(body, "Bài hay, bạn đọc nhé."));
	free(subject);
	free(body);

	assert_int_equal(article_share(db, art, "ban@example.vn", "Trần An", "xem http://spam.example", link,
				       "203.0.113.8", &p), RC_INVALID);
	assert_string_equal(p, "The message cannot contain web addresses");
	assert_int_equal(article_share(db, art, "không hợp lệ", "Trần An", "", link, "203.0.113.8", &p),
			 RC_INVALID);
	assert_int_equal(article_share(db, art, "ban@example.vn", "Trần\nAn", "", link, "203.0.113.8", &p),
			 RC_INVALID);
	assert_int_equal(article_share(db, art, "ban@example.vn", "", "", link, "203.0.113.8", &p), RC_INVALID);
	/* per recipient per day (any case of letters) */
	assert_int_equal(article_share(db, art, "BAN@example.vn", "B", "", link, "203.0.113.9", &p), RC_OK);
	assert_int_equal(article_share(db, art, "ban@example.vn", "C", "", link, "203.0.113.10", &p), RC_OK);
	assert_int_equal(article_share(db, art, "ban@example.vn", "D", "", link, "203.0.113.11", &p), RC_LOCKED);
	/* per client per hour */
	char to[64];
	for (int i = 0; i < ARTICLE_SHARE_PER_HOUR; i++) {
		xsnprintf(to, sizeof to, "ban%d@example.vn", i);
		assert_int_equal(article_share(db, art, to, "E", "", link, "198.51.100.5", &p), RC_OK);
	}
	assert_int_equal(article_share(db, art, "khac@example.vn", "E", "", link, "198.51.100.5", &p), RC_LOCKED);
	/* only public articles */
	int64_t draft = create("Bản nháp");
	assert_int_equal(article_share(db, draft, "x@example.vn", "F", "", link, "192.0.2.1", &p), RC_NOT_FOUND);
}

/* ---- markup --------------------------------------------------------- */

static void render_is(const char *src, const char *want)
{
	Buf b = BUF_INIT;
	markup_render(&b, src, NULL, 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_markup(void **state)
{
	(void)state;
	render_is("<script>alert(\"x\")</script>",
		  "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>\n");
	render_is("", "");
	render_is("\n\n  \n", "");
	render_is("### Nhỏ & gọn", "<h3>Nhỏ &amp; gọn</h3>\n");
	render_is("[[hinh:0]]\n[[hinh:x]]", "<p>[[hinh:0]]\n[[hinh:x]]</p>\n");
	render_is("**chưa đóng", "<p>**chưa đóng</p>\n");
	render_is("javascript:alert(1) và https://x.vn/\"onmouseover=alert(1)",
		  "<p>javascript:alert(1) và <a href=\"https://x.vn/\" rel=\"nofollow noopener\">"
		  "https://x.vn/</a>&quot;onmouseover=alert(1)</p>\n");
	render_is("- <b>", "<ul><li>&lt;b&gt;</li></ul>\n");
	render_is("1.5 triệu đồng", "<p>1.5 triệu đồng</p>\n"); /* no space after the dot: text */
	render_is("3) ba", "<ol><li>ba</li></ol>\n");

	Image im = {.id = 7, .width = 1600, .height = 900, .caption = "Quang cảnh Hội nghị",
		    .alt = "Quang cảnh \"Hội nghị\""};
	const char *src =
		"## Kết luận\n"
		"\n"
		"Đoạn **một**\n"
		"dòng hai.\n"
		"\n"
		"- một\n"
		"- hai\n"
		"  tiếp\n"
		"\n"
		"1. đầu\n"
		"2) sau\n"
		"\n"
		"> trích\n"
		"> dẫn\n"
		">\n"
		"> đoạn hai\n"
		"\n"
		"[[hinh:1]]\n"
		"[[hinh:3]]\n"
		"Xem https://danvan.vn/a.";
	Buf b = BUF_INIT;
	assert_int_equal(markup_render(&b, src, &im, 1), 1);
	assert_string_equal(buf_cstr(&b),
			    "<h2>Kết luận</h2>\n"
			    "<p>Đoạn <strong>một</strong>\ndòng hai.</p>\n"
			    "<ul><li>một</li><li>hai\ntiếp</li></ul>\n"
			    "<ol><li>đầu</li><li>sau</li></ol>\n"
			    "<blockquote><p>trích\ndẫn</p><p>đoạn hai</p></blockquote>\n"
			    "<figure><img src=\"/anh/7\" alt=\"Quang cảnh &quot;Hội nghị&quot;\" width=\"1600\" "
			    "height=\"900\" loading=\"lazy\"><figcaption>Quang cảnh Hội nghị</figcaption></figure>\n"
			    "<p>Xem <a href=\"https://danvan.vn/a\" rel=\"nofollow noopener\">https://danvan.vn/a</a>.</p>\n");
	buf_release(&b);

	/* a figure without a caption has no figcaption */
	Image bare = {.id = 8, .width = 10, .height = 20, .caption = "", .alt = "ảnh"};
	assert_int_equal(markup_render(&b, "  [[hinh:1]]  ", &bare, 1), 0);
	assert_string_equal(buf_cstr(&b), "<figure><img src=\"/anh/8\" alt=\"ảnh\" width=\"10\" height=\"20\" "
					  "loading=\"lazy\"></figure>\n");
	buf_release(&b);

	markup_plain(&b, src);
	assert_string_equal(buf_cstr(&b), "Kết luận\n\nĐoạn một\ndòng hai.\n\nmột\nhai\ntiếp\n\nđầu\nsau\n\n"
					  "trích\ndẫn\n\nđoạn hai\n\nXem https://danvan.vn/a.");
	buf_release(&b);

	markup_excerpt(&b, src, 200);
	assert_string_equal(buf_cstr(&b), "Đoạn một dòng hai.");
	buf_release(&b);
	markup_excerpt(&b, src, 8);
	assert_string_equal(buf_cstr(&b), "Đoạn…");
	assert_true(text_length(buf_cstr(&b)) <= 8);
	buf_release(&b);

	int fig = 0;
	assert_true(markup_figure_marker("[[hinh:12]]", 11, &fig));
	assert_int_equal(fig, 12);
	assert_false(markup_figure_marker("[[hinh:12345]]", 14, &fig));
	assert_false(markup_figure_marker("[[hinh:]]", 9, &fig));
	assert_false(markup_figure_marker("[[hinh:1]", 9, &fig));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tx_begin, tx_rollback)
	const struct CMUnitTest tests[] = {
		T(test_categories),
		T(test_slugs),
		T(test_validation),
		T(test_workflow),
		T(test_scheduled),
		T(test_republish_keeps_date),
		T(test_revisions),
		T(test_area),
		T(test_search),
		T(test_views),
		T(test_feedback_validation),
		T(test_feedback_rate_limit),
		T(test_moderation_and_case),
		T(test_image_process),
		T(test_figures),
		T(test_share),
		T(test_markup),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
