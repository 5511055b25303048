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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "heetch_json.h"

#define SURNAME		HEETCH_SURNAME
#define CANCEL_ADJUST	HEETCH_CANCEL_ADJUST

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
	(void)config;
	return heetch_earnings_finish(r, column);
}

static const struct csv_profile profile = {
	entries, sizeof(entries) / sizeof(entries[0]), required,
	"un export des revenus Heetch", finish,
};

/* ---- the JSON shape ----------------------------------------------------- */

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

static void
read_json(const json_t *config, const struct connector_input *in,
    const struct connector_sink *sink, struct connector_outcome *out)
{
	json_error_t	 jerr;
	json_t		*doc;
	size_t		 rows;
	char		 msg[256];

	if (lseek(in->fd, 0, SEEK_END) > HEETCH_JSON_MAX) {
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
	json_object_set_new(out->dialect, "encoding", json_string("JSON"));
	heetch_earnings_read(doc, config, sink, out, NULL, &rows);
	/* A saved answer without a single driver is not an export. */
	if (out->result == CONN_OK && rows == 0 &&
	    json_array_size(json_object_get(doc, "drivers")) == 0)
		connector_fail(out, CONN_CONFIG, 0, 0, NULL,
		    "Aucun chauffeur dans ce fichier.");
	if (sink != NULL && sink->progress != NULL && out->result == CONN_OK)
		(void)sink->progress(sink->ctx, (size_t)lseek(in->fd, 0,
		    SEEK_END));
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
