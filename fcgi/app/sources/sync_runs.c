#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity/activity.h"
#include "connectors/fetch.h"
#include "jobs/queue.h"
#include "jobs/sync_file.h"
#include "jobs/sync_job.h"
#include "sync_runs.h"
#include "valid.h"
#include "worker.h"
#include "resource/query.h"

const char *const sync_statuses[] = { "en_cours", "reussi", "partiel",
	"echec", "annule", NULL };

#define RUN_JSON \
	"SELECT row_to_json(x)::text FROM (SELECT r.id, r.source_id," \
	" s.name AS source_name, s.type AS source_type, r.trigger, r.status," \
	" r.created_at, r.started_at, r.ended_at, (extract(epoch FROM" \
	" (coalesce(r.ended_at, now()) - r.started_at)) * 1000)::bigint" \
	" AS duration_ms, r.file_name, r.file_bytes, r.bytes_read," \
	" r.rows_extracted, r.rows_inserted, r.rows_updated," \
	" r.rows_inserted + r.rows_updated AS rows_loaded, r.rows_unchanged," \
	" r.rows_rejected, r.cursor_before, r.cursor_after, r.dialect," \
	" r.file_totals, r.loaded_totals, r.failure, r.message, r.detail," \
	" r.attempts, r.heartbeat_at, r.cancel_requested_at, r.notes," \
	" r.file_key IS NOT NULL AS has_file," \
	" coalesce(s.config->>'url', '') <> '' AS source_fetches," \
	" coalesce(nullif(u.name, ''), u.email) AS requested_by," \
	" CASE WHEN r.file_bytes > 0 THEN least(100, r.bytes_read * 100 /" \
	" r.file_bytes)::int END AS percent FROM sync_runs r JOIN sources s" \
	" ON s.tenant_id = r.tenant_id AND s.id = r.source_id" \
	" LEFT JOIN users u ON u.id = r.requested_by "

static const struct db_stmt get_stmt = { "sync_runs_get",
	RUN_JSON "WHERE r.id = $1::uuid) x" };

static const struct db_stmt list_stmt = { "sync_runs_list",
	RUN_JSON "WHERE r.source_id = $1::uuid ORDER BY r.created_at DESC,"
	" r.id LIMIT $2::int OFFSET $3::int) x" };

static const struct db_stmt count_stmt = { "sync_runs_count",
	"SELECT count(*) FROM sync_runs WHERE source_id = $1::uuid" };

static const struct db_stmt rejects_stmt = { "sync_runs_rejects",
	"SELECT coalesce(json_agg(row_to_json(x)), '[]')::text FROM (SELECT"
	" line, column_name AS \"column\", value, reason FROM sync_rejects"
	" WHERE run_id = $1::uuid ORDER BY line, id LIMIT $2::int) x" };

static const struct db_stmt insert_stmt = { "sync_runs_insert",
	"INSERT INTO sync_runs (tenant_id, source_id, trigger, requested_by,"
	" file_name, file_key, file_bytes, cursor_before) SELECT app_tenant(),"
	" s.id, $2::sync_trigger, app_user(), $3, $4, $5::bigint, s.cursor"
	" FROM sources s WHERE s.id = $1::uuid AND s.archived_at IS NULL"
	" AND s.paused_at IS NULL RETURNING id" };

static const struct db_stmt job_stmt = { "sync_runs_job",
	"UPDATE sync_runs SET job_id = $2::bigint WHERE id = $1::uuid" };

static const struct db_stmt previous_stmt = { "sync_runs_previous",
	"SELECT source_id, coalesce(file_key, ''), coalesce(file_name, ''),"
	" coalesce(file_bytes, 0) FROM sync_runs WHERE id = $1::uuid"
	" AND status <> 'en_cours'" };

/* Stopped at once when no runner is holding the run (not started yet,
 * waiting for a retry, or its runner gone): cancel must always work. */
#define IDLE "(started_at IS NULL OR heartbeat_at IS NULL OR" \
	" heartbeat_at < now() - interval '60 seconds')"

static const struct db_stmt cancel_stmt = { "sync_runs_cancel",
	"UPDATE sync_runs SET cancel_requested_at = coalesce("
	" cancel_requested_at, now()), cancelled_by = app_user(),"
	" status = CASE WHEN " IDLE " THEN 'annule' ELSE status END,"
	" ended_at = CASE WHEN " IDLE " THEN now() END,"
	" message = CASE WHEN " IDLE " THEN 'Synchronisation annulée : rien"
	" n''a été chargé.' ELSE message END"
	" WHERE id = $1::uuid AND status = 'en_cours' RETURNING source_id" };

static const struct db_stmt exists_stmt = { "sync_runs_exists",
	"SELECT status FROM sync_runs WHERE id = $1::uuid" };

struct upload *
sync_run_upload(struct request *r)
{
	size_t	i;

	for (i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0 &&
		    r->files.v[i].size > 0)
			return &r->files.v[i];
	return NULL;
}

/* Why no run starts: *message in the request's language, the status
 * returned. */
static int
refuse(const struct request *r, int status, const char *key,
    const char **message)
{
	*message = tr(r, key);
	return status;
}

/* A paused source, or one with a run going, takes no other. */
static int
refuse_busy(const struct request *r, int paused, const char **message)
{
	return refuse(r, 409, paused ? "sources.error.paused" :
	    "sources.error.busy", message);
}

/* Record the run and enqueue its job, in the request's transaction. */
static int
record(struct request *r, const char *source_id, const char *trigger,
    const char *file_name, const char *key, long long bytes, char run_id[40],
    const char **message)
{
	char		 size[24], ids[24];
	const char	*v[5] = { source_id, trigger, file_name, key, size };
	const char	*payload;
	struct db_error	 err;
	PGresult	*res;
	long long	 job;

	snprintf(size, sizeof(size), "%lld", bytes);
	if (key == NULL)
		v[4] = NULL;	/* fetched by the run: size unknown yet */
	if ((res = db_exec(r->w->db, &insert_stmt, 5, v, &err)) == NULL) {
		if (err.status == 409)
			return refuse_busy(r, 0, message);
		return err.status;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return refuse_busy(r, 1, message);
	}
	snprintf(run_id, 40, "%s", db_value(res, 0, 0));
	PQclear(res);
	payload = arena_printf(r->arena, "{\"run_id\":\"%s\"}", run_id);
	if (payload == NULL || queue_enqueue(r->w->db, SYNC_JOB_KIND, payload,
	    r->id.tenant_id, &job, &err) == -1)
		return payload ? err.status : 500;
	snprintf(ids, sizeof(ids), "%lld", job);
	v[0] = run_id;
	v[1] = ids;
	if ((res = db_exec(r->w->db, &job_stmt, 2, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return activity_record(r, "sync.started", arena_printf(r->arena,
	    "Synchronisation lancée%s%s", *file_name ? " : " : "", file_name),
	    NULL, "sync_run", run_id);
}

int
sync_run_start(struct request *r, const struct source_row *src,
    const char *trigger, struct upload *u, char run_id[40],
    const char **message)
{
	char	key[SYNC_FILE_KEY_LEN + 1], path[4096];
	int	rc;

	*message = NULL;
	if (src->paused || src->running)
		return refuse_busy(r, src->paused, message);
	/* A live source reads its platform: no file. */
	if (!src->type->file_based)
		return record(r, src->id, trigger, "", NULL, 0, run_id, message);
	/* Without a file, a source with an address has its run fetch it. */
	if (src->type->file_based && u == NULL &&
	    fetch_source_url(src->config) != NULL)
		return record(r, src->id, trigger, "", NULL, 0, run_id, message);
	if (src->type->file_based && u == NULL)
		return refuse(r, 422, "sources.error.no_file", message);
	if (sync_file_keep(r->w->cfg->data_dir, r->id.tenant_id, u, key) == -1)
		return 500;
	rc = record(r, src->id, trigger, u->filename ? u->filename : "", key,
	    (long long)u->size, run_id, message);
	if (rc != 0 && sync_file_path(r->w->cfg->data_dir, r->id.tenant_id,
	    key, path, sizeof(path)) == 0)
		unlink(path);	/* no run will read it */
	return rc;
}

int
sync_run_start_kept(struct request *r, const struct source_row *src,
    const char *trigger, const char *key, const char *file_name,
    char run_id[40], const char **message)
{
	struct stat	st;
	char		path[4096];

	*message = NULL;
	if (sync_file_path(r->w->cfg->data_dir, r->id.tenant_id, key, path,
	    sizeof(path)) == -1 || stat(path, &st) == -1)
		return 404;
	if (src->paused || src->running)
		return refuse_busy(r, src->paused, message);
	return record(r, src->id, trigger, file_name, key, (long long)st.st_size,
	    run_id, message);
}

int
sync_run_retry(struct request *r, const char *id, char run_id[40],
    const char **message)
{
	const char	*v[1] = { id };
	struct source_row row;
	struct db_error	 err;
	PGresult	*res;
	char		 source[40], key[80], name[256];
	long long	 bytes;
	int		 rc;

	*message = NULL;
	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &previous_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	snprintf(source, sizeof(source), "%s", db_value(res, 0, 0));
	snprintf(key, sizeof(key), "%s", db_value(res, 0, 1));
	snprintf(name, sizeof(name), "%s", db_value(res, 0, 2));
	bytes = atoll(db_value(res, 0, 3));
	PQclear(res);
	if ((rc = source_load(r, source, &row)) != 0)
		return rc;
	/* A run whose file came from the source's address (or whose file
	 * is gone) is done again by fetching the address anew. */
	if (*key == '\0') {
		rc = fetch_source_url(row.config) != NULL ||
		    !row.type->file_based ? sync_run_start(r, &row, "manual",
		    NULL, run_id, message) : 404;
		source_row_clear(&row);
		return rc;
	}
	if (row.running || row.paused) {
		rc = refuse_busy(r, row.paused, message);
		source_row_clear(&row);
		return rc;
	}
	source_row_clear(&row);
	return record(r, source, "manual", name, key, bytes, run_id, message);
}

/* The run's totals agree when the file's and the table's are equal. */
static void
decorate(json_t *run)
{
	json_t	*f = json_object_get(run, "file_totals");
	json_t	*l = json_object_get(run, "loaded_totals");

	if (json_is_object(f) && json_is_object(l))
		json_object_set_new(run, "totals_match",
		    json_boolean(json_equal(f, l)));
}

json_t *
sync_run_get(struct request *r, const char *id, int *status)
{
	json_t	*o;

	if ((o = query_one(r, &get_stmt, id, status)) != NULL)
		decorate(o);
	return o;
}

json_t *
sync_run_list(struct request *r, const char *source_id,
    const struct api_page *pg, long *total, int *status)
{
	const char	*v[1] = { source_id };
	json_t		*list, *o;
	size_t		 i;

	if ((list = query_page(r, &count_stmt, &list_stmt, 1, v, pg, total,
	    status)) != NULL)
		json_array_foreach(list, i, o)
			decorate(o);
	return list;
}

json_t *
sync_run_rejects(struct request *r, const char *id, int limit, int *status)
{
	char		 n[16];
	const char	*v[2] = { id, n };
	struct db_error	 err;
	PGresult	*res;
	json_t		*list;

	snprintf(n, sizeof(n), "%d", limit);
	if ((res = db_exec(r->w->db, &rejects_stmt, 2, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = db_json(res, 0, 0);
	PQclear(res);
	return list != NULL ? list : json_array();
}

int
sync_run_cancel(struct request *r, const char *id)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &cancel_stmt, 1, v, &err)) == NULL)
		return err.status;
	rc = PQntuples(res) == 1 ? 0 : -1;
	PQclear(res);
	if (rc == 0)
		return activity_record(r, "sync.cancelled",
		    "Synchronisation annulée", NULL, "sync_run", id);
	if ((res = db_exec(r->w->db, &exists_stmt, 1, v, &err)) == NULL)
		return err.status;
	rc = PQntuples(res) == 1 ? 409 : 404;
	PQclear(res);
	return rc;
}
