#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "quality_checks.h"
#include "quality_job.h"
#include "queue.h"

static const struct db_stmt thresholds_stmt = { "quality_thresholds",
	"SELECT coalesce(json_object_agg(check_code, json_build_array("
	"warn_pct, fail_pct)), '{}')::text FROM quality_thresholds" };

static const struct db_stmt report_stmt = { "quality_report_new",
	"INSERT INTO quality_reports (tenant_id, source_id, run_id, trigger,"
	" status) SELECT app_tenant(), s.id, nullif($2, '')::uuid, $3, 'reussi'"
	" FROM sources s WHERE s.id = $1::uuid RETURNING id" };

static const struct db_stmt result_stmt = { "quality_result",
	"INSERT INTO quality_results (tenant_id, report_id, position,"
	" check_code, dimension, table_name, status, total, failing,"
	" failing_pct, warn_pct, fail_pct, observed, samples) VALUES"
	" (app_tenant(), $1::uuid, $2::int, $3, $4, $5, $6, $7::bigint,"
	" $8::bigint, $9::numeric, $10::numeric, $11::numeric, left($12, 500),"
	" $13::jsonb)" };

static const struct db_stmt totals_stmt = { "quality_report_totals",
	"UPDATE quality_reports q SET checks = k.n, passed = k.ok, warnings ="
	" k.warn, failures = k.fail, errors = k.err, status = CASE WHEN k.err"
	" > 0 THEN 'erreur' WHEN k.fail > 0 THEN 'echec' WHEN k.warn > 0 THEN"
	" 'avertissement' ELSE 'reussi' END FROM (SELECT count(*)::int AS n,"
	" (count(*) FILTER (WHERE status = 'reussi'))::int AS ok,"
	" (count(*) FILTER (WHERE status = 'avertissement'))::int AS warn,"
	" (count(*) FILTER (WHERE status = 'echec'))::int AS fail,"
	" (count(*) FILTER (WHERE status = 'erreur'))::int AS err"
	" FROM quality_results WHERE report_id = $1::uuid) k"
	" WHERE q.id = $1::uuid" };

int
quality_job_enqueue(struct db *db, const char *tenant, const char *source_id,
    const char *run_id, const char *trigger, struct db_error *err)
{
	json_t	*p = json_pack("{s:s, s:s, s:s}", "source_id", source_id,
		    "run_id", run_id ? run_id : "", "trigger", trigger);
	char	*text = p ? json_dumps(p, JSON_COMPACT) : NULL;
	int	 rc = text ? queue_enqueue(db, QUALITY_JOB_KIND, text, tenant,
		    NULL, err) : -1;

	free(text);
	json_decref(p);
	return rc;
}

/* A row check as one statement: (total, failing, observed, samples). */
static void
row_sql(buf *b, const struct quality_check *k)
{
	buf_printf(b, "SELECT count(*), count(*) FILTER (WHERE %s), NULL,"
	    " coalesce((SELECT json_agg(x) FROM (SELECT to_jsonb(r) ->> 'id'"
	    " AS id, r.source_key AS key, (%s) AS value FROM %s r WHERE"
	    " r.tenant_id = app_tenant() AND r.source_id = $1::uuid AND (%s)"
	    " ORDER BY r.source_key LIMIT 20) x), '[]') FROM %s r WHERE"
	    " r.tenant_id = app_tenant() AND r.source_id = $1::uuid",
	    k->fails, k->value, k->table, k->fails, k->table);
}

static const char *
status_of(long long total, long long failing, double pct, double warn,
    double fail)
{
	if (total == 0 || failing == 0)
		return "reussi";
	return pct > fail ? "echec" : pct > warn ? "avertissement" : "reussi";
}

struct report {
	struct job_ctx	*c;
	const char	*id;
	const char	*source_id;
	json_t		*thresholds;
	int		 position;
};

static int
store(struct report *q, const struct quality_check *k, const char *status,
    long long total, long long failing, double pct, double warn, double fail,
    const char *observed, const char *samples, struct db_error *err)
{
	char		 n[6][32];
	const char	*v[13];
	PGresult	*res;

	snprintf(n[0], 32, "%d", q->position++);
	snprintf(n[1], 32, "%lld", total);
	snprintf(n[2], 32, "%lld", failing);
	snprintf(n[3], 32, "%.2f", pct);
	snprintf(n[4], 32, "%.2f", warn);
	snprintf(n[5], 32, "%.2f", fail);
	v[0] = q->id; v[1] = n[0]; v[2] = k->code; v[3] = k->dimension;
	v[4] = k->table; v[5] = status; v[6] = n[1]; v[7] = n[2]; v[8] = n[3];
	v[9] = n[4];
	v[10] = n[5];
	v[11] = observed; v[12] = samples;
	res = db_exec(q->c->db, &result_stmt, 13, v, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The thresholds of a check: the organisation's, else its defaults. */
static void
thresholds(const struct report *q, const struct quality_check *k,
    double *warn, double *fail)
{
	json_t	*t = json_object_get(q->thresholds, k->code);

	*warn = k->warn_pct;
	*fail = k->fail_pct;
	if (json_array_size(t) == 2) {
		*warn = json_number_value(json_array_get(t, 0));
		*fail = json_number_value(json_array_get(t, 1));
	}
}

/* One check in its savepoint: 0, or -1 when the report cannot go on. */
static int
run_check(struct report *q, const struct quality_check *k,
    struct db_error *err)
{
	PGconn		*conn = db_conn(q->c->db);
	const char	*v[1] = { q->source_id };
	PGresult	*res;
	buf		 sql;
	long long	 total, failing;
	double		 pct, warn, fail;
	int		 rc;

	thresholds(q, k, &warn, &fail);
	buf_init(&sql);
	if (k->sql != NULL)
		buf_puts(&sql, k->sql);
	else
		row_sql(&sql, k);
	if (sql.oom || db_command(q->c->db, "SAVEPOINT quality_check",
	    err) == -1) {
		buf_free(&sql);
		return -1;
	}
	res = PQexecParams(conn, buf_cstr(&sql), 1, NULL, v, NULL, NULL, 0);
	buf_free(&sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_error("quality %s: %s", k->code, PQresultErrorMessage(res));
		PQclear(res);
		if (db_command(q->c->db, "ROLLBACK TO SAVEPOINT quality_check",
		    err) == -1)
			return -1;
		return store(q, k, "erreur", 0, 0, 0, warn, fail, "La"
		    " vérification n'a pas pu s'exécuter.", "[]", err);
	}
	if (PQntuples(res) == 0) {	/* a run check of a source never run */
		PQclear(res);
		return db_command(q->c->db, "RELEASE SAVEPOINT quality_check",
		    err);
	}
	total = atoll(db_value(res, 0, 0));
	failing = atoll(db_value(res, 0, 1));
	/* A table this source does not fill has nothing to say. */
	if (k->sql == NULL && total == 0) {
		PQclear(res);
		return db_command(q->c->db, "RELEASE SAVEPOINT quality_check",
		    err);
	}
	pct = total > 0 ? (double)failing * 100.0 / (double)total : 0;
	rc = store(q, k, status_of(total, failing, pct, warn, fail), total,
	    failing, pct, warn, fail, PQgetisnull(res, 0, 2) ? NULL :
	    db_value(res, 0, 2), db_value(res, 0, 3), err);
	PQclear(res);
	if (rc == -1)
		return -1;
	return db_command(q->c->db, "RELEASE SAVEPOINT quality_check", err);
}

static enum job_outcome
failed(struct job_ctx *c, const struct db_error *err)
{
	db_rollback(c->db);
	snprintf(c->error, sizeof(c->error), "quality report: %s",
	    err->message);
	return err->status == 503 ? JOB_TRANSIENT : JOB_PERMANENT;
}

enum job_outcome
quality_job_run(struct job_ctx *c)
{
	const json_t	*p = c->job->payload;
	const char	*v[3];
	struct report	 q = { c, NULL, NULL, NULL, 0 };
	struct db_error	 err;
	json_error_t	 jerr;
	PGresult	*res = NULL, *th;
	size_t		 i;

	v[0] = json_string_value(json_object_get(p, "source_id"));
	v[1] = json_string_value(json_object_get(p, "run_id"));
	v[2] = json_string_value(json_object_get(p, "trigger"));
	if (v[0] == NULL || v[1] == NULL || v[2] == NULL ||
	    c->job->tenant_id[0] == '\0') {
		snprintf(c->error, sizeof(c->error), "quality_report: bad"
		    " payload");
		return JOB_PERMANENT;
	}
	q.source_id = v[0];
	if (db_begin(c->db, &err) == -1 ||
	    db_set_local(c->db, "app.tenant_id", c->job->tenant_id, &err) == -1 ||
	    (th = db_exec(c->db, &thresholds_stmt, 0, NULL, &err)) == NULL)
		return failed(c, &err);
	q.thresholds = json_loads(db_value(th, 0, 0), 0, &jerr);
	PQclear(th);
	if ((res = db_exec(c->db, &report_stmt, 3, v, &err)) == NULL)
		goto fail;
	if (PQntuples(res) == 0) {	/* the source is gone */
		PQclear(res);
		json_decref(q.thresholds);
		db_rollback(c->db);
		return JOB_SUCCEEDED;
	}
	q.id = db_value(res, 0, 0);
	for (i = 0; i < quality_nchecks; i++)
		if (run_check(&q, &quality_checks[i], &err) == -1)
			goto fail;
	th = db_exec(c->db, &totals_stmt, 1, &q.id, &err);
	if (th == NULL || db_commit(c->db, &err) == -1) {
		PQclear(th);
		goto fail;
	}
	PQclear(th);
	PQclear(res);
	json_decref(q.thresholds);
	return JOB_SUCCEEDED;
fail:
	PQclear(res);
	json_decref(q.thresholds);
	return failed(c, &err);
}
