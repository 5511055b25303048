#include <stdio.h>
#include <stdlib.h>

#include "db_row.h"
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
 * default right after the page, for the request's other statements (with
 * the next of them, in its round trip). */
static int
plan_again(struct request *r)
{
	struct db_error	err;

	return db_defer(r->w->db, "SET LOCAL plan_cache_mode = auto", &err);
}

/* The total and the unfiltered page, in one round trip. */
static PGresult *
unfiltered_rows(struct request *r, const struct list_query *q,
    const char **v, long *total, int *status)
{
	const char	*t[1] = { q->totals };
	struct db_call	 c[2] = { { &totals_stmt, NULL, 1, t, NULL },
			    { q->all, NULL, 2, v, NULL } };
	struct db_error	 err;

	if (db_exec_all(r->w->db, c, 2, &err) == -1) {
		*status = err.status;
		return NULL;
	}
	*total = atol(db_value(c[0].res, 0, 0));
	PQclear(c[0].res);
	if (plan_again(r) == -1) {
		PQclear(c[1].res);
		*status = 500;
		return NULL;
	}
	return c[1].res;
}

/* The page's rows as PostgreSQL answered them, their columns from
 * *first on (a filtered page has its total in front), and *total. */
static PGresult *
page_rows(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, int *first, int *status)
{
	const char	*v[LIST_MAX_FILTERS + 2];
	char		 limit[24], offset[24];
	PGresult	*res;
	int		 i, n = q->nfilters;

	*status = 0;
	*first = 0;
	snprintf(limit, sizeof(limit), "%ld", pg->limit);
	snprintf(offset, sizeof(offset), "%ld", pg->offset);
	if (q->totals != NULL && unfiltered(q)) {
		v[0] = limit;
		v[1] = offset;
		return unfiltered_rows(r, q, v, total, status);
	}
	for (i = 0; i < n && i < LIST_MAX_FILTERS; i++)
		v[i] = q->values[i];
	v[i] = limit;
	v[i + 1] = offset;
	if ((res = run(r, q->page, i + 2, v, status)) == NULL)
		return NULL;
	*first = 1;
	if (PQntuples(res) > 0)
		*total = atol(db_value(res, 0, 0));
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
	int		 i, first;

	if ((res = page_rows(r, q, pg, total, &first, status)) == NULL)
		return NULL;
	rows = json_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((o = db_row_object(res, i, first)) != NULL)
			json_array_append_new(rows, o);
	PQclear(res);
	return rows;
}

int
list_page_texts(struct request *r, const struct list_query *q,
    const struct api_page *pg, long *total, struct api_texts *rows)
{
	PGresult	*res;
	buf		 b;
	int		 i, first, status;

	if ((res = page_rows(r, q, pg, total, &first, &status)) == NULL)
		return status;
	rows->n = PQntuples(res);
	rows->text = arena_calloc(r->arena, (size_t)rows->n + 1,
	    sizeof(*rows->text));
	buf_init(&b);
	for (i = 0; rows->text != NULL && i < rows->n; i++) {
		buf_clear(&b);
		if (db_row_json(&b, res, i, first) == -1 ||
		    (rows->text[i] = arena_strdup(r->arena, buf_cstr(&b))) ==
		    NULL)
			rows->text = NULL;
	}
	buf_free(&b);
	PQclear(res);
	return rows->text == NULL ? 500 : 0;
}
