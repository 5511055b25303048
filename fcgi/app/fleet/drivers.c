#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "identity/activity.h"
#include "driver_rules.h"
#include "drivers.h"
#include "fleet_valid.h"
#include "fmt.h"
#include "resource/list_page.h"
#include "identity/members.h"
#include "resource/store.h"
#include "valid.h"
#include "worker.h"

const char *const driver_statuses[] = { "candidat", "actif", "suspendu",
	"parti", NULL };
const char *const driver_collaborations[] = { "salarie",
	"location_auto_entrepreneur", "commission", NULL };

/* The stored columns, in the order of the INSERT and UPDATE parameters. */
static const char *const columns[] = {
	"first_name", "last_name", "email", "phone", "birth_date", "address",
	"status", "vtc_card_number", "vtc_card_expiry", "licence_number",
	"licence_expiry", "bolt_driver_uuid", "uber_driver_uuid",
	"heetch_email", "iban", "bic", "collaboration", "weekly_rent_cents",
	"commission_rate_bp", "start_date", "end_date", "onboarding_step",
	"notes",
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

/* A field, the wizard step that asks for it (0: only the edit form and
 * the API) and whether that step requires it. */
struct driver_field {
	struct valid_field	 v;
	enum driver_part	 part;
	int			 wizard;
};

static const struct driver_field fields[] = {
	{ { "first_name", V_TEXT, 1, 1, 100, NULL, NULL }, DRIVER_PERSONAL, 1 },
	{ { "last_name", V_TEXT, 1, 1, 100, NULL, NULL }, DRIVER_PERSONAL, 1 },
	{ { "email", V_EMAIL, 0, 0, 0, NULL, NULL }, DRIVER_PERSONAL, 0 },
	{ { "phone", V_TEXT, 0, 0, 0, NULL, fleet_check_phone },
	    DRIVER_PERSONAL, 1 },
	{ { "birth_date", V_DATE, 0, 0, 0, NULL, NULL }, DRIVER_PERSONAL, 0 },
	{ { "address", V_TEXT, 0, 0, 500, NULL, NULL }, DRIVER_PERSONAL, 0 },
	{ { "vtc_card_number", V_TEXT, 0, 0, 60, NULL, NULL },
	    DRIVER_DOCUMENTS, 1 },
	{ { "vtc_card_expiry", V_DATE, 0, 0, 0, NULL, NULL },
	    DRIVER_DOCUMENTS, 1 },
	{ { "licence_number", V_TEXT, 0, 0, 60, NULL, NULL },
	    DRIVER_DOCUMENTS, 1 },
	{ { "licence_expiry", V_DATE, 0, 0, 0, NULL, NULL },
	    DRIVER_DOCUMENTS, 1 },
	{ { "collaboration", V_ENUM, 0, 0, 0, driver_collaborations, NULL },
	    DRIVER_TERMS, 1 },
	{ { "weekly_rent_cents", V_INT, 0, 0, 100000000, NULL, NULL },
	    DRIVER_TERMS, 0 },
	{ { "commission_rate_bp", V_INT, 0, 0, 10000, NULL, NULL },
	    DRIVER_TERMS, 0 },
	{ { "start_date", V_DATE, 0, 0, 0, NULL, NULL }, DRIVER_TERMS, 1 },
	{ { "end_date", V_DATE, 0, 0, 0, NULL, NULL }, DRIVER_TERMS, 0 },
	{ { "iban", V_TEXT, 0, 0, 0, NULL, fleet_check_iban }, DRIVER_TERMS, 0 },
	{ { "bic", V_TEXT, 0, 0, 0, NULL, fleet_check_bic }, DRIVER_TERMS, 0 },
	{ { "bolt_driver_uuid", V_TEXT, 0, 0, 100, NULL, NULL },
	    DRIVER_TERMS, 0 },
	{ { "uber_driver_uuid", V_TEXT, 0, 0, 100, NULL, NULL },
	    DRIVER_TERMS, 0 },
	{ { "heetch_email", V_EMAIL, 0, 0, 0, NULL, NULL }, DRIVER_TERMS, 0 },
	{ { "status", V_ENUM, 0, 0, 0, driver_statuses, NULL }, DRIVER_ALL, 0 },
	{ { "onboarding_step", V_INT, 0, 1, 4, NULL, NULL }, DRIVER_ALL, 0 },
	{ { "notes", V_TEXT, 0, 0, 5000, NULL, NULL }, DRIVER_ALL, 0 },
};
#define NFIELDS		(sizeof(fields) / sizeof(fields[0]))

/* What a form writes instead of the API's integers: money "150,00" and a
 * percentage "12,5" (to basis points by driver_check_percent). */
static const struct {
	const char		*column;
	struct valid_field	 v;
} form_fields[] = {
	{ "weekly_rent_cents", { "weekly_rent", V_MONEY, 0, 0, 100000000, NULL,
	    NULL } },
	{ "commission_rate_bp", { "commission_rate", V_INT, 0, 0, 10000, NULL,
	    driver_check_percent } },
};

/* A driver as the API shows it: its columns, its vehicle now and how
 * many of its documents are to renew, read from a row named d (a list
 * reads them for the rows of its page only, so that these are looked up
 * for those alone). */
#define DRIVER_COLUMNS \
	"d.id, d.first_name," \
	" d.last_name, d.email, d.phone, d.birth_date, d.address, d.status," \
	" d.vtc_card_number, d.vtc_card_expiry, d.licence_number," \
	" d.licence_expiry, d.bolt_driver_uuid, d.uber_driver_uuid," \
	" d.heetch_email, d.iban, d.bic, d.collaboration," \
	" d.weekly_rent_cents, d.commission_rate_bp, d.currency," \
	" d.start_date, d.end_date, d.onboarding_step, d.user_id, d.notes," \
	" d.created_at, d.updated_at, d.archived_at," \
	" document_state(d.tenant_id, 'carte_vtc', d.vtc_card_expiry," \
	"   (now() AT TIME ZONE 'Europe/Paris')::date) AS vtc_card_state," \
	" document_state(d.tenant_id, 'permis', d.licence_expiry," \
	"   (now() AT TIME ZONE 'Europe/Paris')::date) AS licence_state," \
	" (SELECT json_build_object('id', v.id, 'plate', v.plate, 'make'," \
	"   v.make, 'model', v.model) FROM assignments a JOIN vehicles v ON" \
	"   v.tenant_id = a.tenant_id AND v.id = a.vehicle_id WHERE" \
	"   a.tenant_id = d.tenant_id AND a.driver_id = d.id AND" \
	"   a.starts_at <= now() AND (a.ends_at IS NULL OR a.ends_at > now())" \
	"   ORDER BY a.starts_at DESC LIMIT 1) AS current_vehicle," \
	" (SELECT count(*) FROM documents o WHERE o.tenant_id = d.tenant_id" \
	"   AND o.driver_id = d.id AND o.superseded_by IS NULL AND" \
	"   o.state IN ('a_renouveler', 'expire'))::int AS documents_due"

/* $1 the search (LIKE-escaped), $2 status, $3 documents, $4 the digits
 * of a phone search.  Departed drivers are archived: they show only when
 * asked for. */
#define LIST_WHERE \
	"WHERE ($2 = 'parti' OR d.archived_at IS NULL)" \
	" AND ($1 = '' OR d.id IN (SELECT drivers_matching($1, $4)))" \
	" AND ($2 = '' OR d.status::text = $2)" \
	" AND ($3 <> 'due' OR EXISTS (SELECT 1 FROM documents o WHERE" \
	" o.tenant_id = d.tenant_id AND o.driver_id = d.id AND" \
	" o.superseded_by IS NULL AND o.state IN ('a_renouveler', 'expire')))"

#define SORT(key, name, order) \
	LIST_SORT(key, name, DRIVER_COLUMNS, "drivers", "d", LIST_WHERE, order)

/* Names in French alphabetical order (the database's own collation is
 * byte order, which puts « Élie » after « Zola »). */
#define BY_NAME	"d.last_name COLLATE \"fr-FR-x-icu\"," \
	" d.first_name COLLATE \"fr-FR-x-icu\""
#define BY_NAME_DESC	"d.last_name COLLATE \"fr-FR-x-icu\" DESC," \
	" d.first_name COLLATE \"fr-FR-x-icu\" DESC"

static const struct {
	const char	*key;
	struct db_stmt	 filtered;
	struct db_stmt	 all;
} sorts[] = {
	SORT("last_name", "name", BY_NAME),
	SORT("-last_name", "name_desc", BY_NAME_DESC),
	SORT("status", "status", "d.status, " BY_NAME),
	SORT("-status", "status_desc", "d.status DESC, " BY_NAME),
	SORT("created_at", "created", "d.created_at"),
	SORT("-created_at", "created_desc", "d.created_at DESC"),
	SORT("start_date", "start", "d.start_date NULLS LAST, " BY_NAME),
	SORT("-start_date", "start_desc", "d.start_date DESC NULLS LAST, "
	    BY_NAME),
};
#define NSORTS		(sizeof(sorts) / sizeof(sorts[0]))

static const struct db_stmt count_stmt = { "drivers_count",
	"SELECT count(*) FROM drivers d " LIST_WHERE };

static const struct db_stmt get_stmt = { "drivers_get",
	"SELECT row_to_json(x)::text FROM (SELECT " DRIVER_COLUMNS
	" FROM drivers d WHERE d.id = $1::uuid) x" };

static const struct db_stmt insert_stmt = { "drivers_insert",
	"INSERT INTO drivers (tenant_id, first_name, last_name, email, phone,"
	" birth_date, address, status, vtc_card_number, vtc_card_expiry,"
	" licence_number, licence_expiry, bolt_driver_uuid, uber_driver_uuid,"
	" heetch_email, iban, bic, collaboration, weekly_rent_cents,"
	" commission_rate_bp, start_date, end_date, onboarding_step, notes)"
	" VALUES (app_tenant(), $1, $2, $3, $4, $5::date, coalesce($6, ''),"
	" $7::driver_status, $8, $9::date, $10, $11::date, $12, $13, $14, $15,"
	" $16, $17::collaboration_kind, $18::bigint, $19::int, $20::date,"
	" $21::date, $22::int, coalesce($23, '')) RETURNING id" };

/* A status other than « parti » brings an archived driver back. */
static const struct db_stmt update_stmt = { "drivers_update",
	"UPDATE drivers SET first_name = $1, last_name = $2, email = $3,"
	" phone = $4, birth_date = $5::date, address = coalesce($6, ''),"
	" status = $7::driver_status, vtc_card_number = $8,"
	" vtc_card_expiry = $9::date, licence_number = $10,"
	" licence_expiry = $11::date, bolt_driver_uuid = $12,"
	" uber_driver_uuid = $13, heetch_email = $14, iban = $15, bic = $16,"
	" collaboration = $17::collaboration_kind,"
	" weekly_rent_cents = $18::bigint, commission_rate_bp = $19::int,"
	" start_date = $20::date, end_date = $21::date,"
	" onboarding_step = $22::int, notes = coalesce($23, ''),"
	" archived_at = CASE WHEN $7::driver_status = 'parti' THEN archived_at"
	" END WHERE id = $24::uuid RETURNING id" };

/* The vehicle a departing driver had is free from now on. */
static const struct db_stmt archive_stmt = { "drivers_archive",
	"WITH d AS (UPDATE drivers SET status = 'parti', archived_at ="
	" coalesce(archived_at, now()) WHERE id = $1::uuid RETURNING tenant_id,"
	" id, first_name || ' ' || last_name AS name),"
	" a AS (UPDATE assignments x SET ends_at = now() FROM d WHERE"
	" x.tenant_id = d.tenant_id AND x.driver_id = d.id AND"
	" x.starts_at < now() AND (x.ends_at IS NULL OR x.ends_at > now())"
	" RETURNING 1)"
	" SELECT d.name, (SELECT count(*) FROM a) FROM d" };

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
is_choice(const char *const *choices, const char *v)
{
	for (; *choices != NULL; choices++)
		if (strcmp(*choices, v) == 0)
			return 1;
	return 0;
}

/* ILIKE treats % and _ as wildcards: a search for "a_b" means that text. */
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

static const char *
query_or(struct request *r, const char *name, const char *dflt)
{
	const char	*v = http_query(r, name);

	return v != NULL ? v : dflt;
}

int
driver_filter_parse(struct request *r, struct driver_filter *f,
    json_t **errors)
{
	size_t	i;

	f->q = query_or(r, "q", "");
	f->status = query_or(r, "status", "");
	f->documents = query_or(r, "documents", "");
	f->sort = query_or(r, "sort", "last_name");
	*errors = json_object();
	if (*f->status && !is_choice(driver_statuses, f->status))
		valid_fail(r, *errors, "status", "valid.list.status");
	if (*f->documents && strcmp(f->documents, "due") != 0)
		valid_fail(r, *errors, "documents", "valid.list.documents");
	for (i = 0; i < NSORTS; i++)
		if (strcmp(sorts[i].key, f->sort) == 0)
			break;
	if (i == NSORTS)
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

	for (i = 0; i < NSORTS; i++)
		if (strcmp(sorts[i].key, key) == 0)
			return i;
	return 0;
}

/* The statements and values (in v, 4 of them) of a filter; the phone
 * digits live in digits. */
static struct list_query
list_query(struct request *r, const struct driver_filter *f, const char **v,
    char *digits, size_t digitslen)
{
	size_t			 k = sort_index(f->sort);
	struct list_query	 q = { "drivers", &sorts[k].all, &count_stmt,
				    &sorts[k].filtered, v, 4 };

	driver_phone_digits(f->q, digits, digitslen);
	v[0] = like_escape(r->arena, f->q);
	v[1] = f->status;
	v[2] = f->documents;
	v[3] = digits;
	return q;
}

json_t *
driver_list(struct request *r, const struct driver_filter *f,
    const struct api_page *pg, long *total, int *status)
{
	char			 digits[32];
	const char		*v[4];
	struct list_query	 q = list_query(r, f, v, digits, sizeof(digits));

	return list_page(r, &q, pg, total, status);
}

int
driver_list_texts(struct request *r, const struct driver_filter *f,
    const struct api_page *pg, long *total, struct api_texts *rows)
{
	char			 digits[32];
	const char		*v[4];
	struct list_query	 q = list_query(r, f, v, digits, sizeof(digits));

	return list_page_texts(r, &q, pg, total, rows);
}

json_t *
driver_get(struct request *r, const char *id, int *status)
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

/* ---- Input ------------------------------------------------------------ */

/* The fields an input reads: the declarations given to valid_input and
 * the column each one fills. */
struct selection {
	struct valid_field	 v[NFIELDS];
	const char		*column[NFIELDS];
	size_t			 n;
};

static void
select_fields(struct selection *s, json_t *current,
    enum driver_input_mode mode, enum driver_part part)
{
	const struct driver_field	*f;
	size_t				 i, k;

	s->n = 0;
	for (i = 0; i < NFIELDS; i++) {
		f = &fields[i];
		if (part != DRIVER_ALL && f->part != part)
			continue;
		/* The wizard and the edit form move through the steps; only
		 * the API may set one. */
		if (mode != DRIVER_API &&
		    strcmp(f->v.name, "onboarding_step") == 0)
			continue;
		s->v[s->n] = f->v;
		s->column[s->n] = f->v.name;
		for (k = 0; mode != DRIVER_API && k < sizeof(form_fields) /
		    sizeof(form_fields[0]); k++)
			if (strcmp(form_fields[k].column, f->v.name) == 0)
				s->v[s->n] = form_fields[k].v;
		/* An update through the API may leave out anything; a form
		 * sends every field, so a blank required one is an error. */
		if (mode == DRIVER_API && current != NULL)
			s->v[s->n].required = 0;
		if (mode == DRIVER_WIZARD && f->wizard)
			s->v[s->n].required = 1;
		s->n++;
	}
}

/* The name the input used for a column (errors are keyed by it). */
static const char *
input_name(const struct selection *s, const char *column)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->column[i], column) == 0)
			return s->v[i].name;
	return column;
}

static int
selected(const struct selection *s, const char *column)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->column[i], column) == 0)
			return 1;
	return 0;
}

/* A field sent blank (form) or null (API) is cleared, unless required. */
static int
cleared(const struct request *r, const struct valid_field *f)
{
	json_t	*j;

	if (r->json == NULL)
		return http_form(r, f->name) != NULL;
	j = json_object_get(r->json, f->name);
	return j != NULL && json_is_null(j);
}

/* Columns that always hold a value (NOT NULL without a default). */
static int
nullable(const char *column)
{
	static const char *const not_null[] = { "first_name", "last_name",
	    "status", "onboarding_step", NULL };

	return !is_choice(not_null, column);
}

static void
merge(const struct request *r, const struct selection *s, json_t *in,
    json_t *v, json_t *errors)
{
	json_t	*val;
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		if ((val = json_object_get(in, s->v[i].name)) != NULL)
			json_object_set(v, s->column[i], val);
		else if (json_object_get(errors, s->v[i].name) != NULL)
			continue;
		else if (cleared(r, &s->v[i])) {
			if (s->v[i].required || !nullable(s->column[i]))
				valid_fail(r, errors, s->v[i].name,
				    "valid.required");
			else
				json_object_set_new(v, s->column[i], json_null());
		}
	}
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
fail(const struct request *r, json_t *errors, const struct selection *s,
    const char *column, const char *key)
{
	const char	*name = input_name(s, column);

	if (json_object_get(errors, name) == NULL)
		valid_fail(r, errors, name, key);
}

/* The rules between fields, on the merged driver. */
static void
check_rules(const struct request *r, const struct selection *s,
    enum driver_input_mode mode, json_t *v, json_t *errors)
{
	const char	*birth = str(v, "birth_date"), *start = str(v, "start_date");
	const char	*end = str(v, "end_date"), *collab = str(v, "collaboration");
	const char	*key;
	char		 today[32];

	today_iso(today);
	if (selected(s, "birth_date") && birth != NULL &&
	    (key = driver_check_birth_date(birth, today)) != NULL)
		fail(r, errors, s, "birth_date", key);
	if ((selected(s, "start_date") || selected(s, "end_date")) &&
	    start != NULL && end != NULL && strcmp(end, start) < 0)
		fail(r, errors, s, "end_date",
		    "valid.drivers.end_before_start");
	if (selected(s, "collaboration") && collab != NULL) {
		if (strcmp(collab, "location_auto_entrepreneur") == 0 &&
		    json_is_null(json_object_get(v, "weekly_rent_cents")))
			fail(r, errors, s, "weekly_rent_cents",
			    "valid.drivers.rent_missing");
		if (strcmp(collab, "commission") == 0 &&
		    json_is_null(json_object_get(v, "commission_rate_bp")))
			fail(r, errors, s, "commission_rate_bp",
			    "valid.drivers.commission_missing");
	}
	/* A driver starts with documents in force. */
	if (mode == DRIVER_WIZARD && selected(s, "vtc_card_expiry")) {
		if (str(v, "vtc_card_expiry") != NULL &&
		    strcmp(str(v, "vtc_card_expiry"), today) < 0)
			fail(r, errors, s, "vtc_card_expiry",
			    "valid.drivers.vtc_card_expired");
		if (str(v, "licence_expiry") != NULL &&
		    strcmp(str(v, "licence_expiry"), today) < 0)
			fail(r, errors, s, "licence_expiry",
			    "valid.drivers.licence_expired");
	}
}

json_t *
driver_input(struct request *r, json_t *current, enum driver_input_mode mode,
    enum driver_part part, json_t **errors)
{
	struct selection	 s;
	json_t			*in, *v;
	size_t			 i;

	select_fields(&s, current, mode, part);
	in = valid_input(r, s.v, s.n, errors);
	if (*errors == NULL)
		*errors = json_object();
	v = current != NULL ? json_deep_copy(current) : json_object();
	/* Absent keys read as null below (a new driver has none yet). */
	for (i = 0; i < NCOLUMNS; i++)
		if (json_object_get(v, columns[i]) == NULL)
			json_object_set_new(v, columns[i], json_null());
	merge(r, &s, in, v, *errors);
	json_decref(in);
	check_rules(r, &s, mode, v, *errors);
	if (json_object_size(*errors) == 0) {
		json_decref(*errors);
		*errors = NULL;
	}
	return v;
}

/* ---- Storing ---------------------------------------------------------- */

static const struct store_table table = { columns, NCOLUMNS, duplicates,
	sizeof(duplicates) / sizeof(duplicates[0]) };

static json_t *
store(struct request *r, const struct db_stmt *s, const char *id, json_t *v,
    int *status, json_t **errors)
{
	const char	*written;

	if ((written = store_write(r, s, &table, v, id, status, errors)) == NULL)
		return NULL;
	return driver_get(r, written, status);
}

int
driver_activity(struct request *r, json_t *d, const char *type,
    const char *title)
{
	return activity_record(r, type, arena_printf(r->arena, "%s : %s %s",
	    title, str(d, "first_name"), str(d, "last_name")), NULL, "driver",
	    str(d, "id"));
}

json_t *
driver_insert(struct request *r, json_t *v, int *status, json_t **errors)
{
	json_t	*stored;

	/* A new driver is a candidate whose first step, who they are, is
	 * done; one recorded as already working has no onboarding left. */
	if (str(v, "status") == NULL)
		json_object_set_new(v, "status", json_string("candidat"));
	if (!json_is_integer(json_object_get(v, "onboarding_step")))
		json_object_set_new(v, "onboarding_step", json_integer(
		    strcmp(str(v, "status"), "candidat") == 0 ? 2 : 4));
	if ((stored = store(r, &insert_stmt, NULL, v, status, errors)) == NULL)
		return NULL;
	if ((*status = driver_activity(r, stored, "driver.created",
	    "Chauffeur ajouté")) != 0) {
		json_decref(stored);
		return NULL;
	}
	return stored;
}

json_t *
driver_update(struct request *r, const char *id, json_t *v, int *status,
    json_t **errors)
{
	return store(r, &update_stmt, id, v, status, errors);
}

int
driver_archive(struct request *r, const char *id)
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
	rc = activity_record(r, "driver.archived", arena_printf(r->arena,
	    "Chauffeur parti : %s", db_value(res, 0, 0)), NULL, "driver", id);
	PQclear(res);
	return rc;
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
