/* Sales lines, as commerce sources loaded them: quantities in units, in
 * bottles and in 75 cl equivalents (from the organisation's packaging
 * table at load time), prices in cents, the customer and product found by
 * the source's keys. */
#include "commerce_fields.h"

static const struct res_field line_fields[] = {
	COMMERCE_ORIGIN,
	COL("sold_on", RT_DATE, N | L),
	COL("order_ref", RT_TEXT, N | L),
	COL("customer_id", RT_UUID, N),
	{ "customer", RT_OBJECT, N | L, .select = CUSTOMER_NAME("s"),
	    .doc = "{id, name}" },
	COL("customer_ref", RT_TEXT, N),
	COL("product_id", RT_UUID, N),
	{ "product", RT_OBJECT, N | L, .select = PRODUCT_NAME("s"),
	    .doc = "{id, name}" },
	COL("product_ref", RT_TEXT, N),
	{ "packaging", RT_TEXT, N, .doc = "A code of the packaging table" },
	{ "quantity_units", RT_NUMBER, L, .doc = "As sold (cases, bottles…)" },
	{ "quantity_bottles", RT_NUMBER, N | L, .doc = "units × the"
	    " packaging's bottles" },
	{ "quantity_75cl_eq", RT_NUMBER, N | L, .doc = "units × the"
	    " packaging's 75 cl equivalents" },
	CENTS("unit_price_cents", 0, "cents"),
	CENTS("total_cents", L, "cents"),
	CENTS("cost_cents", 0, "cents"),
	{ "margin_pct", RT_NUMBER, N, .doc = "(total − cost) / total × 100" },
	COL("channel", RT_TEXT, N),
	COMMERCE_STAMPS,
};

static const struct res_param line_params[] = {
	{ "q", RP_SEARCH, .doc = "Order, customer or product key, in any"
	    " case." },
	SOURCE_PARAM,
	{ "customer_id", RP_ID, commerce_none, "valid.commerce.customer",
	    .doc = "A customer's id, or \"none\" for lines without one" },
	{ "product_id", RP_ID, commerce_none, "valid.commerce.product",
	    .doc = "A product's id, or \"none\" for lines without one" },
	{ "from", RP_DATE, NULL, "valid.commerce.date",
	    .doc = "First day, included" },
	{ "to", RP_DATE, NULL, "valid.commerce.date",
	    .doc = "Last day, included" },
};

#define LINE_WHERE BY_SOURCE("s") \
	" AND " BY_ID("customer_id", "s.customer_id") \
	" AND " BY_ID("product_id", "s.product_id") \
	" AND ({q} = '' OR " LIKE("coalesce(s.order_ref, '') || ' ' ||" \
	" coalesce(s.customer_ref, '') || ' ' || coalesce(s.product_ref, '')") \
	")" \
	" AND (nullif({from}, '') IS NULL OR s.sold_on >= nullif({from}," \
	" '')::date) AND (nullif({to}, '') IS NULL OR s.sold_on <=" \
	" nullif({to}, '')::date)"

static const struct res_sort line_sorts[] = {
	{ NULL, "s.sold_on DESC NULLS LAST, s.order_ref" },
};

static struct res_stmts line_stmts;

const struct resource sales_line_resource = {
	.name = "sales-lines", .table = "sales_lines", .alias = "s",
	.schema = "SalesLine",
	.fields = line_fields,
	.nfields = sizeof(line_fields) / sizeof(line_fields[0]),
	.params = line_params,
	.nparams = sizeof(line_params) / sizeof(line_params[0]),
	.where = LINE_WHERE,
	.sorts = line_sorts, .nsorts = 1,
	.sums = "coalesce(sum(s.total_cents), 0) AS total_cents",
	.hooks = { .row_view = commerce_row_view },
	.stmts = &line_stmts,
};
