/* Routes that exist only outside production (ROUTE_DEV): they let the
 * integration tests drive the platform's parsing, errors and shutdown
 * through nginx. */
#ifndef FC_APP_DEVTOOLS_H
#define FC_APP_DEVTOOLS_H

#include "http.h"

int	devtools_echo(struct request *);
int	devtools_error(struct request *);
int	devtools_sleep(struct request *);

#endif
