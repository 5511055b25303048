/* What the driver screens show, formatted in C before rendering: rows of
 * the list, the driver page, the form's values and the wizard's steps.
 * Shared by drivers_web.c and drivers_onboarding.c. */
#ifndef FC_APP_DRIVERS_VIEW_H
#define FC_APP_DRIVERS_VIEW_H

#include <jansson.h>

#include "drivers.h"
#include "http.h"

/* A driver of the list or the page: name, formatted phone, status label
 * and tone, terms, current vehicle, resume link of an unfinished
 * onboarding. */
json_t		*drivers_view_row(struct request *, json_t *driver);
/* The details of the driver page (documents with their expiry state,
 * bank details masked for those who may not read them). */
json_t		*drivers_view_details(struct request *, json_t *driver);
/* A form's view (drivers_form.c): {values, errors, statuses,
 * collaborations}.  values are
 * the stored driver's, replaced by what the form sent when it comes back
 * with errors (typed money and percentages included).  errors stolen. */
json_t		*drivers_view_form(struct request *, json_t *driver,
		    json_t *errors);
/* What the driver form adds to the resource layer's view: the commission
 * as a percentage, the driver's row for the heading. */
void		 drivers_form_extra(struct request *, json_t *driver,
		    json_t *view);
/* The wizard's three steps as links: done, current or to come. */
json_t		*drivers_view_steps(struct request *, json_t *driver,
		    int current);
/* Where to resume an unfinished onboarding, or NULL. */
const char	*drivers_resume_href(struct request *, json_t *driver);

#endif
