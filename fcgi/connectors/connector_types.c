/* The table of connector types, and finding one by name.  Each type
 * lives in its own file and uses connector.c and connector_csv.c; only
 * this table knows them all. */
#include <string.h>

#include "connector.h"

const struct connector_type *const connector_types[] = {
	&connector_uber_csv,
	&connector_bolt_csv,
	&connector_bolt_orders_csv,
	&connector_heetch_csv,
	&connector_generic_csv,
	/* Live sources (live.h). */
	&connector_bolt_api,
	&connector_uber_api,
	&connector_heetch_portal,
};
const size_t connector_ntypes = sizeof(connector_types) /
    sizeof(connector_types[0]);

const struct connector_type *
connector_find(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < connector_ntypes; i++)
		if (strcmp(connector_types[i]->name, name) == 0)
			return connector_types[i];
	return NULL;
}
