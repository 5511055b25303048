#include "api.h"
#include "resource/api_input.h"
#include "vehicles.h"
#include "vehicles_api.h"

int
vehicles_api_list(struct request *r)
{
	struct vehicle_filter	 f;
	struct api_page		 pg;
	struct api_texts	 rows;
	json_t			*errors;
	long			 total;
	int			 rc;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if (vehicle_filter_parse(r, &f, &errors) != 0)
		return api_invalid(r, errors);
	if ((rc = vehicle_list_texts(r, &f, &pg, &total, &rows)) != 0)
		return rc;
	return api_list_texts(r, &rows, &pg, total);
}

int
vehicles_api_create(struct request *r)
{
	json_t	*v, *errors, *stored;
	int	 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	v = vehicle_input(r, NULL, 0, &errors);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = vehicle_insert(r, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 201, stored);
}

int
vehicles_api_show(struct request *r)
{
	json_t	*v;
	int	 rc;

	if ((v = vehicle_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}

int
vehicles_api_update(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*current, *v, *errors, *stored;
	int		 rc;

	if ((current = vehicle_get(r, id, &rc)) == NULL)
		return rc;
	if ((rc = api_require_object(r)) != 0) {
		json_decref(current);
		return rc;
	}
	v = vehicle_input(r, current, 0, &errors);
	json_decref(current);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = vehicle_update(r, id, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 200, stored);
}

int
vehicles_api_archive(struct request *r)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*v;
	int		 rc;

	if ((rc = vehicle_archive(r, id)) != 0)
		return rc;
	if ((v = vehicle_get(r, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}
