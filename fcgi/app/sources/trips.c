/* Trips and earnings as the connectors loaded them, described for the
 * resource layer (resource/resource.h): lists filtered by driver, platform
 * and period, with their money sums, for the API (/api/v1/trips and
 * /api/v1/earnings) and the screens (trips_web.c).  They are written by
 * the imports only, so the descriptions have no writable field, and their
 * rows are told apart by their source key. */
#include "trips.h"

const char *const trips_platforms[] = { "uber", "bolt", "heetch", "autre",
	NULL };
static const char *const trip_statuses[] = { "terminee", "annulee",
	"ajustement", "autre", NULL };
static const char *const payment_methods[] = { "especes", "carte", "autre",
	NULL };
static const char *const periods[] = { "jour", "semaine", "mois", NULL };
static const char *const none[] = { "none", NULL };

#define N		RES_NULLABLE
#define COL(name, type, flags)	{ name, type, flags }
#define CENTS(name, text)	{ name, RT_MONEY, N, .doc = text }
#define CHOICE(name, values, flags) { name, RT_ENUM, flags, \
	{ name, V_ENUM, 0, 0, 0, values, NULL } }

/* What every imported row says of where it came from and whose it is. */
#define ORIGIN \
	CHOICE("platform", trips_platforms, 0), \
	COL("source", RT_TEXT, 0), \
	COL("source_key", RT_TEXT, 0), \
	COL("source_id", RT_UUID, N), \
	COL("run_id", RT_UUID, N), \
	COL("driver_id", RT_UUID, N), \
	{ "driver", RT_TEXT, N, .select = "(SELECT d.first_name || ' ' ||" \
	    " d.last_name FROM drivers d WHERE d.tenant_id = t.tenant_id AND" \
	    " d.id = t.driver_id)", .doc = "The matched driver's name." }, \
	COL("driver_ref", RT_TEXT, N), \
	{ "platform_driver_name", RT_TEXT, N, .select = "t.driver_name", \
	    .doc = "The driver's name as the platform wrote it." }

static const struct res_field trip_fields[] = {
	ORIGIN,
	COL("vehicle_plate", RT_TEXT, N),
	CHOICE("status", trip_statuses, 0),
	COL("platform_status", RT_TEXT, N),
	COL("trip_ref", RT_TEXT, N),
	COL("started_at", RT_TIME, N),
	COL("ended_at", RT_TIME, N),
	COL("distance_m", RT_INT, N),
	CHOICE("payment_method", payment_methods, N),
	CENTS("gross_fare_cents", "cents"),
	CENTS("booking_fee_cents", "cents"),
	CENTS("tolls_cents", "cents"),
	CENTS("tips_cents", "cents"),
	CENTS("commission_cents", "cents"),
	CENTS("net_earnings_cents", "What the driver earned (Uber: Paid to"
	    " you : Your earnings)"),
	CENTS("cash_collected_cents", "cents"),
	CENTS("payout_cents", "Uber's \"Paid to you\": the bank settlement,"
	    " not revenue"),
	COL("currency", RT_TEXT, 0),
};

static const struct res_field earning_fields[] = {
	ORIGIN,
	CHOICE("period", periods, 0),
	COL("period_start", RT_DATE, 0),
	COL("period_end", RT_DATE, 0),
	CENTS("gross_cents", "cents"),
	CENTS("net_cents", "cents"),
	CENTS("cash_collected_cents", "cents"),
	CENTS("card_gross_cents", "cents"),
	CENTS("commission_cash_cents", "cents"),
	CENTS("commission_card_cents", "cents"),
	CENTS("cancellation_fees_cents", "cents"),
	CENTS("bonuses_cents", "cents"),
	CENTS("tips_cents", "cents"),
	COL("rides_done", RT_INT, N),
	COL("rides_cancelled", RT_INT, N),
	COL("currency", RT_TEXT, 0),
};

static const struct res_param params[] = {
	{ "driver_id", RP_ID, none, "valid.trips.driver", .doc = "A driver's"
	    " id, or \"none\" for rows no driver was matched to" },
	{ "platform", RP_CHOICE, trips_platforms, "valid.trips.platform" },
	{ "from", RP_DATE, NULL, "valid.trips.date",
	    .doc = "First day (Europe/Paris), included" },
	{ "to", RP_DATE, NULL, "valid.trips.date",
	    .doc = "Last day (Europe/Paris), included" },
};

#define BY_DRIVER_AND_PLATFORM \
	"({driver_id} = '' OR ({driver_id} = 'none' AND t.driver_id IS NULL)" \
	" OR t.driver_id = (CASE WHEN {driver_id} IN ('', 'none') THEN NULL" \
	" ELSE {driver_id} END)::uuid) AND ({platform} = '' OR" \
	" t.platform::text = {platform})"

/* A trip is in the days it started in, in Paris. */
#define TRIP_WHERE BY_DRIVER_AND_PLATFORM \
	" AND (nullif({from}, '') IS NULL OR t.started_at >= (nullif({from}," \
	" '')::date)::timestamp AT TIME ZONE 'Europe/Paris')" \
	" AND (nullif({to}, '') IS NULL OR t.started_at < (nullif({to}, '')::date" \
	" + 1)::timestamp AT TIME ZONE 'Europe/Paris')"

/* A period is in the days when it overlaps them. */
#define EARN_WHERE BY_DRIVER_AND_PLATFORM \
	" AND (nullif({from}, '') IS NULL OR t.period_end >= nullif({from}," \
	" '')::date) AND (nullif({to}, '') IS NULL OR t.period_start <=" \
	" nullif({to}, '')::date)"

static const struct res_sort trip_order[] = {
	{ NULL, "t.started_at DESC NULLS LAST" },
};
static const struct res_sort earning_order[] = {
	{ NULL, "t.period_start DESC, t.driver_name" },
};

static struct res_stmts trip_stmts, earning_stmts;

const struct resource trip_resource = {
	.name = "trips", .table = "trips", .alias = "t", .schema = "Trip",
	.key = "source_key",
	.fields = trip_fields,
	.nfields = sizeof(trip_fields) / sizeof(trip_fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = TRIP_WHERE,
	.sorts = trip_order, .nsorts = 1,
	.sums = "coalesce(sum(t.gross_fare_cents), 0) AS gross_cents,"
	    " coalesce(sum(t.net_earnings_cents), 0) AS net_cents,"
	    " coalesce(sum(t.cash_collected_cents), 0) AS cash_collected_cents",
	.stmts = &trip_stmts,
};

const struct resource earning_resource = {
	.name = "earnings", .table = "earnings", .alias = "t",
	.schema = "Earning", .key = "source_key",
	.fields = earning_fields,
	.nfields = sizeof(earning_fields) / sizeof(earning_fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = EARN_WHERE,
	.sorts = earning_order, .nsorts = 1,
	.sums = "coalesce(sum(t.gross_cents), 0) AS gross_cents,"
	    " coalesce(sum(t.net_cents), 0) AS net_cents,"
	    " coalesce(sum(t.cash_collected_cents), 0) AS cash_collected_cents",
	.stmts = &earning_stmts,
};
