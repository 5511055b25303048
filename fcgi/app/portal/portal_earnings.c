#include <string.h>

#include "dashboard/analytics.h"
#include "dashboard/chart.h"
#include "db.h"
#include "fmt.h"
#include "portal_earnings.h"
#include "resource/view.h"
#include "worker.h"

static const struct db_stmt summary_stmt = { "portal_summary",
	"SELECT portal_summary($1::date)::text" };

static const struct chart_series platforms[] = {
	{ "uber", "s-uber" }, { "bolt", "s-bolt" }, { "heetch", "s-heetch" },
	{ "autre", "s-autre" },
};
#define NPLATFORMS	(sizeof(platforms) / sizeof(platforms[0]))

static json_int_t
num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *
platform_label(struct request *r, const char *p)
{
	return tr(r, arena_printf(r->arena, "sources.platform.%s", p));
}

static size_t
platform_index(const char *p)
{
	size_t	i;

	for (i = 0; i < NPLATFORMS; i++)
		if (strcmp(platforms[i].label, p) == 0)
			return i;
	return NPLATFORMS - 1;
}

/* Amount, net and trips of a row as the page shows them. */
static json_t *
amounts(struct request *r, json_t *row, const char *label_key,
    const char *label)
{
	return json_pack("{s:s, s:s, s:s, s:s}", label_key, label, "gross",
	    analytics_money(r, num(row, "gross_cents")), "net",
	    analytics_money(r, num(row, "net_cents")), "trips",
	    analytics_count(r, num(row, "trips")));
}

static int
week_chart(struct request *r, json_t *s, long monday, json_t *view)
{
	struct chart_series	 series[NPLATFORMS];
	int64_t			 values[7 * NPLATFORMS] = { 0 };
	const char		*cats[7];
	json_int_t		 gross = 0, net = 0, trips = 0;
	json_t			*rows = json_array(), *row;
	struct chart_bars	 c;
	size_t			 k;
	long			 day;
	int			 y, m, d;
	buf			 svg;

	for (k = 0; k < 7; k++) {
		const char *iso = analytics_iso(r->arena, monday + (long)k);

		cats[k] = arena_printf(r->arena, "%s %.2s", tr(r, arena_printf(
		    r->arena, "portal.days.%zu", k)), iso + 8);
	}
	json_array_foreach(json_object_get(s, "by_day"), k, row) {
		const char *pl = json_string_value(json_object_get(row,
		    "platform"));

		if (pl == NULL || fmt_parse_date(json_string_value(
		    json_object_get(row, "date")), &y, &m, &d) == -1)
			continue;
		day = analytics_days(y, m, d) - monday;
		if (day < 0 || day > 6)
			continue;
		values[day * NPLATFORMS + platform_index(pl)] += num(row,
		    "gross_cents");
		gross += num(row, "gross_cents");
		net += num(row, "net_cents");
		trips += num(row, "trips");
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "date",
		    cats[day], "platform", platform_label(r, pl), "a",
		    amounts(r, row, "x", "")));
	}
	for (k = 0; k < NPLATFORMS; k++) {
		series[k].label = platform_label(r, platforms[k].label);
		series[k].css = platforms[k].css;
	}
	c = (struct chart_bars){ "chart-week", tr(r, "portal.week_chart"),
	    tr(r, "portal.week_chart_desc"), series, NPLATFORMS, cats, 7,
	    values };
	buf_init(&svg);
	if (chart_stacked_bars(&svg, &c) == -1) {
		buf_free(&svg);
		return 500;
	}
	json_object_set_new(view, "week_chart_html", json_string(
	    buf_cstr(&svg)));
	buf_free(&svg);
	json_object_set_new(view, "week_days", rows);
	json_object_set_new(view, "week_total", json_pack("{s:s, s:s, s:s}",
	    "gross", analytics_money(r, gross), "net", analytics_money(r, net),
	    "trips", analytics_count(r, trips)));
	return 0;
}

static json_t *
periods(struct request *r, json_t *s, const char *member, const char *key)
{
	json_t	*rows = json_array(), *row;
	size_t	 k;

	json_array_foreach(json_object_get(s, member), k, row)
		json_array_append_new(rows, amounts(r, row, "label",
		    view_str(row, key)));
	return rows;
}

static json_t *
trips(struct request *r, json_t *s)
{
	json_t	*rows = json_array(), *row;
	size_t	 k;
	const char *pay;

	json_array_foreach(json_object_get(s, "trips"), k, row) {
		pay = view_str(row, "payment_method");
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s,"
		    " s:s}", "when", arena_printf(r->arena, "%s %s",
		    view_date(r, json_object_get(row, "day")), view_str(row,
		    "time")), "platform", platform_label(r, view_str(row,
		    "platform")), "status", view_label(r, "trips.status",
		    view_str(row, "status")), "payment", *pay ? view_label(r,
		    "portal.payment", pay) : "", "gross", analytics_money(r,
		    num(row, "gross_cents")), "net", analytics_money(r, num(row,
		    "net_cents"))));
	}
	return rows;
}

static json_t *
statements(struct request *r, json_t *s)
{
	json_t	*rows = json_array(), *row;
	size_t	 k;

	json_array_foreach(json_object_get(s, "statements"), k, row)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s}",
		    "week", view_str(row, "week"), "status", view_label(r,
		    "finance.status", view_str(row, "status")), "due",
		    analytics_money(r, num(row, "amount_due_cents")), "pdf",
		    arena_printf(r->arena, "/portal/statements/%s/statement.pdf",
		    view_str(row, "id"))));
	return rows;
}

/* "12 h 05" */
static const char *
hours(struct request *r, json_int_t seconds)
{
	return arena_printf(r->arena, "%lld h %02lld", (long long)seconds / 3600,
	    (long long)seconds % 3600 / 60);
}

/* The week's online and busy time, when a live source logged any. */
static json_t *
online(struct request *r, json_t *s)
{
	json_t	*o = json_object_get(s, "online");

	if (!json_is_object(o))
		return json_null();
	return json_pack("{s:s, s:s}", "online", hours(r, num(o,
	    "online_seconds")), "busy", hours(r, num(o, "busy_seconds")));
}

json_t *
portal_earnings(struct request *r, int *status)
{
	long		 today = analytics_today();
	long		 monday = today - ((today % 7) + 10) % 7;
	const char	*v[1];
	struct db_error	 err;
	PGresult	*res;
	json_t		*s, *view;

	v[0] = analytics_iso(r->arena, monday);
	if ((res = db_exec(r->w->db, &summary_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	s = json_loads(db_value(res, 0, 0), 0, NULL);
	PQclear(res);
	if (s == NULL) {
		*status = 500;
		return NULL;
	}
	view = json_pack("{s:o, s:o, s:o, s:o, s:o, s:s}", "online", online(r,
	    s), "weeks", periods(r, s,
	    "weeks", "week"), "months", periods(r, s, "months", "month"),
	    "trips", trips(r, s), "statements", statements(r, s), "balance",
	    analytics_money(r, num(s, "balance_cents")));
	if (view == NULL || (*status = week_chart(r, s, monday, view)) != 0) {
		json_decref(view);
		json_decref(s);
		*status = 500;
		return NULL;
	}
	json_decref(s);
	return view;
}
