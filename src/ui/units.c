/*
 * units.c — pages about administrative units and regions, and the JSON
 * code resolver (see units.h).  Everything here is read-only and public.
 *
 * All HTML goes through html(), whose %s escapes; names, codes and query
 * text from the database or the request are only ever passed as %s or %u
 * arguments.  The unit type ("Phường", "Xã", …) is stored in Vietnamese as
 * the source has it and translated for display through kind_label().
 */
#include "units.h"
#include "page.h"
#include "../base/date.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../domain/unit.h"

#define SEARCH_LIMIT 200

/* ---- small renderers ------------------------------------------------- */

/* The Vietnamese unit types of the data, with their English message ids,
 * so that tr() shows "Phường" in Vietnamese and "Ward" in English. */
static const struct {
	const char *vi, *en;
} kinds[] = {
	{"Tỉnh", "Province"},     {"Thành phố", "City"},    {"Quận", "Urban district"},
	{"Huyện", "Rural district"}, {"Thị xã", "Town"},    {"Phường", "Ward"},
	{"Xã", "Commune"},        {"Thị trấn", "Township"}, {"Đặc khu", "Special zone"},
};

static const char *kind_label(Req *r, const Unit *u)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (str_eq(u->kind, kinds[i].vi))
			return tr(r->lang, kinds[i].en);
	return u->kind;
}

static bool is_en(Req *r)
{
	return str_eq(r->lang, "en");
}

static void put_count(Req *r, long n)
{
	Buf b = BUF_INIT;
	if (is_en(r))
		text_format_int_en(&b, n);
	else
		text_format_int_vi(&b, n);
	html(r, "%s", buf_cstr(&b));
	buf_release(&b);
}

/* An ISO date as the reader expects it: 1/7/2025 in Vietnamese, ISO in
 * English (unambiguous). */
static void put_date(Req *r, const char *iso)
{
	Date d;
	if (is_en(r) || !date_parse_iso(iso, &d)) {
		html(r, "%s", iso);
		return;
	}
	Buf b = BUF_INIT;
	date_format_vi_short(&b, d);
	html(r, "%s", buf_cstr(&b));
	buf_release(&b);
}

static const char *era_label(Req *r, const Unit *u)
{
	return u->era == UNIT_ERA_NEW ? _("since 1 July 2025") : _("before 1 July 2025");
}

static const char *level_label(Req *r, const char *level)
{
	if (str_eq(level, UNIT_PROVINCE))
		return _("province level");
	if (str_eq(level, UNIT_DISTRICT))
		return _("district level");
	return _("commune level");
}

/* <a href="/units/ID">Phường Hồng Hà</a> */
static void unit_link(Req *r, const Unit *u)
{
	html(r, "<a href=\"/units/%lld\">%s</a>", (long long)u->id, u->full_name);
}

/* "Phường Hồng Hà (00097, Hà Nội)" with the province when it is not the
 * unit itself, and a "partial" badge for partial links. */
static void link_item(Req *r, const UnitLink *l)
{
	html(r, "<li>");
	unit_link(r, &l->unit);
	html(r, " <span class=\"muted\">(%s", l->unit.code);
	if (l->unit.province_id != l->unit.id && l->unit.province_name[0])
		html(r, ", %s", l->unit.province_name);
	html(r, ", %s)</span>", era_label(r, &l->unit));
	if (l->partial)
		html(r, " <span class=\"badge\" title=\"%s\">%s</span>",
		     _("Only part of the former unit's territory went here"), _("partial"));
	html(r, "</li>");
}

static void link_list(Req *r, const UnitLink *ls, size_t n)
{
	html(r, "<ul class=\"links\">");
	for (size_t i = 0; i < n; i++)
		link_item(r, &ls[i]);
	html(r, "</ul>");
}

/* A table of units: name, type, code, province, period. */
static void unit_table(Req *r, const Unit *v, size_t n)
{
	html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th></tr></thead><tbody>",
	     _("Unit name"), _("Type"), _("Code"), _("Province or city"), _("Period"));
	for (size_t i = 0; i < n; i++) {
		html(r, "<tr><td>");
		unit_link(r, &v[i]);
		html(r, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", kind_label(r, &v[i]),
		     v[i].code, v[i].province_id == v[i].id ? "" : v[i].province_name,
		     era_label(r, &v[i]));
	}
	html(r, "</tbody></table></div>");
}

/* ---- GET /units ------------------------------------------------------ */

static int parse_era(Req *r)
{
	int64_t era = 0;
	if (!req_int(r, "era", &era))
		return 0;
	return era == UNIT_ERA_OLD || era == UNIT_ERA_NEW ? (int)era : 0;
}

static void search_form(Req *r, const char *q, int era)
{
	html(r, "<form class=\"form\" method=\"get\" action=\"/units\" role=\"search\"><p>"
		"<label for=\"q\">%s</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"%s\""
		" maxlength=\"100\" placeholder=\"%s\"> ",
	     _("Find a unit by name"), q, _("e.g. thai binh"));
	html(r, "<label for=\"era\">%s</label> <select id=\"era\" name=\"era\">"
		"<option value=\"0\"%r>%s</option><option value=\"2025\"%r>%s</option>"
		"<option value=\"2020\"%r>%s</option></select> <button type=\"submit\">%s</button></p>"
		"<p class=\"muted\">%s</p></form>",
	     _("Period"), era == 0 ? " selected" : "", _("both periods"),
	     era == UNIT_ERA_NEW ? " selected" : "", _("since 1 July 2025"),
	     era == UNIT_ERA_OLD ? " selected" : "", _("before 1 July 2025"), _("Search"),
	     _("Accents are optional: \"thai binh\" finds \"Thái Bình\"."));
}

Rc ui_units_index(Req *r)
{
	const char *q = req_str(r, "q");
	int era = parse_era(r);
	if (strlen(q) > 200)
		return req_fail(r, RC_INVALID, _("The search text is too long"));
	page_begin(r, _("Administrative units"));
	html(r, "<h1>%s</h1>", _("Administrative units"));
	html(r, "<p>%s</p>", _("Since 1 July 2025 Vietnam has 34 provinces and cities and no "
			       "districts; communes, wards and special zones sit directly under them. "
			       "Units from before the reorganisation are kept with their successors."));
	search_form(r, q, era);
	html(r, "<p><a href=\"/units/resolve\">%s</a> · <a href=\"/regions\">%s</a></p>",
	     _("What is an old code today?"), _("Regions"));

	Rc rc;
	if (q[0]) {
		Unit *v;
		size_t n;
		if ((rc = unit_search(r->db, q, era, SEARCH_LIMIT, &v, &n)))
			return rc;
		html(r, "<section><h2>%s</h2>", _("Search results"));
		if (n == 0) {
			html(r, "<p class=\"notice\">%s</p>", _("No unit matches this name."));
		} else {
			html(r, "<p>");
			put_count(r, (long)n);
			html(r, " %s</p>", _("units found"));
			if (n == SEARCH_LIMIT)
				html(r, "<p class=\"muted\">%s</p>",
				     _("Only the first ones are shown; refine the search."));
			unit_table(r, v, n);
		}
		html(r, "</section>");
		free(v);
		page_end(r);
		return RC_OK;
	}

	UnitStat *ps;
	size_t n;
	bool old = era == UNIT_ERA_OLD;
	if ((rc = unit_provinces(r->db, old ? UNIT_ERA_OLD : 0, &ps, &n)))
		return rc;
	html(r, "<section><h2>%s</h2>",
	     old ? _("Provinces before 1 July 2025") : _("Provinces and cities in force"));
	if (old)
		html(r, "<p><a href=\"/units\">%s</a></p>", _("Show the provinces in force"));
	else
		html(r, "<p><a href=\"/units?era=2020\">%s</a></p>", _("Show the 63 provinces before 1 July 2025"));
	html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	     _("Code"), _("Unit name"), _("Type"));
	if (old)
		html(r, "<th scope=\"col\">%s</th>", _("Districts"));
	html(r, "<th scope=\"col\">%s</th></tr></thead><tbody>",
	     old ? _("Communes, wards and townships") : _("Communes, wards and special zones"));
	long total = 0;
	for (size_t i = 0; i < n; i++) {
		html(r, "<tr><td>%s</td><td>", ps[i].unit.code);
		unit_link(r, &ps[i].unit);
		html(r, "</td><td>%s</td>", kind_label(r, &ps[i].unit));
		if (old) {
			html(r, "<td class=\"num\">");
			put_count(r, ps[i].districts);
			html(r, "</td>");
		}
		html(r, "<td class=\"num\">");
		put_count(r, ps[i].communes);
		html(r, "</td></tr>");
		total += ps[i].communes;
	}
	html(r, "</tbody><tfoot><tr><th scope=\"row\" colspan=\"%d\">%s</th><td class=\"num\">",
	     old ? 4 : 3, _("Total"));
	put_count(r, total);
	html(r, "</td></tr></tfoot></table></div></section>");
	free(ps);
	page_end(r);
	return RC_OK;
}

/* ---- GET /units/{id} ------------------------------------------------- */

Rc ui_unit_show(Req *r)
{
	int64_t id;
	Unit u;
	if (r->nargs < 1 || !util_parse_i64(r->args[0], 1, INT64_MAX, &id))
		return req_fail(r, RC_NOT_FOUND, _("No such unit"));
	Rc rc = unit_load(r->db, id, &u);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("No such unit"));
	if (rc)
		return rc;
	char today[11];
	unit_today(today);
	bool in_force = unit_in_force(&u, today);

	Unit parent = {0};
	bool has_parent = u.parent_id && unit_load(r->db, u.parent_id, &parent) == RC_OK;
	UnitLink *succ = NULL, *now = NULL, *pred = NULL;
	size_t nsucc = 0, nnow = 0, npred = 0;
	Unit *kids = NULL;
	size_t nkids = 0;
	rc = unit_links(r->db, id, false, &succ, &nsucc);
	if (!rc && !in_force)
		rc = unit_successors(r->db, id, &now, &nnow);
	if (!rc)
		rc = unit_links(r->db, id, true, &pred, &npred);
	if (!rc)
		rc = unit_children(r->db, id, &kids, &nkids);
	if (rc)
		goto out;

	page_begin(r, u.full_name);
	html(r, "<nav class=\"breadcrumb\" aria-label=\"%s\"><a href=\"/units\">%s</a>",
	     _("Breadcrumb"), _("Administrative units"));
	if (u.province_id && u.province_id != u.id && u.province_id != u.parent_id)
		html(r, " › <a href=\"/units/%lld\">%s</a>", (long long)u.province_id, u.province_name);
	if (has_parent) {
		html(r, " › ");
		unit_link(r, &parent);
	}
	html(r, "</nav><h1>%s</h1>", u.full_name);
	if (!in_force && u.era == UNIT_ERA_OLD)
		html(r, "<p class=\"notice\">%s</p>",
		     _("This unit existed before the reorganisation of 1 July 2025."));
	else if (!in_force)
		html(r, "<p class=\"notice\">%s</p>", _("This unit is not in force today."));

	html(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s (%s)</dd><dt>%s</dt><dd>%s</dd>",
	     _("Type"), kind_label(r, &u), level_label(r, u.level), _("Code"), u.code);
	if (u.name_en[0])
		html(r, "<dt>%s</dt><dd lang=\"en\">%s</dd>", _("English name"), u.name_en);
	html(r, "<dt>%s</dt><dd>", _("In force from"));
	if (str_eq(u.valid_from, UNIT_OLD_FROM))
		html(r, "%s", _("not recorded (in force before the 2025 reorganisation)"));
	else
		put_date(r, u.valid_from);
	html(r, "</dd><dt>%s</dt><dd>", _("In force until"));
	if (u.valid_to[0])
		put_date(r, u.valid_to);
	else
		html(r, "%s", _("still in force"));
	html(r, "</dd>");
	if (has_parent) {
		html(r, "<dt>%s</dt><dd>", _("Part of"));
		unit_link(r, &parent);
		html(r, "</dd>");
	}
	html(r, "</dl><p><a href=\"/units/resolve?code=%u\">%s</a></p>", u.code,
	     _("Every unit with this code, in both periods"));

	if (!in_force) {
		html(r, "<section><h2>%s</h2>", _("What it is today"));
		if (nnow == 0)
			html(r, "<p>%s</p>", _("No successor is recorded."));
		else
			link_list(r, now, nnow);
		html(r, "</section>");
	}
	/* Direct successors are only worth a second list when they differ
	 * from today's units (a chain of several changes). */
	bool same = nsucc == nnow;
	for (size_t i = 0; same && i < nsucc; i++)
		same = succ[i].unit.id == now[i].unit.id;
	if (nsucc && !same) {
		html(r, "<section><h2>%s</h2>", _("Successors"));
		link_list(r, succ, nsucc);
		html(r, "</section>");
	}
	if (npred) {
		html(r, "<section><h2>%s</h2><p class=\"muted\">%s</p>", _("Formed from"),
		     _("\"partial\": only part of that former unit went into this one."));
		link_list(r, pred, npred);
		html(r, "</section>");
	}
	if (nkids) {
		html(r, "<section><h2>%s (", str_eq(kids[0].level, UNIT_DISTRICT) ? _("Districts") :
		     u.era == UNIT_ERA_OLD ? _("Communes, wards and townships") :
		     _("Communes, wards and special zones"));
		put_count(r, (long)nkids);
		html(r, ")</h2><ul class=\"columns\">");
		for (size_t i = 0; i < nkids; i++) {
			html(r, "<li>");
			unit_link(r, &kids[i]);
			html(r, " <span class=\"muted\">%s</span></li>", kids[i].code);
		}
		html(r, "</ul></section>");
	}
	page_end(r);
out:
	free(succ);
	free(now);
	free(pred);
	free(kids);
	return rc;
}

/* ---- GET /units/resolve ---------------------------------------------- */

Rc ui_units_resolve(Req *r)
{
	const char *code = req_str(r, "code");
	page_begin(r, _("What is an old code today?"));
	html(r, "<nav class=\"breadcrumb\"><a href=\"/units\">%s</a></nav><h1>%s</h1><p>%s</p>",
	     _("Administrative units"), _("What is an old code today?"),
	     _("Enter a statistics office (GSO) code: 2 digits for a province, 3 for a district "
	       "(before 2025), 5 for a commune or ward. A code may name one unit before 1 July 2025 "
	       "and another one after it; both are shown."));
	html(r, "<form class=\"form\" method=\"get\" action=\"/units/resolve\"><p>"
		"<label for=\"code\">%s</label> <input type=\"text\" id=\"code\" name=\"code\" value=\"%s\""
		" inputmode=\"numeric\" pattern=\"[0-9]{2,5}\" maxlength=\"5\" autocomplete=\"off\"> "
		"<button type=\"submit\">%s</button></p></form>",
	     _("Code"), code, _("Look up"));
	if (!code[0]) {
		page_end(r);
		return RC_OK;
	}
	if (!unit_code_valid(code)) {
		r->status = 400;
		html(r, "<p class=\"alert\">%s</p>", _("A code has 2, 3 or 5 digits."));
		page_end(r);
		return RC_OK;
	}
	UnitResolution *res;
	size_t n;
	Rc rc = unit_resolve_code(r->db, code, &res, &n);
	if (rc)
		return rc;
	if (n == 0)
		html(r, "<p class=\"notice\">%s</p>", _("No unit has this code."));
	char today[11];
	unit_today(today);
	for (size_t i = 0; i < n; i++) {
		const Unit *u = &res[i].unit;
		html(r, "<section><h2>");
		unit_link(r, u);
		html(r, "</h2><p>%s · %s", kind_label(r, u), era_label(r, u));
		if (u->province_id != u->id)
			html(r, " · %s", u->province_name);
		html(r, "</p>");
		if (unit_in_force(u, today)) {
			html(r, "<p>%s</p>", _("In force today."));
		} else if (res[i].nsucc == 0) {
			html(r, "<p>%s</p>", _("No successor is recorded."));
		} else {
			html(r, "<p>%s</p>", _("Today it is part of:"));
			link_list(r, res[i].succ, res[i].nsucc);
		}
		html(r, "</section>");
	}
	unit_resolutions_free(res, n);
	page_end(r);
	return RC_OK;
}

/* ---- GET /api/v1/units/resolve ---------------------------------------- */

static void json_unit(JsonW *w, const Unit *u)
{
	Buf url = BUF_INIT;
	buf_printf(&url, "/units/%lld", (long long)u->id);
	jw_key(w, "id"); jw_int(w, u->id);
	jw_key(w, "code"); jw_str(w, u->code);
	jw_key(w, "level"); jw_str(w, u->level);
	jw_key(w, "era"); jw_int(w, u->era);
	jw_key(w, "kind"); jw_str(w, u->kind);
	jw_key(w, "name"); jw_str(w, u->name);
	jw_key(w, "full_name"); jw_str(w, u->full_name);
	jw_key(w, "name_en"); jw_str(w, u->name_en);
	jw_key(w, "province_id"); jw_int(w, u->province_id);
	jw_key(w, "province_name"); jw_str(w, u->province_name);
	jw_key(w, "parent_id");
	if (u->parent_id)
		jw_int(w, u->parent_id);
	else
		jw_null(w);
	jw_key(w, "valid_from"); jw_str(w, u->valid_from);
	jw_key(w, "valid_to"); jw_str(w, u->valid_to[0] ? u->valid_to : NULL);
	jw_key(w, "url"); jw_str(w, buf_cstr(&url));
	buf_release(&url);
}

/*
 * {"code": "00007", "units": [{…unit…, "in_force": false,
 *   "successors": [{…unit…, "partial": true}, …]}, …]}
 * Newest era first.  400 for a malformed code, 404 when no unit has it.
 */
Rc api_units_resolve(Req *r)
{
	const char *code = req_str(r, "code");
	if (!unit_code_valid(code))
		return req_fail(r, RC_INVALID, _("A code has 2, 3 or 5 digits."));
	UnitResolution *res;
	size_t n;
	Rc rc = unit_resolve_code(r->db, code, &res, &n);
	if (rc)
		return rc;
	if (n == 0) {
		unit_resolutions_free(res, n);
		return req_fail(r, RC_NOT_FOUND, _("No unit has this code."));
	}
	char today[11];
	unit_today(today);
	r->out_type = "application/json; charset=utf-8";
	JsonW w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "code"); jw_str(&w, code);
	jw_key(&w, "units"); jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(&w);
		json_unit(&w, &res[i].unit);
		jw_key(&w, "in_force"); jw_bool(&w, unit_in_force(&res[i].unit, today));
		jw_key(&w, "successors"); jw_arr(&w);
		for (size_t j = 0; j < res[i].nsucc; j++) {
			jw_obj(&w);
			json_unit(&w, &res[i].succ[j].unit);
			jw_key(&w, "partial"); jw_bool(&w, res[i].succ[j].partial);
			jw_end(&w);
		}
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	unit_resolutions_free(res, n);
	buf_putc(&r->out, '\n');
	return jw_finished(&w) && buf_ok(&r->out) ? RC_OK : RC_INTERNAL;
}

/* ---- regions --------------------------------------------------------- */

static const char *region_name(Req *r, const Region *g)
{
	return is_en(r) && g->name_en[0] ? g->name_en : g->name;
}

Rc ui_regions_index(Req *r)
{
	Region *v;
	size_t n;
	Rc rc = region_list(r->db, &v, &n);
	if (rc)
		return rc;
	page_begin(r, _("Regions"));
	html(r, "<h1>%s</h1><p>%s</p>", _("Regions"),
	     _("A region is a named set of provinces. Regions made of provinces from before "
	       "1 July 2025 are shown with the provinces in force that their communes belong to today."));
	if (n == 0) {
		html(r, "<p class=\"notice\">%s</p>", _("No region is defined yet."));
	} else {
		html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     _("Region name"), _("Code"), _("Provinces"));
		for (size_t i = 0; i < n; i++) {
			html(r, "<tr><td><a href=\"/regions/%u\">%s</a>", v[i].code, region_name(r, &v[i]));
			if (v[i].builtin)
				html(r, " <span class=\"badge\">%s</span>", _("built in"));
			html(r, "</td><td>%s</td><td class=\"num\">", v[i].code);
			put_count(r, v[i].members);
			html(r, "</td></tr>");
		}
		html(r, "</tbody></table></div>");
	}
	free(v);
	page_end(r);
	return RC_OK;
}

Rc ui_region_show(Req *r)
{
	Region g;
	if (r->nargs < 1)
		return req_fail(r, RC_NOT_FOUND, _("No such region"));
	Rc rc = region_load(r->db, r->args[0], &g);
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("No such region"));
	if (rc)
		return rc;
	Unit *m = NULL;
	size_t nm = 0, ns = 0;
	RegionShare *s = NULL;
	rc = region_members(r->db, g.id, &m, &nm);
	if (!rc)
		rc = region_resolve(r->db, g.code, &s, &ns);
	if (rc) {
		free(m);
		return rc;
	}
	page_begin(r, region_name(r, &g));
	html(r, "<nav class=\"breadcrumb\"><a href=\"/regions\">%s</a></nav><h1>%s</h1>",
	     _("Regions"), region_name(r, &g));
	if (str_eq(g.code, REGION_DBSH11))
		html(r, "<p>%s</p>",
		     _("The 11-province socio-economic Red River Delta region as used in national "
		       "planning before 2025. No official grouping after 1 July 2025 was found, so it is "
		       "shown through the mapping of communes to the provinces in force."));

	html(r, "<section><h2>%s (", _("Member provinces"));
	put_count(r, (long)nm);
	html(r, ")</h2><ul class=\"columns\">");
	for (size_t i = 0; i < nm; i++) {
		html(r, "<li>");
		unit_link(r, &m[i]);
		html(r, " <span class=\"muted\">(%s, %s)</span></li>", m[i].code, era_label(r, &m[i]));
	}
	html(r, "</ul></section>");

	html(r, "<section><h2>%s</h2><p class=\"muted\">%s</p>", _("Provinces in force today"),
	     _("For each province: how many of its communes, wards and special zones come wholly or "
	       "partly from the region's units."));
	if (ns == 0) {
		html(r, "<p class=\"notice\">%s</p>", _("The region has no member in force."));
	} else {
		html(r, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
			"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			"<th scope=\"col\"></th></tr></thead><tbody>",
		     _("Code"), _("Province or city"), _("Communes from the region"),
		     _("Communes in total"));
		for (size_t i = 0; i < ns; i++) {
			bool whole = s[i].communes_from_region == s[i].communes_total;
			html(r, "<tr><td>%s</td><td>", s[i].province.code);
			unit_link(r, &s[i].province);
			html(r, "</td><td class=\"num\">");
			put_count(r, s[i].communes_from_region);
			html(r, "</td><td class=\"num\">");
			put_count(r, s[i].communes_total);
			html(r, "</td><td>%s</td></tr>", whole ? _("wholly") : _("partly"));
		}
		html(r, "</tbody></table></div>");
	}
	html(r, "</section>");
	free(m);
	free(s);
	page_end(r);
	return RC_OK;
}
