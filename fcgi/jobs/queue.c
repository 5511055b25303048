#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

#define BACKOFF_CAP	3600

static const struct db_stmt claim_stmt = { "queue_claim",
	"UPDATE jobs SET status = 'running', attempts = attempts + 1,"
	" locked_by = $1, heartbeat = now(), started_at = now(),"
	" finished_at = NULL"
	" WHERE id = (SELECT id FROM jobs WHERE status = 'queued'"
	"  AND run_at <= now() ORDER BY run_at, id"
	"  FOR UPDATE SKIP LOCKED LIMIT 1)"
	" RETURNING id, kind, coalesce(tenant_id::text, ''), payload::text,"
	" attempts, max_attempts" };

static const struct db_stmt heartbeat_stmt = { "queue_heartbeat",
	"UPDATE jobs SET heartbeat = now() WHERE id = $1 AND status = 'running'" };

static const struct db_stmt succeed_stmt = { "queue_succeed",
	"UPDATE jobs SET status = 'succeeded', finished_at = now(),"
	" last_error = NULL WHERE id = $1" };

static const struct db_stmt retry_stmt = { "queue_retry",
	"UPDATE jobs SET status = 'queued', last_error = $2,"
	" run_at = now() + make_interval(secs => $3::int) WHERE id = $1" };

static const struct db_stmt fail_stmt = { "queue_fail",
	"UPDATE jobs SET status = $3::job_status, finished_at = now(),"
	" last_error = $2 WHERE id = $1" };

static const struct db_stmt reap_stmt = { "queue_reap",
	"UPDATE jobs SET status = 'failed', finished_at = now(),"
	" last_error = 'heartbeat lost: the runner stopped during this run'"
	" WHERE status = 'running'"
	" AND heartbeat < now() - make_interval(secs => $1::int)" };

static const struct db_stmt enqueue_stmt = { "queue_enqueue",
	"INSERT INTO jobs (kind, payload, tenant_id)"
	" VALUES ($1, $2::jsonb, $3::uuid) RETURNING id" };

void
job_clear(struct job *j)
{
	json_decref(j->payload);
	memset(j, 0, sizeof(*j));
}

int
queue_claim(struct db *db, const char *worker, struct job *j,
    struct db_error *err)
{
	const char	*v[1] = { worker };
	PGresult	*res;
	json_error_t	 jerr;

	memset(j, 0, sizeof(*j));
	if ((res = db_exec(db, &claim_stmt, 1, v, err)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	j->id = atoll(db_value(res, 0, 0));
	snprintf(j->kind, sizeof(j->kind), "%s", db_value(res, 0, 1));
	snprintf(j->tenant_id, sizeof(j->tenant_id), "%s", db_value(res, 0, 2));
	j->payload = json_loads(db_value(res, 0, 3), 0, &jerr);
	j->attempts = atoi(db_value(res, 0, 4));
	j->max_attempts = atoi(db_value(res, 0, 5));
	PQclear(res);
	if (j->payload == NULL)
		j->payload = json_object();
	return 1;
}

static int
exec_ids(struct db *db, const struct db_stmt *s, int n, const char *const *v,
    struct db_error *err)
{
	PGresult	*res;
	int		 count;

	if ((res = db_exec(db, s, n, v, err)) == NULL)
		return -1;
	count = atoi(PQcmdTuples(res));
	PQclear(res);
	return count;
}

int
queue_heartbeat(struct db *db, long long id, struct db_error *err)
{
	char		 ids[24];
	const char	*v[1] = { ids };

	snprintf(ids, sizeof(ids), "%lld", id);
	return exec_ids(db, &heartbeat_stmt, 1, v, err) < 0 ? -1 : 0;
}

int
queue_backoff(int attempt, unsigned int random)
{
	long	base, jitter;

	if (attempt < 1)
		attempt = 1;
	base = attempt >= 12 ? BACKOFF_CAP : 1L << attempt;
	if (base > BACKOFF_CAP)
		base = BACKOFF_CAP;
	/* ±25 % so that jobs failing together do not retry together. */
	jitter = (long)(random % (unsigned long)(base / 4 * 2 + 1)) - base / 4;
	return (int)(base + jitter < 1 ? 1 : base + jitter);
}

int
queue_finish(struct db *db, const struct job *j, enum job_outcome o,
    const char *error, struct db_error *err)
{
	char		 ids[24], secs[16];
	const char	*v[3] = { ids, error ? error : "", NULL };

	snprintf(ids, sizeof(ids), "%lld", j->id);
	if (o == JOB_SUCCEEDED)
		return exec_ids(db, &succeed_stmt, 1, v, err) < 0 ? -1 : 0;
	if (o == JOB_TRANSIENT && j->attempts < j->max_attempts) {
		snprintf(secs, sizeof(secs), "%d",
		    queue_backoff(j->attempts, (unsigned int)rand()));
		v[2] = secs;
		return exec_ids(db, &retry_stmt, 3, v, err) < 0 ? -1 : 0;
	}
	v[2] = o == JOB_TRANSIENT ? "dead" : "failed";
	return exec_ids(db, &fail_stmt, 3, v, err) < 0 ? -1 : 0;
}

int
queue_reap(struct db *db, int stale_seconds, struct db_error *err)
{
	char		 secs[16];
	const char	*v[1] = { secs };

	snprintf(secs, sizeof(secs), "%d", stale_seconds);
	return exec_ids(db, &reap_stmt, 1, v, err);
}

int
queue_enqueue(struct db *db, const char *kind, const char *payload,
    const char *tenant_id, long long *id, struct db_error *err)
{
	const char	*v[3] = { kind, payload ? payload : "{}", tenant_id };
	PGresult	*res;

	if ((res = db_exec(db, &enqueue_stmt, 3, v, err)) == NULL)
		return -1;
	if (id != NULL)
		*id = atoll(db_value(res, 0, 0));
	PQclear(res);
	return 0;
}
