/*
 * test_i18n.c — the message catalogue: every Vietnamese entry is valid
 * UTF-8 in NFC, no id appears twice, lookups work both ways, and role and
 * organisation-kind labels (looked up with non-literal ids, which
 * codecheck cannot see) all have translations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/text.h"
#include "domain/cap.h"
#include "domain/org.h"
#include "web/req.h"

size_t i18n_count(void);
const char *i18n_entry(size_t i, const char **vi);

static void test_entries_are_nfc_and_unique(void **state)
{
	(void)state;
	size_t n = i18n_count();
	assert_true(n > 100);
	const char *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *vi = NULL;
		const char *id = i18n_entry(i, &vi);
		assert_non_null(id);
		assert_true(*vi);
		char *nfc = text_nfc(vi, strlen(vi));
		assert_non_null(nfc);
		if (strcmp(nfc, vi) != 0)
			fail_msg("not NFC: %s", vi);
		free(nfc);
		/* sorted, so a duplicate would sit next to its twin */
		if (prev && strcmp(prev, id) == 0)
			fail_msg("duplicate message id: %s", id);
		prev = id;
	}
}

static void test_lookup(void **state)
{
	(void)state;
	assert_string_equal(tr("vi", "Home"), "Trang chủ");
	assert_string_equal(tr("en", "Home"), "Home");
	assert_string_equal(tr("vi", "Log in"), "Đăng nhập");
	/* an unknown id falls back to itself rather than to nothing */
	assert_string_equal(tr("vi", "no such message id"), "no such message id");
}

static void test_dynamic_labels_translated(void **state)
{
	(void)state;
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_string_not_equal(tr("vi", role_label((Role)i)), role_label((Role)i));
	for (size_t i = 0; i < org_kinds_count; i++)
		assert_string_not_equal(tr("vi", org_kinds[i].label), org_kinds[i].label);
	assert_string_not_equal(tr("vi", user_password_problem("x")), user_password_problem("x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_are_nfc_and_unique),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_dynamic_labels_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
