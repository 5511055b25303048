/* GET /api/v1/analytics/overview?from=&to= (and ?period=week|month). */
#ifndef FC_APP_ANALYTICS_API_H
#define FC_APP_ANALYTICS_API_H

#include "http.h"

int	analytics_api_overview(struct request *);

#endif
