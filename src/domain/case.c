/*
 * case.c — the vocabulary of citizens' cases (kinds, channels, statuses,
 * legal reason codes, outcomes, action names), tracking codes and the
 * field tree.  See case.h and docs/internals/cases.md.
 *
 * Every label is an English message id; the Vietnamese is in
 * src/web/i18n_case.def.  Labels reach tr() through variables, so
 * codecheck cannot see them: tests/unit/test_case.c checks that each one
 * has a translation.
 */
#include "case_priv.h"
#include "../base/crypto.h"

/* ---- kinds, channels, statuses ---------------------------------------- */

static const struct {
	const char *id, *label;
} kinds[KIND_COUNT] = {
	[KIND_PETITION] = {"petition", "Petition or report"},
	[KIND_COMPLAINT] = {"complaint", "Complaint"},
	[KIND_DENUNCIATION] = {"denunciation", "Denunciation"},
};

const char *case_kind_id(CaseKind k)
{
	return (unsigned)k < KIND_COUNT ? kinds[k].id : "";
}

const char *case_kind_label(CaseKind k)
{
	return (unsigned)k < KIND_COUNT ? kinds[k].label : "";
}

bool case_kind_parse(const char *s, CaseKind *out)
{
	for (int i = 0; i < KIND_COUNT; i++) {
		if (str_eq(s, kinds[i].id)) {
			*out = (CaseKind)i;
			return true;
		}
	}
	return false;
}

typedef struct Label {
	const char *id, *label;
} Label;

static const char *label_of(const Label *t, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(id, t[i].id))
			return t[i].label;
	return NULL;
}

/* Same order as CASE_CHANNELS. */
static const Label channels[] = {
	{"web", "Web form"},
	{"desk", "Reception desk"},
	{"post", "Post"},
	{"phone", "Telephone"},
	{"forwarded", "Forwarded by another body"},
	{"dialogue", "Dialogue meeting"},
	{"online_reception", "Online reception"},
};

bool case_channel_valid(const char *s)
{
	return label_of(channels, ARRAY_LEN(channels), s) != NULL;
}

const char *case_channel_label(const char *s)
{
	return label_of(channels, ARRAY_LEN(channels), s);
}

/* Same order as CASE_STATUSES. */
static const Label statuses[] = {
	{"received", "Received"},
	{"classified", "Classified"},
	{"filed", "Filed without action"},
	{"guided", "Citizen guided"},
	{"forwarded", "Forwarded"},
	{"refused", "Not accepted"},
	{"accepted", "Accepted for handling"},
	{"verifying", "Under verification"},
	{"suspended", "Suspended"},
	{"terminated", "Handling terminated"},
	{"withdrawn", "Withdrawn"},
	{"decided", "Decided"},
	{"notified", "Notified"},
	{"appealed", "Appealed"},
	{"in_effect", "In effect"},
	{"closed", "Closed"},
	{"archived", "Archived"},
};

bool case_status_valid(const char *s)
{
	return label_of(statuses, ARRAY_LEN(statuses), s) != NULL;
}

const char *case_status_label(const char *s)
{
	return label_of(statuses, ARRAY_LEN(statuses), s);
}

/* ---- complexity --------------------------------------------------------- */

int case_complexity(unsigned criteria)
{
	/* Decree 31/2019 Art. 3: one criterion makes a case complex, two or
	 * more especially complex.  Only the seven defined bits count. */
	int n = __builtin_popcount(criteria & 127u);
	return n >= 2 ? 2 : n;
}

int case_extensions_allowed(unsigned criteria)
{
	/* Law 25/2018 Art. 30: complex → one extension, especially complex
	 * → two; a simple case gets none. */
	return case_complexity(criteria);
}

/* ---- reason codes ------------------------------------------------------- */

#define K_PET (1u << KIND_PETITION)
#define K_COM (1u << KIND_COMPLAINT)
#define K_DEN (1u << KIND_DENUNCIATION)
#define K_ALL (K_PET | K_COM | K_DEN)

const CaseReason case_reasons[] = {
	/* Law on Complaints 02/2011 Art. 11: complaints not accepted. */
	{"kn_internal_act", "Internal, directive or normative act, or a state-secret matter (Law on Complaints Art. 11.1)", K_COM, false},
	{"kn_not_affected", "The decision or act does not directly concern the complainant's rights (Art. 11.2)", K_COM, false},
	{"kn_no_capacity", "The complainant lacks legal capacity and has no lawful representative (Art. 11.3)", K_COM, false},
	{"kn_unlawful_representative", "The representative is not lawful (Art. 11.4)", K_COM, false},
	{"kn_unsigned", "The complaint is not signed or finger-printed (Art. 11.5)", K_COM, false},
	{"kn_time_expired", "The time limit for complaining has passed without a valid reason (Art. 11.6)", K_COM, false},
	{"kn_second_decision", "A second-instance decision already exists (Art. 11.7)", K_COM, false},
	{"kn_not_continued", "Not continued within 30 days of a suspension notice (Art. 11.8)", K_COM, false},
	{"kn_court", "The matter is before a court or has been decided by one (Art. 11.9)", K_COM, false},
	/* Law on Denunciations 25/2018 Art. 29.1: conditions to accept. */
	{"tc_form", "The denunciation does not meet the requirements of Art. 23 (Law on Denunciations Art. 29.1.a)", K_DEN, false},
	{"tc_no_capacity", "The denouncer lacks legal capacity and has no representative (Art. 29.1.b)", K_DEN, false},
	{"tc_not_competent", "Not within the competence of the receiving body (Art. 29.1.c)", K_DEN, false},
	{"tc_no_basis", "The content gives no basis to identify the violator and the violation (Art. 29.1.d)", K_DEN, false},
	{"tc_complaint_resolver", "Denounces the resolver of a lawfully resolved complaint without evidence (Art. 29.1)", K_DEN, false},
	/* Law on Citizen Reception 42/2013 Art. 28: petitions refused. */
	{"pt_not_competent", "Not within the competence of the receiving body (Law on Citizen Reception Art. 28)", K_PET, false},
	{"pt_conditions", "The conditions for handling are not met (Law on Citizen Reception Art. 28)", K_PET, false},
	/* Filing without action (lưu đơn). */
	{"anonymous", "Anonymous or under a false name: not handled as a denunciation (Law on Denunciations Art. 25)", K_ALL, true},
	{"management_check", "Kept as information for an inspection or management check (Law on Denunciations Art. 25)", K_ALL, true},
	{"duplicate", "A duplicate of a submission already being handled", K_ALL, true},
	{"already_resolved", "Already resolved and answered in writing", K_ALL, true},
	{"sent_to_competent", "Sent to several bodies, including the competent one (Law on Denunciations Art. 24.3)", K_ALL, true},
	{"unsigned", "Not signed and not finger-printed", K_ALL, true},
	{"illegible", "Illegible, or not written in Vietnamese", K_ALL, true},
	{"no_content", "No clear content or request", K_ALL, true},
};
const size_t case_reasons_count = ARRAY_LEN(case_reasons);

const CaseReason *case_reason_find(const char *code, CaseKind kind, bool file)
{
	for (size_t i = 0; i < case_reasons_count; i++) {
		const CaseReason *r = &case_reasons[i];
		if (str_eq(code, r->code) && r->file == file && (r->kinds & (1u << kind)))
			return r;
	}
	return NULL;
}

const char *case_reason_label(const char *code)
{
	for (size_t i = 0; i < case_reasons_count; i++)
		if (str_eq(code, case_reasons[i].code))
			return case_reasons[i].label;
	return NULL;
}

/* ---- outcomes ------------------------------------------------------------ */

static const struct {
	const char *code, *label;
	unsigned kinds;
} outcomes[] = {
	{"right", "Well-founded", K_COM | K_DEN},
	{"partly_right", "Partly well-founded", K_COM | K_DEN},
	{"wrong", "Unfounded", K_COM | K_DEN},
	{"answered", "Answered in writing", K_PET},
};

bool case_outcome_valid(CaseKind kind, const char *code)
{
	for (size_t i = 0; i < ARRAY_LEN(outcomes); i++)
		if (str_eq(code, outcomes[i].code))
			return (outcomes[i].kinds & (1u << kind)) != 0;
	return false;
}

const char *case_outcome_label(const char *code)
{
	for (size_t i = 0; i < ARRAY_LEN(outcomes); i++)
		if (str_eq(code, outcomes[i].code))
			return outcomes[i].label;
	return NULL;
}

/* ---- action and event names ---------------------------------------------- */

/* The transitions (CASE_ACTIONS) and the other events of case_event. */
static const Label actions[] = {
	{"classify", "Classify"},
	{"accept", "Accept for handling"},
	{"refuse", "Refuse to accept"},
	{"forward", "Forward the case"},
	{"guide", "Guide the citizen"},
	{"file", "File without action"},
	{"verify", "Start verification"},
	{"extend", "Extend the time limit"},
	{"suspend", "Suspend"},
	{"resume", "Resume"},
	{"terminate", "Terminate handling"},
	{"withdraw", "Record the withdrawal"},
	{"decide", "Record the decision"},
	{"notify", "Notify the parties"},
	{"appeal", "Record an appeal"},
	{"take_effect", "Mark as in effect"},
	{"close", "Close"},
	{"archive", "Archive"},
	{"reopen", "Reopen"},
	{"intake", "Registered"},
	{"split", "Split into a separate case"},
	{"assign", "Assigned"},
	{"monitors", "Monitoring bodies changed"},
	{"reply", "Reply"},
	{"note", "Internal note"},
	{"citizen_info", "Information added by the citizen"},
	{"rating", "Rating by the citizen"},
	{"link_confirm", "Link confirmed"},
	{"link_dismiss", "Link dismissed"},
};

const char *case_action_label(const char *action)
{
	return label_of(actions, ARRAY_LEN(actions), action);
}

/* ---- tracking codes ------------------------------------------------------ */

/* Crockford's base 32: digits and letters without I, L, O and U, so a
 * code read over the phone or copied by hand has no look-alikes. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of a typed character, or -1.  Look-alikes are read the way
 * Crockford's decoding reads them. */
static int crockford_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	const char *p = c ? strchr(crockford, c) : NULL;
	return p ? (int)(p - crockford) : -1;
}

static void code_format(const char digits[10], char out[CASE_CODE_LEN + 1])
{
	int j = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 8)
			out[j++] = '-';
		out[j++] = digits[i];
	}
	out[j] = 0;
}

bool case_code_parse(const char *in, char out[CASE_CODE_LEN + 1])
{
	if (!in || strlen(in) > 40)
		return false;
	char digits[10];
	int n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		int v = crockford_value(*p);
		if (v < 0 || n == 10)
			return false;
		digits[n++] = crockford[v];
	}
	if (n != 10)
		return false;
	code_format(digits, out);
	return true;
}

void case_code_random(char out[CASE_CODE_LEN + 1])
{
	unsigned char r[7];
	crypto_random(r, sizeof r);
	uint64_t bits = 0;
	for (size_t i = 0; i < sizeof r; i++)
		bits = bits << 8 | r[i];
	char digits[10];
	for (int i = 0; i < 10; i++)
		digits[i] = crockford[(bits >> (5 * i)) & 31];
	code_format(digits, out);
}

Rc case_code_new(Db *db, char out[CASE_CODE_LEN + 1])
{
	/* 50 bits: guessing one of a million live codes takes ~2^30 tries,
	 * far beyond what the tracking page's rate limit allows.  A collision
	 * is astronomically rare, but checked anyway (and a code in the
	 * intake log is unique there: case_intake_log.c). */
	for (int attempt = 0; attempt < 8; attempt++) {
		case_code_random(out);
		int64_t taken = 0;
		Rc rc = db_get_int(db, &taken, "SELECT count(*) FROM cases WHERE code = ?", "t", out);
		if (rc)
			return rc;
		if (!taken)
			return RC_OK;
	}
	return RC_INTERNAL;
}

/* ---- the field tree ------------------------------------------------------ */

static const struct {
	const char *code, *parent, *name, *name_en;
	int sort;
} default_fields[] = {
	{"land", NULL, "Đất đai", "Land", 10},
	{"land.dispute", "land", "Tranh chấp đất đai", "Land disputes", 11},
	{"land.certificate", "land", "Cấp giấy chứng nhận quyền sử dụng đất", "Land-use right certificates", 12},
	{"land.recovery", "land", "Thu hồi đất, chuyển mục đích sử dụng đất", "Land recovery and change of land use", 13},
	{"compensation", NULL, "Bồi thường, hỗ trợ, tái định cư, giải phóng mặt bằng", "Compensation and site clearance", 20},
	{"religion", NULL, "Tôn giáo, cơ sở thờ tự", "Religion and places of worship", 30},
	{"ethnic", NULL, "Công tác dân tộc", "Ethnic affairs", 40},
	{"rural_security", NULL, "An ninh nông thôn", "Rural security", 50},
	{"environment", NULL, "Môi trường", "Environment", 60},
	{"social_policy", NULL, "Chính sách xã hội", "Social policy", 70},
	{"social_policy.merit", "social_policy", "Chính sách người có công", "Policies for people with meritorious services", 71},
	{"social_policy.protection", "social_policy", "Bảo trợ xã hội, giảm nghèo", "Social protection and poverty reduction", 72},
	{"officials", NULL, "Tác phong, đạo đức cán bộ; tham nhũng, tiêu cực", "Officials' conduct and corruption", 80},
	{"admin_procedures", NULL, "Thủ tục hành chính", "Administrative procedures", 90},
	{"other", NULL, "Lĩnh vực khác", "Other", 100},
};

Rc case_seed_fields(Db *db)
{
	/* Parents come first in the table, so the sub-select finds them. */
	for (size_t i = 0; i < ARRAY_LEN(default_fields); i++) {
		Rc rc = db_run(db,
			       "INSERT INTO field (parent_id, code, name, name_en, sort)"
			       " VALUES ((SELECT id FROM field WHERE code = ?), ?, ?, ?, ?)"
			       " ON CONFLICT (code) DO NOTHING",
			       "ttttl", default_fields[i].parent, default_fields[i].code,
			       default_fields[i].name, default_fields[i].name_en,
			       (int64_t)default_fields[i].sort);
		if (rc)
			return rc;
	}
	return RC_OK;
}

Rc case_fields(Db *db, CaseField **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	/* Order each child right after its parent: sort by the parent's sort
	 * (or its own for a top-level field), then parents first. */
	Rc rc = db_prep(db, &st,
			"SELECT f.id, coalesce(f.parent_id, 0), f.code, f.name, f.name_en, f.sort, f.active"
			" FROM field f LEFT JOIN field p ON p.id = f.parent_id"
			" ORDER BY coalesce(p.sort, f.sort), f.parent_id IS NOT NULL, f.sort, f.id",
			"");
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		CaseField *f = &(*out)[(*n)++];
		f->id = db_col_int(st, 0);
		f->parent_id = db_col_int(st, 1);
		snprintf(f->code, sizeof f->code, "%s", db_col_text(st, 2)); /* codes are short */
		f->name = xstrdup(db_col_text(st, 3));
		f->name_en = xstrdup(db_col_text(st, 4));
		f->sort = (int)db_col_int(st, 5);
		f->active = db_col_int(st, 6) != 0;
	}
	db_done(st);
	if (s != DB_DONE) {
		case_fields_release(*out, *n);
		*out = NULL;
		*n = 0;
		return (Rc)-s;
	}
	return RC_OK;
}

void case_fields_release(CaseField *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].name);
		free(f[i].name_en);
	}
	free(f);
}
