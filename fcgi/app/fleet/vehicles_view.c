/* What the vehicle list and page show of a vehicle, formatted. */
#include <string.h>

#include "resource/view.h"
#include "vehicles_view.h"
#include "worker.h"

static const char *
status_tone(const char *status)
{
	if (strcmp(status, "actif") == 0)
		return "ok";
	if (strcmp(status, "maintenance") == 0)
		return "warn";
	if (strcmp(status, "hors_service") == 0)
		return "danger";
	return "info";
}

/* What the list and the page show of a vehicle, formatted. */
json_t *
vehicle_view(struct request *r, json_t *v)
{
	json_t	*driver = json_object_get(v, "current_driver");

	return json_pack("{s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:O}",
	    "id", view_str(v, "id"), "href", arena_printf(r->arena, "/vehicles/%s",
	    view_str(v, "id")), "plate", view_str(v, "plate"), "make", view_str(v, "make"),
	    "model", json_object_get(v, "model"),
	    "energy", view_label(r, "vehicles.energy", view_str(v, "energy")),
	    "category", view_label(r, "vehicles.category", view_str(v, "category")),
	    "status", view_label(r, "vehicles.status", view_str(v, "status")),
	    "status_tone", status_tone(view_str(v, "status")),
	    "odometer", view_number(r, json_integer_value(json_object_get(v,
	    "odometer_km"))),
	    "year", json_is_integer(json_object_get(v, "year")) ?
	    arena_printf(r->arena, "%lld", (long long)json_integer_value(
	    json_object_get(v, "year"))) : "",
	    "monthly_cost", view_money(r, json_object_get(v,
	    "monthly_cost_cents"), view_str(v, "currency")),
	    "driver", driver ? driver : json_null());
}
