/* The reports' pages (/reports, /reports/:name with ?format=csv|xlsx|pdf)
 * and their API (/api/v1/reports, /api/v1/reports/:name). */
#ifndef FC_APP_REPORTS_WEB_H
#define FC_APP_REPORTS_WEB_H

#include "http.h"

int	reports_index(struct request *);
int	reports_show(struct request *);
int	reports_api_list(struct request *);
int	reports_api_show(struct request *);

#endif
