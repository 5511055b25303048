#include <string.h>

#include "store.h"
#include "valid.h"
#include "worker.h"

/* The most columns a stored object has; a table beyond it is a bug the
 * first test finds. */
#define STORE_MAX_COLUMNS	64

/* A unique or rule violation becomes an error on the field it names,
 * with the table's own words for a duplicate. */
static json_t *
field_error(const struct request *r, const struct store_table *t,
    const struct db_error *err)
{
	json_t		*errors;
	const char	*field = err->field[0] ? err->field : "_";
	size_t		 i;

	if (strcmp(err->sqlstate, "23505") == 0)
		for (i = 0; i < t->nduplicates; i++)
			if (strcmp(err->field, t->duplicates[i].field) == 0 &&
			    (errors = json_object()) != NULL) {
				valid_fail(r, errors, err->field,
				    t->duplicates[i].key);
				return errors;
			}
	if (err->key != NULL)
		return valid_one_error(r, field, err->key);
	return json_pack("{s:s}", field, err->message);
}

const char *
store_write(struct request *r, const struct db_stmt *s,
    const struct store_table *t, json_t *obj, const char *id, int *status,
    json_t **errors)
{
	const char	*params[STORE_MAX_COLUMNS + 1], *written;
	struct db_error	 err;
	PGresult	*res;

	*errors = NULL;
	*status = 500;
	if (t->ncolumns > STORE_MAX_COLUMNS ||
	    db_params(r->arena, obj, t->columns, t->ncolumns, params) == -1)
		return NULL;
	params[t->ncolumns] = id;
	res = db_exec(r->w->db, s, (int)t->ncolumns + (id != NULL), params,
	    &err);
	if (res == NULL) {
		*status = err.status;
		if (err.status == 409 || err.status == 422)
			*errors = field_error(r, t, &err);
		return NULL;
	}
	*status = 404;
	written = PQntuples(res) == 0 ? NULL :
	    arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	if (written != NULL)
		*status = 0;
	return written;
}
