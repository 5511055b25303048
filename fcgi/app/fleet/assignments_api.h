/* /api/v1/assignments: list (filters vehicle_id, driver_id, status),
 * create (409 naming the vehicle's overlapping assignment), show, end. */
#ifndef FC_APP_ASSIGNMENTS_API_H
#define FC_APP_ASSIGNMENTS_API_H

#include "http.h"

int	assignments_api_list(struct request *);
int	assignments_api_create(struct request *);
int	assignments_api_show(struct request *);
int	assignments_api_end(struct request *);

#endif
