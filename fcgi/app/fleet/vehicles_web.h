/* The vehicle screens: its page (the list and the forms are the resource layer's). */
#ifndef FC_APP_VEHICLES_WEB_H
#define FC_APP_VEHICLES_WEB_H

#include "http.h"

int	vehicles_show(struct request *);
/* The vehicle page, with the event form as given (after a refused event)
 * or empty. */
int	vehicles_page(struct request *, const char *id, int status,
	    json_t *event_form);
/* The same with the assignments block as given (after a refused assign
 * form; stolen) or built afresh when NULL. */
int	vehicles_page_with(struct request *, const char *id, int status,
	    json_t *event_form, json_t *assignments);

#endif
