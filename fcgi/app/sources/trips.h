/* Trips and earnings as the connectors loaded them: lists filtered by
 * driver, platform and period, with their money totals, shared by the
 * screens (trips_web.c) and the API (trips_api.c). */
#ifndef FC_APP_TRIPS_H
#define FC_APP_TRIPS_H

#include <jansson.h>

#include "api.h"
#include "http.h"

extern const char *const trips_platforms[];

struct trips_filter {
	const char	*driver;	/* a driver id, "none" (not matched), "" */
	const char	*platform;
	const char	*from;		/* "YYYY-MM-DD", included, or "" */
	const char	*to;		/* included, or "" */
};

/* Read ?driver_id=&platform=&from=&to=; 0 or 422 with *errors. */
int	 trips_filter_parse(struct request *, struct trips_filter *,
	    json_t **errors);
/* A page of trips (or earnings) and the totals of the whole filter:
 * {rows, gross_cents, net_cents, cash_collected_cents}. */
json_t	*trips_list(struct request *, const struct trips_filter *,
	    const struct api_page *, long *total, json_t **totals, int *status);
json_t	*earnings_list(struct request *, const struct trips_filter *,
	    const struct api_page *, long *total, json_t **totals, int *status);

#endif
