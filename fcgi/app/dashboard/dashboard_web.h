/* « Tableau de bord »: the period's ten indicators against the previous
 * period, revenue by day and platform, the platforms' split, the top
 * drivers, the vehicles losing money and the recent activity. */
#ifndef FC_APP_DASHBOARD_WEB_H
#define FC_APP_DASHBOARD_WEB_H

#include "http.h"

int	dashboard_show(struct request *);

#endif
