/* Heetch: the earnings of every driver of the fleet for a week or a month,
 * as the fleet manager exports them from driver.heetch.com/earnings, into
 * earnings.  Heetch has no public API and no driver id: a row is keyed on
 * the driver's e-mail and the period.
 *
 * Two shapes are read: a CSV whose columns carry the names of the portal's
 * earnings (gross_earnings, net_earnings, cash_collected, …, start_date,
 * end_date) or their French labels; and the portal's own JSON answer
 * ({"currency", "summary": {"weekly": {start_date, end_date}}, "drivers":
 * [{email, first_name, last_name, earnings: {…}}]}) saved as a file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connector.h"

#define SURNAME		CANON_SCRATCH0
#define CANCEL_ADJUST	CANON_SCRATCH1
#define JSON_MAX	(32 * 1024 * 1024)

#define NAMES(...)	(const char *const[]){ __VA_ARGS__, NULL }

static const struct colmap_entry entries[] = {
	{ EARN_DRIVER_EMAIL, -1, NAMES("email", "e-mail", "adresse e-mail",
	    "adresse email", "courriel") },
	{ EARN_DRIVER_NAME, -1, NAMES("first name", "prenom") },
	{ SURNAME, CK_TEXT, NAMES("last name", "nom", "nom de famille") },
	{ EARN_DRIVER_PHONE, -1, NAMES("phone number", "phone", "telephone") },
	{ EARN_PERIOD_START, -1, NAMES("start date", "debut de periode",
	    "date de debut", "debut", "period start", "semaine du") },
	{ EARN_PERIOD_END, -1, NAMES("end date", "fin de periode",
	    "date de fin", "fin", "period end") },
	{ EARN_GROSS, -1, NAMES("gross earnings", "revenus bruts", "gains bruts",
	    "chiffre d'affaires brut") },
	{ EARN_NET, -1, NAMES("net earnings", "revenus nets", "gains nets") },
	{ EARN_CASH, -1, NAMES("cash collected", "especes encaissees",
	    "especes collectees", "especes") },
	{ EARN_CARD_GROSS, -1, NAMES("card gross earnings",
	    "revenus bruts carte", "revenus bruts par carte", "gains bruts carte") },
	{ EARN_COMMISSION_CASH, -1, NAMES("cash commission fees",
	    "commissions especes", "commission especes") },
	{ EARN_COMMISSION_CARD, -1, NAMES("card commission fees",
	    "commissions carte", "commission carte") },
	{ EARN_CANCELLATION, -1, NAMES("cancellation fees", "frais d'annulation") },
	{ CANCEL_ADJUST, CK_MONEY, NAMES("cancellation fee adjustments",
	    "ajustements des frais d'annulation") },
	{ EARN_BONUSES, -1, NAMES("bonuses", "bonus", "primes") },
	{ EARN_RIDES_DONE, -1, NAMES("terminated rides", "courses terminees",
	    "courses effectuees") },
	{ EARN_RIDES_CANCELLED, -1, NAMES("cancelled rides", "courses annulees") },
	{ EARN_CURRENCY, -1, NAMES("currency", "devise") },
};

static const int required[] = { EARN_DRIVER_EMAIL, EARN_PERIOD_START,
	EARN_PERIOD_END, -1 };

static const char *
finish(struct canon_record *r, const json_t *config, int *column)
{
	const char	*why;

	(void)config;
	connector_join_name(r, EARN_DRIVER_NAME, SURNAME);
	if (r->set[EARN_DRIVER_EMAIL])
		canon_set_text(r, EARN_DRIVER_REF, r->text[EARN_DRIVER_EMAIL]);
	if (!r->set[EARN_DRIVER_EMAIL]) {
		*column = EARN_DRIVER_EMAIL;
		return "L'e-mail du chauffeur manque : Heetch n'a pas d'autre "
		    "identifiant.";
	}
	if ((why = connector_earnings_period(r, column)) != NULL)
		return why;
	if (r->set[CANCEL_ADJUST])
		canon_set_num(r, EARN_CANCELLATION, (r->set[EARN_CANCELLATION] ?
		    r->num[EARN_CANCELLATION] : 0) + r->num[CANCEL_ADJUST]);
	return connector_earnings_key(r, EARN_DRIVER_EMAIL, column);
}

static const struct csv_profile profile = {
	entries, sizeof(entries) / sizeof(entries[0]), required,
	"un export des revenus Heetch", finish,
};

/* ---- the JSON shape ----------------------------------------------------- */

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
	{ "cancellation_fee_adjustments", CANCEL_ADJUST },
	{ "bonuses", EARN_BONUSES },
};

static int
starts_json(int fd)
{
	char	c[64];
	ssize_t	n, i;

	if (lseek(fd, 0, SEEK_SET) == -1 || (n = read(fd, c, sizeof(c))) <= 0)
		return 0;
	i = n >= 3 && memcmp(c, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n && strchr(" \t\r\n", c[i]) != NULL)
		i++;
	return i < n && c[i] == '{';
}

/* Money of a JSON value (number of euros, or text) into cents. */
static const char *
json_cents(json_t *v, long long *cents)
{
	if (json_is_integer(v)) {
		*cents = (long long)json_integer_value(v) * 100;
		return NULL;
	}
	if (json_is_real(v)) {
		if (fabs(json_real_value(v)) > 1e13)
			return "Montant trop grand.";
		*cents = llround(json_real_value(v) * 100.0);
		return NULL;
	}
	if (json_is_string(v))
		return canon_parse_money(json_string_value(v), '.', cents, NULL);
	return "Montant attendu.";
}

struct json_read {
	const json_t			*config;
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

static int
json_driver(struct json_read *st, size_t line, json_t *d)
{
	struct canon_record	*r = &st->rec;
	json_t			*e = json_object_get(d, "earnings");
	const char		*msg, *email;
	long long		 v;
	size_t			 i;
	int			 col = -1;

	canon_record_clear(r);
	r->line = line;
	email = json_string_value(json_object_get(d, "email"));
	if (email != NULL && *email != '\0' && (msg = canon_parse_into(r,
	    EARN_DRIVER_EMAIL, CK_EMAIL, email, '.', NULL)) != NULL)
		return json_reject(st, line, "email", email, msg);
	if (json_string_value(json_object_get(d, "first_name")))
		canon_set_text(r, EARN_DRIVER_NAME,
		    json_string_value(json_object_get(d, "first_name")));
	if (json_string_value(json_object_get(d, "last_name")))
		canon_set_text(r, SURNAME,
		    json_string_value(json_object_get(d, "last_name")));
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
	if (json_is_integer(json_object_get(e, "terminated_rides")))
		canon_set_num(r, EARN_RIDES_DONE, (long long)json_integer_value(
		    json_object_get(e, "terminated_rides")));
	if (json_is_integer(json_object_get(e, "cancelled_rides")))
		canon_set_num(r, EARN_RIDES_CANCELLED, (long long)
		    json_integer_value(json_object_get(e, "cancelled_rides")));
	if ((msg = finish(r, st->config, &col)) != NULL)
		return json_reject(st, line, canon_table(CANON_EARNINGS)->
		    columns[col].name, "", msg);
	canon_set_text(r, EARN_CURRENCY, st->currency);
	st->rows++;
	return st->sink != NULL ? st->sink->record(st->sink->ctx, r) : 0;
}

static void
read_json(const json_t *config, const struct connector_input *in,
    const struct connector_sink *sink, struct connector_outcome *out)
{
	struct json_read	*st;
	json_error_t		 jerr;
	json_t			*doc, *drivers, *d;
	const char		*cur;
	size_t			 i;
	char			 msg[256];

	if (lseek(in->fd, 0, SEEK_END) > JSON_MAX) {
		connector_fail(out, CONN_CONFIG, 0, 0, NULL, "Fichier JSON trop "
		    "volumineux pour un export de revenus (32 Mo au plus).");
		return;
	}
	if (lseek(in->fd, 0, SEEK_SET) == -1 ||
	    (doc = json_loadfd(in->fd, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		snprintf(msg, sizeof(msg), "Fichier JSON illisible : %s.",
		    jerr.text);
		connector_fail(out, CONN_CONFIG, (size_t)jerr.line,
		    (size_t)jerr.column, NULL, msg);
		return;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		json_decref(doc);
		connector_fail(out, CONN_TRANSIENT, 0, 0, NULL,
		    "Mémoire insuffisante.");
		return;
	}
	st->config = config;
	st->sink = sink;
	st->out = out;
	cur = json_string_value(json_object_get(doc, "currency"));
	st->currency = cur != NULL && strlen(cur) == 3 ? cur :
	    connector_currency(config);
	json_object_set_new(out->dialect, "encoding", json_string("JSON"));
	drivers = json_object_get(doc, "drivers");
	if (json_period(st, doc) == 0 && !json_is_array(drivers))
		connector_fail(out, CONN_CONFIG, 0, 0, "drivers", "La liste "
		    "« drivers » manque : ce n'est pas une réponse des revenus "
		    "Heetch.");
	json_array_foreach(drivers, i, d)
		if (out->result == CONN_OK && json_driver(st, i + 1, d) != 0)
			out->result = CONN_STOPPED;
	if (out->result == CONN_OK && st->rows == 0 && st->rejected == 0)
		connector_fail(out, CONN_CONFIG, 0, 0, NULL,
		    "Aucun chauffeur dans ce fichier.");
	if (sink != NULL && sink->progress != NULL && out->result == CONN_OK)
		(void)sink->progress(sink->ctx, (size_t)lseek(in->fd, 0,
		    SEEK_END));
	free(st);
	json_decref(doc);
}

/* ---- the type ------------------------------------------------------------ */

static const struct connector_field fields[] = {
	CONNECTOR_CSV_FIELDS,
};

static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	if (in != NULL && in->fd >= 0 && starts_json(in->fd)) {
		read_json(config, in, NULL, out);
		if (out->result == CONN_OK)
			snprintf(out->message, sizeof(out->message), "Fichier "
			    "reconnu comme une réponse JSON des revenus Heetch.");
		return;
	}
	connector_csv_check(&profile, CANON_EARNINGS, config, in, out);
}

static json_t *
discover(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	return connector_csv_discover(&profile, config, in, out);
}

static void
read_file(const json_t *config, const struct connector_input *in,
    const struct connector_sink *sink, struct connector_outcome *out)
{
	if (starts_json(in->fd)) {
		read_json(config, in, sink, out);
		return;
	}
	connector_csv_read(&profile, CANON_EARNINGS, config, in, sink, out);
}

const struct connector_type connector_heetch_csv = {
	.name = "heetch_csv",
	.label_key = "sources.types.heetch_csv",
	.help_key = "sources.types.heetch_csv_help",
	.platform = "heetch",
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_EARNINGS,
	.key_space = "heetch_driver_period",
	.check = check,
	.discover = discover,
	.read = read_file,
};
