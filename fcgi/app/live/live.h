/* « En direct »: what the drivers are doing now, from the state changes
 * live sources store (driver_states: Bolt's state logs; other platforms
 * map their statuses to the same four words — waiting_orders: online,
 * busy: busy, has_order: on a trip, inactive: offline), the trips in
 * progress, the day's counts, and the « mode automatique » periods of the
 * sources.  One statement reads it all; the page refreshes its board
 * every 15 s with htmx (or a meta refresh without JavaScript). */
#ifndef FC_APP_LIVE_H
#define FC_APP_LIVE_H

#include "http.h"

int	live_show(struct request *);	/* GET /live */
int	live_board(struct request *);	/* GET /live/board, the fragment */
int	live_api(struct request *);	/* GET /api/v1/live */

#endif
