/*
 * test_openapi.c — the OpenAPI document and the route table agree: every
 * /api/v1 route is described with the same methods, every described
 * operation is a route, and the document is well-formed JSON claiming
 * OpenAPI 3.1.0 whose every $ref resolves and whose operationIds are
 * unique.  A route added without documentation (or documentation of a
 * route that was removed) fails here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <strings.h>

#include "api/cases_api.h"
#include "base/json.h"
#include "web/routes.h"

#define DOC_MAX (4 << 20)

static const struct {
	unsigned bit;
	const char *name;  /* as openapi_has takes it */
	const char *key;   /* as the document writes it */
} methods[] = {
	{M_GET, "GET", "get"}, {M_POST, "POST", "post"}, {M_PUT, "PUT", "put"},
	{M_PATCH, "PATCH", "patch"}, {M_DELETE, "DELETE", "delete"},
};

static json_t *load_doc(void)
{
	Buf b = BUF_INIT;
	openapi_write(&b);
	assert_true(buf_ok(&b));
	json_t *doc = json_parse_capped(b.data, b.len, DOC_MAX);
	if (!doc)
		fail_msg("the document is not valid JSON (or has duplicate keys): %.200s", buf_cstr(&b));
	buf_release(&b);
	return doc;
}

/* "/api/v1/cases/{id}/transitions" → "/api/v1/cases/ * /transitions"
 * (without the spaces): the routes.def form. */
static void to_pattern(const char *path, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = path; *p && o + 1 < size; p++) {
		if (*p == '{') {
			p = strchr(p, '}');
			assert_non_null(p);
			out[o++] = '*';
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
}

static void test_every_api_route_is_documented(void **state)
{
	(void)state;
	size_t pairs = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const Route *rt = &routes[i];
		if (!str_starts(rt->pattern, "/api/v1/"))
			continue;
		for (size_t m = 0; m < ARRAY_LEN(methods); m++) {
			if (!(rt->methods & methods[m].bit))
				continue;
			pairs++;
			if (!openapi_has(methods[m].name, rt->pattern))
				fail_msg("route %s %s (%s) is not in the OpenAPI document", methods[m].name,
					 rt->pattern, rt->handler_name);
		}
	}
	/* HEAD rides along with GET and is not an operation of its own. */
	assert_int_equal(openapi_route_count(), pairs);
	assert_false(openapi_has("GET", "/api/v1/no-such-route"));
	assert_false(openapi_has("DELETE", "/api/v1/cases/*"));
	assert_true(openapi_has("get", "/api/v1/cases/*"));
}

static void test_every_documented_operation_is_a_route(void **state)
{
	(void)state;
	json_t *doc = load_doc();
	json_t *paths = json_object_get(doc, "paths");
	assert_true(json_is_object(paths));
	size_t ops = 0;
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item) {
		char pat[256];
		to_pattern(path, pat, sizeof pat);
		const char *key;
		json_t *op;
		json_object_foreach(item, key, op) {
			unsigned bit = 0;
			for (size_t m = 0; m < ARRAY_LEN(methods); m++)
				if (str_eq(key, methods[m].key))
					bit = methods[m].bit;
			if (!bit)
				fail_msg("%s: \"%s\" is not an HTTP method", path, key);
			bool found = false;
			for (size_t i = 0; i < routes_count; i++)
				found = found || (str_eq(routes[i].pattern, pat) && (routes[i].methods & bit));
			if (!found)
				fail_msg("the document describes %s %s, which no route serves", key, path);
			ops++;
		}
	}
	assert_int_equal(ops, openapi_route_count());
	json_decref(doc);
}

/* Collect every "$ref" and every operationId below `j`. */
static void walk(json_t *j, json_t *doc, json_t *ids)
{
	if (json_is_array(j)) {
		size_t i;
		json_t *e;
		json_array_foreach(j, i, e)
			walk(e, doc, ids);
		return;
	}
	if (!json_is_object(j))
		return;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) {
		if (str_eq(k, "$ref")) {
			assert_true(json_is_string(v));
			const char *ref = json_string_value(v);
			char section[32], name[64];
			if (sscanf(ref, "#/components/%31[^/]/%63s", section, name) != 2)
				fail_msg("$ref outside the document: %s", ref);
			json_t *target = json_object_get(json_object_get(json_object_get(doc, "components"),
									 section), name);
			if (!target)
				fail_msg("$ref %s does not resolve", ref);
		} else if (str_eq(k, "operationId")) {
			const char *id = json_string_value(v);
			assert_non_null(id);
			if (json_object_get(ids, id))
				fail_msg("operationId %s is used twice", id);
			json_object_set_new(ids, id, json_true());
		}
		walk(v, doc, ids);
	}
}

static void test_document_is_openapi_31(void **state)
{
	(void)state;
	json_t *doc = load_doc();
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	json_t *info = json_object_get(doc, "info");
	assert_non_null(json_string_value(json_object_get(info, "title")));
	assert_non_null(json_string_value(json_object_get(info, "version")));
	json_t *comp = json_object_get(doc, "components");
	/* bearer tokens are the API's way in */
	json_t *bearer = json_object_get(json_object_get(comp, "securitySchemes"), "bearerAuth");
	assert_string_equal(json_string_value(json_object_get(bearer, "type")), "http");
	assert_string_equal(json_string_value(json_object_get(bearer, "scheme")), "bearer");
	/* the error object every failure answers with */
	json_t *err = json_object_get(json_object_get(json_object_get(json_object_get(comp, "schemas"),
								 "ErrorBody"), "properties"), "code");
	assert_non_null(err);
	json_t *ids = json_object();
	walk(doc, doc, ids);
	assert_int_equal(json_object_size(ids), openapi_route_count());
	json_decref(ids);
	json_decref(doc);
}

static void test_security_follows_the_route_table(void **state)
{
	(void)state;
	json_t *doc = load_doc();
	json_t *paths = json_object_get(doc, "paths");
	/* public routes say so; the others inherit bearer/cookie security */
	json_t *track = json_object_get(json_object_get(paths, "/api/v1/track/{code}"), "get");
	assert_non_null(track);
	json_t *sec = json_object_get(track, "security");
	assert_true(json_is_array(sec) && json_array_size(sec) == 0);
	json_t *list = json_object_get(json_object_get(paths, "/api/v1/cases"), "get");
	assert_non_null(list);
	assert_null(json_object_get(list, "security"));
	assert_string_equal(json_string_value(json_object_get(list, "x-danvan-capability")), "case_view");
	/* every operation documents the error object for its failures */
	json_t *err = json_object_get(json_object_get(list, "responses"), "default");
	assert_string_equal(json_string_value(json_object_get(err, "$ref")), "#/components/responses/Error");
	/* a case carries its deadlines with their legal basis */
	json_t *dl = json_object_get(json_object_get(json_object_get(json_object_get(doc, "components"),
								    "schemas"), "Deadline"), "properties");
	assert_non_null(json_object_get(dl, "basis"));
	assert_non_null(json_object_get(dl, "due_on"));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_api_route_is_documented),
		cmocka_unit_test(test_every_documented_operation_is_a_route),
		cmocka_unit_test(test_document_is_openapi_31),
		cmocka_unit_test(test_security_follows_the_route_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
