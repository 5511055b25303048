#include <string.h>

#include "invoices_view.h"
#include "resource/view.h"

/* The tone of each status's badge. */
static const char *
tone(const char *status)
{
	static const struct { const char *status, *tone; } tones[] = {
		{ "open", "warn" }, { "partly_paid", "info" }, { "paid", "ok" },
		{ "pending", "info" }, { "running", "info" }, { "done", "ok" },
		{ "failed", "danger" }, { "dead", "danger" },
	};
	size_t	i;

	for (i = 0; i < sizeof(tones) / sizeof(tones[0]); i++)
		if (strcmp(tones[i].status, status) == 0)
			return tones[i].tone;
	return "info";
}

json_t *
invoice_view(struct request *r, json_t *v)
{
	const char	*cur = view_str(v, "currency");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:b}",
	    "id", view_str(v, "id"), "number", view_str(v, "number"),
	    "driver", view_str(v, "driver"), "week", view_str(v, "week"),
	    "issued_on", view_date(r, json_object_get(v, "issued_on")),
	    "total", view_money(r, json_object_get(v, "total_cents"), cur),
	    "paid", view_money(r, json_object_get(v, "paid_cents"), cur),
	    "remaining", view_money(r, json_object_get(v, "remaining_cents"),
	    cur),
	    "status", view_label(r, "invoices.status", view_str(v, "status")),
	    "tone", tone(view_str(v, "status")),
	    "settlement_id", view_str(v, "settlement_id"),
	    "is_paid", strcmp(view_str(v, "status"), "paid") == 0);
}

json_t *
invoice_lines_view(struct request *r, json_t *v)
{
	const char	*cur = view_str(v, "currency");
	json_t		*out = json_array(), *l;
	size_t		 i;

	json_array_foreach(json_object_get(v, "lines"), i, l)
		json_array_append_new(out, json_pack("{s:s, s:s}", "label",
		    view_str(l, "label"), "amount", view_money(r,
		    json_object_get(l, "amount_cents"), cur)));
	return out;
}

json_t *
invoice_payments_view(struct request *r, json_t *v)
{
	const char	*cur = view_str(v, "currency");
	json_t		*out = json_array(), *p;
	size_t		 i;

	json_array_foreach(json_object_get(v, "payments"), i, p)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}",
		    "date", view_date(r, json_object_get(p, "paid_on")),
		    "method", view_label(r, "invoices.method", view_str(p,
		    "method")), "amount", view_money(r, json_object_get(p,
		    "amount_cents"), cur)));
	return out;
}

json_t *
accounting_sync_view(struct request *r, json_t *v, int may_act)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:I, s:b}",
	    "id", json_integer_value(json_object_get(v, "id")),
	    "invoice_id", view_str(v, "invoice_id"),
	    "number", view_str(v, "invoice_number"),
	    "driver", view_str(v, "driver"),
	    "state", view_label(r, "accounting_sync.state", view_str(v,
	    "state")), "tone", tone(view_str(v, "state")),
	    "method", view_label(r, "invoices.method", view_str(v, "method")),
	    "date", view_date(r, json_object_get(v, "payment_date")),
	    "error", view_str(v, "last_error"), "fix", view_str(v, "fix"),
	    "attempts", json_integer_value(json_object_get(v, "attempts")),
	    "retry", may_act && json_is_true(json_object_get(v, "can_retry")));
}
