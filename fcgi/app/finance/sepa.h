/* SEPA Credit Transfer initiation, ISO 20022 pain.001.001.03, as the
 * EPC's SCT implementation guidelines restrict it: one payment
 * information block (one debtor account, one execution date) holding
 * one transfer per creditor.  Written with libxml2's text writer.
 *
 * Every rule the schema cannot check is checked here before a byte is
 * written: IBANs by their key and length, BICs by their shape, amounts
 * above zero, identifiers unique and in the EPC set, the execution date
 * today or later; NbOfTxs and CtrlSum are computed from the transfers.
 * Names and remittance texts are transliterated into the EPC set and cut
 * to their lengths (epc_text.h). */
#ifndef FC_APP_FINANCE_SEPA_H
#define FC_APP_FINANCE_SEPA_H

#include <stddef.h>

#include "buf.h"

#define SEPA_NAME_MAX		70	/* EPC: Nm of a party */
#define SEPA_REMITTANCE_MAX	140	/* Ustrd */
#define SEPA_AMOUNT_MAX		99999999999LL	/* 999 999 999,99 € */

struct sepa_transfer {
	const char	*end_to_end_id;	/* EPC identifier, unique in the file */
	long long	 amount_cents;
	const char	*name;		/* UTF-8 */
	const char	*iban;
	const char	*bic;		/* NULL or "": none (IBAN only) */
	const char	*remittance;	/* UTF-8, may be NULL */
};

struct sepa_batch {
	const char			*msg_id;
	const char			*pmt_inf_id;
	const char			*created_at;	/* "2026-12-02T17:15:00" */
	const char			*execution_date; /* "2026-12-03" */
	const char			*today;		/* "2026-12-02", Paris */
	const char			*debtor_name;
	const char			*debtor_iban;
	const char			*debtor_bic;
	const struct sepa_transfer	*tx;
	size_t				 ntx;
};

/* What was refused: the transfer's index (-1 for the batch itself), the
 * field, and the catalogue key of the reason. */
struct sepa_error {
	long		 index;
	const char	*field;
	const char	*key;
};

/* 0 when the batch can be written; -1 with err set. */
int	sepa_check(const struct sepa_batch *, struct sepa_error *);
/* Check, then write the document into out.  0, or -1 with err set
 * (err->key NULL when memory or libxml2 failed). */
int	sepa_write(const struct sepa_batch *, buf *out, struct sepa_error *);
/* Cents as the file writes them: "1234.05". */
void	sepa_amount(long long cents, char out[32]);

#endif
