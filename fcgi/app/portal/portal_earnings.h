/* The portal's earnings: my week by day and platform (an SVG chart with
 * its table), my last weeks and months, my latest trips, my statements
 * (« relevés », each a PDF) and what validated ones leave owed.  Read
 * under the driver's row-level policies (portal_summary() in SQL). */
#ifndef FC_APP_PORTAL_EARNINGS_H
#define FC_APP_PORTAL_EARNINGS_H

#include <jansson.h>

#include "http.h"

/* The view-model, or NULL with *status. */
json_t	*portal_earnings(struct request *, int *status);

#endif
