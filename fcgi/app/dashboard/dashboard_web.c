#include <math.h>
#include <string.h>
#include <time.h>

#include "analytics.h"
#include "chart.h"
#include "dashboard_web.h"
#include "fmt.h"
#include "identity/activity.h"
#include "identity/session.h"
#include "page.h"

enum kpi_kind { K_MONEY, K_COUNT, K_RATE };

/* The ten cards: the overview's member, how it reads, the list behind it
 * ("{from}" and "{to}" are the period's days). */
static const struct kpi_def {
	const char	*name;
	enum kpi_kind	 kind;
	const char	*href;
} kpi_defs[] = {
	{ "gross_revenue_cents", K_MONEY, "/trips?from={from}&to={to}" },
	{ "net_revenue_cents", K_MONEY, "/trips?from={from}&to={to}" },
	{ "trips_done", K_COUNT, "/trips?from={from}&to={to}" },
	{ "cancellation_rate", K_RATE, "/trips?from={from}&to={to}" },
	{ "active_drivers", K_COUNT, "/drivers?status=actif" },
	{ "active_vehicles", K_COUNT, "/vehicles?status=actif" },
	{ "revenue_per_driver_cents", K_MONEY, "/drivers?status=actif" },
	{ "vehicle_utilisation", K_RATE, "/vehicles?status=actif" },
	{ "cash_held_cents", K_MONEY, "/trips?from={from}&to={to}" },
	{ "documents_due", K_COUNT, "/documents/due" },
};

static const struct chart_series platforms[] = {
	{ "uber", "s-uber" }, { "bolt", "s-bolt" }, { "heetch", "s-heetch" },
	{ "autre", "s-autre" },
};
#define NPLATFORMS	(sizeof(platforms) / sizeof(platforms[0]))

static const char *
percent(struct request *r, double ratio, int sign)
{
	buf	b;
	char	*s;
	long	bp = lround(ratio * 10000);

	buf_init(&b);
	if (sign && bp > 0)
		buf_putc(&b, '+');
	fmt_percent(&b, bp, r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* A difference of rates in percentage points: "+2,42 pt". */
static const char *
points(struct request *r, double diff)
{
	buf	b;
	char	*s;
	long	bp = lround(diff * 10000);

	buf_init(&b);
	if (bp > 0)
		buf_putc(&b, '+');
	fmt_decimal(&b, bp, 2, r->lang);
	buf_printf(&b, " %s", tr(r, "dashboard.points"));
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *
shown(struct request *r, const struct kpi_def *k, json_t *v)
{
	if (json_is_null(v) || v == NULL)
		return "—";
	if (k->kind == K_RATE)
		return percent(r, json_number_value(v), 0);
	if (k->kind == K_MONEY)
		return analytics_money(r, json_integer_value(v));
	return analytics_count(r, json_integer_value(v));
}

/* The change of a card: relative for amounts and counts, in points for
 * rates (a rate's relative change says little). */
static void
change(struct request *r, const struct kpi_def *k, json_t *cur, json_t *prev,
    json_t *card)
{
	double		 a, b, d;
	const char	*text, *trend;

	if (cur == NULL || prev == NULL || json_is_null(cur) ||
	    json_is_null(prev)) {
		json_object_set_new(card, "change", json_string("—"));
		json_object_set_new(card, "trend", json_string("flat"));
		return;
	}
	a = json_number_value(cur);
	b = json_number_value(prev);
	if (k->kind == K_RATE) {
		d = a - b;
		text = points(r, d);
	} else if (b == 0) {
		d = a;
		text = a == 0 ? "=" : tr(r, "dashboard.new");
	} else {
		d = (a - b) / fabs(b);
		text = percent(r, d, 1);
	}
	trend = d > 0 ? "up" : d < 0 ? "down" : "flat";
	json_object_set_new(card, "change", json_string(text));
	json_object_set_new(card, "trend", json_string(trend));
}

static const char *
href(struct request *r, const char *tmpl, const char *from, const char *to)
{
	const char	*f = strstr(tmpl, "{from}"), *t = strstr(tmpl, "{to}");

	if (f == NULL || t == NULL)
		return tmpl;
	return arena_printf(r->arena, "%.*s%s%.*s%s%s", (int)(f - tmpl), tmpl,
	    from, (int)(t - f - 6), f + 6, to, t + 4);
}

static json_t *
kpi_cards(struct request *r, json_t *o)
{
	json_t		*cards = json_array(), *card, *cur, *prev;
	const char	*from = json_string_value(json_object_get(o, "from"));
	const char	*to = json_string_value(json_object_get(o, "to"));
	size_t		 i;

	for (i = 0; i < sizeof(kpi_defs) / sizeof(kpi_defs[0]); i++) {
		const struct kpi_def *k = &kpi_defs[i];

		cur = json_object_get(json_object_get(o, "kpis"), k->name);
		prev = json_object_get(json_object_get(o, "previous"), k->name);
		card = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", k->name,
		    "label", tr(r, arena_printf(r->arena, "dashboard.kpi.%s",
		    k->name)), "value", shown(r, k, cur), "previous",
		    shown(r, k, prev), "href", href(r, k->href, from, to));
		change(r, k, cur, prev, card);
		json_array_append_new(cards, card);
	}
	return cards;
}

static const char *
platform_label(struct request *r, const char *p)
{
	return tr(r, arena_printf(r->arena, "sources.platform.%s", p));
}

static long
platform_index(const char *p)
{
	size_t	i;

	for (i = 0; i < NPLATFORMS; i++)
		if (strcmp(platforms[i].label, p) == 0)
			return (long)i;
	return NPLATFORMS - 1;
}

static long
iso_day(const char *s)
{
	int	y, m, d;

	return fmt_parse_date(s, &y, &m, &d) == 0 ? analytics_days(y, m, d) :
	    -1;
}

static const char *
short_date(struct request *r, long day)
{
	const char	*iso = analytics_iso(r->arena, day);

	/* "dd/mm" in French, "mm/dd" in English. */
	return r->lang == LANG_FR ?
	    arena_printf(r->arena, "%.2s/%.2s", iso + 8, iso + 5) :
	    arena_printf(r->arena, "%.2s/%.2s", iso + 5, iso + 8);
}

/* Revenue by day and platform: the SVG and the rows of its table. */
static int
day_chart(struct request *r, json_t *o, const struct period *p, json_t *view)
{
	struct chart_series	 series[NPLATFORMS];
	struct chart_bars	 c;
	long			 ndays = p->to - p->from + 1, day, i;
	int64_t			*values;
	const char		**cats;
	json_t			*row, *rows = json_array();
	size_t			 k;
	buf			 svg;

	values = arena_alloc(r->arena, sizeof(*values) * ndays * NPLATFORMS);
	cats = arena_alloc(r->arena, sizeof(*cats) * ndays);
	if (values == NULL || cats == NULL)
		return 500;
	memset(values, 0, sizeof(*values) * ndays * NPLATFORMS);
	for (i = 0; i < ndays; i++)
		cats[i] = short_date(r, p->from + i);
	json_array_foreach(json_object_get(o, "by_day"), k, row) {
		const char *pl = json_string_value(json_object_get(row,
		    "platform"));
		json_int_t gross = json_integer_value(json_object_get(row,
		    "gross_cents"));

		day = iso_day(json_string_value(json_object_get(row, "date")));
		if (day < p->from || day > p->to || pl == NULL)
			continue;
		values[(day - p->from) * NPLATFORMS + platform_index(pl)] +=
		    gross;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s}", "date", cats[day - p->from], "platform",
		    platform_label(r, pl), "gross", analytics_money(r, gross),
		    "net", analytics_money(r, json_integer_value(json_object_get(row,
		    "net_cents"))), "trips", analytics_count(r, json_integer_value(
		    json_object_get(row, "trips")))));
	}
	for (k = 0; k < NPLATFORMS; k++) {
		series[k].label = platform_label(r, platforms[k].label);
		series[k].css = platforms[k].css;
	}
	c = (struct chart_bars){ "chart-days", tr(r, "dashboard.by_day"),
	    tr(r, "dashboard.by_day_desc"), series, NPLATFORMS, cats,
	    (size_t)ndays, values };
	buf_init(&svg);
	if (chart_stacked_bars(&svg, &c) == -1) {
		buf_free(&svg);
		return 500;
	}
	json_object_set_new(view, "day_chart_html", json_string(buf_cstr(&svg)));
	json_object_set_new(view, "days", rows);
	buf_free(&svg);
	return 0;
}

/* The platforms' split: one bar per platform, and its table with shares. */
static int
split_chart(struct request *r, json_t *o, json_t *view)
{
	struct chart_series	 one = { tr(r, "dashboard.gross"), "s-uber" };
	struct chart_bars	 c;
	json_t			*rows = json_array(), *row;
	json_t			*by = json_object_get(o, "by_platform");
	json_int_t		 total = json_integer_value(json_object_get(
				    json_object_get(o, "kpis"),
				    "gross_revenue_cents"));
	int64_t			 values[NPLATFORMS] = { 0 };
	const char		*cats[NPLATFORMS];
	size_t			 k, n = 0;
	buf			 svg;

	json_array_foreach(by, k, row) {
		const char *pl = json_string_value(json_object_get(row,
		    "platform"));
		json_int_t g = json_integer_value(json_object_get(row,
		    "gross_cents"));

		if (n == NPLATFORMS)
			break;
		cats[n] = platform_label(r, pl ? pl : "autre");
		values[n++] = g > 0 ? g : 0;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s}",
		    "platform", cats[n - 1], "gross", analytics_money(r, g), "share",
		    total ? percent(r, (double)g / total, 0) : "—", "trips",
		    analytics_count(r, json_integer_value(json_object_get(row,
		    "trips")))));
	}
	c = (struct chart_bars){ "chart-split", tr(r, "dashboard.split"),
	    tr(r, "dashboard.split_desc"), &one, 1, cats, n, values };
	buf_init(&svg);
	if (chart_stacked_bars(&svg, &c) == -1) {
		buf_free(&svg);
		return 500;
	}
	json_object_set_new(view, "split_chart_html", json_string(buf_cstr(&svg)));
	json_object_set_new(view, "platforms", rows);
	buf_free(&svg);
	return 0;
}

static json_t *
top_drivers(struct request *r, json_t *o)
{
	json_t	*rows = json_array(), *row;
	size_t	 k;

	json_array_foreach(json_object_get(o, "top_drivers"), k, row)
		json_array_append_new(rows, json_pack("{s:O, s:O, s:s, s:s}",
		    "id", json_object_get(row, "driver_id"), "name",
		    json_object_get(row, "name"), "gross", analytics_money(r,
		    json_integer_value(json_object_get(row, "gross_cents"))),
		    "trips", analytics_count(r, json_integer_value(json_object_get(row,
		    "trips")))));
	return rows;
}

static json_t *
losing_vehicles(struct request *r, json_t *o)
{
	json_t	*rows = json_array(), *row;
	size_t	 k;

	json_array_foreach(json_object_get(o, "losing_vehicles"), k, row)
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:s, s:s,"
		    " s:s}", "id", json_object_get(row, "vehicle_id"), "plate",
		    json_object_get(row, "plate"), "name", json_object_get(row,
		    "name"), "revenue", analytics_money(r, json_integer_value(
		    json_object_get(row, "revenue_cents"))), "costs", analytics_money(r,
		    json_integer_value(json_object_get(row, "costs_cents"))),
		    "margin", analytics_money(r, json_integer_value(json_object_get(row,
		    "margin_cents")))));
	return rows;
}

static const char *
period_href(struct request *r, const struct period *p)
{
	static const char *const names[] = { "week", "month", "custom" };

	return arena_printf(r->arena, "/?period=%s&from=%s&to=%s",
	    names[p->kind], analytics_iso(r->arena, p->from),
	    analytics_iso(r->arena, p->to));
}

/* A day as the reader writes it (noon UTC is that day in Paris). */
static const char *
long_date(struct request *r, long day)
{
	buf	b;
	char	*s;

	buf_init(&b);
	fmt_date(&b, (time_t)day * 86400 + 43200, r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static json_t *
period_view(struct request *r, const struct period *p, json_t *o)
{
	struct period	prev, next;

	analytics_shift(p, -1, &prev);
	analytics_shift(p, 1, &next);
	return json_pack("{s:b, s:b, s:b, s:O, s:O, s:s, s:s, s:s, s:s, s:s}",
	    "week", p->kind == PERIOD_WEEK, "month", p->kind == PERIOD_MONTH,
	    "custom", p->kind == PERIOD_CUSTOM, "from", json_object_get(o,
	    "from"), "to", json_object_get(o, "to"), "from_label",
	    long_date(r, p->from), "to_label", long_date(r, p->to),
	    "previous_label", arena_printf(r->arena, "%s – %s", long_date(r,
	    prev.from), long_date(r, prev.to)), "prev_href", period_href(r,
	    &prev), "next_href", period_href(r, &next));
}

int
dashboard_show(struct request *r)
{
	struct period	 p;
	json_t		*fields, *o, *view, *feed;
	int		 rc = 500;

	/* A driver's home is the portal, not the fleet's dashboard. */
	if (r->id.role < ACCESS_VIEWER)
		return http_redirect(r, 303, session_home(r->id.role));
	if (analytics_period(r, &p, &fields) == -1) {
		json_decref(fields);
		return page_error(r, 422, tr(r, "dashboard.errors.invalid"));
	}
	if ((o = analytics_overview(r, &p, &rc)) == NULL)
		return rc;
	if ((feed = activity_recent(r, 20, &rc)) == NULL) {
		json_decref(o);
		return rc;
	}
	view = json_pack("{s:o, s:o, s:o, s:o, s:o}", "period", period_view(r,
	    &p, o), "kpis", kpi_cards(r, o), "top_drivers", top_drivers(r, o),
	    "losing", losing_vehicles(r, o), "activities", feed);
	if (view == NULL || (rc = day_chart(r, o, &p, view)) != 0 ||
	    (rc = split_chart(r, o, view)) != 0) {
		json_decref(view);
		json_decref(o);
		return 500;
	}
	json_decref(o);
	return page_render(r, 200, "dashboard", view);
}
