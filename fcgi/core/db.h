/* PostgreSQL through libpq: one connection per worker, opened after fork
 * and reopened after an outage; statements prepared lazily from static
 * tables; errors mapped to what the user should be told. */
#ifndef FC_DB_H
#define FC_DB_H

#include <jansson.h>
#include <libpq-fe.h>

#include "arena.h"

/* A statement lives in a static table of its module; the connection
 * prepares it the first time it runs. */
struct db_stmt {
	const char	*name;
	const char	*sql;
};

struct db_error {
	int		 status;	/* HTTP status to answer: 409, 422, 500, 503 */
	char		 sqlstate[6];
	char		 field[64];	/* for unique violations, when known */
	char		 message[256];	/* French, safe to show */
	/* The catalogue key of message for the request's language, NULL
	 * when message is the database's own words (a rule's). */
	const char	*key;
};

struct db;

/* Never fails for a server that is down: connection happens on demand. */
struct db	*db_open(const char *conninfo);
void		 db_close(struct db *);
/* Connect when needed; -1 (error status 503) when the server is down. */
int		 db_ensure(struct db *, struct db_error *);
PGconn		*db_conn(struct db *);

/* Run a prepared statement; NULL with err set on failure.  The caller
 * PQclear()s the result. */
PGresult	*db_exec(struct db *, const struct db_stmt *, int nparams,
		    const char *const *values, struct db_error *);
/* Run a statement with no parameters and no result rows (BEGIN, ...). */
int		 db_command(struct db *, const char *sql, struct db_error *);

/* One query of db_exec_all: a prepared statement with its values, or
 * (stmt NULL) a command without parameters. */
struct db_call {
	const struct db_stmt	*stmt;
	const char		*sql;
	int			 n;
	const char *const	*values;
	PGresult		*res;	/* the answer, the caller PQclear()s it */
};

/* Queries that do not need each other's answers, in one round trip
 * (libpq's pipeline mode) instead of one each: 0 with every res set, or
 * -1 with err from the first failure and none set. */
int		 db_exec_all(struct db *, struct db_call *, size_t n,
		    struct db_error *);
/* A command whose answer nobody waits for (SET LOCAL ...): sent with the
 * next statement, in its round trip; when it fails, that statement
 * fails.  sql must outlive the request (a literal). */
int		 db_defer(struct db *, const char *sql, struct db_error *);

/* The request transaction.  Begin retries once after a reconnect, since a
 * server restart is only noticed on the first use of the old connection.
 * db_begin_deferred sends its BEGIN with the transaction's first
 * statement, in one round trip, and none at all when no statement runs
 * (the retry holds: nothing ran before that statement). */
int		 db_begin(struct db *, struct db_error *);
void		 db_begin_deferred(struct db *);
int		 db_commit(struct db *, struct db_error *);
void		 db_rollback(struct db *);
int		 db_in_transaction(const struct db *);
/* In a transaction that no failed statement aborted, without sending
 * what waits (unlike PQtransactionStatus on db_conn). */
int		 db_transaction_ok(const struct db *);
/* SET LOCAL name = value, for app.tenant_id and app.user_id. */
int		 db_set_local(struct db *, const char *name, const char *value,
		    struct db_error *);

/* Fill err from a failed result (also used by the migration tool). */
void		 db_error_from_result(const PGresult *, struct db_error *);
/* A column holding JSON text (row_to_json, json_agg) as a new jansson
 * value; NULL for SQL NULL or bad JSON. */
json_t		*db_json(const PGresult *, int row, int col);
/* Parameters for a statement from an object's members, in the order of
 * cols: strings as they are, numbers and booleans as text, absent and
 * null as SQL NULL.  Text lives in the arena. */
int		 db_params(arena *, json_t *obj, const char *const *cols,
		    size_t n, const char **out);

/* The value of row/col, "" for NULL. */
const char	*db_value(const PGresult *, int row, int col);
int		 db_is_null(const PGresult *, int row, int col);

#endif
