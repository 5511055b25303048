/* The login job of a portal source (source_login.h).  Its state lives in
 * source_sessions: 'connexion' while a step runs, 'code_sms' while the
 * SMS code is awaited (until code_expires_at), 'connecte' with the
 * cookies sealed in sources.secrets, 'deconnecte' with the message of
 * what failed.  The platform is called outside any transaction; what it
 * answered is written after, only if the session is still at the step
 * this job was started for (a newer « Se connecter » wins). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/heetch_portal.h"
#include "crypto.h"
#include "log.h"
#include "queue.h"
#include "source_login.h"
#include "sync_job.h"

static const struct db_stmt load_stmt = { "source_login_load",
	"SELECT s.type, s.config::text, coalesce(s.secrets, ''),"
	" coalesce(ss.sealed, ''), ss.state::text,"
	" coalesce(ss.code_expires_at > now(), false)"
	" FROM sources s JOIN source_sessions ss ON ss.tenant_id = s.tenant_id"
	" AND ss.source_id = s.id WHERE s.id = $1::uuid AND s.archived_at IS NULL" };

/* The SMS was sent: the login's token waits sealed with its expiry. */
static const struct db_stmt awaiting_stmt = { "source_login_awaiting",
	"UPDATE source_sessions SET state = 'code_sms', sealed = $2,"
	" code_expires_at = now() + make_interval(secs => $3::int),"
	" code_tries = 0, message = $4, job_id = NULL"
	" WHERE source_id = $1::uuid AND state = 'connexion' AND job_id = $5::bigint" };

static const struct db_stmt failed_stmt = { "source_login_failed",
	"UPDATE source_sessions SET state = CASE WHEN $3::boolean"
	" THEN 'code_sms'::portal_session_state ELSE 'deconnecte' END,"
	" sealed = CASE WHEN $3::boolean THEN sealed ELSE NULL END,"
	" code_expires_at = CASE WHEN $3::boolean THEN code_expires_at END,"
	" message = left($2, 1000), job_id = NULL"
	" WHERE source_id = $1::uuid AND state = 'connexion' AND job_id = $4::bigint" };

static const struct db_stmt connected_stmt = { "source_login_connected",
	"WITH ss AS (UPDATE source_sessions SET state = 'connecte',"
	" path = 'connexion', sealed = NULL, code_expires_at = NULL,"
	" message = $3, connected_at = now(), expired_at = NULL, job_id = NULL"
	" WHERE source_id = $1::uuid AND state = 'connexion' AND job_id = $4::bigint"
	" RETURNING source_id)"
	" UPDATE sources s SET secrets = $2 FROM ss WHERE s.id = ss.source_id"
	" RETURNING s.id" };

static const struct db_stmt run_stmt = { "source_login_run",
	"INSERT INTO sync_runs (tenant_id, source_id, trigger, requested_by,"
	" cursor_before) SELECT app_tenant(), s.id, 'manual', $2::uuid, s.cursor"
	" FROM sources s WHERE s.id = $1::uuid AND s.paused_at IS NULL"
	" AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.tenant_id ="
	" s.tenant_id AND r.source_id = s.id AND r.status = 'en_cours')"
	" RETURNING id" };

static const struct db_stmt run_job_stmt = { "source_login_run_job",
	"UPDATE sync_runs SET job_id = $2::bigint WHERE id = $1::uuid" };

static const struct db_stmt activity_stmt = { "source_login_activity",
	"INSERT INTO activities (tenant_id, type, title, actor_id, subject_type,"
	" subject_id) VALUES (app_tenant(), $2, $3, $4::uuid, 'source', $1)" };

struct login {
	struct job_ctx		*c;
	const char		*tenant;
	const char		*source_id;
	const char		*user_id;	/* may be NULL */
	char			 job_id[24];
	json_t			*config;	/* with the secrets opened in */
	json_t			*secrets;
	json_t			*pending;	/* the sealed session, opened */
	unsigned char		 key[SECRET_KEY_LEN];
	struct db_error		 err;
};

static const char *
view(const json_t *o, const char *name)
{
	const char	*s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

static json_t *
open_json(struct login *l, const char *sealed)
{
	json_t	*j = NULL;
	buf	 b;

	if (*sealed == '\0')
		return json_object();
	buf_init(&b);
	if (secret_open(l->key, sealed, &b) == 0)
		j = json_loads(buf_cstr(&b), 0, NULL);
	if (b.data != NULL)
		sodium_memzero(b.data, b.len);
	buf_free(&b);
	return j;
}

/* json sealed into out (freed by the caller); -1 on failure. */
static int
seal_json(struct login *l, const json_t *j, buf *out)
{
	char	*plain = json_dumps(j, JSON_COMPACT);
	int	 rc;

	buf_init(out);
	if (plain == NULL)
		return -1;
	rc = secret_seal(l->key, plain, out);
	sodium_memzero(plain, strlen(plain));
	free(plain);
	return rc;
}

/* One statement in its own transaction under the tenant. */
static PGresult *
exec1(struct login *l, const struct db_stmt *s, int n, const char *const *v)
{
	PGresult	*res;

	if (db_begin(l->c->db, &l->err) == -1)
		return NULL;
	if (db_set_local(l->c->db, "app.tenant_id", l->tenant, &l->err) == -1 ||
	    (res = db_exec(l->c->db, s, n, v, &l->err)) == NULL) {
		db_rollback(l->c->db);
		return NULL;
	}
	if (db_commit(l->c->db, &l->err) == -1) {
		PQclear(res);
		return NULL;
	}
	return res;
}

static int
load(struct login *l, char *state, size_t size, int *code_alive)
{
	const char	*v[1] = { l->source_id };
	PGresult	*res;
	json_t		*cfg;
	const char	*k;
	json_t		*val;

	if ((res = exec1(l, &load_stmt, 1, v)) == NULL)
		return -1;
	if (PQntuples(res) != 1 || strcmp(db_value(res, 0, 0),
	    "heetch_portal") != 0) {
		PQclear(res);
		snprintf(l->c->error, sizeof(l->c->error), "source not found");
		return -1;
	}
	cfg = json_loads(db_value(res, 0, 1), 0, NULL);
	l->secrets = open_json(l, db_value(res, 0, 2));
	l->pending = open_json(l, db_value(res, 0, 3));
	snprintf(state, size, "%s", db_value(res, 0, 4));
	*code_alive = strcmp(db_value(res, 0, 5), "t") == 0;
	PQclear(res);
	if (cfg == NULL || l->secrets == NULL || l->pending == NULL) {
		json_decref(cfg);
		snprintf(l->c->error, sizeof(l->c->error), "source unreadable");
		return -1;
	}
	json_object_foreach(l->secrets, k, val)
		json_object_set(cfg, k, val);
	l->config = cfg;
	return 0;
}

static enum job_outcome
record_failure(struct login *l, const struct connector_outcome *out,
    int ask_again)
{
	const char	*v[4] = { l->source_id, out->message,
			    ask_again ? "true" : "false", l->job_id };
	PGresult	*res;

	if (out->result == CONN_TRANSIENT) {
		snprintf(l->c->error, sizeof(l->c->error), "%s", out->message);
		return JOB_TRANSIENT;
	}
	if ((res = exec1(l, &failed_stmt, 4, v)) == NULL)
		return JOB_TRANSIENT;
	PQclear(res);
	log_info("source %s: login step failed (%s)", l->source_id, out->detail);
	return JOB_SUCCEEDED;
}

static enum job_outcome
step_start(struct login *l, const struct live_env *env)
{
	struct connector_outcome	 out;
	struct heetch_login		 hl;
	struct heetch_auth		*a = calloc(1, sizeof(*a));
	enum job_outcome		 rc = JOB_TRANSIENT;
	json_t				*p;
	buf				 sealed;
	char				 secs[16], msg[200];
	const char			*v[5];
	PGresult			*res;

	if (a == NULL)
		return JOB_TRANSIENT;
	connector_outcome_init(&out);
	if (heetch_login_start(env, l->config, &hl, a, &out) != 0) {
		rc = record_failure(l, &out, 0);
		goto done;
	}
	p = json_pack("{s:s, s:s}", "device_id", hl.device_id, "token", hl.token);
	if (p == NULL || seal_json(l, p, &sealed) == -1) {
		json_decref(p);
		goto done;
	}
	json_decref(p);
	snprintf(secs, sizeof(secs), "%ld", hl.expires_in);
	snprintf(msg, sizeof(msg), "Heetch a envoyé un code par SMS au numéro "
	    "du compte : saisissez-le ici avant qu'il n'expire.");
	v[0] = l->source_id;
	v[1] = buf_cstr(&sealed);
	v[2] = secs;
	v[3] = msg;
	v[4] = l->job_id;
	if ((res = exec1(l, &awaiting_stmt, 5, v)) != NULL) {
		PQclear(res);
		rc = JOB_SUCCEEDED;
	}
	buf_free(&sealed);
done:
	sodium_memzero(&hl, sizeof(hl));
	free(a);
	connector_outcome_clear(&out);
	return rc;
}

/* Connected: the cookies into the secrets, the first run started. */
static enum job_outcome
connected(struct login *l, const struct cookiejar *jar, long long now)
{
	char		*header;
	size_t		 cap = 4001;
	buf		 sealed;
	const char	*v[4];
	PGresult	*res;
	char		 run_id[40], job[24], payload[80];
	long long	 job_id;
	enum job_outcome rc = JOB_TRANSIENT;

	if ((header = malloc(cap)) == NULL)
		return JOB_TRANSIENT;
	if (cookiejar_header(jar, now, header, cap) <= 0) {
		struct connector_outcome	out;

		free(header);
		connector_outcome_init(&out);
		connector_fail(&out, CONN_CONFIG, 0, 0, NULL, "La session ouverte "
		    "par Heetch est trop grande pour être gardée (4 000 "
		    "caractères au plus).");
		rc = record_failure(l, &out, 0);
		connector_outcome_clear(&out);
		return rc;
	}
	json_object_set_new(l->secrets, HEETCH_SESSION_FIELD, json_string(header));
	sodium_memzero(header, cap);
	free(header);
	if (seal_json(l, l->secrets, &sealed) == -1)
		return JOB_TRANSIENT;
	v[0] = l->source_id;
	v[1] = buf_cstr(&sealed);
	v[2] = "Connecté à Heetch par la connexion avec code SMS.";
	v[3] = l->job_id;
	if (db_begin(l->c->db, &l->err) == -1)
		goto out;
	if (db_set_local(l->c->db, "app.tenant_id", l->tenant, &l->err) == -1 ||
	    (res = db_exec(l->c->db, &connected_stmt, 4, v, &l->err)) == NULL)
		goto fail;
	if (PQntuples(res) != 1) {	/* a newer login took over */
		PQclear(res);
		db_rollback(l->c->db);
		rc = JOB_SUCCEEDED;
		goto out;
	}
	PQclear(res);
	v[1] = "source.connected";
	v[2] = "Source Heetch connectée";
	v[3] = l->user_id;
	if ((res = db_exec(l->c->db, &activity_stmt, 4, v, &l->err)) == NULL)
		goto fail;
	PQclear(res);
	v[1] = l->user_id;
	if ((res = db_exec(l->c->db, &run_stmt, 2, v, &l->err)) == NULL)
		goto fail;
	if (PQntuples(res) == 1) {
		snprintf(run_id, sizeof(run_id), "%s", db_value(res, 0, 0));
		PQclear(res);
		snprintf(payload, sizeof(payload), "{\"run_id\":\"%s\"}", run_id);
		if (queue_enqueue(l->c->db, SYNC_JOB_KIND, payload, l->tenant, &job_id,
		    &l->err) == -1)
			goto fail;
		snprintf(job, sizeof(job), "%lld", job_id);
		v[0] = run_id;
		v[1] = job;
		if ((res = db_exec(l->c->db, &run_job_stmt, 2, v, &l->err)) == NULL)
			goto fail;
	}
	PQclear(res);
	if (db_commit(l->c->db, &l->err) == 0)
		rc = JOB_SUCCEEDED;
	goto out;
fail:
	log_error("source %s: storing the session: %s", l->source_id,
	    l->err.message);
	db_rollback(l->c->db);
out:
	buf_free(&sealed);
	return rc;
}

static enum job_outcome
step_code(struct login *l, const struct live_env *env, int code_alive)
{
	struct connector_outcome	 out;
	struct heetch_login		 hl;
	struct heetch_auth		*a = calloc(1, sizeof(*a));
	struct cookiejar		*jar = calloc(1, sizeof(*jar));
	const char			*code = json_string_value(json_object_get(
					    l->pending, "code"));
	enum job_outcome		 rc = JOB_TRANSIENT;

	connector_outcome_init(&out);
	memset(&hl, 0, sizeof(hl));
	if (a == NULL || jar == NULL)
		goto done;
	snprintf(hl.device_id, sizeof(hl.device_id), "%s", view(l->pending,
	    "device_id"));
	snprintf(hl.token, sizeof(hl.token), "%s", view(l->pending, "token"));
	if (!code_alive || code == NULL || hl.token[0] == '\0') {
		connector_fail(&out, CONN_CONFIG, 0, 0, NULL, "Le code SMS a "
		    "expiré : relancez la connexion pour en recevoir un nouveau.");
		rc = record_failure(l, &out, 0);
		goto done;
	}
	if (heetch_login_finish(env, l->config, &hl, code, jar, a, &out) != 0)
		rc = record_failure(l, &out, a->ask_again &&
		    strcmp(a->error, "invalid_code") == 0);
	else
		rc = connected(l, jar, (long long)env->now);
done:
	sodium_memzero(&hl, sizeof(hl));
	free(a);
	if (jar != NULL) {
		sodium_memzero(jar, sizeof(*jar));
		free(jar);
	}
	connector_outcome_clear(&out);
	return rc;
}

enum job_outcome
source_login_run(struct job_ctx *c)
{
	struct login		 l;
	struct live_env		 env;
	const char		*step;
	char			 state[32];
	int			 alive = 0;
	enum job_outcome	 rc = JOB_PERMANENT;

	memset(&l, 0, sizeof(l));
	l.c = c;
	l.tenant = c->job->tenant_id;
	l.source_id = json_string_value(json_object_get(c->job->payload,
	    "source_id"));
	l.user_id = json_string_value(json_object_get(c->job->payload, "user_id"));
	step = json_string_value(json_object_get(c->job->payload, "step"));
	snprintf(l.job_id, sizeof(l.job_id), "%lld", c->job->id);
	if (l.source_id == NULL || step == NULL || *l.tenant == '\0') {
		snprintf(c->error, sizeof(c->error), "bad payload");
		return JOB_PERMANENT;
	}
	if (secret_load_key(c->cfg->secret_key_file, l.key) == -1) {
		snprintf(c->error, sizeof(c->error), "secret key unreadable");
		return JOB_PERMANENT;
	}
	if (load(&l, state, sizeof(state), &alive) == -1)
		goto done;
	/* Only the step the session is at: a job left over from an earlier
	 * « Se connecter » does nothing. */
	if (strcmp(state, "connexion") != 0) {
		rc = JOB_SUCCEEDED;
		goto done;
	}
	live_env_init(&env, c->cfg, 0);
	env.http.max_attempts = 2;
	if (strcmp(step, "start") == 0)
		rc = step_start(&l, &env);
	else if (strcmp(step, "code") == 0)
		rc = step_code(&l, &env, alive);
done:
	json_decref(l.config);
	json_decref(l.secrets);
	json_decref(l.pending);
	sodium_memzero(l.key, sizeof(l.key));
	return rc;
}
