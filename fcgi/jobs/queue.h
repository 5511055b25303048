/* The job queue (DESIGN §5): claim with FOR UPDATE SKIP LOCKED,
 * heartbeat while working, retry transient failures with exponential
 * backoff and jitter, fail the rest, reap runs whose heartbeat stopped. */
#ifndef FC_QUEUE_H
#define FC_QUEUE_H

#include <jansson.h>

#include "db.h"

struct job {
	long long	 id;
	char		 kind[64];
	char		 tenant_id[40];	/* "" when none */
	json_t		*payload;	/* owned */
	int		 attempts;	/* including this one */
	int		 max_attempts;
};

enum job_outcome {
	JOB_SUCCEEDED,
	JOB_TRANSIENT,	/* 5xx, 429, timeouts, connection errors: retry */
	JOB_PERMANENT,	/* configuration or data errors: never retried */
};

/* 1 when a job was claimed, 0 when none is due, -1 on error. */
int	queue_claim(struct db *, const char *worker, struct job *,
	    struct db_error *);
int	queue_heartbeat(struct db *, long long id, struct db_error *);
int	queue_finish(struct db *, const struct job *, enum job_outcome,
	    const char *error, struct db_error *);
/* Fail running jobs whose heartbeat is older than stale_seconds; the
 * number reaped or -1. */
int	queue_reap(struct db *, int stale_seconds, struct db_error *);
/* Enqueue kind with payload (JSON text) for tenant (may be NULL). */
int	queue_enqueue(struct db *, const char *kind, const char *payload,
	    const char *tenant_id, long long *id, struct db_error *);
/* Seconds before retry n (1-based): 2^n with ±25 % jitter, capped. */
int	queue_backoff(int attempt, unsigned int random);
void	job_clear(struct job *);

#endif
