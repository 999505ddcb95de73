/*
 * svg.h — bar and line charts drawn on the server as SVG, so the public
 * statistics need no chart library and no script in the browser (the
 * Content-Security-Policy allows none inline anyway).
 *
 * The output is one well-formed <svg> element, usable inline in HTML or
 * served as image/svg+xml.  Every text (title, description, labels,
 * legend, series names) is escaped (& < > " '), so labels from the
 * database are safe.  Accessibility: role="img" with aria-labelledby
 * pointing at the chart's <title> (and <desc> when given); every bar and
 * point carries its own <title> ("label — series: value") as a tooltip;
 * pages put a data table next to each chart (WCAG 1.1.1: the chart alone
 * is never the only way to the numbers).
 *
 * Colours come from a fixed palette, each at least 4.5:1 against the
 * white background (more than the 3:1 WCAG 1.4.11 asks of graphics), in an
 * order where neighbours differ in lightness as well as hue; a series
 * keeps its colour in every chart.  Text is drawn in the page's ink.
 *
 * Geometry uses whole units of a fixed viewBox (SVG_WIDTH wide); the page
 * scales it with CSS.  Values below zero mean "no value": a bar is not
 * drawn, a line is broken.
 */
#ifndef DANVAN_SVG_H
#define DANVAN_SVG_H

#include "../base/buf.h"

#define SVG_WIDTH 640
#define SVG_MAX_SERIES 6
#define SVG_MAX_POINTS 500

extern const char *const svg_palette[SVG_MAX_SERIES];

typedef struct SvgSeries {
	const char *name;      /* legend text */
	const double *values;  /* one per category; < 0 = no value */
} SvgSeries;

typedef struct SvgChart {
	const char *id;        /* unique in the page: prefix of the ids of <title>/<desc> */
	const char *title;     /* accessible name, drawn as <title> */
	const char *desc;      /* optional longer description, <desc> */
	const char *const *labels; /* n category labels (months, provinces…) */
	size_t n;              /* ≤ SVG_MAX_POINTS; more are ignored */
	const SvgSeries *series;
	size_t nseries;        /* ≤ SVG_MAX_SERIES; more are ignored */
	double max;            /* top of the value axis; ≤ 0 = svg_nice_max of the data */
	bool percent;          /* append "%" to numbers (and max 100 when max ≤ 0) */
	int decimals;          /* digits after the decimal separator: 0 or 1 */
	char decimal_sep;      /* ',' (Vietnamese: thousands then '.') or '.' (thousands ',') */
	bool horizontal;       /* bars: one row per category, labels on the left */
} SvgChart;

/* Grouped bars: for each category one bar per series. */
void svg_bar_chart(Buf *b, const SvgChart *c);
/* One line per series across the categories, with a marker per value. */
void svg_line_chart(Buf *b, const SvgChart *c);

/* A round axis top ≥ v: 4 × step, the step the smallest of 1, 1.5, 2,
 * 2.5, 3, 4, 5, 6, 8 × 10^k (k ≥ 0; 1.5 and 2.5 only for k ≥ 1) that
 * reaches v, so the four grid lines fall on whole numbers.  4 for v ≤ 0. */
double svg_nice_max(double v);

/* A number as the chart writes it: rounded to `decimals` (0 or 1),
 * thousands grouped, the decimal separator as given. */
void svg_format_number(Buf *b, double v, int decimals, char decimal_sep);

#endif
