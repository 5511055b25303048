#include <string.h>

#include "api.h"
#include "files.h"
#include "i18n.h"
#include "jobs/quality_job.h"
#include "page.h"
#include "quality.h"
#include "resource/api_input.h"
#include "resource/view.h"
#include "valid.h"
#include "worker.h"

#define REPORT_JSON "json_build_object('id', q.id, 'source_id', q.source_id," \
	" 'source_name', s.name, 'source_type', s.type, 'run_id', q.run_id," \
	" 'trigger', q.trigger, 'status', q.status, 'checks', q.checks," \
	" 'passed', q.passed, 'warnings', q.warnings, 'failures', q.failures," \
	" 'errors', q.errors, 'created_at', q.created_at)"

/* The newest reports first, of one source or all: $1 source or ''. */
static const struct db_stmt list_stmt = { "quality_list",
	"SELECT coalesce(json_agg(x ORDER BY x ->> 'created_at' DESC), '[]')::text"
	" FROM (SELECT " REPORT_JSON "::jsonb AS x FROM quality_reports q JOIN"
	" sources s ON s.tenant_id = q.tenant_id AND s.id = q.source_id WHERE"
	" ($1 = '' OR q.source_id = nullif($1, '')::uuid) ORDER BY"
	" q.created_at DESC LIMIT $2::int) r" };

/* A report and its results, in the order of the checks. */
static const struct db_stmt show_stmt = { "quality_show",
	"SELECT (" REPORT_JSON "::jsonb || jsonb_build_object('results',"
	" (SELECT coalesce(jsonb_agg(jsonb_build_object('check', c.check_code,"
	" 'dimension', c.dimension, 'table', c.table_name, 'status', c.status,"
	" 'total', c.total, 'failing', c.failing, 'failing_pct', c.failing_pct,"
	" 'warn_pct', c.warn_pct, 'fail_pct', c.fail_pct, 'observed',"
	" c.observed, 'samples', c.samples) ORDER BY c.position), '[]') FROM"
	" quality_results c WHERE c.tenant_id = q.tenant_id AND c.report_id ="
	" q.id)))::text FROM quality_reports q JOIN sources s ON s.tenant_id ="
	" q.tenant_id AND s.id = q.source_id WHERE q.id = $1::uuid" };

static const struct db_stmt source_stmt = { "quality_source",
	"SELECT id FROM sources WHERE id = $1::uuid AND archived_at IS NULL" };

/* Per source, its last ten reports' statuses (the trend), newest first. */
static const struct db_stmt sources_stmt = { "quality_sources",
	"SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name,"
	" 'reports', (SELECT coalesce(json_agg(json_build_object('id', q.id,"
	" 'status', q.status, 'created_at', q.created_at) ORDER BY q.created_at"
	" DESC), '[]') FROM (SELECT * FROM quality_reports q WHERE q.tenant_id ="
	" s.tenant_id AND q.source_id = s.id ORDER BY q.created_at DESC LIMIT"
	" 10) q)) ORDER BY s.name), '[]')::text FROM sources s WHERE"
	" s.archived_at IS NULL" };

static json_t *
read_json(struct request *r, const struct db_stmt *st, int n,
    const char *const *v, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*out;

	if ((res = db_exec(r->w->db, st, n, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	out = PQntuples(res) == 1 ? db_json(res, 0, 0) : NULL;
	*status = out == NULL ? 404 : 0;
	PQclear(res);
	return out;
}

/* ?source_id= when valid: 0, or 422. */
static int
source_param(struct request *r, const char **id)
{
	*id = http_query(r, "source_id");
	if (*id == NULL)
		*id = "";
	if (**id != '\0' && !files_is_uuid(*id))
		return 422;
	return 0;
}

int
quality_api_list(struct request *r)
{
	struct api_page	 pg;
	const char	*v[2];
	char		 limit[16];
	json_t		*all;
	int		 rc;

	if (source_param(r, &v[0]) != 0)
		return api_invalid(r, valid_one_error(r, "source_id",
		    "valid.uuid"));
	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	snprintf(limit, sizeof(limit), "%ld", (long)(pg.offset + pg.limit));
	v[1] = limit;
	if ((all = read_json(r, &list_stmt, 2, v, &rc)) == NULL)
		return rc;
	/* The page of the newest offset + limit. */
	while (json_array_size(all) > 0 && pg.offset-- > 0)
		json_array_remove(all, 0);
	return api_list(r, all, &pg, (long)json_array_size(all));
}

int
quality_api_show(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*rep;
	int		 rc;

	if (id == NULL)
		return 404;
	if ((rep = read_json(r, &show_stmt, 1, &id, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, rep);
}

/* Enqueue a report of the source: 0, or 404/422 and the reason. */
static int
enqueue(struct request *r, const char *source_id)
{
	struct db_error	 err;
	PGresult	*res;
	int		 found;

	if (source_id == NULL || !files_is_uuid(source_id))
		return 422;
	if ((res = db_exec(r->w->db, &source_stmt, 1, &source_id, &err)) ==
	    NULL)
		return err.status;
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found)
		return 404;
	return quality_job_enqueue(r->w->db, r->id.tenant_id, source_id, NULL,
	    "manuel", &err) == -1 ? err.status : 0;
}

int
quality_api_run(struct request *r)
{
	const char	*source;
	int		 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	source = json_string_value(json_object_get(r->json, "source_id"));
	if ((rc = enqueue(r, source)) == 422)
		return api_invalid(r, valid_one_error(r, "source_id",
		    "valid.uuid"));
	if (rc != 0)
		return rc;
	return api_ok(r, 202, json_pack("{s:s, s:s}", "source_id", source,
	    "status", "en_attente"));
}

/* ---- pages ------------------------------------------------------------------ */

static const char *
tone(const char *status)
{
	return strcmp(status, "reussi") == 0 ? "ok" :
	    strcmp(status, "avertissement") == 0 ? "warn" : "danger";
}

static void
decorate_report(struct request *r, json_t *q)
{
	const char	*st = view_str(q, "status");

	json_object_set_new(q, "status_label", json_string(view_label(r,
	    "quality.status", st)));
	json_object_set_new(q, "tone", json_string(tone(st)));
	json_object_set_new(q, "date", json_string(view_date(r,
	    json_object_get(q, "created_at"))));
}

int
quality_index(struct request *r)
{
	json_t	*sources, *s, *q, *view;
	size_t	 i, k;
	int	 rc;

	if ((sources = read_json(r, &sources_stmt, 0, NULL, &rc)) == NULL)
		return rc;
	json_array_foreach(sources, i, s) {
		json_array_foreach(json_object_get(s, "reports"), k, q)
			decorate_report(r, q);
		json_object_set(s, "last", json_array_get(json_object_get(s,
		    "reports"), 0));
	}
	view = json_pack("{s:o, s:b}", "sources", sources, "can_run",
	    r->id.role >= ACCESS_MANAGER);
	return page_render(r, 200, "quality/index", view);
}

/* The API path of a failing row's record, by its table. */
static const char *
record_path(const char *table)
{
	static const char *const paths[][2] = {
		{ "customers", "/api/v1/customers/" },
		{ "product_catalog", "/api/v1/products/" },
		{ "sales_lines", "/api/v1/sales-lines/" },
		{ "stock_levels", "/api/v1/stock-levels/" },
	};
	size_t	i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(paths[i][0], table) == 0)
			return paths[i][1];
	return NULL;
}

int
quality_show(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *path;
	json_t		*rep, *c, *x;
	size_t		 i, k;
	int		 rc;

	if (id == NULL)
		return 404;
	if ((rep = read_json(r, &show_stmt, 1, &id, &rc)) == NULL)
		return rc;
	decorate_report(r, rep);
	json_array_foreach(json_object_get(rep, "results"), i, c) {
		json_object_set_new(c, "label", json_string(tr(r,
		    arena_printf(r->arena, "quality.check.%s", view_str(c,
		    "check")))));
		json_object_set_new(c, "dimension_label", json_string(view_label(
		    r, "quality.dimension", view_str(c, "dimension"))));
		decorate_report(r, c);
		path = record_path(view_str(c, "table"));
		json_array_foreach(json_object_get(c, "samples"), k, x)
			if (path != NULL && *view_str(x, "id") != '\0')
				json_object_set_new(x, "href", json_string(
				    arena_printf(r->arena, "%s%s", path,
				    view_str(x, "id"))));
	}
	return page_render(r, 200, "quality/show", rep);
}

int
quality_run_web(struct request *r)
{
	const char	*source = http_form(r, "source_id");
	int		 rc;

	if ((rc = enqueue(r, source)) != 0)
		return rc == 422 ? 400 : rc;
	return http_redirect(r, 303, "/quality?asked=1");
}
