/* A page of a fleet list (vehicles, drivers): the total for the
 * pagination, then the rows as JSON objects. */
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

/* The statements of one sort order of a list, for a table of the
 * list_query above.  The page's rows are read first, then `columns` (the
 * row as the API shows it, lookups included) for those rows alone, named
 * x for row_to_json.  `filtered` is the WHERE clause of filters $1..$4,
 * LIMIT and OFFSET then being $5 and $6; its total is a window count over
 * the filtered rows, so that a search reads them once rather than once
 * to count and again for the page.  ORDER BY cannot be a parameter,
 * hence one pair of statements per order, each tie broken by the id. */
#define LIST_PAGE_SQL(total, count, columns, table, alias, where, order, \
    limit, offset) \
	"SELECT row_to_json(x)::text" total " FROM (SELECT *" count " FROM " \
	table " " alias " " where " ORDER BY " order ", " alias ".id LIMIT " \
	limit "::int OFFSET " offset "::int) " alias " CROSS JOIN LATERAL" \
	" (SELECT " columns ") x ORDER BY " order ", " alias ".id"
#define LIST_SORT(key, name, columns, table, alias, filtered, order) { key, \
	{ table "_list_" name, LIST_PAGE_SQL(", " alias ".list_total", \
	    ", count(*) OVER () AS list_total", columns, table, alias, \
	    filtered, order, "$5", "$6") }, \
	{ table "_all_" name, LIST_PAGE_SQL("", "", columns, table, alias, \
	    "WHERE " alias ".archived_at IS NULL", order, "$1", "$2") } }

/* The rows (a new array; each row's first column is its JSON text) and
 * *total, or NULL with *status set. */
json_t	*list_page(struct request *, const struct list_query *,
	    const struct api_page *, long *total, int *status);
/* The same rows as PostgreSQL wrote their JSON, copied into the request's
 * arena, for an API answer that passes them on unparsed: 0 or a status. */
int	 list_page_texts(struct request *, const struct list_query *,
	    const struct api_page *, long *total, struct api_texts *);

#endif
