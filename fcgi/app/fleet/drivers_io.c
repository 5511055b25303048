#include "driver_rules.h"
#include "drivers.h"
#include "drivers_io.h"
#include "resource/table_io.h"
#include "worker.h"

#define COL(key, label, type)	{ { key, label, type, NULL }, key, NULL }
#define ENUM(key, label, group, values) \
	{ { key, label, EXPORT_LABEL, group }, key, values }

/* The export's columns; an import accepts these headers too (by key, by
 * the form's field name or by label in either language), so that an
 * exported file comes back in.  Money and the commission are written as
 * the form writes them ("150,00", "12,5"), in the form's fields. */
static const struct table_column columns[] = {
	COL("first_name", "drivers.first_name", EXPORT_TEXT),
	COL("last_name", "drivers.last_name", EXPORT_TEXT),
	COL("email", "drivers.email", EXPORT_TEXT),
	COL("phone", "drivers.phone", EXPORT_TEXT),
	COL("birth_date", "drivers.birth_date", EXPORT_DATE),
	COL("address", "drivers.address", EXPORT_TEXT),
	ENUM("status", "drivers.status_label", "drivers.status",
	    driver_statuses),
	COL("vtc_card_number", "drivers.vtc_card_number", EXPORT_TEXT),
	COL("vtc_card_expiry", "drivers.vtc_card_expiry", EXPORT_DATE),
	COL("licence_number", "drivers.licence_number", EXPORT_TEXT),
	COL("licence_expiry", "drivers.licence_expiry", EXPORT_DATE),
	COL("bolt_driver_uuid", "drivers.bolt_driver_uuid", EXPORT_TEXT),
	COL("uber_driver_uuid", "drivers.uber_driver_uuid", EXPORT_TEXT),
	COL("heetch_email", "drivers.heetch_email", EXPORT_TEXT),
	COL("iban", "drivers.iban", EXPORT_TEXT),
	COL("bic", "drivers.bic", EXPORT_TEXT),
	ENUM("collaboration", "drivers.collaboration_label",
	    "drivers.collaboration", driver_collaborations),
	{ { "weekly_rent_cents", "drivers.weekly_rent", EXPORT_MONEY, NULL },
	    "weekly_rent", NULL },
	/* Filled by the export from commission_rate_bp. */
	COL("commission_rate", "drivers.commission_rate", EXPORT_TEXT),
	COL("start_date", "drivers.start_date", EXPORT_DATE),
	COL("end_date", "drivers.end_date", EXPORT_DATE),
	COL("notes", "drivers.notes", EXPORT_TEXT),
	/* The vehicle is shown, not imported. */
	{ { "vehicle_plate", "drivers.vehicle", EXPORT_TEXT, NULL }, NULL,
	    NULL },
};

/* One statement per unique column: a column cannot be a parameter. */
#define TAKEN(column) { "drivers_import_" column "_taken", \
	"SELECT p.value FROM json_array_elements_text($1::json) p WHERE" \
	" EXISTS (SELECT 1 FROM drivers d WHERE d." column " = p.value)" }

static const struct db_stmt email_taken = TAKEN("email");
static const struct db_stmt phone_taken = TAKEN("phone");
static const struct db_stmt bolt_taken = TAKEN("bolt_driver_uuid");
static const struct db_stmt uber_taken = TAKEN("uber_driver_uuid");
static const struct db_stmt heetch_taken = TAKEN("heetch_email");

/* The unique constraints of drivers (a departed driver keeps his). */
static const struct table_unique uniques[] = {
	{ "email", &email_taken, "Adresse e-mail déjà présente plus haut "
	    "dans le fichier.", "Un chauffeur utilise déjà cette adresse "
	    "e-mail." },
	{ "phone", &phone_taken, "Numéro de téléphone déjà présent plus haut "
	    "dans le fichier.", "Un chauffeur utilise déjà ce numéro de "
	    "téléphone." },
	{ "bolt_driver_uuid", &bolt_taken, "Identifiant Bolt déjà présent "
	    "plus haut dans le fichier.", "Cet identifiant Bolt est déjà celui "
	    "d'un autre chauffeur." },
	{ "uber_driver_uuid", &uber_taken, "Identifiant Uber déjà présent "
	    "plus haut dans le fichier.", "Cet identifiant Uber est déjà celui "
	    "d'un autre chauffeur." },
	{ "heetch_email", &heetch_taken, "Adresse Heetch déjà présente plus "
	    "haut dans le fichier.", "Cette adresse Heetch est déjà celle d'un "
	    "autre chauffeur." },
};

static const char *const required[] = { "first_name", "last_name", NULL };
static const char *const preview[] = { "last_name", "first_name", "email",
	"phone", NULL };

/* The edit form's validation of every field; a blank cell leaves the
 * field empty, and the status defaults to « candidat » on insert. */
static json_t *
validate(struct request *r, json_t **errors)
{
	return driver_input(r, NULL, DRIVER_FORM, DRIVER_ALL, errors);
}

static const struct table_kind kind = {
	"/drivers", "drivers.import_title", "drivers.imported", "chauffeurs",
	"drivers", "modele-import-chauffeurs", columns,
	sizeof(columns) / sizeof(columns[0]), required, uniques,
	sizeof(uniques) / sizeof(uniques[0]), preview, validate,
	driver_insert,
};

/* What the row holds for the columns the API does not name as such. */
static void
export_row(struct request *r, json_t *d)
{
	json_t	*bp = json_object_get(d, "commission_rate_bp");
	json_t	*vehicle = json_object_get(d, "current_vehicle");
	char	 text[80];

	if (json_is_integer(bp)) {
		driver_percent_input(json_integer_value(bp), text, sizeof(text));
		json_object_set_new(d, "commission_rate", json_string(text));
	}
	if (json_is_object(vehicle))
		json_object_set(d, "vehicle_plate", json_object_get(vehicle,
		    "plate"));
	/* The bank details pay the driver: finance and up read them whole,
	 * as on the driver's page. */
	if (r->id.role < ACCESS_FINANCE && json_is_string(json_object_get(d,
	    "iban"))) {
		driver_iban_mask(json_string_value(json_object_get(d, "iban")),
		    text, sizeof(text));
		json_object_set_new(d, "iban", json_string(text));
	}
}

int
drivers_export(struct request *r)
{
	struct driver_filter	 f;
	struct api_page		 all = { 1, 1000000, 0 };
	json_t			*errors, *rows, *d;
	long			 total;
	size_t			 i;
	int			 rc;

	if (driver_filter_parse(r, &f, &errors) != 0) {
		json_decref(errors);
		return 400;
	}
	if ((rows = driver_list(r, &f, &all, &total, &rc)) == NULL)
		return rc;
	json_array_foreach(rows, i, d)
		export_row(r, d);
	rc = table_io_export(r, &kind, rows);
	json_decref(rows);
	return rc;
}

int
drivers_import_template(struct request *r)
{
	return table_io_template(r, &kind);
}

int
drivers_import_form(struct request *r)
{
	return table_io_form(r, &kind);
}

int
drivers_import_preview(struct request *r)
{
	return table_io_preview(r, &kind);
}

int
drivers_import_confirm(struct request *r)
{
	return table_io_confirm(r, &kind);
}

int
drivers_import_cancel(struct request *r)
{
	return table_io_cancel(r, &kind);
}

void
drivers_io_list_view(struct request *r, json_t *view)
{
	table_io_list_view(r, &kind, view);
}
