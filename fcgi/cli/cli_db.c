/* SQL for the command line's own work, as the owner role. */
#include <stdio.h>

#include "cli.h"

PGresult *
cli_exec(PGconn *c, const char *what, const char *sql, int n,
    const char *const *v)
{
	PGresult	*res = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	const char	*msg;

	if (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK)
		return res;
	/* Only the primary message: the detail can quote the failing row,
	 * password hash included. */
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	fprintf(stderr, "fleetcore: %s%s%s\n", what ? what : "", what ? ": " : "",
	    msg ? msg : "database error");
	PQclear(res);
	return NULL;
}
