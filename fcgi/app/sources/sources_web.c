/* The « Sources de Données » list, and adding or editing a source from
 * the form its type declares. */
#include <string.h>

#include "i18n.h"
#include "page.h"
#include "sources.h"
#include "sources_view.h"
#include "sources_web.h"
#include "resource/view.h"
#include "worker.h"

/* ---- the list ------------------------------------------------------------ */

static json_t *
source_view(struct request *r, json_t *s)
{
	const struct connector_type	*t = connector_find(view_str(s, "type"));
	json_t				*last = json_object_get(s, "last_run");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:b, s:b}",
	    "id", view_str(s, "id"),
	    "href", sources_view_href(r, view_str(s, "id"), ""),
	    "name", view_str(s, "name"),
	    "type_label", t ? tr(r, t->label_key) : view_str(s, "type"),
	    "health", view_label(r, "sources.health", view_str(s, "health")),
	    "tone", sources_view_tone(view_str(s, "health")),
	    "last_sync", sources_view_relative(r, json_object_get(last,
	    "created_at")),
	    "last_status", view_label(r, "sources.status", view_str(last, "status")),
	    "last_tone", sources_view_tone(view_str(last, "status")),
	    "last_href", json_is_object(last) ? arena_printf(r->arena,
	    "/sync-runs/%s", view_str(last, "id")) : "",
	    "next_sync", sources_view_next_sync(r, s),
	    "paused", !json_is_null(json_object_get(s, "paused_at")),
	    "auto_mode", json_is_true(json_object_get(s, "auto_mode")));
}

int
sources_index(struct request *r)
{
	json_t	*list, *rows, *s;
	size_t	 i;
	int	 rc;

	if ((list = source_list(r, &rc)) == NULL)
		return rc;
	rows = json_array();
	json_array_foreach(list, i, s)
		json_array_append_new(rows, source_view(r, s));
	json_decref(list);
	/* No count of the unmatched here: with millions of imported rows it
	 * is a scan, paid on its own page only. */
	return page_render(r, 200, "sources/index", json_pack("{s:o, s:b}",
	    "rows", rows, "can_edit", r->id.role >= ACCESS_MANAGER));
}

/* ---- the form a type declares -------------------------------------------- */

static json_t *
choice_options(struct request *r, const struct connector_field *f,
    const char *selected)
{
	json_t			*list = json_array();
	const char *const	*c;

	for (c = f->choices; c != NULL && *c != NULL; c++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", *c, "label", tr(r, arena_printf(r->arena, "%s_%s",
		    f->label_key, *c)), "selected", strcmp(*c, selected) == 0));
	return list;
}

/* The fields of a type with what was typed or stored, and the errors. */
static json_t *
fields_view(struct request *r, const struct connector_type *t,
    json_t *values, json_t *errors, json_t *secrets_set)
{
	const struct connector_field	*f;
	json_t				*list = json_array();
	const char			*v;
	size_t				 i;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		v = f->type == CFIELD_SECRET ? "" : view_str(values, f->name);
		if (*v == '\0' && f->type != CFIELD_SECRET && f->def != NULL &&
		    json_object_get(values, f->name) == NULL)
			v = f->def;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b,"
		    " s:b, s:b, s:b, s:o, s:s, s:b}",
		    "name", f->name, "id", arena_printf(r->arena, "field-%s",
		    f->name), "label", tr(r, f->label_key),
		    "help", f->help_key ? tr(r, f->help_key) : "",
		    "required", f->required, "is_text", f->type == CFIELD_TEXT,
		    "is_secret", f->type == CFIELD_SECRET,
		    "is_choice", f->type == CFIELD_CHOICE,
		    "options", choice_options(r, f, v), "value", v,
		    "secret_set", json_object_get(secrets_set, f->name) != NULL));
		if (json_object_get(errors, f->name) != NULL)
			json_object_set(json_array_get(list, i), "error",
			    json_object_get(errors, f->name));
	}
	return list;
}

static json_t *
form_view(struct request *r, const struct connector_type *t, json_t *values,
    json_t *errors, const char *action, json_t *secrets_set)
{
	json_t	*v;

	v = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:o}",
	    "type", t->name, "type_label", tr(r, t->label_key),
	    "type_help", tr(r, t->help_key), "action", action,
	    "is_new", strcmp(action, "/sources") == 0,
	    "fields", fields_view(r, t, values, errors, secrets_set),
	    "name", view_str(values, "name"),
	    "errors", errors ? json_incref(errors) : json_object());
	return v;
}

static int
form_page(struct request *r, int status, const struct connector_type *t,
    json_t *values, json_t *errors, const char *action, json_t *secrets_set)
{
	int	rc;

	rc = page_render(r, status, "sources/form", form_view(r, t, values,
	    errors, action, secrets_set));
	return rc == 0 && status >= 400 ? status : rc;
}

/* What the form sent, as strings by field name. */
static json_t *
form_values(struct request *r, const struct connector_type *t)
{
	json_t		*values = json_object();
	const char	*v;
	size_t		 i;

	if ((v = http_form(r, "name")) != NULL)
		json_object_set_new(values, "name", json_string(v));
	for (i = 0; i < t->nfields; i++)
		if ((v = http_form(r, t->fields[i].name)) != NULL)
			json_object_set_new(values, t->fields[i].name,
			    json_string(v));
	return values;
}

int
sources_new(struct request *r)
{
	const struct connector_type	*t;
	json_t				*types, *values;
	size_t				 i;
	int				 rc;

	if ((t = connector_find(http_query(r, "type"))) != NULL) {
		values = json_object();
		rc = form_page(r, 200, t, values, NULL, "/sources", NULL);
		json_decref(values);
		return rc;
	}
	types = json_array();
	for (i = 0; i < connector_ntypes; i++)
		json_array_append_new(types, json_pack("{s:s, s:s, s:s}",
		    "label", tr(r, connector_types[i]->label_key),
		    "help", tr(r, connector_types[i]->help_key),
		    "href", arena_printf(r->arena, "/sources/new?type=%s",
		    connector_types[i]->name)));
	return page_render(r, 200, "sources/new", json_pack("{s:o}", "types",
	    types));
}

int
sources_create(struct request *r)
{
	const struct connector_type	*t = connector_find(http_form(r, "type"));
	json_t				*values, *input, *errors;
	char				 id[40];
	int				 rc;

	if (t == NULL)
		return 422;
	values = form_values(r, t);
	input = source_input(r, t, values, NULL, &errors);
	if (errors == NULL) {
		rc = source_insert(r, t, input, id, &errors);
		if (rc != 0 && errors == NULL) {
			json_decref(values);
			json_decref(input);
			return rc;
		}
	}
	json_decref(input);
	if (errors != NULL) {
		rc = form_page(r, 422, t, values, errors, "/sources", NULL);
		json_decref(values);
		json_decref(errors);
		return rc;
	}
	json_decref(values);
	return http_redirect(r, 303, sources_view_href(r, id, "?done=created"));
}

int
sources_edit(struct request *r)
{
	struct source_row	 row;
	json_t			*values, *set;
	const char		*key;
	json_t			*v, *n;
	size_t			 i;
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	values = json_object();
	json_object_foreach(row.config, key, v)
		if (json_is_string(v))
			json_object_set(values, key, v);
	json_object_set_new(values, "name", json_string(row.name));
	set = json_object();
	json_array_foreach(json_object_get(row.config, "_secrets"), i, n)
		if (json_is_string(n))
			json_object_set_new(set, json_string_value(n), json_true());
	rc = form_page(r, 200, row.type, values, NULL, sources_view_href(r, row.id,
	    ""), set);
	json_decref(set);
	json_decref(values);
	source_row_clear(&row);
	return rc;
}

int
sources_save(struct request *r)
{
	struct source_row	 row;
	json_t			*values, *input, *errors;
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	values = form_values(r, row.type);
	input = source_input(r, row.type, values, &row, &errors);
	if (errors == NULL && (rc = source_update(r, &row, input, &errors)) != 0
	    && errors == NULL) {
		json_decref(input);
		json_decref(values);
		source_row_clear(&row);
		return rc;
	}
	json_decref(input);
	if (errors != NULL) {
		rc = form_page(r, 422, row.type, values, errors, sources_view_href(r,
		    row.id, ""), NULL);
		json_decref(errors);
	} else
		rc = http_redirect(r, 303, sources_view_href(r, row.id,
		    "?done=saved"));
	json_decref(values);
	source_row_clear(&row);
	return rc;
}
