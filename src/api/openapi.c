/*
 * openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.1 document of every
 * /api/v1 route, written with the JSON writer from the tables below.
 *
 * Three tables: schemas (objects as lists of properties), operations
 * (method, path, parameters, request body, result, error statuses) and
 * the enums, several of which come from the code that enforces them
 * (CASE_STATUSES, CASE_CHANNELS, api_case_actions, api_case_criteria).
 * What the route table enforces is read from the route table itself when
 * the document is written: whether a route is public (security: []), the
 * capability it needs and its body cap.  tests/unit/test_openapi.c checks
 * that every /api/v1 route is described with the same methods and that
 * every described path is a route, so neither side can drift.
 *
 * Type notation in the tables: a JSON Schema type ("string", "integer",
 * "boolean", "object"), "a|b" for a union, "#Name" for a schema of this
 * document, and a leading "[" for an array of what follows.
 */
#include "cases_api.h"
#include "api.h"
#include "../base/json.h"
#include "../domain/case.h"
#include "../web/routes.h"

#include <strings.h>

enum { P_REQ = 1, P_NULL = 2 };

typedef struct Prop {
	const char *name;
	const char *type;
	unsigned flags;
	const char *format;       /* "date", "date-time" or NULL */
	const char *desc;
	const char *const *enumv; /* NULL-terminated */
} Prop;
#define PROP_END {NULL, NULL, 0, NULL, NULL, NULL}

typedef struct Schema {
	const char *name;
	const char *desc;
	const Prop *props;        /* ends with PROP_END; NULL = any object */
} Schema;

typedef struct OaParam {
	const char *name;
	const char *in;           /* "path" or "query" */
	const char *type;
	const char *format;
	const char *desc;
	const char *const *enumv;
} OaParam;
#define PARAM_END {NULL, NULL, NULL, NULL, NULL, NULL}

typedef struct Op {
	const char *method;       /* lower case, as OpenAPI writes it */
	const char *path;         /* "/api/v1/cases/{id}" */
	const char *id;           /* operationId */
	const char *tag;
	const char *summary;
	const char *desc;
	const OaParam *params;      /* ends with PARAM_END */
	const char *body;         /* "#Schema" (JSON), "binary" (raw upload) or NULL */
	int status;               /* success status */
	const char *result;       /* "#Schema" */
	const char *result_type;  /* media type of the result; NULL = JSON */
	const char *errors;       /* error statuses, e.g. "400 401 404" */
} Op;

/* ---- enums -------------------------------------------------------------- */

static const char *const kinds[] = {"petition", "complaint", "denunciation", NULL};
static const char *const statuses[] = {CASE_STATUSES, NULL};
static const char *const channels[] = {CASE_CHANNELS, NULL};
static const char *const queues[] = {"all", "mine", "org", "due_soon", "overdue", NULL};
static const char *const deadline_states[] = {"open", "met", "missed", "paused", "cancelled", NULL};
static const char *const visibilities[] = {"internal", "citizen", NULL};
static const char *const link_kinds[] = {"split", "repeat", "duplicate", NULL};
static const char *const directions[] = {"outgoing", "incoming", NULL};
/* A marker: the error codes are rc_name() of every Rc but RC_OK, written
 * from the code so a new Rc appears in the document by itself. */
static const char *const error_codes[] = {NULL};

/* ---- schemas ------------------------------------------------------------ */

static const Prop p_error_body[] = {
	{"code", "string", P_REQ, NULL, "Machine-readable error code.", error_codes},
	{"status", "integer", P_REQ, NULL, "The HTTP status, repeated.", NULL},
	{"message", "string", P_REQ, NULL, "A message for people, in the request's language.", NULL},
	PROP_END};
static const Prop p_error[] = {{"error", "#ErrorBody", P_REQ, NULL, NULL, NULL}, PROP_END};

static const Prop p_ref[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"name", "string", P_REQ, NULL, NULL, NULL},
	PROP_END};

static const Prop p_me[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"login", "string", P_REQ, NULL, NULL, NULL},
	{"name", "string", P_REQ, NULL, NULL, NULL},
	{"org_id", "integer", P_REQ, NULL, "The user's organisation.", NULL},
	{"scope_unit_id", "integer", P_REQ, NULL,
	 "The administrative unit bounding every capability; 0 = the whole country.", NULL},
	{"roles", "[string", P_REQ, NULL, "Role ids: editor, reception, handler, massmob, leader, admin.", NULL},
	PROP_END};

static const Prop p_org_row[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"kind", "string", P_REQ, NULL, "party_committee, massmob_commission, peoples_committee, …", NULL},
	{"name", "string", P_REQ, NULL, "The name in force today.", NULL},
	{"short_name", "string", P_REQ, NULL, NULL, NULL},
	{"unit", "#Ref", P_REQ | P_NULL, NULL, "Administrative unit; null = central.", NULL},
	{"parent_id", "integer", P_REQ | P_NULL, NULL, NULL, NULL},
	{"users", "integer", P_REQ, NULL, "Number of user accounts.", NULL},
	{"dissolved", "boolean", P_REQ, NULL, NULL, NULL},
	PROP_END};

static const Prop p_org_list[] = {
	{"items", "[#OrgRow", P_REQ, NULL, "At most 50 organisations.", NULL},
	{"next_after", "integer", P_REQ | P_NULL, NULL, "Pass as ?after= for the next page; null on the last.", NULL},
	PROP_END};

static const Prop p_org_name[] = {
	{"name", "string", P_REQ, NULL, NULL, NULL},
	{"short_name", "string", P_REQ, NULL, NULL, NULL},
	{"valid_from", "string", P_REQ, "date", NULL, NULL},
	{"valid_to", "string", P_REQ | P_NULL, "date", NULL, NULL},
	PROP_END};

static const Prop p_org_member[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"login", "string", P_REQ, NULL, NULL, NULL},
	{"name", "string", P_REQ, NULL, NULL, NULL},
	{"roles", "[string", P_REQ, NULL, NULL, NULL},
	{"disabled", "boolean", P_REQ, NULL, NULL, NULL},
	PROP_END};

static const Prop p_org[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"kind", "string", P_REQ, NULL, NULL, NULL},
	{"name", "string", P_REQ, NULL, NULL, NULL},
	{"short_name", "string", P_REQ, NULL, NULL, NULL},
	{"unit", "#Ref", P_REQ | P_NULL, NULL, NULL, NULL},
	{"parent", "#Ref", P_REQ | P_NULL, NULL, NULL, NULL},
	{"dissolved_on", "string", P_REQ | P_NULL, "date", NULL, NULL},
	{"created_at", "string", P_REQ | P_NULL, "date-time", NULL, NULL},
	{"names", "[#OrgName", P_REQ, NULL, "Names over time, oldest first.", NULL},
	{"children", "[#OrgRow", P_REQ, NULL, "Subordinate organisations.", NULL},
	{"children_truncated", "boolean", P_REQ, NULL, NULL, NULL},
	{"users", "[#OrgMember", P_REQ, NULL, NULL, NULL},
	{"users_truncated", "boolean", P_REQ, NULL, NULL, NULL},
	PROP_END};

static const Prop p_org_rename[] = {
	{"name", "string", P_REQ, NULL, "The new name.", NULL},
	{"short_name", "string", 0, NULL, "Absent keeps the current short name.", NULL},
	{"valid_from", "string", 0, "date", "Absent means today.", NULL},
	PROP_END};

static const Prop p_user[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"login", "string", P_REQ, NULL, NULL, NULL},
	{"name", "string", P_REQ, NULL, NULL, NULL},
	{"email", "string", P_REQ, NULL, NULL, NULL},
	{"org", "#Ref", P_REQ | P_NULL, NULL, NULL, NULL},
	{"unit", "#Ref", P_REQ | P_NULL, NULL, NULL, NULL},
	{"roles", "[string", P_REQ, NULL, NULL, NULL},
	{"disabled", "boolean", P_REQ, NULL, NULL, NULL},
	{"locked_until", "string", P_REQ | P_NULL, "date-time", NULL, NULL},
	{"failed_logins", "integer", P_REQ, NULL, NULL, NULL},
	{"lang", "string", P_REQ, NULL, NULL, NULL},
	{"created_at", "string", P_REQ | P_NULL, "date-time", NULL, NULL},
	{"password_changed_at", "string", P_REQ | P_NULL, "date-time", NULL, NULL},
	PROP_END};

#define UNIT_PROPS \
	{"id", "integer", P_REQ, NULL, NULL, NULL}, \
	{"code", "string", P_REQ, NULL, "GSO code: 2, 3 or 5 digits.", NULL}, \
	{"level", "string", P_REQ, NULL, "province, district or commune.", NULL}, \
	{"era", "integer", P_REQ, NULL, "2020 (before 2025-07-01) or 2025.", NULL}, \
	{"kind", "string", P_REQ, NULL, NULL, NULL}, \
	{"name", "string", P_REQ, NULL, NULL, NULL}, \
	{"full_name", "string", P_REQ, NULL, NULL, NULL}, \
	{"name_en", "string", P_REQ, NULL, NULL, NULL}, \
	{"province_id", "integer", P_REQ, NULL, NULL, NULL}, \
	{"province_name", "string", P_REQ, NULL, NULL, NULL}, \
	{"parent_id", "integer", P_REQ | P_NULL, NULL, NULL, NULL}, \
	{"valid_from", "string", P_REQ, "date", NULL, NULL}, \
	{"valid_to", "string", P_REQ | P_NULL, "date", NULL, NULL}, \
	{"url", "string", P_REQ, NULL, NULL, NULL}

static const Prop p_unit_successor[] = {
	UNIT_PROPS,
	{"partial", "boolean", P_REQ, NULL, "Only part of the old unit's territory went here.", NULL},
	PROP_END};

static const Prop p_unit_resolved[] = {
	UNIT_PROPS,
	{"in_force", "boolean", P_REQ, NULL, NULL, NULL},
	{"successors", "[#UnitSuccessor", P_REQ, NULL, "The units in force today that took its territory.", NULL},
	PROP_END};

static const Prop p_unit_resolution[] = {
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"units", "[#ResolvedUnit", P_REQ, NULL, "Every unit of either era with this code, newest era first.", NULL},
	PROP_END};

/* cases */
static const Prop p_case_summary[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, "Tracking code given to the citizen.", NULL},
	{"url", "string", P_REQ, NULL, "This case in the API.", NULL},
	{"kind", "string", P_REQ, NULL, NULL, kinds},
	{"status", "string", P_REQ, NULL, NULL, statuses},
	{"channel", "string", P_REQ, NULL, NULL, channels},
	{"received_on", "string", P_REQ, "date", NULL, NULL},
	{"title", "string", P_REQ, NULL, NULL, NULL},
	{"field", "string", P_REQ | P_NULL, NULL, "Name of the subject field; null until classified.", NULL},
	{"unit", "string", P_REQ | P_NULL, NULL, "Name of the commune concerned.", NULL},
	{"org", "string", P_REQ | P_NULL, NULL, "Name of the responsible organisation.", NULL},
	{"next_due", "string", P_REQ | P_NULL, "date", "Earliest open statutory deadline.", NULL},
	{"overdue", "boolean", P_REQ, NULL, NULL, NULL},
	{"due_soon", "boolean", P_REQ, NULL, NULL, NULL},
	{"repeat", "boolean", P_REQ, NULL, "The same person and content came before.", NULL},
	{"group", "boolean", P_REQ, NULL, "Five or more people.", NULL},
	PROP_END};

static const Prop p_case_list[] = {
	{"items", "[#CaseSummary", P_REQ, NULL, "Newest first (received_on, then id).", NULL},
	{"next", "string", P_REQ | P_NULL, NULL, "Opaque cursor: pass as ?after= for the next page; null on the last.", NULL},
	PROP_END};

static const Prop p_deadline[] = {
	{"step", "string", P_REQ, NULL, "Statutory step: accept, resolve, initial, forward, …", NULL},
	{"starts_on", "string", P_REQ, "date", NULL, NULL},
	{"due_on", "string", P_REQ, "date", "Computed on the working-day calendar.", NULL},
	{"basis", "string", P_REQ, NULL, "The legal basis of the time limit.", NULL},
	{"state", "string", P_REQ, NULL, NULL, deadline_states},
	{"met_on", "string", P_REQ | P_NULL, "date", NULL, NULL},
	{"overdue", "boolean", P_REQ, NULL, "Open and due before today.", NULL},
	PROP_END};

static const Prop p_event[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"at", "string", P_REQ, "date-time", NULL, NULL},
	{"actor", "string", P_REQ, NULL, NULL, NULL},
	{"action", "string", P_REQ, NULL, NULL, NULL},
	{"from_status", "string", P_REQ, NULL, "\"\" when the status did not change.", NULL},
	{"to_status", "string", P_REQ, NULL, NULL, NULL},
	{"note", "string", P_REQ, NULL, NULL, NULL},
	{"doc_number", "string", P_REQ, NULL, NULL, NULL},
	{"doc_date", "string", P_REQ | P_NULL, "date", NULL, NULL},
	{"visibility", "string", P_REQ, NULL, "citizen: shown on the tracking page.", visibilities},
	PROP_END};

static const Prop p_attachment[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"filename", "string", P_REQ, NULL, "Display name (cleaned; never a path).", NULL},
	{"content_type", "string", P_REQ, NULL, "Sniffed from the content, not taken from the client.", NULL},
	{"size", "integer", P_REQ, NULL, "Bytes.", NULL},
	{"sha256", "string", P_REQ, NULL, NULL, NULL},
	{"public", "boolean", P_REQ, NULL, "Shown to the citizen.", NULL},
	PROP_END};

static const Prop p_attachment_list[] = {{"items", "[#Attachment", P_REQ, NULL, NULL, NULL}, PROP_END};

static const Prop p_case_ref[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, NULL, NULL},
	PROP_END};

static const Prop p_link[] = {
	{"case", "#CaseRef", P_REQ, NULL, "The other case (only if the reader may see it).", NULL},
	{"kind", "string", P_REQ, NULL, NULL, link_kinds},
	{"confirmed", "boolean", P_REQ, NULL, "false = suggested by the system.", NULL},
	{"direction", "string", P_REQ, NULL, NULL, directions},
	PROP_END};

static const Prop p_citizen[] = {
	{"name", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"address", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"phone", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"email", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"id_number", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"representatives", "[string", P_REQ, NULL, "Names of a group's representatives.", NULL},
	PROP_END};

static const Prop p_case[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"url", "string", P_REQ, NULL, NULL, NULL},
	{"kind", "string", P_REQ, NULL, NULL, kinds},
	{"status", "string", P_REQ, NULL, NULL, statuses},
	{"channel", "string", P_REQ, NULL, NULL, channels},
	{"received_on", "string", P_REQ, "date", NULL, NULL},
	{"created_at", "string", P_REQ, "date-time", NULL, NULL},
	{"updated_at", "string", P_REQ, "date-time", NULL, NULL},
	{"title", "string", P_REQ, NULL, NULL, NULL},
	{"content", "string", P_REQ, NULL, NULL, NULL},
	{"field", "#Ref", P_REQ | P_NULL, NULL, "Subject field.", NULL},
	{"unit", "#Ref", P_REQ | P_NULL, NULL, "Commune concerned.", NULL},
	{"receiving_org_id", "integer", P_REQ | P_NULL, NULL, NULL, NULL},
	{"responsible_org", "#Ref", P_REQ | P_NULL, NULL, "The State body that decides.", NULL},
	{"assignee", "#Ref", P_REQ | P_NULL, NULL, NULL, NULL},
	{"monitors", "[integer", P_REQ, NULL, "Mass-mobilisation bodies following the case (organisation ids).", NULL},
	{"parent_id", "integer", P_REQ | P_NULL, NULL, "The case this one was split from.", NULL},
	{"forwarded_from", "string", P_REQ | P_NULL, NULL, NULL, NULL},
	{"anonymous", "boolean", P_REQ, NULL, NULL, NULL},
	{"people_count", "integer", P_REQ, NULL, NULL, NULL},
	{"group", "boolean", P_REQ, NULL, "Five or more people.", NULL},
	{"instance", "integer", P_REQ, NULL, "1 or 2 (second instance after an appeal).", NULL},
	{"extensions", "integer", P_REQ, NULL, NULL, NULL},
	{"remote_area", "boolean", P_REQ, NULL, NULL, NULL},
	{"suspended_since", "string", P_REQ | P_NULL, "date", NULL, NULL},
	{"criteria", "[string", P_REQ, NULL, "Complexity criteria (Decree 31/2019 Art. 3).", api_case_criteria},
	{"complexity", "integer", P_REQ, NULL, "0 normal, 1 complex, 2 very complex.", NULL},
	{"outcome", "string", P_REQ, NULL, NULL, NULL},
	{"refuse_reason", "string", P_REQ, NULL, NULL, NULL},
	{"pseudonym", "string", P_REQ | P_NULL, NULL, "Denunciations: how staff refer to the denouncer.", NULL},
	{"citizen", "#Citizen", P_REQ | P_NULL, NULL,
	 "Personal data, only when the reader may see it; never for denunciations.", NULL},
	{"rating", "integer", P_REQ | P_NULL, NULL, "The citizen's rating of the answer.", NULL},
	{"deadlines", "[#Deadline", P_REQ, NULL, NULL, NULL},
	{"events", "[#Event", P_REQ, NULL, "Oldest first, at most 1,000.", NULL},
	{"events_truncated", "boolean", P_REQ, NULL, NULL, NULL},
	{"attachments", "[#Attachment", P_REQ, NULL, NULL, NULL},
	{"links", "[#Link", P_REQ, NULL, NULL, NULL},
	{"actions", "[string", P_REQ, NULL, "Transitions the reader may take now.", api_case_actions},
	PROP_END};

static const Prop p_citizen_in[] = {
	{"name", "string", 0, NULL, NULL, NULL},
	{"address", "string", 0, NULL, NULL, NULL},
	{"phone", "string", 0, NULL, NULL, NULL},
	{"email", "string", 0, NULL, "A receipt and replies are e-mailed here.", NULL},
	{"id_number", "string", 0, NULL, NULL, NULL},
	PROP_END};

static const Prop p_case_new[] = {
	{"kind", "string", P_REQ, NULL, NULL, kinds},
	{"title", "string", P_REQ, NULL, "At most 300 characters.", NULL},
	{"content", "string", P_REQ, NULL, "At most 20,000 characters.", NULL},
	{"channel", "string", 0, NULL, "How the citizen sent it; default desk.", channels},
	{"received_on", "string", 0, "date", "Default today (Vietnam).", NULL},
	{"field", "string", 0, NULL, "Subject field code.", NULL},
	{"unit", "string|integer", 0, NULL,
	 "Commune concerned: GSO code (string) or unit id (integer); default the user's own unit.", NULL},
	{"anonymous", "boolean", 0, NULL, NULL, NULL},
	{"people_count", "integer", 0, NULL, "Default 1; 5 or more is a group.", NULL},
	{"signed", "boolean", 0, NULL, "The petition is signed or finger-printed.", NULL},
	{"citizen", "#CitizenIn", 0, NULL,
	 "Personal data. For a denunciation it is sealed to the vault key at intake.", NULL},
	{"forwarded_from", "string", 0, NULL, "Channel forwarded: the body that sent it.", NULL},
	{"representatives", "[string", 0, NULL, "Names of a group's representatives (at most 5).", NULL},
	{"criteria", "[string", 0, NULL, "Complexity criteria known at intake.", api_case_criteria},
	{"remote_area", "boolean", 0, NULL, "Remote or hard-to-reach area: longer time limits.", NULL},
	PROP_END};

static const Prop p_transition[] = {
	{"action", "string", P_REQ, NULL, NULL, api_case_actions},
	{"note", "string", 0, NULL, "The reason or comment; the text of a reply or note.", NULL},
	{"doc_number", "string", 0, NULL, "Number of the document issued (decision, notice).", NULL},
	{"doc_date", "string", 0, "date", NULL, NULL},
	{"reason_code", "string", 0, NULL, "refuse, file: the legal reason code.", NULL},
	{"field", "string", 0, NULL, "classify: subject field code.", NULL},
	{"kind", "string", 0, NULL, "classify: re-classification.", kinds},
	{"unit", "string|integer", 0, NULL, "classify: commune (GSO code or id).", NULL},
	{"responsible_org_id", "integer", 0, NULL, "classify, forward.", NULL},
	{"forward_to", "string", 0, NULL, "forward: the competent body.", NULL},
	{"criteria", "[string", 0, NULL, "classify: complexity criteria.", api_case_criteria},
	{"remote_area", "boolean", 0, NULL, "classify.", NULL},
	{"outcome", "string", 0, NULL, "decide.", NULL},
	{"user_id", "integer", 0, NULL, "assign: the user (0 = unassign).", NULL},
	PROP_END};

static const Prop p_case_moved[] = {
	{"id", "integer", P_REQ, NULL, NULL, NULL},
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"in_area", "boolean", P_REQ, NULL, "Always false: the change took the case out of the caller's area.", NULL},
	PROP_END};

static const Prop p_reply[] = {
	{"at", "string", P_REQ, "date-time", NULL, NULL},
	{"action", "string", P_REQ, NULL, NULL, NULL},
	{"status", "string", P_REQ, NULL, "The status the step led to (\"\" when unchanged).", NULL},
	{"from_citizen", "boolean", P_REQ, NULL, "The citizen's own entry (added information, rating).", NULL},
	{"text", "string", P_REQ, NULL, "What the body wrote to the citizen; \"\" for the citizen's own entries.", NULL},
	{"doc_number", "string", P_REQ, NULL, NULL, NULL},
	{"doc_date", "string", P_REQ | P_NULL, "date", NULL, NULL},
	PROP_END};

static const Prop p_tracking[] = {
	{"code", "string", P_REQ, NULL, NULL, NULL},
	{"kind", "string", P_REQ, NULL, NULL, kinds},
	{"status", "string", P_REQ, NULL, NULL, statuses},
	{"received_on", "string", P_REQ, "date", NULL, NULL},
	{"updated_at", "string", P_REQ, "date-time", NULL, NULL},
	{"deadlines", "[#Deadline", P_REQ, NULL, NULL, NULL},
	{"replies", "[#Reply", P_REQ, NULL, "What the citizen is told, oldest first.", NULL},
	PROP_END};

static const Schema schemas[] = {
	{"Error", "Every error answer.", p_error},
	{"ErrorBody", NULL, p_error_body},
	{"Ref", "A named object.", p_ref},
	{"Me", NULL, p_me},
	{"OrgRow", NULL, p_org_row},
	{"OrgList", NULL, p_org_list},
	{"OrgName", NULL, p_org_name},
	{"OrgMember", NULL, p_org_member},
	{"Org", NULL, p_org},
	{"OrgRename", NULL, p_org_rename},
	{"User", "Never the password hash.", p_user},
	{"UnitSuccessor", NULL, p_unit_successor},
	{"ResolvedUnit", NULL, p_unit_resolved},
	{"UnitResolution", NULL, p_unit_resolution},
	{"CaseSummary", "A case in a list: no personal data.", p_case_summary},
	{"CaseList", NULL, p_case_list},
	{"Deadline", NULL, p_deadline},
	{"Event", NULL, p_event},
	{"Attachment", NULL, p_attachment},
	{"AttachmentList", NULL, p_attachment_list},
	{"CaseRef", NULL, p_case_ref},
	{"Link", NULL, p_link},
	{"Citizen", NULL, p_citizen},
	{"Case", NULL, p_case},
	{"CaseMoved", "The answer to a change after which the caller no longer sees the case.", p_case_moved},
	{"CitizenIn", NULL, p_citizen_in},
	{"CaseNew", NULL, p_case_new},
	{"Transition", "Fields other than action apply to the actions named.", p_transition},
	{"Reply", NULL, p_reply},
	{"Tracking", "What anyone holding the tracking code sees: no personal data.", p_tracking},
	{"Document", "The OpenAPI document.", NULL},
};

/* ---- operations --------------------------------------------------------- */

static const OaParam q_none[] = {PARAM_END};
static const OaParam q_id[] = {{"id", "path", "integer", NULL, NULL, NULL}, PARAM_END};
static const OaParam q_orgs[] = {
	{"q", "query", "string", NULL, "Search in names and codes.", NULL},
	{"after", "query", "integer", NULL, "next_after of the previous page.", NULL},
	PARAM_END};
static const OaParam q_resolve[] = {
	{"code", "query", "string", NULL, "GSO code, 2, 3 or 5 digits (required).", NULL},
	PARAM_END};
static const OaParam q_cases[] = {
	{"queue", "query", "string", NULL, "Work queue; default all.", queues},
	{"kind", "query", "string", NULL, NULL, kinds},
	{"field", "query", "string", NULL, "Subject field code.", NULL},
	{"unit", "query", "string", NULL, "GSO code of a commune or province (a province covers its communes).", NULL},
	{"unit_id", "query", "integer", NULL, "The same by unit id.", NULL},
	{"status", "query", "string", NULL, NULL, statuses},
	{"channel", "query", "string", NULL, NULL, channels},
	{"org", "query", "string", NULL, "Responsible organisation: id or code.", NULL},
	{"from", "query", "string", "date", "Received on or after.", NULL},
	{"to", "query", "string", "date", "Received on or before.", NULL},
	{"q", "query", "string", NULL, "Full-text search (accents optional; whole words, the last one also as a prefix; results newest registered first).", NULL},
	{"after", "query", "string", NULL, "The cursor \"next\" of the previous page.", NULL},
	{"limit", "query", "integer", NULL, "1–200, default 50.", NULL},
	PARAM_END};
static const OaParam q_upload[] = {
	{"id", "path", "integer", NULL, NULL, NULL},
	{"name", "query", "string", NULL, "File name to show (raw uploads).", NULL},
	{"public", "query", "boolean", NULL, "Show it to the citizen (true/1); default false.", NULL},
	PARAM_END};
static const OaParam q_code[] = {
	{"code", "path", "string", NULL, "The tracking code, e.g. ABCD-EFGH-JK (case-insensitive).", NULL},
	PARAM_END};

static const Op ops[] = {
	{"get", "/api/v1/me", "getMe", "account", "Who the token or session belongs to", NULL,
	 q_none, NULL, 200, "#Me", NULL, "401"},
	{"get", "/api/v1/orgs", "listOrgs", "organisations", "Organisations in the reader's area",
	 "50 a page, ordered by id.", q_orgs, NULL, 200, "#OrgList", NULL, "400 401 403"},
	{"get", "/api/v1/orgs/{id}", "getOrg", "organisations", "One organisation",
	 "With its names over time, subordinate organisations and members. Outside the reader's area: 404.",
	 q_id, NULL, 200, "#Org", NULL, "401 403 404"},
	{"post", "/api/v1/orgs/{id}/rename", "renameOrg", "organisations", "Give an organisation a new name from a date",
	 "Answers the organisation as GET does.", q_id, "#OrgRename", 200, "#Org", NULL,
	 "400 401 403 404 409 413"},
	{"get", "/api/v1/users/{id}", "getUser", "users", "One user", "Outside the reader's area: 404.",
	 q_id, NULL, 200, "#User", NULL, "401 403 404"},
	{"get", "/api/v1/units/resolve", "resolveUnit", "units", "What a GSO code is today",
	 "Every unit of either era with the code and the units in force that succeeded it.",
	 q_resolve, NULL, 200, "#UnitResolution", NULL, "400 404"},
	{"get", "/api/v1/cases", "listCases", "cases", "Cases in the reader's area",
	 "Filters combine with AND. Keyset pages: follow \"next\" until it is null.",
	 q_cases, NULL, 200, "#CaseList", NULL, "400 401 403"},
	{"post", "/api/v1/cases", "createCase", "cases", "Register a case on behalf of a citizen",
	 "Statutory deadlines of the first step are opened at once. Answers 201 with the case and a Location header.",
	 q_none, "#CaseNew", 201, "#Case|#CaseMoved", NULL, "400 401 403 409 413"},
	{"get", "/api/v1/cases/{id}", "getCase", "cases", "One case",
	 "With its deadlines, history, attachments (metadata) and links. Outside the reader's area: 404.",
	 q_id, NULL, 200, "#Case", NULL, "401 403 404"},
	{"post", "/api/v1/cases/{id}/transitions", "transitionCase", "cases", "Move a case through its procedure",
	 "Answers the case as it now is. 409 when the action is not possible in the current status.",
	 q_id, "#Transition", 200, "#Case|#CaseMoved", NULL, "400 401 403 404 409 413"},
	{"get", "/api/v1/cases/{id}/attachments", "listAttachments", "cases", "A case's attachments (metadata)",
	 NULL, q_id, NULL, 200, "#AttachmentList", NULL, "401 403 404"},
	{"post", "/api/v1/cases/{id}/attachments", "addAttachment", "cases", "Attach a file to a case",
	 "The body is the file (application/octet-stream, with ?name=) or multipart/form-data with a part "
	 "named file. JPEG, PNG, GIF, WebP, PDF and Office documents, decided by the content; at most "
	 "5 MiB and 10 files per case.",
	 q_upload, "binary", 201, "#Attachment", NULL, "400 401 403 404 413"},
	{"get", "/api/v1/track/{code}", "trackCase", "tracking", "Follow a case by its tracking code",
	 "Public: status, deadlines and the replies meant for the citizen; never personal data. "
	 "503 while a code just given by the public form waits for its case to be built.",
	 q_code, NULL, 200, "#Tracking", NULL, "404 429 503"},
	{"get", "/api/v1/openapi.json", "getOpenApi", "meta", "This document", NULL,
	 q_none, NULL, 200, "#Document", NULL, ""},
};

size_t openapi_route_count(void)
{
	return ARRAY_LEN(ops);
}

/* "/api/v1/cases/{id}" → the routes.def pattern, with a star for each
 * parameter segment. */
static void route_pattern(const char *path, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = path; *p && o + 1 < size; p++) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end)
				break;
			out[o++] = '*';
			p = end;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
}

bool openapi_has(const char *method, const char *pattern)
{
	char pat[256];
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		route_pattern(ops[i].path, pat, sizeof pat);
		if (strcasecmp(ops[i].method, method) == 0 && str_eq(pat, pattern))
			return true;
	}
	return false;
}

static unsigned method_bit(const char *m)
{
	return str_eq(m, "get") ? M_GET : str_eq(m, "post") ? M_POST : str_eq(m, "put") ? M_PUT :
	       str_eq(m, "patch") ? M_PATCH : str_eq(m, "delete") ? M_DELETE : 0;
}

/* The route row serving an operation (NULL if none: the test catches it). */
static const Route *op_route(const Op *op)
{
	char pat[256];
	route_pattern(op->path, pat, sizeof pat);
	for (size_t i = 0; i < routes_count; i++)
		if (str_eq(routes[i].pattern, pat) && (routes[i].methods & method_bit(op->method)))
			return &routes[i];
	return NULL;
}

/* ---- writing ------------------------------------------------------------ */

static void write_ref(JsonW *w, const char *name)
{
	Buf b = BUF_INIT;
	buf_printf(&b, "#/components/schemas/%s", name);
	jw_key(w, "$ref");
	jw_str(w, buf_cstr(&b));
	buf_release(&b);
}

static void write_enum(JsonW *w, const char *const *enumv, bool nullable)
{
	jw_key(w, "enum");
	jw_arr(w);
	if (enumv == error_codes)
		for (Rc rc = RC_OK + 1; rc <= RC_INTERNAL; rc++)
			jw_str(w, rc_name(rc));
	for (const char *const *e = enumv; *e; e++)
		jw_str(w, *e);
	if (nullable)
		jw_null(w);
	jw_end(w);
}

/* The members of a schema object for `type` (the caller opened it). */
static void write_type_members(JsonW *w, const char *type, bool nullable, const char *format,
			       const char *const *enumv)
{
	if (type[0] == '[') {
		jw_key(w, "type");
		if (nullable) {
			jw_arr(w);
			jw_str(w, "array");
			jw_str(w, "null");
			jw_end(w);
		} else {
			jw_str(w, "array");
		}
		jw_key(w, "items");
		jw_obj(w);
		write_type_members(w, type + 1, false, format, enumv);
		jw_end(w);
		return;
	}
	if (type[0] == '#') {
		if (!nullable) {
			write_ref(w, type + 1);
			return;
		}
		jw_key(w, "oneOf");
		jw_arr(w);
		jw_obj(w);
		write_ref(w, type + 1);
		jw_end(w);
		jw_obj(w);
		jw_key(w, "type");
		jw_str(w, "null");
		jw_end(w);
		jw_end(w);
		return;
	}
	jw_key(w, "type");
	const char *bar = strchr(type, '|');
	if (bar || nullable) {
		jw_arr(w);
		if (bar) {
			jw_strn(w, type, (size_t)(bar - type));
			jw_str(w, bar + 1);
		} else {
			jw_str(w, type);
		}
		if (nullable)
			jw_str(w, "null");
		jw_end(w);
	} else {
		jw_str(w, type);
	}
	if (format) {
		jw_key(w, "format");
		jw_str(w, format);
	}
	if (enumv)
		write_enum(w, enumv, nullable);
}

static void write_schema(JsonW *w, const Schema *s)
{
	jw_obj(w);
	jw_key(w, "type");
	jw_str(w, "object");
	if (s->desc) {
		jw_key(w, "description");
		jw_str(w, s->desc);
	}
	if (s->props) {
		jw_key(w, "properties");
		jw_obj(w);
		for (const Prop *p = s->props; p->name; p++) {
			jw_key(w, p->name);
			jw_obj(w);
			write_type_members(w, p->type, p->flags & P_NULL, p->format, p->enumv);
			if (p->desc) {
				jw_key(w, "description");
				jw_str(w, p->desc);
			}
			jw_end(w);
		}
		jw_end(w);
		jw_key(w, "required");
		jw_arr(w);
		for (const Prop *p = s->props; p->name; p++)
			if (p->flags & P_REQ)
				jw_str(w, p->name);
		jw_end(w);
	}
	jw_end(w);
}

/* Error statuses and the shared response each refers to. */
static const struct {
	int status;
	const char *name;
	const char *desc;
} error_responses[] = {
	{400, "BadRequest", "The request is malformed or a value is not acceptable."},
	{401, "Unauthorized", "No valid bearer token or session."},
	{403, "Forbidden", "The user lacks the capability, or a browser session sent no valid X-CSRF-Token."},
	{404, "NotFound", "No such object, or it lies outside the reader's area (the two are indistinguishable)."},
	{409, "Conflict", "The object's state does not allow this now."},
	{413, "TooLarge", "The body exceeds the route's limit."},
	{429, "TooManyRequests", "Too many requests from this client: wait as Retry-After says."},
};

static void write_error_response(JsonW *w, const char *desc)
{
	jw_obj(w);
	jw_key(w, "description");
	jw_str(w, desc);
	jw_key(w, "content");
	jw_obj(w);
	jw_key(w, "application/json");
	jw_obj(w);
	jw_key(w, "schema");
	jw_obj(w);
	write_ref(w, "Error");
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_end(w);
}

static void write_media(JsonW *w, const char *type, const char *schema)
{
	jw_key(w, "content");
	jw_obj(w);
	jw_key(w, type);
	jw_obj(w);
	jw_key(w, "schema");
	jw_obj(w);
	const char *bar = strchr(schema, '|');
	if (bar) { /* "#A|#B": one of two schemas */
		jw_key(w, "oneOf");
		jw_arr(w);
		jw_obj(w);
		Buf first = BUF_INIT;
		buf_append(&first, schema + 1, (size_t)(bar - schema - 1));
		write_ref(w, buf_cstr(&first));
		buf_release(&first);
		jw_end(w);
		jw_obj(w);
		write_ref(w, bar + 2);
		jw_end(w);
		jw_end(w);
	} else if (schema[0] == '#') {
		write_ref(w, schema + 1);
	} else {
		jw_key(w, "type");
		jw_str(w, "string");
		jw_key(w, "contentMediaType");
		jw_str(w, "application/octet-stream");
	}
	jw_end(w);
	jw_end(w);
	jw_end(w);
}

/* Capability names for the x-danvan-capability extension (cap.h). */
static const char *cap_name(uint32_t cap)
{
	static const struct { uint32_t cap; const char *name; } names[] = {
		{CAP_LOGIN, "login"}, {CAP_ORG_VIEW, "org_view"}, {CAP_ORG_MANAGE, "org_manage"},
		{CAP_USER_MANAGE, "user_manage"}, {CAP_AUDIT_VIEW, "audit_view"},
		{CAP_UNIT_MANAGE, "unit_manage"}, {CAP_CASE_RECEIVE, "case_receive"},
		{CAP_CASE_HANDLE, "case_handle"}, {CAP_CASE_VIEW, "case_view"},
		{CAP_CASE_MONITOR, "case_monitor"}, {CAP_NEWS_EDIT, "news_edit"},
		{CAP_NEWS_PUBLISH, "news_publish"}, {CAP_REPORT, "report"},
		{CAP_DIALOGUE, "dialogue"}, {CAP_SETTINGS, "settings"},
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (names[i].cap == cap)
			return names[i].name;
	return NULL;
}

static void write_param(JsonW *w, const OaParam *p)
{
	jw_obj(w);
	jw_key(w, "name");
	jw_str(w, p->name);
	jw_key(w, "in");
	jw_str(w, p->in);
	jw_key(w, "required");
	jw_bool(w, str_eq(p->in, "path"));
	if (p->desc) {
		jw_key(w, "description");
		jw_str(w, p->desc);
	}
	jw_key(w, "schema");
	jw_obj(w);
	write_type_members(w, p->type, false, p->format, p->enumv);
	jw_end(w);
	jw_end(w);
}

static void write_op(JsonW *w, const Op *op)
{
	const Route *rt = op_route(op);
	jw_obj(w);
	jw_key(w, "operationId");
	jw_str(w, op->id);
	jw_key(w, "tags");
	jw_arr(w);
	jw_str(w, op->tag);
	jw_end(w);
	jw_key(w, "summary");
	jw_str(w, op->summary);
	if (op->desc) {
		jw_key(w, "description");
		jw_str(w, op->desc);
	}
	if (op->params[0].name) {
		jw_key(w, "parameters");
		jw_arr(w);
		for (const OaParam *p = op->params; p->name; p++)
			write_param(w, p);
		jw_end(w);
	}
	if (op->body) {
		jw_key(w, "requestBody");
		jw_obj(w);
		jw_key(w, "required");
		jw_bool(w, true);
		if (op->body[0] == '#') {
			write_media(w, "application/json", op->body);
		} else {
			jw_key(w, "content");
			jw_obj(w);
			jw_key(w, "application/octet-stream");
			jw_obj(w);
			jw_key(w, "schema");
			jw_obj(w);
			jw_key(w, "type");
			jw_str(w, "string");
			jw_key(w, "contentMediaType");
			jw_str(w, "application/octet-stream");
			jw_end(w);
			jw_end(w);
			jw_key(w, "multipart/form-data");
			jw_obj(w);
			jw_key(w, "schema");
			jw_obj(w);
			jw_key(w, "type");
			jw_str(w, "object");
			jw_key(w, "properties");
			jw_obj(w);
			jw_key(w, "file");
			jw_obj(w);
			jw_key(w, "type");
			jw_str(w, "string");
			jw_key(w, "contentMediaType");
			jw_str(w, "application/octet-stream");
			jw_end(w);
			jw_end(w);
			jw_key(w, "required");
			jw_arr(w);
			jw_str(w, "file");
			jw_end(w);
			jw_end(w);
			jw_end(w);
			jw_end(w);
		}
		jw_end(w);
	}
	jw_key(w, "responses");
	jw_obj(w);
	char st[8];
	xsnprintf(st, sizeof st, "%d", op->status);
	jw_key(w, st);
	jw_obj(w);
	jw_key(w, "description");
	jw_str(w, op->status == 201 ? "Created." : "OK.");
	write_media(w, op->result_type ? op->result_type : "application/json", op->result);
	jw_end(w);
	for (size_t i = 0; i < ARRAY_LEN(error_responses); i++) {
		xsnprintf(st, sizeof st, "%d", error_responses[i].status);
		if (!strstr(op->errors, st))
			continue;
		jw_key(w, st);
		jw_obj(w);
		Buf ref = BUF_INIT;
		buf_printf(&ref, "#/components/responses/%s", error_responses[i].name);
		jw_key(w, "$ref");
		jw_str(w, buf_cstr(&ref));
		buf_release(&ref);
		jw_end(w);
	}
	jw_key(w, "default");
	jw_obj(w);
	jw_key(w, "$ref");
	jw_str(w, "#/components/responses/Error");
	jw_end(w);
	jw_end(w);
	/* What the route table enforces, read from it rather than restated. */
	if (rt && rt->cap == CAP_NONE) {
		jw_key(w, "security");
		jw_arr(w);
		jw_end(w);
	}
	if (rt && rt->cap && cap_name(rt->cap)) {
		jw_key(w, "x-danvan-capability");
		jw_str(w, cap_name(rt->cap));
	}
	if (rt && op->body) {
		jw_key(w, "x-danvan-body-limit");
		jw_int(w, (int64_t)(rt->body_cap ? rt->body_cap : 16 * 1024));
	}
	jw_end(w);
}

static void write_info(JsonW *w)
{
	jw_key(w, "info");
	jw_obj(w);
	jw_key(w, "title");
	jw_str(w, "danvan API");
	jw_key(w, "version");
	jw_str(w, "1.0.0");
	jw_key(w, "description");
	jw_str(w, "JSON API v1 of danvan. Authenticate with a bearer token (`danvan user token LOGIN`) "
		  "or a browser session; a session must send its CSRF token in X-CSRF-Token on POST. "
		  "Every capability is scoped to the user's administrative area: objects outside it "
		  "answer 404, exactly like unknown ones. Errors are JSON: "
		  "{\"error\":{\"code\",\"status\",\"message\"}}. Dates are YYYY-MM-DD; times are "
		  "Vietnam time with their offset.");
	jw_end(w);
}

static void write_components(JsonW *w)
{
	jw_key(w, "components");
	jw_obj(w);
	jw_key(w, "schemas");
	jw_obj(w);
	for (size_t i = 0; i < ARRAY_LEN(schemas); i++) {
		jw_key(w, schemas[i].name);
		write_schema(w, &schemas[i]);
	}
	jw_end(w);
	jw_key(w, "responses");
	jw_obj(w);
	jw_key(w, "Error");
	write_error_response(w, "An error.");
	for (size_t i = 0; i < ARRAY_LEN(error_responses); i++) {
		jw_key(w, error_responses[i].name);
		write_error_response(w, error_responses[i].desc);
	}
	jw_end(w);
	jw_key(w, "securitySchemes");
	jw_obj(w);
	jw_key(w, "bearerAuth");
	jw_obj(w);
	jw_key(w, "type");
	jw_str(w, "http");
	jw_key(w, "scheme");
	jw_str(w, "bearer");
	jw_key(w, "description");
	jw_str(w, "A token made with `danvan user token LOGIN`.");
	jw_end(w);
	jw_key(w, "cookieAuth");
	jw_obj(w);
	jw_key(w, "type");
	jw_str(w, "apiKey");
	jw_key(w, "in");
	jw_str(w, "cookie");
	jw_key(w, "name");
	jw_str(w, "dv_session");
	jw_end(w);
	jw_end(w);
	jw_end(w);
}

void openapi_write(Buf *out)
{
	JsonW w;
	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "openapi");
	jw_str(&w, "3.1.0");
	write_info(&w);
	jw_key(&w, "security");
	jw_arr(&w);
	jw_obj(&w);
	jw_key(&w, "bearerAuth");
	jw_arr(&w);
	jw_end(&w);
	jw_end(&w);
	jw_obj(&w);
	jw_key(&w, "cookieAuth");
	jw_arr(&w);
	jw_end(&w);
	jw_end(&w);
	jw_end(&w);
	/* One key per path: gather every operation of a path under it,
	 * wherever it sits in ops[] (duplicate keys would be invalid JSON
	 * for strict readers, json_parse_capped among them). */
	jw_key(&w, "paths");
	jw_obj(&w);
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || str_eq(ops[j].path, ops[i].path);
		if (seen)
			continue;
		jw_key(&w, ops[i].path);
		jw_obj(&w);
		for (size_t j = i; j < ARRAY_LEN(ops); j++) {
			if (!str_eq(ops[j].path, ops[i].path))
				continue;
			jw_key(&w, ops[j].method);
			write_op(&w, &ops[j]);
		}
		jw_end(&w);
	}
	jw_end(&w);
	write_components(&w);
	jw_end(&w);
	if (!jw_finished(&w))
		out->err = true;
}

Rc api_openapi(Req *r)
{
	api_json_begin(r);
	openapi_write(&r->out);
	buf_putc(&r->out, '\n');
	return buf_ok(&r->out) ? RC_OK : RC_INTERNAL;
}
