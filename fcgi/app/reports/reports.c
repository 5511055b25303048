#include <string.h>

#include "fmt.h"
#include "pdf.h"
#include "reports.h"
#include "resource/view.h"
#include "worker.h"

#define AGG(sql) "SELECT coalesce(json_agg(x), '[]')::text FROM (" sql ") x"
#define PERIOD " a.tenant_id = app_tenant() AND a.day BETWEEN $1::date AND $2::date"

static const struct db_stmt by_driver_stmt = { "report_by_driver", AGG(
	"SELECT d.first_name || ' ' || d.last_name AS name,"
	" sum(a.gross_cents)::bigint AS gross_cents, sum(a.net_cents)::bigint"
	" AS net_cents, sum(a.cash_cents)::bigint AS cash_cents,"
	" sum(a.trips_done)::bigint AS trips FROM analytics_daily a JOIN"
	" drivers d ON d.id = a.driver_id WHERE" PERIOD
	" GROUP BY d.id, d.first_name, d.last_name ORDER BY 2 DESC, 1") };

static const struct db_stmt by_vehicle_stmt = { "report_by_vehicle", AGG(
	"SELECT v.plate, v.make || ' ' || v.model AS name,"
	" sum(a.gross_cents)::bigint AS gross_cents, sum(a.net_cents)::bigint"
	" AS net_cents, sum(a.trips_done)::bigint AS trips FROM analytics_daily"
	" a JOIN vehicles v ON v.id = a.vehicle_id WHERE" PERIOD
	" GROUP BY v.id, v.plate, v.make, v.model ORDER BY 3 DESC, 1") };

static const struct db_stmt by_platform_stmt = { "report_by_platform", AGG(
	"SELECT a.platform, sum(a.gross_cents)::bigint AS gross_cents,"
	" sum(a.net_cents)::bigint AS net_cents, sum(a.trips_done)::bigint AS"
	" trips, sum(a.trips_cancelled)::bigint AS cancelled FROM"
	" analytics_daily a WHERE" PERIOD " GROUP BY 1 ORDER BY 2 DESC, 1") };

/* Costs as the dashboard counts them: events in the period and the
 * monthly cost prorated by days (12/365 of it a day). */
static const struct db_stmt profit_stmt = { "report_profitability", AGG(
	"SELECT v.plate, v.make || ' ' || v.model AS name, coalesce(r.g, 0)"
	" AS revenue_cents, coalesce(e.c, 0) AS events_cents,"
	" round(coalesce(v.monthly_cost_cents, 0) * 12 * ($2::date - $1::date"
	" + 1) / 365.0)::bigint AS rent_cents, coalesce(r.g, 0) - coalesce(e.c,"
	" 0) - round(coalesce(v.monthly_cost_cents, 0) * 12 * ($2::date -"
	" $1::date + 1) / 365.0)::bigint AS margin_cents FROM vehicles v"
	" LEFT JOIN (SELECT a.vehicle_id, sum(a.gross_cents)::bigint AS g FROM"
	" analytics_daily a WHERE" PERIOD " GROUP BY 1) r ON r.vehicle_id ="
	" v.id LEFT JOIN (SELECT vehicle_id, sum(cost_cents)::bigint AS c FROM"
	" vehicle_events WHERE occurred_at >= ($1::date::timestamp AT TIME ZONE"
	" 'Europe/Paris') AND occurred_at < (($2::date + 1)::timestamp AT TIME"
	" ZONE 'Europe/Paris') GROUP BY 1) e ON e.vehicle_id = v.id"
	" WHERE v.archived_at IS NULL ORDER BY margin_cents, v.plate") };

static const struct db_stmt documents_stmt = { "report_documents_due", AGG(
	"SELECT coalesce(v.plate, dr.first_name || ' ' || dr.last_name) AS"
	" owner, d.type, d.expires_on, d.state FROM documents d LEFT JOIN"
	" vehicles v ON v.id = d.vehicle_id LEFT JOIN drivers dr ON dr.id ="
	" d.driver_id WHERE d.superseded_by IS NULL AND d.state IN ('expire',"
	" 'a_renouveler') AND $1::date IS NOT NULL AND $2::date IS NOT NULL"
	" ORDER BY d.expires_on, 1") };

static const struct db_stmt imports_stmt = { "report_imports", AGG(
	"SELECT (r.created_at AT TIME ZONE 'Europe/Paris')::date AS day,"
	" s.name AS source, r.status, r.file_name, r.rows_extracted,"
	" r.rows_inserted + r.rows_updated AS rows_loaded, r.rows_rejected"
	" FROM sync_runs r JOIN sources s ON s.id = r.source_id WHERE"
	" r.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')"
	" AND r.created_at < (($2::date + 1)::timestamp AT TIME ZONE"
	" 'Europe/Paris') ORDER BY r.created_at DESC") };

#define C(k, t)		{ k, "reports.col." k, t, NULL }
#define L(k, g)		{ k, "reports.col." k, EXPORT_LABEL, g }

static const struct export_column by_driver_cols[] = {
	C("name", EXPORT_TEXT), C("gross_cents", EXPORT_MONEY),
	C("net_cents", EXPORT_MONEY), C("cash_cents", EXPORT_MONEY),
	C("trips", EXPORT_INT) };
static const struct export_column by_vehicle_cols[] = {
	C("plate", EXPORT_TEXT), C("name", EXPORT_TEXT),
	C("gross_cents", EXPORT_MONEY), C("net_cents", EXPORT_MONEY),
	C("trips", EXPORT_INT) };
static const struct export_column by_platform_cols[] = {
	L("platform", "sources.platform"), C("gross_cents", EXPORT_MONEY),
	C("net_cents", EXPORT_MONEY), C("trips", EXPORT_INT),
	C("cancelled", EXPORT_INT) };
static const struct export_column profit_cols[] = {
	C("plate", EXPORT_TEXT), C("name", EXPORT_TEXT),
	C("revenue_cents", EXPORT_MONEY), C("events_cents", EXPORT_MONEY),
	C("rent_cents", EXPORT_MONEY), C("margin_cents", EXPORT_MONEY) };
static const struct export_column documents_cols[] = {
	C("owner", EXPORT_TEXT), L("type", "documents.type"),
	C("expires_on", EXPORT_DATE), L("state", "documents.state") };
static const struct export_column imports_cols[] = {
	C("day", EXPORT_DATE), C("source", EXPORT_TEXT),
	L("status", "sources.status"), C("file_name", EXPORT_TEXT),
	C("rows_extracted", EXPORT_INT), C("rows_loaded", EXPORT_INT),
	C("rows_rejected", EXPORT_INT) };

#define N(a)	(sizeof(a) / sizeof(a[0]))

static const struct report reports[] = {
	{ "revenue-by-driver", &by_driver_stmt, by_driver_cols,
	    N(by_driver_cols), 1 },
	{ "revenue-by-vehicle", &by_vehicle_stmt, by_vehicle_cols,
	    N(by_vehicle_cols), 1 },
	{ "revenue-by-platform", &by_platform_stmt, by_platform_cols,
	    N(by_platform_cols), 1 },
	{ "vehicle-profitability", &profit_stmt, profit_cols, N(profit_cols),
	    1 },
	{ "documents-due", &documents_stmt, documents_cols,
	    N(documents_cols), 0 },
	{ "imports", &imports_stmt, imports_cols, N(imports_cols), 1 },
};

const struct report *
report_at(size_t i)
{
	return i < N(reports) ? &reports[i] : NULL;
}

const struct report *
report_find(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < N(reports); i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

json_t *
report_rows(struct request *r, const struct report *rep, const char *from,
    const char *to, int *status)
{
	const char	*v[2] = { from, to };
	struct db_error	 err;
	PGresult	*res;
	json_t		*rows;

	if ((res = db_exec(r->w->db, rep->stmt, 2, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	rows = json_loads(db_value(res, 0, 0), 0, NULL);
	PQclear(res);
	if (rows == NULL)
		*status = 500;
	return rows;
}

static const char *
formatted(struct request *r, int money, json_int_t v)
{
	buf	 b;
	char	*s;

	buf_init(&b);
	if (money)
		fmt_money(&b, v, "EUR", r->lang);
	else
		fmt_number(&b, v, r->lang);
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

const char *
report_cell(struct request *r, const struct export_column *c, json_t *row)
{
	json_t	*v = json_object_get(row, c->key);

	if (v == NULL || json_is_null(v))
		return "";
	switch (c->type) {
	case EXPORT_MONEY:
	case EXPORT_INT:
		return formatted(r, c->type == EXPORT_MONEY,
		    json_integer_value(v));
	case EXPORT_DATE:
		return view_date(r, v);
	case EXPORT_LABEL:
		return view_label(r, c->label_group, json_string_value(v));
	default:
		return json_is_string(v) ? json_string_value(v) : "";
	}
}

json_t *
report_totals(const struct report *rep, json_t *rows)
{
	json_t	*t = json_object(), *row;
	size_t	 i, k;
	int	 any = 0;

	for (k = 0; k < rep->ncolumns; k++) {
		const struct export_column *c = &rep->columns[k];
		json_int_t sum = 0;

		if (c->type != EXPORT_MONEY && c->type != EXPORT_INT)
			continue;
		json_array_foreach(rows, i, row)
			sum += json_integer_value(json_object_get(row, c->key));
		json_object_set_new(t, c->key, json_integer(sum));
		any = 1;
	}
	if (!any) {
		json_decref(t);
		return NULL;
	}
	return t;
}

int
report_pdf(struct request *r, const struct report *rep, const char *from,
    const char *to, json_t *rows)
{
	struct pdf_column	 cols[REPORT_MAX_COLUMNS];
	struct pdf_row		*prow;
	const char		**cells;
	json_t			*row, *totals = report_totals(rep, rows);
	size_t			 n = json_array_size(rows), i, k;
	json_t			*jf = json_string(from), *jt = json_string(to);
	struct pdf		*p;
	buf			 out;
	int			 rc;

	p = pdf_new(r->arena, &(struct pdf_page){ .title = tr(r,
	    arena_printf(r->arena, "reports.names.%s", rep->name)),
	    .footer = rep->dated ? arena_printf(r->arena, "%s %s %s %s",
	    tr(r, "dashboard.from"), view_date(r, jf), tr(r,
	    "dashboard.until"), view_date(r, jt)) : NULL,
	    .page_word = tr(r, "reports.page") });
	json_decref(jf);
	json_decref(jt);
	prow = arena_alloc(r->arena, sizeof(*prow) * (n + 1));
	if (p == NULL || prow == NULL) {
		json_decref(totals);
		return 500;
	}
	for (k = 0; k < rep->ncolumns; k++)
		cols[k] = (struct pdf_column){ tr(r, rep->columns[k].label_key),
		    1, rep->columns[k].type == EXPORT_MONEY ||
		    rep->columns[k].type == EXPORT_INT ? PDF_RIGHT : PDF_LEFT };
	json_array_foreach(rows, i, row) {
		cells = arena_alloc(r->arena, sizeof(*cells) * rep->ncolumns);
		if (cells == NULL)
			break;
		for (k = 0; k < rep->ncolumns; k++)
			cells[k] = report_cell(r, &rep->columns[k], row);
		prow[i] = (struct pdf_row){ cells, 0 };
	}
	if (totals != NULL && (cells = arena_alloc(r->arena, sizeof(*cells) *
	    rep->ncolumns)) != NULL) {
		for (k = 0; k < rep->ncolumns; k++)
			cells[k] = json_object_get(totals,
			    rep->columns[k].key) ? report_cell(r,
			    &rep->columns[k], totals) : k == 0 ? tr(r,
			    "reports.total") : "";
		prow[n++] = (struct pdf_row){ cells, 1 };
	}
	json_decref(totals);
	pdf_heading(p, tr(r, arena_printf(r->arena, "reports.names.%s",
	    rep->name)));
	pdf_table(p, cols, rep->ncolumns, prow, n);
	buf_init(&out);
	if (pdf_render(p, &out, NULL) == -1) {
		buf_free(&out);
		return 500;
	}
	http_add_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s.pdf\"", rep->name));
	rc = http_body(r, 200, "application/pdf", out.data, out.len);
	buf_free(&out);
	return rc;
}
