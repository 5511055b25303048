/* The accounting sync's outbox (accounting_sync, 0018): one row per
 * fully paid invoice, its state as the job runner left it
 * (fcgi/jobs/accounting_sync_job.h), described for the resource layer
 * (the API's and the screen's lists), and « Relancer ». */
#ifndef FC_FINANCE_ACCOUNTING_SYNC_H
#define FC_FINANCE_ACCOUNTING_SYNC_H

#include "http.h"
#include "resource/resource.h"

extern const struct resource	accounting_sync_resource;
extern const char *const	accounting_sync_states[];
/* The list's state filter: "open" (all but done), then each state. */
extern const char *const	accounting_sync_filters[];

/* A new attempt for row id (digits): 0, 404, 409 with *key the
 * catalogue key of why (done already, an attempt waiting or running), or
 * a database status. */
int	accounting_sync_retry(struct request *, const char *id,
	    const char **key);

#endif
