/* Vehicles, described for the resource layer (resource/resource.h): the
 * API's /api/v1/vehicles, the list page, its export and the OpenAPI
 * schema all come from this description.  What data cannot say is in
 * hooks: the plate's rule depends on the country, a lease end belongs to
 * a lease, creation goes into the activity feed.  The odometer that only
 * goes down through a correction event is PostgreSQL's own rule
 * (migration 0003). */
#include <string.h>

#include "identity/activity.h"
#include "fleet_valid.h"
#include "valid.h"
#include "vehicles.h"
#include "vehicles_view.h"
#include "worker.h"

const char *const vehicle_energies[] = { "essence", "diesel", "hybride",
	"hybride_rechargeable", "electrique", "gpl", NULL };
const char *const vehicle_categories[] = { "berline", "van", "green", "luxe",
	"autre", NULL };
const char *const vehicle_statuses[] = { "actif", "maintenance",
	"hors_service", "archive", NULL };
const char *const vehicle_acquisitions[] = { "propriete", "leasing",
	"location", NULL };

/* Every writable field is a column of the export and of the import. */
#define W		(RES_WRITE | RES_EXPORT)
#define N		RES_NULLABLE
#define L		RES_LIST	/* what a row of the list page shows */
#define TEXT(name, req, min, max, flags, param) { name, RT_TEXT, W | (flags), \
	{ name, V_TEXT, req, min, max, NULL, NULL }, NULL, param }
#define INT(name, min, max, flags, param) { name, RT_INT, W | (flags), \
	{ name, V_INT, 0, min, max, NULL, NULL }, NULL, param }
#define DATE(name) { name, RT_DATE, W | N, \
	{ name, V_DATE, 0, 0, 0, NULL, NULL }, NULL, "$::date" }
#define ENUM(name, req, choices, param, d) { name, RT_ENUM, W | L, \
	{ name, V_ENUM, req, 0, 0, choices, NULL }, NULL, param, .dflt = d }
#define READ(name, type) { name, type, 0 }

/* The HTML form writes money as "1 234,56". */
static const struct valid_field monthly_cost_form = {
	"monthly_cost", V_MONEY, 0, 0, 100000000, NULL, NULL,
};

/* The vehicle as the API shows it, in this order; the writable fields
 * in the order of the INSERT and UPDATE parameters. */
static const struct res_field fields[] = {
	{ "id", RT_UUID, L },
	{ "plate", RT_TEXT, W | L, { "plate", V_TEXT, 1, 2, 16, NULL, NULL },
	    .doc = "French SIV format AA-123-AA (normalised) when country is"
	    " FR; 2 to 12 letters, digits, spaces or dashes otherwise." },
	{ "country", RT_TEXT, W, { "country", V_TEXT, 0, 2, 2, NULL, NULL },
	    NULL, "coalesce($, 'FR')", .dflt = "FR" },
	{ "vin", RT_TEXT, W | N, { "vin", V_TEXT, 0, 0, 0, NULL,
	    fleet_check_vin }, .doc = "Check digit verified for"
	    " North-American vehicles." },
	TEXT("make", 1, 1, 60, L, NULL),
	TEXT("model", 1, 1, 60, L, NULL),
	INT("year", 1950, 2100, N | L, "$::int"),
	TEXT("color", 0, 0, 40, N, NULL),
	INT("seats", 1, 9, N, "$::int"),
	ENUM("energy", 1, vehicle_energies, "$::vehicle_energy", NULL),
	ENUM("category", 0, vehicle_categories,
	    "coalesce($, 'berline')::vehicle_category", "berline"),
	ENUM("status", 0, vehicle_statuses,
	    "coalesce($, 'actif')::vehicle_status", "actif"),
	{ "odometer_km", RT_INT, W | L, { "odometer_km", V_INT, 0, 0, 5000000,
	    NULL, NULL }, NULL, "coalesce($::int, 0)", .doc = "Never"
	    " decreases except through a correction_odometre event." },
	ENUM("acquisition", 0, vehicle_acquisitions,
	    "coalesce($, 'propriete')::vehicle_acquisition", "propriete"),
	DATE("lease_end_date"),
	{ "monthly_cost_cents", RT_MONEY, W | N | L, { "monthly_cost_cents", V_INT,
	    0, 0, 100000000, NULL, NULL }, NULL, "$::bigint",
	    &monthly_cost_form },
	{ "currency", RT_TEXT, L },
	TEXT("insurer", 0, 0, 100, N, NULL),
	TEXT("policy_number", 0, 0, 60, N, NULL),
	DATE("insurance_expiry"),
	DATE("technical_inspection_due"),
	TEXT("vtc_registration_number", 0, 0, 60, N, NULL),
	DATE("vtc_registration_expiry"),
	TEXT("notes", 0, 0, 5000, 0, "coalesce($, '')"),
	READ("created_at", RT_TIME),
	READ("updated_at", RT_TIME),
	{ "archived_at", RT_TIME, N },
	/* Looked up for the rows of a page only. */
	{ "current_driver", RT_OBJECT, N | L, .select =
	    "(SELECT json_build_object('id', d.id, 'name', d.first_name || ' '"
	    " || d.last_name) FROM assignments a JOIN drivers d ON d.tenant_id ="
	    " a.tenant_id AND d.id = a.driver_id WHERE a.tenant_id = v.tenant_id"
	    " AND a.vehicle_id = v.id AND a.starts_at <= now() AND (a.ends_at IS"
	    " NULL OR a.ends_at > now()) LIMIT 1)",
	    .doc = "The driver assigned now: {id, name}." },
};

static const char *const due[] = { "due", NULL };

static const struct res_param params[] = {
	{ "q", RP_SEARCH, .doc = "Plate, make, model or VIN, in any case." },
	{ "status", RP_CHOICE, vehicle_statuses, "valid.list.status",
	    .group = "vehicles.status", .blank = "vehicles.all_statuses" },
	{ "category", RP_CHOICE, vehicle_categories, "valid.list.category",
	    .group = "vehicles.category", .blank = "vehicles.all_categories" },
	{ "documents", RP_FLAG, due, "valid.list.documents",
	    .doc = "due: only vehicles with documents to renew or expired" },
};

/* Archived vehicles show only when asked for by their status. */
#define WHERE \
	"({status} = 'archive' OR v.archived_at IS NULL)" \
	" AND ({q} = '' OR v.id IN (SELECT vehicles_matching({q})))" \
	" AND ({status} = '' OR v.status::text = {status})" \
	" AND ({category} = '' OR v.category::text = {category})" \
	" AND ({documents} <> 'due' OR EXISTS (SELECT 1 FROM documents d WHERE" \
	" d.tenant_id = v.tenant_id AND d.vehicle_id = v.id AND" \
	" d.superseded_by IS NULL AND d.state IN ('a_renouveler', 'expire')))"

static const struct res_sort sorts[] = {
	{ "plate", "v.plate", "vehicles.plate" },
	{ "-plate", "v.plate DESC" },
	{ "make", "v.make, v.model", "vehicles.make_model" },
	{ "-make", "v.make DESC, v.model DESC" },
	{ "year", "v.year NULLS FIRST", "vehicles.year" },
	{ "-year", "v.year DESC NULLS LAST" },
	{ "odometer_km", "v.odometer_km", "vehicles.odometer" },
	{ "-odometer_km", "v.odometer_km DESC" },
	{ "status", "v.status", "vehicles.status_label" },
	{ "-status", "v.status DESC" },
	{ "created_at", "v.created_at" },
	{ "-created_at", "v.created_at DESC" },
};

static const struct store_duplicate duplicates[] = {
	{ "plate", "valid.vehicles.plate_taken" },
	{ "vin", "valid.vehicles.vin_taken" },
};

/* The plate's rule depends on the country. */
static void
check_plate(const struct request *r, json_t *v, json_t *errors)
{
	const char	*plate = json_string_value(json_object_get(v, "plate"));
	const char	*country = json_string_value(json_object_get(v, "country"));
	const char	*key;
	char		 out[32];

	if (plate == NULL)
		return;
	if (country == NULL || strcmp(country, "FR") == 0)
		key = fleet_check_plate_fr(plate, out, sizeof(out));
	else
		key = fleet_check_plate_other(plate, out, sizeof(out));
	if (key != NULL)
		valid_fail(r, errors, "plate", key);
	else
		json_object_set_new(v, "plate", json_string(out));
}

static void
check_lease(const struct request *r, json_t *v, json_t *errors)
{
	const char	*acq = json_string_value(json_object_get(v, "acquisition"));

	if (acq != NULL && strcmp(acq, "propriete") == 0 &&
	    json_object_get(v, "lease_end_date") != NULL &&
	    !json_is_null(json_object_get(v, "lease_end_date")))
		valid_fail(r, errors, "lease_end_date",
		    "valid.vehicles.lease_end_owned");
}

static void
check(struct request *r, const struct res_input *how, json_t *v,
    json_t *errors)
{
	json_t	*country = json_object_get(v, "country");

	(void)how;
	if (json_is_string(country) &&
	    strcmp(json_string_value(country), "fr") == 0)
		json_object_set_new(v, "country", json_string("FR"));
	if (json_object_get(errors, "plate") == NULL)
		check_plate(r, v, errors);
	check_lease(r, v, errors);
}

static int
created(struct request *r, json_t *stored)
{
	return activity_record(r, "vehicle.created", arena_printf(r->arena,
	    "Véhicule ajouté : %s", json_string_value(json_object_get(stored,
	    "plate"))), NULL, "vehicle", json_string_value(json_object_get(
	    stored, "id")));
}

/* The export writes the current driver's name. */
static void
export_row(struct request *r, json_t *v)
{
	json_t	*driver = json_object_get(v, "current_driver");

	(void)r;
	if (json_is_object(driver))
		json_object_set(v, "driver_name", json_object_get(driver,
		    "name"));
}

/* Shown in the export, never imported. */
static const struct table_column extra_columns[] = {
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

/* An imported line is read as the form reads it (money "1 234,56"). */
static json_t *
validate(struct request *r, json_t **errors)
{
	return vehicle_input(r, NULL, 1, errors);
}

/* The export's and the import's pages; their columns come from the
 * description (resource_files). */
static const struct table_kind vehicle_files = {
	"/vehicles", "import.title", "import.done", "vehicules", "vehicles",
	"modele-import-vehicules", NULL, 0, required, uniques,
	sizeof(uniques) / sizeof(uniques[0]), preview, validate,
	vehicle_insert,
};

static struct res_stmts stmts;

const struct resource vehicle_resource = {
	.name = "vehicles", .table = "vehicles", .alias = "v",
	.schema = "Vehicle", .kept_total = 1,
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = WHERE,
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.update_extra = "archived_at = CASE WHEN {status} = 'archive' THEN"
	    " coalesce(archived_at, now()) END",
	.archive_sql = "UPDATE vehicles SET status = 'archive', archived_at ="
	    " coalesce(archived_at, now()) WHERE id = $1::uuid RETURNING plate",
	.archive_activity = "vehicle.archived",
	.archive_title = "Véhicule archivé : ",
	.activity_subject = "vehicle",
	.duplicates = duplicates,
	.nduplicates = sizeof(duplicates) / sizeof(duplicates[0]),
	.files = &vehicle_files,
	.extra_columns = extra_columns,
	.nextra_columns = sizeof(extra_columns) / sizeof(extra_columns[0]),
	.hooks = { .check = check, .created = created,
	    .row_view = vehicle_view, .export_row = export_row },
	.stmts = &stmts,
};

json_t *
vehicle_get(struct request *r, const char *id, int *status)
{
	return resource_get(r, &vehicle_resource, id, status);
}

json_t *
vehicle_input(struct request *r, json_t *current, int form, json_t **errors)
{
	struct res_input	how = { form, 0, 0 };

	return resource_input(r, &vehicle_resource, current, &how, errors);
}

json_t *
vehicle_insert(struct request *r, json_t *v, int *status, json_t **errors)
{
	return resource_insert(r, &vehicle_resource, v, status, errors);
}

json_t *
vehicle_update(struct request *r, const char *id, json_t *v, int *status,
    json_t **errors)
{
	return resource_update(r, &vehicle_resource, id, v, status, errors);
}

int
vehicle_archive(struct request *r, const char *id)
{
	return resource_archive(r, &vehicle_resource, id);
}
