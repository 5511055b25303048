/* The job kind "source_sync": one run of a source (payload {"run_id"}).
 *
 * The run is marked started through the runner's control connection; the
 * connector reads its input into the loader inside one transaction of the
 * job's own connection (tenant set from the job); progress, heartbeats and
 * the cancel flag go through the control connection while it reads, so
 * screens see them.  The rows, the rejected rows, the source's cursor and
 * the run's counts and status commit together; on any failure the
 * transaction rolls back and the run records why: a configuration failure
 * (the file or the settings must change: never retried) or a transient
 * one (retried with backoff by the queue while attempts remain). */
#ifndef FC_SYNC_JOB_H
#define FC_SYNC_JOB_H

#include "runner.h"

#define SYNC_JOB_KIND		"source_sync"
/* Rejected rows kept per run; all are counted. */
#define SYNC_KEEP_REJECTS	1000

enum job_outcome	sync_job_run(struct job_ctx *);

#endif
