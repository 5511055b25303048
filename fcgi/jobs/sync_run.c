/* What every kind of sync run shares (sync_run.h): the control
 * connection, progress and cancel, rejected rows, and how a run ends. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sync_job.h"
#include "sync_run.h"

#define PROGRESS_SECONDS	1

static const struct db_stmt progress_stmt = { "sync_job_progress",
	"UPDATE sync_runs SET bytes_read = $2::bigint,"
	" rows_extracted = $3::bigint, rows_rejected = $4::bigint,"
	" heartbeat_at = now() WHERE id = $1::uuid"
	" RETURNING status <> 'en_cours' OR cancel_requested_at IS NOT NULL" };

static const struct db_stmt cancelled_stmt = { "sync_job_cancelled",
	"UPDATE sync_runs SET status = 'annule', ended_at = now(),"
	" message = coalesce(message, 'Synchronisation annulée : rien n''a été"
	" chargé.') WHERE id = $1::uuid AND status = 'en_cours'" };

static const struct db_stmt fail_stmt = { "sync_job_fail",
	"UPDATE sync_runs SET status = 'echec', ended_at = now(),"
	" failure = $2::sync_failure, message = left($3, 2000),"
	" detail = left($4, 8000), dialect = $5::jsonb,"
	" bytes_read = $6::bigint, rows_extracted = $7::bigint,"
	" rows_rejected = $8::bigint, heartbeat_at = now(),"
	" notes = coalesce($9::jsonb, notes)"
	" WHERE id = $1::uuid AND status = 'en_cours'" };

static const struct db_stmt retry_stmt = { "sync_job_retry",
	"UPDATE sync_runs SET failure = 'transient', message = left($2, 2000),"
	" detail = left($3, 8000), heartbeat_at = now()"
	" WHERE id = $1::uuid AND status = 'en_cours'" };

static const struct db_stmt rejects_stmt = { "sync_job_rejects",
	"INSERT INTO sync_rejects (tenant_id, run_id, line, column_name, value,"
	" reason) SELECT app_tenant(), $1::uuid, (r->>'line')::bigint,"
	" left(r->>'column', 200), left(r->>'value', 500),"
	" left(r->>'reason', 500) FROM json_array_elements($2::json) r" };

/* The cursor only moves forward; for a source in « mode automatique »
 * the next file is expected one period after this one. */
static const struct db_stmt cursor_stmt = { "sync_job_cursor",
	"UPDATE sources SET cursor = CASE WHEN cursor IS NULL OR cursor < $2"
	" THEN nullif($2, '') ELSE cursor END, next_sync_at = CASE WHEN"
	" auto_mode AND paused_at IS NULL THEN source_next_sync(schedule,"
	" schedule_time, schedule_weekday, now()) ELSE next_sync_at END"
	" WHERE id = $1::uuid" };

/* A statement on the control connection, in its own short transaction
 * with the job's tenant: what screens must see while the job's own
 * transaction is still open. */
PGresult *
sync_control(struct sync_job *j, const struct db_stmt *s, int n,
    const char *const *v, struct db_error *err)
{
	struct db	*db = j->c->control;
	PGresult	*res;

	if (db_begin(db, err) == -1)
		return NULL;
	if (db_set_local(db, "app.tenant_id", j->tenant, err) == -1 ||
	    (res = db_exec(db, s, n, v, err)) == NULL) {
		db_rollback(db);
		return NULL;
	}
	if (db_commit(db, err) == -1) {
		PQclear(res);
		return NULL;
	}
	return res;
}

void
sync_control_command(struct sync_job *j, const struct db_stmt *s, int n,
    const char *const *v)
{
	struct db_error	 err;
	PGresult	*res = sync_control(j, s, n, v, &err);

	if (res == NULL)
		log_error("sync run %s: %s", j->run_id, err.message);
	PQclear(res);
}

/* What the runner logs about the job: never a secret, never a value. */
void
sync_say(struct sync_job *j, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(j->c->error, sizeof(j->c->error), fmt, ap);
	va_end(ap);
}

const char *
sync_num(char *b, size_t n, long long v)
{
	snprintf(b, n, "%lld", v);
	return b;
}

/* ---- progress, cancel, heartbeat ------------------------------------------ */

/* Every second or so: heartbeat, progress for the screens, and whether
 * the run was cancelled.  Non-zero: stop. */
int
sync_tick(struct sync_job *j, int force)
{
	char		 b[24], e[24], r[24];
	const char	*v[4] = { j->run_id, sync_num(b, sizeof(b), (long long)j->bytes),
			    sync_num(e, sizeof(e), j->extracted),
			    sync_num(r, sizeof(r), j->rejected) };
	struct db_error	 err;
	PGresult	*res;
	time_t		 now = time(NULL);

	if (runner_heartbeat(j->c) == -1) {
		j->runner_stopping = 1;
		return j->stop = 1;
	}
	if (!force && now - j->last_progress < PROGRESS_SECONDS)
		return j->stop;
	j->last_progress = now;
	if ((res = sync_control(j, &progress_stmt, 4, v, &err)) == NULL) {
		log_error("sync run %s: progress: %s", j->run_id, err.message);
		return j->stop;
	}
	if (PQntuples(res) == 1 && strcmp(db_value(res, 0, 0), "t") == 0)
		j->stop = 1;
	PQclear(res);
	return j->stop;
}

int
sync_wait_tick(void *ctx)
{
	return sync_tick(ctx, 0);
}

/* Keep a value short, on a character boundary. */
static json_t *
short_string(const char *s, size_t max_chars)
{
	size_t	i = 0, chars = 0;

	while (s[i] != '\0' && chars < max_chars) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	return json_stringn(s, i);
}

int
sync_on_reject(void *ctx, size_t line, const char *column, const char *value,
    const char *reason)
{
	struct sync_job	*j = ctx;

	j->extracted++;
	j->rejected++;
	/* Counted rather than read off the array: a live run stores its
	 * rejects window by window and empties it. */
	if (j->kept++ < SYNC_KEEP_REJECTS)
		json_array_append_new(j->rejects, json_pack("{s:I, s:o, s:o, s:o}",
		    "line", (json_int_t)line, "column", short_string(column, 200),
		    "value", short_string(value, 500),
		    "reason", short_string(reason, 500)));
	return 0;
}

/* ---- outcomes -------------------------------------------------------------- */

void
sync_end_data(struct sync_job *j)
{
	if (j->loading)
		sync_load_abort(&j->load);
	j->loading = 0;
	db_rollback(j->c->db);
}

enum job_outcome
sync_cancelled(struct sync_job *j)
{
	const char	*v[1] = { j->run_id };

	sync_end_data(j);
	sync_control_command(j, &cancelled_stmt, 1, v);
	sync_say(j, "run %s cancelled", j->run_id);
	return JOB_SUCCEEDED;
}

/* The run ends in failure; nothing of it was kept. */
enum job_outcome
sync_failed(struct sync_job *j, const char *kind, const char *message,
    const char *detail, json_t *dialect)
{
	char		 b[24], e[24], r[24];
	char		*d = dialect ? json_dumps(dialect, JSON_COMPACT) : NULL;
	/* A live run's notes (live.h) say what it met before it failed. */
	char		*notes = j->notes && json_object_size(j->notes) ?
			    json_dumps(j->notes, JSON_COMPACT) : NULL;
	const char	*v[9] = { j->run_id, kind, message, detail ? detail : "",
			    d ? d : "{}", sync_num(b, sizeof(b), (long long)j->bytes),
			    sync_num(e, sizeof(e), j->extracted),
			    sync_num(r, sizeof(r), j->rejected), notes };

	sync_end_data(j);
	sync_control_command(j, &fail_stmt, 9, v);
	free(d);
	free(notes);
	sync_say(j, "run %s sync_failed (%s)", j->run_id, kind);
	return strcmp(kind, "configuration") == 0 ? JOB_PERMANENT :
	    JOB_TRANSIENT;
}

/* A database or runner problem: retried by the queue while attempts
 * remain, the run staying "en cours" with the reason. */
enum job_outcome
sync_transient(struct sync_job *j, const char *why)
{
	const struct job	*job = j->c->job;
	const char		*v[3] = { j->run_id, NULL, why };
	char			 msg[512];

	if (job->attempts >= job->max_attempts)
		return sync_failed(j, "transient", "La synchronisation a échoué "
		    "après plusieurs essais (base de données ou serveur de "
		    "tâches indisponible). Rien n'a été chargé : relancez-la.",
		    why, NULL);
	sync_end_data(j);
	snprintf(msg, sizeof(msg), j->runner_stopping ? "Interrompue par "
	    "l'arrêt du serveur de tâches : elle reprendra automatiquement "
	    "(essai %d sur %d)." : "Incident passager : nouvel essai "
	    "automatique dans quelques instants (essai %d sur %d).",
	    job->attempts, job->max_attempts);
	v[1] = msg;
	sync_control_command(j, &retry_stmt, 3, v);
	sync_say(j, "run %s: transient failure, will retry", j->run_id);
	return JOB_TRANSIENT;
}

enum job_outcome
sync_db_failed(struct sync_job *j, const struct db_error *err)
{
	if (j->stop && !j->runner_stopping)
		return sync_cancelled(j);
	/* 503: the database went away; 409: another import wrote one of
	 * these keys meanwhile.  Both pass on a later try. */
	if (j->runner_stopping || err->status == 503 || err->status == 409)
		return sync_transient(j, err->message);
	return sync_failed(j, "transient", "Erreur interne lors de l'enregistrement :"
	    " rien n'a été chargé. Relancez la synchronisation ; si l'erreur "
	    "revient, contactez le support avec l'identifiant de la "
	    "synchronisation.", err->message, NULL);
}


enum job_outcome
sync_outside_retry(struct sync_job *j, const struct connector_outcome *o)
{
	const struct job	*job = j->c->job;
	char			 msg[800];
	const char		*v[3] = { j->run_id, msg, o->detail };

	if (job->attempts >= job->max_attempts) {
		snprintf(msg, sizeof(msg), "%s Rien n'a été chargé après %d "
		    "essais : relancez la synchronisation plus tard.", o->message,
		    job->attempts);
		return sync_failed(j, "transient", msg, o->detail, NULL);
	}
	sync_end_data(j);
	snprintf(msg, sizeof(msg), "%s Nouvel essai automatique dans quelques "
	    "instants (essai %d sur %d).", o->message, job->attempts,
	    job->max_attempts);
	sync_control_command(j, &retry_stmt, 3, v);
	sync_say(j, "run %s: outside service failed, will retry", j->run_id);
	return JOB_TRANSIENT;
}

int
sync_store_rejects(struct sync_job *j, struct db_error *err)
{
	char		*rj;
	const char	*v[2] = { j->run_id, NULL };
	PGresult	*res;

	if (json_array_size(j->rejects) == 0)
		return 0;
	if ((rj = json_dumps(j->rejects, JSON_COMPACT)) == NULL) {
		memset(err, 0, sizeof(*err));
		err->status = 500;
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -1;
	}
	v[1] = rj;
	res = db_exec(j->c->db, &rejects_stmt, 2, v, err);
	free(rj);
	if (res == NULL)
		return -1;
	PQclear(res);
	json_array_clear(j->rejects);
	return 0;
}

int
sync_advance_source(struct sync_job *j, const char *cursor,
    struct db_error *err)
{
	const char	*v[2] = { j->source_id, cursor };
	PGresult	*res;

	if ((res = db_exec(j->c->db, &cursor_stmt, 2, v, err)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}
