/* A resource's form pages: new and create, edit and save, archive.  The
 * form is templates/<name>/form, whose view the resource's form_view hook
 * makes from the values below; a saved object goes to its page
 * (/<name>/<id>?done=saved or created), an archived one to the list. */
#include <string.h>

#include "page.h"
#include "resource.h"
#include "view.h"
#include "worker.h"

static const struct res_input form_input = { 1, 0, 0 };

static json_t *
form_values(struct request *r, const struct resource *res, json_t *v)
{
	const struct res_field	*f;
	json_t			*values = json_object(), *val;
	const char		*key, *typed;
	size_t			 i;

	json_object_foreach(v, key, val) {
		if (json_is_string(val))
			json_object_set(values, key, val);
		else if (json_is_integer(val))
			json_object_set_new(values, key, json_string(arena_printf(
			    r->arena, "%lld", (long long)json_integer_value(val))));
	}
	for (i = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (!resource_asks(res, &form_input, f->name))
			continue;
		/* A new object's form starts from the defaults. */
		if (f->dflt != NULL && json_object_get(values, f->name) == NULL)
			json_object_set_new(values, f->name, json_string(f->dflt));
		if (f->form != NULL && f->form->type == V_MONEY)
			json_object_set_new(values, f->form->name, json_string(
			    view_money_input(r, json_object_get(v, f->name))));
		/* Sent back with errors: what was typed, right or wrong. */
		if ((typed = http_form(r, resource_input_name(res, &form_input,
		    f->name))) != NULL)
			json_object_set_new(values, resource_input_name(res,
			    &form_input, f->name), json_string(typed));
	}
	return values;
}

/* The choices of each choice field: the value typed or stored, else the
 * field's default; a field with no default starts blank ("<name>.choose"). */
static json_t *
form_options(struct request *r, const struct resource *res, json_t *values)
{
	const struct res_field	*f;
	json_t			*options = json_object();
	const char		*now;
	size_t			 i;

	for (i = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (f->type != RT_ENUM ||
		    !resource_asks(res, &form_input, f->name))
			continue;
		now = view_str(values, f->name);
		json_object_set_new(options, f->name, view_options(r,
		    arena_printf(r->arena, "%s.%s", res->name, f->name),
		    f->valid.choices, *now != '\0' || f->dflt == NULL ? now :
		    f->dflt, f->dflt == NULL ? arena_printf(r->arena,
		    "%s.choose", res->name) : NULL));
	}
	return options;
}

json_t *
resource_form_view(struct request *r, const struct resource *res, json_t *v,
    json_t *errors, const char *action)
{
	json_t	*values = form_values(r, res, v), *view;

	view = json_pack("{s:o, s:o, s:o, s:s, s:b}",
	    "options", form_options(r, res, values), "values", values,
	    "errors", errors != NULL ? errors : json_object(), "action", action,
	    "is_new", json_object_get(v, "id") == NULL);
	if (view != NULL && res->hooks.form_view != NULL)
		res->hooks.form_view(r, v, view);
	return view;
}

/* The form with v's values (stolen), answered with status. */
static int
form_page(struct request *r, const struct resource *res, int status,
    json_t *v, json_t *errors, const char *action)
{
	json_t	*view;
	int	 rc;

	view = resource_form_view(r, res, v, errors, action);
	json_decref(v);
	rc = page_render(r, status, arena_printf(r->arena, "%s/form",
	    res->name), view);
	return rc == 0 ? (status >= 400 ? status : 0) : rc;
}

static const char *
id_of(json_t *v)
{
	return view_str(v, "id");
}

int
resource_new(struct request *r)
{
	const struct resource	*res = resource_of(r);

	return form_page(r, res, 200, json_object(), NULL, arena_printf(
	    r->arena, "/%s", res->name));
}

int
resource_create(struct request *r)
{
	const struct resource	*res = resource_of(r);
	const char		*action = arena_printf(r->arena, "/%s", res->name);
	json_t			*v, *errors, *stored;
	int			 rc;

	v = resource_input(r, res, NULL, &form_input, &errors);
	if (errors != NULL)
		return form_page(r, res, 422, v, errors, action);
	if ((stored = resource_insert(r, res, v, &rc, &errors)) == NULL) {
		if (errors != NULL)
			return form_page(r, res, rc, v, errors, action);
		json_decref(v);
		return rc;
	}
	json_decref(v);
	rc = http_redirect(r, 303, arena_printf(r->arena, "/%s/%s?done=created",
	    res->name, id_of(stored)));
	json_decref(stored);
	return rc;
}

int
resource_edit(struct request *r)
{
	const struct resource	*res = resource_of(r);
	json_t			*v;
	int			 rc;

	if ((v = resource_get(r, res, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return form_page(r, res, 200, v, NULL, arena_printf(r->arena, "/%s/%s",
	    res->name, id_of(v)));
}

int
resource_save(struct request *r)
{
	const struct resource	*res = resource_of(r);
	const char		*id = http_param_uuid(r, 0), *action;
	json_t			*current, *v, *errors, *stored;
	int			 rc;

	if ((current = resource_get(r, res, id, &rc)) == NULL)
		return rc;
	action = arena_printf(r->arena, "/%s/%s", res->name, id);
	v = resource_input(r, res, current, &form_input, &errors);
	json_decref(current);
	if (errors != NULL)
		return form_page(r, res, 422, v, errors, action);
	/* A refused statement has ended the transaction: the form shows
	 * what was typed, nothing more is read. */
	if ((stored = resource_update(r, res, id, v, &rc, &errors)) == NULL) {
		if (errors != NULL)
			return form_page(r, res, rc, v, errors, action);
		json_decref(v);
		return rc;
	}
	json_decref(v);
	json_decref(stored);
	return http_redirect(r, 303, arena_printf(r->arena, "/%s/%s?done=saved",
	    res->name, id));
}

int
resource_archive_page(struct request *r)
{
	const struct resource	*res = resource_of(r);
	int			 rc;

	if ((rc = resource_archive(r, res, http_param_uuid(r, 0))) != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena, "/%s", res->name));
}
