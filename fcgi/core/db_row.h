/* A result's row as a JSON object, read from its columns: PostgreSQL
 * does not write the row's JSON (row_to_json) and the worker does not
 * parse it again, which cost a list page more than its own query.
 *
 * The object is what row_to_json would have made of the same columns,
 * byte for byte in db_row_json's text: names in column order; integers,
 * numerics and finite floats bare; booleans true/false; json and jsonb
 * as they are; dates and timestamps in ISO 8601 with a "T" and a tz of
 * "+HH:MM" (the connection's DateStyle is ISO, see db_ensure); anything
 * else a string.  Arrays are not converted: select them as json. */
#ifndef FC_DB_ROW_H
#define FC_DB_ROW_H

#include <jansson.h>
#include <libpq-fe.h>

#include "arena.h"
#include "buf.h"

/* Columns first .. the last, of one row, into out. */
int	 db_row_json(buf *out, const PGresult *, int row, int first);
/* The same row as a new jansson object; NULL when memory ran out. */
json_t	*db_row_object(const PGresult *, int row, int first);

#endif
