/* Where the command line finds the stack it administers.  `make run` and
 * `make start` keep everything under one folder (VAR, ./var by default):
 * the PostgreSQL cluster's socket in var/run, uploads in var/data, the
 * sealing key in var/secret.key.  Someone who types `build/fleetcore …`
 * in the checkout means that stack, not a system cluster in
 * /var/run/postgresql: when that folder has a run/ folder (the stack ran
 * there once), the settings left unset point there, so that a stopped
 * stack is reported as its own socket missing.  A setting given in the environment
 * always wins, and without a stack folder the defaults stay libpq's. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cli.h"

/* The stack's folder: FLEETCORE_VAR, else VAR (the name the Makefile and
 * fleetcore-stack use), else ./var. */
static const char *
stack_var(void)
{
	const char	*v;

	if ((v = getenv("FLEETCORE_VAR")) != NULL && *v != '\0')
		return v;
	if ((v = getenv("VAR")) != NULL && *v != '\0')
		return v;
	return "var";
}

static void
default_to(const char *name, const char *value)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0')
		(void)setenv(name, value, 1);
}

void
cli_stack_defaults(void)
{
	char		 var[PATH_MAX], path[PATH_MAX + 64];
	struct stat	 st;

	/* libpq takes a host that starts with a slash for a socket folder:
	 * the folder must be absolute. */
	if (realpath(stack_var(), var) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/run", var);
	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode))
		return;
	snprintf(path, sizeof(path), "host=%s/run dbname=fleetcore "
	    "user=fleetcore_owner", var);
	default_to("FLEETCORE_DB_OWNER", path);
	snprintf(path, sizeof(path), "host=%s/run dbname=fleetcore "
	    "user=fleetcore_app", var);
	default_to("FLEETCORE_DB", path);
	snprintf(path, sizeof(path), "%s/data", var);
	default_to("FLEETCORE_DATA_DIR", path);
	snprintf(path, sizeof(path), "%s/secret.key", var);
	default_to("FLEETCORE_SECRET_KEY_FILE", path);
}
