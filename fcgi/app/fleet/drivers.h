/* Drivers: their description for the resource layer (drivers.c), and
 * what the screens (drivers_web.c, drivers_onboarding.c) and the import
 * use of it. */
#ifndef FC_APP_DRIVERS_H
#define FC_APP_DRIVERS_H

#include <jansson.h>

#include "api.h"
#include "http.h"
#include "resource/resource.h"

/* Which fields an input reads.  The onboarding wizard asks for them in
 * three steps; the edit form and the API take them all. */
extern const struct resource	driver_resource;

enum driver_part {
	DRIVER_ALL = 0,
	DRIVER_PERSONAL = 1,	/* « Informations personnelles » */
	DRIVER_DOCUMENTS = 2,	/* « Documents » */
	DRIVER_TERMS = 3,	/* « Conditions de collaboration » */
};

/* How the input is written.  A form writes money as "150,00" (field
 * weekly_rent) and the commission as a percentage "12,5" (field
 * commission_rate), sends every field of its part (a blank one is
 * cleared), and in the wizard asks for what that step needs. */
enum driver_input_mode {
	DRIVER_API,
	DRIVER_FORM,
	DRIVER_WIZARD,
};

/* One driver, or NULL with *status 404 when the tenant has none with id. */
json_t	*driver_get(struct request *, const char *id, int *status);
/* Validate the fields of part.  For an update, current holds the stored
 * driver: fields not sent keep its values.  Returns the full driver to
 * store, and *errors (new object, keyed by the names the input used) when
 * some field is wrong. */
json_t	*driver_input(struct request *, json_t *current,
	    enum driver_input_mode, enum driver_part, json_t **errors);
/* Store; returns the stored driver, or NULL with *status (409 with
 * *errors naming the field for a duplicate e-mail, phone or platform
 * identifier). */
json_t	*driver_insert(struct request *, json_t *v, int *status,
	    json_t **errors);
json_t	*driver_update(struct request *, const char *id, json_t *v,
	    int *status, json_t **errors);
/* Soft delete: archived_at and status "parti"; the current vehicle is
 * handed back (its assignment ends now).  0 or a status. */
int	 driver_archive(struct request *, const char *id);
/* Record an activity about a driver (title gets the driver's name). */
int	 driver_activity(struct request *, json_t *driver, const char *type,
	    const char *title);
/* The driver's vehicles, newest first: [{vehicle_id, plate, make, model,
 * starts_on, ends_on, current}]. */
json_t	*driver_assignments(struct request *, const char *id, int *status);
/* The pending portal invitation of a driver ({email, expires_at}), or
 * JSON null; NULL on failure with *status. */
json_t	*driver_pending_invitation(struct request *, const char *id,
	    int *status);
/* Invite the driver to the driver portal: an invitation with role driver
 * linked to this record, its mail in the outbox.  0, or 404, or 422 /
 * 409 with *message saying what to do. */
int	 driver_invite(struct request *, json_t *driver, const char **message);

extern const char *const driver_statuses[];
extern const char *const driver_collaborations[];

#endif
