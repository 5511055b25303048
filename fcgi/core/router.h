/* One table of routes: {method, pattern, handler, access}.  Matching
 * decides 404 and 405 before any handler runs. */
#ifndef FC_ROUTER_H
#define FC_ROUTER_H

#include <stddef.h>

struct request;

#define ROUTE_MAX_PARAMS	4

/* Returns 0 when the handler wrote a response, or an HTTP status for the
 * server to answer with its error page (e.g. 404, 422). */
typedef int (*route_handler)(struct request *);

/* Minimum role needed; roles are ordered by what they may do. */
enum access {
	ACCESS_PUBLIC = 0,	/* no sign-in needed */
	ACCESS_LOCAL,		/* public, but only from the local host */
	ACCESS_DRIVER,
	ACCESS_VIEWER,
	ACCESS_FINANCE,
	ACCESS_MANAGER,
	ACCESS_ADMIN,
	ACCESS_OWNER,
};

enum route_flags {
	ROUTE_NO_TX = 1 << 0,	/* runs without the request transaction */
	ROUTE_API = 1 << 1,	/* JSON answers, bearer tokens */
	ROUTE_DEV = 1 << 2,	/* only outside production */
	/* takes a platform's export: the body may reach max_upload rather
	 * than max_body (nginx has the same rule for these paths) */
	ROUTE_UPLOAD = 1 << 3,
};

struct route {
	const char	*method;
	const char	*pattern;	/* "/vehicles/:id/events" */
	route_handler	 handler;
	enum access	 access;
	int		 flags;
	/* What a handler shared by several routes serves (a resource's
	 * description); NULL for the others. */
	const void	*data;
};

struct route_match {
	const struct route	*route;
	size_t			 index;	/* in the table, for metrics */
	const char		*params[ROUTE_MAX_PARAMS];
	size_t			 param_len[ROUTE_MAX_PARAMS];
	size_t			 nparams;
	char			 allow[64];	/* for 405 */
};

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_METHOD_NOT_ALLOWED,
};

/* HEAD matches GET routes.  Parameters point into path (not copied). */
enum route_result router_match(const struct route *, size_t,
		    const char *method, const char *path, struct route_match *);
/* 0 when every pattern is well formed; otherwise -1 and the index. */
int		 router_check(const struct route *, size_t, size_t *bad);

#endif
