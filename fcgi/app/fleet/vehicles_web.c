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
	    "vin", view_str(v, "vin"), "color", view_str(v, "color"),
	    "acquisition", view_label(r, "vehicles.acquisition",
	    view_str(v, "acquisition")),
	    "lease_end_date", view_date(r, json_object_get(v, "lease_end_date")),
	    "insurer", view_str(v, "insurer"), "policy_number",
	    view_str(v, "policy_number"), "insurance_expiry",
	    view_date(r, json_object_get(v, "insurance_expiry")),
	    "technical_inspection_due", view_date(r, json_object_get(v,
	    "technical_inspection_due")), "vtc_registration_number",
	    view_str(v, "vtc_registration_number"), "vtc_registration_expiry",
	    view_date(r, json_object_get(v, "vtc_registration_expiry")),
	    "notes", view_str(v, "notes")));
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
