#include <string.h>

#include "api.h"
#include "api_input.h"

int
api_require_object(struct request *r)
{
	if (r->media_type == NULL ||
	    strcmp(r->media_type, "application/json") != 0) {
		api_error_key(r, 415, NULL, "api.json_expected", NULL);
		return 415;
	}
	if (!json_is_object(r->json)) {
		api_error_key(r, 400, NULL, "api.object_expected", NULL);
		return 400;
	}
	return 0;
}

int
api_invalid(struct request *r, json_t *fields)
{
	api_error_key(r, 422, "validation_failed", "api.invalid", fields);
	return 422;
}

int
api_write_failed(struct request *r, int status, json_t *fields)
{
	const char	*key;
	json_t		*v;

	if (status == 422)
		return api_invalid(r, fields ? fields : json_object());
	if (status != 409) {
		json_decref(fields);
		return status;
	}
	/* The field's own words say it best. */
	json_object_foreach(fields, key, v)
		if (json_is_string(v))
			return api_error(r, 409, "conflict", json_string_value(v),
			    fields) == 0 ? 409 : 500;
	return api_error_key(r, 409, "conflict", "valid.db.taken", fields) == 0 ?
	    409 : 500;
}
