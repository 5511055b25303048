/* Sync runs, from the request side: start one (the upload is kept, the
 * run recorded and its job enqueued in the request's transaction), read
 * one with its counts and totals, list a source's history, its rejected
 * rows, cancel, run again with the same file. */
#ifndef FC_APP_SYNC_RUNS_H
#define FC_APP_SYNC_RUNS_H

#include <jansson.h>

#include "api.h"
#include "http.h"
#include "sources.h"

extern const char *const sync_statuses[];

/* The upload in field "file" of the request, or NULL. */
struct upload	*sync_run_upload(struct request *);
/* Start a run of the source with the file (trigger: manual, api).  0 with
 * run_id, or a status with *message in the request's language: 409 when
 * one is running or the source is paused, 422 without a usable file. */
int		 sync_run_start(struct request *, const struct source_row *,
		    const char *trigger, struct upload *, char run_id[40],
		    const char **message);
/* The same with a file already kept (the mapping step kept it). */
int		 sync_run_start_kept(struct request *, const struct source_row *,
		    const char *trigger, const char *key, const char *file_name,
		    char run_id[40], const char **message);
/* A new run reading the same file as run id. */
int		 sync_run_retry(struct request *, const char *id,
		    char run_id[40], const char **message);
/* One run as the API shows it (source name, counts, totals, duration,
 * progress percentage), or NULL with *status. */
json_t		*sync_run_get(struct request *, const char *id, int *status);
json_t		*sync_run_list(struct request *, const char *source_id,
		    const struct api_page *, long *total, int *status);
/* The first rejected rows of a run (line order). */
json_t		*sync_run_rejects(struct request *, const char *id, int limit,
		    int *status);
/* Ask a run to stop: at once when no runner holds it, else at the
 * runner's next heartbeat.  0, 404, or 409 when it already ended. */
int		 sync_run_cancel(struct request *, const char *id);

#endif
