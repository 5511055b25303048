/* « Grand livre »: the ledger's entries with their filters, and the
 * balance of each account. */
#ifndef FC_FINANCE_LEDGER_WEB_H
#define FC_FINANCE_LEDGER_WEB_H

#include "http.h"

int	ledger_page(struct request *);

#endif
