#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "payouts_file.h"
#include "sepa.h"
#include "valid.h"
#include "wps.h"

int
payouts_fail(struct request *r, struct payout_failure *f, int status,
    const char *code, const char *key, json_t *fields)
{
	f->status = status;
	f->code = code;
	f->message = tr(r, key);
	f->fields = fields;
	return -1;
}

static const char *
str(json_t *row, const char *name)
{
	return json_string_value(json_object_get(row, name));
}

/* A refused row: "Awa Ndiaye, semaine 2026-W48 : <reason>", in the
 * message and under the settlement's id in the fields. */
static int
row_failed(struct request *r, struct payout_failure *f, json_t *row,
    const char *key)
{
	const char	*msg;

	msg = arena_printf(r->arena, "%s, %s %s : %s", str(row, "name"),
	    tr(r, "payouts.week"), str(row, "week"), tr(r, key));
	f->status = 422;
	f->code = "validation_failed";
	f->message = msg != NULL ? msg : tr(r, key);
	f->fields = json_pack("{s:s}", str(row, "settlement_id"), f->message);
	return -1;
}

/* The organisation's own setting is what is wrong. */
static int
setting_failed(struct request *r, struct payout_failure *f,
    const char *field, const char *key)
{
	payouts_fail(r, f, 422, "validation_failed", key, json_pack("{s:s}",
	    field, tr(r, key)));
	return -1;
}

int
payouts_file_sepa(struct request *r, const struct organisation_bank *bank,
    json_t *rows, struct payout_file *pf, struct payout_failure *f)
{
	struct sepa_transfer	*tx;
	struct sepa_batch	 b;
	struct sepa_error	 err;
	const char		*remit;
	json_t			*row;
	size_t			 i, n = json_array_size(rows);

	if ((tx = arena_alloc(r->arena, (n + 1) * sizeof(*tx))) == NULL)
		return payouts_fail(r, f, 500, "internal", "valid.memory",
		    NULL);
	remit = tr(r, "payouts.remittance");
	json_array_foreach(rows, i, row) {
		tx[i] = (struct sepa_transfer){ str(row, "end_to_end_id"),
		    json_integer_value(json_object_get(row, "amount_due_cents")),
		    str(row, "name"), str(row, "iban"), str(row, "bic"),
		    arena_printf(r->arena, "%s %s - %s", remit, str(row, "week"),
		    bank->tenant_name) };
	}
	b = (struct sepa_batch){ pf->msg_id, pf->pmt_inf_id, pf->created,
	    pf->execution_date, pf->today, bank->name, bank->iban, bank->bic,
	    tx, n };
	if (sepa_write(&b, &pf->content, &err) == 0) {
		snprintf(pf->name, sizeof(pf->name), "%s.xml", pf->msg_id);
		pf->type = "application/xml";
		return 0;
	}
	if (err.key == NULL)
		return payouts_fail(r, f, 500, "internal", "valid.memory",
		    NULL);
	if (err.index < 0)
		return setting_failed(r, f, err.field, err.key);
	return row_failed(r, f, json_array_get(rows, (size_t)err.index),
	    err.key);
}

int
payouts_file_wps(struct request *r, const struct organisation_bank *bank,
    json_t *rows, struct payout_file *pf, struct payout_failure *f)
{
	struct wps_employee	*e;
	struct wps_file		 w;
	struct wps_error	 err;
	const char		*card;
	json_t			*row;
	size_t			 i, n = json_array_size(rows);

	if (*bank->wps_employer_id == '\0')
		return setting_failed(r, f, "wps_employer_id",
		    "payouts.valid.wps_employer");
	if ((e = arena_alloc(r->arena, (n + 1) * sizeof(*e))) == NULL)
		return payouts_fail(r, f, 500, "internal", "valid.memory",
		    NULL);
	json_array_foreach(rows, i, row) {
		card = str(row, "wps_card_number");
		/* The settlement's amount is one net sum: fixed income (an
		 * itemised variable part needs the bank's EVP line). */
		e[i] = (struct wps_employee){ str(row, "wps_person_id"),
		    str(row, "wps_routing_code"), card != NULL ? card :
		    str(row, "iban"), str(row, "pay_start"), str(row, "pay_end"),
		    json_integer_value(json_object_get(row, "amount_due_cents")),
		    0, 0 };
	}
	w = (struct wps_file){ bank->wps_employer_id, bank->wps_routing_code,
	    pf->created, bank->currency, pf->reference, e, n };
	if (wps_write(&w, &pf->content, pf->name, &err) == 0) {
		pf->type = "text/csv";
		return 0;
	}
	if (err.key == NULL)
		return payouts_fail(r, f, 500, "internal", "valid.memory",
		    NULL);
	if (err.index < 0)
		return setting_failed(r, f, err.field, err.key);
	return row_failed(r, f, json_array_get(rows, (size_t)err.index),
	    err.key);
}
