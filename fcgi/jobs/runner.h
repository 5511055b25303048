/* The job runner: claims due jobs one at a time and runs the kind's
 * function; a second connection heartbeats and reaps so that a job's
 * own long transaction never hides its heartbeat. */
#ifndef FC_RUNNER_H
#define FC_RUNNER_H

#include "config.h"
#include "queue.h"

struct job_ctx {
	const struct config	*cfg;
	struct db		*db;	/* for the job's own work */
	struct db		*control;	/* heartbeats */
	const struct job	*job;
	char			 error[512];	/* what the user should read */
	time_t			 last_beat;
};

struct job_kind {
	const char		*name;
	enum job_outcome	(*run)(struct job_ctx *);
};

/* The kinds fleetcore-jobs runs, in fcgi/jobs/kinds.c.  The runner is
 * given them (runner_main) rather than reaching for them: the kinds call
 * runner_heartbeat, and the runner stays below them. */
extern const struct job_kind job_kinds[];
extern const size_t job_nkinds;

/* Call often during long work: writes a heartbeat every few seconds.
 * Returns -1 when the runner is asked to stop. */
int	runner_heartbeat(struct job_ctx *);
/* Runs the jobs of these kinds until SIGTERM/SIGINT. */
int	runner_main(const struct config *, const struct job_kind *kinds,
	    size_t nkinds);

#endif
