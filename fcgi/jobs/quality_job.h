/* The job kind "quality_report": the « Qualité des données » report of
 * one source ({source_id, run_id, trigger} in the payload), enqueued in
 * the transaction of every file sync that loaded rows and on demand.
 * Each check of quality_checks.c runs in its own savepoint, so that one
 * failing statement is that check's « erreur », not the report's. */
#ifndef FC_QUALITY_JOB_H
#define FC_QUALITY_JOB_H

#include "db.h"
#include "runner.h"

#define QUALITY_JOB_KIND	"quality_report"

enum job_outcome	quality_job_run(struct job_ctx *);
/* Enqueue the report of a source in the caller's transaction: 0 or -1. */
int			quality_job_enqueue(struct db *, const char *tenant,
			    const char *source_id, const char *run_id,
			    const char *trigger, struct db_error *);

#endif
