/* Assignments on the screens: the block of the vehicle page (current
 * driver, assign form, history) and of the driver page (history), and
 * ending an assignment.  The assign form's handler shows the vehicle page
 * again, so it is with the page's other form in vehicle_forms.c. */
#ifndef FC_APP_ASSIGNMENTS_WEB_H
#define FC_APP_ASSIGNMENTS_WEB_H

#include <jansson.h>

#include "http.h"

/* The block for templates/assignments/block.mustache; owner_type
 * "vehicle" (with the assign form) or "driver".  NULL with *status on a
 * database error.  The drivers' page includes it as
 * {{#assignments}}{{>assignments/block}}{{/assignments}}. */
json_t	*assignments_for(struct request *, const char *owner_type,
	    const char *owner_id, int *status);
/* The same after a refused assign form: what was typed and the errors
 * (both stolen). */
json_t	*assignments_for_form(struct request *, const char *vehicle_id,
	    json_t *values, json_t *errors, int *status);

int	assignments_end_post(struct request *);	/* POST /assignments/:id/end */

#endif
