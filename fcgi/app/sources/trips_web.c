#include <string.h>

#include "i18n.h"
#include "page.h"
#include "sources_view.h"
#include "trips.h"
#include "trips_web.h"
#include "resource/view.h"
#include "worker.h"

static const struct db_stmt drivers_stmt = { "trips_drivers",
	"SELECT coalesce(json_agg(json_build_object('id', id, 'name',"
	" first_name || ' ' || last_name) ORDER BY last_name, first_name),"
	" '[]')::text FROM (SELECT id, first_name, last_name FROM drivers"
	" ORDER BY archived_at NULLS FIRST, last_name, first_name"
	" LIMIT 2000) d" };


/* The driver select: everyone, the unmatched, then each driver. */
static json_t *
driver_options(struct request *r, const char *selected, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*list, *opts, *d;
	size_t		 i;

	if ((res = db_exec(r->w->db, &drivers_stmt, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = db_json(res, 0, 0);
	PQclear(res);
	opts = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "value", "", "label", tr(r, "trips.all_drivers"), "selected",
	    *selected == '\0', "value", "none", "label",
	    tr(r, "trips.unmatched_drivers"), "selected",
	    strcmp(selected, "none") == 0);
	json_array_foreach(list, i, d)
		json_array_append_new(opts, json_pack("{s:O, s:O, s:b}", "value",
		    json_object_get(d, "id"), "label", json_object_get(d, "name"),
		    "selected", strcmp(view_str(d, "id"), selected) == 0));
	json_decref(list);
	return opts;
}

static const char *
driver_of(json_t *row)
{
	const char	*d = view_str(row, "driver");

	return *d ? d : view_str(row, "platform_driver_name");
}

static json_t *
trip_view(struct request *r, json_t *t)
{
	const char	*cur = view_str(t, "currency");

	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s}",
	    "date", sources_view_datetime(r, json_object_get(t, "started_at")),
	    "platform", view_label(r, "sources.platform", view_str(t, "platform")),
	    "driver", driver_of(t),
	    "matched", !json_is_null(json_object_get(t, "driver_id")),
	    "status", view_label(r, "trips.status", view_str(t, "status")),
	    "payment", view_label(r, "trips.payment", view_str(t,
	    "payment_method")),
	    "gross", view_money(r, json_object_get(t, "gross_fare_cents"), cur),
	    "net", view_money(r, json_object_get(t, "net_earnings_cents"), cur),
	    "cash", view_money(r, json_object_get(t, "cash_collected_cents"),
	    cur),
	    "commission", view_money(r, json_object_get(t, "commission_cents"),
	    cur),
	    "key", view_str(t, "source_key"));
}

static json_t *
earning_view(struct request *r, json_t *e)
{
	const char	*cur = view_str(e, "currency");

	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s,"
	    " s:s}",
	    "period", view_label(r, "trips.period_kind", view_str(e, "period")),
	    "start", view_date(r, json_object_get(e, "period_start")),
	    "end", view_date(r, json_object_get(e, "period_end")),
	    "platform", view_label(r, "sources.platform", view_str(e, "platform")),
	    "matched", !json_is_null(json_object_get(e, "driver_id")),
	    "driver", driver_of(e),
	    "gross", view_money(r, json_object_get(e, "gross_cents"), cur),
	    "net", view_money(r, json_object_get(e, "net_cents"), cur),
	    "cash", view_money(r, json_object_get(e, "cash_collected_cents"),
	    cur),
	    "bonuses", view_money(r, json_object_get(e, "bonuses_cents"), cur),
	    "rides", json_is_integer(json_object_get(e, "rides_done")) ?
	    view_number(r, json_integer_value(json_object_get(e,
	    "rides_done"))) : "");
}

/* The list of the resource the route names, with the sums of the whole
 * filter under it. */
static int
index_page(struct request *r, json_t *(*row)(struct request *, json_t *),
    const char *tmpl)
{
	const struct resource	*res = resource_of(r);
	struct res_list		 l;
	json_t			*list, *rows, *totals, *drivers, *v;
	long			 total;
	size_t			 i;
	int			 rc;

	if ((rc = resource_list_query(r, res, &l)) != 0)
		return rc;
	if ((rc = resource_list_sums(r, res, &l, &total, &totals)) != 0)
		return rc;
	if ((drivers = driver_options(r, resource_list_value(res, &l,
	    "driver_id"), &rc)) == NULL ||
	    (list = resource_list_rows(r, res, &l, &total, &rc)) == NULL) {
		json_decref(drivers);
		json_decref(totals);
		return rc;
	}
	rows = json_array();
	json_array_foreach(list, i, v)
		json_array_append_new(rows, row(r, v));
	json_decref(list);
	rc = page_render(r, 200, tmpl, json_pack("{s:o, s:o, s:{s:o, s:o, s:s,"
	    " s:s}, s:{s:s, s:s, s:s}, s:s}",
	    "rows", rows, "pagination", view_pagination(r, &l.page, total),
	    "filter", "drivers", drivers, "platforms", view_options(r,
	    "sources.platform", trips_platforms, resource_list_value(res, &l,
	    "platform"), "trips.all_platforms"),
	    "from", resource_list_value(res, &l, "from"),
	    "to", resource_list_value(res, &l, "to"),
	    "totals", "gross", view_money(r, json_object_get(totals,
	    "gross_cents"), "EUR"), "net", view_money(r, json_object_get(totals,
	    "net_cents"), "EUR"), "cash", view_money(r, json_object_get(totals,
	    "cash_collected_cents"), "EUR"),
	    "total", view_number(r, total)));
	json_decref(totals);
	return rc;
}

int
trips_index(struct request *r)
{
	return index_page(r, trip_view, "trips/index");
}

int
earnings_index(struct request *r)
{
	return index_page(r, earning_view, "trips/earnings");
}
