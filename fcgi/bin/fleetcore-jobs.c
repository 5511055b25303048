/* fleetcore-jobs: the job runner (syncs, retries, outbox, reminders). */
#include <stdio.h>

#include "config.h"
#include "crypto.h"
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
	/* Sync jobs open sealed connector secrets (sodium_malloc needs it). */
	if (secret_init() == -1) {
		fprintf(stderr, "fleetcore-jobs: libsodium failed to start\n");
		return 1;
	}
	return runner_main(&cfg, job_kinds, job_nkinds);
}
