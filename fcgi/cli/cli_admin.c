/* migrate, config. */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

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
