/*
 * test_svg.c — the server-drawn charts (export/svg.h): every chart is one
 * well-formed XML element (checked by a small tag-balancing parser below,
 * which also rejects unquoted attributes, stray '<' and bare '&'), labels
 * from the database are escaped wherever they appear, bars and points are
 * scaled exactly to the axis, missing values break lines, the axis top is
 * a round number, numbers are written the Vietnamese or English way, and
 * every palette colour has at least 4.5:1 contrast on white.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>

#include "export/svg.h"

/* ---- a tiny XML checker ------------------------------------------------- */

#define DEPTH_MAX 64

/* Is s (at '&') a reference the writer may produce? */
static size_t entity_len(const char *s)
{
	static const char *const ok[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strncmp(s, ok[i], strlen(ok[i])) == 0)
			return strlen(ok[i]);
	return 0;
}

/* True when `s` is a single well-formed element: tags balanced and
 * properly nested, names plain, attributes name="value" with no '<' and
 * only known references, text without '<' or bare '&'.  *why says what
 * went wrong. */
static bool xml_well_formed(const char *s, const char **why)
{
	char stack[DEPTH_MAX][32];
	int depth = 0, roots = 0;
	const char *p = s;
	*why = "";
	while (*p) {
		if (*p == '&') {
			size_t n = entity_len(p);
			if (!n) {
				*why = "bare '&'";
				return false;
			}
			p += n;
			continue;
		}
		if (*p != '<') {
			if (depth == 0 && !isspace((unsigned char)*p)) {
				*why = "text outside the root element";
				return false;
			}
			p++;
			continue;
		}
		p++;
		bool closing = *p == '/';
		if (closing)
			p++;
		char name[32];
		size_t n = 0;
		while (isalnum((unsigned char)*p) || *p == '-' || *p == ':') {
			if (n + 1 >= sizeof name) {
				*why = "name too long";
				return false;
			}
			name[n++] = *p++;
		}
		name[n] = 0;
		if (!n) {
			*why = "'<' without a tag name";
			return false;
		}
		if (closing) {
			if (*p != '>') {
				*why = "junk in a closing tag";
				return false;
			}
			p++;
			if (depth == 0 || strcmp(stack[depth - 1], name) != 0) {
				*why = "closing tag does not match";
				return false;
			}
			depth--;
			continue;
		}
		/* attributes */
		for (;;) {
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			size_t an = 0;
			while (isalnum((unsigned char)*p) || *p == '-' || *p == ':')
				p++, an++;
			if (!an || *p != '=' || p[1] != '"') {
				*why = "attribute not name=\"value\"";
				return false;
			}
			p += 2;
			while (*p && *p != '"') {
				if (*p == '<') {
					*why = "'<' in an attribute";
					return false;
				}
				if (*p == '&') {
					size_t e = entity_len(p);
					if (!e) {
						*why = "bare '&' in an attribute";
						return false;
					}
					p += e;
					continue;
				}
				p++;
			}
			if (*p != '"') {
				*why = "unterminated attribute";
				return false;
			}
			p++;
			if (*p != ' ' && *p != '>' && *p != '/') {
				*why = "attributes not separated";
				return false;
			}
		}
		if (depth == 0 && roots++) {
			*why = "more than one root element";
			return false;
		}
		if (*p == '/') {
			p += 2; /* empty element */
			continue;
		}
		p++;
		if (depth == DEPTH_MAX) {
			*why = "too deep";
			return false;
		}
		memcpy(stack[depth++], name, n + 1);
	}
	if (depth) {
		*why = "unclosed element";
		return false;
	}
	if (roots != 1) {
		*why = "no root element";
		return false;
	}
	return true;
}

static void assert_well_formed(const Buf *b)
{
	const char *why;
	assert_true(buf_ok(b));
	if (!xml_well_formed(buf_cstr(b), &why))
		fail_msg("not well-formed (%s): %s", why, buf_cstr(b));
	assert_true(str_starts(buf_cstr(b), "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(buf_cstr(b), " role=\"img\""));
}

/* The checker itself must fail on what it is there to catch. */
static void test_checker_rejects(void **state)
{
	(void)state;
	const char *why;
	assert_true(xml_well_formed("<svg a=\"1\"><g><rect/></g><text>a &amp; b</text></svg>", &why));
	assert_false(xml_well_formed("<svg><g></svg>", &why));
	assert_false(xml_well_formed("<svg><g></g>", &why));
	assert_false(xml_well_formed("<svg>a & b</svg>", &why));
	assert_false(xml_well_formed("<svg a=1></svg>", &why));
	assert_false(xml_well_formed("<svg a=\"<\"></svg>", &why));
	assert_false(xml_well_formed("<svg><text><script></text></svg>", &why));
	assert_false(xml_well_formed("<svg></svg><svg></svg>", &why));
	assert_false(xml_well_formed("<svg>x < y</svg>", &why));
}

/* ---- charts -------------------------------------------------------------- */

static const char *const months[12] = {
	"1/2026", "2/2026", "3/2026", "4/2026", "5/2026", "6/2026",
	"7/2026", "8/2026", "9/2026", "10/2026", "11/2026", "12/2026",
};

static void test_well_formed_charts(void **state)
{
	(void)state;
	double a[12] = {12, 30, 7, 0, 55, 61, 40, 22, 18, 9, 3, 1};
	double d[12] = {10, 28, 7, 0, 50, 60, 38, -1, 18, 9, 2, 1};
	double pct[12] = {97.3, 88, -1, 100, 75.5, 60, 92, 93, -1, -1, 100, 50};
	SvgSeries two[2] = {{"Tiếp nhận", a}, {"Đã xử lý", d}};
	SvgSeries one[1] = {{"Đúng hạn", pct}};
	SvgChart c = {
		.id = "by-month", .title = "Theo tháng", .desc = "Số vụ việc tiếp nhận và đã xử lý",
		.labels = months, .n = 12, .series = two, .nseries = 2, .decimal_sep = ',',
	};
	Buf b = BUF_INIT;
	svg_bar_chart(&b, &c);
	assert_well_formed(&b);
	assert_non_null(strstr(buf_cstr(&b), "aria-labelledby=\"by-month-title by-month-desc\""));
	assert_non_null(strstr(buf_cstr(&b), "<title id=\"by-month-title\">Theo tháng</title>"));
	/* 24 bars, one with no value: 23 rects plus 2 legend swatches */
	int rects = 0;
	for (const char *p = buf_cstr(&b); (p = strstr(p, "<rect ")); p++)
		rects++;
	assert_int_equal(rects, 23 + 2);

	buf_reset(&b);
	c.horizontal = true;
	svg_bar_chart(&b, &c);
	assert_well_formed(&b);

	buf_reset(&b);
	c.horizontal = false;
	c.series = one;
	c.nseries = 1;
	c.percent = true;
	c.decimals = 1;
	c.desc = NULL;
	svg_line_chart(&b, &c);
	assert_well_formed(&b);
	assert_non_null(strstr(buf_cstr(&b), "aria-labelledby=\"by-month-title\""));
	assert_non_null(strstr(buf_cstr(&b), ": 97,3%</title>"));
	assert_non_null(strstr(buf_cstr(&b), ">100%</text>"));  /* the axis top */

	/* nothing to draw is still a valid chart */
	buf_reset(&b);
	SvgChart empty = {.id = "e", .title = "Trống", .n = 0, .series = one, .nseries = 1};
	svg_bar_chart(&b, &empty);
	assert_well_formed(&b);
	buf_reset(&b);
	svg_line_chart(&b, &empty);
	assert_well_formed(&b);
	buf_release(&b);
}

static void test_labels_escaped(void **state)
{
	(void)state;
	const char *const labels[2] = {"<script>alert(\"x\")</script>", "Tom & Jerry's"};
	double v[2] = {3, 4};
	SvgSeries s[2] = {{"a<b>&c", v}, {"\"quoted\"", v}};
	SvgChart c = {
		.id = "x\"><script>", .title = "</title><script>", .desc = "&<>\"'",
		.labels = labels, .n = 2, .series = s, .nseries = 2,
	};
	void (*draw[2])(Buf *, const SvgChart *) = {svg_bar_chart, svg_line_chart};
	for (int k = 0; k < 3; k++) {
		Buf b = BUF_INIT;
		c.horizontal = k == 2;
		draw[k == 1](&b, &c);
		assert_well_formed(&b);
		const char *out = buf_cstr(&b);
		assert_null(strstr(out, "<script"));
		assert_null(strstr(out, "</title><script>"));
		assert_non_null(strstr(out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
		assert_non_null(strstr(out, "Tom &amp; Jerry&#39;s"));
		assert_non_null(strstr(out, "a&lt;b&gt;&amp;c"));
		buf_release(&b);
	}
}

/* The rect heights (or widths) in order, skipping legend swatches. */
static int rect_sizes(const char *svg, bool widths, int *out, int max)
{
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "<rect ")) && n < max; p++) {
		int x, y, w, h;
		if (sscanf(p, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", &x, &y, &w, &h) != 4)
			continue;
		if (w == 12 && h == 12)
			continue; /* a legend swatch */
		out[n++] = widths ? w : h;
	}
	return n;
}

static void test_scaling(void **state)
{
	(void)state;
	const char *const labels[4] = {"a", "b", "c", "d"};
	double v[4] = {0, 25, 50, 100};
	SvgSeries s = {"n", v};
	SvgChart c = {.id = "s", .title = "t", .labels = labels, .n = 4, .series = &s, .nseries = 1,
		      .max = 100};
	Buf b = BUF_INIT;
	svg_bar_chart(&b, &c);
	int h[8];
	assert_int_equal(rect_sizes(buf_cstr(&b), false, h, 8), 4);
	/* plot height: 300 − 36 − 12 = 252; zero shows as a 1-unit hairline */
	assert_int_equal(h[0], 1);
	assert_int_equal(h[1], 63);
	assert_int_equal(h[2], 126);
	assert_int_equal(h[3], 252);
	/* bars stand on the zero line */
	assert_non_null(strstr(buf_cstr(&b), "y=\"12\" width="));  /* the 100 bar reaches the top */

	/* values past the axis top are clipped to it */
	buf_reset(&b);
	c.max = 50;
	svg_bar_chart(&b, &c);
	assert_int_equal(rect_sizes(buf_cstr(&b), false, h, 8), 4);
	assert_int_equal(h[2], 252);
	assert_int_equal(h[3], 252);

	/* horizontal: plot width 640 − 64 − 208 = 368 */
	buf_reset(&b);
	c.max = 100;
	c.horizontal = true;
	svg_bar_chart(&b, &c);
	assert_int_equal(rect_sizes(buf_cstr(&b), true, h, 8), 4);
	assert_int_equal(h[1], 92);
	assert_int_equal(h[2], 184);
	assert_int_equal(h[3], 368);

	/* automatic axis: max of the data 100 → a round 100 */
	buf_reset(&b);
	c.max = 0;
	c.horizontal = false;
	svg_bar_chart(&b, &c);
	assert_int_equal(rect_sizes(buf_cstr(&b), false, h, 8), 4);
	assert_int_equal(h[3], 252);
	assert_non_null(strstr(buf_cstr(&b), ">100</text>"));
	assert_non_null(strstr(buf_cstr(&b), ">25</text>"));

	/* line points: y of 50 on a 0–100 axis is halfway down the plot */
	buf_reset(&b);
	svg_line_chart(&b, &c);
	assert_non_null(strstr(buf_cstr(&b), "cy=\"138\""));  /* 264 − 126 */
	assert_non_null(strstr(buf_cstr(&b), "cy=\"264\""));  /* zero on the axis */
	buf_release(&b);
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_line_gaps(void **state)
{
	(void)state;
	const char *const labels[6] = {"1", "2", "3", "4", "5", "6"};
	double v[6] = {1, -1, 2, 3, -1, 4};
	SvgSeries s = {"n", v};
	SvgChart c = {.id = "g", .title = "t", .labels = labels, .n = 6, .series = &s, .nseries = 1};
	Buf b = BUF_INIT;
	svg_line_chart(&b, &c);
	assert_well_formed(&b);
	/* runs: {1}, {2,3}, {4}: one line of two points; a marker per value */
	assert_int_equal(count(buf_cstr(&b), "<polyline"), 1);
	assert_int_equal(count(buf_cstr(&b), "<circle"), 4);
	buf_release(&b);
}

static void test_long_labels_cut(void **state)
{
	(void)state;
	const char *const labels[1] = {"Thành phố Hồ Chí Minh và các vùng phụ cận phía nam"};
	double v[1] = {7};
	SvgSeries s = {"", v};
	SvgChart c = {.id = "l", .title = "t", .labels = labels, .n = 1, .series = &s, .nseries = 1,
		      .horizontal = true};
	Buf b = BUF_INIT;
	svg_bar_chart(&b, &c);
	assert_well_formed(&b);
	/* cut on the axis, whole in the tooltip */
	assert_non_null(strstr(buf_cstr(&b), "Thành phố Hồ Chí Minh và cá…</text>"));
	assert_non_null(strstr(buf_cstr(&b), "<title>Thành phố Hồ Chí Minh và các vùng phụ cận phía nam: 7</title>"));
	buf_release(&b);
}

static void test_nice_max(void **state)
{
	(void)state;
	assert_true(svg_nice_max(0) == 4);
	assert_true(svg_nice_max(-3) == 4);
	assert_true(svg_nice_max(1) == 4);
	assert_true(svg_nice_max(4) == 4);
	assert_true(svg_nice_max(5) == 8);
	assert_true(svg_nice_max(9) == 12);
	assert_true(svg_nice_max(17) == 20);
	assert_true(svg_nice_max(41) == 60);     /* step 15 */
	assert_true(svg_nice_max(5.5) == 8);     /* but not 1.5: ticks would be 1.5, 3, 4.5 */
	assert_true(svg_nice_max(95) == 100);
	assert_true(svg_nice_max(100) == 100);
	assert_true(svg_nice_max(101) == 120);
	assert_true(svg_nice_max(1234) == 1600);
	/* every grid value is a whole number */
	for (double v = 0.5; v < 100000; v *= 1.37) {
		double m = svg_nice_max(v);
		assert_true(m >= v);
		assert_true(fmod(m / 4, 1) == 0);
		assert_true(m < v * 3 || m == 4);
	}
}

static void check_number(double v, int decimals, char sep, const char *want)
{
	Buf b = BUF_INIT;
	svg_format_number(&b, v, decimals, sep);
	if (strcmp(buf_cstr(&b), want) != 0)
		fail_msg("%g: got [%s], want [%s]", v, buf_cstr(&b), want);
	buf_release(&b);
}

static void test_numbers(void **state)
{
	(void)state;
	check_number(0, 0, ',', "0");
	check_number(999, 0, ',', "999");
	check_number(1000, 0, ',', "1.000");
	check_number(1234567, 0, ',', "1.234.567");
	check_number(1234567, 0, '.', "1,234,567");
	check_number(97.35, 1, ',', "97,4");
	check_number(97.34, 1, '.', "97.3");
	check_number(999.96, 1, ',', "1.000,0");
	check_number(12.5, 0, ',', "13");
	check_number(-3, 0, '.', "-3");
}

/* WCAG relative luminance and contrast against white. */
static double channel(int c)
{
	double s = c / 255.0;
	return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static void test_palette_contrast(void **state)
{
	(void)state;
	for (int i = 0; i < SVG_MAX_SERIES; i++) {
		unsigned rgb;
		assert_int_equal(sscanf(svg_palette[i], "#%6x", &rgb), 1);
		double l = 0.2126 * channel((int)(rgb >> 16 & 255)) + 0.7152 * channel((int)(rgb >> 8 & 255)) +
			   0.0722 * channel((int)(rgb & 255));
		double ratio = 1.05 / (l + 0.05);
		if (ratio < 4.5)
			fail_msg("%s: contrast %.2f on white", svg_palette[i], ratio);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_rejects),
		cmocka_unit_test(test_well_formed_charts),
		cmocka_unit_test(test_labels_escaped),
		cmocka_unit_test(test_scaling),
		cmocka_unit_test(test_line_gaps),
		cmocka_unit_test(test_long_labels_cut),
		cmocka_unit_test(test_nice_max),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_palette_contrast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
