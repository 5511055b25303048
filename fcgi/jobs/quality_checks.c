#include "quality_checks.h"

#define EMAIL_RE	"'^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'"
#define E164_RE		"'^\\+[1-9][0-9]{6,14}$'"
#define PLATE_RE	"'^[A-Z]{2}-[0-9]{3}-[A-Z]{2}$'"

/* The same value twice among the rows of the tenant. */
#define TWICE(table, col) "r." col " IS NOT NULL AND EXISTS (SELECT 1 FROM " \
	table " o WHERE o.tenant_id = r.tenant_id AND o." col " = r." col \
	" AND o.id <> r.id)"

/* The last runs of the source that loaded rows, newest first. */
#define LAST_RUNS "SELECT * FROM sync_runs WHERE tenant_id = app_tenant()" \
	" AND source_id = $1::uuid AND status IN ('reussi', 'partiel')" \
	" ORDER BY ended_at DESC NULLS LAST"

const struct quality_check quality_checks[] = {
	/* Customers */
	{ "customers_contact_missing", "completude", "customers",
	    "r.email IS NULL AND r.phone IS NULL AND r.mobile IS NULL",
	    "r.customer_key", NULL, 5, 20 },
	{ "customers_email_valid", "validite", "customers",
	    "r.email IS NOT NULL AND r.email !~ " EMAIL_RE, "r.email", NULL, 0, 5 },
	{ "customers_phone_e164", "validite", "customers",
	    "(r.phone IS NOT NULL AND r.phone !~ " E164_RE ") OR (r.mobile IS NOT"
	    " NULL AND r.mobile !~ " E164_RE ")", "coalesce(r.phone, r.mobile)",
	    NULL, 0, 5 },
	{ "customers_same_email", "unicite", "customers",
	    TWICE("customers", "email"), "r.email", NULL, 0, 5 },
	{ "customers_same_phone", "unicite", "customers",
	    "(" TWICE("customers", "mobile") ") OR (" TWICE("customers", "phone")
	    ")", "coalesce(r.mobile, r.phone)", NULL, 0, 5 },
	/* Products */
	{ "products_price_missing", "completude", "product_catalog",
	    "r.list_price_cents IS NULL", "r.product_key", NULL, 5, 25 },
	{ "products_category_unknown", "validite", "product_catalog",
	    "r.category = 'autre'", "r.name", NULL, 10, 50 },
	{ "products_vintage_future", "validite", "product_catalog",
	    "r.vintage > extract(year FROM now())", "r.vintage::text", NULL, 0, 0 },
	{ "products_margin_negative", "validite", "product_catalog",
	    "r.cost_price_cents > r.list_price_cents", "r.product_key", NULL,
	    0, 10 },
	/* Sales lines */
	{ "sales_without_product", "integrite", "sales_lines",
	    "r.product_id IS NULL", "r.product_ref", NULL, 0, 1 },
	{ "sales_without_customer", "integrite", "sales_lines",
	    "r.customer_id IS NULL", "coalesce(r.customer_ref, '')", NULL, 0, 5 },
	{ "sales_negative_total", "validite", "sales_lines",
	    "r.total_cents < 0", "r.total_cents::text", NULL, 0, 1 },
	{ "sales_future_date", "validite", "sales_lines",
	    "r.sold_on > (now() AT TIME ZONE 'Europe/Paris')::date",
	    "r.sold_on::text", NULL, 0, 0 },
	{ "sales_packaging_unknown", "validite", "sales_lines",
	    "r.quantity_75cl_eq IS NULL", "coalesce(r.packaging, '')", NULL,
	    0, 5 },
	/* Stock */
	{ "stock_without_product", "integrite", "stock_levels",
	    "r.product_id IS NULL", "r.product_ref", NULL, 0, 5 },
	{ "stock_negative", "validite", "stock_levels",
	    "r.quantity < 0", "r.quantity::text", NULL, 0, 0 },
	/* Trips and the platforms' drivers */
	{ "trips_without_driver", "integrite", "trips",
	    "r.driver_id IS NULL", "coalesce(r.driver_ref, '')", NULL, 0, 5 },
	{ "trips_unknown_plate", "integrite", "trips",
	    "r.vehicle_plate IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vehicles v"
	    " WHERE v.tenant_id = r.tenant_id AND upper(regexp_replace(v.plate,"
	    " '[^A-Za-z0-9]', '', 'g')) = upper(regexp_replace(r.vehicle_plate,"
	    " '[^A-Za-z0-9]', '', 'g')))", "r.vehicle_plate", NULL, 0, 5 },
	{ "trips_negative_fare", "validite", "trips",
	    "r.gross_fare_cents < 0 AND r.status <> 'ajustement'",
	    "r.gross_fare_cents::text", NULL, 0, 1 },
	{ "trips_future_start", "validite", "trips",
	    "r.started_at > now() + interval '1 hour'", "r.started_at::text",
	    NULL, 0, 0 },
	{ "trips_plate_format", "validite", "trips",
	    "r.vehicle_plate IS NOT NULL AND upper(r.vehicle_plate) !~ " PLATE_RE,
	    "r.vehicle_plate", NULL, 5, 50 },
	{ "platform_driver_matched_twice", "unicite", "platform_drivers",
	    "r.driver_id IS NOT NULL AND EXISTS (SELECT 1 FROM platform_drivers o"
	    " WHERE o.tenant_id = r.tenant_id AND o.platform = r.platform AND"
	    " o.driver_id = r.driver_id AND o.driver_ref <> r.driver_ref)",
	    "r.driver_ref", NULL, 0, 0 },
	/* The source's runs */
	{ "runs_freshness", "fraicheur", "sync_runs", NULL, NULL,
	    "SELECT 1, CASE WHEN s.schedule = 'manuel' THEN 0 WHEN max(r.ended_at)"
	    " IS NULL OR max(r.ended_at) < now() - CASE s.schedule WHEN 'horaire'"
	    " THEN interval '3 hours' WHEN 'quotidien' THEN interval '26 hours'"
	    " ELSE interval '8 days' END THEN 1 ELSE 0 END, coalesce(max("
	    "r.ended_at)::text, 'jamais'), '[]'::json FROM sources s LEFT JOIN"
	    " sync_runs r ON r.tenant_id = s.tenant_id AND r.source_id = s.id AND"
	    " r.status IN ('reussi', 'partiel') WHERE s.id = $1::uuid GROUP BY"
	    " s.schedule", 0, 0 },
	{ "runs_volume", "volume", "sync_runs", NULL, NULL,
	    "WITH l AS (" LAST_RUNS " LIMIT 11), n AS (SELECT rows_extracted,"
	    " row_number() OVER (ORDER BY ended_at DESC) AS k FROM l), m AS"
	    " (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY rows_extracted)"
	    " AS median FROM n WHERE k > 1) SELECT 1, CASE WHEN m.median IS NULL"
	    " THEN 0 WHEN c.rows_extracted < m.median / 2 OR c.rows_extracted >"
	    " m.median * 2 THEN 1 ELSE 0 END, c.rows_extracted || ' / ' ||"
	    " coalesce(m.median::text, '—'), '[]'::json FROM n c, m WHERE c.k = 1",
	    0, 100 },
	{ "runs_reconciliation", "reconciliation", "sync_runs", NULL, NULL,
	    "SELECT 1, CASE WHEN (SELECT count(*) FROM jsonb_each(l.file_totals)"
	    " f WHERE f.key <> 'rows' AND f.value IS DISTINCT FROM"
	    " l.loaded_totals -> f.key) > 0 THEN 1 ELSE 0 END, coalesce("
	    "l.file_totals::text, '{}') || ' / ' || coalesce(l.loaded_totals::text,"
	    " '{}'), '[]'::json FROM (" LAST_RUNS " LIMIT 1) l", 0, 0 },
	{ "runs_weekly_totals", "reconciliation", "earnings", NULL, NULL,
	    "WITH e AS (SELECT r.driver_ref, r.period_start, r.period_end,"
	    " r.gross_cents, (SELECT coalesce(sum(t.gross_fare_cents), 0) FROM"
	    " trips t WHERE t.tenant_id = r.tenant_id AND t.platform = r.platform"
	    " AND t.driver_ref = r.driver_ref AND t.started_at >= r.period_start"
	    " AND t.started_at < r.period_end + 1) AS trips_cents FROM earnings r"
	    " WHERE r.tenant_id = app_tenant() AND r.source_id = $1::uuid AND"
	    " r.period = 'semaine' AND r.gross_cents IS NOT NULL) SELECT count(*),"
	    " count(*) FILTER (WHERE trips_cents > 0 AND trips_cents <>"
	    " gross_cents), NULL, coalesce((SELECT json_agg(x) FROM (SELECT"
	    " driver_ref AS key, gross_cents || ' / ' || trips_cents AS value FROM"
	    " e WHERE trips_cents > 0 AND trips_cents <> gross_cents LIMIT 20) x),"
	    " '[]') FROM e", 0, 5 },
	{ "runs_schema_drift", "schema", "sync_runs", NULL, NULL,
	    "SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements("
	    " coalesce(l.dialect -> 'files', '[]')) f WHERE f ? 'schema_drift')"
	    " THEN 1 ELSE 0 END, (SELECT string_agg((f ->> 'stream') || ' : ' ||"
	    " (f -> 'schema_drift')::text, ' ; ') FROM jsonb_array_elements("
	    " coalesce(l.dialect -> 'files', '[]')) f WHERE f ? 'schema_drift'),"
	    " '[]'::json FROM (" LAST_RUNS " LIMIT 1) l", 0, 100 },
};

const size_t quality_nchecks = sizeof(quality_checks) /
    sizeof(quality_checks[0]);
