/* /api/v1/organisation: the organisation's settings (organisation.h). */
#ifndef FC_APP_FINANCE_ORGANISATION_API_H
#define FC_APP_FINANCE_ORGANISATION_API_H

#include "http.h"

int	organisation_api_show(struct request *);
int	organisation_api_update(struct request *);

#endif
