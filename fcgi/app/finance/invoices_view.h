/* What the invoice screens show of an invoice and of a sync row: French
 * (or English) money, dates and labels, computed in C. */
#ifndef FC_FINANCE_INVOICES_VIEW_H
#define FC_FINANCE_INVOICES_VIEW_H

#include <jansson.h>

#include "http.h"

/* A row of the list, or the head of the invoice's page (a new object). */
json_t	*invoice_view(struct request *, json_t *inv);
/* The invoice's lines and payments, for its page (new arrays). */
json_t	*invoice_lines_view(struct request *, json_t *inv);
json_t	*invoice_payments_view(struct request *, json_t *inv);
/* A row of the sync's list. */
json_t	*accounting_sync_view(struct request *, json_t *row, int may_act);

#endif
