/* The column mapping of a generic CSV: which header of the platform's
 * file fills which column, guessed from the labels, then kept with the
 * source; the sample file waits on disk meanwhile (sync_file.h). */
#include <string.h>

#include "connectors/colmap.h"
#include "i18n.h"
#include "jobs/sync_file.h"
#include "page.h"
#include "sources.h"
#include "sources_mapping.h"
#include "sources_mapping_bundle.h"
#include "sources_view.h"
#include "sync_runs.h"
#include "resource/view.h"
#include "worker.h"

int
sources_mapping_ask(struct request *r, const struct source_row *row,
    struct upload *u)
{
	char	key[SYNC_FILE_KEY_LEN + 1];

	if (sync_file_keep(r->w->cfg->data_dir, r->id.tenant_id, u, key) == -1)
		return 500;
	return http_redirect(r, 303, arena_printf(r->arena, "/sources/%s/mapping"
	    "?file=%s&name=%s", row->id, key, http_url_encode(r->arena,
	    u->filename ? u->filename : "")));
}

/* The header a column maps to: saved, else the one whose name is the
 * column's label in either language. */
static const char *
guess(struct request *r, const struct canon_column *c, json_t *map,
    json_t *headers)
{
	char		 a[COLMAP_NAME_MAX], b[COLMAP_NAME_MAX];
	const char	*labels[3];
	json_t		*h;
	size_t		 i, k;

	if (json_is_string(json_object_get(map, c->name)))
		return json_string_value(json_object_get(map, c->name));
	labels[0] = c->name;
	labels[1] = i18n_get(r->w->i18n, LANG_FR, c->label_key);
	labels[2] = i18n_get(r->w->i18n, LANG_EN, c->label_key);
	json_array_foreach(headers, i, h) {
		colmap_normalize(json_string_value(h), a, sizeof(a));
		for (k = 0; k < 3; k++) {
			colmap_normalize(labels[k], b, sizeof(b));
			if (strcmp(a, b) == 0)
				return json_string_value(h);
		}
	}
	return "";
}

static json_t *
mapping_view(struct request *r, const struct source_row *row, json_t *headers,
    json_t *submitted, json_t *errors, const char *key, const char *name)
{
	const struct canon_table_def	*t = canon_table(connector_table(
					    row->type, row->config));
	json_t				*cols = json_array(), *opts, *h;
	json_t				*map = submitted ? submitted :
					    json_object_get(row->config, "mapping");
	const char			*sel;
	size_t				 i, k;

	for (i = 0; i < t->ncolumns; i++) {
		/* Derived by the connector, not read from a column. */
		if (strcmp(t->columns[i].name, "period") == 0 ||
		    strcmp(t->columns[i].name, "platform_status") == 0)
			continue;
		sel = guess(r, &t->columns[i], map, headers);
		opts = json_array();
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value",
		    "", "label", tr(r, "sources.mapping.none"), "selected",
		    *sel == '\0'));
		json_array_foreach(headers, k, h)
			json_array_append_new(opts, json_pack("{s:O, s:O, s:b}",
			    "value", h, "label", h, "selected",
			    strcmp(json_string_value(h), sel) == 0));
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:o, s:b}",
		    "name", arena_printf(r->arena, "map_%s", t->columns[i].name),
		    "id", arena_printf(r->arena, "map-%s", t->columns[i].name),
		    "label", tr(r, t->columns[i].label_key), "options", opts,
		    "required", t->columns[i].required));
	}
	return json_pack("{s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:b}",
	    "source", "id", row->id, "name", row->name, "href",
	    sources_view_href(r, row->id, ""), "columns", cols, "file", key,
	    "file_name", name, "table", view_label(r, "sources.table", t->name),
	    "has_errors", json_object_size(errors) > 0);
}

static int
mapping_page(struct request *r, int status, const struct source_row *row,
    const char *key, const char *name, json_t *submitted, json_t *errors)
{
	struct connector_outcome	 out;
	char				 path[4096];
	json_t				*headers;
	int				 rc;

	if (sync_file_path(r->w->cfg->data_dir, r->id.tenant_id, key, path,
	    sizeof(path)) == -1)
		return 404;
	headers = source_discover(r, row, path, &out);
	if (headers == NULL) {
		rc = http_redirect(r, 303, sources_view_href(r, row->id,
		    "?error=unreadable"));
		connector_outcome_clear(&out);
		return rc;
	}
	connector_outcome_clear(&out);
	rc = page_render(r, status, "sources/mapping", mapping_view(r, row,
	    headers, submitted, errors, key, name));
	json_decref(headers);
	return rc == 0 && status >= 400 ? status : rc;
}

/* Without a file: the saved mapping, and a form to bring a sample. */
static int
mapping_home(struct request *r, const struct source_row *row)
{
	json_t	*s, *view;
	int	 rc;

	if ((s = source_get(r, row->id, &rc)) == NULL)
		return rc;
	view = json_pack("{s:{s:s, s:s, s:s}, s:o, s:b, s:b}",
	    "source", "id", row->id, "name", row->name, "href",
	    sources_view_href(r, row->id, ""), "mapping", sources_view_mapping(r, s),
	    "generic", strcmp(row->type->name, "generic_csv") == 0,
	    "can_edit", r->id.role >= ACCESS_MANAGER);
	json_decref(s);
	return page_render(r, 200, "sources/mapping_home", view);
}

int
sources_mapping_form(struct request *r)
{
	struct source_row	 row;
	const char		*key = http_query(r, "file");
	int			 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	if (row.type->read_bundle != NULL)
		rc = sources_mapping_bundle_form(r, &row);
	else if (strcmp(row.type->name, "generic_csv") != 0 || key == NULL)
		rc = mapping_home(r, &row);
	else
		rc = mapping_page(r, 200, &row, key, http_query(r, "name") ?
		    http_query(r, "name") : "", NULL, NULL);
	source_row_clear(&row);
	return rc;
}

int
sources_mapping_save(struct request *r)
{
	const struct canon_table_def	*t;
	struct source_row		 row;
	const char			*key = http_form(r, "file"), *v, *msg;
	const char			*name = http_form(r, "file_name");
	json_t				*map, *errors;
	char				 run_id[40], path[4096];
	size_t				 i;
	int				 rc;

	if ((rc = source_load(r, http_param_uuid(r, 0), &row)) != 0)
		return rc;
	if (row.type->read_bundle != NULL) {
		rc = sources_mapping_bundle_save(r, &row);
		source_row_clear(&row);
		return rc;
	}
	/* A sample brought from the mapping page: keep it and ask. */
	if (key == NULL && sync_run_upload(r) != NULL &&
	    strcmp(row.type->name, "generic_csv") == 0) {
		rc = sources_mapping_ask(r, &row, sync_run_upload(r));
		source_row_clear(&row);
		return rc;
	}
	if (strcmp(row.type->name, "generic_csv") != 0 || key == NULL ||
	    sync_file_path(r->w->cfg->data_dir, r->id.tenant_id, key, path,
	    sizeof(path)) == -1) {
		source_row_clear(&row);
		return 404;
	}
	t = canon_table(connector_table(row.type, row.config));
	map = json_object();
	errors = json_object();
	for (i = 0; i < t->ncolumns; i++) {
		v = http_form(r, arena_printf(r->arena, "map_%s",
		    t->columns[i].name));
		if (v != NULL && *v != '\0')
			json_object_set_new(map, t->columns[i].name, json_string(v));
		else if (t->columns[i].required &&
		    strcmp(t->columns[i].name, "period") != 0)
			json_object_set_new(errors, arena_printf(r->arena, "map_%s",
			    t->columns[i].name), json_string(tr(r,
			    "sources.mapping.required")));
	}
	if (json_object_size(errors) > 0) {
		rc = mapping_page(r, 422, &row, key, name ? name : "", map, errors);
		json_decref(map);
		json_decref(errors);
		source_row_clear(&row);
		return rc;
	}
	json_decref(errors);
	rc = source_save_mapping(r, &row, map);
	json_decref(map);
	if (rc == 0)
		rc = sync_run_start_kept(r, &row, "manual", key, name ? name : "",
		    run_id, &msg);
	source_row_clear(&row);
	if (rc == 409)
		return http_redirect(r, 303, sources_view_href(r, row.id,
		    "?error=busy"));
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena, "/sync-runs/%s",
	    run_id));
}
