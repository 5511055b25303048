/* fleetcore: the command-line tool (migrations, configuration, template
 * rendering; identity and data administration as they land). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int	help(int, char **, const struct config *);

/* One row per command; `fleetcore help` prints this table. */
static const struct cli_command commands[] = {
	{ "migrate", "[--status]", "apply pending migrations (or list them)",
	    cli_migrate },
	{ "config", "", "print the effective configuration, secrets masked",
	    cli_config },
	{ "routes", "", "print the route table, one JSON object a line",
	    cli_routes },
	{ "render", "TEMPLATE DATA.json [--templates DIR]",
	    "render one template with one JSON file to stdout", cli_render },
	{ "error-pages", "DIR", "write the error pages nginx serves itself",
	    cli_error_pages },
	{ "tenant", "create --name NAME --slug SLUG", "create an organisation",
	    cli_tenant },
	{ "user", "add --tenant SLUG --email EMAIL --role ROLE "
	    "[--name NAME] [--password-stdin]", "add a member", cli_user },
	{ "token", "create --tenant SLUG --user EMAIL --name NAME "
	    "[--scope read|write]", "print a new API token", cli_token },
	{ "demo", "[--once]", "load the demo organisations and people",
	    cli_demo },
	{ "source", "import --tenant SLUG --source ID FILE",
	    "one sync run of a file source, in the foreground", cli_source },
	{ "help", "", "this list", help },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: fleetcore COMMAND [ARGS]\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-11s %s\n  %11s %s\n", commands[i].name,
		    commands[i].args, "", commands[i].help);
}

static int
help(int argc, char **argv, const struct config *cfg)
{
	(void)argc;
	(void)argv;
	(void)cfg;
	usage(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	struct config	cfg;
	char		err[256];
	size_t		i;

	cli_stack_defaults();
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fleetcore: %s\n", err);
		return 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1, &cfg);
	fprintf(stderr, "fleetcore: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
