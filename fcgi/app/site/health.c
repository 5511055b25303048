#include <stdlib.h>

#include "api.h"
#include "health.h"
#include "page.h"
#include "worker.h"

static const struct db_stmt ping_stmt = {
	"health_ping", "SELECT 1",
};

static const struct db_stmt schema_stmt = {
	"health_schema",
	"SELECT count(*), coalesce(max(version), ''),"
	" to_char(max(applied_at) AT TIME ZONE 'Europe/Paris',"
	" 'DD/MM/YYYY HH24:MI') FROM schema_migrations",
};

/* One retry: after a database restart the first use of the old
 * connection fails although the server is back. */
static PGresult *
exec_retry(struct request *r, const struct db_stmt *s, struct db_error *e)
{
	PGresult	*res;

	if ((res = db_exec(r->w->db, s, 0, NULL, e)) == NULL &&
	    e->status == 503)
		res = db_exec(r->w->db, s, 0, NULL, e);
	if (res == NULL)
		metrics_db_error(r->w->metrics);
	return res;
}

int
health_check(struct request *r)
{
	struct db_error	 e;
	PGresult	*res;

	http_add_header(r, "Cache-Control", "no-store");
	if ((res = exec_retry(r, &ping_stmt, &e)) == NULL)
		return api_error(r, 503, "unavailable",
		    "La base de données ne répond pas.",
		    json_pack("{s:s}", "db", "down"));
	PQclear(res);
	return api_ok(r, 200, json_pack("{s:s}", "db", "ok"));
}

int
health_metrics(struct request *r)
{
	buf	out;
	int	rc;

	buf_init(&out);
	if (metrics_render(r->w->metrics, r->w->routes, r->w->nroutes,
	    &out) == -1) {
		buf_free(&out);
		return 500;
	}
	rc = http_body(r, 200, "text/plain; version=0.0.4; charset=utf-8",
	    buf_cstr(&out), out.len);
	buf_free(&out);
	return rc;
}

int
health_status_page(struct request *r)
{
	struct db_error	 e;
	PGresult	*res;
	json_t		*view;

	if ((res = exec_retry(r, &schema_stmt, &e)) == NULL)
		return e.status;
	view = json_pack("{s:s, s:s, s:s}",
	    "migrations", db_value(res, 0, 0),
	    "schema_version", db_value(res, 0, 1),
	    "migrated_at", db_value(res, 0, 2));
	PQclear(res);
	return page_render(r, 200, "status", view);
}
