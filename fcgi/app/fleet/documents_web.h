/* Documents on the screens: the block of the vehicle and driver pages,
 * the upload forms, the file download and the page « Documents à
 * renouveler ». */
#ifndef FC_APP_DOCUMENTS_WEB_H
#define FC_APP_DOCUMENTS_WEB_H

#include <jansson.h>

#include "http.h"

/* The documents block of an owner's page ("vehicle" or "driver"), for
 * templates/documents/block.mustache: {current, history, form, …}.  NULL
 * with *status on a database error.  The drivers' page includes it as
 * {{#documents}}{{>documents/block}}{{/documents}}. */
/* The value of the upload form's "next" field that brings a driver's
 * upload back to step 2 of the onboarding. */
#define DOCUMENTS_NEXT_ONBOARDING	"onboarding"

json_t	*documents_for(struct request *, const char *owner_type,
	    const char *owner_id, int *status);

int	documents_vehicle_post(struct request *);	/* POST /vehicles/:id/documents */
int	documents_driver_post(struct request *);	/* POST /drivers/:id/documents */
int	documents_download(struct request *);	/* GET /documents/:id/file */
int	documents_due_page(struct request *);	/* GET /documents/due */

/* The number of documents to renew or expired as the count of the
 * navigation's entry /documents/due (nav.c): one query, only for members
 * who may see the page, never inside a failed transaction. */
void	documents_nav_count(struct request *, json_t *nav);

/* The Content-Disposition and the file of a document, for the screens
 * and the API alike: 0 or a status. */
int	documents_send_file(struct request *, const char *id);
/* The same for any file stored by documents_file.c (path, its real
 * type, the name to offer): event attachments use it too. */
int	documents_send_stored(struct request *, const char *path,
	    const char *type, const char *name);

#endif
