/*
 * schema.c — ordered, forward-only migrations (see schema.h).
 *
 * Rules: never edit a migration that has shipped; add a new one.  Each is
 * run inside one write transaction together with the schema_version
 * update, so a crash leaves the database at the previous version.
 *
 * Conventions: INTEGER PRIMARY KEY ids; times are UNIX seconds (UTC);
 * calendar dates are ISO "YYYY-MM-DD" text; every text a user searches has
 * a *_key column holding text_search_key() of it.
 */
#include "schema.h"

static const char *const migrations[] = {
/* 1: settings, places, organisations, people, sessions, audit */
"CREATE TABLE setting (\n"
"  key TEXT PRIMARY KEY,\n"
"  value TEXT NOT NULL\n"
");\n"
/* Administrative units of both eras.  code is the GSO code (2 digits for
 * provinces, 3 districts, 5 communes); codes repeat across eras, so the
 * key is (level, code, valid_from). valid_to NULL = still in force. */
"CREATE TABLE unit (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL,\n"
"  level TEXT NOT NULL CHECK (level IN ('province','district','commune')),\n"
"  era INTEGER NOT NULL CHECK (era IN (2020, 2025)),\n"
"  parent_id INTEGER REFERENCES unit(id),\n"
"  province_id INTEGER REFERENCES unit(id),\n"
"  name TEXT NOT NULL,\n"
"  full_name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  kind TEXT NOT NULL DEFAULT '',\n"
"  name_key TEXT NOT NULL,\n"
"  valid_from TEXT NOT NULL,\n"
"  valid_to TEXT,\n"
"  UNIQUE (level, code, valid_from)\n"
");\n"
"CREATE INDEX unit_parent ON unit(parent_id);\n"
"CREATE INDEX unit_province ON unit(province_id);\n"
"CREATE INDEX unit_code ON unit(code);\n"
"CREATE INDEX unit_name_key ON unit(name_key);\n"
/* old unit → new unit; partial = only part of the old unit went there */
"CREATE TABLE unit_successor (\n"
"  old_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  new_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  partial INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (old_id, new_id)\n"
");\n"
"CREATE INDEX unit_successor_new ON unit_successor(new_id);\n"
"CREATE TABLE region (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  builtin INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE TABLE region_member (\n"
"  region_id INTEGER NOT NULL REFERENCES region(id) ON DELETE CASCADE,\n"
"  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
"  PRIMARY KEY (region_id, unit_id)\n"
");\n"
/* Organisations: kind is one of org.h's kinds; unit_id NULL = central. */
"CREATE TABLE org (\n"
"  id INTEGER PRIMARY KEY,\n"
"  parent_id INTEGER REFERENCES org(id),\n"
"  unit_id INTEGER REFERENCES unit(id),\n"
"  kind TEXT NOT NULL,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  created_at INTEGER NOT NULL,\n"
"  dissolved_on TEXT\n"
");\n"
"CREATE INDEX org_parent ON org(parent_id);\n"
"CREATE INDEX org_unit ON org(unit_id);\n"
/* Names change over time (the 2025 mergers): one row per period. */
"CREATE TABLE org_name (\n"
"  org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL,\n"
"  short_name TEXT NOT NULL DEFAULT '',\n"
"  name_key TEXT NOT NULL,\n"
"  valid_from TEXT NOT NULL,\n"
"  valid_to TEXT,\n"
"  PRIMARY KEY (org_id, valid_from)\n"
");\n"
"CREATE TABLE user (\n"
"  id INTEGER PRIMARY KEY,\n"
"  login TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  email TEXT NOT NULL DEFAULT '',\n"
"  org_id INTEGER NOT NULL REFERENCES org(id),\n"
"  pw_hash TEXT NOT NULL,\n"
"  lang TEXT NOT NULL DEFAULT 'vi',\n"
"  disabled INTEGER NOT NULL DEFAULT 0,\n"
"  failed_logins INTEGER NOT NULL DEFAULT 0,\n"
"  locked_until INTEGER NOT NULL DEFAULT 0,\n"
"  created_at INTEGER NOT NULL,\n"
"  pw_changed_at INTEGER NOT NULL\n"
");\n"
"CREATE INDEX user_org ON user(org_id);\n"
"CREATE TABLE user_role (\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  role TEXT NOT NULL,\n"
"  PRIMARY KEY (user_id, role)\n"
");\n"
/* Sessions: only a hash of the cookie value is stored. */
"CREATE TABLE session (\n"
"  id_hash TEXT PRIMARY KEY,\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  created_at INTEGER NOT NULL,\n"
"  expires_at INTEGER NOT NULL,\n"
"  last_seen INTEGER NOT NULL\n"
");\n"
"CREATE INDEX session_user ON session(user_id);\n"
"CREATE TABLE api_token (\n"
"  id INTEGER PRIMARY KEY,\n"
"  token_hash TEXT NOT NULL UNIQUE,\n"
"  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,\n"
"  label TEXT NOT NULL DEFAULT '',\n"
"  created_at INTEGER NOT NULL,\n"
"  last_used INTEGER NOT NULL DEFAULT 0,\n"
"  revoked INTEGER NOT NULL DEFAULT 0\n"
");\n"
/* Append-only, hash-chained: hash = sha256(prev_hash | fields). Triggers
 * refuse UPDATE and DELETE. */
"CREATE TABLE audit (\n"
"  id INTEGER PRIMARY KEY,\n"
"  at INTEGER NOT NULL,\n"
"  actor_id INTEGER,\n"
"  actor TEXT NOT NULL,\n"
"  action TEXT NOT NULL,\n"
"  object_type TEXT NOT NULL,\n"
"  object_id INTEGER,\n"
"  unit_id INTEGER,\n"
"  detail TEXT NOT NULL DEFAULT '',\n"
"  prev_hash TEXT NOT NULL,\n"
"  hash TEXT NOT NULL\n"
");\n"
"CREATE INDEX audit_object ON audit(object_type, object_id);\n"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;\n",

/* 2: citizens' cases — petitions (kiến nghị, phản ánh), complaints,
 * denunciations — with their events, deadlines, attachments, links,
 * the field tree, deadline rules, the calendar, the outbox and search. */
"CREATE TABLE field (\n"
"  id INTEGER PRIMARY KEY,\n"
"  parent_id INTEGER REFERENCES field(id),\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  sort INTEGER NOT NULL DEFAULT 0,\n"
"  active INTEGER NOT NULL DEFAULT 1\n"
");\n"
/* kind: petition | complaint | denunciation.  status: see domain/case.h.
 * Personal data (citizen_*) is NULL for denunciations: their identity is
 * in identity_sealed, a libsodium sealed box to the vault public key. */
"CREATE TABLE cases (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('petition','complaint','denunciation')),\n"
"  status TEXT NOT NULL,\n"
"  channel TEXT NOT NULL,\n"
"  received_on TEXT NOT NULL,\n"
"  created_at INTEGER NOT NULL,\n"
"  updated_at INTEGER NOT NULL,\n"
"  closed_at INTEGER,\n"
"  title TEXT NOT NULL,\n"
"  content TEXT NOT NULL,\n"
"  search_key TEXT NOT NULL,\n"
"  field_id INTEGER REFERENCES field(id),\n"
"  unit_id INTEGER REFERENCES unit(id),\n"
"  receiving_org_id INTEGER REFERENCES org(id),\n"
"  responsible_org_id INTEGER REFERENCES org(id),\n"
"  assignee_id INTEGER REFERENCES user(id),\n"
"  anonymous INTEGER NOT NULL DEFAULT 0,\n"
"  people_count INTEGER NOT NULL DEFAULT 1,\n"
"  instance INTEGER NOT NULL DEFAULT 1,\n"
"  remote_area INTEGER NOT NULL DEFAULT 0,\n"
"  criteria INTEGER NOT NULL DEFAULT 0,\n"
"  extensions INTEGER NOT NULL DEFAULT 0,\n"
"  suspended_since TEXT,\n"
"  outcome TEXT NOT NULL DEFAULT '',\n"
"  refuse_reason TEXT NOT NULL DEFAULT '',\n"
"  citizen_name TEXT,\n"
"  citizen_address TEXT,\n"
"  citizen_phone TEXT,\n"
"  citizen_email TEXT,\n"
"  citizen_id_number TEXT,\n"
"  identity_sealed BLOB,\n"
"  pseudonym TEXT NOT NULL DEFAULT '',\n"
"  person_key TEXT,\n"
"  parent_id INTEGER REFERENCES cases(id),\n"
"  rating INTEGER,\n"
"  rating_note TEXT NOT NULL DEFAULT '',\n"
"  forwarded_from TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX cases_status ON cases(status);\n"
/* units in force, counted on the home page */
"CREATE INDEX unit_in_force ON unit(level) WHERE valid_to IS NULL;\n"
"CREATE INDEX cases_unit ON cases(unit_id);\n"
"CREATE INDEX cases_responsible ON cases(responsible_org_id);\n"
"CREATE INDEX cases_receiving ON cases(receiving_org_id);\n"
"CREATE INDEX cases_assignee ON cases(assignee_id);\n"
"CREATE INDEX cases_received ON cases(received_on);\n"
"CREATE INDEX cases_person ON cases(person_key);\n"
"CREATE INDEX cases_kind_field ON cases(kind, field_id);\n"
/* Mass-mobilisation bodies that monitor a case (they do not decide). */
"CREATE TABLE case_monitor (\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  org_id INTEGER NOT NULL REFERENCES org(id),\n"
"  PRIMARY KEY (case_id, org_id)\n"
");\n"
/* Representatives of a group petition (personal data). */
"CREATE TABLE case_person (\n"
"  id INTEGER PRIMARY KEY,\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  role TEXT NOT NULL DEFAULT 'representative',\n"
"  name TEXT NOT NULL,\n"
"  address TEXT NOT NULL DEFAULT '',\n"
"  phone TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX case_person_case ON case_person(case_id);\n"
/* History: every transition, note, reply and document.  visibility:
 * 'internal' (staff only) or 'citizen' (shown on the tracking page). */
"CREATE TABLE case_event (\n"
"  id INTEGER PRIMARY KEY,\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  at INTEGER NOT NULL,\n"
"  actor_id INTEGER,\n"
"  actor TEXT NOT NULL,\n"
"  action TEXT NOT NULL,\n"
"  from_status TEXT NOT NULL DEFAULT '',\n"
"  to_status TEXT NOT NULL DEFAULT '',\n"
"  note TEXT NOT NULL DEFAULT '',\n"
"  doc_number TEXT NOT NULL DEFAULT '',\n"
"  doc_date TEXT,\n"
"  visibility TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal','citizen'))\n"
");\n"
"CREATE INDEX case_event_case ON case_event(case_id, id);\n"
/* Statutory steps with their due dates (computed from deadline_rule and
 * the calendar when the step starts). state: open | met | missed | paused | cancelled. */
"CREATE TABLE case_deadline (\n"
"  id INTEGER PRIMARY KEY,\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  step TEXT NOT NULL,\n"
"  rule_id INTEGER REFERENCES deadline_rule(id),\n"
"  starts_on TEXT NOT NULL,\n"
"  due_on TEXT NOT NULL,\n"
"  basis TEXT NOT NULL,\n"
"  state TEXT NOT NULL DEFAULT 'open',\n"
"  met_on TEXT,\n"
"  escalated_at INTEGER\n"
");\n"
"CREATE INDEX case_deadline_case ON case_deadline(case_id);\n"
"CREATE INDEX case_deadline_due ON case_deadline(state, due_on);\n"
"CREATE TABLE case_attachment (\n"
"  id INTEGER PRIMARY KEY,\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  event_id INTEGER REFERENCES case_event(id),\n"
"  filename TEXT NOT NULL,\n"
"  content_type TEXT NOT NULL,\n"
"  size INTEGER NOT NULL,\n"
"  sha256 TEXT NOT NULL,\n"
"  data BLOB NOT NULL,\n"
"  public INTEGER NOT NULL DEFAULT 0,\n"
"  created_at INTEGER NOT NULL\n"
");\n"
"CREATE INDEX case_attachment_case ON case_attachment(case_id);\n"
/* kind: split (parent → part of a mixed submission), repeat, duplicate;
 * confirmed 0 = suggested by the system, 1 = confirmed by staff. */
"CREATE TABLE case_link (\n"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  other_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('split','repeat','duplicate')),\n"
"  confirmed INTEGER NOT NULL DEFAULT 0,\n"
"  score INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (case_id, other_id, kind)\n"
");\n"
"CREATE INDEX case_link_other ON case_link(other_id);\n"
/* Deadline rules are data with their legal basis and effective dates: a
 * new law is a new set of rows, not new code.  kind × step × complexity
 * (0 normal, 1 complex, 2 very complex) × remote area × multi_place;
 * -1 in a qualifier column = any. */
"CREATE TABLE deadline_rule (\n"
"  id INTEGER PRIMARY KEY,\n"
"  kind TEXT NOT NULL,\n"
"  step TEXT NOT NULL,\n"
"  complexity INTEGER NOT NULL DEFAULT -1,\n"
"  remote INTEGER NOT NULL DEFAULT -1,\n"
"  multi_place INTEGER NOT NULL DEFAULT -1,\n"
"  days INTEGER NOT NULL,\n"
"  working_days INTEGER NOT NULL,\n"
"  basis TEXT NOT NULL,\n"
"  effective_from TEXT NOT NULL,\n"
"  effective_to TEXT\n"
");\n"
"CREATE INDEX deadline_rule_lookup ON deadline_rule(kind, step);\n"
/* Calendar exceptions on top of the computed holidays: 'off' adds a day
 * off (compensatory days decided each year), 'work' makes a weekend day
 * a working day (swapped days). */
"CREATE TABLE calendar_day (\n"
"  day TEXT PRIMARY KEY,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('off','work')),\n"
"  name TEXT NOT NULL DEFAULT ''\n"
");\n"
/* E-mail waiting to be sent, and the record of what was sent. */
"CREATE TABLE outbox (\n"
"  id INTEGER PRIMARY KEY,\n"
"  created_at INTEGER NOT NULL,\n"
"  to_addr TEXT NOT NULL,\n"
"  subject TEXT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,\n"
"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),\n"
"  attempts INTEGER NOT NULL DEFAULT 0,\n"
"  next_attempt_at INTEGER NOT NULL DEFAULT 0,\n"
"  last_error TEXT NOT NULL DEFAULT '',\n"
"  sent_at INTEGER\n"
");\n"
"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);\n"
/* Full-text search over the folded key (text_search_key), so the
 * tokenizer only ever sees unaccented lower-case text. */
"CREATE VIRTUAL TABLE case_fts USING fts5(search_key, content='', tokenize='unicode61 remove_diacritics 2');\n",

/* 3: the public portal — categories, articles with revisions, tags and
 * figures, reader feedback under moderation, daily view counts, search. */
"CREATE TABLE category (\n"
"  id INTEGER PRIMARY KEY,\n"
"  slug TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  name_en TEXT NOT NULL DEFAULT '',\n"
"  sort INTEGER NOT NULL DEFAULT 0\n"
");\n"
/* status: draft | review | published | unpublished; a published article
 * with publish_at in the future is scheduled. body: the project's plain
 * text markup (domain/markup.h), never HTML. */
"CREATE TABLE article (\n"
"  id INTEGER PRIMARY KEY,\n"
"  slug TEXT NOT NULL UNIQUE,\n"
"  title TEXT NOT NULL,\n"
"  lead TEXT NOT NULL DEFAULT '',\n"
"  body TEXT NOT NULL DEFAULT '',\n"
"  author TEXT NOT NULL DEFAULT '',\n"
"  category_id INTEGER NOT NULL REFERENCES category(id),\n"
"  org_id INTEGER REFERENCES org(id),\n"
"  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','review','published','unpublished')),\n"
"  featured INTEGER NOT NULL DEFAULT 0,\n"
"  publish_at INTEGER,\n"
"  created_by INTEGER REFERENCES user(id),\n"
"  created_at INTEGER NOT NULL,\n"
"  updated_at INTEGER NOT NULL,\n"
"  search_key TEXT NOT NULL DEFAULT '',\n"
"  views INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE INDEX article_public ON article(status, publish_at);\n"
"CREATE INDEX article_category ON article(category_id, publish_at);\n"
"CREATE TABLE article_revision (\n"
"  id INTEGER PRIMARY KEY,\n"
"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
"  at INTEGER NOT NULL,\n"
"  user_id INTEGER REFERENCES user(id),\n"
"  title TEXT NOT NULL,\n"
"  lead TEXT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  note TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX article_revision_article ON article_revision(article_id, id);\n"
"CREATE TABLE tag (\n"
"  id INTEGER PRIMARY KEY,\n"
"  slug TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL\n"
");\n"
"CREATE TABLE article_tag (\n"
"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
"  tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,\n"
"  PRIMARY KEY (article_id, tag_id)\n"
");\n"
"CREATE INDEX article_tag_tag ON article_tag(tag_id);\n"
/* Figures: the image, a thumbnail, caption and alt text (required). */
"CREATE TABLE image (\n"
"  id INTEGER PRIMARY KEY,\n"
"  article_id INTEGER REFERENCES article(id) ON DELETE CASCADE,\n"
"  content_type TEXT NOT NULL,\n"
"  width INTEGER NOT NULL,\n"
"  height INTEGER NOT NULL,\n"
"  data BLOB NOT NULL,\n"
"  thumb BLOB NOT NULL,\n"
"  sha256 TEXT NOT NULL,\n"
"  caption TEXT NOT NULL DEFAULT '',\n"
"  alt TEXT NOT NULL,\n"
"  sort INTEGER NOT NULL DEFAULT 0,\n"
"  created_at INTEGER NOT NULL\n"
");\n"
"CREATE INDEX image_article ON image(article_id, sort);\n"
/* Reader feedback ("Phản hồi"): pending until a moderator decides. */
"CREATE TABLE feedback (\n"
"  id INTEGER PRIMARY KEY,\n"
"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
"  created_at INTEGER NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  email TEXT NOT NULL DEFAULT '',\n"
"  phone TEXT NOT NULL DEFAULT '',\n"
"  address TEXT NOT NULL DEFAULT '',\n"
"  content TEXT NOT NULL,\n"
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','spam')),\n"
"  moderated_by INTEGER REFERENCES user(id),\n"
"  moderated_at INTEGER,\n"
"  case_id INTEGER REFERENCES cases(id),\n"
"  client_hash TEXT NOT NULL DEFAULT ''\n"
");\n"
"CREATE INDEX feedback_article ON feedback(article_id, status);\n"
"CREATE INDEX feedback_status ON feedback(status, created_at);\n"
/* Views per article and day (Vietnam date), flushed in batches from
 * memory; "most viewed" sums the last 7 or 30 days. */
"CREATE TABLE article_view_day (\n"
"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
"  day TEXT NOT NULL,\n"
"  views INTEGER NOT NULL,\n"
"  PRIMARY KEY (article_id, day)\n"
");\n"
"CREATE INDEX article_view_day_day ON article_view_day(day);\n"
"CREATE VIRTUAL TABLE article_fts USING fts5(search_key, content='', tokenize='unicode61 remove_diacritics 2');\n"
/* "Gửi cho bạn bè": keyed hashes only, for the rate limits */
"CREATE TABLE article_share (\n"
"  id INTEGER PRIMARY KEY,\n"
"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
"  created_at INTEGER NOT NULL,\n"
"  client_hash TEXT NOT NULL,\n"
"  to_hash TEXT NOT NULL\n"
");\n"
"CREATE INDEX article_share_client ON article_share(client_hash, created_at);\n"
"CREATE INDEX article_share_to ON article_share(to_hash, created_at);\n",

/* 4: indexes for a province-sized database (bench/cases.sh at a million
 * cases): a case's open time limits without walking every open deadline,
 * and a commune's cases by date. */
"CREATE INDEX case_deadline_open ON case_deadline(case_id, state, due_on);\n"
"DROP INDEX case_deadline_case;\n"
"CREATE INDEX cases_unit_received ON cases(unit_id, received_on);\n"
"DROP INDEX cases_unit;\n",

/* 5: the work queues and search at a million cases.  "Mine" and "my
 * organisation's" walk an index in date order instead of the whole
 * table; the search index gets 2- and 3-character prefix indexes, so the
 * word being typed ("dat" of "đất") is one index term, not a merge of
 * every word that begins with it.  case_fts is contentless: it is
 * rebuilt from the folded keys kept in cases.search_key. */
"CREATE INDEX cases_assignee_received ON cases(assignee_id, received_on);\n"
"DROP INDEX cases_assignee;\n"
"CREATE INDEX cases_responsible_received ON cases(responsible_org_id, received_on);\n"
"DROP INDEX cases_responsible;\n"
"CREATE INDEX cases_receiving_received ON cases(receiving_org_id, received_on);\n"
"DROP INDEX cases_receiving;\n"
"DROP TABLE case_fts;\n"
"CREATE VIRTUAL TABLE case_fts USING fts5(search_key, content='',"
" tokenize='unicode61 remove_diacritics 2', prefix='2 3');\n"
"INSERT INTO case_fts (rowid, search_key) SELECT id, search_key FROM cases;\n",

/* 6: the cases a body monitors, found from the body (the list of a
 * commune's officers gathers them) */
"CREATE INDEX case_monitor_org ON case_monitor(org_id);\n",

/* 7: cases waiting for their repeat and duplicate suggestions, which the
 * background worker computes after intake (case_similar.c) so that a
 * citizen's submission never waits for six months of look-alikes */
"CREATE TABLE case_link_pending (\n"
"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,\n"
"  queued_at INTEGER NOT NULL\n"
");\n",

/* 8: the search index keeps which cases hold a word, not where in the
 * text (detail='none'): searches are words and word beginnings, never
 * phrases, and positions made every intake write several times more
 * index (a third of a submission's commit at a million cases). */
"DROP TABLE case_fts;\n"
"CREATE VIRTUAL TABLE case_fts USING fts5(search_key, content='', detail='none',"
" tokenize='unicode61 remove_diacritics 2', prefix='2 3');\n"
"INSERT INTO case_fts (rowid, search_key) SELECT id, search_key FROM cases;\n"
/* one segment: otherwise the bulk load's many segments are merged a
 * little at every later commit, which then costs milliseconds */
"INSERT INTO case_fts (case_fts) VALUES ('optimize');\n",

/* 9: the schedule of citizens' receptions that leaders hold (Law on
 * Citizen Reception 2013, Art. 12–15, 18: regular days, unscheduled
 * ones, and direct dialogues), published on the portal */
"CREATE TABLE reception (\n"
"  id INTEGER PRIMARY KEY,\n"
"  org_id INTEGER NOT NULL REFERENCES org(id),\n"
"  day TEXT NOT NULL,\n"
"  start_time TEXT NOT NULL,\n"
"  end_time TEXT NOT NULL DEFAULT '',\n"
"  kind TEXT NOT NULL CHECK (kind IN ('regular','unscheduled','dialogue')),\n"
"  host TEXT NOT NULL,\n"
"  place TEXT NOT NULL,\n"
"  note TEXT NOT NULL DEFAULT '',\n"
"  cancelled INTEGER NOT NULL DEFAULT 0,\n"
"  created_by INTEGER REFERENCES user(id),\n"
"  created_at INTEGER NOT NULL\n"
");\n"
"CREATE INDEX reception_day ON reception(day, start_time);\n",
};

int schema_latest(void)
{
	return (int)ARRAY_LEN(migrations);
}

Rc schema_version(Db *db, int *version)
{
	Rc rc = db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_version ("
				   " version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
	if (rc)
		return rc;
	int64_t v = 0;
	rc = db_get_int(db, &v, "SELECT coalesce(max(version), 0) FROM schema_version", "");
	if (rc)
		return rc;
	*version = (int)v;
	return RC_OK;
}

Rc schema_migrate(Db *db, int *applied)
{
	int version = 0, n = 0;
	Rc rc = schema_version(db, &version);
	if (rc)
		return rc;
	if (version > schema_latest())
		return RC_CONFLICT; /* database is newer than this binary */
	for (int i = version; i < schema_latest(); i++) {
		if ((rc = db_begin_write(db)))
			return rc;
		rc = db_exec_script(db, migrations[i]);
		if (!rc)
			rc = db_run(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
				    "il", i + 1, util_now());
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			return rc;
		}
		n++;
	}
	if (applied)
		*applied = n;
	return RC_OK;
}
