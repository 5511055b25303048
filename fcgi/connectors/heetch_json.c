/* Heetch's earnings answer into earnings rows (heetch_json.h).  Shared
 * by the file type (heetch_csv.c, an answer saved as a file) and the
 * portal's session (heetch_portal.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heetch_json.h"

/* Keys of "earnings" and the column each fills. */
static const struct {
	const char	*key;
	int		 column;
} json_money[] = {
	{ "gross_earnings", EARN_GROSS },
	{ "net_earnings", EARN_NET },
	{ "cash_collected", EARN_CASH },
	{ "card_gross_earnings", EARN_CARD_GROSS },
	{ "cash_commission_fees", EARN_COMMISSION_CASH },
	{ "card_commission_fees", EARN_COMMISSION_CARD },
	{ "cancellation_fees", EARN_CANCELLATION },
	{ "cancellation_fee_adjustments", HEETCH_CANCEL_ADJUST },
	{ "bonuses", EARN_BONUSES },
};

const char *
heetch_earnings_finish(struct canon_record *r, int *column)
{
	const char	*why;

	connector_join_name(r, EARN_DRIVER_NAME, HEETCH_SURNAME);
	if (!r->set[EARN_DRIVER_EMAIL]) {
		*column = EARN_DRIVER_EMAIL;
		return "L'e-mail du chauffeur manque : Heetch n'a pas d'autre "
		    "identifiant.";
	}
	canon_set_text(r, EARN_DRIVER_REF, r->text[EARN_DRIVER_EMAIL]);
	if ((why = connector_earnings_period(r, column)) != NULL)
		return why;
	if (r->set[HEETCH_CANCEL_ADJUST])
		canon_set_num(r, EARN_CANCELLATION, (r->set[EARN_CANCELLATION] ?
		    r->num[EARN_CANCELLATION] : 0) + r->num[HEETCH_CANCEL_ADJUST]);
	return connector_earnings_key(r, EARN_DRIVER_EMAIL, column);
}

/* Money of a JSON value (a number of euros, or text) into cents.  A real
 * is written back with six decimals and read as text, so that 0.285 is
 * rounded as the decimal it stands for (half away from zero, like
 * canon_parse_money), not as the binary fraction just below it. */
static const char *
json_cents(json_t *v, long long *cents)
{
	char	buf[64];

	if (json_is_integer(v)) {
		if (llabs((long long)json_integer_value(v)) > 10000000000000LL)
			return "Montant trop grand.";
		*cents = (long long)json_integer_value(v) * 100;
		return NULL;
	}
	if (json_is_real(v)) {
		if (!isfinite(json_real_value(v)) ||
		    fabs(json_real_value(v)) > 1e13)
			return "Montant trop grand.";
		snprintf(buf, sizeof(buf), "%.6f", json_real_value(v));
		return canon_parse_money(buf, '.', cents, NULL);
	}
	if (json_is_string(v))
		return canon_parse_money(json_string_value(v), '.', cents, NULL);
	return "Montant attendu.";
}

struct json_read {
	const struct connector_sink	*sink;
	struct connector_outcome	*out;
	struct canon_record		 rec;
	char				 start[16], end[16];
	const char			*currency;
	size_t				 rows;
	size_t				 rejected;
};

/* The period of the summary; -1 with the outcome set. */
static int
json_period(struct json_read *st, json_t *doc)
{
	json_t		*summary = json_object_get(doc, "summary"), *p;
	const char	*s, *e;

	if ((p = json_object_get(summary, "weekly")) == NULL)
		p = json_object_get(summary, "monthly");
	s = json_string_value(json_object_get(p, "start_date"));
	e = json_string_value(json_object_get(p, "end_date"));
	if (s == NULL || e == NULL ||
	    canon_parse_date(s, st->start, sizeof(st->start)) != NULL ||
	    canon_parse_date(e, st->end, sizeof(st->end)) != NULL) {
		connector_fail(st->out, CONN_CONFIG, 0, 0, "summary",
		    "Période absente ou illisible (summary.weekly.start_date "
		    "et end_date attendus).");
		return -1;
	}
	/* An end at midnight is exclusive: the period ended the day before. */
	if (strlen(e) >= 19 && strncmp(e + 11, "00:00:00", 8) == 0 &&
	    strcmp(st->end, st->start) > 0) {
		time_t	t = (time_t)connector_day_number(st->end) * 86400 - 86400;
		struct tm	tm;

		gmtime_r(&t, &tm);
		strftime(st->end, sizeof(st->end), "%Y-%m-%d", &tm);
	}
	return 0;
}

static int
json_reject(struct json_read *st, size_t line, const char *col,
    const char *value, const char *reason)
{
	st->rejected++;
	return st->sink != NULL ? st->sink->reject(st->sink->ctx, line, col,
	    value, reason) : 0;
}

static void
json_count(struct canon_record *r, int col, json_t *v)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		canon_set_num(r, col, (long long)json_integer_value(v));
}

static int
json_driver(struct json_read *st, size_t line, json_t *d)
{
	struct canon_record	*r = &st->rec;
	json_t			*e = json_object_get(d, "earnings");
	const char		*msg, *email, *s;
	long long		 v;
	size_t			 i;
	int			 col = -1;

	canon_record_clear(r);
	r->line = line;
	if (!json_is_object(d))
		return json_reject(st, line, "drivers", "", "Chauffeur "
		    "attendu (un objet).");
	email = json_string_value(json_object_get(d, "email"));
	if (email != NULL && *email != '\0' && (msg = canon_parse_into(r,
	    EARN_DRIVER_EMAIL, CK_EMAIL, email, '.', NULL)) != NULL)
		return json_reject(st, line, "email", email, msg);
	if ((s = json_string_value(json_object_get(d, "first_name"))) != NULL)
		canon_set_text(r, EARN_DRIVER_NAME, s);
	if ((s = json_string_value(json_object_get(d, "last_name"))) != NULL)
		canon_set_text(r, HEETCH_SURNAME, s);
	canon_set_text(r, EARN_PERIOD_START, st->start);
	canon_set_text(r, EARN_PERIOD_END, st->end);
	for (i = 0; i < sizeof(json_money) / sizeof(json_money[0]); i++) {
		json_t	*val = json_object_get(e, json_money[i].key);

		if (val == NULL || json_is_null(val))
			continue;
		if ((msg = json_cents(val, &v)) != NULL)
			return json_reject(st, line, json_money[i].key, "", msg);
		canon_set_num(r, json_money[i].column, v);
	}
	json_count(r, EARN_RIDES_DONE, json_object_get(e, "terminated_rides"));
	json_count(r, EARN_RIDES_CANCELLED,
	    json_object_get(e, "cancelled_rides"));
	if ((msg = heetch_earnings_finish(r, &col)) != NULL)
		return json_reject(st, line, canon_table(CANON_EARNINGS)->
		    columns[col].name, "", msg);
	canon_set_text(r, EARN_CURRENCY, st->currency);
	st->rows++;
	return st->sink != NULL ? st->sink->record(st->sink->ctx, r) : 0;
}

void
heetch_earnings_read(json_t *doc, const json_t *config,
    const struct connector_sink *sink, struct connector_outcome *out,
    char period_start[11], size_t *rows)
{
	struct json_read	*st;
	json_t			*drivers, *d;
	const char		*cur;
	size_t			 i;

	if (rows != NULL)
		*rows = 0;
	if (period_start != NULL)
		period_start[0] = '\0';
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	st->sink = sink;
	st->out = out;
	cur = json_string_value(json_object_get(doc, "currency"));
	st->currency = cur != NULL && strlen(cur) == 3 ? cur :
	    connector_currency(config);
	drivers = json_object_get(doc, "drivers");
	if (!json_is_object(doc))
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Objet JSON attendu "
		    ": ce n'est pas une réponse des revenus Heetch.");
	else if (json_period(st, doc) == 0 && !json_is_array(drivers))
		connector_fail(out, CONN_CONFIG, 0, 0, "drivers", "La liste "
		    "« drivers » manque : ce n'est pas une réponse des revenus "
		    "Heetch.");
	if (out->result == CONN_OK && period_start != NULL)
		snprintf(period_start, 11, "%.10s", st->start);
	json_array_foreach(drivers, i, d)
		if (out->result == CONN_OK && json_driver(st, i + 1, d) != 0)
			out->result = CONN_STOPPED;
	if (rows != NULL)
		*rows = st->rows;
	free(st);
}

void
heetch_earnings_parse(const char *buf, size_t len, const json_t *config,
    const struct connector_sink *sink, struct connector_outcome *out,
    char period_start[11], size_t *rows)
{
	json_error_t	 jerr;
	json_t		*doc;
	char		 msg[256];

	if (rows != NULL)
		*rows = 0;
	if (len > HEETCH_JSON_MAX) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Réponse des "
		    "revenus Heetch trop volumineuse (32 Mo au plus).");
		return;
	}
	if ((doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		snprintf(msg, sizeof(msg), "Réponse JSON illisible : %s.",
		    jerr.text);
		connector_fail(out, CONN_CONFIG, (size_t)jerr.line,
		    (size_t)jerr.column, NULL, msg);
		return;
	}
	heetch_earnings_read(doc, config, sink, out, period_start, rows);
	json_decref(doc);
}
