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

static int
ensure_table(PGconn *c, FILE *out)
{
	return command(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", out);
}

static int
is_applied(PGconn *c, const char *name, int *applied)
{
	const char	*v[1] = { name };
	PGresult	*res;

	res = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE version = $1",
	    1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	*applied = PQntuples(res) > 0;
	PQclear(res);
	return 0;
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
apply_one(PGconn *c, const char *dir, const char *name, FILE *out)
{
	char		 path[1024];
	const char	*v[1] = { name };
	PGresult	*res;
	buf		 sql;
	int		 rc = -1;

	buf_init(&sql);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_file(path, &sql) == -1) {
		fprintf(out, "migrate: cannot read %s\n", path);
		goto out;
	}
	if (command(c, "BEGIN", out) == -1)
		goto out;
	if (command(c, buf_cstr(&sql), out) == -1) {
		fprintf(out, "migrate: %s failed, nothing of it was applied\n",
		    name);
		command(c, "ROLLBACK", out);
		goto out;
	}
	res = PQexecParams(c, "INSERT INTO schema_migrations (version) VALUES ($1)",
	    1, NULL, v, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(res);
	if (rc == 0)
		rc = command(c, "COMMIT", out);
	else
		command(c, "ROLLBACK", out);
	if (rc == 0)
		fprintf(out, "applied %s\n", name);
out:
	buf_free(&sql);
	return rc;
}

int
migrate_apply(PGconn *c, const char *dir, FILE *out)
{
	struct list	l;
	size_t		i, done = 0;
	int		applied, rc = 0;

	/* One migrator at a time: two `make start` must not race. */
	if (command(c, "SET client_min_messages = warning", out) == -1 ||
	    ensure_table(c, out) == -1 || list_dir(dir, &l, out) == -1 ||
	    command(c, "SELECT pg_advisory_lock(7246001)", out) == -1)
		return -1;
	for (i = 0; i < l.n && rc == 0; i++) {
		if ((rc = is_applied(c, l.names[i], &applied)) == -1 || applied)
			continue;
		if ((rc = apply_one(c, dir, l.names[i], out)) == 0)
			done++;
	}
	command(c, "SELECT pg_advisory_unlock(7246001)", out);
	if (rc == 0)
		fprintf(out, "migrate: %zu applied, %zu in all\n", done, l.n);
	list_free(&l);
	return rc;
}

int
migrate_status(PGconn *c, const char *dir, FILE *out)
{
	struct list	l;
	size_t		i;
	int		applied;

	if (command(c, "SET client_min_messages = warning", out) == -1 ||
	    ensure_table(c, out) == -1 || list_dir(dir, &l, out) == -1)
		return -1;
	for (i = 0; i < l.n; i++) {
		if (is_applied(c, l.names[i], &applied) == -1) {
			list_free(&l);
			return -1;
		}
		fprintf(out, "%-8s %s\n", applied ? "applied" : "pending",
		    l.names[i]);
	}
	list_free(&l);
	return 0;
}
