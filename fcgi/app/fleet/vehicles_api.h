/* /api/v1/vehicles: the same rules and validation as the screens. */
#ifndef FC_APP_VEHICLES_API_H
#define FC_APP_VEHICLES_API_H

#include "http.h"

int	vehicles_api_list(struct request *);
int	vehicles_api_create(struct request *);
int	vehicles_api_show(struct request *);
int	vehicles_api_update(struct request *);
int	vehicles_api_archive(struct request *);

#endif
