/* The drivers' invoices (migration 0018_finance_invoices.sql): issued by
 * the validation of a week (its hook), paid by the settlement's netting
 * or by payments the office records.  Described for the resource layer
 * (the API's and the screen's lists, the API's show); a payment is this
 * file's own write, through the SQL function invoice_record_payment
 * (which posts it to the ledger and, when it completes the invoice,
 * writes the accounting sync's outbox row). */
#ifndef FC_FINANCE_INVOICES_H
#define FC_FINANCE_INVOICES_H

#include "http.h"
#include "resource/resource.h"

extern const struct resource	invoice_resource;
/* The methods a payment may be recorded with (not « compensation »,
 * which only a settlement makes). */
extern const char *const	invoice_methods[];
extern const char *const	invoice_statuses[];
/* Every method a payment may have, « compensation » first. */
extern const char *const	invoice_all_methods[];

/* A payment: checks, then invoice_record_payment.  0 (*payment_id set,
 * in the arena), 404, 409 (paid already), 422 with *errors {field:
 * message} keyed by the input's names (amount_field for the amount), or
 * a database status. */
int	invoice_pay(struct request *, const char *invoice_id,
	    long long amount_cents, const char *method, const char *paid_on,
	    const char *amount_field, const char **payment_id, json_t **errors);
/* Today in Paris, "YYYY-MM-DD", in the request's arena. */
const char	*invoice_today(struct request *);

#endif
