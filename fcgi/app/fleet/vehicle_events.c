/* Vehicle events are not a resource of the resource layer
 * (resource/resource.h): they live under a vehicle named in their path,
 * may carry files (multipart), and an event changes its vehicle (a
 * correction lowers the odometer, a fine finds the driver of that
 * moment) in the same transaction; they are never edited afterwards. */
#include <string.h>

#include "api.h"
#include "resource/api_input.h"
#include "documents_file.h"
#include "event_attachments.h"
#include "page.h"
#include "valid.h"
#include "vehicle_events.h"
#include "vehicles.h"
#include "resource/view.h"
#include "worker.h"
#include "resource/query.h"

const char *const vehicle_event_kinds[] = { "entretien", "sinistre",
	"controle_technique", "amende", "carburant", "correction_odometre",
	"autre", NULL };
static const char *const severities[] = { "faible", "moyenne", "elevee", NULL };

static const struct valid_field fields[] = {
	{ "kind", V_ENUM, 1, 0, 0, vehicle_event_kinds, NULL },
	{ "occurred_on", V_DATE, 1, 0, 0, NULL, NULL },
	{ "odometer_km", V_INT, 0, 0, 5000000, NULL, NULL },
	{ "cost_cents", V_INT, 0, 0, 100000000, NULL, NULL },
	{ "severity", V_ENUM, 0, 0, 0, severities, NULL },
	{ "reason", V_TEXT, 0, 0, 500, NULL, NULL },
	{ "notes", V_TEXT, 0, 0, 5000, NULL, NULL },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static const struct valid_field money_field = {
	"cost", V_MONEY, 0, 0, 100000000, NULL, NULL,
};

static const char *const columns[] = {
	"kind", "occurred_on", "odometer_km", "cost_cents", "severity",
	"reason", "notes",
};

#define EVENT_JSON \
	"SELECT row_to_json(x)::text FROM (SELECT e.id, e.vehicle_id, e.kind," \
	" to_char(e.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')" \
	" AS occurred_on, e.odometer_km, e.cost_cents, e.currency, e.severity," \
	" e.reason, e.notes, e.driver_id, d.first_name || ' ' || d.last_name" \
	" AS driver_name, e.created_at," EVENT_ATTACHMENTS_COLUMN \
	" FROM vehicle_events e LEFT JOIN drivers d" \
	" ON d.tenant_id = e.tenant_id AND d.id = e.driver_id "

static const struct db_stmt list_stmt = { "vehicle_events_list",
	EVENT_JSON "WHERE e.vehicle_id = $1::uuid"
	" ORDER BY e.occurred_at DESC, e.created_at DESC LIMIT 200) x" };

static const struct db_stmt get_stmt = { "vehicle_events_get",
	EVENT_JSON "WHERE e.id = $1::uuid) x" };

static const struct db_stmt costs_stmt = { "vehicle_events_costs",
	"SELECT to_char(date_trunc('month', occurred_at AT TIME ZONE"
	" 'Europe/Paris'), 'YYYY-MM'), sum(cost_cents)::bigint, count(*)"
	" FROM vehicle_events WHERE vehicle_id = $1::uuid"
	" AND occurred_at > now() - interval '12 months' GROUP BY 1 ORDER BY 1 DESC" };

static const struct db_stmt odometer_stmt = { "vehicle_events_odometer",
	"SELECT odometer_km FROM vehicles WHERE id = $1::uuid FOR UPDATE" };

static const struct db_stmt correction_stmt = { "vehicle_events_correction",
	"SELECT set_config('app.odometer_correction', 'on', true)" };

static const struct db_stmt set_odometer_stmt = { "vehicle_events_set_odometer",
	"UPDATE vehicles SET odometer_km = $2::int WHERE id = $1::uuid" };

/* The driver assigned at that moment is found, not typed. */
static const struct db_stmt insert_stmt = { "vehicle_events_insert",
	"INSERT INTO vehicle_events (tenant_id, vehicle_id, kind, occurred_at,"
	" odometer_km, cost_cents, severity, reason, notes, driver_id, created_by)"
	" SELECT app_tenant(), $8::uuid, $1::vehicle_event_kind, at, $3::int,"
	" coalesce($4::bigint, 0), $5::event_severity, $6, coalesce($7, ''),"
	" (SELECT a.driver_id FROM assignments a WHERE a.vehicle_id = $8::uuid"
	"  AND a.starts_at <= at AND (a.ends_at IS NULL OR a.ends_at > at)"
	"  LIMIT 1), app_user()"
	" FROM (SELECT ($2::date + time '12:00') AT TIME ZONE 'Europe/Paris'"
	" AS at) t RETURNING id" };

json_t *
vehicle_events_view(struct request *r, const char *vehicle_id, json_t **costs,
    int *status)
{
	const char	*v[1] = { vehicle_id };
	PGresult	*res;
	json_t		*list, *e;
	int		 i;

	if ((res = query_run(r, &list_stmt, 1, v, status)) == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		if ((e = db_json(res, i, 0)) == NULL)
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:s, s:s, s:s, s:o}", "kind", view_label(r,
		    "events.kind", view_str(e, "kind")), "date", view_date(r,
		    json_object_get(e, "occurred_on")), "cost", view_money(r,
		    json_object_get(e, "cost_cents"), view_str(e, "currency")),
		    "odometer", json_is_integer(json_object_get(e, "odometer_km")) ?
		    view_number(r, json_integer_value(json_object_get(e,
		    "odometer_km"))) : "", "severity", view_label(r,
		    "events.severity", view_str(e, "severity")),
		    "driver", view_str(e, "driver_name"),
		    "reason", view_str(e, "reason"),
		    "notes", view_str(e, "notes"), "attachments",
		    event_attachments_view(r, json_object_get(e,
		    "attachments"))));
		json_decref(e);
	}
	PQclear(res);
	if ((res = query_run(r, &costs_stmt, 1, v, status)) == NULL) {
		json_decref(list);
		return NULL;
	}
	*costs = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		json_t	*cents = json_integer(atoll(db_value(res, i, 1)));

		json_array_append_new(*costs, json_pack("{s:s, s:s, s:s}",
		    "month", db_value(res, i, 0), "total", view_money(r, cents,
		    "EUR"), "count", db_value(res, i, 2)));
		json_decref(cents);
	}
	PQclear(res);
	return list;
}

json_t *
vehicle_event_form(struct request *r, json_t *values, json_t *errors)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:s}",
	    "values", values ? values : json_object(),
	    "errors", errors ? errors : json_object(),
	    "kinds", view_options(r, "events.kind", vehicle_event_kinds,
	    values ? view_str(values, "kind") : "entretien", NULL),
	    "severities", view_options(r, "events.severity", severities,
	    values ? view_str(values, "severity") : "", "events.no_severity"),
	    "accept", DOCUMENTS_ACCEPT);
}

/* The odometer: a correction may lower it (with a reason); any other
 * event may only raise it. */
static int
apply_odometer(struct request *r, const char *vehicle_id, json_t *in,
    json_t *errors, int *status)
{
	json_t		*km = json_object_get(in, "odometer_km");
	const char	*v[2] = { vehicle_id, NULL };
	int		 correction, current;
	PGresult	*res;

	correction = strcmp(view_str(in, "kind"), "correction_odometre") == 0;
	if (correction && (km == NULL || *view_str(in, "reason") == '\0')) {
		if (km == NULL)
			valid_fail(r, errors, "odometer_km",
			    "valid.events.odometer_missing");
		if (*view_str(in, "reason") == '\0')
			valid_fail(r, errors, "reason",
			    "valid.events.reason_missing");
		return -1;
	}
	if (km == NULL)
		return 0;
	if ((res = query_run(r, &odometer_stmt, 1, v, status)) == NULL)
		return -1;
	current = PQntuples(res) ? atoi(db_value(res, 0, 0)) : 0;
	PQclear(res);
	if (!correction && json_integer_value(km) < current) {
		valid_fail(r, errors, "odometer_km", "valid.events.odometer_down");
		return -1;
	}
	if (!correction && json_integer_value(km) == current)
		return 0;
	if (correction && (res = query_run(r, &correction_stmt, 0, NULL,
	    status)) == NULL)
		return -1;
	if (correction)
		PQclear(res);
	v[1] = arena_printf(r->arena, "%lld", (long long)json_integer_value(km));
	if ((res = query_run(r, &set_odometer_stmt, 2, v, status)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static json_t *
read_input(struct request *r, int money_form, json_t **errors)
{
	json_t	*in, *money, *merrors = NULL;

	in = valid_input(r, fields, NFIELDS, errors);
	if (!money_form)
		return in;
	money = valid_input(r, &money_field, 1, &merrors);
	if (json_object_get(money, "cost") != NULL)
		json_object_set(in, "cost_cents", json_object_get(money, "cost"));
	if (merrors != NULL) {
		if (*errors == NULL)
			*errors = json_object();
		json_object_update(*errors, merrors);
		json_decref(merrors);
	}
	json_decref(money);
	return in;
}

/* The event's row and its attachments' files and rows: the id of the
 * event, or NULL with *status and nothing written on disk. */
static const char *
record(struct request *r, const char *vehicle_id, json_t *in,
    struct event_files *files, int *status)
{
	const char	*params[8], *id;
	PGresult	*res;

	if (db_params(r->arena, in, columns, 7, params) == -1) {
		*status = 422;
		return NULL;
	}
	params[7] = vehicle_id;
	if ((res = query_run(r, &insert_stmt, 8, params, status)) == NULL)
		return NULL;
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	if (id == NULL) {
		*status = 500;
		return NULL;
	}
	if ((*status = event_attachments_save(r, id, files)) != 0)
		return NULL;
	return id;
}

json_t *
vehicle_event_create(struct request *r, const char *vehicle_id,
    int money_form, int *status, json_t **errors)
{
	const char		*params[1];
	struct event_files	 files = { NULL, 0 };
	json_t			*in, *stored = NULL;
	PGresult		*res;

	in = read_input(r, money_form, errors);
	if (*errors == NULL)
		*errors = json_object();
	/* A bad file refuses the whole event, before anything is written. */
	event_attachments_check(r, *errors);
	if (json_object_size(*errors) > 0 ||
	    apply_odometer(r, vehicle_id, in, *errors, status) == -1) {
		*status = json_object_size(*errors) > 0 ? 422 : *status;
		goto out;
	}
	if ((params[0] = record(r, vehicle_id, in, &files, status)) == NULL)
		goto out;
	if ((res = query_run(r, &get_stmt, 1, params, status)) != NULL) {
		stored = PQntuples(res) == 1 ? db_json(res, 0, 0) : NULL;
		PQclear(res);
		if (stored == NULL)
			*status = 500;
	}
	if (stored == NULL) {
		/* The transaction is rolled back: so go the files. */
		event_attachments_discard(r, &files);
		goto out;
	}
	json_decref(*errors);
	*errors = NULL;
out:
	json_decref(in);
	return stored;
}

int
vehicle_event_vehicle(struct request *r, const char *id)
{
	json_t	*vehicle;
	int	 rc;

	if ((vehicle = vehicle_get(r, id, &rc)) == NULL)
		return rc;
	json_decref(vehicle);
	return 0;
}

int
vehicle_events_api_list(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *v[1] = { id };
	struct api_page	 pg = { 1, 200, 0 };
	json_t		*list;
	PGresult	*res;
	int		 rc;

	if ((rc = vehicle_event_vehicle(r, id)) != 0 ||
	    (res = query_run(r, &list_stmt, 1, v, &rc)) == NULL)
		return rc;
	list = query_rows(res);
	PQclear(res);
	return api_list(r, list, &pg, (long)json_array_size(list));
}

int
vehicle_events_api_create(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*stored, *errors = NULL;
	int		 rc;

	if ((rc = vehicle_event_vehicle(r, id)) != 0)
		return rc;
	/* JSON, or a form with files (JSON has no room for them). */
	if ((r->media_type == NULL ||
	    strcmp(r->media_type, "multipart/form-data") != 0) &&
	    (rc = api_require_object(r)) != 0)
		return rc;
	if ((stored = vehicle_event_create(r, id, 0, &rc, &errors)) == NULL) {
		if (rc == 422)
			return api_invalid(r, errors);
		json_decref(errors);
		return rc;
	}
	return api_ok(r, 201, stored);
}
