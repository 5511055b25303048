/* Customers and what was sent to them, as commerce sources loaded them.
 * A customer's purchase figures are recomputed from its sales lines after
 * each sync; its segment is PROSPECT until recommendations compute it. */
#include "commerce_fields.h"

const char *const commerce_segments[] = { "PROSPECT", NULL };
const char *const commerce_channels[] = { "email", "sms", "telephone",
	"courrier", "autre", NULL };
const char *const commerce_contact_statuses[] = { "envoye", "ouvert",
	"clique", "rebond", "desinscrit", NULL };
const char *const commerce_none[] = { "none", NULL };

static const struct res_field customer_fields[] = {
	COMMERCE_ORIGIN,
	{ "customer_key", RT_TEXT, L, .doc = "The source's key prefixed by"
	    " the source's kind (\"isavigne:C0042\")." },
	{ "name", RT_TEXT, L, .select = "trim(coalesce(c.first_name, '') ||"
	    " ' ' || coalesce(c.last_name, ''))" },
	COL("first_name", RT_TEXT, N),
	COL("last_name", RT_TEXT, N),
	COL("email", RT_EMAIL, N | L),
	{ "phone", RT_TEXT, N | L, .doc = "E.164" },
	{ "mobile", RT_TEXT, N, .doc = "E.164" },
	COL("zip", RT_TEXT, N),
	COL("city", RT_TEXT, N | L),
	COL("country", RT_TEXT, N),
	COL("optout_email", RT_BOOL, 0),
	COL("optout_sms", RT_BOOL, 0),
	COL("optout_phone", RT_BOOL, 0),
	COL("first_purchase_on", RT_DATE, N),
	COL("last_purchase_on", RT_DATE, N | L),
	CENTS("total_spent_cents", L, "Sum of the customer's sales lines"),
	COL("purchase_count", RT_INT, L),
	CENTS("average_order_cents", 0, "total_spent_cents over the distinct"
	    " orders"),
	COL("preferred_category", RT_TEXT, N),
	{ "segment", RT_TEXT, 0, .doc = "PROSPECT until the recommendations"
	    " compute it." },
	COMMERCE_STAMPS,
};

static const struct res_param customer_params[] = {
	{ "q", RP_SEARCH, .doc = "Name, e-mail, phone, city or key, in any"
	    " case." },
	SOURCE_PARAM,
	{ "segment", RP_CHOICE, commerce_segments, "valid.commerce.segment" },
};

#define CUSTOMER_WHERE BY_SOURCE("c") \
	" AND ({q} = '' OR " LIKE("coalesce(c.first_name, '') || ' ' ||" \
	" coalesce(c.last_name, '') || ' ' || coalesce(c.email, '') || ' ' ||" \
	" coalesce(c.phone, '') || ' ' || coalesce(c.mobile, '') || ' ' ||" \
	" coalesce(c.city, '') || ' ' || c.customer_key") ")" \
	" AND ({segment} = '' OR c.segment = {segment})"

static const struct res_sort customer_sorts[] = {
	{ "name", "c.last_name, c.first_name" },
	{ "-name", "c.last_name DESC, c.first_name DESC" },
	{ "email", "c.email" },
	{ "-email", "c.email DESC" },
	{ "city", "c.city" },
	{ "-city", "c.city DESC" },
	{ "last_purchase_on", "c.last_purchase_on NULLS FIRST" },
	{ "-last_purchase_on", "c.last_purchase_on DESC NULLS LAST" },
	{ "total_spent_cents", "c.total_spent_cents" },
	{ "-total_spent_cents", "c.total_spent_cents DESC" },
};

static struct res_stmts customer_stmts;

const struct resource customer_resource = {
	.name = "customers", .table = "customers", .alias = "c",
	.schema = "Customer",
	.fields = customer_fields,
	.nfields = sizeof(customer_fields) / sizeof(customer_fields[0]),
	.params = customer_params,
	.nparams = sizeof(customer_params) / sizeof(customer_params[0]),
	.where = CUSTOMER_WHERE,
	.sorts = customer_sorts,
	.nsorts = sizeof(customer_sorts) / sizeof(customer_sorts[0]),
	.hooks = { .row_view = commerce_row_view },
	.stmts = &customer_stmts,
};

static const struct res_field contact_fields[] = {
	COMMERCE_ORIGIN,
	COL("contacted_at", RT_TIME, N | L),
	COL("customer_id", RT_UUID, N),
	{ "customer", RT_OBJECT, N | L, .select = CUSTOMER_NAME("h"),
	    .doc = "{id, name}" },
	COL("customer_ref", RT_TEXT, N),
	CHOICE("channel", commerce_channels, L),
	COL("campaign", RT_TEXT, N | L),
	COL("subject", RT_TEXT, N | L),
	CHOICE("status", commerce_contact_statuses, N | L),
	COL("product_id", RT_UUID, N),
	{ "product", RT_OBJECT, N, .select = PRODUCT_NAME("h"),
	    .doc = "The product suggested: {id, name}" },
	COL("product_ref", RT_TEXT, N),
	COL("response", RT_TEXT, N),
	COMMERCE_STAMPS,
};

static const struct res_param contact_params[] = {
	{ "q", RP_SEARCH, .doc = "Campaign or subject, in any case." },
	SOURCE_PARAM,
	{ "customer_id", RP_ID, commerce_none, "valid.commerce.customer",
	    .doc = "A customer's id, or \"none\"" },
	{ "channel", RP_CHOICE, commerce_channels, "valid.commerce.channel",
	    .group = "commerce.channel", .blank = "commerce.all_channels" },
	{ "status", RP_CHOICE, commerce_contact_statuses,
	    "valid.commerce.status", .group = "commerce.status",
	    .blank = "commerce.all_statuses" },
};

#define CONTACT_WHERE BY_SOURCE("h") " AND " BY_ID("customer_id", \
	"h.customer_id") \
	" AND ({q} = '' OR " LIKE("coalesce(h.campaign, '') || ' ' ||" \
	" coalesce(h.subject, '')") ")" \
	" AND ({channel} = '' OR h.channel = {channel})" \
	" AND ({status} = '' OR h.status = {status})"

static const struct res_sort contact_sorts[] = {
	{ "-contacted_at", "h.contacted_at DESC NULLS LAST" },
	{ "contacted_at", "h.contacted_at NULLS FIRST" },
};

static struct res_stmts contact_stmts;

const struct resource contact_resource = {
	.name = "contact-history", .table = "contact_history", .alias = "h",
	.schema = "ContactHistory",
	.fields = contact_fields,
	.nfields = sizeof(contact_fields) / sizeof(contact_fields[0]),
	.params = contact_params,
	.nparams = sizeof(contact_params) / sizeof(contact_params[0]),
	.where = CONTACT_WHERE,
	.sorts = contact_sorts,
	.nsorts = sizeof(contact_sorts) / sizeof(contact_sorts[0]),
	.hooks = { .row_view = commerce_row_view },
	.stmts = &contact_stmts,
};
