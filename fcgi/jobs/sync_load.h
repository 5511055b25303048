/* The loading side of a sync: records stream into a temporary staging
 * table with COPY (memory stays one buffer whatever the file's size),
 * then one transaction de-duplicates the keys, finds each row's driver,
 * upserts into the canonical table on (source, source_key) counting what
 * is new, changed and unchanged, and sums what was stored so that the run
 * can show the file's money next to the table's.  Nothing is visible to
 * anyone before the caller commits. */
#ifndef FC_SYNC_LOAD_H
#define FC_SYNC_LOAD_H

#include <jansson.h>

#include "buf.h"
#include "connectors/canon.h"
#include "db.h"

struct sync_load {
	struct db			*db;
	enum canon_table		 which;
	const struct canon_table_def	*table;
	buf				 out;		/* COPY data not yet sent */
	long long			 records;
	long long			 sums[CANON_MAX_COLUMNS];
	char				 cursor[32];	/* newest time or day seen */
	int				 copying;
};

struct sync_counts {
	long long	 accepted;	/* records after duplicates went */
	long long	 duplicates;
	long long	 inserted;
	long long	 updated;
	long long	 unchanged;
};

/* Inside the caller's transaction (tenant set): create the staging table
 * and open COPY.  0 or -1 with err. */
int	 sync_load_begin(struct sync_load *, struct db *, enum canon_table,
	    struct db_error *);
int	 sync_load_put(struct sync_load *, const struct canon_record *,
	    struct db_error *);
/* Close COPY: 0, or -1 with err.  abort_copy ends it with an error (the
 * transaction is then to be rolled back). */
int	 sync_load_end(struct sync_load *, struct db_error *);
void	 sync_load_abort(struct sync_load *);
void	 sync_load_free(struct sync_load *);

/* A statement that may run long: sent asynchronously, and while it runs
 * wait() is called about every second (heartbeats); a non-zero answer
 * cancels it.  Returns the result (caller clears) or NULL with err. */
typedef int	(*sync_wait_fn)(void *ctx);
PGresult *sync_load_exec(struct db *, const char *sql, int n,
	    const char *const *values, sync_wait_fn, void *ctx,
	    struct db_error *);

/* The merge, step by step, each inside the transaction:
 *   duplicates → rejected rows (the first kept), up to keep_rejects;
 *   drivers → matched by remembered choice, platform id, e-mail, phone;
 *   upsert → counts;
 *   totals of the stored rows for the file's keys. */
int	 sync_load_merge(struct sync_load *, const char *platform,
	    const char *key_space, const char *source_id, const char *run_id,
	    const char *key_header, long long keep_rejects,
	    struct sync_counts *, json_t **file_totals, json_t **loaded_totals,
	    sync_wait_fn, void *ctx, struct db_error *);

/* Find the driver of each driver_ref of the staged rows (which carry
 * driver_ref, driver_email and driver_phone) into sync_stage_drivers:
 * remembered choice, platform id, e-mail, phone. */
int	 sync_load_match_drivers(struct sync_load *, const char *platform,
	    sync_wait_fn, void *ctx, struct db_error *);

#endif
