/* The application: its route table and the hooks it plugs into the
 * platform.  Each area's handlers are declared in its own header. */
#ifndef FC_APP_H
#define FC_APP_H

#include "server.h"

extern const struct server_app fleetcore_app;

#endif
