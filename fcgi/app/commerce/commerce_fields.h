/* What the descriptions of commerce rows share (not a public header). */
#ifndef FC_APP_COMMERCE_FIELDS_H
#define FC_APP_COMMERCE_FIELDS_H

#include "commerce.h"

#define N		RES_NULLABLE
#define L		RES_LIST
#define COL(name, type, flags)	{ name, type, flags }
#define CENTS(name, flags, text) { name, RT_MONEY, N | (flags), .doc = text }
#define CHOICE(name, values, flags) { name, RT_ENUM, flags, \
	{ name, V_ENUM, 0, 0, 0, values, NULL } }

/* Where every commerce row came from. */
#define COMMERCE_ORIGIN \
	COL("id", RT_UUID, 0), \
	{ "source", RT_TEXT, 0, .doc = "The key space of source_key:" \
	    " \"isavigne_<source id>\", \"odoo_<source id>\"." }, \
	COL("source_key", RT_TEXT, 0), \
	COL("source_id", RT_UUID, N), \
	COL("run_id", RT_UUID, N)

#define COMMERCE_STAMPS \
	COL("created_at", RT_TIME, 0), \
	COL("updated_at", RT_TIME, 0)

/* The lookup of a related row's name, for the rows of a page. */
#define CUSTOMER_NAME(alias) "(SELECT json_build_object('id', c.id, 'name'," \
	" trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')))" \
	" FROM customers c WHERE c.tenant_id = " alias ".tenant_id AND c.id = " \
	alias ".customer_id)"
#define PRODUCT_NAME(alias) "(SELECT json_build_object('id', p.id, 'name'," \
	" p.name) FROM product_catalog p WHERE p.tenant_id = " alias \
	".tenant_id AND p.id = " alias ".product_id)"

extern const char *const commerce_none[];

#define SOURCE_PARAM { "source_id", RP_ID, NULL, "valid.commerce.source", \
	.doc = "Rows of this source only" }
#define BY_SOURCE(alias) "({source_id} = '' OR " alias ".source_id =" \
	" nullif({source_id}, '')::uuid)"
/* A related row's id, or "none" for the rows without one. */
#define BY_ID(param, column) "({" param "} = '' OR ({" param "} = 'none' AND " \
	column " IS NULL) OR " column " = (CASE WHEN {" param "} IN ('', 'none')" \
	" THEN NULL ELSE {" param "} END)::uuid)"
#define LIKE(expr) "lower(" expr ") LIKE '%' || lower({q}) || '%'"

#endif
