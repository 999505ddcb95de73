/*
 * portal_stats.c — the public statistics page (/thong-ke), in the manner
 * of Hanoi's iHanoi and Ho Chi Minh City's 1022: how many petitions,
 * complaints and denunciations were received, how many have been handled
 * and resolved, how many statutory deadlines were met on time, by month,
 * province, kind and field — computed from the live data (stats.h) each
 * time the page is rendered (the page cache keeps it a few seconds).
 *
 * Period: the last 12 months (default) or a calendar year (?nam=2025);
 * figures are about the cases received in the period (stats.h explains
 * why), and the page says so in words, with every definition.
 *
 * Charts are SVG drawn here on the server (export/svg.h), inline, with no
 * script; each has a <title>, and a data table beside it carries the
 * same numbers for screen readers, keyboard users and anyone who prefers
 * numbers.  Only counts are shown: no case, name or code can appear.
 */
#include "portal.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/stats.h"
#include "../export/svg.h"

#define PROVINCES_CHART_MAX 40
#define FIELDS_CHART_MAX 20

typedef struct View {
	Req *r;
	const Stats *s;
	bool en;
	char sep;            /* decimal separator */
} View;

static void num(View *v, int64_t n)
{
	Buf b = BUF_INIT;
	if (v->en)
		text_format_int_en(&b, n);
	else
		text_format_int_vi(&b, n);
	html(v->r, "%s", buf_cstr(&b));
	buf_release(&b);
}

/* 973 → "97,3%" (en "97.3%"); -1 → a dash, read out as "no data". */
static void rate(View *v, int permille)
{
	Req *r = v->r;
	if (permille < 0) {
		html(r, "–<span class=\"visually-hidden\"> %s</span>", _("no data"));
		return;
	}
	html(r, "%d%r%d%%", permille / 10, v->en ? "." : ",", permille % 10);
}

static int on_time(const StatsCounts *c)
{
	return stats_permille(c->deadlines_met, c->deadlines_met + c->deadlines_missed);
}

static double on_time_pct(const StatsCounts *c)
{
	int p = on_time(c);
	return p < 0 ? -1 : p / 10.0;
}

static char *month_label(const StatsMonth *m)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "%d/%d", m->month, m->year);
	return buf_detach(&b, NULL);
}

static const char *group_name(View *v, const StatsGroup *g, const char *unknown)
{
	if (!g->id)
		return unknown;
	if (v->en && g->name_en && *g->name_en)
		return g->name_en;
	return g->name;
}

static void tile(View *v, const char *label, int64_t n, int permille, const char *note)
{
	Req *r = v->r;
	html(r, "<li><span class=\"label\">%s</span> <strong>", label);
	if (n >= 0)
		num(v, n);
	else
		rate(v, permille);
	html(r, "</strong>");
	if (note)
		html(r, " <span class=\"note\">%s</span>", note);
	html(r, "</li>");
}

static void headline(View *v)
{
	Req *r = v->r;
	const StatsCounts *t = &v->s->total;
	Buf handled_note = BUF_INIT, rated_note = BUF_INIT;
	int hp = stats_permille(t->handled, t->received);
	if (hp >= 0)
		buf_printf(&handled_note, "%d%s%d%% %s", hp / 10, v->en ? "." : ",", hp % 10,
			   _("of those received"));
	buf_printf(&rated_note, "%lld %s", (long long)t->rated, _("answers rated"));
	html(r, "<ul class=\"figures big\">");
	tile(v, _("Received"), t->received, 0, NULL);
	tile(v, _("Handled"), t->handled, 0, hp >= 0 ? buf_cstr(&handled_note) : NULL);
	tile(v, _("Resolved"), t->resolved, 0, NULL);
	tile(v, _("Still being handled"), t->received - t->handled, 0, NULL);
	tile(v, _("Overdue now"), t->overdue, 0, NULL);
	tile(v, _("Deadlines met on time"), -1, on_time(t), NULL);
	tile(v, _("Citizens satisfied"), -1, stats_permille(t->satisfied, t->rated), buf_cstr(&rated_note));
	html(r, "</ul>");
	buf_release(&handled_note);
	buf_release(&rated_note);
}

/* The common columns of every table: received, handled, resolved, on time, overdue. */
static void table_head(View *v, const char *first, const char *caption)
{
	Req *r = v->r;
	/* scrolls sideways on a phone: focusable for the keyboard, like the charts */
	html(r, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"%s\">"
		"<table class=\"stats\"><caption>%s</caption><thead><tr>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     caption, caption, first, _("Received"), _("Handled"), _("Resolved"), _("On time"),
	     _("Overdue now"));
}

static void table_row(View *v, const char *name, const StatsCounts *c)
{
	Req *r = v->r;
	html(r, "<tr><th scope=\"row\">%s</th><td>", name);
	num(v, c->received);
	html(r, "</td><td>");
	num(v, c->handled);
	html(r, "</td><td>");
	num(v, c->resolved);
	html(r, "</td><td>");
	rate(v, on_time(c));
	html(r, "</td><td>");
	num(v, c->overdue);
	html(r, "</td></tr>");
}

static void table_end(View *v)
{
	Req *r = v->r;
	html(r, "</tbody><tfoot>");
	table_row(v, _("Total"), &v->s->total);
	html(r, "</tfoot></table></div>");
}

static SvgChart chart(View *v, const char *id, const char *title, const char *const *labels,
		      size_t n, const SvgSeries *series, size_t nseries)
{
	SvgChart c = {
		.id = id, .title = title, .labels = labels, .n = n, .series = series,
		.nseries = nseries, .decimal_sep = v->sep,
	};
	return c;
}

/* A chart's box.  On a phone it scrolls sideways (site.css), so it takes
 * the keyboard focus, named by the chart's title, to be scrollable
 * without a pointer. */
static void chart_open(Req *r, const char *title)
{
	html(r, "<div class=\"chart-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"%s\">", title);
}

static void by_month(View *v)
{
	Req *r = v->r;
	const Stats *s = v->s;
	size_t n = s->n_months;
	char **labels = xcalloc(n ? n : 1, sizeof *labels);
	double *received = xcalloc(n ? n : 1, sizeof *received);
	double *handled = xcalloc(n ? n : 1, sizeof *handled);
	double *ontime = xcalloc(n ? n : 1, sizeof *ontime);
	for (size_t i = 0; i < n; i++) {
		labels[i] = month_label(&s->months[i]);
		received[i] = (double)s->months[i].c.received;
		handled[i] = (double)s->months[i].c.handled;
		ontime[i] = on_time_pct(&s->months[i].c);
	}
	html(r, "<section aria-labelledby=\"h-month\"><h2 id=\"h-month\">%s</h2><div class=\"chart-pair\">"
		"<div class=\"charts\">", _("By month"));
	SvgSeries two[2] = {{_("Received"), received}, {_("Handled"), handled}};
	SvgChart c = chart(v, "c-month", _("Cases received and handled, by month of receipt"),
			   (const char *const *)labels, n, two, 2);
	chart_open(r, c.title);
	svg_bar_chart(&r->out, &c);
	html(r, "</div>");
	SvgSeries one[1] = {{_("On time"), ontime}};
	SvgChart l = chart(v, "c-ontime", _("Share of deadlines met on time, by month of receipt"),
			   (const char *const *)labels, n, one, 1);
	chart_open(r, l.title);
	l.percent = true;
	l.decimals = 1;
	svg_line_chart(&r->out, &l);
	html(r, "</div></div>");
	table_head(v, _("Month"), _("Cases by month of receipt"));
	for (size_t i = 0; i < n; i++)
		table_row(v, labels[i], &s->months[i].c);
	table_end(v);
	html(r, "</div></section>");
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(received);
	free(handled);
	free(ontime);
}

/* Provinces or fields: a horizontal bar chart of the first `max` groups
 * and the table of all of them. */
static void by_group(View *v, const char *hid, const char *heading, const char *chart_id,
		     const char *chart_title, const char *first_col, const char *caption,
		     const StatsGroup *g, size_t n, const char *unknown, size_t max)
{
	Req *r = v->r;
	html(r, "<section aria-labelledby=\"%s\"><h2 id=\"%s\">%s</h2>", hid, hid, heading);
	if (!n) {
		html(r, "<p class=\"empty\">%s</p></section>", _("No cases in this period."));
		return;
	}
	size_t shown = n < max ? n : max;
	const char **labels = xcalloc(shown, sizeof *labels);
	double *received = xcalloc(shown, sizeof *received);
	double *handled = xcalloc(shown, sizeof *handled);
	for (size_t i = 0; i < shown; i++) {
		labels[i] = group_name(v, &g[i], unknown);
		received[i] = (double)g[i].c.received;
		handled[i] = (double)g[i].c.handled;
	}
	html(r, "<div class=\"chart-pair\">");
	SvgSeries two[2] = {{_("Received"), received}, {_("Handled"), handled}};
	SvgChart c = chart(v, chart_id, chart_title, labels, shown, two, 2);
	c.horizontal = true;
	chart_open(r, chart_title);
	svg_bar_chart(&r->out, &c);
	html(r, "</div>");
	table_head(v, first_col, caption);
	for (size_t i = 0; i < n; i++)
		table_row(v, group_name(v, &g[i], unknown), &g[i].c);
	table_end(v);
	html(r, "</div></section>");
	free(labels);
	free(received);
	free(handled);
}

static const char *kind_name(Req *r, CaseKind k)
{
	switch (k) {
	case KIND_PETITION: return _("Petitions and reports");
	case KIND_COMPLAINT: return _("Complaints");
	case KIND_DENUNCIATION: return _("Denunciations");
	default: return "";
	}
}

static void by_kind(View *v)
{
	Req *r = v->r;
	const char *labels[KIND_COUNT];
	double received[KIND_COUNT], handled[KIND_COUNT];
	for (int k = 0; k < KIND_COUNT; k++) {
		labels[k] = kind_name(r, (CaseKind)k);
		received[k] = (double)v->s->kinds[k].received;
		handled[k] = (double)v->s->kinds[k].handled;
	}
	html(r, "<section aria-labelledby=\"h-kind\"><h2 id=\"h-kind\">%s</h2><div class=\"chart-pair\">",
	     _("By kind"));
	SvgSeries two[2] = {{_("Received"), received}, {_("Handled"), handled}};
	SvgChart c = chart(v, "c-kind", _("Cases received and handled, by kind"), labels, KIND_COUNT, two, 2);
	chart_open(r, c.title);
	svg_bar_chart(&r->out, &c);
	html(r, "</div>");
	table_head(v, _("Kind of case"), _("Cases by kind"));
	for (int k = 0; k < KIND_COUNT; k++)
		table_row(v, labels[k], &v->s->kinds[k]);
	table_end(v);
	html(r, "</div></section>");
}

static void definitions(Req *r)
{
	html(r, "<section aria-labelledby=\"h-def\" class=\"definitions\"><h2 id=\"h-def\">%s</h2><dl>"
		"<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
		"<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl></section>",
	     _("How these figures are counted"),
	     _("Received"), _("Petitions, reports, complaints and denunciations received in the period, by every channel."),
	     _("Handled"), _("Of those, the cases that have reached a final step: decided and notified, closed, or filed, guided, forwarded to the competent body, refused with a legal reason, terminated or withdrawn."),
	     _("Resolved"), _("Of those, the cases decided on the merits or answered in writing."),
	     _("Overdue now"), _("Cases with a statutory deadline that has passed without the step being done."),
	     _("On time"), _("Statutory deadlines met on time, as a share of the deadlines completed; waiting periods (such as the time to appeal) are not counted."),
	     _("Citizens satisfied"), _("Answers rated 4 or 5 out of 5 by the citizen, as a share of the answers rated."));
}

/* The period: ?nam=YYYY, else the last 12 months up to today. */
static Rc period(Req *r, int first, int last, int *year, char from[11], char to[11])
{
	Date today = date_vn_from_unix(util_now());
	const char *y = req_param(r, "nam");
	int64_t yy = 0;
	*year = 0;
	if (y && *y) {
		if (!util_parse_i64(y, first, last, &yy))
			return RC_INVALID;
		*year = (int)yy;
		xsnprintf(from, 11, "%04d-01-01", *year);
		if (*year == today.y)
			date_iso(today, to);
		else
			xsnprintf(to, 11, "%04d-12-31", *year);
		return RC_OK;
	}
	int m = today.y * 12 + (today.m - 1) - 11;
	xsnprintf(from, 11, "%04d-%02d-01", m / 12, m % 12 + 1);
	date_iso(today, to);
	return RC_OK;
}

static void period_form(Req *r, int first, int last, int year)
{
	html(r, "<form class=\"period\" method=\"get\" action=\"/thong-ke\"><label for=\"nam\">%s</label> "
		"<select id=\"nam\" name=\"nam\"><option value=\"\"%r>%s</option>",
	     _("Period shown"), year ? "" : " selected", _("Last 12 months"));
	for (int y = last; y >= first; y--)
		html(r, "<option value=\"%d\"%r>%d</option>", y, y == year ? " selected" : "", y);
	html(r, "</select> <button type=\"submit\">%s</button></form>", _("Show"));
}

static void iso_vi(Req *r, const char *iso)
{
	Date d;
	if (!date_parse_iso(iso, &d))
		return;
	html(r, "<time datetime=\"%s\">%d/%d/%d</time>", iso, d.d, d.m, d.y);
}

Rc ui_portal_stats(Req *r)
{
	int first, last, year;
	char from[11], to[11];
	Rc rc = stats_years(r->db, &first, &last);
	if (rc)
		return rc;
	if (period(r, first, last, &year, from, to))
		return req_fail(r, RC_INVALID, _("Choose a year from the list."));
	Stats s;
	if ((rc = stats_compute(r->db, from, to, NULL, &s)))
		return rc;
	View v = {r, &s, str_eq(r->lang, "en"), str_eq(r->lang, "en") ? '.' : ','};
	PortalMeta meta = {
		.canonical = year ? NULL : "/thong-ke",
		.description = _("Citizens' petitions, complaints and denunciations received and handled, by month and province, from live data."),
	};
	portal_begin(r, _("Public statistics"), &meta, NULL);
	html(r, "<div class=\"stats-page\"><h1>%s</h1><p class=\"lead\">%s ", _("Public statistics"),
	     _("Cases received from"));
	iso_vi(r, from);
	html(r, " %s ", _("to"));
	iso_vi(r, to);
	html(r, ", %s</p>", _("and what has become of them by today. Computed from the live data when you open the page."));
	period_form(r, first, last, year);
	headline(&v);
	by_month(&v);
	by_group(&v, "h-province", _("By province"), "c-province",
		 _("Cases received and handled, by province"), _("Province or city"), _("Cases by province"),
		 s.provinces, s.n_provinces, _("Place not yet determined"), PROVINCES_CHART_MAX);
	by_kind(&v);
	by_group(&v, "h-field", _("By field"), "c-field", _("Cases received and handled, by field"),
		 _("Field"), _("Cases by field"), s.fields, s.n_fields, _("Not yet classified"),
		 FIELDS_CHART_MAX);
	definitions(r);
	html(r, "<p class=\"more\"><a href=\"/gui-don\">%s</a> · <a href=\"/tra-cuu\">%s</a></p></div>",
	     _("Send a petition"), _("Track a case"));
	portal_end(r);
	stats_release(&s);
	return RC_OK;
}
