/* The API handlers every resource shares; each serves the description
 * its route names (resource.h). */
#ifndef FC_APP_RESOURCE_API_H
#define FC_APP_RESOURCE_API_H

#include "http.h"

int	resource_api_list(struct request *);
int	resource_api_show(struct request *);
int	resource_api_create(struct request *);
int	resource_api_update(struct request *);
int	resource_api_archive(struct request *);

#endif
