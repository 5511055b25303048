/* Files attached to a vehicle event (an invoice, a claim report, a photo
 * of the damage, a fine notice).  They are the documents' files
 * (documents_file.c): checked by their bytes (PDF, JPEG, PNG, 10 Mo at
 * most), written under the organisation's folder of the data directory
 * with random keys, served only through an authorised route.  An event
 * and its attachments are recorded in the request's one transaction. */
#ifndef FC_APP_EVENT_ATTACHMENTS_H
#define FC_APP_EVENT_ATTACHMENTS_H

#include <jansson.h>

#include "http.h"

/* The multipart field of the files, on the page's form and in the API;
 * several parts may carry it. */
#define EVENT_ATTACHMENTS_FIELD	"attachments"

/* A column for the event queries (vehicle_events.c), where the event is
 * e: its attachments as the API shows them, in the order they were sent,
 * [] when none. */
#define EVENT_ATTACHMENTS_COLUMN \
	" coalesce((SELECT json_agg(json_build_object('id', a.id," \
	" 'file_name', a.file_name, 'content_type', a.content_type," \
	" 'size_bytes', a.size_bytes, 'url', '/api/v1/event-attachments/'" \
	" || a.id || '/file') ORDER BY a.created_at, a.id)" \
	" FROM event_attachments a WHERE a.tenant_id = e.tenant_id" \
	" AND a.event_id = e.id), '[]'::json) AS attachments"

/* The files written for one event, to remove them when what follows
 * fails. */
struct event_files {
	const char	**keys;
	size_t		  n;
};

/* Check every file part of the request named EVENT_ATTACHMENTS_FIELD;
 * the first one that cannot be kept sets errors.attachments (its name
 * and why).  Nothing is written. */
void	event_attachments_check(struct request *, json_t *errors);
/* Write the files and record them for the event, after
 * event_attachments_check passed.  0, or a status with nothing of it left
 * on disk (the rows go with the rolled-back transaction). */
int	event_attachments_save(struct request *, const char *event_id,
	    struct event_files *);
/* Remove the files saved for an event whose transaction will not commit. */
void	event_attachments_discard(struct request *, const struct event_files *);
/* The attachments of an event's JSON (EVENT_ATTACHMENTS_COLUMN) as the
 * timeline shows them: [{name, href}], new. */
json_t	*event_attachments_view(struct request *, json_t *attachments);

/* GET /event-attachments/:id/file and /api/v1/event-attachments/:id/file:
 * the file, to members of its organisation who may see its event. */
int	event_attachments_download(struct request *);

#endif
