/* Assignments: which driver has which vehicle, from when to when.  A
 * vehicle has at most one driver at a time, enforced by PostgreSQL (the
 * exclusion constraint assignments__vehicle_id__overlap); the application
 * looks for the overlapping assignment first only to name it in the
 * answer.  Data shared by the screens (assignments_web.c) and the API
 * (assignments_api.c). */
#ifndef FC_APP_ASSIGNMENTS_H
#define FC_APP_ASSIGNMENTS_H

#include <time.h>
#include <jansson.h>

#include "api.h"
#include "http.h"
#include "resource/resource.h"

struct assignment_filter {
	const char	*vehicle_id;	/* "" for any */
	const char	*driver_id;
	const char	*status;	/* a_venir, en_cours, terminee or "" */
};

extern const char *const assignment_statuses[];

extern const struct resource assignment_resource;

/* The page of assignments of a filter, newest first. */
json_t	*assignment_list(struct request *, const struct assignment_filter *,
	    const struct api_page *, long *total, int *status);
/* One assignment as the API shows it, or NULL with *status 404. */
json_t	*assignment_get(struct request *, const char *id, int *status);
/* Validate (vehicle_id unless given, driver_id, starts_at, ends_at,
 * notes) and record.  Returns the stored assignment, or NULL with
 * *status: 422 with *errors, 409 with *errors naming the vehicle's
 * overlapping assignment (field starts_at), 404 when vehicle_id is given
 * and unknown. */
json_t	*assignment_create(struct request *, const char *vehicle_id,
	    int *status, json_t **errors);
/* End an assignment now; one that has not begun yet is cancelled
 * (removed).  Returns the assignment as it stands (status "annulee" when
 * cancelled), or NULL with *status 404, or 409 when it had already
 * ended. */
json_t	*assignment_end(struct request *, const char *id, int *status);
/* Active drivers for the vehicle page's select: [{value, label}]. */
json_t	*assignment_driver_options(struct request *, const char *selected,
	    int *status);
/* Normalise a time: "2026-03-01", "2026-03-01T08:00" (Paris time, what
 * <input type=datetime-local> sends) or RFC 3339 with Z or an offset →
 * "2026-03-01T07:00:00Z".  A valid_check: NULL or the message key. */
const char *assignment_check_time(const char *in, char *out, size_t outlen);
/* The instant of such a time (PostgreSQL's JSON timestamps included), or
 * 0 when it is not one. */
time_t	 assignment_time(const char *iso);

#endif
