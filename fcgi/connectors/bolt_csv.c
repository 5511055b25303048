/* Bolt: the weekly earnings export of the Fleet Owner Portal, one row per
 * driver for the period the manager chose, into earnings.  (The orders
 * export, one row per order into trips, is bolt_orders_csv.c.)
 *
 * Money columns carry their currency after a bar ("Net earnings|€",
 * "Gains nets|€"), which the header's normalisation drops; the per-hour
 * columns ("…|€/h") and the projected payout are not earnings and are
 * left aside.  The file has no period column in the exports seen: the
 * period is then read from the file's name, as the portal or the manager
 * names it ("…2026-11-09_2026-11-15.csv", "…2026-W46.csv").  Bolt gives
 * one fee for all rides, taken from the in-app balance: it is stored as
 * the card commission. */
#include <string.h>

#include "connector.h"

#define GROSS_CASH	CANON_SCRATCH0

#define NAMES(...)	(const char *const[]){ __VA_ARGS__, NULL }

static const struct colmap_entry entries[] = {
	{ EARN_DRIVER_NAME, -1, NAMES("driver", "driver name", "chauffeur",
	    "nom du chauffeur") },
	{ EARN_DRIVER_PHONE, -1, NAMES("driver's phone", "phone",
	    "telephone du chauffeur", "telephone") },
	{ EARN_DRIVER_EMAIL, -1, NAMES("email", "e-mail", "driver email",
	    "e-mail du chauffeur") },
	{ EARN_DRIVER_REF, -1, NAMES("driver id", "driver uuid",
	    "identifiant du chauffeur", "uuid du chauffeur") },
	{ EARN_PERIOD_START, -1, NAMES("period start", "start date",
	    "debut de periode", "date de debut") },
	{ EARN_PERIOD_END, -1, NAMES("period end", "end date", "fin de periode",
	    "date de fin") },
	{ EARN_GROSS, -1, NAMES("gross earnings (total)", "gross earnings",
	    "gains bruts (total)", "gains bruts") },
	{ EARN_CARD_GROSS, -1, NAMES("gross earnings (app payment)",
	    "gross earnings (in-app)", "gross earnings (app)",
	    "gains bruts (paiements dans l'application)",
	    "gains bruts (paiements in-app)", "gains bruts (application)") },
	{ GROSS_CASH, CK_MONEY, NAMES("gross earnings (cash)",
	    "gains bruts (especes)") },
	{ EARN_CASH, -1, NAMES("collected cash", "cash collected",
	    "cash in hand", "especes encaissees", "especes collectees") },
	{ EARN_TIPS, -1, NAMES("rider tips", "tips", "pourboires des passagers",
	    "pourboires") },
	{ EARN_NET, -1, NAMES("net earnings", "gains nets", "revenus nets") },
	{ EARN_COMMISSION_CARD, -1, NAMES("bolt fee", "commission", "frais bolt",
	    "commission bolt") },
	{ EARN_BONUSES, -1, NAMES("campaign earnings", "campaigns", "bonus",
	    "bonuses", "gains de campagne", "primes") },
	{ EARN_CANCELLATION, -1, NAMES("cancellation fees", "cancellation fee",
	    "frais d'annulation") },
	{ EARN_RIDES_DONE, -1, NAMES("finished rides", "completed rides",
	    "rides", "courses terminees", "courses effectuees") },
	{ EARN_RIDES_CANCELLED, -1, NAMES("cancelled rides", "courses annulees") },
	{ EARN_CURRENCY, -1, NAMES("currency", "devise") },
};

static const int required[] = { EARN_DRIVER_NAME, EARN_NET, -1 };

/* The read passes the period of the file's name as these members of a
 * copy of the configuration. */
#define NAME_START	"_period_start"
#define NAME_END	"_period_end"

static const char *
period(struct canon_record *r, const json_t *config, int *column)
{
	const char	*start, *end;

	if (!r->set[EARN_PERIOD_START] && !r->set[EARN_PERIOD_END]) {
		start = json_string_value(json_object_get(config, NAME_START));
		end = json_string_value(json_object_get(config, NAME_END));
		if (start == NULL || end == NULL) {
			*column = EARN_DRIVER_NAME;
			return "La période n'apparaît ni dans le fichier ni dans "
			    "son nom : nommez le fichier avec ses dates (par "
			    "exemple bolt-2026-11-09_2026-11-15.csv).";
		}
		canon_set_text(r, EARN_PERIOD_START, start);
		canon_set_text(r, EARN_PERIOD_END, end);
	}
	return connector_earnings_period(r, column);
}

static const char *
finish(struct canon_record *r, const json_t *config, int *column)
{
	const char	*why;

	connector_default_ref(r, EARN_DRIVER_REF, EARN_DRIVER_EMAIL,
	    EARN_DRIVER_PHONE, EARN_DRIVER_NAME);
	if (!r->set[EARN_DRIVER_REF]) {
		*column = EARN_DRIVER_NAME;
		return "Le chauffeur n'est pas nommé.";
	}
	if ((why = period(r, config, column)) != NULL)
		return why;
	if (!r->set[EARN_CASH] && r->set[GROSS_CASH])
		canon_set_num(r, EARN_CASH, r->num[GROSS_CASH]);
	if (r->set[EARN_COMMISSION_CARD])
		r->num[EARN_COMMISSION_CARD] =
		    connector_abs(r->num[EARN_COMMISSION_CARD]);
	return connector_earnings_key(r, EARN_DRIVER_REF, column);
}

static const struct csv_profile profile = {
	entries, sizeof(entries) / sizeof(entries[0]), required,
	"un export des gains Bolt", finish,
};

static const struct connector_field fields[] = {
	CONNECTOR_CSV_FIELDS,
};

/* The configuration with the period the input's name gives, if any (a
 * new object). */
static json_t *
with_name_period(const json_t *config, const struct connector_input *in)
{
	json_t	*c = json_deep_copy(config);
	char	 start[11], end[11];

	if (c == NULL)
		c = json_object();
	if (in != NULL && connector_period_from_name(in->name, start, end) == 0) {
		json_object_set_new(c, NAME_START, json_string(start));
		json_object_set_new(c, NAME_END, json_string(end));
	}
	return c;
}

static void
check(const json_t *config, const struct connector_input *in,
    struct connector_outcome *out)
{
	json_t	*c = with_name_period(config, in);

	connector_csv_check(&profile, CANON_EARNINGS, c, in, out);
	json_decref(c);
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
	json_t	*c = with_name_period(config, in);

	connector_csv_read(&profile, CANON_EARNINGS, c, in, sink, out);
	json_decref(c);
}

const struct connector_type connector_bolt_csv = {
	.name = "bolt_csv",
	.label_key = "sources.types.bolt_csv",
	.help_key = "sources.types.bolt_csv_help",
	.platform = "bolt",
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_EARNINGS,
	.key_space = "bolt_earnings",
	.check = check,
	.discover = discover,
	.read = read_file,
};
