/* « Qualité des données »: the reports the job quality_report writes
 * (fcgi/jobs/quality_job.c) per source, with their history, as JSON
 * (/api/v1/quality/reports) and pages (/quality, /quality/reports/:id),
 * and a report asked for on demand. */
#ifndef FC_APP_QUALITY_H
#define FC_APP_QUALITY_H

#include "http.h"

int	quality_api_list(struct request *);
int	quality_api_show(struct request *);
int	quality_api_run(struct request *);
int	quality_index(struct request *);
int	quality_show(struct request *);
int	quality_run_web(struct request *);

#endif
