/* The runner's daily schedule: jobs that must run once a day (documents'
 * expiry states, …).  Each tick enqueues, for every daily kind whose hour
 * (Europe/Paris) has come, one job for today, unless today's exists; a
 * unique index (0004) keeps it at one even with several runners.  A
 * runner that was down at that hour enqueues the day's job when it comes
 * back, so no day is skipped while the stack runs on that day. */
#ifndef FC_SCHEDULE_H
#define FC_SCHEDULE_H

#include "config.h"
#include "db.h"

/* Seconds between ticks. */
#define SCHEDULE_EVERY	15
/* Under FLEETCORE_ENV=test, so that a test of scheduled work waits
 * seconds, not a quarter of a minute per tick. */
#define SCHEDULE_EVERY_TEST	2

int	schedule_every(const struct config *);

/* The number of jobs enqueued, or -1. */
int	schedule_tick(struct db *, struct db_error *);

#endif
