#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "migrate.h"

#define MAX_MIGRATIONS	1000

struct list {
	char	*names[MAX_MIGRATIONS];
	size_t	 n;
};

static int
is_migration(const char *name)
{
	size_t	len = strlen(name), i;

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return 0;
	return 1;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_dir(const char *dir, struct list *l, FILE *out)
{
	DIR		*d;
	struct dirent	*e;

	l->n = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(out, "migrate: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL && l->n < MAX_MIGRATIONS)
		if (is_migration(e->d_name) &&
		    (l->names[l->n] = strdup(e->d_name)) != NULL)
			l->n++;
	closedir(d);
	qsort(l->names, l->n, sizeof(l->names[0]), cmp);
	return 0;
}

static void
list_free(struct list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	l->n = 0;
}

static int
command(PGconn *c, const char *sql, FILE *out)
{
	PGresult	*res = PQexec(c, sql);
	int		 ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
			    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(out, "migrate: %s", PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}

/* The checksum is the file's SHA-256, kept since migrations record it
 * (databases migrated before keep NULL until it is recorded). */
static int
ensure_table(PGconn *c, FILE *out)
{
	return command(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now());"
	    " ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS"
	    " checksum text", out);
}

#define CHECKSUM(param)	"encode(sha256(convert_to(" param ", 'UTF8')), 'hex')"

enum state { PENDING, APPLIED, CHANGED };

/* Whether name is applied, and if so whether its file is still the one
 * that was applied (one applied before checksums were kept counts as
 * unchanged).  -1 on a database error. */
static int
state_of(PGconn *c, const char *name, const char *sql, enum state *st)
{
	const char	*v[2] = { name, sql };
	PGresult	*res;
	int		 rc = 0;

	res = PQexecParams(c, "SELECT checksum IS NULL OR checksum = "
	    CHECKSUM("$2") " FROM schema_migrations WHERE version = $1",
	    2, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = -1;
	else if (PQntuples(res) == 0)
		*st = PENDING;
	else
		*st = PQgetvalue(res, 0, 0)[0] == 't' ? APPLIED : CHANGED;
	PQclear(res);
	return rc;
}

static int
read_file(const char *path, buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return b->oom ? -1 : 0;
}

static int
load(const char *dir, const char *name, buf *sql, FILE *out)
{
	char	path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_file(path, sql) == -1) {
		fprintf(out, "migrate: cannot read %s\n", path);
		return -1;
	}
	return 0;
}

static int
apply_one(PGconn *c, const char *name, const char *sql, FILE *out)
{
	const char	*v[2] = { name, sql };
	PGresult	*res;
	int		 rc;

	if (command(c, "BEGIN", out) == -1)
		return -1;
	if (command(c, sql, out) == -1) {
		fprintf(out, "migrate: %s failed, nothing of it was applied\n",
		    name);
		command(c, "ROLLBACK", out);
		return -1;
	}
	res = PQexecParams(c, "INSERT INTO schema_migrations (version, checksum)"
	    " VALUES ($1, " CHECKSUM("$2") ")", 2, NULL, v, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(res);
	if (rc == 0)
		rc = command(c, "COMMIT", out);
	else
		command(c, "ROLLBACK", out);
	if (rc == 0)
		fprintf(out, "applied %s\n", name);
	return rc;
}

static int
record_checksum(PGconn *c, const char *name, const char *sql, FILE *out)
{
	const char	*v[2] = { name, sql };
	PGresult	*res;
	int		 ok;

	res = PQexecParams(c, "UPDATE schema_migrations SET checksum = "
	    CHECKSUM("$2") " WHERE version = $1 AND checksum IS NULL",
	    2, NULL, v, NULL, NULL, 0);
	if (!(ok = PQresultStatus(res) == PGRES_COMMAND_OK))
		fprintf(out, "migrate: %s", PQerrorMessage(c));
	PQclear(res);
	return ok ? 0 : -1;
}

/* One migration: refused when its file changed since it was applied (the
 * database would differ from every one created since: a change goes in a
 * new file), applied when pending and apply is set; the checksum of one
 * applied before they were kept is recorded.  1 when applied, 0, -1. */
static int
visit(PGconn *c, const char *dir, const char *name, int apply, FILE *out)
{
	enum state	 st;
	buf		 sql;
	int		 rc;

	buf_init(&sql);
	if ((rc = load(dir, name, &sql, out)) == 0 &&
	    (rc = state_of(c, name, buf_cstr(&sql), &st)) == 0) {
		if (st == CHANGED) {
			fprintf(out, "migrate: %s has changed since it was"
			    " applied here; a change to the schema goes in a"
			    " new migration (nothing was applied)\n", name);
			rc = -1;
		} else if (st == PENDING && apply)
			rc = apply_one(c, name, buf_cstr(&sql), out) == 0 ? 1 : -1;
		else if (st == APPLIED && apply)
			rc = record_checksum(c, name, buf_cstr(&sql), out);
	}
	buf_free(&sql);
	return rc;
}

int
migrate_apply(PGconn *c, const char *dir, FILE *out)
{
	struct list	l;
	size_t		i, done = 0;
	int		rc;

	/* One migrator at a time: two `make start` must not race. */
	if (command(c, "SET client_min_messages = warning", out) == -1 ||
	    command(c, "SELECT pg_advisory_lock(7246001)", out) == -1 ||
	    ensure_table(c, out) == -1 || list_dir(dir, &l, out) == -1)
		return -1;
	/* Every file checked before the first is applied. */
	for (i = 0, rc = 0; i < l.n && rc == 0; i++)
		rc = visit(c, dir, l.names[i], 0, out);
	for (i = 0; i < l.n && rc >= 0; i++)
		if ((rc = visit(c, dir, l.names[i], 1, out)) == 1)
			done++;
	rc = rc < 0 ? -1 : 0;
	command(c, "SELECT pg_advisory_unlock(7246001)", out);
	if (rc == 0)
		fprintf(out, "migrate: %zu applied, %zu in all\n", done, l.n);
	list_free(&l);
	return rc;
}

int
migrate_status(PGconn *c, const char *dir, FILE *out)
{
	static const char *const words[] = { "pending", "applied", "changed" };
	struct list	 l;
	enum state	 st;
	size_t		 i;
	buf		 sql;
	int		 rc = 0;

	if (command(c, "SET client_min_messages = warning", out) == -1 ||
	    ensure_table(c, out) == -1 || list_dir(dir, &l, out) == -1)
		return -1;
	for (i = 0; i < l.n && rc == 0; i++) {
		buf_init(&sql);
		if ((rc = load(dir, l.names[i], &sql, out)) == 0 &&
		    (rc = state_of(c, l.names[i], buf_cstr(&sql), &st)) == 0)
			fprintf(out, "%-8s %s\n", words[st], l.names[i]);
		buf_free(&sql);
	}
	list_free(&l);
	return rc;
}
