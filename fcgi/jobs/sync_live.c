#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/live.h"
#include "crypto.h"
#include "log.h"
#include "sync_job.h"
#include "sync_live.h"
#include "sync_load_live.h"

/* Notes kept per kind (unknown plates…). */
#define NOTES_PER_KIND	50

static const struct db_stmt streams_stmt = { "sync_live_streams",
	"SELECT coalesce(json_object_agg(stream, cursor), '{}')::text"
	" FROM source_streams WHERE source_id = $1::uuid" };

static const struct db_stmt stream_save_stmt = { "sync_live_stream_save",
	"INSERT INTO source_streams (tenant_id, source_id, stream, cursor,"
	" run_id) VALUES (app_tenant(), $1::uuid, $2, $3, $4::uuid)"
	" ON CONFLICT (tenant_id, source_id, stream) DO UPDATE SET"
	" cursor = EXCLUDED.cursor, run_id = EXCLUDED.run_id, updated_at = now()" };

/* Written just before the checkpoint's commit, so that the row lock it
 * takes never waits on the control connection's progress.  No row: the
 * run was cancelled meanwhile, and the window goes with it. */
static const struct db_stmt counts_stmt = { "sync_live_counts",
	"UPDATE sync_runs SET rows_inserted = rows_inserted + $2::bigint,"
	" rows_updated = rows_updated + $3::bigint,"
	" rows_unchanged = rows_unchanged + $4::bigint,"
	" rows_extracted = $5::bigint, rows_rejected = $6::bigint,"
	" notes = $7::jsonb, message = left($8, 2000), heartbeat_at = now()"
	" WHERE id = $1::uuid AND status = 'en_cours'"
	" AND cancel_requested_at IS NULL RETURNING id" };

static const struct db_stmt finish_stmt = { "sync_live_finish",
	"UPDATE sync_runs SET status = $2::sync_status,"
	" ended_at = clock_timestamp(), heartbeat_at = now(),"
	" rows_extracted = $3::bigint, rows_rejected = $4::bigint,"
	" cursor_before = nullif($5, ''), cursor_after = nullif($6, ''),"
	" notes = $7::jsonb, failure = NULL, message = left($8, 2000),"
	" detail = NULL WHERE id = $1::uuid AND status = 'en_cours'"
	" AND cancel_requested_at IS NULL RETURNING id" };

static const char last_only_sql[] =
	"DELETE FROM sync_stage s USING sync_stage n WHERE n.source_key ="
	" s.source_key AND n.line > s.line";

struct live_run {
	struct sync_job			*j;
	struct live_env			 env;
	json_t				*cursors;
	enum canon_table		 table;
	int				 open;		/* transaction begun */
	int				 staging;	/* records staged */
	int				 gone;		/* cancelled meanwhile */
	char				 newest[201];	/* of every stream */
};

static int
set_err(struct db_error *err, const char *msg)
{
	memset(err, 0, sizeof(*err));
	err->status = 500;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return -1;
}

static const struct live_stream *
stream_of(const struct connector_type *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nstreams; i++)
		if (strcmp(t->streams[i].name, name) == 0)
			return &t->streams[i];
	return NULL;
}

static int
begin(struct live_run *lr, struct db_error *err)
{
	struct sync_job	*j = lr->j;

	if (db_begin(j->c->db, err) == -1)
		return -1;
	lr->open = 1;
	return db_set_local(j->c->db, "app.tenant_id", j->tenant, err);
}

static void
rollback(struct live_run *lr)
{
	if (lr->open)
		sync_end_data(lr->j);
	lr->open = lr->staging = 0;
}

/* ---- the sink ------------------------------------------------------------ */

static int
on_record(void *ctx, enum canon_table table, const struct canon_record *r)
{
	struct live_run	*lr = ctx;
	struct sync_job	*j = lr->j;

	j->extracted++;
	if (!lr->staging) {
		if ((!lr->open && begin(lr, &j->err) == -1) ||
		    sync_load_begin(&j->load, j->c->db, table, &j->err) == -1) {
			j->load_failed = 1;
			return 1;
		}
		lr->staging = j->loading = 1;
		lr->table = table;
	} else if (table != lr->table) {
		set_err(&j->err, "records of two tables between checkpoints");
		j->load_failed = 1;
		return 1;
	}
	if (sync_load_put(&j->load, r, &j->err) == -1) {
		j->load_failed = 1;
		return 1;
	}
	return (j->extracted & 1023) == 0 ? sync_tick(j, 0) : 0;
}

static int
on_reject(void *ctx, size_t line, const char *column, const char *value,
    const char *reason)
{
	struct live_run	*lr = ctx;

	return sync_on_reject(lr->j, line, column, value, reason);
}

static int
on_note(void *ctx, const char *kind, const char *value)
{
	struct live_run	*lr = ctx;
	json_t		*list = json_object_get(lr->j->notes, kind);

	if (list == NULL) {
		list = json_array();
		json_object_set_new(lr->j->notes, kind, list);
	}
	if (json_array_size(list) < NOTES_PER_KIND)
		json_array_append_new(list, json_string(value));
	return 0;
}

static const struct db_stmt secrets_stmt = { "sync_live_secrets",
	"UPDATE sources SET secrets = $2 WHERE id = $1::uuid" };

/* A renewed secret: the source's secret fields (opened into its config)
 * with this one changed, sealed and stored on the control connection, so
 * that it stays whatever the run's own transaction becomes. */
static int
on_secret(void *ctx, const char *field, const char *value)
{
	struct live_run			*lr = ctx;
	struct sync_job			*j = lr->j;
	const struct connector_field	*f;
	unsigned char			 key[SECRET_KEY_LEN];
	json_t				*secrets = json_object();
	const char			*v[2];
	char				*plain;
	size_t				 i;
	buf				 b;

	json_object_set_new(j->config, field, json_string(value));
	for (i = 0; i < j->type->nfields; i++) {
		f = &j->type->fields[i];
		if (f->type == CFIELD_SECRET &&
		    json_is_string(json_object_get(j->config, f->name)))
			json_object_set(secrets, f->name,
			    json_object_get(j->config, f->name));
	}
	plain = json_dumps(secrets, JSON_COMPACT);
	json_decref(secrets);
	buf_init(&b);
	if (plain == NULL || secret_load_key(j->c->cfg->secret_key_file,
	    key) == -1 || secret_seal(key, plain, &b) == -1) {
		sync_say(j, "run %s: a renewed secret could not be sealed",
		    j->run_id);
	} else {
		v[0] = j->source_id;
		v[1] = buf_cstr(&b);
		sync_control_command(j, &secrets_stmt, 2, v);
	}
	if (plain != NULL) {
		sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	sodium_memzero(key, sizeof(key));
	buf_free(&b);
	return 0;
}

static const char *
kept_message(char *b, size_t n, const struct sync_job *j)
{
	snprintf(b, n, "%lld nouvelle(s) ligne(s), %lld mise(s) à jour, %lld "
	    "inchangée(s) dans les périodes terminées.", j->inserted,
	    j->updated, j->unchanged);
	return b;
}

/* The window's rows merged, then its counts, rejects and cursor. */
static int
merge(struct live_run *lr, const struct live_stream *st, struct db_error *err)
{
	struct sync_job		*j = lr->j;
	struct sync_counts	 k;
	json_t			*ft = NULL, *lt = NULL;
	const char		*platform = connector_platform(j->type, j->config);
	PGresult		*res = NULL;
	int			 rc;

	j->loading = lr->staging = 0;
	if (sync_load_end(&j->load, err) == -1)
		return -1;
	/* Paging while the platform revises rows may show one twice: that
	 * is no fault of the data, the last page read is the newest. */
	if ((st->table == CANON_TRIPS || st->table == CANON_EARNINGS) &&
	    (res = sync_load_exec(j->c->db, last_only_sql, 0, NULL,
	    sync_wait_tick, j, err)) == NULL)
		return -1;
	PQclear(res);
	if (st->table == CANON_TRIPS || st->table == CANON_EARNINGS)
		rc = sync_load_merge(&j->load, platform, st->key_space,
		    j->source_id, j->run_id, "source_key", SYNC_KEEP_REJECTS,
		    &k, &ft, &lt, sync_wait_tick, j, err);
	else
		rc = sync_load_merge_live(&j->load, platform, st->key_space,
		    j->source_id, j->run_id, &k, j->notes, sync_wait_tick, j,
		    err);
	json_decref(ft);
	json_decref(lt);
	sync_load_free(&j->load);
	if (rc == -1)
		return -1;
	j->inserted += k.inserted;
	j->updated += k.updated;
	j->unchanged += k.unchanged;
	j->rejected += k.duplicates;
	return 0;
}

/* before: the run's counts before this window. */
static int
commit_window(struct live_run *lr, const char *stream, const char *cursor,
    const long long *before, struct db_error *err)
{
	struct sync_job	*j = lr->j;
	char		 b[5][24], msg[400];
	char		*notes = json_dumps(j->notes, JSON_COMPACT);
	const char	*sv[4] = { j->source_id, stream, cursor, j->run_id };
	const char	*cv[8] = { j->run_id,
			    sync_num(b[0], 24, j->inserted - before[0]),
			    sync_num(b[1], 24, j->updated - before[1]),
			    sync_num(b[2], 24, j->unchanged - before[2]),
			    sync_num(b[3], 24, j->extracted),
			    sync_num(b[4], 24, j->rejected), notes,
			    kept_message(msg, sizeof(msg), j) };
	PGresult	*res;

	if (notes == NULL)
		return set_err(err, "out of memory");
	if (sync_store_rejects(j, err) == -1 ||
	    (res = db_exec(j->c->db, &stream_save_stmt, 4, sv, err)) == NULL) {
		free(notes);
		return -1;
	}
	PQclear(res);
	res = db_exec(j->c->db, &counts_stmt, 8, cv, err);
	free(notes);
	if (res == NULL)
		return -1;
	lr->gone = PQntuples(res) == 0;
	PQclear(res);
	if (lr->gone)
		return -1;
	if (db_commit(j->c->db, err) == -1)
		return -1;
	lr->open = 0;
	return 0;
}

static int
on_checkpoint(void *ctx, const char *stream, const char *cursor)
{
	struct live_run		*lr = ctx;
	struct sync_job		*j = lr->j;
	const struct live_stream *st = stream_of(j->type, stream);
	long long		 before[3] = { j->inserted, j->updated,
				    j->unchanged };

	if (st == NULL || cursor == NULL || *cursor == '\0' ||
	    strlen(cursor) > 200) {
		set_err(&j->err, "checkpoint of an unknown stream or bad cursor");
		j->load_failed = 1;
		return 1;
	}
	if (lr->staging && st->table != lr->table) {
		set_err(&j->err, "checkpoint of another stream's records");
		j->load_failed = 1;
		return 1;
	}
	if ((!lr->open && begin(lr, &j->err) == -1) ||
	    (lr->staging && merge(lr, st, &j->err) == -1) ||
	    commit_window(lr, stream, cursor, before, &j->err) == -1) {
		/* Nothing of the window stays: neither its counts. */
		j->inserted = before[0];
		j->updated = before[1];
		j->unchanged = before[2];
		if (lr->gone)
			j->stop = 1;
		else
			j->load_failed = 1;
		return 1;
	}
	json_object_set_new(lr->cursors, stream, json_string(cursor));
	if (strcmp(cursor, lr->newest) > 0)
		snprintf(lr->newest, sizeof(lr->newest), "%s", cursor);
	return sync_tick(j, 1);
}

/* ---- the run --------------------------------------------------------------- */

static int
http_stop(void *ctx)
{
	return sync_tick(ctx, 0);
}

static json_t *
load_cursors(struct sync_job *j, struct db_error *err)
{
	const char	*v[1] = { j->source_id };
	json_error_t	 jerr;
	PGresult	*res;
	json_t		*c;

	if ((res = sync_control(j, &streams_stmt, 1, v, err)) == NULL)
		return NULL;
	c = PQntuples(res) == 1 ? json_loads(db_value(res, 0, 0), 0, &jerr) :
	    NULL;
	PQclear(res);
	if (c == NULL)
		set_err(err, "stream cursors unreadable");
	return c;
}

static const char *
end_message(char *b, size_t n, const struct sync_job *j)
{
	json_t	*plates = json_object_get(j->notes, "unknown_plates");
	size_t	 np = json_array_size(plates);

	snprintf(b, n, "%lld nouvelle(s) ligne(s), %lld mise(s) à jour, %lld "
	    "inchangée(s)%s%s", j->inserted, j->updated, j->unchanged,
	    np > 0 ? " ; immatriculations inconnues de la flotte : voir le "
	    "détail" : "", j->rejected > 0 ? " ; des lignes ont été rejetées : "
	    "voir le détail." : ".");
	return b;
}

static enum job_outcome
finish(struct live_run *lr)
{
	struct sync_job	*j = lr->j;
	struct db_error	 err;
	char		 b[2][24], msg[600];
	char		*notes = json_dumps(j->notes, JSON_COMPACT);
	const char	*v[8] = { j->run_id, j->rejected > 0 ? "partiel" :
			    "reussi", sync_num(b[0], 24, j->extracted),
			    sync_num(b[1], 24, j->rejected), j->cursor_before,
			    lr->newest, notes ? notes : "{}",
			    end_message(msg, sizeof(msg), j) };
	PGresult	*res = NULL;
	int		 gone;

	if (begin(lr, &err) == -1 || sync_store_rejects(j, &err) == -1 ||
	    (res = db_exec(j->c->db, &finish_stmt, 8, v, &err)) == NULL) {
		free(notes);
		return sync_db_failed(j, &err);
	}
	free(notes);
	gone = PQntuples(res) == 0;
	PQclear(res);
	if (gone) {
		rollback(lr);
		return sync_cancelled(j);
	}
	if ((*lr->newest && sync_advance_source(j, lr->newest, &err) == -1) ||
	    db_commit(j->c->db, &err) == -1)
		return sync_db_failed(j, &err);
	lr->open = 0;
	sync_say(j, "run %s: %lld new, %lld updated, %lld unchanged, %lld "
	    "rejected", j->run_id, j->inserted, j->updated, j->unchanged,
	    j->rejected);
	return JOB_SUCCEEDED;
}

/* How a read that did not end well ends the run; what its committed
 * windows loaded stays, and the message says so. */
static enum job_outcome
ended_badly(struct live_run *lr, const struct connector_outcome *o)
{
	struct sync_job	*j = lr->j;
	char		 msg[900];

	rollback(lr);
	if (j->load_failed)
		return sync_db_failed(j, &j->err);
	if (lr->gone || o->result == CONN_STOPPED || j->stop)
		return j->runner_stopping ? sync_transient(j, "runner stopping") :
		    sync_cancelled(j);
	if (o->result == CONN_TRANSIENT)
		return sync_outside_retry(j, o);
	if (j->inserted + j->updated + j->unchanged > 0)
		snprintf(msg, sizeof(msg), "%s Les périodes déjà terminées sont "
		    "gardées (%lld ligne(s)).", o->message,
		    j->inserted + j->updated + j->unchanged);
	else
		snprintf(msg, sizeof(msg), "%s", o->message);
	return sync_failed(j, "configuration", msg, o->detail, NULL);
}

enum job_outcome
sync_live_run(struct sync_job *j)
{
	struct live_run			 lr;
	struct live_sink		 sink = { &lr, on_record, on_reject,
					    on_checkpoint, on_note, on_secret };
	struct connector_outcome	 o;
	struct db_error			 err;
	enum job_outcome		 rc;

	memset(&lr, 0, sizeof(lr));
	lr.j = j;
	if ((j->notes = json_object()) == NULL)
		return sync_transient(j, "out of memory");
	if ((lr.cursors = load_cursors(j, &err)) == NULL)
		return sync_transient(j, err.message);
	live_env_init(&lr.env, j->c->cfg, 0);
	lr.env.streams = lr.cursors;
	lr.env.http.stop = http_stop;
	lr.env.http.ctx = j;
	connector_outcome_init(&o);
	j->type->read_live(j->config, &lr.env, &sink, &o);
	if (o.result == CONN_OK && !j->load_failed && !j->stop && !lr.gone) {
		/* Records after the last checkpoint have no cursor: the next
		 * run reads them again. */
		rollback(&lr);
		rc = finish(&lr);
	} else
		rc = ended_badly(&lr, &o);
	connector_outcome_clear(&o);
	json_decref(lr.cursors);
	return rc;
}
