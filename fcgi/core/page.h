/* HTML pages: a handler's view-model gains what every page needs (the
 * locale catalogue, language, signed-in user, CSRF token, navigation) and
 * is rendered with its template into the response. */
#ifndef FC_PAGE_H
#define FC_PAGE_H

#include <jansson.h>

#include "http.h"

/* Render `tmpl` with `view` (stolen) as the response body. */
int	page_render(struct request *, int status, const char *tmpl,
	    json_t *view);
/* The error answer for status: JSON under /api, the French error page
 * otherwise.  message may be NULL for the status's usual text. */
int	page_error(struct request *, int status, const char *message);
/* Add the shared keys to a view-model (used by page_render and by the
 * `fleetcore render` tool's tests). */
int	page_decorate(struct request *, json_t *view);

#endif
