/*
 * cases_public.c — what a citizen sees without signing in: the form that
 * sends a petition, complaint or denunciation (/gui-don), and the
 * tracking page reached with the tracking code (/tra-cuu), where the
 * citizen reads the status and the replies, adds information, rates the
 * answer and appeals where the law allows.  Also the helpers the staff
 * pages share (form errors, dates, labels, files, places, deadlines).
 *
 * Privacy.  The tracking code is the only key to a case, so it is a
 * secret: every page here is Cache-Control: no-store, and the tracking
 * page shows no personal data (case_load_public returns none) and not the
 * citizen's own text either, which may name people.  Attachments a
 * citizen sends are never public; only files staff mark public (decision
 * documents) can be downloaded with the code.
 *
 * The form without JavaScript.  Which fields are required depends on the
 * kind (shared domain.md §1.1–1.2): a complaint needs the complainant's
 * name, address and signature; a denunciation needs them too unless the
 * citizen chooses to send it without a name, in which case it is received
 * as information and not handled as a denunciation (Law 25/2018 Art. 25).
 * The hints say so next to each field, and the server checks it and
 * answers with the form again, every value kept (files must be chosen
 * again: browsers cannot refill a file input), an error summary on top
 * linking to each field and each message tied to its field.
 *
 * A successful submission redirects (303) to the tracking page with
 * ?moi=1, which shows the code large with a note to keep it, so a reload
 * never sends the petition twice.
 */
#include "cases.h"
#include "../jobs/intake_builder.h"
#include "../store/db_group.h"
#include "page.h"
#include "../base/date.h"
#include "../base/text.h"
#include "../domain/case_detail.h"
#include "../domain/deadline.h"
#include "../domain/outbox.h"
#include "../domain/unit.h"
#include "../domain/admin.h"

/* ==== shared helpers ===================================================== */

void cases_error_add(CasesErrors *e, const char *field, const char *msg)
{
	if (e->n >= CASES_ERRORS_MAX)
		return;
	e->field[e->n] = field ? field : "";
	e->msg[e->n] = msg;
	e->n++;
}

const char *cases_error_for(const CasesErrors *e, const char *field)
{
	for (int i = 0; e && i < e->n; i++)
		if (str_eq(e->field[i], field))
			return e->msg[i];
	return NULL;
}

void cases_error_summary(Req *r, const CasesErrors *e)
{
	if (!e || e->n == 0)
		return;
	/* Focus moves here on load (autofocus), so a screen-reader user hears
	 * the problems first and each links to its field. */
	html(r, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
		"aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">%s</h2><ul>",
	     _("Please correct the following"));
	for (int i = 0; i < e->n; i++) {
		if (e->field[i][0])
			html(r, "<li><a href=\"#%s\">%s</a></li>", e->field[i], e->msg[i]);
		else
			html(r, "<li>%s</li>", e->msg[i]);
	}
	html(r, "</ul></div>");
}

void cases_error_text(Req *r, const CasesErrors *e, const char *field)
{
	const char *msg = cases_error_for(e, field);
	if (msg)
		html(r, "<span class=\"field-error\" id=\"%s-error\"><span class=\"visually-hidden\">%s </span>%s</span>",
		     field, _("Error:"), msg);
}

void cases_error_attrs(Req *r, const CasesErrors *e, const char *field, bool has_hint)
{
	bool err = cases_error_for(e, field) != NULL;
	if (has_hint && err)
		html(r, " aria-describedby=\"%s-hint %s-error\" aria-invalid=\"true\"", field, field);
	else if (err)
		html(r, " aria-describedby=\"%s-error\" aria-invalid=\"true\"", field);
	else if (has_hint)
		html(r, " aria-describedby=\"%s-hint\"", field);
}

bool cases_arg_id(Req *r, int i, int64_t *id)
{
	return i < r->nargs && util_parse_i64(r->args[i], 1, INT64_MAX, id);
}

void cases_date(Req *r, const char *iso)
{
	Date d;
	if (!iso || !*iso)
		return;
	if (!date_parse_iso(iso, &d)) {
		html(r, "%s", iso);
		return;
	}
	Buf b = BUF_INIT;
	date_format_vi_short(&b, d);
	html(r, "<time datetime=\"%s\">%s</time>", iso, buf_cstr(&b));
	buf_release(&b);
}

void cases_time(Req *r, int64_t t)
{
	Date d = date_vn_from_unix(t);
	int64_t secs = (t + VN_UTC_OFFSET_SECONDS) % 86400;
	if (secs < 0)
		secs += 86400;
	Buf iso = BUF_INIT;
	date_format_vn_timestamp(&iso, t);
	html(r, "<time datetime=\"%s\">%d/%d/%d %02d:%02d</time>", buf_cstr(&iso), d.d, d.m, d.y,
	     (int)(secs / 3600), (int)(secs / 60 % 60));
	buf_release(&iso);
}

void cases_today(char out[11])
{
	Buf b = BUF_INIT;
	date_format_iso(&b, date_vn_from_unix(util_now()));
	xsnprintf(out, 11, "%s", buf_cstr(&b));
	buf_release(&b);
}

const char *cases_kind(Req *r, CaseKind k)
{
	const char *l = case_kind_label(k);
	return l && *l ? _(l) : case_kind_id(k);
}

const char *cases_status(Req *r, const char *status)
{
	const char *l = case_status_label(status);
	return l ? _(l) : status;
}

const char *cases_channel(Req *r, const char *channel)
{
	const char *l = case_channel_label(channel);
	return l ? _(l) : channel;
}

const char *cases_action(Req *r, const char *action)
{
	const char *l = case_action_label(action);
	return l ? _(l) : action;
}

const char *cases_step(Req *r, CaseKind kind, const char *step)
{
	const char *l = deadline_step_label(case_kind_id(kind), step);
	return l && *l ? _(l) : step;
}

const unsigned cases_criteria[7] = {
	CRIT_MULTI_PLACE, CRIT_MULTI_ALLEGATION, CRIT_MANY_PEOPLE, CRIT_FOREIGN,
	CRIT_MULTI_AGENCY, CRIT_AGENCIES_DISAGREE, CRIT_CONTRADICTORY,
};

const char *cases_criterion(Req *r, unsigned bit)
{
	switch (bit) {
	case CRIT_MULTI_PLACE: return _("Verification is needed at two or more places");
	case CRIT_MULTI_ALLEGATION: return _("Two or more allegations");
	case CRIT_MANY_PEOPLE: return _("Many denouncers, or the interests of many people are involved");
	case CRIT_FOREIGN: return _("A foreign element");
	case CRIT_MULTI_AGENCY: return _("Several agencies are responsible");
	case CRIT_AGENCIES_DISAGREE: return _("The agencies responsible disagree");
	case CRIT_CONTRADICTORY: return _("The evidence is contradictory");
	default: return "";
	}
}

/* Sniffed types: their label and the extension a download gets.  Stored
 * types may be cut to 63 bytes (attachment.h), hence the prefix match. */
static const struct {
	const char *prefix, *label, *ext;
} types[] = {
	{"image/jpeg", "Photo (JPEG)", "jpg"},
	{"image/png", "Image (PNG)", "png"},
	{"image/gif", "Image (GIF)", "gif"},
	{"image/webp", "Image (WebP)", "webp"},
	{"application/pdf", "PDF document", "pdf"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml", "Word document", "docx"},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml", "Excel workbook", "xlsx"},
	{"application/vnd.openxmlformats-officedocument.presentationml", "PowerPoint presentation", "pptx"},
	{"application/msword", "Word document", "doc"},
	{"application/vnd.ms-excel", "Excel workbook", "xls"},
	{"application/vnd.ms-powerpoint", "PowerPoint presentation", "ppt"},
};

const char *cases_type_label(Req *r, const char *content_type)
{
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (str_starts(content_type, types[i].prefix))
			return _(types[i].label);
	return content_type;
}

const char *cases_type_ext(const char *content_type)
{
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (str_starts(content_type, types[i].prefix))
			return types[i].ext;
	return "bin";
}

void cases_size(Req *r, int64_t bytes)
{
	bool en = str_eq(r->lang, "en");
	if (bytes < 1024)
		html(r, "%lld B", (long long)bytes);
	else if (bytes < 1024 * 1024)
		html(r, "%lld KB", (long long)((bytes + 1023) / 1024));
	else {
		int64_t tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);
		html(r, "%lld%r%lld MB", (long long)(tenths / 10), en ? "." : ",",
		     (long long)(tenths % 10));
	}
}

/* ---- files ---------------------------------------------------------------- */

static bool is_file_part(const Param *p)
{
	/* A file input left empty still sends a part with filename="" and no
	 * bytes: that is "no file", not an empty file. */
	return str_eq(p->name, "files") && p->filename && (p->filename[0] || p->value_len);
}

Rc cases_files_check(Req *r, size_t max, size_t *n, const char **problem)
{
	*n = 0;
	*problem = NULL;
	for (size_t i = 0; i < r->form.count; i++) {
		const Param *p = &r->form.items[i];
		if (!is_file_part(p))
			continue;
		if (++*n > max) {
			*problem = max == CASES_WEB_FILES_MAX ? _("You can attach at most 5 files.")
							      : _("A case can have at most 10 attached files.");
			return RC_TOO_LARGE;
		}
		if (p->value_len > ATTACHMENT_MAX_BYTES) {
			*problem = _("Each file must be 5 MB or smaller.");
			return RC_TOO_LARGE;
		}
		if (p->value_len == 0) {
			*problem = _("The file is empty.");
			return RC_INVALID;
		}
		if (!attachment_sniff((const unsigned char *)p->value, p->value_len)) {
			*problem = _("This type of file is not accepted. Send photos (JPEG, PNG, GIF, WebP), PDF or office documents (Word, Excel, PowerPoint) without macros.");
			return RC_INVALID;
		}
	}
	return RC_OK;
}

Rc cases_files_store(Req *r, Db *db, int64_t case_id, int64_t event_id, bool public_)
{
	for (size_t i = 0; i < r->form.count; i++) {
		const Param *p = &r->form.items[i];
		if (!is_file_part(p))
			continue;
		const char *problem = NULL;
		Rc rc = attachment_add(db, case_id, event_id, p->filename,
				       (const unsigned char *)p->value, p->value_len, public_, NULL,
				       &problem);
		if (rc)
			return problem ? req_fail(r, rc, _(problem)) : rc;
	}
	return RC_OK;
}

void cases_send_file(Req *r, Attachment *a)
{
	/* The type comes from the bytes being sent, not from the stored
	 * label (which may be cut short), so the header always matches. */
	const char *type = attachment_sniff(a->data, (size_t)a->size);
	if (!type)
		type = "application/octet-stream";
	const char *ext = cases_type_ext(type);
	/* The display name, with the extension the content really has: a PDF
	 * sent as "anh.exe" downloads as "anh.exe.pdf". */
	Buf name = BUF_INIT;
	buf_puts(&name, a->filename);
	const char *dot = strrchr(a->filename, '.');
	bool ext_ok = dot && strcasecmp(dot + 1, ext) == 0;
	if (!ext_ok && str_eq(ext, "jpg") && dot && strcasecmp(dot + 1, "jpeg") == 0)
		ext_ok = true;
	if (!ext_ok)
		buf_printf(&name, ".%s", ext);
	/* ASCII fallback for old clients: the folded slug of the stem. */
	char *stem = xstrndup(buf_cstr(&name), strrchr(buf_cstr(&name), '.') - buf_cstr(&name));
	char *slug = text_slug(stem, 80);
	Buf cd = BUF_INIT;
	buf_printf(&cd, "attachment; filename=\"%s.%s\"; filename*=UTF-8''%u",
		   *slug ? slug : "tep-dinh-kem", ext, buf_cstr(&name));
	req_header(r, "Content-Disposition", buf_cstr(&cd));
	buf_release(&cd);
	free(slug);
	free(stem);
	buf_release(&name);
	r->cache_control = "no-store";
	/* A download is not HTML: the bytes go out as they are. */
	req_send_bytes(r, type, a->data, (size_t)a->size);
}

/* ---- places --------------------------------------------------------------- */

Rc cases_place_fields(Req *r, const CasesErrors *e, int64_t province_id, const char *commune,
		      int64_t unit_id)
{
	UnitStat *prov = NULL;
	size_t n = 0;
	Rc rc = unit_provinces(r->db, UNIT_ERA_NEW, &prov, &n);
	if (rc)
		return rc;
	html(r, "<fieldset class=\"place\"><legend>%s</legend><p class=\"hint\" id=\"commune-hint\">%s</p>",
	     _("Where is this about?"),
	     _("Choose the province or city, then type the name of the commune, ward or special zone (or its 5-digit code). Leave it empty if you do not know."));
	html(r, "<p><label for=\"province_id\">%s</label>", _("Province or city"));
	cases_error_text(r, e, "province_id");
	html(r, "<select id=\"province_id\" name=\"province_id\"");
	cases_error_attrs(r, e, "province_id", false);
	html(r, "><option value=\"\">%s</option>", _("Choose…"));
	for (size_t i = 0; i < n; i++)
		html(r, "<option value=\"%lld\"%r>%s</option>", (long long)prov[i].unit.id,
		     prov[i].unit.id == province_id ? " selected" : "", prov[i].unit.full_name);
	html(r, "</select></p>");
	free(prov);
	html(r, "<p><label for=\"commune\">%s</label>", _("Commune, ward or special zone"));
	cases_error_text(r, e, "commune");
	html(r, "<input id=\"commune\" name=\"commune\" maxlength=\"100\" autocomplete=\"off\" value=\"%s\"",
	     commune ? commune : "");
	cases_error_attrs(r, e, "commune", true);
	html(r, "></p>");
	if (unit_id)
		html(r, "<input type=\"hidden\" name=\"unit_id\" value=\"%lld\">", (long long)unit_id);
	html(r, "</fieldset>");
	return RC_OK;
}

void cases_place_choices(Req *r, const Unit *u, size_t n)
{
	if (!n)
		return;
	html(r, "<fieldset class=\"choices\" id=\"unit_choice\"><legend>%s</legend>",
	     _("Several places match: choose one"));
	for (size_t i = 0; i < n; i++)
		html(r, "<div class=\"choice\"><input type=\"radio\" id=\"unit-%lld\" name=\"unit_id\" "
			"value=\"%lld\"><label for=\"unit-%lld\">%s, %s</label></div>",
		     (long long)u[i].id, (long long)u[i].id, (long long)u[i].id, u[i].full_name,
		     u[i].province_name);
	html(r, "</fieldset>");
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* RC_OK for a unit in force today at the given level (and inside the
 * province, when one is given), RC_NOT_FOUND for any other, else the
 * database's error. */
static Rc unit_usable(Req *r, int64_t id, const char *level, int64_t province_id, Unit *u)
{
	char today[11];
	cases_today(today);
	Rc rc = unit_load(r->db, id, u);
	if (rc)
		return rc;
	return str_eq(u->level, level) && unit_in_force(u, today) &&
	       (!province_id || u->province_id == province_id) ? RC_OK : RC_NOT_FOUND;
}

/* Communes whose name matches `text` inside the province (0 = any).
 * When some match the name exactly (folded: "hong ha" = "Hồng Hà"), only
 * those are kept, so "Hồng Hà" does not also offer "Hồng Hải". */
static Rc communes_named(Req *r, const char *text, int64_t province_id, Unit **out, size_t *n)
{
	Unit *all = NULL;
	size_t count = 0, kept = 0, exact = 0;
	*out = NULL;
	*n = 0;
	Rc rc = unit_search(r->db, text, UNIT_ERA_NEW, 200, &all, &count);
	if (rc)
		return rc;
	char *want = text_search_key(text);
	bool *same = xcalloc(count ? count : 1, sizeof *same);
	for (size_t i = 0; i < count; i++) {
		if (!str_eq(all[i].level, UNIT_COMMUNE) ||
		    (province_id && all[i].province_id != province_id))
			continue;
		char *a = text_search_key(all[i].name), *b = text_search_key(all[i].full_name);
		same[kept] = str_eq(a, want) || str_eq(b, want);
		exact += same[kept];
		free(a);
		free(b);
		all[kept++] = all[i];
	}
	if (exact) {
		size_t j = 0;
		for (size_t i = 0; i < kept; i++)
			if (same[i])
				all[j++] = all[i];
		kept = j;
	}
	free(same);
	free(want);
	*out = all;
	*n = kept;
	return RC_OK;
}

Rc cases_place_resolve(Req *r, CasesErrors *e, int64_t *unit_id, Unit **choices, size_t *nchoices)
{
	int64_t province_id = 0, picked = 0;
	const char *pv = req_str(r, "province_id"), *uv = req_str(r, "unit_id");
	char *commune = text_trim(xstrdup(req_str(r, "commune")));
	Unit u;
	Rc rc = RC_OK;
	*unit_id = 0;
	*choices = NULL;
	*nchoices = 0;
	if (*pv) {
		rc = util_parse_i64(pv, 1, INT64_MAX, &province_id)
			? unit_usable(r, province_id, UNIT_PROVINCE, 0, &u) : RC_NOT_FOUND;
		if (rc == RC_NOT_FOUND) {
			rc = RC_OK;
			cases_error_add(e, "province_id", _("Choose a province or city from the list."));
			goto done;
		}
		if (rc)
			goto done;
	}
	if (*uv && util_parse_i64(uv, 1, INT64_MAX, &picked)) {
		rc = unit_usable(r, picked, UNIT_COMMUNE, province_id, &u);
		if (rc == RC_OK)
			*unit_id = picked;
		if (rc != RC_NOT_FOUND)
			goto done;
		rc = RC_OK;
	}
	if (*commune && all_digits(commune, 5)) {
		int64_t id = 0;
		rc = admin_unit_by_code(r->db, commune, &id);
		if (rc == RC_OK)
			rc = unit_usable(r, id, UNIT_COMMUNE, province_id, &u);
		if (rc == RC_OK)
			*unit_id = id;
		else if (rc == RC_NOT_FOUND || rc == RC_INVALID) {
			rc = RC_OK;
			cases_error_add(e, "commune", _("No commune or ward in force has this code in the chosen province."));
		}
		goto done;
	}
	if (*commune) {
		Unit *found = NULL;
		size_t n = 0;
		if ((rc = communes_named(r, commune, province_id, &found, &n)))
			goto done;
		if (n == 1) {
			*unit_id = found[0].id;
			free(found);
		} else if (n == 0) {
			free(found);
			cases_error_add(e, "commune", province_id
				? _("No commune or ward of this name was found in the chosen province.")
				: _("No commune or ward of this name was found. Choose the province first, or check the spelling."));
		} else {
			*choices = found;
			*nchoices = n > 30 ? 30 : n;
			cases_error_add(e, "commune", _("Several communes or wards have this name: choose one below, or choose the province first."));
		}
		goto done;
	}
	*unit_id = province_id;
done:
	free(commune);
	return rc;
}

/* ---- kinds and criteria --------------------------------------------------- */

/* What each kind is and what it needs (shared domain.md §1.1, §1.2, §1.4). */
static const char *kind_hint(Req *r, CaseKind k)
{
	switch (k) {
	case KIND_PETITION:
		return _("You give information, views or proposals about how policies, laws or public management are carried out, or report a problem. Needed: your name and a way to answer you (address, telephone or e-mail); you may also send it without your name, but then you get no answer.");
	case KIND_COMPLAINT:
		return _("You ask for a review of an administrative decision or act that directly affects your rights. Needed: your full name, address and signature. Complain within 90 days of learning of the decision (Law on Complaints 2011, Art. 8–9).");
	case KIND_DENUNCIATION:
		return _("You report a violation of the law by an official, an agency or anyone else. Needed: your full name, address and signature; the law keeps your identity secret (Law on Denunciations 2018, Art. 8 and 47–56). Information sent without a name is received but not handled as a denunciation (Art. 25).");
	default:
		return "";
	}
}

void cases_kind_fieldset(Req *r, const CasesErrors *e, int kind, bool explain)
{
	html(r, "<fieldset class=\"kinds\" id=\"kind\"");
	if (cases_error_for(e, "kind"))
		html(r, " aria-describedby=\"kind-error\"");
	html(r, "><legend>%s</legend>", explain ? _("What are you sending?") : _("Kind of submission"));
	cases_error_text(r, e, "kind");
	for (int k = 0; k < KIND_COUNT; k++) {
		const char *id = case_kind_id((CaseKind)k);
		html(r, "<div class=\"choice\"><input type=\"radio\" id=\"kind-%s\" name=\"kind\" value=\"%s\" required%r",
		     id, id, k == kind ? " checked" : "");
		if (explain)
			html(r, " aria-describedby=\"kind-%s-hint\"", id);
		html(r, "><label for=\"kind-%s\">%s", id, cases_kind(r, (CaseKind)k));
		/* In English, the Vietnamese term too: it is the word on paper. */
		if (str_eq(r->lang, "en"))
			html(r, " (<span lang=\"vi\">%s</span>)", tr("vi", case_kind_label((CaseKind)k)));
		html(r, "</label>");
		if (explain)
			html(r, "<p class=\"hint\" id=\"kind-%s-hint\">%s</p>", id, kind_hint(r, (CaseKind)k));
		html(r, "</div>");
	}
	html(r, "</fieldset>");
}

void cases_criteria_fieldset(Req *r, unsigned criteria, bool remote)
{
	html(r, "<fieldset class=\"criteria\"><legend>%s</legend><p class=\"hint\">%s</p>",
	     _("Complexity (Decree 31/2019, Art. 3)"),
	     _("One criterion makes a case complex and two or more especially complex; the time limits are longer."));
	for (size_t i = 0; i < ARRAY_LEN(cases_criteria); i++) {
		unsigned bit = cases_criteria[i];
		/* (%u is URL-encoding in our printf: integers go through %d) */
		html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"crit-%d\" name=\"crit\" "
			"value=\"%d\"%r><label for=\"crit-%d\">%s</label></div>",
		     (int)bit, (int)bit, (criteria & bit) ? " checked" : "", (int)bit,
		     cases_criterion(r, bit));
	}
	html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"remote\" name=\"remote\" value=\"1\"%r>"
		"<label for=\"remote\">%s</label></div></fieldset>",
	     remote ? " checked" : "", _("Remote or hard-to-reach area (longer time limits)"));
}

unsigned cases_criteria_param(Req *r)
{
	unsigned bits = 0;
	const Params *p = r->method == M_GET ? &r->query : &r->form;
	for (size_t i = 0; i < p->count; i++) {
		int64_t v;
		if (str_eq(p->items[i].name, "crit") && !p->items[i].filename &&
		    util_parse_i64(p->items[i].value, 1, 64, &v))
			for (size_t k = 0; k < ARRAY_LEN(cases_criteria); k++)
				if ((unsigned)v == cases_criteria[k])
					bits |= (unsigned)v;
	}
	return bits;
}

/* ---- deadlines ------------------------------------------------------------ */

static const char *deadline_state(Req *r, const CaseDeadline *d)
{
	if (d->overdue)
		return _("Overdue");
	if (str_eq(d->state, "open"))
		return _("In progress");
	if (str_eq(d->state, "met"))
		return _("Done");
	if (str_eq(d->state, "missed"))
		return _("Done late");
	if (str_eq(d->state, "paused"))
		return _("Paused");
	if (str_eq(d->state, "cancelled"))
		return _("No longer needed");
	return d->state;
}

Rc cases_deadline_table(Req *r, const Case *c, bool public_)
{
	CaseDeadline *d = NULL;
	size_t n = 0;
	Rc rc = case_deadlines(r->db, c->id, &d, &n);
	if (rc)
		return rc;
	html(r, "<section aria-labelledby=\"deadlines-h\"><h2 id=\"deadlines-h\">%s</h2>",
	     _("Time limits"));
	if (!n) {
		html(r, "<p>%s</p></section>", _("No statutory time limit is running at the moment."));
		return RC_OK;
	}
	/* focusable, so keyboard users can scroll it on a narrow screen */
	html(r, "<div class=\"table-wrap\" tabindex=\"0\">"
		"<table class=\"deadlines\"><thead><tr><th scope=\"col\">%s</th>", _("Step"));
	if (!public_)
		html(r, "<th scope=\"col\">%s</th>", _("Started"));
	html(r, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"</tr></thead><tbody>", _("Due by"), _("State"), _("Legal basis"));
	for (size_t i = 0; i < n; i++) {
		html(r, "<tr><td>%s</td>", cases_step(r, c->kind, d[i].step));
		if (!public_) {
			html(r, "<td>");
			cases_date(r, d[i].starts_on);
			html(r, "</td>");
		}
		html(r, "<td>");
		cases_date(r, d[i].due_on);
		html(r, "</td><td><span class=\"badge%r\">%s</span>",
		     d[i].overdue ? " badge-overdue" : "", deadline_state(r, &d[i]));
		if (d[i].met_on[0]) {
			html(r, " ");
			cases_date(r, d[i].met_on);
		}
		html(r, "</td><td lang=\"vi\">%s</td></tr>", d[i].basis);
	}
	html(r, "</tbody></table></div></section>");
	case_deadlines_free(d, n);
	return RC_OK;
}

/* ==== the intake form ==================================================== */

/* What the citizen typed, kept for the form shown again. */
typedef struct WebInput {
	int kind;              /* -1 = not chosen */
	bool anonymous, signed_;
	int64_t province_id;
} WebInput;

static void read_web_input(Req *r, WebInput *in)
{
	CaseKind k;
	in->kind = case_kind_parse(req_str(r, "kind"), &k) ? (int)k : -1;
	in->anonymous = str_eq(req_param(r, "anonymous"), "1");
	in->signed_ = str_eq(req_param(r, "signed"), "1");
	if (!util_parse_i64(req_str(r, "province_id"), 1, INT64_MAX, &in->province_id))
		in->province_id = 0;
}

/* A text input with label, optional hint, error and kept value. */
static void text_field(Req *r, const CasesErrors *e, const char *id, const char *label,
		       const char *hint, const char *type, int maxlen, const char *autocomplete)
{
	html(r, "<p><label for=\"%s\">%s</label>", id, label);
	if (hint)
		html(r, "<span class=\"hint\" id=\"%s-hint\">%s</span>", id, hint);
	cases_error_text(r, e, id);
	html(r, "<input type=\"%s\" id=\"%s\" name=\"%s\" maxlength=\"%d\" autocomplete=\"%s\" value=\"%s\"",
	     type, id, id, maxlen, autocomplete, req_str(r, id));
	cases_error_attrs(r, e, id, hint != NULL);
	html(r, "></p>");
}

static void web_about_you(Req *r, const CasesErrors *e, const WebInput *in)
{
	html(r, "<fieldset class=\"about\"><legend>%s</legend><p class=\"hint\">%s</p>",
	     _("About you"),
	     _("Give your full name and a way to answer you. A complaint, and a denunciation sent with your name, need your address. Your details are never shown on the tracking page."));
	html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"anonymous\" name=\"anonymous\" value=\"1\"%r",
	     in->anonymous ? " checked" : "");
	cases_error_attrs(r, e, "anonymous", true);
	html(r, "><label for=\"anonymous\">%s</label>", _("Send without my name"));
	html(r, "<p class=\"hint\" id=\"anonymous-hint\">%s</p>",
	     _("Possible for a petition or for information about a violation; nothing about you is kept, so you get no answer and no receipt. A complaint cannot be anonymous, and information sent without a name is not handled as a denunciation."));
	cases_error_text(r, e, "anonymous");
	html(r, "</div>");
	text_field(r, e, "name", _("Full name"), NULL, "text", CASE_NAME_MAX, "name");
	text_field(r, e, "address", _("Address"), _("Where letters reach you: house number, street or village, commune, province."),
		   "text", CASE_ADDRESS_MAX, "street-address");
	text_field(r, e, "phone", _("Telephone (optional)"), NULL, "tel", 20, "tel");
	text_field(r, e, "email", _("E-mail (optional)"),
		   _("We send a receipt with your tracking code to this address; not for denunciations (to protect your identity) nor for submissions without a name."),
		   "email", OUTBOX_ADDR_MAX, "email");
	text_field(r, e, "id_number", _("Citizen identity card number (optional)"),
		   _("12 digits (or 9 for an old card). It helps recognise a petition you sent before."),
		   "text", 12, "off");
	html(r, "</fieldset>");
}

static void web_signature(Req *r, const CasesErrors *e, const WebInput *in)
{
	html(r, "<fieldset class=\"signature\"><legend>%s</legend>", _("Signature"));
	cases_error_text(r, e, "signed");
	html(r, "<div class=\"choice\"><input type=\"checkbox\" id=\"signed\" name=\"signed\" value=\"1\"%r",
	     in->signed_ ? " checked" : "");
	cases_error_attrs(r, e, "signed", true);
	html(r, "><label for=\"signed\">%s</label><p class=\"hint\" id=\"signed-hint\">%s</p></div></fieldset>",
	     _("I sign this petition"),
	     _("On the web, ticking this box stands for your signature: you declare that what you wrote is true. A complaint or a denunciation must be signed."));
}

static void web_files(Req *r, const CasesErrors *e, bool resubmit)
{
	html(r, "<p><label for=\"files\">%s</label><span class=\"hint\" id=\"files-hint\">%s",
	     _("Attached documents (optional)"),
	     _("Photos (JPEG, PNG, GIF, WebP), PDF, Word, Excel or PowerPoint; at most 5 files of up to 5 MB each."));
	if (resubmit)
		html(r, " <strong>%s</strong>", _("If you had chosen files, choose them again."));
	html(r, "</span>");
	cases_error_text(r, e, "files");
	html(r, "<input type=\"file\" id=\"files\" name=\"files\" multiple "
		"accept=\".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx\"");
	cases_error_attrs(r, e, "files", true);
	html(r, "></p>");
}

static Rc web_form(Req *r, const CasesErrors *e, const WebInput *in, const Unit *choices,
		   size_t nchoices)
{
	r->cache_control = "no-store";
	page_begin(r, _("Send a petition, complaint or denunciation"));
	html(r, "<div class=\"cases-public\"><h1>%s</h1>", _("Send a petition, complaint or denunciation"));
	cases_error_summary(r, e);
	html(r, "<p class=\"lead\">%s</p><p>%s <a href=\"/tra-cuu\">%s</a></p>",
	     _("You can write to the authorities here without an account. You will get a tracking code to follow how your submission is handled, within the time limits set by law."),
	     _("Already sent one?"), _("Follow it with your tracking code"));
	html(r, "<form method=\"post\" action=\"/gui-don\" enctype=\"multipart/form-data\" class=\"form case-form\">");
	page_csrf_field(r);
	cases_kind_fieldset(r, e, in->kind, true);
	html(r, "<p><label for=\"title\">%s</label>", _("Subject"));
	html(r, "<span class=\"hint\" id=\"title-hint\">%s</span>",
	     _("In a few words, e.g. \"Compensation for land recovered for the road project\"."));
	cases_error_text(r, e, "title");
	html(r, "<input id=\"title\" name=\"title\" maxlength=\"%d\" required value=\"%s\"",
	     CASE_TITLE_MAX, req_str(r, "title"));
	cases_error_attrs(r, e, "title", true);
	html(r, "></p><p><label for=\"content\">%s</label><span class=\"hint\" id=\"content-hint\">%s</span>",
	     _("Content"),
	     _("What happened, when and where, who is concerned, and what you ask for. For a complaint, name the decision or act and its date."));
	cases_error_text(r, e, "content");
	html(r, "<textarea id=\"content\" name=\"content\" rows=\"10\" maxlength=\"%d\" required",
	     CASE_CONTENT_MAX);
	cases_error_attrs(r, e, "content", true);
	html(r, ">%s</textarea></p>", req_str(r, "content"));
	Rc rc = cases_place_fields(r, e, in->province_id, req_str(r, "commune"), 0);
	if (rc)
		return rc;
	cases_place_choices(r, choices, nchoices);
	web_about_you(r, e, in);
	web_signature(r, e, in);
	web_files(r, e, e && e->n > 0);
	html(r, "<p class=\"notice privacy\">%s</p>",
	     _("Your personal data is used only to handle your submission. The identity of a denouncer is kept secret and is visible only to the officers the law allows."));
	html(r, "<p><button type=\"submit\">%s</button></p></form></div>", _("Send"));
	page_end(r);
	return RC_OK;
}

Rc ui_cases_submit_form(Req *r)
{
	WebInput in;
	read_web_input(r, &in);
	return web_form(r, NULL, &in, NULL, 0);
}

/* ---- checking what was sent ---------------------------------------------- */

static bool phone_ok(const char *s)
{
	size_t digits = 0, n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!strchr(" +-.()", s[i]))
			return false;
	}
	return n <= 20 && digits >= 8 && digits <= 15;
}

static bool id_number_ok(const char *s)
{
	char *t = text_trim(xstrdup(s));
	bool ok = all_digits(t, 12) || all_digits(t, 9);
	free(t);
	return ok;
}

/* A trimmed copy of a text parameter, kept for the request's lifetime. */
typedef struct Trimmed {
	char *v[12];
	int n;
} Trimmed;

static const char *trimmed(Trimmed *t, Req *r, const char *name)
{
	char *s = text_trim(xstrdup(req_str(r, name)));
	if (t->n < (int)ARRAY_LEN(t->v))
		t->v[t->n++] = s;
	return s;
}

static void trimmed_free(Trimmed *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
}

/* NULL, empty or only white space. */
static bool blank(const char *s)
{
	return !s || !s[strspn(s, " \t\n")];
}

void cases_check_texts(Req *r, CasesErrors *e, const CaseIntake *ci)
{
	if (blank(ci->title))
		cases_error_add(e, "title", _("Write the subject."));
	else if (text_length(ci->title) > CASE_TITLE_MAX)
		cases_error_add(e, "title", _("The subject is too long (at most 300 characters)."));
	if (blank(ci->content))
		cases_error_add(e, "content", _("Write the content."));
	else if (text_length(ci->content) > CASE_CONTENT_MAX)
		cases_error_add(e, "content", _("The content is too long (at most 20,000 characters)."));
	if (ci->name && text_length(ci->name) > CASE_NAME_MAX)
		cases_error_add(e, "name", _("The name is too long."));
	if (ci->address && text_length(ci->address) > CASE_ADDRESS_MAX)
		cases_error_add(e, "address", _("The address is too long."));
	if (!blank(ci->phone) && !phone_ok(ci->phone))
		cases_error_add(e, "phone", _("Write the telephone number with 8 to 15 digits."));
	if (!blank(ci->email) && !outbox_address_valid(ci->email))
		cases_error_add(e, "email", _("Write the e-mail address like name@example.vn."));
	if (!blank(ci->id_number) && !id_number_ok(ci->id_number))
		cases_error_add(e, "id_number", _("The identity card number has 12 digits (9 for an old card)."));
}

/* What the kind requires of the person (shared domain.md §1.1–1.2, the
 * same rules as case_intake, checked here too so that every problem is
 * shown at once next to its field). */
static void check_person(Req *r, CasesErrors *e, const CaseIntake *ci, bool kind_set)
{
	if (!kind_set) {
		cases_error_add(e, "kind", _("Choose what you are sending."));
		return;
	}
	if (ci->kind == KIND_COMPLAINT && ci->anonymous) {
		cases_error_add(e, "anonymous", _("A complaint cannot be sent without a name: the law requires the complainant's name, address and signature."));
		return;
	}
	if (ci->anonymous)
		return;
	if (!ci->name || !*ci->name)
		cases_error_add(e, "name", ci->kind == KIND_DENUNCIATION
			? _("A denunciation needs your full name. To send information without your name, tick \"Send without my name\".")
			: ci->kind == KIND_COMPLAINT ? _("A complaint needs your full name.")
			: _("Write your full name, or tick \"Send without my name\"."));
	if (ci->kind == KIND_PETITION) {
		if (!*ci->address && !*ci->phone && !*ci->email)
			cases_error_add(e, "address", _("Give an address, a telephone number or an e-mail address, so that you can be answered."));
		return;
	}
	if (!*ci->address)
		cases_error_add(e, "address", _("Write your address: the answer is sent there."));
	if (!ci->signed_)
		cases_error_add(e, "signed", _("Tick the box to sign: an unsigned complaint or denunciation cannot be accepted."));
}

/* The field a problem of case_intake is about, so that the message is
 * shown next to it ("" = the form as a whole). */
static const char *problem_field(const char *problem)
{
	static const struct {
		const char *problem, *field;
	} map[] = {
		{"Choose the kind of submission", "kind"},
		{"Choose how the submission was received", "channel"},
		{"Enter the date received as YYYY-MM-DD", "received_on"},
		{"The date received cannot be in the future", "received_on"},
		{"Enter a short title", "title"},
		{"The title is too long (at most 300 characters)", "title"},
		{"Enter the content", "content"},
		{"The content is too long (at most 20,000 characters)", "content"},
		{"The field is not known", "field_code"},
		{"The commune is not known", "commune"},
		{"Name the body that forwarded it", "forwarded_from"},
		{"The number of people is not valid", "people_count"},
		{"A group of 5 or more people needs representatives: 1 or 2 for up to 10 people, at most 5 for more", "rep1"},
		{"Representatives are only for groups of 5 or more people", "rep1"},
		{"A representative's name is too long", "rep1"},
		{"Enter the full name", "name"},
		{"The name is too long (at most 150 characters)", "name"},
		{"Enter the address", "address"},
		{"The address is too long (at most 300 characters)", "address"},
		{"Enter an address, a phone number or an e-mail address", "address"},
		{"The submission must be signed or finger-printed", "signed"},
		{"The phone number is not valid", "phone"},
		{"The e-mail address is not valid.", "email"},
		{"The ID number must have 9 or 12 digits", "id_number"},
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (str_eq(problem, map[i].problem))
			return map[i].field;
	return "";
}

/* case_intake's answer as form errors: RC_INVALID and RC_CONFLICT with a
 * problem are the citizen's or officer's to fix (nothing was stored);
 * anything else is ours. */
Rc cases_intake_problem(Req *r, CasesErrors *e, Rc rc, const char *problem)
{
	if ((rc == RC_INVALID || rc == RC_CONFLICT) && problem) {
		cases_error_add(e, problem_field(problem), _(problem));
		return RC_OK;
	}
	if (rc == RC_INVALID) {
		cases_error_add(e, "", _("Check the fields and try again."));
		return RC_OK;
	}
	return rc;
}

/* A public submission's writes, run in a group transaction on whichever
 * connection leads the batch (`db`, not r->db).  case_intake checks
 * everything before it writes anything, so a refusal (intake_rc, with
 * `problem`) leaves nothing behind and the form is shown again. */
typedef struct SubmitWork {
	Req *r;
	const CaseIntake *ci;
	CaseCreated out;
	Rc intake_rc;
	const char *problem;
} SubmitWork;

/* With files: the case at once (its files need its id). */
static Rc submit_work(Db *db, void *arg)
{
	SubmitWork *w = arg;
	w->problem = NULL;
	w->intake_rc = case_intake(db, NULL, w->ci, &w->out, &w->problem);
	if (w->intake_rc)
		return w->intake_rc;
	return cases_files_store(w->r, db, w->out.id, 0, false);
}

/* Without files: one row in the intake log (domain/case_intake_log.c),
 * built into the case by jobs/intake_builder.c right after.  Checked,
 * sealed and folded on this request's thread; only the row is written by
 * the log's group commit. */
static Rc log_submit(Req *r, SubmitWork *w)
{
	CaseIntakePrepared *p;
	w->problem = NULL;
	w->intake_rc = case_intake_log_prepare(r->db, w->ci, &p, &w->problem);
	if (w->intake_rc)
		return w->intake_rc;
	Rc rc = case_intake_log_commit(r->db, p, &w->out); /* kicks the builder */
	case_intake_prepared_free(p);
	return rc;
}

/* submit_work in a write transaction of its own. */
static Rc alone(Db *db, SubmitWork *w)
{
	Rc rc = db_begin_write(db);
	if (!rc)
		rc = submit_work(db, w);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

Rc ui_cases_submit(Req *r)
{
	WebInput in;
	read_web_input(r, &in);
	CasesErrors e = {0};
	Trimmed t = {0};
	CaseIntake ci = {0};
	ci.kind = in.kind >= 0 ? (CaseKind)in.kind : KIND_PETITION;
	ci.channel = "web";
	ci.title = trimmed(&t, r, "title");
	ci.content = trimmed(&t, r, "content");
	ci.anonymous = in.anonymous;
	ci.signed_ = in.signed_;
	ci.people_count = 1;
	/* Anonymous: nothing about the person is kept (case_intake drops it
	 * too), so there is no receipt either. */
	if (!in.anonymous) {
		ci.name = trimmed(&t, r, "name");
		ci.address = trimmed(&t, r, "address");
		ci.phone = trimmed(&t, r, "phone");
		ci.email = trimmed(&t, r, "email");
		ci.id_number = trimmed(&t, r, "id_number");
	}
	check_person(r, &e, &ci, in.kind >= 0);
	cases_check_texts(r, &e, &ci);
	Unit *choices = NULL;
	size_t nchoices = 0, nfiles = 0;
	Rc rc = cases_place_resolve(r, &e, &ci.unit_id, &choices, &nchoices);
	const char *file_problem = NULL;
	if (!rc && cases_files_check(r, CASES_WEB_FILES_MAX, &nfiles, &file_problem))
		cases_error_add(&e, "files", file_problem);
	/* The writes go through group commit (store/db_group.h): submissions
	 * arriving together share one transaction and one durable commit, and
	 * the redirect with the tracking code is sent only after it.  Without
	 * files the submission is one intake-log row, and the case is built
	 * from it in a batch (jobs/intake_builder.h); the tracking page the
	 * citizen is sent to waits for that build. */
	SubmitWork w = {.r = r, .ci = &ci};
	if (!rc && e.n == 0) {
		/* With files (up to 25 MB), a transaction of its own: writing them
		 * inside a shared one would keep every other writer waiting. */
		Rc grc = nfiles ? alone(r->db, &w) : log_submit(r, &w);
		rc = w.intake_rc ? cases_intake_problem(r, &e, w.intake_rc, w.problem) : grc;
	}
	if (!rc && e.n) {
		r->status = 400;
		rc = web_form(r, &e, &in, choices, nchoices);
	}
	CaseCreated out = w.out;
	bool receipt = ci.email && *ci.email && ci.kind != KIND_DENUNCIATION;
	free(choices);
	trimmed_free(&t);
	if (rc || e.n)
		return rc;
	Buf to = BUF_INIT;
	buf_printf(&to, "/tra-cuu/%s?moi=1%s", out.code, receipt ? "&thu=1" : "");
	rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* ==== tracking =========================================================== */

static void code_form(Req *r, const char *message, const char *code)
{
	r->cache_control = "no-store";
	page_begin(r, _("Follow your case"));
	html(r, "<div class=\"cases-public narrow\"><h1>%s</h1>", _("Follow your case"));
	if (message)
		html(r, "<div class=\"error-summary\" role=\"alert\"><p><a href=\"#code\">%s</a></p></div>",
		     message);
	html(r, "<form method=\"get\" action=\"/tra-cuu\" class=\"form\"><p><label for=\"code\">%s</label>"
		"<span class=\"hint\" id=\"code-hint\">%s</span>",
	     _("Tracking code"),
	     _("The code you received when you sent your submission, e.g. 7K2Q-M9XA-3F."));
	if (message)
		html(r, "<span class=\"field-error\" id=\"code-error\">%s</span>", message);
	html(r, "<input id=\"code\" name=\"code\" class=\"code-input\" required maxlength=\"20\" "
		"autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" value=\"%s\" %r>"
		"</p><p><button type=\"submit\">%s</button></p></form>",
	     code ? code : "",
	     message ? "aria-describedby=\"code-hint code-error\" aria-invalid=\"true\""
		     : "aria-describedby=\"code-hint\"",
	     _("Look up"));
	html(r, "<p><a href=\"/gui-don\">%s</a></p></div>", _("Send a new petition, complaint or denunciation"));
	page_end(r);
}

Rc ui_cases_track_form(Req *r)
{
	const char *typed = req_param(r, "code");
	char code[CASE_CODE_LEN + 1];
	if (!typed) {
		code_form(r, NULL, NULL);
		return RC_OK;
	}
	if (!case_code_parse(typed, code)) {
		r->status = 400;
		code_form(r, _("This is not a tracking code: it has 10 letters and digits, e.g. 7K2Q-M9XA-3F."), typed);
		return RC_OK;
	}
	Buf to = BUF_INIT;
	buf_printf(&to, "/tra-cuu/%s", code);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* The case of the code in the path, for the citizen.  A malformed or
 * unknown code is the same 404.  A code given a moment ago may still be
 * in the intake log: with `pending` (the tracking page) that is *pending
 * and RC_OK, c left empty; without (the citizen's actions), 503 "being
 * registered". */
static Rc load_by_code(Req *r, char code[CASE_CODE_LEN + 1], Case *c, bool *pending)
{
	r->cache_control = "no-store";
	memset(c, 0, sizeof *c);
	if (pending)
		*pending = false;
	if (r->nargs < 1 || !case_code_parse(r->args[0], code))
		return req_fail(r, RC_NOT_FOUND, _("No case has this tracking code. Check the code and try again."));
	/* Sent a moment ago: the case is built from the intake log within
	 * milliseconds, so wait for it rather than say "no such case". */
	IntakeSettled settled;
	Rc rc = intake_builder_load_public(r->db, code, r->method == M_GET || r->method == M_HEAD, c,
					   &settled);
	if (!rc && settled == INTAKE_PENDING) {
		if (pending)
			*pending = true;
		else
			return req_fail(r, RC_BUSY, _("Your submission has been received and is being registered. Try again in a minute."));
	}
	if (rc == RC_NOT_FOUND)
		return req_fail(r, RC_NOT_FOUND, _("No case has this tracking code. Check the code and try again."));
	return rc;
}

/* A submission received (its code is the citizen's) but not yet built
 * into a case, on a busy day: 202, and the page reloads itself. */
static void pending_page(Req *r, const char *code)
{
	r->status = 202;
	r->cache_control = "no-store";
	req_header(r, "Refresh", "5");
	page_begin(r, _("Follow your case"));
	html(r, "<div class=\"cases-public narrow\"><h1>%s</h1>", _("Your submission has been received"));
	html(r, "<p class=\"tracking-code\">%s <strong>%s</strong></p>", _("Your tracking code:"), code);
	html(r, "<p role=\"status\">%s</p></div>",
	     _("It is being registered: this page will show it in a few seconds. Keep the code."));
	page_end(r);
}

/* The status in plain words, for someone who never read the law. */
static const char *status_explained(Req *r, const Case *c)
{
	const char *s = c->status;
	if (str_eq(s, "received")) return _("Your submission has been registered and is waiting to be examined.");
	if (str_eq(s, "classified")) return _("Your submission has been examined and is going to the body that will handle it.");
	if (str_eq(s, "filed")) return _("Your submission was filed without further action, for the reason below.");
	if (str_eq(s, "guided")) return _("You have been told where to send your submission: see the reply below.");
	if (str_eq(s, "forwarded")) return _("Your submission has been sent on to the body competent to handle it, which will contact you.");
	if (str_eq(s, "refused")) return _("Your submission was not accepted for handling, for the reason below.");
	if (str_eq(s, "accepted")) return _("Your submission has been accepted and is being handled.");
	if (str_eq(s, "verifying")) return _("The facts are being verified.");
	if (str_eq(s, "suspended")) return _("Handling is paused for now; the time limit is paused too.");
	if (str_eq(s, "terminated")) return _("Handling has been stopped.");
	if (str_eq(s, "withdrawn")) return _("You withdrew your submission.");
	if (str_eq(s, "decided")) return _("A decision or a written answer has been issued.");
	if (str_eq(s, "notified")) return _("The decision or answer has been sent to you.");
	if (str_eq(s, "appealed")) return _("Your appeal has been received and will be reviewed by the higher level.");
	if (str_eq(s, "in_effect")) return _("The decision is in effect and is being carried out.");
	if (str_eq(s, "closed") || str_eq(s, "archived")) return _("The case is closed.");
	return "";
}

static bool status_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (str_eq(s, *list))
			return true;
	return false;
}

/* There is an answer the citizen can rate. */
static bool has_answer(const Case *c)
{
	static const char *const answered[] = {"guided", "refused", "filed", "decided", "notified",
					       "in_effect", "closed", "archived", NULL};
	return status_in(c->status, answered);
}

/* The citizen may still add information. */
static bool open_for_additions(const Case *c)
{
	static const char *const over[] = {"closed", "archived", "withdrawn", "terminated", NULL};
	return !status_in(c->status, over);
}

/* Appeals the law gives the citizen (case_citizen_appeal decides the
 * time window): a second complaint after a first-instance decision, and a
 * repeated denunciation (tố cáo tiếp) after the conclusion. */
static bool may_appeal(const Case *c)
{
	static const char *const after_decision[] = {"decided", "notified", "in_effect", NULL};
	if (c->kind == KIND_COMPLAINT)
		return c->instance == 1 && status_in(c->status, after_decision);
	if (c->kind == KIND_DENUNCIATION)
		return !c->anonymous && status_in(c->status, after_decision);
	return false;
}

static void receipt_box(Req *r, const Case *c)
{
	html(r, "<section class=\"receipt\" aria-labelledby=\"receipt-h\"><h2 id=\"receipt-h\">%s</h2>"
		"<p>%s</p><p class=\"tracking-code\" aria-describedby=\"code-note\"><strong>%s</strong></p>"
		"<p id=\"code-note\">%s</p>",
	     _("Your submission has been received"), _("Your tracking code:"), c->code,
	     _("Keep this code: write it down or take a photo of this page. You need it to follow your case, add information or appeal, and nobody can look it up for you later. It uses digits and letters without I, L, O and U, so it is easy to read out."));
	if (str_eq(req_param(r, "thu"), "1"))
		html(r, "<p>%s</p>", _("A receipt with this code is being sent to your e-mail address."));
	html(r, "</section>");
}

static void saved_notice(Req *r)
{
	const char *saved = req_param(r, "saved");
	const char *msg = str_eq(saved, "add") ? _("Thank you. The information you added has been recorded.")
			: str_eq(saved, "rate") ? _("Thank you for rating the answer.")
			: str_eq(saved, "appeal") ? _("Your appeal has been recorded. The higher level will review it.")
			: NULL;
	if (msg)
		html(r, "<p class=\"notice\" role=\"status\">%s</p>", msg);
}

static void track_facts(Req *r, const Case *c)
{
	html(r, "<dl class=\"facts\"><dt>%s</dt><dd><code class=\"code\">%s</code></dd>"
		"<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
	     _("Tracking code"), c->code, _("Kind of submission"), cases_kind(r, c->kind), _("Received on"));
	cases_date(r, c->received_on);
	html(r, "</dd><dt>%s</dt><dd><strong class=\"status status-%s\">%s</strong><br>%s</dd>",
	     _("Status"), c->status, cases_status(r, c->status), status_explained(r, c));
	if (c->responsible_org_name && *c->responsible_org_name)
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Handled by"), c->responsible_org_name);
	if (c->refuse_reason && *c->refuse_reason) {
		const char *l = case_reason_label(c->refuse_reason);
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Reason"), l ? _(l) : c->refuse_reason);
	}
	if (c->outcome && *c->outcome) {
		const char *l = case_outcome_label(c->outcome);
		html(r, "<dt>%s</dt><dd>%s</dd>", _("Outcome"), l ? _(l) : c->outcome);
	}
	html(r, "</dl>");
}

static Rc track_events(Req *r, const Case *c)
{
	CaseEvent *ev = NULL;
	size_t n = 0;
	bool truncated = false;
	Rc rc = case_events(r->db, c->id, true, &ev, &n, &truncated);
	if (rc)
		return rc;
	html(r, "<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">%s</h2>",
	     _("Replies and progress"));
	if (!n)
		html(r, "<p>%s</p>", _("Nothing yet."));
	else
		html(r, "<ol class=\"timeline\">");
	for (size_t i = 0; i < n; i++) {
		const CaseEvent *e = &ev[i];
		html(r, "<li><p class=\"when\">");
		cases_time(r, e->at);
		html(r, " — <strong>%s</strong>", cases_action(r, e->action));
		if (e->to_status[0] && !str_eq(e->to_status, e->from_status))
			html(r, ": %s", cases_status(r, e->to_status));
		html(r, "</p>");
		/* What the citizen wrote is not repeated here: it may name
		 * people, and whoever holds the code would read it. */
		if (e->note && *e->note && !str_eq(e->actor, "citizen"))
			html(r, "<div class=\"reply\">%s</div>", e->note);
		html(r, "</li>");
	}
	if (n)
		html(r, "</ol>");
	html(r, "</section>");
	case_events_free(ev, n);
	return RC_OK;
}

static Rc track_files(Req *r, const Case *c)
{
	Attachment *a = NULL;
	size_t n = 0, shown = 0;
	Rc rc = attachment_list(r->db, c->id, &a, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!a[i].public_)
			continue;
		if (!shown++)
			html(r, "<section aria-labelledby=\"docs-h\"><h2 id=\"docs-h\">%s</h2><ul class=\"files\">",
			     _("Documents"));
		html(r, "<li><a href=\"/tra-cuu/%s/tep/%lld\" download>%s</a> <span class=\"muted\">(%s, ",
		     c->code, (long long)a[i].id, a[i].filename, cases_type_label(r, a[i].content_type));
		cases_size(r, a[i].size);
		html(r, ")</span></li>");
	}
	if (shown)
		html(r, "</ul></section>");
	attachment_list_release(a, n);
	return RC_OK;
}

/* The three forms at the bottom: add information, rate, appeal. */
static void track_forms(Req *r, const Case *c, const CasesErrors *e)
{
	if (open_for_additions(c)) {
		html(r, "<section aria-labelledby=\"add-h\"><h2 id=\"add-h\">%s</h2>"
			"<form method=\"post\" action=\"/tra-cuu/%s/bo-sung\" class=\"form\">",
		     _("Add information"), c->code);
		page_csrf_field(r);
		html(r, "<p><label for=\"text\">%s</label><span class=\"hint\" id=\"text-hint\">%s</span>",
		     _("What would you like to add?"),
		     _("New facts, documents you can name, or an answer to a question the officer asked. Do not repeat your whole submission."));
		cases_error_text(r, e, "text");
		html(r, "<textarea id=\"text\" name=\"text\" rows=\"5\" maxlength=\"%d\" required", CASE_TEXT_MAX);
		cases_error_attrs(r, e, "text", true);
		html(r, "></textarea></p><p><button type=\"submit\">%s</button></p></form></section>",
		     _("Send the information"));
	}
	if (has_answer(c)) {
		html(r, "<section aria-labelledby=\"rate-h\"><h2 id=\"rate-h\">%s</h2>"
			"<form method=\"post\" action=\"/tra-cuu/%s/danh-gia\" class=\"form\">",
		     _("Rate the answer"), c->code);
		page_csrf_field(r);
		html(r, "<fieldset class=\"rating\" id=\"rating\"");
		if (cases_error_for(e, "rating"))
			html(r, " aria-describedby=\"rating-error\"");
		html(r, "><legend>%s</legend>", _("How satisfied are you with the answer?"));
		cases_error_text(r, e, "rating");
		static const char *const words[5] = {"1 — very dissatisfied", "2 — dissatisfied",
						     "3 — acceptable", "4 — satisfied", "5 — very satisfied"};
		for (int i = 1; i <= 5; i++)
			html(r, "<div class=\"choice\"><input type=\"radio\" id=\"rating-%d\" name=\"rating\" "
				"value=\"%d\"%r><label for=\"rating-%d\">%s</label></div>",
			     i, i, c->rating == i ? " checked" : "", i, _(words[i - 1]));
		html(r, "</fieldset><p><label for=\"note\">%s</label><textarea id=\"note\" name=\"note\" "
			"rows=\"3\" maxlength=\"1000\">%s</textarea></p><p><button type=\"submit\">%s</button></p></form></section>",
		     _("Comment (optional)"), c->rating_note ? c->rating_note : "", _("Send the rating"));
	}
	if (may_appeal(c)) {
		bool complaint = c->kind == KIND_COMPLAINT;
		html(r, "<section aria-labelledby=\"appeal-h\"><h2 id=\"appeal-h\">%s</h2><p>%s</p>"
			"<form method=\"post\" action=\"/tra-cuu/%s/khieu-nai-tiep\" class=\"form\">",
		     complaint ? _("Complain to the next level") : _("Denounce again to the higher level"),
		     complaint
			? _("If you disagree with the first decision, you may complain a second time within 30 days of receiving it (45 days in remote areas), or sue in the administrative court (Law on Complaints 2011, Art. 33).")
			: _("If you have grounds to believe the denunciation was not resolved lawfully, you may denounce again to the higher level, which reviews it (Law on Denunciations 2018, Art. 37)."),
		     c->code);
		page_csrf_field(r);
		html(r, "<p><label for=\"appeal_text\">%s</label>", _("Your reasons"));
		cases_error_text(r, e, "appeal_text");
		html(r, "<textarea id=\"appeal_text\" name=\"text\" rows=\"5\" maxlength=\"%d\" required",
		     CASE_TEXT_MAX);
		cases_error_attrs(r, e, "appeal_text", false);
		html(r, "></textarea></p><p><button type=\"submit\">%s</button></p></form></section>",
		     _("Send the appeal"));
	}
}

static Rc track_page(Req *r, const Case *c, const CasesErrors *e)
{
	r->cache_control = "no-store";
	page_begin(r, _("Follow your case"));
	html(r, "<div class=\"cases-public\"><h1>%s</h1>", _("Follow your case"));
	cases_error_summary(r, e);
	if (str_eq(req_param(r, "moi"), "1"))
		receipt_box(r, c);
	saved_notice(r);
	track_facts(r, c);
	Rc rc = cases_deadline_table(r, c, true);
	if (!rc)
		rc = track_events(r, c);
	if (!rc)
		rc = track_files(r, c);
	if (rc)
		return rc;
	track_forms(r, c, e);
	html(r, "</div>");
	page_end(r);
	return RC_OK;
}

Rc ui_cases_track(Req *r)
{
	char code[CASE_CODE_LEN + 1];
	Case c;
	bool pending;
	Rc rc = load_by_code(r, code, &c, &pending);
	if (!rc && pending)
		pending_page(r, code);
	else if (!rc)
		rc = track_page(r, &c, NULL);
	case_release(&c);
	return rc;
}

static Rc back_to_case(Req *r, const char *code, const char *what)
{
	Buf to = BUF_INIT;
	buf_printf(&to, "/tra-cuu/%s?saved=%s", code, what);
	Rc rc = req_redirect(r, buf_cstr(&to));
	buf_release(&to);
	return rc;
}

/* The tracking page again with one field's error, status 400.  Nothing
 * was written, so the (empty) transaction may commit. */
static Rc track_again(Req *r, const Case *c, const char *field, const char *msg)
{
	CasesErrors e = {0};
	cases_error_add(&e, field, msg);
	r->status = 400;
	return track_page(r, c, &e);
}

Rc ui_cases_track_add(Req *r)
{
	char code[CASE_CODE_LEN + 1];
	Case c;
	Rc rc = load_by_code(r, code, &c, NULL);
	if (rc) {
		case_release(&c);
		return rc;
	}
	char *text = text_trim(xstrdup(req_str(r, "text")));
	if (!open_for_additions(&c))
		rc = req_fail(r, RC_CONFLICT, _("This case is closed: information can no longer be added."));
	else if (!*text)
		rc = track_again(r, &c, "text", _("Write what you would like to add."));
	else if (text_length(text) > CASE_TEXT_MAX)
		rc = track_again(r, &c, "text", _("The text is too long (at most 5,000 characters)."));
	else if (!(rc = case_citizen_add(r->db, code, text)))
		rc = back_to_case(r, code, "add");
	else if (rc == RC_INVALID || rc == RC_CONFLICT)
		rc = req_fail(r, rc, _("This information could not be added to the case."));
	free(text);
	case_release(&c);
	return rc;
}

Rc ui_cases_track_rate(Req *r)
{
	char code[CASE_CODE_LEN + 1];
	Case c;
	Rc rc = load_by_code(r, code, &c, NULL);
	if (rc) {
		case_release(&c);
		return rc;
	}
	int64_t rating = 0;
	char *note = text_trim(xstrdup(req_str(r, "note")));
	if (!has_answer(&c))
		rc = req_fail(r, RC_CONFLICT, _("There is no answer to rate yet."));
	else if (!util_parse_i64(req_str(r, "rating"), 1, 5, &rating))
		rc = track_again(r, &c, "rating", _("Choose a rating from 1 to 5."));
	else if (text_length(note) > 1000)
		rc = track_again(r, &c, "rating", _("The comment is too long (at most 1,000 characters)."));
	else if (!(rc = case_citizen_rate(r->db, code, (int)rating, note)))
		rc = back_to_case(r, code, "rate");
	else if (rc == RC_INVALID || rc == RC_CONFLICT)
		rc = req_fail(r, rc, _("The rating could not be recorded."));
	free(note);
	case_release(&c);
	return rc;
}

Rc ui_cases_track_appeal(Req *r)
{
	char code[CASE_CODE_LEN + 1];
	Case c;
	Rc rc = load_by_code(r, code, &c, NULL);
	if (rc) {
		case_release(&c);
		return rc;
	}
	char *text = text_trim(xstrdup(req_str(r, "text")));
	const char *problem = NULL;
	if (!may_appeal(&c))
		rc = req_fail(r, RC_CONFLICT, _("The law does not allow an appeal at this stage of the case."));
	else if (!*text)
		rc = track_again(r, &c, "appeal_text", _("Write the reasons for your appeal."));
	else if (text_length(text) > CASE_TEXT_MAX)
		rc = track_again(r, &c, "appeal_text", _("The text is too long (at most 5,000 characters)."));
	else if (!(rc = case_citizen_appeal(r->db, code, text, &problem)))
		rc = back_to_case(r, code, "appeal");
	else if (problem)
		rc = req_fail(r, rc, _(problem));
	free(text);
	case_release(&c);
	return rc;
}

Rc ui_cases_track_file(Req *r)
{
	char code[CASE_CODE_LEN + 1];
	Case c;
	int64_t id;
	Rc rc = load_by_code(r, code, &c, NULL);
	if (!rc && !cases_arg_id(r, 1, &id))
		rc = req_fail(r, RC_NOT_FOUND, _("File not found"));
	Attachment a = {0};
	if (!rc) {
		rc = attachment_load(r->db, c.id, id, &a);
		/* only what staff made public; anything else does not exist here */
		if (rc == RC_NOT_FOUND || (!rc && !a.public_))
			rc = req_fail(r, RC_NOT_FOUND, _("File not found"));
	}
	if (!rc)
		cases_send_file(r, &a);
	attachment_release(&a);
	case_release(&c);
	return rc;
}
