#include "api.h"
#include "resource/api_input.h"
#include "drivers.h"
#include "drivers_api.h"

int
drivers_api_list(struct request *r)
{
	struct driver_filter	 f;
	struct api_page		 pg;
	struct api_texts	 rows;
	json_t			*errors;
	long			 total;
	int			 rc;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if (driver_filter_parse(r, &f, &errors) != 0)
		return api_invalid(r, errors);
	if ((rc = driver_list_texts(r, &f, &pg, &total, &rows)) != 0)
		return rc;
	return api_list_texts(r, &rows, &pg, total);
}

int
drivers_api_create(struct request *r)
{
	json_t	*v, *errors, *stored;
	int	 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	v = driver_input(r, NULL, DRIVER_API, DRIVER_ALL, &errors);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = driver_insert(r, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 201, stored);
}

int
drivers_api_show(struct request *r)
{
	json_t	*d;
	int	 rc;

	if ((d = driver_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return api_ok(r, 200, d);
}

int
drivers_api_update(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*current, *v, *errors, *stored;
	int		 rc;

	if ((current = driver_get(r, id, &rc)) == NULL)
		return rc;
	if ((rc = api_require_object(r)) != 0) {
		json_decref(current);
		return rc;
	}
	v = driver_input(r, current, DRIVER_API, DRIVER_ALL, &errors);
	json_decref(current);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = driver_update(r, id, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 200, stored);
}

int
drivers_api_archive(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*d;
	int		 rc;

	if ((rc = driver_archive(r, id)) != 0)
		return rc;
	if ((d = driver_get(r, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, d);
}
