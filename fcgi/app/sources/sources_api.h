/* /api/v1/sources and /api/v1/sync-runs: the same data as the screens,
 * as JSON.  Secrets are never in an answer (masked "••••"). */
#ifndef FC_APP_SOURCES_API_H
#define FC_APP_SOURCES_API_H

#include "http.h"

int	sources_api_list(struct request *);
int	sources_api_create(struct request *);
int	sources_api_show(struct request *);
int	sources_api_check(struct request *);
/* multipart/form-data with the file in "file": 202 {"run_id"}. */
int	sources_api_sync(struct request *);
int	sync_runs_api_show(struct request *);

#endif
