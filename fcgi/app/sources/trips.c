#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "fmt.h"
#include "trips.h"
#include "valid.h"
#include "worker.h"

const char *const trips_platforms[] = { "uber", "bolt", "heetch", "autre",
	NULL };

/* $1 driver ("" any, "none" unmatched, else an id), $2 platform, $3 from,
 * $4 to (days in Paris, both included). */
#define TRIP_WHERE \
	" WHERE ($1 = '' OR ($1 = 'none' AND t.driver_id IS NULL) OR" \
	" t.driver_id = (CASE WHEN $1 IN ('', 'none') THEN NULL ELSE $1" \
	" END)::uuid) AND ($2 = '' OR t.platform::text = $2)" \
	" AND (nullif($3, '') IS NULL OR t.started_at >= (nullif($3, '')::date)" \
	"::timestamp AT TIME ZONE 'Europe/Paris')" \
	" AND (nullif($4, '') IS NULL OR t.started_at < (nullif($4, '')::date" \
	" + 1)::timestamp AT TIME ZONE 'Europe/Paris')"

static const struct db_stmt trips_stmt = { "trips_list",
	"SELECT row_to_json(x)::text FROM (SELECT t.platform, t.source,"
	" t.source_key, t.source_id, t.run_id, t.driver_id, d.first_name || ' '"
	" || d.last_name AS driver, t.driver_ref, t.driver_name"
	" AS platform_driver_name, t.vehicle_plate, t.status, t.platform_status,"
	" t.trip_ref, t.started_at, t.ended_at, t.distance_m, t.payment_method,"
	" t.gross_fare_cents, t.booking_fee_cents, t.tolls_cents, t.tips_cents,"
	" t.commission_cents, t.net_earnings_cents, t.cash_collected_cents,"
	" t.payout_cents, t.currency FROM trips t LEFT JOIN drivers d"
	" ON d.tenant_id = t.tenant_id AND d.id = t.driver_id" TRIP_WHERE
	" ORDER BY t.started_at DESC NULLS LAST, t.source_key"
	" LIMIT $5::int OFFSET $6::int) x" };

static const struct db_stmt trips_totals_stmt = { "trips_totals",
	"SELECT count(*), coalesce(sum(t.gross_fare_cents), 0),"
	" coalesce(sum(t.net_earnings_cents), 0),"
	" coalesce(sum(t.cash_collected_cents), 0) FROM trips t" TRIP_WHERE };

#define EARN_WHERE \
	" WHERE ($1 = '' OR ($1 = 'none' AND t.driver_id IS NULL) OR" \
	" t.driver_id = (CASE WHEN $1 IN ('', 'none') THEN NULL ELSE $1" \
	" END)::uuid) AND ($2 = '' OR t.platform::text = $2)" \
	" AND (nullif($3, '') IS NULL OR t.period_end >= nullif($3, '')::date)" \
	" AND (nullif($4, '') IS NULL OR t.period_start <= nullif($4, '')::date)"

static const struct db_stmt earnings_stmt = { "earnings_list",
	"SELECT row_to_json(x)::text FROM (SELECT t.platform, t.source,"
	" t.source_key, t.source_id, t.run_id, t.driver_id, d.first_name || ' '"
	" || d.last_name AS driver, t.driver_ref, t.driver_name"
	" AS platform_driver_name, t.period, t.period_start, t.period_end,"
	" t.gross_cents, t.net_cents, t.cash_collected_cents, t.card_gross_cents,"
	" t.commission_cash_cents, t.commission_card_cents,"
	" t.cancellation_fees_cents, t.bonuses_cents, t.tips_cents,"
	" t.rides_done, t.rides_cancelled, t.currency FROM earnings t"
	" LEFT JOIN drivers d ON d.tenant_id = t.tenant_id AND d.id = t.driver_id"
	EARN_WHERE " ORDER BY t.period_start DESC, t.driver_name, t.source_key"
	" LIMIT $5::int OFFSET $6::int) x" };

static const struct db_stmt earnings_totals_stmt = { "earnings_totals",
	"SELECT count(*), coalesce(sum(t.gross_cents), 0),"
	" coalesce(sum(t.net_cents), 0), coalesce(sum(t.cash_collected_cents), 0)"
	" FROM earnings t" EARN_WHERE };

static int
is_platform(const char *p)
{
	const char *const	*c;

	for (c = trips_platforms; *c != NULL; c++)
		if (strcmp(*c, p) == 0)
			return 1;
	return 0;
}

static const char *
query(struct request *r, const char *name)
{
	const char	*v = http_query(r, name);

	return v != NULL ? v : "";
}

int
trips_filter_parse(struct request *r, struct trips_filter *f,
    json_t **errors)
{
	int	y, m, d;

	f->driver = query(r, "driver_id");
	f->platform = query(r, "platform");
	f->from = query(r, "from");
	f->to = query(r, "to");
	*errors = json_object();
	if (*f->driver && strcmp(f->driver, "none") != 0 && !files_is_uuid(f->driver))
		valid_fail(r, *errors, "driver_id", "valid.trips.driver");
	if (*f->platform && !is_platform(f->platform))
		valid_fail(r, *errors, "platform", "valid.trips.platform");
	if (*f->from && (fmt_parse_date(f->from, &y, &m, &d) == -1 ||
	    (f->from = arena_printf(r->arena, "%04d-%02d-%02d", y, m, d)) == NULL))
		valid_fail(r, *errors, "from", "valid.trips.date");
	if (*f->to && (fmt_parse_date(f->to, &y, &m, &d) == -1 ||
	    (f->to = arena_printf(r->arena, "%04d-%02d-%02d", y, m, d)) == NULL))
		valid_fail(r, *errors, "to", "valid.trips.date");
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
		return 0;
	}
	return 422;
}

static json_t *
list(struct request *r, const struct db_stmt *rows_stmt,
    const struct db_stmt *totals_stmt, const struct trips_filter *f,
    const struct api_page *pg, long *total, json_t **totals, int *status)
{
	char		 limit[24], offset[24];
	const char	*v[6] = { f->driver, f->platform, f->from, f->to, limit,
			    offset };
	struct db_error	 err;
	PGresult	*res;
	json_t		*out, *o;
	int		 i;

	snprintf(limit, sizeof(limit), "%ld", pg->limit);
	snprintf(offset, sizeof(offset), "%ld", pg->offset);
	if ((res = db_exec(r->w->db, totals_stmt, 4, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	*total = atol(db_value(res, 0, 0));
	*totals = json_pack("{s:I, s:I, s:I}",
	    "gross_cents", (json_int_t)atoll(db_value(res, 0, 1)),
	    "net_cents", (json_int_t)atoll(db_value(res, 0, 2)),
	    "cash_collected_cents", (json_int_t)atoll(db_value(res, 0, 3)));
	PQclear(res);
	if ((res = db_exec(r->w->db, rows_stmt, 6, v, &err)) == NULL) {
		json_decref(*totals);
		*totals = NULL;
		*status = err.status;
		return NULL;
	}
	out = json_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((o = db_json(res, i, 0)) != NULL)
			json_array_append_new(out, o);
	PQclear(res);
	return out;
}

json_t *
trips_list(struct request *r, const struct trips_filter *f,
    const struct api_page *pg, long *total, json_t **totals, int *status)
{
	return list(r, &trips_stmt, &trips_totals_stmt, f, pg, total, totals,
	    status);
}

json_t *
earnings_list(struct request *r, const struct trips_filter *f,
    const struct api_page *pg, long *total, json_t **totals, int *status)
{
	return list(r, &earnings_stmt, &earnings_totals_stmt, f, pg, total,
	    totals, status);
}
