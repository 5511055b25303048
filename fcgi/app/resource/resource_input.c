/* A resource's input: which writable fields a request may set, read with
 * their declared checks (a form's twin for a form: money as "1 234,56"),
 * merged into the stored object for an update, then the resource's rules
 * between fields. */
#include <string.h>

#include "resource.h"

/* The fields an input reads: the checks given to valid_input and the
 * field each one fills. */
struct selection {
	struct valid_field	 v[RESOURCE_MAX_FIELDS];
	const struct res_field	*field[RESOURCE_MAX_FIELDS];
	size_t			 n;
};

static int
asked(const struct res_field *f, const struct res_input *how)
{
	if (!(f->flags & RES_WRITE))
		return 0;
	if (how->section != 0 && f->section != how->section)
		return 0;
	/* Forms move through their own steps; only the API may set one. */
	return !(how->form && (f->flags & RES_API_ONLY));
}

static void
select_fields(struct selection *s, const struct resource *res,
    json_t *current, const struct res_input *how)
{
	const struct res_field	*f;
	size_t			 i;

	s->n = 0;
	for (i = 0; i < res->nfields && s->n < RESOURCE_MAX_FIELDS; i++) {
		f = &res->fields[i];
		if (!asked(f, how))
			continue;
		s->field[s->n] = f;
		s->v[s->n] = how->form && f->form != NULL ? *f->form : f->valid;
		s->v[s->n].name = how->form && f->form != NULL ?
		    f->form->name : f->name;
		/* An update through the API may leave out anything; a form
		 * sends every field, so a blank required one is an error. */
		if (!how->form && current != NULL)
			s->v[s->n].required = 0;
		if (how->wizard && (f->flags & RES_STEP))
			s->v[s->n].required = 1;
		s->n++;
	}
}

int
resource_asks(const struct resource *res, const struct res_input *how,
    const char *name)
{
	const struct res_field	*f = resource_field(res, name);

	return f != NULL && asked(f, how);
}

const char *
resource_input_name(const struct resource *res, const struct res_input *how,
    const char *name)
{
	const struct res_field	*f = resource_field(res, name);

	if (f != NULL && how->form && f->form != NULL)
		return f->form->name;
	return name;
}

/* A field sent blank (form) or null (API) is cleared. */
static int
cleared(const struct request *r, const char *name)
{
	json_t	*j;

	if (r->json == NULL)
		return http_form(r, name) != NULL;
	j = json_object_get(r->json, name);
	return j != NULL && json_is_null(j);
}

static void
merge(const struct request *r, const struct selection *s, json_t *in,
    json_t *v, json_t *errors)
{
	const char	*name;
	json_t		*val;
	size_t		 i;

	for (i = 0; i < s->n; i++) {
		name = s->v[i].name;
		if ((val = json_object_get(in, name)) != NULL)
			json_object_set(v, s->field[i]->name, val);
		else if (json_object_get(errors, name) != NULL)
			continue;
		else if (cleared(r, name)) {
			if (s->v[i].required ||
			    (s->field[i]->flags & RES_NOT_NULL))
				valid_fail(r, errors, name, "valid.required");
			else
				json_object_set_new(v, s->field[i]->name,
				    json_null());
		}
	}
}

json_t *
resource_input(struct request *r, const struct resource *res,
    json_t *current, const struct res_input *how, json_t **errors)
{
	struct selection	 s;
	json_t			*in, *v;
	size_t			 i;

	select_fields(&s, res, current, how);
	in = valid_input(r, s.v, s.n, errors);
	if (*errors == NULL)
		*errors = json_object();
	v = current != NULL ? json_deep_copy(current) : json_object();
	/* Absent members read as null below (a new object has none yet). */
	for (i = 0; i < res->nfields; i++)
		if ((res->fields[i].flags & RES_WRITE) &&
		    json_object_get(v, res->fields[i].name) == NULL)
			json_object_set_new(v, res->fields[i].name, json_null());
	merge(r, &s, in, v, *errors);
	json_decref(in);
	if (res->hooks.check != NULL)
		res->hooks.check(r, how, v, *errors);
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return v;
}
