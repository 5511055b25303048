/* Sources are not a resource of the resource layer (resource/resource.h):
 * their fields are those their connector type declares (fcgi/connectors),
 * not a table's columns, and their secrets are sealed on the way in and
 * masked on the way out; pause, schedule and « mode automatique » are
 * actions with their own rules rather than field updates. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity/activity.h"
#include "connectors/fetch.h"
#include "connectors/live.h"
#include "crypto.h"
#include "sources.h"
#include "valid.h"
#include "worker.h"
#include "resource/query.h"

const char *const source_schedules[] = { "manuel", "horaire", "quotidien",
	"hebdomadaire", NULL };
const char *const source_healths[] = { "sain", "en_echec", "en_cours",
	"en_pause", "en_retard", "reconnexion", NULL };

/* A source as the API shows it, before its configuration is masked: the
 * health is derived here, in one place, for the list and the page. */
#define SOURCE_JSON \
	"SELECT row_to_json(x)::text FROM (SELECT s.id, s.type, s.name," \
	" s.config, s.schedule, to_char(s.schedule_time, 'HH24:MI')" \
	" AS schedule_time, s.schedule_weekday, s.auto_mode, s.next_sync_at," \
	" s.paused_at, s.cursor, s.last_check_at, s.last_check_ok," \
	" s.last_check_message, s.created_at, s.updated_at," \
	" CASE WHEN s.paused_at IS NOT NULL THEN 'en_pause'" \
	"  WHEN run.id IS NOT NULL THEN 'en_cours'" \
	"  WHEN ss.state = 'expiree' THEN 'reconnexion'" \
	"  WHEN last.status = 'echec' THEN 'en_echec'" \
	"  WHEN s.auto_mode AND s.schedule <> 'manuel'" \
	"   AND s.next_sync_at < now() THEN 'en_retard'" \
	"  ELSE 'sain' END AS health, run.id AS running_run_id," \
	" CASE WHEN last.id IS NOT NULL THEN json_build_object('id', last.id," \
	"  'status', last.status, 'created_at', last.created_at, 'ended_at'," \
	"  last.ended_at, 'message', last.message, 'failure', last.failure)" \
	" END AS last_run, ok.ended_at AS last_success_at," \
	" CASE WHEN ss.source_id IS NOT NULL THEN json_build_object('state'," \
	"  ss.state, 'path', ss.path, 'code_expires_at', ss.code_expires_at," \
	"  'code_alive', ss.code_expires_at > now(), 'message', ss.message," \
	"  'connected_at', ss.connected_at, 'expired_at', ss.expired_at) END" \
	" AS session, (SELECT json_agg(g.day ORDER BY g.day) FROM source_gaps g" \
	"  WHERE g.tenant_id = s.tenant_id AND g.source_id = s.id" \
	"  AND g.filled_at IS NULL) AS missing_days FROM sources s" \
	" LEFT JOIN source_sessions ss ON ss.tenant_id = s.tenant_id" \
	"  AND ss.source_id = s.id" \
	" LEFT JOIN LATERAL (SELECT r.id FROM sync_runs r WHERE r.tenant_id =" \
	"  s.tenant_id AND r.source_id = s.id AND r.status = 'en_cours'" \
	"  LIMIT 1) run ON true" \
	" LEFT JOIN LATERAL (SELECT r.id, r.status, r.created_at, r.ended_at," \
	"  r.message, r.failure FROM sync_runs r WHERE r.tenant_id =" \
	"  s.tenant_id AND r.source_id = s.id AND r.status IN ('reussi'," \
	"  'partiel', 'echec') ORDER BY r.created_at DESC LIMIT 1) last ON true" \
	" LEFT JOIN LATERAL (SELECT r.ended_at FROM sync_runs r WHERE" \
	"  r.tenant_id = s.tenant_id AND r.source_id = s.id AND r.status IN" \
	"  ('reussi', 'partiel') ORDER BY r.created_at DESC LIMIT 1) ok ON true "

static const struct db_stmt list_stmt = { "sources_list",
	SOURCE_JSON "WHERE s.archived_at IS NULL ORDER BY s.name) x" };

static const struct db_stmt get_stmt = { "sources_get",
	SOURCE_JSON "WHERE s.id = $1::uuid AND s.archived_at IS NULL) x" };

static const struct db_stmt load_stmt = { "sources_load",
	"SELECT s.id, s.name, s.type, s.config::text, s.paused_at IS NOT NULL,"
	" EXISTS (SELECT 1 FROM sync_runs r WHERE r.tenant_id = s.tenant_id"
	" AND r.source_id = s.id AND r.status = 'en_cours'), s.auto_mode"
	" FROM sources s WHERE s.id = $1::uuid AND s.archived_at IS NULL" };

static const struct db_stmt secrets_stmt = { "sources_secrets",
	"SELECT coalesce(secrets, '') FROM sources WHERE id = $1::uuid" };

static const struct db_stmt insert_stmt = { "sources_insert",
	"INSERT INTO sources (tenant_id, type, name, config, secrets, created_by)"
	" VALUES (app_tenant(), $1, $2, $3::jsonb, $4, app_user()) RETURNING id" };

static const struct db_stmt update_stmt = { "sources_update",
	"UPDATE sources SET name = $2, config = $3::jsonb, secrets = $4"
	" WHERE id = $1::uuid AND archived_at IS NULL RETURNING id" };

static const struct db_stmt mapping_stmt = { "sources_mapping",
	"UPDATE sources SET config = config || jsonb_build_object('mapping',"
	" $2::jsonb) WHERE id = $1::uuid AND archived_at IS NULL RETURNING name" };

/* A paused source expects no sync: its next one is set again from the
 * moment it resumes, not left in the past (which would read « en
 * retard » and start a run on resuming). */
static const struct db_stmt pause_stmt = { "sources_pause",
	"UPDATE sources SET paused_at = CASE WHEN $2::boolean THEN"
	" coalesce(paused_at, now()) END, paused_by = CASE WHEN $2::boolean"
	" THEN app_user() END, next_sync_at = CASE WHEN NOT $2::boolean"
	" AND auto_mode THEN source_next_sync(schedule, schedule_time,"
	" schedule_weekday, now()) END WHERE id = $1::uuid AND archived_at"
	" IS NULL AND (paused_at IS NOT NULL) <> $2::boolean RETURNING name" };

static const struct db_stmt auto_on_stmt = { "sources_auto_on",
	"WITH s AS (UPDATE sources SET auto_mode = true, next_sync_at = CASE"
	" WHEN paused_at IS NULL THEN source_next_sync(schedule, schedule_time,"
	" schedule_weekday, now()) END"
	" WHERE id = $1::uuid AND archived_at IS NULL AND NOT auto_mode"
	" RETURNING id, name), p AS (INSERT INTO source_mode_periods"
	" (tenant_id, source_id, started_by) SELECT app_tenant(), id, app_user()"
	" FROM s) SELECT name FROM s" };

static const struct db_stmt auto_off_stmt = { "sources_auto_off",
	"WITH s AS (UPDATE sources SET auto_mode = false, next_sync_at = NULL"
	" WHERE id = $1::uuid AND archived_at IS NULL AND auto_mode"
	" RETURNING id, name), p AS (UPDATE source_mode_periods SET ended_at ="
	" now(), ended_by = app_user() WHERE source_id IN (SELECT id FROM s)"
	" AND ended_at IS NULL) SELECT name FROM s" };

static const struct db_stmt schedule_stmt = { "sources_schedule",
	"UPDATE sources SET schedule = $2::source_schedule,"
	" schedule_time = $3::time, schedule_weekday = $4::smallint,"
	" next_sync_at = CASE WHEN auto_mode AND paused_at IS NULL THEN"
	" source_next_sync("
	" $2::source_schedule, $3::time, $4::smallint, now()) END"
	" WHERE id = $1::uuid AND archived_at IS NULL RETURNING name" };

static const struct db_stmt periods_stmt = { "sources_periods",
	"SELECT coalesce(json_agg(row_to_json(x)), '[]')::text FROM (SELECT"
	" p.started_at, p.ended_at, coalesce(nullif(a.name, ''), a.email)"
	" AS started_by, coalesce(nullif(b.name, ''), b.email) AS ended_by"
	" FROM source_mode_periods p LEFT JOIN users a ON a.id = p.started_by"
	" LEFT JOIN users b ON b.id = p.ended_by WHERE p.source_id = $1::uuid"
	" ORDER BY p.started_at DESC LIMIT 20) x" };

static const struct db_stmt check_stmt = { "sources_check",
	"UPDATE sources SET last_check_at = now(), last_check_ok = $2::boolean,"
	" last_check_message = left($3, 1000) WHERE id = $1::uuid" };

/* ---- secrets ----------------------------------------------------------- */

/* Sealed text of a secrets object, in the arena; NULL for none. -1 when
 * the key file cannot be read. */
static int
seal(struct request *r, json_t *secrets, const char **out)
{
	unsigned char	 key[SECRET_KEY_LEN];
	char		*plain;
	buf		 b;
	int		 rc;

	*out = NULL;
	if (secrets == NULL || json_object_size(secrets) == 0)
		return 0;
	if (secret_load_key(r->w->cfg->secret_key_file, key) == -1)
		return -1;
	if ((plain = json_dumps(secrets, JSON_COMPACT)) == NULL)
		return -1;
	buf_init(&b);
	rc = secret_seal(key, plain, &b);
	sodium_memzero(plain, strlen(plain));
	free(plain);
	sodium_memzero(key, sizeof(key));
	if (rc == 0 && (*out = arena_strdup(r->arena, buf_cstr(&b))) == NULL)
		rc = -1;
	buf_free(&b);
	return rc;
}

/* Sealed text opened as a JSON object; NULL when it cannot be. */
static json_t *
open_sealed(struct request *r, const char *sealed)
{
	unsigned char	 key[SECRET_KEY_LEN];
	json_error_t	 jerr;
	json_t		*s = NULL;
	buf		 b;

	if (secret_load_key(r->w->cfg->secret_key_file, key) == 0) {
		buf_init(&b);
		if (secret_open(key, sealed, &b) == 0)
			s = json_loads(buf_cstr(&b), 0, &jerr);
		if (b.data != NULL)
			sodium_memzero(b.data, b.len);
		buf_free(&b);
		sodium_memzero(key, sizeof(key));
	}
	if (s != NULL && !json_is_object(s)) {
		json_decref(s);
		s = NULL;
	}
	return s;
}

/* The stored secrets of a source, opened; an empty object when none. */
static json_t *
open_secrets(struct request *r, const char *id)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	json_t		*s = NULL;

	if ((res = db_exec(r->w->db, &secrets_stmt, 1, v, &err)) == NULL)
		return NULL;
	if (PQntuples(res) == 1 && *db_value(res, 0, 0) != '\0')
		s = open_sealed(r, db_value(res, 0, 0));
	PQclear(res);
	return s != NULL ? s : json_object();
}

/* The configuration as anyone may see it: the names of the secrets that
 * are set are kept in config._secrets, their values never. */
static void
publish(json_t *source)
{
	const struct connector_type	*t;
	json_t				*config, *names, *set, *pub, *n;
	size_t				 i;

	t = connector_find(json_string_value(json_object_get(source, "type")));
	config = json_object_get(source, "config");
	if (t == NULL || !json_is_object(config))
		return;
	names = json_object_get(config, "_secrets");
	set = json_object();
	json_array_foreach(names, i, n)
		if (json_is_string(n))
			json_object_set_new(set, json_string_value(n), json_true());
	json_object_del(config, "_secrets");
	pub = connector_config_public(t, config, set);
	json_decref(set);
	json_object_set_new(source, "config", pub);
	json_object_set_new(source, "platform", json_string(
	    connector_platform(t, pub)));
	json_object_set_new(source, "table", json_string(canon_table(
	    connector_table(t, pub))->name));
	json_object_set_new(source, "file_based", json_boolean(t->file_based));
}

/* ---- reading ------------------------------------------------------------ */

json_t *
source_list(struct request *r, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*list, *o;
	int		 i;

	if ((res = db_exec(r->w->db, &list_stmt, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((o = db_json(res, i, 0)) != NULL) {
			publish(o);
			json_array_append_new(list, o);
		}
	PQclear(res);
	return list;
}

json_t *
source_get(struct request *r, const char *id, int *status)
{
	json_t	*o;

	if ((o = query_one(r, &get_stmt, id, status)) != NULL)
		publish(o);
	return o;
}

int
source_load(struct request *r, const char *id, struct source_row *row)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	json_error_t	 jerr;
	PGresult	*res;

	memset(row, 0, sizeof(*row));
	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &load_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	snprintf(row->id, sizeof(row->id), "%s", db_value(res, 0, 0));
	snprintf(row->name, sizeof(row->name), "%s", db_value(res, 0, 1));
	row->type = connector_find(db_value(res, 0, 2));
	row->config = json_loads(db_value(res, 0, 3), 0, &jerr);
	row->paused = strcmp(db_value(res, 0, 4), "t") == 0;
	row->running = strcmp(db_value(res, 0, 5), "t") == 0;
	row->auto_mode = strcmp(db_value(res, 0, 6), "t") == 0;
	PQclear(res);
	if (row->type == NULL || row->config == NULL) {
		source_row_clear(row);
		return 500;
	}
	return 0;
}

void
source_row_clear(struct source_row *row)
{
	json_decref(row->config);
	row->config = NULL;
}

/* ---- writing ------------------------------------------------------------ */

static const struct valid_field name_field = {
	"name", V_TEXT, 1, 1, 100, NULL, NULL,
};

json_t *
source_input(struct request *r, const struct connector_type *t,
    json_t *values, const struct source_row *current, json_t **errors)
{
	json_t		*config, *secrets = NULL, *stored_secrets = NULL;
	json_t		*fields_errors, *name = NULL, *out, *names;
	const char	*nv, *key;
	char		 msg[128];
	struct valid_error err;
	json_t		*v;

	*errors = json_object();
	nv = json_string_value(json_object_get(values, "name"));
	if (nv == NULL && current != NULL)
		nv = current->name;
	if (nv == NULL)
		valid_fail(r, *errors, "name", "valid.required");
	else if (valid_value(&name_field, nv, &name, &err) == -1)
		json_object_set_new(*errors, "name",
		    json_string(valid_text(r, &err, msg, sizeof(msg))));
	if (current != NULL)
		stored_secrets = open_secrets(r, current->id);
	config = connector_config_input(t, values, current ? current->config :
	    NULL, stored_secrets, &secrets, &fields_errors);
	json_decref(stored_secrets);
	json_object_foreach(fields_errors, key, v)
		valid_fail(r, *errors, key, json_string_value(v));
	json_decref(fields_errors);
	/* What the configuration keeps beyond the form: the mapping. */
	if (current != NULL && json_object_get(current->config, "mapping"))
		json_object_set(config, "mapping", json_object_get(
		    current->config, "mapping"));
	names = json_array();
	json_object_foreach(secrets, key, v)
		json_array_append_new(names, json_string(key));
	if (json_array_size(names) > 0)
		json_object_set(config, "_secrets", names);
	json_decref(names);
	out = json_pack("{s:o, s:o, s:o}", "name", name ? name : json_null(),
	    "config", config, "secrets", secrets ? secrets : json_object());
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return out;
}

/* A duplicate name answers on the name field. */
static int
store_failed(const struct request *r, const struct db_error *err,
    json_t **errors)
{
	if (err->status == 409)
		*errors = valid_one_error(r, "name", "valid.sources.name_taken");
	return err->status;
}

static int
params(struct request *r, json_t *input, const char **name,
    const char **config, const char **sealed)
{
	char	*c;

	*name = json_string_value(json_object_get(input, "name"));
	if ((c = json_dumps(json_object_get(input, "config"), JSON_COMPACT)) ==
	    NULL)
		return 500;
	*config = arena_strdup(r->arena, c);
	free(c);
	if (seal(r, json_object_get(input, "secrets"), sealed) == -1)
		return 500;
	return *config ? 0 : 500;
}

int
source_insert(struct request *r, const struct connector_type *t,
    json_t *input, char id[40], json_t **errors)
{
	const char	*v[4] = { t->name, NULL, NULL, NULL };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	*errors = NULL;
	if ((rc = params(r, input, &v[1], &v[2], &v[3])) != 0)
		return rc;
	if ((res = db_exec(r->w->db, &insert_stmt, 4, v, &err)) == NULL)
		return store_failed(r, &err, errors);
	snprintf(id, 40, "%s", db_value(res, 0, 0));
	PQclear(res);
	return activity_record(r, "source.created", arena_printf(r->arena,
	    "Source de données ajoutée : %s", v[1]), NULL, "source", id);
}

int
source_update(struct request *r, const struct source_row *row, json_t *input,
    json_t **errors)
{
	const char	*v[4] = { row->id, NULL, NULL, NULL };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	*errors = NULL;
	if ((rc = params(r, input, &v[1], &v[2], &v[3])) != 0)
		return rc;
	if ((res = db_exec(r->w->db, &update_stmt, 4, v, &err)) == NULL)
		return store_failed(r, &err, errors);
	rc = PQntuples(res) == 1 ? 0 : 404;
	PQclear(res);
	if (rc != 0)
		return rc;
	return activity_record(r, "source.updated", arena_printf(r->arena,
	    "Source de données modifiée : %s", v[1]), NULL, "source", row->id);
}

/* Run a statement returning the source's name, and record an activity
 * when a row changed.  0 (also when nothing had to change) or a status. */
static int
change(struct request *r, const struct db_stmt *s, int n, const char **v,
    const char *type, const char *title)
{
	struct db_error	 err;
	PGresult	*res;
	int		 rc = 0;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 1)
		rc = activity_record(r, type, arena_printf(r->arena, "%s : %s",
		    title, db_value(res, 0, 0)), NULL, "source", v[0]);
	PQclear(res);
	return rc;
}

int
source_save_mapping(struct request *r, const struct source_row *row,
    json_t *mapping)
{
	char		*m = json_dumps(mapping, JSON_COMPACT);
	const char	*v[2] = { row->id, m ? arena_strdup(r->arena, m) : NULL };

	free(m);
	if (v[1] == NULL)
		return 500;
	return change(r, &mapping_stmt, 2, v, "source.mapping",
	    "Mapping des colonnes enregistré");
}

int
source_set_paused(struct request *r, const char *id, int paused)
{
	const char	*v[2] = { id, paused ? "true" : "false" };

	return change(r, &pause_stmt, 2, v, paused ? "source.paused" :
	    "source.resumed", paused ? "Source mise en pause" :
	    "Source reprise");
}

int
source_set_auto(struct request *r, const char *id, int on)
{
	const char	*v[1] = { id };

	return change(r, on ? &auto_on_stmt : &auto_off_stmt, 1, v,
	    on ? "source.auto_on" : "source.auto_off", on ?
	    "Mode automatique activé" : "Mode automatique désactivé");
}

static const struct valid_field schedule_fields[] = {
	{ "schedule", V_ENUM, 1, 0, 0, source_schedules, NULL },
	{ "time", V_TEXT, 0, 0, 5, NULL, NULL },
	{ "weekday", V_INT, 0, 1, 7, NULL, NULL },
};

/* "7:05" or "07:05" → "07:05"; NULL when not a time of day. */
static const char *
time_of_day(struct request *r, const char *s)
{
	int	h, m, n = 0;

	if (s == NULL || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 ||
	    s[n] != '\0' || h < 0 || h > 23 || m < 0 || m > 59)
		return NULL;
	return arena_printf(r->arena, "%02d:%02d", h, m);
}

int
source_set_schedule(struct request *r, const char *id, json_t **errors)
{
	json_t		*in = valid_input(r, schedule_fields, 3, errors);
	const char	*sched = json_string_value(json_object_get(in, "schedule"));
	const char	*t = json_string_value(json_object_get(in, "time"));
	const char	*v[4] = { id, sched, NULL, NULL };
	int		 rc;

	if (*errors == NULL)
		*errors = json_object();
	if (sched != NULL && (strcmp(sched, "quotidien") == 0 ||
	    strcmp(sched, "hebdomadaire") == 0)) {
		if ((v[2] = time_of_day(r, t)) == NULL)
			valid_fail(r, *errors, "time", "valid.sources.time");
	}
	if (sched != NULL && strcmp(sched, "hebdomadaire") == 0) {
		if (json_object_get(in, "weekday") == NULL)
			valid_fail(r, *errors, "weekday",
			    "valid.sources.weekday");
		else
			v[3] = arena_printf(r->arena, "%lld", (long long)
			    json_integer_value(json_object_get(in, "weekday")));
	}
	if (json_object_size(*errors) > 0) {
		json_decref(in);
		return 422;
	}
	json_decref(*errors);
	*errors = NULL;
	rc = change(r, &schedule_stmt, 4, v, "source.schedule",
	    "Planification modifiée");
	json_decref(in);
	return rc;
}

json_t *
source_mode_periods(struct request *r, const char *id, int *status)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	json_t		*list;

	if ((res = db_exec(r->w->db, &periods_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = db_json(res, 0, 0);
	PQclear(res);
	return list != NULL ? list : json_array();
}

int
source_record_check(struct request *r, const char *id, int ok,
    const char *message)
{
	const char	*v[3] = { id, ok ? "true" : "false", message };
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, &check_stmt, 3, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

/* ---- check and discover ---------------------------------------------------- */

json_t *
source_config_open(struct request *r, const struct source_row *row)
{
	json_t	*c = json_deep_copy(row->config), *s;

	if (c == NULL)
		return NULL;
	json_object_del(c, "_secrets");
	if (json_object_get(row->config, "_secrets") != NULL &&
	    (s = open_secrets(r, row->id)) != NULL) {
		json_object_update(c, s);
		json_decref(s);
	}
	return c;
}

int
source_upload_fd(const char *dir, const struct upload *u)
{
	char	path[4096];
	size_t	off = 0;
	ssize_t	w;
	int	fd;

	if (u->path != NULL)
		return open(u->path, O_RDONLY);
	/* Small uploads stay in memory: a file without a name holds them. */
	if (snprintf(path, sizeof(path), "%s/fc-sample-XXXXXX", dir) >=
	    (int)sizeof(path) || (fd = mkstemp(path)) == -1)
		return -1;
	unlink(path);
	while (off < u->size) {
		if ((w = write(fd, u->data + off, u->size - off)) <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return fd;
}

/* A check answers while the person waits (and a web worker with them):
 * it reads a sample of rows, so it downloads the file's first bytes only,
 * in less time than a run gets. */
#define CHECK_FETCH_SECONDS	15
#define CHECK_FETCH_BYTES	(1024 * 1024)

/* The source's file from its address, for a check: its descriptor, or -1
 * with out telling why (the check then stops there). */
static int
check_fetch(struct request *r, const json_t *config, char *name,
    size_t namelen, struct connector_outcome *out)
{
	const struct config	*cfg = r->w->cfg;
	struct fetch_options	 opt = { cfg->fetch_timeout < CHECK_FETCH_SECONDS ?
				    cfg->fetch_timeout : CHECK_FETCH_SECONDS,
				    (long long)cfg->max_upload_mb * 1024 * 1024,
				    NULL, NULL, !config_is_production(cfg),
				    CHECK_FETCH_BYTES };
	size_t			 bytes;

	fetch_url_file_name(fetch_source_url(config), name, namelen);
	return fetch_source(config, cfg->data_dir, &opt, &bytes, out);
}

int
source_check(struct request *r, const struct source_row *row,
    const struct upload *sample, struct connector_outcome *out)
{
	struct connector_input	 in = { -1, NULL, NULL };
	struct live_env		 env;
	json_t			*config;
	char			 name[256];
	int			 rc;

	connector_outcome_init(out);
	if ((config = source_config_open(r, row)) == NULL)
		return 500;
	if (!row->type->file_based) {
		live_env_init(&env, r->w->cfg, 1);
		in.live = &env;
	} else if (sample != NULL) {
		if ((in.fd = source_upload_fd(r->w->cfg->data_dir, sample)) == -1) {
			json_decref(config);
			return 500;
		}
		in.name = sample->filename;
	} else if (fetch_source_url(config) != NULL) {
		in.fd = check_fetch(r, config, name, sizeof(name), out);
		in.name = name;
	}
	if (out->result == CONN_OK)
		row->type->check(config, &in, out);
	if (in.fd >= 0)
		close(in.fd);
	json_decref(config);
	rc = source_record_check(r, row->id, out->result == CONN_OK,
	    out->message);
	if (rc == 0)
		rc = activity_record(r, out->result == CONN_OK ? "source.check_ok" :
		    "source.check_failed", arena_printf(r->arena, "%s : %s",
		    out->result == CONN_OK ? "Test de connexion réussi" :
		    "Test de connexion en échec", row->name), NULL, "source",
		    row->id);
	return rc;
}

int
source_check_id(struct request *r, const char *id,
    const struct upload *sample, struct connector_outcome *out)
{
	struct source_row	row;
	int			rc;

	if ((rc = source_load(r, id, &row)) != 0)
		return rc;
	rc = source_check(r, &row, sample, out);
	source_row_clear(&row);
	if (rc != 0)
		connector_outcome_clear(out);
	return rc;
}

json_t *
source_discover(struct request *r, const struct source_row *row,
    const char *path, struct connector_outcome *out)
{
	struct connector_input	 in = { -1, NULL, NULL };
	struct live_env		 env;
	json_t			*config, *headers;

	connector_outcome_init(out);
	if ((config = source_config_open(r, row)) == NULL)
		return NULL;
	if (!row->type->file_based) {
		live_env_init(&env, r->w->cfg, 1);
		in.live = &env;
		headers = row->type->discover(config, &in, out);
		json_decref(config);
		return headers;
	}
	if ((in.fd = open(path, O_RDONLY)) == -1) {
		json_decref(config);
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Le fichier n'est "
		    "plus disponible : déposez-le de nouveau.");
		return NULL;
	}
	headers = row->type->discover(config, &in, out);
	close(in.fd);
	json_decref(config);
	return headers;
}

/* ---- sealed values of the portal session (sources_session.c) ------------ */

static const struct db_stmt set_secrets_stmt = { "sources_set_secrets",
	"UPDATE sources SET secrets = $2 WHERE id = $1::uuid"
	" AND archived_at IS NULL RETURNING id" };

int
source_seal(struct request *r, json_t *o, const char **out)
{
	return seal(r, o, out) == 0 && *out != NULL ? 0 : -1;
}

json_t *
source_open_sealed(struct request *r, const char *sealed)
{
	return open_sealed(r, sealed);
}

int
source_set_secret(struct request *r, const char *id, const char *name,
    const char *value)
{
	json_t		*secrets = NULL;
	const char	*sealed, *v[2] = { id, NULL };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	/* Secrets that cannot be opened are never replaced by this one alone. */
	if ((res = db_exec(r->w->db, &secrets_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1)
		rc = 404;
	else if (*db_value(res, 0, 0) == '\0')
		rc = (secrets = json_object()) != NULL ? 0 : 500;
	else
		rc = (secrets = open_sealed(r, db_value(res, 0, 0))) != NULL ? 0 :
		    500;
	PQclear(res);
	if (rc != 0)
		return rc;
	json_object_set_new(secrets, name, json_string(value));
	rc = seal(r, secrets, &sealed);
	json_decref(secrets);
	if (rc != 0)
		return 500;
	v[0] = id;
	v[1] = sealed;
	if ((res = db_exec(r->w->db, &set_secrets_stmt, 2, v, &err)) == NULL)
		return err.status;
	rc = PQntuples(res) == 1 ? 0 : 404;
	PQclear(res);
	return rc;
}
