#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "documents_refresh.h"
#include "log.h"

/* Today in Paris: a document expires at the end of its day there. */
#define TODAY	"(now() AT TIME ZONE 'Europe/Paris')::date"

/* Which tenants have a stale state (SECURITY DEFINER, 0004): the runner
 * works as the application role, and row-level security hides every
 * tenant's rows until app.tenant_id is set. */
static const struct db_stmt tenants_stmt = { "documents_refresh_tenants",
	"SELECT t::text FROM documents_refresh_tenants(" TODAY ") t" };

/* One tenant's documents, under row-level security.  The trigger
 * documents_state fires only on changes of the date or the type: the
 * state is written here directly, with the same function. */
static const struct db_stmt update_stmt = { "documents_refresh_update",
	"UPDATE documents d SET state = document_state(d.tenant_id, d.type,"
	" d.expires_on, " TODAY ") WHERE d.superseded_by IS NULL AND d.state"
	" IS DISTINCT FROM document_state(d.tenant_id, d.type, d.expires_on, "
	TODAY ")" };

static enum job_outcome
failed(struct job_ctx *c, const char *what, const struct db_error *err)
{
	snprintf(c->error, sizeof(c->error), "%s: %s", what, err->message);
	/* The database being away or busy passes; anything else would fail
	 * again the same way. */
	return err->status == 503 ? JOB_TRANSIENT : JOB_PERMANENT;
}

/* One tenant in its own transaction: the number of states changed, or
 * -1. */
static int
refresh_tenant(struct job_ctx *c, const char *tenant, struct db_error *err)
{
	PGresult	*res;
	int		 n;

	if (db_begin(c->db, err) == -1)
		return -1;
	if (db_set_local(c->db, "app.tenant_id", tenant, err) == -1 ||
	    (res = db_exec(c->db, &update_stmt, 0, NULL, err)) == NULL) {
		db_rollback(c->db);
		return -1;
	}
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (db_commit(c->db, err) == -1)
		return -1;
	return n;
}

enum job_outcome
documents_refresh_run(struct job_ctx *c)
{
	struct db_error	 err;
	PGresult	*res;
	int		 i, n, changed = 0, tenants = 0;

	if (c->job->tenant_id[0] != '\0') {
		if ((n = refresh_tenant(c, c->job->tenant_id, &err)) == -1)
			return failed(c, "refresh", &err);
		log_info("documents_refresh: %d state(s) changed", n);
		return JOB_SUCCEEDED;
	}
	if ((res = db_exec(c->db, &tenants_stmt, 0, NULL, &err)) == NULL)
		return failed(c, "tenants", &err);
	for (i = 0; i < PQntuples(res); i++) {
		if (runner_heartbeat(c) == -1) {
			/* Stopping: what is done stays done, the rest comes
			 * with the retry. */
			PQclear(res);
			snprintf(c->error, sizeof(c->error), "interrupted "
			    "after %d tenant(s)", tenants);
			return JOB_TRANSIENT;
		}
		if ((n = refresh_tenant(c, db_value(res, i, 0), &err)) == -1) {
			PQclear(res);
			return failed(c, "refresh", &err);
		}
		changed += n;
		tenants++;
	}
	PQclear(res);
	log_info("documents_refresh: %d state(s) changed in %d tenant(s)",
	    changed, tenants);
	return JOB_SUCCEEDED;
}
