/* The job kind "documents_refresh": recompute the expiry state of every
 * current document (à jour → à renouveler → expiré as days pass), for
 * one tenant (the job's tenant_id) or for all of them.  Scheduled once a
 * day by schedule.c; safe to run again (it only writes states that
 * changed). */
#ifndef FC_DOCUMENTS_REFRESH_H
#define FC_DOCUMENTS_REFRESH_H

#include "runner.h"

#define DOCUMENTS_REFRESH_KIND	"documents_refresh"

enum job_outcome	documents_refresh_run(struct job_ctx *);

#endif
