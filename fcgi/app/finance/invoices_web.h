/* « Factures » and « Synchronisation comptable », under Finance. */
#ifndef FC_FINANCE_INVOICES_WEB_H
#define FC_FINANCE_INVOICES_WEB_H

#include "http.h"

int	invoices_index(struct request *);	/* GET /finance/invoices */
int	invoices_show(struct request *);	/* GET /finance/invoices/:id */
int	invoices_pay_web(struct request *);	/* POST .../:id/payments */
int	accounting_sync_index(struct request *);	/* GET /finance/accounting-sync */
int	accounting_sync_retry_web(struct request *);	/* POST .../:id/retry */

#endif
