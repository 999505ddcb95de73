/*
 * case_intake.c — a new case: validation per kind, the sealed identity of
 * denouncers, the first deadline, suggestions and the receipt; and the
 * split of a mixed submission into separate linked cases.
 *
 * What each kind needs (shared domain.md §1.1–1.4):
 *   denunciation  name, address, signature (Law 25/2018 Art. 23); the
 *                 identity is sealed to the vault and never stored in the
 *                 clear, so intake is refused while no vault key is set;
 *   complaint     name, address, signature (Law 02/2011 Art. 8, 11.5);
 *   petition      a name and one way to answer (address, phone or e-mail).
 * Anonymous submissions are received as information (anonymous = 1): any
 * identity typed in is dropped, and they can only be filed or forwarded
 * for a management check (Law 25/2018 Art. 25).  A group (≥ 5 people)
 * records its number and its representatives: 1–2 for up to 10 people,
 * at most 5 above (Law 42/2013 Art. 29; Decree 124/2020).
 *
 * The search key is built from the title and content only, never from
 * the identity, and neither audit entries nor e-mails carry identity.
 * Denunciations get no receipt e-mail: the address itself is identity,
 * and a message in a shared mailbox can expose the denouncer.
 */
#include "case_priv.h"
#include "outbox.h"
#include "unit.h"
#include "vault.h"
#include "../base/json.h"
#include "../base/text.h"

#include <sodium.h>

/* Problems (English message ids; Vietnamese in i18n_case.def). */
#define P_KIND "Choose the kind of submission"
#define P_CHANNEL "Choose how the submission was received"
#define P_DATE "Enter the date received as YYYY-MM-DD"
#define P_FUTURE "The date received cannot be in the future"
#define P_TITLE "Enter a short title"
#define P_TITLE_LONG "The title is too long (at most 300 characters)"
#define P_CONTENT "Enter the content"
#define P_CONTENT_LONG "The content is too long (at most 20,000 characters)"
#define P_FIELD "The field is not known"
#define P_UNIT "The commune is not known"
#define P_ORG "The receiving organisation is not valid"
#define P_FORWARDED "Name the body that forwarded it"
#define P_PEOPLE "The number of people is not valid"
#define P_GROUP "A group of 5 or more people needs representatives: 1 or 2 for up to 10 people, at most 5 for more"
#define P_NOT_GROUP "Representatives are only for groups of 5 or more people"
#define P_REP_LONG "A representative's name is too long"
#define P_NAME "Enter the full name"
#define P_NAME_LONG "The name is too long (at most 150 characters)"
#define P_ADDRESS "Enter the address"
#define P_ADDRESS_LONG "The address is too long (at most 300 characters)"
#define P_CONTACT "Enter an address, a phone number or an e-mail address"
#define P_SIGNED "The submission must be signed or finger-printed"
#define P_PHONE "The phone number is not valid"
#define P_EMAIL "The e-mail address is not valid."
#define P_ID "The ID number must have 9 or 12 digits"
#define P_VAULT "The confidential vault is not set up"

#define PEOPLE_MAX 100000

/* Every column intake and split write. */
typedef struct NewCase {
	char code[CASE_CODE_LEN + 1];
	CaseKind kind;
	const char *channel, *received_on, *title, *content, *key;
	int64_t field_id, unit_id, receiving_org_id, responsible_org_id, parent_id;
	bool anonymous, remote_area;
	int people_count;
	unsigned criteria;
	const char *name, *address, *phone, *email, *id_number; /* NULL when sealed */
	const unsigned char *sealed;
	size_t sealed_len;
	const char *person_key; /* NULL = none */
	const char *forwarded_from;
	int64_t created_at; /* 0 = now */
} NewCase;

static Rc insert_case(Db *db, const NewCase *n, int64_t *id)
{
	int64_t now = n->created_at ? n->created_at : util_now();
	Rc rc = db_run(db,
		       "INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
		       " updated_at, title, content, search_key, field_id, unit_id, receiving_org_id,"
		       " responsible_org_id, parent_id, anonymous, people_count, remote_area, criteria,"
		       " citizen_name, citizen_address, citizen_phone, citizen_email, citizen_id_number,"
		       " identity_sealed, person_key, forwarded_from)"
		       " VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0),"
		       " nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "ttttlltttllllliiiitttttbtt", n->code, case_kind_id(n->kind), n->channel,
		       n->received_on, now, now, n->title, n->content, n->key, n->field_id, n->unit_id,
		       n->receiving_org_id, n->responsible_org_id, n->parent_id, (int)n->anonymous,
		       n->people_count, (int)n->remote_area, (int)(n->criteria & 127u), n->name,
		       n->address, n->phone, n->email, n->id_number, n->sealed, (int)n->sealed_len,
		       n->person_key, n->forwarded_from ? n->forwarded_from : "");
	if (!rc)
		*id = db_last_id(db);
	return rc;
}

/* ---- the sealed identity -------------------------------------------------- */

/* The identity as JSON, built with the writer so nothing typed can break
 * out of its string.  Representatives of a group denunciation are
 * denouncers too, so they go into the sealed record, not case_person. */
static bool identity_json(Buf *b, const char *name, const char *address, const char *phone,
			  const char *email, const char *id_number, const char *const *reps,
			  size_t nreps)
{
	JsonW w;
	jw_init(&w, b);
	jw_obj(&w);
	jw_key(&w, "name");
	jw_str(&w, name ? name : "");
	jw_key(&w, "address");
	jw_str(&w, address ? address : "");
	jw_key(&w, "phone");
	jw_str(&w, phone ? phone : "");
	jw_key(&w, "email");
	jw_str(&w, email ? email : "");
	jw_key(&w, "id_number");
	jw_str(&w, id_number ? id_number : "");
	jw_key(&w, "representatives");
	jw_arr(&w);
	for (size_t i = 0; i < nreps; i++)
		jw_str(&w, reps[i]);
	jw_end(&w);
	jw_end(&w);
	return jw_finished(&w);
}

/* Seal the JSON in b and wipe the plaintext. */
static Rc seal_buf(Db *db, Buf *b, bool ok, unsigned char **blob, size_t *len)
{
	Rc rc = ok ? vault_seal(db, buf_cstr(b), blob, len) : RC_INTERNAL;
	if (b->data)
		sodium_memzero(b->data, b->len);
	buf_release(b);
	return rc;
}

static Rc set_pseudonym(Db *db, int64_t id)
{
	char p[VAULT_PSEUDONYM_MAX];
	vault_pseudonym(db, id, p);
	return db_run(db, "UPDATE cases SET pseudonym = ? WHERE id = ?", "tl", p, id);
}

/* The clear identity of a case, read for sealing (owned, wiped on release). */
typedef struct ClearIdentity {
	char *f[5];               /* name, address, phone, email, id_number */
	char *reps[CASE_REPRESENTATIVES_MAX];
	size_t nreps;
	bool sealed, anonymous;   /* already sealed / nothing to seal */
} ClearIdentity;

static void clear_identity_release(ClearIdentity *ci)
{
	for (int i = 0; i < 5; i++) {
		if (ci->f[i])
			sodium_memzero(ci->f[i], strlen(ci->f[i]));
		free(ci->f[i]);
	}
	for (size_t i = 0; i < ci->nreps; i++) {
		sodium_memzero(ci->reps[i], strlen(ci->reps[i]));
		free(ci->reps[i]);
	}
}

static Rc clear_identity_load(Db *db, int64_t id, ClearIdentity *ci)
{
	memset(ci, 0, sizeof *ci);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT coalesce(citizen_name, ''), coalesce(citizen_address, ''),"
			" coalesce(citizen_phone, ''), coalesce(citizen_email, ''),"
			" coalesce(citizen_id_number, ''), identity_sealed IS NOT NULL, anonymous"
			" FROM cases WHERE id = ?",
			"l", id);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		for (int i = 0; i < 5; i++)
			ci->f[i] = xstrdup(db_col_text(st, i));
		ci->sealed = db_col_int(st, 5) != 0;
		ci->anonymous = db_col_int(st, 6) != 0;
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	rc = db_prep(db, &st, "SELECT name FROM case_person WHERE case_id = ? ORDER BY id LIMIT ?",
		     "li", id, CASE_REPRESENTATIVES_MAX);
	if (rc)
		return rc;
	while ((s = db_step(st)) == DB_ROW && ci->nreps < CASE_REPRESENTATIVES_MAX)
		ci->reps[ci->nreps++] = xstrdup(db_col_text(st, 0));
	db_done(st);
	return s < 0 ? (Rc)-s : RC_OK;
}

/* Seal the clear identity of an existing case (re-classification into a
 * denunciation): citizen_*, the person key and the representatives leave
 * the row.  The old values may linger in free database pages until they
 * are reused; the operator guide recommends PRAGMA secure_delete. */
Rc case_seal_existing(Db *db, int64_t id)
{
	if (!vault_ready(db))
		return RC_CONFLICT;
	ClearIdentity ci;
	Rc rc = clear_identity_load(db, id, &ci);
	if (!rc && !ci.sealed && !ci.anonymous) {
		Buf b = BUF_INIT;
		unsigned char *blob = NULL;
		size_t len = 0;
		bool ok = identity_json(&b, ci.f[0], ci.f[1], ci.f[2], ci.f[3], ci.f[4],
					(const char *const *)ci.reps, ci.nreps);
		rc = seal_buf(db, &b, ok, &blob, &len);
		if (!rc)
			rc = db_run(db, "UPDATE cases SET identity_sealed = ? WHERE id = ?", "bl", blob,
				    (int)len, id);
		free(blob);
	}
	if (!rc)
		rc = db_run(db, "DELETE FROM case_person WHERE case_id = ?", "l", id);
	if (!rc)
		rc = db_run(db, "UPDATE cases SET citizen_name = NULL, citizen_address = NULL,"
				" citizen_phone = NULL, citizen_email = NULL, citizen_id_number = NULL,"
				" person_key = NULL WHERE id = ?", "l", id);
	if (!rc && !ci.anonymous)
		rc = set_pseudonym(db, id);
	/* The address is identity too: mail not yet sent is dropped (a
	 * denouncer gets no e-mail at all), and the record of what was sent
	 * forgets the address. */
	if (!rc)
		rc = db_run(db, "UPDATE outbox SET state = 'failed', last_error = 'sealed'"
				" WHERE case_id = ? AND state = 'pending'", "l", id);
	if (!rc)
		rc = outbox_redact_case(db, id);
	clear_identity_release(&ci);
	return rc;
}

/* ---- validation ------------------------------------------------------------ */

/* Trimmed copy; NULL when absent or blank. */
static char *clean(const char *s)
{
	if (!s)
		return NULL;
	char *t = text_trim(xstrdup(s));
	if (!*t) {
		free(t);
		return NULL;
	}
	return t;
}

void case_checked_release(CaseChecked *c)
{
	char **s[] = {&c->title, &c->content, &c->name, &c->address, &c->phone, &c->email,
		      &c->id_number, &c->forwarded_from};
	for (size_t i = 0; i < ARRAY_LEN(s); i++) {
		if (*s[i])
			sodium_memzero(*s[i], strlen(*s[i]));
		free(*s[i]);
		*s[i] = NULL;
	}
	for (size_t i = 0; i < c->nreps; i++)
		free(c->reps[i]);
	c->nreps = 0;
}

static const char *check_text(const char *t, size_t max, const char *missing, const char *too_long)
{
	if (!t)
		return missing;
	return text_length(t) > max ? too_long : NULL;
}

/* A lookup that found nothing is the input's problem `p`; any other
 * failure is the database's, kept in c->db_rc. */
static const char *lookup_problem(CaseChecked *c, Rc rc, const char *p)
{
	if (rc != RC_NOT_FOUND)
		c->db_rc = rc;
	return p;
}

/* What, where and when (not who). */
static const char *check_matter(Db *db, const Principal *actor, const CaseIntake *in, CaseChecked *c)
{
	if ((unsigned)in->kind >= KIND_COUNT)
		return P_KIND;
	c->kind = in->kind;
	const char *channel = in->channel && *in->channel ? in->channel : actor ? "desk" : "web";
	/* The public form is the web channel, received today: only staff
	 * register paper, desk and forwarded submissions with their real date. */
	if (!case_channel_valid(channel) || (!actor && !str_eq(channel, "web")))
		return P_CHANNEL;
	xsnprintf(c->channel, sizeof c->channel, "%s", channel);
	Date today = case_today(), d = today;
	if (actor && in->received_on && *in->received_on) {
		if (!date_parse_iso(in->received_on, &d))
			return P_DATE;
		if (date_to_days(d) > date_to_days(today))
			return P_FUTURE;
	}
	date_iso(d, c->received_on);
	c->title = clean(in->title);
	c->content = clean(in->content);
	const char *p = check_text(c->title, CASE_TITLE_MAX, P_TITLE, P_TITLE_LONG);
	if (!p)
		p = check_text(c->content, CASE_CONTENT_MAX, P_CONTENT, P_CONTENT_LONG);
	if (p)
		return p;
	Rc rc;
	if (in->field_code && *in->field_code &&
	    (rc = db_get_int(db, &c->field_id, "SELECT id FROM field WHERE code = ? AND active = 1",
			     "t", in->field_code)))
		return lookup_problem(c, rc, P_FIELD);
	int64_t tmp;
	if (in->unit_id &&
	    (rc = db_get_int(db, &tmp, "SELECT id FROM unit WHERE id = ?", "l", in->unit_id)))
		return lookup_problem(c, rc, P_UNIT);
	c->unit_id = in->unit_id;
	c->receiving_org_id = in->receiving_org_id;
	if (actor && !c->receiving_org_id)
		c->receiving_org_id = actor->org_id;
	if (c->receiving_org_id) {
		int64_t org_unit = 0;
		if ((rc = db_get_int(db, &org_unit, "SELECT coalesce(unit_id, 0) FROM org WHERE id = ?",
				     "l", c->receiving_org_id)))
			return lookup_problem(c, rc, P_ORG);
		/* Staff register for their own organisation or one in their area. */
		if (actor && c->receiving_org_id != actor->org_id &&
		    !unit_within(db, org_unit, actor->scope_unit_id))
			return P_ORG;
	}
	if (str_eq(c->channel, "forwarded")) {
		c->forwarded_from = clean(in->forwarded_from);
		if ((p = check_text(c->forwarded_from, CASE_ADDRESS_MAX, P_FORWARDED, P_FORWARDED)))
			return p;
	}
	c->criteria = in->criteria & 127u;
	c->remote_area = in->remote_area;
	return NULL;
}

/* How many people, and who speaks for a group. */
static const char *check_group(const CaseIntake *in, CaseChecked *c)
{
	c->people_count = in->people_count ? in->people_count : 1;
	if (c->people_count < 1 || c->people_count > PEOPLE_MAX)
		return P_PEOPLE;
	if (c->people_count >= CASE_GROUP_MIN)
		c->criteria |= CRIT_MANY_PEOPLE; /* many people's interests (Decree 31/2019 Art. 3) */
	if (in->anonymous)
		return NULL; /* nobody to represent: no names are kept */
	for (size_t i = 0; i < CASE_REPRESENTATIVES_MAX; i++) {
		char *r = clean(in->representatives[i]);
		if (!r)
			continue;
		c->reps[c->nreps++] = r;
		if (text_length(r) > CASE_NAME_MAX)
			return P_REP_LONG;
	}
	if (c->people_count < CASE_GROUP_MIN)
		return c->nreps ? P_NOT_GROUP : NULL;
	size_t most = c->people_count <= 10 ? 2 : CASE_REPRESENTATIVES_MAX;
	return c->nreps < 1 || c->nreps > most ? P_GROUP : NULL;
}

/* Who, per kind; anonymous information keeps no identity at all. */
static const char *check_person(const CaseIntake *in, CaseChecked *c)
{
	c->anonymous = in->anonymous;
	if (c->anonymous)
		return NULL;
	c->name = clean(in->name);
	c->address = clean(in->address);
	c->phone = clean(in->phone);
	c->email = clean(in->email);
	c->id_number = clean(in->id_number);
	c->signed_ = in->signed_;
	const char *p = check_text(c->name, CASE_NAME_MAX, P_NAME, P_NAME_LONG);
	if (p)
		return p;
	if (c->address && text_length(c->address) > CASE_ADDRESS_MAX)
		return P_ADDRESS_LONG;
	if (c->phone && !case_phone_valid(c->phone))
		return P_PHONE;
	if (c->email && !outbox_address_valid(c->email))
		return P_EMAIL;
	if (c->id_number && !case_id_number_valid(c->id_number))
		return P_ID;
	if (c->kind == KIND_PETITION)
		return c->address || c->phone || c->email ? NULL : P_CONTACT;
	if (!c->address)
		return P_ADDRESS;
	return c->signed_ ? NULL : P_SIGNED;
}

/* ---- intake ---------------------------------------------------------------- */

/* The receipt: the tracking code only, nothing of the matter or the
 * person.  Vietnamese first (the citizen's language), English after; the
 * domain layer has no request language to pick one. */
static Rc queue_receipt(Db *db, int64_t id, const char *to, const char *code)
{
	Buf subject = BUF_INIT, body = BUF_INIT;
	buf_printf(&subject, "Đã tiếp nhận đơn — mã theo dõi %s", code);
	buf_printf(&body,
		   "Cơ quan tiếp nhận đã vào sổ đơn của ông/bà.\n"
		   "Mã tra cứu: %s\n"
		   "Ông/bà dùng mã này trên trang \"Tra cứu hồ sơ\" để xem tình trạng giải quyết,"
		   " bổ sung thông tin hoặc đánh giá kết quả. Vui lòng không chia sẻ mã cho người khác.\n"
		   "\n"
		   "Your submission has been registered. Tracking code: %s\n"
		   "Use it on the case tracking page to follow its progress. Keep it private.\n",
		   code, code);
	Rc rc = outbox_queue(db, to, buf_cstr(&subject), buf_cstr(&body), id);
	buf_release(&subject);
	buf_release(&body);
	return rc;
}

Rc case_intake_seal(Db *db, const CaseChecked *c, unsigned char **blob, size_t *len)
{
	Buf b = BUF_INIT;
	bool ok = identity_json(&b, c->name, c->address, c->phone, c->email, c->id_number,
				(const char *const *)c->reps, c->nreps);
	return seal_buf(db, &b, ok, blob, len);
}

/* Seal the identity for a denunciation (unless `as` brings it sealed
 * already); everything else keeps it in the clear columns with a person
 * key for repeat detection. */
static Rc intake_identity(Db *db, const CaseChecked *c, const CaseIntakeAs *as, NewCase *n,
			  unsigned char **blob, char person_key[CASE_PERSON_KEY_HEX + 1])
{
	if (c->anonymous)
		return RC_OK;
	if (c->kind != KIND_DENUNCIATION) {
		n->name = c->name;
		n->address = c->address;
		n->phone = c->phone;
		n->email = c->email;
		n->id_number = c->id_number;
		Rc rc = case_person_key(db, c->id_number, c->phone, person_key);
		if (rc == RC_OK)
			n->person_key = person_key;
		return rc == RC_NOT_FOUND ? RC_OK : rc;
	}
	if (as && as->sealed) {
		n->sealed = as->sealed;
		n->sealed_len = as->sealed_len;
		return RC_OK;
	}
	Rc rc = case_intake_seal(db, c, blob, &n->sealed_len);
	n->sealed = *blob;
	return rc;
}

char *case_search_key_of(const char *title, const char *content)
{
	Buf text = BUF_INIT;
	buf_printf(&text, "%s\n%s", title, content);
	char *key = text_search_key(buf_cstr(&text));
	buf_release(&text);
	return key;
}

Rc case_intake_store(Db *db, const Principal *actor, const CaseChecked *c, const CaseIntakeAs *as,
		     CaseCreated *out)
{
	NewCase n = {
		.kind = c->kind, .channel = c->channel, .received_on = c->received_on,
		.title = c->title, .content = c->content, .field_id = c->field_id,
		.unit_id = c->unit_id, .receiving_org_id = c->receiving_org_id,
		.anonymous = c->anonymous, .remote_area = c->remote_area,
		.people_count = c->people_count, .criteria = c->criteria,
		.forwarded_from = c->forwarded_from,
		.created_at = as ? as->created_at : 0,
	};
	unsigned char *blob = NULL;
	char person_key[CASE_PERSON_KEY_HEX + 1];
	char *key = as && as->search_key ? xstrdup(as->search_key)
					 : case_search_key_of(c->title, c->content);
	n.key = key;
	int64_t id = 0;
	Rc rc = RC_OK;
	if (as && as->code)
		xsnprintf(n.code, sizeof n.code, "%s", as->code);
	else
		rc = case_code_new(db, n.code);
	if (!rc)
		rc = intake_identity(db, c, as, &n, &blob, person_key);
	if (!rc)
		rc = insert_case(db, &n, &id);
	free(blob);
	if (!rc && n.sealed)
		rc = set_pseudonym(db, id);
	for (size_t i = 0; !rc && !n.sealed && i < c->nreps; i++)
		rc = db_run(db, "INSERT INTO case_person (case_id, role, name) VALUES (?, 'representative', ?)",
			    "lt", id, c->reps[i]);
	if (!rc)
		rc = case_fts_set(db, id, NULL, key);
	free(key);
	CaseCore core;
	if (!rc)
		rc = case_core_load(db, id, &core);
	if (!rc)
		rc = case_event_add(db, id, actor,
				    &(CaseEventIn){.action = "intake", .to = "received",
						   .visibility = "citizen"}, NULL);
	if (!rc)
		rc = case_first_step_open(db, &core);
	if (!rc)
		rc = case_links_queue(db, id); /* suggestions: the background worker */
	if (!rc && c->email && !n.sealed && !c->anonymous)
		rc = queue_receipt(db, id, c->email, n.code);
	if (!rc) {
		char detail[96];
		xsnprintf(detail, sizeof detail, "%s kind=%s channel=%s", n.code,
			  case_kind_id(c->kind), c->channel);
		rc = case_audit(db, actor, "receive", &core, detail);
	}
	if (!rc) {
		out->id = id;
		memcpy(out->code, n.code, sizeof out->code);
	}
	return rc;
}

Rc case_intake_check(Db *db, const Principal *actor, const CaseIntake *in, CaseChecked *c,
		     const char **problem)
{
	memset(c, 0, sizeof *c);
	*problem = NULL;
	if (actor && !(actor->caps & (CAP_CASE_RECEIVE | CAP_CASE_HANDLE)))
		return RC_FORBIDDEN;
	const char *p = check_matter(db, actor, in, c);
	if (!p)
		p = check_group(in, c);
	if (!p)
		p = check_person(in, c);
	Rc rc = c->db_rc ? c->db_rc : p ? RC_INVALID : RC_OK;
	if (c->db_rc)
		p = NULL;
	/* Never fall back to storing a denouncer in the clear. */
	if (!rc && c->kind == KIND_DENUNCIATION && !c->anonymous && !vault_ready(db)) {
		p = P_VAULT;
		rc = RC_CONFLICT;
	}
	*problem = p;
	return rc;
}

Rc case_intake(Db *db, const Principal *actor, const CaseIntake *in, CaseCreated *out,
	       const char **problem)
{
	const char *dummy;
	if (!problem)
		problem = &dummy;
	memset(out, 0, sizeof *out);
	CaseChecked c;
	Rc rc = case_intake_check(db, actor, in, &c, problem);
	if (!rc)
		rc = case_intake_store(db, actor, &c, NULL, out);
	case_checked_release(&c);
	return rc;
}

/* ---- split ------------------------------------------------------------------- */

/* The parts of the source case a split copies (owned). */
typedef struct Source {
	char *channel, *received_on, *forwarded_from, *person_key;
	char *person[5]; /* name, address, phone, email, id_number; NULL when absent */
	unsigned char *sealed;
	size_t sealed_len;
	int64_t field_id, unit_id, receiving_org_id;
	int people_count;
	unsigned criteria;
	bool anonymous, remote_area;
} Source;

static char *col_or_null(DbStmt *st, int i)
{
	return db_col_null(st, i) ? NULL : xstrdup(db_col_text(st, i));
}

static Rc source_load(Db *db, int64_t id, Source *s)
{
	memset(s, 0, sizeof *s);
	DbStmt *st;
	Rc rc = db_prep(db, &st,
			"SELECT channel, received_on, forwarded_from, person_key, citizen_name,"
			" citizen_address, citizen_phone, citizen_email, citizen_id_number,"
			" identity_sealed, coalesce(field_id, 0), coalesce(unit_id, 0),"
			" coalesce(receiving_org_id, 0), people_count, criteria, anonymous, remote_area"
			" FROM cases WHERE id = ?",
			"l", id);
	if (rc)
		return rc;
	int r = db_step(st);
	if (r == DB_ROW) {
		s->channel = xstrdup(db_col_text(st, 0));
		s->received_on = xstrdup(db_col_text(st, 1));
		s->forwarded_from = xstrdup(db_col_text(st, 2));
		s->person_key = col_or_null(st, 3);
		for (int i = 0; i < 5; i++)
			s->person[i] = col_or_null(st, 4 + i);
		if (!db_col_null(st, 9) && db_col_bytes(st, 9) > 0) {
			s->sealed_len = (size_t)db_col_bytes(st, 9);
			s->sealed = xmalloc(s->sealed_len);
			memcpy(s->sealed, db_col_blob(st, 9), s->sealed_len);
		}
		s->field_id = db_col_int(st, 10);
		s->unit_id = db_col_int(st, 11);
		s->receiving_org_id = db_col_int(st, 12);
		s->people_count = (int)db_col_int(st, 13);
		s->criteria = (unsigned)db_col_int(st, 14);
		s->anonymous = db_col_int(st, 15) != 0;
		s->remote_area = db_col_int(st, 16) != 0;
	}
	db_done(st);
	return r == DB_ROW ? RC_OK : r == DB_DONE ? RC_NOT_FOUND : (Rc)-r;
}

static void source_release(Source *s)
{
	free(s->channel);
	free(s->received_on);
	free(s->forwarded_from);
	free(s->person_key);
	for (int i = 0; i < 5; i++) {
		if (s->person[i])
			sodium_memzero(s->person[i], strlen(s->person[i]));
		free(s->person[i]);
	}
	free(s->sealed);
}

/* The new part's identity.  Once sealed, always sealed: a part split off
 * a denunciation keeps the sealed record (nobody here can open it), and a
 * denunciation split off a clear case is sealed now. */
static Rc split_identity(Db *db, const Source *s, CaseKind kind, NewCase *n, unsigned char **blob)
{
	if (s->anonymous)
		return RC_OK;
	if (s->sealed) {
		n->sealed = s->sealed;
		n->sealed_len = s->sealed_len;
		return RC_OK;
	}
	if (kind == KIND_DENUNCIATION) {
		if (!vault_ready(db))
			return RC_CONFLICT;
		Buf b = BUF_INIT;
		bool ok = identity_json(&b, s->person[0], s->person[1], s->person[2], s->person[3],
					s->person[4], NULL, 0);
		Rc rc = seal_buf(db, &b, ok, blob, &n->sealed_len);
		n->sealed = *blob;
		return rc;
	}
	n->name = s->person[0];
	n->address = s->person[1];
	n->phone = s->person[2];
	n->email = s->person[3];
	n->id_number = s->person[4];
	n->person_key = s->person_key;
	return RC_OK;
}

/* Representatives and monitoring bodies follow the part; representatives
 * of a part that is sealed go into nothing clear. */
static Rc split_copy_related(Db *db, int64_t from, int64_t to, bool sealed)
{
	Rc rc = sealed ? RC_OK
		       : db_run(db, "INSERT INTO case_person (case_id, role, name, address, phone)"
				    " SELECT ?, role, name, address, phone FROM case_person"
				    " WHERE case_id = ? ORDER BY id", "ll", to, from);
	if (!rc)
		rc = db_run(db, "INSERT INTO case_monitor (case_id, org_id)"
				" SELECT ?, org_id FROM case_monitor WHERE case_id = ?", "ll", to, from);
	return rc;
}

static Rc split_events(Db *db, const Principal *who, const CaseCore *src, const CaseCore *part)
{
	char note[64];
	xsnprintf(note, sizeof note, "%s", part->code);
	Rc rc = case_event_add(db, src->id, who,
			       &(CaseEventIn){.action = "split", .note = note,
					      .visibility = "citizen"}, NULL);
	xsnprintf(note, sizeof note, "%s", src->code);
	if (!rc)
		rc = case_event_add(db, part->id, who,
				    &(CaseEventIn){.action = "split", .to = "received", .note = note,
						   .visibility = "citizen"}, NULL);
	if (!rc)
		rc = db_run(db, "INSERT INTO case_link (case_id, other_id, kind, confirmed, score)"
				" VALUES (?, ?, 'split', 1, 0)", "ll", src->id, part->id);
	if (!rc) {
		char detail[64];
		xsnprintf(detail, sizeof detail, "%s -> %s kind=%s", src->code, part->code,
			  case_kind_id(part->kind));
		rc = case_audit(db, who, "split", src, detail);
	}
	return rc;
}

static Rc split_store(Db *db, const Principal *who, const CaseCore *src, CaseKind kind,
		      const char *title, const char *content, CaseCreated *out)
{
	Source s;
	Rc rc = source_load(db, src->id, &s);
	if (rc)
		return rc;
	Buf text = BUF_INIT;
	buf_printf(&text, "%s\n%s", title, content);
	char *key = text_search_key(buf_cstr(&text));
	buf_release(&text);
	NewCase n = {
		.kind = kind, .channel = s.channel, .received_on = s.received_on, .title = title,
		.content = content, .key = key, .field_id = s.field_id, .unit_id = s.unit_id,
		.receiving_org_id = s.receiving_org_id, .parent_id = src->id,
		.anonymous = s.anonymous, .remote_area = s.remote_area,
		.people_count = s.people_count, .criteria = s.criteria,
		.forwarded_from = s.forwarded_from,
	};
	unsigned char *blob = NULL;
	int64_t id = 0;
	rc = case_code_new(db, n.code);
	if (!rc)
		rc = split_identity(db, &s, kind, &n, &blob);
	if (!rc)
		rc = insert_case(db, &n, &id);
	bool sealed = n.sealed != NULL;
	/* The part has its own tracking code: the citizen is told it, like
	 * at intake (never for a sealed identity). */
	char *email = !sealed && s.person[3] ? xstrdup(s.person[3]) : NULL;
	free(blob);
	source_release(&s);
	if (!rc && sealed)
		rc = set_pseudonym(db, id);
	if (!rc)
		rc = split_copy_related(db, src->id, id, sealed);
	if (!rc)
		rc = case_fts_set(db, id, NULL, key);
	free(key);
	CaseCore part;
	if (!rc)
		rc = case_core_load(db, id, &part);
	if (!rc)
		rc = split_events(db, who, src, &part);
	if (!rc)
		rc = case_first_step_open(db, &part);
	if (!rc)
		rc = case_touch(db, src->id);
	if (!rc && email)
		rc = queue_receipt(db, id, email, part.code);
	free(email);
	if (!rc) {
		out->id = id;
		memcpy(out->code, part.code, sizeof out->code);
	}
	return rc;
}

Rc case_split(Db *db, const Principal *who, int64_t id, CaseKind kind, const char *title,
	      const char *content, CaseCreated *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !(who->caps & (CAP_CASE_RECEIVE | CAP_CASE_HANDLE)))
		return RC_FORBIDDEN;
	CaseCore src;
	Rc rc = case_core_load(db, id, &src);
	if (rc)
		return rc;
	if (!case_in_area(db, who, &src))
		return RC_NOT_FOUND;
	if (!str_eq(src.status, "received") && !str_eq(src.status, "classified"))
		return RC_CONFLICT;
	if ((unsigned)kind >= KIND_COUNT)
		return RC_INVALID;
	char *t = clean(title), *c = clean(content);
	if (check_text(t, CASE_TITLE_MAX, P_TITLE, P_TITLE_LONG) ||
	    check_text(c, CASE_CONTENT_MAX, P_CONTENT, P_CONTENT_LONG))
		rc = RC_INVALID;
	if (!rc)
		rc = split_store(db, who, &src, kind, t, c, out);
	free(t);
	free(c);
	return rc;
}
