/* From a parsed request to a response: route, transaction, identity,
 * access, handler, commit. */
#include <string.h>

#include "server.h"
#include "log.h"
#include "page.h"
#include "worker.h"

static int
is_local(const char *addr)
{
	return addr != NULL && (strcmp(addr, "127.0.0.1") == 0 ||
	    strcmp(addr, "::1") == 0);
}

static int
is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	    strcmp(m, "OPTIONS") == 0;
}

/* 0 when the identity may use the route, else 401, 403 or 404. */
static int
check_access(struct request *r, const struct route *rt)
{
	if (rt->access == ACCESS_PUBLIC)
		return 0;
	if (rt->access == ACCESS_LOCAL)
		return is_local(r->remote_addr) ? 0 : 404;
	if (r->id.user_id == NULL)
		return 401;
	if (r->id.role < rt->access)
		return 403;
	return 0;
}

int
server_route(struct request *r, const struct server_app *app)
{
	enum route_result	 rr;

	rr = router_match(app->routes, app->nroutes, r->method, r->path,
	    &r->match);
	if (rr == ROUTE_NOT_FOUND)
		return 404;
	if (rr == ROUTE_METHOD_NOT_ALLOWED) {
		http_add_header(r, "Allow", r->match.allow);
		return 405;
	}
	if ((r->match.route->flags & ROUTE_DEV) &&
	    config_is_production(r->w->cfg))
		return 404;
	if (r->match.route->flags & ROUTE_API)
		r->is_api = 1;	/* its errors are JSON too */
	return 0;
}

static int
db_status(struct request *r, const struct db_error *err)
{
	metrics_db_error(r->w->metrics);
	return err->status;
}

/* Who is asking, may they use this route, and is a state-changing form
 * really theirs (CSRF)?  0 or the status to answer. */
static int
guard(struct request *r, const struct server_app *app)
{
	const struct route	*rt = r->match.route;
	int			 rc;

	/* Health checks and the like must answer without the database. */
	int	 anonymous = (rt->flags & ROUTE_NO_TX) &&
		    rt->access <= ACCESS_LOCAL;

	if (!anonymous && app->authenticate != NULL &&
	    (rc = app->authenticate(r)) != 0)
		return rc;
	if ((rc = check_access(r, rt)) != 0)
		return rc;
	/* Bearer tokens are not sent by browsers on their own: the API
	 * needs no CSRF token. */
	if (!is_safe_method(r->method) && !(rt->flags & ROUTE_API) &&
	    app->check_csrf != NULL && (rc = app->check_csrf(r)) != 0)
		return rc;
	return 0;
}

/* Runs the handler inside the request transaction.  Its BEGIN goes with
 * the first statement (the identity's lookup), in one round trip. */
static int
run_in_transaction(struct request *r, const struct server_app *app)
{
	struct db_error	err;
	int		rc;

	db_begin_deferred(r->w->db);
	if ((rc = guard(r, app)) == 0)
		rc = r->match.route->handler(r);
	if (rc != 0 || r->res.status >= 400) {
		db_rollback(r->w->db);
		return rc;
	}
	if (db_commit(r->w->db, &err) == -1) {
		r->res.done = 0;
		return db_status(r, &err);
	}
	return 0;
}

static int
run(struct request *r, const struct server_app *app)
{
	int	rc;

	if (!(r->match.route->flags & ROUTE_NO_TX))
		return run_in_transaction(r, app);
	if ((rc = guard(r, app)) != 0)
		return rc;
	return r->match.route->handler(r);
}

void
server_dispatch(struct request *r, const struct server_app *app)
{
	int	rc;

	if (r->match.route == NULL && (rc = server_route(r, app)) != 0)
		goto answer;
	rc = run(r, app);
	if (rc == 0 && !r->res.done) {
		log_error("%s %s: handler produced no response", r->method,
		    r->path);
		rc = 500;
	}
answer:
	/* A handler may answer a 4xx itself (a form with errors); a 5xx
	 * always gets the error page. */
	if (rc != 0 && (!r->res.done || rc >= 500)) {
		r->res.done = 0;
		if (rc == 401 && !r->is_api) {
			http_redirect(r, 303, "/login");
			return;
		}
		page_error(r, rc, NULL);
	}
}
