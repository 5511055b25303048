/* A source's page: test, sync by uploading a file, pause, « mode
 * automatique », schedule, recent runs; and the whole history. */
#ifndef FC_APP_SOURCES_PAGE_H
#define FC_APP_SOURCES_PAGE_H

#include "http.h"

int	sources_show(struct request *);
int	sources_check_web(struct request *);
int	sources_sync_web(struct request *);
int	sources_pause(struct request *);
int	sources_resume(struct request *);
int	sources_auto(struct request *);
int	sources_schedule_web(struct request *);
int	sources_runs(struct request *);

#endif
