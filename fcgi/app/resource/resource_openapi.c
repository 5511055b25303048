/* A resource in the OpenAPI document, written from its description: the
 * schema of its objects (components.schemas.<schema>) and the parameters
 * of its list, so that the document says what the code does. */
#include <string.h>

#include "resource.h"
#include "resource_openapi.h"

static const char *const json_types[] = {
	[RT_TEXT] = "string", [RT_INT] = "integer", [RT_MONEY] = "integer",
	[RT_DATE] = "string", [RT_TIME] = "string", [RT_ENUM] = "string",
	[RT_EMAIL] = "string", [RT_UUID] = "string", [RT_OBJECT] = "object",
	[RT_ARRAY] = "array", [RT_BOOL] = "boolean",
};

static const char *const formats[] = {
	[RT_DATE] = "date", [RT_TIME] = "date-time", [RT_EMAIL] = "email",
	[RT_UUID] = "uuid",
};

static json_t *
choices(const char *const *c)
{
	json_t	*a = json_array();

	for (; c != NULL && *c != NULL; c++)
		json_array_append_new(a, json_string(*c));
	return a;
}

/* The bounds of a field's check: lengths of text, values of numbers. */
static void
bounds(json_t *p, const struct res_field *f)
{
	const struct valid_field	*v = &f->valid;
	int				 text = v->type == V_TEXT;

	if (!(f->flags & RES_WRITE) || (v->min == 0 && v->max == 0))
		return;
	if (v->min > 0 || !text)
		json_object_set_new(p, text ? "minLength" : "minimum",
		    json_integer(v->min));
	if (v->max > 0)
		json_object_set_new(p, text ? "maxLength" : "maximum",
		    json_integer(v->max));
}

static json_t *
property(const struct res_field *f)
{
	const char	*type = json_types[f->type];
	json_t		*p = json_object();

	if (f->flags & RES_NULLABLE)
		json_object_set_new(p, "type", json_pack("[s, s]", type, "null"));
	else
		json_object_set_new(p, "type", json_string(type));
	if (f->type < sizeof(formats) / sizeof(formats[0]) &&
	    formats[f->type] != NULL)
		json_object_set_new(p, "format", json_string(formats[f->type]));
	if (f->type == RT_ENUM) {
		json_object_set_new(p, "enum", choices(f->valid.choices));
		if (f->flags & RES_NULLABLE)
			json_array_append_new(json_object_get(p, "enum"),
			    json_null());
	}
	bounds(p, f);
	if (f->dflt != NULL)
		json_object_set_new(p, "default", json_string(f->dflt));
	if (!(f->flags & RES_WRITE))
		json_object_set_new(p, "readOnly", json_true());
	if (f->doc != NULL)
		json_object_set_new(p, "description", json_string(f->doc));
	return p;
}

json_t *
resource_schema(const struct resource *res)
{
	json_t	*props = json_object(), *required = json_array();
	size_t	 i;

	for (i = 0; i < res->nfields; i++) {
		json_object_set_new(props, res->fields[i].name,
		    property(&res->fields[i]));
		if ((res->fields[i].flags & RES_WRITE) &&
		    res->fields[i].valid.required)
			json_array_append_new(required,
			    json_string(res->fields[i].name));
	}
	return json_pack("{s:s, s:o, s:o}", "type", "object", "properties",
	    props, "required", required);
}

static json_t *
parameter(const struct res_param *p)
{
	json_t	*schema = json_pack("{s:s}", "type", "string"), *o;

	if (p->kind == RP_SEARCH)
		json_object_set_new(schema, "maxLength", json_integer(100));
	else if (p->kind == RP_DATE)
		json_object_set_new(schema, "format", json_string("date"));
	else if (p->kind == RP_WEEK)
		json_object_set_new(schema, "pattern",
		    json_string("^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"));
	else if (p->kind != RP_ID)
		json_object_set_new(schema, "enum", choices(p->choices));
	o = json_pack("{s:s, s:s, s:o}", "name", p->name, "in", "query",
	    "schema", schema);
	if (p->doc != NULL)
		json_object_set_new(o, "description", json_string(p->doc));
	return o;
}

json_t *
resource_list_parameters(const struct resource *res)
{
	json_t	*a, *sorts = json_array();
	size_t	 i;

	a = json_pack("[{s:s}, {s:s}]", "$ref", "#/components/parameters/Page",
	    "$ref", "#/components/parameters/Limit");
	for (i = 0; i < res->nparams; i++)
		if (res->params[i].kind != RP_DERIVED)
			json_array_append_new(a, parameter(&res->params[i]));
	if (res->sorts[0].key == NULL) {
		json_decref(sorts);
		return a;
	}
	for (i = 0; i < res->nsorts; i++)
		json_array_append_new(sorts, json_string(res->sorts[i].key));
	json_array_append_new(a, json_pack("{s:s, s:s, s:{s:s, s:o, s:s}}",
	    "name", "sort", "in", "query", "schema", "type", "string", "enum",
	    sorts, "default", res->sorts[0].key));
	return a;
}
