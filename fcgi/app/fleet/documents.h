/* Documents of vehicles and drivers (carte grise, assurance, permis, …):
 * the data shared by the screens (documents_web.c) and the API
 * (documents_api.c).  An upload is checked by its content, stored as a
 * file (documents_file.c) and recorded; a renewal (same owner and type)
 * supersedes the current document, whose history is kept.  The expiry
 * state (à jour, à renouveler, expiré) is computed by PostgreSQL on every
 * change and once a day by the job documents_refresh. */
#ifndef FC_APP_DOCUMENTS_H
#define FC_APP_DOCUMENTS_H

#include <jansson.h>

#include "api.h"
#include "http.h"

/* Owner types, as URLs and the API name them. */
#define DOCUMENTS_VEHICLE	"vehicle"
#define DOCUMENTS_DRIVER	"driver"

extern const char *const document_types[];
extern const char *const document_states[];

/* 0 when the owner exists in the organisation (*label: plate or name),
 * 404 when not (another tenant's id included), or a status. */
int	 documents_owner(struct request *, const char *owner_type,
	    const char *owner_id, const char **label);
/* Validate the fields (type, number, issued_on, expires_on) and the file
 * part "file", store the file, record the document and supersede the
 * current one of the same type.  Returns the stored document as the API
 * shows it, or NULL with *status (422 with *errors {field: message}, 409
 * when another upload renewed the same document at the same moment). */
json_t	*documents_create(struct request *, const char *owner_type,
	    const char *owner_id, int *status, json_t **errors);
/* An owner's documents, current first then history, newest first. */
json_t	*documents_list(struct request *, const char *owner_type,
	    const char *owner_id, int *status);
/* One document, or NULL with *status 404. */
json_t	*documents_get(struct request *, const char *id, int *status);
/* Where a document's file is and how to name it: 0, or 404. */
int	 documents_file_of(struct request *, const char *id,
	    const char **path, const char **content_type,
	    const char **file_name);
/* Current documents to renew or expired, oldest expiry first; owner_type
 * "" for both, state "" for both states. */
json_t	*documents_due(struct request *, const char *owner_type,
	    const char *state, const struct api_page *, long *total,
	    int *status);
/* How many of them, for the navigation: -1 when it cannot be known. */
long	 documents_due_count(struct request *);

#endif
