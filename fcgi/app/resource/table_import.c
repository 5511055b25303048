#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "i18n.h"
#include "import_file.h"
#include "table_import.h"
#include "text.h"
#include "worker.h"
#include "view.h"

/* Only the first lines are listed: the problems are all listed. */
#define PREVIEW_ROWS	200

static const char *
label_in(struct request *r, lang_id lang, const struct table_column *c)
{
	return i18n_get(r->w->i18n, lang, c->x.label_key);
}

/* The column a header names: its key, its input's name (what the form
 * calls it), or its label in French or English.  A column the export
 * only shows is known too, so that an exported file comes back in
 * without complaint; its cells are ignored. */
static int
header_column(struct request *r, const struct table_kind *k, const char *h)
{
	const struct table_column	*c;
	size_t				 i;

	for (i = 0; i < k->ncolumns; i++) {
		c = &k->columns[i];
		if (strcasecmp(h, c->x.key) == 0 ||
		    (c->input != NULL && strcasecmp(h, c->input) == 0) ||
		    strcasecmp(h, label_in(r, LANG_FR, c)) == 0 ||
		    strcasecmp(h, label_in(r, LANG_EN, c)) == 0)
			return (int)i;
	}
	return -1;
}

static int
input_column(const struct table_kind *k, const char *field)
{
	size_t	i;

	for (i = 0; i < k->ncolumns; i++)
		if (k->columns[i].input != NULL &&
		    (strcmp(k->columns[i].input, field) == 0 ||
		    strcmp(k->columns[i].x.key, field) == 0))
			return (int)i;
	return -1;
}

/* What a problem calls a field: the header as the file writes it, or
 * the column's label when the file has no such column. */
static const char *
field_name(const struct table_import *im, const char *field)
{
	int	col = input_column(im->kind, field);
	size_t	i;

	if (col < 0)
		return field;
	for (i = 0; i < im->nkeys; i++)
		if (im->keys[i] == col)
			return im->headers[i];
	return label_in(im->r, (lang_id)im->r->lang, &im->kind->columns[col]);
}

/* A wrong enum cell is told which values the column takes. */
static const char *
with_choices(const struct table_import *im, const char *field,
    const char *message)
{
	const struct table_column	*c;
	const char *const		*v;
	const char			*out = message, *key;
	int				 col = input_column(im->kind, field);

	if (col < 0 || (c = &im->kind->columns[col])->choices == NULL)
		return message;
	for (v = c->choices; out != NULL && *v != NULL; v++) {
		key = arena_printf(im->r->arena, "%s.%s", c->x.label_group, *v);
		out = key == NULL ? NULL : arena_printf(im->r->arena, "%s%s%s",
		    out, v == c->choices ? " Valeurs possibles : " : ", ",
		    i18n_get(im->r->w->i18n, LANG_FR, key));
	}
	if (out != NULL)
		out = arena_printf(im->r->arena, "%s.", out);
	return out != NULL ? out : message;
}

void
table_import_problem(struct table_import *im, size_t line, const char *field,
    const char *value, const char *message)
{
	json_array_append_new(im->problems, json_pack("{s:I, s:s, s:s, s:s}",
	    "line", (json_int_t)line, "column", field_name(im, field),
	    "value", value, "message", message));
}

static void
read_header(struct table_import *im, size_t line, char **f, size_t n)
{
	const struct table_kind	*k = im->kind;
	const char *const	*req;
	size_t			 i;
	int			 col, found;

	for (i = 0; i < n; i++) {
		im->keys[i] = header_column(im->r, k, f[i]);
		im->headers[i] = arena_strdup(im->r->arena, f[i]);
		if (im->headers[i] == NULL)
			im->headers[i] = "";
		if (im->keys[i] < 0 && *f[i] != '\0')
			table_import_problem(im, line, f[i], "",
			    "Colonne inconnue : elle sera ignorée.");
	}
	im->nkeys = n;
	for (req = k->required; req != NULL && *req != NULL; req++) {
		col = input_column(k, *req);
		for (found = 0, i = 0; i < n; i++)
			found |= im->keys[i] == col;
		if (!found)
			table_import_problem(im, line, *req, "",
			    arena_printf(im->r->arena, "La colonne %s (%s) est "
			    "obligatoire.", *req, label_in(im->r, LANG_FR,
			    &k->columns[col])));
	}
}

/* An enum cell may hold the value or its label in either language. */
static const char *
enum_value(struct request *r, const struct table_column *c, const char *cell)
{
	const char *const	*v;
	const char		*key;

	for (v = c->choices; v != NULL && *v != NULL; v++) {
		key = arena_printf(r->arena, "%s.%s", c->x.label_group, *v);
		if (strcasecmp(cell, *v) == 0 || (key != NULL &&
		    (strcasecmp(cell, i18n_get(r->w->i18n, LANG_FR, key)) == 0 ||
		    strcasecmp(cell, i18n_get(r->w->i18n, LANG_EN, key)) == 0)))
			return *v;
	}
	return cell;
}

/* The export puts an apostrophe before text a spreadsheet would run as a
 * formula; it is not part of the value. */
static const char *
cell_value(const char *cell)
{
	if (cell[0] == '\'' && cell[1] != '\0' &&
	    strchr("=+-@\t\r", cell[1]) != NULL)
		return cell + 1;
	return cell;
}

/* The line's cells keyed by the validation's field names. */
static json_t *
row_object(struct table_import *im, char **f, size_t n)
{
	const struct table_column	*c;
	json_t				*o = json_object();
	const char			*cell;
	size_t				 i;

	for (i = 0; i < n && i < im->nkeys; i++) {
		if (im->keys[i] < 0 || *(cell = cell_value(f[i])) == '\0')
			continue;
		if ((c = &im->kind->columns[im->keys[i]])->input == NULL)
			continue;
		if (c->x.type == EXPORT_LABEL)
			cell = enum_value(im->r, c, cell);
		json_object_set_new(o, c->input, json_string(cell));
	}
	return o;
}

/* A spreadsheet saves empty rows as a line of separators. */
static int
blank_line(char **f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (*f[i] != '\0')
			return 0;
	return 1;
}

/* A unique value seen on an earlier line is an error on this one. */
static void
check_in_file(struct table_import *im, size_t line, json_t *v,
    json_t *errors)
{
	const struct table_unique	*u;
	const char			*value;
	json_t				*seen;
	size_t				 i;

	for (i = 0; i < im->kind->nuniques; i++) {
		u = &im->kind->uniques[i];
		if ((value = json_string_value(json_object_get(v, u->field)))
		    == NULL)
			continue;
		if ((seen = json_object_get(im->seen, u->field)) == NULL) {
			seen = json_object();
			json_object_set_new(im->seen, u->field, seen);
		}
		if (json_object_get(seen, value) != NULL &&
		    json_object_get(errors, u->field) == NULL)
			json_object_set_new(errors, u->field,
			    json_string(u->in_file));
		else if (json_object_get(seen, value) == NULL)
			json_object_set_new(seen, value,
			    json_integer((json_int_t)line));
	}
}

static void
preview_line(struct table_import *im, size_t line, json_t *v, int ok)
{
	const char *const	*p;
	json_t			*cells;

	if (json_array_size(im->lines) >= PREVIEW_ROWS)
		return;
	cells = json_array();
	for (p = im->kind->preview; *p != NULL; p++)
		json_array_append_new(cells, json_string(view_str(v, *p)));
	json_array_append_new(im->lines, json_pack("{s:I, s:o, s:b}",
	    "line", (json_int_t)line, "cells", cells, "ok", ok));
}

static int
read_line(size_t line, char **f, size_t n, void *ctx)
{
	struct table_import	*im = ctx;
	struct request		 tmp;
	json_t			*in, *v, *errors, *msg;
	const char		*key;

	if (line == 1) {
		read_header(im, line, f, n);
		return 0;
	}
	if (blank_line(f, n))
		return 0;
	im->count++;
	in = row_object(im, f, n);
	/* The same validation as the form, on this line's values; the
	 * lines' problems stay in French whatever the page's language. */
	tmp = *im->r;
	tmp.json = in;
	tmp.lang = LANG_FR;
	if ((v = im->kind->validate(&tmp, &errors)) == NULL) {
		json_decref(errors);
		json_decref(in);
		return 500;	/* stops the reading: see parse() */
	}
	if (errors == NULL)
		errors = json_object();
	check_in_file(im, line, v, errors);
	json_object_foreach(errors, key, msg)
		table_import_problem(im, line, key, view_str(in, key),
		    with_choices(im, key, json_string_value(msg)));
	preview_line(im, line, v, json_object_size(errors) == 0);
	if (json_object_size(errors) == 0)
		json_array_append_new(im->valid, json_pack("{s:I, s:O}",
		    "line", (json_int_t)line, "row", v));
	json_decref(errors);
	json_decref(v);
	json_decref(in);
	return 0;
}

/* The values of field among the valid rows, as a JSON array's text. */
static char *
values_of(struct table_import *im, const char *field)
{
	json_t	*values = json_array(), *item, *value;
	char	*text;
	size_t	 i;

	json_array_foreach(im->valid, i, item)
		if (json_is_string(value = json_object_get(json_object_get(item,
		    "row"), field)))
			json_array_append(values, value);
	text = json_dumps(values, JSON_COMPACT);
	json_decref(values);
	return text;
}

static int
is_taken(PGresult *res, const char *value)
{
	int	i;

	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(db_value(res, i, 0), value) == 0)
			return 1;
	return 0;
}

/* Valid rows whose unique value the organisation already has become
 * problems; each row is checked for every value before any is dropped,
 * so that a line shows all of its duplicates at once. */
static int
check_taken(struct table_import *im, const struct table_unique *u)
{
	const char	*params[1];
	const char	*value;
	struct db_error	 err;
	PGresult	*res;
	json_t		*item;
	char		*text;
	size_t		 i;

	if ((text = values_of(im, u->field)) == NULL)
		return 500;
	params[0] = text;
	res = db_exec(im->r->w->db, u->taken, 1, params, &err);
	free(text);
	if (res == NULL)
		return err.status;
	json_array_foreach(im->valid, i, item) {
		value = json_string_value(json_object_get(json_object_get(item,
		    "row"), u->field));
		if (value != NULL && is_taken(res, value)) {
			table_import_problem(im, (size_t)json_integer_value(
			    json_object_get(item, "line")), u->field, value,
			    u->in_db);
			json_object_set_new(item, "taken", json_true());
		}
	}
	PQclear(res);
	return 0;
}

/* Only the rows no stored value stands in the way of stay valid. */
static void
drop_taken(struct table_import *im)
{
	json_t	*kept = json_array(), *item;
	size_t	 i;

	json_array_foreach(im->valid, i, item)
		if (json_object_get(item, "taken") == NULL)
			json_array_append(kept, item);
	json_decref(im->valid);
	im->valid = kept;
}

void
table_import_free(struct table_import *im)
{
	json_decref(im->lines);
	json_decref(im->problems);
	json_decref(im->seen);
	json_decref(im->valid);
	im->lines = im->problems = im->seen = im->valid = NULL;
}

int
table_import_ready(const struct table_import *im)
{
	return im->fatal == NULL && im->count > 0 &&
	    json_array_size(im->valid) == im->count;
}

static int
parse(struct request *r, const char *token, struct table_import *im)
{
	struct csvread_error	 err = { 0, "Fichier CSV illisible." };
	buf			 text;
	int			 rc;

	buf_init(&text);
	if (import_file_read(r, token, &text) == -1) {
		buf_free(&text);
		return 404;
	}
	rc = csvread_parse(buf_cstr(&text), text.len, text_csv_delimiter(
	    buf_cstr(&text), text.len), TABLE_IMPORT_MAX_FIELDS, read_line, im,
	    &err);
	buf_free(&text);
	if (rc > 0)
		return rc;	/* a line could not be checked */
	/* Never NULL once set: a NULL fatal would let the import through. */
	if (rc == -1 && (im->fatal = arena_strdup(r->arena, err.message))
	    == NULL)
		im->fatal = "Fichier CSV illisible.";
	return 0;
}

int
table_import_read(struct request *r, const struct table_kind *k,
    const char *token, struct table_import *im)
{
	size_t	i;
	int	rc;

	memset(im, 0, sizeof(*im));
	im->kind = k;
	im->r = r;
	im->lines = json_array();
	im->problems = json_array();
	im->seen = json_object();
	im->valid = json_array();
	rc = parse(r, token, im);
	for (i = 0; rc == 0 && i < k->nuniques; i++)
		rc = check_taken(im, &k->uniques[i]);
	if (rc != 0) {
		table_import_free(im);
		return rc;
	}
	drop_taken(im);
	return 0;
}
