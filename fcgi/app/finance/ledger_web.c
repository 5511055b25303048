/* The entries are the resource layer's list (ledger_entries.c), so the
 * page's filters are the API's and the export's; the balances are one
 * statement over the accounts. */
#include <string.h>

#include "i18n.h"
#include "ledger_entries.h"
#include "ledger_web.h"
#include "page.h"
#include "resource/view.h"
#include "worker.h"

#define MONEY(o, k)	view_money(r, json_object_get(o, k), "EUR")

/* Every account with its balance (Σ of its entries, debit positive). */
static const struct db_stmt balances_stmt = { "ledger_balances",
	"SELECT coalesce(json_agg(json_build_object('code', a.code, 'kind',"
	" a.kind, 'driver', d.first_name || ' ' || d.last_name, 'balance_cents',"
	" b.total) ORDER BY a.kind, a.code), '[]')::text FROM ledger_accounts a"
	" LEFT JOIN drivers d ON d.tenant_id = a.tenant_id AND d.id ="
	" a.driver_id JOIN LATERAL (SELECT coalesce(sum(e.amount_cents), 0)"
	" AS total FROM ledger_entries e WHERE e.tenant_id = a.tenant_id AND"
	" e.account_id = a.id) b ON true" };

static json_t *
entry_view(struct request *r, json_t *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "date", view_date(r, json_object_get(e, "posted_on")),
	    "account", view_str(e, "account"),
	    "driver", view_str(e, "driver"),
	    "memo", view_str(e, "memo"),
	    "key", view_str(e, "key"),
	    "debit", MONEY(e, "debit_cents"),
	    "credit", MONEY(e, "credit_cents"));
}

static json_t *
balances(struct request *r, const char *selected, json_t **options,
    int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*list, *out, *a;
	size_t		 i;
	const char	*code;

	if ((res = db_exec(r->w->db, &balances_stmt, 0, NULL, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	list = db_json(res, 0, 0);
	PQclear(res);
	out = json_array();
	*options = json_pack("[{s:s, s:s, s:b}]", "value", "", "label",
	    tr(r, "finance.all_accounts"), "selected", *selected == '\0');
	json_array_foreach(list, i, a) {
		code = view_str(a, "code");
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}",
		    "code", code, "driver", view_str(a, "driver"),
		    "balance", MONEY(a, "balance_cents"),
		    "href", arena_printf(r->arena, "/finance/ledger?account=%s",
		    http_url_encode(r->arena, code))));
		json_array_append_new(*options, json_pack("{s:s, s:s, s:b}",
		    "value", code, "label", *view_str(a, "driver") ?
		    arena_printf(r->arena, "%s (%s)", code, view_str(a,
		    "driver")) : code, "selected", strcmp(code, selected) == 0));
	}
	json_decref(list);
	return out;
}

/* The export of the same filter. */
static const char *
export_link(struct request *r, const char *format)
{
	const char	*q = r->query_string ? r->query_string : "";

	return arena_printf(r->arena, "/finance/ledger/export?%s%sformat=%s",
	    q, *q ? "&" : "", format);
}

int
ledger_page(struct request *r)
{
	const struct resource	*res = &ledger_entry_resource;
	struct res_list		 l;
	json_t			*list, *rows, *sums, *accounts, *options, *v;
	long			 total, count;
	size_t			 i;
	int			 rc;

	if ((rc = resource_list_query(r, res, &l)) != 0)
		return rc;
	if ((rc = resource_list_sums(r, res, &l, &count, &sums)) != 0)
		return rc;
	if ((accounts = balances(r, resource_list_value(res, &l, "account"),
	    &options, &rc)) == NULL) {
		json_decref(sums);
		return rc;
	}
	if ((list = resource_list_rows(r, res, &l, &total, &rc)) == NULL) {
		json_decref(sums);
		json_decref(accounts);
		json_decref(options);
		return rc;
	}
	rows = json_array();
	json_array_foreach(list, i, v)
		json_array_append_new(rows, entry_view(r, v));
	json_decref(list);
	rc = page_render(r, 200, "finance/ledger", json_pack("{s:o, s:o, s:o,"
	    " s:{s:o, s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:s}",
	    "rows", rows, "accounts", accounts,
	    "pagination", view_pagination(r, &l.page, total),
	    "filter", "accounts", options,
	    "from", resource_list_value(res, &l, "from"),
	    "to", resource_list_value(res, &l, "to"),
	    "totals", "debit", MONEY(sums, "debit_cents"),
	    "credit", MONEY(sums, "credit_cents"),
	    "count", view_number(r, count),
	    "export_csv", export_link(r, "csv"),
	    "export_xlsx", export_link(r, "xlsx")));
	json_decref(sums);
	return rc;
}
