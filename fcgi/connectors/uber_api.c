/* Uber (uber_api): the Vehicle Suppliers API of a fleet (platforms.md
 * §2.2).  Organisations first (their ids are encrypted and opaque), then
 * four streams: drivers (with their assigned vehicles), vehicles (v2),
 * payments (earners/payments, into trips) and the drivers' status.
 *
 * Payments reach back 24 hours and no further: each run reads from its
 * cursor (the end of the last window read, epoch milliseconds) less an
 * overlap, to now.  When the cursor is older than Uber's horizon, the
 * time between is lost to the API: it is reported as a gap (note "gaps",
 * "<from ms>/<to ms>"), which the database turns into the Paris days the
 * source's page shows with the offer to fill them from the Uber payments
 * CSV (migration 0020).  A first sync's depth is such a gap too, but for
 * the last 24 hours.  The CSV (uber_csv) and this type share one key
 * space, the Transaction UUID: the same trip is one row whichever path
 * brings it first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "uber_api.h"

#define DAY_MS		86400000LL
/* Inside Uber's 24 hours by this much, so that our clock and Uber's may
 * differ by minutes without a hole at the edge. */
#define HORIZON_MS	(10 * 60 * 1000LL)
/* Read again before the cursor: a transaction processed late. */
#define OVERLAP_MS	(30 * 60 * 1000LL)
/* Uber answers an empty list above 50 (seen by implementers). */
#define PAYMENTS_PAGE	"50"
#define PAGE		"100"
#define MAX_PAGES	10000

static const char *const driver_fields[] = { "driverId", "firstName",
	"lastName", "email", "phoneNumber", "assignedVehicles", NULL };
static const char *const vehicle_fields[] = { "vehicleId", "make", "model",
	"year", "vin", "licensePlate", "color", NULL };
static const char *const payment_fields[] = { "transactionUuid", "tripUuid",
	"earnerUuid", "processedAt", "description", "paymentBreakdowns", NULL };
static const char *const status_fields[] = { "driverInfo.driverUuid",
	"statusEntries.status", "statusEntries.timestamp", NULL };

static const struct live_stream streams[] = {
	{ "drivers", CANON_PLATFORM_DRIVERS, "uber_driver", driver_fields },
	{ "vehicles", CANON_PLATFORM_VEHICLES, "uber_vehicle", vehicle_fields },
	{ "payments", CANON_TRIPS, "uber_transaction", payment_fields },
	{ "driver_status", CANON_DRIVER_STATES, "uber_driver_state",
	    status_fields },
};

/* ---- reading ------------------------------------------------------------- */

struct read {
	struct uber_session		 s;
	const struct live_env		*env;
	const struct live_sink		*sink;
	struct connector_outcome	*out;
	json_t				*orgs;
	size_t				 page_line;	/* position in the stream */
};

/* Every page of path for every organisation; extra: more of the query
 * ("start_time=…&end_time=…"). */
static int
read_pages(struct read *rd, enum uber_stream stream, const char *path,
    const char *what, const char *size, const char *extra)
{
	struct uber_sink	 us = { rd->sink->ctx, rd->sink->record,
				    rd->sink->reject, "" };
	struct uber_page	 page;
	json_t			*org;
	size_t			 i;
	buf			 q, body;
	char			 token[UBER_TOKEN_MAX];
	int			 n, rc = 0;
	struct tm		 tm;
	time_t			 now = rd->env->now;

	gmtime_r(&now, &tm);
	strftime(us.now, sizeof(us.now), "%Y-%m-%d %H:%M:%S+00", &tm);
	json_array_foreach(rd->orgs, i, org) {
		token[0] = '\0';
		for (n = 0; rc == 0 && n < MAX_PAGES; n++) {
			buf_init(&q);
			http_form_add(&q, "org_id", json_string_value(
			    json_object_get(org, "id")));
			if (stream == UBER_DRIVERS)
				http_form_add(&q, "include_assigned_vehicles",
				    "true");
			http_form_add(&q, "page_size", size);
			if (*token)
				http_form_add(&q, "page_token", token);
			if (extra != NULL && *extra) {
				buf_puts(&q, "&");
				buf_puts(&q, extra);
			}
			rc = uber_get(&rd->s, path, buf_cstr(&q), what, &body,
			    rd->out);
			buf_free(&q);
			if (rc != 0)
				break;
			uber_page_parse(stream, body.data, body.len, &us, &page,
			    rd->out);
			buf_free(&body);
			if (rd->out->result != CONN_OK)
				return -1;
			if (page.next_token[0] == '\0')
				break;
			if (strcmp(page.next_token, token) == 0) {
				connector_fail(rd->out, CONN_TRANSIENT, 0, 0, NULL,
				    "Uber renvoie la même page sans fin : nouvel "
				    "essai plus tard.");
				return -1;
			}
			snprintf(token, sizeof(token), "%s", page.next_token);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
checkpoint(struct read *rd, const char *stream, long long ms)
{
	char	c[32];

	snprintf(c, sizeof(c), "%lld", ms);
	if (rd->sink->checkpoint(rd->sink->ctx, stream, c) != 0) {
		rd->out->result = CONN_STOPPED;
		return -1;
	}
	return 0;
}

/* The payments window, and the time before it the API can no longer
 * give (a gap), as a note. */
static int
read_payments(struct read *rd, const json_t *config)
{
	const char	*cursor = live_cursor(rd->env, "payments");
	long long	 now = (long long)rd->env->now * 1000, horizon, start,
			 lost_from = 0;
	char		 extra[96], gap[48];

	horizon = now - DAY_MS + HORIZON_MS;
	if (cursor == NULL)
		lost_from = now - (long long)live_backfill_seconds(config) * 1000;
	else if ((lost_from = strtoll(cursor, NULL, 10)) <= 0)
		lost_from = horizon;
	start = cursor != NULL ? lost_from - OVERLAP_MS : horizon;
	if (start < horizon)
		start = horizon;
	if (lost_from < horizon) {
		snprintf(gap, sizeof(gap), "%lld/%lld", lost_from, horizon);
		if (rd->sink->note(rd->sink->ctx, "gaps", gap) != 0) {
			rd->out->result = CONN_STOPPED;
			return -1;
		}
	}
	snprintf(extra, sizeof(extra), "start_time=%lld&end_time=%lld", start,
	    now);
	if (read_pages(rd, UBER_PAYMENTS, "/v1/vehicle-suppliers/earners/"
	    "payments", "les paiements", PAYMENTS_PAGE, extra) != 0)
		return -1;
	return checkpoint(rd, "payments", now);
}

static void
read_live(const json_t *config, const struct live_env *env,
    const struct live_sink *sink, struct connector_outcome *out)
{
	struct read	rd;
	long long	now = (long long)env->now * 1000;

	memset(&rd, 0, sizeof(rd));
	rd.env = env;
	rd.sink = sink;
	rd.out = out;
	uber_session_init(&rd.s, env, config);
	if ((rd.orgs = uber_orgs(&rd.s, out)) == NULL)
		goto done;
	if (read_pages(&rd, UBER_DRIVERS, "/v1/vehicle-suppliers/drivers",
	    "les chauffeurs", PAGE, NULL) != 0 ||
	    checkpoint(&rd, "drivers", now) != 0)
		goto done;
	if (read_pages(&rd, UBER_VEHICLES, "/v2/vehicle-suppliers/vehicles",
	    "les véhicules", PAGE, NULL) != 0 ||
	    checkpoint(&rd, "vehicles", now) != 0)
		goto done;
	if (read_payments(&rd, config) != 0)
		goto done;
	if (read_pages(&rd, UBER_STATUS, "/v1/vehicle-suppliers/drivers/"
	    "actions", "l'état des chauffeurs", PAGE, NULL) != 0)
		goto done;
	(void)checkpoint(&rd, "driver_status", now);
done:
	json_decref(rd.orgs);
	uber_session_clear(&rd.s);
}

/* ---- check and discover ------------------------------------------------------- */

/* Deep enough that a sync which follows should pass: the token with
 * every scope, the organisations, one page of drivers and of payments. */
static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct uber_session	 s;
	json_t			*orgs, *org;
	buf			 q, body;
	char			 extra[96];
	long long		 now;

	if (in == NULL || in->live == NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Test impossible "
		    "sans l'environnement du serveur.");
		return;
	}
	now = (long long)in->live->now * 1000;
	uber_session_init(&s, in->live, config);
	if ((orgs = uber_orgs(&s, out)) == NULL) {
		uber_session_clear(&s);
		return;
	}
	org = json_array_get(orgs, 0);
	buf_init(&q);
	http_form_add(&q, "org_id", json_string_value(json_object_get(org, "id")));
	http_form_add(&q, "page_size", "1");
	if (uber_get(&s, "/v1/vehicle-suppliers/drivers", buf_cstr(&q),
	    "les chauffeurs", &body, out) == 0) {
		buf_free(&body);
		snprintf(extra, sizeof(extra), "&start_time=%lld&end_time=%lld",
		    now - 3600000LL, now);
		buf_puts(&q, extra);
		if (uber_get(&s, "/v1/vehicle-suppliers/earners/payments",
		    buf_cstr(&q), "les paiements", &body, out) == 0) {
			buf_free(&body);
			snprintf(out->message, sizeof(out->message), "Connexion "
			    "à Uber réussie : %zu organisation%s (%s), accès aux "
			    "chauffeurs et aux paiements vérifié. Les paiements ne "
			    "remontent qu'à 24 heures : synchronisez au moins une "
			    "fois par jour.", json_array_size(orgs),
			    json_array_size(orgs) > 1 ? "s" : "",
			    json_string_value(json_object_get(org, "name")));
		}
	}
	buf_free(&q);
	json_decref(orgs);
	uber_session_clear(&s);
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	(void)config;
	(void)in;
	(void)out;
	return live_discover(streams, sizeof(streams) / sizeof(streams[0]));
}

static const struct connector_field fields[] = {
	{ "client_id", "sources.field.client_id", "sources.field.uber_client_id_help",
	    CFIELD_TEXT, 1, NULL, NULL, 200, NULL },
	{ "client_secret", "sources.field.client_secret", NULL, CFIELD_SECRET, 1,
	    NULL, NULL, 500, NULL },
	CONNECTOR_LIVE_FIELDS,
};

const struct connector_type connector_uber_api = {
	.name = "uber_api",
	.label_key = "sources.types.uber_api",
	.help_key = "sources.types.uber_api_help",
	.platform = "uber",
	.file_based = 0,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_TRIPS,
	.key_space = "uber_transaction",
	.check = check,
	.discover = discover,
	.read_live = read_live,
	.streams = streams,
	.nstreams = sizeof(streams) / sizeof(streams[0]),
};
