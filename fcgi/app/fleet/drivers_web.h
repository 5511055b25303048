/* The driver screens (the list is resource_index): page, edit form, departure, invitation to
 * the driver portal.  The onboarding wizard is drivers_onboarding.c. */
#ifndef FC_APP_DRIVERS_WEB_H
#define FC_APP_DRIVERS_WEB_H

#include "http.h"

int	drivers_show(struct request *);
int	drivers_invite(struct request *);

#endif
