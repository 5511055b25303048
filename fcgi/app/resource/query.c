/* What every data file of the application did in its own copy: run a
 * statement and turn a database error into the status to answer. */
#include <stdio.h>
#include <stdlib.h>

#include "query.h"
#include "worker.h"

PGresult *
query_run(struct request *r, const struct db_stmt *s, int n,
    const char *const *v, int *status)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		*status = err.status;
	return res;
}

json_t *
query_one(struct request *r, const struct db_stmt *s, const char *id,
    int *status)
{
	const char	*v[1] = { id };
	PGresult	*res;
	json_t		*o = NULL;

	*status = 404;
	if (id == NULL || (res = query_run(r, s, 1, v, status)) == NULL)
		return NULL;
	if (PQntuples(res) == 1 && (o = db_json(res, 0, 0)) != NULL)
		*status = 0;
	PQclear(res);
	return o;
}

json_t *
query_rows(const PGresult *res)
{
	json_t	*list = json_array(), *o;
	int	 i;

	for (i = 0; i < PQntuples(res); i++)
		if ((o = db_json(res, i, 0)) != NULL)
			json_array_append_new(list, o);
	return list;
}

json_t *
query_page(struct request *r, const struct db_stmt *count,
    const struct db_stmt *list, int n, const char *const *v,
    const struct api_page *pg, long *total, int *status)
{
	char		 limit[24], offset[24];
	const char	*all[QUERY_MAX_VALUES + 2];
	PGresult	*res;
	json_t		*rows;
	int		 i;

	if (n < 0 || n > QUERY_MAX_VALUES) {
		*status = 500;
		return NULL;
	}
	for (i = 0; i < n; i++)
		all[i] = v[i];
	snprintf(limit, sizeof(limit), "%ld", pg->limit);
	snprintf(offset, sizeof(offset), "%ld", pg->offset);
	all[n] = limit;
	all[n + 1] = offset;
	if ((res = query_run(r, count, n, all, status)) == NULL)
		return NULL;
	*total = atol(db_value(res, 0, 0));
	PQclear(res);
	if ((res = query_run(r, list, n + 2, all, status)) == NULL)
		return NULL;
	rows = query_rows(res);
	PQclear(res);
	return rows;
}
