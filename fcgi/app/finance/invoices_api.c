#include <stdlib.h>
#include <string.h>

#include "accounting_sync.h"
#include "api.h"
#include "invoices.h"
#include "invoices_api.h"
#include "resource/api_input.h"
#include "settlements.h"
#include "valid.h"

/* At most a hundred million euros in one payment. */
static const struct valid_field pay_fields[] = {
	{ "amount_cents", V_INT, 1, 1, 10000000000LL },
	{ "method", V_ENUM, 1, 0, 0, invoice_methods },
	{ "paid_on", V_DATE, 0 },
};

/* Today in Paris, "YYYY-MM-DD", in the arena. */

int
invoices_api_pay(struct request *r)
{
	const char	*id = http_param_uuid(r, 0), *paid_on, *pid;
	json_t		*in, *errors, *inv;
	int		 rc;

	if (!finance_may_act(r))
		return 403;
	if (id == NULL)
		return 404;
	if ((rc = api_require_object(r)) != 0)
		return rc;
	in = valid_input(r, pay_fields, sizeof(pay_fields) /
	    sizeof(pay_fields[0]), &errors);
	if (errors != NULL) {
		json_decref(in);
		return api_invalid(r, errors);
	}
	paid_on = json_string_value(json_object_get(in, "paid_on"));
	rc = invoice_pay(r, id, json_integer_value(json_object_get(in,
	    "amount_cents")), json_string_value(json_object_get(in, "method")),
	    paid_on != NULL ? paid_on : invoice_today(r), "amount_cents", &pid, &errors);
	json_decref(in);
	if (rc == 422)
		return api_invalid(r, errors);
	if (rc == 409)
		return api_error_key(r, 409, "conflict", "invoices.already_paid",
		    NULL);
	if (rc != 0)
		return rc;
	if ((inv = resource_get(r, &invoice_resource, id, &rc)) == NULL)
		return rc;
	return api_ok(r, 201, inv);
}

int
accounting_sync_api_retry(struct request *r)
{
	const char	*id = http_param(r, 0), *key;
	int		 rc;

	if (!finance_may_act(r))
		return 403;
	if ((rc = accounting_sync_retry(r, id, &key)) == 409)
		return api_error_key(r, 409, "conflict", key, NULL);
	if (rc != 0)
		return rc;
	return api_ok(r, 200, json_pack("{s:I, s:s}", "id",
	    (json_int_t)strtoll(id, NULL, 10), "state", "pending"));
}
