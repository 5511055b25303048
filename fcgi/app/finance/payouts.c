/* Making a payout batch: which settlements may be paid, the bank file,
 * the rows that keep what it paid.  Reading batches.  Their states move
 * in payouts_state.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "files.h"
#include "identity/activity.h"
#include "organisation.h"
#include "payouts.h"
#include "payouts_file.h"
#include "valid.h"
#include "worker.h"

/* One organisation makes one batch at a time: its number follows the
 * last one, and a settlement already taken is seen as taken. */
static const struct db_stmt lock_stmt = { "payouts_lock",
	"SELECT pg_advisory_xact_lock(hashtext('payout_batches'),"
	" hashtext(app_tenant()::text))" };

static const struct db_stmt lock_settlements_stmt = { "payouts_lock_s",
	"SELECT id FROM settlements WHERE id = ANY($1::uuid[]) ORDER BY id"
	" FOR UPDATE" };

/* The requested settlements in their order, with their driver, the line
 * that pays them now (if any) and what the file needs.  The EndToEndId
 * is the settlement's (its id and which attempt this is); a WPS period
 * is the week inside the salary month where it ends. */
static const struct db_stmt rows_stmt = { "payouts_rows",
	"SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.n), '[]')::text"
	" FROM (SELECT r.n, r.id AS settlement_id, s.id IS NOT NULL AS found,"
	" s.driver_id, s.week, s.amount_due_cents, s.currency, s.status,"
	" s.payroll, nullif(trim(d.first_name || ' ' || d.last_name), '')"
	" AS name, d.iban, d.bic, d.wps_person_id, d.wps_routing_code,"
	" d.wps_card_number, to_char(greatest(s.week_start,"
	" date_trunc('month', s.week_start + 6)::date), 'YYYY-MM-DD')"
	" AS pay_start, to_char(s.week_start + 6, 'YYYY-MM-DD') AS pay_end,"
	" replace(s.id::text, '-', '') || '-' || (SELECT count(*) + 1 FROM"
	"  payout_lines p WHERE p.tenant_id = s.tenant_id AND p.settlement_id"
	"  = s.id) AS end_to_end_id, l.batch_id, b.number AS batch_number"
	" FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, n)"
	" LEFT JOIN settlements s ON s.id = r.id"
	" LEFT JOIN drivers d ON d.tenant_id = s.tenant_id AND d.id = s.driver_id"
	" LEFT JOIN payout_lines l ON l.tenant_id = s.tenant_id AND"
	"  l.settlement_id = s.id AND l.status <> 'rejete'"
	" LEFT JOIN payout_batches b ON b.tenant_id = l.tenant_id AND"
	"  b.id = l.batch_id) x" };

/* A new batch's id, number and moments in the organisation's time zone.
 * The file's time is a second after the last file of that format when
 * that one was made in the same second: a WPS file is named after it. */
static const struct db_stmt new_stmt = { "payouts_new",
	"SELECT gen_random_uuid(), (SELECT coalesce(max(number), 0) + 1 FROM"
	" payout_batches), to_char(f.at, 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
	" to_char(now() AT TIME ZONE t.timezone, 'YYYY-MM-DD') FROM tenants t"
	" CROSS JOIN LATERAL (SELECT greatest(date_trunc('second', now() AT"
	" TIME ZONE t.timezone), (SELECT max(file_created_at) + interval"
	" '1 second' FROM payout_batches WHERE format = $1::payout_format))"
	" AS at) f WHERE t.id = app_tenant()" };

static const struct db_stmt insert_stmt = { "payouts_insert",
	"WITH b AS (INSERT INTO payout_batches (tenant_id, id, number, format,"
	" currency, msg_id, pmt_inf_id, execution_date, line_count, total_cents,"
	" file_name, file_type, file_content, file_created_at, created_by)"
	" VALUES (app_tenant(), $1::uuid, $2::int, $3::payout_format, $4, $5,"
	" $6, $7::date, $8::int, $9::bigint, $10, $11, $12, $14::timestamp,"
	" app_user()) RETURNING id)"
	" INSERT INTO payout_lines (tenant_id, batch_id, position, settlement_id,"
	" driver_id, amount_cents, end_to_end_id, name, account, bic)"
	" SELECT app_tenant(), b.id, x.n, x.settlement_id, x.driver_id,"
	" x.amount_due_cents, x.end_to_end_id, x.name, coalesce(CASE WHEN"
	" $3 = 'wps' THEN x.wps_card_number END, x.iban), CASE WHEN $3 = 'sepa'"
	" THEN nullif(x.bic, '') END FROM b, json_to_recordset($13::json) AS"
	" x(n int, settlement_id uuid, driver_id uuid, amount_due_cents bigint,"
	" end_to_end_id text, name text, iban text, bic text,"
	" wps_card_number text)" };

/* A batch as the API shows it, with what its lines paid and returned. */
#define BATCH_COLS \
	" b.id, b.number, b.format, b.status, b.currency, b.msg_id," \
	" b.pmt_inf_id, b.execution_date, b.line_count, b.total_cents," \
	" b.file_name, b.created_at, b.exported_at, b.sent_at, b.closed_at," \
	" (SELECT coalesce(sum(l.amount_cents), 0) FROM payout_lines l WHERE" \
	"  l.tenant_id = b.tenant_id AND l.batch_id = b.id AND l.status =" \
	"  'paye')::bigint AS paid_cents, (SELECT coalesce(sum(" \
	"  l.amount_cents), 0) FROM payout_lines l WHERE l.tenant_id =" \
	"  b.tenant_id AND l.batch_id = b.id AND l.status = 'rejete')::bigint" \
	" AS rejected_cents"

static const struct db_stmt get_stmt = { "payouts_get",
	"SELECT row_to_json(x)::text FROM (SELECT" BATCH_COLS ", (SELECT"
	" coalesce(json_agg(json_build_object('id', l.id, 'position',"
	" l.position, 'settlement_id', l.settlement_id, 'week', s.week,"
	" 'driver_id', l.driver_id, 'name', l.name, 'amount_cents',"
	" l.amount_cents, 'end_to_end_id', l.end_to_end_id, 'account',"
	" l.account, 'bic', l.bic, 'status', l.status, 'reason', l.reason,"
	" 'paid_on', l.paid_on, 'decided_at', l.decided_at, 'transaction_id',"
	" l.transaction_id) ORDER BY l.position), '[]') FROM payout_lines l"
	" JOIN settlements s ON s.tenant_id = l.tenant_id AND"
	" s.id = l.settlement_id WHERE l.tenant_id = b.tenant_id AND"
	" l.batch_id = b.id) AS lines FROM payout_batches b"
	" WHERE b.id = $1::uuid) x" };

static const struct db_stmt list_stmt = { "payouts_list",
	"SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.created_at DESC,"
	" x.number DESC), '[]')::text, (SELECT count(*) FROM payout_batches"
	" WHERE ($1 = '' OR status::text = $1) AND ($2 = '' OR format::text ="
	" $2)) FROM (SELECT" BATCH_COLS " FROM payout_batches b WHERE ($1 = ''"
	" OR b.status::text = $1) AND ($2 = '' OR b.format::text = $2)"
	" ORDER BY b.created_at DESC, b.number DESC LIMIT $3::int"
	" OFFSET $4::int) x" };

/* What a new batch may take: validated, something due, in no batch. */
static const struct db_stmt payable_stmt = { "payouts_payable",
	"SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.week_start DESC,"
	" x.name), '[]')::text FROM (SELECT s.id, s.week, s.week_start,"
	" s.amount_due_cents, s.currency, trim(d.first_name || ' ' ||"
	" d.last_name) AS name FROM settlements s JOIN drivers d ON"
	" d.tenant_id = s.tenant_id AND d.id = s.driver_id WHERE s.status ="
	" 'valide' AND s.amount_due_cents > 0 AND NOT s.payroll AND NOT EXISTS"
	" (SELECT 1 FROM payout_lines l WHERE l.tenant_id = s.tenant_id AND"
	" l.settlement_id = s.id AND l.status <> 'rejete') ORDER BY"
	" s.week_start DESC, d.last_name LIMIT 1000) x" };

static const struct db_stmt file_stmt = { "payouts_file",
	"SELECT file_name, file_type, file_content FROM payout_batches"
	" WHERE id = $1::uuid" };

static const struct db_stmt exported_stmt = { "payouts_exported",
	"UPDATE payout_batches SET status = 'exporte', exported_at = now()"
	" WHERE id = $1::uuid AND status = 'brouillon'" };

static const char *const formats[] = { "sepa", "wps", NULL };

/* ---- input ------------------------------------------------------------- */

static const struct valid_field input_fields[] = {
	{ "format", V_ENUM, 1, 0, 0, formats, NULL },
	{ "execution_date", V_DATE, 0, 0, 0, NULL, NULL },
};

/* settlement_ids as a PostgreSQL array literal of distinct UUIDs. */
static const char *
id_array(struct request *r, json_t *ids, json_t *errors)
{
	json_t		*v;
	buf		 b;
	const char	*s, *out;
	size_t		 i, j;

	if (!json_is_array(ids) || json_array_size(ids) == 0 ||
	    json_array_size(ids) > PAYOUT_MAX_LINES) {
		valid_fail(r, errors, "settlement_ids", "payouts.valid.ids");
		return NULL;
	}
	buf_init(&b);
	buf_putc(&b, '{');
	json_array_foreach(ids, i, v) {
		s = json_string_value(v);
		for (j = 0; s != NULL && j < i; j++)
			if (strcmp(json_string_value(json_array_get(ids, j)),
			    s) == 0)
				s = NULL;
		if (s == NULL || !files_is_uuid(s)) {
			valid_fail(r, errors, "settlement_ids",
			    "payouts.valid.ids");
			buf_free(&b);
			return NULL;
		}
		buf_printf(&b, "%s%s", i > 0 ? "," : "", s);
	}
	buf_putc(&b, '}');
	out = b.oom ? NULL : arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* ---- which settlements ------------------------------------------------- */

/* Why a row cannot be paid, as a catalogue key; NULL when it can. */
static const char *
row_refusal(json_t *row, const char *currency)
{
	const char	*status = json_string_value(json_object_get(row, "status"));

	if (!json_is_true(json_object_get(row, "found")))
		return "payouts.refused.not_found";
	if (json_is_true(json_object_get(row, "payroll")))
		return "payouts.refused.payroll";
	if (strcmp(status, "paye") == 0)
		return "payouts.refused.paid";
	if (strcmp(status, "valide") != 0)
		return "payouts.refused.not_validated";
	if (json_integer_value(json_object_get(row, "amount_due_cents")) <= 0)
		return "payouts.refused.nothing_due";
	if (strcmp(json_string_value(json_object_get(row, "currency")),
	    currency) != 0)
		return "payouts.refused.currency";
	if (!json_is_null(json_object_get(row, "batch_id")))
		return "payouts.refused.in_batch";
	return NULL;
}

/* Every refused settlement named in one message and by id in the
 * fields: "2 règlements ne peuvent pas être payés : Awa Ndiaye (2026-W48)
 * : pas encore validé ; …". */
static int
refuse_rows(struct request *r, json_t *rows, const char *currency,
    struct payout_failure *f)
{
	const char	*key, *who, *what;
	json_t		*row, *fields = json_object();
	buf		 msg;
	size_t		 i, n = 0;

	buf_init(&msg);
	json_array_foreach(rows, i, row) {
		if ((key = row_refusal(row, currency)) == NULL)
			continue;
		who = json_string_value(json_object_get(row, "name"));
		what = json_is_null(json_object_get(row, "batch_number")) ?
		    tr(r, key) : arena_printf(r->arena, "%s %lld", tr(r, key),
		    (long long)json_integer_value(json_object_get(row,
		    "batch_number")));
		json_object_set_new(fields, json_string_value(json_object_get(
		    row, "settlement_id")), json_string(what));
		buf_printf(&msg, "%s%s (%s) : %s", n++ > 0 ? " ; " : "",
		    who != NULL ? who : json_string_value(json_object_get(row,
		    "settlement_id")), who != NULL ? json_string_value(
		    json_object_get(row, "week")) : "?", what);
	}
	if (n == 0) {
		buf_free(&msg);
		json_decref(fields);
		return 0;
	}
	f->status = 422;
	f->code = "settlements_refused";
	f->message = arena_printf(r->arena, "%s %s", tr(r,
	    "payouts.refused.title"), buf_cstr(&msg));
	f->fields = fields;
	buf_free(&msg);
	return -1;
}

/* The batch every row is in now, or NULL (one is in none, or in
 * another batch than the others). */
static const char *
common_batch(json_t *rows)
{
	const char	*id = NULL, *b;
	json_t		*row;
	size_t		 i;

	json_array_foreach(rows, i, row) {
		if ((b = json_string_value(json_object_get(row, "batch_id")))
		    == NULL || (id != NULL && strcmp(id, b) != 0))
			return NULL;
		id = b;
	}
	return id;
}

/* That batch was this very request, made before: every settlement asked
 * for is in it, it holds nothing else, in the format asked for. */
static int
same_request(json_t *rows, const char *format, json_t *batch)
{
	return json_array_size(json_object_get(batch, "lines")) ==
	    json_array_size(rows) && strcmp(json_string_value(json_object_get(
	    batch, "format")), format) == 0;
}

/* ---- making the batch -------------------------------------------------- */

/* One statement's single JSON answer as a value; NULL with *status. */
static json_t *
one_json(struct request *r, const struct db_stmt *st, int n,
    const char *const *v, int *status)
{
	struct db_error	 err;
	PGresult	*res;
	json_t		*j = NULL;

	if ((res = db_exec(r->w->db, st, n, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	if (PQntuples(res) == 1 && (j = db_json(res, 0, 0)) == NULL)
		*status = 500;
	else if (PQntuples(res) != 1)
		*status = 404;
	PQclear(res);
	return j;
}

/* A failure the platform answers with its usual page or envelope. */
static int
db_fail(struct request *r, struct payout_failure *f, int status)
{
	(void)r;
	f->status = status;
	f->code = NULL;
	f->message = NULL;
	f->fields = NULL;
	return -1;
}

/* Lock, then read the settlements asked for.  NULL with f set. */
static json_t *
read_rows(struct request *r, const char *ids, struct payout_failure *f)
{
	struct db_error	 err;
	struct db_call	 c[2] = { { &lock_stmt, NULL, 0, NULL, NULL },
		{ &lock_settlements_stmt, NULL, 1, &ids, NULL } };
	json_t		*rows;
	int		 status = 500;

	if (db_exec_all(r->w->db, c, 2, &err) == -1) {
		db_fail(r, f, err.status);
		return NULL;
	}
	PQclear(c[0].res);
	PQclear(c[1].res);
	if ((rows = one_json(r, &rows_stmt, 1, &ids, &status)) == NULL)
		db_fail(r, f, status);
	return rows;
}

/* Sum of the amounts and the lines as json_to_recordset reads them. */
static long long
total_of(json_t *rows)
{
	json_t		*row;
	long long	 sum = 0;
	size_t		 i;

	json_array_foreach(rows, i, row)
		sum += json_integer_value(json_object_get(row,
		    "amount_due_cents"));
	return sum;
}

static json_t *
store(struct request *r, const char *format, json_t *rows,
    struct payout_file *pf, const char *id, const char *number,
    struct payout_failure *f)
{
	char		 count[24], total[24];
	const char	*v[14];
	struct db_error	 err;
	PGresult	*res;
	char		*lines;
	int		 status = 500;

	snprintf(count, sizeof(count), "%zu", json_array_size(rows));
	snprintf(total, sizeof(total), "%lld", total_of(rows));
	if ((lines = json_dumps(rows, JSON_COMPACT)) == NULL) {
		db_fail(r, f, 500);
		return NULL;
	}
	v[0] = id, v[1] = number, v[2] = format;
	v[3] = strcmp(format, "sepa") == 0 ? "EUR" : "AED";
	v[4] = pf->msg_id, v[5] = pf->pmt_inf_id, v[6] = pf->execution_date;
	v[7] = count, v[8] = total, v[9] = pf->name, v[10] = pf->type;
	v[11] = buf_cstr(&pf->content), v[12] = lines, v[13] = pf->created;
	res = db_exec(r->w->db, &insert_stmt, 14, v, &err);
	free(lines);
	if (res == NULL) {
		/* Another request took a settlement first: unique index. */
		if (err.status == 409 && strcmp(err.field, "settlement_id") == 0)
			payouts_fail(r, f, 409, "conflict",
			    "payouts.refused.conflict", NULL);
		else
			db_fail(r, f, err.status);
		return NULL;
	}
	PQclear(res);
	if (activity_record(r, "payouts.created", arena_printf(r->arena,
	    "Lot de virements n° %s créé", number), arena_printf(r->arena,
	    "%s virement(s), fichier %s", count, pf->name), "payout_batch",
	    id) != 0) {
		db_fail(r, f, 500);
		return NULL;
	}
	return one_json(r, &get_stmt, 1, &id, &status);
}

/* The ids and moments of the new batch, then its file.  0 or -1 with f. */
/* The organisation's bank, when it pays in the format's currency. */
static int
bank_for(struct request *r, const char *format,
    struct organisation_bank *bank, struct payout_failure *f)
{
	const char	*key;
	int		 rc;

	if ((rc = organisation_bank(r, bank)) != 0)
		return db_fail(r, f, rc);
	key = strcmp(format, "sepa") == 0 ? "payouts.valid.sepa_currency" :
	    "payouts.valid.wps_currency";
	if (strcmp(bank->currency, strcmp(format, "sepa") == 0 ? "EUR" :
	    "AED") != 0)
		return payouts_fail(r, f, 422, "validation_failed", key,
		    json_pack("{s:s}", "format", tr(r, key)));
	return 0;
}

static int
make_file(struct request *r, const char *format, json_t *rows,
    const struct organisation_bank *bank, const char *exec_date,
    struct payout_file *pf, const char **id, const char **number,
    struct payout_failure *f)
{
	struct db_error	 err;
	PGresult	*res;
	char		 hex[33];
	const char	*u;
	size_t		 i, k = 0;

	if ((res = db_exec(r->w->db, &new_stmt, 1, &format, &err)) == NULL)
		return db_fail(r, f, err.status);
	*id = arena_strdup(r->arena, db_value(res, 0, 0));
	*number = arena_strdup(r->arena, db_value(res, 0, 1));
	pf->created = arena_strdup(r->arena, db_value(res, 0, 2));
	pf->today = arena_strdup(r->arena, db_value(res, 0, 3));
	PQclear(res);
	for (u = *id, i = 0; u[i] != '\0' && k < 32; i++)
		if (u[i] != '-')
			hex[k++] = u[i];
	hex[k] = '\0';
	pf->execution_date = exec_date != NULL ? exec_date : pf->today;
	pf->reference = arena_printf(r->arena, "FleetCore %s", *number);
	if (strcmp(format, "sepa") == 0) {
		pf->msg_id = arena_printf(r->arena, "FC%s", hex);
		pf->pmt_inf_id = arena_printf(r->arena, "FCP%s", hex);
		return payouts_file_sepa(r, bank, rows, pf, f);
	}
	if (payouts_file_wps(r, bank, rows, pf, f) == -1)
		return -1;
	pf->msg_id = pf->pmt_inf_id = arena_strdup(r->arena, pf->name);
	return 0;
}

json_t *
payout_batch_create(struct request *r, json_t *input, int *created,
    struct payout_failure *f)
{
	struct organisation_bank bank;
	struct payout_file	 pf;
	json_t			*values, *errors, *rows, *batch = NULL, *old;
	const char		*ids, *format, *same, *id = NULL, *number = NULL;
	int			 status = 500;

	memset(f, 0, sizeof(*f));
	memset(&pf, 0, sizeof(pf));
	*created = 0;
	values = valid_input(r, input_fields, 2, &errors);
	if (errors == NULL)
		errors = json_object();
	ids = id_array(r, json_object_get(input, "settlement_ids"), errors);
	if (json_object_size(errors) > 0) {
		json_decref(values);
		payouts_fail(r, f, 422, "validation_failed", "api.invalid",
		    errors);
		return NULL;
	}
	json_decref(errors);
	format = json_string_value(json_object_get(values, "format"));
	if ((rows = read_rows(r, ids, f)) == NULL)
		goto out;
	same = common_batch(rows);
	if (same != NULL && (old = one_json(r, &get_stmt, 1, &same, &status))
	    != NULL) {
		if (same_request(rows, format, old)) {
			batch = old;	/* this request, again */
			goto out;
		}
		json_decref(old);
	}
	if (bank_for(r, format, &bank, f) == -1 || refuse_rows(r, rows,
	    bank.currency, f) == -1)
		goto out;
	buf_init(&pf.content);
	if (make_file(r, format, rows, &bank, json_string_value(
	    json_object_get(values, "execution_date")), &pf, &id, &number,
	    f) == 0 &&
	    (batch = store(r, format, rows, &pf, id, number, f)) != NULL)
		*created = 1;
	buf_free(&pf.content);
out:
	json_decref(rows);
	json_decref(values);
	return batch;
}

/* ---- reading ----------------------------------------------------------- */

json_t *
payout_batch_get(struct request *r, const char *id, int *status)
{
	if (id == NULL) {
		*status = 404;
		return NULL;
	}
	return one_json(r, &get_stmt, 1, &id, status);
}

json_t *
payout_payable(struct request *r, int *status)
{
	return one_json(r, &payable_stmt, 0, NULL, status);
}

json_t *
payout_batch_list(struct request *r, long limit, long offset, long *total,
    int *status)
{
	static const char *const statuses[] = { "brouillon", "exporte",
		"envoye", "paye", "rejete", NULL };
	char		 lim[24], off[24];
	const char	*v[4], *st = http_query(r, "status"),
			*fmt = http_query(r, "format");
	struct db_error	 err;
	PGresult	*res;
	json_t		*items;
	size_t		 i;

	v[0] = "", v[1] = "";
	for (i = 0; st != NULL && statuses[i] != NULL; i++)
		if (strcmp(st, statuses[i]) == 0)
			v[0] = statuses[i];
	for (i = 0; fmt != NULL && formats[i] != NULL; i++)
		if (strcmp(fmt, formats[i]) == 0)
			v[1] = formats[i];
	snprintf(lim, sizeof(lim), "%ld", limit);
	snprintf(off, sizeof(off), "%ld", offset);
	v[2] = lim, v[3] = off;
	if ((res = db_exec(r->w->db, &list_stmt, 4, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	items = db_json(res, 0, 0);
	*total = atol(db_value(res, 0, 1));
	PQclear(res);
	if (items == NULL)
		*status = 500;
	return items;
}

int
payout_batch_file(struct request *r, const char *id, const char **name,
    const char **type, const char **content)
{
	struct db_error	 err;
	PGresult	*res;

	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &file_stmt, 1, &id, &err)) == NULL)
		return err.status;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	*name = arena_strdup(r->arena, db_value(res, 0, 0));
	*type = arena_strdup(r->arena, db_value(res, 0, 1));
	*content = arena_strdup(r->arena, db_value(res, 0, 2));
	PQclear(res);
	if (*name == NULL || *type == NULL || *content == NULL)
		return 500;
	if ((res = db_exec(r->w->db, &exported_stmt, 1, &id, &err)) == NULL)
		return err.status;
	PQclear(res);
	return 0;
}
