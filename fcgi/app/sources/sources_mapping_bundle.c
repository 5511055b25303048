#include <string.h>

#include "connectors/isavigne.h"
#include "i18n.h"
#include "page.h"
#include "sources_mapping_bundle.h"
#include "sources_view.h"
#include "resource/view.h"
#include "worker.h"

/* The last run that read files: its id and dialect. */
static const struct db_stmt last_stmt = { "sources_mapping_last",
	"SELECT id, dialect::text FROM sync_runs WHERE source_id = $1::uuid"
	" AND dialect ? 'files' ORDER BY created_at DESC LIMIT 1" };

static const struct db_stmt packaging_stmt = { "sources_mapping_packaging",
	"SELECT coalesce(json_agg(json_build_object('code', code, 'label',"
	" label, 'bottles', bottles, 'eq75', eq75) ORDER BY eq75, code),"
	" '[]')::text FROM packaging_units" };

/* How a value of this kind is transformed, for the page. */
static const char *
transform_key(const struct canon_column *c)
{
	static const char *const by_name[][2] = {
		{ "category", "sources.transform.category" },
		{ "packaging", "sources.transform.packaging" },
		{ "full_name", "sources.transform.full_name" },
	};
	static const char *const by_kind[] = {
		[CK_TEXT] = "sources.transform.text",
		[CK_MONEY] = "sources.transform.money",
		[CK_INT] = "sources.transform.int",
		[CK_TIME] = "sources.transform.time",
		[CK_DATE] = "sources.transform.date",
		[CK_EMAIL] = "sources.transform.email",
		[CK_PHONE] = "sources.transform.phone",
		[CK_DISTANCE] = "sources.transform.int",
		[CK_DECIMAL] = "sources.transform.decimal",
		[CK_BOOL] = "sources.transform.bool",
	};
	size_t	i;

	for (i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++)
		if (strcmp(c->name, by_name[i][0]) == 0)
			return by_name[i][1];
	return by_kind[c->kind];
}

/* The header of the last file that fed column, or "". */
static const char *
header_of(const json_t *file, const char *column)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(json_object_get(file, "columns"), i, c)
		if (strcmp(view_str(c, "column"), column) == 0)
			return view_str(c, "header");
	return "";
}

static json_t *
file_of(const json_t *dialect, const char *stream)
{
	json_t	*f;
	size_t	 i;

	json_array_foreach(json_object_get(dialect, "files"), i, f)
		if (strcmp(view_str(f, "stream"), stream) == 0)
			return f;
	return NULL;
}

static json_t *
stream_view(struct request *r, const struct isavigne_stream *s,
    const json_t *config, const json_t *dialect)
{
	const struct canon_table_def	*t = canon_table(s->table);
	json_t				*fields = json_array(), *file, *aliases;
	json_t				*mine;
	const char			*h;
	size_t				 i, k;

	file = file_of(dialect, s->name);
	mine = json_object_get(json_object_get(config, "mapping"), s->name);
	for (i = 0; i < s->naliases; i++) {
		const struct canon_column *c = &t->columns[s->aliases[i].column];

		aliases = json_array();
		for (k = 0; s->aliases[i].names[k] != NULL; k++)
			json_array_append_new(aliases, json_string(
			    s->aliases[i].names[k]));
		h = file != NULL ? header_of(file, c->name) : "";
		json_array_append_new(fields, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:b, s:b, s:o, s:s}", "name", arena_printf(r->arena,
		    "alias_%s_%s", s->name, c->name), "label", tr(r, c->label_key),
		    "transform", tr(r, transform_key(c)), "header", h, "mapped",
		    *h != '\0', "required", c->required, "aliases", aliases,
		    "alias", view_str(mine, c->name)));
	}
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:O?, s:O?, s:o}", "stream",
	    s->name, "table", t->name, "file", file ? view_str(file, "file") :
	    "", "seen", file != NULL, "has_ignored", json_array_size(
	    json_object_get(file, "ignored")) > 0, "ignored", file ?
	    json_object_get(file,
	    "ignored") : NULL, "drift", file ? json_object_get(file,
	    "schema_drift") : NULL, "fields", fields);
}

int
sources_mapping_bundle_form(struct request *r, const struct source_row *row)
{
	struct db_error	 err;
	json_error_t	 jerr;
	PGresult	*res, *pk;
	json_t		*dialect = NULL, *streams = json_array(), *view;
	const char	*v[1] = { row->id };
	char		 run[40] = "";
	size_t		 i;

	if ((res = db_exec(r->w->db, &last_stmt, 1, v, &err)) == NULL ||
	    (pk = db_exec(r->w->db, &packaging_stmt, 0, NULL, &err)) == NULL) {
		PQclear(res);
		json_decref(streams);
		return err.status;
	}
	if (PQntuples(res) == 1) {
		snprintf(run, sizeof(run), "%s", db_value(res, 0, 0));
		dialect = json_loads(db_value(res, 0, 1), 0, &jerr);
	}
	PQclear(res);
	for (i = 0; i < isavigne_nstreams; i++)
		json_array_append_new(streams, stream_view(r, &isavigne_streams[i],
		    row->config, dialect));
	json_decref(dialect);
	view = json_pack("{s:{s:s, s:s, s:s}, s:o, s:o, s:s, s:b, s:b}",
	    "source", "id", row->id, "name", row->name, "href",
	    sources_view_href(r, row->id, ""), "streams", streams,
	    "packaging", db_json(pk, 0, 0), "last_run", run, "has_run", *run
	    != '\0', "can_edit", r->id.role >= ACCESS_MANAGER);
	PQclear(pk);
	return page_render(r, 200, "sources/mapping_bundle", view);
}

int
sources_mapping_bundle_save(struct request *r, const struct source_row *row)
{
	const struct isavigne_stream	*s;
	const char			*v, *col;
	json_t				*map = json_object(), *one;
	size_t				 i, k;
	int				 rc;

	for (i = 0; i < isavigne_nstreams; i++) {
		s = &isavigne_streams[i];
		one = json_object();
		for (k = 0; k < s->naliases; k++) {
			col = canon_table(s->table)->columns[
			    s->aliases[k].column].name;
			v = http_form(r, arena_printf(r->arena, "alias_%s_%s",
			    s->name, col));
			if (v != NULL && *v != '\0' && strlen(v) <= 200)
				json_object_set_new(one, col, json_string(v));
		}
		if (json_object_size(one) > 0)
			json_object_set_new(map, s->name, one);
		else
			json_decref(one);
	}
	rc = source_save_mapping(r, row, map);
	json_decref(map);
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/sources/%s/mapping?done=saved", row->id));
}
