/*
 * cases.h — the pages of "Citizens' voices": the public intake form and
 * tracking page (cases_public.c), the staff queues, case page and desk
 * registration (cases_staff.c) and the staff actions (cases_actions.c).
 * Routes are in web/routes_cases.def.
 *
 * Public, no login (every page no-store; the tracking code in the path is
 * a secret, so nothing on these pages is cacheable and nothing shows
 * personal data):
 *   GET  /gui-don                     the form: the three kinds and what
 *                                     each needs, attachments
 *   POST /gui-don                     multipart: kind, title, content,
 *                                     province_id, commune (name or code)
 *                                     or unit_id, anonymous, name,
 *                                     address, phone, email, id_number,
 *                                     signed, files (repeated)
 *                                     → 303 /tra-cuu/{code}?moi=1
 *   GET  /tra-cuu                     code entry; ?code= → 303 /tra-cuu/{code}
 *   GET  /tra-cuu/{code}              status, deadlines, replies, forms
 *   POST /tra-cuu/{code}/bo-sung      text: the citizen adds information
 *   POST /tra-cuu/{code}/danh-gia     rating 1–5, note
 *   POST /tra-cuu/{code}/khieu-nai-tiep  text: appeal / tố cáo tiếp
 *   GET  /tra-cuu/{code}/tep/{id}     an attachment staff made public
 *
 * Staff (capability in the route; the case's area is checked by
 * case_load for every read and by the case_* functions for every change,
 * and a case outside it answers 404):
 *   GET  /cases                       queues, filters, search, keyset pages
 *   GET  /cases/new                   desk registration form
 *   POST /cases                       register (multipart)
 *   GET  /cases/{id}                  the case, its deadlines, history,
 *                                     links, attachments and action forms
 *   POST /cases/{id}/act              action + its fields (case_act)
 *   POST /cases/{id}/reply|note       text
 *   POST /cases/{id}/assign           user_id (0 = nobody)
 *   POST /cases/{id}/split            kind, title, content
 *   POST /cases/{id}/link             other, kind, confirm=1|0
 *   POST /cases/{id}/reveal           secret: the vault key, shown once
 *   POST /cases/{id}/attachments      files, public
 *   GET  /cases/{id}/attachments/{n}  download
 *
 * The helpers below are shared by the three files and by nothing else.
 */
#ifndef DANVAN_UI_CASES_H
#define DANVAN_UI_CASES_H

#include "../web/req.h"
#include "../domain/attachment.h"
#include "../domain/case.h"
#include "../domain/unit.h"

/* public */
Rc ui_cases_submit_form(Req *r);
Rc ui_cases_submit(Req *r);
Rc ui_cases_track_form(Req *r);
Rc ui_cases_track(Req *r);
Rc ui_cases_track_add(Req *r);
Rc ui_cases_track_rate(Req *r);
Rc ui_cases_track_appeal(Req *r);
Rc ui_cases_track_file(Req *r);

/* staff */
Rc ui_cases_list(Req *r);
Rc ui_cases_new(Req *r);
Rc ui_cases_register(Req *r);
Rc ui_case_show(Req *r);
Rc ui_case_attachment(Req *r);

/* staff actions */
Rc ui_case_act(Req *r);
Rc ui_case_reply(Req *r);
Rc ui_case_note(Req *r);
Rc ui_case_assign(Req *r);
Rc ui_case_split(Req *r);
Rc ui_case_link(Req *r);
Rc ui_case_reveal(Req *r);
Rc ui_case_attach(Req *r);

/* ---- shared by cases_*.c ---------------------------------------------- */

/* Files a citizen may send with the web form (the route's 26 MiB body
 * cap fits five files at the 5 MB per-file cap). */
#define CASES_WEB_FILES_MAX 5

/* Field errors of one form: shown in a summary at the top (links to the
 * fields) and next to each field, tied to it by aria-describedby. */
#define CASES_ERRORS_MAX 16
typedef struct CasesErrors {
	const char *field[CASES_ERRORS_MAX]; /* input id, "" = no field */
	const char *msg[CASES_ERRORS_MAX];   /* already translated */
	int n;
} CasesErrors;

void cases_error_add(CasesErrors *e, const char *field, const char *msg);
const char *cases_error_for(const CasesErrors *e, const char *field);
/* The summary box (nothing when there are no errors). */
void cases_error_summary(Req *r, const CasesErrors *e);
/* The message next to a field: <span class="field-error" id="F-error">. */
void cases_error_text(Req *r, const CasesErrors *e, const char *field);
/* Attributes for the input: aria-describedby (hint and/or error) and
 * aria-invalid.  Writes nothing when there is neither. */
void cases_error_attrs(Req *r, const CasesErrors *e, const char *field, bool has_hint);

/* case_intake's refusal as form errors, each tied to its field: RC_OK
 * when it was a problem with the input (e gained an error), else rc. */
Rc cases_intake_problem(Req *r, CasesErrors *e, Rc rc, const char *problem);

/* Presence, length and format of the text fields of an intake (title,
 * content, name, address, phone, e-mail, ID number), all at once. */
void cases_check_texts(Req *r, CasesErrors *e, const CaseIntake *ci);

/* r->args[i] as a positive id. */
bool cases_arg_id(Req *r, int i, int64_t *id);
/* <time datetime="2026-11-28">28/11/2026</time>; "" stays empty. */
void cases_date(Req *r, const char *iso);
/* A UNIX time in Vietnam: 28/11/2026 09:15. */
void cases_time(Req *r, int64_t t);
/* Today in Vietnam, ISO. */
void cases_today(char out[11]);

/* Translated labels (falling back to the stored id). */
const char *cases_kind(Req *r, CaseKind k);
const char *cases_status(Req *r, const char *status);
const char *cases_channel(Req *r, const char *channel);
const char *cases_step(Req *r, CaseKind kind, const char *step);
const char *cases_action(Req *r, const char *action);
const char *cases_criterion(Req *r, unsigned bit);
extern const unsigned cases_criteria[7];

/* "PDF", "Word", "Excel", "Photo (JPEG)" … for a stored type. */
const char *cases_type_label(Req *r, const char *content_type);
/* The extension that matches a sniffed type: "pdf", "docx" … */
const char *cases_type_ext(const char *content_type);
/* "1,2 MB", "340 KB" */
void cases_size(Req *r, int64_t bytes);

/* The uploaded files of a multipart form (parts named "files" with a
 * file name; empty parts — "no file chosen" — are skipped).  Checks the
 * count against max and each file's size and type before anything is
 * stored; the message is translated.  RC_OK with *n = the count. */
Rc cases_files_check(Req *r, size_t max, size_t *n, const char **problem);
/* Store them (after cases_files_check) through `db`: r->db, or the
 * connection of a group commit (store/db_group.h). */
Rc cases_files_store(Req *r, Db *db, int64_t case_id, int64_t event_id, bool public_);

/* The "where" fields: a province <select> and a commune name or code, or
 * the commune picked among several matches (unit_id radio buttons). */
Rc cases_place_fields(Req *r, const CasesErrors *e, int64_t province_id, const char *commune,
		      int64_t unit_id);
/* Resolve them to a unit (0 = not given).  A field error is added when
 * the commune is unknown or ambiguous; *choices receives the candidates
 * for an ambiguous name (the caller frees it). */
Rc cases_place_resolve(Req *r, CasesErrors *e, int64_t *unit_id, Unit **choices,
		       size_t *nchoices);
/* The radio buttons for an ambiguous commune name. */
void cases_place_choices(Req *r, const Unit *u, size_t n);

/* The statutory deadlines of a case as a table (step, due date, legal
 * basis, state); `public_` hides internal columns. */
Rc cases_deadline_table(Req *r, const Case *c, bool public_);

/* Send an attachment: the sniffed type, nosniff, "attachment" with a safe
 * file name whose extension matches the type, no-store. */
void cases_send_file(Req *r, Attachment *a);

/* The form fields shared by intake forms: kind radios with what each
 * kind needs, and the complexity criteria checkboxes. */
void cases_kind_fieldset(Req *r, const CasesErrors *e, int kind, bool explain);
void cases_criteria_fieldset(Req *r, unsigned criteria, bool remote);
/* Read the criteria checkboxes (crit=<bit>, repeated). */
unsigned cases_criteria_param(Req *r);

#endif
