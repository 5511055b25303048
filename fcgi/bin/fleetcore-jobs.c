/* fleetcore-jobs: the job runner (syncs, retries, outbox, reminders). */
#include <stdio.h>

#include "config.h"
#include "jobs/runner.h"

int
main(void)
{
	struct config	cfg;
	char		err[256];

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fleetcore-jobs: %s\n", err);
		return 2;
	}
	return runner_main(&cfg);
}
