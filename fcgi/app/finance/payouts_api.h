/* /api/v1/payout-batches: make a batch, read it, download its bank file,
 * hand it to the bank, decide its lines (payouts.h). */
#ifndef FC_APP_FINANCE_PAYOUTS_API_H
#define FC_APP_FINANCE_PAYOUTS_API_H

#include "http.h"

int	payouts_api_create(struct request *);
int	payouts_api_list(struct request *);
int	payouts_api_show(struct request *);
int	payouts_api_file(struct request *);
int	payouts_api_sent(struct request *);
int	payouts_api_line_paid(struct request *);
int	payouts_api_line_rejected(struct request *);
/* The bank file as a download (shared with the screens). */
int	payouts_send_file(struct request *, const char *id);

#endif
