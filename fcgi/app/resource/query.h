/* Running a prepared statement for a request: the result, or the status
 * the request answers when the database refused. */
#ifndef FC_APP_QUERY_H
#define FC_APP_QUERY_H

#include <jansson.h>
#include <libpq-fe.h>

#include "api.h"
#include "db.h"
#include "http.h"

/* The most values a statement of query_page takes besides its page. */
#define QUERY_MAX_VALUES	14

/* s with its n values, in the request's connection: the result, or NULL
 * with *status (db_exec's status for the error). */
PGresult	*query_run(struct request *, const struct db_stmt *s, int n,
		    const char *const *v, int *status);
/* The one row s answers for id ($1), as the JSON of its first column:
 * *status 0; or NULL with *status 404 (no id, no row) or the database's
 * status. */
json_t		*query_one(struct request *, const struct db_stmt *s,
		    const char *id, int *status);
/* Every row's first column as JSON, in order; a row whose JSON does not
 * parse is left out. */
json_t		*query_rows(const PGresult *);
/* A page of a list: count, run with the n values of v, gives *total;
 * list, run with them and then pg's LIMIT and OFFSET ($n+1, $n+2), gives
 * the rows (query_rows).  NULL with *status. */
json_t		*query_page(struct request *, const struct db_stmt *count,
		    const struct db_stmt *list, int n, const char *const *v,
		    const struct api_page *pg, long *total, int *status);

#endif
