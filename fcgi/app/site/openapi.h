/* GET /api/v1/openapi.json: the API described (templates/api/openapi.json,
 * checked against the route table by the integration tests). */
#ifndef FC_APP_OPENAPI_H
#define FC_APP_OPENAPI_H

#include "http.h"

int	openapi_document(struct request *);

#endif
