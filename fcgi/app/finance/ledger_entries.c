/* Entries are written by ledger_post alone (migration
 * 0016_finance_ledger.sql): the description has no writable field. */
#include "ledger_entries.h"

#define N		RES_NULLABLE
#define X		RES_EXPORT
#define COL(name, type, flags)	{ name, type, flags }

static const struct res_field fields[] = {
	{ "id", RT_INT, X },
	{ "posted_on", RT_DATE, X, .doc = "The accounting date." },
	{ "account", RT_TEXT, X, .select = "(SELECT a.code FROM"
	    " ledger_accounts a WHERE a.tenant_id = e.tenant_id AND a.id ="
	    " e.account_id)", .doc = "The account's code: driver:<id>,"
	    " platform:uber, bank, cash_held, rent_income, …" },
	COL("account_id", RT_UUID, 0),
	COL("driver_id", RT_UUID, N),
	{ "driver", RT_TEXT, N | X, .select = "(SELECT d.first_name || ' ' ||"
	    " d.last_name FROM drivers d WHERE d.tenant_id = e.tenant_id AND"
	    " d.id = e.driver_id)" },
	{ "amount_cents", RT_MONEY, 0, .doc = "Signed: > 0 debit, < 0"
	    " credit." },
	{ "debit_cents", RT_MONEY, N | X, .select = "nullif(greatest("
	    "e.amount_cents, 0), 0)" },
	{ "credit_cents", RT_MONEY, N | X, .select = "nullif(greatest("
	    "-e.amount_cents, 0), 0)" },
	{ "memo", RT_TEXT, X, .select = "coalesce(nullif(e.memo, ''), (SELECT"
	    " t.memo FROM ledger_transactions t WHERE t.tenant_id = e.tenant_id"
	    " AND t.id = e.transaction_id))" },
	COL("transaction_id", RT_UUID, 0),
	{ "key", RT_TEXT, X, .select = "(SELECT t.key FROM ledger_transactions"
	    " t WHERE t.tenant_id = e.tenant_id AND t.id = e.transaction_id)",
	    .doc = "What produced the posting (its idempotency key)." },
	{ "kind", RT_TEXT, 0, .select = "(SELECT t.kind FROM"
	    " ledger_transactions t WHERE t.tenant_id = e.tenant_id AND t.id ="
	    " e.transaction_id)" },
};

static const struct res_param params[] = {
	{ "account", RP_SEARCH, NULL, "finance.invalid_account",
	    .doc = "An account's code (bank, driver:<id>, platform:uber, …)" },
	{ "driver_id", RP_ID, NULL, "valid.uuid" },
	{ "from", RP_DATE, NULL, "valid.trips.date",
	    .doc = "First accounting day, included" },
	{ "to", RP_DATE, NULL, "valid.trips.date",
	    .doc = "Last accounting day, included" },
};

static const struct res_sort order[] = {
	{ NULL, "e.posted_on DESC, e.id DESC" },
};

static const struct table_kind files = {
	.base = "/finance/ledger", .title_key = "finance.ledger_title",
	.export_fr = "grand-livre", .export_en = "ledger",
};

static struct res_stmts stmts;

const struct resource ledger_entry_resource = {
	.name = "ledger", .table = "ledger_entries", .alias = "e",
	.schema = "LedgerEntry",
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = "({account} = '' OR e.account_id = (SELECT a.id FROM"
	    " ledger_accounts a WHERE a.tenant_id = e.tenant_id AND a.code ="
	    " {account})) AND ({driver_id} = '' OR e.driver_id ="
	    " nullif({driver_id}, '')::uuid) AND (nullif({from}, '') IS NULL OR"
	    " e.posted_on >= nullif({from}, '')::date) AND (nullif({to}, '') IS"
	    " NULL OR e.posted_on <= nullif({to}, '')::date)",
	.sorts = order, .nsorts = 1,
	.sums = "coalesce(sum(greatest(e.amount_cents, 0)), 0) AS debit_cents,"
	    " coalesce(sum(greatest(-e.amount_cents, 0)), 0) AS credit_cents",
	.files = &files,
	.stmts = &stmts,
};
