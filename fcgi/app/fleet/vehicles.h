/* Vehicles: their description for the resource layer (vehicles.c), and
 * what the screens (vehicles_web.c), the events and the import use of it. */
#ifndef FC_APP_VEHICLES_H
#define FC_APP_VEHICLES_H

#include <jansson.h>

#include "http.h"
#include "resource/resource.h"

extern const struct resource	vehicle_resource;

/* One vehicle, or NULL with *status 404 when the tenant has none with id. */
json_t	*vehicle_get(struct request *, const char *id, int *status);
/* Validate input (form or JSON).  For an update, current holds the stored
 * vehicle: absent fields keep their values.  Returns the full vehicle to
 * store, and *errors (new object) when some field is wrong.  form: the
 * monthly cost comes as "1 234,56" in field monthly_cost (HTML form)
 * rather than as integer cents. */
json_t	*vehicle_input(struct request *, json_t *current, int form,
	    json_t **errors);
/* Store; returns the stored vehicle, or NULL with *status (409 with
 * *errors naming the field for a duplicate plate or VIN). */
json_t	*vehicle_insert(struct request *, json_t *v, int *status,
	    json_t **errors);
json_t	*vehicle_update(struct request *, const char *id, json_t *v,
	    int *status, json_t **errors);
/* Soft delete: archived_at and status "archive".  0 or a status. */
int	 vehicle_archive(struct request *, const char *id);

extern const char *const vehicle_energies[];
extern const char *const vehicle_categories[];
extern const char *const vehicle_statuses[];
extern const char *const vehicle_acquisitions[];

#endif
