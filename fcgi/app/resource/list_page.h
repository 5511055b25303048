/* A page of a resource's list: the total for the pagination, then the
 * rows as JSON objects or texts. */
#ifndef FC_APP_LIST_PAGE_H
#define FC_APP_LIST_PAGE_H

#include <jansson.h>

#include "api.h"
#include "db.h"
#include "http.h"

#define LIST_MAX_FILTERS	8

/* A list's statements for one sort order.  Filtered: page takes the
 * nfilters values then LIMIT and OFFSET and answers each row with the
 * filter's total beside it; count (the same values) is asked only for a
 * page past the end, which has no row to carry the total.  Unfiltered
 * (every value empty) and `totals` not NULL: the total kept in list_totals
 * under that name (migration 0010) and the page from `all`, which takes only
 * LIMIT and OFFSET: its plan does not depend on the parameters, so it
 * is prepared once instead of planned again at every request. */
struct list_query {
	const char		*totals;
	const struct db_stmt	*all;
	const struct db_stmt	*count;
	const struct db_stmt	*page;
	const char *const	*values;
	int			 nfilters;
};

/* The statements are written by resource_sql.c: the page's rows are
 * read first, then their columns as the API shows them (lookups
 * included) for those rows alone, as columns whose JSON the worker writes
 * (db_row.h), the filtered page with its total in front: a window count
 * over the filtered rows, so that a search reads them once rather than
 * once to count and again for the page. */

/* The rows (a new array of objects, read from the columns) and *total,
 * or NULL with *status set. */
json_t	*list_page(struct request *, const struct list_query *,
	    const struct api_page *, long *total, int *status);
/* The same rows as JSON texts in the request's arena, for an API answer
 * that writes them as they are: 0 or a status. */
int	 list_page_texts(struct request *, const struct list_query *,
	    const struct api_page *, long *total, struct api_texts *);

#endif
