/* A resource's part of the OpenAPI document, from its description. */
#ifndef FC_APP_RESOURCE_OPENAPI_H
#define FC_APP_RESOURCE_OPENAPI_H

#include <jansson.h>

struct resource;

/* The schema of its objects: types, formats, enums, bounds, defaults,
 * readOnly for what the API does not take, required (new object). */
json_t	*resource_schema(const struct resource *);
/* The parameters of its list: page, limit, its own, sort (new array). */
json_t	*resource_list_parameters(const struct resource *);

#endif
