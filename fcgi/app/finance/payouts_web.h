/* « Virements » under Finance: the batches, a new batch from the
 * settlements waiting for payment, a batch with its lines and their
 * actions, the bank file.  Finance, admin and owner act; managers read. */
#ifndef FC_APP_FINANCE_PAYOUTS_WEB_H
#define FC_APP_FINANCE_PAYOUTS_WEB_H

#include "http.h"

int	payouts_index(struct request *);
int	payouts_create_web(struct request *);
int	payouts_show(struct request *);
int	payouts_file_web(struct request *);
int	payouts_sent_web(struct request *);
int	payouts_paid_web(struct request *);
int	payouts_rejected_web(struct request *);

#endif
