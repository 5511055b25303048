/* « Non rapprochés »: imported rows whose driver no rule recognised
 * (platform id, e-mail, phone), grouped by the platform's identifier.
 * The user picks the driver once; the choice is kept (driver_matches) and
 * used first by every later import. */
#ifndef FC_APP_UNMATCHED_H
#define FC_APP_UNMATCHED_H

#include "http.h"

int	unmatched_list(struct request *);
int	unmatched_assign(struct request *);

#endif
