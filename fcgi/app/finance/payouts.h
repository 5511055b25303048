/* Payout batches: validated settlements with an amount due, paid by one
 * bank file — a SEPA Credit Transfer (pain.001.001.03, sepa.h) for an
 * EUR organisation, a WPS salary file (wps.h) for an AED one.
 *
 *   batch  brouillon → exporte (file downloaded) → envoye (handed to the
 *          bank) → paye once every line is decided (rejete when all were
 *          rejected)
 *   line   en_attente → paye: the payment is posted to the ledger under
 *          "payout:<batch>:<line>:paid" (driver account debited, bank
 *          credited) and the settlement becomes paye;
 *          en_attente → rejete, with the bank's reason: no money left,
 *          the amount stays owed in the driver's account and the
 *          settlement may go into a later batch (a draft's lines too:
 *          that undoes a batch made by mistake).
 *
 * Everything runs in the request's transaction; a batch is made under a
 * per-organisation lock with its settlements locked, so two requests
 * cannot pay one settlement twice, and the same request again answers
 * the batch it made.  Finance, admin and owner act; managers read
 * (finance_may_act, settlements.h). */
#ifndef FC_APP_FINANCE_PAYOUTS_H
#define FC_APP_FINANCE_PAYOUTS_H

#include <jansson.h>

#include "http.h"

#define PAYOUT_MAX_LINES	1000

/* Why a request was refused: its HTTP status, a stable code, a message
 * in the request's language (in the arena) and per-field messages. */
struct payout_failure {
	int		 status;
	const char	*code;
	const char	*message;
	json_t		*fields;	/* owned; NULL for none */
};

/* A new batch from {settlement_ids, format, execution_date?}: the
 * batch (with its lines) and *created 1; the batch the same request made
 * before and *created 0; or NULL with f set. */
json_t	*payout_batch_create(struct request *, json_t *input, int *created,
	    struct payout_failure *f);
/* The settlements a new batch may take (validated, an amount due, in no
 * batch), newest week first: [{id, week, amount_due_cents, currency,
 * name}]. */
json_t	*payout_payable(struct request *, int *status);
/* Batches, newest first, with ?status= and ?format=. */
json_t	*payout_batch_list(struct request *, long limit, long offset,
	    long *total, int *status);
/* One batch with its lines, or NULL with *status (404). */
json_t	*payout_batch_get(struct request *, const char *id, int *status);
/* The bank file: its name, type and bytes (in the arena); the first
 * download moves the batch from brouillon to exporte.  0 or a status. */
int	 payout_batch_file(struct request *, const char *id,
	    const char **name, const char **type, const char **content);
/* exporte → envoye.  The batch, or NULL with f (409 from another state). */
json_t	*payout_batch_sent(struct request *, const char *id,
	    struct payout_failure *f);
/* Decide a line: paid (on: "YYYY-MM-DD" or NULL for today) or rejected
 * (reason required).  Deciding it again the same way changes nothing.
 * The batch, or NULL with f. */
json_t	*payout_line_paid(struct request *, const char *batch,
	    const char *line, const char *on, struct payout_failure *f);
json_t	*payout_line_rejected(struct request *, const char *batch,
	    const char *line, const char *reason, struct payout_failure *f);
/* Answer a failure as the API does. */
int	 payout_failure_api(struct request *, struct payout_failure *);

#endif
