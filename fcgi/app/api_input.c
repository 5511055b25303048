#include <string.h>

#include "api.h"
#include "api_input.h"

int
api_require_object(struct request *r)
{
	if (r->media_type == NULL ||
	    strcmp(r->media_type, "application/json") != 0) {
		api_error(r, 415, NULL, "Corps JSON attendu "
		    "(Content-Type: application/json).", NULL);
		return 415;
	}
	if (!json_is_object(r->json)) {
		api_error(r, 400, NULL, "Un objet JSON est attendu.", NULL);
		return 400;
	}
	return 0;
}

int
api_invalid(struct request *r, json_t *fields)
{
	api_error(r, 422, "validation_failed",
	    "Certaines valeurs sont invalides.", fields);
	return 422;
}

int
api_write_failed(struct request *r, int status, json_t *fields)
{
	const char	*key, *message = "Cette valeur est déjà utilisée.";
	json_t		*v;

	if (status == 422)
		return api_invalid(r, fields ? fields : json_object());
	if (status != 409) {
		json_decref(fields);
		return status;
	}
	json_object_foreach(fields, key, v)
		if (json_is_string(v)) {
			message = json_string_value(v);
			break;
		}
	return api_error(r, 409, "conflict", message, fields) == 0 ? 409 : 500;
}
