/* /api/v1/drivers: the same rules and validation as the screens, with the
 * table's field names (weekly_rent_cents, commission_rate_bp). */
#ifndef FC_APP_DRIVERS_API_H
#define FC_APP_DRIVERS_API_H

#include "http.h"

int	drivers_api_list(struct request *);
int	drivers_api_create(struct request *);
int	drivers_api_show(struct request *);
int	drivers_api_update(struct request *);
int	drivers_api_archive(struct request *);

#endif
