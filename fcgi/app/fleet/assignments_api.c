#include "api.h"
#include "resource/api_input.h"
#include "assignments.h"
#include "assignments_api.h"

int
assignments_api_create(struct request *r)
{
	json_t	*stored, *errors = NULL;
	int	 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	if ((stored = assignment_create(r, NULL, &rc, &errors)) != NULL)
		return api_ok(r, 201, stored);
	return api_write_failed(r, rc, errors);
}

int
assignments_api_end(struct request *r)
{
	json_t	*a;
	int	 rc;

	if ((a = assignment_end(r, http_param_uuid(r, 0), &rc)) != NULL)
		return api_ok(r, 200, a);
	if (rc == 409)
		return api_error_key(r, 409, "conflict",
		    "api.assignment_ended", NULL) == 0 ? 409 : 500;
	return rc;
}
