#include <string.h>

#include "i18n.h"
#include "import_file.h"
#include "page.h"
#include "table_io.h"
#include "view.h"
#include "worker.h"


/* The export's columns: all of them, or only those an import reads
 * (the model file).  NULL when the arena is exhausted. */
static const struct export_column *
export_columns(struct request *r, const struct table_kind *k, int imported,
    size_t *n)
{
	struct export_column	*cols;
	size_t			 i;

	if ((cols = arena_alloc(r->arena, k->ncolumns * sizeof(*cols))) == NULL)
		return NULL;
	for (*n = 0, i = 0; i < k->ncolumns; i++)
		if (!imported || k->columns[i].input != NULL)
			cols[(*n)++] = k->columns[i].x;
	return cols;
}

int
table_io_export(struct request *r, const struct table_kind *k, json_t *rows)
{
	const struct export_column	*cols;
	size_t				 n;

	if ((cols = export_columns(r, k, 0, &n)) == NULL)
		return 500;
	return export_send(r, r->lang == LANG_FR ? k->export_fr : k->export_en,
	    cols, n, rows);
}

int
table_io_template(struct request *r, const struct table_kind *k)
{
	const struct export_column	*cols;
	json_t				*none;
	size_t				 n;
	int				 rc;

	if ((cols = export_columns(r, k, 1, &n)) == NULL)
		return 500;
	none = json_array();
	rc = export_send(r, k->template_name, cols, n, none);
	json_decref(none);
	return rc;
}

static int
is_required(const struct table_kind *k, const char *input)
{
	const char *const	*p;

	for (p = k->required; p != NULL && *p != NULL; p++)
		if (strcmp(*p, input) == 0)
			return 1;
	return 0;
}

/* The columns an import reads, for the form's help: key and header. */
static json_t *
columns_view(struct request *r, const struct table_kind *k)
{
	json_t	*out = json_array();
	size_t	 i;

	for (i = 0; i < k->ncolumns; i++)
		if (k->columns[i].input != NULL)
			json_array_append_new(out, json_pack("{s:s, s:s, s:b}",
			    "key", k->columns[i].x.key, "label",
			    tr(r, k->columns[i].x.label_key), "required",
			    is_required(k, k->columns[i].input)));
	return out;
}

/* The headers of the preview's table of lines. */
static json_t *
preview_columns(struct request *r, const struct table_kind *k)
{
	const char *const	*p;
	json_t			*out = json_array();
	size_t			 i;

	for (p = k->preview; *p != NULL; p++)
		for (i = 0; i < k->ncolumns; i++)
			if (strcmp(k->columns[i].x.key, *p) == 0)
				json_array_append_new(out, json_pack("{s:s}",
				    "label", tr(r, k->columns[i].x.label_key)));
	return out;
}

/* Render the page (view stolen); a 4xx page keeps its status so that
 * the request's transaction is rolled back. */
static int
page(struct request *r, const struct table_kind *k, int status, json_t *view)
{
	int	rc;

	json_object_set_new(view, "base", json_string(k->base));
	json_object_set_new(view, "import_title", json_string(tr(r,
	    k->title_key)));
	json_object_set_new(view, "columns", columns_view(r, k));
	json_object_set_new(view, "preview_columns", preview_columns(r, k));
	rc = page_render(r, status, "import/page", view);
	return rc == 0 && status >= 400 ? status : rc;
}

int
table_io_form(struct request *r, const struct table_kind *k)
{
	return page(r, k, 200, json_object());
}

static int
result_page(struct request *r, const struct table_kind *k, const char *token,
    struct table_import *im, int status, int can_confirm)
{
	json_t	*view;

	view = json_pack("{s:s, s:O, s:O, s:I, s:I, s:b, s:s?}",
	    "token", token, "lines", im->lines, "problems", im->problems,
	    "count", (json_int_t)im->count,
	    "valid", (json_int_t)json_array_size(im->valid),
	    "can_confirm", can_confirm, "fatal", im->fatal);
	table_import_free(im);
	if (view == NULL)
		return 500;
	return page(r, k, status, view);
}

static int
show_preview(struct request *r, const struct table_kind *k, const char *token,
    int status)
{
	struct table_import	im;
	int			rc;

	if ((rc = table_import_read(r, k, token, &im)) != 0)
		return rc;
	return result_page(r, k, token, &im, status, table_import_ready(&im));
}

int
table_io_preview(struct request *r, const struct table_kind *k)
{
	char		 token[SECRET_TOKEN_LEN + 1];
	const char	*message = NULL;
	int		 rc;

	if ((rc = import_file_keep(r, token, &message)) != 0)
		return rc == 422 ? page(r, k, 422, json_pack("{s:s}",
		    "upload_error", message)) : rc;
	return show_preview(r, k, token, 200);
}

/* A row the database refused after all (another request stored the same
 * value since the preview): its errors join the problems.  0 when there
 * is nothing to show (a failure of the server). */
static int
show_refusal(struct table_import *im, json_t *item, int status,
    json_t *errors)
{
	json_t		*row = json_object_get(item, "row"), *msg;
	const char	*field, *value;
	size_t		 line;

	if (!json_is_object(errors) || (status != 409 && status != 422))
		return 0;
	line = (size_t)json_integer_value(json_object_get(item, "line"));
	json_object_foreach(errors, field, msg) {
		value = json_string_value(json_object_get(row, field));
		table_import_problem(im, line, field, value ? value : "",
		    json_string_value(msg));
	}
	return 1;
}

int
table_io_confirm(struct request *r, const struct table_kind *k)
{
	const char		*token = http_param(r, 0);
	struct table_import	 im;
	struct request		 fr;
	json_t			*item, *stored, *errors;
	size_t			 i;
	int			 rc, shown;

	if ((rc = table_import_read(r, k, token, &im)) != 0)
		return rc;
	if (!table_import_ready(&im))
		return result_page(r, k, token, &im, 422, 0);
	/* One transaction: every line or none.  After a refusal the
	 * transaction is aborted, so the page is made from what was read
	 * rather than by reading again. */
	/* A line's refusal is told in French, like the preview's problems. */
	fr = *r;
	fr.lang = LANG_FR;
	json_array_foreach(im.valid, i, item) {
		errors = NULL;
		stored = k->insert(&fr, json_object_get(item, "row"), &rc,
		    &errors);
		if (stored == NULL) {
			shown = show_refusal(&im, item, rc, errors);
			json_decref(errors);
			if (!shown) {
				table_import_free(&im);
				return rc;
			}
			return result_page(r, k, token, &im, rc, 0);
		}
		json_decref(stored);
	}
	table_import_free(&im);
	import_file_drop(r, token);
	return http_redirect(r, 303, arena_printf(r->arena, "%s?imported=%zu",
	    k->base, i));
}

int
table_io_cancel(struct request *r, const struct table_kind *k)
{
	import_file_drop(r, http_param(r, 0));
	return http_redirect(r, 303, k->base);
}

static const char *
export_url(struct request *r, const struct table_kind *k, const char *format)
{
	const char	*u = strchr(view_url_with(r, "format", format), '?');

	return arena_printf(r->arena, "%s/export%s", k->base, u ? u : "");
}

void
table_io_list_view(struct request *r, const struct table_kind *k,
    json_t *view)
{
	const char	*n = http_query(r, "imported");

	json_object_set_new(view, "export_csv", json_string(export_url(r, k,
	    "csv")));
	json_object_set_new(view, "export_xlsx", json_string(export_url(r, k,
	    "xlsx")));
	if (n != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", arena_printf(r->arena,
		    "%s : %s", tr(r, k->done_key), n)));
}
