#include "analytics.h"
#include "analytics_api.h"
#include "api.h"

int
analytics_api_overview(struct request *r)
{
	struct period	 p;
	json_t		*fields, *o;
	int		 status;

	if (analytics_period(r, &p, &fields) == -1)
		return api_error_key(r, 422, "validation_failed",
		    "dashboard.errors.invalid", fields);
	if ((o = analytics_overview(r, &p, &status)) == NULL)
		return status;
	return api_ok(r, 200, o);
}
