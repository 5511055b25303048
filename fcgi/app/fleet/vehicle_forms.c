/* The vehicle page's two forms: assign a driver, record an event.  A
 * refused form shows the vehicle page again (vehicles_web.c) with what
 * was typed; the blocks those forms sit in (assignments_web.c,
 * vehicle_events.c) build their part of the page and know nothing of the
 * page itself. */
#include <string.h>

#include "assignments.h"
#include "assignments_web.h"
#include "page.h"
#include "vehicle_events.h"
#include "vehicle_forms.h"
#include "vehicles_web.h"
#include "worker.h"
#include "resource/view.h"

/* What was typed in the assign form, to show it again. */
static const char *const assign_fields[] = { "driver_id", "starts_at",
	"ends_at", "notes", NULL };

int
assignments_vehicle_post(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*stored, *errors = NULL, *form;
	int		 rc, status;

	if (id == NULL)
		return 404;
	stored = assignment_create(r, id, &rc, &errors);
	if (stored != NULL) {
		json_decref(stored);
		return http_redirect(r, 303, arena_printf(r->arena,
		    "/vehicles/%s?done=assigned#assignments", id));
	}
	if (errors == NULL)
		return rc;
	/* The overlap is normally found before any insert, and the page is
	 * shown again with the message; when the constraint itself refused
	 * (a race), the transaction is aborted and only the message can be
	 * shown. */
	if (PQtransactionStatus(db_conn(r->w->db)) == PQTRANS_INERROR) {
		page_error(r, rc, view_str(errors, "starts_at"));
		json_decref(errors);
		return rc;
	}
	status = rc;
	if ((form = assignments_for_form(r, id, view_typed(r, assign_fields), errors,
	    &rc)) == NULL)
		return rc;
	return vehicles_page_with(r, id, status, NULL, form);
}

/* What the user typed, to fill the form again. */
static json_t *
form_values(struct request *r)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].name, "csrf") != 0)
			json_object_set_new(o, r->form.v[i].name,
			    json_string(r->form.v[i].value));
	return o;
}

int
vehicle_events_post(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*stored, *errors = NULL;
	int		 rc;

	if ((rc = vehicle_event_vehicle(r, id)) != 0)
		return rc;
	stored = vehicle_event_create(r, id, 1, &rc, &errors);
	if (stored == NULL && rc == 422)
		return vehicles_page(r, id, 422, vehicle_event_form(r,
		    form_values(r), errors));
	if (stored == NULL) {
		json_decref(errors);
		return rc;
	}
	json_decref(stored);
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/vehicles/%s?done=event#events", id));
}
