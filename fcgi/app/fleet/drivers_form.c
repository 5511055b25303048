/* The driver form's view (drivers_view.h) for the onboarding wizard:
 * the resource layer's, with what drivers_form_extra adds.  Apart from
 * the other views: it reads the description of drivers.c, whose hooks
 * are in drivers_view.c. */
#include <string.h>

#include "driver_rules.h"
#include "drivers.h"
#include "drivers_view.h"
#include "resource/view.h"
#include "worker.h"

json_t *
drivers_view_form(struct request *r, json_t *d, json_t *errors)
{
	return resource_form_view(r, &driver_resource, d, errors, "");
}
