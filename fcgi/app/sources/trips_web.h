/* The « Courses » and « Revenus par période » screens: what the sources
 * loaded, filtered by driver, platform and period, with totals. */
#ifndef FC_APP_TRIPS_WEB_H
#define FC_APP_TRIPS_WEB_H

#include "http.h"

int	trips_index(struct request *);
int	earnings_index(struct request *);

#endif
