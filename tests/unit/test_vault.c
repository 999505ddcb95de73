/*
 * test_vault.c — the sealed identity of denouncers (domain/vault.h) on a
 * real temporary database.
 *
 * The map: province P with communes A and B, province Q with commune C.
 * Denunciation cases sit in commune A.  Principals are built by hand (the
 * role → capability mapping is tested elsewhere): what is under test is
 * that only a handler whose area covers the case can open it, only with
 * the vault's own secret key, and that every attempt — granted or refused
 * — lands in the audit log without the identity in it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "domain/audit.h"
#include "domain/vault.h"
#include "store/schema.h"

enum { U_P = 1, U_Q = 2, U_A = 11, U_B = 12, U_C = 21 };

static char dir[64];
static char key_path[128];
static Db *db;
static int64_t case_a, case_a2, petition_a;

/* Vietnamese identity with every kind of diacritic, as intake seals it. */
static const char identity_json[] =
	"{\"name\":\"Nguyễn Thị Hồng Nhung\",\"address\":\"Số 12 ngõ 34 phố Hàng Bông,"
	" phường Hoàn Kiếm, Hà Nội\",\"phone\":\"0912 345 678\",\"email\":\"nhung@example.vn\","
	"\"id_number\":\"001190012345\"}";

static Principal principal(int64_t id, const char *login, int64_t scope, uint32_t caps)
{
	Principal p = {0};
	p.id = id;
	p.scope_unit_id = scope;
	p.caps = caps | CAP_LOGIN;
	xsnprintf(p.login, sizeof p.login, "%s", login);
	return p;
}

/* handler of commune A, and others around it */
static Principal h_a, h_b, h_c, h_p, h_central, viewer_a;

static Rc add_unit(int64_t id, const char *code, const char *level, int64_t parent,
		   int64_t province, const char *name)
{
	return db_run(db, "INSERT INTO unit (id, code, level, era, parent_id, province_id, name,"
			  " full_name, name_key, valid_from) VALUES (?, ?, ?, 2025, nullif(?, 0), ?, ?, ?, ?,"
			  " '2025-07-01')",
		      "lttlltt" "t", id, code, level, parent, province, name, name, name);
}

static Rc add_case(const char *code, const char *kind, int64_t unit, int64_t *id)
{
	int64_t now = util_now();
	Rc rc = db_run(db, "INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
			   " updated_at, title, content, search_key, unit_id)"
			   " VALUES (?, ?, 'received', 'web', '2026-03-02', ?, ?, 'Tố cáo', 'Nội dung',"
			   " 'to cao', ?)",
		       "ttlll", code, kind, now, now, unit);
	*id = db_last_id(db);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	crypto_init();
	xsnprintf(dir, sizeof dir, "/tmp/danvan-vault-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	xsnprintf(key_path, sizeof key_path, "%s/vault.key", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	Rc rc = db_begin_write(db);
	if (!rc) rc = add_unit(U_P, "01", "province", 0, U_P, "Thành phố P");
	if (!rc) rc = add_unit(U_Q, "02", "province", 0, U_Q, "Tỉnh Q");
	if (!rc) rc = add_unit(U_A, "00001", "commune", U_P, U_P, "Xã A");
	if (!rc) rc = add_unit(U_B, "00002", "commune", U_P, U_P, "Xã B");
	if (!rc) rc = add_unit(U_C, "00003", "commune", U_Q, U_Q, "Xã C");
	if (!rc) rc = add_case("TCAA-0000-01", "denunciation", U_A, &case_a);
	if (!rc) rc = add_case("TCAA-0000-02", "denunciation", U_A, &case_a2);
	if (!rc) rc = add_case("KNAA-0000-03", "petition", U_A, &petition_a);
	if (!rc) rc = db_commit(db);
	if (rc)
		return -1;
	h_a = principal(101, "handler.a", U_A, CAP_CASE_HANDLE | CAP_CASE_VIEW);
	h_b = principal(102, "handler.b", U_B, CAP_CASE_HANDLE | CAP_CASE_VIEW);
	h_c = principal(103, "handler.c", U_C, CAP_CASE_HANDLE | CAP_CASE_VIEW);
	h_p = principal(104, "handler.p", U_P, CAP_CASE_HANDLE | CAP_CASE_VIEW);
	h_central = principal(105, "handler.tw", 0, CAP_CASE_HANDLE | CAP_CASE_VIEW);
	viewer_a = principal(106, "viewer.a", U_A, CAP_CASE_VIEW | CAP_CASE_RECEIVE);
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

/* ---- helpers ------------------------------------------------------- */

static char *secret_from_file(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, 4096, &data, &len), RC_OK);
	assert_int_equal(len, VAULT_KEY_HEX + 1);
	assert_int_equal(data[VAULT_KEY_HEX], '\n');
	data[VAULT_KEY_HEX] = 0;
	return data;
}

static void seal_into(int64_t case_id, const char *plain)
{
	unsigned char *blob = NULL;
	size_t n = 0;
	assert_int_equal(vault_seal(db, plain, &blob, &n), RC_OK);
	assert_int_equal(db_run(db, "UPDATE cases SET identity_sealed = ? WHERE id = ?", "bl", blob,
				(int)n, case_id),
			 RC_OK);
	free(blob);
}

static int64_t audit_count(const char *action)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n, "SELECT count(*) FROM audit WHERE action = ?", "t", action),
			 RC_OK);
	return n;
}

/* The detail of the newest audit entry, which must be `action` on case `id`. */
static char *last_audit(const char *action, int64_t id)
{
	char *detail = NULL, *got = NULL;
	int64_t oid = 0;
	assert_int_equal(db_get_text(db, &got, "SELECT action FROM audit ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	assert_string_equal(got, action);
	free(got);
	assert_int_equal(db_get_int(db, &oid, "SELECT object_id FROM audit ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	assert_int_equal(oid, id);
	assert_int_equal(db_get_text(db, &detail, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	return detail;
}

/* Nothing in the audit log may carry any part of the identity. */
static void assert_audit_clean(void)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n,
				    "SELECT count(*) FROM audit WHERE detail LIKE '%Nguyễn%'"
				    " OR detail LIKE '%Hàng Bông%' OR detail LIKE '%0912%'"
				    " OR detail LIKE '%001190012345%'", ""),
			 RC_OK);
	assert_int_equal(n, 0);
}

/* ---- tests --------------------------------------------------------- */

static void test_no_vault_no_seal(void **state)
{
	(void)state;
	unsigned char *blob = (unsigned char *)"x";
	size_t n = 1;
	assert_false(vault_ready(db));
	/* Never fall back to storing the identity in the clear. */
	assert_int_equal(vault_seal(db, identity_json, &blob, &n), RC_CONFLICT);
	assert_null(blob);
	assert_int_equal(n, 0);
	char *identity = (char *)"x";
	assert_int_equal(vault_reveal(db, &h_a, case_a, "00", &identity), RC_NOT_FOUND);
	assert_null(identity);
}

static void test_init_refuses_existing_file(void **state)
{
	(void)state;
	char path[160];
	xsnprintf(path, sizeof path, "%s/precious.key", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("the only copy of something\n", f);
	fclose(f);
	assert_int_equal(vault_init(db, path), RC_CONFLICT);
	assert_false(vault_ready(db));
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, 4096, &data, &len), RC_OK);
	assert_string_equal(data, "the only copy of something\n");
	free(data);
	/* a directory that does not exist */
	xsnprintf(path, sizeof path, "%s/no/such/dir.key", dir);
	assert_int_equal(vault_init(db, path), RC_IO);
	assert_false(vault_ready(db));
}

static void test_init_writes_0600_and_refuses_second(void **state)
{
	(void)state;
	mode_t old = umask(0); /* the file must be 0600 whatever the umask */
	Rc rc = vault_init(db, key_path);
	umask(old);
	assert_int_equal(rc, RC_OK);
	assert_true(vault_ready(db));
	struct stat sb;
	assert_int_equal(stat(key_path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);

	/* the file holds the secret matching the stored public key */
	char *secret = secret_from_file(key_path);
	unsigned char sk[32], pk[32];
	size_t n = 0;
	assert_int_equal(sodium_hex2bin(sk, sizeof sk, secret, VAULT_KEY_HEX, NULL, &n, NULL), 0);
	assert_int_equal(n, 32);
	assert_int_equal(crypto_scalarmult_base(pk, sk), 0);
	char pk_hex[VAULT_KEY_HEX + 1], stored[VAULT_KEY_HEX + 1];
	sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
	assert_int_equal(vault_public_key_hex(db, stored), RC_OK);
	assert_string_equal(stored, pk_hex);
	/* and the secret is nowhere in the database */
	int64_t hits = -1;
	assert_int_equal(db_get_int(db, &hits, "SELECT count(*) FROM setting WHERE value = ?", "t", secret),
			 RC_OK);
	assert_int_equal(hits, 0);
	free(secret);
	assert_int_equal(audit_count("vault.init"), 1);

	/* a second init is refused and writes no file */
	char second[160];
	xsnprintf(second, sizeof second, "%s/second.key", dir);
	assert_int_equal(vault_init(db, second), RC_CONFLICT);
	assert_int_not_equal(access(second, F_OK), 0);
	assert_int_equal(vault_public_key_hex(db, stored), RC_OK);
	assert_string_equal(stored, pk_hex);
	assert_int_equal(audit_count("vault.init"), 1);
}

static void test_sealed_blob_hides_plaintext(void **state)
{
	(void)state;
	unsigned char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	assert_int_equal(vault_seal(db, identity_json, &a, &na), RC_OK);
	assert_int_equal(vault_seal(db, identity_json, &b, &nb), RC_OK);
	assert_int_equal(na, strlen(identity_json) + crypto_box_SEALBYTES);
	assert_int_equal(nb, na);
	/* fresh ephemeral key per seal: equal identities are not linkable */
	assert_memory_not_equal(a, b, na);
	const char *needles[] = {"Nguyễn", "Nhung", "Hàng Bông", "0912", "001190012345", "name"};
	for (size_t i = 0; i < ARRAY_LEN(needles); i++) {
		assert_null(memmem(a, na, needles[i], strlen(needles[i])));
		assert_null(memmem(b, nb, needles[i], strlen(needles[i])));
	}
	free(a);
	free(b);

	char *big = xmalloc(VAULT_PLAINTEXT_MAX + 2);
	memset(big, 'x', VAULT_PLAINTEXT_MAX + 1);
	big[VAULT_PLAINTEXT_MAX + 1] = 0;
	assert_int_equal(vault_seal(db, big, &a, &na), RC_TOO_LARGE);
	free(big);
}

static void test_round_trip(void **state)
{
	(void)state;
	seal_into(case_a, identity_json);
	char *secret = secret_from_file(key_path);
	int64_t before = audit_count("vault.reveal");

	char *identity = NULL;
	assert_int_equal(vault_reveal(db, &h_a, case_a, secret, &identity), RC_OK);
	assert_non_null(identity);
	assert_string_equal(identity, identity_json);
	free(identity);
	assert_int_equal(audit_count("vault.reveal"), before + 1);
	char *detail = last_audit("vault.reveal", case_a);
	assert_string_equal(detail, "");
	free(detail);
	int64_t actor = 0, unit = 0;
	assert_int_equal(db_get_int(db, &actor, "SELECT actor_id FROM audit ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	assert_int_equal(actor, h_a.id);
	assert_int_equal(db_get_int(db, &unit, "SELECT unit_id FROM audit ORDER BY id DESC LIMIT 1", ""),
			 RC_OK);
	assert_int_equal(unit, U_A);

	/* the province above and the centre may open it too */
	assert_int_equal(vault_reveal(db, &h_p, case_a, secret, &identity), RC_OK);
	assert_string_equal(identity, identity_json);
	free(identity);
	assert_int_equal(vault_reveal(db, &h_central, case_a, secret, &identity), RC_OK);
	free(identity);
	assert_int_equal(audit_count("vault.reveal"), before + 3);
	assert_false(db_in_tx(db));
	free(secret);
	assert_audit_clean();
}

static void test_wrong_key_fails_audited(void **state)
{
	(void)state;
	char wrong[VAULT_KEY_HEX + 1];
	crypto_random_hex(wrong);
	int64_t failed = audit_count("vault.reveal_failed");
	char *identity = NULL;
	assert_int_equal(vault_reveal(db, &h_a, case_a, wrong, &identity), RC_UNAUTHORIZED);
	assert_null(identity);
	assert_int_equal(audit_count("vault.reveal_failed"), failed + 1);
	char *detail = last_audit("vault.reveal_failed", case_a);
	assert_string_equal(detail, "reason=key_mismatch");
	free(detail);

	/* not a key at all */
	const char *bad[] = {"", "abc", "zz00000000000000000000000000000000000000000000000000000000000000",
			     "00000000000000000000000000000000000000000000000000000000000000000"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(vault_reveal(db, &h_a, case_a, bad[i], &identity), RC_INVALID);
		assert_null(identity);
	}
	assert_int_equal(audit_count("vault.reveal_failed"), failed + 1 + (int64_t)ARRAY_LEN(bad));

	/* the public key as if it were the secret: still refused */
	char pk[VAULT_KEY_HEX + 1];
	assert_int_equal(vault_public_key_hex(db, pk), RC_OK);
	assert_int_equal(vault_reveal(db, &h_a, case_a, pk, &identity), RC_UNAUTHORIZED);
	assert_null(identity);
	assert_audit_clean();
}

static void test_refused_readers(void **state)
{
	(void)state;
	char *secret = secret_from_file(key_path);
	char *identity = NULL;
	int64_t failed = audit_count("vault.reveal_failed");
	int64_t granted = audit_count("vault.reveal");

	/* viewing or receiving cases is not enough */
	assert_int_equal(vault_reveal(db, &viewer_a, case_a, secret, &identity), RC_FORBIDDEN);
	assert_null(identity);
	char *detail = last_audit("vault.reveal_failed", case_a);
	assert_string_equal(detail, "reason=no_capability");
	free(detail);

	/* a neighbouring commune and another province: as if no such case */
	assert_int_equal(vault_reveal(db, &h_b, case_a, secret, &identity), RC_NOT_FOUND);
	assert_null(identity);
	assert_int_equal(vault_reveal(db, &h_c, case_a, secret, &identity), RC_NOT_FOUND);
	assert_null(identity);
	detail = last_audit("vault.reveal_failed", case_a);
	assert_string_equal(detail, "reason=out_of_area");
	free(detail);

	/* nothing sealed (a petition; a denunciation without identity); no
	 * case: what is sealed decides, not the kind */
	assert_int_equal(vault_reveal(db, &h_a, petition_a, secret, &identity), RC_NOT_FOUND);
	assert_int_equal(vault_reveal(db, &h_a, case_a2, secret, &identity), RC_NOT_FOUND);
	detail = last_audit("vault.reveal_failed", case_a2);
	assert_string_equal(detail, "reason=no_identity");
	free(detail);
	assert_int_equal(vault_reveal(db, &h_a, 999999, secret, &identity), RC_NOT_FOUND);
	assert_null(identity);

	/* corrupt sealed data opens with nothing, and says so */
	assert_int_equal(db_run(db, "UPDATE cases SET identity_sealed = zeroblob(80) WHERE id = ?", "l",
				case_a2),
			 RC_OK);
	assert_int_equal(vault_reveal(db, &h_a, case_a2, secret, &identity), RC_INTERNAL);
	assert_null(identity);

	assert_int_equal(audit_count("vault.reveal_failed"), failed + 7);
	assert_int_equal(audit_count("vault.reveal"), granted);
	free(secret);
	assert_audit_clean();
}

static void test_reveal_joins_caller_transaction(void **state)
{
	(void)state;
	char *secret = secret_from_file(key_path);
	char *identity = NULL;
	int64_t granted = audit_count("vault.reveal");
	assert_int_equal(db_begin_write(db), RC_OK);
	assert_int_equal(vault_reveal(db, &h_a, case_a, secret, &identity), RC_OK);
	assert_true(db_in_tx(db));
	assert_int_equal(db_commit(db), RC_OK);
	assert_string_equal(identity, identity_json);
	free(identity);
	free(secret);
	assert_int_equal(audit_count("vault.reveal"), granted + 1);
}

static void test_pseudonym(void **state)
{
	(void)state;
	static const char prefix[] = "Người tố cáo TC-";
	char a[VAULT_PSEUDONYM_MAX], again[VAULT_PSEUDONYM_MAX], b[VAULT_PSEUDONYM_MAX];
	vault_pseudonym(db, case_a, a);
	vault_pseudonym(db, case_a, again);
	vault_pseudonym(db, case_a2, b);
	assert_string_equal(a, again);
	assert_string_not_equal(a, b);
	assert_true(str_starts(a, prefix));
	const char *code = a + strlen(prefix);
	assert_int_equal(strlen(code), 6);
	for (const char *p = code; *p; p++)
		assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *p));

	/* different for many cases (30 bits: no collision expected in 500) */
	enum { N = 500 };
	static char seen[N][VAULT_PSEUDONYM_MAX];
	for (int i = 0; i < N; i++) {
		vault_pseudonym(db, i + 1, seen[i]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}

	/* keyed by the server secret: another installation, other names */
	assert_int_equal(db_run(db, "UPDATE setting SET value = 'another installation' WHERE key = 'secret'",
				""),
			 RC_OK);
	vault_pseudonym(db, case_a, again);
	assert_string_not_equal(a, again);
}

static void test_audit_chain_intact(void **state)
{
	(void)state;
	int64_t checked = 0, bad = 0;
	Buf report = BUF_INIT;
	assert_int_equal(audit_verify(db, &checked, &bad, &report), RC_OK);
	assert_true(checked > 10);
	buf_release(&report);
	assert_audit_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_vault_no_seal),
		cmocka_unit_test(test_init_refuses_existing_file),
		cmocka_unit_test(test_init_writes_0600_and_refuses_second),
		cmocka_unit_test(test_sealed_blob_hides_plaintext),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_key_fails_audited),
		cmocka_unit_test(test_refused_readers),
		cmocka_unit_test(test_reveal_joins_caller_transaction),
		cmocka_unit_test(test_pseudonym),
		cmocka_unit_test(test_audit_chain_intact),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
