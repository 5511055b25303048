/* The merge of each commerce table (sync_commerce.c): an upsert from the
 * staging table on (source, source_key) that writes only the rows that
 * differ and answers (inserted, updated), and what follows it.
 * $1 key space, $2 source, $3 run, $4 the keys' prefix ("isavigne"). */
#ifndef FC_SYNC_COMMERCE_SQL_H
#define FC_SYNC_COMMERCE_SQL_H

#define UPSERT_COUNTS(body) "WITH up AS (" body " RETURNING (xmax = 0) AS" \
	" ins) SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT" \
	" ins) FROM up"
#define ORIGIN_SET "source_id = EXCLUDED.source_id, run_id = EXCLUDED.run_id," \
	" updated_at = now()"

static const char products_merge_sql[] = UPSERT_COUNTS(
	"INSERT INTO product_catalog AS t (tenant_id, source, source_key,"
	" source_id, run_id, product_key, name, category, list_price_cents,"
	" cost_price_cents, packaging, grapes, flavours, vintage, region,"
	" alcohol_pct, body, tannins, active)"
	" SELECT app_tenant(), $1, s.source_key, $2::uuid, $3::uuid,"
	" left($4 || ':' || s.source_key, 250), left(s.name, 200),"
	" coalesce(s.category, 'autre'), s.list_price_cents, s.cost_price_cents,"
	" s.packaging, s.grapes, s.flavours, s.vintage::int, s.region,"
	" s.alcohol / 100.0, s.body, s.tannins, coalesce(s.active, 1) = 1"
	" FROM sync_stage s"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" name = EXCLUDED.name, category = EXCLUDED.category,"
	" list_price_cents = EXCLUDED.list_price_cents,"
	" cost_price_cents = EXCLUDED.cost_price_cents,"
	" packaging = EXCLUDED.packaging, grapes = EXCLUDED.grapes,"
	" flavours = EXCLUDED.flavours, vintage = EXCLUDED.vintage,"
	" region = EXCLUDED.region, alcohol_pct = EXCLUDED.alcohol_pct,"
	" body = EXCLUDED.body, tannins = EXCLUDED.tannins,"
	" active = EXCLUDED.active, " ORIGIN_SET
	" WHERE (t.name, t.category, t.list_price_cents, t.cost_price_cents,"
	" t.packaging, t.grapes, t.flavours, t.vintage, t.region,"
	" t.alcohol_pct, t.body, t.tannins, t.active) IS DISTINCT FROM"
	" (EXCLUDED.name, EXCLUDED.category, EXCLUDED.list_price_cents,"
	" EXCLUDED.cost_price_cents, EXCLUDED.packaging, EXCLUDED.grapes,"
	" EXCLUDED.flavours, EXCLUDED.vintage, EXCLUDED.region,"
	" EXCLUDED.alcohol_pct, EXCLUDED.body, EXCLUDED.tannins,"
	" EXCLUDED.active)");

static const char customers_merge_sql[] = UPSERT_COUNTS(
	"INSERT INTO customers AS t (tenant_id, source, source_key, source_id,"
	" run_id, customer_key, first_name, last_name, email, phone, mobile,"
	" zip, city, country, optout_email, optout_sms, optout_phone)"
	" SELECT app_tenant(), $1, s.source_key, $2::uuid, $3::uuid,"
	" left($4 || ':' || s.source_key, 250), left(s.first_name, 100),"
	" left(s.last_name, 100), s.email, s.phone, s.mobile, left(s.zip, 20),"
	" left(s.city, 100), left(s.country, 60), coalesce(s.optout_email, 0) = 1,"
	" coalesce(s.optout_sms, 0) = 1, coalesce(s.optout_phone, 0) = 1"
	" FROM sync_stage s"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
	" email = EXCLUDED.email, phone = EXCLUDED.phone,"
	" mobile = EXCLUDED.mobile, zip = EXCLUDED.zip, city = EXCLUDED.city,"
	" country = EXCLUDED.country, optout_email = EXCLUDED.optout_email,"
	" optout_sms = EXCLUDED.optout_sms, optout_phone = EXCLUDED.optout_phone,"
	" " ORIGIN_SET
	" WHERE (t.first_name, t.last_name, t.email, t.phone, t.mobile, t.zip,"
	" t.city, t.country, t.optout_email, t.optout_sms, t.optout_phone)"
	" IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name,"
	" EXCLUDED.email, EXCLUDED.phone, EXCLUDED.mobile, EXCLUDED.zip,"
	" EXCLUDED.city, EXCLUDED.country, EXCLUDED.optout_email,"
	" EXCLUDED.optout_sms, EXCLUDED.optout_phone)");

/* Quantities from the packaging table as it is now: the line's
 * packaging, else the product's, else a bottle. */
static const char sales_merge_sql[] = UPSERT_COUNTS(
	"INSERT INTO sales_lines AS t (tenant_id, source, source_key,"
	" source_id, run_id, customer_id, product_id, customer_ref,"
	" product_ref, order_ref, sold_on, packaging, quantity_units,"
	" quantity_bottles, quantity_75cl_eq, unit_price_cents, total_cents,"
	" cost_cents, margin_pct, channel)"
	" SELECT app_tenant(), $1, s.source_key, $2::uuid, $3::uuid, c.id, p.id,"
	" s.customer_ref, s.product_ref, s.order_ref, s.sold_on,"
	" k.pack, s.quantity / 100.0, s.quantity / 100.0 * u.bottles,"
	" s.quantity / 100.0 * u.eq75, s.unit_price_cents, s.total_cents,"
	" s.cost_cents, CASE WHEN s.total_cents > 0 AND s.cost_cents IS NOT"
	" NULL THEN greatest(-999999, least(999999, round((s.total_cents -"
	" s.cost_cents) * 100.0 / s.total_cents, 2))) END, left(s.channel, 60)"
	" FROM sync_stage s"
	" LEFT JOIN customers c ON c.tenant_id = app_tenant() AND c.source = $1"
	" AND c.source_key = s.customer_ref"
	" LEFT JOIN product_catalog p ON p.tenant_id = app_tenant() AND"
	" p.source = $1 AND p.source_key = s.product_ref"
	" CROSS JOIN LATERAL (SELECT coalesce(s.packaging, p.packaging,"
	" 'bouteille') AS pack) k"
	" LEFT JOIN packaging_units u ON u.tenant_id = app_tenant() AND"
	" u.code = k.pack"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id,"
	" customer_ref = EXCLUDED.customer_ref, product_ref = EXCLUDED.product_ref,"
	" order_ref = EXCLUDED.order_ref, sold_on = EXCLUDED.sold_on,"
	" packaging = EXCLUDED.packaging,"
	" quantity_units = EXCLUDED.quantity_units,"
	" quantity_bottles = EXCLUDED.quantity_bottles,"
	" quantity_75cl_eq = EXCLUDED.quantity_75cl_eq,"
	" unit_price_cents = EXCLUDED.unit_price_cents,"
	" total_cents = EXCLUDED.total_cents, cost_cents = EXCLUDED.cost_cents,"
	" margin_pct = EXCLUDED.margin_pct, channel = EXCLUDED.channel, "
	ORIGIN_SET
	" WHERE (t.customer_id, t.product_id, t.customer_ref, t.product_ref,"
	" t.order_ref, t.sold_on, t.packaging, t.quantity_units,"
	" t.quantity_bottles, t.quantity_75cl_eq, t.unit_price_cents,"
	" t.total_cents, t.cost_cents, t.margin_pct, t.channel)"
	" IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.product_id,"
	" EXCLUDED.customer_ref, EXCLUDED.product_ref, EXCLUDED.order_ref,"
	" EXCLUDED.sold_on, EXCLUDED.packaging, EXCLUDED.quantity_units,"
	" EXCLUDED.quantity_bottles, EXCLUDED.quantity_75cl_eq,"
	" EXCLUDED.unit_price_cents, EXCLUDED.total_cents, EXCLUDED.cost_cents,"
	" EXCLUDED.margin_pct, EXCLUDED.channel)");

static const char stock_merge_sql[] = UPSERT_COUNTS(
	"INSERT INTO stock_levels AS t (tenant_id, source, source_key,"
	" source_id, run_id, product_id, product_ref, warehouse, quantity,"
	" reserved)"
	" SELECT app_tenant(), $1, s.source_key, $2::uuid, $3::uuid, p.id,"
	" s.product_ref, left(coalesce(s.warehouse, ''), 100),"
	" s.quantity / 100.0, coalesce(s.reserved, 0) / 100.0"
	" FROM sync_stage s LEFT JOIN product_catalog p ON p.tenant_id ="
	" app_tenant() AND p.source = $1 AND p.source_key = s.product_ref"
	" ON CONFLICT (tenant_id, source, source_key) DO UPDATE SET"
	" product_id = EXCLUDED.product_id, product_ref = EXCLUDED.product_ref,"
	" warehouse = EXCLUDED.warehouse, quantity = EXCLUDED.quantity,"
	" reserved = EXCLUDED.reserved, " ORIGIN_SET
	" WHERE (t.product_id, t.product_ref, t.warehouse, t.quantity,"
	" t.reserved) IS DISTINCT FROM (EXCLUDED.product_id,"
	" EXCLUDED.product_ref, EXCLUDED.warehouse, EXCLUDED.quantity,"
	" EXCLUDED.reserved)");

/* A full snapshot: what the file no longer lists is zero.  $1 space,
 * $2 run: the count of rows zeroed. */
static const char stock_zero_sql[] =
	"WITH z AS (UPDATE stock_levels t SET quantity = 0, reserved = 0,"
	" run_id = $2::uuid, updated_at = now() WHERE t.tenant_id = app_tenant()"
	" AND t.source = $1 AND (t.quantity <> 0 OR t.reserved <> 0) AND NOT"
	" EXISTS (SELECT 1 FROM sync_stage s WHERE s.source_key = t.source_key)"
	" RETURNING 1) SELECT count(*) FROM z";

/* Lines and stock loaded before their product or customer find it. */
static const char relink_sql[] =
	"WITH a AS (UPDATE sales_lines l SET product_id = p.id FROM"
	" product_catalog p WHERE l.tenant_id = app_tenant() AND l.source = $1"
	" AND l.product_id IS NULL AND p.tenant_id = app_tenant() AND"
	" p.source = $1 AND p.source_key = l.product_ref RETURNING 1),"
	" b AS (UPDATE sales_lines l SET customer_id = c.id FROM customers c"
	" WHERE l.tenant_id = app_tenant() AND l.source = $1 AND"
	" l.customer_id IS NULL AND c.tenant_id = app_tenant() AND"
	" c.source = $1 AND c.source_key = l.customer_ref RETURNING 1),"
	" k AS (UPDATE stock_levels t SET product_id = p.id FROM"
	" product_catalog p WHERE t.tenant_id = app_tenant() AND t.source = $1"
	" AND t.product_id IS NULL AND p.tenant_id = app_tenant() AND"
	" p.source = $1 AND p.source_key = t.product_ref RETURNING 1)"
	" SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),"
	" (SELECT count(*) FROM k)";

/* A customer's purchase figures, from all its lines. */
static const char customers_figures_sql[] =
	"UPDATE customers c SET first_purchase_on = a.first,"
	" last_purchase_on = a.last, total_spent_cents = a.total,"
	" purchase_count = a.orders, average_order_cents = a.total /"
	" nullif(a.orders, 0), preferred_category = a.cat, updated_at = now()"
	" FROM (SELECT l.customer_id, min(l.sold_on) AS first, max(l.sold_on)"
	"  AS last, coalesce(sum(l.total_cents), 0) AS total,"
	"  count(DISTINCT coalesce(l.order_ref, l.source_key))::int AS orders,"
	"  (SELECT p.category FROM sales_lines m JOIN product_catalog p ON"
	"   p.tenant_id = m.tenant_id AND p.id = m.product_id WHERE m.tenant_id ="
	"   app_tenant() AND m.customer_id = l.customer_id GROUP BY p.category"
	"   ORDER BY sum(coalesce(m.quantity_75cl_eq, m.quantity_units)) DESC,"
	"   p.category LIMIT 1) AS cat"
	"  FROM sales_lines l WHERE l.tenant_id = app_tenant() AND"
	"  l.customer_id IN (SELECT customer_id FROM sales_lines WHERE"
	"  tenant_id = app_tenant() AND source = $1 AND customer_id IS NOT NULL)"
	"  GROUP BY l.customer_id) a"
	" WHERE c.tenant_id = app_tenant() AND c.id = a.customer_id AND"
	" (c.first_purchase_on, c.last_purchase_on, c.total_spent_cents,"
	" c.purchase_count, c.preferred_category) IS DISTINCT FROM (a.first,"
	" a.last, a.total, a.orders, a.cat)";

/* Keys a file repeats: the first line kept, the others rejected.
 * $1 run, $2 the file's name. */
static const char dedupe_sql[] =
	"WITH dk AS (SELECT source_key, min(line) AS first FROM sync_stage"
	" GROUP BY source_key HAVING count(*) > 1),"
	" dup AS (DELETE FROM sync_stage s USING dk WHERE s.source_key ="
	" dk.source_key AND s.line <> dk.first RETURNING s.line, s.source_key,"
	" dk.first),"
	" kept AS (INSERT INTO sync_rejects (tenant_id, run_id, line,"
	" column_name, value, reason) SELECT app_tenant(), $1::uuid, line,"
	" 'source_key', left(source_key, 500), left($2 || ' : clé déjà"
	" présente à la ligne ' || first || ' : cette ligne est ignorée.', 500)"
	" FROM dup ORDER BY line LIMIT 100) SELECT count(*) FROM dup";

/* The sales file's money against what the table holds for its keys. */
static const char sales_totals_sql[] =
	"SELECT (SELECT count(*) FROM sync_stage), (SELECT coalesce(sum("
	"total_cents), 0) FROM sync_stage), count(*), coalesce(sum("
	"l.total_cents), 0) FROM sales_lines l JOIN sync_stage s ON"
	" s.source_key = l.source_key WHERE l.tenant_id = app_tenant() AND"
	" l.source = $1";

/* The dialects of the last runs that loaded rows, newest first: each
 * stream's headers are compared with the last run that read that file. */
static const char previous_sql[] =
	"SELECT coalesce(json_agg(d ORDER BY e DESC), '[]')::text FROM"
	" (SELECT dialect AS d, ended_at AS e FROM sync_runs WHERE"
	" tenant_id = app_tenant() AND source_id = $1::uuid AND id <> $2::uuid"
	" AND status IN ('reussi', 'partiel') AND dialect IS NOT NULL"
	" ORDER BY ended_at DESC NULLS LAST LIMIT 50) x";

#endif
