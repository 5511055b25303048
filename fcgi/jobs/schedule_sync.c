#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/connector.h"
#include "log.h"
#include "queue.h"
#include "schedule_sync.h"
#include "sync_job.h"

/* Sources taken per tick; the rest come at the next one. */
#define DUE_PER_TICK	"100"

/* Which sources are due, for every tenant (SECURITY DEFINER, 0008). */
static const struct db_stmt due_stmt = { "schedule_sync_due",
	"SELECT tenant_id::text, source_id::text FROM sources_sync_due($1::int,"
	" $2::text[])" };

/* Under the tenant: claim the source if it is still due (the row lock
 * settles two runners), move next_sync_at on and record the run. */
static const struct db_stmt claim_stmt = { "schedule_sync_claim",
	"WITH s AS (UPDATE sources SET next_sync_at = source_next_sync(schedule,"
	" schedule_time, schedule_weekday, now()) WHERE id = $1::uuid"
	" AND auto_mode AND schedule <> 'manuel' AND next_sync_at <= now()"
	" AND paused_at IS NULL AND archived_at IS NULL"
	" AND (coalesce(config->>'url', '') <> '' OR type = ANY ($2::text[]))"
	" AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.tenant_id ="
	" sources.tenant_id AND r.source_id = sources.id"
	" AND r.status = 'en_cours') RETURNING tenant_id, id, cursor)"
	" INSERT INTO sync_runs (tenant_id, source_id, trigger, cursor_before)"
	" SELECT tenant_id, id, 'schedule', cursor FROM s RETURNING id" };

static const struct db_stmt job_stmt = { "schedule_sync_job",
	"UPDATE sync_runs SET job_id = $2::bigint WHERE id = $1::uuid" };

/* One source in its own transaction: 1 when a run was started, 0 when it
 * was not due any more, -1 on error. */
static int
start_one(struct db *db, const char *tenant, const char *source,
    const char *live, struct db_error *err)
{
	const char	*v[2] = { source, live };
	char		 run_id[40], payload[80], job[24];
	PGresult	*res;
	long long	 job_id;

	if (db_begin(db, err) == -1)
		return -1;
	if (db_set_local(db, "app.tenant_id", tenant, err) == -1 ||
	    (res = db_exec(db, &claim_stmt, 2, v, err)) == NULL)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback(db);
		return 0;
	}
	snprintf(run_id, sizeof(run_id), "%s", db_value(res, 0, 0));
	PQclear(res);
	snprintf(payload, sizeof(payload), "{\"run_id\":\"%s\"}", run_id);
	if (queue_enqueue(db, SYNC_JOB_KIND, payload, tenant, &job_id, err) == -1)
		goto fail;
	snprintf(job, sizeof(job), "%lld", job_id);
	v[0] = run_id;
	v[1] = job;
	if ((res = db_exec(db, &job_stmt, 2, v, err)) == NULL)
		goto fail;
	PQclear(res);
	if (db_commit(db, err) == -1)
		return -1;
	log_info("scheduled sync run %s of source %s", run_id, source);
	return 1;
fail:
	db_rollback(db);
	return -1;
}

/* The live types, which need no address to run, as an array literal
 * ("{bolt_api,uber_api}"): type names are [a-z0-9_], nothing to quote. */
static const char *
live_types(char *out, size_t n)
{
	size_t	i, o = 0;

	o += (size_t)snprintf(out, n, "{");
	for (i = 0; i < connector_ntypes && o < n; i++)
		if (!connector_types[i]->file_based)
			o += (size_t)snprintf(out + o, n - o, "%s%s", o > 1 ? "," :
			    "", connector_types[i]->name);
	if (o < n)
		snprintf(out + o, n - o, "}");
	return out;
}

int
schedule_sync_tick(struct db *db, struct db_error *err)
{
	char		 live[512];
	const char	*v[2] = { DUE_PER_TICK, live_types(live, sizeof(live)) };
	PGresult	*res;
	int		 i, n, started = 0;

	if ((res = db_exec(db, &due_stmt, 2, v, err)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		/* One source failing (a unique-index race, a bad row) does not
		 * keep the others waiting. */
		if ((n = start_one(db, db_value(res, i, 0), db_value(res, i, 1),
		    live, err)) == -1)
			log_error("schedule sync of source %s: %s",
			    db_value(res, i, 1), err->message);
		else
			started += n;
	}
	PQclear(res);
	return started;
}
