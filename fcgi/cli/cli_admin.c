/* migrate, config, routes. */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "app.h"
#include "identity/auth.h"
#include "cli.h"
#include "migrate.h"

int
cli_migrate(int argc, char **argv, const struct config *cfg)
{
	PGconn	*c;
	int	 rc;

	c = PQconnectdb(cfg->db_owner);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "migrate: cannot connect: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "--status") == 0)
		rc = migrate_status(c, cfg->migrations, stdout);
	else
		rc = migrate_apply(c, cfg->migrations, stdout);
	PQfinish(c);
	return rc == 0 ? 0 : 1;
}

int
cli_config(int argc, char **argv, const struct config *cfg)
{
	(void)argc;
	(void)argv;
	config_print(cfg, stdout);
	return 0;
}

/* The route table as JSON lines, for the access tests and the OpenAPI
 * check: what the router serves, from the router's own table. */
int
cli_routes(int argc, char **argv, const struct config *cfg)
{
	const struct route	*rt;
	size_t			 i;

	(void)argc;
	(void)argv;
	(void)cfg;
	for (i = 0; i < fleetcore_app.nroutes; i++) {
		rt = &fleetcore_app.routes[i];
		printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"access\":\"%s\","
		    "\"api\":%s,\"dev\":%s,\"transaction\":%s,\"upload\":%s}\n",
		    rt->method,
		    rt->pattern, rt->access == ACCESS_PUBLIC ? "public" :
		    rt->access == ACCESS_LOCAL ? "local" :
		    auth_role_name(rt->access),
		    rt->flags & ROUTE_API ? "true" : "false",
		    rt->flags & ROUTE_DEV ? "true" : "false",
		    rt->flags & ROUTE_NO_TX ? "false" : "true",
		    rt->flags & ROUTE_UPLOAD ? "true" : "false");
	}
	return 0;
}
