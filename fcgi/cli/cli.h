/* Commands of the `fleetcore` tool; each gets argv starting at its own
 * name and returns the exit status. */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <libpq-fe.h>

#include "config.h"

struct cli_command {
	const char	*name;
	const char	*args;
	const char	*help;
	int		(*run)(int, char **, const struct config *);
};

/* FLEETCORE_DB, FLEETCORE_DB_OWNER, FLEETCORE_DATA_DIR and
 * FLEETCORE_SECRET_KEY_FILE, when unset, from the stack's folder
 * (FLEETCORE_VAR, VAR or ./var) when it has one (cli_env.c). */
void	cli_stack_defaults(void);
/* Run sql with params as the command line does (cli_db.c): the result, or
 * NULL after printing the error's primary message, prefixed by what. */
PGresult *cli_exec(PGconn *, const char *what, const char *sql, int n,
	    const char *const *v);
int	cli_migrate(int, char **, const struct config *);
int	cli_config(int, char **, const struct config *);
int	cli_routes(int, char **, const struct config *);
int	cli_render(int, char **, const struct config *);
int	cli_error_pages(int, char **, const struct config *);
int	cli_tenant(int, char **, const struct config *);
int	cli_user(int, char **, const struct config *);
int	cli_token(int, char **, const struct config *);
int	cli_demo(int, char **, const struct config *);
/* The demo fleet (drivers, vehicles, events, assignments) of tenant
 * "demo", once: 0, or 1 after printing why. */
int	cli_demo_fleet(PGconn *);
int	cli_source(int, char **, const struct config *);
/* One sync run of a file source of the tenant, by the job runner's own
 * code, the file recorded under name: 0 when it succeeded, 1 when the run
 * failed (its row says why), -1 when it could not be started; run holds
 * the run's id once it exists. */
int	cli_source_run(const struct config *, const char *tenant_id,
	    const char *source_id, const char *path, const char *name,
	    char run[40]);
/* Four weeks of platform exports for the demo drivers (Uber payments,
 * Bolt weekly earnings and orders, Heetch earnings), generated and
 * imported through real sources and sync runs, once per source:
 * 0, or 1 after printing why. */
int	demo_imports(PGconn *, const struct config *);
/* Documents of the demo fleet's first vehicles and drivers, with their
 * files in the data folder, once (after cli_demo_fleet): 0, or 1 after
 * printing why. */
int	demo_documents(PGconn *, const struct config *);

#endif
