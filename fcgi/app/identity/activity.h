/* The activity feed: who did what, per organisation. */
#ifndef FC_APP_ACTIVITY_H
#define FC_APP_ACTIVITY_H

#include <jansson.h>

#include "http.h"

/* Record in the current tenant, by the current user.  0 or a status. */
int	activity_record(struct request *, const char *type, const char *title,
	    const char *description, const char *subject_type,
	    const char *subject_id);
/* The latest n activities of the tenant, for the dashboard. */
json_t	*activity_recent(struct request *, int n, int *status);

#endif
