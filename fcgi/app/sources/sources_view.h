/* What the Sources screens show of stored values: times in Paris, "il y
 * a 5 min", durations, sizes, status badges, a sync run formatted for
 * the history and its own page, and what the list, a source's page and
 * the mapping share. */
#ifndef FC_APP_SOURCES_VIEW_H
#define FC_APP_SOURCES_VIEW_H

#include <time.h>
#include <jansson.h>

#include "http.h"

/* An ISO 8601 time as PostgreSQL writes it in JSON; 0 when absent. */
time_t		 sources_view_time(json_t *iso);
const char	*sources_view_datetime(struct request *, json_t *iso);
const char	*sources_view_relative(struct request *, json_t *iso);
const char	*sources_view_duration(struct request *, long long ms);
const char	*sources_view_bytes(struct request *, long long);
/* The badge tone of a run status or a source health. */
const char	*sources_view_tone(const char *);
/* A run for the templates (borrowed run, new object). */
json_t		*sources_view_run(struct request *, json_t *run);
/* The runs of a list, each as sources_view_run makes it. */
json_t		*sources_view_runs(struct request *, json_t *runs);
/* "/sources/<id><rest>". */
const char	*sources_view_href(struct request *, const char *id,
		    const char *rest);
/* When a source syncs next, or why it does not. */
const char	*sources_view_next_sync(struct request *, json_t *source);
/* The saved mapping of a generic source: [{label, header}]. */
json_t		*sources_view_mapping(struct request *, json_t *source);

#endif
