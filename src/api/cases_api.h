/*
 * cases_api.h — citizens' cases in the JSON API v1, the public tracking
 * endpoint, the OpenAPI document, and the CSV/XLSX exports of the case
 * list.  Routes in web/routes_api_cases.def; the full reference is
 * docs/api-cases.md and GET /api/v1/openapi.json.
 *
 *   GET  /api/v1/cases                  list: filters as query parameters
 *                                       (queue kind field unit unit_id status
 *                                       channel org from to q after limit);
 *                                       {"items":[…], "next": cursor|null}
 *   POST /api/v1/cases                  create (staff, on behalf of a citizen);
 *                                       201 with the case
 *   GET  /api/v1/cases/{id}             one case with deadlines, events,
 *                                       attachments (metadata), links and the
 *                                       actions the reader may take now
 *   POST /api/v1/cases/{id}/transitions {"action": …} → case_act (also
 *                                       "reply", "note", "assign"); the case
 *   GET  /api/v1/cases/{id}/attachments metadata
 *   POST /api/v1/cases/{id}/attachments ?name=…, raw body (octet-stream) or
 *                                       multipart part "file"; 201
 *   GET  /api/v1/track/{code}           public: status, deadlines, replies
 *   GET  /api/v1/openapi.json           public: the OpenAPI 3.1 document
 *   GET  /cases/export.csv, .xlsx       the list's filters, every page, as a
 *                                       download (no personal data, ever)
 *
 * Scope: a case outside the reader's area answers 404 exactly like an
 * unknown id, and nothing changes (case_load / case_act decide).
 * Personal data appears only as case_load fills it for the reader; the
 * sealed identity of a denouncer never leaves the vault through here.
 */
#ifndef DANVAN_API_CASES_H
#define DANVAN_API_CASES_H

#include "../web/req.h"

Rc api_cases_list(Req *r);
Rc api_case_create(Req *r);
Rc api_case_show(Req *r);
Rc api_case_transition(Req *r);
Rc api_case_attachments(Req *r);
Rc api_case_attach(Req *r);
Rc api_case_track(Req *r);
Rc api_cases_export_csv(Req *r);
Rc api_cases_export_xlsx(Req *r);

/* The transition actions the API accepts (case_act's ids plus "reply",
 * "note" and "assign"), and the names of the complexity criteria bits
 * (case.h enum CaseCriterion, bit i = name i).  NULL-terminated; the
 * OpenAPI document lists them from here so it cannot drift. */
extern const char *const api_case_actions[];
extern const char *const api_case_criteria[];

/* ---- the OpenAPI document (openapi.c) ---- */
Rc api_openapi(Req *r);
/* Write the document (one JSON object) into `out`. */
void openapi_write(Buf *out);
/* Number of operations (method × path) the document describes. */
size_t openapi_route_count(void);
/* Does the document describe `method` ("GET", "POST", …) on `pattern`
 * written as in routes.def ('*' for a parameter segment)? */
bool openapi_has(const char *method, const char *pattern);

#endif
