/* Weekly settlements, described for the resource layer: it serves their
 * API list and show (routes through settlements_api.c, which computes the
 * week's brouillons first) and selects their page's data.  Computing,
 * validating and posting are SQL functions of migration
 * 0016_finance_settlements.sql, called here; this file keeps none of
 * their rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "i18n.h"
#include "settlements.h"
#include "worker.h"

const char *const settlement_manual_kinds[] = { "bonus", "avance",
	"remboursement", "carburant", "franchise", "amende", "caution", NULL };
static const char *const statuses[] = { "brouillon", "valide", "paye",
	NULL };
/* A manual line's sign by kind: what the driver is given is positive. */
static const char *const credited[] = { "bonus", "remboursement", NULL };

static const char *const yes[] = { "oui", NULL };

#define N		RES_NULLABLE
#define X		RES_EXPORT	/* a column of the payroll export */
#define COL(name, type, flags)	{ name, type, flags }
#define CENTS(name, text)	{ name, RT_MONEY, 0, .doc = text }
#define XCENTS(name, text)	{ name, RT_MONEY, X, .doc = text }

static const struct res_field fields[] = {
	COL("id", RT_UUID, 0),
	COL("driver_id", RT_UUID, 0),
	{ "driver", RT_TEXT, X, .select = "(SELECT d.first_name || ' ' ||"
	    " d.last_name FROM drivers d WHERE d.tenant_id = s.tenant_id AND"
	    " d.id = s.driver_id)", .doc = "The driver's name." },
	{ "week", RT_TEXT, X, .doc = "ISO week, 2026-W48." },
	{ "period_start", RT_DATE, X, .select = "s.week_start",
	    .doc = "Monday (00:00 Europe/Paris)." },
	{ "period_end", RT_DATE, X, .select = "s.week_start + 6",
	    .doc = "Sunday (24:00 Europe/Paris)." },
	{ "collaboration", RT_TEXT, N },
	{ "payroll", RT_TEXT, 0, .select = "CASE WHEN s.payroll THEN 'oui'"
	    " ELSE 'non' END", .doc = "oui: a salaried driver, whose week goes"
	    " to payroll (no amount due)." },
	COL("rent_days", RT_INT, 0),
	COL("rides", RT_INT, X),
	XCENTS("platform_net_cents", "Σ of the platforms' net earnings."),
	XCENTS("cash_collected_cents", "Cash the driver collected."),
	XCENTS("bonuses_cents", "Platform bonuses (in the net)."),
	XCENTS("tips_cents", "Tips (in the net)."),
	CENTS("rent_cents", "Weekly rent prorated by the days a vehicle was"
	    " held."),
	CENTS("commission_cents", "Commission from the driver's terms."),
	XCENTS("charges_cents", "Fines, fuel, damage excess (positive)."),
	CENTS("adjustments_cents", "Manual lines and late data, signed."),
	CENTS("opening_balance_cents", "The debt carried from the previous"
	    " week (≤ 0)."),
	XCENTS("amount_due_cents", "platform_net − cash − rent − commission −"
	    " charges + adjustments + opening balance; > 0 owed to the"
	    " driver."),
	COL("currency", RT_TEXT, 0),
	{ "status", RT_ENUM, 0, { "status", V_ENUM, 0, 0, 0, statuses,
	    NULL } },
	COL("validated_at", RT_TIME, N),
	COL("transaction_id", RT_UUID, N),
	{ "platforms", RT_OBJECT, 0, .select = "(SELECT coalesce(json_agg("
	    "json_build_object('platform', p.platform, 'source', p.source,"
	    " 'period_start', p.period_start, 'period_end', p.period_end,"
	    " 'net_cents', p.net_cents, 'cash_collected_cents',"
	    " p.cash_collected_cents, 'bonuses_cents', p.bonuses_cents,"
	    " 'tips_cents', p.tips_cents, 'rides', p.rides) ORDER BY"
	    " p.platform), '[]') FROM settlement_platforms p WHERE"
	    " p.tenant_id = s.tenant_id AND p.settlement_id = s.id)",
	    .doc = "Array of {platform, source (earnings | trips), net_cents,"
	    " cash_collected_cents, bonuses_cents, tips_cents, rides,"
	    " period_start, period_end}." },
	{ "lines", RT_OBJECT, 0, .select = "(SELECT coalesce(json_agg("
	    "json_build_object('id', l.id, 'kind', l.kind, 'origin', l.origin,"
	    " 'amount_cents', l.amount_cents, 'reason', l.reason, 'platform',"
	    " l.platform, 'created_at', l.created_at) ORDER BY l.created_at,"
	    " l.id), '[]') FROM settlement_lines l WHERE l.tenant_id ="
	    " s.tenant_id AND l.settlement_id = s.id)",
	    .doc = "Array of {id, kind, origin, amount_cents (signed as the"
	    " driver sees it), reason, platform, created_at}." },
};

static const struct res_param params[] = {
	{ "week", RP_SEARCH, NULL, "finance.invalid_week",
	    .doc = "ISO week, 2026-W48 (default: last week)" },
	{ "driver_id", RP_ID, NULL, "valid.uuid" },
	{ "status", RP_CHOICE, statuses, "finance.invalid_status" },
	{ "payroll", RP_FLAG, yes, "finance.invalid_payroll",
	    .doc = "oui: only salaried drivers, whose week goes to payroll" },
};

/* The week's export (CSV/XLSX), with ?payroll=oui the salaried
 * drivers' weeks for payroll. */
static const struct table_kind files = {
	.base = "/finance", .title_key = "finance.week_title",
	.export_fr = "releves", .export_en = "settlements",
};

static const struct res_sort order[] = {
	{ NULL, "s.week_start DESC, (SELECT d.last_name || ' ' || d.first_name"
	    " FROM drivers d WHERE d.tenant_id = s.tenant_id AND d.id ="
	    " s.driver_id)" },
};

static struct res_stmts stmts;

const struct resource settlement_resource = {
	.name = "settlements", .table = "settlements", .alias = "s",
	.schema = "Settlement",
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = "({week} = '' OR s.week = {week}) AND ({driver_id} = '' OR"
	    " s.driver_id = nullif({driver_id}, '')::uuid) AND ({status} = ''"
	    " OR s.status::text = {status}) AND ({payroll} = '' OR s.payroll)",
	.sorts = order, .nsorts = 1,
	.sums = "coalesce(sum(s.platform_net_cents), 0) AS platform_net_cents,"
	    " coalesce(sum(s.cash_collected_cents), 0) AS cash_collected_cents,"
	    " coalesce(sum(s.rent_cents), 0) AS rent_cents,"
	    " coalesce(sum(s.commission_cents), 0) AS commission_cents,"
	    " coalesce(sum(s.charges_cents), 0) AS charges_cents,"
	    " coalesce(sum(s.adjustments_cents), 0) AS adjustments_cents,"
	    " coalesce(sum(greatest(s.amount_due_cents, 0)), 0) AS payouts_cents,"
	    " coalesce(sum(least(s.amount_due_cents, 0)), 0) AS debts_cents,"
	    " count(*) FILTER (WHERE s.status = 'brouillon') AS open_count",
	.files = &files,
	.stmts = &stmts,
};

static const struct db_stmt compute_stmt = { "settlements_compute",
	"SELECT settlement_compute($1::date, $2::uuid)" };
static const struct db_stmt which_stmt = { "settlements_which",
	"SELECT week_start, driver_id, status FROM settlements WHERE id ="
	" $1::uuid" };
static const struct db_stmt validate_stmt = { "settlements_validate",
	"SELECT settlement_validate($1::uuid)" };
static const struct db_stmt validate_week_stmt = {
	"settlements_validate_week", "SELECT settlement_validate_week($1::date)" };
static const struct db_stmt line_stmt = { "settlements_line",
	"INSERT INTO settlement_lines (tenant_id, settlement_id, kind, origin,"
	" amount_cents, reason, created_by) SELECT app_tenant(), s.id,"
	" $2::settlement_line_kind, 'manuel', $3::bigint, $4, app_user() FROM"
	" settlements s WHERE s.id = $1::uuid AND s.status = 'brouillon'"
	" RETURNING json_build_object('id', id, 'kind', kind, 'origin', origin,"
	" 'amount_cents', amount_cents, 'reason', reason, 'created_at',"
	" created_at)::text" };

int
finance_may_act(const struct request *r)
{
	return r->id.role == ACCESS_FINANCE || r->id.role >= ACCESS_ADMIN;
}

int
settlement_week_param(struct request *r, struct iso_week *w, char monday[11])
{
	const char	*q = http_query(r, "week");
	char		 today[11];
	struct tm	 tm;

	if (q != NULL && *q != '\0') {
		if (week_parse(q, w) != 0)
			return -1;
	} else {
		/* Last week in Paris: the one settled this Monday. */
		fmt_paris_tm(time(NULL), &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if (week_of_date(today, w) != 0)
			return -1;
		week_add(w, -1);
	}
	week_monday(w, monday, 11);
	return 0;
}

int
settlement_compute(struct request *r, const char *monday,
    const char *driver_id)
{
	const char	*v[2] = { monday, driver_id };
	struct db_error	 err;
	PGresult	*res;

	if (r->id.role == ACCESS_DRIVER)
		return 0;
	if ((res = db_exec(r->w->db, &compute_stmt, 2, v, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}

int
settlement_refresh(struct request *r, const char *id)
{
	struct db_error	 err;
	PGresult	*res;
	char		 monday[11], driver[40];
	int		 open;

	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &which_stmt, 1, &id, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	snprintf(monday, sizeof(monday), "%s", db_value(res, 0, 0));
	snprintf(driver, sizeof(driver), "%s", db_value(res, 0, 1));
	open = strcmp(db_value(res, 0, 2), "brouillon") == 0;
	PQclear(res);
	return open ? settlement_compute(r, monday, driver) : 0;
}

int
settlement_validate(struct request *r, const char *id, const char **code,
    const char **message)
{
	struct db_error	 err;
	PGresult	*res;

	*code = NULL;
	*message = NULL;
	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &validate_stmt, 1, &id, &err)) != NULL) {
		PQclear(res);
		return 0;
	}
	if (strcmp(err.sqlstate, "P0002") == 0)
		return 404;
	if (strcmp(err.sqlstate, "FCV01") == 0 ||
	    strcmp(err.sqlstate, "FCV02") == 0) {
		*code = strcmp(err.sqlstate, "FCV01") == 0 ?
		    "already_validated" : "earlier_week_open";
		*message = tr(r, strcmp(*code, "already_validated") == 0 ?
		    "finance.already_validated" : "finance.earlier_week_open");
		return 409;
	}
	return err.status;
}

long
settlement_validate_week(struct request *r, const char *monday, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	long		 n;

	if ((res = db_exec(r->w->db, &validate_week_stmt, 1, &monday,
	    &err)) == NULL) {
		*status = err.status;
		return -1;
	}
	n = atol(db_value(res, 0, 0));
	PQclear(res);
	return n;
}

static int
is_credit(const char *kind)
{
	size_t	i;

	for (i = 0; credited[i] != NULL; i++)
		if (strcmp(credited[i], kind) == 0)
			return 1;
	return 0;
}

/* The form writes "12,50" (amount), the API cents (amount_cents). */
static const struct valid_field api_line[] = {
	{ "kind", V_ENUM, 1, 0, 0, settlement_manual_kinds, NULL },
	{ "amount_cents", V_INT, 1, 1, 100000000, NULL, NULL },
	{ "reason", V_TEXT, 1, 1, 500, NULL, NULL },
};
static const struct valid_field form_line[] = {
	{ "kind", V_ENUM, 1, 0, 0, settlement_manual_kinds, NULL },
	{ "amount", V_MONEY, 1, 1, 100000000, NULL, NULL },
	{ "reason", V_TEXT, 1, 1, 500, NULL, NULL },
};

json_t *
settlement_add_line(struct request *r, const char *id, int *status, json_t **errors, const char **message)
{
	const struct valid_field *f = r->is_api ? api_line : form_line;
	json_t		*in, *line;
	const char	*v[4], *kind;
	long long	 cents;
	struct db_error	 err;
	PGresult	*res;

	*message = NULL;
	*errors = NULL;
	/* Unknown (or another organisation's) before a word about input. */
	if (id == NULL || (res = db_exec(r->w->db, &which_stmt, 1, &id,
	    &err)) == NULL) {
		*status = id == NULL ? 404 : err.status;
		return NULL;
	}
	*status = PQntuples(res) != 1 ? 404 :
	    strcmp(db_value(res, 0, 2), "brouillon") != 0 ? 409 : 0;
	PQclear(res);
	if (*status != 0) {
		*message = *status == 409 ? tr(r, "finance.frozen") : NULL;
		return NULL;
	}
	in = valid_input(r, f, 3, errors);
	if (*errors != NULL) {
		json_decref(in);
		*status = 422;
		return NULL;
	}
	kind = arena_strdup(r->arena, json_string_value(json_object_get(in,
	    "kind")));
	cents = json_integer_value(json_object_get(in, f[1].name));
	v[0] = id;
	v[1] = kind;
	v[2] = arena_printf(r->arena, "%lld", is_credit(kind) ? cents : -cents);
	v[3] = arena_strdup(r->arena, json_string_value(json_object_get(in,
	    "reason")));
	json_decref(in);
	if ((res = db_exec(r->w->db, &line_stmt, 4, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	if (PQntuples(res) != 1) {
		/* validated meanwhile */
		PQclear(res);
		*status = 409;
		*message = tr(r, "finance.frozen");
		return NULL;
	}
	line = db_json(res, 0, 0);
	PQclear(res);
	if ((*status = settlement_refresh(r, id)) != 0) {
		json_decref(line);
		return NULL;
	}
	return line;
}

json_t *
settlement_get(struct request *r, const char *id, int *status)
{
	if (id == NULL) {
		*status = 404;
		return NULL;
	}
	return resource_get(r, &settlement_resource, id, status);
}
