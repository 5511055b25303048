/* Drivers, described for the resource layer (resource/resource.h): the
 * API's /api/v1/drivers, the list page, its export and the OpenAPI schema
 * come from this description; the onboarding wizard reads its fields by
 * section.  Hooks say what data cannot: the rules between fields (dates,
 * the terms of each collaboration), a new driver's status and step, the
 * activity feed.  Also here: the driver page's other data and the
 * invitation to the driver portal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "identity/activity.h"
#include "driver_rules.h"
#include "drivers.h"
#include "drivers_view.h"
#include "fleet_valid.h"
#include "finance/wps.h"
#include "fmt.h"
#include "identity/members.h"
#include "resource/table_io.h"
#include "valid.h"
#include "worker.h"

const char *const driver_statuses[] = { "candidat", "actif", "suspendu",
	"parti", NULL };
const char *const driver_collaborations[] = { "salarie",
	"location_auto_entrepreneur", "commission", NULL };

/* Every writable field is a column of the export and of the import. */
#define W		(RES_WRITE | RES_EXPORT)
#define N		RES_NULLABLE
#define L		RES_LIST	/* what a row of the list page shows */
#define STEP		RES_STEP
#define FIELD(name, type, vtype, req, min, max, check, flags, param, sec) \
	{ name, type, W | (flags), { name, vtype, req, min, max, NULL, check }, \
	    NULL, param, NULL, sec }
#define TEXT(name, min, max, flags, sec) \
	FIELD(name, RT_TEXT, V_TEXT, 0, min, max, NULL, flags, NULL, sec)
#define DATE(name, flags, sec) \
	FIELD(name, RT_DATE, V_DATE, 0, 0, 0, NULL, N | (flags), "$::date", sec)
#define READ(name, type, flags) { name, type, flags }

/* What a form writes instead of the API's integers: money "150,00" and a
 * percentage "12,5" (to basis points by driver_check_percent). */
static const struct valid_field weekly_rent_form = { "weekly_rent", V_MONEY,
	0, 0, 100000000, NULL, NULL };
static const struct valid_field commission_form = { "commission_rate", V_INT,
	0, 0, 10000, NULL, driver_check_percent };

/* The driver as the API shows it, in this order; the writable fields in
 * the order of the INSERT and UPDATE parameters, each with the section of
 * the forms that asks for it (the wizard's steps: DRIVER_PERSONAL,
 * DRIVER_DOCUMENTS, DRIVER_TERMS; 0, only the edit form and the API) and
 * STEP when that step of the wizard requires it. */
static const struct res_field fields[] = {
	READ("id", RT_UUID, L),
	FIELD("first_name", RT_TEXT, V_TEXT, 1, 1, 100, NULL, L | RES_NOT_NULL |
	    STEP, NULL, DRIVER_PERSONAL),
	FIELD("last_name", RT_TEXT, V_TEXT, 1, 1, 100, NULL, L | RES_NOT_NULL |
	    STEP, NULL, DRIVER_PERSONAL),
	FIELD("email", RT_EMAIL, V_EMAIL, 0, 0, 0, NULL, N | L, NULL,
	    DRIVER_PERSONAL),
	{ "phone", RT_TEXT, W | N | L | STEP, { "phone", V_TEXT, 0, 0, 0, NULL,
	    fleet_check_phone }, NULL, NULL, NULL, DRIVER_PERSONAL, "E.164;"
	    " national French numbers are accepted and normalised." },
	DATE("birth_date", 0, DRIVER_PERSONAL),
	FIELD("address", RT_TEXT, V_TEXT, 0, 0, 500, NULL, 0,
	    "coalesce($, '')", DRIVER_PERSONAL),
	{ "status", RT_ENUM, W | L | RES_NOT_NULL, { "status", V_ENUM, 0, 0, 0,
	    driver_statuses, NULL }, NULL, "$::driver_status", .dflt =
	    "candidat" },
	TEXT("vtc_card_number", 0, 60, N | STEP, DRIVER_DOCUMENTS),
	DATE("vtc_card_expiry", STEP, DRIVER_DOCUMENTS),
	TEXT("licence_number", 0, 60, N | STEP, DRIVER_DOCUMENTS),
	DATE("licence_expiry", STEP, DRIVER_DOCUMENTS),
	TEXT("bolt_driver_uuid", 0, 100, N, DRIVER_TERMS),
	TEXT("uber_driver_uuid", 0, 100, N, DRIVER_TERMS),
	FIELD("heetch_email", RT_EMAIL, V_EMAIL, 0, 0, 0, NULL, N, NULL,
	    DRIVER_TERMS),
	{ "iban", RT_TEXT, W | N, { "iban", V_TEXT, 0, 0, 0, NULL,
	    fleet_check_iban }, NULL, NULL, NULL, DRIVER_TERMS, "Checked with"
	    " its mod-97 key; spaces removed, upper case." },
	FIELD("bic", RT_TEXT, V_TEXT, 0, 0, 0, fleet_check_bic, N, NULL,
	    DRIVER_TERMS),
	/* What a WPS salary file (UAE) needs of the driver. */
	{ "wps_person_id", RT_TEXT, RES_WRITE | N, { "wps_person_id", V_TEXT, 0,
	    0, 0, NULL, wps_check_person }, NULL, NULL, NULL, DRIVER_TERMS,
	    "WPS: MOHRE person ID (labour card), 1 to 14 digits." },
	{ "wps_routing_code", RT_TEXT, RES_WRITE | N, { "wps_routing_code",
	    V_TEXT, 0, 0, 0, NULL, wps_check_routing }, NULL, NULL, NULL,
	    DRIVER_TERMS, "WPS: routing code of the driver's bank, 9 digits." },
	{ "wps_card_number", RT_TEXT, RES_WRITE | N, { "wps_card_number",
	    V_TEXT, 0, 0, 0, NULL, wps_check_card }, NULL, NULL, NULL,
	    DRIVER_TERMS, "WPS: salary card number (1 to 16 digits), paid"
	    " instead of the IBAN when set." },
	{ "collaboration", RT_ENUM, W | N | L | STEP, { "collaboration", V_ENUM, 0,
	    0, 0, driver_collaborations, NULL }, NULL, "$::collaboration_kind",
	    NULL, DRIVER_TERMS },
	{ "weekly_rent_cents", RT_MONEY, W | N | L, { "weekly_rent_cents", V_INT,
	    0, 0, 100000000, NULL, NULL }, NULL, "$::bigint",
	    &weekly_rent_form, DRIVER_TERMS, "Weekly rent of a rental, in cents"
	    " of currency." },
	{ "commission_rate_bp", RT_INT, W | N | L, { "commission_rate_bp", V_INT,
	    0, 0, 10000, NULL, NULL }, NULL, "$::int", &commission_form,
	    DRIVER_TERMS, "Commission in basis points: 1250 is 12.5 %." },
	READ("currency", RT_TEXT, L),
	DATE("start_date", L | STEP, DRIVER_TERMS),
	DATE("end_date", 0, DRIVER_TERMS),
	{ "onboarding_step", RT_INT, RES_WRITE | L | RES_NOT_NULL | RES_API_ONLY,
	    { "onboarding_step", V_INT, 0, 1, 4, NULL, NULL }, NULL, "$::int",
	    .doc = "Next step of the onboarding wizard (1 to 3), 4 when"
	    " done. Defaults to 2 for a new candidate (who they are is known),"
	    " 4 otherwise." },
	{ "user_id", RT_UUID, N | L, .doc = "The account linked by an accepted"
	    " driver portal invitation." },
	FIELD("notes", RT_TEXT, V_TEXT, 0, 0, 5000, NULL, 0, "coalesce($, '')",
	    0),
	READ("created_at", RT_TIME, 0),
	READ("updated_at", RT_TIME, 0),
	READ("archived_at", RT_TIME, N | L),
	{ "vtc_card_state", RT_TEXT, N, .select = "document_state(d.tenant_id,"
	    " 'carte_vtc', d.vtc_card_expiry, (now() AT TIME ZONE"
	    " 'Europe/Paris')::date)", .doc = "The VTC card by its expiry date,"
	    " with the organisation's threshold for the type carte_vtc (30 days"
	    " by default)." },
	{ "licence_state", RT_TEXT, N, .select = "document_state(d.tenant_id,"
	    " 'permis', d.licence_expiry, (now() AT TIME ZONE"
	    " 'Europe/Paris')::date)", .doc = "The driving licence by its expiry"
	    " date, with the threshold for the type permis." },
	/* Looked up for the rows of a page only. */
	{ "current_vehicle", RT_OBJECT, N | L, .select = "(SELECT"
	    " json_build_object('id', v.id, 'plate', v.plate, 'make', v.make,"
	    " 'model', v.model) FROM assignments a JOIN vehicles v ON"
	    " v.tenant_id = a.tenant_id AND v.id = a.vehicle_id WHERE"
	    " a.tenant_id = d.tenant_id AND a.driver_id = d.id AND"
	    " a.starts_at <= now() AND (a.ends_at IS NULL OR a.ends_at > now())"
	    " ORDER BY a.starts_at DESC LIMIT 1)",
	    .doc = "The vehicle the driver has now: {id, plate, make, model}." },
	{ "documents_due", RT_INT, L, .select = "(SELECT count(*) FROM"
	    " documents o WHERE o.tenant_id = d.tenant_id AND o.driver_id = d.id"
	    " AND o.superseded_by IS NULL AND o.state IN ('a_renouveler',"
	    " 'expire'))::int", .doc = "Current documents to renew or expired." },
};

static const char *const due[] = { "due", NULL };

/* The digits of a phone search ("06 12" finds +33612…). */
static const char *
phone_digits(struct request *r, const char *q)
{
	char	digits[32];

	driver_phone_digits(q, digits, sizeof(digits));
	return arena_strdup(r->arena, digits);
}

static const struct res_param params[] = {
	{ "q", RP_SEARCH, .doc = "Name (first and last, either order), e-mail"
	    " or phone (06 12…, +33 6 12…)" },
	{ "status", RP_CHOICE, driver_statuses, "valid.list.status",
	    .doc = "parti also lists the drivers who left (archived)",
	    .group = "drivers.status", .blank = "drivers.all_statuses" },
	{ "documents", RP_FLAG, due, "valid.list.documents",
	    .doc = "due: only drivers with documents to renew or expired" },
	{ "digits", RP_DERIVED, .derive = phone_digits },
};

/* Departed drivers are archived: they show only when asked for. */
#define WHERE \
	"({status} = 'parti' OR d.archived_at IS NULL)" \
	" AND ({q} = '' OR d.id IN (SELECT drivers_matching({q}, {digits})))" \
	" AND ({status} = '' OR d.status::text = {status})" \
	" AND ({documents} <> 'due' OR EXISTS (SELECT 1 FROM documents o WHERE" \
	" o.tenant_id = d.tenant_id AND o.driver_id = d.id AND" \
	" o.superseded_by IS NULL AND o.state IN ('a_renouveler', 'expire')))"

/* Names in French alphabetical order (the database's own collation is
 * byte order, which puts « Élie » after « Zola »). */
#define BY_NAME	"d.last_name COLLATE \"fr-FR-x-icu\"," \
	" d.first_name COLLATE \"fr-FR-x-icu\""
#define BY_NAME_DESC	"d.last_name COLLATE \"fr-FR-x-icu\" DESC," \
	" d.first_name COLLATE \"fr-FR-x-icu\" DESC"

static const struct res_sort sorts[] = {
	{ "last_name", BY_NAME, "drivers.name" },
	{ "-last_name", BY_NAME_DESC },
	{ "status", "d.status, " BY_NAME, "drivers.status_label" },
	{ "-status", "d.status DESC, " BY_NAME },
	{ "created_at", "d.created_at" },
	{ "-created_at", "d.created_at DESC" },
	{ "start_date", "d.start_date NULLS LAST, " BY_NAME, "drivers.start_date" },
	{ "-start_date", "d.start_date DESC NULLS LAST, " BY_NAME },
};

static const struct db_stmt assignments_stmt = { "drivers_assignments",
	"SELECT coalesce(json_agg(x ORDER BY x.starts_at DESC), '[]')::text"
	" FROM (SELECT v.id AS vehicle_id, v.plate, v.make, v.model,"
	" a.starts_at, (a.starts_at AT TIME ZONE 'Europe/Paris')::date"
	" AS starts_on, (a.ends_at AT TIME ZONE 'Europe/Paris')::date AS ends_on,"
	" a.starts_at <= now() AND (a.ends_at IS NULL OR a.ends_at > now())"
	" AS current FROM assignments a JOIN vehicles v ON"
	" v.tenant_id = a.tenant_id AND v.id = a.vehicle_id"
	" WHERE a.driver_id = $1::uuid ORDER BY a.starts_at DESC LIMIT 50) x" };

static const struct db_stmt pending_stmt = { "drivers_pending_invitation",
	"SELECT json_build_object('email', email, 'sent_on', (created_at AT"
	" TIME ZONE 'Europe/Paris')::date, 'expires_on', (expires_at AT TIME"
	" ZONE 'Europe/Paris')::date)::text FROM invitations WHERE"
	" driver_id = $1::uuid AND accepted_at IS NULL AND expires_at > now()"
	" ORDER BY created_at DESC LIMIT 1" };

/* A new link replaces the ones sent before. */
static const struct db_stmt expire_invitations_stmt = {
	"drivers_expire_invitations",
	"UPDATE invitations SET expires_at = now() WHERE driver_id = $1::uuid"
	" AND accepted_at IS NULL AND expires_at > now()" };

/* What a duplicate means, by the field its unique key names. */
static const struct store_duplicate duplicates[] = {
	{ "email", "valid.drivers.email_taken" },
	{ "phone", "valid.drivers.phone_taken" },
	{ "bolt_driver_uuid", "valid.drivers.bolt_taken" },
	{ "uber_driver_uuid", "valid.drivers.uber_taken" },
	{ "heetch_email", "valid.drivers.heetch_taken" },
	{ "user_id", "valid.drivers.user_taken" },
};

static int
asks(const struct res_input *how, const char *name)
{
	return resource_asks(&driver_resource, how, name);
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Today in Paris as "YYYY-MM-DD" (ISO dates compare as text). */
static void
today_iso(char out[32])
{
	struct tm	tm;

	fmt_paris_tm(time(NULL), &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

static void
fail(const struct request *r, json_t *errors, const struct res_input *how,
    const char *column, const char *key)
{
	const char	*name = resource_input_name(&driver_resource, how, column);

	if (json_object_get(errors, name) == NULL)
		valid_fail(r, errors, name, key);
}

/* The rules between fields, on the merged driver. */
static void
check_rules(struct request *r, const struct res_input *how, json_t *v,
    json_t *errors)
{
	const char	*birth = str(v, "birth_date"), *start = str(v, "start_date");
	const char	*end = str(v, "end_date"), *collab = str(v, "collaboration");
	const char	*key;
	char		 today[32];

	today_iso(today);
	if (asks(how, "birth_date") && birth != NULL &&
	    (key = driver_check_birth_date(birth, today)) != NULL)
		fail(r, errors, how, "birth_date", key);
	if ((asks(how, "start_date") || asks(how, "end_date")) &&
	    start != NULL && end != NULL && strcmp(end, start) < 0)
		fail(r, errors, how, "end_date",
		    "valid.drivers.end_before_start");
	if (asks(how, "collaboration") && collab != NULL) {
		if (strcmp(collab, "location_auto_entrepreneur") == 0 &&
		    json_is_null(json_object_get(v, "weekly_rent_cents")))
			fail(r, errors, how, "weekly_rent_cents",
			    "valid.drivers.rent_missing");
		if (strcmp(collab, "commission") == 0 &&
		    json_is_null(json_object_get(v, "commission_rate_bp")))
			fail(r, errors, how, "commission_rate_bp",
			    "valid.drivers.commission_missing");
	}
	/* A driver starts with documents in force. */
	if (how->wizard && asks(how, "vtc_card_expiry")) {
		if (str(v, "vtc_card_expiry") != NULL &&
		    strcmp(str(v, "vtc_card_expiry"), today) < 0)
			fail(r, errors, how, "vtc_card_expiry",
			    "valid.drivers.vtc_card_expired");
		if (str(v, "licence_expiry") != NULL &&
		    strcmp(str(v, "licence_expiry"), today) < 0)
			fail(r, errors, how, "licence_expiry",
			    "valid.drivers.licence_expired");
	}
}

/* A new driver is a candidate whose first step, who they are, is done;
 * one recorded as already working has no onboarding left. */
static void
creating(struct request *r, json_t *v)
{
	(void)r;
	if (str(v, "status") == NULL)
		json_object_set_new(v, "status", json_string("candidat"));
	if (!json_is_integer(json_object_get(v, "onboarding_step")))
		json_object_set_new(v, "onboarding_step", json_integer(
		    strcmp(str(v, "status"), "candidat") == 0 ? 2 : 4));
}

int
driver_activity(struct request *r, json_t *d, const char *type,
    const char *title)
{
	return activity_record(r, type, arena_printf(r->arena, "%s : %s %s",
	    title, str(d, "first_name"), str(d, "last_name")), NULL, "driver",
	    str(d, "id"));
}

static int
created(struct request *r, json_t *stored)
{
	return driver_activity(r, stored, "driver.created", "Chauffeur ajouté");
}

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

/* Shown in the export, never imported. */
static const struct table_column extra_columns[] = {
	{ { "vehicle_plate", "drivers.vehicle", EXPORT_TEXT, NULL }, NULL, NULL },
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

/* The export's and the import's pages; their columns come from the
 * description (resource_files). */
static const struct table_kind driver_files = {
	"/drivers", "drivers.import_title", "drivers.imported", "chauffeurs",
	"drivers", "modele-import-chauffeurs", NULL, 0, required, uniques,
	sizeof(uniques) / sizeof(uniques[0]), preview, validate,
	driver_insert,
};

static struct res_stmts stmts;

/* The vehicle a departing driver had is free from now on. */
#define ARCHIVE \
	"WITH d AS (UPDATE drivers SET status = 'parti', archived_at =" \
	" coalesce(archived_at, now()) WHERE id = $1::uuid RETURNING tenant_id," \
	" id, first_name || ' ' || last_name AS name)," \
	" a AS (UPDATE assignments x SET ends_at = now() FROM d WHERE" \
	" x.tenant_id = d.tenant_id AND x.driver_id = d.id AND" \
	" x.starts_at < now() AND (x.ends_at IS NULL OR x.ends_at > now())" \
	" RETURNING 1)" \
	" SELECT d.name, (SELECT count(*) FROM a) FROM d"

const struct resource driver_resource = {
	.name = "drivers", .table = "drivers", .alias = "d",
	.schema = "Driver", .kept_total = 1,
	.fields = fields, .nfields = sizeof(fields) / sizeof(fields[0]),
	.params = params, .nparams = sizeof(params) / sizeof(params[0]),
	.where = WHERE,
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	/* A status other than « parti » brings an archived driver back. */
	.update_extra = "archived_at = CASE WHEN {status}::driver_status ="
	    " 'parti' THEN archived_at END",
	.archive_sql = ARCHIVE,
	.archive_activity = "driver.archived",
	.archive_title = "Chauffeur parti : ",
	.activity_subject = "driver",
	.duplicates = duplicates,
	.nduplicates = sizeof(duplicates) / sizeof(duplicates[0]),
	.files = &driver_files,
	.extra_columns = extra_columns,
	.nextra_columns = sizeof(extra_columns) / sizeof(extra_columns[0]),
	.hooks = { .check = check_rules, .creating = creating,
	    .created = created, .row_view = drivers_view_row,
	    .form_view = drivers_form_extra,
	    .export_row = export_row },
	.stmts = &stmts,
};

json_t *
driver_get(struct request *r, const char *id, int *status)
{
	return resource_get(r, &driver_resource, id, status);
}

json_t *
driver_input(struct request *r, json_t *current, enum driver_input_mode mode,
    enum driver_part part, json_t **errors)
{
	struct res_input	how = { mode != DRIVER_API, (int)part,
				    mode == DRIVER_WIZARD };

	return resource_input(r, &driver_resource, current, &how, errors);
}

json_t *
driver_insert(struct request *r, json_t *v, int *status, json_t **errors)
{
	return resource_insert(r, &driver_resource, v, status, errors);
}

json_t *
driver_update(struct request *r, const char *id, json_t *v, int *status,
    json_t **errors)
{
	return resource_update(r, &driver_resource, id, v, status, errors);
}

int
driver_archive(struct request *r, const char *id)
{
	return resource_archive(r, &driver_resource, id);
}

/* ---- The driver page's other data -------------------------------------- */

static json_t *
one_json(struct request *r, const struct db_stmt *s, const char *id,
    int *status)
{
	const char	*v[1] = { id };
	struct db_error	 err;
	PGresult	*res;
	json_t		*o;

	if ((res = db_exec(r->w->db, s, 1, v, &err)) == NULL) {
		*status = err.status;
		return NULL;
	}
	o = PQntuples(res) > 0 ? db_json(res, 0, 0) : json_null();
	PQclear(res);
	if (o == NULL)
		*status = 500;
	return o;
}

json_t *
driver_assignments(struct request *r, const char *id, int *status)
{
	return one_json(r, &assignments_stmt, id, status);
}

json_t *
driver_pending_invitation(struct request *r, const char *id, int *status)
{
	return one_json(r, &pending_stmt, id, status);
}

/* ---- Portal invitation ------------------------------------------------- */

int
driver_invite(struct request *r, json_t *d, const char **message)
{
	const char	*email = str(d, "email"), *v[1] = { str(d, "id") };
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	*message = NULL;
	if (!json_is_null(json_object_get(d, "user_id"))) {
		*message = tr(r, "drivers.portal_error.linked");
		return 409;
	}
	if (!json_is_null(json_object_get(d, "archived_at"))) {
		*message = tr(r, "drivers.portal_error.departed");
		return 422;
	}
	if (email == NULL) {
		*message = tr(r, "drivers.portal_error.no_email");
		return 422;
	}
	/* Accepting would change a member's role behind the role checks. */
	if ((rc = members_is_member(r, email)) != 0) {
		if (rc != 1)
			return rc;
		*message = tr(r,
		    "drivers.portal_error.member_email");
		return 422;
	}
	if ((res = db_exec(r->w->db, &expire_invitations_stmt, 1, v,
	    &err)) == NULL)
		return err.status;
	PQclear(res);
	if ((rc = members_invitation_create(r, email, "driver", str(d, "id"),
	    arena_printf(r->arena, "Votre accès au portail chauffeur de %s",
	    r->id.tenant_name), arena_printf(r->arena, "Bonjour %s,\n\n%s vous "
	    "invite à utiliser le portail chauffeur de %s sur FleetCore : "
	    "vos documents, votre véhicule et vos revenus au même endroit.",
	    str(d, "first_name"), r->id.user_name, r->id.tenant_name))) != 0)
		return rc;
	return activity_record(r, "driver.invited", arena_printf(r->arena,
	    "Invitation au portail chauffeur envoyée à %s", email),
	    arena_printf(r->arena, "%s %s", str(d, "first_name"),
	    str(d, "last_name")), "driver", str(d, "id"));
}
