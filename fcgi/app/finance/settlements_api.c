/* /api/v1/settlements: the list and show are the resource layer's
 * (settlements.c describes them), after the week's brouillons are
 * computed again so that they read as the data stands; validate and
 * manual lines call the SQL functions.  Not plain resource routes, so the
 * OpenAPI document describes them by hand (templates/api/openapi.json). */
#include <string.h>

#include "api.h"
#include "resource/api_input.h"
#include "resource/resource_api.h"
#include "settlements.h"
#include "settlements_api.h"
#include "valid.h"

static int
forbidden(struct request *r)
{
	return api_error_key(r, 403, "forbidden", "finance.read_only", NULL) ==
	    0 ? 403 : 500;
}

int
settlements_api_list(struct request *r)
{
	struct iso_week	 w;
	char		 monday[11], week[16];
	const char	*driver = http_query(r, "driver_id");
	int		 rc;

	if (settlement_week_param(r, &w, monday) != 0)
		return api_invalid(r, valid_one_error(r, "week",
		    "finance.invalid_week"));
	if (driver != NULL && *driver != '\0') {
		/* the list checks it again and answers for a bad one */
		if (strlen(driver) != 36)
			driver = NULL;
	} else
		driver = NULL;
	if ((rc = settlement_compute(r, monday, driver)) != 0)
		return rc;
	/* The list reads ?week=; absent, it is last week's. */
	if (http_query(r, "week") == NULL) {
		week_format(&w, week, sizeof(week));
		if (kvlist_add(r->arena, &r->query, "week", week,
		    strlen(week)) != 0)
			return 500;
	}
	return resource_api_list(r);
}

int
settlements_api_show(struct request *r)
{
	json_t	*v;
	int	 rc;

	if ((rc = settlement_refresh(r, http_param_uuid(r, 0))) != 0)
		return rc;
	if ((v = settlement_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}

int
settlements_api_validate(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *code, *message;
	json_t		*v;
	int		 rc;

	if (!finance_may_act(r))
		return forbidden(r);
	if ((rc = settlement_validate(r, id, &code, &message)) != 0) {
		if (code != NULL)
			return api_error(r, rc, code, message, NULL) == 0 ?
			    rc : 500;
		return rc;
	}
	if ((v = settlement_get(r, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}

int
settlements_api_line(struct request *r)
{
	const char	*message;
	json_t		*line, *errors;
	int		 rc;

	if (!finance_may_act(r))
		return forbidden(r);
	if ((rc = api_require_object(r)) != 0)
		return rc;
	line = settlement_add_line(r, http_param_uuid(r, 0), &rc, &errors,
	    &message);
	if (line != NULL)
		return api_ok(r, 201, line);
	if (errors != NULL)
		return api_invalid(r, errors);
	if (message != NULL && rc == 409)
		return api_error(r, 409, "already_validated", message, NULL) ==
		    0 ? 409 : 500;
	return rc;
}
