/* A run of a live source (connectors/live.h): the connector reads the
 * platform from the committed cursors of its streams; each checkpoint it
 * gives commits, in one transaction of the job's connection, the records
 * since the previous one (merged into their canonical table), the
 * rejected rows, the stream's cursor and the run's running counts.  A
 * run that stops (cancelled, runner killed, platform down) keeps the
 * windows it committed; the next run, or the queue's retry of this one,
 * starts where they end.  Cancel and progress go through the control
 * connection as for files (sync_run.h). */
#ifndef FC_SYNC_LIVE_H
#define FC_SYNC_LIVE_H

#include "sync_run.h"

/* After sync_job's start (run marked started, type and config read). */
enum job_outcome	sync_live_run(struct sync_job *);

#endif
