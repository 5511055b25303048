/* What the vehicle screens show of a stored vehicle, formatted in C
 * before rendering: a row of the list, the head of the page. */
#ifndef FC_APP_VEHICLES_VIEW_H
#define FC_APP_VEHICLES_VIEW_H

#include <jansson.h>

#include "http.h"

/* A new object: id, href, plate, make, model, labels, status_tone,
 * odometer, year, monthly_cost and the current driver. */
json_t	*vehicle_view(struct request *, json_t *v);

#endif
