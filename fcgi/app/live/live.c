#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "fmt.h"
#include "i18n.h"
#include "live.h"
#include "page.h"
#include "resource/view.h"
#include "worker.h"

/* A state older than this is no longer "now" (a log that stopped). */
#define STATE_HOURS	"12"

static const struct db_stmt now_stmt = { "live_now",
	"WITH st AS (SELECT DISTINCT ON (platform, driver_ref) platform,"
	" driver_ref, driver_id, state, at FROM driver_states"
	" WHERE at > now() - interval '" STATE_HOURS " hours'"
	" ORDER BY platform, driver_ref, at DESC),"
	" cur AS (SELECT st.platform, st.driver_ref, st.driver_id, st.at,"
	" CASE st.state WHEN 'waiting_orders' THEN 'en_ligne' WHEN 'busy'"
	" THEN 'occupe' WHEN 'has_order' THEN 'en_course' ELSE 'hors_ligne'"
	" END AS state, coalesce(d.first_name || ' ' || d.last_name,"
	" (SELECT p.driver_name FROM platform_drivers p WHERE p.platform ="
	" st.platform AND p.driver_ref = st.driver_ref LIMIT 1), st.driver_ref)"
	" AS name FROM st LEFT JOIN drivers d ON d.id = st.driver_id),"
	" today AS (SELECT (date_trunc('day', now() AT TIME ZONE 'Europe/Paris')"
	" AT TIME ZONE 'Europe/Paris') AS start)"
	" SELECT json_build_object('at', now(), 'at_epoch',"
	" extract(epoch FROM now())::bigint,"
	" 'counts', (SELECT json_build_object("
	"  'en_ligne', count(*) FILTER (WHERE state = 'en_ligne'),"
	"  'occupe', count(*) FILTER (WHERE state = 'occupe'),"
	"  'en_course', count(*) FILTER (WHERE state = 'en_course')) FROM cur),"
	" 'drivers', (SELECT coalesce(json_agg(json_build_object('platform',"
	"  platform, 'driver_ref', driver_ref, 'driver_id', driver_id, 'name',"
	"  name, 'state', state, 'since', at, 'since_epoch',"
	"  extract(epoch FROM at)::bigint) ORDER BY state, name), '[]')"
	"  FROM cur WHERE state <> 'hors_ligne'),"
	" 'trips_in_progress', (SELECT coalesce(json_agg(row_to_json(x)), '[]')"
	"  FROM (SELECT t.platform, t.source_key AS trip, coalesce(d.first_name"
	"  || ' ' || d.last_name, t.driver_name, t.driver_ref) AS driver,"
	"  t.vehicle_plate, t.started_at, extract(epoch FROM t.started_at)::bigint"
	"  AS started_epoch, t.platform_status FROM trips t LEFT JOIN drivers d"
	"  ON d.id = t.driver_id WHERE t.started_at > now() - interval '"
	STATE_HOURS " hours' AND t.ended_at IS NULL AND t.status = 'autre'"
	"  ORDER BY t.started_at DESC LIMIT 50) x),"
	" 'today', (SELECT json_build_object('trips', count(*), 'finished',"
	"  count(*) FILTER (WHERE status = 'terminee'), 'cancelled',"
	"  count(*) FILTER (WHERE status = 'annulee'), 'gross_cents',"
	"  coalesce(sum(gross_fare_cents) FILTER (WHERE status = 'terminee'), 0),"
	"  'online_seconds', (SELECT coalesce(sum(online_seconds), 0) FROM"
	"  driver_activity_days WHERE day = (now() AT TIME ZONE"
	"  'Europe/Paris')::date)) FROM trips, today WHERE started_at >="
	"  today.start),"
	" 'auto_periods', (SELECT coalesce(json_agg(row_to_json(x)), '[]') FROM"
	"  (SELECT s.id AS source_id, s.name AS source, p.started_at,"
	"  extract(epoch FROM p.started_at)::bigint AS started_epoch, p.ended_at,"
	"  extract(epoch FROM p.ended_at)::bigint AS ended_epoch,"
	"  coalesce(nullif(a.name, ''), a.email) AS started_by,"
	"  coalesce(nullif(b.name, ''), b.email) AS ended_by"
	"  FROM source_mode_periods p JOIN sources s ON s.tenant_id = p.tenant_id"
	"  AND s.id = p.source_id LEFT JOIN users a ON a.id = p.started_by"
	"  LEFT JOIN users b ON b.id = p.ended_by WHERE s.archived_at IS NULL"
	"  AND (p.ended_at IS NULL OR p.ended_at > now() - interval '7 days')"
	"  ORDER BY p.ended_at IS NULL DESC, p.started_at DESC LIMIT 20) x))::text" };

static json_t *
live_now(struct request *r, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	if ((res = db_exec(r->w->db, &now_stmt, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = db_json(res, 0, 0);
	PQclear(res);
	if (o == NULL)
		*status = 500;
	return o;
}

static long long
num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static const char *
clock_of(struct request *r, long long epoch)
{
	buf	b;

	if (epoch <= 0)
		return "";
	buf_init(&b);
	fmt_datetime(&b, (time_t)epoch, (lang_id)r->lang);
	return view_take_buf(r, &b);
}

static const char *
relative(struct request *r, long long epoch, long long now)
{
	buf	b;

	buf_init(&b);
	fmt_relative(&b, (time_t)epoch, (time_t)now, (lang_id)r->lang);
	return view_take_buf(r, &b);
}

/* What the templates show: labels, money and times formatted. */
static json_t *
board_view(struct request *r, json_t *now)
{
	json_t		*counts = json_object_get(now, "counts");
	json_t		*today = json_object_get(now, "today");
	json_t		*drivers = json_array(), *trips = json_array();
	json_t		*periods = json_array(), *x, *v;
	long long	 at = num(now, "at_epoch"), gross;
	size_t		 i;
	buf		 b;

	json_array_foreach(json_object_get(now, "drivers"), i, x)
		json_array_append_new(drivers, json_pack("{s:s, s:s, s:s, s:s}",
		    "name", view_str(x, "name"), "platform", view_label(r,
		    "sources.platform", view_str(x, "platform")), "state",
		    view_label(r, "live.state", view_str(x, "state")), "since",
		    relative(r, num(x, "since_epoch"), at)));
	json_array_foreach(json_object_get(now, "trips_in_progress"), i, x)
		json_array_append_new(trips, json_pack("{s:s, s:s, s:s, s:s, s:s}",
		    "trip", view_str(x, "trip"), "driver", view_str(x, "driver"),
		    "platform", view_label(r, "sources.platform", view_str(x,
		    "platform")), "vehicle", view_str(x, "vehicle_plate"),
		    "started", clock_of(r, num(x, "started_epoch"))));
	json_array_foreach(json_object_get(now, "auto_periods"), i, x)
		json_array_append_new(periods, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:b}", "source", view_str(x, "source"), "href",
		    arena_printf(r->arena, "/sources/%s", view_str(x, "source_id")),
		    "started", clock_of(r, num(x, "started_epoch")), "ended",
		    clock_of(r, num(x, "ended_epoch")), "who", view_str(x,
		    "started_by"), "open", json_is_null(json_object_get(x,
		    "ended_at"))));
	gross = num(today, "gross_cents");
	buf_init(&b);
	fmt_money(&b, gross, "EUR", (lang_id)r->lang);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o,"
	    " s:b, s:b, s:b}",
	    "at", clock_of(r, at),
	    "online", view_number(r, num(counts, "en_ligne")),
	    "busy", view_number(r, num(counts, "occupe")),
	    "on_trip", view_number(r, num(counts, "en_course")),
	    "trips_today", view_number(r, num(today, "trips")),
	    "finished_today", view_number(r, num(today, "finished")),
	    "cancelled_today", view_number(r, num(today, "cancelled")),
	    "gross_today", view_take_buf(r, &b),
	    "drivers", drivers, "trips", trips, "periods", periods,
	    "has_drivers", json_array_size(drivers) > 0,
	    "has_trips", json_array_size(trips) > 0,
	    "has_periods", json_array_size(periods) > 0);
	return v;
}

static int
render(struct request *r, const char *template)
{
	json_t	*now, *view;
	int	 rc;

	if ((now = live_now(r, &rc)) == NULL)
		return rc;
	view = json_pack("{s:o}", "board", board_view(r, now));
	json_decref(now);
	if (http_add_header(r, "Cache-Control", "no-store") != 0) {
		json_decref(view);
		return 500;
	}
	return page_render(r, 200, template, view);
}

int
live_show(struct request *r)
{
	return render(r, "live/index");
}

int
live_board(struct request *r)
{
	return render(r, "live/board");
}

int
live_api(struct request *r)
{
	json_t	*now;
	int	 rc;

	if ((now = live_now(r, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, now);
}
