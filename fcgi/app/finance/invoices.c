#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "invoices.h"
#include "valid.h"
#include "worker.h"

const char *const invoice_statuses[] = { "open", "partly_paid", "paid", NULL };
const char *const invoice_methods[] = { "virement", "especes", "carte",
	"cheque", "prelevement", "autre", NULL };
const char *const invoice_all_methods[] = { "compensation", "virement",
	"especes", "carte", "cheque", "prelevement", "autre", NULL };
static const char *const no_choice[] = { NULL };

#define N		RES_NULLABLE
#define L		RES_LIST
#define COL(name, type, flags)	{ name, type, flags }
#define CHOICE(name, values, flags) { name, RT_ENUM, flags, \
	{ name, V_ENUM, 0, 0, 0, values, NULL } }

static const struct res_field fields[] = {
	COL("id", RT_UUID, L),
	{ "number", RT_TEXT, L, .doc = "Numbered without gaps per organisation"
	    " and year: F<year>-<n>, the reference of the bill in Armado." },
	COL("driver_id", RT_UUID, L),
	{ "driver", RT_TEXT, N | L, .select = "(SELECT d.first_name || ' ' ||"
	    " d.last_name FROM drivers d WHERE d.tenant_id = i.tenant_id AND"
	    " d.id = i.driver_id)", .doc = "The driver's name." },
	{ "settlement_id", RT_UUID, 0, .doc = "The validated week it invoices." },
	{ "week", RT_TEXT, L, .doc = "ISO week, \"2026-W48\"." },
	COL("issued_on", RT_DATE, L),
	COL("currency", RT_TEXT, L),
	{ "total_cents", RT_MONEY, L, .doc = "cents" },
	{ "paid_cents", RT_MONEY, L, .doc = "What its payments add up to." },
	{ "remaining_cents", RT_MONEY, L, .select = "i.total_cents -"
	    " i.paid_cents", .doc = "What is left to pay." },
	CHOICE("status", invoice_statuses, L),
	COL("paid_at", RT_TIME, N),
	{ "lines", RT_ARRAY, 0, .select = "(SELECT coalesce(json_agg("
	    "json_build_object('kind', l.kind, 'label', l.label, 'amount_cents',"
	    " l.amount_cents) ORDER BY l.line_no), '[]') FROM invoice_lines l"
	    " WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)",
	    .doc = "[{kind: loyer|commission|amende|carburant|franchise,"
	    " label, amount_cents}]" },
	{ "payments", RT_ARRAY, 0, .select = "(SELECT coalesce(json_agg("
	    "json_build_object('id', p.id, 'n', p.n, 'amount_cents',"
	    " p.amount_cents, 'method', p.method, 'paid_on', p.paid_on,"
	    " 'created_at', p.created_at) ORDER BY p.n), '[]') FROM"
	    " invoice_payments p WHERE p.tenant_id = i.tenant_id AND"
	    " p.invoice_id = i.id)", .doc = "[{id, n, amount_cents, method:"
	    " compensation (netted by the settlement)|virement|especes|carte|"
	    "cheque|prelevement|autre, paid_on, created_at}], partial ones"
	    " kept" },
};

static const struct res_param params[] = {
	{ "driver_id", RP_ID, no_choice, "invoices.valid.driver",
	    .doc = "A driver's id" },
	{ "week", RP_WEEK, NULL, "invoices.valid.week",
	    .doc = "ISO week, \"2026-W48\"" },
	{ "status", RP_CHOICE, invoice_statuses, "invoices.valid.status",
	    .group = "invoices.status", .blank = "invoices.all_statuses" },
};

static const struct res_sort order[] = {
	{ NULL, "i.year DESC, i.seq DESC" },
};

static struct res_stmts stmts;

const struct resource invoice_resource = {
	.name = "invoices", .table = "invoices", .alias = "i",
	.schema = "Invoice",
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = "({driver_id} = '' OR i.driver_id = nullif({driver_id},"
	    " '')::uuid) AND ({week} = '' OR i.week = {week}) AND ({status} = ''"
	    " OR i.status = {status})",
	.sorts = order, .nsorts = 1,
	.sums = "coalesce(sum(i.total_cents), 0) AS total_cents,"
	    " coalesce(sum(i.paid_cents), 0) AS paid_cents",
	.stmts = &stmts,
};

const char *
invoice_today(struct request *r)
{
	buf		 b;
	const char	*s;

	buf_init(&b);
	fmt_iso_date(&b, time(NULL));
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s != NULL ? s : "";
}

static const struct db_stmt state_stmt = { "invoice_state",
	"SELECT total_cents - paid_cents, (now() AT TIME ZONE"
	" 'Europe/Paris')::date >= $2::date FROM invoices WHERE id = $1::uuid" };

static const struct db_stmt pay_stmt = { "invoice_pay",
	"SELECT invoice_record_payment($1::uuid, $2::bigint, $3, $4::date)" };

/* The checks whose words the reader's language gives (the SQL function
 * checks the same under the invoice's lock, in French). */
static int
check(struct request *r, const char *id, long long amount, const char *method,
    const char *paid_on, const char *amount_field, json_t **errors)
{
	struct db_error	 err;
	const char	*v[2] = { id, paid_on };
	PGresult	*res;
	long long	 remaining;
	int		 past;
	size_t		 i;

	if ((res = db_exec(r->w->db, &state_stmt, 2, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 404;
	}
	remaining = atoll(db_value(res, 0, 0));
	past = strcmp(db_value(res, 0, 1), "t") == 0;
	PQclear(res);
	if (remaining == 0)
		return 409;
	*errors = json_object();
	if (amount < 1 || amount > remaining)
		valid_fail(r, *errors, amount_field, "invoices.valid.amount");
	for (i = 0; invoice_methods[i] != NULL &&
	    strcmp(invoice_methods[i], method) != 0; i++)
		;
	if (invoice_methods[i] == NULL)
		valid_fail(r, *errors, "method", "invoices.valid.method");
	if (!past)
		valid_fail(r, *errors, "paid_on", "invoices.valid.paid_on");
	if (json_object_size(*errors) > 0)
		return 422;
	json_decref(*errors);
	*errors = NULL;
	return 0;
}

int
invoice_pay(struct request *r, const char *id, long long amount,
    const char *method, const char *paid_on, const char *amount_field,
    const char **payment_id, json_t **errors)
{
	struct db_error	 err;
	const char	*v[4];
	char		 cents[24];
	PGresult	*res;
	int		 rc;

	*errors = NULL;
	if ((rc = check(r, id, amount, method, paid_on, amount_field,
	    errors)) != 0)
		return rc;
	snprintf(cents, sizeof(cents), "%lld", amount);
	v[0] = id;
	v[1] = cents;
	v[2] = method;
	v[3] = paid_on;
	if ((res = db_exec(r->w->db, &pay_stmt, 4, v, &err)) == NULL) {
		if (err.status == 422 && strcmp(err.field, "paid_on") == 0)
			*errors = valid_one_error(r, "paid_on",
			    "invoices.valid.paid_on");
		else if (err.status == 422 && strcmp(err.field, "method") == 0)
			*errors = valid_one_error(r, "method",
			    "invoices.valid.method");
		else if (err.status == 422)
			*errors = valid_one_error(r, amount_field,
			    "invoices.valid.amount");
		return err.status;
	}
	*payment_id = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	return *payment_id != NULL ? 0 : 500;
}

