#include <string.h>

#include "accounting_sync.h"
#include "invoices.h"
#include "worker.h"

const char *const accounting_sync_states[] = { "pending", "running", "done",
	"failed", "dead", NULL };
/* "open": every state but done, what the screen shows first. */
const char *const accounting_sync_filters[] = { "open", "pending", "running",
	"done", "failed", "dead", NULL };

#define N		RES_NULLABLE
#define L		RES_LIST
#define COL(name, type, flags)	{ name, type, flags }
#define CHOICE(name, values, flags) { name, RT_ENUM, flags, \
	{ name, V_ENUM, 0, 0, 0, values, NULL } }

/* No attempt waiting or running. */
#define IDLE "NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = a.job_id AND" \
	" j.status IN ('queued', 'running'))"

static const struct res_field fields[] = {
	COL("id", RT_INT, L),
	COL("invoice_id", RT_UUID, L),
	{ "invoice_number", RT_TEXT, L, .select = "a.reference",
	    .doc = "The invoice's number, the bill's reference in Armado." },
	{ "driver", RT_TEXT, N | L, .select = "(SELECT d.first_name || ' ' ||"
	    " d.last_name FROM invoices i JOIN drivers d ON d.tenant_id ="
	    " i.tenant_id AND d.id = i.driver_id WHERE i.tenant_id ="
	    " a.tenant_id AND i.id = a.invoice_id)" },
	CHOICE("state", accounting_sync_states, L),
	{ "method", RT_ENUM, L, { "method", V_ENUM, 0, 0, 0,
	    invoice_all_methods, NULL }, .doc = "How the payment that"
	    " completed the invoice was made (its Armado paymentType)." },
	COL("payment_date", RT_DATE, L),
	{ "attempts", RT_INT, L, .doc = "Attempts made, all relaunches"
	    " included." },
	{ "last_status", RT_INT, N | L, .doc = "Armado's last HTTP status." },
	{ "last_error", RT_TEXT, N | L, .doc = "What went wrong, in French." },
	{ "fix", RT_TEXT, N | L, .doc = "What to change before relaunching;"
	    " null when waiting is enough." },
	{ "bill_id", RT_TEXT, N, .doc = "The bill's id in Armado, once"
	    " found." },
	{ "next_attempt_at", RT_TIME, N | L, .select = "(SELECT j.run_at FROM"
	    " jobs j WHERE j.id = a.job_id AND j.status = 'queued')" },
	{ "can_retry", RT_BOOL, L, .select = "(a.state <> 'done' AND " IDLE ")",
	    .doc = "Whether « Relancer » (POST .../retry) is possible." },
	COL("created_at", RT_TIME, 0),
	COL("updated_at", RT_TIME, L),
	COL("done_at", RT_TIME, N),
};

static const struct res_param params[] = {
	{ "state", RP_CHOICE, accounting_sync_filters, "accounting_sync.valid.state",
	    .doc = "A state, or \"open\" for all but done",
	    .group = "accounting_sync.filter", .blank =
	    "accounting_sync.all_states" },
};

/* What needs attention first: failed, dead, then the rest; newest
 * first. */
static const struct res_sort order[] = {
	{ NULL, "CASE a.state WHEN 'failed' THEN 0 WHEN 'dead' THEN 1"
	    " WHEN 'done' THEN 3 ELSE 2 END, a.updated_at DESC" },
};

static struct res_stmts stmts;

const struct resource accounting_sync_resource = {
	.name = "accounting_sync", .table = "accounting_sync", .alias = "a",
	.schema = "AccountingSync",
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = "({state} = '' OR ({state} = 'open' AND a.state <> 'done')"
	    " OR a.state::text = {state})",
	.sorts = order, .nsorts = 1,
	.stmts = &stmts,
};

static const struct db_stmt state_stmt = { "accounting_sync_state",
	"SELECT a.state = 'done', " IDLE " FROM accounting_sync a"
	" WHERE a.id = $1::bigint" };

static const struct db_stmt retry_stmt = { "accounting_sync_retry",
	"SELECT accounting_sync_retry($1::bigint)" };

int
accounting_sync_retry(struct request *r, const char *id, const char **key)
{
	struct db_error	 err;
	const char	*v[1] = { id };
	PGresult	*res;
	int		 done, idle;

	*key = NULL;
	if (id == NULL || *id == '\0' || strlen(id) > 18 ||
	    strspn(id, "0123456789") != strlen(id))
		return 404;
	if ((res = db_exec(r->w->db, &state_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 404;
	}
	done = strcmp(db_value(res, 0, 0), "t") == 0;
	idle = strcmp(db_value(res, 0, 1), "t") == 0;
	PQclear(res);
	if (done || !idle) {
		*key = done ? "accounting_sync.already_done" :
		    "accounting_sync.already_queued";
		return 409;
	}
	if ((res = db_exec(r->w->db, &retry_stmt, 1, v, &err)) == NULL) {
		if (err.status == 422) {
			*key = "accounting_sync.already_queued";
			return 409;
		}
		return err.status;
	}
	PQclear(res);
	return 0;
}
