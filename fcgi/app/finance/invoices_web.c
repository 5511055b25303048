#include <string.h>

#include "accounting_sync.h"
#include "invoices.h"
#include "invoices_view.h"
#include "invoices_web.h"
#include "page.h"
#include "resource/view.h"
#include "settlements.h"
#include "valid.h"

static const struct valid_field pay_fields[] = {
	{ "amount", V_MONEY, 1, 1, 10000000000LL },
	{ "method", V_ENUM, 1, 0, 0, invoice_methods },
	{ "paid_on", V_DATE, 1 },
};

/* A list page of res: its rows as row() shows them, added to view (the
 * filter's values). */
static int
list(struct request *r, const struct resource *res, const char *tmpl,
    json_t *(*row)(struct request *, json_t *, int), json_t *view)
{
	struct res_list	 l;
	json_t		*rows, *out = json_array(), *v;
	long		 total;
	size_t		 i;
	int		 rc;

	if ((rc = resource_list_query(r, res, &l)) != 0 ||
	    (rows = resource_list_rows(r, res, &l, &total, &rc)) == NULL) {
		json_decref(out);
		json_decref(view);
		return rc;
	}
	json_array_foreach(rows, i, v)
		json_array_append_new(out, row(r, v, finance_may_act(r)));
	json_decref(rows);
	json_object_set_new(view, "rows", out);
	json_object_set_new(view, "pagination", view_pagination(r, &l.page,
	    total));
	json_object_set_new(view, "total", json_string(view_number(r, total)));
	return page_render(r, 200, tmpl, view);
}

static json_t *
invoice_row(struct request *r, json_t *v, int may_act)
{
	(void)may_act;
	return invoice_view(r, v);
}

int
invoices_index(struct request *r)
{
	const char	*week = http_query(r, "week"), *status = http_query(r,
			    "status");

	return list(r, &invoice_resource, "finance/invoices", invoice_row,
	    json_pack("{s:{s:s, s:o}}", "filter", "week", week ? week : "",
	    "statuses", view_options(r, "invoices.status", invoice_statuses,
	    status ? status : "", "invoices.all_statuses")));
}


/* The invoice's page; typed and errors when a payment was refused. */
static int
show(struct request *r, int status, json_t *typed, json_t *errors,
    const char *flash)
{
	const char	*id = http_param_uuid(r, 0), *method;
	json_t		*inv, *view;
	int		 rc;

	if (id == NULL || (inv = resource_get(r, &invoice_resource, id,
	    &rc)) == NULL) {
		json_decref(typed);
		json_decref(errors);
		return id == NULL ? 404 : rc;
	}
	method = typed != NULL ? view_str(typed, "method") : "virement";
	view = json_pack("{s:o, s:o, s:o, s:b, s:o, s:o}",
	    "invoice", invoice_view(r, inv),
	    "lines", invoice_lines_view(r, inv),
	    "payments", invoice_payments_view(r, inv),
	    "can_pay", finance_may_act(r) && strcmp(view_str(inv, "status"),
	    "paid") != 0,
	    "methods", view_options(r, "invoices.method", invoice_methods,
	    method, NULL),
	    "errors", errors != NULL ? errors : json_object());
	json_object_set_new(view, "values", typed != NULL ? typed : json_pack(
	    "{s:s, s:s}", "amount", view_money_input(r, json_object_get(inv,
	    "remaining_cents")), "paid_on", invoice_today(r)));
	if (flash != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", flash));
	json_decref(inv);
	return page_render(r, status, "finance/invoice", view);
}

int
invoices_show(struct request *r)
{
	return show(r, 200, NULL, NULL, http_query(r, "paid") != NULL ?
	    tr(r, "invoices.payment_saved") : NULL);
}

int
invoices_pay_web(struct request *r)
{
	static const char *const names[] = { "amount", "method", "paid_on",
		NULL };
	const char	*id = http_param_uuid(r, 0), *pid;
	json_t		*in, *errors;
	int		 rc;

	if (!finance_may_act(r))
		return 403;
	if (id == NULL)
		return 404;
	in = valid_input(r, pay_fields, sizeof(pay_fields) /
	    sizeof(pay_fields[0]), &errors);
	if (errors == NULL) {
		rc = invoice_pay(r, id, json_integer_value(json_object_get(in,
		    "amount")), json_string_value(json_object_get(in, "method")),
		    json_string_value(json_object_get(in, "paid_on")), "amount",
		    &pid, &errors);
		if (rc == 409)
			errors = valid_one_error(r, "amount",
			    "invoices.already_paid");
		else if (rc != 0 && rc != 422) {
			json_decref(in);
			return rc;
		}
	}
	json_decref(in);
	if (errors != NULL)
		return show(r, 422, view_typed(r, names), errors, NULL);
	return http_redirect(r, 303, arena_printf(r->arena,
	    "/finance/invoices/%s?paid=1", id));
}

int
accounting_sync_index(struct request *r)
{
	const char	*state = http_query(r, "state"), *done = http_query(r,
			    "done");
	json_t		*view;

	view = json_pack("{s:{s:o}, s:b}", "filter", "states", view_options(r,
	    "accounting_sync.filter", accounting_sync_filters, state ?
	    state : "", "accounting_sync.all_states"), "can_act",
	    finance_may_act(r));
	if (done != NULL)
		json_object_set_new(view, "flash", json_pack("[{s:s, s:s}]",
		    "type", "success", "message", tr(r,
		    "accounting_sync.retried")));
	return list(r, &accounting_sync_resource, "finance/accounting_sync",
	    accounting_sync_view, view);
}

int
accounting_sync_retry_web(struct request *r)
{
	const char	*key;
	int		 rc;

	if (!finance_may_act(r))
		return 403;
	if ((rc = accounting_sync_retry(r, http_param(r, 0), &key)) == 409)
		return page_error(r, 409, tr(r, key));
	if (rc != 0)
		return rc;
	return http_redirect(r, 303, "/finance/accounting-sync?done=1");
}
