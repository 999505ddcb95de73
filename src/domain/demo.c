/*
 * demo.c — demo data (see demo.h).
 *
 * For each province in force that succeeds a province of the old
 * 11-province Red River Delta region: the provincial Party committee, its
 * Propaganda and Mass Mobilisation Commission (named "Ban Dân vận …" until
 * 2025-02-28 and "Ban Tuyên giáo và Dân vận …" from 2025-03-01, as the
 * 2025 merger did), the People's Committee, the Inspectorate and the
 * Fatherland Front committee; for each of its communes the commune Party
 * committee, People's Committee and Fatherland Front.  Users: one per role
 * at each province, and a reception and a handling officer in the first
 * three communes of each province.  All demo users share DEMO_PASSWORD,
 * hashed once (argon2id is deliberately slow; hashing it per user would
 * take minutes for no benefit).
 */
#include "demo.h"
#include "audit.h"
#include "cap.h"
#include "org.h"
#include "user.h"
#include "../base/crypto.h"
#include "../base/text.h"

typedef struct Place {
	int64_t id;
	char code[8];
	char *name;
	char *full_name;
	bool city;
} Place;

static void places_free(Place *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].full_name);
	}
	free(p);
}

static Rc load_places(Db *db, const char *sql, int64_t arg, Place **out, size_t *n)
{
	DbStmt *st;
	Rc rc = db_prep(db, &st, sql, "l", arg);
	if (rc)
		return rc;
	size_t cap = 16, len = 0;
	Place *p = xcalloc(cap, sizeof *p);
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (len == cap) {
			cap *= 2;
			p = xrealloc(p, cap * sizeof *p);
		}
		p[len].id = db_col_int(st, 0);
		xsnprintf(p[len].code, sizeof p[len].code, "%s", db_col_text(st, 1));
		p[len].name = xstrdup(db_col_text(st, 2));
		p[len].full_name = xstrdup(db_col_text(st, 3));
		p[len].city = str_starts(db_col_text(st, 3), "Thành phố");
		len++;
	}
	db_done(st);
	if (s < 0) {
		places_free(p, len);
		return (Rc)-s;
	}
	*out = p;
	*n = len;
	return RC_OK;
}

static Rc ensure_org(Db *db, const Actor *a, int64_t parent, int64_t unit, const char *kind,
		     const char *code, const char *name, const char *short_name,
		     const char *from, int64_t *id, DemoStats *stats)
{
	if (org_find_code(db, code, id) == RC_OK)
		return RC_OK;
	Rc rc = org_create(db, a, parent, unit, kind, code, name, short_name, from, id);
	if (!rc)
		stats->orgs++;
	return rc;
}

/* Insert a user with a precomputed hash (see the file comment). */
static Rc ensure_user(Db *db, const Actor *a, const char *login, const char *name,
		      int64_t org_id, const char *hash, uint32_t roles, DemoStats *stats)
{
	int64_t id;
	if (user_find_login(db, login, &id) == RC_OK)
		return RC_OK;
	int64_t now = util_now(), unit = 0;
	db_get_int(db, &unit, "SELECT coalesce(unit_id,0) FROM org WHERE id = ?", "l", org_id);
	Rc rc = db_run(db, "INSERT INTO user (login, name, email, org_id, pw_hash, created_at,"
			   " pw_changed_at) VALUES (?,?,?,?,?,?,?)",
		       "tttltll", login, name, "", org_id, hash, now, now);
	if (rc)
		return rc;
	id = db_last_id(db);
	if ((rc = audit_append(db, a->id, a->name, "user.create", "user", id, unit, login)))
		return rc;
	stats->users++;
	return user_set_roles(db, a, id, roles);
}

/* Vietnamese given names for demo people: realistic, and obviously demo. */
static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"};
static const char *const middle[] = {"Văn", "Thị", "Minh", "Thu", "Quang", "Thanh", "Đức", "Ngọc"};
static const char *const given[] = {"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh",
				    "Hùng", "Lan", "Long", "Mai", "Nam", "Phong", "Quân", "Thảo",
				    "Trang", "Tuấn", "Vân", "Yến"};

static void person_name(Buf *b, unsigned seed)
{
	buf_reset(b);
	buf_printf(b, "%s %s %s", family[seed % ARRAY_LEN(family)],
		   middle[(seed / 7) % ARRAY_LEN(middle)], given[(seed / 13) % ARRAY_LEN(given)]);
}

static Rc demo_province(Db *db, const Actor *a, const Place *prov, int64_t central,
			const char *hash, DemoStats *stats)
{
	Buf code = BUF_INIT, name = BUF_INIT, name2 = BUF_INIT, login = BUF_INIT, who = BUF_INIT;
	const char *committee = prov->city ? "Thành ủy" : "Tỉnh ủy";
	char *slug = text_slug(prov->name, 40);
	int64_t party = 0, massmob = 0, pc = 0, insp = 0, front = 0;
	Rc rc;

	buf_printf(&code, "p%s-party", prov->code);
	buf_printf(&name, "%s %s", committee, prov->name);
	rc = ensure_org(db, a, 0, prov->id, "party_committee", buf_cstr(&code), buf_cstr(&name), "",
			"2025-07-01", &party, stats);

	buf_reset(&code); buf_reset(&name);
	buf_printf(&code, "p%s-massmob", prov->code);
	buf_printf(&name, "Ban Dân vận %s %s", committee, prov->name);
	if (!rc) {
		int64_t before = stats->orgs;
		rc = ensure_org(db, a, party ? party : central, prov->id, "massmob_commission",
				buf_cstr(&code), buf_cstr(&name), "BDV", "2020-01-01", &massmob, stats);
		if (!rc && stats->orgs > before) {
			buf_printf(&name2, "Ban Tuyên giáo và Dân vận %s %s", committee, prov->name);
			rc = org_rename(db, a, massmob, buf_cstr(&name2), "BTGDV", "2025-03-01");
		}
	}
	buf_reset(&code); buf_reset(&name);
	buf_printf(&code, "p%s-pc", prov->code);
	buf_printf(&name, "Ủy ban nhân dân %s", prov->full_name);
	if (!rc)
		rc = ensure_org(db, a, 0, prov->id, "peoples_committee", buf_cstr(&code),
				buf_cstr(&name), "UBND", "2025-07-01", &pc, stats);
	buf_reset(&code); buf_reset(&name);
	buf_printf(&code, "p%s-insp", prov->code);
	buf_printf(&name, "Thanh tra %s", prov->full_name);
	if (!rc)
		rc = ensure_org(db, a, pc, prov->id, "inspectorate", buf_cstr(&code), buf_cstr(&name),
				"TT", "2025-07-01", &insp, stats);
	buf_reset(&code); buf_reset(&name);
	buf_printf(&code, "p%s-front", prov->code);
	buf_printf(&name, "Ủy ban Mặt trận Tổ quốc Việt Nam %s", prov->full_name);
	if (!rc)
		rc = ensure_org(db, a, 0, prov->id, "fatherland_front", buf_cstr(&code),
				buf_cstr(&name), "MTTQ", "2025-07-01", &front, stats);

	/* One user per role at the province. */
	static const struct { Role role; const char *suffix; int64_t *org_slot; } staff[] = {
		{ROLE_ADMIN, "admin", NULL}, {ROLE_LEADER, "leader", NULL},
		{ROLE_MASSMOB, "massmob", NULL}, {ROLE_EDITOR, "editor", NULL},
		{ROLE_RECEPTION, "reception", NULL}, {ROLE_HANDLER, "handler", NULL},
	};
	for (size_t i = 0; !rc && i < ARRAY_LEN(staff); i++) {
		buf_reset(&login);
		buf_printf(&login, "%s.%s", slug, staff[i].suffix);
		person_name(&who, (unsigned)(prov->id * 31 + i * 17));
		int64_t org = staff[i].role == ROLE_HANDLER ? insp :
			      staff[i].role == ROLE_RECEPTION ? pc : massmob;
		rc = ensure_user(db, a, buf_cstr(&login), buf_cstr(&who), org, hash,
				 1u << staff[i].role, stats);
	}

	/* Communes. */
	Place *communes = NULL;
	size_t nc = 0;
	if (!rc)
		rc = load_places(db, "SELECT id, code, name, full_name FROM unit WHERE province_id = ?"
				     " AND level = 'commune' AND valid_to IS NULL ORDER BY code",
				 prov->id, &communes, &nc);
	for (size_t i = 0; !rc && i < nc; i++) {
		const Place *c = &communes[i];
		int64_t cparty = 0, cpc = 0, cfront = 0;
		buf_reset(&code); buf_reset(&name);
		buf_printf(&code, "c%s-party", c->code);
		buf_printf(&name, "Đảng ủy %s", c->full_name);
		rc = ensure_org(db, a, party, c->id, "party_committee", buf_cstr(&code),
				buf_cstr(&name), "", "2025-07-01", &cparty, stats);
		buf_reset(&code); buf_reset(&name);
		buf_printf(&code, "c%s-pc", c->code);
		buf_printf(&name, "Ủy ban nhân dân %s", c->full_name);
		if (!rc)
			rc = ensure_org(db, a, pc, c->id, "peoples_committee", buf_cstr(&code),
					buf_cstr(&name), "UBND", "2025-07-01", &cpc, stats);
		buf_reset(&code); buf_reset(&name);
		buf_printf(&code, "c%s-front", c->code);
		buf_printf(&name, "Ủy ban Mặt trận Tổ quốc Việt Nam %s", c->full_name);
		if (!rc)
			rc = ensure_org(db, a, front, c->id, "fatherland_front", buf_cstr(&code),
					buf_cstr(&name), "MTTQ", "2025-07-01", &cfront, stats);
		if (!rc && i < 3) {
			buf_reset(&login);
			buf_printf(&login, "c%s.reception", c->code);
			person_name(&who, (unsigned)(c->id * 7 + 1));
			rc = ensure_user(db, a, buf_cstr(&login), buf_cstr(&who), cpc, hash,
					 1u << ROLE_RECEPTION, stats);
			buf_reset(&login);
			buf_printf(&login, "c%s.admin", c->code);
			person_name(&who, (unsigned)(c->id * 11 + 3));
			if (!rc)
				rc = ensure_user(db, a, buf_cstr(&login), buf_cstr(&who), cparty, hash,
						 (1u << ROLE_ADMIN) | (1u << ROLE_HANDLER), stats);
		}
		stats->communes++;
	}
	places_free(communes, nc);
	free(slug);
	buf_release(&code);
	buf_release(&name);
	buf_release(&name2);
	buf_release(&login);
	buf_release(&who);
	stats->provinces++;
	return rc;
}

Rc demo_generate(Db *db, void (*progress)(const char *what, long done, long total),
		 DemoStats *stats)
{
	memset(stats, 0, sizeof *stats);
	Actor a = {0, "demo"};
	char hash[CRYPTO_PWHASH_MAX];
	Rc rc = crypto_password_hash(DEMO_PASSWORD, hash);
	if (rc)
		return rc;
	int64_t central = 0;
	if ((rc = org_find_code(db, "central", &central)))
		return rc;
	Place *provs = NULL;
	size_t np = 0;
	rc = load_places(db,
			 "SELECT DISTINCT u.id, u.code, u.name, u.full_name FROM region g"
			 " JOIN region_member m ON m.region_id = g.id"
			 " JOIN unit_successor s ON s.old_id = m.unit_id"
			 " JOIN unit u ON u.id = s.new_id"
			 " WHERE g.code = 'dbsh-11' AND u.level = 'province' AND u.valid_to IS NULL"
			 " AND u.id > ? ORDER BY u.code", 0, &provs, &np);
	if (rc)
		return rc;
	if (np == 0) {
		places_free(provs, np);
		return RC_NOT_FOUND;
	}
	if ((rc = db_begin_write(db))) {
		places_free(provs, np);
		return rc;
	}
	rc = ensure_user(db, &a, "admin", "Quản trị hệ thống", central, hash,
			 (1u << ROLE_ADMIN) | (1u << ROLE_LEADER), stats);
	for (size_t i = 0; !rc && i < np; i++) {
		rc = demo_province(db, &a, &provs[i], central, hash, stats);
		if (progress)
			progress("demo provinces", (long)i + 1, (long)np);
	}
	places_free(provs, np);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
