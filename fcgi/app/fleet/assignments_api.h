/* /api/v1/assignments: create (409 naming the vehicle's overlapping
 * assignment) and end; the list (filters vehicle_id, driver_id, status)
 * and show are the resource layer's (assignment_resource). */
#ifndef FC_APP_ASSIGNMENTS_API_H
#define FC_APP_ASSIGNMENTS_API_H

#include "http.h"

int	assignments_api_create(struct request *);
int	assignments_api_end(struct request *);

#endif
