/* A sync run's page, its live progress, cancel and retry. */
#ifndef FC_APP_SYNC_RUNS_WEB_H
#define FC_APP_SYNC_RUNS_WEB_H

#include "http.h"

int	sync_runs_show(struct request *);
int	sync_runs_progress(struct request *);
int	sync_runs_cancel_web(struct request *);
int	sync_runs_retry_web(struct request *);

#endif
