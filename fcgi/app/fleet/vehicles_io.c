#include "resource/table_io.h"
#include "vehicles.h"
#include "vehicles_io.h"
#include "worker.h"

#define COL(key, label, type)	{ { key, label, type, NULL }, key, NULL }
#define ENUM(key, label, group, values) \
	{ { key, label, EXPORT_LABEL, group }, key, values }

/* The export's columns; an import accepts these headers too (by key or
 * by label in either language), so an exported file comes back in. */
static const struct table_column columns[] = {
	COL("plate", "vehicles.plate", EXPORT_TEXT),
	COL("country", "vehicles.country", EXPORT_TEXT),
	COL("vin", "vehicles.vin", EXPORT_TEXT),
	COL("make", "vehicles.make", EXPORT_TEXT),
	COL("model", "vehicles.model", EXPORT_TEXT),
	COL("year", "vehicles.year", EXPORT_INT),
	COL("color", "vehicles.color", EXPORT_TEXT),
	COL("seats", "vehicles.seats", EXPORT_INT),
	ENUM("energy", "vehicles.energy_label", "vehicles.energy",
	    vehicle_energies),
	ENUM("category", "vehicles.category_label", "vehicles.category",
	    vehicle_categories),
	ENUM("status", "vehicles.status_label", "vehicles.status",
	    vehicle_statuses),
	COL("odometer_km", "vehicles.odometer", EXPORT_INT),
	ENUM("acquisition", "vehicles.acquisition_label",
	    "vehicles.acquisition", vehicle_acquisitions),
	COL("lease_end_date", "vehicles.lease_end_date", EXPORT_DATE),
	/* Written as the form writes it, "1 234,56", in its field. */
	{ { "monthly_cost_cents", "vehicles.monthly_cost", EXPORT_MONEY, NULL },
	    "monthly_cost", NULL },
	COL("insurer", "vehicles.insurer", EXPORT_TEXT),
	COL("policy_number", "vehicles.policy_number", EXPORT_TEXT),
	COL("insurance_expiry", "vehicles.insurance_expiry", EXPORT_DATE),
	COL("technical_inspection_due", "vehicles.technical_inspection_due",
	    EXPORT_DATE),
	COL("vtc_registration_number", "vehicles.vtc_registration_number",
	    EXPORT_TEXT),
	COL("vtc_registration_expiry", "vehicles.vtc_registration_expiry",
	    EXPORT_DATE),
	COL("notes", "vehicles.notes", EXPORT_TEXT),
	/* The driver is shown, not imported. */
	{ { "driver_name", "vehicles.driver", EXPORT_TEXT, NULL }, NULL, NULL },
};

static const struct db_stmt plate_taken = { "vehicles_import_plate_taken",
	"SELECT p.value FROM json_array_elements_text($1::json) p"
	" WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.plate = p.value)" };
static const struct db_stmt vin_taken = { "vehicles_import_vin_taken",
	"SELECT p.value FROM json_array_elements_text($1::json) p"
	" WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.vin = p.value)" };

static const struct table_unique uniques[] = {
	{ "plate", &plate_taken, "Immatriculation déjà présente plus haut dans "
	    "le fichier.", "Un véhicule porte déjà cette immatriculation." },
	{ "vin", &vin_taken, "VIN déjà présent plus haut dans le fichier.",
	    "Un véhicule porte déjà ce VIN." },
};

static const char *const required[] = { "plate", NULL };
static const char *const preview[] = { "plate", "make", "model", NULL };

/* The form's validation; the money comes as the form writes it. */
static json_t *
validate(struct request *r, json_t **errors)
{
	return vehicle_input(r, NULL, 1, errors);
}

static const struct table_kind kind = {
	"/vehicles", "import.title", "import.done", "vehicules", "vehicles",
	"modele-import-vehicules", columns,
	sizeof(columns) / sizeof(columns[0]), required, uniques,
	sizeof(uniques) / sizeof(uniques[0]), preview, validate,
	vehicle_insert,
};

int
vehicles_export(struct request *r)
{
	struct vehicle_filter	 f;
	struct api_page		 all = { 1, 1000000, 0 };
	json_t			*errors, *rows, *v;
	long			 total;
	size_t			 i;
	int			 rc;

	if (vehicle_filter_parse(r, &f, &errors) != 0) {
		json_decref(errors);
		return 400;
	}
	if ((rows = vehicle_list(r, &f, &all, &total, &rc)) == NULL)
		return rc;
	json_array_foreach(rows, i, v)
		if (json_is_object(json_object_get(v, "current_driver")))
			json_object_set(v, "driver_name", json_object_get(
			    json_object_get(v, "current_driver"), "name"));
	rc = table_io_export(r, &kind, rows);
	json_decref(rows);
	return rc;
}

int
vehicles_import_template(struct request *r)
{
	return table_io_template(r, &kind);
}

int
vehicles_import_form(struct request *r)
{
	return table_io_form(r, &kind);
}

int
vehicles_import_preview(struct request *r)
{
	return table_io_preview(r, &kind);
}

int
vehicles_import_confirm(struct request *r)
{
	return table_io_confirm(r, &kind);
}

int
vehicles_import_cancel(struct request *r)
{
	return table_io_cancel(r, &kind);
}

void
vehicles_io_list_view(struct request *r, json_t *view)
{
	table_io_list_view(r, &kind, view);
}
