/* Trips and earnings as the connectors loaded them, described for the
 * resource layer (trips.c): the API's lists and the screens' (trips_web.c). */
#ifndef FC_APP_TRIPS_H
#define FC_APP_TRIPS_H

#include "resource/resource.h"

extern const char *const	trips_platforms[];
extern const struct resource	trip_resource;
extern const struct resource	earning_resource;

#endif
