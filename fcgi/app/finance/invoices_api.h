/* The invoices' and the accounting sync's API beyond the lists the
 * resource layer serves: a payment, and « Relancer ». */
#ifndef FC_FINANCE_INVOICES_API_H
#define FC_FINANCE_INVOICES_API_H

#include "http.h"

/* POST /api/v1/invoices/:id/payments {"amount_cents", "method",
 * "paid_on"} → 201 the invoice as it stands. */
int	invoices_api_pay(struct request *);
/* POST /api/v1/accounting-sync/:id/retry → 200 {"id", "job_id"...}. */
int	accounting_sync_api_retry(struct request *);

#endif
