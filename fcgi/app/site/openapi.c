/* The OpenAPI document: templates/api/openapi.json, in which each
 * resource served by the resource layer gets its schema and its list's
 * parameters written from its description.  The routes say which
 * resources there are: those whose list is resource_api_list. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "openapi.h"
#include "resource/resource_api.h"
#include "resource/resource_openapi.h"
#include "resource/resource.h"
#include "worker.h"

/* The document as served, written once per worker and again after the
 * templates were reloaded (development). */
static char	*document;
static time_t	 document_templates;

/* "/api/v1/vehicles/:id" → "/api/v1/vehicles/{id}" in the arena. */
static const char *
openapi_path(arena *a, const char *pattern)
{
	char	*out = arena_alloc(a, strlen(pattern) * 2 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *pattern != '\0'; pattern++) {
		if (*pattern != ':') {
			*o++ = *pattern;
			continue;
		}
		*o++ = '{';
		while (pattern[1] != '\0' && pattern[1] != '/')
			*o++ = *++pattern;
		*o++ = '}';
	}
	*o = '\0';
	return out;
}

static int
add_resource(struct request *r, json_t *doc, const struct route *rt)
{
	const struct resource	*res = rt->data;
	json_t			*schemas, *get;
	const char		*path;

	schemas = json_object_get(json_object_get(doc, "components"),
	    "schemas");
	if ((path = openapi_path(r->arena, rt->pattern)) == NULL)
		return -1;
	get = json_object_get(json_object_get(json_object_get(doc, "paths"),
	    path), "get");
	if (!json_is_object(schemas) || !json_is_object(get)) {
		log_error("openapi: no schemas or no GET %s", path);
		return -1;
	}
	if (json_object_set_new(schemas, res->schema,
	    resource_schema(res)) == -1 || json_object_set_new(get,
	    "parameters", resource_list_parameters(res)) == -1)
		return -1;
	return 0;
}

static char *
write_document(struct request *r)
{
	json_error_t	 jerr;
	json_t		*doc;
	const char	*path;
	char		*text = NULL;
	size_t		 i;

	path = arena_printf(r->arena, "%s/api/openapi.json",
	    r->w->cfg->templates);
	if (path == NULL || (doc = json_load_file(path, 0, &jerr)) == NULL) {
		log_error("openapi: %s: %s", path ? path : "?", jerr.text);
		return NULL;
	}
	for (i = 0; i < r->w->nroutes; i++)
		if (r->w->routes[i].handler == resource_api_list &&
		    add_resource(r, doc, &r->w->routes[i]) == -1)
			break;
	if (i == r->w->nroutes)
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text;
}

int
openapi_document(struct request *r)
{
	if (document == NULL || document_templates != r->w->tmpl_loaded) {
		free(document);
		if ((document = write_document(r)) == NULL)
			return 500;
		document_templates = r->w->tmpl_loaded;
	}
	http_add_header(r, "Cache-Control", "public, max-age=300");
	return http_body(r, 200, "application/json; charset=utf-8", document,
	    strlen(document));
}
