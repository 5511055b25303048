/* GET /api/v1/trips and /api/v1/earnings. */
#ifndef FC_APP_TRIPS_API_H
#define FC_APP_TRIPS_API_H

#include "http.h"

int	trips_api_list(struct request *);
int	earnings_api_list(struct request *);

#endif
