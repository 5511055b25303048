/* Scheduled syncs: at each tick of the runner, one run (trigger
 * 'schedule') of every source in « mode automatique » that fetches its
 * file from an address and whose next_sync_at has come; next_sync_at
 * moves to the schedule's next time in the same transaction, so that two
 * runners never start the same sync twice (0008_scheduled_sync.sql).  A
 * source without an address only expects its file (health « en
 * retard »): nothing is started for it. */
#ifndef FC_SCHEDULE_SYNC_H
#define FC_SCHEDULE_SYNC_H

#include "db.h"

/* The number of runs started, or -1. */
int	schedule_sync_tick(struct db *, struct db_error *);

#endif
