#include <string.h>

#include "organisation.h"
#include "organisation_web.h"
#include "page.h"

static int
render(struct request *r, int status, json_t *values, json_t *errors,
    const char *flash)
{
	json_t	*o, *view;
	int	 st;

	if ((o = organisation_get(r, &st)) == NULL) {
		json_decref(values);
		json_decref(errors);
		return st;
	}
	if (values != NULL)	/* what was typed, the secret aside */
		json_object_update(o, values);
	json_object_set_new(o, "armado_set", json_boolean(json_is_string(
	    json_object_get(o, "armado_api_key"))));
	json_object_del(o, "armado_api_key");
	json_object_set_new(o, "is_eur", json_boolean(strcmp(
	    json_string_value(json_object_get(o, "currency")), "EUR") == 0));
	view = json_pack("{s:o, s:o, s:b}", "values", o, "errors",
	    errors != NULL ? errors : json_object(), "can_edit",
	    r->id.role >= ACCESS_ADMIN);
	json_decref(values);
	if (flash != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", flash));
	return page_render(r, status, "finance/organisation", view);
}

int
organisation_page(struct request *r)
{
	const char	*done = http_query(r, "done");

	return render(r, 200, NULL, NULL, done != NULL ?
	    tr(r, "organisation.saved") : NULL);
}

/* The form's values as typed, to show them again next to their errors
 * (never the secret). */
static json_t *
typed(struct request *r)
{
	static const char *const names[] = { "bank_iban", "bank_bic",
		"bank_name", "wps_employer_id", "wps_routing_code", "currency" };
	json_t	*v = json_object();
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (http_form(r, names[i]) != NULL)
			json_object_set_new(v, names[i], json_string(
			    http_form(r, names[i])));
	return v;
}

int
organisation_save(struct request *r)
{
	json_t	*errors = NULL;
	int	 rc;

	if ((rc = organisation_update(r, &errors)) == 422)
		return render(r, 422, typed(r), errors, NULL);
	json_decref(errors);
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, "/settings/organisation?done=1");
}
