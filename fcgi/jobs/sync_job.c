#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connectors/connector.h"
#include "connectors/fetch.h"
#include "crypto.h"
#include "log.h"
#include "sync_file.h"
#include "sync_job.h"
#include "sync_live.h"
#include "sync_load.h"
#include "sync_run.h"

/* ---- statements ---------------------------------------------------------- */

static const struct db_stmt start_stmt = { "sync_job_start",
	"UPDATE sync_runs r SET started_at = coalesce(r.started_at, now()),"
	" heartbeat_at = now(), attempts = r.attempts + 1"
	" FROM sources s WHERE r.id = $1::uuid AND r.status = 'en_cours'"
	" AND s.tenant_id = r.tenant_id AND s.id = r.source_id"
	" RETURNING r.source_id, coalesce(r.file_key, ''),"
	" coalesce(r.file_name, ''), r.cancel_requested_at IS NOT NULL, s.type,"
	" s.config::text, coalesce(s.secrets, ''), coalesce(s.cursor, '')" };

static const struct db_stmt finish_stmt = { "sync_job_finish",
	"UPDATE sync_runs SET status = $2::sync_status, ended_at = clock_timestamp(),"
	" heartbeat_at = now(), bytes_read = $3::bigint,"
	" rows_extracted = $4::bigint, rows_inserted = $5::bigint,"
	" rows_updated = $6::bigint, rows_unchanged = $7::bigint,"
	" rows_rejected = $8::bigint, cursor_before = nullif($9, ''),"
	" cursor_after = nullif($10, ''), dialect = $11::jsonb,"
	" file_totals = $12::jsonb, loaded_totals = $13::jsonb,"
	" failure = $14::sync_failure, message = $15, detail = NULL"
	" WHERE id = $1::uuid AND status = 'en_cours'"
	" AND cancel_requested_at IS NULL RETURNING id" };

/* A run of a source that fetches its file: what was fetched, for the
 * screens (the name is the address's last segment, never its query). */
static const struct db_stmt fetched_stmt = { "sync_job_fetched",
	"UPDATE sync_runs SET file_name = left($2, 255), file_bytes = $3::bigint"
	" WHERE id = $1::uuid AND status = 'en_cours'" };

/* ---- the job's state ------------------------------------------------------ */


/* ---- the sink --------------------------------------------------------------- */

static int
on_record(void *ctx, const struct canon_record *r)
{
	struct sync_job	*j = ctx;

	j->extracted++;
	if (sync_load_put(&j->load, r, &j->err) == -1) {
		j->load_failed = 1;
		return 1;
	}
	return (j->extracted & 1023) == 0 ? sync_tick(j, 0) : 0;
}

static int
on_progress(void *ctx, size_t bytes)
{
	struct sync_job	*j = ctx;

	j->bytes = bytes;
	return sync_tick(j, 0);
}

/* ---- the run ------------------------------------------------------------------ */

/* The source's configuration with its secrets opened into it, for the
 * connector only. */
static json_t *
open_config(struct sync_job *j, const char *config, const char *sealed)
{
	unsigned char	 key[SECRET_KEY_LEN];
	json_error_t	 jerr;
	json_t		*c, *s;
	buf		 plain;

	if ((c = json_loads(config, 0, &jerr)) == NULL)
		return NULL;
	if (*sealed == '\0')
		return c;
	buf_init(&plain);
	if (secret_load_key(j->c->cfg->secret_key_file, key) == -1 ||
	    secret_open(key, sealed, &plain) == -1 ||
	    (s = json_loads(buf_cstr(&plain), 0, &jerr)) == NULL) {
		sodium_memzero(plain.data, plain.len);
		buf_free(&plain);
		json_decref(c);
		return NULL;
	}
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	json_object_update(c, s);
	json_decref(s);
	return c;
}

/* Mark the run started and read what it needs; 1 when there is a run to
 * do, 0 when not (cancelled first, unknown), -1 on a database error. */
static int
start(struct sync_job *j, int *cancel_first, struct db_error *err)
{
	const char	*v[1] = { j->run_id };
	PGresult	*res;

	if ((res = sync_control(j, &start_stmt, 1, v, err)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	snprintf(j->source_id, sizeof(j->source_id), "%s", db_value(res, 0, 0));
	snprintf(j->file_key, sizeof(j->file_key), "%s", db_value(res, 0, 1));
	snprintf(j->file_name, sizeof(j->file_name), "%s", db_value(res, 0, 2));
	*cancel_first = strcmp(db_value(res, 0, 3), "t") == 0;
	j->type = connector_find(db_value(res, 0, 4));
	j->config = open_config(j, db_value(res, 0, 5), db_value(res, 0, 6));
	snprintf(j->cursor_before, sizeof(j->cursor_before), "%s",
	    db_value(res, 0, 7));
	PQclear(res);
	return 1;
}

static const char *
key_space(struct sync_job *j, char *out, size_t len)
{
	if (j->type->key_space != NULL)
		return j->type->key_space;
	snprintf(out, len, "csv_%s", j->source_id);
	return out;
}

/* The header that carried the source key, for duplicate rows. */
static const char *
key_header(json_t *dialect)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(json_object_get(dialect, "columns"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "column")),
		    "source_key") == 0)
			return json_string_value(json_object_get(c, "header"));
	return "source_key";
}

static const char *
status_message(char *b, size_t n, const struct sync_counts *k,
    long long rejected)
{
	snprintf(b, n, "%lld nouvelle(s) ligne(s), %lld mise(s) à jour, %lld "
	    "inchangée(s)%s", k->inserted, k->updated, k->unchanged,
	    rejected > 0 ? " ; des lignes ont été rejetées : voir le détail." :
	    ".");
	return b;
}

/* Everything the run counted, committed with the rows. */
static int
record_end(struct sync_job *j, const struct sync_counts *k, json_t *dialect,
    json_t *file_totals, json_t *loaded_totals, int *gone,
    struct db_error *err)
{
	char		 b[8][24], msg[300];
	char		*d = json_dumps(dialect, JSON_COMPACT);
	char		*ft = json_dumps(file_totals, JSON_COMPACT);
	char		*lt = json_dumps(loaded_totals, JSON_COMPACT);
	long long	 rejected = j->rejected + k->duplicates;
	const char	*cursor_after = *j->load.cursor &&
			    strcmp(j->load.cursor, j->cursor_before) > 0 ?
			    j->load.cursor : j->cursor_before;
	const char	*status = rejected == 0 ? "reussi" : k->accepted > 0 ?
			    "partiel" : "echec";
	const char	*v[15] = { j->run_id, status,
			    sync_num(b[0], 24, (long long)j->bytes),
			    sync_num(b[1], 24, j->extracted), sync_num(b[2], 24, k->inserted),
			    sync_num(b[3], 24, k->updated), sync_num(b[4], 24, k->unchanged),
			    sync_num(b[5], 24, rejected), j->cursor_before, cursor_after,
			    d, ft, lt, k->accepted > 0 ? NULL : "configuration",
			    k->accepted > 0 ? status_message(msg, sizeof(msg), k,
			    rejected) : "Aucune ligne n'a pu être chargée : "
			    "voir les lignes rejetées et leur raison." };
	PGresult	*res = NULL;
	int		 rc = -1;

	*gone = 0;
	if (d == NULL || ft == NULL || lt == NULL)
		goto out;
	if (sync_store_rejects(j, err) == -1)
		goto out;
	if ((res = db_exec(j->c->db, &finish_stmt, 15, v, err)) == NULL)
		goto out;
	*gone = PQntuples(res) == 0;	/* cancelled meanwhile */
	PQclear(res);
	if (!*gone && k->accepted > 0) {
		if (sync_advance_source(j, cursor_after, err) == -1)
			goto out;
	}
	rc = 0;
out:
	free(d);
	free(ft);
	free(lt);
	return rc;
}

static enum job_outcome
config_failure(struct sync_job *j, const struct connector_outcome *o)
{
	char	msg[800];

	if (o->line > 0 && o->column > 0)
		snprintf(msg, sizeof(msg), "Fichier refusé, rien n'a été chargé. "
		    "Ligne %zu, colonne %zu : %s", o->line, o->column, o->message);
	else if (o->line > 0)
		snprintf(msg, sizeof(msg), "Fichier refusé, rien n'a été chargé. "
		    "Ligne %zu : %s", o->line, o->message);
	else
		snprintf(msg, sizeof(msg), "Fichier refusé, rien n'a été chargé. "
		    "%s", o->message);
	json_object_set_new(o->dialect, "error", json_pack("{s:I, s:I, s:s}",
	    "line", (json_int_t)o->line, "column", (json_int_t)o->column,
	    "reason", o->message));
	return sync_failed(j, "configuration", msg, o->detail, o->dialect);
}

static enum job_outcome
load(struct sync_job *j, int fd)
{
	struct connector_sink		 sink = { j, on_record, sync_on_reject,
					    on_progress };
	struct connector_input		 in = { fd, j->file_name };
	struct connector_outcome	 o;
	struct sync_counts		 k;
	json_t				*ft = NULL, *lt = NULL;
	struct db_error			 err;
	enum job_outcome		 rc;
	char				 space[64];
	int				 gone;

	if (db_begin(j->c->db, &err) == -1 ||
	    db_set_local(j->c->db, "app.tenant_id", j->tenant, &err) == -1 ||
	    db_command(j->c->db, "SET LOCAL work_mem = '64MB'", &err) == -1 ||
	    sync_load_begin(&j->load, j->c->db, connector_table(j->type,
	    j->config), &err) == -1)
		return sync_db_failed(j, &err);
	j->loading = 1;
	connector_outcome_init(&o);
	j->type->read(j->config, &in, &sink, &o);
	if (o.result == CONN_CONFIG) {
		rc = config_failure(j, &o);
		goto out;
	}
	if (j->load_failed) {
		rc = sync_db_failed(j, &j->err);
		goto out;
	}
	if (o.result == CONN_STOPPED || j->stop) {
		rc = j->runner_stopping ? sync_transient(j, "runner stopping") :
		    sync_cancelled(j);
		goto out;
	}
	if (o.result == CONN_TRANSIENT) {
		rc = sync_transient(j, o.message);
		goto out;
	}
	j->loading = 0;
	(void)sync_tick(j, 1);
	if (sync_load_end(&j->load, &err) == -1 ||
	    sync_load_merge(&j->load, connector_platform(j->type, j->config),
	    key_space(j, space, sizeof(space)), j->source_id, j->run_id,
	    key_header(o.dialect), SYNC_KEEP_REJECTS -
	    (long long)json_array_size(j->rejects), &k, &ft, &lt, sync_wait_tick, j,
	    &err) == -1 ||
	    record_end(j, &k, o.dialect, ft, lt, &gone, &err) == -1) {
		rc = sync_db_failed(j, &err);
		goto out;
	}
	if (gone) {
		rc = sync_cancelled(j);
		goto out;
	}
	if (db_commit(j->c->db, &err) == -1) {
		rc = sync_db_failed(j, &err);
		goto out;
	}
	sync_say(j, "run %s: %lld new, %lld updated, %lld unchanged, %lld rejected",
	    j->run_id, k.inserted, k.updated, k.unchanged,
	    j->rejected + k.duplicates);
	rc = k.accepted > 0 ? JOB_SUCCEEDED : JOB_PERMANENT;
out:
	json_decref(ft);
	json_decref(lt);
	connector_outcome_clear(&o);
	return rc;
}

/* ---- a file fetched from the source's address ----------------------------- */

static int
fetch_tick(void *ctx, size_t bytes)
{
	(void)bytes;
	return sync_tick(ctx, 0);
}

static enum job_outcome
fetch_failed(struct sync_job *j, const struct connector_outcome *o)
{
	if (o->result == CONN_STOPPED || j->stop)
		return j->runner_stopping ? sync_transient(j, "runner stopping") :
		    sync_cancelled(j);
	if (o->result == CONN_CONFIG)
		return sync_failed(j, "configuration", o->message, o->detail, NULL);
	return sync_outside_retry(j, o);
}

/* Download the file into an unnamed file of the data folder, then read
 * it exactly as an upload: nothing is loaded unless all of it came. */
static enum job_outcome
fetch_and_load(struct sync_job *j)
{
	const struct config		*cfg = j->c->cfg;
	struct fetch_options		 opt = { cfg->fetch_timeout,
					    (long long)cfg->max_upload_mb * 1024 * 1024,
					    fetch_tick, j, !config_is_production(cfg), 0 };
	struct connector_outcome	 o;
	enum job_outcome		 rc;
	char				 size[24];
	const char			*v[3] = { j->run_id, j->file_name, size };
	size_t				 bytes;
	int				 fd;

	connector_outcome_init(&o);
	fetch_url_file_name(fetch_source_url(j->config), j->file_name,
	    sizeof(j->file_name));
	if ((fd = fetch_source(j->config, cfg->data_dir, &opt, &bytes,
	    &o)) == -1) {
		rc = fetch_failed(j, &o);
		connector_outcome_clear(&o);
		return rc;
	}
	connector_outcome_clear(&o);
	(void)sync_num(size, sizeof(size), (long long)bytes);
	sync_control_command(j, &fetched_stmt, 3, v);
	rc = load(j, fd);
	close(fd);
	return rc;
}

static int
uuid_like(const char *s)
{
	return s != NULL && strlen(s) == 36 &&
	    strspn(s, "0123456789abcdef-") == 36;
}

enum job_outcome
sync_job_run(struct job_ctx *c)
{
	struct sync_job		*j;
	struct db_error		 err;
	enum job_outcome	 rc;
	const char		*run_id;
	char			 path[4096];
	int			 fd, cancel_first = 0, n;

	run_id = json_string_value(json_object_get(c->job->payload, "run_id"));
	if (!uuid_like(run_id) || !uuid_like(c->job->tenant_id)) {
		snprintf(c->error, sizeof(c->error), "source_sync: bad payload");
		return JOB_PERMANENT;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return JOB_TRANSIENT;
	j->c = c;
	j->tenant = c->job->tenant_id;
	snprintf(j->run_id, sizeof(j->run_id), "%s", run_id);
	j->rejects = json_array();
	if ((n = start(j, &cancel_first, &err)) <= 0) {
		rc = n == 0 ? JOB_SUCCEEDED : sync_transient(j, err.message);
		goto out;
	}
	if (cancel_first) {
		rc = sync_cancelled(j);
		goto out;
	}
	if (j->type == NULL || j->config == NULL) {
		rc = sync_failed(j, "configuration", "La configuration de cette source "
		    "est illisible (type inconnu ou secrets impossibles à "
		    "ouvrir) : enregistrez-la de nouveau.", NULL, NULL);
		goto out;
	}
	if (!j->type->file_based && j->type->read_live != NULL) {
		rc = sync_live_run(j);
		goto out;
	}
	if (j->file_key[0] == '\0' && fetch_source_url(j->config) != NULL) {
		rc = fetch_and_load(j);
		goto out;
	}
	if (sync_file_path(c->cfg->data_dir, j->tenant, j->file_key, path,
	    sizeof(path)) == -1 || (fd = open(path, O_RDONLY)) == -1) {
		rc = sync_failed(j, "configuration", "Le fichier de cette "
		    "synchronisation n'est plus disponible : déposez-le de "
		    "nouveau.", NULL, NULL);
		goto out;
	}
	rc = load(j, fd);
	close(fd);
out:
	if (j->loading)
		sync_load_abort(&j->load);
	sync_load_free(&j->load);
	json_decref(j->config);
	json_decref(j->rejects);
	json_decref(j->notes);
	free(j);
	return rc;
}
