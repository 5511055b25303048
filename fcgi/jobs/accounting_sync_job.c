#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounting_sync_job.h"
#include "buf.h"
#include "config.h"
#include "finance/armado.h"
#include "finance/organisation.h"
#include "log.h"

/* The row of the invoice, locked while it is marked running. */
static const struct db_stmt load_stmt = { "accounting_sync_load",
	"SELECT reference, method::text, payment_date::text, state::text,"
	" coalesce(bill_id, ''), id FROM accounting_sync WHERE invoice_id ="
	" $1::uuid FOR UPDATE" };

static const struct db_stmt start_stmt = { "accounting_sync_start",
	"UPDATE accounting_sync SET state = 'running', attempts = attempts + 1"
	" WHERE id = $1::bigint" };

/* $2 state, $3 HTTP status (NULL), $4 message, $5 fix, $6 bill id. */
static const struct db_stmt finish_stmt = { "accounting_sync_finish",
	"UPDATE accounting_sync SET state = $2::accounting_sync_state,"
	" last_status = nullif($3, '')::integer, last_error = nullif($4, ''),"
	" fix = nullif($5, ''), bill_id = nullif($6, ''),"
	" done_at = CASE WHEN $2 = 'done' THEN now() END WHERE id = $1::bigint" };

struct row {
	char	invoice[40];
	char	id[24];
	char	reference[64];
	char	method[24];
	char	date[16];
	char	bill_id[ARMADO_ID_MAX];
};

static enum job_outcome
db_failed(struct job_ctx *c, const char *what, const struct db_error *err)
{
	snprintf(c->error, sizeof(c->error), "%s: %s", what, err->message);
	db_rollback(c->db);
	return err->status == 503 ? JOB_TRANSIENT : JOB_PERMANENT;
}

static int
begin(struct job_ctx *c, struct db_error *err)
{
	if (db_begin(c->db, err) == -1)
		return -1;
	if (db_set_local(c->db, "app.tenant_id", c->job->tenant_id, err) == -1) {
		db_rollback(c->db);
		return -1;
	}
	return 0;
}

static int
finish(struct job_ctx *c, const struct row *r, const char *state,
    const struct armado_outcome *o, struct db_error *err)
{
	char		 status[24] = "";
	const char	*v[6];
	PGresult	*res;

	if (o->status > 0)
		snprintf(status, sizeof(status), "%ld", o->status);
	v[0] = r->id;
	v[1] = state;
	v[2] = status;
	v[3] = o->message;
	v[4] = o->fix;
	v[5] = r->bill_id;
	if (begin(c, err) == -1)
		return -1;
	if ((res = db_exec(c->db, &finish_stmt, 6, v, err)) == NULL) {
		db_rollback(c->db);
		return -1;
	}
	PQclear(res);
	return db_commit(c->db, err);
}

/* The row and the organisation's key, the row marked running: 1 to go
 * on, 0 when there is nothing to do, -1 when *out says how it ended. */
static int
claim(struct job_ctx *c, struct row *r, buf *key, enum job_outcome *out)
{
	struct db_error	 err;
	const char	*v[1] = { r->invoice };
	PGresult	*res;
	int		 k;

	if (begin(c, &err) == -1 ||
	    (res = db_exec(c->db, &load_stmt, 1, v, &err)) == NULL) {
		*out = db_failed(c, "load", &err);
		return -1;
	}
	if (PQntuples(res) == 0 || strcmp(db_value(res, 0, 3), "done") == 0) {
		PQclear(res);
		db_rollback(c->db);
		return 0;
	}
	snprintf(r->reference, sizeof(r->reference), "%s", db_value(res, 0, 0));
	snprintf(r->method, sizeof(r->method), "%s", db_value(res, 0, 1));
	snprintf(r->date, sizeof(r->date), "%s", db_value(res, 0, 2));
	snprintf(r->bill_id, sizeof(r->bill_id), "%s", db_value(res, 0, 4));
	snprintf(r->id, sizeof(r->id), "%s", db_value(res, 0, 5));
	PQclear(res);
	v[0] = r->id;
	k = organisation_armado_key(c->db, c->cfg->secret_key_file, key);
	if (k == -1) {
		snprintf(c->error, sizeof(c->error), "the Armado key cannot be "
		    "opened (key file or database)");
		db_rollback(c->db);
		*out = JOB_TRANSIENT;
		return -1;
	}
	if ((res = db_exec(c->db, &start_stmt, 1, v, &err)) == NULL) {
		*out = db_failed(c, "start", &err);
		return -1;
	}
	PQclear(res);
	if (db_commit(c->db, &err) == -1) {
		*out = db_failed(c, "start", &err);
		return -1;
	}
	return k == 1 ? 2 : 1;
}

/* The calls: the bill's id (unless known), then marked paid. */
static void
call_armado(struct job_ctx *c, struct row *r, const char *key,
    struct armado_outcome *o)
{
	struct armado	a = {
		c->cfg->armado_url, key, c->cfg->armado_timeout,
		!config_is_production(c->cfg),
	};

	if (r->bill_id[0] == '\0') {
		armado_find_bill(&a, r->reference, r->bill_id, o);
		if (o->result != ARMADO_OK)
			return;
	}
	armado_mark_paid(&a, r->bill_id, armado_payment_type(r->method),
	    r->date, o);
	/* A bill gone since it was found is looked for again next time. */
	if (o->result == ARMADO_REFUSED && o->status == 404)
		r->bill_id[0] = '\0';
}

/* The row's state and the queue's outcome for how the calls went. */
static enum job_outcome
judge(struct job_ctx *c, struct armado_outcome *o, const char **state)
{
	char	msg[sizeof(o->message) + 64];

	if (o->result == ARMADO_OK) {
		*state = "done";
		return JOB_SUCCEEDED;
	}
	if (o->result == ARMADO_REFUSED) {
		*state = "failed";
		return JOB_PERMANENT;
	}
	if (c->job->attempts < c->cfg->armado_attempts) {
		*state = "pending";
		return JOB_TRANSIENT;
	}
	snprintf(msg, sizeof(msg), "%s Abandon après %d tentatives.",
	    o->message, c->job->attempts);
	snprintf(o->message, sizeof(o->message), "%.*s",
	    (int)sizeof(o->message) - 1, msg);
	snprintf(o->fix, sizeof(o->fix), "Relancez quand Armado répondra à "
	    "nouveau.");
	*state = "dead";
	return JOB_PERMANENT;
}

enum job_outcome
accounting_sync_run(struct job_ctx *c)
{
	struct armado_outcome	 o;
	struct db_error		 err;
	struct row		 r;
	enum job_outcome	 out = JOB_SUCCEEDED;
	const char		*state;
	const char		*inv = json_string_value(json_object_get(
				    c->job->payload, "invoice_id"));
	buf			 key;
	int			 k;

	memset(&r, 0, sizeof(r));
	memset(&o, 0, sizeof(o));
	if (inv == NULL || strlen(inv) != 36 || strspn(inv,
	    "0123456789abcdef-") != 36 || c->job->tenant_id[0] == '\0') {
		snprintf(c->error, sizeof(c->error), "payload without invoice_id "
		    "or job without tenant");
		return JOB_PERMANENT;
	}
	snprintf(r.invoice, sizeof(r.invoice), "%s", inv);
	buf_init(&key);
	if ((k = claim(c, &r, &key, &out)) <= 0)
		goto out;
	if (k == 2) {
		o.result = ARMADO_REFUSED;
		snprintf(o.message, sizeof(o.message), "Aucune clé API Armado "
		    "n'est enregistrée pour l'organisation.");
		snprintf(o.fix, sizeof(o.fix), "Saisissez la clé API Armado dans "
		    "les paramètres de l'organisation, puis relancez.");
	} else
		call_armado(c, &r, buf_cstr(&key), &o);
	out = judge(c, &o, &state);
	if (out != JOB_SUCCEEDED)
		snprintf(c->error, sizeof(c->error), "%s", o.message);
	if (o.detail[0] != '\0')
		log_info("accounting_sync %s (%s): %s — %s", r.id, r.reference,
		    state, o.detail);
	if (finish(c, &r, state, &o, &err) == -1) {
		/* Marking paid again is harmless: try the whole again. */
		snprintf(c->error, sizeof(c->error), "record outcome: %s",
		    err.message);
		out = JOB_TRANSIENT;
	}
out:
	if (key.data != NULL)
		sodium_memzero(key.data, key.cap);
	buf_free(&key);
	return out;
}
