/* The merge of a live source's batch into the tables only live sources
 * fill (canon.h): platform_drivers (their driver matched like trips'),
 * platform_vehicles (matched to ours by plate; the plates nobody knows
 * go into the run's notes) and driver_states (whose days of online and
 * busy time are rebuilt in driver_activity_days in the same
 * transaction).  Each row is upserted on (source, source_key), written
 * only when it differs; a key given twice in a batch keeps its last
 * record.  Trips and earnings go through sync_load_merge. */
#ifndef FC_SYNC_LOAD_LIVE_H
#define FC_SYNC_LOAD_LIVE_H

#include <jansson.h>

#include "sync_load.h"

/* After sync_load_end.  notes: {kind: [values]}, added to. */
int	sync_load_merge_live(struct sync_load *, const char *platform,
	    const char *key_space, const char *source_id, const char *run_id,
	    struct sync_counts *, json_t *notes, sync_wait_fn, void *ctx,
	    struct db_error *);

#endif
