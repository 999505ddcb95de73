/*
 * test_units.c — administrative units (domain/unit.h) on the real data in
 * data/admin-units: the import and its idempotence, resolution of codes of
 * both eras across the 2025 reorganisation (partial splits, the two
 * remapped codes, the 12 communes known only from the mapping), the
 * built-in 11-province Red River Delta region, the scope test behind
 * "commune A never touches commune B", search, and the CSV reader.
 *
 * The group setup imports once into a database in a mkdtemp directory
 * (set DANVAN_UNITS_DATA to run from elsewhere than the repository root);
 * tests that change data work on their own database or roll back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "domain/unit.h"
#include "store/db.h"
#include "store/schema.h"
#include "testdir.h"

static const char *g_data;
static Db *g_db;
static UnitImportStats g_first;
static int64_t g_import_ms;

static Db *open_new(const char *name)
{
	char path[256];
	testdir_path(path, sizeof path, name);
	Db *db = NULL;
	if (db_open(&db, path, DB_OPEN_CREATE))
		fail_msg("db_open %s: %s", path, db_errmsg(db));
	if (schema_migrate(db, NULL))
		fail_msg("migrate: %s", db_errmsg(db));
	return db;
}

static int group_setup(void **state)
{
	if (testdir_make("units"))
		return -1;
	g_data = getenv("DANVAN_UNITS_DATA");
	if (!g_data || !*g_data)
		g_data = "data/admin-units";
	g_db = open_new("units.db");
	Buf err = BUF_INIT;
	int64_t t0 = util_mono_ms();
	Rc rc = unit_import_ex(g_db, g_data, NULL, &g_first, &err);
	g_import_ms = util_mono_ms() - t0;
	if (rc) {
		fprintf(stderr, "import from %s failed: %s: %s\n", g_data, rc_name(rc), buf_cstr(&err));
		buf_release(&err);
		return -1;
	}
	buf_release(&err);
	return 0;
}

static int group_teardown(void **state)
{
	db_close(g_db);
	testdir_remove();
	return 0;
}

static int64_t count_rows(Db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, sql, ""), RC_OK);
	return n;
}

static int64_t find(const char *level, const char *code, int era)
{
	int64_t id = 0;
	Rc rc = unit_find(g_db, level, code, era, &id);
	if (rc)
		fail_msg("unit_find %s %s %d: %s", level, code, era, rc_name(rc));
	return id;
}

static int64_t old_commune(const char *code) { return find(UNIT_COMMUNE, code, UNIT_ERA_OLD); }
static int64_t new_commune(const char *code) { return find(UNIT_COMMUNE, code, UNIT_ERA_NEW); }
static int64_t old_province(const char *code) { return find(UNIT_PROVINCE, code, UNIT_ERA_OLD); }
static int64_t new_province(const char *code) { return find(UNIT_PROVINCE, code, UNIT_ERA_NEW); }

/* ---- the import ------------------------------------------------------ */

static void assert_counts(Db *db)
{
	UnitCounts c;
	assert_int_equal(unit_counts(db, &c), RC_OK);
	assert_int_equal(c.provinces_new, 34);
	assert_int_equal(c.communes_new, 3321);
	assert_int_equal(c.provinces_old, 63);
	assert_int_equal(c.districts_old, 696);
	assert_int_equal(c.communes_old, 10035 + 12);
	/* 63 province links + 10,604 commune/island-district links + the
	 * district links derived from them */
	assert_true(c.links > 63 + 10604);
	assert_int_equal(c.regions, 1);
}

static void test_counts(void **state)
{
	assert_counts(g_db);
	/* one transaction with cached statements: well under a few seconds
	 * (generous bound for sanitizer builds) */
	assert_true(g_import_ms < 8000);
	assert_int_equal(g_first.units_added, 34 + 3321 + 63 + 696 + 10035 + 12);
	assert_int_equal(g_first.communes_created, 12);
	assert_int_equal(g_first.rows_remapped, 6); /* 5 rows → 06970, 1 → 23737 */
	assert_int_equal(g_first.cross_province, 1); /* 30622 An Giang → Đồng Tháp */

	/* in force: the 34 with 3,321 communes between them */
	UnitStat *ps;
	size_t n;
	assert_int_equal(unit_provinces(g_db, 0, &ps, &n), RC_OK);
	assert_int_equal(n, 34);
	long sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += ps[i].communes;
		assert_int_equal(ps[i].districts, 0);
		assert_int_equal(ps[i].unit.era, UNIT_ERA_NEW);
	}
	assert_int_equal(sum, 3321);
	assert_string_equal(ps[0].unit.code, "01");
	assert_string_equal(ps[0].unit.name, "Hà Nội");
	assert_int_equal(ps[0].communes, 126);
	free(ps);
	assert_int_equal(unit_provinces(g_db, UNIT_ERA_OLD, &ps, &n), RC_OK);
	assert_int_equal(n, 63);
	long dsum = 0;
	for (size_t i = 0; i < n; i++)
		dsum += ps[i].districts;
	assert_int_equal(dsum, 696);
	free(ps);

	/* every unit has a province, a key and the dates of its era */
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit WHERE province_id IS NULL"), 0);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit WHERE name_key = ''"), 0);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit WHERE level = 'province'"
					  " AND province_id <> id"), 0);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit WHERE era = 2020 AND"
					  " (valid_from <> '2000-01-01' OR valid_to <> '2025-06-30')"), 0);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit WHERE era = 2025 AND"
					  " (valid_from <> '2025-07-01' OR valid_to IS NOT NULL)"), 0);
	/* new communes hang off their province, old ones off a district
	 * (except the 12 whose district is unknown) */
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit c JOIN unit p ON p.id = c.parent_id"
					  " WHERE c.era = 2025 AND c.level = 'commune' AND p.level = 'province'"), 3321);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit c JOIN unit p ON p.id = c.parent_id"
					  " WHERE c.era = 2020 AND c.level = 'commune' AND p.level = 'district'"), 10035);
	/* every old commune and district resolves to something */
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit u WHERE u.era = 2020 AND NOT EXISTS"
					  " (SELECT 1 FROM unit_successor s WHERE s.old_id = u.id)"), 0);
	/* the lower-case "xã Bắc Sơn" (06325) gets a capital kind */
	Unit u;
	assert_int_equal(unit_load(g_db, new_commune("06325"), &u), RC_OK);
	assert_string_equal(u.kind, "Xã");
	assert_string_equal(u.full_name, "Xã Bắc Sơn");
	Buf report = BUF_INIT;
	assert_int_equal(db_integrity(g_db, &report), RC_OK);
	buf_release(&report);
}

static long g_progress_calls;
static void count_progress(const char *what, long done, long total)
{
	assert_non_null(what);
	assert_true(done <= total || total == 0);
	g_progress_calls++;
}

static void test_reimport(void **state)
{
	UnitImportStats st;
	Buf err = BUF_INIT;
	assert_int_equal(unit_import_ex(g_db, g_data, NULL, &st, &err), RC_OK);
	assert_string_equal(buf_cstr(&err), "");
	buf_release(&err);
	assert_int_equal(st.units_added, 0);
	assert_int_equal(st.links_added, 0);
	assert_counts(g_db);
	int64_t links = count_rows(g_db, "SELECT count(*) FROM unit_successor");
	g_progress_calls = 0;
	assert_int_equal(unit_import(g_db, g_data, count_progress), RC_OK);
	assert_true(g_progress_calls >= 9); /* at least the end of each file */
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit_successor"), links);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM region_member"), 11);
	assert_false(db_in_tx(g_db));

	/* inside the caller's transaction the import joins it */
	assert_int_equal(db_begin_write(g_db), RC_OK);
	assert_int_equal(unit_import(g_db, g_data, NULL), RC_OK);
	assert_true(db_in_tx(g_db));
	assert_int_equal(db_rollback(g_db), RC_OK);
	assert_counts(g_db);
}

/* A broken file fails with its name and line, and leaves nothing behind. */
static void test_bad_data(void **state)
{
	char dir[256], sub[300], path[320];
	testdir_path(dir, sizeof dir, "bad");
	assert_int_equal(mkdir(dir, 0700), 0);
	static const char *const subs[] = {"before-2025", "after-2025", "mapping-2025"};
	for (size_t i = 0; i < 3; i++) {
		xsnprintf(sub, sizeof sub, "%s/%s", dir, subs[i]);
		assert_int_equal(mkdir(sub, 0700), 0);
	}
	xsnprintf(path, sizeof path, "%s/before-2025/provinces.csv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("code,name,name_en,full_name\r\n01,Hà Nội,Ha Noi,Thành phố Hà Nội\r\n"
	      "02,\"Hà \"\"Giang\",Ha Giang,Tỉnh Hà Giang\r\n"
	      "3,Cao Bằng,Cao Bang,Tỉnh Cao Bằng\r\n", f);
	fclose(f);

	Db *db = open_new("bad.db");
	Buf err = BUF_INIT;
	Rc rc = unit_import_ex(db, dir, NULL, NULL, &err);
	assert_int_equal(rc, RC_INVALID);
	assert_non_null(strstr(buf_cstr(&err), "before-2025/provinces.csv:4: bad province code"));
	assert_int_equal(count_rows(db, "SELECT count(*) FROM unit"), 0);
	assert_false(db_in_tx(db));

	/* a missing file is an error too */
	buf_reset(&err);
	testdir_path(path, sizeof path, "nowhere");
	assert_int_equal(unit_import_ex(db, path, NULL, NULL, &err), RC_NOT_FOUND);
	assert_non_null(strstr(buf_cstr(&err), "cannot read"));
	buf_release(&err);
	db_close(db);
}

/* ---- resolution ------------------------------------------------------ */

static void test_resolve_commune(void **state)
{
	/* 00001 Phúc Xá went wholly to 00097 Hồng Hà */
	UnitResolution *res;
	size_t n;
	assert_int_equal(unit_resolve_code(g_db, "00001", &res, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].unit.name, "Phúc Xá");
	assert_int_equal(res[0].unit.era, UNIT_ERA_OLD);
	assert_string_equal(res[0].unit.valid_to, "2025-06-30");
	assert_int_equal(res[0].nsucc, 1);
	assert_string_equal(res[0].succ[0].unit.code, "00097");
	assert_string_equal(res[0].succ[0].unit.full_name, "Phường Hồng Hà");
	assert_string_equal(res[0].succ[0].unit.province_name, "Hà Nội");
	assert_false(res[0].succ[0].partial);
	unit_resolutions_free(res, n);

	/* 00007 Cống Vị was split: part to 00008 Ngọc Hà, part to 00025 Giảng Võ */
	assert_int_equal(unit_resolve_code(g_db, "00007", &res, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].unit.name, "Cống Vị");
	assert_int_equal(res[0].nsucc, 2);
	assert_string_equal(res[0].succ[0].unit.code, "00008");
	assert_string_equal(res[0].succ[0].unit.name, "Ngọc Hà");
	assert_true(res[0].succ[0].partial);
	assert_string_equal(res[0].succ[1].unit.code, "00025");
	assert_true(res[0].succ[1].partial);
	unit_resolutions_free(res, n);

	/* 00004 means two places: the new Ba Đình ward (itself today) and the
	 * old Trúc Bạch ward (now in Ba Đình) */
	assert_int_equal(unit_resolve_code(g_db, "00004", &res, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(res[0].unit.era, UNIT_ERA_NEW);
	assert_string_equal(res[0].unit.name, "Ba Đình");
	assert_int_equal(res[0].nsucc, 1);
	assert_int_equal(res[0].succ[0].unit.id, res[0].unit.id);
	assert_int_equal(res[1].unit.era, UNIT_ERA_OLD);
	assert_string_equal(res[1].unit.name, "Trúc Bạch");
	assert_int_equal(res[1].nsucc, 1);
	assert_int_equal(res[1].succ[0].unit.id, res[0].unit.id);
	unit_resolutions_free(res, n);

	/* malformed and unknown codes */
	assert_int_equal(unit_resolve_code(g_db, "0001", &res, &n), RC_INVALID);
	assert_int_equal(unit_resolve_code(g_db, "0000a", &res, &n), RC_INVALID);
	assert_int_equal(unit_resolve_code(g_db, "", &res, &n), RC_INVALID);
	assert_int_equal(unit_resolve_code(g_db, "99999", &res, &n), RC_OK);
	assert_int_equal(n, 0);
	unit_resolutions_free(res, n);
}

static void test_resolve_province(void **state)
{
	UnitResolution *res;
	size_t n;
	/* 34 Thái Bình is now part of 33 Hưng Yên; there is no new 34 */
	assert_int_equal(unit_resolve_code(g_db, "34", &res, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].unit.name, "Thái Bình");
	assert_string_equal(res[0].unit.level, UNIT_PROVINCE);
	assert_int_equal(res[0].nsucc, 1);
	assert_string_equal(res[0].succ[0].unit.code, "33");
	assert_string_equal(res[0].succ[0].unit.name, "Hưng Yên");
	assert_false(res[0].succ[0].partial);
	unit_resolutions_free(res, n);

	/* 01 is Hà Nội in both eras */
	assert_int_equal(unit_resolve_code(g_db, "01", &res, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(res[0].nsucc, 1);
	assert_int_equal(res[1].nsucc, 1);
	assert_int_equal(res[1].succ[0].unit.id, res[0].unit.id);
	unit_resolutions_free(res, n);

	/* an old district: Ba Đình (001) went to several wards, partly each */
	UnitLink *ls;
	assert_int_equal(unit_successors(g_db, find(UNIT_DISTRICT, "001", UNIT_ERA_OLD), &ls, &n), RC_OK);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		assert_true(ls[i].partial);
		assert_string_equal(ls[i].unit.province_name, "Hà Nội");
	}
	free(ls);
	/* the island district without communes maps directly and wholly */
	assert_int_equal(unit_successors(g_db, find(UNIT_DISTRICT, "318", UNIT_ERA_OLD), &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].unit.code, "11948");
	assert_string_equal(ls[0].unit.full_name, "Đặc khu Bạch Long Vĩ");
	assert_false(ls[0].partial);
	free(ls);
	/* predecessors of the new Hồng Hà include old Phúc Xá and its district */
	assert_int_equal(unit_links(g_db, new_commune("00097"), true, &ls, &n), RC_OK);
	bool phuc_xa = false, district = false;
	for (size_t i = 0; i < n; i++) {
		phuc_xa |= str_eq(ls[i].unit.code, "00001");
		district |= str_eq(ls[i].unit.level, UNIT_DISTRICT);
	}
	assert_true(phuc_xa && district);
	free(ls);
}

static void test_remapped_and_missing(void **state)
{
	UnitLink *ls;
	size_t n;
	/* the mapping says 06970 for the new Ba Chẽ; the tables 06978 */
	assert_int_equal(unit_successors(g_db, old_commune("06970"), &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].unit.code, "06978");
	assert_string_equal(ls[0].unit.name, "Ba Chẽ");
	free(ls);
	/* old 23938 Ia Mơ → mapping's 23737 → tables' 23938 */
	assert_int_equal(unit_successors(g_db, old_commune("23938"), &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].unit.code, "23938");
	free(ls);
	/* …while the old commune 23737 (Ia Mơ Nông) is untouched */
	assert_int_equal(unit_successors(g_db, old_commune("23737"), &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].unit.code, "23734");
	free(ls);
	/* the remapped codes do not exist as new communes */
	int64_t id;
	assert_int_equal(unit_find(g_db, UNIT_COMMUNE, "06970", UNIT_ERA_NEW, &id), RC_NOT_FOUND);
	assert_int_equal(unit_find(g_db, UNIT_COMMUNE, "23737", UNIT_ERA_NEW, &id), RC_NOT_FOUND);

	/* 07693 Tân An is only in the mapping: created under old Bắc Giang */
	Unit u;
	assert_int_equal(unit_load(g_db, old_commune("07693"), &u), RC_OK);
	assert_string_equal(u.name, "Tân An");
	assert_string_equal(u.full_name, "Xã Tân An");
	assert_string_equal(u.kind, "Xã");
	assert_int_equal(u.parent_id, old_province("24"));
	assert_int_equal(u.province_id, old_province("24"));
	assert_string_equal(u.province_name, "Bắc Giang");
	assert_int_equal(unit_successors(g_db, u.id, &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].unit.code, "07682");
	free(ls);
	assert_int_equal(count_rows(g_db, "SELECT count(*) FROM unit c JOIN unit p ON p.id = c.parent_id"
					  " WHERE c.era = 2020 AND c.level = 'commune' AND p.level = 'province'"), 12);
}

/* Successors are followed to whatever is in force on the date asked. */
static void test_transitive(void **state)
{
	int64_t old = old_commune("00001"), hong_ha = new_commune("00097");
	UnitLink *ls;
	size_t n;
	/* before the reorganisation the old ward was itself */
	assert_int_equal(unit_successors_on(g_db, old, "2025-06-30", &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ls[0].unit.id, old);
	free(ls);

	/* a later (invented) change: Hồng Hà ends 2030-12-31 and goes wholly
	 * to X, which is then split; rolled back afterwards */
	assert_int_equal(db_begin_write(g_db), RC_OK);
	assert_int_equal(db_run(g_db, "UPDATE unit SET valid_to = '2030-12-31' WHERE id = ?", "l", hong_ha),
			 RC_OK);
	int64_t pid = new_province("01"), x, y, z;
	assert_int_equal(db_run(g_db, "INSERT INTO unit (code, level, era, parent_id, province_id, name,"
				" full_name, name_key, valid_from, valid_to) VALUES ('90001', 'commune', 2025, ?, ?,"
				" 'X', 'Phường X', 'x', '2031-01-01', '2031-12-31')", "ll", pid, pid), RC_OK);
	x = db_last_id(g_db);
	assert_int_equal(db_run(g_db, "INSERT INTO unit (code, level, era, parent_id, province_id, name,"
				" full_name, name_key, valid_from) VALUES ('90002', 'commune', 2025, ?, ?,"
				" 'Y', 'Phường Y', 'y', '2032-01-01')", "ll", pid, pid), RC_OK);
	y = db_last_id(g_db);
	assert_int_equal(db_run(g_db, "INSERT INTO unit (code, level, era, parent_id, province_id, name,"
				" full_name, name_key, valid_from) VALUES ('90003', 'commune', 2025, ?, ?,"
				" 'Z', 'Phường Z', 'z', '2032-01-01')", "ll", pid, pid), RC_OK);
	z = db_last_id(g_db);
	assert_int_equal(db_run(g_db, "INSERT INTO unit_successor (old_id, new_id, partial) VALUES"
				" (?, ?, 0), (?, ?, 1), (?, ?, 0)", "llllll", hong_ha, x, x, y, x, z), RC_OK);
	assert_int_equal(unit_successors_on(g_db, old, "2031-06-01", &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ls[0].unit.id, x);
	assert_false(ls[0].partial);
	free(ls);
	assert_int_equal(unit_successors_on(g_db, old, "2032-06-01", &ls, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ls[0].unit.id, y);
	assert_true(ls[0].partial);
	assert_int_equal(ls[1].unit.id, z);
	assert_false(ls[1].partial);
	free(ls);
	/* rolled back: today the old ward is Hồng Hà again */
	assert_int_equal(db_rollback(g_db), RC_OK);
	assert_int_equal(unit_successors(g_db, old, &ls, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ls[0].unit.id, hong_ha);
	free(ls);
}

/* ---- regions --------------------------------------------------------- */

static void test_region_dbsh(void **state)
{
	Region g;
	assert_int_equal(region_load(g_db, REGION_DBSH11, &g), RC_OK);
	assert_true(g.builtin);
	assert_int_equal(g.members, 11);
	assert_string_equal(g.name, "Đồng bằng sông Hồng (11 tỉnh, trước 2025)");
	assert_string_equal(g.name_en, "Red River Delta (11 provinces, before 2025)");

	RegionShare *v;
	size_t n;
	assert_int_equal(region_resolve(g_db, REGION_DBSH11, &v, &n), RC_OK);
	/* domain.md §4: Hà Nội 126/126, Hải Phòng 114/114, Quảng Ninh 54/54,
	 * Hưng Yên 104/104, Ninh Bình 129/129, Bắc Ninh 41/99, Phú Thọ 36/148 */
	static const struct {
		const char *code, *name;
		long from, total;
	} want[] = {
		{"01", "Hà Nội", 126, 126},   {"22", "Quảng Ninh", 54, 54}, {"24", "Bắc Ninh", 41, 99},
		{"25", "Phú Thọ", 36, 148},   {"31", "Hải Phòng", 114, 114}, {"33", "Hưng Yên", 104, 104},
		{"37", "Ninh Bình", 129, 129},
	};
	assert_int_equal(n, ARRAY_LEN(want));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].province.code, want[i].code);
		assert_string_equal(v[i].province.name, want[i].name);
		assert_int_equal(v[i].province.era, UNIT_ERA_NEW);
		assert_int_equal(v[i].communes_from_region, want[i].from);
		assert_int_equal(v[i].communes_total, want[i].total);
	}
	free(v);

	Unit *m;
	assert_int_equal(region_members(g_db, g.id, &m, &n), RC_OK);
	assert_int_equal(n, 11);
	assert_string_equal(m[0].code, "01");
	assert_int_equal(m[0].era, UNIT_ERA_OLD);
	free(m);
	assert_int_equal(region_resolve(g_db, "no-such", &v, &n), RC_NOT_FOUND);
}

static void test_region_admin(void **state)
{
	assert_int_equal(db_begin_write(g_db), RC_OK);
	int64_t id = 0, builtin_id = 0;
	assert_int_equal(region_create(g_db, "Bad Code", "x", "", &id), RC_INVALID);
	assert_int_equal(region_create(g_db, "north", "", "", &id), RC_INVALID);
	assert_int_equal(region_create(g_db, REGION_DBSH11, "again", "", &id), RC_CONFLICT);
	assert_int_equal(region_create(g_db, "thu-do", "Vùng Thủ đô", "Capital region", &id), RC_OK);
	assert_true(id > 0);
	/* a new province wholly, an old one through the mapping */
	assert_int_equal(region_add_member(g_db, id, new_province("01")), RC_OK);
	assert_int_equal(region_add_member(g_db, id, new_province("01")), RC_OK); /* no-op */
	assert_int_equal(region_add_member(g_db, id, old_province("26")), RC_OK); /* Vĩnh Phúc */
	assert_int_equal(region_add_member(g_db, id, new_commune("00097")), RC_INVALID);
	assert_int_equal(region_add_member(g_db, id, 999999999), RC_NOT_FOUND);
	assert_int_equal(region_add_member(g_db, 999999999, new_province("01")), RC_NOT_FOUND);
	assert_int_equal(db_get_int(g_db, &builtin_id, "SELECT id FROM region WHERE code = ?", "t",
				    REGION_DBSH11), RC_OK);
	assert_int_equal(region_add_member(g_db, builtin_id, new_province("04")), RC_FORBIDDEN);
	assert_int_equal(region_remove_member(g_db, builtin_id, old_province("01")), RC_FORBIDDEN);

	RegionShare *v;
	size_t n;
	assert_int_equal(region_resolve(g_db, "thu-do", &v, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].province.code, "01");
	assert_int_equal(v[0].communes_from_region, 126);
	assert_string_equal(v[1].province.code, "25");
	assert_int_equal(v[1].communes_from_region, 36);
	free(v);
	assert_int_equal(region_remove_member(g_db, id, old_province("26")), RC_OK);
	assert_int_equal(region_resolve(g_db, "thu-do", &v, &n), RC_OK);
	assert_int_equal(n, 1);
	free(v);

	Region *all;
	assert_int_equal(region_list(g_db, &all, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(all[0].code, REGION_DBSH11); /* built-in first */
	free(all);
	assert_int_equal(db_rollback(g_db), RC_OK);
}

/* ---- scope ----------------------------------------------------------- */

static void test_within(void **state)
{
	int64_t hn_new = new_province("01"), hn_old = old_province("01");
	int64_t hong_ha = new_commune("00097"), ngoc_ha = new_commune("00008");
	int64_t giang_vo = new_commune("00025");
	int64_t phuc_xa = old_commune("00001"), cong_vi = old_commune("00007");
	int64_t ba_dinh_d = find(UNIT_DISTRICT, "001", UNIT_ERA_OLD);

	/* the whole country, and the unit itself */
	assert_true(unit_within(g_db, hong_ha, 0));
	assert_true(unit_within(g_db, 0, 0));
	assert_true(unit_within(g_db, hong_ha, hong_ha));
	/* a commune in its province, not the reverse */
	assert_true(unit_within(g_db, hong_ha, hn_new));
	assert_false(unit_within(g_db, hn_new, hong_ha));
	/* commune A is not within commune B, nor B within A */
	assert_false(unit_within(g_db, hong_ha, ngoc_ha));
	assert_false(unit_within(g_db, ngoc_ha, hong_ha));
	/* nor within another province */
	assert_false(unit_within(g_db, hong_ha, new_province("33")));
	/* no unit, unknown ids */
	assert_false(unit_within(g_db, 0, hn_new));
	assert_false(unit_within(g_db, -1, hn_new));
	assert_false(unit_within(g_db, 999999999, hn_new));
	assert_false(unit_within(g_db, hong_ha, 999999999));

	/* old units in the old hierarchy */
	assert_true(unit_within(g_db, phuc_xa, ba_dinh_d));
	assert_true(unit_within(g_db, phuc_xa, hn_old));
	assert_true(unit_within(g_db, ba_dinh_d, hn_old));
	assert_false(unit_within(g_db, hn_old, ba_dinh_d));
	assert_false(unit_within(g_db, phuc_xa, cong_vi));
	assert_false(unit_within(g_db, phuc_xa, find(UNIT_DISTRICT, "002", UNIT_ERA_OLD)));

	/* old units under new ones: through their successors */
	assert_true(unit_within(g_db, phuc_xa, hong_ha));   /* went wholly there */
	assert_true(unit_within(g_db, phuc_xa, hn_new));
	assert_false(unit_within(g_db, phuc_xa, ngoc_ha));
	assert_false(unit_within(g_db, cong_vi, ngoc_ha));  /* split: only partly */
	assert_false(unit_within(g_db, cong_vi, giang_vo));
	assert_true(unit_within(g_db, cong_vi, hn_new));    /* both parts in Hà Nội */
	assert_true(unit_within(g_db, ba_dinh_d, hn_new));
	assert_false(unit_within(g_db, ba_dinh_d, hong_ha)); /* a district is more than a ward */
	assert_true(unit_within(g_db, old_province("34"), new_province("33")));
	assert_false(unit_within(g_db, old_province("34"), hn_new));
	assert_true(unit_within(g_db, old_commune("07693"), new_province("24"))); /* mapping-only */
	/* the one commune that left its province's successor follows its data */
	assert_true(unit_within(g_db, old_commune("30622"), new_province("82")));
	assert_false(unit_within(g_db, old_commune("30622"), new_province("91")));

	/* new units are never inside old ones: scopes must be current */
	assert_false(unit_within(g_db, hong_ha, hn_old));
	assert_false(unit_within(g_db, hong_ha, phuc_xa));
}

/* ---- search ---------------------------------------------------------- */

static void test_search(void **state)
{
	Unit *v;
	size_t n;
	/* unaccented, any case, NFD: the old province first */
	static const char *const queries[] = {"thai binh", "THÁI BÌNH", "Tha\xcc\x81i Bi\xcc\x80nh", "  thái   bình "};
	for (size_t q = 0; q < ARRAY_LEN(queries); q++) {
		assert_int_equal(unit_search(g_db, queries[q], UNIT_ERA_OLD, 50, &v, &n), RC_OK);
		assert_true(n >= 2);
		assert_string_equal(v[0].level, UNIT_PROVINCE);
		assert_string_equal(v[0].code, "34");
		assert_string_equal(v[0].name, "Thái Bình");
		assert_string_equal(v[1].level, UNIT_DISTRICT); /* Thành phố Thái Bình */
		free(v);
	}
	/* in force: no province of that name any more, but a ward in Hưng Yên */
	assert_int_equal(unit_search(g_db, "thai binh", UNIT_ERA_NEW, 50, &v, &n), RC_OK);
	bool ward = false;
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(v[i].level, UNIT_PROVINCE);
		assert_int_equal(v[i].era, UNIT_ERA_NEW);
		ward |= str_eq(v[i].code, "13225") && str_eq(v[i].province_name, "Hưng Yên");
	}
	assert_true(ward);
	free(v);
	/* both eras; đ folds to d; exact names before longer ones */
	assert_int_equal(unit_search(g_db, "ba dinh", 0, 50, &v, &n), RC_OK);
	assert_true(n >= 3);
	assert_string_equal(v[0].level, UNIT_DISTRICT);
	assert_string_equal(v[0].code, "001");
	assert_string_equal(v[1].name, "Ba Đình");
	assert_int_equal(v[1].era, UNIT_ERA_NEW); /* newest era first among equals */
	free(v);
	/* a kind word typed before the name */
	assert_int_equal(unit_search(g_db, "phuong hong ha", UNIT_ERA_NEW, 10, &v, &n), RC_OK);
	assert_true(n >= 1);
	assert_string_equal(v[0].code, "00097");
	free(v);
	/* the limit, nothing, and LIKE metacharacters taken literally */
	assert_int_equal(unit_search(g_db, "a", 0, 5, &v, &n), RC_OK);
	assert_int_equal(n, 5);
	free(v);
	assert_int_equal(unit_search(g_db, "", 0, 5, &v, &n), RC_OK);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(unit_search(g_db, "%", 0, 5, &v, &n), RC_OK);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(unit_search(g_db, "zzqq", 0, 5, &v, &n), RC_OK);
	assert_int_equal(n, 0);
	free(v);
}

/* ---- CSV ------------------------------------------------------------- */

static void test_csv(void **state)
{
	char text[] = "\xEF\xBB\xBF" "a,b,c\r\n"
		      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
		      "\"multi\nline\",,\r\n"
		      "\n"
		      "last,row,\"\"";
	UnitCsv c;
	unit_csv_init(&c, text, strlen(text));
	assert_int_equal(unit_csv_next(&c), 1);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.f[0], "a");
	assert_string_equal(c.f[2], "c");
	assert_int_equal(c.line, 1);
	assert_int_equal(unit_csv_next(&c), 1);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.f[0], "1");
	assert_string_equal(c.f[1], "x, y");
	assert_string_equal(c.f[2], "say \"hi\"");
	assert_int_equal(unit_csv_next(&c), 1);
	assert_int_equal(c.line, 3);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.f[0], "multi\nline");
	assert_string_equal(c.f[1], "");
	assert_string_equal(c.f[2], "");
	assert_int_equal(unit_csv_next(&c), 1); /* the blank line: one empty field */
	assert_int_equal(c.nf, 1);
	assert_string_equal(c.f[0], "");
	assert_int_equal(unit_csv_next(&c), 1);
	assert_int_equal(c.line, 6);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.f[0], "last");
	assert_string_equal(c.f[2], "");
	assert_int_equal(unit_csv_next(&c), 0);
	assert_int_equal(unit_csv_next(&c), 0);

	static const char *const bad[] = {"\"open", "\"a\"b,c", "a\"b,c"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *t = xstrdup(bad[i]);
		unit_csv_init(&c, t, strlen(t));
		assert_int_equal(unit_csv_next(&c), -1);
		free(t);
	}
	/* a trailing comma at the end of input is one more empty field */
	char t2[] = "a,";
	unit_csv_init(&c, t2, strlen(t2));
	assert_int_equal(unit_csv_next(&c), 1);
	assert_int_equal(c.nf, 2);
	assert_string_equal(c.f[1], "");
	assert_int_equal(unit_csv_next(&c), 0);
	/* too many fields */
	Buf b = BUF_INIT;
	for (int i = 0; i <= UNIT_CSV_MAX_FIELDS; i++)
		buf_puts(&b, i ? ",x" : "x");
	char *many = buf_detach(&b, NULL);
	unit_csv_init(&c, many, strlen(many));
	assert_int_equal(unit_csv_next(&c), -1);
	free(many);
}

static void test_codes(void **state)
{
	assert_true(unit_code_valid("01"));
	assert_true(unit_code_valid("001"));
	assert_true(unit_code_valid("00001"));
	assert_false(unit_code_valid("1"));
	assert_false(unit_code_valid("0001"));
	assert_false(unit_code_valid("000001"));
	assert_false(unit_code_valid("0a"));
	assert_false(unit_code_valid(NULL));
	Unit u = {0};
	xsnprintf(u.valid_from, sizeof u.valid_from, "%s", UNIT_NEW_FROM);
	assert_false(unit_in_force(&u, "2025-06-30"));
	assert_true(unit_in_force(&u, "2025-07-01"));
	xsnprintf(u.valid_to, sizeof u.valid_to, "%s", "2026-01-01");
	assert_true(unit_in_force(&u, "2026-01-01"));
	assert_false(unit_in_force(&u, "2026-01-02"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_resolve_commune),
		cmocka_unit_test(test_resolve_province),
		cmocka_unit_test(test_remapped_and_missing),
		cmocka_unit_test(test_transitive),
		cmocka_unit_test(test_region_dbsh),
		cmocka_unit_test(test_region_admin),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_reimport),
		cmocka_unit_test(test_bad_data),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests_name("units", tests, group_setup, group_teardown);
}
