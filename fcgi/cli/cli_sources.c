/* source import: one sync run of a file source, in the foreground, by the
 * very code the job runner uses (fcgi/jobs/sync_job.c), as the
 * application role with the tenant set, so that row-level security
 * applies as it does in production.  For files larger than an upload
 * may be, and for the benchmark.  Prints the run as JSON. */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "cli.h"
#include "crypto.h"
#include "jobs/runner.h"
#include "jobs/sync_file.h"
#include "jobs/sync_job.h"

static const char *
opt(int argc, char **argv, const char *name)
{
	int	i;

	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* The tenant behind a slug, as the owner (tenants are RLS-protected). */
static int
tenant_of(const struct config *cfg, const char *slug, char out[40])
{
	const char	*v[1] = { slug };
	PGconn		*c = PQconnectdb(cfg->db_owner);
	PGresult	*res;
	int		 rc = -1;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "fleetcore: cannot connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	res = PQexecParams(c, "SELECT id FROM tenants WHERE slug = $1", 1, NULL,
	    v, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		snprintf(out, 40, "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	} else
		fprintf(stderr, "fleetcore: no organisation \"%s\"\n", slug);
	PQclear(res);
	PQfinish(c);
	return rc;
}

static const struct db_stmt insert_stmt = { "cli_sync_run",
	"INSERT INTO sync_runs (tenant_id, source_id, trigger, file_name,"
	" file_key, file_bytes, cursor_before) SELECT app_tenant(), s.id,"
	" 'manual', $2, $3, $4::bigint,"
	" s.cursor FROM sources s WHERE s.id = $1::uuid AND s.archived_at IS NULL"
	" AND s.paused_at IS NULL RETURNING id" };

static const struct db_stmt show_stmt = { "cli_sync_show",
	"SELECT row_to_json(r)::text FROM (SELECT id, status, failure, message,"
	" rows_extracted, rows_inserted, rows_updated, rows_unchanged,"
	" rows_rejected, file_bytes, (extract(epoch FROM ended_at - started_at)"
	" * 1000)::bigint AS duration_ms, file_totals = loaded_totals"
	" AS totals_match FROM sync_runs WHERE id = $1::uuid) r" };

/* The run recorded for the source, inside the tenant. */
static int
new_run(struct db *db, const char *tenant, const char *source,
    const char *name, const char *key, long long bytes, char run[40])
{
	char		 size[24];
	const char	*v[4] = { source, name, key, size };
	struct db_error	 err;
	PGresult	*res;

	snprintf(size, sizeof(size), "%lld", bytes);
	if (db_begin(db, &err) == -1 ||
	    db_set_local(db, "app.tenant_id", tenant, &err) == -1 ||
	    (res = db_exec(db, &insert_stmt, 4, v, &err)) == NULL) {
		fprintf(stderr, "fleetcore: %s\n", err.message);
		db_rollback(db);
		return -1;
	}
	if (PQntuples(res) != 1) {
		fprintf(stderr, "fleetcore: no such source (or it is paused, or a "
		    "run of it is going on)\n");
		PQclear(res);
		db_rollback(db);
		return -1;
	}
	snprintf(run, 40, "%s", db_value(res, 0, 0));
	PQclear(res);
	return db_commit(db, &err);
}

static void
show(struct db *db, const char *tenant, const char *run)
{
	const char	*v[1] = { run };
	struct db_error	 err;
	PGresult	*res;

	if (db_begin(db, &err) == 0 &&
	    db_set_local(db, "app.tenant_id", tenant, &err) == 0 &&
	    (res = db_exec(db, &show_stmt, 1, v, &err)) != NULL) {
		if (PQntuples(res) == 1)
			printf("%s\n", db_value(res, 0, 0));
		PQclear(res);
	}
	db_rollback(db);
}

int
cli_source_run(const struct config *cfg, const char *tenant,
    const char *source, const char *path, const char *name, char run[40])
{
	char		 key[SYNC_FILE_KEY_LEN + 1], payload[128];
	struct job	 job;
	struct job_ctx	 c;
	struct db	*db, *control;
	json_error_t	 jerr;
	FILE		*f;
	long long	 bytes;
	enum job_outcome o;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (bytes = ftell(f)) < 0) {
		fprintf(stderr, "fleetcore: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	if (sync_file_keep_path(cfg->data_dir, tenant, path, key) == -1) {
		fprintf(stderr, "fleetcore: cannot copy %s into %s\n", path,
		    cfg->data_dir);
		return -1;
	}
	db = db_open(cfg->db);
	control = db_open(cfg->db);
	if (db == NULL || control == NULL ||
	    new_run(db, tenant, source, name, key, bytes, run) == -1) {
		db_close(db);
		db_close(control);
		return -1;
	}
	memset(&job, 0, sizeof(job));
	snprintf(job.kind, sizeof(job.kind), "%s", SYNC_JOB_KIND);
	snprintf(job.tenant_id, sizeof(job.tenant_id), "%s", tenant);
	snprintf(payload, sizeof(payload), "{\"run_id\":\"%s\"}", run);
	job.payload = json_loads(payload, 0, &jerr);
	job.attempts = job.max_attempts = 1;
	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.db = db;
	c.control = control;
	c.job = &job;
	o = sync_job_run(&c);
	db_rollback(db);
	json_decref(job.payload);
	db_close(db);
	db_close(control);
	return o == JOB_SUCCEEDED ? 0 : 1;
}

int
cli_source(int argc, char **argv, const struct config *cfg)
{
	const char	*slug = opt(argc, argv, "--tenant");
	const char	*source = opt(argc, argv, "--source");
	const char	*path = argc > 2 ? argv[argc - 1] : NULL;
	char		 tenant[40], run[40];
	struct db	*db;
	int		 rc;

	if (argc < 7 || strcmp(argv[1], "import") != 0 || !slug || !source ||
	    path == NULL || *path == '-') {
		fprintf(stderr, "usage: fleetcore source import --tenant SLUG "
		    "--source ID FILE\n");
		return 2;
	}
	if (secret_init() == -1 || tenant_of(cfg, slug, tenant) == -1)
		return 1;
	if ((rc = cli_source_run(cfg, tenant, source, path, path, run)) == -1)
		return 1;
	if ((db = db_open(cfg->db)) != NULL)
		show(db, tenant, run);
	db_close(db);
	return rc;
}
