/* The driver's own pages.  Until the full driver portal (earnings,
 * settlements) is built here, a driver lands on one page made for them:
 * their profile, their documents and the vehicle they drive now.  What a
 * driver may see is decided by row-level security (app_driver_id() in
 * migration 0003): these handlers ask for "the driver's" rows and get
 * only their own. */
#ifndef FC_APP_PORTAL_H
#define FC_APP_PORTAL_H

#include "http.h"

/* Where a driver lands after sign-in and from "/". */
#define PORTAL_HOME	"/portal"

int	portal_home(struct request *);			/* GET /portal */
int	portal_document_file(struct request *);	/* GET /portal/documents/:id/file */

#endif
