#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "identity/activity.h"
#include "assignments.h"
#include "fmt.h"
#include "i18n.h"
#include "valid.h"
#include "worker.h"
#include "resource/query.h"
#include "resource/view.h"


const char *const assignment_statuses[] = { "a_venir", "en_cours",
	"terminee", NULL };
/* What an answer may say: a period not begun that was ended is cancelled. */
static const char *const assignment_states[] = { "a_venir", "en_cours",
	"terminee", "annulee", NULL };


#define STATUS_OF(a) \
	"CASE WHEN " a ".starts_at > now() THEN 'a_venir' WHEN " a ".ends_at" \
	" IS NULL OR " a ".ends_at > now() THEN 'en_cours' ELSE 'terminee' END"

/* An assignment, described for the resource layer, which serves its list
 * and its page.  A new one and its end are not plain writes (the overlap
 * is named, a period not begun is cancelled): they have their own
 * handlers below, which read the writable fields' checks from here. */
static const struct res_field list_fields[] = {
	{ "id", RT_UUID, 0 },
	{ "vehicle_id", RT_UUID, RES_WRITE, { "vehicle_id", V_UUID, 1, 0, 0, NULL,
	    NULL } },
	{ "driver_id", RT_UUID, RES_WRITE, { "driver_id", V_UUID, 1, 0, 0, NULL,
	    NULL }, .doc = "An active driver." },
	{ "vehicle", RT_OBJECT, 0, .select = "(SELECT json_build_object('id',"
	    " v.id, 'plate', v.plate) FROM vehicles v WHERE v.tenant_id ="
	    " a.tenant_id AND v.id = a.vehicle_id)", .doc = "{id, plate}" },
	{ "driver", RT_OBJECT, 0, .select = "(SELECT json_build_object('id',"
	    " d.id, 'name', d.first_name || ' ' || d.last_name) FROM drivers d"
	    " WHERE d.tenant_id = a.tenant_id AND d.id = a.driver_id)",
	    .doc = "{id, name}" },
	{ "starts_at", RT_TIME, RES_WRITE, { "starts_at", V_TEXT, 1, 0, 40, NULL,
	    assignment_check_time }, .doc = "RFC 3339, or 2026-03-01 /"
	    " 2026-03-01T08:00 in Europe/Paris time." },
	{ "ends_at", RT_TIME, RES_WRITE | RES_NULLABLE, { "ends_at", V_TEXT, 0, 0,
	    40, NULL, assignment_check_time }, .doc = "As starts_at; null: no end"
	    " date." },
	{ "status", RT_ENUM, 0, { "status", V_ENUM, 0, 0, 0,
	    assignment_states, NULL }, .select = STATUS_OF("a"),
	    .doc = "annulee only in the answer that cancels an assignment not"
	    " yet begun." },
	{ "notes", RT_TEXT, RES_WRITE, { "notes", V_TEXT, 0, 0, 1000, NULL,
	    NULL } },
	{ "created_at", RT_TIME, 0 },
};
#define NFIELDS		(sizeof(list_fields) / sizeof(list_fields[0]))

static const struct res_param params[] = {
	{ "vehicle_id", RP_ID, NULL, "valid.uuid" },
	{ "driver_id", RP_ID, NULL, "valid.uuid" },
	{ "status", RP_CHOICE, assignment_statuses, "valid.assignments.status" },
};

static const struct res_sort newest_first[] = {
	{ NULL, "a.starts_at DESC" },
};

static struct res_stmts stmts;

const struct resource assignment_resource = {
	.name = "assignments", .table = "assignments", .alias = "a",
	.schema = "Assignment",
	.fields = list_fields,
	.nfields = sizeof(list_fields) / sizeof(list_fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = "({vehicle_id} = '' OR a.vehicle_id = nullif({vehicle_id},"
	    " '')::uuid) AND ({driver_id} = '' OR a.driver_id ="
	    " nullif({driver_id}, '')::uuid) AND ({status} = '' OR "
	    STATUS_OF("a") " = {status})",
	.sorts = newest_first, .nsorts = 1,
	.stmts = &stmts,
};

static const struct db_stmt vehicle_stmt = { "assignments_vehicle",
	"SELECT plate, archived_at IS NOT NULL FROM vehicles WHERE id = $1::uuid" };

static const struct db_stmt driver_stmt = { "assignments_driver",
	"SELECT first_name || ' ' || last_name, status::text, archived_at IS"
	" NOT NULL FROM drivers WHERE id = $1::uuid" };

/* The vehicle's assignment that the new period would overlap, to name it
 * in the answer (the constraint itself stays the arbiter). */
static const struct db_stmt overlap_stmt = { "assignments_overlap",
	"SELECT d.first_name || ' ' || d.last_name,"
	" to_char(a.starts_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI'),"
	" coalesce(to_char(a.ends_at AT TIME ZONE 'Europe/Paris',"
	" 'DD/MM/YYYY HH24:MI'), '') FROM assignments a JOIN drivers d"
	" ON d.tenant_id = a.tenant_id AND d.id = a.driver_id"
	" WHERE a.vehicle_id = $1::uuid AND tstzrange(a.starts_at, a.ends_at)"
	" && tstzrange($2::timestamptz, $3::timestamptz)"
	" ORDER BY a.starts_at LIMIT 1" };

static const struct db_stmt insert_stmt = { "assignments_insert",
	"INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at,"
	" ends_at, notes, created_by) VALUES (app_tenant(), $1::uuid, $2::uuid,"
	" $3::timestamptz, $4::timestamptz, coalesce($5, ''), app_user())"
	" RETURNING id" };

static const struct db_stmt end_stmt = { "assignments_end",
	"UPDATE assignments SET ends_at = now() WHERE id = $1::uuid"
	" AND starts_at < now() AND (ends_at IS NULL OR ends_at > now())"
	" RETURNING id" };

static const struct db_stmt cancel_stmt = { "assignments_cancel",
	"DELETE FROM assignments WHERE id = $1::uuid AND starts_at >= now()"
	" RETURNING id" };

/* Drivers who may take a vehicle, and the one each drives now. */
static const struct db_stmt drivers_stmt = { "assignments_drivers",
	"SELECT d.id, d.first_name || ' ' || d.last_name, coalesce(v.plate, '')"
	" FROM drivers d LEFT JOIN assignments a ON a.tenant_id = d.tenant_id"
	" AND a.driver_id = d.id AND a.starts_at <= now() AND (a.ends_at IS"
	" NULL OR a.ends_at > now()) LEFT JOIN vehicles v ON v.tenant_id ="
	" a.tenant_id AND v.id = a.vehicle_id WHERE d.status = 'actif' AND"
	" d.archived_at IS NULL ORDER BY d.last_name, d.first_name, d.id"
	" LIMIT 1000" };

/* Two digits at s, or -1. */
static int
two(const char *s)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The zone of an RFC 3339 time: seconds east of UTC in *off; 0 and
 * *has_zone 0 when there is none; -1 when malformed. */
static int
parse_zone(const char *p, int *has_zone, long *off)
{
	int	hh, mm, sign;

	*has_zone = 0;
	*off = 0;
	if (*p == '\0')
		return 0;
	*has_zone = 1;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p == '-' ? -1 : 1;
	if ((hh = two(p + 1)) < 0 || hh > 23)
		return -1;
	p += 3;
	if (*p == ':')
		p++;
	mm = *p == '\0' ? 0 : two(p);	/* "+02" is "+02:00" */
	if (mm < 0 || mm > 59 || (*p != '\0' && p[2] != '\0'))
		return -1;
	*off = sign * (long)(hh * 3600 + mm * 60);
	return 0;
}

const char *
assignment_check_time(const char *in, char *out, size_t outlen)
{
	static const char	bad[] = "valid.assignments.datetime";
	char			date[11];
	const char		*p;
	int			y, mo, d, h = 0, mi = 0, s = 0, has_zone;
	long			off;
	time_t			t;
	struct tm		tm;

	if (strlen(in) < 10)
		return bad;
	memcpy(date, in, 10);
	date[10] = '\0';
	if (date[4] != '-' || fmt_parse_date(date, &y, &mo, &d) == -1)
		return bad;
	if (y < 1990 || y > 2100)
		return "valid.assignments.date_range";
	p = in + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if ((h = two(p + 1)) < 0 || h > 23 || p[3] != ':' ||
		    (mi = two(p + 4)) < 0 || mi > 59)
			return bad;
		p += 6;
		if (*p == ':') {
			if ((s = two(p + 1)) < 0 || s > 59)
				return bad;
			p += 3;
			if (*p == '.')	/* fractions of a second: dropped */
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	if (parse_zone(p, &has_zone, &off) == -1)
		return bad;
	if (has_zone) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		t = timegm(&tm) - off;
	} else if (fmt_paris_to_utc(y, mo, d, h, mi, &t) == -1)
		return "valid.assignments.dst_gap";
	t += s;
	if (gmtime_r(&t, &tm) == NULL || strftime(out, outlen,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return bad;
	return NULL;
}

time_t
assignment_time(const char *iso)
{
	char		utc[32];
	struct tm	tm;

	if (iso == NULL || assignment_check_time(iso, utc, sizeof(utc)) != NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

json_t *
assignment_list(struct request *r, const struct assignment_filter *f,
    const struct api_page *pg, long *total, int *status)
{
	struct res_list	l = { { f->vehicle_id, f->driver_id, f->status },
			    0, *pg };

	return resource_list_rows(r, &assignment_resource, &l, total, status);
}

json_t *
assignment_get(struct request *r, const char *id, int *status)
{
	return resource_get(r, &assignment_resource, id, status);
}

/* Vehicle and driver must be of the organisation (another tenant's id
 * reads as unknown: row-level security hides it) and in service.  The
 * plate and the name, for the messages; *plate NULL when the vehicle is
 * unknown, which a vehicle named by the URL turns into a 404. */
static int
check_parties(struct request *r, json_t *in, json_t *errors,
    const char **plate, const char **name)
{
	const char	*v[1];
	PGresult	*res;
	int		 status = 0;

	if (json_object_get(in, "vehicle_id") != NULL) {
		v[0] = view_str(in, "vehicle_id");
		if ((res = query_run(r, &vehicle_stmt, 1, v, &status)) == NULL)
			return status;
		if (PQntuples(res) == 0) {
			valid_fail(r, errors, "vehicle_id",
			    "valid.assignments.vehicle_unknown");
			*plate = NULL;
		} else if (strcmp(db_value(res, 0, 1), "t") == 0)
			valid_fail(r, errors, "vehicle_id",
			    "valid.assignments.vehicle_archived");
		else
			*plate = arena_strdup(r->arena, db_value(res, 0, 0));
		PQclear(res);
	}
	if (json_object_get(in, "driver_id") != NULL) {
		v[0] = view_str(in, "driver_id");
		if ((res = query_run(r, &driver_stmt, 1, v, &status)) == NULL)
			return status;
		if (PQntuples(res) == 0)
			valid_fail(r, errors, "driver_id",
			    "valid.assignments.driver_unknown");
		else if (strcmp(db_value(res, 0, 2), "t") == 0 ||
		    strcmp(db_value(res, 0, 1), "actif") != 0)
			valid_fail(r, errors, "driver_id",
			    "valid.assignments.driver_inactive");
		else
			*name = arena_strdup(r->arena, db_value(res, 0, 0));
		PQclear(res);
	}
	return 0;
}

/* 409's message: the assignment already holding the vehicle. */
static int
find_overlap(struct request *r, json_t *in, const char *plate,
    json_t **errors)
{
	const char	*v[3] = { view_str(in, "vehicle_id"),
			    view_str(in, "starts_at"), json_object_get(in,
			    "ends_at") ? view_str(in, "ends_at") : NULL };
	const char	*args[4];
	char		 text[512];
	PGresult	*res;
	int		 status = 0;

	if ((res = query_run(r, &overlap_stmt, 3, v, &status)) == NULL)
		return status;
	if (PQntuples(res) == 1) {
		args[0] = plate;
		args[1] = db_value(res, 0, 0);
		args[2] = db_value(res, 0, 1);
		args[3] = db_value(res, 0, 2);
		*errors = json_pack("{s:s}", "starts_at", i18n_fill(r->w->i18n,
		    (lang_id)r->lang, *args[3] ? "valid.assignments.overlap" :
		    "valid.assignments.overlap_open", args, 4, text,
		    sizeof(text)));
		status = 409;
	}
	PQclear(res);
	return status;
}

static json_t *
read_input(struct request *r, const char *vehicle_id, json_t **errors)
{
	struct valid_field	f[NFIELDS];
	json_t			*in;
	size_t			 i, n = 0;

	/* The vehicle's page gives the vehicle. */
	for (i = 0; i < NFIELDS; i++)
		if ((list_fields[i].flags & RES_WRITE) && !(vehicle_id != NULL &&
		    strcmp(list_fields[i].name, "vehicle_id") == 0))
			f[n++] = list_fields[i].valid;
	in = valid_input(r, f, n, errors);
	if (vehicle_id != NULL)
		json_object_set_new(in, "vehicle_id", json_string(vehicle_id));
	if (*errors == NULL)
		*errors = json_object();
	/* Normalised to UTC, same format: they compare as text. */
	if (json_object_get(in, "starts_at") && json_object_get(in, "ends_at") &&
	    strcmp(view_str(in, "ends_at"), view_str(in, "starts_at")) <= 0)
		valid_fail(r, *errors, "ends_at",
		    "valid.assignments.end_before_start");
	return in;
}

static json_t *
insert(struct request *r, json_t *in, const char *plate, const char *name,
    int *status, json_t **errors)
{
	const char	*v[5] = { view_str(in, "vehicle_id"),
			    view_str(in, "driver_id"), view_str(in, "starts_at"),
			    json_object_get(in, "ends_at") ? view_str(in,
			    "ends_at") : NULL, json_object_get(in, "notes") ?
			    view_str(in, "notes") : NULL };
	PGresult	*res;
	const char	*id;

	if ((res = query_run(r, &insert_stmt, 5, v, status)) == NULL) {
		/* Another request took the period between our look and the
		 * insert: the constraint said no. */
		if (*status == 409)
			*errors = valid_one_error(r, "starts_at",
			    "valid.assignments.just_taken");
		return NULL;
	}
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	if ((*status = activity_record(r, "assignment.created", arena_printf(
	    r->arena, "Attribution : %s — %s", plate, name), NULL, "vehicle",
	    v[0])) != 0)
		return NULL;
	return assignment_get(r, id, status);
}

json_t *
assignment_create(struct request *r, const char *vehicle_id, int *status,
    json_t **errors)
{
	const char	*plate = "", *name = "";
	json_t		*in, *stored = NULL;

	in = read_input(r, vehicle_id, errors);
	if ((*status = check_parties(r, in, *errors, &plate, &name)) != 0)
		goto fail;
	if (vehicle_id != NULL && plate == NULL) {
		*status = 404;
		goto fail;
	}
	if (json_object_size(*errors) > 0) {
		*status = 422;
		json_decref(in);
		return NULL;
	}
	json_decref(*errors);
	*errors = NULL;
	if ((*status = find_overlap(r, in, plate, errors)) == 0)
		stored = insert(r, in, plate, name, status, errors);
	json_decref(in);
	return stored;
fail:
	json_decref(*errors);
	*errors = NULL;
	json_decref(in);
	return NULL;
}

json_t *
assignment_end(struct request *r, const char *id, int *status)
{
	const char	*v[1] = { id };
	PGresult	*res;
	json_t		*a;
	int		 n;

	if ((a = assignment_get(r, id, status)) == NULL)
		return NULL;
	if ((res = query_run(r, &end_stmt, 1, v, status)) == NULL)
		goto fail;
	n = PQntuples(res);
	PQclear(res);
	if (n == 0) {
		if ((res = query_run(r, &cancel_stmt, 1, v, status)) == NULL)
			goto fail;
		n = PQntuples(res);
		PQclear(res);
		if (n == 0) {
			*status = 409;
			goto fail;
		}
		json_object_set_new(a, "status", json_string("annulee"));
	} else {
		json_decref(a);
		if ((a = assignment_get(r, id, status)) == NULL)
			return NULL;
	}
	*status = activity_record(r, "assignment.ended", arena_printf(r->arena,
	    "Fin d'attribution : %s — %s", view_str(json_object_get(a, "vehicle"),
	    "plate"), view_str(json_object_get(a, "driver"), "name")), NULL,
	    "vehicle", view_str(a, "vehicle_id"));
	if (*status == 0)
		return a;
fail:
	json_decref(a);
	return NULL;
}

json_t *
assignment_driver_options(struct request *r, const char *selected,
    int *status)
{
	PGresult	*res;
	json_t		*list;
	int		 i;

	if ((res = query_run(r, &drivers_stmt, 0, NULL, status)) == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}",
		    "value", db_value(res, i, 0), "label", db_value(res, i, 1),
		    "plate", db_value(res, i, 2), "selected", selected != NULL &&
		    strcmp(selected, db_value(res, i, 0)) == 0));
	PQclear(res);
	return list;
}
