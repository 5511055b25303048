#include <string.h>

#include "assignments_web.h"
#include "documents_web.h"
#include "i18n.h"
#include "page.h"
#include "vehicle_events.h"
#include "vehicles.h"
#include "vehicles_view.h"
#include "vehicles_web.h"
#include "resource/view.h"
#include "worker.h"

static const char *
str(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The form's view: values as typed (or stored), errors, select options. */
static json_t *
form_view(struct request *r, json_t *v, json_t *errors, const char *action)
{
	json_t		*values = json_object();
	const char	*key;
	json_t		*val;

	json_object_foreach(v, key, val) {
		if (json_is_string(val))
			json_object_set(values, key, val);
		else if (json_is_integer(val))
			json_object_set_new(values, key, json_string(arena_printf(
			    r->arena, "%lld", (long long)json_integer_value(val))));
	}
	json_object_set_new(values, "monthly_cost", json_string(
	    view_money_input(r, json_object_get(v, "monthly_cost_cents"))));
	if (http_form(r, "monthly_cost") != NULL)
		json_object_set_new(values, "monthly_cost",
		    json_string(http_form(r, "monthly_cost")));
	return json_pack("{s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o}",
	    "values", values, "errors", errors ? errors : json_object(),
	    "action", action, "is_new", strcmp(action, "/vehicles") == 0,
	    "energies", view_options(r, "vehicles.energy", vehicle_energies,
	    str(v, "energy"), "vehicles.choose"),
	    "categories", view_options(r, "vehicles.category",
	    vehicle_categories, *str(v, "category") ? str(v, "category") :
	    "berline", NULL),
	    "statuses", view_options(r, "vehicles.status", vehicle_statuses,
	    *str(v, "status") ? str(v, "status") : "actif", NULL),
	    "acquisitions", view_options(r, "vehicles.acquisition",
	    vehicle_acquisitions, *str(v, "acquisition") ?
	    str(v, "acquisition") : "propriete", NULL));
}

int
vehicles_new(struct request *r)
{
	json_t	*v = json_pack("{s:s}", "country", "FR");
	int	 rc;

	rc = page_render(r, 200, "vehicles/form", form_view(r, v, NULL,
	    "/vehicles"));
	json_decref(v);
	return rc;
}

static int
form_again(struct request *r, int status, json_t *v, json_t *errors,
    const char *action)
{
	int	rc;

	rc = page_render(r, status, "vehicles/form", form_view(r, v, errors,
	    action));
	json_decref(v);
	return rc == 0 ? status : rc;
}

int
vehicles_create(struct request *r)
{
	json_t	*v, *errors, *stored;
	int	 rc;

	v = vehicle_input(r, NULL, 1, &errors);
	if (errors != NULL)
		return form_again(r, 422, v, errors, "/vehicles");
	if ((stored = vehicle_insert(r, v, &rc, &errors)) == NULL) {
		if (errors == NULL)
			json_decref(v);
		return errors ? form_again(r, rc, v, errors, "/vehicles") : rc;
	}
	json_decref(v);
	rc = http_redirect(r, 303, arena_printf(r->arena,
	    "/vehicles/%s?done=created", str(stored, "id")));
	json_decref(stored);
	return rc;
}

int
vehicles_page(struct request *r, const char *id, int status,
    json_t *event_form)
{
	return vehicles_page_with(r, id, status, event_form, NULL);
}

/* The documents and assignments blocks (documents_web.c,
 * assignments_web.c); 0 or a status. */
static int
add_blocks(struct request *r, const char *id, json_t *view,
    json_t *assignments)
{
	json_t	*documents;
	int	 rc = 0;

	if (assignments == NULL &&
	    (assignments = assignments_for(r, "vehicle", id, &rc)) == NULL)
		return rc;
	json_object_set_new(view, "assignments", assignments);
	if ((documents = documents_for(r, "vehicle", id, &rc)) == NULL)
		return rc;
	json_object_set_new(view, "documents", documents);
	return 0;
}

int
vehicles_page_with(struct request *r, const char *id, int status,
    json_t *event_form, json_t *assignments)
{
	json_t		*v, *view, *events, *costs;
	int		 rc;

	if ((v = vehicle_get(r, id, &rc)) == NULL) {
		json_decref(event_form);
		json_decref(assignments);
		return rc;
	}
	if ((events = vehicle_events_view(r, id, &costs, &rc)) == NULL) {
		json_decref(event_form);
		json_decref(assignments);
		json_decref(v);
		return rc;
	}
	view = json_pack("{s:o, s:O, s:o, s:o, s:b, s:o}",
	    "vehicle", vehicle_view(r, v), "raw", v, "events", events,
	    "costs", costs, "can_edit", r->id.role >= ACCESS_MANAGER,
	    "event_form", event_form ? event_form :
	    vehicle_event_form(r, NULL, NULL));
	json_object_set_new(json_object_get(view, "vehicle"), "details",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "vin", str(v, "vin"), "color", str(v, "color"),
	    "acquisition", view_label(r, "vehicles.acquisition",
	    str(v, "acquisition")),
	    "lease_end_date", view_date(r, json_object_get(v, "lease_end_date")),
	    "insurer", str(v, "insurer"), "policy_number",
	    str(v, "policy_number"), "insurance_expiry",
	    view_date(r, json_object_get(v, "insurance_expiry")),
	    "technical_inspection_due", view_date(r, json_object_get(v,
	    "technical_inspection_due")), "vtc_registration_number",
	    str(v, "vtc_registration_number"), "vtc_registration_expiry",
	    view_date(r, json_object_get(v, "vtc_registration_expiry")),
	    "notes", str(v, "notes")));
	json_decref(v);
	if ((rc = add_blocks(r, id, view, assignments)) != 0) {
		json_decref(view);
		return rc;
	}
	if (http_query(r, "done") != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", tr(r, "vehicles.saved")));
	rc = page_render(r, status, "vehicles/show", view);
	return rc == 0 ? (status >= 400 ? status : 0) : rc;
}

int
vehicles_show(struct request *r)
{
	return vehicles_page(r, http_param_uuid(r, 0), 200, NULL);
}

int
vehicles_edit(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*v;
	int		 rc;

	if ((v = vehicle_get(r, id, &rc)) == NULL)
		return rc;
	rc = page_render(r, 200, "vehicles/form", form_view(r, v, NULL,
	    arena_printf(r->arena, "/vehicles/%s", id)));
	json_decref(v);
	return rc;
}

int
vehicles_save(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *action;
	json_t		*current, *v, *errors, *stored;
	int		 rc;

	if ((current = vehicle_get(r, id, &rc)) == NULL)
		return rc;
	action = arena_printf(r->arena, "/vehicles/%s", id);
	v = vehicle_input(r, current, 1, &errors);
	json_decref(current);
	if (errors != NULL)
		return form_again(r, 422, v, errors, action);
	if ((stored = vehicle_update(r, id, v, &rc, &errors)) == NULL) {
		if (errors == NULL)
			json_decref(v);
		return errors ? form_again(r, rc, v, errors, action) : rc;
	}
	json_decref(v);
	json_decref(stored);
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/vehicles/%s?done=saved", id));
}

int
vehicles_archive(struct request *r)
{
	int	rc;

	if ((rc = vehicle_archive(r, http_param_uuid(r, 0))) != 0)
		return rc;
	return http_redirect(r, 303, "/vehicles");
}
