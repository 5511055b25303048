#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "epc_text.h"
#include "iban.h"
#include "sepa.h"
#include "unique.h"

#define NS	"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

static int
fail(struct sepa_error *err, long index, const char *field, const char *key)
{
	err->index = index;
	err->field = field;
	err->key = key;
	return -1;
}

/* s begins with "YYYY-MM-DD" (a month and a day in range) and is len
 * characters long. */
static int
is_date(const char *s, size_t len)
{
	int	y, m, d;

	return s != NULL && strlen(s) == len && s[4] == '-' && s[7] == '-' &&
	    strspn(s, "0123456789") == 4 && strspn(s + 5, "0123456789") == 2 &&
	    strspn(s + 8, "0123456789") == 2 &&
	    sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
	    y >= 2000 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int
check_transfer(const struct sepa_batch *b, size_t i, struct sepa_error *err)
{
	const struct sepa_transfer	*t = &b->tx[i];
	char				 v[48], name[SEPA_NAME_MAX + 1];
	const char			*key;

	if (t->end_to_end_id == NULL || !epc_id_ok(t->end_to_end_id))
		return fail(err, (long)i, "end_to_end_id", "payouts.valid.id");
	if (t->amount_cents <= 0 || t->amount_cents > SEPA_AMOUNT_MAX)
		return fail(err, (long)i, "amount", "payouts.valid.amount");
	if (t->name == NULL || epc_text(t->name, name, sizeof(name) - 1) == 0)
		return fail(err, (long)i, "name", "payouts.valid.name");
	if (t->iban == NULL || *t->iban == '\0')
		return fail(err, (long)i, "iban", "payouts.valid.iban_missing");
	if ((key = iban_check(t->iban, v, sizeof(v))) != NULL ||
	    strcmp(v, t->iban) != 0)
		return fail(err, (long)i, "iban", key != NULL ? key :
		    "payouts.valid.iban_form");
	if (t->bic != NULL && *t->bic != '\0' &&
	    ((key = bic_check(t->bic, v, sizeof(v))) != NULL ||
	    strcmp(v, t->bic) != 0))
		return fail(err, (long)i, "bic", key != NULL ? key :
		    "payouts.valid.bic_form");
	return 0;
}

static const char *
end_to_end_of(const void *b, size_t i)
{
	return ((const struct sepa_batch *)b)->tx[i].end_to_end_id;
}

int
sepa_check(const struct sepa_batch *b, struct sepa_error *err)
{
	char		 v[48], name[SEPA_NAME_MAX + 1];
	const char	*key;
	long long	 sum = 0;
	long		 rep;
	size_t		 i;

	if (b->msg_id == NULL || !epc_id_ok(b->msg_id))
		return fail(err, -1, "msg_id", "payouts.valid.id");
	if (b->pmt_inf_id == NULL || !epc_id_ok(b->pmt_inf_id))
		return fail(err, -1, "pmt_inf_id", "payouts.valid.id");
	if (!is_date(b->created_at, 19) || b->created_at[10] != 'T')
		return fail(err, -1, "created_at", "payouts.valid.date");
	if (!is_date(b->execution_date, 10) || !is_date(b->today, 10))
		return fail(err, -1, "execution_date", "payouts.valid.date");
	if (strcmp(b->execution_date, b->today) < 0)
		return fail(err, -1, "execution_date",
		    "payouts.valid.date_past");
	if (b->debtor_name == NULL ||
	    epc_text(b->debtor_name, name, sizeof(name) - 1) == 0)
		return fail(err, -1, "bank_name", "payouts.valid.debtor_name");
	if (b->debtor_iban == NULL || *b->debtor_iban == '\0' ||
	    (key = iban_check(b->debtor_iban, v, sizeof(v))) != NULL)
		return fail(err, -1, "bank_iban",
		    "payouts.valid.debtor_iban");
	if (b->debtor_bic == NULL || *b->debtor_bic == '\0' ||
	    (key = bic_check(b->debtor_bic, v, sizeof(v))) != NULL)
		return fail(err, -1, "bank_bic", "payouts.valid.debtor_bic");
	if (b->ntx == 0)
		return fail(err, -1, "settlement_ids", "payouts.valid.empty");
	for (i = 0; i < b->ntx; i++) {
		if (check_transfer(b, i, err) == -1)
			return -1;
		sum += b->tx[i].amount_cents;
		if (sum > 99999999999999999LL / 100)
			return fail(err, (long)i, "amount",
			    "payouts.valid.amount");
	}
	if ((rep = unique_first_repeat(b, b->ntx, end_to_end_of)) == -2)
		return fail(err, -1, NULL, NULL);
	if (rep >= 0)
		return fail(err, rep, "end_to_end_id", "payouts.valid.id_twice");
	return 0;
}

void
sepa_amount(long long cents, char out[32])
{
	snprintf(out, 32, "%lld.%02lld", cents / 100, cents % 100);
}

/* ---- writing ----------------------------------------------------------- */

/* Each returns < 0 on failure; they chain with `rc |= ...` and one test
 * at the end, since libxml2's writer keeps failing once it has. */
static int
el(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text) < 0;
}

static int
open_el(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, BAD_CAST name) < 0;
}

static int
close_el(xmlTextWriterPtr w, int n)
{
	int	rc = 0;

	while (n-- > 0)
		rc |= xmlTextWriterEndElement(w) < 0;
	return rc;
}

static int
name_el(xmlTextWriterPtr w, const char *party, const char *utf8)
{
	char	name[SEPA_NAME_MAX + 1];
	int	rc;

	epc_text(utf8, name, SEPA_NAME_MAX);
	rc = open_el(w, party);
	rc |= el(w, "Nm", name);
	return rc | close_el(w, 1);
}

static int
account_el(xmlTextWriterPtr w, const char *acct, const char *iban)
{
	int	rc = open_el(w, acct);

	rc |= open_el(w, "Id");
	rc |= el(w, "IBAN", iban);
	return rc | close_el(w, 2);
}

static int
agent_el(xmlTextWriterPtr w, const char *agent, const char *bic)
{
	int	rc = open_el(w, agent);

	rc |= open_el(w, "FinInstnId");
	rc |= el(w, "BIC", bic);
	return rc | close_el(w, 2);
}

static int
transfer(xmlTextWriterPtr w, const struct sepa_transfer *t)
{
	char	amount[32], text[SEPA_REMITTANCE_MAX + 1];
	int	rc;

	sepa_amount(t->amount_cents, amount);
	rc = open_el(w, "CdtTrfTxInf");
	rc |= open_el(w, "PmtId");
	rc |= el(w, "EndToEndId", t->end_to_end_id);
	rc |= close_el(w, 1);
	rc |= open_el(w, "Amt");
	rc |= open_el(w, "InstdAmt");
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "Ccy", BAD_CAST "EUR") < 0;
	rc |= xmlTextWriterWriteString(w, BAD_CAST amount) < 0;
	rc |= close_el(w, 2);
	if (t->bic != NULL && *t->bic != '\0')
		rc |= agent_el(w, "CdtrAgt", t->bic);
	rc |= name_el(w, "Cdtr", t->name);
	rc |= account_el(w, "CdtrAcct", t->iban);
	if (t->remittance != NULL &&
	    epc_text(t->remittance, text, SEPA_REMITTANCE_MAX) > 0) {
		rc |= open_el(w, "RmtInf");
		rc |= el(w, "Ustrd", text);
		rc |= close_el(w, 1);
	}
	return rc | close_el(w, 1);
}

/* NbOfTxs and CtrlSum, written in the group header and again in the
 * payment information (both must match the transfers). */
static int
totals(xmlTextWriterPtr w, const struct sepa_batch *b)
{
	char		 n[24], sum[32];
	long long	 cents = 0;
	size_t		 i;

	for (i = 0; i < b->ntx; i++)
		cents += b->tx[i].amount_cents;
	snprintf(n, sizeof(n), "%zu", b->ntx);
	sepa_amount(cents, sum);
	return el(w, "NbOfTxs", n) | el(w, "CtrlSum", sum);
}

static int
document(xmlTextWriterPtr w, const struct sepa_batch *b)
{
	size_t	i;
	int	rc;

	rc = xmlTextWriterSetIndent(w, 1) < 0;
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElementNS(w, NULL, BAD_CAST "Document",
	    BAD_CAST NS) < 0;
	rc |= open_el(w, "CstmrCdtTrfInitn");
	rc |= open_el(w, "GrpHdr");
	rc |= el(w, "MsgId", b->msg_id);
	rc |= el(w, "CreDtTm", b->created_at);
	rc |= totals(w, b);
	rc |= name_el(w, "InitgPty", b->debtor_name);
	rc |= close_el(w, 1);
	rc |= open_el(w, "PmtInf");
	rc |= el(w, "PmtInfId", b->pmt_inf_id);
	rc |= el(w, "PmtMtd", "TRF");
	rc |= totals(w, b);
	rc |= open_el(w, "PmtTpInf");
	rc |= open_el(w, "SvcLvl");
	rc |= el(w, "Cd", "SEPA");
	rc |= close_el(w, 2);
	rc |= el(w, "ReqdExctnDt", b->execution_date);
	rc |= name_el(w, "Dbtr", b->debtor_name);
	rc |= account_el(w, "DbtrAcct", b->debtor_iban);
	rc |= agent_el(w, "DbtrAgt", b->debtor_bic);
	rc |= el(w, "ChrgBr", "SLEV");
	for (i = 0; i < b->ntx && rc == 0; i++)
		rc |= transfer(w, &b->tx[i]);
	rc |= close_el(w, 3);
	return rc | (xmlTextWriterEndDocument(w) < 0);
}

int
sepa_write(const struct sepa_batch *b, buf *out, struct sepa_error *err)
{
	xmlBufferPtr		 xb;
	xmlTextWriterPtr	 w;
	int			 rc;

	if (sepa_check(b, err) == -1)
		return -1;
	if ((xb = xmlBufferCreate()) == NULL)
		return fail(err, -1, NULL, NULL);
	if ((w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xmlBufferFree(xb);
		return fail(err, -1, NULL, NULL);
	}
	rc = document(w, b);
	xmlFreeTextWriter(w);	/* flushes into xb */
	if (rc == 0 && buf_append(out, xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb)) == -1)
		rc = 1;
	xmlBufferFree(xb);
	return rc == 0 ? 0 : fail(err, -1, NULL, NULL);
}
