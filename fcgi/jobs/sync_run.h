/* What every kind of sync run shares: the job's state, statements on the
 * runner's control connection (what screens must see while the job's
 * own transaction is open), progress and cancel, rejected rows, and the
 * ways a run ends.  Used by sync_job.c (file runs, and the start of
 * every run) and sync_live.c (runs of live sources). */
#ifndef FC_SYNC_RUN_H
#define FC_SYNC_RUN_H

#include <jansson.h>
#include <time.h>

#include "connectors/connector.h"
#include "runner.h"
#include "sync_load.h"

struct sync_job {
	struct job_ctx			*c;
	const char			*tenant;
	char				 run_id[40];
	char				 source_id[40];
	char				 file_key[80];
	char				 file_name[256];
	char				 cursor_before[201];
	const struct connector_type	*type;
	json_t				*config;
	struct sync_load		 load;
	int				 loading;
	json_t				*rejects;
	long long			 rejected;
	long long			 kept;		/* rejects kept, of a run */
	long long			 extracted;
	size_t				 bytes;
	time_t				 last_progress;
	int				 stop;		/* cancelled, or runner stopping */
	int				 runner_stopping;
	int				 load_failed;
	struct db_error			 err;
	/* A live run (sync_live.c): what its committed windows counted. */
	long long			 inserted, updated, unchanged;
	json_t				*notes;
};

/* A statement on the control connection, in its own short transaction
 * with the job's tenant; the result (caller clears) or NULL with err. */
PGresult	*sync_control(struct sync_job *, const struct db_stmt *, int n,
		    const char *const *v, struct db_error *err);
/* The same, its result dropped and a failure logged. */
void		 sync_control_command(struct sync_job *, const struct db_stmt *,
		    int n, const char *const *v);
/* What the runner logs about the job: never a secret, never a value. */
void		 sync_say(struct sync_job *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*sync_num(char *b, size_t n, long long v);
/* Heartbeat, and every second or so (or now with force) the progress
 * for screens and whether the run was cancelled.  Non-zero: stop. */
int		 sync_tick(struct sync_job *, int force);
int		 sync_wait_tick(void *ctx);
/* A connector sink's reject: counted, the first ones kept. */
int		 sync_on_reject(void *ctx, size_t line, const char *column,
		    const char *value, const char *reason);

/* The rejected rows kept so far, written by the job's own transaction
 * (they commit with the rows) and then forgotten: 0 or -1 with err. */
int		 sync_store_rejects(struct sync_job *, struct db_error *);

/* In the job's transaction, the run having loaded rows: the source's
 * cursor moves forward to cursor (never back), and in « mode
 * automatique » the next sync is due one period later. */
int		 sync_advance_source(struct sync_job *, const char *cursor,
		    struct db_error *);

/* The job's transaction rolled back (and COPY ended). */
void		 sync_end_data(struct sync_job *);
enum job_outcome sync_cancelled(struct sync_job *);
/* The run ends in failure ("configuration" or "transient"). */
enum job_outcome sync_failed(struct sync_job *, const char *kind,
		    const char *message, const char *detail, json_t *dialect);
/* Retried by the queue while attempts remain, the run staying « en
 * cours » with the reason; then a failure. */
enum job_outcome sync_transient(struct sync_job *, const char *why);
enum job_outcome sync_db_failed(struct sync_job *, const struct db_error *);
/* An outside server failed in a way that passes (5xx, 429, timeout,
 * connection): o's message, retried by the queue while attempts remain,
 * the run staying « en cours » with the reason; then it fails, transient. */
enum job_outcome sync_outside_retry(struct sync_job *,
		    const struct connector_outcome *o);

#endif
