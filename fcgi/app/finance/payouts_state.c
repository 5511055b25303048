/* A payout batch's states: handed to the bank, then each line paid (the
 * payment posted to the ledger, the settlement paye) or rejected (the
 * reason kept, the amount still owed to the driver), the batch closed
 * when no line waits.  Each step locks what it changes; doing a step
 * again that is already done answers the batch as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "identity/activity.h"
#include "ledger.h"
#include "payouts.h"
#include "payouts_file.h"
#include "valid.h"
#include "worker.h"

static const struct db_stmt sent_stmt = { "payouts_sent",
	"WITH b AS (SELECT id, status FROM payout_batches WHERE id = $1::uuid"
	" FOR UPDATE), u AS (UPDATE payout_batches p SET status = 'envoye',"
	" sent_at = now(), sent_by = app_user() FROM b WHERE p.id = b.id AND"
	" b.status = 'exporte' RETURNING p.number) SELECT b.status,"
	" (SELECT number FROM u) FROM b" };

static const struct db_stmt line_stmt = { "payouts_line",
	"SELECT l.status, l.amount_cents, l.driver_id, l.settlement_id,"
	" b.status, b.number, l.name, s.week, $3::date > (now() AT TIME ZONE"
	" t.timezone)::date FROM payout_lines l JOIN payout_batches b ON"
	" b.tenant_id = l.tenant_id AND b.id = l.batch_id JOIN settlements s ON"
	" s.tenant_id = l.tenant_id AND s.id = l.settlement_id JOIN tenants t"
	" ON t.id = l.tenant_id WHERE l.id = $2::uuid AND l.batch_id ="
	" $1::uuid FOR UPDATE OF l, b" };

static const struct db_stmt paid_stmt = { "payouts_paid",
	"WITH l AS (UPDATE payout_lines SET status = 'paye', transaction_id ="
	" $2::uuid, paid_on = $3::date, decided_at = now(), decided_by ="
	" app_user() WHERE id = $1::uuid AND status = 'en_attente' RETURNING"
	" settlement_id) UPDATE settlements s SET status = 'paye', paid_at ="
	" now() FROM l WHERE s.id = l.settlement_id AND s.status = 'valide'"
	" RETURNING s.id" };

static const struct db_stmt rejected_stmt = { "payouts_rejected",
	"UPDATE payout_lines SET status = 'rejete', reason = $2, decided_at ="
	" now(), decided_by = app_user() WHERE id = $1::uuid AND status ="
	" 'en_attente' RETURNING id" };

/* No line waits any more: paye when one was paid, rejete otherwise. */
static const struct db_stmt close_stmt = { "payouts_close",
	"UPDATE payout_batches b SET status = CASE WHEN EXISTS (SELECT 1 FROM"
	" payout_lines l WHERE l.tenant_id = b.tenant_id AND l.batch_id = b.id"
	" AND l.status = 'paye') THEN 'paye' ELSE 'rejete' END::"
	"payout_batch_status, closed_at = now() WHERE b.id = $1::uuid AND"
	" b.status IN ('brouillon', 'exporte', 'envoye') AND NOT EXISTS"
	" (SELECT 1 FROM payout_lines l WHERE l.tenant_id = b.tenant_id AND l.batch_id = b.id"
	" AND l.status = 'en_attente')" };

static const struct db_stmt today_stmt = { "payouts_today",
	"SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') FROM tenants"
	" WHERE id = app_tenant()" };

/* A failure the platform answers with its usual page or envelope. */
static json_t *
failed(struct payout_failure *f, int status)
{
	memset(f, 0, sizeof(*f));
	f->status = status;
	return NULL;
}

static json_t *
refused(struct request *r, struct payout_failure *f, int status,
    const char *code, const char *key)
{
	payouts_fail(r, f, status, code, key, NULL);
	return NULL;
}

static json_t *
batch_now(struct request *r, const char *id, struct payout_failure *f)
{
	json_t	*b;
	int	 status = 500;

	if ((b = payout_batch_get(r, id, &status)) == NULL)
		return failed(f, status);
	return b;
}

json_t *
payout_batch_sent(struct request *r, const char *id,
    struct payout_failure *f)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*was;
	int		 rc = 0;

	if (id == NULL)
		return failed(f, 404);
	if ((res = db_exec(r->w->db, &sent_stmt, 1, &id, &err)) == NULL)
		return failed(f, err.status);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return failed(f, 404);
	}
	was = db_value(res, 0, 0);
	if (!db_is_null(res, 0, 1))
		rc = activity_record(r, "payouts.sent", arena_printf(r->arena,
		    "Lot de virements n° %s remis à la banque",
		    db_value(res, 0, 1)), "", "payout_batch", id);
	else if (strcmp(was, "brouillon") == 0)
		rc = -1;
	else if (strcmp(was, "envoye") != 0)
		rc = -2;
	PQclear(res);
	if (rc == -1)
		return refused(r, f, 409, "conflict",
		    "payouts.state.not_exported");
	if (rc == -2)
		return refused(r, f, 409, "conflict", "payouts.state.closed");
	if (rc != 0)
		return failed(f, rc);
	return batch_now(r, id, f);
}

/* The line, locked with its batch: 0 with res (caller clears), or -1.
 * on (a date, or NULL) is compared with today: column 8. */
static int
lock_line(struct request *r, const char *batch, const char *line,
    const char *on, PGresult **res, struct payout_failure *f)
{
	const char	*v[3] = { batch, line, on };
	struct db_error	 err;
	int		 status = 404;

	if (batch != NULL && line != NULL) {
		if ((*res = db_exec(r->w->db, &line_stmt, 3, v, &err)) == NULL)
			status = err.status;
		else if (PQntuples(*res) == 1)
			return 0;
		else
			PQclear(*res);
	}
	failed(f, status);
	return -1;
}

static json_t *
close_batch(struct request *r, const char *batch, struct payout_failure *f)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_exec(r->w->db, &close_stmt, 1, &batch, &err)) == NULL)
		return failed(f, err.status);
	PQclear(res);
	return batch_now(r, batch, f);
}

/* "payout:<batch>:<line>:paid": the driver's account is debited of what
 * the fleet owed, the bank credited. */
static int
post_payment(struct request *r, const char *batch, const char *line,
    PGresult *l, const char *on, const char **tx, struct db_error *err)
{
	long long		 amount = atoll(db_value(l, 0, 1));
	const char		*memo;
	struct ledger_line	 lines[2];

	memo = arena_printf(r->arena, "Virement lot n° %s : %s, semaine %s",
	    db_value(l, 0, 5), db_value(l, 0, 6), db_value(l, 0, 7));
	lines[0] = (struct ledger_line){ ledger_driver_account(r->arena,
	    db_value(l, 0, 2)), amount, memo };
	lines[1] = (struct ledger_line){ LEDGER_BANK, -amount, memo };
	return ledger_post(r->w->db, r->arena, arena_printf(r->arena,
	    "payout:%s:%s:paid", batch, line), "payout", memo, lines, 2, on,
	    tx, err);
}

/* on: the date the bank paid, today when NULL; never in the future. */
static const char *
paid_on(struct request *r, const char *on, struct payout_failure *f)
{
	static const struct valid_field date = { "paid_on", V_DATE, 0, 0, 0,
		NULL, NULL };
	struct valid_error	 verr;
	struct db_error		 err;
	PGresult		*res;
	json_t			*v;
	const char		*out;

	if (on != NULL) {
		if (valid_value(&date, on, &v, &verr) == -1) {
			payouts_fail(r, f, 422, "validation_failed",
			    "payouts.valid.date", json_pack("{s:s}", "paid_on",
			    tr(r, "payouts.valid.date")));
			return NULL;
		}
		out = arena_strdup(r->arena, json_string_value(v));
		json_decref(v);
		return out;
	}
	if ((res = db_exec(r->w->db, &today_stmt, 0, NULL, &err)) == NULL) {
		failed(f, err.status);
		return NULL;
	}
	out = arena_strdup(r->arena, db_value(res, 0, 0));
	PQclear(res);
	return out;
}

json_t *
payout_line_paid(struct request *r, const char *batch, const char *line,
    const char *on, struct payout_failure *f)
{
	struct db_error	 err;
	PGresult	*l, *res;
	const char	*tx, *v[3];
	int		 future, rejected;

	/* The line first: another organisation's is a 404 whatever the
	 * body says. */
	if (lock_line(r, batch, line, NULL, &l, f) == -1)
		return NULL;
	PQclear(l);
	if ((on = paid_on(r, on, f)) == NULL ||
	    lock_line(r, batch, line, on, &l, f) == -1)
		return NULL;
	future = strcmp(db_value(l, 0, 8), "t") == 0;
	if (strcmp(db_value(l, 0, 0), "paye") == 0) {
		PQclear(l);
		return batch_now(r, batch, f);	/* already: nothing to do */
	}
	rejected = strcmp(db_value(l, 0, 0), "rejete") == 0;
	if (rejected || strcmp(db_value(l, 0, 4), "envoye") != 0 || future) {
		PQclear(l);
		if (future)
			return refused(r, f, 422, "validation_failed",
			    "payouts.state.paid_future");
		return refused(r, f, 409, "conflict", rejected ?
		    "payouts.state.line_rejected" : "payouts.state.not_sent");
	}
	if (post_payment(r, batch, line, l, on, &tx, &err) == -1) {
		PQclear(l);
		return failed(f, err.status);
	}
	PQclear(l);
	v[0] = line, v[1] = tx, v[2] = on;
	if ((res = db_exec(r->w->db, &paid_stmt, 3, v, &err)) == NULL)
		return failed(f, err.status);
	if (PQntuples(res) != 1) {	/* the settlement is not valide */
		PQclear(res);
		return refused(r, f, 409, "conflict",
		    "payouts.state.settlement_changed");
	}
	PQclear(res);
	return close_batch(r, batch, f);
}

json_t *
payout_line_rejected(struct request *r, const char *batch, const char *line,
    const char *reason, struct payout_failure *f)
{
	static const struct valid_field why = { "reason", V_TEXT, 1, 1, 500,
		NULL, NULL };
	struct valid_error	 verr;
	struct db_error		 err;
	PGresult		*l, *res;
	json_t			*v;
	const char		*p[2], *st, *memo;
	int			 rc;

	if (lock_line(r, batch, line, NULL, &l, f) == -1)
		return NULL;
	if (reason == NULL || valid_value(&why, reason, &v, &verr) == -1) {
		PQclear(l);
		payouts_fail(r, f, 422, "validation_failed",
		    "payouts.valid.reason", json_pack("{s:s}", "reason",
		    tr(r, "payouts.valid.reason")));
		return NULL;
	}
	reason = arena_strdup(r->arena, json_string_value(v));
	json_decref(v);
	st = arena_strdup(r->arena, db_value(l, 0, 0));
	memo = arena_printf(r->arena, "Virement lot n° %s rejeté : %s,"
	    " semaine %s", db_value(l, 0, 5), db_value(l, 0, 6),
	    db_value(l, 0, 7));
	/* A draft's line too: that is how a batch made by mistake frees
	 * its settlements. */
	rc = strcmp(db_value(l, 0, 4), "paye") != 0 &&
	    strcmp(db_value(l, 0, 4), "rejete") != 0;
	PQclear(l);
	if (strcmp(st, "rejete") == 0)
		return batch_now(r, batch, f);	/* already */
	if (strcmp(st, "paye") == 0)
		return refused(r, f, 409, "conflict", "payouts.state.line_paid");
	if (!rc)
		return refused(r, f, 409, "conflict", "payouts.state.closed");
	p[0] = line, p[1] = reason;
	if ((res = db_exec(r->w->db, &rejected_stmt, 2, p, &err)) == NULL)
		return failed(f, err.status);
	PQclear(res);
	/* The amount never left the driver's account: the settlement stays
	 * valide, owed, free for a later batch; the reason is kept here and
	 * in the activity feed. */
	if ((rc = activity_record(r, "payouts.rejected", memo, reason,
	    "payout_batch", batch)) != 0)
		return failed(f, rc);
	return close_batch(r, batch, f);
}

int
payout_failure_api(struct request *r, struct payout_failure *f)
{
	if (f->message == NULL) {
		json_decref(f->fields);
		return f->status;
	}
	return api_error(r, f->status, f->code, f->message, f->fields) == 0 ?
	    f->status : 500;
}
