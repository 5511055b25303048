/* What every connector type shares: validating a configuration against
 * the declared fields, showing it with secrets masked, and the outcome of
 * a check or a read.  The table of types is in connector_types.c: the
 * types use what is here, so this file does not know them. */
#include <stdio.h>
#include <string.h>

#include "connector.h"
#include "utf8.h"

#define SECRET_MASK	"••••••••"

enum canon_table
connector_table(const struct connector_type *t, const json_t *config)
{
	enum canon_table	 table = t->table;

	if (t->table_from_config)
		(void)canon_table_by_name(json_string_value(json_object_get(
		    config, "target")), &table);
	return table;
}

const char *
connector_platform(const struct connector_type *t, const json_t *config)
{
	const char	*p;

	if (t->platform != NULL)
		return t->platform;
	p = json_string_value(json_object_get(config, "platform"));
	return p != NULL ? p : "autre";
}

void
connector_outcome_init(struct connector_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->result = CONN_OK;
	o->dialect = json_object();
}

void
connector_outcome_clear(struct connector_outcome *o)
{
	json_decref(o->dialect);
	o->dialect = NULL;
}

void
connector_fail(struct connector_outcome *o, enum connector_result r,
    size_t line, size_t column, const char *column_name, const char *message)
{
	o->result = r;
	o->line = line;
	o->column = column;
	snprintf(o->column_name, sizeof(o->column_name), "%s",
	    column_name ? column_name : "");
	snprintf(o->message, sizeof(o->message), "%s", message);
}

static int
is_choice(const struct connector_field *f, const char *v)
{
	const char *const	*c;

	for (c = f->choices; c != NULL && *c != NULL; c++)
		if (strcmp(*c, v) == 0)
			return 1;
	return 0;
}

static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The submitted value of f: trimmed text, NULL when absent or blank. */
static const char *
submitted(json_t *values, const struct connector_field *f, char *tmp,
    size_t len)
{
	const char	*v = json_string_value(json_object_get(values, f->name));
	size_t		 n;

	if (v == NULL)
		return NULL;
	if (f->type != CFIELD_SECRET)
		while (*v == ' ' || *v == '\t')
			v++;
	snprintf(tmp, len, "%s", v);
	n = strlen(tmp);
	if (f->type != CFIELD_SECRET)
		while (n > 0 && (tmp[n - 1] == ' ' || tmp[n - 1] == '\t'))
			tmp[--n] = '\0';
	return n > 0 ? tmp : NULL;
}

static const char *
check_value(const struct connector_field *f, const char *v)
{
	if (!utf8_valid_text(v, strlen(v)))
		return "valid.text";
	if (f->max > 0 && chars(v) > f->max)
		return "valid.value_too_long";
	if (f->type == CFIELD_CHOICE && !is_choice(f, v))
		return "valid.sources.choice";
	if (f->valid != NULL)
		return f->valid(v);
	return NULL;
}

json_t *
connector_config_input(const struct connector_type *t, json_t *values,
    const json_t *current, const json_t *current_secrets, json_t **secrets,
    json_t **errors)
{
	const struct connector_field	*f;
	json_t				*config = json_object();
	const char			*v, *msg;
	/* Larger than any field's max, so that a longer value is refused, not cut. */
	char				 tmp[8192];
	size_t				 i;

	*errors = json_object();
	*secrets = NULL;
	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		v = submitted(values, f, tmp, sizeof(tmp));
		if (v == NULL && f->type == CFIELD_SECRET &&
		    json_object_get(current_secrets, f->name) != NULL)
			v = json_string_value(json_object_get(current_secrets,
			    f->name));
		else if (v == NULL && json_object_get(values, f->name) == NULL &&
		    json_object_get(current, f->name) != NULL)
			v = json_string_value(json_object_get(current, f->name));
		if (v == NULL)
			v = f->def;
		if (v == NULL) {
			if (f->required)
				json_object_set_new(*errors, f->name,
				    json_string("valid.required"));
			continue;
		}
		if ((msg = check_value(f, v)) != NULL) {
			json_object_set_new(*errors, f->name, json_string(msg));
			continue;
		}
		if (f->type == CFIELD_SECRET) {
			if (*secrets == NULL)
				*secrets = json_object();
			json_object_set_new(*secrets, f->name, json_string(v));
		} else
			json_object_set_new(config, f->name, json_string(v));
	}
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return config;
}

json_t *
connector_config_public(const struct connector_type *t, const json_t *config,
    const json_t *secrets)
{
	json_t		*out = json_object();
	const char	*key;
	json_t		*v;
	size_t		 i;

	/* Fields the type declares, then what else the configuration keeps
	 * (the generic connector's mapping), secrets never among them. */
	json_object_foreach((json_t *)config, key, v)
		json_object_set(out, key, v);
	for (i = 0; i < t->nfields; i++) {
		if (t->fields[i].type != CFIELD_SECRET)
			continue;
		json_object_del(out, t->fields[i].name);
		if (json_object_get(secrets, t->fields[i].name) != NULL)
			json_object_set_new(out, t->fields[i].name,
			    json_string(SECRET_MASK));
	}
	return out;
}
