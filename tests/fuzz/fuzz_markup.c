/*
 * fuzz_markup.c — libFuzzer target for the article markup (domain/markup.h):
 * markup_render, markup_plain and markup_excerpt on arbitrary bytes.
 *
 * Beyond "no memory error": everything the input says is escaped, so in
 * the HTML every '<' starts one of the tags the renderer writes and no
 * '<' or '>' comes from the input (the counts of '<' and '>' match);
 * every element opened is closed; rendering is deterministic; the number
 * of missing figures is at most the number of lines; the excerpt keeps
 * to its budget of code points.  Figures get captions and alt texts full
 * of markup characters, which must come out escaped too.
 */
#include "fuzz_common.h"
#include "domain/markup.h"

/* The tags the renderer writes; each even entry opens what the next one
 * closes, except the lone ones after LONE_TAGS. */
static const char *const tags[] = {
	"<p>", "</p>", "<h2>", "</h2>", "<h3>", "</h3>", "<ul>", "</ul>", "<ol>", "</ol>",
	"<li>", "</li>", "<blockquote>", "</blockquote>", "<strong>", "</strong>",
	"<a href=\"", "</a>", "<figure>", "</figure>", "<figcaption>", "</figcaption>",
	"<img src=\"/anh/",
};
#define PAIRED_TAGS 22

/* Hand-written rather than strncmp/strstr: the fuzzer's hooks on those
 * measure the whole remaining string at every call, which made a check
 * quadratic and the target hundreds of times slower. */
static bool starts(const char *p, const char *t)
{
	while (*t && *p == *t) {
		p++;
		t++;
	}
	return !*t;
}

/* One pass: every '<' starts one of the renderer's tags (so none comes
 * from the input), '<' and '>' balance, every element opened is closed,
 * and no <script> can appear. */
static void check_html(const char *h)
{
	size_t lt = 0, gt = 0, seen[ARRAY_LEN(tags)] = {0};
	for (const char *p = h; *p; p++) {
		if (*p == '>')
			gt++;
		if (*p != '<')
			continue;
		lt++;
		size_t i = 0;
		while (i < ARRAY_LEN(tags) && !starts(p, tags[i]))
			i++;
		FUZZ_CHECK(i < ARRAY_LEN(tags));
		seen[i]++;
	}
	FUZZ_CHECK(lt == gt);
	for (size_t i = 0; i < PAIRED_TAGS; i += 2)
		FUZZ_CHECK(seen[i] == seen[i + 1]);
}

/* Does html hold a <figure>? (one pass, as above) */
static bool has_figure(const char *h)
{
	for (const char *p = h; *p; p++)
		if (*p == '<' && starts(p, "<figure>"))
			return true;
	return false;
}

static size_t code_points(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = fuzz_cstr(data, size);
	Image im[2] = {
		{.id = 1, .width = 1600, .height = 900, .caption = "<b>\"a\" & 'b'</b>", .alt = "x\"><script>"},
		{.id = 2, .width = 10, .height = 10, .caption = "", .alt = ""},
	};
	Buf a = BUF_INIT, b = BUF_INIT;
	int missing = markup_render(&a, src, im, 2);
	FUZZ_CHECK(buf_ok(&a));
	check_html(buf_cstr(&a));
	size_t lines = 1;
	for (const char *p = src; *p; p++)
		lines += *p == '\n';
	FUZZ_CHECK(missing >= 0 && (size_t)missing <= lines);
	FUZZ_CHECK(markup_render(&b, src, im, 2) == missing);
	FUZZ_CHECK(a.len == b.len && memcmp(buf_cstr(&a), buf_cstr(&b), a.len) == 0);
	buf_release(&a);
	buf_release(&b);

	/* without images every marker is missing and nothing else changes */
	markup_render(&a, src, NULL, 0);
	check_html(buf_cstr(&a));
	FUZZ_CHECK(!has_figure(buf_cstr(&a)));
	buf_release(&a);

	markup_plain(&a, src);
	FUZZ_CHECK(buf_ok(&a) && strlen(buf_cstr(&a)) == a.len);
	FUZZ_CHECK(a.len <= 2 * strlen(src) + 2);
	buf_release(&a);

	size_t max = size % 64;
	markup_excerpt(&a, src, max);
	FUZZ_CHECK(code_points(buf_cstr(&a)) <= (max ? max : 0));
	buf_release(&a);

	int n = 0;
	if (markup_figure_marker(src, strlen(src), &n))
		FUZZ_CHECK(n >= 1 && n <= 9999);
	free(src);
	return 0;
}
