/* fleetcore-fcgi: the FastCGI supervisor and its workers. */
#include <stdio.h>

#include "app.h"
#include "config.h"

int
main(void)
{
	struct config	cfg;
	char		err[256];

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fleetcore-fcgi: %s\n", err);
		return 2;
	}
	return server_run(&cfg, &fleetcore_app);
}
