/* The driver form's view (drivers_view.h), for the form and the
 * onboarding wizard.  Apart from the other views: it reads the choices
 * of drivers.c, whose description uses drivers_view_row. */
#include <string.h>

#include "driver_rules.h"
#include "drivers.h"
#include "drivers_view.h"
#include "resource/view.h"
#include "worker.h"

/* The inputs of the forms, as the templates name them. */
static const char *const form_inputs[] = {
	"first_name", "last_name", "email", "phone", "birth_date", "address",
	"vtc_card_number", "vtc_card_expiry", "licence_number",
	"licence_expiry", "collaboration", "weekly_rent", "commission_rate",
	"start_date", "end_date", "iban", "bic", "bolt_driver_uuid",
	"uber_driver_uuid", "heetch_email", "status", "notes", NULL,
};

json_t *
drivers_view_form(struct request *r, json_t *d, json_t *errors)
{
	json_t		*values = json_object(), *val;
	const char	*key, *typed;
	char		 pct[32];
	size_t		 i;

	json_object_foreach(d, key, val) {
		if (json_is_string(val))
			json_object_set(values, key, val);
		else if (json_is_integer(val))
			json_object_set_new(values, key, json_string(arena_printf(
			    r->arena, "%lld", (long long)json_integer_value(val))));
	}
	json_object_set_new(values, "weekly_rent", json_string(
	    view_money_input(r, json_object_get(d, "weekly_rent_cents"))));
	pct[0] = '\0';
	if (json_is_integer(json_object_get(d, "commission_rate_bp")))
		driver_percent_input(json_integer_value(json_object_get(d,
		    "commission_rate_bp")), pct, sizeof(pct));
	json_object_set_new(values, "commission_rate", json_string(pct));
	/* Sent back with errors: what was typed, right or wrong. */
	for (i = 0; form_inputs[i] != NULL; i++)
		if ((typed = http_form(r, form_inputs[i])) != NULL)
			json_object_set_new(values, form_inputs[i],
			    json_string(typed));
	return json_pack("{s:o, s:o, s:o, s:o}", "values", values,
	    "errors", errors ? errors : json_object(),
	    "statuses", view_options(r, "drivers.status", driver_statuses,
	    *view_str(values, "status") ? view_str(values, "status") :
	    "candidat", NULL),
	    "collaborations", view_options(r, "drivers.collaboration",
	    driver_collaborations, view_str(values, "collaboration"),
	    "drivers.choose"));
}
