/* /_styleguide: every partial of templates/partials in every state, with
 * values formatted as the real screens format them (outside production
 * only: the route is ROUTE_DEV).  Labels come from the locale catalogue,
 * so the language switch shows both languages; the sample records stay
 * as a fleet would have typed them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "fmt.h"
#include "i18n.h"
#include "page.h"
#include "styleguide.h"
#include "fleet/vehicles.h"
#include "resource/view.h"
#include "worker.h"

/* The sample table: enough rows to sort, a fake total to paginate. */
#define SG_PAGE_SIZE	5
#define SG_TOTAL	23

struct sg_vehicle {
	const char	*plate, *make_model, *driver, *status, *tone;
	const char	*insurance_expiry;	/* ISO date */
	int64_t		 monthly_cents;
};

static const struct sg_vehicle sg_vehicles[] = {
	{ "AB-123-CD", "Toyota Corolla", "Élodie Dupont", "actif", "ok",
	    "2027-03-31", 48900 },
	{ "EF-456-GH", "Tesla Model 3", "Karim Benali", "actif", "ok",
	    "2026-12-15", 74950 },
	{ "GH-789-JK", "Škoda Superb", NULL, "maintenance", "warn",
	    "2027-01-09", 52000 },
	{ "LM-012-NP", "Mercedes Classe E", "Sophie Martin", "hors_service",
	    "danger", "2026-11-30", 123456 },
	{ "QR-345-ST", "Kia Niro EV", "Lucas Bernard", "actif", "ok",
	    "2027-06-01", 45990 },
};
#define SG_NVEHICLES	(sizeof(sg_vehicles) / sizeof(sg_vehicles[0]))

/* One input of the form section; keys name locale strings. */
struct sg_field {
	const char	*id, *type, *label, *value, *help, *error;
	const char	*autocomplete, *accept, *min;
	int		 required;
};


/* What a fmt_ call appended to b, copied into the request's arena; NULL
 * when either ran out of memory (the page then fails with a 500). */
static const char *
sg_text(struct request *r, buf *b, int rc)
{
	const char	*s = NULL;

	if (rc == 0)
		s = arena_strdup(r->arena, buf_cstr(b));
	buf_free(b);
	return s;
}

static const char *
sg_money(struct request *r, int64_t cents)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_money(&b, cents, "EUR", (lang_id)r->lang));
}

/* An amount as a form writes it back: "1 234,56" (fr), "1,234.56" (en). */
static const char *
sg_money_input(struct request *r, int64_t cents)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_decimal(&b, cents, 2, (lang_id)r->lang));
}

static const char *
sg_number(struct request *r, int64_t n)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_number(&b, n, (lang_id)r->lang));
}

static const char *
sg_date(struct request *r, time_t t)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_date(&b, t, (lang_id)r->lang));
}

static const char *
sg_iso_date(struct request *r, time_t t)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_iso_date(&b, t));
}

static const char *
sg_relative(struct request *r, time_t t, time_t now)
{
	buf	b;

	buf_init(&b);
	return sg_text(r, &b, fmt_relative(&b, t, now, (lang_id)r->lang));
}

/* "+12 % sur un mois": a KPI trend from basis points. */
static const char *
sg_trend(struct request *r, int64_t basis_points)
{
	buf		 b;
	const char	*pct;

	buf_init(&b);
	if ((pct = sg_text(r, &b, fmt_percent(&b, basis_points,
	    (lang_id)r->lang))) == NULL)
		return NULL;
	return arena_printf(r->arena, "%s%s %s", basis_points > 0 ? "+" : "",
	    pct, tr(r, "styleguide.over_a_month"));
}

/* An ISO date of the sample data shown as the screens show dates. */
static const char *
sg_iso_to_date(struct request *r, const char *iso)
{
	int	y, m, d;
	time_t	t;

	if (fmt_parse_date(iso, &y, &m, &d) == -1 ||
	    fmt_paris_to_utc(y, m, d, 12, 0, &t) == -1)
		return NULL;
	return sg_date(r, t);
}

/* Sets key to value (stolen); -1 when value is NULL (a helper failed) or
 * memory ran out, so one check covers a whole view. */
static int
put(json_t *obj, const char *key, json_t *value)
{
	if (value == NULL)
		return -1;
	return json_object_set_new(obj, key, value);
}

static json_t *
field_view(struct request *r, const struct sg_field *f)
{
	if (f->value == NULL)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?,"
	    " s:s?, s:b}", "id", f->id, "name", f->id, "type",
	    f->type ? f->type : "text", "label", tr(r, f->label),
	    "value", f->value, "help", f->help ? tr(r, f->help) : NULL,
	    "error", f->error ? tr(r, f->error) : NULL,
	    "autocomplete", f->autocomplete, "accept", f->accept, "min", f->min,
	    "required", f->required);
}

/* A select of energies; with an error nothing is chosen. */
static json_t *
energy_select(struct request *r, const char *id, const char *error)
{
	json_t	*options;

	options = view_options(r, "vehicles.energy", vehicle_energies,
	    error ? NULL : "hybride", "vehicles.choose");
	return json_pack("{s:s, s:s, s:s, s:o, s:b, s:s?}", "id", id,
	    "name", id, "label", tr(r, "vehicles.energy_label"),
	    "options", options, "required", 1,
	    "error", error ? tr(r, error) : NULL);
}

static json_t *
valid_fields(struct request *r, time_t now)
{
	json_t	*v = json_object();

	if (v == NULL ||
	    put(v, "name", field_view(r, &(struct sg_field){ .id = "sg-name",
	    .label = "profile.name", .value = "Élodie Dupont",
	    .autocomplete = "name", .required = 1 })) == -1 ||
	    put(v, "email", field_view(r, &(struct sg_field){
	    .id = "sg-email", .type = "email", .label = "auth.email",
	    .value = "elodie.dupont@example.fr", .autocomplete = "email",
	    .required = 1 })) == -1 ||
	    put(v, "phone", field_view(r, &(struct sg_field){
	    .id = "sg-phone", .type = "tel",
	    .label = "sources.canon.driver_phone",
	    .value = "+33 6 12 34 56 78", .autocomplete = "tel" })) == -1 ||
	    put(v, "seats", field_view(r, &(struct sg_field){
	    .id = "sg-seats", .type = "number", .label = "vehicles.seats",
	    .value = "5" })) == -1 ||
	    put(v, "password", field_view(r, &(struct sg_field){
	    .id = "sg-password", .type = "password",
	    .label = "auth.new_password", .value = "",
	    .help = "auth.password_rule", .autocomplete = "new-password",
	    .required = 1 })) == -1 ||
	    put(v, "energy", energy_select(r, "sg-energy", NULL)) == -1 ||
	    put(v, "date", field_view(r, &(struct sg_field){
	    .id = "sg-expiry", .label = "vehicles.insurance_expiry",
	    .value = sg_iso_date(r, now + 40 * 86400) })) == -1 ||
	    put(v, "money", field_view(r, &(struct sg_field){
	    .id = "sg-cost", .label = "vehicles.monthly_cost",
	    .value = sg_money_input(r, 123456) })) == -1 ||
	    put(v, "file", field_view(r, &(struct sg_field){ .id = "sg-file",
	    .label = "import.file", .value = "", .help = "import.file_help",
	    .accept = ".csv,text/csv" })) == -1) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *
error_fields(struct request *r, time_t now)
{
	json_t	*v = json_object();

	if (v == NULL ||
	    put(v, "plate", field_view(r, &(struct sg_field){
	    .id = "sg-plate", .label = "vehicles.plate", .value = "AI-12",
	    .help = "vehicles.plate_help", .error = "styleguide.plate_error",
	    .required = 1 })) == -1 ||
	    put(v, "energy", energy_select(r, "sg-energy-missing",
	    "styleguide.energy_error")) == -1 ||
	    put(v, "date", field_view(r, &(struct sg_field){
	    .id = "sg-vtc-expiry", .label = "vehicles.vtc_registration_expiry",
	    .value = "2025-01-15", .min = sg_iso_date(r, now),
	    .error = "styleguide.date_error" })) == -1 ||
	    put(v, "money", field_view(r, &(struct sg_field){
	    .id = "sg-event-cost", .label = "events.cost", .value = "12,345",
	    .error = "styleguide.money_error", .required = 1 })) == -1 ||
	    put(v, "file", field_view(r, &(struct sg_field){
	    .id = "sg-source-file", .label = "sources.file", .value = "",
	    .help = "sources.file_help", .error = "styleguide.file_error",
	    .accept = ".csv,text/csv", .required = 1 })) == -1) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *
flashes(struct request *r)
{
	return json_pack("[{s:s,s:s,s:b}, {s:s,s:s,s:b}, {s:s,s:s,s:b},"
	    " {s:s,s:s,s:b}]",
	    "type", "success", "message", tr(r, "vehicles.saved"), "error", 0,
	    "type", "info", "message", tr(r, "sources.running_now"), "error", 0,
	    "type", "warning", "message", tr(r, "vehicles.documents_due"),
	    "error", 0,
	    "type", "error", "message", tr(r, "form.has_errors"), "error", 1);
}

static json_t *
kpis(struct request *r, time_t now)
{
	const char	*last = sg_relative(r, now - 300, now);
	const char	*day = sg_date(r, now - 300);

	if (last == NULL || day == NULL)
		return NULL;
	return json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]",
	    "label", tr(r, "styleguide.revenue"),
	    "value", sg_money(r, 4829150), "trend", sg_trend(r, -400),
	    "label", tr(r, "nav.trips"),
	    "value", sg_number(r, 12873), "trend", sg_trend(r, 1200),
	    "label", tr(r, "sources.last_sync"), "value", last, "trend", day);
}

static json_t *
badges(struct request *r)
{
	return json_pack("[{s:s,s:s}, {s:s,s:s}, {s:s,s:s}, {s:s,s:s}]",
	    "label", tr(r, "vehicles.status.actif"), "tone", "ok",
	    "label", tr(r, "vehicles.status.maintenance"), "tone", "warn",
	    "label", tr(r, "vehicles.status.hors_service"), "tone", "danger",
	    "label", tr(r, "sources.status.en_cours"), "tone", "info");
}

/* Sort keys of the sample table; "-key" sorts descending. */
static const char *const sg_sort_keys[] = { "plate", "make", "expiry",
	"cost", NULL };

static int
sg_compare(const struct sg_vehicle *a, const struct sg_vehicle *b,
    const char *key)
{
	if (strcmp(key, "make") == 0)
		return strcmp(a->make_model, b->make_model);
	if (strcmp(key, "expiry") == 0)
		return strcmp(a->insurance_expiry, b->insurance_expiry);
	if (strcmp(key, "cost") == 0)
		return (a->monthly_cents > b->monthly_cents) -
		    (a->monthly_cents < b->monthly_cents);
	return strcmp(a->plate, b->plate);
}

/* ?sort= when it names a column, else by plate. */
static const char *
sg_sort(struct request *r)
{
	const char		*s = http_query(r, "sort");
	const char *const	*k;

	if (s == NULL)
		return "plate";
	for (k = sg_sort_keys; *k != NULL; k++)
		if (strcmp(s + (s[0] == '-'), *k) == 0)
			return s;
	return "plate";
}

/* The sample rows in the order of sort (insertion sort: five rows). */
static void
sg_order(const struct sg_vehicle **out, const char *sort)
{
	const char		*key = sort + (sort[0] == '-');
	int			 dir = sort[0] == '-' ? -1 : 1;
	const struct sg_vehicle	*v;
	size_t			 i, j;

	for (i = 0; i < SG_NVEHICLES; i++) {
		v = &sg_vehicles[i];
		for (j = i; j > 0 && dir * sg_compare(out[j - 1], v, key) > 0;
		    j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
}

static json_t *
cell(const char *text, int num, const char *href)
{
	return json_pack("{s:s, s:b, s:s?}", "text", text, "num", num,
	    "href", href);
}

static json_t *
row(struct request *r, const struct sg_vehicle *v)
{
	const char	*href = arena_printf(r->arena, "/vehicles?q=%s",
			    v->plate);
	const char	*expiry = sg_iso_to_date(r, v->insurance_expiry);
	const char	*cost = sg_money(r, v->monthly_cents);

	if (href == NULL || expiry == NULL || cost == NULL)
		return NULL;
	return json_pack("{s:[o, o, o, {s:s, s:b, s:{s:s, s:s}}, o, o]}",
	    "cells", cell(v->plate, 0, href), cell(v->make_model, 0, NULL),
	    cell(v->driver ? v->driver : "—", 0, NULL),
	    "text", "", "num", 0, "badge", "label",
	    view_label(r, "vehicles.status", v->status), "tone", v->tone,
	    cell(expiry, 0, NULL), cell(cost, 1, NULL));
}

/* ?page= within the fake total; page 2 by default so that both the
 * previous and the next link show. */
static long
sg_page(struct request *r)
{
	const char	*s = http_query(r, "page");
	char		*end;
	long		 p;

	if (s == NULL)
		return 2;
	p = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || p < 1 ||
	    p > (SG_TOTAL + SG_PAGE_SIZE - 1) / SG_PAGE_SIZE)
		return 1;
	return p;
}

static json_t *
sample_table(struct request *r)
{
	const struct sg_vehicle	*order[SG_NVEHICLES];
	const char		*sort = sg_sort(r);
	struct api_page		 pg = { sg_page(r), SG_PAGE_SIZE, 0 };
	json_t			*rows = json_array(), *cost;
	size_t			 i;

	pg.offset = (pg.page - 1) * pg.limit;
	sg_order(order, sort);
	for (i = 0; rows != NULL && i < SG_NVEHICLES; i++)
		if (json_array_append_new(rows, row(r, order[i])) == -1) {
			json_decref(rows);
			rows = NULL;
		}
	cost = view_sort_column(r, "cost", tr(r, "vehicles.monthly_cost"),
	    sort);
	if (cost != NULL &&
	    json_object_set_new(cost, "num", json_true()) == -1) {
		json_decref(cost);
		cost = NULL;
	}
	return json_pack("{s:s, s:[o, o, {s:s}, {s:s}, o, o], s:o, s:i, s:o}",
	    "caption", tr(r, "styleguide.sample_table"), "columns",
	    view_sort_column(r, "plate", tr(r, "vehicles.plate"), sort),
	    view_sort_column(r, "make", tr(r, "vehicles.make_model"), sort),
	    "label", tr(r, "vehicles.driver"),
	    "label", tr(r, "vehicles.status_label"),
	    view_sort_column(r, "expiry", tr(r, "vehicles.insurance_expiry"),
	    sort), cost,
	    "rows", rows, "colspan", 6,
	    "pagination", view_pagination(r, &pg, SG_TOTAL));
}

/* No rows: the partial shows t.table.empty, no pagination. */
static json_t *
empty_table(struct request *r)
{
	return json_pack("{s:s, s:[{s:s}, {s:s}], s:[], s:i}",
	    "caption", tr(r, "styleguide.empty_table"), "columns",
	    "label", tr(r, "vehicles.plate"), "label", tr(r, "vehicles.driver"),
	    "rows", "colspan", 2);
}

int
styleguide_show(struct request *r)
{
	time_t	 now = time(NULL);
	json_t	*view = json_object();

	if (view == NULL ||
	    put(view, "flashes", flashes(r)) == -1 ||
	    put(view, "kpis", kpis(r, now)) == -1 ||
	    put(view, "badges", badges(r)) == -1 ||
	    put(view, "valid", valid_fields(r, now)) == -1 ||
	    put(view, "invalid", error_fields(r, now)) == -1 ||
	    put(view, "confirm", json_pack("{s:s, s:s, s:s, s:s}",
	    "action", "/_styleguide", "label", tr(r, "vehicles.archive"),
	    "question", tr(r, "vehicles.archive_confirm"),
	    "button", tr(r, "actions.confirm"))) == -1 ||
	    put(view, "table", sample_table(r)) == -1 ||
	    put(view, "empty_table", empty_table(r)) == -1) {
		json_decref(view);
		return 500;
	}
	return page_render(r, 200, "styleguide", view);
}
