/* The ledger's one entry point from C: a posting of balanced lines under
 * an idempotency key, through the SQL function ledger_post (migration
 * 0016_finance_ledger.sql, whose top comment is the full contract).
 *
 *   key     what produced the posting, unique per organisation:
 *           "settlement:<uuid>:validate", "payout:<batch>:<line>:paid",
 *           "payout:<batch>:<line>:rejected", "invoice:<uuid>:payment:<n>".
 *           The same key again returns the first posting's id and writes
 *           nothing; the same key with other lines is refused (409).
 *   kind    a short word: "settlement", "payout", "invoice_payment", ...
 *   lines   at least two; amount_cents > 0 debits the account, < 0
 *           credits it, never 0; they sum to zero or PostgreSQL refuses
 *           the posting (422, constraint ledger_transactions__balanced).
 *   on      the accounting date "YYYY-MM-DD", or NULL for today (Paris).
 *
 * Account codes: "driver:<uuid>" (what the fleet owes the driver: credit),
 * "deposits:<uuid>" (their caution), "platform:uber|bolt|heetch|autre"
 * (receivable), "bank", "cash_held", "rent_income", "commission_income",
 * "payroll_revenue", "charges:amende|carburant|franchise|autre",
 * "adjustments".  Use the LEDGER_* names below rather than literals.
 *
 * Runs in the caller's transaction and organisation (the request's), so
 * the posting commits or rolls back with what caused it.  Example, a
 * payout line marked paid:
 *
 *	struct ledger_line l[] = {
 *		{ ledger_driver_account(a, driver_id), amount, "Virement" },
 *		{ LEDGER_BANK, -amount, "Virement" },
 *	};
 *	rc = ledger_post(db, a, key, "payout", memo, l, 2, NULL, &id, &err);
 */
#ifndef FC_FINANCE_LEDGER_H
#define FC_FINANCE_LEDGER_H

#include <stddef.h>

#include "arena.h"
#include "db.h"

#define LEDGER_BANK		"bank"
#define LEDGER_CASH_HELD	"cash_held"
#define LEDGER_RENT_INCOME	"rent_income"
#define LEDGER_COMMISSION	"commission_income"
#define LEDGER_PAYROLL		"payroll_revenue"
#define LEDGER_ADJUSTMENTS	"adjustments"

struct ledger_line {
	const char	*account;	/* a code above */
	long long	 amount_cents;	/* > 0 debit, < 0 credit */
	const char	*memo;		/* NULL: none */
};

/* "driver:<id>", "deposits:<id>", "platform:<p>", "charges:<kind>" in a. */
const char	*ledger_driver_account(arena *a, const char *driver_id);
const char	*ledger_deposits_account(arena *a, const char *driver_id);
const char	*ledger_platform_account(arena *a, const char *platform);
const char	*ledger_charges_account(arena *a, const char *kind);

/* Post (or find the posting of key).  0 with *id (in a) set, or -1 with
 * err set: 422 unbalanced or malformed, 409 key reused for other lines,
 * 503/500 database. */
int		 ledger_post(struct db *, arena *a, const char *key,
		    const char *kind, const char *memo,
		    const struct ledger_line *lines, size_t n, const char *on,
		    const char **id, struct db_error *err);

/* Post the opposite of transaction txid under key (idempotent too). */
int		 ledger_reverse(struct db *, arena *a, const char *key,
		    const char *txid, const char *memo, const char **id,
		    struct db_error *err);

#endif
