/* The C side of ledger_post: lines as the JSON array the SQL function
 * reads, one statement, the posting's id back.  The rules (balance,
 * immutability, idempotency) are PostgreSQL's, not repeated here. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "ledger.h"

static const struct db_stmt post_stmt = { "ledger_post",
	"SELECT ledger_post($1, $2, $3, $4::jsonb, $5::date)" };

static const struct db_stmt reverse_stmt = { "ledger_reverse",
	"SELECT ledger_reverse($1, $2::uuid, $3)" };

const char *
ledger_driver_account(arena *a, const char *driver_id)
{
	return arena_printf(a, "driver:%s", driver_id);
}

const char *
ledger_deposits_account(arena *a, const char *driver_id)
{
	return arena_printf(a, "deposits:%s", driver_id);
}

const char *
ledger_platform_account(arena *a, const char *platform)
{
	return arena_printf(a, "platform:%s", platform);
}

const char *
ledger_charges_account(arena *a, const char *kind)
{
	return arena_printf(a, "charges:%s", kind);
}

/* The lines as JSON text in a, NULL when memory ran out. */
static const char *
lines_json(arena *a, const struct ledger_line *lines, size_t n)
{
	json_t		*arr, *o;
	char		*s;
	const char	*out;
	size_t		 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:I}", "account", lines[i].account,
		    "amount_cents", (json_int_t)lines[i].amount_cents);
		if (o != NULL && lines[i].memo != NULL)
			json_object_set_new(o, "memo",
			    json_string(lines[i].memo));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (s == NULL)
		return NULL;
	out = arena_strdup(a, s);
	free(s);
	return out;
}

static int
internal(struct db_error *err)
{
	err->status = 500;
	err->key = NULL;
	snprintf(err->message, sizeof(err->message), "%s",
	    "Erreur interne du grand livre.");
	return -1;
}

static int
one_id(struct db *db, arena *a, const struct db_stmt *s, int n,
    const char *const *v, const char **id, struct db_error *err)
{
	PGresult	*res;

	if ((res = db_exec(db, s, n, v, err)) == NULL)
		return -1;
	*id = PQntuples(res) == 1 ? arena_strdup(a, db_value(res, 0, 0)) :
	    NULL;
	PQclear(res);
	return *id == NULL ? internal(err) : 0;
}

int
ledger_post(struct db *db, arena *a, const char *key, const char *kind,
    const char *memo, const struct ledger_line *lines, size_t n,
    const char *on, const char **id, struct db_error *err)
{
	const char	*v[5];

	v[0] = key;
	v[1] = kind;
	v[2] = memo;
	v[4] = on;
	if ((v[3] = lines_json(a, lines, n)) == NULL)
		return internal(err);
	return one_id(db, a, &post_stmt, 5, v, id, err);
}

int
ledger_reverse(struct db *db, arena *a, const char *key, const char *txid,
    const char *memo, const char **id, struct db_error *err)
{
	const char	*v[3] = { key, txid, memo };

	return one_id(db, a, &reverse_stmt, 3, v, id, err);
}
