/* The bank file of a payout batch, from the rows payouts.c read of its
 * settlements and drivers (JSON objects: settlement_id, name, week,
 * amount_due_cents, end_to_end_id, iban, bic, pay_start, pay_end,
 * wps_person_id, wps_routing_code, wps_card_number) and the
 * organisation's bank.  A row the bank would refuse fails the whole
 * file, naming its driver and week. */
#ifndef FC_APP_FINANCE_PAYOUTS_FILE_H
#define FC_APP_FINANCE_PAYOUTS_FILE_H

#include <jansson.h>

#include "buf.h"
#include "organisation.h"
#include "payouts.h"

/* What the file is called and holds, and when it was made. */
struct payout_file {
	const char	*msg_id;	/* SEPA ids; WPS: the file name */
	const char	*pmt_inf_id;
	const char	*created;	/* "YYYY-MM-DDTHH:MM:SS", local */
	const char	*today;		/* "YYYY-MM-DD", local */
	const char	*execution_date;
	const char	*reference;	/* WPS employer reference */
	char		 name[64];	/* out */
	const char	*type;		/* out */
	buf		 content;	/* out, caller frees */
};

int	payouts_file_sepa(struct request *, const struct organisation_bank *,
	    json_t *rows, struct payout_file *, struct payout_failure *);
int	payouts_file_wps(struct request *, const struct organisation_bank *,
	    json_t *rows, struct payout_file *, struct payout_failure *);
/* Set f for a catalogue key, with fields {field: message} (stolen);
 * returns -1. */
int	payouts_fail(struct request *, struct payout_failure *, int status,
	    const char *code, const char *key, json_t *fields);

#endif
