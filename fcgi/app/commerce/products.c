/* Products and their stock, as commerce sources loaded them.  A
 * product's price segment is PostgreSQL's, computed from its list price
 * (migration 0021); stock levels are a full snapshot per sync. */
#include "commerce_fields.h"

const char *const commerce_categories[] = { "rouge", "blanc", "rose",
	"petillant", "mousseux", "fortifie", "autre", NULL };
static const char *const price_segments[] = { "entree", "standard",
	"premium", "luxe", NULL };
static const char *const active_only[] = { "active", NULL };

static const struct res_field product_fields[] = {
	COMMERCE_ORIGIN,
	{ "product_key", RT_TEXT, L, .doc = "Stable: the source's key prefixed"
	    " by the source's kind (\"isavigne:VR-2019\")." },
	COL("name", RT_TEXT, L),
	CHOICE("category", commerce_categories, L),
	{ "price_segment", RT_ENUM, N | L, { "price_segment", V_ENUM, 0, 0, 0,
	    price_segments, NULL }, .doc = "From the list price: entree < 15 €,"
	    " standard 15–30, premium 30–75, luxe ≥ 75." },
	CENTS("list_price_cents", L, "Price before tax, cents"),
	CENTS("cost_price_cents", 0, "cents"),
	{ "packaging", RT_TEXT, N, .doc = "A code of the organisation's"
	    " packaging table (bouteille, magnum, caisse6…)" },
	COL("grapes", RT_TEXT, N),
	COL("flavours", RT_TEXT, N),
	COL("vintage", RT_INT, N | L),
	COL("region", RT_TEXT, N),
	COL("alcohol_pct", RT_NUMBER, N),
	COL("body", RT_TEXT, N),
	COL("tannins", RT_TEXT, N),
	COL("active", RT_BOOL, 0),
	COMMERCE_STAMPS,
};

static const struct res_param product_params[] = {
	{ "q", RP_SEARCH, .doc = "Name, key, region or grapes, in any case." },
	SOURCE_PARAM,
	{ "category", RP_CHOICE, commerce_categories, "valid.commerce.category",
	    .group = "commerce.category", .blank = "commerce.all_categories" },
	{ "price_segment", RP_CHOICE, price_segments, "valid.commerce.segment",
	    .group = "commerce.price_segment", .blank = "commerce.all_segments" },
	{ "active", RP_FLAG, active_only, "valid.commerce.active",
	    .doc = "active: the products still sold" },
};

#define PRODUCT_WHERE BY_SOURCE("p") \
	" AND ({q} = '' OR " LIKE("p.name || ' ' || p.product_key || ' ' ||" \
	" coalesce(p.region, '') || ' ' || coalesce(p.grapes, '')") ")" \
	" AND ({category} = '' OR p.category = {category})" \
	" AND ({price_segment} = '' OR p.price_segment = {price_segment})" \
	" AND ({active} = '' OR p.active)"

static const struct res_sort product_sorts[] = {
	{ "name", "p.name" },
	{ "-name", "p.name DESC" },
	{ "list_price_cents", "p.list_price_cents NULLS FIRST" },
	{ "-list_price_cents", "p.list_price_cents DESC NULLS LAST" },
	{ "vintage", "p.vintage NULLS FIRST" },
	{ "-vintage", "p.vintage DESC NULLS LAST" },
};

static struct res_stmts product_stmts;

const struct resource product_resource = {
	.name = "products", .table = "product_catalog", .alias = "p",
	.schema = "Product",
	.fields = product_fields,
	.nfields = sizeof(product_fields) / sizeof(product_fields[0]),
	.params = product_params,
	.nparams = sizeof(product_params) / sizeof(product_params[0]),
	.where = PRODUCT_WHERE,
	.sorts = product_sorts,
	.nsorts = sizeof(product_sorts) / sizeof(product_sorts[0]),
	.hooks = { .row_view = commerce_row_view },
	.stmts = &product_stmts,
};

static const struct res_field stock_fields[] = {
	COMMERCE_ORIGIN,
	COL("product_id", RT_UUID, N),
	{ "product", RT_OBJECT, N | L, .select = PRODUCT_NAME("k"),
	    .doc = "{id, name}" },
	COL("product_ref", RT_TEXT, N | L),
	COL("warehouse", RT_TEXT, L),
	COL("quantity", RT_NUMBER, L),
	COL("reserved", RT_NUMBER, L),
	{ "available", RT_NUMBER, L, .doc = "quantity − reserved" },
	COMMERCE_STAMPS,
};

static const struct res_param stock_params[] = {
	{ "q", RP_SEARCH, .doc = "Warehouse or product key, in any case." },
	SOURCE_PARAM,
	{ "product_id", RP_ID, commerce_none, "valid.commerce.product",
	    .doc = "A product's id, or \"none\"" },
};

#define STOCK_WHERE BY_SOURCE("k") " AND " BY_ID("product_id", "k.product_id") \
	" AND ({q} = '' OR " LIKE("k.warehouse || ' ' ||" \
	" coalesce(k.product_ref, '')") ")"

static const struct res_sort stock_sorts[] = {
	{ NULL, "k.warehouse, k.product_ref" },
};

static struct res_stmts stock_stmts;

const struct resource stock_resource = {
	.name = "stock-levels", .table = "stock_levels", .alias = "k",
	.schema = "StockLevel",
	.fields = stock_fields,
	.nfields = sizeof(stock_fields) / sizeof(stock_fields[0]),
	.params = stock_params,
	.nparams = sizeof(stock_params) / sizeof(stock_params[0]),
	.where = STOCK_WHERE,
	.sorts = stock_sorts, .nsorts = 1,
	.hooks = { .row_view = commerce_row_view },
	.stmts = &stock_stmts,
};
