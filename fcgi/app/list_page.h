/* A page of a fleet list (vehicles, drivers): the total for the
 * pagination, then the rows as JSON objects. */
#ifndef FC_APP_LIST_PAGE_H
#define FC_APP_LIST_PAGE_H

#include <jansson.h>

#include "api.h"
#include "db.h"
#include "http.h"

#define LIST_MAX_FILTERS	8

/* A list's statements for one sort order.  Filtered: count takes the
 * nfilters values, page takes them then LIMIT and OFFSET.  Unfiltered
 * (every value empty): the total kept in list_totals under the name
 * `totals` (migration 0010) and the page from `all`, which takes only
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

/* The statements of one sort order of a list, for a table of the list_query
 * above: `select` ends in "FROM " and reads the page as a subquery named
 * `alias`; `filtered` is the WHERE clause of filters $1..$4, LIMIT and
 * OFFSET then being $5 and $6.  ORDER BY cannot be a parameter, hence one
 * pair of statements per order, each tie broken by the id. */
#define LIST_PAGE_SQL(select, table, alias, where, order, limit, offset) \
	select "(SELECT * FROM " table " " alias " " where " ORDER BY " order \
	", " alias ".id LIMIT " limit "::int OFFSET " offset "::int) " alias \
	" ORDER BY " order ", " alias ".id) x"
#define LIST_SORT(key, name, select, table, alias, filtered, order) { key, \
	{ table "_list_" name, LIST_PAGE_SQL(select, table, alias, filtered, \
	    order, "$5", "$6") }, \
	{ table "_all_" name, LIST_PAGE_SQL(select, table, alias, \
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
