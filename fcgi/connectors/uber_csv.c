/* Uber: the payments export of the fleet portal (fleethub.uber.com),
 * one row per transaction, into trips.
 *
 * Its header is a flattened tree ("Paid to you : Your earnings : Fare")
 * whose separators vary within one row (" : " and ":"): headers are
 * compared normalised (colmap.c).  The trap: "Paid to you" is the bank
 * settlement, negative on cash-heavy days; what the driver earned is
 * "Paid to you : Your earnings".  Settlement goes to payout_cents, never
 * to net earnings.  The export is localized: French headers are accepted
 * beside English ones. */
#include <string.h>

#include "connector.h"

#define SURNAME		CANON_SCRATCH0
#define TOLL_ADJUST	CANON_SCRATCH1

#define NAMES(...)	(const char *const[]){ __VA_ARGS__, NULL }

static const struct colmap_entry entries[] = {
	{ TRIP_SOURCE_KEY, -1, NAMES("transaction uuid", "uuid de la transaction",
	    "uuid de transaction", "id de transaction", "transaction id") },
	{ TRIP_DRIVER_REF, -1, NAMES("driver uuid", "uuid du chauffeur",
	    "uuid du conducteur", "uuid chauffeur") },
	{ TRIP_DRIVER_NAME, -1, NAMES("driver first name", "prenom du chauffeur",
	    "prenom du conducteur", "first name", "prenom") },
	{ SURNAME, CK_TEXT, NAMES("driver surname", "driver last name",
	    "nom du chauffeur", "nom de famille du chauffeur",
	    "nom du conducteur", "surname", "last name", "nom") },
	{ TRIP_TRIP_REF, -1, NAMES("trip uuid", "uuid de la course",
	    "uuid du trajet", "uuid course") },
	{ TRIP_PLATFORM_STATUS, -1, NAMES("description") },
	{ TRIP_STARTED_AT, -1, NAMES("date/time", "date time", "date",
	    "processed at", "vs reporting", "date et heure", "date/heure",
	    "trip date", "date de la course", "traite le") },
	{ TRIP_VEHICLE_PLATE, -1, NAMES("license plate", "vehicle plate",
	    "plaque d'immatriculation", "immatriculation") },
	{ TRIP_PAYOUT, -1, NAMES("paid to you", "paye a vous", "verse a vous",
	    "vous avez recu") },
	{ TRIP_NET_EARNINGS, -1, NAMES("paid to you:your earnings",
	    "paye a vous:vos revenus", "verse a vous:vos revenus",
	    "vous avez recu:vos revenus") },
	{ TRIP_GROSS_FARE, -1, NAMES("paid to you:your earnings:fare",
	    "paid to you:your earnings:fare:fare", "paye a vous:vos revenus:prix",
	    "paye a vous:vos revenus:tarif", "verse a vous:vos revenus:prix",
	    "verse a vous:vos revenus:tarif") },
	{ TRIP_TIPS, -1, NAMES("paid to you:your earnings:tip",
	    "paye a vous:vos revenus:pourboire",
	    "verse a vous:vos revenus:pourboire") },
	{ TRIP_COMMISSION, -1, NAMES("paid to you:your earnings:service fee",
	    "paye a vous:vos revenus:frais de service",
	    "verse a vous:vos revenus:frais de service") },
	{ TRIP_CASH_COLLECTED, -1, NAMES(
	    "paid to you:trip balance:payouts:cash collected",
	    "paye a vous:solde du trajet:paiements:especes encaissees",
	    "paye a vous:solde de la course:versements:especes encaissees",
	    "verse a vous:solde du trajet:paiements:especes encaissees") },
	{ TRIP_TOLLS, -1, NAMES("paid to you:trip balance:refunds:toll",
	    "paye a vous:solde du trajet:remboursements:peage",
	    "verse a vous:solde du trajet:remboursements:peage") },
	{ TOLL_ADJUST, CK_MONEY, NAMES(
	    "paid to you:trip balance:expenses:toll adjustment",
	    "paye a vous:solde du trajet:depenses:ajustement de peage",
	    "verse a vous:solde du trajet:depenses:ajustement de peage") },
	{ TRIP_CURRENCY, -1, NAMES("currency", "devise", "currency code") },
};

static const int required[] = { TRIP_SOURCE_KEY, TRIP_NET_EARNINGS, -1 };

static const char *
finish(struct canon_record *r, const json_t *config, int *column)
{
	(void)config;
	(void)column;
	connector_join_name(r, TRIP_DRIVER_NAME, SURNAME);
	connector_default_ref(r, TRIP_DRIVER_REF, TRIP_DRIVER_EMAIL,
	    TRIP_DRIVER_PHONE, TRIP_DRIVER_NAME);
	canon_set_text(r, TRIP_STATUS, r->set[TRIP_PLATFORM_STATUS] ?
	    connector_trip_status(r->text[TRIP_PLATFORM_STATUS]) : "autre");
	/* Uber writes what leaves the driver's balance as negatives: the
	 * service fee and the cash the driver already holds.  Ours are
	 * amounts, positive. */
	if (r->set[TRIP_COMMISSION])
		r->num[TRIP_COMMISSION] = connector_abs(r->num[TRIP_COMMISSION]);
	if (r->set[TRIP_CASH_COLLECTED])
		r->num[TRIP_CASH_COLLECTED] =
		    connector_abs(r->num[TRIP_CASH_COLLECTED]);
	if (r->set[TOLL_ADJUST])
		canon_set_num(r, TRIP_TOLLS, (r->set[TRIP_TOLLS] ?
		    r->num[TRIP_TOLLS] : 0) + r->num[TOLL_ADJUST]);
	if (strcmp(r->text[TRIP_STATUS], "terminee") == 0)
		canon_set_text(r, TRIP_PAYMENT_METHOD,
		    r->set[TRIP_CASH_COLLECTED] && r->num[TRIP_CASH_COLLECTED] ?
		    "especes" : "carte");
	return NULL;
}

static const struct csv_profile profile = {
	entries, sizeof(entries) / sizeof(entries[0]), required,
	"un export des paiements Uber", finish,
};

static const struct connector_field fields[] = {
	CONNECTOR_CSV_FIELDS,
};

CONNECTOR_CSV_FUNCTIONS(profile, CANON_TRIPS)

const struct connector_type connector_uber_csv = {
	.name = "uber_csv",
	.label_key = "sources.types.uber_csv",
	.help_key = "sources.types.uber_csv_help",
	.platform = "uber",
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_TRIPS,
	.key_space = "uber_transaction",
	.check = check,
	.discover = discover,
	.read = read_file,
};
