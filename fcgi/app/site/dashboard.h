/* The home page of a signed-in member: the organisation at a glance. */
#ifndef FC_APP_DASHBOARD_H
#define FC_APP_DASHBOARD_H

#include "http.h"

int	dashboard_show(struct request *);

#endif
