/*
 * test_form.c — unit tests for web/form.c: percent decoding, urlencoded
 * bodies and query strings, multipart/form-data and Cookie headers.
 *
 * Each parser has a table of good and bad inputs with the exact list of
 * name/value pairs expected.  Inputs are copied into a buffer of exactly
 * their length before parsing, so the ASan build catches any read past
 * the end.  Vietnamese text is written as UTF-8 bytes in \x escapes where
 * the exact bytes matter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "web/form.h"
#include "base/buf.h"

/* "Đảng" in NFC UTF-8, and "bộ". */
#define DANG "\xC4\x90\xE1\xBA\xA3ng"
#define BO "b\xE1\xBB\x99"

/* A heap copy of exactly n bytes: no NUL after it for a parser to lean
 * on, so an over-read is an ASan error rather than luck. */
static char *exact_copy(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, s, n);
	return p;
}

/* pairs: name, value, name, value, …, NULL.  Values are compared as
 * C strings; binary values are checked separately. */
static void check_pairs(const Params *p, const char *const *pairs, const char *what)
{
	size_t n = 0;
	while (pairs[2 * n])
		n++;
	if (p->count != n)
		fail_msg("%s: %zu params, expected %zu", what, p->count, n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(p->items[i].name, pairs[2 * i]) != 0)
			fail_msg("%s: name %zu is \"%s\", expected \"%s\"", what, i,
				p->items[i].name, pairs[2 * i]);
		if (strcmp(p->items[i].value, pairs[2 * i + 1]) != 0)
			fail_msg("%s: value %zu is \"%s\", expected \"%s\"", what, i,
				p->items[i].value, pairs[2 * i + 1]);
		assert_int_equal(p->items[i].value_len, strlen(pairs[2 * i + 1]));
	}
}

/* ---- the Params list ------------------------------------------------ */

static void test_params_basics(void **state)
{
	(void)state;
	Params p;
	params_init(&p);
	assert_null(params_get(&p, "a"));
	for (int i = 0; i < 100; i++)
		params_add(&p, "k", 1, "v", 1);
	params_add(&p, "a", 1, "x\0y", 3);
	assert_int_equal(p.count, 101);
	const Param *a = params_find(&p, "a");
	assert_non_null(a);
	assert_int_equal(a->value_len, 3);
	assert_memory_equal(a->value, "x\0y", 4); /* NUL-terminated too */
	assert_null(a->filename);
	assert_null(a->content_type);
	assert_string_equal(params_get(&p, "k"), "v");
	assert_null(params_get(&p, "missing"));
	assert_null(params_get(NULL, "a"));
	assert_null(params_get(&p, NULL));
	params_release(&p);
	assert_int_equal(p.count, 0);
	assert_null(p.items);
	params_release(&p); /* twice is fine */
	params_release(NULL);
}

/* ---- percent decoding ----------------------------------------------- */

typedef struct DecodeCase {
	const char *in;
	size_t len; /* 0: strlen */
	bool plus;
	Rc rc;
	const char *out;
} DecodeCase;

static const DecodeCase decode_cases[] = {
	{"", 0, true, RC_OK, ""},
	{"abc", 0, true, RC_OK, "abc"},
	{"a%20b", 0, false, RC_OK, "a b"},
	{"a+b", 0, true, RC_OK, "a b"},
	{"a+b", 0, false, RC_OK, "a+b"},
	{"%2B", 0, true, RC_OK, "+"},
	{"%25", 0, true, RC_OK, "%"},
	{"%C4%90%E1%BA%A3ng", 0, true, RC_OK, DANG},
	{"%c4%90%e1%ba%a3ng", 0, true, RC_OK, DANG},
	{"%C4%90%E1%BA%A3ng+b%E1%BB%99", 0, true, RC_OK, DANG " " BO},
	{DANG, 0, true, RC_OK, DANG}, /* raw UTF-8 passes through */
	{"%7e%7E", 0, true, RC_OK, "~~"},
	{"%G1", 0, true, RC_INVALID, NULL},
	{"%1G", 0, true, RC_INVALID, NULL},
	{"%4", 0, true, RC_INVALID, NULL},
	{"%", 0, true, RC_INVALID, NULL},
	{"abc%", 0, true, RC_INVALID, NULL},
	{"%%41", 0, true, RC_INVALID, NULL},
	{"% 41", 0, true, RC_INVALID, NULL},
	{"%00", 0, true, RC_INVALID, NULL},
	{"a\0b", 3, true, RC_INVALID, NULL},
};

static void test_url_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(decode_cases); i++) {
		const DecodeCase *c = &decode_cases[i];
		size_t n = c->len ? c->len : strlen(c->in);
		char *in = exact_copy(c->in, n);
		char *out = (char *)"sentinel";
		size_t out_len = 99;
		Rc rc = form_url_decode(in, n, c->plus, &out, &out_len);
		if (rc != c->rc)
			fail_msg("decode \"%s\": %s, expected %s", c->in, rc_name(rc), rc_name(c->rc));
		if (c->out) {
			assert_string_equal(out, c->out);
			assert_int_equal(out_len, strlen(c->out));
		} else {
			assert_null(out);
			assert_int_equal(out_len, 0);
		}
		free(out);
		free(in);
	}
	/* out_len is optional */
	char *out = NULL;
	assert_int_equal(form_url_decode("x%41", 4, false, &out, NULL), RC_OK);
	assert_string_equal(out, "xA");
	free(out);
}

/* ---- urlencoded ----------------------------------------------------- */

typedef struct UrlCase {
	const char *in;
	Rc rc;
	const char *pairs[13];
} UrlCase;

static const UrlCase url_cases[] = {
	{"", RC_OK, {NULL}},
	{"a=1&b=x%20y+z", RC_OK, {"a", "1", "b", "x y z", NULL}},
	{"&&a=1&&", RC_OK, {"a", "1", NULL}},
	{"&", RC_OK, {NULL}},
	{"a", RC_OK, {"a", "", NULL}},
	{"a=", RC_OK, {"a", "", NULL}},
	{"a&b", RC_OK, {"a", "", "b", "", NULL}},
	{"=x&b=2", RC_OK, {"b", "2", NULL}},
	{"=", RC_OK, {NULL}},
	{"a=1&a=2", RC_OK, {"a", "1", "a", "2", NULL}},
	{"x=a=b", RC_OK, {"x", "a=b", NULL}},
	{"a%3Db=c%26d", RC_OK, {"a=b", "c&d", NULL}},
	{"q=%C4%90%E1%BA%A3ng+b%E1%BB%99", RC_OK, {"q", DANG " " BO, NULL}},
	{"t%C3%AAn=Nguy%E1%BB%85n+V%C4%83n+A", RC_OK,
		{"t\xC3\xAAn", "Nguy\xE1\xBB\x85n V\xC4\x83n A", NULL}},
	{"a+b=c+d", RC_OK, {"a b", "c d", NULL}},
	{"a=1;b=2", RC_OK, {"a", "1;b=2", NULL}}, /* only '&' separates */
	{"a=%G1", RC_INVALID, {NULL}},
	{"a=%4", RC_INVALID, {NULL}},
	{"%4=1", RC_INVALID, {NULL}},
	{"a=1&b=%00", RC_INVALID, {NULL}},
	{"a=1&b=2&c=%", RC_INVALID, {NULL}},
};

static void test_urlencoded_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(url_cases); i++) {
		const UrlCase *c = &url_cases[i];
		size_t n = strlen(c->in);
		char *in = exact_copy(c->in, n);
		Params p;
		params_init(&p);
		Rc rc = form_parse_urlencoded(in, n, &p);
		if (rc != c->rc)
			fail_msg("urlencoded \"%s\": %s, expected %s", c->in, rc_name(rc), rc_name(c->rc));
		check_pairs(&p, c->pairs, c->in);
		params_release(&p);
		free(in);
	}
}

/* An error leaves what was already in the list, and nothing of the
 * failed parse. */
static void test_urlencoded_error_keeps_list(void **state)
{
	(void)state;
	Params p;
	params_init(&p);
	assert_int_equal(form_parse_urlencoded("x=1", 3, &p), RC_OK);
	assert_int_equal(form_parse_urlencoded("a=1&b=2&c=%ZZ", 13, &p), RC_INVALID);
	const char *const want[] = {"x", "1", NULL};
	check_pairs(&p, want, "after error");
	/* and a second good parse appends */
	assert_int_equal(form_parse_urlencoded("y=2", 3, &p), RC_OK);
	const char *const want2[] = {"x", "1", "y", "2", NULL};
	check_pairs(&p, want2, "appended");
	params_release(&p);
	assert_int_equal(form_parse_urlencoded(NULL, 0, &p), RC_OK);
	assert_int_equal(p.count, 0);
}

/* "f0=v&f1=v&…" with `count` fields (and `empties` empty pairs between). */
static char *many_fields(int count, bool empties)
{
	Buf b = BUF_INIT;
	for (int i = 0; i < count; i++)
		buf_printf(&b, "%sf%d=v%s", i ? "&" : "", i, empties ? "&&" : "");
	return buf_detach(&b, NULL);
}

static void test_urlencoded_caps(void **state)
{
	(void)state;
	Params p;
	params_init(&p);

	char *s = many_fields(FORM_MAX_FIELDS, true);
	assert_int_equal(form_parse_urlencoded(s, strlen(s), &p), RC_OK);
	assert_int_equal(p.count, FORM_MAX_FIELDS);
	assert_string_equal(p.items[FORM_MAX_FIELDS - 1].name, "f255");
	params_release(&p);
	free(s);

	s = many_fields(FORM_MAX_FIELDS + 1, false);
	assert_int_equal(form_parse_urlencoded(s, strlen(s), &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);
	free(s);

	/* Names: FORM_MAX_NAME bytes after decoding is the limit. */
	char name[3 * FORM_MAX_NAME + 8];
	memset(name, 'n', FORM_MAX_NAME);
	memcpy(name + FORM_MAX_NAME, "=1", 3);
	assert_int_equal(form_parse_urlencoded(name, strlen(name), &p), RC_OK);
	assert_int_equal(strlen(p.items[0].name), FORM_MAX_NAME);
	params_release(&p);

	memset(name, 'n', FORM_MAX_NAME + 1);
	memcpy(name + FORM_MAX_NAME + 1, "=1", 3);
	assert_int_equal(form_parse_urlencoded(name, strlen(name), &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	/* 128 bytes written as %XX (384 source bytes) still fit ... */
	for (int i = 0; i < FORM_MAX_NAME; i++)
		memcpy(name + 3 * i, "%41", 3);
	memcpy(name + 3 * FORM_MAX_NAME, "=1", 3);
	assert_int_equal(form_parse_urlencoded(name, strlen(name), &p), RC_OK);
	assert_int_equal(strlen(p.items[0].name), FORM_MAX_NAME);
	assert_int_equal(p.items[0].name[0], 'A');
	params_release(&p);

	/* ... 129 do not. */
	char big[3 * (FORM_MAX_NAME + 1) + 8];
	for (int i = 0; i < FORM_MAX_NAME + 1; i++)
		memcpy(big + 3 * i, "%41", 3);
	memcpy(big + 3 * (FORM_MAX_NAME + 1), "=1", 3);
	assert_int_equal(form_parse_urlencoded(big, strlen(big), &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	/* Long values are not capped here (the route's body cap is). */
	Buf b = BUF_INIT;
	buf_puts(&b, "v=");
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "%C4%90");
	assert_int_equal(form_parse_urlencoded(b.data, b.len, &p), RC_OK);
	assert_int_equal(p.items[0].value_len, 20000);
	params_release(&p);
	buf_release(&b);
}

/* ---- multipart ------------------------------------------------------ */

#define CT "multipart/form-data; boundary=XyZ"
#define D "--XyZ\r\n"
#define END "--XyZ--\r\n"
#define CD(n) "Content-Disposition: form-data; name=\"" n "\"\r\n"

typedef struct MpCase {
	const char *why;
	const char *ct;
	const char *body;
	Rc rc;
	const char *pairs[9];
} MpCase;

static const MpCase mp_cases[] = {
	{"one field", CT, D CD("a") "\r\n1\r\n" END, RC_OK, {"a", "1", NULL}},
	{"empty value", CT, D CD("e") "\r\n\r\n" END, RC_OK, {"e", "", NULL}},
	{"value with CRLFs", CT, D CD("t") "\r\nline 1\r\n\r\nline 3\r\n\r\n" END, RC_OK,
		{"t", "line 1\r\n\r\nline 3\r\n", NULL}},
	{"Vietnamese value", CT, D CD("q") "\r\n" DANG " " BO "\r\n" END, RC_OK,
		{"q", DANG " " BO, NULL}},
	{"Vietnamese name", CT, D CD("t\xC3\xAAn") "\r\nA\r\n" END, RC_OK,
		{"t\xC3\xAAn", "A", NULL}},
	{"preamble and epilogue", CT,
		"This is a preamble.\r\n--XyZ x\r\n" D CD("a") "\r\n1\r\n" END "epilogue --XyZ\r\n",
		RC_OK, {"a", "1", NULL}},
	{"close delimiter without CRLF", CT, D CD("a") "\r\n1\r\n--XyZ--", RC_OK, {"a", "1", NULL}},
	{"transport padding", CT, "--XyZ \t\r\n" CD("a") "\r\n1\r\n--XyZ  \r\n" CD("b")
		"\r\n2\r\n" END, RC_OK, {"a", "1", "b", "2", NULL}},
	{"boundary-like line in content", CT, D CD("a") "\r\nx\r\n--XyZW\r\n--XyZ-\r\ny\r\n" END,
		RC_OK, {"a", "x\r\n--XyZW\r\n--XyZ-\r\ny", NULL}},
	{"no parts", CT, END, RC_OK, {NULL}},
	{"header case and order", "Multipart/Form-Data; charset=utf-8; BOUNDARY=XyZ",
		D "content-type: text/plain\r\nCONTENT-DISPOSITION:form-data;NAME=a\r\n"
		"X-Other: ignored\r\n\r\n1\r\n" END, RC_OK, {"a", "1", NULL}},
	{"quoted boundary", "multipart/form-data; boundary=\"simple boundary\"",
		"--simple boundary\r\n" CD("a") "\r\n1\r\n--simple boundary--\r\n", RC_OK,
		{"a", "1", NULL}},
	{"quoted boundary with ';' and '='",
		"multipart/form-data; boundary=\"----=_a;b\"; charset=utf-8",
		"------=_a;b\r\n" CD("a") "\r\n1\r\n------=_a;b--\r\n", RC_OK, {"a", "1", NULL}},
	{"unquoted boundary with '=' and '/'", "multipart/form-data;boundary=----=_Part/0",
		"------=_Part/0\r\n" CD("a") "\r\n1\r\n------=_Part/0--\r\n", RC_OK,
		{"a", "1", NULL}},

	{"missing final boundary", CT, D CD("a") "\r\n1\r\n", RC_INVALID, {NULL}},
	{"missing final boundary after a part", CT, D CD("a") "\r\n1\r\n" D CD("b") "\r\n2",
		RC_INVALID, {NULL}},
	{"truncated final boundary", CT, D CD("a") "\r\n1\r\n--XyZ", RC_INVALID, {NULL}},
	{"no delimiter at all", CT, "just text", RC_INVALID, {NULL}},
	{"empty body", CT, "", RC_INVALID, {NULL}},
	{"part without name", CT, D "Content-Disposition: form-data\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"part with filename only", CT,
		D "Content-Disposition: form-data; filename=\"a.txt\"\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"part without headers", CT, D "\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"part without Content-Disposition", CT, D "Content-Type: text/plain\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"empty name", CT, D CD("") "\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"not form-data", CT, D "Content-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"duplicate name parameter", CT,
		D "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"two Content-Disposition", CT, D CD("a") CD("b") "\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"unterminated quote", CT, D "Content-Disposition: form-data; name=\"a\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"headers not ended by a blank line", CT, D CD("a") "1\r\n" END, RC_INVALID, {NULL}},
	{"headers only, blank line shared with delimiter", CT, D CD("a") "\r\n" END, RC_INVALID,
		{NULL}},
	{"bare LF in headers", CT, D "Content-Disposition: form-data;\n name=\"a\"\r\n\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"header line without colon", CT, D CD("a") "garbage\r\n\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"folded header line", CT, D "Content-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n"
		END, RC_INVALID, {NULL}},
	{"NUL in a text field", CT, D CD("a") "\r\n1\0002\r\n" END, RC_INVALID, {NULL}},
	{"not multipart", "application/x-www-form-urlencoded", "a=1", RC_INVALID, {NULL}},
	{"multipart/mixed", "multipart/mixed; boundary=XyZ", D CD("a") "\r\n1\r\n" END,
		RC_INVALID, {NULL}},
	{"no boundary", "multipart/form-data", D CD("a") "\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"empty boundary", "multipart/form-data; boundary=\"\"", "--\r\n--\r\n", RC_INVALID, {NULL}},
	{"two boundaries", "multipart/form-data; boundary=XyZ; boundary=XyZ",
		D CD("a") "\r\n1\r\n" END, RC_INVALID, {NULL}},
	{"bad parameter syntax", "multipart/form-data; boundary", D END, RC_INVALID, {NULL}},
	{"unterminated quoted boundary", "multipart/form-data; boundary=\"XyZ", D END,
		RC_INVALID, {NULL}},
	{"control character in Content-Type", "multipart/form-data; boundary=X\ryZ", D END,
		RC_INVALID, {NULL}},
};

static void test_multipart_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(mp_cases); i++) {
		const MpCase *c = &mp_cases[i];
		/* The NUL case needs its real length: find the terminator
		 * after the last "--XyZ--" instead of strlen. */
		size_t n = strlen(c->body);
		if (strcmp(c->why, "NUL in a text field") == 0)
			n += 1 + strlen(c->body + n + 1);
		char *body = exact_copy(c->body, n);
		Params p;
		params_init(&p);
		Rc rc = form_parse_multipart(c->ct, body, n, &p);
		if (rc != c->rc)
			fail_msg("multipart \"%s\": %s, expected %s", c->why, rc_name(rc),
				rc_name(c->rc));
		check_pairs(&p, c->pairs, c->why);
		params_release(&p);
		free(body);
	}
	Params p;
	params_init(&p);
	assert_int_equal(form_parse_multipart(NULL, "", 0, &p), RC_INVALID);
	assert_int_equal(form_parse_multipart(CT, NULL, 0, &p), RC_INVALID);
	assert_int_equal(p.count, 0);
}

/* Two text fields and a file whose bytes include NUL, CR, LF, CRLF, a
 * lone "--" and 0xFF, as a browser would send them. */
static void test_multipart_file(void **state)
{
	(void)state;
	static const char file[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\r\n--\r\n\xff\xfe\0end";
	const size_t file_len = sizeof file - 1;
	Buf b = BUF_INIT;
	buf_puts(&b, "--------------------------d74496d66958873e\r\n"
		"Content-Disposition: form-data; name=\"title\"\r\n\r\n"
		"B\xC3\xA1o c\xC3\xA1o th\xC3\xA1ng 5\r\n"
		"--------------------------d74496d66958873e\r\n"
		"Content-Disposition: form-data; name=\"photo\"; "
		"filename=\"a \\\"quoted\\\" \xE1\xBA\xA3nh.png\"\r\n"
		"Content-Type: image/png\r\n\r\n");
	buf_append(&b, file, file_len);
	buf_puts(&b, "\r\n--------------------------d74496d66958873e\r\n"
		"Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n"
		"\r\n--------------------------d74496d66958873e\r\n"
		"Content-Disposition: form-data; name=\"note\"\r\n\r\n"
		"hai\r\ndòng\r\n"
		"--------------------------d74496d66958873e--\r\n");
	assert_true(buf_ok(&b));
	char *body = exact_copy(b.data, b.len);
	Params p;
	params_init(&p);
	assert_int_equal(form_parse_multipart(
		"multipart/form-data; boundary=------------------------d74496d66958873e",
		body, b.len, &p), RC_OK);
	assert_int_equal(p.count, 4);

	assert_string_equal(p.items[0].name, "title");
	assert_string_equal(p.items[0].value, "B\xC3\xA1o c\xC3\xA1o th\xC3\xA1ng 5");
	assert_null(p.items[0].filename);
	assert_null(p.items[0].content_type);

	const Param *f = params_find(&p, "photo");
	assert_ptr_equal(f, &p.items[1]);
	assert_int_equal(f->value_len, file_len);
	assert_memory_equal(f->value, file, file_len);
	assert_int_equal(f->value[file_len], 0);
	assert_string_equal(f->filename, "a \"quoted\" \xE1\xBA\xA3nh.png");
	assert_string_equal(f->content_type, "image/png");

	/* A file input left empty: filename "" and no bytes. */
	assert_string_equal(p.items[2].name, "empty");
	assert_non_null(p.items[2].filename);
	assert_string_equal(p.items[2].filename, "");
	assert_int_equal(p.items[2].value_len, 0);
	assert_string_equal(p.items[2].content_type, "application/octet-stream");

	assert_string_equal(params_get(&p, "note"), "hai\r\ndòng");
	params_release(&p);
	free(body);

	/* The same file without a closing boundary fails and adds nothing. */
	b.len -= strlen("--------------------------d74496d66958873e--\r\n");
	body = exact_copy(b.data, b.len);
	assert_int_equal(form_parse_multipart(
		"multipart/form-data; boundary=------------------------d74496d66958873e",
		body, b.len, &p), RC_INVALID);
	assert_int_equal(p.count, 0);
	assert_null(p.items); /* an empty list owns nothing again */
	free(body);
	buf_release(&b);
}

/* Backslash escapes and unquoted names in Content-Disposition. */
static void test_multipart_disposition(void **state)
{
	(void)state;
	static const char body[] = D
		"Content-Disposition: form-data ; name = plain ; filename=\"C:\\\\dir\\\\x.txt\" ; "
		"filename*=UTF-8''ignored\r\n\r\nx\r\n" END;
	char *in = exact_copy(body, sizeof body - 1);
	Params p;
	params_init(&p);
	assert_int_equal(form_parse_multipart(CT, in, sizeof body - 1, &p), RC_OK);
	assert_int_equal(p.count, 1);
	assert_string_equal(p.items[0].name, "plain");
	assert_string_equal(p.items[0].filename, "C:\\dir\\x.txt");
	assert_null(p.items[0].content_type);
	params_release(&p);
	free(in);
}

static void test_multipart_caps(void **state)
{
	(void)state;
	Params p;
	params_init(&p);
	Buf b = BUF_INIT;

	/* FORM_MAX_FIELDS parts pass, one more is too many. */
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_printf(&b, D "Content-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	size_t mark = b.len;
	buf_puts(&b, END);
	assert_int_equal(form_parse_multipart(CT, b.data, b.len, &p), RC_OK);
	assert_int_equal(p.count, FORM_MAX_FIELDS);
	params_release(&p);
	buf_truncate(&b, mark);
	buf_puts(&b, D CD("one-more") "\r\nv\r\n" END);
	assert_int_equal(form_parse_multipart(CT, b.data, b.len, &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	/* Names up to FORM_MAX_NAME bytes. */
	char name[FORM_MAX_NAME + 2];
	memset(name, 'n', sizeof name);
	buf_reset(&b);
	buf_printf(&b, D "Content-Disposition: form-data; name=\"%.*s\"\r\n\r\nv\r\n" END,
		FORM_MAX_NAME, name);
	assert_int_equal(form_parse_multipart(CT, b.data, b.len, &p), RC_OK);
	assert_int_equal(strlen(p.items[0].name), FORM_MAX_NAME);
	params_release(&p);
	buf_reset(&b);
	buf_printf(&b, D "Content-Disposition: form-data; name=\"%.*s\"\r\n\r\nv\r\n" END,
		FORM_MAX_NAME + 1, name);
	assert_int_equal(form_parse_multipart(CT, b.data, b.len, &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	/* A header block over 8 KiB. */
	buf_reset(&b);
	buf_puts(&b, D CD("a"));
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "X-Padding: 0123456789012345678901234567890123456789\r\n");
	buf_puts(&b, "\r\nv\r\n" END);
	assert_int_equal(form_parse_multipart(CT, b.data, b.len, &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	/* Boundary of 70 bytes is the most RFC 2046 allows. */
	char bd[72];
	memset(bd, 'b', sizeof bd);
	Buf ct = BUF_INIT;
	buf_printf(&ct, "multipart/form-data; boundary=%.*s", 70, bd);
	buf_reset(&b);
	buf_printf(&b, "--%.*s\r\n" CD("a") "\r\nv\r\n--%.*s--", 70, bd, 70, bd);
	assert_int_equal(form_parse_multipart(ct.data, b.data, b.len, &p), RC_OK);
	assert_int_equal(p.count, 1);
	params_release(&p);
	buf_reset(&ct);
	buf_printf(&ct, "multipart/form-data; boundary=%.*s", 71, bd);
	buf_reset(&b);
	buf_printf(&b, "--%.*s\r\n" CD("a") "\r\nv\r\n--%.*s--", 71, bd, 71, bd);
	assert_int_equal(form_parse_multipart(ct.data, b.data, b.len, &p), RC_INVALID);
	buf_release(&ct);
	buf_release(&b);
}

/* ---- cookies -------------------------------------------------------- */

typedef struct CookieCase {
	const char *in;
	Rc rc;
	const char *pairs[13];
} CookieCase;

static const CookieCase cookie_cases[] = {
	{"", RC_OK, {NULL}},
	{"a=1", RC_OK, {"a", "1", NULL}},
	{"a=1; b=2", RC_OK, {"a", "1", "b", "2", NULL}},
	{"  a=1 ;b=2;\tc = 3  ", RC_OK, {"a", "1", "b", "2", "c", "3", NULL}},
	{"a=1;", RC_OK, {"a", "1", NULL}},
	{";;; ;", RC_OK, {NULL}},
	{"t=a=b", RC_OK, {"t", "a=b", NULL}},
	{"e=", RC_OK, {"e", "", NULL}},
	{"d=\"quoted\"", RC_OK, {"d", "quoted", NULL}},
	{"d=\"", RC_OK, {"d", "\"", NULL}},
	{"junk; a=1; =x; b c=2; (x)=3; f=x\x01y; g=ok", RC_OK,
		{"a", "1", "g", "ok", NULL}},
	{"sid=AbC-_123.xyz; lang=vi; theme=dark mode", RC_OK,
		{"sid", "AbC-_123.xyz", "lang", "vi", "theme", "dark mode", NULL}},
	{"x=%41", RC_OK, {"x", "%41", NULL}}, /* no percent-decoding */
	{"ten=" DANG, RC_OK, {"ten", DANG, NULL}},
	{"a=1; a=2", RC_OK, {"a", "1", "a", "2", NULL}},
};

static void test_cookies_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cookie_cases); i++) {
		const CookieCase *c = &cookie_cases[i];
		char *in = exact_copy(c->in, strlen(c->in) + 1);
		Params p;
		params_init(&p);
		Rc rc = form_parse_cookies(in, &p);
		if (rc != c->rc)
			fail_msg("cookies \"%s\": %s, expected %s", c->in, rc_name(rc), rc_name(c->rc));
		check_pairs(&p, c->pairs, c->in);
		params_release(&p);
		free(in);
	}
	Params p;
	params_init(&p);
	assert_int_equal(form_parse_cookies(NULL, &p), RC_OK);
	assert_int_equal(p.count, 0);
}

static void test_cookies_caps(void **state)
{
	(void)state;
	Params p;
	params_init(&p);
	Buf b = BUF_INIT;
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_printf(&b, "c%d=v; junk; ", i); /* skipped junk does not count */
	assert_int_equal(form_parse_cookies(b.data, &p), RC_OK);
	assert_int_equal(p.count, FORM_MAX_FIELDS);
	params_release(&p);
	buf_puts(&b, "last=v");
	assert_int_equal(form_parse_cookies(b.data, &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);

	char name[FORM_MAX_NAME + 1];
	memset(name, 'n', sizeof name);
	buf_reset(&b);
	buf_printf(&b, "a=1; %.*s=2", FORM_MAX_NAME, name);
	assert_int_equal(form_parse_cookies(b.data, &p), RC_OK);
	assert_int_equal(p.count, 2);
	params_release(&p);
	buf_reset(&b);
	buf_printf(&b, "a=1; %.*s=2", FORM_MAX_NAME + 1, name);
	assert_int_equal(form_parse_cookies(b.data, &p), RC_TOO_LARGE);
	assert_int_equal(p.count, 0);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_basics),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_urlencoded_table),
		cmocka_unit_test(test_urlencoded_error_keeps_list),
		cmocka_unit_test(test_urlencoded_caps),
		cmocka_unit_test(test_multipart_table),
		cmocka_unit_test(test_multipart_file),
		cmocka_unit_test(test_multipart_disposition),
		cmocka_unit_test(test_multipart_caps),
		cmocka_unit_test(test_cookies_table),
		cmocka_unit_test(test_cookies_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
