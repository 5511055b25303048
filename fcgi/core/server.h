/* The FastCGI server: a supervisor that pre-forks single-threaded
 * workers on one listening socket, replaces a worker that dies, stops
 * cleanly on SIGTERM/SIGINT (requests in flight finish) and replaces
 * workers one at a time on SIGHUP (templates and locales reloaded). */
#ifndef FC_SERVER_H
#define FC_SERVER_H

#include <stddef.h>

#include "config.h"
#include "http.h"
#include "router.h"

/* What the application plugs into the platform. */
struct server_app {
	const struct route	*routes;
	size_t			 nroutes;
	/* Inside the request transaction, before the access check: sets
	 * r->id (sign-in) and the tenant settings.  Returns 0 or a status. */
	int			(*authenticate)(struct request *);
	/* After authentication, for state-changing requests: 0 or 403. */
	int			(*check_csrf)(struct request *);
	/* Adds the application's shared page keys (navigation, counts). */
	int			(*decorate)(struct request *, json_t *view);
};

/* Runs until SIGTERM/SIGINT; returns the process exit status. */
int	server_run(const struct config *, const struct server_app *);

/* Match the route: 0, or 404/405 (with Allow set) before any body is
 * read. */
int	server_route(struct request *, const struct server_app *);

/* Handle one already-parsed request (the unit of work the worker loop and
 * the tests drive).  Fills r->res. */
void	server_dispatch(struct request *, const struct server_app *);

#endif
