#include <string.h>

#include "api.h"
#include "resource/api_input.h"
#include "documents.h"
#include "documents_api.h"
#include "documents_web.h"

static int
list(struct request *r, const char *owner_type)
{
	const char	*id = http_param_uuid(r, 0);
	struct api_page	 pg;
	json_t		*all, *page;
	size_t		 i;
	int		 rc;

	if ((rc = api_page_parse(r, &pg)) != 0)
		return rc;
	if ((rc = documents_owner(r, owner_type, id, NULL)) != 0)
		return rc;
	if ((all = documents_list(r, owner_type, id, &rc)) == NULL)
		return rc;
	/* An owner has a few dozen documents: the page is cut here. */
	page = json_array();
	for (i = (size_t)pg.offset; i < json_array_size(all) &&
	    i < (size_t)(pg.offset + pg.limit); i++)
		json_array_append(page, json_array_get(all, i));
	rc = api_list(r, page, &pg, (long)json_array_size(all));
	json_decref(all);
	return rc;
}

/* A file travels as multipart/form-data: JSON has no room for one. */
static int
create(struct request *r, const char *owner_type)
{
	const char	*id = http_param_uuid(r, 0);
	json_t		*stored, *errors = NULL;
	int		 rc;

	if ((rc = documents_owner(r, owner_type, id, NULL)) != 0)
		return rc;
	if (r->media_type == NULL ||
	    strcmp(r->media_type, "multipart/form-data") != 0) {
		api_error_key(r, 415, NULL, "api.multipart_expected", NULL);
		return 415;
	}
	if ((stored = documents_create(r, owner_type, id, &rc,
	    &errors)) != NULL)
		return api_ok(r, 201, stored);
	return api_write_failed(r, rc, errors);
}

int
documents_api_vehicle_list(struct request *r)
{
	return list(r, DOCUMENTS_VEHICLE);
}

int
documents_api_vehicle_create(struct request *r)
{
	return create(r, DOCUMENTS_VEHICLE);
}

int
documents_api_driver_list(struct request *r)
{
	return list(r, DOCUMENTS_DRIVER);
}

int
documents_api_driver_create(struct request *r)
{
	return create(r, DOCUMENTS_DRIVER);
}

int
documents_api_show(struct request *r)
{
	json_t	*d;
	int	 rc;

	if ((d = documents_get(r, http_param_uuid(r, 0), &rc)) == NULL)
		return rc;
	return api_ok(r, 200, d);
}

int
documents_api_file(struct request *r)
{
	return documents_send_file(r, http_param_uuid(r, 0));
}
