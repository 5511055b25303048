#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

#define DB_MAX_PREPARED	512
/* Commands waiting to go with the next statement, and the most queries
 * one round trip carries. */
#define DB_MAX_PENDING	8
#define DB_MAX_BATCH	(DB_MAX_PENDING + 16)

struct db {
	char			*conninfo;
	PGconn			*conn;
	int			 in_tx;
	/* Commands without an answer worth a round trip of its own (the
	 * request's BEGIN, a SET LOCAL): sent ahead of the next statement,
	 * in the same round trip.  Static strings. */
	const char		*pending[DB_MAX_PENDING];
	size_t			 npending;
	int			 begin_pending;	/* pending[0] is the BEGIN */
	size_t			 nprepared;
	/* Pointers into static tables: identity is the statement. */
	const struct db_stmt	*prepared[DB_MAX_PREPARED];
};

static void
set_error(struct db_error *err, int status, const char *state,
    const char *message)
{
	memset(err, 0, sizeof(*err));
	err->status = status;
	snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
	snprintf(err->message, sizeof(err->message), "%s",
	    message ? message : "Valeur refusée.");
}

/* An error a person may correct, with its message's catalogue key. */
static void
set_user_error(struct db_error *err, int status, const char *state,
    const char *key, const char *message)
{
	set_error(err, status, state, message);
	err->key = key;
}

struct db *
db_open(const char *conninfo)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

static void
disconnect(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->nprepared = 0;
	/* A transaction whose BEGIN is still to be sent has lost nothing. */
	if (!db->begin_pending) {
		db->in_tx = 0;
		db->npending = 0;
	}
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	free(db->conninfo);
	free(db);
}

static int	flush_pending(struct db *, struct db_error *);

/* Whoever uses the connection itself finds the transaction it expects:
 * the commands still waiting are sent first.  When they fail, the
 * caller's own statement fails on the aborted transaction (or the
 * connection, gone, is NULL). */
PGconn *
db_conn(struct db *db)
{
	struct db_error	err;

	if (db->npending > 0 && db->conn != NULL)
		(void)flush_pending(db, &err);
	return db->conn;
}

/* Rows are written as JSON from their columns' text (db_row.c), which
 * takes dates in ISO 8601: whatever the server's default, the
 * connection's DateStyle is ISO. */
static int
iso_dates(struct db *db, struct db_error *err)
{
	const char	*style = PQparameterStatus(db->conn, "DateStyle");
	PGresult	*res;

	if (style != NULL && strncmp(style, "ISO", 3) == 0)
		return 0;
	res = PQexec(db->conn, "SET DateStyle = ISO");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error_from_result(res, err);
		PQclear(res);
		disconnect(db);
		return -1;
	}
	PQclear(res);
	return 0;
}

int
db_ensure(struct db *db, struct db_error *err)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	disconnect(db);
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_error("database connection failed: %s",
		    PQerrorMessage(db->conn));
		disconnect(db);
		set_error(err, 503, "08006",
		    "La base de données est momentanément indisponible.");
		return -1;
	}
	return iso_dates(db, err);
}

/* Constraints are named "<table>__<field>__<rule>" so that a violation
 * can name the field the user must change. */
static int
constraint_field(const char *constraint, char *field, size_t size)
{
	const char	*p, *e;

	if (constraint == NULL || (p = strstr(constraint, "__")) == NULL)
		return -1;
	p += 2;
	if ((e = strstr(p, "__")) == NULL || (size_t)(e - p) >= size)
		return -1;
	snprintf(field, size, "%.*s", (int)(e - p), p);
	return 0;
}

void
db_error_from_result(const PGresult *res, struct db_error *err)
{
	const char	*state;

	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state == NULL)
		state = "08006";
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strcmp(state, "53300") == 0)
		set_error(err, 503, state,
		    "La base de données est momentanément indisponible.");
	else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		set_error(err, 503, state,
		    "Conflit avec une autre opération : réessayez.");
	else if (strcmp(state, "23505") == 0) {
		set_user_error(err, 409, state, "valid.db.taken",
		    "Cette valeur est déjà utilisée.");
		constraint_field(PQresultErrorField(res,
		    PG_DIAG_CONSTRAINT_NAME), err->field, sizeof(err->field));
	} else if (strcmp(state, "23503") == 0)
		set_user_error(err, 409, state, "valid.db.linked",
		    "Cet élément est lié à d'autres données.");
	else if (strcmp(state, "23P01") == 0) {
		set_user_error(err, 409, state, "valid.db.overlap",
		    "Cette période chevauche une période existante.");
		constraint_field(PQresultErrorField(res,
		    PG_DIAG_CONSTRAINT_NAME), err->field, sizeof(err->field));
	} else if (strcmp(state, "23514") == 0 && constraint_field(
	    PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME), err->field,
	    sizeof(err->field)) == 0) {
		/* Our own rules ("table__field__rule") raise French messages. */
		set_error(err, 422, state, PQresultErrorField(res,
		    PG_DIAG_MESSAGE_PRIMARY));
		constraint_field(PQresultErrorField(res,
		    PG_DIAG_CONSTRAINT_NAME), err->field, sizeof(err->field));
	} else if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		set_user_error(err, 422, state, "valid.db.rejected",
		    "Valeur refusée par la base de données.");
	else
		set_error(err, 500, state, "Erreur interne de la base de données.");
}

static int
is_prepared(const struct db *db, const struct db_stmt *s)
{
	size_t	i;

	for (i = 0; i < db->nprepared; i++)
		if (db->prepared[i] == s)
			return 1;
	return 0;
}

static int
prepare(struct db *db, const struct db_stmt *s, struct db_error *err)
{
	PGresult	*res;

	if (db->nprepared == DB_MAX_PREPARED) {
		set_error(err, 500, "54000", "Trop de requêtes préparées.");
		return -1;
	}
	res = PQprepare(db->conn, s->name, s->sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_error("prepare %s: %s", s->name, PQresultErrorMessage(res));
		db_error_from_result(res, err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	db->prepared[db->nprepared++] = s;
	return 0;
}

static void
after_failure(struct db *db, const PGresult *res, struct db_error *err)
{
	db_error_from_result(res, err);
	if (err->status == 500 || err->status == 503)
		log_error("sql %s: %s", err->sqlstate,
		    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	if (PQstatus(db->conn) != CONNECTION_OK)
		disconnect(db);
}

static int
is_ok(const PGresult *res)
{
	ExecStatusType	st = PQresultStatus(res);

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static int
send_one(PGconn *conn, const struct db_call *c)
{
	if (c->stmt != NULL)
		return PQsendQueryPrepared(conn, c->stmt->name, c->n, c->values,
		    NULL, NULL, 0);
	return PQsendQueryParams(conn, c->sql, 0, NULL, NULL, NULL, NULL, 0);
}

/* Every answer up to the pipeline's end: q[i]->res for each query, and
 * the first failure, if any, in *failed.  -1 when the connection broke
 * before the end. */
static int
read_answers(PGconn *conn, struct db_call **q, size_t n, PGresult **failed)
{
	PGresult	*res;
	size_t		 i = 0;

	for (;;) {
		if ((res = PQgetResult(conn)) == NULL) {
			/* The end of query i's answers. */
			if (i >= n || PQstatus(conn) != CONNECTION_OK)
				return -1;
			i++;
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			return 0;
		}
		if (i < n && q[i]->res == NULL && is_ok(res))
			q[i]->res = res;
		else if (*failed == NULL && !is_ok(res) &&
		    PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
			*failed = res;
		else
			PQclear(res);
	}
}

static void
clear_answers(struct db_call **q, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		PQclear(q[i]->res);
		q[i]->res = NULL;
	}
}

/* The n queries of q in one round trip (libpq's pipeline mode): all are
 * sent, then every answer is read.  After a failure the queries behind
 * it are not run (the transaction is aborted anyway). */
static int
pipeline(struct db *db, struct db_call **q, size_t n, struct db_error *err)
{
	PGresult	*failed = NULL;
	size_t		 i;
	int		 ok;

	ok = PQenterPipelineMode(db->conn) == 1;
	for (i = 0; ok && i < n; i++)
		ok = send_one(db->conn, q[i]) == 1;
	if (!ok || PQpipelineSync(db->conn) != 1 ||
	    read_answers(db->conn, q, n, &failed) == -1 ||
	    PQexitPipelineMode(db->conn) != 1) {
		/* The protocol's state is unknown: start again. */
		after_failure(db, failed, err);
		PQclear(failed);
		clear_answers(q, n);
		disconnect(db);
		return -1;
	}
	if (failed == NULL)
		return 0;
	after_failure(db, failed, err);
	PQclear(failed);
	clear_answers(q, n);
	return -1;
}

/* The calls, behind the pending commands, in one round trip. */
static int
run_calls(struct db *db, struct db_call *calls, size_t n, struct db_error *err)
{
	struct db_call	 cmds[DB_MAX_PENDING], *q[DB_MAX_BATCH];
	size_t		 i, nq = 0;
	int		 rc;

	if (db->npending + n > DB_MAX_BATCH) {
		set_error(err, 500, "54000", "Trop de requêtes en une fois.");
		return -1;
	}
	for (i = 0; i < db->npending; i++) {
		memset(&cmds[i], 0, sizeof(cmds[i]));
		cmds[i].sql = db->pending[i];
		q[nq++] = &cmds[i];
	}
	for (i = 0; i < n; i++)
		q[nq++] = &calls[i];
	db->npending = 0;
	db->begin_pending = 0;
	rc = pipeline(db, q, nq, err);
	for (i = 0; i < nq - n; i++)
		PQclear(cmds[i].res);
	return rc;
}

static int
try_calls(struct db *db, struct db_call *calls, size_t n, struct db_error *err)
{
	size_t	i;

	if (n == 0 && db->npending == 0)
		return 0;
	if (db_ensure(db, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (calls[i].stmt != NULL && !is_prepared(db, calls[i].stmt) &&
		    prepare(db, calls[i].stmt, err) == -1) {
			if (PQstatus(db->conn) != CONNECTION_OK)
				disconnect(db);
			return -1;
		}
	if (db->npending > 0 || n > 1)
		return run_calls(db, calls, n, err);
	/* One statement alone: the plain protocol, as ever. */
	calls[0].res = calls[0].stmt != NULL ?
	    PQexecPrepared(db->conn, calls[0].stmt->name, calls[0].n,
	    calls[0].values, NULL, NULL, 0) : PQexec(db->conn, calls[0].sql);
	if (is_ok(calls[0].res))
		return 0;
	after_failure(db, calls[0].res, err);
	PQclear(calls[0].res);
	calls[0].res = NULL;
	return -1;
}

int
db_exec_all(struct db *db, struct db_call *calls, size_t n,
    struct db_error *err)
{
	const char	*saved[DB_MAX_PENDING];
	size_t		 i, nsaved = db->npending;
	int		 first = db->begin_pending;

	for (i = 0; i < n; i++)
		calls[i].res = NULL;
	memcpy(saved, db->pending, nsaved * sizeof(saved[0]));
	if (try_calls(db, calls, n, err) == 0)
		return 0;
	if (!first || err->status != 503 || db->conn != NULL)
		return -1;
	/* The old connection died while idle (a server restart is only
	 * noticed at its first use): nothing of this transaction ran, so
	 * one fresh try on a new connection. */
	memcpy(db->pending, saved, nsaved * sizeof(saved[0]));
	db->npending = nsaved;
	db->begin_pending = 1;
	db->in_tx = 1;
	return try_calls(db, calls, n, err);
}

PGresult *
db_exec(struct db *db, const struct db_stmt *s, int n,
    const char *const *values, struct db_error *err)
{
	struct db_call	c = { s, NULL, n, values, NULL };

	return db_exec_all(db, &c, 1, err) == 0 ? c.res : NULL;
}

int
db_command(struct db *db, const char *sql, struct db_error *err)
{
	struct db_call	c = { NULL, sql, 0, NULL, NULL };

	if (db_exec_all(db, &c, 1, err) == -1)
		return -1;
	PQclear(c.res);
	return 0;
}

static int
flush_pending(struct db *db, struct db_error *err)
{
	if (db->npending == 0)
		return 0;
	return db_exec_all(db, NULL, 0, err);
}

int
db_defer(struct db *db, const char *sql, struct db_error *err)
{
	if (db->npending == DB_MAX_PENDING)
		return db_command(db, sql, err);
	db->pending[db->npending++] = sql;
	return 0;
}

int
db_begin(struct db *db, struct db_error *err)
{
	db_begin_deferred(db);
	return flush_pending(db, err);
}

void
db_begin_deferred(struct db *db)
{
	db->npending = 0;
	db->pending[db->npending++] = "BEGIN";
	db->begin_pending = 1;
	db->in_tx = 1;
}

int
db_commit(struct db *db, struct db_error *err)
{
	int	rc = 0;

	if (db->begin_pending) {
		/* Nothing ran: nothing to commit, no round trip. */
		db->npending = 0;
		db->begin_pending = 0;
	} else
		rc = db_command(db, "COMMIT", err);
	db->in_tx = 0;
	return rc;
}

void
db_rollback(struct db *db)
{
	struct db_error	err;
	int		sent = !db->begin_pending;

	db->npending = 0;	/* what waits is moot */
	db->begin_pending = 0;
	if (sent && db->in_tx && db->conn != NULL)
		(void)db_command(db, "ROLLBACK", &err);
	db->in_tx = 0;
}

int
db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

int
db_transaction_ok(const struct db *db)
{
	if (!db->in_tx)
		return 0;
	/* Nothing sent yet, nothing failed. */
	return db->begin_pending || (db->conn != NULL &&
	    PQtransactionStatus(db->conn) == PQTRANS_INTRANS);
}

static const struct db_stmt set_config_stmt = {
	"db_set_config", "SELECT set_config($1, $2, true)",
};

int
db_set_local(struct db *db, const char *name, const char *value,
    struct db_error *err)
{
	const char	*v[2] = { name, value };
	PGresult	*res;

	if ((res = db_exec(db, &set_config_stmt, 2, v, err)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

const char *
db_value(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

int
db_is_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}

json_t *
db_json(const PGresult *res, int row, int col)
{
	json_error_t	jerr;

	if (PQgetisnull(res, row, col))
		return NULL;
	return json_loads(PQgetvalue(res, row, col), JSON_DECODE_ANY, &jerr);
}

int
db_params(arena *a, json_t *obj, const char *const *cols, size_t n,
    const char **out)
{
	json_t	*v;
	size_t	 i;

	for (i = 0; i < n; i++) {
		v = json_object_get(obj, cols[i]);
		if (v == NULL || json_is_null(v))
			out[i] = NULL;
		else if (json_is_string(v))
			out[i] = json_string_value(v);
		else if (json_is_integer(v))
			out[i] = arena_printf(a, "%lld",
			    (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			out[i] = json_is_true(v) ? "true" : "false";
		else if (json_is_real(v))
			out[i] = arena_printf(a, "%.17g", json_real_value(v));
		else
			return -1;
		if (v != NULL && !json_is_null(v) && out[i] == NULL)
			return -1;
	}
	return 0;
}
