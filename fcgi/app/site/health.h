/* Liveness, metrics and the public status page. */
#ifndef FC_APP_HEALTH_H
#define FC_APP_HEALTH_H

#include "http.h"

int	health_check(struct request *);
int	health_metrics(struct request *);
int	health_status_page(struct request *);

#endif
