#include <stdio.h>
#include <stdlib.h>

#include "list_page.h"
#include "worker.h"

/* The total, and the unfiltered page's plan kept (see plan_again()): in
 * one round trip, since the page follows at once. */
static const struct db_stmt totals_stmt = { "list_totals",
	"SELECT coalesce((SELECT total FROM list_totals WHERE tenant_id ="
	" app_tenant() AND list = $1), 0),"
	" set_config('plan_cache_mode', 'force_generic_plan', true)" };

static int
unfiltered(const struct list_query *q)
{
	int	i;

	for (i = 0; i < q->nfilters; i++)
		if (q->values[i] != NULL && *q->values[i] != '\0')
			return 0;
	return 1;
}

/* Run s with n values: *total from its first column, or the rows. */
static int
run(struct request *r, const struct db_stmt *s, int n, const char **v,
    long *total, json_t **rows)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;
	int		 i;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		return err.status;
	if (total != NULL)
		*total = atol(db_value(res, 0, 0));
	else {
		*rows = json_array();
		for (i = 0; i < PQntuples(res); i++)
			if ((o = db_json(res, i, 0)) != NULL)
				json_array_append_new(*rows, o);
	}
	PQclear(res);
	return 0;
}

/* PostgreSQL plans a statement whose LIMIT is a parameter for a tenth of
 * the rows, finds that dearer than a plan for the actual page and so
 * plans again at every run (0.7 ms, more than the run itself).  The
 * unfiltered page's plan is the same whatever the parameters: the totals
 * statement asks for it to be kept, and the setting goes back to its
 * default right after the page, for the request's other statements. */
static int
plan_again(struct request *r)
{
	struct db_error	err;

	return db_command(r->w->db, "SET LOCAL plan_cache_mode = auto", &err);
}

json_t *
list_page(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, int *status)
{
	const char	*v[LIST_MAX_FILTERS + 2];
	char		 limit[24], offset[24];
	json_t		*rows = NULL;
	int		 i, n = q->nfilters;

	snprintf(limit, sizeof(limit), "%ld", pg->limit);
	snprintf(offset, sizeof(offset), "%ld", pg->offset);
	if (unfiltered(q)) {
		v[0] = q->totals;
		if ((*status = run(r, &totals_stmt, 1, v, total, NULL)) != 0)
			return NULL;
		v[0] = limit;
		v[1] = offset;
		*status = run(r, q->all, 2, v, NULL, &rows);
		if (*status == 0 && plan_again(r) == -1)
			*status = 500;
		if (*status != 0) {
			json_decref(rows);
			return NULL;
		}
		return rows;
	}
	for (i = 0; i < n && i < LIST_MAX_FILTERS; i++)
		v[i] = q->values[i];
	v[i] = limit;
	v[i + 1] = offset;
	if ((*status = run(r, q->count, i, v, total, NULL)) != 0)
		return NULL;
	*status = run(r, q->page, i + 2, v, NULL, &rows);
	return rows;
}
