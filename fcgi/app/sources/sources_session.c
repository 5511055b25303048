/* The session of a portal source (sources_session.h).  Every change is
 * made in the request's transaction with the job it enqueues, so that a
 * refused request changes nothing.  The SMS code never travels in a job's
 * payload: it waits sealed in source_sessions beside the login's token. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/heetch_portal.h"
#include "identity/activity.h"
#include "jobs/queue.h"
#include "jobs/source_login.h"
#include "sources.h"
#include "sources_session.h"
#include "sync_runs.h"
#include "worker.h"

static const struct db_stmt starting_stmt = { "source_session_starting",
	"INSERT INTO source_sessions (tenant_id, source_id, state, message)"
	" VALUES (app_tenant(), $1::uuid, 'connexion', $2)"
	" ON CONFLICT (tenant_id, source_id) DO UPDATE SET state = 'connexion',"
	" sealed = NULL, code_expires_at = NULL, code_tries = 0,"
	" message = EXCLUDED.message, job_id = NULL RETURNING source_id" };

static const struct db_stmt job_stmt = { "source_session_job",
	"UPDATE source_sessions SET job_id = $2::bigint WHERE source_id = $1::uuid" };

static const struct db_stmt awaited_stmt = { "source_session_awaited",
	"SELECT state::text, coalesce(sealed, ''),"
	" coalesce(code_expires_at > now(), false) FROM source_sessions"
	" WHERE source_id = $1::uuid FOR UPDATE" };

static const struct db_stmt code_stmt = { "source_session_code",
	"UPDATE source_sessions SET state = 'connexion', sealed = $2,"
	" code_tries = code_tries + 1, message = $3 WHERE source_id = $1::uuid" };

static const struct db_stmt pasted_stmt = { "source_session_pasted",
	"INSERT INTO source_sessions (tenant_id, source_id, state, path,"
	" sealed, message, connected_at) VALUES (app_tenant(), $1::uuid,"
	" 'connecte', 'cookie', $2, $3, now())"
	" ON CONFLICT (tenant_id, source_id) DO UPDATE SET state = 'connecte',"
	" path = 'cookie', sealed = EXCLUDED.sealed, code_expires_at = NULL,"
	" message = EXCLUDED.message, connected_at = now(), expired_at = NULL,"
	" job_id = NULL" };

/* The portal source of that id, loaded into row. */
static int
portal(struct request *r, const char *id, struct source_row *row,
    const char **key)
{
	int	rc;

	if ((rc = source_load(r, id, row)) != 0)
		return rc;
	if (strcmp(row->type->name, "heetch_portal") != 0) {
		source_row_clear(row);
		*key = "sources.error.session_portal";
		return 409;
	}
	if (row->paused) {
		source_row_clear(row);
		*key = "sources.error.paused";
		return 409;
	}
	return 0;
}

static int
exec(struct request *r, const struct db_stmt *s, int n, const char *const *v)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, s, n, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

/* The login job of this step, its id on the session. */
static int
enqueue(struct request *r, const char *id, const char *step)
{
	const char	*payload, *v[2];
	struct db_error	 err;
	long long	 job;
	char		 ids[24];

	payload = arena_printf(r->arena, "{\"source_id\":\"%s\",\"step\":\"%s\","
	    "\"user_id\":\"%s\"}", id, step, r->id.user_id);
	if (payload == NULL || queue_enqueue(r->w->db, SOURCE_LOGIN_KIND,
	    payload, r->id.tenant_id, &job, &err) == -1)
		return payload ? err.status : 500;
	snprintf(ids, sizeof(ids), "%lld", job);
	v[0] = id;
	v[1] = ids;
	return exec(r, &job_stmt, 2, v);
}

int
source_session_start(struct request *r, const char *id, const char **key)
{
	struct source_row	 row;
	const char		*v[2] = { id, "Connexion à Heetch en cours : Heetch "
				    "va envoyer un code par SMS." };
	int			 rc;

	if ((rc = portal(r, id, &row, key)) != 0)
		return rc;
	source_row_clear(&row);
	if ((rc = exec(r, &starting_stmt, 2, v)) != 0 ||
	    (rc = enqueue(r, id, "start")) != 0)
		return rc;
	return activity_record(r, "source.login", "Connexion Heetch lancée",
	    NULL, "source", id);
}

/* A code as Heetch sends them: 4 to 8 digits, blanks around ignored. */
static const char *
code_of(struct request *r, const char *in)
{
	size_t	n;

	if (in == NULL)
		return NULL;
	while (*in == ' ' || *in == '\t')
		in++;
	n = strspn(in, "0123456789");
	if (n < 4 || n > 8 || in[n + strspn(in + n, " \t")] != '\0')
		return NULL;
	return arena_strndup(r->arena, in, n);
}

int
source_session_code(struct request *r, const char *id, const char *in,
    const char **key)
{
	struct source_row	 row;
	struct db_error		 err;
	PGresult		*res;
	json_t			*pending;
	const char		*code, *sealed, *v[3];
	int			 rc, alive;

	if ((rc = portal(r, id, &row, key)) != 0)
		return rc;
	source_row_clear(&row);
	if ((code = code_of(r, in)) == NULL) {
		*key = "sources.error.session_code_format";
		return 422;
	}
	v[0] = id;
	if ((res = db_exec(r->w->db, &awaited_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1 || strcmp(db_value(res, 0, 0), "code_sms") != 0) {
		PQclear(res);
		*key = "sources.error.session_no_code";
		return 409;
	}
	alive = strcmp(db_value(res, 0, 2), "t") == 0;
	pending = *db_value(res, 0, 1) ? source_open_sealed(r, db_value(res, 0,
	    1)) : NULL;
	PQclear(res);
	if (!alive) {
		json_decref(pending);
		*key = "sources.error.session_expired";
		return 409;
	}
	if (pending == NULL)
		return 500;
	json_object_set_new(pending, "code", json_string(code));
	rc = source_seal(r, pending, &sealed);
	json_decref(pending);
	if (rc != 0)
		return 500;
	v[1] = sealed;
	v[2] = "Code reçu : connexion à Heetch en cours.";
	if ((rc = exec(r, &code_stmt, 3, v)) != 0 ||
	    (rc = enqueue(r, id, "code")) != 0)
		return rc;
	return 0;
}

int
source_session_paste(struct request *r, const char *id, const char *text,
    char run_id[40], const char **key)
{
	struct source_row	 row;
	struct cookiejar	*jar;
	const char		*v[3], *message;
	char			 m[256], *header;
	size_t			 cap = 4001;
	int			 rc;

	run_id[0] = '\0';
	if ((rc = portal(r, id, &row, key)) != 0)
		return rc;
	if ((jar = calloc(1, sizeof(*jar))) == NULL ||
	    (header = malloc(cap)) == NULL) {
		free(jar);
		source_row_clear(&row);
		return 500;
	}
	rc = 0;
	if (text == NULL || heetch_session_paste(jar, text, strlen(text), m,
	    sizeof(m)) != 0 || cookiejar_header(jar, 0, header, cap) <= 0) {
		*key = "sources.error.session_bad_cookie";
		rc = 422;
	}
	sodium_memzero(jar, sizeof(*jar));
	free(jar);
	if (rc == 0)
		rc = source_set_secret(r, id, HEETCH_SESSION_FIELD, header);
	sodium_memzero(header, cap);
	free(header);
	v[0] = id;
	v[1] = NULL;
	v[2] = "Session collée depuis un navigateur.";
	if (rc == 0 && (rc = exec(r, &pasted_stmt, 3, v)) == 0 &&
	    (rc = activity_record(r, "source.session_pasted", "Session Heetch "
	    "collée depuis un navigateur", NULL, "source", id)) == 0) {
		/* The first run at once; one already running will do. */
		rc = sync_run_start(r, &row, "manual", NULL, run_id, &message);
		if (rc == 409) {
			run_id[0] = '\0';
			rc = 0;
		}
	}
	source_row_clear(&row);
	return rc;
}
