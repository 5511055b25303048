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

/* Run s with n values: its result, or NULL with the status to answer. */
static PGresult *
run(struct request *r, const struct db_stmt *s, int n, const char **v,
    int *status)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		*status = err.status;
	return res;
}

static int
run_total(struct request *r, const struct db_stmt *s, int n, const char **v,
    long *total)
{
	PGresult	*res;
	int		 status = 0;

	if ((res = run(r, s, n, v, &status)) == NULL)
		return status;
	*total = atol(db_value(res, 0, 0));
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

/* The page's rows as PostgreSQL answered them, and *total. */
static PGresult *
page_rows(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, int *status)
{
	const char	*v[LIST_MAX_FILTERS + 2];
	char		 limit[24], offset[24];
	PGresult	*res;
	int		 i, n = q->nfilters;

	*status = 0;
	snprintf(limit, sizeof(limit), "%ld", pg->limit);
	snprintf(offset, sizeof(offset), "%ld", pg->offset);
	if (q->totals != NULL && unfiltered(q)) {
		v[0] = q->totals;
		if ((*status = run_total(r, &totals_stmt, 1, v, total)) != 0)
			return NULL;
		v[0] = limit;
		v[1] = offset;
		if ((res = run(r, q->all, 2, v, status)) != NULL &&
		    plan_again(r) == -1) {
			PQclear(res);
			*status = 500;
			return NULL;
		}
		return res;
	}
	for (i = 0; i < n && i < LIST_MAX_FILTERS; i++)
		v[i] = q->values[i];
	v[i] = limit;
	v[i + 1] = offset;
	if ((res = run(r, q->page, i + 2, v, status)) == NULL)
		return NULL;
	if (PQntuples(res) > 0)
		*total = atol(db_value(res, 0, 1));
	else if (pg->offset == 0)
		*total = 0;
	else if ((*status = run_total(r, q->count, i, v, total)) != 0) {
		PQclear(res);
		return NULL;
	}
	return res;
}

json_t *
list_page(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, int *status)
{
	PGresult	*res;
	json_t		*rows, *o;
	int		 i;

	if ((res = page_rows(r, q, pg, total, status)) == NULL)
		return NULL;
	rows = json_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((o = db_json(res, i, 0)) != NULL)
			json_array_append_new(rows, o);
	PQclear(res);
	return rows;
}

int
list_page_texts(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, struct api_texts *rows)
{
	PGresult	*res;
	int		 i, status;

	if ((res = page_rows(r, q, pg, total, &status)) == NULL)
		return status;
	rows->n = PQntuples(res);
	rows->text = arena_calloc(r->arena, (size_t)rows->n + 1,
	    sizeof(*rows->text));
	for (i = 0; rows->text != NULL && i < rows->n; i++)
		if ((rows->text[i] = arena_strdup(r->arena,
		    PQgetvalue(res, i, 0))) == NULL)
			rows->text = NULL;
	PQclear(res);
	return rows->text == NULL ? 500 : 0;
}
