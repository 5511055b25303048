/* Bolt: the orders export of the Fleet Owner Portal (orderHistory CSV),
 * one row per order with its price breakdown, into trips.  (The weekly
 * earnings export is bolt_csv.c.)
 *
 * Columns carry the names of the Fleet Integration API's FleetOrder
 * (order_reference, driver_uuid, payment_method, order_price's ride_price,
 * booking_fee, toll_fee, tip, commission, net_earnings…) or their English
 * and French labels.  order_reference is the key.  When the payment
 * method is cash the driver already holds the fare: that is the cash
 * collected.  ride_distance is in metres (one implementer says so); a
 * "Distance (km)" column is read as kilometres. */
#include <string.h>

#include "connector.h"

#define CREATED_AT	CANON_SCRATCH0
#define CANCEL_FEE	TRIP_CANCELLATION_FEE

#define NAMES(...)	(const char *const[]){ __VA_ARGS__, NULL }

static const struct colmap_entry entries[] = {
	{ TRIP_SOURCE_KEY, -1, NAMES("order reference", "reference de la commande",
	    "reference de commande", "reference de la course", "reference",
	    "order id") },
	{ TRIP_DRIVER_REF, -1, NAMES("driver uuid", "uuid du chauffeur",
	    "identifiant du chauffeur", "driver id") },
	{ TRIP_DRIVER_NAME, -1, NAMES("driver name", "driver", "nom du chauffeur",
	    "chauffeur") },
	{ TRIP_DRIVER_PHONE, -1, NAMES("driver phone", "driver's phone",
	    "telephone du chauffeur", "telephone") },
	{ TRIP_DRIVER_EMAIL, -1, NAMES("driver email", "email", "e-mail",
	    "e-mail du chauffeur") },
	{ TRIP_PAYMENT_METHOD, -1, NAMES("payment method", "moyen de paiement",
	    "mode de paiement") },
	{ TRIP_PLATFORM_STATUS, -1, NAMES("order status", "statut de la commande",
	    "statut de la course", "statut") },
	{ TRIP_VEHICLE_PLATE, -1, NAMES("vehicle license plate",
	    "plaque d'immatriculation", "immatriculation",
	    "immatriculation du vehicule") },
	{ TRIP_STARTED_AT, -1, NAMES("order pickup timestamp",
	    "heure de prise en charge", "prise en charge", "pickup time") },
	{ CREATED_AT, CK_TIME, NAMES("order created timestamp",
	    "date de la commande", "date de creation", "date", "created") },
	{ TRIP_ENDED_AT, -1, NAMES("order finished timestamp",
	    "order drop off timestamp", "heure de fin", "heure de depose",
	    "fin de la course") },
	{ TRIP_DISTANCE_M, CK_INT, NAMES("ride distance", "distance (m)") },
	{ TRIP_DISTANCE_M, CK_DISTANCE, NAMES("distance (km)", "distance") },
	{ TRIP_GROSS_FARE, -1, NAMES("ride price", "prix de la course", "prix",
	    "montant de la course") },
	{ TRIP_BOOKING_FEE, -1, NAMES("booking fee", "frais de reservation") },
	{ TRIP_TOLLS, -1, NAMES("toll fee", "frais de peage", "peage") },
	{ TRIP_TIPS, -1, NAMES("tip", "pourboire", "pourboires") },
	{ TRIP_COMMISSION, -1, NAMES("commission", "frais bolt") },
	{ TRIP_NET_EARNINGS, -1, NAMES("net earnings", "gains nets",
	    "revenus nets") },
	{ TRIP_CASH_COLLECTED, -1, NAMES("cash collected", "especes encaissees") },
	{ CANCEL_FEE, CK_MONEY, NAMES("cancellation fee", "frais d'annulation") },
	{ TRIP_CASH_DISCOUNT, CK_MONEY, NAMES("cash discount",
	    "remise en especes") },
	{ TRIP_IN_APP_DISCOUNT, CK_MONEY, NAMES("in app discount",
	    "in-app discount", "remise dans l'application") },
	{ TRIP_CURRENCY, -1, NAMES("currency", "devise") },
};

static const int required[] = { TRIP_SOURCE_KEY, -1 };

static const char *
finish(struct canon_record *r, const json_t *config, int *column)
{
	(void)config;
	(void)column;
	connector_default_ref(r, TRIP_DRIVER_REF, TRIP_DRIVER_EMAIL,
	    TRIP_DRIVER_PHONE, TRIP_DRIVER_NAME);
	canon_set_text(r, TRIP_STATUS, r->set[TRIP_PLATFORM_STATUS] ?
	    connector_trip_status(r->text[TRIP_PLATFORM_STATUS]) : "autre");
	if (r->set[TRIP_PAYMENT_METHOD])
		canon_set_text(r, TRIP_PAYMENT_METHOD,
		    connector_payment_method(r->text[TRIP_PAYMENT_METHOD]));
	if (!r->set[TRIP_STARTED_AT] && r->set[CREATED_AT])
		canon_set_text(r, TRIP_STARTED_AT, r->text[CREATED_AT]);
	/* A cancelled order earns its cancellation fee, not a fare. */
	if (!r->set[TRIP_GROSS_FARE] && r->set[CANCEL_FEE])
		canon_set_num(r, TRIP_GROSS_FARE, r->num[CANCEL_FEE]);
	if (r->set[TRIP_COMMISSION])
		r->num[TRIP_COMMISSION] = connector_abs(r->num[TRIP_COMMISSION]);
	if (!r->set[TRIP_CASH_COLLECTED] && r->set[TRIP_PAYMENT_METHOD] &&
	    strcmp(r->text[TRIP_PAYMENT_METHOD], "especes") == 0 &&
	    r->set[TRIP_GROSS_FARE])
		canon_set_num(r, TRIP_CASH_COLLECTED, r->num[TRIP_GROSS_FARE]);
	return NULL;
}

static const struct csv_profile profile = {
	entries, sizeof(entries) / sizeof(entries[0]), required,
	"un export des courses Bolt", finish,
};

static const struct connector_field fields[] = {
	CONNECTOR_CSV_FIELDS,
};

CONNECTOR_CSV_FUNCTIONS(profile, CANON_TRIPS)

const struct connector_type connector_bolt_orders_csv = {
	.name = "bolt_orders_csv",
	.label_key = "sources.types.bolt_orders_csv",
	.help_key = "sources.types.bolt_orders_csv_help",
	.platform = "bolt",
	.file_based = 1,
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.table = CANON_TRIPS,
	.key_space = "bolt_order",
	.check = check,
	.discover = discover,
	.read = read_file,
};
