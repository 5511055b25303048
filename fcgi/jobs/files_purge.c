#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "files_purge.h"
#include "log.h"

/* A file younger than this may belong to work in progress (a preview
 * waiting for its confirmation, a run being created). */
#define ORPHAN_AGE	(24 * 60 * 60)
/* Keys per query: the array literal stays small. */
#define BATCH		200

/* Runs of the tenant (row-level security, app.tenant_id) let go of the
 * files of runs ended long ago. */
static const struct db_stmt release_stmt = { "files_purge_release",
	"UPDATE sync_runs SET file_key = NULL WHERE file_key IS NOT NULL"
	" AND status <> 'en_cours' AND ended_at < now() - make_interval("
	"days => $1::int)" };

/* A folder of kept files: their names, and which of the keys given no
 * row of the tenant refers to. */
struct folder {
	const char		*ext;
	struct db_stmt		 orphans;
};

static const struct folder sync_folder = { ".dat", { "files_purge_sync",
	"SELECT k FROM unnest($1::text[]) k WHERE NOT EXISTS (SELECT 1 FROM"
	" sync_runs r WHERE r.file_key = k)" } };

/* A document's or an attachment's file whose row never came (the
 * request's commit failed after the file was written). */
static const struct folder documents_folder = { "", { "files_purge_documents",
	"SELECT k FROM unnest($1::text[]) k WHERE NOT EXISTS (SELECT 1 FROM"
	" documents d WHERE d.storage_key = k) AND NOT EXISTS (SELECT 1 FROM"
	" event_attachments a WHERE a.storage_key = k)" } };

static enum job_outcome
failed(struct job_ctx *c, const char *what, const struct db_error *err)
{
	snprintf(c->error, sizeof(c->error), "%s: %s", what, err->message);
	return err->status == 503 ? JOB_TRANSIENT : JOB_PERMANENT;
}

static int
is_old(const char *path, time_t now)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    now - st.st_mtime > ORPHAN_AGE;
}

/* The key of "<key>.<ext>" into key (keys are [A-Za-z0-9_-]), or -1. */
static int
key_of(const char *name, const char *ext, char *key, size_t keylen)
{
	size_t	n = strlen(name), e = strlen(ext), i;

	if (n <= e || n - e >= keylen || strcmp(name + n - e, ext) != 0)
		return -1;
	for (i = 0; i < n - e; i++)
		if (strchr(FILES_KEY_ALPHABET, name[i]) == NULL)
			return -1;
	memcpy(key, name, n - e);
	key[n - e] = '\0';
	return 0;
}

/* Remove, among the old keys listed in array ("{k1,k2}"), those no row
 * refers to.  The number removed, or -1. */
static int
remove_orphans(struct job_ctx *c, const struct folder *f, const char *dir,
    const char *array, struct db_error *err)
{
	const char	*v[1] = { array };
	char		 path[4096];
	PGresult	*res;
	int		 i, n = 0;

	if ((res = db_exec(c->db, &f->orphans, 1, v, err)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		if (snprintf(path, sizeof(path), "%s/%s%s", dir,
		    db_value(res, i, 0), f->ext) < (int)sizeof(path) &&
		    unlink(path) == 0)
			n++;
	PQclear(res);
	return n;
}

/* The old files of one tenant's folder, checked by batches.  The number
 * removed, or -1. */
static int
purge_folder(struct job_ctx *c, const struct folder *f, const char *dir,
    struct db_error *err)
{
	char		 key[80], path[4096], array[BATCH * 82 + 3];
	struct dirent	*e;
	DIR		*d;
	size_t		 len = 0, batch = 0;
	time_t		 now = time(NULL);
	int		 n, removed = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	array[len++] = '{';
	while ((e = readdir(d)) != NULL && removed != -1) {
		if (key_of(e->d_name, f->ext, key, sizeof(key)) == -1 ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path) || !is_old(path, now))
			continue;
		len += (size_t)snprintf(array + len, sizeof(array) - len,
		    "%s%s", batch > 0 ? "," : "", key);
		if (++batch < BATCH)
			continue;
		memcpy(array + len, "}", 2);
		n = remove_orphans(c, f, dir, array, err);
		removed = n == -1 ? -1 : removed + n;
		len = 1;
		batch = 0;
	}
	closedir(d);
	if (removed != -1 && batch > 0) {
		memcpy(array + len, "}", 2);
		n = remove_orphans(c, f, dir, array, err);
		removed = n == -1 ? -1 : removed + n;
	}
	return removed;
}

/* A statement under the tenant in a transaction of its own. */
static int
as_tenant(struct job_ctx *c, const char *tenant, struct db_error *err)
{
	if (db_begin(c->db, err) == -1)
		return -1;
	if (db_set_local(c->db, "app.tenant_id", tenant, err) == -1) {
		db_rollback(c->db);
		return -1;
	}
	return 0;
}

/* One tenant: the runs let go first and that is committed, then the
 * files no run refers to go.  Removing a file inside the releasing
 * transaction could leave, if the commit failed, runs naming a file
 * that is gone. */
static int
purge_tenant(struct job_ctx *c, const char *tenant, struct db_error *err)
{
	char		 dir[4096], days[16];
	const char	*v[1] = { days };
	PGresult	*res;
	int		 n;

	snprintf(days, sizeof(days), "%d", FILES_KEEP_DAYS);
	if (snprintf(dir, sizeof(dir), "%s/sources/%s", c->cfg->data_dir,
	    tenant) >= (int)sizeof(dir))
		return 0;
	if (as_tenant(c, tenant, err) == -1)
		return -1;
	if ((res = db_exec(c->db, &release_stmt, 1, v, err)) == NULL) {
		db_rollback(c->db);
		return -1;
	}
	PQclear(res);
	if (db_commit(c->db, err) == -1 || as_tenant(c, tenant, err) == -1)
		return -1;
	if ((n = purge_folder(c, &sync_folder, dir, err)) == -1) {
		db_rollback(c->db);
		return -1;
	}
	return db_commit(c->db, err) == -1 ? -1 : n;
}

/* Abandoned bulk imports: no database involved. */
static int
purge_imports(const char *dir)
{
	char		 path[4096];
	struct dirent	*e;
	DIR		*d;
	time_t		 now = time(NULL);
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && snprintf(path, sizeof(path), "%s/%s",
		    dir, e->d_name) < (int)sizeof(path) && is_old(path, now) &&
		    unlink(path) == 0)
			n++;
	closedir(d);
	return n;
}

/* Calls fn for each tenant folder under data_dir/area. */
static int
each_tenant(struct job_ctx *c, const char *area, int (*fn)(struct job_ctx *,
    const char *, const char *, struct db_error *), struct db_error *err)
{
	char		 dir[4096];
	struct dirent	*e;
	DIR		*d;
	int		 n, total = 0;

	if (snprintf(dir, sizeof(dir), "%s/%s", c->cfg->data_dir, area) >=
	    (int)sizeof(dir) || (d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!files_is_uuid(e->d_name))
			continue;
		if (runner_heartbeat(c) == -1 ||
		    (n = fn(c, dir, e->d_name, err)) == -1) {
			total = -1;
			break;
		}
		total += n;
	}
	closedir(d);
	return total;
}

static int
sync_tenant(struct job_ctx *c, const char *dir, const char *tenant,
    struct db_error *err)
{
	(void)dir;
	return purge_tenant(c, tenant, err);
}

static int
import_tenant(struct job_ctx *c, const char *dir, const char *tenant,
    struct db_error *err)
{
	char	path[4096];

	(void)c;
	(void)err;
	if (snprintf(path, sizeof(path), "%s/%s", dir, tenant) >=
	    (int)sizeof(path))
		return 0;
	return purge_imports(path);
}

/* Documents and attachments: only files whose row never came. */
static int
documents_tenant(struct job_ctx *c, const char *dir, const char *tenant,
    struct db_error *err)
{
	char	path[4096];
	int	n;

	if (snprintf(path, sizeof(path), "%s/%s", dir, tenant) >=
	    (int)sizeof(path))
		return 0;
	if (as_tenant(c, tenant, err) == -1)
		return -1;
	if ((n = purge_folder(c, &documents_folder, path, err)) == -1) {
		db_rollback(c->db);
		return -1;
	}
	return db_commit(c->db, err) == -1 ? -1 : n;
}

enum job_outcome
files_purge_run(struct job_ctx *c)
{
	struct db_error	 err;
	int		 synced, documents, imported;

	memset(&err, 0, sizeof(err));
	if ((synced = each_tenant(c, "sources", sync_tenant, &err)) == -1 ||
	    (documents = each_tenant(c, "documents", documents_tenant,
	    &err)) == -1)
		return err.message[0] ? failed(c, "purge", &err) :
		    JOB_TRANSIENT;
	imported = each_tenant(c, "imports", import_tenant, &err);
	log_info("files_purge: %d sync, %d document and %d import file(s) "
	    "removed", synced, documents, imported);
	return JOB_SUCCEEDED;
}
