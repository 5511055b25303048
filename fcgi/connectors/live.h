/* Live sources: connector types that read a platform's API from the job
 * runner instead of a file (file_based 0 in the table of types).
 *
 * A live type is a row of connector_types[] like any other, with
 *   - fields: its form (secrets sealed and masked as for files), usually
 *     ending with CONNECTOR_LIVE_FIELDS (the first sync's depth);
 *   - check(config, in, out): in->fd is -1 and in->live is set.  It calls
 *     the platform and answers a French sentence the user can act on:
 *     wrong credentials, valid credentials but a company (an account, an
 *     organisation) not entitled, account locked, platform down.  Runs in
 *     a web worker while the person waits: env.http is a short policy;
 *   - discover(config, in, out): the streams it offers,
 *     [{name, table, fields: [...]}] (live_discover builds it from a
 *     table of live_stream);
 *   - read_live(config, env, sink, out): the records, stream by stream.
 *
 * The read's contract (what makes a run exactly-once whatever kills it):
 *   - sink->record(ctx, table, record): a record for a canonical table
 *     (canon.h: trips, earnings, platform drivers, vehicles, states).
 *     Its source_key is its key in the type's key space (key_space, or
 *     live_stream.key_space): the same key is the same row, whichever
 *     source or run brings it;
 *   - sink->checkpoint(ctx, stream, cursor): everything of stream up to
 *     cursor was given.  The runner merges the records given since the
 *     last checkpoint (all of one table), stores the stream's cursor and
 *     the run's counts, and commits: one transaction.  A run killed
 *     between two checkpoints loses only that window; the next run reads
 *     env->streams, the committed cursors, and starts there.  An empty
 *     window may be checkpointed too (the cursor moves on);
 *   - a cursor is text of at most 200 bytes whose meaning is the
 *     connector's (Bolt: the unix second its windows reached).  To catch
 *     late changes (revised prices) a connector reads again a margin
 *     before its cursor: rows are upserted on their key, so a re-read
 *     changes what changed and nothing else;
 *   - sink->reject(ctx, line, column, value, reason): a record that cannot
 *     be loaded (line: its position in the stream), counted and shown;
 *   - sink->note(ctx, kind, value): a fact for the run beside its counts
 *     ("unknown_plate", "AB-123-CD"), a few kept per kind;
 *   - sink->secret(ctx, field, value): a secret field of the source the
 *     platform renewed on the way (a portal's session cookie): sealed and
 *     stored at once, whatever becomes of the run, since the old value no
 *     longer works;
 *   - every callback returns non-zero to stop (cancelled, the runner
 *     stopping, the load failed): read_live then ends CONN_STOPPED;
 *   - the outcome: CONN_OK; CONN_CONFIG (out->message says what to change
 *     — never retried); CONN_TRANSIENT (the platform is down, rate limits
 *     outlasted the retries: the job is retried with backoff and the run
 *     resumes from the committed cursors); CONN_STOPPED.  out->detail is
 *     for support and never holds a secret (http_client's detail is safe).
 *
 * Endpoints come from env->cfg (bolt_api_url…: fixed in production,
 * replaceable elsewhere by FLEETCORE_<PLATFORM>_*_URL); live_endpoint
 * checks one with the file sources' address rule (https, or http to this
 * machine), and env->http.address_ok keeps production connections to
 * public addresses. */
#ifndef FC_LIVE_H
#define FC_LIVE_H

#include <time.h>
#include <jansson.h>

#include "config.h"
#include "connector.h"
#include "http_client.h"

struct live_env {
	const struct config	*cfg;
	int			 allow_internal;	/* not production */
	const json_t		*streams;	/* {stream: cursor}, committed */
	time_t			 now;
	struct http_policy	 http;
};

struct live_sink {
	void	*ctx;
	int	(*record)(void *ctx, enum canon_table,
		    const struct canon_record *);
	int	(*reject)(void *ctx, size_t line, const char *column,
		    const char *value, const char *reason);
	int	(*checkpoint)(void *ctx, const char *stream, const char *cursor);
	int	(*note)(void *ctx, const char *kind, const char *value);
	int	(*secret)(void *ctx, const char *field, const char *value);
};

/* A stream as discover shows it. */
struct live_stream {
	const char		*name;		/* "orders" */
	enum canon_table	 table;
	const char		*key_space;	/* "bolt_order" */
	const char *const	*fields;	/* the platform's names, NULL-ended */
};

/* The first sync's depth, in weeks (a choice; 8 by default). */
extern const char *const live_backfill_weeks[];
#define CONNECTOR_LIVE_FIELDS \
	{ "backfill_weeks", "sources.field.backfill_weeks", \
	    "sources.field.backfill_weeks_help", CFIELD_CHOICE, 0, \
	    live_backfill_weeks, "8", 0, NULL }

/* An environment for a run (for_check 0: the job runner's policy, 5
 * attempts, 30 s each) or for a check in a web worker (for_check 1: 2
 * attempts, 10 s). */
void		 live_env_init(struct live_env *, const struct config *,
		    int for_check);
/* 0 when url may be called, -1 with out CONN_CONFIG naming which. */
int		 live_endpoint(const char *url, const char *what,
		    struct connector_outcome *out);
/* The committed cursor of stream, or NULL on a first sync. */
const char	*live_cursor(const struct live_env *, const char *stream);
/* Seconds back a first sync reaches (backfill_weeks of config). */
long		 live_backfill_seconds(const json_t *config);
/* What a failed request means for the user (platform: "Bolt"): a
 * transient or stopped outcome, or a configuration one with message. */
void		 live_http_fail(struct connector_outcome *, const char *platform,
		    const struct http_response *, const char *message);
/* discover's answer for a table of streams. */
json_t		*live_discover(const struct live_stream *, size_t n);

#endif
