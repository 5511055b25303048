/* Writing a validated object through an INSERT or UPDATE statement, and
 * telling the user which field a constraint refused. */
#ifndef FC_APP_STORE_H
#define FC_APP_STORE_H

#include <jansson.h>

#include "db.h"
#include "http.h"

/* The catalogue key of the message for a duplicate of one field
 * ("valid.vehicles.plate_taken"), shown in the request's language. */
struct store_duplicate {
	const char	*field;
	const char	*key;
};

struct store_table {
	const char *const		*columns;	/* the statement's $1..$n */
	size_t				 ncolumns;
	const struct store_duplicate	*duplicates;
	size_t				 nduplicates;
};

/* Run s with obj's members in the order of the table's columns, then id
 * when not NULL ($n+1, the row an UPDATE aims at).  The statement answers
 * the row's id first.  Returns that id (in the request arena), or NULL
 * with *status: 404 when no row was written, 409 or 422 with *errors
 * naming the field ({field: message}, "_" when none), or another failure
 * status with *errors NULL. */
const char	*store_write(struct request *, const struct db_stmt *s,
		    const struct store_table *, json_t *obj, const char *id,
		    int *status, json_t **errors);

#endif
