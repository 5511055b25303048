/* Bolt (bolt_api): the Fleet Integration API, read by the job runner.
 *
 * Streams, in this order, each in windows whose end is its cursor
 * ("YYYY-MM-DD HH:MM:SS+00", UTC):
 *   drivers     getDrivers, 30-day windows → platform_drivers;
 *   vehicles    getVehicles (limit 100), 30-day windows → platform_vehicles;
 *   orders      getFleetOrders filtered on the price review time (when the
 *               fare was final), 7-day windows → trips, keyed on
 *               order_reference in the key space of the Bolt orders export
 *               ("bolt_order"): the same order by either path is one row;
 *   state_logs  getFleetStateLogs, 1-day windows → driver_states (and the
 *               days' online and busy time).
 * A first sync reaches back backfill_weeks (8 by default); later ones
 * start from the cursor less an overlap (two days for orders, so that a
 * late price review updates the stored trip).  Each window is read for
 * every company, page by page (offset/limit, stopping on a short page),
 * then checkpointed.  A window Bolt finds too long (498806) is split in
 * two and read again.  A company the credentials may not read is a
 * configuration error naming it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bolt_api.h"

#define DAY		86400L
#define MIN_WINDOW	3600L	/* no split below an hour */
#define MAX_PAGES	100000

typedef const char *(*bolt_parser)(const json_t *, struct canon_record *,
    const char **);

/* A stream's reading, beside its description (streams[] below). */
struct bolt_stream {
	const char	*op;
	const char	*rows;		/* data's key of the page's rows */
	int		 limit;
	long		 window;	/* seconds */
	long		 overlap;	/* read again before the cursor */
	int		 orders;	/* body with company_ids[] */
	bolt_parser	 parse;
};

static const char *const order_fields[] = { "order_reference", "driver_uuid",
	"driver_name", "driver_phone", "payment_method", "order_status",
	"vehicle_license_plate", "order_created_timestamp",
	"order_pickup_timestamp", "order_finished_timestamp", "ride_distance",
	"order_price.ride_price", "order_price.booking_fee",
	"order_price.toll_fee", "order_price.cancellation_fee",
	"order_price.tip", "order_price.net_earnings",
	"order_price.cash_discount", "order_price.in_app_discount",
	"order_price.commission", NULL };
static const char *const driver_fields[] = { "driver_uuid", "first_name",
	"last_name", "email", "phone", "state", "active_vehicle.reg_number",
	NULL };
static const char *const vehicle_fields[] = { "uuid", "id", "reg_number",
	"model", "year", "vin", "state", NULL };
static const char *const state_fields[] = { "driver_uuid", "vehicle_uuid",
	"created", "state", NULL };

static const struct live_stream streams[] = {
	{ "drivers", CANON_PLATFORM_DRIVERS, "bolt_driver", driver_fields },
	{ "vehicles", CANON_PLATFORM_VEHICLES, "bolt_vehicle", vehicle_fields },
	{ "orders", CANON_TRIPS, "bolt_order", order_fields },
	{ "state_logs", CANON_DRIVER_STATES, "bolt_state", state_fields },
};
#define NSTREAMS	(sizeof(streams) / sizeof(streams[0]))

static const struct bolt_stream reading[NSTREAMS] = {
	{ "getDrivers", "drivers", 1000, 30 * DAY, DAY, 0, bolt_parse_driver },
	{ "getVehicles", "vehicles", 100, 30 * DAY, DAY, 0, bolt_parse_vehicle },
	{ "getFleetOrders", "orders", 1000, 7 * DAY, 2 * DAY, 1,
	    bolt_parse_order },
	{ "getFleetStateLogs", "state_logs", 1000, DAY, 600, 0,
	    bolt_parse_state_log },
};

/* ---- the form ---------------------------------------------------------- */

/* "123, 456": whole numbers separated by commas or spaces. */
static const char *
company_ids_check(const char *v)
{
	const char	*p;
	int		 digits = 0, n = 0;

	for (p = v; p != NULL && *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits > 15)
				return "valid.sources.company_ids";
			continue;
		}
		if (*p != ',' && *p != ' ')
			return "valid.sources.company_ids";
		n += digits > 0;
		digits = 0;
	}
	n += digits > 0;
	return n > BOLT_COMPANIES_MAX ? "valid.sources.company_ids" : NULL;
}

static const struct connector_field fields[] = {
	{ "client_id", "sources.field.client_id", "sources.field.bolt_client_id_help",
	    CFIELD_TEXT, 1, NULL, NULL, 200, NULL },
	{ "client_secret", "sources.field.client_secret", NULL, CFIELD_SECRET, 1,
	    NULL, NULL, 500, NULL },
	{ "company_ids", "sources.field.company_ids",
	    "sources.field.company_ids_help", CFIELD_TEXT, 0, NULL, NULL, 500,
	    company_ids_check },
	CONNECTOR_LIVE_FIELDS,
};

/* The configured companies (none: all the credentials may read). */
static int
configured(const json_t *config, long long *ids, int max)
{
	const char	*p = json_string_value(json_object_get(config,
			    "company_ids"));
	char		*end;
	int		 n = 0;

	while (p != NULL && *p != '\0' && n < max) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		ids[n++] = strtoll(p, &end, 10);
		p = end;
	}
	return n;
}

static void
list_ids(const long long *ids, int n, char *out, size_t outlen)
{
	size_t	o = 0;
	int	i;

	out[0] = '\0';
	for (i = 0; i < n && o + 24 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%lld", i ? ", " : "",
		    ids[i]);
}

/* The companies to read: the configured ones, each entitled, or all the
 * entitled ones.  Their count, or -1 with out set. */
static int
companies(struct bolt_session *s, const json_t *config, long long *ids,
    struct connector_outcome *out)
{
	long long	 allowed[BOLT_COMPANIES_MAX];
	char		 msg[512], list[400];
	int		 n, k, i, j;

	if ((n = bolt_companies(s, allowed, BOLT_COMPANIES_MAX, out)) < 0)
		return -1;
	list_ids(allowed, n, list, sizeof(list));
	if (n == 0) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Identifiants Bolt "
		    "valides, mais aucune société n'y est rattachée : vérifiez "
		    "l'accès API dans le portail flotte Bolt.");
		return -1;
	}
	if ((k = configured(config, ids, BOLT_COMPANIES_MAX)) == 0) {
		memcpy(ids, allowed, (size_t)n * sizeof(ids[0]));
		return n;
	}
	for (i = 0; i < k; i++) {
		for (j = 0; j < n && allowed[j] != ids[i]; j++)
			;
		if (j == n) {
			snprintf(msg, sizeof(msg), "Identifiants Bolt valides, mais "
			    "la société %lld n'y est pas rattachée. Sociétés "
			    "accessibles : %s.", ids[i], list);
			connector_fail(out, CONN_CONFIG, 0, 0, NULL, msg);
			return -1;
		}
	}
	return k;
}

static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	struct bolt_session	 s;
	long long		 ids[BOLT_COMPANIES_MAX];
	char			 list[400];
	int			 n;

	if (in->live == NULL) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Cette source lit "
		    "l'API de Bolt : elle ne prend pas de fichier.");
		return;
	}
	bolt_session_init(&s, in->live, config);
	if ((n = companies(&s, config, ids, out)) > 0) {
		list_ids(ids, n, list, sizeof(list));
		snprintf(out->message, sizeof(out->message), "Connexion à Bolt "
		    "réussie : %d société(s) lue(s) (%s).", n, list);
	}
	bolt_session_clear(&s);
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	(void)config;
	(void)in;
	(void)out;
	return live_discover(streams, NSTREAMS);
}

/* ---- the read -------------------------------------------------------------- */

struct reader {
	const json_t			*config;
	const struct live_env		*env;
	const struct live_sink		*sink;
	struct connector_outcome	*out;
	struct bolt_session		 s;
	struct canon_record		 rec;
	size_t				 line;
	int				 stopped;
};

static void
cursor_text(time_t t, char *out, size_t n)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S+00", &tm);
}

static time_t
cursor_time(const char *c)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (c == NULL || sscanf(c, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static json_t *
page_body(const struct bolt_stream *b, long long company, time_t from,
    time_t to, long offset)
{
	json_t	*o = json_pack("{s:I, s:I, s:i, s:i}", "start_ts",
		    (json_int_t)from, "end_ts", (json_int_t)to, "offset",
		    (int)offset, "limit", b->limit);

	if (b->orders) {
		json_object_set_new(o, "company_ids", json_pack("[I]",
		    (json_int_t)company));
		json_object_set_new(o, "time_range_filter_type",
		    json_string("price_review"));
	} else
		json_object_set_new(o, "company_id", json_integer(company));
	return o;
}

/* One page's rows to the sink; the number of rows, or -1 to stop. */
static int
put_rows(struct reader *rd, const struct live_stream *st,
    const struct bolt_stream *b, const json_t *rows)
{
	const json_t	*row;
	const char	*why, *column, *value;
	size_t		 i;

	json_array_foreach(rows, i, row) {
		rd->line++;
		if ((why = b->parse(row, &rd->rec, &column)) != NULL) {
			value = json_string_value(json_object_get(row, column));
			if (rd->sink->reject(rd->sink->ctx, rd->line, column,
			    value != NULL ? value : "", why) != 0)
				return -1;
			continue;
		}
		rd->rec.line = rd->line;
		if (rd->sink->record(rd->sink->ctx, st->table, &rd->rec) != 0)
			return -1;
	}
	return (int)json_array_size(rows);
}

static void
company_refused(struct reader *rd, long long company, long long code)
{
	char	msg[512];

	if (code != BOLT_COMPANY_NOT_FOUND && code != BOLT_COMPANY_NOT_ACTIVE &&
	    code != BOLT_COMPANY_NOT_ALLOWED && code != BOLT_NOT_AUTHORIZED)
		return;
	snprintf(msg, sizeof(msg), code == BOLT_COMPANY_NOT_ACTIVE ?
	    "La société Bolt %lld n'est plus active : retirez-la des sociétés "
	    "de la source." : "Bolt refuse l'accès à la société %lld avec ces "
	    "identifiants (société inconnue ou non autorisée) : retirez-la des "
	    "sociétés de la source ou demandez l'accès à Bolt.", company);
	snprintf(rd->out->message, sizeof(rd->out->message), "%s", msg);
}

/* One company over [from, to): every page, split in two when Bolt finds
 * the period too long.  0, or -1 with out set (or stopped). */
static int
read_range(struct reader *rd, const struct live_stream *st,
    const struct bolt_stream *b, long long company, time_t from, time_t to)
{
	json_t		*body, *data;
	long long	 code;
	long		 offset = 0;
	int		 pages, n;

	for (pages = 0; pages < MAX_PAGES; pages++) {
		body = page_body(b, company, from, to, offset);
		n = bolt_call(&rd->s, b->op, body, &data, &code, rd->out);
		json_decref(body);
		if (n == -1 && code == BOLT_INVALID_DATE_RANGE &&
		    offset == 0 && to - from > MIN_WINDOW) {
			connector_outcome_clear(rd->out);
			connector_outcome_init(rd->out);
			return read_range(rd, st, b, company, from, from +
			    (to - from) / 2) == -1 ? -1 : read_range(rd, st, b,
			    company, from + (to - from) / 2, to);
		}
		if (n == -1) {
			company_refused(rd, company, code);
			return -1;
		}
		n = json_is_array(json_object_get(data, b->rows)) ?
		    put_rows(rd, st, b, json_object_get(data, b->rows)) : -2;
		json_decref(data);
		if (n == -2) {
			connector_fail(rd->out, CONN_TRANSIENT, 0, 0, NULL, "Bolt a "
			    "répondu sans la liste attendue : nouvel essai plus "
			    "tard.");
			snprintf(rd->out->detail, sizeof(rd->out->detail), "%s: no "
			    "data.%s array", b->op, b->rows);
			return -1;
		}
		if (n == -1) {
			rd->stopped = 1;
			return -1;
		}
		if (n < b->limit)
			return 0;
		offset += n;
	}
	return 0;
}

static int
read_stream(struct reader *rd, size_t k, const long long *ids, int nids)
{
	const struct live_stream	*st = &streams[k];
	const struct bolt_stream	*b = &reading[k];
	time_t				 now = rd->env->now, from, to, c;
	char				 cur[32];
	int				 i;

	c = cursor_time(live_cursor(rd->env, st->name));
	from = c == (time_t)-1 ? now - live_backfill_seconds(rd->config) :
	    c - b->overlap;
	rd->line = 0;
	for (; from < now; from = to) {
		to = from + b->window < now ? from + b->window : now;
		for (i = 0; i < nids; i++)
			if (read_range(rd, st, b, ids[i], from, to) == -1)
				return -1;
		cursor_text(to, cur, sizeof(cur));
		if (rd->sink->checkpoint(rd->sink->ctx, st->name, cur) != 0) {
			rd->stopped = 1;
			return -1;
		}
	}
	return 0;
}

static void
read_live(const json_t *config, const struct live_env *env,
    const struct live_sink *sink, struct connector_outcome *out)
{
	struct reader	*rd;
	long long	 ids[BOLT_COMPANIES_MAX];
	size_t		 k;
	int		 n;

	if ((rd = calloc(1, sizeof(*rd))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL, "Mémoire "
		    "insuffisante.");
		return;
	}
	rd->config = config;
	rd->env = env;
	rd->sink = sink;
	rd->out = out;
	bolt_session_init(&rd->s, env, config);
	if ((n = companies(&rd->s, config, ids, out)) > 0)
		for (k = 0; k < NSTREAMS; k++)
			if (read_stream(rd, k, ids, n) == -1)
				break;
	if (rd->stopped)
		connector_fail(out, CONN_STOPPED, 0, 0, NULL, "Interrompu.");
	bolt_session_clear(&rd->s);
	free(rd);
}

const struct connector_type connector_bolt_api = {
	.name = "bolt_api",
	.label_key = "sources.types.bolt_api",
	.help_key = "sources.types.bolt_api_help",
	.platform = "bolt",
	.file_based = 0,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_TRIPS,
	.key_space = "bolt_order",
	.check = check,
	.discover = discover,
	.read_live = read_live,
	.streams = streams,
	.nstreams = NSTREAMS,
};
