#include <string.h>

#include "fleet/documents_web.h"
#include "i18n.h"
#include "page.h"
#include "portal.h"
#include "portal_earnings.h"
#include "resource/view.h"
#include "worker.h"

/* The signed-in driver's record: under the drivers policy a driver sees
 * no other row, and app_driver_id() is NULL for every other role. */
static const struct db_stmt driver_stmt = { "portal_driver",
	"SELECT row_to_json(x)::text FROM (SELECT d.id, d.first_name || ' ' ||"
	" d.last_name AS name, d.email, d.phone, d.address, d.status,"
	" d.vtc_card_number, d.vtc_card_expiry, d.licence_number,"
	" d.licence_expiry, d.collaboration, d.start_date,"
	" CASE WHEN d.iban IS NOT NULL THEN '•••• ' || right(d.iban, 4) END"
	" AS iban_end FROM drivers d WHERE d.id = app_driver_id()) x" };

/* The assignment going on now and its vehicle. */
static const struct db_stmt vehicle_stmt = { "portal_vehicle",
	"SELECT row_to_json(x)::text FROM (SELECT v.plate, v.make, v.model,"
	" v.color, v.energy, v.seats, (a.starts_at AT TIME ZONE"
	" 'Europe/Paris')::date AS since FROM assignments a JOIN vehicles v"
	" ON v.tenant_id = a.tenant_id AND v.id = a.vehicle_id"
	" WHERE a.driver_id = app_driver_id() AND a.starts_at <= now()"
	" AND (a.ends_at IS NULL OR a.ends_at > now())"
	" ORDER BY a.starts_at DESC LIMIT 1) x" };

/* The first row's JSON, or a null json when there is none; NULL with
 * *status on a database error. */
static json_t *
one_row(struct request *r, const struct db_stmt *s, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	if ((res = db_exec(r->w->db, s, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = PQntuples(res) == 1 ?
	    json_loads(db_value(res, 0, 0), 0, NULL) : json_null();
	PQclear(res);
	if (o == NULL)
		*status = 500;
	return o;
}

static json_t *
profile_view(struct request *r, json_t *d)
{
	const char	*collab = view_str(d, "collaboration");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s}",
	    "name", view_str(d, "name"), "email", view_str(d, "email"),
	    "phone", view_str(d, "phone"), "address", view_str(d, "address"),
	    "status", view_label(r, "drivers.status", view_str(d, "status")),
	    "vtc_card_number", view_str(d, "vtc_card_number"),
	    "vtc_card_expiry", view_date(r, json_object_get(d, "vtc_card_expiry")),
	    "licence_number", view_str(d, "licence_number"),
	    "licence_expiry", view_date(r, json_object_get(d, "licence_expiry")),
	    "collaboration", *collab ? view_label(r, "drivers.collaboration",
	    collab) : "",
	    "start_date", view_date(r, json_object_get(d, "start_date")),
	    "iban", view_str(d, "iban_end"));
}

static json_t *
vehicle_view(struct request *r, json_t *v)
{
	if (!json_is_object(v))
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}",
	    "plate", view_str(v, "plate"),
	    "model", arena_printf(r->arena, "%s %s", view_str(v, "make"),
	    view_str(v, "model")),
	    "color", view_str(v, "color"),
	    "energy", view_label(r, "vehicles.energy", view_str(v, "energy")),
	    "seats", json_integer_value(json_object_get(v, "seats")),
	    "since", view_date(r, json_object_get(v, "since")));
}

/* The driver's documents as the fleet's pages list them, their files
 * served by the portal's own route (the fleet's is for members). */
static json_t *
documents_view(struct request *r, const char *driver_id, int *status)
{
	json_t	*docs, *d;
	size_t	 i;

	if ((docs = documents_for(r, "driver", driver_id, status)) == NULL)
		return NULL;
	json_array_foreach(json_object_get(docs, "current"), i, d)
		json_object_set_new(d, "file_href", json_string(arena_printf(
		    r->arena, "/portal/documents/%s/file", view_str(d, "id"))));
	return docs;
}

int
portal_home(struct request *r)
{
	json_t	*d, *v, *docs, *earn, *view;
	int	 rc = 500;

	if ((d = one_row(r, &driver_stmt, &rc)) == NULL)
		return rc;
	/* A member who is no driver of this organisation (or a driver whose
	 * record is not linked yet) has nothing here but the reason. */
	if (!json_is_object(d)) {
		json_decref(d);
		return page_render(r, 200, "portal/home", json_pack("{s:b}",
		    "unlinked", 1));
	}
	if ((v = one_row(r, &vehicle_stmt, &rc)) == NULL ||
	    (docs = documents_view(r, view_str(d, "id"), &rc)) == NULL) {
		json_decref(v);
		json_decref(d);
		return rc;
	}
	if ((earn = portal_earnings(r, &rc)) == NULL) {
		json_decref(docs);
		json_decref(v);
		json_decref(d);
		return rc;
	}
	view = json_pack("{s:o, s:o, s:o, s:o}", "driver", profile_view(r, d),
	    "vehicle", vehicle_view(r, v), "documents", docs, "earnings",
	    earn);
	json_decref(v);
	json_decref(d);
	return page_render(r, 200, "portal/home", view);
}

int
portal_document_file(struct request *r)
{
	return documents_send_file(r, http_param_uuid(r, 0));
}
