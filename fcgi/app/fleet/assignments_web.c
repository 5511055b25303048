#include <string.h>
#include <time.h>

#include "assignments.h"
#include "assignments_web.h"
#include "fmt.h"
#include "i18n.h"
#include "page.h"
#include "resource/view.h"
#include "worker.h"


/* A stored instant in Paris time, in the request's language. */
static const char *
when(struct request *r, json_t *iso)
{
	time_t	 at = assignment_time(json_string_value(iso));
	buf	 b;
	char	*out;

	if (at == 0)
		return "";
	buf_init(&b);
	if (fmt_datetime(&b, at, (lang_id)r->lang) == -1 || b.oom) {
		buf_free(&b);
		return "";
	}
	out = arena_strndup(r->arena, b.data, b.len);
	buf_free(&b);
	return out ? out : "";
}

static const char *
status_tone(const char *status)
{
	return strcmp(status, "en_cours") == 0 ? "ok" :
	    strcmp(status, "a_venir") == 0 ? "info" : "neutral";
}

static json_t *
row_view(struct request *r, json_t *a, const char *from)
{
	json_t		*vehicle = json_object_get(a, "vehicle");
	json_t		*driver = json_object_get(a, "driver");
	const char	*status = view_str(a, "status");
	int		 open = strcmp(status, "terminee") != 0;

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b,"
	    " s:s, s:s, s:s, s:s}",
	    "id", view_str(a, "id"),
	    "driver", view_str(driver, "name"),
	    "driver_href", arena_printf(r->arena, "/drivers/%s",
	    view_str(driver, "id")),
	    "vehicle", view_str(vehicle, "plate"),
	    "vehicle_href", arena_printf(r->arena, "/vehicles/%s",
	    view_str(vehicle, "id")),
	    "starts", when(r, json_object_get(a, "starts_at")),
	    "ends", when(r, json_object_get(a, "ends_at")),
	    "status", view_label(r, "assignments.status", status),
	    "tone", status_tone(status),
	    "can_end", open,
	    "end_action", arena_printf(r->arena, "/assignments/%s/end?from=%s",
	    view_str(a, "id"), from),
	    "end_label", tr(r, strcmp(status, "a_venir") == 0 ?
	    "assignments.cancel" : "assignments.end"),
	    "end_question", tr(r, strcmp(status, "a_venir") == 0 ?
	    "assignments.cancel_confirm" : "assignments.end_confirm"),
	    "notes", view_str(a, "notes"));
}

/* "2026-03-01T14:05", what <input type=datetime-local> shows: now. */
static const char *
now_local(struct request *r)
{
	struct tm	tm;

	fmt_paris_tm(time(NULL), &tm);
	return arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min);
}

/* The assign form of the vehicle page: active drivers (with the vehicle
 * each drives now), the period, what was typed after a refusal. */
static json_t *
form_view(struct request *r, const char *vehicle_id, json_t *values,
    json_t *errors, int *status)
{
	json_t	*drivers, *d;
	size_t	 i;

	if (values == NULL)
		values = json_pack("{s:s}", "starts_at", now_local(r));
	if ((drivers = assignment_driver_options(r, view_str(values, "driver_id"),
	    status)) == NULL) {
		json_decref(values);
		json_decref(errors);
		return NULL;
	}
	json_array_foreach(drivers, i, d)
		if (*view_str(d, "plate"))
			json_object_set_new(d, "label", json_string(arena_printf(
			    r->arena, "%s (%s %s)", view_str(d, "label"),
			    tr(r, "assignments.now_on"), view_str(d, "plate"))));
	json_array_insert_new(drivers, 0, json_pack("{s:s, s:s, s:b}",
	    "value", "", "label", tr(r, "assignments.choose_driver"),
	    "selected", *view_str(values, "driver_id") == '\0'));
	return json_pack("{s:s, s:o, s:b, s:o, s:o}",
	    "action", arena_printf(r->arena, "/vehicles/%s/assignments",
	    vehicle_id), "drivers", drivers,
	    "has_drivers", json_array_size(drivers) > 1,
	    "values", values, "errors", errors ? errors : json_object());
}

static json_t *
block(struct request *r, const char *owner_type, const char *owner_id,
    json_t *values, json_t *errors, int *status)
{
	struct assignment_filter	 f = { "", "", "" };
	struct api_page			 pg = { 1, 100, 0 };
	int				 vehicle = strcmp(owner_type,
					    "vehicle") == 0;
	json_t				*list, *rows, *a, *form = NULL;
	long				 total;
	size_t				 i;

	if (vehicle)
		f.vehicle_id = owner_id;
	else
		f.driver_id = owner_id;
	if ((list = assignment_list(r, &f, &pg, &total, status)) == NULL) {
		json_decref(values);
		json_decref(errors);
		return NULL;
	}
	rows = json_array();
	json_array_foreach(list, i, a)
		json_array_append_new(rows, row_view(r, a, owner_type));
	json_decref(list);
	if (vehicle && r->id.role >= ACCESS_MANAGER && (form = form_view(r,
	    owner_id, values, errors, status)) == NULL) {
		json_decref(rows);
		return NULL;
	}
	if (form == NULL) {
		json_decref(values);
		json_decref(errors);
	}
	return json_pack("{s:o, s:b, s:b, s:o}", "rows", rows,
	    "is_vehicle", vehicle, "can_edit", r->id.role >= ACCESS_MANAGER,
	    "form", form ? form : json_false());
}

json_t *
assignments_for(struct request *r, const char *owner_type,
    const char *owner_id, int *status)
{
	return block(r, owner_type, owner_id, NULL, NULL, status);
}

json_t *
assignments_for_form(struct request *r, const char *vehicle_id,
    json_t *values, json_t *errors, int *status)
{
	return block(r, "vehicle", vehicle_id, values, errors, status);
}

int
assignments_end_post(struct request *r)
{
	const char	*from = http_query(r, "from");
	json_t		*a;
	int		 rc, driver;
	const char	*to;

	if ((a = assignment_end(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	driver = from != NULL && strcmp(from, "driver") == 0;
	to = arena_printf(r->arena, "%s/%s?done=ended#assignments",
	    driver ? "/drivers" : "/vehicles", view_str(a, driver ? "driver_id" :
	    "vehicle_id"));
	json_decref(a);
	return http_redirect(r, 303, to);
}
