/* The side navigation and other keys every page of the application
 * shares (server_app.decorate). */
#ifndef FC_APP_NAV_H
#define FC_APP_NAV_H

#include <jansson.h>

#include "http.h"

int	nav_decorate(struct request *, json_t *view);

#endif
