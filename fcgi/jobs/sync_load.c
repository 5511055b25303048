#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sync_load.h"

#define FLUSH_AT	(32 * 1024)
#define MERGE_WORK_MEM	"64MB"

/* The staging table and every statement naming columns are built from
 * the canonical table definitions (fcgi/connectors/canon.c), never from
 * input, so that the COPY order and the merge cannot drift apart. */

static const char *
sql_type(enum canon_kind k)
{
	switch (k) {
	case CK_MONEY:
	case CK_INT:
	case CK_DISTANCE:
		return "bigint";
	case CK_TIME:
		return "timestamptz";
	case CK_DATE:
		return "date";
	default:
		return "text";
	}
}

static int
set_error(struct db_error *err, int status, const char *msg)
{
	memset(err, 0, sizeof(*err));
	err->status = status;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return -1;
}

/* A statement's failure into err, with PostgreSQL's words in the log. */
static int
failed(struct db *db, PGresult *res, struct db_error *err)
{
	db_error_from_result(res, err);
	log_error("sync load: %s", res ? PQresultErrorMessage(res) :
	    PQerrorMessage(db_conn(db)));
	PQclear(res);
	return -1;
}

static int
command(struct db *db, const char *sql, struct db_error *err)
{
	PGresult	*res = PQexec(db_conn(db), sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return failed(db, res, err);
	PQclear(res);
	return 0;
}

int
sync_load_begin(struct sync_load *l, struct db *db, enum canon_table which,
    struct db_error *err)
{
	buf		 ddl, copy;
	size_t		 i;
	PGresult	*res;
	int		 rc = -1;

	memset(l, 0, sizeof(*l));
	l->db = db;
	l->which = which;
	l->table = canon_table(which);
	buf_init(&l->out);
	buf_init(&ddl);
	buf_init(&copy);
	buf_puts(&ddl, "CREATE TEMP TABLE sync_stage (line bigint NOT NULL");
	buf_puts(&copy, "COPY sync_stage (line");
	for (i = 0; i < l->table->ncolumns; i++) {
		buf_printf(&ddl, ", %s %s", l->table->columns[i].name,
		    sql_type(l->table->columns[i].kind));
		buf_printf(&copy, ", %s", l->table->columns[i].name);
	}
	buf_puts(&ddl, ") ON COMMIT DROP");
	buf_puts(&copy, ") FROM STDIN");
	if (ddl.oom || copy.oom) {
		set_error(err, 500, "Mémoire insuffisante.");
		goto out;
	}
	if (command(db, buf_cstr(&ddl), err) == -1 ||
	    command(db, "CREATE TEMP TABLE sync_stage_drivers (driver_ref text"
	    " PRIMARY KEY, driver_id uuid) ON COMMIT DROP", err) == -1)
		goto out;
	res = PQexec(db_conn(db), buf_cstr(&copy));
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		failed(db, res, err);
		goto out;
	}
	PQclear(res);
	l->copying = 1;
	rc = 0;
out:
	buf_free(&ddl);
	buf_free(&copy);
	return rc;
}

/* COPY text format: backslash, tab, newline and return escaped.  Runs
 * without any of them are appended whole (this is the hot loop of an
 * import). */
static void
put_text(buf *b, const char *s)
{
	size_t	n;

	for (;;) {
		n = strcspn(s, "\\\t\n\r");
		buf_append(b, s, n);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '\\':
			buf_append(b, "\\\\", 2);
			break;
		case '\t':
			buf_append(b, "\\t", 2);
			break;
		case '\n':
			buf_append(b, "\\n", 2);
			break;
		default:
			buf_append(b, "\\r", 2);
		}
		s++;
	}
}

/* A whole number, without printf. */
static void
put_number(buf *b, long long v)
{
	char			 tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int
flush(struct sync_load *l, struct db_error *err)
{
	if (l->out.oom)
		return set_error(err, 500, "Mémoire insuffisante.");
	if (l->out.len == 0)
		return 0;
	if (PQputCopyData(db_conn(l->db), l->out.data, (int)l->out.len) != 1)
		return failed(l->db, NULL, err);
	buf_clear(&l->out);
	return 0;
}

int
sync_load_put(struct sync_load *l, const struct canon_record *r,
    struct db_error *err)
{
	const struct canon_column	*c;
	size_t				 i;
	int				 cursor_col;

	put_number(&l->out, (long long)r->line);
	cursor_col = l->which == CANON_TRIPS ? TRIP_STARTED_AT :
	    l->which == CANON_EARNINGS ? EARN_PERIOD_END : -1;
	for (i = 0; i < l->table->ncolumns; i++) {
		c = &l->table->columns[i];
		buf_append(&l->out, "\t", 1);
		if (!r->set[i])
			buf_append(&l->out, "\\N", 2);
		else if (canon_kind_is_number(c->kind)) {
			put_number(&l->out, r->num[i]);
			l->sums[i] += r->num[i];
		} else
			put_text(&l->out, r->text[i]);
	}
	buf_append(&l->out, "\n", 1);
	/* Times and days are written so that text order is time order. */
	if (cursor_col >= 0 && r->set[cursor_col] &&
	    strcmp(r->text[cursor_col], l->cursor) > 0)
		snprintf(l->cursor, sizeof(l->cursor), "%.31s",
		    r->text[cursor_col]);
	l->records++;
	return l->out.len >= FLUSH_AT ? flush(l, err) : 0;
}

int
sync_load_end(struct sync_load *l, struct db_error *err)
{
	PGresult	*res;
	int		 rc = 0;

	if (flush(l, err) == -1) {
		sync_load_abort(l);
		return -1;
	}
	l->copying = 0;
	if (PQputCopyEnd(db_conn(l->db), NULL) != 1)
		return failed(l->db, NULL, err);
	while ((res = PQgetResult(db_conn(l->db))) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			rc = -1;
			db_error_from_result(res, err);
			log_error("sync load: COPY: %s", PQresultErrorMessage(res));
		}
		PQclear(res);
	}
	return rc;
}

void
sync_load_abort(struct sync_load *l)
{
	PGresult	*res;

	if (!l->copying)
		return;
	l->copying = 0;
	if (PQputCopyEnd(db_conn(l->db), "sync cancelled") == 1)
		while ((res = PQgetResult(db_conn(l->db))) != NULL)
			PQclear(res);
}

void
sync_load_free(struct sync_load *l)
{
	buf_free(&l->out);
}

/* ---- long statements ----------------------------------------------------- */

PGresult *
sync_load_exec(struct db *db, const char *sql, int n,
    const char *const *values, sync_wait_fn wait, void *ctx,
    struct db_error *err)
{
	PGconn		*conn = db_conn(db);
	PGresult	*res, *last = NULL;
	PGcancel	*cancel;
	struct pollfd	 pfd;
	char		 why[256];
	int		 stopped = 0;

	if (conn == NULL || PQsendQueryParams(conn, sql, n, NULL, values, NULL,
	    NULL, 0) != 1) {
		failed(db, NULL, err);
		return NULL;
	}
	pfd.fd = PQsocket(conn);
	pfd.events = POLLIN;
	for (;;) {
		if (PQconsumeInput(conn) != 1)
			break;
		if (!PQisBusy(conn))
			break;
		if (poll(&pfd, 1, 1000) == 0 && !stopped && wait != NULL &&
		    wait(ctx) != 0) {
			/* Asked to stop: the server cancels the statement. */
			stopped = 1;
			if ((cancel = PQgetCancel(conn)) != NULL) {
				(void)PQcancel(cancel, why, sizeof(why));
				PQfreeCancel(cancel);
			}
		}
	}
	while ((res = PQgetResult(conn)) != NULL) {
		PQclear(last);
		last = res;
	}
	if (last == NULL || (PQresultStatus(last) != PGRES_TUPLES_OK &&
	    PQresultStatus(last) != PGRES_COMMAND_OK)) {
		failed(db, last, err);
		return NULL;
	}
	return last;
}

/* ---- the merge ------------------------------------------------------------ */

/* ", coalesce(sum(col), 0)…" over the money columns. */
static void
money_list(buf *b, const struct canon_table_def *t, const char *before,
    const char *after)
{
	size_t	i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].kind == CK_MONEY) {
			buf_puts(b, before);
			buf_puts(b, t->columns[i].name);
			buf_puts(b, after);
		}
}

static json_t *
totals_json(const struct canon_table_def *t, long long rows,
    const long long *sums)
{
	json_t	*o = json_pack("{s:I}", "rows", (json_int_t)rows);
	size_t	 i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].kind == CK_MONEY)
			json_object_set_new(o, t->columns[i].name,
			    json_integer((json_int_t)sums[i]));
	return o;
}

/* Money sums of a result row, from column first on, added to sums[]:
 * the column after them. */
static int
add_sums(const struct canon_table_def *t, PGresult *res, int first,
    long long *sums)
{
	size_t	i;
	int	k = first;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].kind == CK_MONEY)
			sums[i] += atoll(db_value(res, 0, k++));
	return k;
}

/* Run the statement sql holds (then freed) with n values. */
static PGresult *
run_built(struct sync_load *l, buf *sql, int n, const char **v,
    sync_wait_fn wait, void *ctx, struct db_error *err)
{
	PGresult	*res;

	res = sql->oom ? NULL : sync_load_exec(l->db, buf_cstr(sql), n, v,
	    wait, ctx, err);
	if (sql->oom)
		set_error(err, 500, "out of memory");
	buf_free(sql);
	return res;
}

static int
duplicates(struct sync_load *l, const char *run_id, const char *key_header,
    long long keep, struct sync_counts *n, long long *dup_sums,
    sync_wait_fn wait, void *ctx, struct db_error *err)
{
	char		 limit[24];
	const char	*v[3] = { run_id, key_header, limit };
	PGresult	*res;
	buf		 sql;

	snprintf(limit, sizeof(limit), "%lld", keep > 0 ? keep : 0);
	buf_init(&sql);
	buf_puts(&sql, "WITH dk AS (SELECT source_key, min(line) AS first"
	    " FROM sync_stage GROUP BY source_key HAVING count(*) > 1),"
	    " dup AS (DELETE FROM sync_stage s USING dk WHERE s.source_key ="
	    " dk.source_key AND s.line <> dk.first RETURNING s.*, dk.first),"
	    " kept AS (INSERT INTO sync_rejects (tenant_id, run_id, line,"
	    " column_name, value, reason) SELECT app_tenant(), $1::uuid, line,"
	    " left($2, 200), left(source_key, 500), 'Clé déjà présente à la"
	    " ligne ' || first || ' du fichier : cette ligne est ignorée.'"
	    " FROM dup ORDER BY line LIMIT $3::int) SELECT count(*)");
	money_list(&sql, l->table, ", coalesce(sum(", "), 0)");
	buf_puts(&sql, " FROM dup");
	if ((res = run_built(l, &sql, 3, v, wait, ctx, err)) == NULL)
		return -1;
	n->duplicates = atoll(db_value(res, 0, 0));
	(void)add_sums(l->table, res, 1, dup_sums);
	PQclear(res);
	return 0;
}

static const char drivers_sql[] =
	"INSERT INTO sync_stage_drivers (driver_ref, driver_id)"
	" SELECT k.driver_ref, coalesce("
	"  (SELECT m.driver_id FROM driver_matches m WHERE"
	"   m.platform = $1::text::trip_platform AND m.driver_ref = k.driver_ref),"
	"  (SELECT d.id FROM drivers d WHERE"
	"   ($1::text = 'uber' AND d.uber_driver_uuid = k.driver_ref) OR"
	"   ($1::text = 'bolt' AND d.bolt_driver_uuid = k.driver_ref) OR"
	"   ($1::text = 'heetch' AND d.heetch_email = lower(k.driver_ref))"
	"   ORDER BY d.archived_at NULLS FIRST LIMIT 1),"
	"  (SELECT d.id FROM drivers d WHERE d.email = k.email"
	"   ORDER BY d.archived_at NULLS FIRST LIMIT 1),"
	"  (SELECT d.id FROM drivers d WHERE d.phone = k.phone"
	"   ORDER BY d.archived_at NULLS FIRST LIMIT 1))"
	" FROM (SELECT driver_ref, max(driver_email) AS email,"
	"  max(driver_phone) AS phone FROM sync_stage"
	"  WHERE driver_ref IS NOT NULL GROUP BY driver_ref) k";

int
sync_load_match_drivers(struct sync_load *l, const char *platform,
    sync_wait_fn wait, void *ctx, struct db_error *err)
{
	const char	*v[1] = { platform };
	PGresult	*res;

	if ((res = sync_load_exec(l->db, drivers_sql, 1, v, wait, ctx,
	    err)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The merge in two statements rather than INSERT … ON CONFLICT, whose
 * speculative insertion costs twice a plain insert.  First the stored rows
 * the file names are read once, with whether they differ from the file;
 * those that differ are updated through their row address (a row the
 * file repeats unchanged is not written at all), and the others' money is
 * what the table holds for them.  Then the rows that do not exist are
 * inserted.  What each statement wrote comes back from RETURNING, so the
 * loaded totals are the table's own values without reading it again.
 * $1 platform, $2 key space, $3 source, $4 run.  A row changed by another
 * transaction between the read and the update is not updated (its address
 * moved): the counts then disagree and the run fails to be retried, as it
 * does when a concurrent import inserts the same key first. */

#define TRIP_SET \
	" driver_ref = s.driver_ref, driver_name = s.driver_name," \
	" vehicle_plate = s.vehicle_plate, status = coalesce(s.status, 'autre')," \
	" platform_status = s.platform_status, trip_ref = s.trip_ref," \
	" started_at = s.started_at, ended_at = s.ended_at," \
	" distance_m = s.distance_m::int, payment_method = s.payment_method," \
	" gross_fare_cents = s.gross_fare_cents," \
	" booking_fee_cents = s.booking_fee_cents, tolls_cents = s.tolls_cents," \
	" tips_cents = s.tips_cents, commission_cents = s.commission_cents," \
	" net_earnings_cents = s.net_earnings_cents," \
	" cash_collected_cents = s.cash_collected_cents," \
	" payout_cents = s.payout_cents, currency = coalesce(s.currency, 'EUR')," \
	" cancellation_fee_cents = s.cancellation_fee_cents," \
	" cash_discount_cents = s.cash_discount_cents," \
	" in_app_discount_cents = s.in_app_discount_cents"

#define TRIP_STORED \
	"(t.platform, t.driver_id, t.driver_ref, t.driver_name, t.vehicle_plate," \
	" t.status, t.platform_status, t.trip_ref, t.started_at, t.ended_at," \
	" t.distance_m, t.payment_method, t.gross_fare_cents, t.booking_fee_cents," \
	" t.tolls_cents, t.tips_cents, t.commission_cents, t.net_earnings_cents," \
	" t.cash_collected_cents, t.payout_cents, t.currency," \
	" t.cancellation_fee_cents, t.cash_discount_cents, t.in_app_discount_cents)"

#define TRIP_FILE \
	"($1::text::trip_platform, coalesce(d.driver_id, t.driver_id)," \
	" s.driver_ref, s.driver_name, s.vehicle_plate, coalesce(s.status," \
	" 'autre'), s.platform_status, s.trip_ref, s.started_at, s.ended_at," \
	" s.distance_m::int, s.payment_method, s.gross_fare_cents," \
	" s.booking_fee_cents, s.tolls_cents, s.tips_cents, s.commission_cents," \
	" s.net_earnings_cents, s.cash_collected_cents, s.payout_cents," \
	" coalesce(s.currency, 'EUR')::char(3), s.cancellation_fee_cents," \
	" s.cash_discount_cents, s.in_app_discount_cents)"

static const char trips_insert_sql[] =
	"INSERT INTO trips (tenant_id, platform, source, source_key, source_id,"
	" run_id, driver_id, driver_ref, driver_name, vehicle_plate, status,"
	" platform_status, trip_ref, started_at, ended_at, distance_m,"
	" payment_method, gross_fare_cents, booking_fee_cents, tolls_cents,"
	" tips_cents, commission_cents, net_earnings_cents,"
	" cash_collected_cents, payout_cents, currency, cancellation_fee_cents,"
	" cash_discount_cents, in_app_discount_cents)"
	" SELECT app_tenant(), $1::text::trip_platform, $2, s.source_key,"
	" $3::uuid, $4::uuid, d.driver_id, s.driver_ref, s.driver_name,"
	" s.vehicle_plate, coalesce(s.status, 'autre'), s.platform_status,"
	" s.trip_ref, s.started_at, s.ended_at, s.distance_m::int,"
	" s.payment_method, s.gross_fare_cents, s.booking_fee_cents,"
	" s.tolls_cents, s.tips_cents, s.commission_cents,"
	" s.net_earnings_cents, s.cash_collected_cents, s.payout_cents,"
	" coalesce(s.currency, 'EUR'), s.cancellation_fee_cents,"
	" s.cash_discount_cents, s.in_app_discount_cents FROM sync_stage s"
	" LEFT JOIN sync_stage_drivers d ON d.driver_ref = s.driver_ref"
	" WHERE NOT EXISTS (SELECT 1 FROM trips t WHERE t.tenant_id ="
	" app_tenant() AND t.source = $2 AND t.source_key = s.source_key)";

#define EARN_SET \
	" driver_ref = s.driver_ref, driver_name = s.driver_name," \
	" period = s.period::earnings_period, period_start = s.period_start," \
	" period_end = s.period_end, gross_cents = s.gross_cents," \
	" net_cents = s.net_cents, cash_collected_cents = s.cash_collected_cents," \
	" card_gross_cents = s.card_gross_cents," \
	" commission_cash_cents = s.commission_cash_cents," \
	" commission_card_cents = s.commission_card_cents," \
	" cancellation_fees_cents = s.cancellation_fees_cents," \
	" bonuses_cents = s.bonuses_cents, tips_cents = s.tips_cents," \
	" rides_done = s.rides_done::int, rides_cancelled = s.rides_cancelled::int," \
	" currency = coalesce(s.currency, 'EUR')"

#define EARN_STORED \
	"(t.platform, t.driver_id, t.driver_ref, t.driver_name, t.period," \
	" t.period_start, t.period_end, t.gross_cents, t.net_cents," \
	" t.cash_collected_cents, t.card_gross_cents, t.commission_cash_cents," \
	" t.commission_card_cents, t.cancellation_fees_cents, t.bonuses_cents," \
	" t.tips_cents, t.rides_done, t.rides_cancelled, t.currency)"

#define EARN_FILE \
	"($1::text::trip_platform, coalesce(d.driver_id, t.driver_id)," \
	" s.driver_ref, s.driver_name, s.period::earnings_period," \
	" s.period_start, s.period_end, s.gross_cents, s.net_cents," \
	" s.cash_collected_cents, s.card_gross_cents, s.commission_cash_cents," \
	" s.commission_card_cents, s.cancellation_fees_cents, s.bonuses_cents," \
	" s.tips_cents, s.rides_done::int, s.rides_cancelled::int," \
	" coalesce(s.currency, 'EUR')::char(3))"

static const char earnings_insert_sql[] =
	"INSERT INTO earnings (tenant_id, platform, source, source_key,"
	" source_id, run_id, driver_id, driver_ref, driver_name, period,"
	" period_start, period_end, gross_cents, net_cents, cash_collected_cents,"
	" card_gross_cents, commission_cash_cents, commission_card_cents,"
	" cancellation_fees_cents, bonuses_cents, tips_cents, rides_done,"
	" rides_cancelled, currency)"
	" SELECT app_tenant(), $1::text::trip_platform, $2, s.source_key,"
	" $3::uuid, $4::uuid, d.driver_id, s.driver_ref, s.driver_name,"
	" s.period::earnings_period, s.period_start, s.period_end,"
	" s.gross_cents, s.net_cents, s.cash_collected_cents,"
	" s.card_gross_cents, s.commission_cash_cents, s.commission_card_cents,"
	" s.cancellation_fees_cents, s.bonuses_cents, s.tips_cents,"
	" s.rides_done::int, s.rides_cancelled::int, coalesce(s.currency, 'EUR')"
	" FROM sync_stage s LEFT JOIN sync_stage_drivers d"
	" ON d.driver_ref = s.driver_ref"
	" WHERE NOT EXISTS (SELECT 1 FROM earnings t WHERE t.tenant_id ="
	" app_tenant() AND t.source = $2 AND t.source_key = s.source_key)";

/* What a table's merge needs written in SQL. */
struct merge_sql {
	const char	*stored;	/* its columns as stored, alias t */
	const char	*file;		/* the same from the file, s and d */
	const char	*set;		/* assignments from the file row s */
	const char	*insert;	/* INSERT … SELECT of the new rows */
};

static const struct merge_sql trips_merge = {
	TRIP_STORED, TRIP_FILE, TRIP_SET, trips_insert_sql };
static const struct merge_sql earnings_merge = {
	EARN_STORED, EARN_FILE, EARN_SET, earnings_insert_sql };

/* "<before>col<middle>col" for each money column. */
static void
money_pairs(buf *b, const struct canon_table_def *t, const char *before,
    const char *middle)
{
	size_t	i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].kind == CK_MONEY)
			buf_printf(b, "%s%s%s%s", before, t->columns[i].name,
			    middle, t->columns[i].name);
}

/* The update of the stored rows that differ, and the sums of the rows
 * that do not: one read of the table for both. */
static void
update_sql(buf *b, const struct canon_table_def *t, const struct merge_sql *m)
{
	/* m stays narrow (a re-import holds every row of the file in it):
	 * the file's values are read again only for the rows that differ. */
	buf_printf(b, "WITH m AS MATERIALIZED (SELECT t.ctid AS row_id, s.line,"
	    " %s IS DISTINCT FROM %s AS differs", m->stored, m->file);
	money_pairs(b, t, ", t.", " AS stored_");
	buf_printf(b, " FROM sync_stage s JOIN %s t ON t.tenant_id ="
	    " app_tenant() AND t.source = $2 AND t.source_key = s.source_key"
	    " LEFT JOIN sync_stage_drivers d ON d.driver_ref = s.driver_ref),"
	    " up AS (UPDATE %s t SET platform = $1::text::trip_platform,"
	    " source_id = $3::uuid, run_id = $4::uuid, driver_id ="
	    " coalesce(d.driver_id, t.driver_id), %s, updated_at = now()"
	    " FROM m JOIN sync_stage s ON s.line = m.line LEFT JOIN"
	    " sync_stage_drivers d ON d.driver_ref = s.driver_ref"
	    " WHERE t.ctid = m.row_id AND m.differs RETURNING 1 AS one",
	    t->name, t->name, m->set);
	money_list(b, t, ", t.", "");
	buf_puts(b, ") SELECT * FROM (SELECT count(*) FILTER (WHERE differs),"
	    " count(*) FILTER (WHERE NOT differs)");
	money_list(b, t, ", coalesce(sum(stored_", ") FILTER (WHERE NOT"
	    " differs), 0)");
	buf_puts(b, " FROM m) k, (SELECT count(*)");
	money_list(b, t, ", coalesce(sum(", "), 0)");
	buf_puts(b, " FROM up) u");
}

static void
insert_sql(buf *b, const struct canon_table_def *t, const struct merge_sql *m)
{
	buf_printf(b, "WITH ins AS (%s RETURNING 1 AS one", m->insert);
	money_list(b, t, ", ", "");
	buf_puts(b, ") SELECT count(*)");
	money_list(b, t, ", coalesce(sum(", "), 0)");
	buf_puts(b, " FROM ins");
}

static int
upsert(struct sync_load *l, const char *platform, const char *key_space,
    const char *source_id, const char *run_id, struct sync_counts *n,
    long long *rows, long long *stored, sync_wait_fn wait, void *ctx,
    struct db_error *err)
{
	const char		*v[4] = { platform, key_space, source_id, run_id };
	const struct merge_sql	*m = l->which == CANON_TRIPS ? &trips_merge :
				    &earnings_merge;
	long long		 differ;
	PGresult		*res;
	buf			 sql;
	int			 up;

	if (sync_load_match_drivers(l, platform, wait, ctx, err) == -1)
		return -1;
	buf_init(&sql);
	update_sql(&sql, l->table, m);
	if ((res = run_built(l, &sql, 4, v, wait, ctx, err)) == NULL)
		return -1;
	/* differ, unchanged, their sums; updated, its sums. */
	differ = atoll(db_value(res, 0, 0));
	n->unchanged = atoll(db_value(res, 0, 1));
	up = add_sums(l->table, res, 2, stored);
	n->updated = atoll(db_value(res, 0, up));
	(void)add_sums(l->table, res, up + 1, stored);
	PQclear(res);
	if (n->updated != differ)
		return set_error(err, 409, "a stored row changed during the"
		    " import");
	buf_init(&sql);
	insert_sql(&sql, l->table, m);
	if ((res = run_built(l, &sql, 4, v, wait, ctx, err)) == NULL)
		return -1;
	n->inserted = atoll(db_value(res, 0, 0));
	(void)add_sums(l->table, res, 1, stored);
	PQclear(res);
	*rows = n->inserted + n->updated + n->unchanged;
	return 0;
}

int
sync_load_merge(struct sync_load *l, const char *platform,
    const char *key_space, const char *source_id, const char *run_id,
    const char *key_header, long long keep_rejects, struct sync_counts *n,
    json_t **file_totals, json_t **loaded_totals, sync_wait_fn wait,
    void *ctx, struct db_error *err)
{
	long long	 dup[CANON_MAX_COLUMNS] = { 0 };
	long long	 stored[CANON_MAX_COLUMNS] = { 0 };
	long long	 file[CANON_MAX_COLUMNS];
	long long	 rows;
	size_t		 i;

	memset(n, 0, sizeof(*n));
	*file_totals = *loaded_totals = NULL;
	/* The merge groups and hashes the whole file: with the default 4 MB
	 * a million rows went to disk in batches. */
	if (command(l->db, "SET LOCAL work_mem = '" MERGE_WORK_MEM "'",
	    err) == -1 ||
	    duplicates(l, run_id, key_header, keep_rejects, n, dup, wait, ctx,
	    err) == -1 ||
	    upsert(l, platform, key_space, source_id, run_id, n, &rows, stored,
	    wait, ctx, err) == -1)
		return -1;
	n->accepted = l->records - n->duplicates;
	/* The file's money is what it brought of the rows kept: the
	 * duplicates' amounts are rejected with them. */
	for (i = 0; i < CANON_MAX_COLUMNS; i++)
		file[i] = l->sums[i] - dup[i];
	*file_totals = totals_json(l->table, n->accepted, file);
	*loaded_totals = totals_json(l->table, rows, stored);
	return 0;
}
