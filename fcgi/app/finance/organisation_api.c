#include "api.h"
#include "organisation.h"
#include "organisation_api.h"
#include "resource/api_input.h"

int
organisation_api_show(struct request *r)
{
	json_t	*o;
	int	 status;

	if ((o = organisation_get(r, &status)) == NULL)
		return status;
	return api_ok(r, 200, o);
}

int
organisation_api_update(struct request *r)
{
	json_t	*errors = NULL;
	int	 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	if ((rc = organisation_update(r, &errors)) != 0)
		return api_write_failed(r, rc, errors);
	return organisation_api_show(r);
}
