#include <string.h>

#include "documents.h"
#include "documents_web.h"
#include "drivers.h"
#include "drivers_view.h"
#include "drivers_web.h"
#include "i18n.h"
#include "page.h"
#include "resource/view.h"
#include "worker.h"

/* The flash of a page reached after an action (?done=…). */
static json_t *
done_flash(struct request *r, json_t *d)
{
	const char	*done = http_query(r, "done"), *msg = NULL;

	if (done == NULL)
		return NULL;
	if (strcmp(done, "saved") == 0)
		msg = tr(r, "drivers.saved");
	else if (strcmp(done, "onboarded") == 0)
		msg = arena_printf(r->arena, "%s %s %s", view_str(d, "first_name"),
		    view_str(d, "last_name"), tr(r, "drivers.onboarded"));
	else if (strcmp(done, "document") == 0)
		msg = tr(r, "documents.added");
	else if (strcmp(done, "invited") == 0)
		msg = arena_printf(r->arena, "%s %s", tr(r, "drivers.invited"),
		    view_str(d, "email"));
	if (msg == NULL)
		return NULL;
	return json_pack("[{s:s, s:s}]", "type", "success", "message", msg);
}

/* The portal card: already linked, invitation pending, or what is needed
 * to invite. */
static json_t *
portal_view(struct request *r, json_t *d, json_t *pending)
{
	int	linked = json_is_string(json_object_get(d, "user_id"));
	int	gone = json_is_string(json_object_get(d, "archived_at"));

	return json_pack("{s:b, s:b, s:b, s:b, s:s, s:s}",
	    "linked", linked,
	    "pending", json_is_object(pending),
	    "can_invite", !linked && !gone && json_is_string(json_object_get(d,
	    "email")),
	    "needs_email", !linked && !gone && !json_is_string(
	    json_object_get(d, "email")),
	    "sent_on", view_date(r, json_object_get(pending, "sent_on")),
	    "expires_on", view_date(r, json_object_get(pending, "expires_on")));
}

static json_t *
assignments_view(struct request *r, json_t *list)
{
	json_t	*rows = json_array(), *a;
	size_t	 i;

	json_array_foreach(list, i, a)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "href", arena_printf(r->arena, "/vehicles/%s",
		    view_str(a, "vehicle_id")),
		    "vehicle", arena_printf(r->arena, "%s · %s %s", view_str(a, "plate"),
		    view_str(a, "make"), view_str(a, "model")),
		    "from", view_date(r, json_object_get(a, "starts_on")),
		    "to", view_date(r, json_object_get(a, "ends_on")),
		    "current", json_is_true(json_object_get(a, "current"))));
	return rows;
}

/* The driver page; error (a refused invitation) is shown at the top. */
static int
driver_page(struct request *r, const char *id, int status, const char *error)
{
	json_t	*d, *view, *pending, *assignments, *documents, *flash;
	int	 rc;

	if ((d = driver_get(r, id, &rc)) == NULL)
		return rc;
	if ((pending = driver_pending_invitation(r, id, &rc)) == NULL) {
		json_decref(d);
		return rc;
	}
	if ((assignments = driver_assignments(r, id, &rc)) == NULL) {
		json_decref(pending);
		json_decref(d);
		return rc;
	}
	if ((documents = documents_for(r, DOCUMENTS_DRIVER, id, &rc)) == NULL) {
		json_decref(assignments);
		json_decref(pending);
		json_decref(d);
		return rc;
	}
	view = json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
	    "driver", drivers_view_row(r, d),
	    "details", drivers_view_details(r, d),
	    "portal", portal_view(r, d, pending),
	    "assignments", assignments_view(r, assignments),
	    "documents", documents,
	    "can_edit", r->id.role >= ACCESS_MANAGER,
	    "offer_invite", http_query(r, "done") != NULL &&
	    strcmp(http_query(r, "done"), "onboarded") == 0);
	json_decref(pending);
	json_decref(assignments);
	flash = error != NULL ? json_pack("[{s:s, s:b, s:s}]", "type", "error",
	    "error", 1, "message", error) : done_flash(r, d);
	if (flash != NULL)
		json_object_set_new(view, "flash", flash);
	json_decref(d);
	rc = page_render(r, status, "drivers/show", view);
	return rc == 0 ? (status >= 400 ? status : 0) : rc;
}

int
drivers_show(struct request *r)
{
	return driver_page(r, http_param_uuid(r, 0), 200, NULL);
}

int
drivers_invite(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *message;
	json_t		*d;
	int		 rc;

	if ((d = driver_get(r, id, &rc)) == NULL)
		return rc;
	rc = driver_invite(r, d, &message);
	json_decref(d);
	if (rc != 0)
		return message != NULL ? driver_page(r, id, rc, message) : rc;
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/drivers/%s?done=invited", id));
}
