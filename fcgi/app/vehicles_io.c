#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "export.h"
#include "i18n.h"
#include "import_file.h"
#include "page.h"
#include "text.h"
#include "vehicles.h"
#include "vehicles_io.h"
#include "view.h"
#include "worker.h"

#define IMPORT_MAX_FIELDS	64
#define PREVIEW_ROWS		200

/* The export's columns; an import accepts these headers too (by key or
 * by label in either language), so an exported file comes back in. */
static const struct export_column columns[] = {
	{ "plate", "vehicles.plate", EXPORT_TEXT, NULL },
	{ "country", "vehicles.country", EXPORT_TEXT, NULL },
	{ "vin", "vehicles.vin", EXPORT_TEXT, NULL },
	{ "make", "vehicles.make", EXPORT_TEXT, NULL },
	{ "model", "vehicles.model", EXPORT_TEXT, NULL },
	{ "year", "vehicles.year", EXPORT_INT, NULL },
	{ "color", "vehicles.color", EXPORT_TEXT, NULL },
	{ "seats", "vehicles.seats", EXPORT_INT, NULL },
	{ "energy", "vehicles.energy_label", EXPORT_LABEL, "vehicles.energy" },
	{ "category", "vehicles.category_label", EXPORT_LABEL, "vehicles.category" },
	{ "status", "vehicles.status_label", EXPORT_LABEL, "vehicles.status" },
	{ "odometer_km", "vehicles.odometer", EXPORT_INT, NULL },
	{ "acquisition", "vehicles.acquisition_label", EXPORT_LABEL,
	    "vehicles.acquisition" },
	{ "lease_end_date", "vehicles.lease_end_date", EXPORT_DATE, NULL },
	{ "monthly_cost_cents", "vehicles.monthly_cost", EXPORT_MONEY, NULL },
	{ "insurer", "vehicles.insurer", EXPORT_TEXT, NULL },
	{ "policy_number", "vehicles.policy_number", EXPORT_TEXT, NULL },
	{ "insurance_expiry", "vehicles.insurance_expiry", EXPORT_DATE, NULL },
	{ "technical_inspection_due", "vehicles.technical_inspection_due",
	    EXPORT_DATE, NULL },
	{ "vtc_registration_number", "vehicles.vtc_registration_number",
	    EXPORT_TEXT, NULL },
	{ "vtc_registration_expiry", "vehicles.vtc_registration_expiry",
	    EXPORT_DATE, NULL },
	{ "notes", "vehicles.notes", EXPORT_TEXT, NULL },
	{ "driver_name", "vehicles.driver", EXPORT_TEXT, NULL },
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))
/* The driver is shown, not imported. */
#define NIMPORTED	(NCOLUMNS - 1)

int
vehicles_export(struct request *r)
{
	struct vehicle_filter	 f;
	struct api_page		 all = { 1, 1000000, 0 };
	json_t			*errors, *rows, *v;
	long			 total;
	size_t			 i;
	int			 rc;

	if (vehicle_filter_parse(r, &f, &errors) != 0) {
		json_decref(errors);
		return 400;
	}
	if ((rows = vehicle_list(r, &f, &all, &total, &rc)) == NULL)
		return rc;
	json_array_foreach(rows, i, v)
		if (json_is_object(json_object_get(v, "current_driver")))
			json_object_set(v, "driver_name", json_object_get(
			    json_object_get(v, "current_driver"), "name"));
	rc = export_send(r, r->lang == LANG_FR ? "vehicules" : "vehicles",
	    columns, NCOLUMNS, rows);
	json_decref(rows);
	return rc;
}

int
vehicles_import_template(struct request *r)
{
	json_t	*none = json_array();
	int	 rc;

	rc = export_send(r, "modele-import-vehicules", columns, NIMPORTED, none);
	json_decref(none);
	return rc;
}

static int
import_page(struct request *r, int status, json_t *view)
{
	int	rc = page_render(r, status, "vehicles/import", view);

	return rc == 0 && status >= 400 ? status : rc;
}

int
vehicles_import_form(struct request *r)
{
	return import_page(r, 200, json_object());
}

struct import {
	struct request	*r;
	int		 keys[IMPORT_MAX_FIELDS];	/* column → columns[] or -1 */
	size_t		 nkeys;
	json_t		*lines;		/* preview rows */
	json_t		*problems;	/* {line, column, value, message} */
	json_t		*seen;		/* plate → line, duplicates in the file */
	json_t		*valid;		/* vehicles ready to store */
	size_t		 count;
};

/* The column a header names: a key, or a label in French or English. */
static int
header_column(struct request *r, const char *h)
{
	size_t	i;

	for (i = 0; i < NIMPORTED; i++)
		if (strcasecmp(h, columns[i].key) == 0 ||
		    strcasecmp(h, i18n_get(r->w->i18n, LANG_FR,
		    columns[i].label_key)) == 0 ||
		    strcasecmp(h, i18n_get(r->w->i18n, LANG_EN,
		    columns[i].label_key)) == 0)
			return (int)i;
	/* The form's name for the money column. */
	if (strcasecmp(h, "monthly_cost") == 0)
		return header_column(r, "monthly_cost_cents");
	return -1;
}

static void
problem(struct import *im, size_t line, const char *column, const char *value,
    const char *message)
{
	json_array_append_new(im->problems, json_pack("{s:I, s:s, s:s, s:s}",
	    "line", (json_int_t)line, "column", column, "value", value,
	    "message", message));
}

static int
read_header(struct import *im, size_t line, char **f, size_t n)
{
	size_t	i;
	int	plate = 0;

	for (i = 0; i < n; i++) {
		im->keys[i] = header_column(im->r, f[i]);
		if (im->keys[i] == 0)
			plate = 1;
		if (im->keys[i] < 0 && *f[i] != '\0')
			problem(im, line, f[i], "", "Colonne inconnue : elle sera "
			    "ignorée.");
	}
	im->nkeys = n;
	if (!plate)
		problem(im, line, "plate", "", "La colonne plate "
		    "(immatriculation) est obligatoire.");
	return 0;
}

/* An enum cell may hold the value or its label in either language. */
static const char *
enum_value(struct request *r, const struct export_column *c, const char *cell)
{
	const char *const	*values;
	const char		*fr, *en;

	const char		*key;

	values = strcmp(c->key, "energy") == 0 ? vehicle_energies :
	    strcmp(c->key, "category") == 0 ? vehicle_categories :
	    strcmp(c->key, "status") == 0 ? vehicle_statuses :
	    vehicle_acquisitions;
	for (; *values != NULL; values++) {
		key = arena_printf(r->arena, "%s.%s", c->label_group, *values);
		fr = i18n_get(r->w->i18n, LANG_FR, key);
		en = i18n_get(r->w->i18n, LANG_EN, key);
		if (strcasecmp(cell, *values) == 0 ||
		    strcasecmp(cell, fr) == 0 || strcasecmp(cell, en) == 0)
			return *values;
	}
	return cell;
}

static json_t *
row_object(struct import *im, char **f, size_t n)
{
	const struct export_column	*c;
	json_t				*o = json_object();
	size_t				 i;

	for (i = 0; i < n && i < im->nkeys; i++) {
		if (im->keys[i] < 0 || *f[i] == '\0')
			continue;
		c = &columns[im->keys[i]];
		if (c->type == EXPORT_LABEL)
			json_object_set_new(o, c->key,
			    json_string(enum_value(im->r, c, f[i])));
		else if (c->type == EXPORT_MONEY)
			json_object_set_new(o, "monthly_cost", json_string(f[i]));
		else
			json_object_set_new(o, c->key, json_string(f[i]));
	}
	return o;
}

static const char *
text_of(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int
read_line(size_t line, char **f, size_t n, void *ctx)
{
	struct import	*im = ctx;
	struct request	 tmp;
	json_t		*in, *v, *errors, *msg;
	const char	*key, *plate;

	if (line == 1)
		return read_header(im, line, f, n);
	if (n == 1 && *f[0] == '\0')
		return 0;	/* a blank line */
	im->count++;
	in = row_object(im, f, n);
	/* The same validation as the form, on this line's values. */
	tmp = *im->r;
	tmp.json = in;
	v = vehicle_input(&tmp, NULL, 1, &errors);
	plate = json_string_value(json_object_get(v, "plate"));
	if (errors == NULL && plate != NULL &&
	    json_object_get(im->seen, plate) != NULL)
		errors = json_pack("{s:s}", "plate", "Immatriculation déjà "
		    "présente plus haut dans le fichier.");
	if (plate != NULL)
		json_object_set_new(im->seen, plate, json_integer((json_int_t)line));
	json_object_foreach(errors, key, msg)
		problem(im, line, key, text_of(in, key), json_string_value(msg));
	if (json_array_size(im->lines) < PREVIEW_ROWS)
		json_array_append_new(im->lines, json_pack("{s:I, s:s, s:s,"
		    " s:s, s:b}", "line", (json_int_t)line, "plate",
		    plate ? plate : "", "make", text_of(v, "make"),
		    "model", text_of(v, "model"), "ok", errors == NULL));
	if (errors == NULL)
		json_array_append(im->valid, v);
	json_decref(errors);
	json_decref(v);
	json_decref(in);
	return 0;
}

static void
import_free(struct import *im)
{
	json_decref(im->lines);
	json_decref(im->problems);
	json_decref(im->seen);
	json_decref(im->valid);
}

static const struct db_stmt taken_stmt = { "vehicles_import_taken",
	"SELECT p.value FROM json_array_elements_text($1::json) p"
	" WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.plate = p.value)" };

/* Plates of the file that the organisation already has. */
static int
check_taken(struct request *r, struct import *im)
{
	json_t		*plates = json_array(), *v, *kept;
	char		*text;
	const char	*params[1];
	struct db_error	 err;
	PGresult	*res;
	size_t		 i;
	int		 k;

	json_array_foreach(im->valid, i, v)
		json_array_append(plates, json_object_get(v, "plate"));
	text = json_dumps(plates, JSON_COMPACT);
	json_decref(plates);
	if (text == NULL)
		return 500;
	params[0] = text;
	res = db_exec(r->w->db, &taken_stmt, 1, params, &err);
	free(text);
	if (res == NULL)
		return err.status;
	kept = json_array();
	json_array_foreach(im->valid, i, v) {
		const char	*plate = text_of(v, "plate");
		int		 taken = 0;

		for (k = 0; k < PQntuples(res); k++)
			taken |= strcmp(db_value(res, k, 0), plate) == 0;
		if (taken)
			problem(im, (size_t)json_integer_value(json_object_get(
			    im->seen, plate)), "plate", plate, "Un véhicule porte "
			    "déjà cette immatriculation.");
		else
			json_array_append(kept, v);
	}
	PQclear(res);
	json_decref(im->valid);
	im->valid = kept;
	return 0;
}

/* Read the kept file: every line checked, nothing stored. */
static int
analyse(struct request *r, const char *token, struct import *im,
    const char **fatal)
{
	struct csvread_error	 err;
	buf			 text;
	int			 rc;

	memset(im, 0, sizeof(*im));
	buf_init(&text);
	if (import_file_read(r, token, &text) == -1) {
		buf_free(&text);
		return 404;
	}
	im->r = r;
	im->lines = json_array();
	im->problems = json_array();
	im->seen = json_object();
	im->valid = json_array();
	rc = csvread_parse(buf_cstr(&text), text.len, text_csv_delimiter(
	    buf_cstr(&text), text.len), IMPORT_MAX_FIELDS, read_line, im, &err);
	buf_free(&text);
	if (rc == -1)
		*fatal = arena_strdup(r->arena, err.message);
	if ((rc = check_taken(r, im)) != 0)
		import_free(im);
	return rc;
}


static int
preview(struct request *r, const char *token, int status)
{
	struct import	 im;
	const char	*fatal = NULL;
	json_t		*view;
	int		 rc;

	if ((rc = analyse(r, token, &im, &fatal)) != 0)
		return rc;
	view = json_pack("{s:s, s:O, s:O, s:I, s:I, s:b, s:s?}",
	    "token", token, "lines", im.lines, "problems", im.problems,
	    "count", (json_int_t)im.count,
	    "valid", (json_int_t)json_array_size(im.valid),
	    "can_confirm", fatal == NULL && im.count > 0 &&
	    json_array_size(im.valid) == im.count, "fatal", fatal);
	import_free(&im);
	return import_page(r, status, view);
}

int
vehicles_import_preview(struct request *r)
{
	char		 token[SECRET_TOKEN_LEN + 1];
	const char	*message = NULL;
	int		 rc;

	if ((rc = import_file_keep(r, token, &message)) != 0)
		return rc == 422 ? import_page(r, 422, json_pack("{s:s}",
		    "upload_error", message)) : rc;
	return preview(r, token, 200);
}

int
vehicles_import_confirm(struct request *r)
{
	const char	*token = http_param(r, 0), *fatal = NULL;
	struct import	 im;
	json_t		*v, *stored, *errors;
	size_t		 i;
	int		 rc;

	if ((rc = analyse(r, token, &im, &fatal)) != 0)
		return rc;
	if (fatal != NULL || json_array_size(im.valid) != im.count ||
	    im.count == 0) {
		import_free(&im);
		return preview(r, token, 422);
	}
	/* One transaction: every line or none. */
	json_array_foreach(im.valid, i, v) {
		if ((stored = vehicle_insert(r, v, &rc, &errors)) == NULL) {
			json_decref(errors);
			import_free(&im);
			return preview(r, token, rc == 409 ? 409 : rc);
		}
		json_decref(stored);
	}
	import_free(&im);
	import_file_drop(r, token);
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/vehicles?imported=%zu", i));
}

int
vehicles_import_cancel(struct request *r)
{
	import_file_drop(r, http_param(r, 0));
	return http_redirect(r, 303, "/vehicles");
}
