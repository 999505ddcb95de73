/*
 * svg.c — server-drawn bar and line charts (see svg.h).
 *
 * Layout in viewBox units: a plot area with four horizontal grid lines
 * and their values on the left, categories along the bottom (vertical
 * bars, lines) or down the left (horizontal bars), a legend on top when
 * there is more than one series.  Coordinates are computed in double and
 * written rounded to whole units: sub-unit precision is invisible at any
 * size the page shows, and integers keep the markup short.
 *
 * Category labels that would collide are thinned out (every k-th shown)
 * and long ones cut with "…": the full text is still in each bar's
 * <title> and in the data table the page puts next to the chart.
 *
 * Everything textual goes through buf_printf's %h, which escapes the five
 * XML-significant characters; ids are escaped too.
 */
#include "svg.h"
#include "../base/text.h"

/* Dark enough for 4.5:1 on white each; red, blue, green, brown, purple,
 * grey: neighbours differ in hue and lightness. */
const char *const svg_palette[SVG_MAX_SERIES] = {
	"#8b0000", "#0b4f9c", "#1e6b30", "#8a4b00", "#5b2a86", "#4d4d4d",
};

/* Line styles, so series differ by more than colour (WCAG 1.4.1). */
static const char *const dashes[SVG_MAX_SERIES] = {
	"", " stroke-dasharray=\"8 4\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"10 3 2 3\"",
	" stroke-dasharray=\"4 4\"", " stroke-dasharray=\"1 5\"",
};

#define GRID "#d8d8d8"
#define AXIS "#767676"
#define CHAR_W 7.0     /* average width of a character at font-size 12 */
#define LEGEND_H 24
#define TICKS 4
#define LABEL_MAX_CHARS 28

static int ri(double v)
{
	return (int)(v < 0 ? v - 0.5 : v + 0.5);
}

double svg_nice_max(double v)
{
	if (!(v > 0))
		return TICKS;
	double raw = v / TICKS, mag = 1;
	while (mag * 10 <= raw)
		mag *= 10;
	/* 1.5 and 2.5 only from tens on, so every grid value stays whole */
	static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		if ((steps[i] == 1.5 || steps[i] == 2.5) && mag < 10)
			continue;
		if (steps[i] * mag >= raw)
			return TICKS * steps[i] * mag;
	}
	return TICKS * 10 * mag;
}

void svg_format_number(Buf *b, double v, int decimals, char decimal_sep)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 1)
		decimals = 1;
	int scale = decimals ? 10 : 1;
	bool neg = v < 0;
	double a = neg ? -v : v;
	long long n = (long long)(a * scale + 0.5);
	long long whole = n / scale;
	char thousands = decimal_sep == ',' ? '.' : ',';
	if (neg && n)
		buf_putc(b, '-');
	/* group the whole part by threes from the right */
	char digits[32];
	int len = 0;
	do {
		digits[len++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole && len < 30);
	for (int i = len - 1; i >= 0; i--) {
		buf_putc(b, digits[i]);
		if (i && i % 3 == 0)
			buf_putc(b, thousands);
	}
	if (decimals) {
		buf_putc(b, decimal_sep ? decimal_sep : '.');
		buf_putc(b, (char)('0' + n % 10));
	}
}

static void number(Buf *b, const SvgChart *c, double v)
{
	svg_format_number(b, v, c->decimals, c->decimal_sep);
	if (c->percent)
		buf_putc(b, '%');
}

/* Grid values are whole numbers (svg_nice_max): "50%", not "50,0%". */
static void tick(Buf *b, const SvgChart *c, double v)
{
	bool whole = (double)(long long)v == v;
	svg_format_number(b, v, whole ? 0 : c->decimals, c->decimal_sep);
	if (c->percent)
		buf_putc(b, '%');
}

/* The label escaped, cut to `max` code points with an ellipsis. */
static void label_text(Buf *b, const char *s, size_t max)
{
	if (!s)
		return;
	size_t n = text_length(s);
	if (n <= max) {
		buf_html_escape(b, s, strlen(s));
		return;
	}
	const char *p = s;
	for (size_t i = 0; i + 1 < max && *p; i++) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
	}
	buf_html_escape(b, s, (size_t)(p - s));
	buf_puts(b, "…");
}

static size_t clamp_n(const SvgChart *c)
{
	return c->n > SVG_MAX_POINTS ? SVG_MAX_POINTS : c->n;
}

static size_t clamp_series(const SvgChart *c)
{
	return c->nseries > SVG_MAX_SERIES ? SVG_MAX_SERIES : c->nseries;
}

static double axis_max(const SvgChart *c)
{
	if (c->max > 0)
		return c->max;
	if (c->percent)
		return 100;
	double m = 0;
	size_t n = clamp_n(c), ns = clamp_series(c);
	for (size_t s = 0; s < ns; s++)
		for (size_t i = 0; i < n; i++)
			if (c->series[s].values[i] > m)
				m = c->series[s].values[i];
	return svg_nice_max(m);
}

static const char *id_of(const SvgChart *c)
{
	return c->id && *c->id ? c->id : "chart";
}

static void open_svg(Buf *b, const SvgChart *c, int height)
{
	const char *id = id_of(c);
	/* font and ink spelled out in the format: formats must be literals (codecheck) */
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-labelledby=\"%h-title%s%h%s\" "
		   "font-family=\"Segoe UI, Roboto, Noto Sans, Arial, sans-serif\" "
		   "font-size=\"12\" fill=\"#1a1a1a\">",
		   SVG_WIDTH, height, id, c->desc && *c->desc ? " " : "", c->desc && *c->desc ? id : "",
		   c->desc && *c->desc ? "-desc" : "");
	buf_printf(b, "<title id=\"%h-title\">%h</title>", id, c->title ? c->title : "");
	if (c->desc && *c->desc)
		buf_printf(b, "<desc id=\"%h-desc\">%h</desc>", id, c->desc);
}

/* Legend across the top when there is more than one series. */
static void legend(Buf *b, const SvgChart *c, int x0, bool lines)
{
	size_t ns = clamp_series(c);
	if (ns < 2)
		return;
	double x = x0;
	buf_puts(b, "<g class=\"legend\">");
	for (size_t s = 0; s < ns; s++) {
		if (lines)
			buf_printf(b, "<line x1=\"%d\" y1=\"12\" x2=\"%d\" y2=\"12\" stroke=\"%s\" "
				   "stroke-width=\"3\"%s/>", ri(x), ri(x) + 18, svg_palette[s], dashes[s]);
		else
			buf_printf(b, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>",
				   ri(x), svg_palette[s]);
		x += lines ? 24 : 17;
		buf_printf(b, "<text x=\"%d\" y=\"16\">", ri(x));
		label_text(b, c->series[s].name, LABEL_MAX_CHARS);
		buf_puts(b, "</text>");
		x += (double)text_length(c->series[s].name ? c->series[s].name : "") * CHAR_W + 18;
	}
	buf_puts(b, "</g>");
}

/* Horizontal grid lines with their values at the left, from y0 (top) to
 * y1 (the zero line). */
static void grid_y(Buf *b, const SvgChart *c, double max, int left, int right, int y0, int y1)
{
	buf_puts(b, "<g class=\"grid\">");
	for (int i = 0; i <= TICKS; i++) {
		int y = ri(y1 - (double)(y1 - y0) * i / TICKS);
		buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>", left, y,
			   right, y, i ? GRID : AXIS);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 4);
		tick(b, c, max * i / TICKS);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</g>");
}

/* Vertical grid for horizontal bars: lines from x0 (zero) to x1. */
static void grid_x(Buf *b, const SvgChart *c, double max, int x0, int x1, int top, int bottom)
{
	buf_puts(b, "<g class=\"grid\">");
	for (int i = 0; i <= TICKS; i++) {
		int x = ri(x0 + (double)(x1 - x0) * i / TICKS);
		buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>", x, top, x,
			   bottom, i ? GRID : AXIS);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, bottom + 16);
		tick(b, c, max * i / TICKS);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</g>");
}

/* Category labels under a plot of n slots, every k-th when they would
 * not fit side by side. */
static void labels_x(Buf *b, const SvgChart *c, int left, double slot, int y)
{
	size_t n = clamp_n(c), longest = 1;
	for (size_t i = 0; i < n; i++) {
		size_t l = text_length(c->labels && c->labels[i] ? c->labels[i] : "");
		if (l > longest)
			longest = l;
	}
	if (longest > LABEL_MAX_CHARS)
		longest = LABEL_MAX_CHARS;
	double need = (double)longest * CHAR_W + 8;
	size_t k = slot >= need ? 1 : (size_t)(need / slot) + 1;
	buf_puts(b, "<g class=\"labels\">");
	for (size_t i = 0; i < n; i += k) {
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			   ri(left + slot * ((double)i + 0.5)), y);
		label_text(b, c->labels ? c->labels[i] : "", LABEL_MAX_CHARS);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</g>");
}

/* "label — series: value" for a bar's or point's tooltip. */
static void point_title(Buf *b, const SvgChart *c, size_t i, size_t s, double v)
{
	buf_printf(b, "<title>%h", c->labels ? c->labels[i] : "");
	if (clamp_series(c) > 1 || (c->series[s].name && *c->series[s].name))
		buf_printf(b, " — %h", c->series[s].name);
	buf_puts(b, ": ");
	number(b, c, v);
	buf_puts(b, "</title>");
}

static void bars_vertical(Buf *b, const SvgChart *c, double max)
{
	size_t n = clamp_n(c), ns = clamp_series(c);
	int height = 300, top = 12 + (ns > 1 ? LEGEND_H : 0), bottom = height - 36;
	int left = 64, right = SVG_WIDTH - 12;
	open_svg(b, c, height);
	legend(b, c, left, false);
	grid_y(b, c, max, left, right, top, bottom);
	double slot = n ? (double)(right - left) / (double)n : 0;
	double barw = ns ? slot * 0.8 / (double)ns : 0;
	bool values = n * ns <= 24 && barw >= 20;
	buf_puts(b, "<g class=\"bars\">");
	for (size_t i = 0; i < n; i++) {
		for (size_t s = 0; s < ns; s++) {
			double v = c->series[s].values[i];
			if (v < 0)
				continue;
			double h = (v > max ? max : v) / max * (bottom - top);
			double x = left + slot * (double)i + slot * 0.1 + barw * (double)s;
			/* a zero still shows as a hairline, so "none" and "0" differ */
			int hi = ri(h) < 1 ? 1 : ri(h);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">",
				   ri(x), bottom - hi, ri(barw) < 1 ? 1 : ri(barw), hi, svg_palette[s]);
			point_title(b, c, i, s, v);
			buf_puts(b, "</rect>");
			if (values) {
				buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
					   ri(x + barw / 2), bottom - hi - 4);
				number(b, c, v);
				buf_puts(b, "</text>");
			}
		}
	}
	buf_puts(b, "</g>");
	labels_x(b, c, left, slot, bottom + 20);
	buf_puts(b, "</svg>");
}

static void bars_horizontal(Buf *b, const SvgChart *c, double max)
{
	size_t n = clamp_n(c), ns = clamp_series(c);
	int labelw = 200, left = labelw + 8, right = SVG_WIDTH - 64;
	int top = 8 + (ns > 1 ? LEGEND_H : 0);
	int barh = 14, row = (int)ns * barh + 10;
	int bottom = top + (int)n * row;
	int height = bottom + 28;
	open_svg(b, c, height);
	legend(b, c, 8, false);
	grid_x(b, c, max, left, right, top, bottom);
	buf_puts(b, "<g class=\"bars\">");
	for (size_t i = 0; i < n; i++) {
		int y0 = top + (int)i * row + 5;
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", labelw,
			   y0 + (int)ns * barh / 2 + 4);
		label_text(b, c->labels ? c->labels[i] : "", LABEL_MAX_CHARS);
		buf_puts(b, "</text>");
		for (size_t s = 0; s < ns; s++) {
			double v = c->series[s].values[i];
			if (v < 0)
				continue;
			double w = (v > max ? max : v) / max * (right - left);
			int wi = ri(w) < 1 ? 1 : ri(w);
			int y = y0 + (int)s * barh;
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">", left, y,
				   wi, barh - 2, svg_palette[s]);
			point_title(b, c, i, s, v);
			buf_puts(b, "</rect>");
			buf_printf(b, "<text x=\"%d\" y=\"%d\">", left + wi + 4, y + barh - 4);
			number(b, c, v);
			buf_puts(b, "</text>");
		}
	}
	buf_puts(b, "</g></svg>");
}

void svg_bar_chart(Buf *b, const SvgChart *c)
{
	double max = axis_max(c);
	if (c->horizontal)
		bars_horizontal(b, c, max);
	else
		bars_vertical(b, c, max);
}

void svg_line_chart(Buf *b, const SvgChart *c)
{
	size_t n = clamp_n(c), ns = clamp_series(c);
	double max = axis_max(c);
	int height = 300, top = 12 + (ns > 1 ? LEGEND_H : 0), bottom = height - 36;
	int left = 64, right = SVG_WIDTH - 12;
	open_svg(b, c, height);
	legend(b, c, left, true);
	grid_y(b, c, max, left, right, top, bottom);
	double slot = n ? (double)(right - left) / (double)n : 0;
	buf_puts(b, "<g class=\"lines\">");
	for (size_t s = 0; s < ns; s++) {
		const double *v = c->series[s].values;
		/* one polyline per run of values: a missing value breaks the line */
		for (size_t i = 0; i < n;) {
			while (i < n && v[i] < 0)
				i++;
			size_t j = i;
			while (j < n && v[j] >= 0)
				j++;
			if (j - i >= 2) {
				buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s points=\"",
					   svg_palette[s], dashes[s]);
				for (size_t k = i; k < j; k++) {
					double y = bottom - (v[k] > max ? max : v[k]) / max * (bottom - top);
					buf_printf(b, "%s%d,%d", k > i ? " " : "", ri(left + slot * ((double)k + 0.5)),
						   ri(y));
				}
				buf_puts(b, "\"/>");
			}
			i = j;
		}
		for (size_t i = 0; i < n; i++) {
			if (v[i] < 0)
				continue;
			double y = bottom - (v[i] > max ? max : v[i]) / max * (bottom - top);
			buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\">",
				   ri(left + slot * ((double)i + 0.5)), ri(y), svg_palette[s]);
			point_title(b, c, i, s, v[i]);
			buf_puts(b, "</circle>");
		}
	}
	buf_puts(b, "</g>");
	labels_x(b, c, left, slot, bottom + 20);
	buf_puts(b, "</svg>");
}
