/* The API of every resource: /api/v1/<name> list (pagination, q, the
 * resource's parameters, sort) and create (201), /api/v1/<name>/:id show,
 * update (PATCH: absent members keep their value) and archive (DELETE,
 * answering the archived object). */
#include "api_input.h"
#include "resource.h"
#include "resource_api.h"

static const struct res_input api_input = { 0, 0, 0 };

int
resource_api_list(struct request *r)
{
	const struct resource	*res = resource_of(r);
	struct res_list		 l;
	struct api_texts	 rows;
	json_t			*errors;
	long			 total;
	int			 rc;

	if ((rc = resource_list_parse(r, res, &l, &errors)) != 0)
		return errors != NULL ? api_invalid(r, errors) : rc;
	if ((rc = resource_list_texts(r, res, &l, &total, &rows)) != 0)
		return rc;
	return api_list_texts(r, &rows, &l.page, total);
}

int
resource_api_show(struct request *r)
{
	json_t	*v;
	int	 rc;

	if ((v = resource_get(r, resource_of(r), http_param_uuid(r, 0),
	    &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}

int
resource_api_create(struct request *r)
{
	const struct resource	*res = resource_of(r);
	json_t			*v, *errors, *stored;
	int			 rc;

	if ((rc = api_require_object(r)) != 0)
		return rc;
	v = resource_input(r, res, NULL, &api_input, &errors);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = resource_insert(r, res, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 201, stored);
}

int
resource_api_update(struct request *r)
{
	const struct resource	*res = resource_of(r);
	const char		*id = http_param_uuid(r, 0);
	json_t			*current, *v, *errors, *stored;
	int			 rc;

	if ((current = resource_get(r, res, id, &rc)) == NULL)
		return rc;
	if ((rc = api_require_object(r)) != 0) {
		json_decref(current);
		return rc;
	}
	v = resource_input(r, res, current, &api_input, &errors);
	json_decref(current);
	if (errors != NULL) {
		json_decref(v);
		return api_invalid(r, errors);
	}
	stored = resource_update(r, res, id, v, &rc, &errors);
	json_decref(v);
	if (stored == NULL)
		return api_write_failed(r, rc, errors);
	return api_ok(r, 200, stored);
}

int
resource_api_archive(struct request *r)
{
	const struct resource	*res = resource_of(r);
	const char		*id = http_param_uuid(r, 0);
	json_t			*v;
	int			 rc;

	if ((rc = resource_archive(r, res, id)) != 0)
		return rc;
	if ((v = resource_get(r, res, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 200, v);
}
