/* The forms of the vehicle page (fcgi/app/fleet/vehicle_forms.c). */
#ifndef FC_APP_VEHICLE_FORMS_H
#define FC_APP_VEHICLE_FORMS_H

#include "http.h"

int	assignments_vehicle_post(struct request *);	/* POST /vehicles/:id/assignments */
int	vehicle_events_post(struct request *);	/* POST /vehicles/:id/events */

#endif
