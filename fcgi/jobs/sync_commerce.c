#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/colmap.h"
#include "log.h"
#include "sync_commerce.h"
#include "sync_commerce_sql.h"

struct commerce_run {
	struct sync_job		*j;
	char			 space[64];	/* "isavigne_<source id>" */
	char			 prefix[24];	/* "isavigne" */
	char			 file[256];	/* the file being read */
	json_t			*files;		/* each file's dialect and counts */
	json_t			*previous;	/* the last runs' dialects */
	json_t			*file_totals, *loaded_totals;
	struct sync_counts	 k;
};

/* ---- statements in the job's transaction ---------------------------------- */

static PGresult *
run_sql(struct commerce_run *m, const char *sql, int n, const char **v)
{
	return sync_load_exec(m->j->c->db, sql, n, v, sync_wait_tick, m->j,
	    &m->j->err);
}

static int
run_count(struct commerce_run *m, const char *sql, int n, const char **v,
    long long *a, long long *b)
{
	PGresult	*res;

	if ((res = run_sql(m, sql, n, v)) == NULL)
		return -1;
	*a = atoll(db_value(res, 0, 0));
	if (b != NULL)
		*b = atoll(db_value(res, 0, 1));
	PQclear(res);
	return 0;
}

/* ---- the sink ---------------------------------------------------------------- */

static int
on_begin(void *ctx, const char *stream, enum canon_table table)
{
	struct commerce_run	*m = ctx;

	(void)stream;
	/* sync_load_begin starts from zero: the last file's buffer goes. */
	sync_load_free(&m->j->load);
	if (db_command(m->j->c->db, "DROP TABLE IF EXISTS sync_stage,"
	    " sync_stage_drivers", &m->j->err) == -1 ||
	    sync_load_begin(&m->j->load, m->j->c->db, table, &m->j->err) == -1) {
		m->j->load_failed = 1;
		return 1;
	}
	m->j->loading = 1;
	return 0;
}

static int
on_record(void *ctx, const struct canon_record *r)
{
	struct commerce_run	*m = ctx;
	struct sync_job		*j = m->j;

	j->extracted++;
	if (sync_load_put(&j->load, r, &j->err) == -1) {
		j->load_failed = 1;
		return 1;
	}
	return (j->extracted & 1023) == 0 ? sync_tick(j, 0) : 0;
}

/* A rejected row names its file: lines are the file's own. */
static int
on_reject(void *ctx, size_t line, const char *column, const char *value,
    const char *reason)
{
	struct commerce_run	*m = ctx;
	char			 why[700];

	snprintf(why, sizeof(why), "%.200s : %.480s", m->file, reason);
	return sync_on_reject(m->j, line, column, value, why);
}

static int
on_progress(void *ctx, size_t bytes)
{
	struct commerce_run	*m = ctx;

	m->j->bytes = bytes;
	return sync_tick(m->j, 0);
}

/* The headers of a file as the mapping screen writes them: lower case,
 * no accents, "_" for spaces. */
static json_t *
headers_of(const json_t *dialect)
{
	json_t		*out = json_array(), *c;
	char		 norm[COLMAP_NAME_MAX], *p;
	const char	*h;
	size_t		 i, pass;
	const char	*lists[2] = { "columns", "ignored" };

	for (pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(dialect, lists[pass]), i, c) {
			h = json_is_string(c) ? json_string_value(c) :
			    json_string_value(json_object_get(c, "header"));
			if (h == NULL)
				continue;
			colmap_normalize(h, norm, sizeof(norm));
			for (p = norm; *p != '\0'; p++)
				if (*p == ' ')
					*p = '_';
			json_array_append_new(out, json_string(norm));
		}
	return out;
}

static int
has(const json_t *list, const char *s)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* The headers of a before that are not in b. */
static json_t *
missing_from(const json_t *a, const json_t *b)
{
	json_t	*out = json_array(), *v;
	size_t	 i;

	json_array_foreach(a, i, v)
		if (!has(b, json_string_value(v)))
			json_array_append(out, v);
	return out;
}

/* Against the same stream of the last run: {added, removed}, or NULL
 * when it had none or nothing changed. */
static json_t *
drift(struct commerce_run *m, const char *stream, const json_t *headers)
{
	json_t		*f, *run, *before = NULL, *added, *removed;
	const char	*name;
	size_t		 i, k;

	json_array_foreach(m->previous, k, run) {
		json_array_foreach(json_object_get(run, "files"), i, f) {
			name = json_string_value(json_object_get(f, "stream"));
			if (name != NULL && strcmp(name, stream) == 0) {
				before = json_object_get(f, "headers");
				break;
			}
		}
		if (before != NULL)
			break;
	}
	if (before == NULL)
		return NULL;
	added = missing_from(headers, before);
	removed = missing_from(before, headers);
	if (json_array_size(added) == 0 && json_array_size(removed) == 0) {
		json_decref(added);
		json_decref(removed);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "added", added, "removed", removed);
}

/* Each table's upsert and how many of $1…$4 it reads (the keys'
 * prefix only where a key is written with it). */
static const struct {
	const char	*sql;
	int		 nparams;
} merges[] = {
	[CANON_PRODUCTS] = { products_merge_sql, 4 },
	[CANON_CUSTOMERS] = { customers_merge_sql, 4 },
	[CANON_SALES] = { sales_merge_sql, 3 },
	[CANON_STOCK] = { stock_merge_sql, 3 },
};

/* The sales file's money and what was loaded of it. */
static int
sales_totals(struct commerce_run *m)
{
	const char	*v[1] = { m->space };
	PGresult	*res;

	if ((res = run_sql(m, sales_totals_sql, 1, v)) == NULL)
		return -1;
	json_decref(m->file_totals);
	json_decref(m->loaded_totals);
	m->file_totals = json_pack("{s:I, s:I}", "rows",
	    (json_int_t)atoll(db_value(res, 0, 0)), "total_cents",
	    (json_int_t)atoll(db_value(res, 0, 1)));
	m->loaded_totals = json_pack("{s:I, s:I}", "rows",
	    (json_int_t)atoll(db_value(res, 0, 2)), "total_cents",
	    (json_int_t)atoll(db_value(res, 0, 3)));
	PQclear(res);
	return 0;
}

/* What follows a table's merge. */
static int
after(struct commerce_run *m, enum canon_table table, long long *zeroed)
{
	const char	*v[2] = { m->space, m->j->run_id };
	long long	 a, b;

	*zeroed = 0;
	if (table == CANON_STOCK &&
	    run_count(m, stock_zero_sql, 2, v, zeroed, NULL) == -1)
		return -1;
	if (table == CANON_PRODUCTS || table == CANON_CUSTOMERS)
		if (run_count(m, relink_sql, 1, v, &a, &b) == -1)
			return -1;
	if (table == CANON_SALES || table == CANON_CUSTOMERS) {
		PGresult *res = run_sql(m, customers_figures_sql, 1, v);

		if (res == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}

static int
on_end(void *ctx, const char *stream, enum canon_table table,
    const char *file_name, const json_t *dialect)
{
	struct commerce_run	*m = ctx;
	struct sync_job		*j = m->j;
	const char		*dv[2] = { j->run_id, file_name };
	const char		*mv[4] = { m->space, j->source_id, j->run_id,
				    m->prefix };
	long long		 dup, ins, upd, zeroed;
	long long		 staged = j->load.records;
	json_t			*f, *headers, *d, *counts;

	j->loading = 0;
	(void)sync_tick(j, 1);
	if (sync_load_end(&j->load, &j->err) == -1 ||
	    run_count(m, dedupe_sql, 2, dv, &dup, NULL) == -1 ||
	    (table == CANON_SALES && sales_totals(m) == -1) ||
	    run_count(m, merges[table].sql, merges[table].nparams, mv, &ins,
	    &upd) == -1 ||
	    after(m, table, &zeroed) == -1 ||
	    (table == CANON_SALES && sales_totals(m) == -1)) {
		j->load_failed = 1;
		return 1;
	}
	m->k.duplicates += dup;
	m->k.accepted += staged - dup;
	m->k.inserted += ins;
	m->k.updated += upd + zeroed;
	m->k.unchanged += staged - dup - ins - upd;
	headers = headers_of(dialect);
	f = json_deep_copy(dialect);
	counts = json_pack("{s:s, s:s, s:s, s:O, s:I, s:I, s:I,"
	    " s:I, s:I}", "stream", stream, "table", canon_table(table)->name,
	    "file", file_name, "headers", headers, "rows",
	    (json_int_t)(staged - dup), "inserted", (json_int_t)ins, "updated",
	    (json_int_t)upd, "zeroed", (json_int_t)zeroed, "duplicates",
	    (json_int_t)dup);
	json_object_update(f, counts);
	json_decref(counts);
	if ((d = drift(m, stream, headers)) != NULL)
		json_object_set_new(f, "schema_drift", d);
	json_array_append_new(m->files, f);
	json_decref(headers);
	snprintf(m->file, sizeof(m->file), "%s", "");
	return 0;
}

/* ---- the run ----------------------------------------------------------------- */

static int
previous_dialect(struct commerce_run *m)
{
	const char	*v[2] = { m->j->source_id, m->j->run_id };
	PGresult	*res;
	json_error_t	 jerr;

	if ((res = run_sql(m, previous_sql, 2, v)) == NULL)
		return -1;
	m->previous = json_loads(db_value(res, 0, 0), 0, &jerr);
	PQclear(res);
	return 0;
}

static void
run_init(struct commerce_run *m, struct sync_job *j)
{
	size_t	n;

	memset(m, 0, sizeof(*m));
	m->j = j;
	n = strcspn(j->type->name, "_");
	snprintf(m->prefix, sizeof(m->prefix), "%.*s", (int)n, j->type->name);
	snprintf(m->space, sizeof(m->space), "%s_%s", m->prefix, j->source_id);
	m->files = json_array();
}

static void
run_clear(struct commerce_run *m)
{
	json_decref(m->files);
	json_decref(m->previous);
	json_decref(m->file_totals);
	json_decref(m->loaded_totals);
}

/* The file's name for messages, set as each stream begins. */
static int
begin_file(void *ctx, const char *stream, enum canon_table table)
{
	struct commerce_run	*m = ctx;

	snprintf(m->file, sizeof(m->file), "fichier %s", stream);
	return on_begin(ctx, stream, table);
}

enum job_outcome
sync_commerce_load(struct sync_job *j, int fd)
{
	struct commerce_run		 m;
	struct connector_sink		 rows = { &m, on_record, on_reject,
					    on_progress };
	struct bundle_sink		 sink = { &m, begin_file, &rows, on_end };
	struct connector_input		 in = { fd, j->file_name, NULL };
	struct connector_outcome	 o;
	struct db_error			 err;
	enum job_outcome		 rc;
	json_t				*dialect = NULL, *ft, *lt;
	int				 gone;

	run_init(&m, j);
	connector_outcome_init(&o);
	if (db_begin(j->c->db, &err) == -1 ||
	    db_set_local(j->c->db, "app.tenant_id", j->tenant, &err) == -1 ||
	    db_command(j->c->db, "SET LOCAL work_mem = '64MB'", &err) == -1 ||
	    previous_dialect(&m) == -1) {
		rc = sync_db_failed(j, j->err.status ? &j->err : &err);
		goto out;
	}
	j->type->read_bundle(j->config, &in, &sink, &o);
	if (j->load_failed) {
		rc = sync_db_failed(j, &j->err);
		goto out;
	}
	if (o.result == CONN_CONFIG) {
		rc = sync_config_failure(j, &o);
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
	dialect = json_pack("{s:O}", "files", m.files);
	ft = m.file_totals != NULL ? m.file_totals : (m.file_totals =
	    json_object());
	lt = m.loaded_totals != NULL ? m.loaded_totals : (m.loaded_totals =
	    json_object());
	if (sync_record_end(j, &m.k, dialect, ft, lt, &gone, &err) == -1) {
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
	sync_say(j, "run %s: %lld new, %lld updated, %lld unchanged, %lld"
	    " rejected", j->run_id, m.k.inserted, m.k.updated, m.k.unchanged,
	    j->rejected + m.k.duplicates);
	rc = m.k.accepted > 0 ? JOB_SUCCEEDED : JOB_PERMANENT;
out:
	json_decref(dialect);
	connector_outcome_clear(&o);
	run_clear(&m);
	return rc;
}
