#include <string.h>

#include "identity/activity.h"
#include "fleet_valid.h"
#include "resource/list_page.h"
#include "resource/store.h"
#include "valid.h"
#include "vehicles.h"
#include "worker.h"

const char *const vehicle_energies[] = { "essence", "diesel", "hybride",
	"hybride_rechargeable", "electrique", "gpl", NULL };
const char *const vehicle_categories[] = { "berline", "van", "green", "luxe",
	"autre", NULL };
const char *const vehicle_statuses[] = { "actif", "maintenance",
	"hors_service", "archive", NULL };
const char *const vehicle_acquisitions[] = { "propriete", "leasing",
	"location", NULL };

/* The stored columns, in the order of the INSERT and UPDATE parameters. */
static const char *const columns[] = {
	"plate", "country", "vin", "make", "model", "year", "color", "seats",
	"energy", "category", "status", "odometer_km", "acquisition",
	"lease_end_date", "monthly_cost_cents", "insurer", "policy_number",
	"insurance_expiry", "technical_inspection_due",
	"vtc_registration_number", "vtc_registration_expiry", "notes",
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static const struct valid_field fields[] = {
	{ "plate", V_TEXT, 1, 2, 16, NULL, NULL },
	{ "country", V_TEXT, 0, 2, 2, NULL, NULL },
	{ "vin", V_TEXT, 0, 0, 0, NULL, fleet_check_vin },
	{ "make", V_TEXT, 1, 1, 60, NULL, NULL },
	{ "model", V_TEXT, 1, 1, 60, NULL, NULL },
	{ "year", V_INT, 0, 1950, 2100, NULL, NULL },
	{ "color", V_TEXT, 0, 0, 40, NULL, NULL },
	{ "seats", V_INT, 0, 1, 9, NULL, NULL },
	{ "energy", V_ENUM, 1, 0, 0, vehicle_energies, NULL },
	{ "category", V_ENUM, 0, 0, 0, vehicle_categories, NULL },
	{ "status", V_ENUM, 0, 0, 0, vehicle_statuses, NULL },
	{ "odometer_km", V_INT, 0, 0, 5000000, NULL, NULL },
	{ "acquisition", V_ENUM, 0, 0, 0, vehicle_acquisitions, NULL },
	{ "lease_end_date", V_DATE, 0, 0, 0, NULL, NULL },
	{ "monthly_cost_cents", V_INT, 0, 0, 100000000, NULL, NULL },
	{ "insurer", V_TEXT, 0, 0, 100, NULL, NULL },
	{ "policy_number", V_TEXT, 0, 0, 60, NULL, NULL },
	{ "insurance_expiry", V_DATE, 0, 0, 0, NULL, NULL },
	{ "technical_inspection_due", V_DATE, 0, 0, 0, NULL, NULL },
	{ "vtc_registration_number", V_TEXT, 0, 0, 60, NULL, NULL },
	{ "vtc_registration_expiry", V_DATE, 0, 0, 0, NULL, NULL },
	{ "notes", V_TEXT, 0, 0, 5000, NULL, NULL },
};
#define NFIELDS		(sizeof(fields) / sizeof(fields[0]))

/* The HTML form writes money as "1 234,56". */
static const struct valid_field money_field = {
	"monthly_cost", V_MONEY, 0, 0, 100000000, NULL, NULL,
};

/* A vehicle as the API shows it: its columns and its current driver,
 * read from a row named v (a list reads them for the rows of its page
 * only, so that the driver is looked up for those alone). */
#define VEHICLE_COLUMNS \
	"v.id, v.plate, v.country," \
	" v.vin, v.make, v.model, v.year, v.color, v.seats, v.energy," \
	" v.category, v.status, v.odometer_km, v.acquisition," \
	" v.lease_end_date, v.monthly_cost_cents, v.currency, v.insurer," \
	" v.policy_number, v.insurance_expiry, v.technical_inspection_due," \
	" v.vtc_registration_number, v.vtc_registration_expiry, v.notes," \
	" v.created_at, v.updated_at, v.archived_at," \
	" (SELECT json_build_object('id', d.id, 'name', d.first_name || ' ' ||" \
	"   d.last_name) FROM assignments a JOIN drivers d ON d.tenant_id =" \
	"   a.tenant_id AND d.id = a.driver_id WHERE a.tenant_id = v.tenant_id" \
	"   AND a.vehicle_id = v.id AND a.starts_at <= now() AND (a.ends_at IS" \
	"   NULL OR a.ends_at > now()) LIMIT 1) AS current_driver"

#define LIST_WHERE \
	"WHERE ($2 = 'archive' OR v.archived_at IS NULL)" \
	" AND ($1 = '' OR v.id IN (SELECT vehicles_matching($1)))" \
	" AND ($2 = '' OR v.status::text = $2)" \
	" AND ($3 = '' OR v.category::text = $3)" \
	" AND ($4 <> 'due' OR EXISTS (SELECT 1 FROM documents d WHERE" \
	" d.tenant_id = v.tenant_id AND d.vehicle_id = v.id AND" \
	" d.superseded_by IS NULL AND d.state IN ('a_renouveler', 'expire')))"

#define SORT(key, name, order) \
	LIST_SORT(key, name, VEHICLE_COLUMNS, "vehicles", "v", LIST_WHERE, order)

static const struct {
	const char	*key;
	struct db_stmt	 filtered;
	struct db_stmt	 all;
} sorts[] = {
	SORT("plate", "plate", "v.plate"),
	SORT("-plate", "plate_desc", "v.plate DESC"),
	SORT("make", "make", "v.make, v.model"),
	SORT("-make", "make_desc", "v.make DESC, v.model DESC"),
	SORT("year", "year", "v.year NULLS FIRST"),
	SORT("-year", "year_desc", "v.year DESC NULLS LAST"),
	SORT("odometer_km", "odometer", "v.odometer_km"),
	SORT("-odometer_km", "odometer_desc", "v.odometer_km DESC"),
	SORT("status", "status", "v.status"),
	SORT("-status", "status_desc", "v.status DESC"),
	SORT("created_at", "created", "v.created_at"),
	SORT("-created_at", "created_desc", "v.created_at DESC"),
};

static const struct db_stmt count_stmt = { "vehicles_count",
	"SELECT count(*) FROM vehicles v " LIST_WHERE };

static const struct db_stmt get_stmt = { "vehicles_get",
	"SELECT row_to_json(x)::text FROM (SELECT " VEHICLE_COLUMNS
	" FROM vehicles v WHERE v.id = $1::uuid) x" };

static const struct db_stmt insert_stmt = { "vehicles_insert",
	"INSERT INTO vehicles (tenant_id, plate, country, vin, make, model, year,"
	" color, seats, energy, category, status, odometer_km, acquisition,"
	" lease_end_date, monthly_cost_cents, insurer, policy_number,"
	" insurance_expiry, technical_inspection_due, vtc_registration_number,"
	" vtc_registration_expiry, notes) VALUES (app_tenant(), $1,"
	" coalesce($2, 'FR'), $3, $4, $5, $6::int, $7, $8::int,"
	" $9::vehicle_energy, coalesce($10, 'berline')::vehicle_category,"
	" coalesce($11, 'actif')::vehicle_status, coalesce($12::int, 0),"
	" coalesce($13, 'propriete')::vehicle_acquisition, $14::date,"
	" $15::bigint, $16, $17, $18::date, $19::date, $20, $21::date,"
	" coalesce($22, '')) RETURNING id" };

static const struct db_stmt update_stmt = { "vehicles_update",
	"UPDATE vehicles SET plate = $1, country = coalesce($2, 'FR'), vin = $3,"
	" make = $4, model = $5, year = $6::int, color = $7, seats = $8::int,"
	" energy = $9::vehicle_energy,"
	" category = coalesce($10, 'berline')::vehicle_category,"
	" status = coalesce($11, 'actif')::vehicle_status,"
	" odometer_km = coalesce($12::int, 0),"
	" acquisition = coalesce($13, 'propriete')::vehicle_acquisition,"
	" lease_end_date = $14::date, monthly_cost_cents = $15::bigint,"
	" insurer = $16, policy_number = $17, insurance_expiry = $18::date,"
	" technical_inspection_due = $19::date, vtc_registration_number = $20,"
	" vtc_registration_expiry = $21::date, notes = coalesce($22, ''),"
	" archived_at = CASE WHEN $11 = 'archive' THEN coalesce(archived_at,"
	" now()) END WHERE id = $23::uuid RETURNING id" };

static const struct db_stmt archive_stmt = { "vehicles_archive",
	"UPDATE vehicles SET status = 'archive', archived_at = coalesce("
	" archived_at, now()) WHERE id = $1::uuid RETURNING plate" };

static int
is_choice(const char *const *choices, const char *v)
{
	for (; *choices != NULL; choices++)
		if (strcmp(*choices, v) == 0)
			return 1;
	return 0;
}

/* ILIKE treats % and _ as wildcards: a search for "AB_1" means that text. */
static const char *
like_escape(arena *a, const char *q)
{
	char	*out, *o;

	if ((out = arena_alloc(a, strlen(q) * 2 + 1)) == NULL)
		return "";
	for (o = out; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o = '\0';
	return out;
}

int
vehicle_filter_parse(struct request *r, struct vehicle_filter *f,
    json_t **errors)
{
	size_t	i;

	memset(f, 0, sizeof(*f));
	f->q = http_query(r, "q") ? http_query(r, "q") : "";
	f->status = http_query(r, "status") ? http_query(r, "status") : "";
	f->category = http_query(r, "category") ? http_query(r, "category") : "";
	f->documents = http_query(r, "documents") ? http_query(r, "documents") : "";
	f->sort = http_query(r, "sort") ? http_query(r, "sort") : "plate";
	*errors = json_object();
	if (*f->status && !is_choice(vehicle_statuses, f->status))
		valid_fail(r, *errors, "status", "valid.list.status");
	if (*f->category && !is_choice(vehicle_categories, f->category))
		valid_fail(r, *errors, "category", "valid.list.category");
	if (*f->documents && strcmp(f->documents, "due") != 0)
		valid_fail(r, *errors, "documents", "valid.list.documents");
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (strcmp(sorts[i].key, f->sort) == 0)
			break;
	if (i == sizeof(sorts) / sizeof(sorts[0]))
		valid_fail(r, *errors, "sort", "valid.list.sort");
	if (strlen(f->q) > 100)
		valid_fail(r, *errors, "q", "valid.list.search_too_long");
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
		return 0;
	}
	return 422;
}

static size_t
sort_index(const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (strcmp(sorts[i].key, key) == 0)
			return i;
	return 0;
}

/* The statements and values (in v, 4 of them) of a filter.  The total
 * has its own statement: a window count would make every row of the
 * filter, not just the page's, carry its driver lookup. */
static struct list_query
list_query(struct request *r, const struct vehicle_filter *f, const char **v)
{
	size_t			 k = sort_index(f->sort);
	struct list_query	 q = { "vehicles", &sorts[k].all, &count_stmt,
				    &sorts[k].filtered, v, 4 };

	v[0] = like_escape(r->arena, f->q);
	v[1] = f->status;
	v[2] = f->category;
	v[3] = f->documents;
	return q;
}

json_t *
vehicle_list(struct request *r, const struct vehicle_filter *f,
    const struct api_page *pg, long *total, int *status)
{
	const char		*v[4];
	struct list_query	 q = list_query(r, f, v);

	return list_page(r, &q, pg, total, status);
}

int
vehicle_list_texts(struct request *r, const struct vehicle_filter *f,
    const struct api_page *pg, long *total, struct api_texts *rows)
{
	const char		*v[4];
	struct list_query	 q = list_query(r, f, v);

	return list_page_texts(r, &q, pg, total, rows);
}

json_t *
vehicle_get(struct request *r, const char *id, int *status)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	json_t		*o = NULL;

	*status = 404;
	if (id == NULL)
		return NULL;
	if ((res = db_exec(r->w->db, &get_stmt, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	if (PQntuples(res) == 1 && (o = db_json(res, 0, 0)) != NULL)
		*status = 0;
	PQclear(res);
	return o;
}

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

json_t *
vehicle_input(struct request *r, json_t *current, int money_form,
    json_t **errors)
{
	json_t		*in, *v, *money, *country;
	json_t		*money_errors = NULL;
	const char	*key;
	json_t		*val;
	size_t		 i;
	struct valid_field f[NFIELDS];

	/* An update may leave out required fields: they keep their value. */
	memcpy(f, fields, sizeof(fields));
	for (i = 0; current != NULL && i < NFIELDS; i++)
		f[i].required = 0;
	in = valid_input(r, f, NFIELDS, errors);
	if (money_form) {
		money = valid_input(r, &money_field, 1, &money_errors);
		if (json_object_get(money, "monthly_cost") != NULL)
			json_object_set(in, "monthly_cost_cents",
			    json_object_get(money, "monthly_cost"));
		else if (current == NULL || http_form(r, "monthly_cost") != NULL)
			json_object_set_new(in, "monthly_cost_cents", json_null());
		if (money_errors != NULL) {
			if (*errors == NULL)
				*errors = json_object();
			json_object_set(*errors, "monthly_cost",
			    json_object_get(money_errors, "monthly_cost"));
			json_decref(money_errors);
		}
		json_decref(money);
	}
	v = current != NULL ? json_deep_copy(current) : json_object();
	json_object_foreach(in, key, val)
		json_object_set(v, key, val);
	json_decref(in);
	if ((country = json_object_get(v, "country")) != NULL &&
	    json_is_string(country))
		json_object_set_new(v, "country", json_string(
		    strcmp(json_string_value(country), "fr") == 0 ? "FR" :
		    json_string_value(country)));
	if (*errors == NULL)
		*errors = json_object();
	if (json_object_get(*errors, "plate") == NULL)
		check_plate(r, v, *errors);
	check_lease(r, v, *errors);
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return v;
}

static const struct store_duplicate duplicates[] = {
	{ "plate", "valid.vehicles.plate_taken" },
	{ "vin", "valid.vehicles.vin_taken" },
};

static const struct store_table table = { columns, NCOLUMNS, duplicates,
	sizeof(duplicates) / sizeof(duplicates[0]) };

static json_t *
store(struct request *r, const struct db_stmt *s, const char *id, json_t *v,
    int *status, json_t **errors)
{
	const char	*written;

	if ((written = store_write(r, s, &table, v, id, status, errors)) == NULL)
		return NULL;
	return vehicle_get(r, written, status);
}

json_t *
vehicle_insert(struct request *r, json_t *v, int *status, json_t **errors)
{
	json_t	*stored;

	if ((stored = store(r, &insert_stmt, NULL, v, status, errors)) == NULL)
		return NULL;
	*status = activity_record(r, "vehicle.created", arena_printf(r->arena,
	    "Véhicule ajouté : %s", json_string_value(json_object_get(stored,
	    "plate"))), NULL, "vehicle", json_string_value(json_object_get(
	    stored, "id")));
	if (*status != 0) {
		json_decref(stored);
		return NULL;
	}
	return stored;
}

json_t *
vehicle_update(struct request *r, const char *id, json_t *v, int *status,
    json_t **errors)
{
	return store(r, &update_stmt, id, v, status, errors);
}

int
vehicle_archive(struct request *r, const char *id)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	if (id == NULL)
		return 404;
	if ((res = db_exec(r->w->db, &archive_stmt, 1, v, &err)) == NULL)
		return err.status;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 404;
	}
	rc = activity_record(r, "vehicle.archived", arena_printf(r->arena,
	    "Véhicule archivé : %s", db_value(res, 0, 0)), NULL, "vehicle", id);
	PQclear(res);
	return rc;
}
